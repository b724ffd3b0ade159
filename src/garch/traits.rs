//! The traits of the GARCH domain: variance recursions, innovation densities and forecasts.

use rand::Rng;

use super::error::FitError;
use super::innovation::uniform_open;
use crate::math::MathError;

/// A conditional-variance recursion σ²ₜ = g(θ; ε₁…εₜ₋₁, σ²₁…σ²ₜ₋₁) (GARCH, GJR, EGARCH).
///
/// Pre-sample values are replaced by `backcast` (the `arch` convention: an exponentially
/// weighted mean of the first 75 squared residuals with weights 0.94ⁱ, see
/// [`backcast`](crate::garch::backcast)). Units: `variance_out` in the square of the residuals'
/// units (percent² for percent returns).
///
/// ```
/// use derisk::garch::{ConditionalVariance, Garch};
/// let mut v = [0.0; 2];
/// Garch::new(1, 0, 1)?.filter(&[0.1, 0.1, 0.8], &[1.0, -2.0], 1.0, &mut v)?;
/// assert!((v[1] - (0.1 + 0.1 * 1.0 + 0.8 * v[0])).abs() < 1e-15);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
pub trait ConditionalVariance {
    /// Number of parameters θ of the recursion.
    fn num_params(&self) -> usize;

    /// Writes σ²ₜ for every residual into `variance_out` (same length as `residuals`).
    ///
    /// # Errors
    ///
    /// [`FitError::ParameterCount`] for a wrong θ or output length;
    /// [`FitError::UndefinedLikelihood`] if a variance is not positive and finite.
    fn filter(
        &self,
        params: &[f64],
        residuals: &[f64],
        backcast: f64,
        variance_out: &mut [f64],
    ) -> Result<(), FitError>;
}

/// A standardised innovation density (mean 0, variance 1): ln pdf, cdf, quantile, sampling.
///
/// ```
/// use derisk::garch::{Innovation, StudentT};
/// let t = StudentT::new(8.0)?;
/// let q = t.quantile(0.05).unwrap();
/// assert!((t.cdf(q) - 0.05).abs() < 1e-14);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
pub trait Innovation {
    /// ln f(z), the log-density at a standardised value z.
    fn ln_pdf(&self, z: f64) -> f64;

    /// P(Z ≤ z).
    fn cdf(&self, z: f64) -> f64;

    /// The p-quantile (for VaR: the loss quantile of a return is −σ·quantile(p)).
    ///
    /// # Errors
    ///
    /// [`MathError::ProbabilityOutOfRange`] unless 0 < p < 1.
    fn quantile(&self, p: f64) -> Result<f64, MathError>;

    /// One draw by inversion: z = quantile(u), u = ((x ≫ 11) + ½)·2⁻⁵³ from one `next_u64`,
    /// so a seeded stream gives the same draws on every platform. The generator is the
    /// caller's (any `rand::Rng`, sized or `dyn`); none is created inside.
    ///
    /// ```
    /// use derisk::garch::{Innovation, Normal};
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    /// let dyn_rng: &mut dyn rand::RngCore = &mut rng;
    /// assert!(Normal.sample(dyn_rng).is_finite());
    /// ```
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64
    where
        Self: Sized,
    {
        // u lies strictly inside (0, 1), where every quantile of the crate is finite.
        self.quantile(uniform_open(rng)).unwrap_or(f64::NAN)
    }
}

/// Anything that forecasts the conditional variance h = 1, 2, … steps ahead.
///
/// Horizons are bounded by [`MAX_HORIZON`](crate::garch::MAX_HORIZON) so that a forecast never
/// asks for more memory than it can get.
///
/// ```
/// use derisk::garch::{Ewma, VarianceForecast};
/// let f = Ewma::riskmetrics().fit(&[1.0, -1.0, 2.0])?;
/// assert_eq!(f.forecast_variance(3)?.len(), 3);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
pub trait VarianceForecast {
    /// σ²_{T+1}, …, σ²_{T+horizon}, in the square of the data's units; every value positive
    /// and finite.
    ///
    /// # Errors
    ///
    /// [`FitError::InvalidSetting`] for a horizon above
    /// [`MAX_HORIZON`](crate::garch::MAX_HORIZON); [`FitError::UndefinedForecast`] where the
    /// model's recursion leaves (0, ∞) (an overflow or underflow of the variance).
    fn forecast_variance(&self, horizon: usize) -> Result<Vec<f64>, FitError>;

    /// Annualised volatility term structure: for each H ≤ horizon,
    /// √(periods_per_year/H · Σ_{h≤H} σ²_{T+h}), in the data's units (percent for percent returns).
    ///
    /// # Errors
    ///
    /// Those of [`VarianceForecast::forecast_variance`]; [`FitError::InvalidSetting`] unless
    /// `periods_per_year` is positive and finite; [`FitError::UndefinedForecast`] if a cumulated
    /// variance overflows or a volatility underflows to 0.
    ///
    /// ```
    /// use derisk::garch::{Ewma, VarianceForecast};
    /// let f = Ewma::new(0.9)?.fit(&[2.0])?;              // flat forecast σ² = 4
    /// assert_eq!(f.annualized_vol_term_structure(2, 365.0)?, vec![(365.0f64 * 4.0).sqrt(); 2]);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    fn annualized_vol_term_structure(
        &self,
        horizon: usize,
        periods_per_year: f64,
    ) -> Result<Vec<f64>, FitError> {
        if !(periods_per_year > 0.0 && periods_per_year.is_finite()) {
            return Err(FitError::InvalidSetting {
                name: "periods_per_year",
                value: periods_per_year,
            });
        }
        let f = self.forecast_variance(horizon)?;
        let mut cum = 0.0;
        f.iter()
            .enumerate()
            .map(|(i, v)| {
                cum += v;
                let vol = (periods_per_year * cum / (i + 1) as f64).sqrt();
                // Positive and finite: an underflow (a subnormal periods_per_year) is an error too.
                if vol > 0.0 && vol.is_finite() {
                    Ok(vol)
                } else {
                    Err(FitError::UndefinedForecast {
                        step: i + 1,
                        variance: cum,
                    })
                }
            })
            .collect()
    }
}
