//! The implied-volatility solver: the normalised Black function inverted to machine precision.
//!
//! Every function reduces its quote to one problem: the out-of-the-money option, normalised by
//! its strike, at log-moneyness x = −|ln(F/K)| ≤ 0,
//!
//! ```text
//! find s = σ√T > 0 with f(x, s) = β,   f(x, s) = eˣΦ(x/s + s/2) − Φ(x/s − s/2),   0 < β < eˣ
//! ```
//!
//! (an in-the-money quote gives up its intrinsic value first, by exact put–call parity), and
//! solves it in the spirit of P. Jäckel, "Let's Be Rational" (Wilmott 2015): f is evaluated
//! without cancellation (`normalised.rs`), a starting value close enough for one third-order
//! Householder step is built from cheap models of f, and the step is taken on an objective that
//! is nearly linear in s where the start may be rough. The starts (docs/pricing.md):
//!
//! - |x|/s up to about 8.6 at small and moderate s: the small-s expansion at fixed h = x/s,
//!   e^{−x/2}·f = s·ψ(h) + s³·(h²ψ − φ)/24 + s⁵·(h⁴ψ − h²φ + 3φ)/1920 + O(s⁷) with the normal
//!   loss function ψ(h) = φ(h) + h·Φ(h), started near the money from a quadratic in s and
//!   further out from a fitted inverse of its s → 0 limit ψ(−k)/k, and corrected by one or two
//!   Newton or Halley steps on the model; the objective is then f − β itself;
//! - far out of the money or at large s below the inflection point s_c = √(2|x|): the tail
//!   asymptotics f ≈ φ(d₂)·s³/(x² − s⁴/4), objective ln f − ln β;
//! - above s_c: the large-s asymptotics eˣ − f ≈ (1 + eˣ)·Φ(−s/2) or the tangent at s_c,
//!   objective ln(eˣ − f) − ln(eˣ − β), with eˣ − f evaluated directly.
//!
//! Since f' = φ(d₂), f'' = f'·(x²/s³ − s/4), f''' = f'·((x²/s³ − s/4)² − 3x²/s⁴ − 1/4), each step
//! costs one evaluation of f and one exponential. The iteration is safeguarded by a bracket (f is
//! increasing in s), so it cannot diverge, and reports how many steps it took.

use super::normalised::{otm_call_and_vega, otm_complement_and_vega};
use crate::math::{erfcx, exp_neg_half_square, lower_inv_cdf_guess, norm_cdf, Termination};

/// 1/√(2π) = φ(0).
pub(crate) const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Steps after which the safeguarded iteration stops; never reached on the validation grid,
/// where one to three steps suffice (docs/VALIDATION.md). Bisection from a bracket of ratio
/// 10¹⁰⁰ reaches an ulp in under 64 steps, so only a defect can exhaust it.
const MAX_ITERATIONS: u32 = 64;

/// The root s of f(x, s) = β found by [`solve_normalised`], and how the iteration ended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Solution {
    /// Total volatility s = σ√T (the best point found if not converged).
    pub s: f64,
    /// Householder or bisection steps taken.
    pub iterations: u32,
    /// [`Termination::Converged`] or [`Termination::MaxIterations`].
    pub termination: Termination,
}

/// Solves f(x, s) = β for s, with x ≤ 0, 0 < β < eˣ and `complement` = eˣ − β computed by the
/// caller without cancellation.
pub(crate) fn solve_normalised(x: f64, beta: f64, complement: f64, b_max: f64) -> Solution {
    if x == 0.0 && beta < 1e-8 {
        // At the money f = 2Φ(s/2) − 1 = s·φ(0)·(1 − s²/24 + …): below 1e-8 the linear term is
        // exact in double precision, and the iteration would meet subnormal s.
        return Solution {
            s: beta * SQRT_2PI,
            iterations: 0,
            termination: Termination::Converged,
        };
    }
    let s_c = (-2.0 * x).sqrt();
    // Far out of the money the root is surely below s_c and [`far_start`] applies: then
    // f(s_c) is not needed. At s_c, d₁ = 0, so f(s_c) = eˣ/2 − Φ(−s_c), here only compared
    // with β, with a margin of two for its rounding.
    if beta <= NEAR_MONEY_RATIO * -x && beta < 0.5 * (0.5 * b_max - norm_cdf(-s_c)) {
        let (s, objective) = far_start(x, beta, b_max, s_c, f64::INFINITY);
        return householder(x, beta, b_max, s, objective, (0.0, s_c));
    }
    // f and f' at the inflection point s_c, where f'(s_c) = φ(s_c).
    let (b_c, vega_c) = if s_c > 0.0 {
        otm_call_and_vega(x, s_c, b_max)
    } else {
        (0.0, FRAC_1_SQRT_2PI)
    };
    let lower = beta < b_c;
    let inflection = Inflection { s_c, b_c, vega_c };
    let (s, objective) = if lower {
        lower_start(x, beta, b_max, &inflection)
    } else {
        upper_start(x, beta, complement, b_max, &inflection)
    };
    let bracket = if lower {
        (0.0, s_c)
    } else {
        (s_c, f64::INFINITY)
    };
    householder(x, beta, b_max, s, objective, bracket)
}

/// Safeguarded Householder(3) iteration on `objective` from `s`, keeping the root inside
/// `bracket`.
#[inline]
fn householder(
    x: f64,
    beta: f64,
    b_max: f64,
    mut s: f64,
    objective: Objective,
    (mut lo, mut hi): (f64, f64),
) -> Solution {
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let inv_s = 1.0 / s;
        let h = x * inv_s;
        let h2_over_s = h * h * inv_s;
        // f''/f' = g and (f''/f')' = g' for the normalised price (f' = φ(d₂)).
        let g = h2_over_s - 0.25 * s;
        let g_prime = -3.0 * h2_over_s * inv_s - 0.25;
        // The objective's value, its slope, and r = the slope of ln of the transformed price
        // (0 for the plain objective), from which its second and third derivatives divided by
        // the first follow: g − r and g² + g' − 3rg + 2r², with no division left.
        let (value, slope, r) = match objective {
            Objective::Price => {
                let (f, vega) = otm_call_and_vega(x, s, b_max);
                (f - beta, vega, 0.0)
            }
            Objective::LogPrice(target) => {
                let (f, vega) = otm_call_and_vega(x, s, b_max);
                let r = vega / f;
                (f.ln() - target, r, r)
            }
            Objective::LogComplement(target) => {
                // Only used above s_c, where d₁ ≥ 0 (the bracket keeps s there).
                let (c, vega) = otm_complement_and_vega(x, s); // eˣ − f and f'(s)
                let r = -vega / c;
                (c.ln() - target, r, r)
            }
        };
        let (h2, h3) = (g - r, g * g + g_prime - 3.0 * r * g + 2.0 * r * r);
        if value == 0.0 {
            converged = true;
            break;
        }
        // Keep the bracket: f increases with s, so the price objectives do and ln c − target
        // falls. An underflowed f (ln f = −∞) means s is far too small, an underflowed c too
        // large.
        let too_high = match objective {
            Objective::LogComplement(_) => value < 0.0,
            _ => value > 0.0,
        };
        if too_high {
            hi = s;
        } else {
            lo = s;
        }
        if hi.is_finite() && (hi - lo <= 4.0 * f64::EPSILON * hi || hi <= 4.0 * TINIEST) {
            // The bracket is down to a few ulps (or to a few of the smallest subnormals): s is
            // the root to machine precision.
            converged = true;
            break;
        }
        let newton = -value / slope;
        // A Newton step wider than the bracket (or not finite) means the objective is flat here
        // (f saturated at its bound, or underflowed): the Householder correction then shrinks
        // the step to a crawl rather than fixing it, so bisect instead.
        // (Twice the width: a root at the bracket's end is approached from inside.)
        if newton.is_nan() || newton.abs() > 2.0 * (hi - lo) {
            s = bisect(lo, hi, s);
            continue;
        }
        let step = householder_step(newton, h2, h3);
        // Converged: the Householder(3) step from an error of 1e-4 leaves one of order
        // (1e-4)⁴ = 1e-16 on the nearly linear transformed objectives. The price itself bends on
        // the scale s/(1 + h²) (f ∝ exp(−h²/2) in the wings), so there the threshold shrinks.
        let tolerance = match objective {
            Objective::Price => price_tolerance(s, h),
            _ => 1e-4 * s,
        };
        if step_converged(step, newton, tolerance) {
            s += step;
            converged = true;
            break;
        }
        let next = s + step;
        s = if next > lo && next < hi {
            next
        } else if next <= lo && lo - next <= tolerance && lo > 0.0 {
            // The root is the bracket's end itself (a price at the inflection point s_c, which
            // bounds both branches): land on it rather than bisect towards it.
            lo
        } else if next >= hi && next - hi <= tolerance {
            hi
        } else {
            bisect(lo, hi, s)
        };
    }
    Solution {
        s,
        iterations,
        termination: if converged {
            Termination::Converged
        } else {
            Termination::MaxIterations
        },
    }
}

/// The Householder(3) step from the Newton step −value/slope, with h2 = obj''/obj' and
/// h3 = obj'''/obj' (the Newton step where the correction is not finite).
///
/// ```text
/// step = n·(1 + h₂n/2)/(1 + n·(h₂ + h₃n/6)),   n = −value/slope
/// ```
#[inline(always)]
pub(crate) fn householder_step(newton: f64, h2: f64, h3: f64) -> f64 {
    let step = newton * (1.0 + 0.5 * h2 * newton) / (1.0 + newton * (h2 + h3 * newton / 6.0));
    // `abs() <= MAX` is `is_finite()` as a float comparison, which vectorises in lane code.
    if step.abs() <= f64::MAX {
        step
    } else {
        newton
    }
}

/// The convergence threshold on the step of the price objective f − β at s, h = x/s.
#[inline(always)]
pub(crate) fn price_tolerance(s: f64, h: f64) -> f64 {
    1e-4 * s / (1.0 + h * h)
}

/// The convergence test after a step: both the Householder step and the Newton step small
/// (the higher-order correction may not shrink a large Newton step to a small one and call it
/// convergence). Non-short-circuit `&` so that lane code stays branch-free.
#[inline(always)]
pub(crate) fn step_converged(step: f64, newton: f64, tolerance: f64) -> bool {
    (step.abs() <= tolerance) & (newton.abs() <= 10.0 * tolerance)
}

/// What the Householder steps drive to zero.
#[derive(Clone, Copy)]
enum Objective {
    /// f − β, where the start comes from the small-s model and is already close.
    Price,
    /// ln f − ln β (the target), nearly linear in s below the inflection point.
    LogPrice(f64),
    /// ln(eˣ − f) − ln(eˣ − β) (the target), nearly linear in s far above it.
    LogComplement(f64),
}

/// The smallest positive double (subnormal).
const TINIEST: f64 = 5e-324;

/// The middle of the bracket (geometric when it is bounded below), or a doubling above `s`;
/// never 0, which the normalised function does not take.
#[inline]
fn bisect(lo: f64, hi: f64, s: f64) -> f64 {
    match (lo > 0.0, hi.is_finite()) {
        (true, true) => (lo * hi).sqrt().max(lo),
        (false, true) => (0.5 * hi).max(TINIEST),
        _ => 2.0 * s,
    }
}

/// φ(h) and Φ(h) for h ≤ 0 from one exponential: Φ(h) = ½·erfcx(−h/√2)·exp(−h²/2).
#[inline]
fn pdf_and_cdf_below_zero(h: f64) -> (f64, f64) {
    let e = exp_neg_half_square(h);
    (
        FRAC_1_SQRT_2PI * e,
        0.5 * e * erfcx(-h * std::f64::consts::FRAC_1_SQRT_2),
    )
}

/// The normalised price and its slope at the inflection point s_c = √(−2x).
#[derive(Clone, Copy)]
struct Inflection {
    s_c: f64,
    b_c: f64,
    vega_c: f64,
}

/// β/|x| above which a quote is near the money (|x|/s < 1.4, see [`lower_start`]).
pub(crate) const NEAR_MONEY_RATIO: f64 = 0.026;

/// √(2π).
pub(crate) const SQRT_2PI: f64 = 2.506_628_274_631_000_5;

/// Starting value and objective below the inflection point (β < f(s_c)).
///
/// Near the money (|h| = |x|/s below about 1.4) the small-s model of g = e^{−x/2}·f (see
/// [`model_step`]) is solved from a quadratic start ([`near_money_guess`]), and the plain
/// objective f − β finishes; further out, [`far_start`].
#[inline]
fn lower_start(x: f64, beta: f64, b_max: f64, inflection: &Inflection) -> (f64, Objective) {
    let Inflection { s_c, b_c, vega_c } = *inflection;
    // f ≤ s·φ(0) on this branch, so s ≥ β·√(2π).
    let floor = beta * SQRT_2PI;
    // The tangent at s_c lies under the convex lower branch, so it overestimates.
    let tangent = s_c - (b_c - beta) / vega_c;
    let near_money_start = if tangent > floor {
        tangent.min(s_c)
    } else {
        s_c
    };
    // β ≈ s·ψ(h) near the money, so β/|x| ≈ ψ(h)/|h|, which falls from ∞ at h = 0 to 0.026 at
    // |h| = 1.4, where the near-money model stops being the better start.
    if beta > NEAR_MONEY_RATIO * -x {
        let s = near_money_guess(x, beta, b_max, near_money_start, floor);
        return (s, Objective::Price);
    }
    far_start(x, beta, b_max, s_c, tangent)
}

/// Starting value and objective for |h| = |x|/s above about 1.4, below the inflection point;
/// `tangent` (an overestimate of s) caps the tail guess where it is known.
#[inline]
fn far_start(x: f64, beta: f64, b_max: f64, s_c: f64, tangent: f64) -> (f64, Objective) {
    let floor = beta * SQRT_2PI;
    // Up to |h| = 8.6, invert the s → 0 limit q = ψ(−k)/k with a fitted polynomial, and correct
    // it with one Halley step on the small-s model.
    let target = beta / b_max.sqrt();
    let q = target / -x;
    if let Some(piece) = FAR_START.iter().find(|piece| q > piece.q_min) {
        let u = (-2.0 * q.ln()).sqrt() - piece.w0;
        let k = piece
            .coefficients
            .iter()
            .rev()
            .fold(0.0, |acc, c| acc * u + c);
        let t = -x / k;
        if t < 1.5 {
            // max/min rather than clamp: rounding may put the floor an ulp above s_c.
            let t = model_step(x, t.max(floor).min(s_c), target, true);
            return (t.max(floor).min(s_c), Objective::Price);
        }
    }
    let (s, ln_beta) = lower_tail_guess(x, beta, tangent, s_c, floor);
    (s, Objective::LogPrice(ln_beta))
}

/// The tail asymptotics f ≈ φ(d₂)·s³/(x² − s⁴/4), valid while d₁ ≪ 0, inverted for s by a
/// fixed point in u = 1/s²; returns s and ln β.
#[inline]
fn lower_tail_guess(x: f64, beta: f64, tangent: f64, s_c: f64, floor: f64) -> (f64, f64) {
    let ln_beta = beta.ln();
    let a = 0.5 * x * x;
    let mut s = (a / (-ln_beta).max(f64::MIN_POSITIVE)).sqrt();
    for _ in 0..2 {
        let denom = (x * x - 0.25 * s * s * s * s).max(0.5 * x * x);
        let rest =
            -0.5 * x.abs() - 0.125 * s * s - 0.918_938_533_204_672_8 + (s * s * s / denom).ln();
        let gap = rest - ln_beta;
        if gap <= 0.0 {
            break;
        }
        s = (a / gap).sqrt();
    }
    let s = if tangent > 0.0 { s.min(tangent) } else { s };
    (s.max(floor).max(f64::MIN_POSITIVE).min(s_c), ln_beta)
}

/// Newton steps on the near-the-money model g = s·ψ(h) + s³·(h²ψ(h) − φ(h))/24 +
/// s⁵·(h⁴ψ(h) − h²φ(h) + 3φ(h))/1920 = β·e^{−x/2},
/// h = x/s, with ∂g/∂s = φ(h)·e^{−s²/8} (exact for the true g), from a quadratic approximation
/// or else from `start` (above the root).
#[inline]
fn near_money_guess(x: f64, beta: f64, b_max: f64, start: f64, floor: f64) -> f64 {
    let target = beta / b_max.sqrt();
    // ψ(h) ≈ φ(0) + h/2 + φ(0)·h²/2 near h = 0 turns s·ψ(x/s) = β·e^{−x/2} into a quadratic in
    // s; its error is about h⁴/24 relative, so one Newton step suffices for |h| < 1/2.
    let linear = target - 0.5 * x;
    let discriminant = linear * linear - 2.0 * (FRAC_1_SQRT_2PI * x) * (FRAC_1_SQRT_2PI * x);
    let (mut t, steps) = if discriminant > 0.0 {
        let t = (linear + discriminant.sqrt()) * (0.5 / FRAC_1_SQRT_2PI);
        (t.max(floor).min(start), if -x < 0.5 * t { 1 } else { 2 })
    } else {
        (start, 2)
    };
    for _ in 0..steps {
        t = model_step(x, t, target, steps > 1).max(floor);
    }
    t
}

/// One Newton (or, with `halley`, Halley) step from `t` towards the root of g(s) = `target` for
/// the small-s model g = s·ψ(h) + s³·(h²ψ(h) − φ(h))/24 + s⁵·(h⁴ψ(h) − h²φ(h) + 3φ(h))/1920 of
/// g = e^{−x/2}·f at h = x/s, with ∂g/∂s = φ(h)·e^{−s²/8} and ∂²g/∂s² / ∂g/∂s = h²/s − s/4
/// (exact for the true g).
#[inline]
fn model_step(x: f64, t: f64, target: f64, halley: bool) -> f64 {
    let h = x / t;
    let (density, cdf) = pdf_and_cdf_below_zero(h);
    let psi = density + h * cdf;
    let t2 = t * t;
    // The series in s converges quickly only while s is small: beyond s = 1.5 it is cut to ψ
    // alone (the guess is then rougher, and the iteration finishes it).
    let (model, slope) = if t2 < 2.25 {
        let h2 = h * h;
        let cubic = (h2 * psi - density) * (1.0 / 24.0);
        let quintic = (h2 * (h2 * psi - density) + 3.0 * density) * (1.0 / 1920.0);
        let e = 0.125 * t2; // e^{−e} ≈ 1 − e + e²/2
        (
            t * (psi + t2 * (cubic + t2 * quintic)),
            density * (1.0 - e * (1.0 - 0.5 * e)),
        )
    } else {
        (t * psi, density)
    };
    let newton = (model - target) / slope;
    if halley {
        t - newton / (1.0 - 0.5 * newton * (h * h / t - 0.25 * t))
    } else {
        t - newton
    }
}

/// A piece of the fitted inverse of q = ψ(−k)/k (the s → 0 limit of β·e^{−x/2}/|x|): k = |x|/s
/// as a polynomial in u = √(−2 ln q) − w₀, for q above `q_min`.
pub(crate) struct StartPiece {
    pub(crate) q_min: f64,
    pub(crate) w0: f64,
    pub(crate) coefficients: &'static [f64],
}

/// 1.3 ≤ k ≤ 3.2 and 3.1 ≤ k ≤ 8.6, each to 1.7e-5 relative; fitted by
/// tools/fit_implied_start.py.
pub(crate) const FAR_START: [StartPiece; 2] = [
    StartPiece {
        q_min: 5.789e-5,
        w0: 3.5,
        coefficients: &[
            2.204_651_685_427_729,
            1.059_826_921_802_679_7,
            0.044_437_405_886_981_02,
            -0.024_414_778_101_311_204,
            0.007_081_497_218_083_97,
            -0.000_859_011_765_635_587_6,
        ],
    },
    StartPiece {
        q_min: 5.252e-20,
        w0: 7.0,
        coefficients: &[
            6.019_938_906_934_835,
            1.077_723_219_136_502_3,
            -0.005_941_404_341_780_49,
            0.000_270_755_712_143_012_4,
            3.329_293_875_885_335e-5,
            -3.174_556_945_562_785e-5,
            8.353_444_403_291_305e-6,
        ],
    },
];

/// Starting value and objective above the inflection point (β ≥ f(s_c)).
#[inline]
fn upper_start(
    x: f64,
    beta: f64,
    complement: f64,
    b_max: f64,
    inflection: &Inflection,
) -> (f64, Objective) {
    let Inflection { s_c, b_c, vega_c } = *inflection;
    // eˣ − f ≈ (1 + eˣ)·Φ(−s/2) for large s (exact at x = 0).
    let p = ((b_max - beta) / (1.0 + b_max)).min(0.5);
    let s_asymptotic = -2.0 * lower_inv_cdf_guess(p);
    // The tangent at s_c lies over the concave upper branch, so it underestimates.
    let tangent = if vega_c > 0.0 {
        s_c + (beta - b_c) / vega_c
    } else {
        s_c
    };
    let s = s_asymptotic.max(tangent);
    let s = if s > s_c {
        s
    } else {
        s_c * (1.0 + 1e-3) + 1e-3
    };
    if s < 1.5 && beta > NEAR_MONEY_RATIO * -x {
        // Near the money at moderate s the model of [`near_money_guess`] is the better start.
        let t = near_money_guess(x, beta, b_max, 4.0 * s, beta * SQRT_2PI);
        return (t, Objective::Price);
    }
    // ln f − ln β while the price is under half its bound, else ln(eˣ − f) − ln(eˣ − β): each
    // keeps relative precision where it is used.
    let objective = if beta <= 0.5 * b_max {
        Objective::LogPrice(beta.ln())
    } else {
        Objective::LogComplement(complement.ln())
    };
    (s, objective)
}
