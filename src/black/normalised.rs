//! The normalised Black function: the undiscounted out-of-the-money option price per unit strike,
//! evaluated without catastrophic cancellation.
//!
//! For log-moneyness x = ln(F/K) ≤ 0 and total volatility s = σ√T > 0, with z₀ = −x/s + s/2
//! (= −d₂) and z₁ = z₀ − s (= −d₁):
//!
//! ```text
//! f(x, s) = eˣ·Φ(d₁) − Φ(d₂) = ½·exp(−z₀²/2)·[erfcx(z₁/√2) − erfcx(z₀/√2)]
//! ```
//!
//! The bracket is a difference of two close numbers when s is small next to the distance from
//! the money; there it is summed as an odd Taylor series about the midpoint
//! m = (z₀ + z₁)/(2√2) = −x/(s√2), whose terms are all positive:
//!
//! ```text
//! erfcx(m − η) − erfcx(m + η) = 2·Σ_{k odd} cₖ(m)·ηᵏ/k!,   η = s/(2√2),  cₖ = (−1)ᵏ·erfcxᵏ⁾(m)
//! c₀ = erfcx(m),  c₁ = 2/√π − 2m·c₀,  cₖ₊₁ = 2k·cₖ₋₁ − 2m·cₖ
//! ```
//!
//! The recurrence is run forwards for small m and backwards for larger m, the direction in which
//! it is stable (Miller's algorithm, in a scaled form that needs no division per order). The idea of regions with expansions
//! where direct evaluation cancels follows P. Jäckel, "Let's Be Rational", Wilmott (2015).

use crate::math::{
    erfc_near_zero, erfc_small, erfcx, erfcx_middle, exp_neg_half_square,
    exp_neg_half_square_parts, norm_cdf,
};

const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;
const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;
/// 1/√(2π).
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// f(x, s) for x ≤ 0 and s > 0 (finite), given `ex` = eˣ (the caller usually has it as a ratio
/// of forward and strike). Returns 0 where the value underflows.
///
/// Near the money at moderate s both |z₀|/√2 and |z₁|/√2 are small; there
/// f = ½·(eˣ·erfc(z₁/√2) − erfc(z₀/√2)) needs no exponential at all (erfc of a small argument is
/// 1 − y·(erf(y)/y)), and cancels no more than the erfcx difference it replaces.
#[inline]
pub(crate) fn otm_call(x: f64, s: f64, ex: f64) -> f64 {
    let h = x / s;
    let z0 = 0.5 * s - h;
    let m = -h * FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    if 2.0 * eta >= 0.1 * m.max(1.0) {
        let z1 = z0 - s;
        if let (Some(tail1), Some(tail0)) = (
            erfc_small(z1 * FRAC_1_SQRT_2),
            erfc_small(z0 * FRAC_1_SQRT_2),
        ) {
            return 0.5 * (ex * tail1 - tail0);
        }
    }
    otm_call_and_vega(x, s, ex).0
}

/// Largest z₀ of the central region: z₀/√2 = 4 is the top of Cody's middle interval for erfcx.
pub(crate) const CENTRAL_Z_MAX: f64 = 4.0 * std::f64::consts::SQRT_2;
/// |z| up to which erfc(z/√2) takes Cody's small-argument form (|z|/√2 ≤ 0.46875).
const SMALL_Z: f64 = 0.468_75 * std::f64::consts::SQRT_2;

/// The out-of-the-money price P·Φ(−z₁) − Q·Φ(−z₀) on the central region, where
/// P·exp(−z₁²/2) = Q·exp(−z₀²/2), z₀ = s/2 + |x|/s and z₁ = z₀ − s. For a call (x = ln(F/K) ≤ 0)
/// P = D·F and Q = D·K; for a put (x > 0) P = D·K and Q = D·F; D·K·f(−|x|, s) either way.
///
/// ```text
/// Q·Φ(−z₀) = ½·Q·erfc(z₀/√2) = ½·Q·e^{−z₀²/2}·erfcx(z₀/√2)
/// P·Φ(−z₁) = ½·P·erfc(z₁/√2) = ½·Q·e^{−z₀²/2}·erfcx(z₁/√2) = P − ½·Q·e^{−z₀²/2}·erfcx(−z₁/√2)
/// ```
///
/// Each term is taken in the form that is exact for its argument: erfc near zero (no
/// exponential), erfcx on Cody's middle interval otherwise, reflected for z₁ < 0 so that every
/// form is a sum of positive terms. Requires 0 < z₀ ≤ [`CENTRAL_Z_MAX`] (so |z₁| ≤ z₀) and s
/// outside the Taylor region of [`otm_call_and_vega`], where the difference cancels at most a
/// factor of about ten.
#[inline(always)]
pub(crate) fn central_otm<const FUSED: bool>(z0: f64, z1: f64, p: f64, q: f64) -> f64 {
    let (y0, y1) = (z0 * FRAC_1_SQRT_2, z1 * FRAC_1_SQRT_2);
    if z0 <= SMALL_Z {
        // |z₁| ≤ z₀: both arguments are small, and no exponential is needed at all.
        return 0.5 * (p * erfc_near_zero::<FUSED>(y1) - q * erfc_near_zero::<FUSED>(y0));
    }
    // Q·e^{−z₀²/2}/2 times a sum of erfcx values, with the exponential multiplied in last: it
    // ends the longest dependency chain of the price.
    let (e, half_q) = exp_neg_half_square_parts::<FUSED>(z0, 0.5 * q);
    let far = erfcx_middle::<FUSED>(y0);
    if z1 > SMALL_Z {
        e * (half_q * (erfcx_middle::<FUSED>(y1) - far))
    } else if z1 >= -SMALL_Z {
        0.5 * p * erfc_near_zero::<FUSED>(y1) - e * (half_q * far)
    } else {
        p - e * (half_q * (erfcx_middle::<FUSED>(-y1) + far))
    }
}

/// f(x, s) and its derivative ∂f/∂s = φ(d₂) = φ(z₀), which shares the exponential.
#[inline]
pub(crate) fn otm_call_and_vega(x: f64, s: f64, ex: f64) -> (f64, f64) {
    debug_assert!(x <= 0.0 && s > 0.0);
    let h = x / s;
    let z0 = 0.5 * s - h;
    let m = -h * FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    let e = exp_neg_half_square(z0);
    let vega = FRAC_1_SQRT_2PI * e;
    if 2.0 * eta < 0.1 * m.max(1.0) {
        // Small total volatility next to the distance from the money: Taylor series.
        if e == 0.0 {
            return (0.0, 0.0);
        }
        return (0.5 * e * central_difference(m, eta), vega);
    }
    let z1 = z0 - s;
    let f = if z1 >= 0.0 {
        0.5 * e * (erfcx(z1 * FRAC_1_SQRT_2) - erfcx(z0 * FRAC_1_SQRT_2))
    } else if z1 > -7.0 {
        // d₁ > 0: erfcx(z₁/√2) = 2·exp(z₁²/2) − erfcx(−z₁/√2), and exp((z₁² − z₀²)/2) = eˣ,
        // which saves the reflection's exponentials.
        let tails = erfcx(-z1 * FRAC_1_SQRT_2) + erfcx(z0 * FRAC_1_SQRT_2);
        ex - 0.5 * e * tails
    } else {
        // d₁ > 7: Φ(d₂) is negligible next to eˣΦ(d₁) (no cancellation), and erfcx(z₁/√2)
        // would overflow for very large s.
        ex * norm_cdf(-z1) - norm_cdf(-z0)
    };
    (f, vega)
}

/// eˣ − f(x, s) = eˣ·Φ(−d₁) + Φ(d₂) and ∂f/∂s = φ(d₂) for x ≤ 0 and s ≥ √(−2x) (d₁ ≥ 0), from
/// one exponential: with z₀ = −d₂ and z₁ = −d₁ ≤ 0, since eˣ·exp(−z₁²/2) = exp(−z₀²/2),
/// eˣ − f = ½·exp(−z₀²/2)·[erfcx(−z₁/√2) + erfcx(z₀/√2)], a sum of positive terms.
#[inline]
pub(crate) fn otm_complement_and_vega(x: f64, s: f64) -> (f64, f64) {
    debug_assert!(x <= 0.0 && s > 0.0);
    let z0 = 0.5 * s - x / s;
    let z1 = (z0 - s).min(0.0);
    let e = exp_neg_half_square(z0);
    let tails = erfcx(-z1 * FRAC_1_SQRT_2) + erfcx(z0 * FRAC_1_SQRT_2);
    (0.5 * e * tails, FRAC_1_SQRT_2PI * e)
}

/// Highest odd order of the Taylor series: the Taylor region has η/max(m, 1) < 0.05, where
/// successive odd terms shrink by at least ~400, so 1e-17 is reached well before it.
const MAX_ORDER: usize = 17;

/// Up to this midpoint the forward recurrence is used: its error, led by the cancellation in
/// c₁ = 2/√π − 2m·c₀ (about 2m² ulps), stays under 6e-15 relative (26 ulps, measured against
/// mpmath over the Taylor region; docs/VALIDATION.md; end to end, with erfcx(m) and the
/// exponential, the price is within 1.5·κ·ε, 2.2e-14 at m = 3.9), and it costs a few steps where Miller's
/// backward recurrence would need dozens of divisions.
const FORWARD_RECURRENCE_LIMIT: f64 = 4.0;

/// 1/((k + 1)(k + 2)), the factor from ηᵏ/k! to ηᵏ⁺²/(k + 2)!, without a division per term.
const INV_PAIR: [f64; 4 * MAX_ORDER + 2] = {
    let mut table = [0.0; 4 * MAX_ORDER + 2];
    let mut k = 0;
    while k < table.len() {
        table[k] = 1.0 / ((k + 1) * (k + 2)) as f64;
        k += 1;
    }
    table
};

/// erfcx(m − η) − erfcx(m + η) by its odd Taylor series about m ≥ 0.
#[inline]
fn central_difference(m: f64, eta: f64) -> f64 {
    let c0 = erfcx(m);
    let eta2 = eta * eta;
    if m <= FORWARD_RECURRENCE_LIMIT {
        // Forward recurrence, run only as far as the terms matter.
        let (mut c_prev, mut c) = (c0, FRAC_2_SQRT_PI - 2.0 * m * c0); // c₀, c₁
        let mut power = eta; // ηᵏ/k!
        let mut sum = c * power;
        let mut k = 1;
        while k < 4 * MAX_ORDER {
            let c_next = 2.0 * k as f64 * c_prev - 2.0 * m * c; // cₖ₊₁
            let c_next2 = 2.0 * (k + 1) as f64 * c - 2.0 * m * c_next; // cₖ₊₂
            (c_prev, c) = (c_next, c_next2);
            power *= eta2 * INV_PAIR[k];
            k += 2;
            let term = c * power;
            sum += term;
            if term.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        return 2.0 * sum;
    }
    // Miller's algorithm without divisions: cₖ = c₀·k!·bₖ₊₁/(b₁·mᵏ), where the scaled minimal
    // solution bⱼ = bⱼ₊₁ + 2(j + 1)/(4m²)·bⱼ₊₂ is run downwards from above the highest order used,
    // started from the minimal solution's asymptotic ratio cₜ/cₜ₋₁ ≈ √(m² + 2t) − m. Every term
    // is positive, so nothing cancels, and the chain carries additions only (no divisions).
    // Then Σ_{k odd} cₖηᵏ/k! = c₀/b₁·Σ_{k odd} (η/m)ᵏ·bₖ₊₁, summed by Horner in (η/m)².
    let inv_m = 1.0 / m;
    let p = eta * inv_m;
    let p2 = p * p;
    // Odd terms shrink by at least (η/m)² each: fewer orders are needed when that is small.
    let orders = if p2 < 1e-6 {
        7
    } else if p2 < 1e-4 {
        11
    } else {
        MAX_ORDER
    };
    // Above m = 4 eight extra steps reach the minimal solution to 1e-16 (measured).
    let top = orders + 1 + 8;
    let u = 0.25 * inv_m * inv_m;
    let mut b_above = 2.0 * m / ((m * m + 2.0 * top as f64).sqrt() + m); // b_{top+1}, b_top = 1
    let mut b = 1.0;
    let mut horner = 0.0;
    for j in (1..top).rev() {
        let next = b + 2.0 * (j + 1) as f64 * u * b_above;
        (b_above, b) = (b, next);
        if j % 2 == 0 && j <= orders + 1 {
            horner = horner * p2 + b;
        }
    }
    2.0 * c0 * p * horner / b
}
