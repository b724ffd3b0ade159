//! Variance recursions: GARCH(p, q), GJR-GARCH(p, o, q) and EGARCH(p, o, q), as used by `arch`.
//!
//! ```text
//! GARCH/GJR  σ²ₜ = ω + Σᵢ αᵢ ε²ₜ₋ᵢ + Σⱼ γⱼ ε²ₜ₋ⱼ·1[εₜ₋ⱼ < 0] + Σₖ βₖ σ²ₜ₋ₖ
//!            pre-sample: ε² → backcast, ε²·1[ε<0] → backcast/2, σ² → backcast
//!            constraints: ω > 0, αᵢ ≥ 0, αᵢ + γᵢ ≥ 0, βₖ ≥ 0, Σα + ½Σγ + Σβ ≤ 1
//! EGARCH     ln σ²ₜ = ω + Σᵢ αᵢ(|eₜ₋ᵢ| − √(2/π)) + Σⱼ γⱼ eₜ₋ⱼ + Σₖ βₖ ln σ²ₜ₋ₖ,   e = ε/σ
//!            pre-sample: the α and γ terms → 0, ln σ² → ln backcast;  0 ≤ Σβ ≤ 1
//! ```
//!
//! References: T. Bollerslev, "Generalized autoregressive conditional heteroskedasticity",
//! J. Econometrics 31 (1986); L. R. Glosten, R. Jagannathan and D. E. Runkle, J. Finance 48
//! (1993); D. B. Nelson, "Conditional heteroskedasticity in asset returns: a new approach",
//! Econometrica 59 (1991); K. Sheppard, `arch` documentation (backcast, bounds).

use super::dual::Scalar;
use super::error::FitError;
use super::traits::ConditionalVariance;

/// Largest lag order supported in each of p, o and q.
///
/// ```
/// assert!(derisk::garch::Garch::new(derisk::garch::MAX_ORDER + 1, 0, 1).is_err());
/// ```
pub const MAX_ORDER: usize = 4;
pub(crate) const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;

/// GARCH(p, o, q): `p` ARCH lags, `o` asymmetric (GJR) lags, `q` variance lags.
///
/// Parameters, in order: ω, α₁…α_p, γ₁…γ_o, β₁…β_q (`arch`'s order). `o = 0` is Bollerslev's
/// GARCH(p, q); `o > 0` is GJR-GARCH. See the module docs for the recursion.
///
/// ```
/// use derisk::garch::Garch;
/// let gjr = Garch::gjr(1, 1, 1)?;
/// assert_eq!(gjr.param_names(), vec!["omega", "alpha[1]", "gamma[1]", "beta[1]"]);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "super::serde_impl::OrdersRaw"))]
pub struct Garch {
    p: usize,
    o: usize,
    q: usize,
}

/// EGARCH(p, o, q) of Nelson (1991) in `arch`'s form; parameters ω, α₁…α_p, γ₁…γ_o, β₁…β_q.
///
/// ```
/// use derisk::garch::{ConditionalVariance, Egarch};
/// assert_eq!(Egarch::new(1, 1, 1)?.num_params(), 4);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "super::serde_impl::OrdersRaw"))]
pub struct Egarch {
    p: usize,
    o: usize,
    q: usize,
}

/// GARCH(1, 1).
pub(crate) const GARCH11: Garch = Garch { p: 1, o: 0, q: 1 };

fn check_orders(p: usize, o: usize, q: usize) -> Result<(), FitError> {
    if p.max(o).max(q) > MAX_ORDER {
        return Err(FitError::InvalidOrder {
            reason: "each of p, o, q must be at most 4",
        });
    }
    if p + o == 0 {
        return Err(FitError::InvalidOrder {
            reason: "p + o must be at least 1",
        });
    }
    Ok(())
}

macro_rules! orders {
    ($t:ty) => {
        impl $t {
            /// The process with `p` symmetric, `o` asymmetric and `q` variance lags.
            ///
            /// # Errors
            ///
            /// [`FitError::InvalidOrder`] if p + o = 0 or any order exceeds [`MAX_ORDER`].
            ///
            /// ```
            #[doc = concat!("assert!(derisk::garch::", stringify!($t), "::new(0, 0, 1).is_err());")]
            /// ```
            pub fn new(p: usize, o: usize, q: usize) -> Result<Self, FitError> {
                check_orders(p, o, q)?;
                Ok(Self { p, o, q })
            }

            /// The orders (p, o, q).
            ///
            /// ```
            #[doc = concat!("assert_eq!(derisk::garch::", stringify!($t), "::new(2, 0, 1)?.orders(), (2, 0, 1));")]
            /// # Ok::<(), derisk::garch::FitError>(())
            /// ```
            pub fn orders(&self) -> (usize, usize, usize) {
                (self.p, self.o, self.q)
            }

            /// Parameter names in `arch`'s spelling: `omega`, `alpha[i]`, `gamma[j]`, `beta[k]`.
            ///
            /// ```
            #[doc = concat!("assert_eq!(derisk::garch::", stringify!($t), "::new(1, 0, 1)?.param_names()[2], \"beta[1]\");")]
            /// # Ok::<(), derisk::garch::FitError>(())
            /// ```
            pub fn param_names(&self) -> Vec<String> {
                let mut v = vec!["omega".to_string()];
                v.extend((1..=self.p).map(|i| format!("alpha[{i}]")));
                v.extend((1..=self.o).map(|i| format!("gamma[{i}]")));
                v.extend((1..=self.q).map(|i| format!("beta[{i}]")));
                v
            }
        }
    };
}
orders!(Garch);
orders!(Egarch);

impl Garch {
    /// GJR-GARCH(p, o, q) (Glosten, Jagannathan and Runkle 1993): a [`Garch`] with o ≥ 1.
    ///
    /// # Errors
    ///
    /// [`FitError::InvalidOrder`] if o = 0 or the orders are invalid for [`Garch::new`].
    ///
    /// ```
    /// assert!(derisk::garch::Garch::gjr(1, 0, 1).is_err());
    /// ```
    pub fn gjr(p: usize, o: usize, q: usize) -> Result<Self, FitError> {
        if o == 0 {
            return Err(FitError::InvalidOrder {
                reason: "a GJR model needs o >= 1",
            });
        }
        Self::new(p, o, q)
    }
}

/// Which variance recursion a model uses.
///
/// ```
/// use derisk::garch::{Garch, Volatility};
/// let v = Volatility::Garch(Garch::new(1, 0, 1)?);
/// assert_eq!(v.num_params(), 3);
/// # Ok::<(), derisk::garch::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Volatility {
    /// GARCH / GJR-GARCH.
    Garch(Garch),
    /// EGARCH.
    Egarch(Egarch),
}

impl Volatility {
    /// Number of parameters 1 + p + o + q.
    ///
    /// ```
    /// use derisk::garch::{Egarch, Volatility};
    /// assert_eq!(Volatility::Egarch(Egarch::new(1, 1, 1)?).num_params(), 4);
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn num_params(&self) -> usize {
        let (p, o, q) = self.orders();
        1 + p + o + q
    }

    /// The orders (p, o, q).
    ///
    /// ```
    /// use derisk::garch::{Garch, Volatility};
    /// assert_eq!(Volatility::Garch(Garch::new(2, 0, 1)?).orders(), (2, 0, 1));
    /// # Ok::<(), derisk::garch::FitError>(())
    /// ```
    pub fn orders(&self) -> (usize, usize, usize) {
        match self {
            Self::Garch(g) => g.orders(),
            Self::Egarch(e) => e.orders(),
        }
    }

    pub(crate) fn param_names(&self) -> Vec<String> {
        match self {
            Self::Garch(g) => g.param_names(),
            Self::Egarch(e) => e.param_names(),
        }
    }

    pub(crate) fn is_egarch(&self) -> bool {
        matches!(self, Self::Egarch(_))
    }
}

/// Lagged state of a recursion (most recent first). GARCH: (ε², ε²·1[ε<0], σ²);
/// EGARCH: (|e| − √(2/π), e, ln σ²).
#[derive(Clone, Copy)]
pub(crate) struct Lags<S> {
    pub a: [S; MAX_ORDER],
    pub b: [S; MAX_ORDER],
    pub c: [S; MAX_ORDER],
}

impl<S: Scalar> Lags<S> {
    /// Pre-sample state from the backcast (σ² scale for GARCH, ln σ² scale for EGARCH).
    #[inline]
    pub fn new(vol: &Volatility, backcast: f64) -> Self {
        if vol.is_egarch() {
            Self {
                a: [S::cst(0.0); MAX_ORDER],
                b: [S::cst(0.0); MAX_ORDER],
                c: [S::cst(backcast); MAX_ORDER],
            }
        } else {
            Self {
                a: [S::cst(backcast); MAX_ORDER],
                b: [S::cst(0.5 * backcast); MAX_ORDER],
                c: [S::cst(backcast); MAX_ORDER],
            }
        }
    }

    /// (σ²ₜ, ln σ²ₜ) from the lags and θ = (ω, α, γ, β).
    #[inline(always)]
    pub fn variance(&self, vol: &Volatility, th: &[S]) -> (S, S) {
        let x = self.raw(vol, th);
        if vol.is_egarch() {
            (x.exp(), x)
        } else {
            (x, x.ln())
        }
    }

    /// The recursion's value: σ²ₜ (GARCH/GJR) or ln σ²ₜ (EGARCH).
    #[inline(always)]
    pub fn raw(&self, vol: &Volatility, th: &[S]) -> S {
        let (p, o, q) = vol.orders();
        let mut x = th[0];
        for i in 0..p {
            x = x + th[1 + i] * self.a[i];
        }
        for j in 0..o {
            x = x + th[1 + p + j] * self.b[j];
        }
        for k in 0..q {
            x = x + th[1 + p + o + k] * self.c[k];
        }
        x
    }

    /// Shifts in the residual ε and variance of this step.
    #[inline(always)]
    pub fn push(&mut self, vol: &Volatility, eps: S, s2: S, ln_s2: S) {
        let (p, o, q) = vol.orders();
        let (na, nb, nc) = if vol.is_egarch() {
            let e = eps / s2.sqrt();
            (e.abs() - SQRT_2_OVER_PI, e, ln_s2)
        } else {
            let e2 = eps * eps;
            (e2, if eps.val() < 0.0 { e2 } else { S::cst(0.0) }, s2)
        };
        shift(&mut self.a, p, na);
        shift(&mut self.b, o, nb);
        shift(&mut self.c, q, nc);
    }
}

#[inline(always)]
fn shift<S: Copy>(buf: &mut [S; MAX_ORDER], n: usize, new: S) {
    if n == 0 {
        return;
    }
    for i in (1..n).rev() {
        buf[i] = buf[i - 1];
    }
    buf[0] = new;
}

/// Shared f64 filter: σ² for each residual.
pub(crate) fn filter_variance(
    vol: &Volatility,
    params: &[f64],
    residuals: &[f64],
    backcast: f64,
    out: &mut [f64],
) -> Result<(), FitError> {
    if params.len() != vol.num_params() {
        return Err(FitError::ParameterCount {
            expected: vol.num_params(),
            got: params.len(),
        });
    }
    if out.len() != residuals.len() {
        return Err(FitError::ParameterCount {
            expected: residuals.len(),
            got: out.len(),
        });
    }
    let start = if vol.is_egarch() {
        backcast.ln()
    } else {
        backcast
    };
    filter_from(vol, params, residuals, start, out)
}

/// The filter's recursion from `start` on its own scale (σ², or ln σ² for EGARCH): the same
/// arithmetic as the likelihood kernel's, so the variances equal its bit for bit.
pub(crate) fn filter_from(
    vol: &Volatility,
    params: &[f64],
    residuals: &[f64],
    start: f64,
    out: &mut [f64],
) -> Result<(), FitError> {
    let mut lags = Lags::<f64>::new(vol, start);
    for (t, (&eps, o)) in residuals.iter().zip(out.iter_mut()).enumerate() {
        let (s2, ln_s2) = lags.variance(vol, params);
        if !(s2 > 0.0 && s2.is_finite()) {
            return Err(FitError::UndefinedLikelihood {
                index: t,
                variance: s2,
            });
        }
        *o = s2;
        lags.push(vol, eps, s2, ln_s2);
    }
    Ok(())
}

impl ConditionalVariance for Garch {
    fn num_params(&self) -> usize {
        1 + self.p + self.o + self.q
    }
    fn filter(
        &self,
        params: &[f64],
        residuals: &[f64],
        backcast: f64,
        out: &mut [f64],
    ) -> Result<(), FitError> {
        filter_variance(&Volatility::Garch(*self), params, residuals, backcast, out)
    }
}

impl ConditionalVariance for Egarch {
    fn num_params(&self) -> usize {
        1 + self.p + self.o + self.q
    }
    /// `backcast` is on the variance scale (its logarithm starts the ln σ² recursion).
    fn filter(
        &self,
        params: &[f64],
        residuals: &[f64],
        backcast: f64,
        out: &mut [f64],
    ) -> Result<(), FitError> {
        filter_variance(&Volatility::Egarch(*self), params, residuals, backcast, out)
    }
}

/// `arch`'s backcast: Σᵢ wᵢ·εᵢ² over the first τ = min(75, n) residuals, wᵢ ∝ 0.94ⁱ, Σw = 1.
///
/// ```
/// // One residual: the backcast is its square.
/// assert_eq!(derisk::garch::backcast(&[3.0]), 9.0);
/// ```
pub fn backcast(residuals: &[f64]) -> f64 {
    let tau = residuals.len().min(75);
    let (mut num, mut den, mut w) = (0.0, 0.0, 1.0);
    for &e in &residuals[..tau] {
        num += w * e * e;
        den += w;
        w *= 0.94;
    }
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}
