//! The traits of the risk domain: a risk measure of a P&L sample, a backtest of forecasts.

use super::error::RiskError;

/// A loss measure of a P&L sample (VaR, ES, …): signed P&L in (gain positive), a loss out
/// (positive when the measure expects a loss).
///
/// ```text
/// evaluate(pnl) = ρ(−pnl)    e.g. VaR_α = the α-quantile of the loss L = −P&L
/// ```
///
/// Implemented by [`ValueAtRisk`](super::ValueAtRisk) and
/// [`ExpectedShortfall`](super::ExpectedShortfall); forwarded through `&T`, `Box<T>` and
/// `Arc<T>`, so `&dyn RiskMeasure` works. Reference: P. Artzner, F. Delbaen, J.-M. Eber and
/// D. Heath, "Coherent measures of risk", *Mathematical Finance* 9 (1999).
///
/// ```
/// use derisk::risk::{RiskMeasure, ValueAtRisk};
/// let measures: Vec<Box<dyn RiskMeasure>> = vec![Box::new(ValueAtRisk::normal(0.99)?)];
/// let pnl = [1.0, -1.0, 1.0, -1.0];
/// let var = measures[0].evaluate(&pnl)?;
/// // mean 0, sample σ = √(4/3): VaR = σ·z_0.99
/// assert!((var - (4.0f64 / 3.0).sqrt() * 2.326_347_874_040_840_8).abs() < 1e-14);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub trait RiskMeasure {
    /// The measure of the sample, in the units of the P&L, losses positive.
    ///
    /// # Errors
    ///
    /// A [`RiskError`] for a sample the measure cannot use (too short, NaN or ±∞) or a result
    /// that is undefined or overflows; never a NaN or ±∞ in `Ok`.
    fn evaluate(&self, pnl: &[f64]) -> Result<f64, RiskError>;
}

impl<T: RiskMeasure + ?Sized> RiskMeasure for &T {
    fn evaluate(&self, pnl: &[f64]) -> Result<f64, RiskError> {
        (**self).evaluate(pnl)
    }
}

impl<T: RiskMeasure + ?Sized> RiskMeasure for Box<T> {
    fn evaluate(&self, pnl: &[f64]) -> Result<f64, RiskError> {
        (**self).evaluate(pnl)
    }
}

impl<T: RiskMeasure + ?Sized> RiskMeasure for std::sync::Arc<T> {
    fn evaluate(&self, pnl: &[f64]) -> Result<f64, RiskError> {
        (**self).evaluate(pnl)
    }
}

/// The outcome of a likelihood-ratio backtest.
///
/// ```text
/// p_value = P(χ²_df ≥ statistic)   (small: reject the model)
/// ```
///
/// ```
/// use derisk::risk::{Backtest, Kupiec};
/// let out = Kupiec::new(0.99)?.test(&[1.0; 4], &[0.5, 0.2, -0.1, 0.3])?;
/// assert_eq!((out.exceptions, out.observations, out.degrees_of_freedom), (0, 4, 1));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TestOutcome {
    /// The likelihood-ratio statistic (≥ 0).
    pub statistic: f64,
    /// Its p-value under the null (the model's coverage is right), in [0, 1].
    pub p_value: f64,
    /// Degrees of freedom of the χ² law of the statistic under the null.
    pub degrees_of_freedom: u32,
    /// Days on which the loss exceeded the forecast.
    pub exceptions: usize,
    /// Days tested.
    pub observations: usize,
}

/// A test of VaR forecasts against the P&L that followed.
///
/// `forecasts[t]` is the VaR forecast for day t (a loss, positive), `realised[t]` the P&L of day
/// t (gain positive); day t is an exception when the loss `-realised[t]` exceeds `forecasts[t]`
/// strictly. Forwarded through `&T`, `Box<T>` and `Arc<T>`.
///
/// Reference: P. F. Christoffersen, "Evaluating interval forecasts", *International Economic
/// Review* 39 (1998).
///
/// ```
/// use derisk::risk::{Backtest, Kupiec};
/// let t: &dyn Backtest = &Kupiec::new(0.5)?;
/// let out = t.test(&[0.0, 0.0], &[-1.0, 1.0])?;  // one exception in two days at p = 0.5
/// assert_eq!(out.statistic, 0.0);
/// assert_eq!(out.p_value, 1.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub trait Backtest {
    /// Tests the forecasts against the realised P&L.
    ///
    /// # Errors
    ///
    /// [`RiskError::LengthMismatch`], [`RiskError::TooShort`], [`RiskError::NonFinite`] for the
    /// inputs; [`RiskError::Undefined`] where the statistic is not defined by the data.
    fn test(&self, forecasts: &[f64], realised: &[f64]) -> Result<TestOutcome, RiskError>;
}

impl<T: Backtest + ?Sized> Backtest for &T {
    fn test(&self, forecasts: &[f64], realised: &[f64]) -> Result<TestOutcome, RiskError> {
        (**self).test(forecasts, realised)
    }
}

impl<T: Backtest + ?Sized> Backtest for Box<T> {
    fn test(&self, forecasts: &[f64], realised: &[f64]) -> Result<TestOutcome, RiskError> {
        (**self).test(forecasts, realised)
    }
}

impl<T: Backtest + ?Sized> Backtest for std::sync::Arc<T> {
    fn test(&self, forecasts: &[f64], realised: &[f64]) -> Result<TestOutcome, RiskError> {
        (**self).test(forecasts, realised)
    }
}
