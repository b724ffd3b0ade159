//! An inline exponential and logarithm for the scalar central price: table-driven, no special
//! cases, no library call, for code compiled with fused multiply–adds.
//!
//! A call to the C library's `exp` or `log` costs the price more than its own instructions: every
//! vector register is caller-saved, so each call spills and reloads the kernel's live values, and
//! the wrapper checks for errors the central path has already excluded (docs/PERFORMANCE.md,
//! issue 17). These two functions are short enough to inline; with fused multiply–adds
//! (`FUSED`, the code `math::simd::dispatch_scalar` compiles for AVX2 + FMA) their dependency
//! chains are shorter than the library's. Without them the chains are longer than the library's
//! own FMA build, so `FUSED = false` calls the library. Accuracy: 0.51 and 0.74 ulps at most for
//! the algorithm in plain double arithmetic (tools/gen_elementary_tables.py runs exactly that
//! arithmetic against mpmath at 40 digits, 200,000 points each), and the unit tests bound the
//! fused build against the C library. Each is only defined on the range its doc gives, which the
//! caller guarantees.
//!
//! ```text
//! exp:  x = (128k + j)·ln2/128 + r,  |r| ≤ ln2/256,   eˣ = 2ᵏ·2^{j/128}·(1 + p(r)),  p(r) ≈ eʳ − 1
//! ln:   a = 2ᵏ·m,  c = 1 + j/128 nearest m,  r = (m − c)/c,   ln a = k·ln2 + ln c + ln(1 + r)
//! ```
//!
//! Both are the classical table methods: P. T. P. Tang, "Table-driven implementation of the
//! exponential function in IEEE floating-point arithmetic", ACM TOMS 15 (1989) 144–157, and
//! "Table-driven implementation of the logarithm function", ACM TOMS 16 (1990) 378–400.

use super::elementary_tables::{
    EXP_HI, EXP_LO, INV_C, LN2_HI, LN2_LO, LN2_N_HI, LN2_N_LO, LN_C_HI, LN_C_LO, N_OVER_LN2,
};
use super::simd::madd;

/// 1.5·2⁵²: adding it rounds a double of magnitude below 2⁵¹ to an integer held in the low bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Table entries c_j = 1 + j/128 at or above this index exceed √2: their logarithm is stored as
/// ln(c_j/2) and the exponent raised by one, so that k·ln2 + ln c never cancels.
const LN_SPLIT: i64 = 53;
/// The bits of 1.0.
const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;

/// eˣ for −708 ≤ x ≤ 708 (within 0.51 ulps; `FUSED = false` calls the C library). Outside that
/// range the result is wrong but finite or NaN, never a panic; NaN gives NaN.
#[inline(always)]
pub(crate) fn exp_in_range<const FUSED: bool>(x: f64) -> f64 {
    if !FUSED {
        // Without fused multiply–adds the polynomial's dependency chain is longer than the C
        // library's, whose x86-64 build has its own FMA path (measured: the price 13 % slower).
        // The C library's result is correctly rounded to within 0.52 ulps.
        return x.exp();
    }
    let shifted = madd::<FUSED>(x, N_OVER_LN2, SHIFT);
    let kf = shifted - SHIFT; // round(128·x/ln2)
    let k = (shifted.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // k·LN2_N_HI is exact and close to x, so the first difference is exact too.
    let r = madd::<FUSED>(-kf, LN2_N_LO, madd::<FUSED>(-kf, LN2_N_HI, x));
    let r2 = r * r;
    // eʳ − 1 to degree 5: the truncation r⁶/720 is below 6e-19 for |r| ≤ ln2/256.
    let low = madd::<FUSED>(r, 1.0 / 6.0, 0.5);
    let high = madd::<FUSED>(r, 1.0 / 120.0, 1.0 / 24.0);
    let p = madd::<FUSED>(r2, madd::<FUSED>(r2, high, low), r);
    let j = (k & 127) as usize;
    // The table entries are scaled while p is being formed (a power of two: exact).
    let scale = f64::from_bits((k >> 7).wrapping_add(1023).wrapping_shl(52) as u64);
    let (hi, lo) = (EXP_HI[j] * scale, EXP_LO[j] * scale);
    hi + madd::<FUSED>(hi, p, lo)
}

/// ln a + `extra` for a positive normal double a (within 0.74 ulps with `extra` = 0; ln 1 = 0
/// exactly). `extra` joins the low-order part of the sum, so that it costs no extra step at the
/// end of the chain; it adds one rounding of its own size. `FUSED = false` returns the C
/// library's ln a + `extra`. For zero, subnormal, negative, infinite or NaN `a` the result is
/// wrong, never a panic: the caller must test the range.
#[inline(always)]
pub(crate) fn ln_normal_plus<const FUSED: bool>(a: f64, extra: f64) -> f64 {
    if !FUSED {
        return a.ln() + extra; // as for `exp_in_range`
    }
    let bits = a.to_bits() as i64;
    // Rounding the mantissa to the nearest 1/128 picks c, and carries into the exponent above
    // 2 − 1/256, so that m = a/2ᵏ lies in [1 − 1/256, 2 − 1/256).
    let rounded = bits.wrapping_add(1 << 44);
    let k = (rounded >> 52).wrapping_sub(1023);
    let j = (rounded >> 45) & 127;
    let m = f64::from_bits(bits.wrapping_sub(k.wrapping_shl(52)) as u64);
    let c = f64::from_bits(ONE_BITS | (j << 45) as u64); // 1 + j/128, from its bits
    let r = (m - c) * INV_C[j as usize]; // m − c is exact: |m − c| ≤ 1/256
    let exponent = (k + i64::from(j >= LN_SPLIT)) as f64;
    // Both terms are multiples of 2⁻⁴² below 2¹⁰: the sum is exact.
    let hi = madd::<FUSED>(exponent, LN2_HI, LN_C_HI[j as usize]);
    let sum = hi + r;
    let sum_error = (hi - sum) + r; // exact (Fast2Sum: |hi| ≥ |r| or hi = 0)
    let low = (madd::<FUSED>(exponent, LN2_LO, LN_C_LO[j as usize]) + sum_error) + extra;
    // ln(1 + r) − r to degree 7 by Estrin's scheme: the truncation r⁸/8 is below 2e-18·|r| for
    // |r| ≤ 1/256.
    let r2 = r * r;
    let r4 = r2 * r2;
    let first = madd::<FUSED>(r, 1.0 / 3.0, -0.5);
    let second = madd::<FUSED>(r, 0.2, -0.25);
    let third = madd::<FUSED>(r, 1.0 / 7.0, -1.0 / 6.0);
    let series = madd::<FUSED>(r4, third, madd::<FUSED>(r2, second, first));
    sum + madd::<FUSED>(r2, series, low)
}

/// EXP_LO[j]/EXP_HI[j]: the table's low parts as fractions of the high parts, so that
/// [`exp_of_madd`] ends in one fused multiply–add, hi·(1 + p + lo/hi).
const EXP_RATIO: [f64; 128] = {
    let mut t = [0.0; 128];
    let mut j = 0;
    while j < 128 {
        t[j] = EXP_LO[j] / EXP_HI[j];
        j += 1;
    }
    t
};

/// x = m·v + a (one fused multiply–add when `FUSED`) and eˣ, for |x| ≤ 700, with the shortest
/// chain from `v` to eˣ: for a recursion whose next argument is an affine function of the last
/// exponential (EGARCH's x_{t+1} = a + m·e^(x_t), issue 17, seventh step). Within 0.51 ulps;
/// `FUSED = false` returns (m·v + a, the C library's eˣ).
///
/// ```text
/// k = round(128·x/ln2) ± 1, formed as m′·v + a′ in parallel with x (m′ = 128m/ln2,
///     a′ = 128a/ln2 + 1.5·2⁵² rounded to an integer: k may be one off the nearest, |r| ≤ ln2/128)
/// r = x − k·ln2/128 (two-part constant),  eˣ = 2^⌊k/128⌋·hⱼ·(1 + p(r) + lⱼ/hⱼ),  j = k mod 128
/// p(r) = r + r²(½ + r/6) + r⁴(1/24 + r/120 + r²/720): truncation r⁷/5040 < 3e-20
/// ```
///
/// Against [`exp_in_range`] (Tang, ACM TOMS 15 (1989)): the index comes from v directly (one
/// fused operation instead of x then its multiple: one step shorter), the wider |r| takes one
/// more degree at the same depth (Estrin's scheme), and the table's low part joins the
/// polynomial's linear term, so the end is one fused multiply–add instead of two operations.
/// Error: the last rounding (0.5 ulps) plus below 0.01 ulps from r, the ratio, the polynomial's
/// roundings and its truncation.
#[inline(always)]
pub(crate) fn exp_of_madd<const FUSED: bool>(m: f64, v: f64, a: f64) -> (f64, f64) {
    if !FUSED {
        let x = m * v + a;
        return (x, x.exp()); // as for `exp_in_range`
    }
    let x = madd::<FUSED>(m, v, a);
    // Off the chain from v: m′ and a′ are ready before v.
    let shifted = madd::<FUSED>(m * N_OVER_LN2, v, madd::<FUSED>(a, N_OVER_LN2, SHIFT));
    let kf = shifted - SHIFT;
    let k = (shifted.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r = madd::<FUSED>(-kf, LN2_N_LO, madd::<FUSED>(-kf, LN2_N_HI, x));
    let j = (k & 127) as usize;
    let r2 = r * r;
    let r4 = r2 * r2;
    let low = madd::<FUSED>(r, 1.0 / 6.0, 0.5);
    let high = madd::<FUSED>(r2, 1.0 / 720.0, madd::<FUSED>(r, 1.0 / 120.0, 1.0 / 24.0));
    let p = madd::<FUSED>(r4, high, madd::<FUSED>(r2, low, r + EXP_RATIO[j]));
    // A logical shift: the << 52 keeps only the low 12 bits, where it equals the arithmetic
    // one, and AVX2 (the lanes' target) has no 64-bit arithmetic shift.
    let scale = f64::from_bits(((k as u64) >> 7).wrapping_add(1023).wrapping_shl(52));
    let hi = EXP_HI[j] * scale;
    (x, madd::<FUSED>(hi, p, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(got: f64, want: f64) -> f64 {
        (got - want).abs() / (want.abs() * f64::EPSILON).max(f64::MIN_POSITIVE)
    }

    /// Against the C library (correctly rounded to within 0.52 ulps on x86-64 glibc): together
    /// within 1.1 ulps of each other means within the generator's 50-digit bound plus glibc's.
    #[test]
    fn exp_in_range_agrees_with_the_library_to_an_ulp() {
        let mut worst: f64 = 0.0;
        for i in 0..=200_000 {
            let x = -708.0 + 1416.0 * f64::from(i) / 200_000.0;
            worst = worst.max(ulps(exp_in_range::<true>(x), x.exp()));
            let y = -20.0 + 22.0 * f64::from(i) / 200_000.0;
            worst = worst.max(ulps(exp_in_range::<true>(y), y.exp()));
        }
        assert!(worst <= 1.1, "worst {worst} ulps");
        assert_eq!(exp_in_range::<true>(0.0), 1.0);
        assert!(exp_in_range::<true>(f64::NAN).is_nan());
    }

    /// As above, for eˣ of x = m·v + a over |x| ≤ 700 and finely near 0, with m, v and a
    /// spread so that the index k, formed from v, is the nearest or one off (both sides of the
    /// wider range of r); x is the fused m·v + a.
    #[test]
    fn exp_of_madd_agrees_with_the_library_to_an_ulp() {
        let mut worst: f64 = 0.0;
        for i in 0..=200_000 {
            let t = f64::from(i) / 200_000.0;
            for (m, v, a) in [
                (-0.37, 0.2 + 3.0 * t, -698.0 + 1397.0 * t),
                (1.3, 0.5 + t, -20.0 + 22.0 * t),
                (-0.05 * t, 1.0 + 7.0 * t, 0.01 * (t - 0.5)),
            ] {
                let (x, e) = exp_of_madd::<true>(m, v, a);
                assert_eq!(x.to_bits(), m.mul_add(v, a).to_bits());
                worst = worst.max(ulps(e, x.exp()));
            }
        }
        assert!(worst <= 1.1, "worst {worst} ulps");
        assert_eq!(exp_of_madd::<true>(0.0, 1.0, 0.0).1, 1.0);
        assert!(exp_of_madd::<true>(1.0, f64::NAN, 0.0).1.is_nan());
        let (x, e) = exp_of_madd::<false>(0.5, 3.0, -1.0);
        assert_eq!((x, e), (0.5, 0.5f64.exp()));
    }

    #[test]
    fn ln_normal_agrees_with_the_library_to_an_ulp() {
        let mut worst: f64 = 0.0;
        for i in 0..=200_000 {
            let a = (-700.0 + 1400.0 * f64::from(i) / 200_000.0).exp();
            worst = worst.max(ulps(ln_normal_plus::<true>(a, 0.0), a.ln()));
            let b = 0.5 + 1.5 * f64::from(i) / 200_000.0;
            if b != 1.0 {
                worst = worst.max(ulps(ln_normal_plus::<true>(b, 0.0), b.ln()));
            }
        }
        for a in [
            f64::MIN_POSITIVE,
            f64::MAX,
            1.0 + 1e-12,
            1.0 - 1e-12,
            2.0,
            0.5,
        ] {
            worst = worst.max(ulps(ln_normal_plus::<true>(a, 0.0), a.ln()));
        }
        assert!(worst <= 1.3, "worst {worst} ulps");
        assert_eq!(ln_normal_plus::<true>(1.0, 0.0), 0.0);
    }

    /// Outside their ranges the functions return something (the caller's range test rejects it).
    #[test]
    fn out_of_range_inputs_do_not_panic() {
        for a in [
            0.0,
            -1.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e-310,
        ] {
            let _ = ln_normal_plus::<true>(a, 0.0);
            let _ = exp_in_range::<true>(a);
            let _ = exp_in_range::<true>(a * 1e300);
            let _ = exp_of_madd::<true>(a, 1e300, a);
        }
    }
}
