//! Errors of calibration.

use crate::black::ImpliedVolError;
use crate::vol::error::VolError;

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
    /// A NaN, infinite or out-of-domain input: a forward, expiry, strike, log-moneyness,
    /// volatility, total variance, weight, discount or price.
    #[error("{name} {value} is invalid: {requirement}")]
    InvalidInput {
        /// Which input (`"forward"`, `"expiry"`, `"strike"`, `"volatility"`, `"weight"`, …).
        name: &'static str,
        /// The offending value.
        value: f64,
        /// What it must be, e.g. `"must be finite and positive"`.
        requirement: &'static str,
    },
    /// Two inputs that must have one entry each per quote have different lengths.
    #[error("{name} has {found} entries but {expected} are needed (one per {per})")]
    LengthMismatch {
        /// The input whose length is wrong (`"vols"`, `"total variances"`).
        name: &'static str,
        /// Its length.
        found: usize,
        /// The length it must have.
        expected: usize,
        /// What each entry belongs to (`"strike"`, `"log-moneyness"`).
        per: &'static str,
    },
    /// A surface built from no slices at all.
    #[error("a surface needs at least one expiry slice, got none")]
    NoSlices,
    /// A calibration option out of its domain.
    #[error("calibration option {name} = {value} is invalid: {requirement}")]
    InvalidOption {
        /// The field of [`CalibrationOptions`](crate::vol::CalibrationOptions).
        name: &'static str,
        /// Its value.
        value: f64,
        /// What it must be.
        requirement: &'static str,
    },
    /// No starting point of the fit gives finite residuals (for SABR: Hagan's expansion breaks
    /// down at every start), so nothing could be iterated.
    #[error("no start of the {model} fit gives finite residuals ({starts} tried)")]
    NoValidStart {
        /// The model being fitted.
        model: &'static str,
        /// How many starts were tried.
        starts: usize,
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
        Err(CalibrationError::InvalidInput {
            name,
            value,
            requirement: "must be finite and positive",
        })
    }
}
