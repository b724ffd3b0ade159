//! Option pricing: Black–Scholes–Merton, Black-76 and coin-settled (inverse) options, with the
//! price and all fourteen Greeks from one kernel.
//!
//! - Free functions on `f64` ([`black`], [`black_scholes_price`], [`black_scholes_greeks`],
//!   [`black76_price`], [`black76_greeks`], the `implied_*_volatility` solvers) are the kernels
//!   of [`crate::black`], re-exported here under their historical paths.
//! - Models ([`BlackScholes`], [`Black76`], [`InverseBlack76`]) pair market data with a
//!   [`VolSurface`](crate::vol::VolSurface) and implement [`PricingModel`] and [`Sensitivities`]
//!   for [`EuropeanOption`], including allocation-free batch methods.
//!
//! Conventions: time in years, rates continuously compounded, volatility per √year, Greeks raw
//! derivatives (see [`Greeks`]). The maths is in docs/pricing.md.

mod black_scholes;
mod contract;
mod implied;
mod inverse;
mod market;
mod traits;

pub use self::black_scholes::{Black76, BlackScholes};
pub use self::contract::EuropeanOption;
pub use self::inverse::InverseBlack76;
pub use self::market::Market;
pub use self::traits::{ImpliedVolatility, PricingModel, Sensitivities};
pub use crate::black::{
    black, black76_greeks, black76_greeks_batch, black76_price, black76_price_batch, black_batch,
    black_scholes_greeks, black_scholes_greeks_batch, black_scholes_price,
    black_scholes_price_batch, implied_black76_volatility, implied_black76_volatility_batch,
    implied_black_scholes_volatility, implied_black_volatility, implied_black_volatility_batch,
    implied_coin_volatility, Greeks, ImpliedVol, ImpliedVolError, OptionKind, PricingError,
};
