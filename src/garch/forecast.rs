//! Variance forecasts from a fitted model: analytic for GARCH/GJR, by simulation for EGARCH
//! (as `arch` does), and annualised volatility term structures.
//!
//! ```text
//! GARCH/GJR  σ²_{T+h} = ω + Σᵢ αᵢ·E ε²_{T+h−i} + Σⱼ γⱼ·E[ε²1(ε<0)]_{T+h−j} + Σₖ βₖ·σ²_{T+h−k}
//!            with E ε²_{T+s} = σ²_{T+s} and E[ε²1(ε<0)]_{T+s} = ½σ²_{T+s} for s ≥ 1
//! GARCH(1,1) σ²_{T+h} = σ̄² + (α + β)^{h−1}·(σ²_{T+1} − σ̄²)
//! EGARCH     σ²_{T+1} exact; h ≥ 2 the mean of simulated σ²_{T+h} over seeded paths
//! ```

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::result::GarchFit;
use super::simulate::seed_bytes;
use super::traits::{Innovation, VarianceForecast};
use super::variance::{Lags, Volatility};

/// Paths used by the EGARCH simulation forecast of [`VarianceForecast::forecast_variance`].
///
/// ```
/// assert_eq!(derisk::garch::EGARCH_FORECAST_PATHS, 10_000);
/// ```
pub const EGARCH_FORECAST_PATHS: usize = 10_000;

impl GarchFit {
    /// The recursion state after the last observation (ready to give σ²_{T+1}).
    fn end_state(&self) -> Lags<f64> {
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

    /// Mean over `paths` seeded paths of the simulated σ²_{T+h}, h = 1..=horizon (any model).
    ///
    /// Draws come from the fitted innovation density and a ChaCha20 stream seeded with `seed`.
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// let m = GarchModel::garch11_t();
    /// let sim = m.simulate(&[0.0, 0.2, 0.1, 0.8, 8.0], 500, 100, 1)?;
    /// let fit = m.evaluate(&sim.returns, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// let f = fit.forecast_variance_simulated(3, 2000, 9);
    /// assert_eq!(f.len(), 3);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn forecast_variance_simulated(&self, horizon: usize, paths: usize, seed: u64) -> Vec<f64> {
        let vol = self.model.layout().vol;
        let th = self.vol_theta();
        let innov = self.innovation();
        let start = self.end_state();
        let mut rng = ChaCha20Rng::from_seed(seed_bytes(seed));
        let mut sum = vec![0.0; horizon];
        for _ in 0..paths.max(1) {
            let mut lags = start;
            for s in sum.iter_mut() {
                let (s2, ln_s2) = lags.variance(&vol, th);
                *s += s2;
                let z = innov.sample(&mut rng);
                lags.push(&vol, z * s2.sqrt(), s2, ln_s2);
            }
        }
        sum.iter().map(|s| s / paths.max(1) as f64).collect()
    }

    /// Variance of the forecast return y_{T+h}: equal to σ²_{T+h} for zero and constant means;
    /// for AR(1), Σ_{j<h} φ₁^{2j}·σ²_{T+h−j} (the mean's impulse response, as `arch` reports).
    ///
    /// ```text
    /// Var_T(y_{T+h}) = Σ_{j=0}^{h−1} ψⱼ²·σ²_{T+h−j},   ψⱼ = φ₁ʲ (AR(1)), ψ₀ = 1, ψⱼ = 0 otherwise
    /// ```
    ///
    /// ```
    /// use derisk::garch::{GarchModel, VarianceForecast};
    /// let m = GarchModel::garch11_t();
    /// let sim = m.simulate(&[0.0, 0.2, 0.1, 0.8, 8.0], 300, 100, 3)?;
    /// let fit = m.evaluate(&sim.returns, &[0.0, 0.2, 0.1, 0.8, 8.0])?;
    /// assert_eq!(fit.forecast_return_variance(4), fit.forecast_variance(4));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn forecast_return_variance(&self, horizon: usize) -> Vec<f64> {
        let s2 = self.forecast_variance(horizon);
        if self.model.mean() != super::mean::MeanModel::Ar1 {
            return s2;
        }
        let phi2 = self.params[1] * self.params[1];
        (0..horizon)
            .map(|h| {
                let mut w = 1.0;
                let mut total = 0.0;
                for j in 0..=h {
                    total += w * s2[h - j];
                    w *= phi2;
                }
                total
            })
            .collect()
    }

    fn analytic_forecast(&self, horizon: usize) -> Vec<f64> {
        let vol = self.model.layout().vol;
        let (p, o, q) = vol.orders();
        let th = self.vol_theta();
        let lags = self.end_state();
        // Lags as seen from T+1: a[i] = ε²_{T−i}, b = ε²1(ε<0), c = σ²_{T−i}.
        let mut a: Vec<f64> = lags.a[..p].to_vec();
        let mut b: Vec<f64> = lags.b[..o].to_vec();
        let mut c: Vec<f64> = lags.c[..q].to_vec();
        let mut out = Vec::with_capacity(horizon);
        for _ in 0..horizon {
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
            out.push(s2);
            a.insert(0, s2);
            a.truncate(p);
            b.insert(0, 0.5 * s2);
            b.truncate(o);
            c.insert(0, s2);
            c.truncate(q);
        }
        out
    }
}

impl VarianceForecast for GarchFit {
    /// Analytic for GARCH/GJR; for EGARCH, exact at h = 1 and the mean of
    /// [`EGARCH_FORECAST_PATHS`] simulated paths (seed 0) beyond.
    fn forecast_variance(&self, horizon: usize) -> Vec<f64> {
        match self.model.layout().vol {
            Volatility::Garch(_) => self.analytic_forecast(horizon),
            Volatility::Egarch(_) => {
                let mut f = self.forecast_variance_simulated(horizon, EGARCH_FORECAST_PATHS, 0);
                if let Some(first) = f.first_mut() {
                    let (s2, _) = self
                        .end_state()
                        .variance(&self.model.layout().vol, self.vol_theta());
                    *first = s2;
                }
                f
            }
        }
    }
}
