//! Filtered historical simulation: bootstrapped standardised residuals through the fitted
//! GARCH recursion.

use rand::Rng;

use super::draws::uniform;
use super::error::{positive, steps, SimError};
use super::gbm::check_len;
use super::traits::PathGenerator;
use crate::garch::{GarchFit, PathState, SimulationStart};

/// Filtered historical simulation (FHS): each step's innovation is one of the fit's own
/// standardised residuals, drawn uniformly with replacement, pushed through the fitted
/// recursion from the fit's last state, so the paths keep the empirical shape of the
/// residuals (fat tails, skew) and the model's volatility clustering.
///
/// ```text
/// ẑ_s = ε̂_s / σ̂_s, s = 1..n  (the fit's standardised residuals)
/// zₜ = ẑ_{⌊n·uₜ⌋+1},  uₜ ~ U(0, 1);  εₜ = σₜ zₜ,  yₜ = mean + εₜ,  σ²ₜ₊₁ from the recursion
/// out[t] = scale · yₜ
/// ```
///
/// The residuals are not re-standardised (as `arch`'s `forecast(method="bootstrap")`).
/// Reference: G. Barone-Adesi, K. Giannopoulos and L. Vosper, "VaR without correlations for
/// portfolios of derivative securities", *J. Futures Markets* 19 (1999); Barone-Adesi, Bourgoin
/// and Giannopoulos, "Don't look back", *Risk* 11 (1998).
///
/// ```
/// use derisk::garch::GarchModel;
/// use derisk::sim::{Fhs, PathGenerator};
/// use rand::SeedableRng;
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
/// let fhs = Fhs::new(&fit, 1)?;
/// let mut one = [0.0];
/// fhs.fill(&mut rand_chacha::ChaCha20Rng::seed_from_u64(4), &mut one)?;
/// // one step: the mean plus σ_{T+1} times one of the fit's standardised residuals
/// let s1 = derisk::garch::VarianceForecast::forecast_variance(&fit, 1)?[0].sqrt();
/// let z = (one[0] - 0.1) / s1;
/// assert!(fit.standardized_residuals().iter().any(|r| (r - z).abs() < 1e-12));
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Clone)]
pub struct Fhs {
    state: PathState,
    residuals: Vec<f64>,
    steps: usize,
    scale: f64,
}

impl std::fmt::Debug for Fhs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fhs")
            .field("residuals", &self.residuals.len())
            .field("steps", &self.steps)
            .field("scale", &self.scale)
            .finish_non_exhaustive()
    }
}

impl Fhs {
    /// FHS paths of `steps` steps from `fit`'s last state, bootstrapping its standardised
    /// residuals.
    ///
    /// ```text
    /// ẑ = residuals / √(conditional variance), at least 2 of them, all finite
    /// ```
    ///
    /// Reference: Barone-Adesi, Giannopoulos and Vosper (1999).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] for steps = 0 or above [`MAX_STEPS`](super::MAX_STEPS);
    /// [`SimError::TooShort`] for fewer than 2 residuals; [`SimError::NonFinite`] for a
    /// non-finite standardised residual.
    ///
    /// ```
    /// # use derisk::garch::GarchModel;
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::sim::{Fhs, SimError};
    /// assert!(matches!(Fhs::new(&fit, 0), Err(SimError::InvalidParameter { name: "steps", .. })));
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(fit: &GarchFit, n_steps: usize) -> Result<Self, SimError> {
        let n_steps = steps(n_steps)?;
        let residuals = fit.standardized_residuals();
        if residuals.len() < 2 {
            return Err(SimError::TooShort {
                name: "standardized residuals",
                len: residuals.len(),
                min: 2,
            });
        }
        if let Some((index, &value)) = residuals.iter().enumerate().find(|(_, z)| !z.is_finite()) {
            return Err(SimError::NonFinite {
                name: "standardized residuals",
                index,
                value,
            });
        }
        Ok(Self {
            state: fit.path_state(SimulationStart::FittedState),
            residuals,
            steps: n_steps,
            scale: 1.0,
        })
    }

    /// The same paths multiplied by `scale` (0.01 turns percent returns into decimals).
    ///
    /// ```text
    /// out[t] = scale · yₜ
    /// ```
    ///
    /// Reference: `arch` documentation (rescaling, 8.0, 2025).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] unless scale is finite and positive.
    ///
    /// ```
    /// # use derisk::garch::GarchModel;
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert!(derisk::sim::Fhs::new(&fit, 1)?.scaled(f64::NAN).is_err());
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn scaled(mut self, scale: f64) -> Result<Self, SimError> {
        self.scale = positive("scale", scale)?;
        Ok(self)
    }

    /// The standardised residuals the paths resample.
    ///
    /// ```text
    /// ẑ_s = ε̂_s / σ̂_s
    /// ```
    ///
    /// ```
    /// # use derisk::garch::GarchModel;
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// assert_eq!(derisk::sim::Fhs::new(&fit, 1)?.residuals(), &fit.standardized_residuals()[..]);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn residuals(&self) -> &[f64] {
        &self.residuals
    }
}

impl PathGenerator for Fhs {
    fn steps(&self) -> usize {
        self.steps
    }

    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        check_len(out.len(), self.steps)?;
        let n = self.residuals.len();
        let mut s = self.state;
        for (t, x) in out.iter_mut().enumerate() {
            // u < 1, so ⌊n·u⌋ ≤ n − 1; the min guards the rounding of n·u at u's top.
            let i = ((n as f64 * uniform(rng)) as usize).min(n - 1);
            *x = self.scale * s.step(self.residuals[i], t)?.0;
        }
        Ok(())
    }
}
