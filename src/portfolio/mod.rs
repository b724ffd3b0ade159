//! Instruments, positions and the book, valued in a [`MarketState`](crate::market::MarketState):
//! values in the settlement and the quote currency, P&L between states, full revaluation under
//! scenarios, sensitivities by risk factor with their aggregation, and delta hedges. The maths
//! is in docs/market.md.
//!
//! | question | answer |
//! |---|---|
//! | what is the book worth, in BTC and in USD? | [`Book::value`], [`Book::values`], [`Book::value_by_currency`] |
//! | and in that scenario, and in ten thousand? | [`Book::pnl`], [`Book::revalue_many`], [`Book::par_revalue_many`] |
//! | what are its Greeks by expiry and strike? | [`Book::risk`], [`RiskReport`] |
//! | how much perpetual flattens its delta? | [`Book::hedge_quantity`] |
//! | how do I add my own product? | implement [`Instrument`] |

mod book;
mod cache;
mod contract;
mod deferred;
mod error;
mod position;
mod risk;
mod traits;

pub use self::book::{Book, PositionValue};
pub use self::cache::BatchCache;
pub use self::contract::{Contract, Settlement};
pub use self::deferred::DeferredBlack76;
pub use self::error::PortfolioError;
pub use self::position::{Position, PositionId};
pub use self::risk::{PositionRisk, RiskReport, Sensitivity};
pub use self::traits::Instrument;
