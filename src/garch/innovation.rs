//! Standardised innovation densities (mean 0, variance 1): Normal, Student-t and Hansen's skewed
//! t, with ln pdf, cdf, quantile and sampling; and the kernels the likelihood uses.
//!
//! ```text
//! Normal      ln f(z) = −½(ln 2π + z²)
//! Student-t   ln f(z) = ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln(π(ν−2)) − (ν+1)/2 · ln(1 + z²/(ν−2)),  ν > 2
//! Skew-t      ln f(z) = ln b + ln c − (η+1)/2 · ln(1 + ((bz + a)/(1 ± λ))²/(η−2)),
//!             − if z < −a/b, + otherwise;  c = Γ((η+1)/2)/(√(π(η−2))Γ(η/2)),
//!             a = 4λc(η−2)/(η−1),  b² = 1 + 3λ² − a²,  η > 2, −1 < λ < 1
//! ```
//!
//! References: T. Bollerslev, "A conditionally heteroskedastic time series model for
//! speculative prices and rates of return", Rev. Econ. Stat. 69 (1987) (standardised t);
//! B. E. Hansen, "Autoregressive conditional density estimation", Int. Econ. Rev. 35 (1994).

use rand::Rng;

use super::dual::Scalar;
use super::error::FitError;
use super::student::{ln_gamma_half_ratio, t_cdf, t_ln_lower, t_lower_quantile_ln};
use super::traits::Innovation;
use crate::math::{norm_cdf, norm_inv_cdf, MathError};

pub(crate) const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// The standard normal innovation.
///
/// ```
/// use derisk::garch::{Innovation, Normal};
/// assert!((Normal.cdf(0.0) - 0.5).abs() < 1e-16);
/// assert!((Normal.quantile(0.975)? - 1.959_963_984_540_054).abs() < 1e-14);
/// # Ok::<(), derisk::math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Normal;

impl Innovation for Normal {
    fn ln_pdf(&self, z: f64) -> f64 {
        -0.5 * (LN_2PI + z * z)
    }
    fn cdf(&self, z: f64) -> f64 {
        norm_cdf(z)
    }
    fn quantile(&self, p: f64) -> Result<f64, MathError> {
        norm_inv_cdf(p)
    }
}

/// Student-t innovation standardised to unit variance (ν > 2 degrees of freedom).
///
/// ```text
/// z = t·√((ν−2)/ν),  t ~ Student-t(ν);   ln f(z) as in the module docs
/// ```
///
/// ```
/// use derisk::garch::{Innovation, StudentT};
/// let t = StudentT::new(5.0)?;
/// // arch 8.0.0 StudentsT().ppf(0.01, [5]) = −2.6490..., scipy t(5).ppf(0.01)·√(3/5)
/// assert!((t.quantile(0.01).unwrap() + 3.364_929_998_907_218 * (0.6f64).sqrt()).abs() < 1e-12);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "super::serde_impl::StudentTRaw"))]
pub struct StudentT {
    nu: f64,
}

impl StudentT {
    /// A standardised t with `nu` degrees of freedom.
    ///
    /// # Errors
    ///
    /// [`FitError::OutsideConstraints`] unless 2 < ν < ∞.
    ///
    /// ```
    /// assert!(derisk::garch::StudentT::new(2.0).is_err());
    /// assert_eq!(derisk::garch::StudentT::new(4.0)?.nu(), 4.0);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn new(nu: f64) -> Result<Self, FitError> {
        if nu.is_finite() && nu > 2.0 {
            Ok(Self { nu })
        } else {
            Err(outside("nu", nu, "2 < nu < inf"))
        }
    }

    /// Degrees of freedom ν.
    ///
    /// ```
    /// assert_eq!(derisk::garch::StudentT::new(7.5)?.nu(), 7.5);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn nu(&self) -> f64 {
        self.nu
    }
}

impl Innovation for StudentT {
    fn ln_pdf(&self, z: f64) -> f64 {
        let nu = self.nu;
        t_log_const(nu) - 0.5 * (nu + 1.0) * (z * z / (nu - 2.0)).ln_1p()
    }
    fn cdf(&self, z: f64) -> f64 {
        t_cdf(z * (self.nu / (self.nu - 2.0)).sqrt(), self.nu)
    }
    fn quantile(&self, p: f64) -> Result<f64, MathError> {
        check_probability(p)?;
        Ok(t_quantile(p, self.nu) * ((self.nu - 2.0) / self.nu).sqrt())
    }
}

/// Hansen's (1994) skewed Student-t, standardised to mean 0 and variance 1.
///
/// `eta` (η > 2) sets the tails and `lambda` (−1 < λ < 1) the skew: λ < 0 is a longer left tail.
///
/// ```
/// use derisk::garch::{Innovation, SkewT};
/// let d = SkewT::new(6.0, 0.0)?;                  // λ = 0 is the standardised t
/// let t = derisk::garch::StudentT::new(6.0)?;
/// assert!((d.ln_pdf(0.7) - t.ln_pdf(0.7)).abs() < 1e-14);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "super::serde_impl::SkewTRaw"))]
pub struct SkewT {
    eta: f64,
    lambda: f64,
}

impl SkewT {
    /// A skewed t with tail parameter `eta` and skew `lambda`.
    ///
    /// # Errors
    ///
    /// [`FitError::OutsideConstraints`] unless 2 < η < ∞ and −1 < λ < 1.
    ///
    /// ```
    /// assert!(derisk::garch::SkewT::new(5.0, 1.0).is_err());
    /// assert_eq!(derisk::garch::SkewT::new(5.0, -0.3)?.lambda(), -0.3);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn new(eta: f64, lambda: f64) -> Result<Self, FitError> {
        if !(eta.is_finite() && eta > 2.0) {
            return Err(outside("eta", eta, "2 < eta < inf"));
        }
        if !(lambda > -1.0 && lambda < 1.0) {
            return Err(outside("lambda", lambda, "-1 < lambda < 1"));
        }
        Ok(Self { eta, lambda })
    }

    /// Tail parameter η.
    ///
    /// ```
    /// assert_eq!(derisk::garch::SkewT::new(5.0, 0.1)?.eta(), 5.0);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn eta(&self) -> f64 {
        self.eta
    }

    /// Skew λ.
    ///
    /// ```
    /// assert_eq!(derisk::garch::SkewT::new(5.0, 0.1)?.lambda(), 0.1);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    fn abc(&self) -> (f64, f64, f64) {
        let (eta, lam) = (self.eta, self.lambda);
        let c = t_log_const(eta).exp();
        let a = 4.0 * lam * c * (eta - 2.0) / (eta - 1.0);
        let b = (1.0 + 3.0 * lam * lam - a * a).sqrt();
        (a, b, c)
    }
}

impl Innovation for SkewT {
    fn ln_pdf(&self, z: f64) -> f64 {
        let (a, b, c) = self.abc();
        let side = if z < -a / b {
            1.0 - self.lambda
        } else {
            1.0 + self.lambda
        };
        let u = (b * z + a) / side;
        b.ln() + c.ln() - 0.5 * (self.eta + 1.0) * (u * u / (self.eta - 2.0)).ln_1p()
    }
    fn cdf(&self, z: f64) -> f64 {
        let (a, b, _) = self.abc();
        let (eta, lam) = (self.eta, self.lambda);
        let scale = (eta / (eta - 2.0)).sqrt();
        if z < -a / b {
            (1.0 - lam) * t_cdf((b * z + a) / (1.0 - lam) * scale, eta)
        } else if z.is_nan() {
            f64::NAN
        } else {
            // 1 − (1 + λ)·P(T ≤ −u): the upper tail without cancellation.
            let u = (b * z + a) / (1.0 + lam) * scale;
            -((1.0 + lam).ln() + t_ln_lower(-u, eta)).exp_m1()
        }
    }
    fn quantile(&self, p: f64) -> Result<f64, MathError> {
        check_probability(p)?;
        let (a, b, _) = self.abc();
        let (eta, lam) = (self.eta, self.lambda);
        let scale = ((eta - 2.0) / eta).sqrt();
        // Below the split the left branch, P = (1 − λ)·F_t; above it the right branch, whose
        // upper tail 1 − P = (1 + λ)·F_t(−x): both solved in the lower tail, in logarithms.
        let (x, side) = if p < 0.5 * (1.0 - lam) {
            (
                t_lower_quantile_ln(p.ln() - (1.0 - lam).ln(), eta),
                1.0 - lam,
            )
        } else {
            (
                -t_lower_quantile_ln((-p).ln_1p() - (1.0 + lam).ln(), eta),
                1.0 + lam,
            )
        };
        Ok((side * x * scale - a) / b)
    }
}

/// ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln(π(ν−2)).
fn t_log_const(nu: f64) -> f64 {
    ln_gamma_half_ratio(0.5 * nu) - 0.5 * (std::f64::consts::PI * (nu - 2.0)).ln()
}

/// Student-t p-quantile (ν > 0, 0 < p < 1): solved in the lower tail, in logarithms, so p down
/// to the smallest subnormal and 1 − p down to 2⁻⁵³ keep their relative precision.
pub(crate) fn t_quantile(p: f64, nu: f64) -> f64 {
    if p < 0.5 {
        t_lower_quantile_ln(p.ln(), nu)
    } else {
        -t_lower_quantile_ln((1.0 - p).ln(), nu)
    }
}

fn check_probability(p: f64) -> Result<f64, MathError> {
    if p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(MathError::ProbabilityOutOfRange { probability: p })
    }
}

pub(crate) fn outside(name: &str, value: f64, constraint: &'static str) -> FitError {
    FitError::OutsideConstraints {
        name: name.to_string(),
        value,
        constraint,
    }
}

/// Which innovation density a model is fitted with (its parameters are estimated).
///
/// ```
/// use derisk::garch::InnovationFamily;
/// assert_eq!(InnovationFamily::SkewT.num_params(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum InnovationFamily {
    /// Standard normal (no parameter).
    Normal,
    /// Standardised Student-t (ν).
    StudentT,
    /// Hansen's skewed t (η, λ).
    SkewT,
}

impl InnovationFamily {
    /// Number of shape parameters (0, 1 or 2).
    ///
    /// ```
    /// assert_eq!(derisk::garch::InnovationFamily::StudentT.num_params(), 1);
    /// ```
    pub fn num_params(self) -> usize {
        match self {
            Self::Normal => 0,
            Self::StudentT => 1,
            Self::SkewT => 2,
        }
    }

    pub(crate) fn names(self) -> &'static [&'static str] {
        match self {
            Self::Normal => &[],
            Self::StudentT => &["nu"],
            Self::SkewT => &["eta", "lambda"],
        }
    }

    /// arch's bounds: ν ∈ [2.05, 500]; η ∈ [2.05, 300], λ ∈ [−1, 1] (kept 1e-6 inside).
    pub(crate) fn bounds(self) -> Vec<(f64, f64)> {
        match self {
            Self::Normal => vec![],
            Self::StudentT => vec![(2.05, 500.0)],
            Self::SkewT => vec![(2.05, 300.0), (-1.0 + 1e-6, 1.0 - 1e-6)],
        }
    }

    /// The density with these shape parameters.
    pub(crate) fn with_params(self, params: &[f64]) -> Result<AnyInnovation, FitError> {
        Ok(match self {
            Self::Normal => AnyInnovation::Normal(Normal),
            Self::StudentT => AnyInnovation::StudentT(StudentT::new(params[0])?),
            Self::SkewT => AnyInnovation::SkewT(SkewT::new(params[0], params[1])?),
        })
    }
}

/// A fitted innovation density: one of the three, with its parameters.
///
/// ```
/// use derisk::garch::{AnyInnovation, Innovation, Normal};
/// assert_eq!(AnyInnovation::Normal(Normal).cdf(0.0), 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum AnyInnovation {
    /// Standard normal.
    Normal(Normal),
    /// Standardised Student-t.
    StudentT(StudentT),
    /// Hansen's skewed t.
    SkewT(SkewT),
}

impl Innovation for AnyInnovation {
    fn ln_pdf(&self, z: f64) -> f64 {
        match self {
            Self::Normal(d) => d.ln_pdf(z),
            Self::StudentT(d) => d.ln_pdf(z),
            Self::SkewT(d) => d.ln_pdf(z),
        }
    }
    fn cdf(&self, z: f64) -> f64 {
        match self {
            Self::Normal(d) => d.cdf(z),
            Self::StudentT(d) => d.cdf(z),
            Self::SkewT(d) => d.cdf(z),
        }
    }
    fn quantile(&self, p: f64) -> Result<f64, MathError> {
        match self {
            Self::Normal(d) => d.quantile(p),
            Self::StudentT(d) => d.quantile(p),
            Self::SkewT(d) => d.quantile(p),
        }
    }
}

/// A uniform on (0, 1) from the top 53 bits of one `u64`: ((x >> 11) + ½)·2⁻⁵³.
#[inline]
pub(crate) fn uniform_open<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
}

/// Per-evaluation constants of the log-density, in the kernel's number type.
#[derive(Clone, Copy)]
pub(crate) enum DensityConsts<S> {
    Normal,
    T {
        k: S,
        half_nu1: S,
        inv_nu2: S,
    },
    SkewT {
        k: S,
        a: S,
        b: S,
        threshold: f64,
        lo: S,
        hi: S,
        half_eta1: S,
        inv_eta2: S,
    },
}

impl<S: Scalar> DensityConsts<S> {
    /// Constants for the shape parameters `p` (already within their bounds).
    #[inline]
    pub fn new(family: InnovationFamily, p: &[S]) -> Self {
        match family {
            InnovationFamily::Normal => Self::Normal,
            InnovationFamily::StudentT => {
                let nu = p[0];
                Self::T {
                    k: log_const(nu),
                    half_nu1: (nu + 1.0) * 0.5,
                    inv_nu2: S::cst(1.0) / (nu - 2.0),
                }
            }
            InnovationFamily::SkewT => {
                let (eta, lam) = (p[0], p[1]);
                let lnc = log_const(eta);
                let a = lam * lnc.exp() * (eta - 2.0) / (eta - 1.0) * 4.0;
                let b = (lam * lam * 3.0 + 1.0 - a * a).sqrt();
                Self::SkewT {
                    k: b.ln() + lnc,
                    a,
                    b,
                    threshold: -a.val() / b.val(),
                    lo: S::cst(1.0) - lam,
                    hi: lam + 1.0,
                    half_eta1: (eta + 1.0) * 0.5,
                    inv_eta2: S::cst(1.0) / (eta - 2.0),
                }
            }
        }
    }

    /// ln of the density of a residual `eps` with conditional variance σ² (`ln_s2` = ln σ²).
    #[inline(always)]
    pub fn ln_density(&self, eps: S, s2: S, ln_s2: S) -> S {
        match *self {
            Self::Normal => (ln_s2 + eps * eps / s2 + LN_2PI) * -0.5,
            Self::T {
                k,
                half_nu1,
                inv_nu2,
            } => k - ln_s2 * 0.5 - half_nu1 * (eps * eps / s2 * inv_nu2).ln_1p(),
            Self::SkewT {
                k,
                a,
                b,
                threshold,
                lo,
                hi,
                half_eta1,
                inv_eta2,
            } => {
                let z = eps / s2.sqrt();
                let side = if z.val() < threshold { lo } else { hi };
                let u = (b * z + a) / side;
                k - ln_s2 * 0.5 - half_eta1 * (u * u * inv_eta2).ln_1p()
            }
        }
    }
}

#[inline]
fn log_const<S: Scalar>(nu: S) -> S {
    (nu * 0.5).ln_gamma_half_ratio() - ((nu - 2.0) * std::f64::consts::PI).ln() * 0.5
}
