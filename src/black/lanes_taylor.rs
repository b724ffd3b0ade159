//! The scalar kernel's Taylor region as lane code: f(x, s) for small total volatility next to the
//! distance from the money (`normalised::central_difference`), where the erfcx difference of the
//! central lanes cancels. The implied-volatility lanes use the forward recurrence (midpoint
//! m ≤ 4); the batch price also takes Miller's backward recurrence (m > 4), for the short-dated
//! far-from-the-money options that would otherwise each take the scalar kernel.
//!
//! ```text
//! f = ½·exp(−z₀²/2)·[erfcx(m − η) − erfcx(m + η)] = exp(−z₀²/2)·Σ_{k odd} cₖ(m)·ηᵏ/k!,
//! m = −x/(s√2), η = s/(2√2),  c₀ = erfcx(m),  c₁ = 2/√π − 2m·c₀,  cₖ₊₁ = 2k·cₖ₋₁ − 2m·cₖ
//! ```

use super::lanes::{exp_neg_half_square_lane, quotient_parts, ERFCX_LANE_MAX};
use crate::math::erfcx_asymptotic;

const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// Odd orders 1, 3, …, 2·TAYLOR_TERMS − 1 of the Taylor series (to order 17, as the scalar
/// kernel's highest): in its region each odd term is at most 1/400 of the one before, so the
/// ninth is below 1e-20 of the first.
const TAYLOR_TERMS: usize = 9;

/// 1/((k + 1)(k + 2)) for odd k: the factor from ηᵏ/k! to ηᵏ⁺²/(k + 2)!.
const INV_PAIR_ODD: [f64; TAYLOR_TERMS] = {
    let mut table = [0.0; TAYLOR_TERMS];
    let mut i = 0;
    while i < TAYLOR_TERMS {
        let k = 2 * i + 1;
        table[i] = 1.0 / ((k + 1) * (k + 2)) as f64;
        i += 1;
    }
    table
};

/// Steps of Miller's recurrence: the scalar kernel's highest order (17), one, and eight steps to
/// reach the minimal solution (`normalised::central_difference`).
const MILLER_TOP: usize = 2 * TAYLOR_TERMS - 1 + 1 + 8;

/// Largest z₀ the lanes take: exp(−z₀²/2) stays a normal double (`exp_neg_half_square_lane`).
const TAYLOR_Z_MAX: f64 = 37.0;

/// Smallest normalised value the Taylor lanes return: the caller multiplies it by the strike and
/// the discount factor, which must not meet a subnormal.
const TAYLOR_VALUE_MIN: f64 = 1e-290;

/// The Taylor region's coordinates: z₀ = s/2 − x/s, m, η, and whether (x, s) is in the scalar
/// kernel's region (the same test: 2η < 0.1·max(m, 1)).
#[inline(always)]
fn coordinates(x: f64, s: f64) -> (f64, f64, f64, bool) {
    let h = x / s;
    let z0 = 0.5 * s - h;
    let m = -h * FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    (z0, m, eta, (s > 0.0) & (2.0 * eta < 0.1 * m.max(1.0)))
}

/// Σ_{k odd} cₖ(m)·ηᵏ/k! by the forward recurrence (stable for m ≤ 4), a fixed number of odd
/// terms in place of the scalar loop's early exit.
#[inline(always)]
fn forward_series(m: f64, eta: f64, c0: f64) -> f64 {
    let eta2 = eta * eta;
    let (mut c_prev, mut c) = (c0, std::f64::consts::FRAC_2_SQRT_PI - 2.0 * m * c0);
    let mut power = eta;
    let mut sum = c * power;
    let mut i = 1;
    while i < TAYLOR_TERMS {
        let k = (2 * i - 1) as f64;
        let c_next = 2.0 * k * c_prev - 2.0 * m * c;
        let c_next2 = 2.0 * (k + 1.0) * c - 2.0 * m * c_next;
        (c_prev, c) = (c_next, c_next2);
        power *= eta2 * INV_PAIR_ODD[i - 1];
        sum += c * power;
        i += 1;
    }
    sum
}

/// Σ_{k odd} cₖ(m)·ηᵏ/k! by Miller's backward recurrence (m > 4), as the scalar kernel's at its
/// highest order: the scaled minimal solution bⱼ = bⱼ₊₁ + 2(j + 1)/(4m²)·bⱼ₊₂, run down from the
/// asymptotic ratio, gives cₖ = c₀·k!·bₖ₊₁/(b₁·mᵏ), and the sum is c₀/b₁ times a polynomial in
/// (η/m)² (every term positive).
#[inline(always)]
fn miller_series(m: f64, eta: f64, c0: f64) -> f64 {
    let inv_m = 1.0 / m;
    let p = eta * inv_m;
    let p2 = p * p;
    let u = 0.25 * inv_m * inv_m;
    let mut b_above = 2.0 * m / ((m * m + 2.0 * MILLER_TOP as f64).sqrt() + m);
    let mut b = 1.0;
    let mut horner = 0.0;
    // Written out (LLVM keeps these loops as loops, and then the lanes are not vectorised):
    // one step bⱼ = bⱼ₊₁ + 2(j + 1)·u·bⱼ₊₂ per j from top − 1 down to 1, and a Horner term at
    // every even j ≤ 2·TAYLOR_TERMS.
    macro_rules! steps {
        ($($j:expr),*) => {$(
            (b_above, b) = (b, b + (2.0 * ($j as f64 + 1.0) * u) * b_above);
        )*};
    }
    macro_rules! steps_with_terms {
        ($($j:expr),*) => {$(
            steps!($j);
            horner = horner * p2 + b;
            steps!($j - 1);
        )*};
    }
    steps!(25, 24, 23, 22, 21, 20, 19);
    steps_with_terms!(18, 16, 14, 12, 10, 8, 6, 4);
    steps!(2);
    horner = horner * p2 + b;
    b += (4.0 * u) * b_above; // j = 1
    c0 * p * horner / b
}

/// f(x, s) in the scalar kernel's Taylor region with m ≤ 4 (the forward recurrence), and whether
/// the lane is there: what the implied-volatility lanes need.
#[inline(always)]
pub(crate) fn otm_call_taylor_lane<const FUSED: bool>(x: f64, s: f64) -> (f64, bool) {
    let (z0, m, eta, region) = coordinates(x, s);
    let e = exp_neg_half_square_lane::<FUSED>(z0);
    let (num, den) = quotient_parts::<FUSED>(m, 1.0);
    (
        e * forward_series(m, eta, num / den),
        region & (m <= ERFCX_LANE_MAX),
    )
}

/// f(x, s) anywhere in the scalar kernel's Taylor region where exp(−z₀²/2) is a normal double
/// (z₀ ≤ 37): the forward recurrence for m ≤ 4, Miller's for m > 4 (both computed, one
/// selected), with erfcx(m) from the rational function or Cody's asymptotic form. Whether the
/// lane is there and the value at least 1e-290 is returned with it.
#[inline(always)]
pub(crate) fn otm_call_taylor_region_lane<const FUSED: bool>(x: f64, s: f64) -> (f64, bool) {
    let (z0, m, eta, region) = coordinates(x, s);
    let e = exp_neg_half_square_lane::<FUSED>(z0);
    let near = m <= ERFCX_LANE_MAX;
    let (num, den) = quotient_parts::<FUSED>(m, 1.0);
    let forward = forward_series(m, eta, num / den);
    let miller = miller_series(m, eta, erfcx_asymptotic(m));
    let series = if near { forward } else { miller };
    let f = e * series;
    (f, region & (z0 <= TAYLOR_Z_MAX) & (f >= TAYLOR_VALUE_MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forward lane series against the scalar kernel on its original grid (x from −0.001 to
    /// −5.66 times s, s from 1e-4 to 1): the same recurrence, within a few ulps.
    #[test]
    fn lane_taylor_series_matches_the_scalar_kernel() {
        let mut worst = 0.0_f64;
        let mut count = 0;
        for i in 0..=60 {
            let s = 1e-4 * 10f64.powf(4.0 * i as f64 / 60.0);
            for j in 0..=80 {
                let x = -s * 5.66 * j as f64 / 80.0 - 1e-3 * s;
                let (got, applies) = otm_call_taylor_lane::<false>(x, s);
                if !applies {
                    continue;
                }
                let want = crate::black::normalised::otm_call_and_vega(x, s, x.exp()).0;
                if want < 1e-300 {
                    continue;
                }
                count += 1;
                worst = worst.max(((got - want) / want).abs());
            }
        }
        assert!(count > 500, "{count} points in the Taylor region");
        assert!(worst < 3e-15, "worst {worst:e}");
    }

    /// The lane Taylor series against the scalar kernel over its region (x from −0.001 to −40
    /// times s, s from 1e-4 to 1). The same recurrences, but each carries the cancellation of
    /// c₁ = 2/√π − 2m·c₀ (about 2m² times erfcx's few ulps near m = 4), and Miller's runs at the
    /// highest order where the scalar kernel stops early: they differ by up to 2.9e-14 (x = −2.09,
    /// s = 0.398, m = 3.71, where mpmath at 60 digits puts the lane 1.0e-14 and the scalar
    /// 1.9e-14 from the value; at m = 4.07 in Miller's branch the lane 2.0e-15, the scalar
    /// 6.7e-15). The 50-digit references run through the batch path in tests/pricing/batch.rs
    /// hold both to the value itself.
    #[test]
    fn lane_taylor_region_matches_the_scalar_kernel_far_out() {
        let (mut worst_near, mut worst_any) = (0.0_f64, 0.0_f64);
        let (mut count_near, mut count_far) = (0, 0);
        for i in 0..=60 {
            let s = 1e-4 * 10f64.powf(4.0 * i as f64 / 60.0);
            for j in 0..=160 {
                let x = -s * 40.0 * j as f64 / 160.0 - 1e-3 * s;
                let want = crate::black::normalised::otm_call_and_vega(x, s, x.exp()).0;
                if want < 1e-290 {
                    continue;
                }
                let rel = |got: f64| ((got - want) / want).abs();
                let (near, applies_near) = otm_call_taylor_lane::<false>(x, s);
                if applies_near {
                    count_near += 1;
                    worst_near = worst_near.max(rel(near));
                }
                for (got, applies) in [
                    otm_call_taylor_region_lane::<false>(x, s),
                    otm_call_taylor_region_lane::<true>(x, s),
                ] {
                    if applies {
                        count_far += usize::from(-x / (s * std::f64::consts::SQRT_2) > 4.0);
                        worst_any = worst_any.max(rel(got));
                    }
                }
            }
        }
        assert!(count_near > 500, "{count_near} points with m ≤ 4");
        assert!(count_far > 2000, "{count_far} points with m > 4");
        assert!(worst_near < 4e-14, "worst {worst_near:e}");
        assert!(worst_any < 4e-14, "worst {worst_any:e}");
    }
}
