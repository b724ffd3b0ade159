//! Calibration: what a fit returns ([`Calibrated`]) and the diagnostics shared by the fits.

use super::diagnostics::FitDiagnostics;
use super::error::CalibrationError;
use crate::math::Termination;

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
///
/// # Errors
///
/// [`CalibrationError::InvalidModel`] if the fitted smile has no implied volatility at a quote.
pub(crate) fn diagnose<S: crate::vol::Smile + ?Sized>(
    smile: &S,
    quotes: &super::SliceQuotes,
    iterations: u32,
    termination: Termination,
) -> Result<FitDiagnostics, CalibrationError> {
    let t = quotes.expiry();
    let mut sums = ErrorSums::default();
    for q in quotes.quotes() {
        sums.add(smile.implied_vol(t, q.log_moneyness)? - q.volatility);
    }
    Ok(sums.diagnostics(iterations, termination))
}

/// Running sums of the errors σ_model − σ_quote for [`FitDiagnostics`].
#[derive(Default)]
pub(crate) struct ErrorSums {
    squares: f64,
    max: f64,
    count: usize,
}

impl ErrorSums {
    pub(crate) fn add(&mut self, error: f64) {
        self.squares += error * error;
        self.max = self.max.max(error.abs());
        self.count += 1;
    }

    /// Unweighted RMSE and largest error in vol points.
    pub(crate) fn diagnostics(&self, iterations: u32, termination: Termination) -> FitDiagnostics {
        let n = self.count.max(1) as f64;
        FitDiagnostics {
            rmse_vol_points: (self.squares / n).sqrt() * 100.0,
            max_error_vol_points: self.max * 100.0,
            iterations,
            termination,
        }
    }
}
