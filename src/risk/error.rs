//! Errors of the risk domain: returns, risk measures, backtests and historical P&L.

use crate::portfolio::PortfolioError;
use crate::sim::SimError;

/// What went wrong computing returns, a risk measure, a backtest or the historical P&L of a book.
///
/// Every variant names the input and carries its value; no function of [`crate::risk`] returns
/// NaN or ±∞ in place of an error.
///
/// ```
/// use derisk::risk::{log_returns, RiskError};
/// let err = log_returns(&[100.0, -1.0]).unwrap_err();
/// assert_eq!(err, RiskError::NonPositivePrice { index: 1, value: -1.0 });
/// assert_eq!(err.to_string(), "price[1] is not positive: -1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RiskError {
    /// A series with fewer values than the computation needs.
    #[error("{name} too short: {len} values, at least {min} needed")]
    TooShort {
        /// Which series.
        name: &'static str,
        /// Its length.
        len: usize,
        /// The least length accepted.
        min: usize,
    },
    /// A NaN or ±∞ inside a series.
    #[error("{name}[{index}] is not finite: {value}")]
    NonFinite {
        /// Which series.
        name: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A price that is zero, negative or subnormal (returns need prices > 0).
    #[error("price[{index}] is not positive: {value}")]
    NonPositivePrice {
        /// Position of the price.
        index: usize,
        /// The price.
        value: f64,
    },
    /// A confidence level outside the open interval (0, 1).
    #[error("invalid confidence {value}: must lie strictly between 0 and 1")]
    InvalidConfidence {
        /// The level given.
        value: f64,
    },
    /// A scalar setting outside its domain (a window of 0, a decay outside (0, 1), ν ≤ 2, …).
    #[error("invalid {name}: {value} ({reason})")]
    InvalidParameter {
        /// Which setting.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// Two series that must have the same length do not.
    #[error("length mismatch: {left_name} has {left} values, {right_name} has {right}")]
    LengthMismatch {
        /// First series.
        left_name: &'static str,
        /// Its length.
        left: usize,
        /// Second series.
        right_name: &'static str,
        /// Its length.
        right: usize,
    },
    /// A statistic that the data do not define (a likelihood ratio with no transition out of an
    /// exception day, a moment-fitted ν with no excess kurtosis); reported, never faked.
    #[error("{statistic} is undefined: {reason}")]
    Undefined {
        /// Which statistic.
        statistic: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// Finite inputs whose result overflows (a sample of values near ±f64::MAX).
    #[error("{name} overflows: {value} (inputs too large)")]
    Overflow {
        /// Which result.
        name: &'static str,
        /// The non-finite value reached.
        value: f64,
    },
    /// Revaluing the book under one scenario failed.
    #[error("scenario {index}: {source}")]
    Scenario {
        /// Position of the scenario.
        index: usize,
        /// What the book reported.
        source: PortfolioError,
    },
    /// Valuing the book at the base market failed.
    #[error(transparent)]
    Portfolio(#[from] PortfolioError),
    /// A simulation behind a Monte Carlo or filtered-historical measure failed.
    #[error(transparent)]
    Simulation(#[from] SimError),
}
