//! Fit diagnostics.

use crate::math::Termination;

/// Fit diagnostics, in implied-volatility points (1 point = 0.01 of volatility).
///
/// ```text
/// rmse = √(Σ (σ_model(k_i) − σ_quote,i)² / n)·100,   max_error = max |σ_model − σ_quote|·100
/// ```
///
/// Both are unweighted (every quote counts once) so that fits with different weights compare.
///
/// ```
/// use derisk::math::Termination;
/// use derisk::vol::FitDiagnostics;
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
    /// Levenberg–Marquardt iterations (damped normal-equation solves, i.e. trial steps,
    /// accepted or not), summed over every start and stage of the fit (SABR's six starts,
    /// SSVI's three, SVI's polish and refits, the slices of a slice surface). Nelder–Mead
    /// evaluations of the quasi-explicit SVI start are not counted.
    pub iterations: u32,
    /// How the fit ended: the termination of the run whose result is returned (for a slice
    /// surface, the first non-converged slice's, else `Converged`).
    pub termination: Termination,
}
