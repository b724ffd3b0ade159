//! SABR: Hagan's implied-volatility expansion as a smile, and its calibration.

mod fit;
mod hagan;

pub use self::hagan::{sabr_volatility, Sabr};
