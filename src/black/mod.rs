//! The Black kernel in forward / total-volatility coordinates: the price and all fourteen
//! Greeks in one pass, and implied volatility, as free functions on `f64` with no model or
//! market types.
//!
//! Everything that values or inverts a Black price goes through here: the models of
//! `derisk::pricing` (which re-exports every public item of this module under its old
//! path, `derisk::pricing::black76_price` and so on) and the smiles of `derisk::vol`, which
//! import this module and [`math`](crate::math) only, so `vol` and `pricing` no longer depend on
//! each other.
//!
//! - [`black`]: the undiscounted price B(F, K, s) at total volatility s = σ√T.
//! - [`black_scholes_price`], [`black_scholes_greeks`], [`black76_price`], [`black76_greeks`]:
//!   discounted prices and Greeks on a spot with carry or on a forward.
//! - [`black76_price_batch`], [`black_scholes_price_batch`], [`black_batch`]: the same prices over slices (structure of
//!   arrays), vectorised in chunks, with the tails on the scalar kernel.
//! - [`black76_greeks_batch`], [`black_scholes_greeks_batch`]: price and the fourteen Greeks
//!   over slices, in the same chunks.
//! - [`implied_black_volatility`], [`implied_black76_volatility`],
//!   [`implied_black_scholes_volatility`], [`implied_coin_volatility`]: the inverses.
//! - [`implied_black76_volatility_batch`], [`implied_black_volatility_batch`]: the inverses over
//!   slices, vectorised in chunks, with the rest on the scalar solver.
//!
//! ```
//! use derisk::black::{black, implied_black_volatility, OptionKind};
//! let price = black(OptionKind::Put, 100.0, 90.0, 0.3)?;
//! let iv = implied_black_volatility(OptionKind::Put, price, 100.0, 90.0, 1.0)?;
//! assert!((iv.volatility - 0.3).abs() < 1e-14);
//! # Ok::<(), derisk::Error>(())
//! ```
//!
//! The maths is in docs/pricing.md; accuracy against 50-digit references in docs/VALIDATION.md.

mod batch;
mod batch_greeks;
mod chunks;
mod coin;
mod error;
mod greeks;
mod implied;
mod implied_batch;
mod kernel;
mod kind;
mod lanes;
mod lanes_greeks;
mod lanes_implied;
mod lanes_taylor;
mod normalised;
mod solver;

pub use self::batch::{black76_price_batch, black_batch, black_scholes_price_batch};
pub use self::batch_greeks::{black76_greeks_batch, black_scholes_greeks_batch};
pub use self::error::{ImpliedVolError, PricingError};
pub use self::greeks::Greeks;
pub use self::implied::{
    implied_black76_volatility, implied_black_scholes_volatility, implied_black_volatility,
    implied_coin_volatility, ImpliedVol,
};
pub use self::implied_batch::{implied_black76_volatility_batch, implied_black_volatility_batch};
pub use self::kernel::{
    black, black76_greeks, black76_price, black_scholes_greeks, black_scholes_price,
};
pub use self::kind::OptionKind;

pub(crate) use self::batch::Prices;
pub(crate) use self::batch_greeks::{CoinGreeks, PriceAndGreeks};
pub(crate) use self::chunks::contracts_batch;
pub(crate) use self::coin::coin_greeks_validated;
pub(crate) use self::error::{
    check_dividend_yield, check_expiry, check_forward, check_rate, check_spot, check_strike,
    check_volatility,
};
pub(crate) use self::implied_batch::implied_black76_quotes_batch;
pub(crate) use self::kernel::{greeks_validated, ln_ratio, price_validated, Inputs, Underlying};
