//! Errors of the risk domain: returns, risk measures, backtests and historical P&L.

use crate::garch::FitError;
use crate::margin::MarginError;
use crate::market::MarketError;
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
    /// A haircut outside [0, 1): at 100 % or more the collateral would count for nothing or
    /// less (CRE22; Basel II para. 147).
    #[error("invalid haircut {name} = {value}: must be finite, at least 0 and below 1")]
    InvalidHaircut {
        /// Which haircut.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// An amount (exposure, collateral value, position, Tier 1 capital) that is negative or not
    /// finite.
    #[error("invalid {name} = {value}: must be finite and non-negative")]
    InvalidAmount {
        /// Which amount.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// Collateral that the supervisory haircut table does not admit (e.g. a BB-rated bond of a
    /// non-sovereign issuer).
    #[error("ineligible collateral: {reason}")]
    IneligibleCollateral {
        /// Why the table does not admit it.
        reason: &'static str,
    },
    /// Revaluing the book under one scenario failed.
    #[error("scenario {index}: {source}")]
    Scenario {
        /// Position of the scenario.
        index: usize,
        /// What the book reported.
        source: PortfolioError,
    },
    /// An order book too thin to absorb the quantity to liquidate.
    #[error("insufficient depth: {requested} requested, the book holds only {available}")]
    InsufficientDepth {
        /// Quantity to liquidate (base units).
        requested: f64,
        /// What the book could fill.
        available: f64,
    },
    /// Valuing the book at the base market failed.
    #[error(transparent)]
    Portfolio(#[from] PortfolioError),
    /// A GARCH refit or variance forecast of a walk-forward run failed.
    #[error("garch refit for day {day}: {source}")]
    Garch {
        /// The day (index into the return series) being forecast.
        day: usize,
        /// What the GARCH fit reported.
        source: FitError,
    },
    /// A stress scenario with no shock in it (it would report a P&L of zero for no reason).
    #[error("stress scenario {name:?} is empty: it needs at least one shock")]
    EmptyScenario {
        /// The scenario's name.
        name: String,
    },
    /// A scenario library already holds a scenario of that name.
    #[error("stress scenario {name:?} is already in the library: names must be unique")]
    DuplicateScenario {
        /// The name given twice.
        name: String,
    },
    /// No move along the reverse-stress direction up to the bound exhausts the equity or
    /// crosses the maintenance requirement.
    #[error("no move up to scale {bound} breaches: {reason}")]
    NoBreach {
        /// The largest scale searched.
        bound: f64,
        /// Why the search found nothing.
        reason: &'static str,
    },
    /// From market data: a shock that does not apply to the market state, an order book or
    /// impact model that rejected its input.
    #[error(transparent)]
    Market(#[from] MarketError),
    /// From the margin domain: a collateral schedule rejected, or an account that cannot be
    /// marked or margined at a stressed price.
    #[error(transparent)]
    Margin(#[from] MarginError),
    /// A netting set (or an SA-CCR netting set) with no trades: its exposure is undefined.
    #[non_exhaustive]
    #[error("netting set {name} has no trades: exposure needs at least one")]
    EmptyNettingSet {
        /// Which netting set.
        name: &'static str,
    },
    /// A time grid or horizon that is negative, non-finite or not strictly increasing.
    #[non_exhaustive]
    #[error("{name}[{index}] = {value} is not a valid time in years ({reason})")]
    InvalidTime {
        /// Which grid or horizon.
        name: &'static str,
        /// Position of the time (0 for a single horizon).
        index: usize,
        /// The time in years.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A simulation behind a Monte Carlo or filtered-historical measure failed.
    #[error(transparent)]
    Simulation(#[from] SimError),
}
