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
//! The recurrence is run forwards for small m and backwards (Miller's algorithm, normalised by
//! c₀) for larger m, the direction in which it is stable. The idea of regions with expansions
//! where direct evaluation cancels follows P. Jäckel, "Let's Be Rational", Wilmott (2015).

use crate::math::{erfcx, exp_neg_half_square, norm_cdf};

const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;
const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// Odd Taylor terms are summed while they matter; c₁…c_{MAX_ORDER} are available.
const MAX_ORDER: usize = 31;

/// f(x, s) for x ≤ 0 and s > 0 (finite). Returns 0 where the value underflows.
#[inline]
pub(crate) fn otm_call(x: f64, s: f64) -> f64 {
    debug_assert!(x <= 0.0 && s > 0.0);
    let z0 = -x / s + 0.5 * s;
    let m = -x / s * FRAC_1_SQRT_2;
    let eta = 0.25 * s * std::f64::consts::SQRT_2;
    if 2.0 * eta < 0.1 * m.max(1.0) {
        // Small total volatility next to the distance from the money: Taylor series.
        if z0 > 38.7 {
            return 0.0;
        }
        return 0.5 * exp_neg_half_square(z0) * central_difference(m, eta);
    }
    let z1 = z0 - s;
    if z1 > -7.0 {
        let d = erfcx(z1 * FRAC_1_SQRT_2) - erfcx(z0 * FRAC_1_SQRT_2);
        0.5 * exp_neg_half_square(z0) * d
    } else {
        // d₁ > 7: Φ(d₂) is negligible next to eˣΦ(d₁) (no cancellation), and erfcx(z₁/√2)
        // would overflow for very large s.
        x.exp() * norm_cdf(-z1) - norm_cdf(-z0)
    }
}

/// erfcx(m − η) − erfcx(m + η) by its odd Taylor series about m ≥ 0.
#[inline]
fn central_difference(m: f64, eta: f64) -> f64 {
    let mut c = [0.0_f64; MAX_ORDER + 2];
    let c0 = erfcx(m);
    if m <= 1.0 {
        c[0] = c0;
        c[1] = FRAC_2_SQRT_PI - 2.0 * m * c0;
        for k in 1..=MAX_ORDER {
            c[k + 1] = 2.0 * k as f64 * c[k - 1] - 2.0 * m * c[k];
        }
    } else {
        // Miller, in ratio form: rₖ = cₖ/cₖ₋₁ = 2k/(rₖ₊₁ + 2m), started far above the highest
        // order used from the minimal solution's asymptote √(m² + 2k) − m, then cₖ = c₀·Πrⱼ.
        let top = MAX_ORDER + miller_extra_steps(m);
        let mut r = (m * m + 2.0 * top as f64).sqrt() - m;
        let mut ratios = [0.0_f64; MAX_ORDER + 2];
        for k in (1..top).rev() {
            r = 2.0 * k as f64 / (r + 2.0 * m);
            if k <= MAX_ORDER + 1 {
                ratios[k] = r;
            }
        }
        c[0] = c0;
        for k in 1..=MAX_ORDER + 1 {
            c[k] = c[k - 1] * ratios[k];
        }
    }
    let eta2 = eta * eta;
    let mut power = eta; // ηᵏ/k!
    let mut sum = c[1] * power;
    let mut k = 1;
    while k + 2 <= MAX_ORDER {
        power *= eta2 / ((k + 1) * (k + 2)) as f64;
        k += 2;
        let term = c[k] * power;
        sum += term;
        if term <= 1e-17 * sum {
            break;
        }
    }
    2.0 * sum
}

/// Steps of Miller's backward recurrence above order `MAX_ORDER` for a given midpoint m > 1.
#[inline]
fn miller_extra_steps(m: f64) -> usize {
    if m >= 8.0 {
        16
    } else if m >= 4.0 {
        32
    } else if m >= 2.0 {
        64
    } else {
        96
    }
}
