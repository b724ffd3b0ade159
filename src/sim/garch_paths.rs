//! GARCH-driven paths continuing from a fitted model's state.

use rand::Rng;

use super::error::{positive, steps, SimError};
use super::gbm::check_len;
use super::traits::PathGenerator;
use crate::garch::{GarchFit, Innovation, PathState, SimulationStart};

/// Paths of a fitted GARCH-family model: innovations drawn from the fitted density, pushed
/// through the fitted recursion from the fit's last state (σ²_{T+1}, the last residual and
/// return), as `arch`'s `forecast(method="simulation")`.
///
/// ```text
/// zₜ ~ F_θ (the fitted innovation, by inversion),  εₜ = σₜ zₜ,  yₜ = mean + εₜ
/// σ²ₜ₊₁ from the fitted recursion (GARCH, GJR or EGARCH);  out[t] = scale · yₜ
/// ```
///
/// The recursion is garch's own (the one every simulation of the crate uses). `scale` converts
/// the fit's units to decimal log-returns (0.01 for a fit on percent returns; 1 by default).
/// Reference: T. Bollerslev (1986); K. Sheppard, `arch` documentation, "Forecasting:
/// simulation" (version 8.0, 2025).
///
/// ```
/// use derisk::garch::{GarchModel, SimulationStart, VarianceForecast};
/// use derisk::sim::{GarchPaths, PathGenerator};
/// use rand::SeedableRng;
/// let m = GarchModel::garch11_t();
/// let th = [0.0, 0.2, 0.1, 0.8, 8.0];
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
/// let fit = m.evaluate(&m.simulate_with(&th, 500, 100, &mut rng)?.returns, &th)?;
/// let paths = GarchPaths::new(&fit, 5, SimulationStart::FittedState)?;
/// let (mut a, mut r1, mut r2) = ([0.0; 5], rng.clone(), rng);
/// paths.fill(&mut r1, &mut a)?;
/// let same = fit.simulate(5, SimulationStart::FittedState, &mut r2)?;   // garch's simulation
/// assert_eq!(a.to_vec(), same.returns);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Clone)]
pub struct GarchPaths {
    state: PathState,
    steps: usize,
    scale: f64,
}

impl std::fmt::Debug for GarchPaths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GarchPaths")
            .field("steps", &self.steps)
            .field("scale", &self.scale)
            .finish_non_exhaustive()
    }
}

impl GarchPaths {
    /// Paths of `steps` steps of `fit`, starting from `start` (the fitted state by default).
    ///
    /// ```text
    /// FittedState: σ²₁ = σ²_{T+1};  Unconditional: σ²₁ from ω/(1 − persistence)
    /// ```
    ///
    /// Reference: `arch` documentation, "Forecasting: simulation" (8.0, 2025).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] for steps = 0 or above [`MAX_STEPS`](super::MAX_STEPS).
    ///
    /// ```
    /// # use derisk::garch::{GarchModel, SimulationStart};
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::sim::{GarchPaths, PathGenerator};
    /// let p = GarchPaths::new(&fit, 10, SimulationStart::FittedState)?;
    /// assert_eq!(p.path_len(), 10);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(fit: &GarchFit, n_steps: usize, start: SimulationStart) -> Result<Self, SimError> {
        Ok(Self {
            state: fit.path_state(start),
            steps: steps(n_steps)?,
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
    /// # use derisk::garch::{GarchModel, SimulationStart};
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::sim::GarchPaths;
    /// assert!(GarchPaths::new(&fit, 1, SimulationStart::FittedState)?.scaled(0.0).is_err());
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn scaled(mut self, scale: f64) -> Result<Self, SimError> {
        self.scale = positive("scale", scale)?;
        Ok(self)
    }
}

impl PathGenerator for GarchPaths {
    fn steps(&self) -> usize {
        self.steps
    }

    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        check_len(out.len(), self.steps)?;
        let mut s = self.state;
        for (t, x) in out.iter_mut().enumerate() {
            let z = s.innovation().sample(rng);
            *x = self.scale * s.step(z, t)?.0;
        }
        Ok(())
    }
}
