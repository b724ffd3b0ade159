//! The result of a fit: estimates, standard errors, information criteria, conditional
//! variances, persistence, half-life and unconditional variance.
//!
//! ```text
//! t = θ̂/se,  p = 2Φ(−|t|),  AIC = −2ℓ + 2k,  BIC = −2ℓ + k·ln n
//! persistence = Σα + ½Σγ + Σβ (GARCH/GJR), Σβ (EGARCH);  half-life = ln ½ / ln(persistence)
//! ```
//!
//! Reference: K. Sheppard, `arch` 8.0 documentation (`ARCHModelResult`).

use super::error::FitError;
use super::fit::{Convergence, GarchModel};
use super::innovation::AnyInnovation;
use crate::math::norm_cdf;

/// A fitted (or evaluated) model: estimates, inference, conditional variances and forecasts.
///
/// ```
/// use derisk::garch::{GarchModel, VarianceForecast};
/// let m = GarchModel::garch11_t();
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
/// let sim = m.simulate_with(&[0.05, 0.2, 0.1, 0.8, 6.0], 1500, 200, &mut rng)?;
/// let fit = m.fit(&sim.returns)?;
/// assert_eq!(fit.forecast_variance(5)?.len(), 5);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
///
/// See [`GarchModel::fit`] for an example.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "super::serde_impl::GarchFitRaw",
        into = "super::serde_impl::GarchFitRaw"
    )
)]
pub struct GarchFit {
    pub(crate) model: GarchModel,
    pub(crate) params: Vec<f64>,
    pub(crate) loglik: f64,
    pub(crate) backcast: f64,
    pub(crate) residuals: Vec<f64>,
    pub(crate) variance: Vec<f64>,
    pub(crate) cov_classic: Option<Vec<f64>>,
    pub(crate) cov_robust: Option<Vec<f64>>,
    pub(crate) convergence: Option<Convergence>,
    pub(crate) last_y: f64,
}

/// Persistence within this of 1 counts as on the stationarity boundary.
const STATIONARITY_MARGIN: f64 = 1e-8;

fn diag_sqrt(cov: &Option<Vec<f64>>, k: usize) -> Result<Vec<f64>, FitError> {
    let c = cov.as_ref().ok_or(FitError::SingularHessian)?;
    (0..k)
        .map(|i| {
            let v = c[i * k + i];
            if v > 0.0 && v.is_finite() {
                Ok(v.sqrt())
            } else {
                Err(FitError::SingularHessian)
            }
        })
        .collect()
}

impl GarchFit {
    /// The model that was fitted.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert_eq!(fit.model().num_params(), 5);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn model(&self) -> &GarchModel {
        &self.model
    }
    /// Estimates θ̂ in `arch`'s order (see [`GarchModel::param_names`]).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert_eq!(fit.params(), &[0.1, 0.2, 0.1, 0.8, 6.0]);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn params(&self) -> &[f64] {
        &self.params
    }
    /// Parameter names.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert_eq!(fit.param_names()[1], "omega");
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn param_names(&self) -> Vec<String> {
        self.model.param_names()
    }
    /// Maximised log-likelihood ℓ(θ̂).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!(fit.loglik() < 0.0 && fit.loglik().is_finite());
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn loglik(&self) -> f64 {
        self.loglik
    }
    /// Observations in the likelihood (after the mean's lags).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert_eq!(fit.nobs(), 300);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn nobs(&self) -> usize {
        self.residuals.len()
    }
    /// Akaike information criterion −2ℓ + 2k.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.aic() - (-2.0 * fit.loglik() + 10.0)).abs() < 1e-9);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn aic(&self) -> f64 {
        -2.0 * self.loglik + 2.0 * self.params.len() as f64
    }
    /// Bayesian information criterion −2ℓ + k·ln n.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.bic() - (-2.0 * fit.loglik() + 5.0 * 300f64.ln())).abs() < 1e-9);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn bic(&self) -> f64 {
        -2.0 * self.loglik + (self.nobs() as f64).ln() * self.params.len() as f64
    }
    /// How the optimiser ended (`None` for [`GarchModel::evaluate`]).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!(fit.convergence().is_none());
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn convergence(&self) -> Option<Convergence> {
        self.convergence
    }
    /// Robust (Bollerslev–Wooldridge sandwich) standard errors, `arch`'s default.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!(fit.std_errors()?.iter().all(|s| *s > 0.0));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FitError::SingularHessian`] where the Hessian cannot be inverted.
    pub fn std_errors(&self) -> Result<Vec<f64>, FitError> {
        diag_sqrt(&self.cov_robust, self.params.len())
    }
    /// Classic standard errors √diag((−∇²ℓ)⁻¹).
    ///
    /// ```
    /// let m = derisk::garch::GarchModel::garch11_t();
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    /// let sim = m.simulate_with(&[0.05, 0.2, 0.1, 0.8, 6.0], 2000, 200, &mut rng)?;
    /// let fit = m.fit(&sim.returns)?;
    /// // Both are consistent: robust and classic agree to within a few tens of percent here.
    /// let (c, r) = (fit.std_errors_classic()?, fit.std_errors()?);
    /// assert!(c.iter().zip(&r).all(|(c, r)| c / r > 0.5 && c / r < 2.0));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FitError::SingularHessian`] where the Hessian cannot be inverted.
    pub fn std_errors_classic(&self) -> Result<Vec<f64>, FitError> {
        diag_sqrt(&self.cov_classic, self.params.len())
    }
    /// Robust covariance matrix, row-major k × k.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// let c = fit.covariance().unwrap();
    /// assert!((c[6].sqrt() - fit.std_errors()?[1]).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn covariance(&self) -> Option<&[f64]> {
        self.cov_robust.as_deref()
    }
    /// t-statistics θ̂ᵢ / se_i (robust).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// let (t, se) = (fit.t_stats()?, fit.std_errors()?);
    /// assert!((t[3] - 0.8 / se[3]).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`GarchFit::std_errors`].
    pub fn t_stats(&self) -> Result<Vec<f64>, FitError> {
        Ok(self
            .params
            .iter()
            .zip(self.std_errors()?)
            .map(|(p, s)| p / s)
            .collect())
    }
    /// Two-sided normal p-values 2·Φ(−|t|) (robust).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!(fit.p_values()?.iter().all(|p| (0.0..=1.0).contains(p)));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`GarchFit::std_errors`].
    pub fn p_values(&self) -> Result<Vec<f64>, FitError> {
        Ok(self
            .t_stats()?
            .iter()
            .map(|t| 2.0 * norm_cdf(-t.abs()))
            .collect())
    }
    /// Residuals εₜ of the mean model.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.residuals()[0] - (y[0] - 0.1)).abs() < 1e-15);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn residuals(&self) -> &[f64] {
        &self.residuals
    }
    /// Conditional variances σ²ₜ.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// let v = fit.conditional_variance();
    /// assert!((v[1] - (0.2 + 0.1 * fit.residuals()[0].powi(2) + 0.8 * v[0])).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn conditional_variance(&self) -> &[f64] {
        &self.variance
    }
    /// Conditional volatilities σₜ (per period, in the data's units).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.conditional_volatility()[5].powi(2) - fit.conditional_variance()[5]).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn conditional_volatility(&self) -> Vec<f64> {
        self.variance.iter().map(|v| v.sqrt()).collect()
    }
    /// Standardised residuals εₜ/σₜ.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// let z = fit.standardized_residuals();
    /// assert!((z[2] * fit.conditional_volatility()[2] - fit.residuals()[2]).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn standardized_residuals(&self) -> Vec<f64> {
        self.residuals
            .iter()
            .zip(&self.variance)
            .map(|(e, v)| e / v.sqrt())
            .collect()
    }
    fn vol_params(&self) -> &[f64] {
        let km = self.model.layout().k_mean();
        &self.params[km..km + self.model.layout().k_vol()]
    }
    /// The fitted innovation density.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::garch::Innovation;
    /// assert!((fit.innovation().cdf(0.0) - 0.5).abs() < 1e-15);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn innovation(&self) -> AnyInnovation {
        let k0 = self.model.layout().k_mean() + self.model.layout().k_vol();
        self.model
            .layout()
            .dist
            .with_params(&self.params[k0..])
            .unwrap_or(AnyInnovation::Normal(super::innovation::Normal))
    }
    /// Persistence: Σα + ½Σγ + Σβ (GARCH/GJR), Σβ (EGARCH).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.persistence() - 0.9).abs() < 1e-15);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn persistence(&self) -> f64 {
        self.model.persistence_of(&self.params)
    }
    /// Half-life of a variance shock in periods, ln ½ / ln(persistence); `None` unless
    /// 0 < persistence < 1 − 1e-8 (within 1e-8 of 1 the fit sits on the stationarity boundary,
    /// up to the optimiser's constraint tolerance).
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.half_life().unwrap() - 0.5f64.ln() / 0.9f64.ln()).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn half_life(&self) -> Option<f64> {
        let p = self.persistence();
        (p > 0.0 && p < 1.0 - STATIONARITY_MARGIN).then(|| 0.5f64.ln() / p.ln())
    }
    /// Unconditional variance ω / (1 − persistence) for GARCH/GJR (γ weighted ½, as `arch`);
    /// `None` for EGARCH (no closed form) or a fit within 1e-8 of the stationarity boundary.
    ///
    /// ```
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = derisk::garch::GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!((fit.unconditional_variance().unwrap() - 2.0).abs() < 1e-12);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn unconditional_variance(&self) -> Option<f64> {
        let p = self.persistence();
        (!self.model.layout().vol.is_egarch() && p < 1.0 - STATIONARITY_MARGIN)
            .then(|| self.vol_params()[0] / (1.0 - p))
    }
}
