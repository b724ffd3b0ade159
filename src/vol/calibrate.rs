//! Calibration: what a fit returns ([`Calibrated`]) and the diagnostics shared by the fits.

use super::diagnostics::FitDiagnostics;
use super::termination::Termination;

/// A calibrated model and its fit diagnostics.
///
/// ```
/// use derisk::vol::{Calibrate, CalibrationOptions, SliceQuotes, Svi};
/// let truth = Svi::new(0.02, 0.1, -0.3, 0.05, 0.2)?;
/// let ks: Vec<f64> = (0..11).map(|i| -0.5 + 0.1 * f64::from(i)).collect();
/// let quotes = SliceQuotes::from_smile(&truth, 1.0, 100.0, &ks)?;
/// let fit = Svi::calibrate(&quotes, &CalibrationOptions::default())?;
/// assert!(fit.diagnostics.rmse_vol_points < 1e-6);
/// assert!((fit.model.rho() + 0.3).abs() < 1e-5);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Calibrated<M> {
    /// The fitted model.
    pub model: M,
    /// How well it fits and how the optimiser ended.
    pub diagnostics: FitDiagnostics,
}

/// Diagnostics of a smile against quotes (unweighted, in vol points).
pub(crate) fn diagnose<S: super::Smile + ?Sized>(
    smile: &S,
    quotes: &super::SliceQuotes,
    iterations: u32,
    termination: Termination,
) -> FitDiagnostics {
    let t = quotes.expiry();
    let mut sum = 0.0;
    let mut max = 0.0_f64;
    for q in quotes.quotes() {
        let e = smile.implied_vol(q.log_moneyness, t) - q.volatility;
        sum += e * e;
        max = max.max(e.abs());
    }
    let n = quotes.quotes().len().max(1) as f64;
    FitDiagnostics {
        rmse_vol_points: (sum / n).sqrt() * 100.0,
        max_error_vol_points: max * 100.0,
        iterations,
        termination,
    }
}

pub(crate) fn termination(stop: crate::math::least_squares::Stop) -> Termination {
    match stop {
        crate::math::least_squares::Stop::MaxIterations => Termination::MaxIterations,
        _ => Termination::Converged,
    }
}
