//! Errors of calibration.

use super::error::VolError;
use crate::black::ImpliedVolError;

/// Why a smile or surface could not be calibrated.
///
/// ```
/// use derisk::vol::CalibrationError;
/// let e = CalibrationError::TooFewQuotes { quotes: 3, parameters: 5 };
/// assert_eq!(e.to_string(), "3 quotes cannot determine 5 parameters");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CalibrationError {
    /// Fewer usable quotes than free parameters.
    #[error("{quotes} quotes cannot determine {parameters} parameters")]
    TooFewQuotes {
        /// Usable quotes.
        quotes: usize,
        /// Free parameters of the model.
        parameters: usize,
    },
    /// A bid above its ask.
    #[error("crossed quote at strike {strike}: bid {bid} > ask {ask}")]
    CrossedQuote {
        /// The strike of the crossed quote.
        strike: f64,
        /// The bid (price or volatility, as given).
        bid: f64,
        /// The ask (price or volatility, as given).
        ask: f64,
    },
    /// Expiries that do not increase strictly.
    #[error("expiry {expiry} at position {index} does not exceed the previous expiry {previous}")]
    NonIncreasingExpiries {
        /// Position of the offending slice.
        index: usize,
        /// The previous expiry (years).
        previous: f64,
        /// The offending expiry (years).
        expiry: f64,
    },
    /// A NaN, infinite or out-of-domain input: a forward, expiry, strike, volatility or weight.
    #[error("{name} {value} must be finite and positive")]
    InvalidInput {
        /// Which input (`"forward"`, `"expiry"`, `"strike"`, `"volatility"`, `"weight"`, `"price"`).
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A quoted price with no implied volatility (outside the no-arbitrage bounds).
    #[error("quote at strike {strike} has no implied volatility: {source}")]
    NoImpliedVolatility {
        /// The strike of the quote.
        strike: f64,
        /// Why the implied-volatility solver rejected it.
        source: ImpliedVolError,
    },
    /// The optimiser ended on parameters that do not define a valid model.
    #[error("the fit ended on invalid parameters: {source}")]
    InvalidModel {
        /// Why the parameters were rejected.
        #[from]
        source: VolError,
    },
}

/// Checks a finite positive input.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, CalibrationError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(CalibrationError::InvalidInput { name, value })
    }
}
