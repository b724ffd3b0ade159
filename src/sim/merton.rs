//! Merton's jump diffusion: GBM plus compound-Poisson log-normal jumps.

use rand::Rng;

use super::draws::{normal, poisson, uniform, MAX_POISSON_MEAN};
use super::error::{finite, non_negative, positive, steps, SimError};
use super::gbm::check_len;
use super::traits::PathGenerator;

/// Merton's (1976) jump diffusion, simulated exactly on a grid: a GBM plus, on each step, a
/// Poisson number of jumps whose log-sizes are normal; the drift is compensated so the
/// expected price grows at μ whatever the jumps.
///
/// ```text
/// ln(S_{t+dt}/S_t) = (μ − σ²/2 − λκ)·dt + σ√dt·z₁ + N·m + δ√N·z₂
/// N ~ Poisson(λ·dt),  z₁, z₂ ~ N(0, 1),  κ = e^{m + δ²/2} − 1
/// E[S_T] = S_0·e^{μT};  E[ln S_T/S_0] = (μ − σ²/2 − λκ + λm)·T;  Var[ln S_T/S_0] = (σ² + λ(m² + δ²))·T
/// ```
///
/// μ, σ per year (decimals), λ jumps per year, m and δ the mean and standard deviation of one
/// jump's log-size. Each step draws exactly three uniforms (z₁, N by inversion, z₂), so the
/// antithetic stream mirrors every part. Reference: R. C. Merton, "Option pricing when
/// underlying stock returns are discontinuous", *J. Financial Economics* 3 (1976); Glasserman
/// (2003), §3.5.1.
///
/// ```
/// use derisk::sim::Merton;
/// let m = Merton::new(0.05, 0.5, 2.0, -0.1, 0.15, 1.0 / 365.0, 365)?;
/// let var = (0.25 + 2.0 * (0.01 + 0.0225)) * 1.0;
/// assert!((m.log_return_variance() - var).abs() < 1e-15);
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Merton {
    drift: f64,
    vol: f64,
    intensity: f64,
    jump_mean: f64,
    jump_vol: f64,
    dt: f64,
    steps: usize,
}

impl Merton {
    /// A jump diffusion with drift μ, diffusion volatility σ ≥ 0, jump intensity λ ≥ 0 per year,
    /// jump log-size mean m and standard deviation δ ≥ 0, step dt > 0 years, `steps` ≥ 1.
    ///
    /// ```text
    /// λ·dt ≤ 100 (the Poisson inversion's range)
    /// ```
    ///
    /// Reference: Merton (1976).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] for non-finite μ or m, negative or non-finite σ, λ or δ,
    /// dt ≤ 0, λ·dt > 100, steps = 0 or above [`MAX_STEPS`](super::MAX_STEPS).
    ///
    /// ```
    /// use derisk::sim::{Merton, SimError};
    /// assert!(matches!(
    ///     Merton::new(0.0, 0.5, -1.0, 0.0, 0.1, 0.01, 10),
    ///     Err(SimError::InvalidParameter { name: "intensity", .. })
    /// ));
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        drift: f64,
        vol: f64,
        intensity: f64,
        jump_mean: f64,
        jump_vol: f64,
        dt: f64,
        n_steps: usize,
    ) -> Result<Self, SimError> {
        let m = Self {
            drift: finite("drift", drift)?,
            vol: non_negative("vol", vol)?,
            intensity: non_negative("intensity", intensity)?,
            jump_mean: finite("jump_mean", jump_mean)?,
            jump_vol: non_negative("jump_vol", jump_vol)?,
            dt: positive("dt", dt)?,
            steps: steps(n_steps)?,
        };
        if m.intensity * m.dt > MAX_POISSON_MEAN {
            return Err(SimError::InvalidParameter {
                name: "intensity",
                value: intensity,
                reason: "intensity times dt must not exceed 100 jumps per step",
            });
        }
        if !m.compensator().is_finite() {
            return Err(SimError::InvalidParameter {
                name: "jump_mean",
                value: jump_mean,
                reason: "the mean jump size e^(m + jump_vol^2/2) overflows",
            });
        }
        Ok(m)
    }

    /// The horizon T = steps·dt in years.
    ///
    /// ```text
    /// T = steps · dt
    /// ```
    ///
    /// ```
    /// let m = derisk::sim::Merton::new(0.0, 0.2, 1.0, 0.0, 0.1, 0.5, 4)?;
    /// assert_eq!(m.horizon(), 2.0);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn horizon(&self) -> f64 {
        self.steps as f64 * self.dt
    }

    /// λκ: the drift the jumps would add to the price, removed from the diffusion's drift.
    fn compensator(&self) -> f64 {
        self.intensity * (self.jump_mean + 0.5 * self.jump_vol * self.jump_vol).exp_m1()
    }

    /// The mean of ln(S_T/S_0) over the whole horizon.
    ///
    /// ```text
    /// E[ln S_T/S_0] = (μ − σ²/2 − λκ + λm)·T
    /// ```
    ///
    /// Reference: Merton (1976).
    ///
    /// ```
    /// let m = derisk::sim::Merton::new(0.1, 0.0, 1.0, 0.0, 0.0, 1.0, 1)?;  // jumps of size 0
    /// assert_eq!(m.log_return_mean(), 0.1);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn log_return_mean(&self) -> f64 {
        (self.drift - 0.5 * self.vol * self.vol - self.compensator()
            + self.intensity * self.jump_mean)
            * self.horizon()
    }

    /// The variance of ln(S_T/S_0) over the whole horizon.
    ///
    /// ```text
    /// Var[ln S_T/S_0] = (σ² + λ(m² + δ²))·T
    /// ```
    ///
    /// Reference: Merton (1976).
    ///
    /// ```
    /// let m = derisk::sim::Merton::new(0.0, 0.3, 0.0, 0.0, 0.0, 1.0, 2)?;   // no jumps: GBM
    /// assert!((m.log_return_variance() - 0.18).abs() < 1e-16);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn log_return_variance(&self) -> f64 {
        (self.vol * self.vol
            + self.intensity * (self.jump_mean * self.jump_mean + self.jump_vol * self.jump_vol))
            * self.horizon()
    }
}

impl PathGenerator for Merton {
    fn steps(&self) -> usize {
        self.steps
    }

    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        check_len(out.len(), self.steps)?;
        let c = (self.drift - 0.5 * self.vol * self.vol - self.compensator()) * self.dt;
        let s = self.vol * self.dt.sqrt();
        let lam = self.intensity * self.dt;
        for x in out.iter_mut() {
            let z1 = normal(rng);
            let n = f64::from(poisson(lam, uniform(rng)));
            let z2 = normal(rng);
            *x = c + s * z1 + n * self.jump_mean + self.jump_vol * n.sqrt() * z2;
        }
        Ok(())
    }
}
