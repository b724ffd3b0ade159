//! Option pricing: Black–Scholes–Merton, Black-76 and coin-settled (inverse) options, with the
//! price and all fourteen Greeks from one kernel.
//!
//! - Free functions on `f64` ([`black`], [`black_scholes_price`], [`black_scholes_greeks`],
//!   [`black76_price`], [`black76_greeks`]) are the kernels.
//! - Models ([`BlackScholes`], [`Black76`], [`InverseBlack76`]) pair market data with a
//!   [`VolSurface`](crate::vol::VolSurface) and implement [`PricingModel`] and [`Sensitivities`]
//!   for [`EuropeanOption`], including allocation-free batch methods.
//!
//! Conventions: time in years, rates continuously compounded, volatility per √year, Greeks raw
//! derivatives (see [`Greeks`]). The maths is in docs/pricing.md.

mod black;
mod black_scholes;
mod contract;
mod error;
mod greeks;
mod implied;
mod inverse;
mod market;
mod normalised;
mod traits;

pub use self::black::{
    black, black76_greeks, black76_price, black_scholes_greeks, black_scholes_price,
};
pub use self::black_scholes::{Black76, BlackScholes};
pub use self::contract::{EuropeanOption, OptionKind};
pub use self::error::{ImpliedVolError, PricingError};
pub use self::greeks::Greeks;
pub use self::implied::{
    implied_black76_volatility, implied_black_scholes_volatility, implied_black_volatility,
    implied_coin_volatility, ImpliedVol,
};
pub use self::inverse::InverseBlack76;
pub use self::market::Market;
pub use self::traits::{ImpliedVolatility, PricingModel, Sensitivities};
