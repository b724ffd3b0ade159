//! Branch-free lane kernels for the batch pricer: exp, ln and the normalised Black function on
//! the central region, written as straight-line code on `f64` (selects, no branches, no library
//! calls) so that a loop over a fixed number of lanes is vectorised by LLVM.
//!
//! Each kernel is exact only on a stated domain; the batch pricer (`batch.rs`) computes a mask
//! of the lanes inside it and sends the others to the scalar kernel. Accuracy is proved with the
//! 50-digit references run through the batch path (tests/pricing/batch.rs) and by the unit
//! tests below against the standard library over the domain.

use crate::math::{CODY_A, CODY_B, CODY_C, CODY_D};

/// 1.5·2⁵²: adding it rounds a double of magnitude below 2⁵¹ to an integer held in the low bits.
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;
/// Bits of [`ROUND_MAGIC`].
const ROUND_MAGIC_BITS: u64 = 0x4338_0000_0000_0000;
/// ln 2 split so that n·LN2_HI is exact for |n| < 2¹¹ (its low 32 bits are zero).
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.931_471_803_691_238_16e-1;
/// ln 2 − LN2_HI.
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.908_214_929_270_587_70e-10;

/// 2⁵².
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// 1/k! for k = 2..=13, the Taylor coefficients of eʳ beyond 1 + r.
const INV_FACTORIAL: [f64; 12] = {
    let mut table = [0.0; 12];
    let mut k = 0;
    let mut f = 1.0;
    while k < 12 {
        f *= (k + 2) as f64;
        table[k] = 1.0 / f;
        k += 1;
    }
    table
};

/// eˣ for x in [−708, 709] (a normal, finite result), within 2 ulps, branch-free.
///
/// ```text
/// eˣ = 2ⁿ·eʳ,  n = round(x/ln 2),  r = x − n·ln 2 ∈ [−0.347, 0.347],  eʳ = 1 + r + r²·Σ rᵏ/(k+2)!
/// ```
///
/// The Taylor series to degree 13 leaves a truncation below 4e-18 on |r| ≤ ln2/2.
#[inline(always)]
pub(crate) fn exp_lane(x: f64) -> f64 {
    let t = x * std::f64::consts::LOG2_E + ROUND_MAGIC;
    let n = t - ROUND_MAGIC;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let mut p = INV_FACTORIAL[11];
    let mut k = 11;
    while k > 0 {
        k -= 1;
        p = p * r + INV_FACTORIAL[k];
    }
    let er = 1.0 + (r + r * r * p);
    // n as an integer is the low word of t's bits; 2ⁿ is built from the exponent field.
    let n_int = t.to_bits().wrapping_sub(ROUND_MAGIC_BITS);
    let scale = f64::from_bits(n_int.wrapping_add(1023) << 52);
    er * scale
}

/// 2/(2k+1) for k = 1..=10: ln m = 2·atanh(f) = 2f + Σ 2f^{2k+1}/(2k+1).
const ATANH_COEFFICIENTS: [f64; 10] = {
    let mut table = [0.0; 10];
    let mut k = 0;
    while k < 10 {
        table[k] = 2.0 / (2 * k + 3) as f64;
        k += 1;
    }
    table
};

/// ln a for a positive normal double, within 2 ulps, branch-free.
///
/// ```text
/// a = 2ᵉ·m, m ∈ [√½, √2),  f = (m − 1)/(m + 1) ∈ [−0.172, 0.172],
/// ln a = e·ln 2 + 2f + f·Σ_{k≥1} 2f^{2k}/(2k+1)
/// ```
///
/// Ten odd terms leave a truncation below 2e-17 (f² ≤ 0.0295).
#[inline(always)]
pub(crate) fn ln_lane(a: f64) -> f64 {
    let bits = a.to_bits();
    // The biased exponent as a double through 2⁵² + field − 2⁵² (integer ops and one
    // subtraction: SSE2 has no packed integer-to-double conversion of 64-bit lanes).
    let biased = f64::from_bits(0x4330_0000_0000_0000 | ((bits >> 52) & 0x7ff)) - TWO_52;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    // Halve a mantissa above √2 (the select keeps it branch-free).
    let big = mantissa > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * mantissa } else { mantissa };
    let e = biased - if big { 1022.0 } else { 1023.0 };
    let f = (m - 1.0) / (m + 1.0);
    let f2 = f * f;
    let mut p = ATANH_COEFFICIENTS[9];
    let mut k = 9;
    while k > 0 {
        k -= 1;
        p = p * f2 + ATANH_COEFFICIENTS[k];
    }
    let series = 2.0 * f + f * f2 * p;
    e * LN2_HI + (e * LN2_LO + series)
}

/// ln(a/b) with the rounding of a/b corrected (as the scalar `ln_ratio`), for a, b and a/b in
/// [1e-290, 1e290].
#[inline(always)]
pub(crate) fn ln_ratio_lane(a: f64, b: f64) -> f64 {
    let r = a / b;
    let (product, error) = two_product(r, b);
    let remainder = (a - product) - error;
    ln_lane(r) + remainder / a
}

/// p + e = a·b exactly (Dekker 1971, Veltkamp's split), for |a|, |b| < 1e150 or a product of
/// magnitude within 1e-290..1e290 with both factors there.
#[inline(always)]
fn two_product(a: f64, b: f64) -> (f64, f64) {
    const SPLIT: f64 = 134_217_729.0;
    let p = a * b;
    let (ca, cb) = (SPLIT * a, SPLIT * b);
    let (a_hi, b_hi) = (ca - (ca - a), cb - (cb - b));
    let (a_lo, b_lo) = (a - a_hi, b - b_hi);
    let e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
    (p, e)
}

/// exp(−z²/2) with z² split exactly (as `math::exp_neg_half_square`), for |z| ≤ 37.
#[inline(always)]
pub(crate) fn exp_neg_half_square_lane(z: f64) -> f64 {
    let hi = z * z;
    let c = 134_217_729.0 * z;
    let head = c - (c - z);
    let tail = z - head;
    let lo = ((head * head - hi) + 2.0 * head * tail) + tail * tail;
    exp_lane(-0.5 * hi) * (1.0 - 0.5 * lo)
}

/// Below this |y| the small-argument erfc is used (Cody's first interval).
pub(crate) const ERF_SMALL: f64 = 0.468_75;
/// Above this |y| Cody's third interval would be needed: such lanes go to the scalar kernel.
pub(crate) const ERFCX_MIDDLE_MAX: f64 = 4.0;

/// Numerator and denominator of erf(y)/y for |y| ≤ 0.46875, z = y² (Cody's first rational
/// function, the scalar kernel's own coefficients).
#[inline(always)]
fn erf_over_y_small_parts(z: f64) -> (f64, f64) {
    let num = (((CODY_A[4] * z + CODY_A[0]) * z + CODY_A[1]) * z + CODY_A[2]) * z + CODY_A[3];
    let den = (((z + CODY_B[0]) * z + CODY_B[1]) * z + CODY_B[2]) * z + CODY_B[3];
    (num, den)
}

/// Numerator and denominator of erfcx(y) for 0.46875 ≤ y ≤ 4 (Cody's second rational function,
/// the scalar kernel's own coefficients).
#[inline(always)]
fn erfcx_middle_parts(y: f64) -> (f64, f64) {
    let mut num = CODY_C[8] * y;
    let mut den = y;
    let mut i = 0;
    while i < 7 {
        num = (num + CODY_C[i]) * y;
        den = (den + CODY_D[i]) * y;
        i += 1;
    }
    (num + CODY_C[7], den + CODY_D[7])
}

/// The normalised out-of-the-money price f(x, s) = eˣΦ(d₁) − Φ(d₂) for x ≤ 0, given eˣ, and
/// whether the value is exact there: s > 0, outside the scalar kernel's Taylor region (where the
/// erfcx difference would cancel), and |d₁|/√2, |d₂|/√2 ≤ 4. The formulas are the scalar
/// kernel's (`normalised::otm_call`) with its branches turned into selects.
///
/// ```text
/// z₀ = s/2 − x/s, z₁ = z₀ − s, e = exp(−z₀²/2);  f = ½·(G₁ − G₀) with
/// G₀ = erfc(z₀/√2),  G₁ = eˣ·erfc(z₁/√2),  eˣ·exp(−z₁²/2) = e,  so for |y| > 0.46875
/// Gᵢ = e·erfcx(yᵢ) (y ≥ 0) or 2eˣ − e·erfcx(−y₁) (y₁ < 0), and for |y| ≤ 0.46875
/// Gᵢ = Pᵢ·(1 − y·erf(y)/y) with P₀ = 1, P₁ = eˣ
/// ```
#[inline(always)]
pub(crate) fn otm_call_lane(x: f64, s: f64, ex: f64) -> (f64, bool) {
    let h = x / s;
    let z0 = 0.5 * s - h;
    let z1 = z0 - s;
    let y0 = z0 * std::f64::consts::FRAC_1_SQRT_2;
    let y1 = z1 * std::f64::consts::FRAC_1_SQRT_2;
    let m = -h * std::f64::consts::FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    let applies = (s > 0.0)
        & (2.0 * eta >= 0.1 * m.max(1.0))
        & (y0.abs() <= ERFCX_MIDDLE_MAX)
        & (y1.abs() <= ERFCX_MIDDLE_MAX);
    let e = exp_neg_half_square_lane(z0);
    // Both rational functions on every lane; the numerator and denominator are selected before
    // the one division.
    let (a0, a1) = (y0.abs(), y1.abs());
    let (small0, small1) = (a0 <= ERF_SMALL, a1 <= ERF_SMALL);
    let (n0, d0) = quotient_parts(y0, e, small0);
    let (n1, d1) = quotient_parts(y1, e, small1);
    let (q0, q1) = (n0 / d0, n1 / d1);
    let g0 = if small0 { 1.0 - q0 } else { q0 };
    let reflected1 = 2.0 * ex - q1;
    let large1 = if y1 >= 0.0 { q1 } else { reflected1 };
    let small_g1 = ex * (1.0 - q1);
    let g1 = if small1 { small_g1 } else { large1 };
    (0.5 * (g1 - g0), applies)
}

/// Numerator and denominator of y·erf(y)/y (for |y| ≤ 0.46875) or of e·erfcx(|y|) (above).
#[inline(always)]
pub(crate) fn quotient_parts(y: f64, e: f64, small: bool) -> (f64, f64) {
    let z = y * y;
    let (small_num, small_den) = erf_over_y_small_parts(z);
    let (middle_num, middle_den) = erfcx_middle_parts(y.abs());
    if small {
        (y * small_num, small_den)
    } else {
        (e * middle_num, middle_den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXP_MIN: f64 = -708.0;
    const EXP_MAX: f64 = 709.0;

    fn ulps(got: f64, want: f64) -> f64 {
        ((got - want) / want).abs() / f64::EPSILON
    }

    #[test]
    fn exp_lane_is_within_two_ulps_of_std() {
        let mut worst = 0.0_f64;
        for i in 0..20_000 {
            let x = EXP_MIN + (EXP_MAX - EXP_MIN) * (i as f64 + 0.37) / 20_000.0;
            worst = worst.max(ulps(exp_lane(x), x.exp()));
            let small = (i as f64 - 10_000.0) * 1e-4;
            worst = worst.max(ulps(exp_lane(small), small.exp()));
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(exp_lane(0.0), 1.0);
    }

    #[test]
    fn ln_lane_is_within_two_ulps_of_std() {
        let mut worst = 0.0_f64;
        for i in 1..20_000 {
            let a = 10f64.powf(-290.0 + 580.0 * i as f64 / 20_000.0);
            worst = worst.max(ulps(ln_lane(a), a.ln()));
            let near_one = 1.0 + (i as f64 - 10_000.0) * 1e-5;
            if near_one != 1.0 {
                worst = worst.max(ulps(ln_lane(near_one), near_one.ln()));
            }
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(ln_lane(1.0), 0.0);
    }
}
