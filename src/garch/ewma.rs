//! EWMA / RiskMetrics variance: σ²ₜ = λσ²ₜ₋₁ + (1 − λ)ε²ₜ₋₁, λ = 0.94 for daily data.
//!
//! Reference: J.P. Morgan/Reuters, *RiskMetrics — Technical Document*, 4th ed. (1996), §5.2.
//! The recursion starts from `arch`'s backcast (0.94-weighted mean of the first 75 ε²).

use super::error::FitError;
use super::forecast::check_horizon;
use super::traits::VarianceForecast;
use super::variance::backcast;

/// The EWMA (RiskMetrics) variance with decay λ.
///
/// ```
/// use derisk::garch::{Ewma, VarianceForecast};
/// let f = Ewma::new(0.9)?.fit(&[2.0])?;             // σ²₁ = backcast = 4
/// // σ²₂ = 0.9·4 + 0.1·4 = 4, and the forecast is flat.
/// assert_eq!(f.forecast_variance(2)?, vec![4.0, 4.0]);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "super::serde_impl::EwmaRaw"))]
pub struct Ewma {
    lambda: f64,
}

/// An EWMA filtered over a sample: its variances and flat forecast.
///
/// ```
/// let f = derisk::garch::Ewma::riskmetrics().fit(&[1.0, -2.0])?;
/// assert_eq!(f.variance[0], derisk::garch::backcast(&[1.0, -2.0]));
/// assert!((f.variance[1] - (0.94 * f.variance[0] + 0.06 * 1.0)).abs() < 1e-15);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EwmaFit {
    /// σ²ₜ for each observation (the variance expected before seeing it).
    pub variance: Vec<f64>,
    /// σ²_{T+1}, the forecast for every horizon.
    pub next: f64,
}

impl Ewma {
    /// EWMA with decay `lambda` in (0, 1).
    ///
    /// # Errors
    ///
    /// [`FitError::InvalidSetting`] outside (0, 1).
    ///
    /// ```
    /// assert!(derisk::garch::Ewma::new(1.0).is_err());
    /// ```
    pub fn new(lambda: f64) -> Result<Self, FitError> {
        if lambda > 0.0 && lambda < 1.0 {
            Ok(Self { lambda })
        } else {
            Err(FitError::InvalidSetting {
                name: "lambda",
                value: lambda,
            })
        }
    }

    /// RiskMetrics daily: λ = 0.94.
    ///
    /// ```
    /// assert_eq!(derisk::garch::Ewma::riskmetrics().lambda(), 0.94);
    /// ```
    pub fn riskmetrics() -> Self {
        Self { lambda: 0.94 }
    }

    /// The decay λ.
    ///
    /// ```
    /// assert_eq!(derisk::garch::Ewma::new(0.97)?.lambda(), 0.97);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// Filters the residuals (λ is not estimated).
    ///
    /// # Errors
    ///
    /// [`FitError::TooFewObservations`] for an empty series, [`FitError::NonFinite`],
    /// [`FitError::ConstantSeries`] if every residual is 0, [`FitError::UndefinedLikelihood`]
    /// or [`FitError::UndefinedForecast`] if ε² overflows (|ε| above ~1e154).
    ///
    /// ```
    /// let f = derisk::garch::Ewma::riskmetrics().fit(&[1.0, 3.0])?;
    /// assert!((f.next - (0.94 * f.variance[1] + 0.06 * 9.0)).abs() < 1e-15);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn fit(&self, residuals: &[f64]) -> Result<EwmaFit, FitError> {
        if residuals.is_empty() {
            return Err(FitError::TooFewObservations {
                observations: 0,
                required: 1,
            });
        }
        if let Some((index, &value)) = residuals.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(FitError::NonFinite { index, value });
        }
        if residuals.iter().all(|&e| e == 0.0) {
            return Err(FitError::ConstantSeries { value: 0.0 });
        }
        let mut s2 = backcast(residuals);
        let mut variance = Vec::with_capacity(residuals.len());
        for (index, &e) in residuals.iter().enumerate() {
            if !(s2 > 0.0 && s2.is_finite()) {
                return Err(FitError::UndefinedLikelihood {
                    index,
                    variance: s2,
                });
            }
            variance.push(s2);
            s2 = self.lambda * s2 + (1.0 - self.lambda) * e * e;
        }
        if !(s2 > 0.0 && s2.is_finite()) {
            return Err(FitError::UndefinedForecast {
                step: 1,
                variance: s2,
            });
        }
        Ok(EwmaFit { variance, next: s2 })
    }
}

impl VarianceForecast for EwmaFit {
    /// Flat: σ²_{T+h} = σ²_{T+1} for every h.
    fn forecast_variance(&self, horizon: usize) -> Result<Vec<f64>, FitError> {
        check_horizon(horizon)?;
        if !(self.next > 0.0 && self.next.is_finite()) {
            return Err(FitError::UndefinedForecast {
                step: 1,
                variance: self.next,
            });
        }
        Ok(vec![self.next; horizon])
    }
}
