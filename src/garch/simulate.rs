//! Seeded simulation of returns and conditional variances, reproducible bit for bit.
//!
//! ```text
//! zₜ = F⁻¹(uₜ),  uₜ = ((xₜ ≫ 11) + ½)·2⁻⁵³,  xₜ = the t-th u64 of ChaCha20(key = seed as 8
//!      little-endian bytes then 24 zero bytes, nonce 0)
//! εₜ = σₜ·zₜ,   yₜ = mean + εₜ,   σ²ₜ from the model's recursion
//! ```
//!
//! Pre-sample state: the unconditional variance ω/(1 − persistence) (GARCH/GJR, if stationary;
//! else the sample-free value ω), or ω/(1 − Σβ) on the log scale (EGARCH); `burn` draws are
//! discarded. Reference: D. J. Bernstein, "ChaCha, a variant of Salsa20" (2008).

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::error::FitError;
use super::fit::GarchModel;
use super::innovation::outside;
use super::mean::MeanModel;
use super::traits::Innovation;
use super::variance::Lags;

/// Simulated returns and their conditional variances.
///
/// ```
/// let s = derisk::garch::GarchModel::garch11_t().simulate(&[0.0, 0.1, 0.1, 0.8, 5.0], 3, 0, 1)?;
/// assert!((s.returns[0] - s.variances[0].sqrt() * s.innovations[0]).abs() < 1e-15);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Simulation {
    /// Returns yₜ (mean plus εₜ), in the units of the parameters (percent if fitted on percent).
    pub returns: Vec<f64>,
    /// Conditional variances σ²ₜ.
    pub variances: Vec<f64>,
    /// Standardised innovations zₜ.
    pub innovations: Vec<f64>,
}

/// The 32-byte ChaCha20 key for a `u64` seed: its 8 little-endian bytes, then zeros.
pub(crate) fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key
}

impl GarchModel {
    /// Simulates `nobs` returns after `burn` discarded ones, from a ChaCha20 stream seeded with
    /// `seed` (see the module docs; the same seed gives the same path bit for bit).
    ///
    /// # Errors
    ///
    /// [`FitError::ParameterCount`]; [`FitError::OutsideConstraints`] for an invalid shape
    /// parameter or non-finite parameter; [`FitError::UndefinedLikelihood`] if a variance
    /// leaves (0, ∞).
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// let m = GarchModel::garch11_t();
    /// let a = m.simulate(&[0.0, 0.1, 0.1, 0.85, 5.0], 100, 10, 42)?;
    /// let b = m.simulate(&[0.0, 0.1, 0.1, 0.85, 5.0], 100, 10, 42)?;
    /// assert_eq!(a, b);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn simulate(
        &self,
        params: &[f64],
        nobs: usize,
        burn: usize,
        seed: u64,
    ) -> Result<Simulation, FitError> {
        let l = *self.layout();
        if params.len() != l.k() {
            return Err(FitError::ParameterCount {
                expected: l.k(),
                got: params.len(),
            });
        }
        if let Some((i, &v)) = params.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(outside(&self.param_names()[i], v, "finite"));
        }
        let (km, kv) = (l.k_mean(), l.k_vol());
        let (tm, tv) = (&params[..km], &params[km..km + kv]);
        let innov = l.dist.with_params(&params[km + kv..])?;
        let (p, o, _) = l.vol.orders();
        let start = if l.vol.is_egarch() {
            let sb: f64 = tv[1 + p + o..].iter().sum();
            if sb < 1.0 {
                tv[0] / (1.0 - sb)
            } else {
                tv[0]
            }
        } else {
            let pers: f64 = tv[1..1 + p].iter().sum::<f64>()
                + 0.5 * tv[1 + p..1 + p + o].iter().sum::<f64>()
                + tv[1 + p + o..].iter().sum::<f64>();
            if pers < 1.0 {
                tv[0] / (1.0 - pers)
            } else {
                tv[0]
            }
        };
        let mut lags = Lags::<f64>::new(&l.vol, start);
        let mut rng = ChaCha20Rng::from_seed(seed_bytes(seed));
        let mut out = Simulation {
            returns: Vec::with_capacity(nobs),
            variances: Vec::with_capacity(nobs),
            innovations: Vec::with_capacity(nobs),
        };
        let mut y_prev = match l.mean {
            MeanModel::Ar1 if (tm[1]).abs() < 1.0 => tm[0] / (1.0 - tm[1]),
            MeanModel::Ar1 => tm[0],
            _ => 0.0,
        };
        for t in 0..burn + nobs {
            let (s2, ln_s2) = lags.variance(&l.vol, tv);
            if !(s2 > 0.0 && s2.is_finite()) {
                return Err(FitError::UndefinedLikelihood {
                    index: t,
                    variance: s2,
                });
            }
            let z = innov.sample(&mut rng);
            let eps = z * s2.sqrt();
            let y = match l.mean {
                MeanModel::Zero => eps,
                MeanModel::Constant => tm[0] + eps,
                MeanModel::Ar1 => tm[0] + tm[1] * y_prev + eps,
            };
            y_prev = y;
            lags.push(&l.vol, eps, s2, ln_s2);
            if t >= burn {
                out.returns.push(y);
                out.variances.push(s2);
                out.innovations.push(z);
            }
        }
        Ok(out)
    }
}
