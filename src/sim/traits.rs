//! The path-generator trait every simulator of [`crate::sim`] implements.

use rand::Rng;

use super::antithetic::Mirrored;
use super::error::SimError;

/// Writes simulated paths of log-returns into the caller's buffers.
///
/// A path is `steps()` rows of `assets()` values, row-major: the log-return of asset a over
/// step t is `path[t·assets + a]` (in the generator's units: decimals for [`Gbm`](super::Gbm) and
/// [`Merton`](super::Merton), the fit's units, e.g. percent, scaled by `scale` for GARCH-driven
/// paths). Only [`PathGenerator::fill`] is required; the provided methods write many paths, or
/// their per-asset sums over the steps (the h-step log-return), into caller buffers without
/// allocating per path. The generator is the caller's (`rand::Rng`); none is created inside, so
/// a seeded stream gives the same paths bit for bit.
///
/// ```text
/// terminal[i·assets + a] = Σ_t path_i[t·assets + a]      (ln S_T/S_0 of asset a on path i)
/// ```
///
/// Reference: P. Glasserman, *Monte Carlo Methods in Financial Engineering* (2003), §3.
///
/// ```
/// use derisk::sim::{Gbm, PathGenerator};
/// use rand::SeedableRng;
/// let gbm = Gbm::new(0.05, 0.6, 1.0 / 365.0, 10)?;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
/// let (mut scratch, mut sums) = (vec![0.0; gbm.path_len()], vec![0.0; 1000]);
/// gbm.terminal_many(&mut rng, &mut scratch, &mut sums)?;
/// let mean = sums.iter().sum::<f64>() / 1000.0;
/// assert!((mean - (0.05 - 0.18) * 10.0 / 365.0).abs() < 4.0 * 0.6 * (10.0f64 / 365.0 / 1000.0).sqrt());
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
pub trait PathGenerator {
    /// Number of time steps of one path.
    fn steps(&self) -> usize;

    /// Number of assets simulated together (1 unless joint).
    fn assets(&self) -> usize {
        1
    }

    /// Values of one path: steps × assets.
    fn path_len(&self) -> usize {
        self.steps() * self.assets()
    }

    /// Writes one path of log-returns into `out` (length [`PathGenerator::path_len`]).
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] if `out` has the wrong length; [`SimError::Overflow`] or
    /// [`SimError::Garch`] if the path explodes.
    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError>;

    /// Writes `out.len() / path_len()` paths one after the other; returns their number.
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] unless `out.len()` is a positive multiple of the path length;
    /// as [`PathGenerator::fill`].
    fn fill_many<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<usize, SimError> {
        let len = self.path_len();
        if out.is_empty() || !out.len().is_multiple_of(len) {
            return Err(SimError::BufferLength {
                name: "paths",
                len: out.len(),
                expected: len,
            });
        }
        for path in out.chunks_exact_mut(len) {
            self.fill(rng, path)?;
        }
        Ok(out.len() / len)
    }

    /// Simulates `out.len() / assets()` paths and writes each asset's summed log-return over the
    /// steps; `scratch` (length [`PathGenerator::path_len`]) holds one path at a time.
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] for a wrong `scratch` or an `out` that is empty or not a
    /// multiple of the number of assets; as [`PathGenerator::fill`].
    fn terminal_many<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        scratch: &mut [f64],
        out: &mut [f64],
    ) -> Result<(), SimError> {
        let d = self.assets();
        check_terminal(self.path_len(), d, scratch, out)?;
        for sums in out.chunks_exact_mut(d) {
            self.fill(rng, scratch)?;
            row_sums(scratch, sums);
        }
        Ok(())
    }

    /// [`PathGenerator::terminal_many`] with antithetic variates: path i of `mirror` is driven by
    /// the complemented random stream of path i of `out` (every uniform u becomes 1 − u, so
    /// every normal z becomes −z; see [`Mirrored`]). The pair averages (outᵢ + mirrorᵢ)/2 are
    /// i.i.d., with less variance than one path for a monotone payoff. The generator is cloned
    /// to replay each path's stream.
    ///
    /// ```text
    /// Ŷ = (1/n) Σ_i (f(Xᵢ) + f(X̃ᵢ))/2,   X̃ᵢ driven by 1 − uᵢ
    /// ```
    ///
    /// Reference: Glasserman (2003), §4.2.
    ///
    /// # Errors
    ///
    /// As [`PathGenerator::terminal_many`]; [`SimError::BufferLength`] if `mirror` and `out`
    /// differ in length.
    ///
    /// ```
    /// use derisk::sim::{Gbm, PathGenerator};
    /// use rand::SeedableRng;
    /// let gbm = Gbm::new(0.0, 0.5, 1.0 / 365.0, 5)?;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    /// let (mut s, mut a, mut b) = (vec![0.0; 5], vec![0.0; 4], vec![0.0; 4]);
    /// gbm.terminal_antithetic(&mut rng, &mut s, &mut a, &mut b)?;
    /// let drift = 5.0 * (-0.125) / 365.0;               // (μ − σ²/2)·T
    /// assert!(((a[0] - drift) + (b[0] - drift)).abs() < 1e-15);  // mirrored shocks cancel
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    fn terminal_antithetic<R: Rng + Clone>(
        &self,
        rng: &mut R,
        scratch: &mut [f64],
        out: &mut [f64],
        mirror: &mut [f64],
    ) -> Result<(), SimError> {
        let d = self.assets();
        check_terminal(self.path_len(), d, scratch, out)?;
        if mirror.len() != out.len() {
            return Err(SimError::BufferLength {
                name: "mirror",
                len: mirror.len(),
                expected: out.len(),
            });
        }
        for (sums, twin) in out.chunks_exact_mut(d).zip(mirror.chunks_exact_mut(d)) {
            let mut replay = Mirrored(rng.clone());
            self.fill(rng, scratch)?;
            row_sums(scratch, sums);
            self.fill(&mut replay, scratch)?;
            row_sums(scratch, twin);
        }
        Ok(())
    }
}

/// Checks the buffers of a terminal-sum call.
fn check_terminal(len: usize, d: usize, scratch: &[f64], out: &[f64]) -> Result<(), SimError> {
    if scratch.len() != len {
        return Err(SimError::BufferLength {
            name: "scratch",
            len: scratch.len(),
            expected: len,
        });
    }
    if out.is_empty() || !out.len().is_multiple_of(d) {
        return Err(SimError::BufferLength {
            name: "terminal",
            len: out.len(),
            expected: d,
        });
    }
    Ok(())
}

/// sums[a] = Σ_t path[t·d + a].
fn row_sums(path: &[f64], sums: &mut [f64]) {
    sums.fill(0.0);
    for row in path.chunks_exact(sums.len()) {
        for (s, x) in sums.iter_mut().zip(row) {
            *s += x;
        }
    }
}

/// Forwards every method (provided ones included) to the pointee, so `&G`, `Box<G>` and
/// `Arc<G>` are generators wherever `G` is.
macro_rules! forward_path_generator {
    ($($ptr:ty),*) => {$(
        impl<G: PathGenerator + ?Sized> PathGenerator for $ptr {
            fn steps(&self) -> usize {
                (**self).steps()
            }
            fn assets(&self) -> usize {
                (**self).assets()
            }
            fn path_len(&self) -> usize {
                (**self).path_len()
            }
            fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
                (**self).fill(rng, out)
            }
            fn fill_many<R: Rng + ?Sized>(
                &self,
                rng: &mut R,
                out: &mut [f64],
            ) -> Result<usize, SimError> {
                (**self).fill_many(rng, out)
            }
            fn terminal_many<R: Rng + ?Sized>(
                &self,
                rng: &mut R,
                scratch: &mut [f64],
                out: &mut [f64],
            ) -> Result<(), SimError> {
                (**self).terminal_many(rng, scratch, out)
            }
            fn terminal_antithetic<R: Rng + Clone>(
                &self,
                rng: &mut R,
                scratch: &mut [f64],
                out: &mut [f64],
                mirror: &mut [f64],
            ) -> Result<(), SimError> {
                (**self).terminal_antithetic(rng, scratch, out, mirror)
            }
        }
    )*};
}

forward_path_generator!(&G, Box<G>, std::sync::Arc<G>);
