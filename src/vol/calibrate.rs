//! Calibration: what a fit returns ([`Calibrated`]) and how it is steered ([`CalibrationOptions`]).

/// How an optimiser ended.
///
/// ```
/// use derisk::vol::Termination;
/// assert_ne!(Termination::Converged, Termination::MaxIterations);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Termination {
    /// The step, gradient or relative improvement fell under its tolerance.
    Converged,
    /// The iteration limit was reached first; the best point so far is returned.
    MaxIterations,
}

/// Fit diagnostics, in implied-volatility points (1 point = 0.01 of volatility).
///
/// ```text
/// rmse = √(Σ (σ_model(k_i) − σ_quote,i)² / n)·100,   max_error = max |σ_model − σ_quote|·100
/// ```
///
/// Both are unweighted (every quote counts once) so that fits with different weights compare.
///
/// ```
/// use derisk::vol::{FitDiagnostics, Termination};
/// let d = FitDiagnostics { rmse_vol_points: 0.1, max_error_vol_points: 0.3, iterations: 12,
///                          termination: Termination::Converged };
/// assert!(d.max_error_vol_points >= d.rmse_vol_points);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FitDiagnostics {
    /// Root-mean-square error of the fitted implied volatilities, in vol points.
    pub rmse_vol_points: f64,
    /// Largest absolute error of the fitted implied volatilities, in vol points.
    pub max_error_vol_points: f64,
    /// Iterations of the optimiser (outer evaluations for the quasi-explicit SVI method).
    pub iterations: u32,
    /// How the optimiser ended.
    pub termination: Termination,
}

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

/// Options common to every calibration.
///
/// ```
/// use derisk::vol::CalibrationOptions;
/// let o = CalibrationOptions::default().with_no_arbitrage(true).with_sabr_beta(0.5);
/// assert!(o.no_arbitrage);
/// assert_eq!(o.sabr_beta, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CalibrationOptions {
    /// Iteration limit of the optimiser (Levenberg–Marquardt iterations; Nelder–Mead
    /// evaluations per start for the quasi-explicit SVI method). Default 200.
    pub max_iterations: u32,
    /// Fit under the no-arbitrage constraints: SVI with Durrleman's g(k) ≥ 0 on
    /// k ∈ [−3, 3]·max(|k_quote|), SSVI under Gatheral–Jacquier's Theorems 4.1–4.2. Default false.
    pub no_arbitrage: bool,
    /// SABR's β ∈ [0, 1], fixed during the fit (β = 1: lognormal backbone, the usual crypto
    /// choice). Default 1.
    pub sabr_beta: f64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        Self {
            max_iterations: 200,
            no_arbitrage: false,
            sabr_beta: 1.0,
        }
    }
}

impl CalibrationOptions {
    /// These options with the iteration limit set.
    ///
    /// ```
    /// let o = derisk::vol::CalibrationOptions::default().with_max_iterations(50);
    /// assert_eq!(o.max_iterations, 50);
    /// ```
    #[must_use]
    pub const fn with_max_iterations(mut self, max_iterations: u32) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// These options with the no-arbitrage constraints on or off.
    ///
    /// ```
    /// assert!(derisk::vol::CalibrationOptions::default().with_no_arbitrage(true).no_arbitrage);
    /// ```
    #[must_use]
    pub const fn with_no_arbitrage(mut self, no_arbitrage: bool) -> Self {
        self.no_arbitrage = no_arbitrage;
        self
    }

    /// These options with SABR's β set (clamped into [0, 1] by the fit).
    ///
    /// ```
    /// assert_eq!(derisk::vol::CalibrationOptions::default().with_sabr_beta(0.7).sabr_beta, 0.7);
    /// ```
    #[must_use]
    pub const fn with_sabr_beta(mut self, beta: f64) -> Self {
        self.sabr_beta = beta;
        self
    }
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
