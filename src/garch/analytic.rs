//! Hand-derived gradients of the log-likelihood for every model: GARCH/GJR and EGARCH
//! recursions (forward-propagated ∂σ²ₜ/∂θ or ∂ln σ²ₜ/∂θ over the mean and variance
//! parameters) times the density's ∂ℓₜ/∂σ², ∂ℓₜ/∂ε (src/garch/analytic_density.rs), which also
//! gives the shape parameters' gradient. The dual-number kernel is the reference they are
//! tested against.
//!
//! ```text
//! GARCH/GJR  σ²ₜ = ω + Σαᵢ Aₜ₋ᵢ + Σγⱼ Bₜ₋ⱼ + Σβₖ σ²ₜ₋ₖ,   A = ε², B = ε²·1[ε<0]
//!   ∂σ²ₜ/∂θ = (1, Aₜ₋ᵢ, Bₜ₋ⱼ, σ²ₜ₋ₖ for ω, α, γ, β) + Σαᵢ ∂Aₜ₋ᵢ/∂θ + Σγⱼ ∂Bₜ₋ⱼ/∂θ + Σβₖ ∂σ²ₜ₋ₖ/∂θ
//!   ∂Aₛ/∂θ = 2εₛ ∂εₛ/∂θ (mean parameters only; pre-sample values are constants)
//! EGARCH     hₜ = ln σ²ₜ = ω + Σαᵢ(|eₜ₋ᵢ| − √(2/π)) + Σγⱼ eₜ₋ⱼ + Σβₖ hₜ₋ₖ,   e = ε·e^(−h/2)
//!   ∂hₜ/∂θ = (1, |eₜ₋ᵢ| − √(2/π), eₜ₋ⱼ, hₜ₋ₖ) + Σαᵢ sign(eₜ₋ᵢ)∂eₜ₋ᵢ/∂θ + Σγⱼ ∂eₜ₋ⱼ/∂θ + Σβₖ ∂hₜ₋ₖ/∂θ
//!   ∂eₛ/∂θ = e^(−hₛ/2) ∂εₛ/∂θ − ½ eₛ ∂hₛ/∂θ;   ∂ℓₜ/∂hₜ = σ²ₜ ∂ℓₜ/∂σ²ₜ
//!   E|e| is √(2/π) for every density, as in `arch` 8 (EGARCHVolatility), so it has no
//!   shape-parameter derivative.
//!   EGARCH(1,·,1) runs on x = −h/2 (sign eₜ = sign εₜ, so the shock is e^(xₜ) times data):
//!   xₜ₊₁ = (k₀ + βxₜ) + mₜe^(xₜ),  k₀ = −½(ω − α√(2/π)),  mₜ = −½(α|εₜ| + γεₜ),
//!   x₀ = −½(ω + β·backcast): the latency-bound chain is one exp, a product and a sum.
//! ∂ℓ/∂θ = Σₜ (∂ℓₜ/∂σ²ₜ ∂σ²ₜ/∂θ + ∂ℓₜ/∂εₜ ∂εₜ/∂θ) + (shape terms of the density)
//! ```
//!
//! References: T. Bollerslev, J. Econometrics 31 (1986); D. B. Nelson, Econometrica 59 (1991);
//! K. Sheppard, `arch` 8.0 source, `arch/univariate/volatility.py` (EGARCH recursion).

use super::analytic_density::{GradDensity, NormalGrad, SkewTGrad, StudentGrad};
use super::innovation::InnovationFamily;
use super::kernel::{Layout, MAX_PARAMS};
use super::mean::MeanModel;
use super::variance::{Volatility, MAX_ORDER, SQRT_2_OVER_PI};
use crate::math::simd::{dispatch_scalar, LaneJob};
use crate::math::{exp_in_range, exp_of_madd};
use std::marker::PhantomData;

/// Mean + variance parameters at most (2 + 1 + 3·MAX_ORDER).
const R: usize = 16;

/// |ln σ²| above which σ² or 1/σ² overflows or underflows: the EGARCH likelihood is undefined.
pub(crate) const H_MAX: f64 = 709.0;

/// Whether [`value_and_gradient`] handles this model (every volatility and density today).
pub(crate) fn applies(l: &Layout) -> bool {
    matches!(l.vol, Volatility::Garch(_) | Volatility::Egarch(_))
        && matches!(
            l.dist,
            InnovationFamily::Normal | InnovationFamily::StudentT | InnovationFamily::SkewT
        )
}

/// What a scores pass records per observation: ∂ℓₜ/∂θ (row-major n × k) and σ²ₜ (so that
/// inference needs no separate variance filter: one pass fewer per fit).
#[derive(Debug, Default)]
pub(crate) struct Rows {
    /// The scores, row-major n × k.
    pub(crate) scores: Vec<f64>,
    /// σ²ₜ, one per observation.
    pub(crate) variance: Vec<f64>,
}

/// ℓ(θ) and ∂ℓ/∂θ; with `scores`, also every observation's ∂ℓₜ/∂θ and σ²ₜ.
pub(crate) fn value_and_gradient(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64> {
    // Separate loops with and without scores, so that the common case carries no row code.
    match scores {
        Some(out) => by_density::<true, true>(l, th, y, backcast, grad, Some(out)),
        None => by_density::<true, false>(l, th, y, backcast, grad, None),
    }
}

/// ℓ(θ) alone (no gradient work in the recursion).
pub(crate) fn value(l: &Layout, th: &[f64], y: &[f64], backcast: f64) -> Option<f64> {
    let mut grad = [0.0; MAX_PARAMS];
    by_density::<false, false>(l, th, y, backcast, &mut grad[..th.len()], None)
}

#[inline(always)]
fn by_density<const GRAD: bool, const SC: bool>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64> {
    match l.dist {
        InnovationFamily::Normal => {
            dispatch::<GRAD, SC, NormalGrad>(l, th, y, backcast, grad, scores)
        }
        InnovationFamily::StudentT => {
            dispatch::<GRAD, SC, StudentGrad>(l, th, y, backcast, grad, scores)
        }
        InnovationFamily::SkewT => {
            dispatch::<GRAD, SC, SkewTGrad>(l, th, y, backcast, grad, scores)
        }
    }
}

#[inline(always)]
fn dispatch<const GRAD: bool, const SC: bool, D: GradDensity>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64> {
    // Fixed orders for the common models, so that the compiler unrolls the lag loops; the
    // gradient arrays are exactly as long as the mean + variance parameters (no dead lanes to
    // zero and copy per observation).
    if l.vol.is_egarch() {
        return match (l.vol.orders(), l.k_mean()) {
            ((1, 0, 1), 0) => egarch11::<0, 0, 3, GRAD, SC, D>(l, th, y, backcast, grad, scores),
            ((1, 0, 1), 1) => egarch11::<0, 1, 4, GRAD, SC, D>(l, th, y, backcast, grad, scores),
            ((1, 1, 1), 0) => egarch11::<1, 0, 4, GRAD, SC, D>(l, th, y, backcast, grad, scores),
            ((1, 1, 1), 1) => egarch11::<1, 1, 5, GRAD, SC, D>(l, th, y, backcast, grad, scores),
            _ => egarch::<0, 0, 0, 9, R, GRAD, SC, D>(l, th, y, backcast, grad, scores),
        };
    }
    match (l.vol.orders(), l.k_mean()) {
        ((1, 0, 1), 0) => run::<1, 0, 1, 0, 3, GRAD, SC, D>(l, th, y, backcast, grad, scores),
        ((1, 0, 1), 1) => run::<1, 0, 1, 1, 4, GRAD, SC, D>(l, th, y, backcast, grad, scores),
        ((1, 1, 1), 0) => run::<1, 1, 1, 0, 4, GRAD, SC, D>(l, th, y, backcast, grad, scores),
        ((1, 1, 1), 1) => run::<1, 1, 1, 1, 5, GRAD, SC, D>(l, th, y, backcast, grad, scores),
        _ => run::<0, 0, 0, 9, R, GRAD, SC, D>(l, th, y, backcast, grad, scores),
    }
}

/// εₜ and ∂εₜ/∂(mean parameters).
#[inline(always)]
fn residual(mean: MeanModel, tm: &[f64], y: &[f64], i: usize) -> (f64, [f64; 2]) {
    match mean {
        MeanModel::Zero => (y[i], [0.0, 0.0]),
        MeanModel::Constant => (y[i] - tm[0], [-1.0, 0.0]),
        MeanModel::Ar1 => (y[i] - tm[0] - tm[1] * y[i - 1], [-1.0, -y[i - 1]]),
    }
}

/// Grows the score matrix by one row and returns where it starts.
#[inline(always)]
fn new_row(scores: &mut Option<&mut Rows>, k: usize) -> usize {
    match scores.as_deref_mut() {
        Some(out) => {
            let start = out.scores.len();
            out.scores.resize(start + k, 0.0);
            start
        }
        None => 0,
    }
}

/// The GARCH/GJR loop; `M = 9` means "orders and mean read at run time"; `N` is the length of
/// the gradient arrays (≥ mean + variance parameters).
// Not inlined: each monomorphised loop is compiled (registers, spills) on its own.
#[inline(never)]
fn run<
    const P: usize,
    const O: usize,
    const Q: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const SC: bool,
    D,
>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64>
where
    D: GradDensity,
{
    let mut scores = if SC { scores } else { None };
    let (p, o, q, m) = if M == 9 {
        let (p, o, q) = l.vol.orders();
        (p, o, q, l.k_mean())
    } else {
        (P, O, Q, M)
    };
    // A compile-time constant for the fixed orders, so that the loops over θ unroll.
    let r = if M == 9 {
        m + l.k_vol()
    } else {
        M + 1 + P + O + Q
    };
    let (tm, tv) = (&th[..m], &th[m..r]);
    let (omega, alpha, gamma, beta) = (
        tv[0],
        &tv[1..1 + p],
        &tv[1 + p..1 + p + o],
        &tv[1 + p + o..],
    );
    let mut dens = D::new(&th[r..]);
    let mut a = [backcast; MAX_ORDER];
    let mut b = [0.5 * backcast; MAX_ORDER];
    let mut s = [backcast; MAX_ORDER];
    let mut da = [[0.0; 2]; MAX_ORDER];
    let mut db = [[0.0; 2]; MAX_ORDER];
    let mut ds = [[0.0; N]; MAX_ORDER];
    let mut g = [0.0; N];
    let k_all = th.len();
    let mut ln_s2 = super::kernel::LogSum::<f64>::new();
    let hold = l.mean.hold_back();
    for i in hold..y.len() {
        let mut s2 = omega;
        for j in 0..p {
            s2 += alpha[j] * a[j];
        }
        for j in 0..o {
            s2 += gamma[j] * b[j];
        }
        for j in 0..q {
            s2 += beta[j] * s[j];
        }
        if !(s2 > 0.0 && s2 < f64::INFINITY) {
            return None;
        }
        let mut dsn = [0.0; N];
        for (c, d) in dsn.iter_mut().enumerate().take(if GRAD { m } else { 0 }) {
            let mut v = 0.0;
            for j in 0..p {
                v += alpha[j] * da[j][c];
            }
            for j in 0..o {
                v += gamma[j] * db[j][c];
            }
            *d = v;
        }
        if GRAD {
            dsn[m] = 1.0;
            dsn[m + 1..m + 1 + p].copy_from_slice(&a[..p]);
            dsn[m + 1 + p..m + 1 + p + o].copy_from_slice(&b[..o]);
            dsn[m + 1 + p + o..r].copy_from_slice(&s[..q]);
            for (k, bk) in beta.iter().enumerate() {
                for c in 0..r {
                    dsn[c] += bk * ds[k][c];
                }
            }
        }
        let (eps, de) = residual(l.mean, tm, y, i);
        let inv = 1.0 / s2;
        let e2 = eps * eps;
        ln_s2.add(s2);
        let isd = if D::NEEDS_ISD { 1.0 / s2.sqrt() } else { 0.0 };
        let start = new_row(&mut scores, k_all);
        let row_shape = scores
            .as_deref_mut()
            .map(|out| &mut out.scores[start + r..]);
        let (dl_dh, dl_de) = dens.step(eps, isd, inv, row_shape);
        let dl_ds2 = dl_dh * inv;
        if GRAD {
            for c in 0..r {
                g[c] += dl_ds2 * dsn[c];
            }
            for c in 0..m {
                g[c] += dl_de * de[c];
            }
        }
        if let Some(out) = scores.as_deref_mut() {
            let row = &mut out.scores[start..start + r];
            for c in 0..r {
                row[c] = dl_ds2 * dsn[c];
            }
            for c in 0..m {
                row[c] += dl_de * de[c];
            }
            out.variance.push(s2);
        }
        // Shift the lags.
        let dnew = [2.0 * eps * de[0], 2.0 * eps * de[1]];
        for j in (1..p).rev() {
            a[j] = a[j - 1];
            da[j] = da[j - 1];
        }
        if p > 0 {
            a[0] = e2;
            da[0] = dnew;
        }
        for j in (1..o).rev() {
            b[j] = b[j - 1];
            db[j] = db[j - 1];
        }
        if o > 0 {
            // 1[ε < 0] as a factor (exact: x·1 = x, x·0 = 0), not a branch the data's signs
            // would mispredict half the time.
            let neg = f64::from(u8::from(eps < 0.0));
            b[0] = e2 * neg;
            db[0] = [dnew[0] * neg, dnew[1] * neg];
        }
        for j in (1..q).rev() {
            s[j] = s[j - 1];
            ds[j] = ds[j - 1];
        }
        if q > 0 {
            s[0] = s2;
            ds[0] = dsn;
        }
    }
    let n = (y.len() - hold) as f64;
    let value = dens.finish(n, ln_s2.total(), &mut grad[r..]);
    grad[..r].copy_from_slice(&g[..r]);
    value.is_finite().then_some(value)
}

/// The EGARCH loop (`backcast` on the ln σ² scale); `M = 9` and `N` as in [`run`].
// Not inlined: each monomorphised loop is compiled (registers, spills) on its own.
#[inline(never)]
fn egarch<
    const P: usize,
    const O: usize,
    const Q: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const SC: bool,
    D,
>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64>
where
    D: GradDensity,
{
    let mut scores = if SC { scores } else { None };
    let (p, o, q, m) = if M == 9 {
        let (p, o, q) = l.vol.orders();
        (p, o, q, l.k_mean())
    } else {
        (P, O, Q, M)
    };
    // A compile-time constant for the fixed orders, so that the loops over θ unroll.
    let r = if M == 9 {
        m + l.k_vol()
    } else {
        M + 1 + P + O + Q
    };
    let (tm, tv) = (&th[..m], &th[m..r]);
    let (omega, alpha, gamma, beta) = (
        tv[0],
        &tv[1..1 + p],
        &tv[1 + p..1 + p + o],
        &tv[1 + p + o..],
    );
    let mut dens = D::new(&th[r..]);
    // Lags, most recent first: |e| − √(2/π), e and h, each with its gradient.
    let mut a = [0.0; MAX_ORDER];
    let mut e = [0.0; MAX_ORDER];
    let mut hl = [backcast; MAX_ORDER];
    let mut da = [[0.0; N]; MAX_ORDER];
    let mut de = [[0.0; N]; MAX_ORDER];
    let mut dh = [[0.0; N]; MAX_ORDER];
    let mut g = [0.0; N];
    let k_all = th.len();
    let mut h_sum = 0.0;
    let hold = l.mean.hold_back();
    for i in hold..y.len() {
        let mut h = omega;
        for j in 0..p {
            h += alpha[j] * a[j];
        }
        for j in 0..o {
            h += gamma[j] * e[j];
        }
        for j in 0..q {
            h += beta[j] * hl[j];
        }
        // 1/σ = e^(−h/2): one exponential and no division at all (eₜ = εₜ/σₜ feeds the next
        // step; that chain of latencies bounds the loop). σ² and 1/σ² are finite and positive
        // for |h| < 709 (ln of the largest f64 is 709.78).
        if !(h > -H_MAX && h < H_MAX) {
            return None;
        }
        let isd = (-0.5 * h).exp();
        let mut dhn = [0.0; N];
        if GRAD {
            dhn[m] = 1.0;
            dhn[m + 1..m + 1 + p].copy_from_slice(&a[..p]);
            dhn[m + 1 + p..m + 1 + p + o].copy_from_slice(&e[..o]);
            dhn[m + 1 + p + o..r].copy_from_slice(&hl[..q]);
            for j in 0..p {
                for c in 0..r {
                    dhn[c] += alpha[j] * da[j][c];
                }
            }
            for j in 0..o {
                for c in 0..r {
                    dhn[c] += gamma[j] * de[j][c];
                }
            }
            for j in 0..q {
                for c in 0..r {
                    dhn[c] += beta[j] * dh[j][c];
                }
            }
        }
        let (eps, dmean) = residual(l.mean, tm, y, i);
        let inv = isd * isd;
        h_sum += h;
        let start = new_row(&mut scores, k_all);
        let row_shape = scores
            .as_deref_mut()
            .map(|out| &mut out.scores[start + r..]);
        let (dl_dh, dl_de) = dens.step(eps, isd, inv, row_shape);
        if GRAD {
            for c in 0..r {
                g[c] += dl_dh * dhn[c];
            }
            for c in 0..m {
                g[c] += dl_de * dmean[c];
            }
        }
        if let Some(out) = scores.as_deref_mut() {
            let row = &mut out.scores[start..start + r];
            for c in 0..r {
                row[c] = dl_dh * dhn[c];
            }
            for c in 0..m {
                row[c] += dl_de * dmean[c];
            }
            // Off the recursion's chain: this exponential overlaps the next step.
            out.variance.push(h.exp());
        }
        // The new standardised residual and its gradient, then shift the lags.
        let en = eps * isd;
        let mut den = [0.0; N];
        if GRAD {
            for c in 0..r {
                den[c] = -0.5 * en * dhn[c];
            }
            for c in 0..m {
                den[c] += dmean[c] * isd;
            }
        }
        for j in (1..p).rev() {
            a[j] = a[j - 1];
            da[j] = da[j - 1];
        }
        if p > 0 {
            a[0] = en.abs() - SQRT_2_OVER_PI;
            // sign(e) ∈ {−1, 0, 1} without a branch on the data's signs.
            let sign = f64::from(u8::from(en > 0.0)) - f64::from(u8::from(en < 0.0));
            for c in 0..r {
                da[0][c] = sign * den[c];
            }
        }
        for j in (1..o).rev() {
            e[j] = e[j - 1];
            de[j] = de[j - 1];
        }
        if o > 0 {
            e[0] = en;
            de[0] = den;
        }
        for j in (1..q).rev() {
            hl[j] = hl[j - 1];
            dh[j] = dh[j - 1];
        }
        if q > 0 {
            hl[0] = h;
            dh[0] = dhn;
        }
    }
    let n = (y.len() - hold) as f64;
    let value = dens.finish(n, h_sum, &mut grad[r..]);
    grad[..r].copy_from_slice(&g[..r]);
    value.is_finite().then_some(value)
}

/// EGARCH(1, 0, 1) and (1, 1, 1) (`O` = 0 or 1) with zero (`M` = 0) or constant (`M` = 1)
/// mean; `N` = M + 3 + O. With one lag of each kind the gradient recursion folds into one
/// scalar factor per observation (same maths as [`egarch`], fewer operations):
///
/// ```text
/// ∂hₜ/∂θ = (0, 1, aₜ₋₁, eₜ₋₁, hₜ₋₁) + cₜ₋₁ ∂hₜ₋₁/∂θ − kₜ₋₁ 1[θ = μ]
/// sₜ = sign(eₜ),  cₜ = β − ½ eₜ(α sₜ + γ),  kₜ = (α sₜ + γ) e^(−hₜ/2)      (∂εₜ/∂μ = −1)
/// ```
///
/// The pass runs as a `math::simd::dispatch_scalar` job: compiled with AVX2 and fused
/// multiply–adds where the CPU has them, so that the link of the recursion's chain is the
/// inline `math::exp_of_madd` (one fused xₜ₊₁ = (k₀ + βxₜ) + mₜe^(xₜ) and its exponential, the
/// table index formed from e^(xₜ) directly; no library call, which spilled the gradient
/// accumulators every observation; issue 17, seventh step). Without FMA it is the same
/// arithmetic as before, with the C library's `exp`.
// Not inlined: each monomorphised loop is compiled (registers, spills) on its own.
#[inline(never)]
fn egarch11<
    const O: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const SC: bool,
    D: GradDensity,
>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64> {
    dispatch_scalar(Egarch11Job::<O, M, N, GRAD, SC, D> {
        hold: l.mean.hold_back(),
        th,
        y,
        backcast,
        grad,
        scores,
        density: PhantomData,
    })
}

/// The arguments of [`egarch11`] as a job for `math::simd::dispatch_scalar`.
struct Egarch11Job<
    'a,
    const O: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const SC: bool,
    D,
> {
    hold: usize,
    th: &'a [f64],
    y: &'a [f64],
    backcast: f64,
    grad: &'a mut [f64],
    scores: Option<&'a mut Rows>,
    density: PhantomData<D>,
}

impl<const O: usize, const M: usize, const N: usize, const GRAD: bool, const SC: bool, D> LaneJob
    for Egarch11Job<'_, O, M, N, GRAD, SC, D>
where
    D: GradDensity,
{
    type Output = Option<f64>;

    #[inline(always)]
    fn run<const FUSED: bool>(self) -> Option<f64> {
        egarch11_in::<O, M, N, GRAD, SC, D, FUSED>(
            self.hold,
            self.th,
            self.y,
            self.backcast,
            self.grad,
            self.scores,
        )
    }
}

/// σ²ₜ = e^(hₜ) for |hₜ| < [`H_MAX`], inline where the fused exponential covers it (|h| ≤ 708).
#[inline(always)]
pub(crate) fn variance_of<const FUSED: bool>(h: f64) -> f64 {
    if h.abs() <= 708.0 {
        exp_in_range::<FUSED>(h)
    } else {
        h.exp()
    }
}

/// The body of [`egarch11`] (`FUSED`: fused multiply–adds are single instructions here).
#[inline(always)]
fn egarch11_in<
    const O: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const SC: bool,
    D: GradDensity,
    const FUSED: bool,
>(
    hold: usize,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Rows>,
) -> Option<f64> {
    let mut scores = if SC { scores } else { None };
    let mu = if M == 1 { th[0] } else { 0.0 };
    let (omega, alpha, beta) = (th[M], th[M + 1], th[M + 2 + O]);
    let gamma = if O == 1 { th[M + 2] } else { 0.0 };
    let mut dens = D::new(&th[N..]);
    debug_assert_eq!(th.len(), N + D::SHAPES);
    // The previous observation's |e| − √(2/π), e, h, ∂h/∂θ and carry factors c, k.
    let (mut a, mut e, mut hp) = (0.0, 0.0, backcast);
    let mut dh = [0.0; N];
    let (mut carry, mut kick) = (0.0, 0.0);
    let mut g = [0.0; N];
    let mut h_sum = 0.0;
    // The recursion runs on x = −h/2 (module docs): the previous observation's x, e^x and
    // m = −(α|ε| + γε)/2; the pre-sample shock is zero.
    let k0 = -0.5 * (omega - alpha * SQRT_2_OVER_PI);
    let (mut xp, mut isd_p, mut m) = (-0.5 * backcast, 1.0, -0.5 * (alpha * SQRT_2_OVER_PI));
    for &yi in &y[hold..] {
        // (k₀ + βxₜ₋₁) first: it is ready before e^(xₜ₋₁), the one long-latency step; then
        // one fused multiply–add on the chain.
        let (x, isd) = exp_of_madd::<FUSED>(m, isd_p, k0 + beta * xp);
        let h = -2.0 * x;
        // |x| < 354.5 here, inside exp_of_madd's |x| ≤ 700.
        if !(h > -H_MAX && h < H_MAX) {
            return None;
        }
        let eps = yi - mu;
        if GRAD {
            let mut dn = [0.0; N];
            for c in 0..N {
                dn[c] = carry * dh[c];
            }
            if M == 1 {
                dn[0] -= kick;
            }
            dn[M] += 1.0;
            dn[M + 1] += a;
            if O == 1 {
                dn[M + 2] += e;
            }
            dn[M + 2 + O] += hp;
            dh = dn;
        }
        h_sum += h;
        // The scores row is formed on the stack and appended whole (its length a constant):
        // growing the matrix by a row and writing into it called memset every observation.
        let mut row = [0.0; MAX_PARAMS];
        let row_shape = scores.is_some().then_some(&mut row[N..N + D::SHAPES]);
        let (dl_dh, dl_de) = dens.step(eps, isd, isd * isd, row_shape);
        if GRAD {
            for c in 0..N {
                g[c] += dl_dh * dh[c];
            }
            if M == 1 {
                g[0] -= dl_de;
            }
        }
        if let Some(out) = scores.as_deref_mut() {
            for c in 0..N {
                row[c] = dl_dh * dh[c];
            }
            if M == 1 {
                row[0] -= dl_de;
            }
            out.scores.extend_from_slice(&row[..N + D::SHAPES]);
            // Off the recursion's chain: this exponential overlaps the next step.
            out.variance.push(variance_of::<FUSED>(h));
        }
        let en = eps * isd;
        if GRAD {
            // sign(e) ∈ {−1, 0, 1} without a branch on the data's signs.
            let sign = f64::from(u8::from(en > 0.0)) - f64::from(u8::from(en < 0.0));
            let slope = if O == 1 {
                alpha * sign + gamma
            } else {
                alpha * sign
            };
            carry = beta - 0.5 * en * slope;
            kick = slope * isd;
        }
        a = en.abs() - SQRT_2_OVER_PI;
        e = en;
        hp = h;
        m = if O == 1 {
            -0.5 * (alpha * eps.abs() + gamma * eps)
        } else {
            -0.5 * (alpha * eps.abs())
        };
        (xp, isd_p) = (x, isd);
    }
    let n = (y.len() - hold) as f64;
    let value = dens.finish(n, h_sum, &mut grad[N..]);
    grad[..N].copy_from_slice(&g);
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::garch::variance::filter_from;
    use crate::garch::{Egarch, Garch};
    use rand::{Rng, SeedableRng};

    /// Every (mean, volatility, density) combination at a fixed and two seeded random parameter
    /// points (each parameter scaled by a factor in [0.8, 1.05)): the analytic value, gradient and scores
    /// equal the dual-number kernel's (the reference; issue 17 bar: 1e-10 relative), and the
    /// scores pass's σ²ₜ the variance filter's to 1e-13 relative.
    #[test]
    fn matches_the_dual_number_gradient() {
        let y: Vec<f64> = (0..600)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
            .collect();
        let vols = [
            (
                Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
                vec![0.2, 0.1, 0.8],
            ),
            (
                Volatility::Garch(Garch::new(1, 1, 1).unwrap()),
                vec![0.05, 0.03, 0.1, 0.8],
            ),
            (
                Volatility::Garch(Garch::new(2, 1, 2).unwrap()),
                vec![0.3, 0.05, 0.05, 0.04, 0.4, 0.4],
            ),
            (
                Volatility::Egarch(Egarch::new(1, 0, 1).unwrap()),
                vec![0.02, 0.2, 0.9],
            ),
            (
                Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
                vec![0.03, 0.15, -0.08, 0.93],
            ),
            (
                Volatility::Egarch(Egarch::new(2, 2, 2).unwrap()),
                vec![0.05, 0.1, 0.05, -0.04, 0.02, 0.5, 0.4],
            ),
        ];
        let dists = [
            (InnovationFamily::Normal, vec![]),
            (InnovationFamily::StudentT, vec![5.5]),
            (InnovationFamily::SkewT, vec![4.5, -0.2]),
            (InnovationFamily::SkewT, vec![9.0, 0.35]),
        ];
        let means = [
            (MeanModel::Zero, vec![]),
            (MeanModel::Constant, vec![0.1]),
            (MeanModel::Ar1, vec![0.1, 0.05]),
        ];
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(17);
        for (vol, tv) in &vols {
            for (dist, td) in &dists {
                for (mean, tm) in &means {
                    for point in 0..3 {
                        let mut th: Vec<f64> = tm.iter().chain(tv).chain(td).copied().collect();
                        if point > 0 {
                            for x in th.iter_mut() {
                                *x *= 1.0 + rng.random_range(-0.2..0.05);
                            }
                        }
                        let l = Layout {
                            mean: *mean,
                            vol: *vol,
                            dist: *dist,
                        };
                        let bc = if vol.is_egarch() { 1.7f64.ln() } else { 1.7 };
                        let (mut ga, mut gd) = (vec![0.0; th.len()], vec![0.0; th.len()]);
                        let mut rows = Rows::default();
                        let va = value_and_gradient(&l, &th, &y, bc, &mut ga, Some(&mut rows));
                        // The pass's σ²ₜ are the variance filter's (its own recursion, in
                        // σ² or ln σ² as written): inference takes them from here.
                        let (km, kv, hold) = (l.k_mean(), l.k_vol(), l.mean.hold_back());
                        let res: Vec<f64> = (hold..y.len())
                            .map(|i| l.mean.residual(&th[..km], &y, i))
                            .collect();
                        let mut want = vec![0.0; res.len()];
                        filter_from(vol, &th[km..km + kv], &res, bc, &mut want).unwrap();
                        assert_eq!(rows.variance.len(), want.len());
                        for (x, z) in rows.variance.iter().zip(&want) {
                            assert!(((x - z) / z).abs() < 1e-13, "{l:?} variance {x} vs {z}");
                        }
                        let sc = rows.scores;
                        let Some(va) = va else {
                            // Undefined here (an exploding recursion): so for the reference.
                            assert!(l.dual_value_and_gradient(&th, &y, bc, &mut gd).is_none());
                            continue;
                        };
                        let sd = l.dual_scores(&th, &y, bc).unwrap();
                        assert_eq!(sc.len(), sd.len());
                        for (x, z) in sc.iter().zip(&sd) {
                            assert!(
                                (x - z).abs() < 1e-10 * z.abs().max(1.0),
                                "{l:?} score {x} vs {z}"
                            );
                        }
                        let vd = l.dual_value_and_gradient(&th, &y, bc, &mut gd).unwrap();
                        assert!(((va - vd) / vd).abs() < 1e-13, "{l:?}: {va} vs {vd}");
                        let v0 = value(&l, &th, &y, bc).unwrap();
                        assert!(((v0 - vd) / vd).abs() < 1e-13, "{l:?}: {v0} vs {vd}");
                        for (x, z) in ga.iter().zip(&gd) {
                            assert!(
                                (x - z).abs() < 1e-10 * z.abs().max(1.0),
                                "{l:?}: {ga:?} vs {gd:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
