//! Branch-free lane pieces for the batch Greeks: the normal tail probabilities Φ(d₂′) and
//! Φ(−|d₁′|) of the normalised out-of-the-money option, from the very erfc/erfcx evaluations
//! that `lanes::otm_call_lane` makes for its price (the calls below repeat its expressions on
//! the same arguments, and LLVM merges the repeats, so the tails cost a few operations).
//!
//! Valid where `otm_call_lane` says its value applies (|z₀|/√2, |z₁|/√2 ≤ 4, s > 0); the batch
//! sends the other lanes to the scalar kernel.

use super::lanes::{exp_neg_half_square_lane, quotient, quotient_parts};

/// The normal probabilities of the normalised out-of-the-money call f(x, s) = eˣΦ(d₁′) − Φ(d₂′)
/// (x ≤ 0, d₁′,₂′ = x/s ± s/2, z₀ = −d₂′ > 0, z₁ = −d₁′), and the Gaussian factor they share.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OtmTails {
    /// Φ(d₂′) = Φ(−z₀) = ½·erfc(z₀/√2), at most ½.
    pub(crate) cdf_d2: f64,
    /// Φ(−|z₁|) = ½·erfc(|z₁|/√2), at most ½: Φ(d₁′) if z₁ ≥ 0, else Φ(−d₁′).
    pub(crate) tail_d1: f64,
    /// Whether z₁ = −d₁′ ≥ 0 (d₁′ ≤ 0).
    pub(crate) z1_nonnegative: bool,
    /// exp(−z₀²/2) = √(2π)·φ(d₂′).
    pub(crate) gauss: f64,
}

/// [`OtmTails`] of x ≤ 0 and s > 0 given eˣ (`ex`) and its reciprocal e⁻ˣ (`inv_ex`), in the
/// formulation of `otm_call_lane`.
///
/// ```text
/// y₀ = z₀/√2, y₁ = z₁/√2, e = exp(−z₀²/2) = eˣ·exp(−z₁²/2),
/// erfc(y₀) = e·erfcx(y₀),  erfc(|y₁|) = e·erfcx(|y₁|)·e⁻ˣ   (erfcx: `math::erfcx_rational`)
/// ```
#[inline(always)]
pub(crate) fn otm_tails_lane<const FUSED: bool>(x: f64, s: f64, inv_ex: f64) -> OtmTails {
    let h = quotient::<FUSED>(x, s);
    let z0 = 0.5 * s - h;
    let z1 = z0 - s;
    let y0 = z0 * std::f64::consts::FRAC_1_SQRT_2;
    let y1 = z1 * std::f64::consts::FRAC_1_SQRT_2;
    let e = exp_neg_half_square_lane::<FUSED>(z0);
    let (n0, d0) = quotient_parts::<FUSED>(y0, e);
    let (n1, d1) = quotient_parts::<FUSED>(y1, e);
    // `otm_call_lane`'s one division for both quotients (the same expressions, merged by LLVM).
    let inverse = 1.0 / (d0 * d1);
    let erfc0 = n0 * d1 * inverse;
    let erfc1 = n1 * d0 * inverse * inv_ex;
    OtmTails {
        cdf_d2: 0.5 * erfc0,
        tail_d1: 0.5 * erfc1,
        z1_nonnegative: z1 >= 0.0,
        gauss: e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::norm_cdf;

    /// Against the scalar normal cdf (itself checked against 50-digit mpmath values in
    /// tests/pricing/normal.rs) over the lanes' domain: few-ulp agreement, up to the
    /// conditioning d²·ε of Φ at a rounded argument.
    #[test]
    fn tails_match_the_scalar_normal_cdf() {
        let mut worst = 0.0_f64;
        for i in 0..200 {
            for j in 1..60 {
                let x = -8.0 * f64::from(i) / 200.0;
                let s = 0.15 * f64::from(j);
                let inv_ex = (-x).exp();
                let h = x / s;
                let (d1, d2) = (h + 0.5 * s, h - 0.5 * s);
                if (0.5 * s - h).abs() > 5.6 || (d1).abs() > 5.6 {
                    continue;
                }
                let t = otm_tails_lane::<false>(x, s, inv_ex);
                let fused = otm_tails_lane::<true>(x, s, inv_ex);
                let want_d2 = norm_cdf(d2);
                let want_d1 = norm_cdf(-d1.abs());
                let allow = 8.0 + 2.0 * d1.abs().max(d2.abs()).powi(2);
                for (got, want) in [
                    (t.cdf_d2, want_d2),
                    (t.tail_d1, want_d1),
                    (fused.cdf_d2, want_d2),
                    (fused.tail_d1, want_d1),
                ] {
                    let ulps = ((got - want) / want).abs() / f64::EPSILON;
                    worst = worst.max(ulps / allow);
                    assert!(
                        ulps <= allow,
                        "x {x} s {s}: {got:e} vs {want:e}, {ulps} ulps"
                    );
                }
                if d1.abs() > 1e-12 {
                    assert_eq!(t.z1_nonnegative, d1 < 0.0);
                }
                let pdf_d2 = t.gauss * 0.398_942_280_401_432_7;
                let want = crate::math::norm_pdf(d2);
                assert!(((pdf_d2 - want) / want).abs() <= 4.0 * (1.0 + d2 * d2) * f64::EPSILON);
            }
        }
        println!("worst / allowance {worst}");
    }
}
