//! Draws by inversion from one uniform each (so the antithetic stream mirrors them), over the
//! caller's generator.

use rand::Rng;

use crate::garch::{uniform_open, Innovation, Normal};

/// u ∈ (0, 1) from one `u64`: ((x ≫ 11) + ½)·2⁻⁵³ (garch's uniform, so streams agree).
#[inline]
pub(crate) fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    uniform_open(rng)
}

/// z ~ N(0, 1) by inversion, z = Φ⁻¹(u).
#[inline]
pub(crate) fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    Normal.sample(rng)
}

/// N ~ Poisson(mean) by sequential inversion of one uniform (mean ≤ [`MAX_POISSON_MEAN`]).
///
/// ```text
/// N = min{k : u ≤ Σ_{j≤k} e^{−m} m^j / j!}
/// ```
///
/// Reference: L. Devroye, *Non-Uniform Random Variate Generation* (1986), §X.3.2.
pub(crate) fn poisson(mean: f64, u: f64) -> u32 {
    let mut p = (-mean).exp();
    let mut cdf = p;
    let mut k = 0u32;
    // The cap is far in the tail for mean ≤ MAX_POISSON_MEAN: P(N > 1000) < 1e-200.
    while u > cdf && k < 1000 {
        k += 1;
        p *= mean / f64::from(k);
        cdf += p;
        if p == 0.0 {
            break;
        }
    }
    k
}

/// Largest Poisson mean per step (e^{−m} stays far from underflow).
pub(crate) const MAX_POISSON_MEAN: f64 = 100.0;

/// W ~ χ²_ν (ν > 0): 2·Gamma(ν/2) by Marsaglia and Tsang's squeeze method (shape < 1 boosted by
/// U^{1/shape}).
///
/// ```text
/// d = a − 1/3, c = 1/√(9d);  x ~ N(0,1), v = (1 + c x)³;  accept if ln u < x²/2 + d − d v + d ln v
/// ```
///
/// Reference: G. Marsaglia and W. W. Tsang, "A simple method for generating gamma variables",
/// *ACM Trans. Math. Softw.* 26 (2000).
pub(crate) fn chi_square<R: Rng + ?Sized>(nu: f64, rng: &mut R) -> f64 {
    let shape = 0.5 * nu;
    let (a, boost) = if shape < 1.0 {
        (shape + 1.0, true)
    } else {
        (shape, false)
    };
    let d = a - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    let g = loop {
        let x = normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = uniform(rng);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            break d * v;
        }
    };
    let g = if boost {
        g * uniform(rng).powf(1.0 / shape)
    } else {
        g
    };
    2.0 * g
}
