//! Branch-free lane kernels for the batch implied-volatility solver: the scalar solver's closed-form
//! starting values (`solver.rs`: the near-the-money quadratic, the fitted far start, the small-s
//! model steps) and one Householder(3) step on the price objective f − β, written as
//! straight-line `f64` code (selects, no branches, no library calls) so that a loop over a chunk
//! of lanes is vectorised by LLVM.
//!
//! Every kernel returns, with its value, whether that value is the scalar formula's on this lane
//! (its erfcx arguments inside the lane domain, its result finite); `implied_batch.rs` sends the
//! other lanes to the scalar solver.

use super::lanes::{
    exp_lane, exp_neg_half_square_lane, ln_lane, otm_call_lane, quotient_parts, ERFCX_LANE_MAX,
};
use super::lanes_taylor::otm_call_taylor_lane;
use super::solver::{
    householder_step, price_tolerance, step_converged, FAR_START, FRAC_1_SQRT_2PI, SQRT_2PI,
};

const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// φ(h) and Φ(h) for h ≤ 0 from one exponential (as the scalar `pdf_and_cdf_below_zero`), and
/// whether −h/√2 is inside the lane erfc's domain.
///
/// ```text
/// m = −h/√2,  e = exp(−h²/2),  φ(h) = e/√(2π),
/// Φ(h) = ½·erfc(m) = ½·e·erfcx(m)
/// ```
#[inline(always)]
pub(crate) fn pdf_and_cdf_below_zero_lane<const FUSED: bool>(h: f64) -> (f64, f64, bool) {
    let m = -h * FRAC_1_SQRT_2;
    let e = exp_neg_half_square_lane::<FUSED>(h);
    let (num, den) = quotient_parts::<FUSED>(m, e);
    (FRAC_1_SQRT_2PI * e, 0.5 * (num / den), m <= ERFCX_LANE_MAX)
}

/// The scalar `model_step` in lanes: one Newton (or, with `halley`, Halley) step from `t`
/// towards g(s) = `target` for the small-s model of g = e^{−x/2}·f at h = x/s.
///
/// ```text
/// g = s·ψ(h) + s³·(h²ψ − φ)/24 + s⁵·(h⁴ψ − h²φ + 3φ)/1920   (s < 1.5; s·ψ(h) above),
/// ψ(h) = φ(h) + h·Φ(h),  ∂g/∂s = φ(h)·e^{−s²/8},  ∂²g/∂s² / ∂g/∂s = h²/s − s/4
/// ```
#[inline(always)]
fn model_step_lane<const FUSED: bool>(x: f64, t: f64, target: f64, halley: bool) -> (f64, bool) {
    let h = x / t;
    let (density, cdf, valid) = pdf_and_cdf_below_zero_lane::<FUSED>(h);
    let psi = density + h * cdf;
    let t2 = t * t;
    let h2 = h * h;
    let cubic = (h2 * psi - density) * (1.0 / 24.0);
    let quintic = (h2 * (h2 * psi - density) + 3.0 * density) * (1.0 / 1920.0);
    let e = 0.125 * t2;
    let series = t2 < 2.25;
    let model = if series {
        t * (psi + t2 * (cubic + t2 * quintic))
    } else {
        t * psi
    };
    let slope = if series {
        density * (1.0 - e * (1.0 - 0.5 * e))
    } else {
        density
    };
    let newton = (model - target) / slope;
    let halley_step = newton / (1.0 - 0.5 * newton * (h2 / t - 0.25 * t));
    let next = t - if halley { halley_step } else { newton };
    (next, valid & (next.abs() <= f64::MAX))
}

/// The scalar `near_money_guess` in lanes: a quadratic start (capped by `start`), then one or
/// two model steps, each floored at `floor` (where f ≤ s·φ(0) puts the root above it).
///
/// ```text
/// ψ(h) ≈ φ(0) + h/2 + φ(0)·h²/2:   s²·φ(0) − s·(β·e^{−x/2} − x/2) + φ(0)·x²/2 = 0
/// ```
#[inline(always)]
pub(crate) fn near_money_guess_lane<const FUSED: bool>(
    x: f64,
    beta: f64,
    b_max: f64,
    start: f64,
    floor: f64,
) -> (f64, bool) {
    let target = beta / b_max.sqrt();
    let linear = target - 0.5 * x;
    let a = FRAC_1_SQRT_2PI * x;
    let discriminant = linear * linear - 2.0 * a * a;
    let real = discriminant > 0.0;
    let root = (linear + discriminant.max(0.0).sqrt()) * (0.5 / FRAC_1_SQRT_2PI);
    let quadratic = root.max(floor).min(start);
    let t0 = if real { quadratic } else { start };
    // One step when the quadratic applies and |x| < t/2 (its error ~h⁴/24 is then small).
    let two = !(real & (-x < 0.5 * t0));
    let (t1, valid1) = model_step_lane::<FUSED>(x, t0, target, two);
    let t1 = t1.max(floor);
    let (t2, valid2) = model_step_lane::<FUSED>(x, t1, target, true);
    let t2 = t2.max(floor);
    let t = if two { t2 } else { t1 };
    (t, valid1 & (valid2 | !two))
}

/// The scalar `far_start` on its fitted-polynomial path in lanes (1.3 ≤ |x|/s ≤ 8.6 with
/// s < 1.5), corrected by one Halley step on the small-s model and kept in [floor, s_c]; not
/// valid where the scalar solver would take the tail asymptotics instead.
///
/// ```text
/// q = β·e^{−x/2}/|x|,  u = √(−2 ln q) − w₀,  k = Σ cⱼuʲ,  s = |x|/k
/// ```
#[inline(always)]
pub(crate) fn far_start_lane<const FUSED: bool>(
    x: f64,
    beta: f64,
    b_max: f64,
    s_c: f64,
    floor: f64,
) -> (f64, bool) {
    let target = beta / b_max.sqrt();
    let q = target / -x;
    let first = q > FAR_START[0].q_min;
    let fitted = q > FAR_START[1].q_min;
    let w = (-2.0 * ln_lane::<FUSED>(q)).sqrt();
    let k0 = horner(FAR_START[0].coefficients, w - FAR_START[0].w0);
    let k1 = horner(FAR_START[1].coefficients, w - FAR_START[1].w0);
    let k = if first { k0 } else { k1 };
    let t = -x / k;
    let (t1, valid) = model_step_lane::<FUSED>(x, t.max(floor).min(s_c), target, true);
    (t1.max(floor).min(s_c), valid & fitted & (t < 1.5))
}

/// Σ cⱼuʲ by Horner's rule.
#[inline(always)]
fn horner(coefficients: &[f64], u: f64) -> f64 {
    let mut acc = 0.0;
    let mut j = coefficients.len();
    while j > 0 {
        j -= 1;
        acc = acc * u + coefficients[j];
    }
    acc
}

/// The rational start for Φ⁻¹(p), 0 < p ≤ ½ (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4),
/// as the scalar `lower_inv_cdf_guess`.
///
/// ```text
/// t = √(−2 ln p),  Φ⁻¹(p) ≈ (2.515517 + 0.802853t + 0.010328t²)/
///                           (1 + 1.432788t + 0.189269t² + 0.001308t³) − t
/// ```
#[inline(always)]
pub(crate) fn lower_inv_cdf_guess_lane<const FUSED: bool>(p: f64) -> f64 {
    let t = (-2.0 * ln_lane::<FUSED>(p)).sqrt();
    let num = 2.515_517 + t * (0.802_853 + t * 0.010_328);
    let den = 1.0 + t * (1.432_788 + t * (0.189_269 + t * 0.001_308));
    num / den - t
}

/// Φ(−s_c) for s_c = √(−2x) ≥ 0, |x| ≤ 16: ½·erfc(√(−x)) with the lane erfc.
#[inline(always)]
pub(crate) fn cdf_at_minus_inflection_lane<const FUSED: bool>(x: f64) -> f64 {
    let y = (-x).sqrt();
    let e = exp_lane::<FUSED>(x); // exp(−y²)
    let (num, den) = quotient_parts::<FUSED>(y, e);
    0.5 * (num / den)
}

/// The objective a lane's Householder steps drive to zero (the scalar solver's `Objective`).
#[derive(Clone, Copy)]
pub(crate) struct Objective {
    /// ln f − ln β (else f − β, unless `log_complement`).
    pub(crate) log_price: bool,
    /// ln(eˣ − f) − ln(eˣ − β).
    pub(crate) log_complement: bool,
    /// ln β or ln(eˣ − β) for the logarithmic objectives.
    pub(crate) target: f64,
}

/// How one Householder(3) step ended for a lane.
#[derive(Clone, Copy)]
pub(crate) struct Step {
    /// The next iterate (s + step).
    pub(crate) next: f64,
    /// The objective was exactly 0, or the step met the scalar solver's convergence test.
    pub(crate) converged: bool,
    /// s is above the root (the objective is positive, or negative for ln(eˣ − f)).
    pub(crate) above: bool,
    /// The Newton step −value/slope (the scalar solver bisects when it is wider than twice the
    /// bracket).
    pub(crate) newton: f64,
    /// f and its derivatives at s are the scalar formulas' (lane domain, finite step).
    pub(crate) valid: bool,
}

/// eˣ − f(x, s) for s ≥ √(−2x) (d₁ ≥ 0), as the scalar `otm_complement_and_vega`, with the lane
/// erfc: z₁ = min(z₀ − s, 0), and since eˣ·exp(−z₁²/2) = e = exp(−z₀²/2),
///
/// ```text
/// eˣ − f = ½·[erfc(z₀/√2) + eˣ·erfc(−z₁/√2)],   erfc(z₀/√2) = e·erfcx(z₀/√2),
///          eˣ·erfc(−z₁/√2) = e·erfcx(−z₁/√2)  (eˣ, the z₁ = 0 value, for z₁ > 0)
/// ```
#[inline(always)]
fn complement_lane<const FUSED: bool>(x: f64, s: f64, ex: f64) -> f64 {
    let z0 = 0.5 * s - x / s;
    let z1 = z0 - s;
    let e = exp_neg_half_square_lane::<FUSED>(z0);
    let (n0, d0) = quotient_parts::<FUSED>(z0 * FRAC_1_SQRT_2, e);
    let (n1, d1) = quotient_parts::<FUSED>(z1 * FRAC_1_SQRT_2, e);
    let t1 = if z1 > 0.0 { ex } else { n1 / d1 };
    0.5 * (n0 / d0 + t1)
}

/// One step of the scalar solver's Householder(3) iteration on `objective`, with its
/// convergence test: the same formulas, f from `otm_call_lane`, eˣ − f from
/// [`complement_lane`].
///
/// ```text
/// f' = φ(z₀),  f''/f' = g = x²/s³ − s/4,  f'''/f' = g² + g',  g' = −3x²/s⁴ − 1/4;
/// on ln F (F = f or eˣ − f): r = (ln F)' = ±f'/F,  value''/value' = g − r,
/// value'''/value' = g² + g' − 3rg + 2r²  (r = 0 for f − β);
/// n = −value/value',  converged ⇔ |step| ≤ tol and |n| ≤ 10·tol,
/// tol = 1e-4·s/(1 + h²) for f − β, 1e-4·s for the logarithmic objectives
/// ```
// The masks use non-short-circuit `&` of comparisons (selects, not branches), not `contains`.
#[allow(clippy::manual_range_contains)]
#[inline(always)]
pub(crate) fn step_lane<const FUSED: bool>(
    x: f64,
    beta: f64,
    b_max: f64,
    s: f64,
    objective: Objective,
) -> Step {
    let inv_s = 1.0 / s;
    let h = x * inv_s;
    let h2_over_s = h * h * inv_s;
    let g = h2_over_s - 0.25 * s;
    let g_prime = -3.0 * h2_over_s * inv_s - 0.25;
    let (central, applies_central) = otm_call_lane::<FUSED>(x, s, b_max);
    let (taylor, applies_taylor) = otm_call_taylor_lane::<FUSED>(x, s);
    let f = if applies_taylor { taylor } else { central };
    // Above s_c (where ln(eˣ − f) is used) the Taylor region never applies.
    let applies = applies_central | (applies_taylor & !objective.log_complement);
    let vega = FRAC_1_SQRT_2PI * exp_neg_half_square_lane::<FUSED>(0.5 * s - h);
    let logarithmic = objective.log_price | objective.log_complement;
    let complement = complement_lane::<FUSED>(x, s, b_max);
    let level = if objective.log_complement {
        complement
    } else {
        f
    };
    let log_value = ln_lane::<FUSED>(level) - objective.target;
    let r_log = if objective.log_complement {
        -vega / level
    } else {
        vega / level
    };
    let value = if logarithmic { log_value } else { f - beta };
    let slope = if logarithmic { r_log } else { vega };
    let r = if logarithmic { r_log } else { 0.0 };
    let newton = -value / slope;
    let h2 = g - r;
    let h3 = g * g + g_prime - 3.0 * r * g + 2.0 * r * r;
    let step = householder_step(newton, h2, h3);
    let tolerance = if logarithmic {
        1e-4 * s
    } else {
        price_tolerance(s, h)
    };
    let exact = value == 0.0;
    let converged = exact | step_converged(step, newton, tolerance);
    let next = if exact { s } else { s + step };
    let above = if objective.log_complement {
        value < 0.0
    } else {
        value > 0.0
    };
    // ln of a positive normal level only (the lane logarithm's domain).
    let level_ok = !logarithmic | ((level >= f64::MIN_POSITIVE) & (level <= f64::MAX));
    Step {
        next,
        converged,
        above,
        newton,
        valid: applies & level_ok & (newton.abs() <= f64::MAX) & (next > 0.0) & (next <= f64::MAX),
    }
}

/// f ≤ s·φ(0) on the lower branch, so the root is at least β·√(2π).
#[inline(always)]
pub(crate) fn floor_of(beta: f64) -> f64 {
    beta * SQRT_2PI
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::norm_cdf;

    #[test]
    fn lane_cdf_matches_the_scalar_normal_cdf() {
        for i in 0..=400 {
            let h = -5.6 * i as f64 / 400.0;
            let (pdf, cdf, valid) = pdf_and_cdf_below_zero_lane::<false>(h);
            assert!(valid);
            let want = norm_cdf(h);
            assert!(
                ((cdf - want) / want).abs() < 1e-14,
                "h {h}: {cdf} vs {want}"
            );
            let pdf_want = FRAC_1_SQRT_2PI * (-0.5 * h * h).exp();
            assert!(((pdf - pdf_want) / pdf_want).abs() < 1e-14);
        }
        for i in 1..=200 {
            let x = -16.0 * i as f64 / 200.0;
            let want = norm_cdf(-(-2.0 * x).sqrt());
            let got = cdf_at_minus_inflection_lane::<false>(x);
            assert!(
                ((got - want) / want).abs() < 1e-14,
                "x {x}: {got} vs {want}"
            );
        }
    }
}
