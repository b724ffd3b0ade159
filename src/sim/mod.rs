//! Seeded simulation: paths of log-returns written into the caller's buffers, with the
//! caller's random generator (none is created inside, so a seeded ChaCha stream gives the same
//! paths bit for bit). The maths is in docs/sim.md.
//!
//! | question | answer |
//! |---|---|
//! | lognormal paths? | [`Gbm`] |
//! | with jumps? | [`Merton`] |
//! | from a fitted GARCH's last state? | [`GarchPaths`] (fitted innovations), [`Fhs`] (bootstrapped residuals) |
//! | BTC and ETH together? | [`Copula`] (Gaussian, Student-t) over a [`Correlation`], [`CopulaGarch`] |
//! | fewer paths for the same error? | [`PathGenerator::terminal_antithetic`], [`Mirrored`] |
//! | how precise is the estimate? | [`McEstimate`] |
//!
//! ```
//! use derisk::sim::{Gbm, McEstimate, PathGenerator};
//! use rand::SeedableRng;
//! let gbm = Gbm::new(0.0, 0.6, 1.0 / 365.0, 10)?;
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(42);
//! let (mut scratch, mut x) = (vec![0.0; 10], vec![0.0; 4000]);
//! gbm.terminal_many(&mut rng, &mut scratch, &mut x)?;
//! let growth: Vec<f64> = x.iter().map(|r| r.exp()).collect();   // S_T / S_0
//! let e = McEstimate::mean(&growth)?;
//! assert!(e.z_score(1.0).abs() < 3.0);                            // E[S_T/S_0] = e^{μT} = 1
//! # Ok::<(), derisk::sim::SimError>(())
//! ```

mod antithetic;
mod convergence;
mod copula;
mod draws;
mod error;
mod fhs;
mod garch_paths;
mod gbm;
mod merton;
mod traits;

pub use self::antithetic::Mirrored;
pub use self::convergence::McEstimate;
pub use self::copula::{Copula, CopulaGarch, Correlation};
pub use self::error::SimError;
pub use self::fhs::Fhs;
pub use self::garch_paths::GarchPaths;
pub use self::gbm::Gbm;
pub use self::merton::Merton;
pub use self::traits::PathGenerator;

/// Largest number of steps of one path: 10,000,000 (bounds the caller's buffers).
///
/// ```
/// assert_eq!(derisk::sim::MAX_STEPS, 10_000_000);
/// ```
pub const MAX_STEPS: usize = 10_000_000;
