//! Geometric Brownian motion with exact log-normal steps.

use rand::Rng;

use super::draws::normal;
use super::error::{finite, non_negative, positive, steps, SimError};
use super::traits::PathGenerator;

/// Geometric Brownian motion dS = μS dt + σS dW, simulated exactly on a grid of `steps` steps
/// of `dt` years: each step's log-return is normal.
///
/// ```text
/// ln(S_{t+dt}/S_t) = (μ − σ²/2)·dt + σ·√dt·z,   z ~ N(0, 1)
/// E[S_T] = S_0·e^{μT},   Var[ln S_T/S_0] = σ²T,   T = steps·dt
/// ```
///
/// μ (drift) and σ (volatility) are continuously compounded decimals per year; dt in years.
/// Reference: Glasserman (2003), §3.2.1; F. Black and M. Scholes, *J. Political Economy* 81
/// (1973).
///
/// ```
/// use derisk::sim::{Gbm, PathGenerator};
/// use rand::SeedableRng;
/// let gbm = Gbm::new(0.0, 0.0, 0.5, 2)?;            // no volatility: the drift correction only
/// let mut path = [0.0; 2];
/// gbm.fill(&mut rand_chacha::ChaCha20Rng::seed_from_u64(1), &mut path)?;
/// assert_eq!(path, [0.0, 0.0]);
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gbm {
    drift: f64,
    vol: f64,
    dt: f64,
    steps: usize,
}

impl Gbm {
    /// A GBM with drift μ, volatility σ ≥ 0 (per year), step dt > 0 (years) and `steps` ≥ 1.
    ///
    /// ```text
    /// per step: mean (μ − σ²/2)·dt, standard deviation σ·√dt
    /// ```
    ///
    /// Reference: Glasserman (2003), §3.2.1.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] for a non-finite μ, σ < 0 or non-finite, dt ≤ 0 or
    /// non-finite, steps = 0 or above [`MAX_STEPS`](super::MAX_STEPS).
    ///
    /// ```
    /// let g = derisk::sim::Gbm::new(0.1, 0.5, 1.0 / 365.0, 30)?;
    /// assert_eq!(g.horizon(), 30.0 / 365.0);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn new(drift: f64, vol: f64, dt: f64, n_steps: usize) -> Result<Self, SimError> {
        Ok(Self {
            drift: finite("drift", drift)?,
            vol: non_negative("vol", vol)?,
            dt: positive("dt", dt)?,
            steps: steps(n_steps)?,
        })
    }

    /// The horizon T = steps·dt in years.
    ///
    /// ```text
    /// T = steps · dt
    /// ```
    ///
    /// ```
    /// assert_eq!(derisk::sim::Gbm::new(0.0, 0.2, 0.25, 4)?.horizon(), 1.0);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn horizon(&self) -> f64 {
        self.steps as f64 * self.dt
    }
}

impl PathGenerator for Gbm {
    fn steps(&self) -> usize {
        self.steps
    }

    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        check_len(out.len(), self.steps)?;
        let m = (self.drift - 0.5 * self.vol * self.vol) * self.dt;
        let s = self.vol * self.dt.sqrt();
        for x in out.iter_mut() {
            *x = m + s * normal(rng);
        }
        Ok(())
    }
}

/// [`SimError::BufferLength`] unless `len == expected`.
pub(crate) fn check_len(len: usize, expected: usize) -> Result<(), SimError> {
    if len == expected {
        Ok(())
    } else {
        Err(SimError::BufferLength {
            name: "path",
            len,
            expected,
        })
    }
}
