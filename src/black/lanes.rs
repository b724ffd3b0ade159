//! Branch-free lane kernels for the batch pricer: exp, ln and the normalised Black function on
//! the central region, written as straight-line code on `f64` (selects, no branches, no library
//! calls) so that a loop over a fixed number of lanes is vectorised by LLVM.
//!
//! Each kernel is exact only on a stated domain; the batch pricer (`batch.rs`) computes a mask
//! of the lanes inside it and sends the others to the scalar kernel. Accuracy is proved with the
//! 50-digit references run through the batch path (tests/pricing/batch.rs) and by the unit
//! tests below against the standard library over the domain.

use crate::math::{ERFCX_P, ERFCX_Q, ERFCX_RATIONAL_MAX};

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

pub(crate) use crate::math::simd::madd;

/// eˣ for x in [−708, 709] (a normal, finite result), within 2 ulps, branch-free.
///
/// ```text
/// eˣ = 2ⁿ·eʳ,  n = round(x/ln 2),  r = x − n·ln 2 ∈ [−0.347, 0.347],  eʳ = 1 + r + r²·Σ rᵏ/(k+2)!
/// ```
///
/// The Taylor series to degree 13 leaves a truncation below 4e-18 on |r| ≤ ln2/2.
#[inline(always)]
pub(crate) fn exp_lane<const FUSED: bool>(x: f64) -> f64 {
    let t = x * std::f64::consts::LOG2_E + ROUND_MAGIC;
    let n = t - ROUND_MAGIC;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let p = estrin12::<FUSED>(r, &INV_FACTORIAL);
    let er = 1.0 + madd::<FUSED>(r * r, p, r);
    // n as an integer is the low word of t's bits; 2ⁿ is built from the exponent field.
    let n_int = t.to_bits().wrapping_sub(ROUND_MAGIC_BITS);
    let scale = f64::from_bits(n_int.wrapping_add(1023) << 52);
    er * scale
}

/// Σ cₖxᵏ for k < 12 (ascending coefficients) by Estrin's scheme: pairs cₖ + cₖ₊₁x, then pairs
/// of pairs with x², x⁴, x⁸ — four multiply–add levels instead of Horner's eleven (the lanes are
/// latency-bound). Written out: LLVM keeps a generic loop of this shape as a loop.
#[inline(always)]
fn estrin12<const FUSED: bool>(x: f64, c: &[f64; 12]) -> f64 {
    let (x2, [p0, p1, p2, p3, p4, p5]) = estrin_pairs::<FUSED, 6>(x, c);
    let x4 = x2 * x2;
    let (q0, q1, q2) = (
        madd::<FUSED>(p1, x2, p0),
        madd::<FUSED>(p3, x2, p2),
        madd::<FUSED>(p5, x2, p4),
    );
    madd::<FUSED>(q2, x4 * x4, madd::<FUSED>(q1, x4, q0))
}

/// Σ cₖxᵏ for k < 10 by Estrin's scheme (see [`estrin12`]).
#[inline(always)]
fn estrin10<const FUSED: bool>(x: f64, c: &[f64; 10]) -> f64 {
    let (x2, [p0, p1, p2, p3, p4]) = estrin_pairs::<FUSED, 5>(x, c);
    let x4 = x2 * x2;
    let (q0, q1) = (madd::<FUSED>(p1, x2, p0), madd::<FUSED>(p3, x2, p2));
    madd::<FUSED>(p4, x4 * x4, madd::<FUSED>(q1, x4, q0))
}

/// x² and the first level of Estrin's scheme, c₂ᵢ + c₂ᵢ₊₁x, for 2·N coefficients.
#[inline(always)]
fn estrin_pairs<const FUSED: bool, const N: usize>(x: f64, c: &[f64]) -> (f64, [f64; N]) {
    let mut pairs = [0.0; N];
    for (i, pair) in pairs.iter_mut().enumerate() {
        *pair = madd::<FUSED>(c[2 * i + 1], x, c[2 * i]);
    }
    (x * x, pairs)
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
pub(crate) fn ln_lane<const FUSED: bool>(a: f64) -> f64 {
    let (biased, mantissa) = exponent_mantissa(a);
    // Halve a mantissa above √2 (the select keeps it branch-free).
    let big = mantissa > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * mantissa } else { mantissa };
    let e = biased - if big { 1022.0 } else { 1023.0 };
    ln_from_parts::<FUSED>(e, (m - 1.0) / (m + 1.0))
}

/// ln(a/b) for positive normal doubles a, b with |ln(a/b)| ≤ 700, within 2 ulps, branch-free,
/// and without forming a/b (whose rounding the scalar `ln_ratio` has to correct): the mantissas'
/// ratio is brought into [√½, √2] by doubling the smaller, so that their difference is exact
/// (Sterbenz) and f has two roundings.
///
/// ```text
/// a = 2^{eₐ}·mₐ, b = 2^{e_b}·m_b,  f = (mₐ − m_b)/(mₐ + m_b),  ln(a/b) = (eₐ − e_b)·ln 2 + 2·atanh f
/// ```
#[inline(always)]
pub(crate) fn ln_ratio_lane<const FUSED: bool>(a: f64, b: f64) -> f64 {
    let (ea, ma) = exponent_mantissa(a);
    let (eb, mb) = exponent_mantissa(b);
    let high = ma > std::f64::consts::SQRT_2 * mb;
    let low = std::f64::consts::SQRT_2 * ma < mb;
    let mb = if high { 2.0 * mb } else { mb };
    let ma = if low { 2.0 * ma } else { ma };
    let shift = if high {
        1.0
    } else if low {
        -1.0
    } else {
        0.0
    };
    ln_from_parts::<FUSED>((ea - eb) + shift, (ma - mb) / (ma + mb))
}

/// The biased exponent of a positive normal double (as a double) and its mantissa in [1, 2).
#[inline(always)]
fn exponent_mantissa(a: f64) -> (f64, f64) {
    let bits = a.to_bits();
    // The exponent field as a double through 2⁵² + field − 2⁵² (integer ops and one
    // subtraction: SSE2 has no packed integer-to-double conversion of 64-bit lanes).
    let biased = f64::from_bits(0x4330_0000_0000_0000 | ((bits >> 52) & 0x7ff)) - TWO_52;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    (biased, mantissa)
}

/// e·ln 2 + 2·atanh f for |f| ≤ 0.172 and an integer |e| < 2¹¹ (so that e·LN2_HI is exact).
#[inline(always)]
fn ln_from_parts<const FUSED: bool>(e: f64, f: f64) -> f64 {
    let f2 = f * f;
    let p = estrin10::<FUSED>(f2, &ATANH_COEFFICIENTS);
    let series = madd::<FUSED>(f * f2, p, 2.0 * f);
    e * LN2_HI + (e * LN2_LO + series)
}

/// exp(−z²/2) with z² split exactly (as `math::exp_neg_half_square`), for |z| ≤ 37.
#[inline(always)]
pub(crate) fn exp_neg_half_square_lane<const FUSED: bool>(z: f64) -> f64 {
    let hi = z * z;
    let lo = if FUSED {
        z.mul_add(z, -hi)
    } else {
        let c = 134_217_729.0 * z;
        let head = c - (c - z);
        let tail = z - head;
        ((head * head - hi) + 2.0 * head * tail) + tail * tail
    };
    exp_lane::<FUSED>(-0.5 * hi) * (1.0 - 0.5 * lo)
}

/// The lanes take the erfc/erfcx difference where 2η ≥ this·max(m, 1) (η = s/(2√2), m = −x/(s√2)):
/// the difference then cancels at most a factor max(m, 1)/(2η) ≤ 50, which keeps every price
/// within 3.3e-14 of the 50-digit values in the band down to it (tests/pricing/batch.rs,
/// tools/gen_lane_band_reference.py). The scalar kernel sums its Taylor series below 0.1; the
/// lanes leave only the rest of that region to it.
const DIFFERENCE_MIN_RATIO: f64 = 0.02;
/// Above this |y| the rational function of erfcx ends (`math::erfcx_rational`; the scalar
/// kernel continues with Cody's asymptotic form): such lanes go to the scalar kernel.
pub(crate) const ERFCX_LANE_MAX: f64 = ERFCX_RATIONAL_MAX;

/// The normalised out-of-the-money price f(x, s) = eˣΦ(d₁) − Φ(d₂) for x ≤ 0, given eˣ, and
/// whether the value is exact there: s > 0, outside the region where the erfcx difference
/// cancels too much ([`DIFFERENCE_MIN_RATIO`]), and |d₁|/√2, |d₂|/√2 ≤ 4. The formulas are the scalar
/// kernel's (`normalised::central_otm`) with its select written as one.
///
/// ```text
/// z₀ = s/2 − x/s, z₁ = z₀ − s, yᵢ = zᵢ/√2, e = exp(−z₀²/2) = eˣ·exp(−z₁²/2);  f = ½·(G₁ − G₀),
/// G₀ = erfc(y₀) = e·erfcx(y₀),  G₁ = eˣ·erfc(y₁) = e·erfcx(y₁) (y₁ ≥ 0) or 2eˣ − e·erfcx(−y₁)
/// ```
#[inline(always)]
pub(crate) fn otm_call_lane<const FUSED: bool>(x: f64, s: f64, ex: f64) -> (f64, bool) {
    let h = quotient::<FUSED>(x, s);
    let z0 = 0.5 * s - h;
    let z1 = z0 - s;
    let y0 = z0 * std::f64::consts::FRAC_1_SQRT_2;
    let y1 = z1 * std::f64::consts::FRAC_1_SQRT_2;
    let m = -h * std::f64::consts::FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    let applies = (s > 0.0)
        & (2.0 * eta >= DIFFERENCE_MIN_RATIO * m.max(1.0))
        & (y0.abs() <= ERFCX_LANE_MAX)
        & (y1.abs() <= ERFCX_LANE_MAX);
    let e = exp_neg_half_square_lane::<FUSED>(z0);
    let (n0, d0) = quotient_parts::<FUSED>(y0, e);
    let (n1, d1) = quotient_parts::<FUSED>(y1, e);
    // One division for both quotients (the divider is the lanes' scarcest unit).
    let inverse = 1.0 / (d0 * d1);
    let (g0, q1) = (n0 * d1 * inverse, n1 * d0 * inverse);
    let g1 = if y1 >= 0.0 { q1 } else { 2.0 * ex - q1 };
    (0.5 * (g1 - g0), applies)
}

/// a/b within an ulp. With fused multiply–adds, a·(1/b) corrected by its exact residual
/// a − q·b (Markstein's step): the reciprocal does not wait for a, which shortens the
/// dependency chain when b is known early (a division's latency is ≈ 20 cycles).
#[inline(always)]
pub(crate) fn quotient<const FUSED: bool>(a: f64, b: f64) -> f64 {
    if FUSED {
        let inverse = 1.0 / b;
        let q = a * inverse;
        (-q).mul_add(b, a).mul_add(inverse, q)
    } else {
        a / b
    }
}

/// Numerator and denominator of e·erfcx(|y|) for |y| ≤ 4: the scalar kernel's rational function
/// (`math::erfcx_rational`, the same coefficients), in Horner's order as there. Estrin's order
/// was measured at 3× the error against the 50-digit references in the band where the lanes
/// take the erfcx difference (a cancellation of up to 50×); the chain runs beside the
/// exponential's, which is as long.
#[inline(always)]
pub(crate) fn quotient_parts<const FUSED: bool>(y: f64, e: f64) -> (f64, f64) {
    let a = y.abs();
    let mut num = ERFCX_P[7];
    let mut i = 7;
    while i > 0 {
        i -= 1;
        num = madd::<FUSED>(num, a, ERFCX_P[i]);
    }
    let mut den = ERFCX_Q[8];
    let mut j = 8;
    while j > 0 {
        j -= 1;
        den = madd::<FUSED>(den, a, ERFCX_Q[j]);
    }
    (e * num, den)
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
            worst = worst.max(ulps(exp_lane::<false>(x), x.exp()));
            worst = worst.max(ulps(exp_lane::<true>(x), x.exp()));
            let small = (i as f64 - 10_000.0) * 1e-4;
            worst = worst.max(ulps(exp_lane::<false>(small), small.exp()));
            worst = worst.max(ulps(exp_lane::<true>(small), small.exp()));
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(exp_lane::<false>(0.0), 1.0);
        assert_eq!(exp_lane::<true>(0.0), 1.0);
    }

    /// ln(a/b) against ln(r) + (a − r·b)/a with r = fl(a/b) and the residual exact (one fused
    /// rounding): that reference is within about half an ulp.
    #[test]
    fn ln_ratio_lane_is_within_two_ulps() {
        let mut worst = 0.0_f64;
        for i in 0..4_000 {
            let a = 10f64.powf(-290.0 + 580.0 * (i as f64 + 0.31) / 4_000.0);
            for b in [
                1.0,
                0.37,
                3.3e-7,
                9.1e5,
                a * 1.000_01,
                a * 0.999_9,
                a * 1.7,
                a / 1.3,
            ] {
                let r = a / b;
                let want = r.ln() + (-r).mul_add(b, a) / a;
                worst = worst.max(ulps(ln_ratio_lane::<false>(a, b), want));
                worst = worst.max(ulps(ln_ratio_lane::<true>(a, b), want));
            }
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(ln_ratio_lane::<false>(3.0, 3.0), 0.0);
    }

    #[test]
    fn ln_lane_is_within_two_ulps_of_std() {
        let mut worst = 0.0_f64;
        for i in 1..20_000 {
            let a = 10f64.powf(-290.0 + 580.0 * i as f64 / 20_000.0);
            worst = worst.max(ulps(ln_lane::<false>(a), a.ln()));
            worst = worst.max(ulps(ln_lane::<true>(a), a.ln()));
            let near_one = 1.0 + (i as f64 - 10_000.0) * 1e-5;
            if near_one != 1.0 {
                worst = worst.max(ulps(ln_lane::<false>(near_one), near_one.ln()));
                worst = worst.max(ulps(ln_lane::<true>(near_one), near_one.ln()));
            }
        }
        assert!(worst <= 2.0, "worst {worst} ulps");
        assert_eq!(ln_lane::<false>(1.0), 0.0);
        assert_eq!(ln_lane::<true>(1.0), 0.0);
    }
}
