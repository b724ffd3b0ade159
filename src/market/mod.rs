//! What a valuation needs to know about the world at one instant: currencies and money, UTC
//! instants and day counts, forward and discount curves, the [`MarketState`] that holds them with
//! the volatility surfaces, and [`Scenario`]s that shock it. The maths is in docs/market.md.
//!
//! | question | answer |
//! |---|---|
//! | what is this amount in USD? | [`MarketState::convert`] of a [`Money`] |
//! | how long to expiry? | [`DayCount::year_fraction`] of two [`Instant`]s, [`MarketState::year_fraction`] |
//! | forward, discount, vol for (asset, expiry, strike)? | [`MarketState::forward`], [`MarketState::discount`], [`MarketState::implied_vol`] |
//! | what if BTC falls 30 % and vols rise 10 points? | [`Shock`]s, [`NamedScenario`], [`Scenario::apply`] |
//! | what does selling 10 BTC into this book cost? | [`OrderBook::walk`] → [`Fill`] (VWAP, slippage), [`SquareRootImpact`] |
//! | how should a large order be staged over time? | [`AlmgrenChriss`] (optimal trajectory, expected cost, variance, frontier) |

mod currency;
mod curve;
mod error;
mod impact;
mod order_book;
mod scenario;
mod state;
mod time;

pub use self::currency::{Currency, CurrencyCode, Money};
pub use self::curve::{DiscountCurve, ForwardCurve};
pub use self::error::MarketError;
pub use self::impact::{AlmgrenChriss, ExecutionCost, SquareRootImpact};
pub use self::order_book::{Depth, Fill, Level, OrderBook, Side};
pub use self::scenario::{NamedScenario, Scenario, Shock};
pub(crate) use self::state::{ExpiryTerms, VolCache};
pub use self::state::{MarketState, MarketStateBuilder, SharedSurface, VolAdjustment, VolDynamics};
pub use self::time::{DayCount, Instant};
