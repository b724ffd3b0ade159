//! Variance forecasts from a fitted model: analytic for GARCH/GJR, by simulation for EGARCH
//! (as `arch` does), and annualised volatility term structures.
//!
//! ```text
//! GARCH/GJR  σ²_{T+h} = ω + Σᵢ αᵢ·E ε²_{T+h−i} + Σⱼ γⱼ·E[ε²1(ε<0)]_{T+h−j} + Σₖ βₖ·σ²_{T+h−k}
//!            with E ε²_{T+s} = σ²_{T+s} and E[ε²1(ε<0)]_{T+s} = ½σ²_{T+s} for s ≥ 1
//! GARCH(1,1) σ²_{T+h} = σ̄² + (α + β)^{h−1}·(σ²_{T+1} − σ̄²)
//! EGARCH     σ²_{T+1} exact; h ≥ 2 the mean of simulated σ²_{T+h} over seeded paths
//! ```
//!
//! Every forecast is positive and finite or a [`FitError::UndefinedForecast`]; horizons are at
//! most [`MAX_HORIZON`], simulated forecasts at most [`MAX_FORECAST_PATHS`] paths and
//! [`MAX_SIMULATED_STEPS`] steps in all.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::error::FitError;
use super::result::GarchFit;
use super::traits::{Innovation, VarianceForecast};
use super::variance::{Lags, Volatility};

/// Paths used by the EGARCH simulation forecast of [`VarianceForecast::forecast_variance`].
///
/// ```
/// assert_eq!(derisk::garch::EGARCH_FORECAST_PATHS, 10_000);
/// ```
pub const EGARCH_FORECAST_PATHS: usize = 10_000;

/// Largest forecast horizon (steps ahead) of every forecast: 1,000,000 (about 2,700 years of
/// daily data; 8 MB of output).
///
/// ```
/// use derisk::garch::{Ewma, FitError, VarianceForecast, MAX_HORIZON};
/// let f = Ewma::riskmetrics().fit(&[1.0, -1.0])?;
/// assert!(matches!(f.forecast_variance(MAX_HORIZON + 1), Err(FitError::InvalidSetting { .. })));
/// # Ok::<(), FitError>(())
/// ```
pub const MAX_HORIZON: usize = 1_000_000;

/// Largest number of paths of [`GarchFit::forecast_variance_simulated`]: 10,000,000.
///
/// ```
/// assert_eq!(derisk::garch::MAX_FORECAST_PATHS, 10_000_000);
/// ```
pub const MAX_FORECAST_PATHS: usize = 10_000_000;

/// Largest paths × horizon of a simulated forecast (and largest burn + nobs of a simulation):
/// 100,000,000 steps, a few seconds of work.
///
/// ```
/// assert_eq!(derisk::garch::MAX_SIMULATED_STEPS, 100_000_000);
/// ```
pub const MAX_SIMULATED_STEPS: usize = 100_000_000;

/// `Err(InvalidSetting)` above [`MAX_HORIZON`].
pub(crate) fn check_horizon(horizon: usize) -> Result<(), FitError> {
    if horizon > MAX_HORIZON {
        return Err(FitError::InvalidSetting {
            name: "horizon",
            value: horizon as f64,
        });
    }
    Ok(())
}

/// `Err(UndefinedForecast)` unless 0 < σ² < ∞.
fn check_variance(step: usize, variance: f64) -> Result<f64, FitError> {
    if variance > 0.0 && variance.is_finite() {
        Ok(variance)
    } else {
        Err(FitError::UndefinedForecast { step, variance })
    }
}

impl GarchFit {
    /// The recursion state after the last observation (ready to give σ²_{T+1}).
    pub(crate) fn end_state(&self) -> Lags<f64> {
        let vol = &self.model.layout().vol;
        let mut lags = Lags::<f64>::new(vol, self.backcast);
        for (&e, &s2) in self.residuals.iter().zip(&self.variance) {
            lags.push(vol, e, s2, s2.ln());
        }
        lags
    }

    fn vol_theta(&self) -> &[f64] {
        let l = self.model.layout();
        &self.params[l.k_mean()..l.k_mean() + l.k_vol()]
    }

    /// Mean over `paths` simulated paths of σ²_{T+h}, h = 1..=horizon (any model), started
    /// from the fitted state (the last observation's lags, as `arch`'s
    /// `forecast(method="simulation")`), with innovations drawn from the fitted density by the
    /// caller's generator.
    ///
    /// ```text
    /// σ̂²_{T+h} = (1/paths)·Σₚ σ²_{T+h,p},   σ²_{T+1,p} = σ²_{T+1} (known),   zₜ ~ fitted density
    /// ```
    ///
    /// # Errors
    ///
    /// [`FitError::InvalidSetting`] for `paths` = 0 or above [`MAX_FORECAST_PATHS`], a horizon
    /// above [`MAX_HORIZON`], or paths × horizon above [`MAX_SIMULATED_STEPS`];
    /// [`FitError::UndefinedForecast`] if a path's variance leaves (0, ∞).
    ///
    /// ```
    /// use derisk::garch::{GarchModel, VarianceForecast};
    /// use rand::SeedableRng;
    /// let m = GarchModel::garch11_t();
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    /// let sim = m.simulate_with(&[0.0, 0.2, 0.1, 0.8, 8.0], 500, 100, &mut rng)?;
    /// let fit = m.evaluate(&sim.returns, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    /// let f = fit.forecast_variance_simulated(3, 10, &mut rng)?;
    /// // One step ahead every path has the same, known, variance.
    /// assert!((f[0] - fit.forecast_variance(1)?[0]).abs() < 1e-12 * f[0]);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn forecast_variance_simulated<R: Rng + ?Sized>(
        &self,
        horizon: usize,
        paths: usize,
        rng: &mut R,
    ) -> Result<Vec<f64>, FitError> {
        check_horizon(horizon)?;
        if paths == 0 || paths > MAX_FORECAST_PATHS {
            return Err(FitError::InvalidSetting {
                name: "paths",
                value: paths as f64,
            });
        }
        if paths.saturating_mul(horizon) > MAX_SIMULATED_STEPS {
            return Err(FitError::InvalidSetting {
                name: "paths * horizon",
                value: paths as f64 * horizon as f64,
            });
        }
        let vol = self.model.layout().vol;
        let th = self.vol_theta();
        let innov = self.innovation();
        let start = self.end_state();
        let mut sum = vec![0.0; horizon];
        for _ in 0..paths {
            let mut lags = start;
            for (h, s) in sum.iter_mut().enumerate() {
                let (s2, ln_s2) = lags.variance(&vol, th);
                check_variance(h + 1, s2)?;
                *s += s2;
                let z = innov.sample(rng);
                lags.push(&vol, z * s2.sqrt(), s2, ln_s2);
            }
        }
        sum.iter()
            .enumerate()
            .map(|(h, s)| check_variance(h + 1, s / paths as f64))
            .collect()
    }

    /// Variance of the forecast return y_{T+h}: equal to σ²_{T+h} for zero and constant means;
    /// for AR(1), Σ_{j<h} φ₁^{2j}·σ²_{T+h−j} (the mean's impulse response, as `arch` reports).
    ///
    /// ```text
    /// Var_T(y_{T+h}) = Σ_{j=0}^{h−1} ψⱼ²·σ²_{T+h−j},   ψⱼ = φ₁ʲ (AR(1)), ψ₀ = 1, ψⱼ = 0 otherwise
    /// ```
    ///
    /// # Errors
    ///
    /// As [`VarianceForecast::forecast_variance`].
    ///
    /// ```
    /// use derisk::garch::{GarchModel, VarianceForecast};
    /// let m = GarchModel::garch11_t();
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    /// let sim = m.simulate_with(&[0.0, 0.2, 0.1, 0.8, 8.0], 300, 100, &mut rng)?;
    /// let fit = m.evaluate(&sim.returns, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// assert_eq!(fit.forecast_return_variance(4)?, fit.forecast_variance(4)?);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn forecast_return_variance(&self, horizon: usize) -> Result<Vec<f64>, FitError> {
        let s2 = self.forecast_variance(horizon)?;
        if self.model.mean() != super::mean::MeanModel::Ar1 {
            return Ok(s2);
        }
        // Var(y_{T+h}) = σ²_{T+h} + φ₁²·Var(y_{T+h−1}): the same sum, in O(horizon).
        let phi2 = self.params[1] * self.params[1];
        let mut prev = 0.0;
        s2.iter()
            .enumerate()
            .map(|(h, v)| {
                prev = v + phi2 * prev;
                check_variance(h + 1, prev)
            })
            .collect()
    }

    fn analytic_forecast(&self, horizon: usize) -> Result<Vec<f64>, FitError> {
        let vol = self.model.layout().vol;
        let (p, o, q) = vol.orders();
        let th = self.vol_theta();
        let lags = self.end_state();
        // Lags as seen from T+1: a[i] = ε²_{T−i}, b = ε²1(ε<0), c = σ²_{T−i}.
        let mut a: Vec<f64> = lags.a[..p].to_vec();
        let mut b: Vec<f64> = lags.b[..o].to_vec();
        let mut c: Vec<f64> = lags.c[..q].to_vec();
        let mut out = Vec::with_capacity(horizon);
        for h in 0..horizon {
            let mut s2 = th[0];
            for i in 0..p {
                s2 += th[1 + i] * a[i];
            }
            for j in 0..o {
                s2 += th[1 + p + j] * b[j];
            }
            for k in 0..q {
                s2 += th[1 + p + o + k] * c[k];
            }
            out.push(check_variance(h + 1, s2)?);
            a.insert(0, s2);
            a.truncate(p);
            b.insert(0, 0.5 * s2);
            b.truncate(o);
            c.insert(0, s2);
            c.truncate(q);
        }
        Ok(out)
    }
}

impl VarianceForecast for GarchFit {
    /// Analytic for GARCH/GJR; for EGARCH, exact at h = 1 and the mean of
    /// [`EGARCH_FORECAST_PATHS`] simulated paths (seed 0) beyond.
    fn forecast_variance(&self, horizon: usize) -> Result<Vec<f64>, FitError> {
        check_horizon(horizon)?;
        match self.model.layout().vol {
            Volatility::Garch(_) => self.analytic_forecast(horizon),
            Volatility::Egarch(_) => {
                if horizon == 0 {
                    return Ok(Vec::new());
                }
                // σ²_{T+1} is known exactly: check it before simulating from it.
                let (s2, _) = self
                    .end_state()
                    .variance(&self.model.layout().vol, self.vol_theta());
                check_variance(1, s2)?;
                let paths = EGARCH_FORECAST_PATHS
                    .min(MAX_SIMULATED_STEPS / horizon)
                    .max(1);
                // A fixed stream (the all-zero ChaCha20 key), so that the forecast is a
                // function of the fit: Monte Carlo quadrature with fixed nodes, not a draw.
                let mut nodes = ChaCha20Rng::from_seed([0; 32]);
                let mut f = self.forecast_variance_simulated(horizon, paths, &mut nodes)?;
                f[0] = s2;
                Ok(f)
            }
        }
    }
}
