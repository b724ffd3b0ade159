//! Hand-derived derivatives of the innovation log-densities for the analytic likelihood
//! gradients: per observation ∂ℓₜ/∂σ² and ∂ℓₜ/∂ε, and the shape parameters' gradient.
//!
//! ```text
//! Normal:  ℓₜ = −½(ln 2π + ln σ² + ε²/σ²)
//!          ∂ℓₜ/∂σ² = ½(ε²/σ² − 1)/σ²,  ∂ℓₜ/∂ε = −ε/σ²
//! t(ν):    z = ε²/(σ²(ν−2)),  h = (ν+1)/2,  ℓₜ = K(ν) − ½ ln σ² − h ln(1+z)
//!          ∂ℓₜ/∂σ² = (−½ + h·z/(1+z))/σ²,  ∂ℓₜ/∂ε = −2hε/(σ²(ν−2)(1+z))
//!          ∂ℓₜ/∂ν = K′(ν) − ½ln(1+z) + h/(ν−2)·z/(1+z),  K′ = ½ψ((ν+1)/2) − ½ψ(ν/2) − ½/(ν−2)
//! skew-t:  z = ε/σ,  s = 1 − λ if z < −a/b else 1 + λ (σₛ = ∓1 its λ-slope),  u = (bz + a)/s,
//!          w = u²/(η−2),  H = (η+1)/2,  ℓₜ = ln b + ln c − ½ ln σ² − H ln(1+w)
//!          ln c = ln Γ((η+1)/2) − ln Γ(η/2) − ½ ln(π(η−2)),  (ln c)′ = K′(η)
//!          a = 4λc(η−2)/(η−1):  a_λ = 4c(η−2)/(η−1),  a_η = 4λ(c·K′(η)(η−2)/(η−1) + c/(η−1)²)
//!          b² = 1 + 3λ² − a²:   b_λ = (3λ − a·a_λ)/b,  b_η = −a·a_η/b
//!          ∂ℓₜ/∂z = −2H·u·b/(s(η−2)(1+w)),  ∂ℓₜ/∂ε = ∂ℓₜ/∂z/σ,  ∂ℓₜ/∂σ² = −½(1 + z·∂ℓₜ/∂z)/σ²
//!          ∂ℓₜ/∂η = b_η/b + K′(η) − ½ln(1+w) − H(2u(b_η z + a_η)/s − w)/((η−2)(1+w))
//!          ∂ℓₜ/∂λ = b_λ/b − H·2u((b_λ z + a_λ)/s − σₛ u/s)/((η−2)(1+w))
//! per observation each density returns ∂ℓₜ/∂ln σ² = σ²·∂ℓₜ/∂σ² (what EGARCH needs, without σ²)
//! ```
//!
//! References: B. E. Hansen, "Autoregressive conditional density estimation", Int. Econ. Rev.
//! 35 (1994) (the skewed t and its a, b, c); T. Bollerslev, Rev. Econ. Stat. 69 (1987) (the
//! standardised t). The dual-number kernel (src/garch/dual.rs) is the reference these are
//! tested against.

use super::innovation::LN_2PI;
use super::kernel::LogSum;
use super::student::{digamma_half_diff, ln_gamma_half_ratio};

/// The per-observation and final derivative work of one innovation density.
pub(crate) trait GradDensity: Copy {
    /// The density at shape parameters `shape` (within their bounds).
    fn new(shape: &[f64]) -> Self;
    /// Whether [`GradDensity::step`] reads 1/σ (otherwise callers may pass any value).
    const NEEDS_ISD: bool;
    /// How many shape parameters the density has (the length of `step`'s `row`).
    const SHAPES: usize;
    /// One observation (`isd` = 1/σ, `inv` = 1/σ²): accumulates the sums and returns
    /// (∂ℓₜ/∂ln σ² = σ²·∂ℓₜ/∂σ², ∂ℓₜ/∂ε) — the ln σ² slope, so that EGARCH needs no σ² and
    /// no division; with `row`, writes the observation's shape scores ∂ℓₜ/∂shape there.
    fn step(&mut self, eps: f64, isd: f64, inv: f64, row: Option<&mut [f64]>) -> (f64, f64);
    /// Σₜ ℓₜ for `n` observations with Σ ln σ²ₜ = `sum_ln_s2`; writes ∂ℓ/∂shape to `grad`.
    fn finish(&self, n: f64, sum_ln_s2: f64, grad: &mut [f64]) -> f64;
}

/// The standard normal.
#[derive(Clone, Copy)]
pub(crate) struct NormalGrad {
    quad: f64,
}

impl GradDensity for NormalGrad {
    const NEEDS_ISD: bool = false;
    const SHAPES: usize = 0;
    #[inline(always)]
    fn new(_: &[f64]) -> Self {
        Self { quad: 0.0 }
    }
    #[inline(always)]
    fn step(&mut self, eps: f64, _isd: f64, inv: f64, _row: Option<&mut [f64]>) -> (f64, f64) {
        let q = eps * eps * inv;
        self.quad += q;
        (0.5 * (q - 1.0), -eps * inv)
    }
    #[inline(always)]
    fn finish(&self, n: f64, sum_ln_s2: f64, _grad: &mut [f64]) -> f64 {
        -0.5 * (n * LN_2PI + sum_ln_s2 + self.quad)
    }
}

/// The standardised Student-t; ln(1 + z) deferred to running products.
#[derive(Clone, Copy)]
pub(crate) struct StudentGrad {
    h: f64,
    inv_nu2: f64,
    dk: f64,
    k: f64,
    frac: f64,
    ln_k: LogSum<f64>,
}

impl GradDensity for StudentGrad {
    const NEEDS_ISD: bool = false;
    const SHAPES: usize = 1;
    #[inline(always)]
    fn new(shape: &[f64]) -> Self {
        let nu = shape[0];
        let inv_nu2 = 1.0 / (nu - 2.0);
        Self {
            h: 0.5 * (nu + 1.0),
            inv_nu2,
            dk: 0.5 * digamma_half_diff(0.5 * nu) - 0.5 * inv_nu2,
            k: ln_gamma_half_ratio(0.5 * nu) - 0.5 * (std::f64::consts::PI * (nu - 2.0)).ln(),
            frac: 0.0,
            ln_k: LogSum::new(),
        }
    }
    #[inline(always)]
    fn step(&mut self, eps: f64, _isd: f64, inv: f64, row: Option<&mut [f64]>) -> (f64, f64) {
        let z = eps * eps * inv * self.inv_nu2;
        let w = 1.0 / (1.0 + z);
        self.ln_k.add(1.0 + z);
        self.frac += z * w;
        if let Some(row) = row {
            row[0] = self.dk - 0.5 * z.ln_1p() + self.h * self.inv_nu2 * z * w;
        }
        (
            self.h * z * w - 0.5,
            -2.0 * self.h * eps * inv * self.inv_nu2 * w,
        )
    }
    #[inline(always)]
    fn finish(&self, n: f64, sum_ln_s2: f64, grad: &mut [f64]) -> f64 {
        let sum_ln_k = self.ln_k.total();
        grad[0] = n * self.dk - 0.5 * sum_ln_k + self.h * self.inv_nu2 * self.frac;
        n * self.k - 0.5 * sum_ln_s2 - self.h * sum_ln_k
    }
}

/// Hansen's skewed t; ln(1 + w) deferred to running products.
#[derive(Clone, Copy)]
pub(crate) struct SkewTGrad {
    a: f64,
    b: f64,
    a_eta: f64,
    a_lam: f64,
    b_eta: f64,
    b_lam: f64,
    /// ln b + ln c and its η and λ derivatives.
    k: f64,
    k_eta: f64,
    k_lam: f64,
    threshold: f64,
    inv_lo: f64,
    inv_hi: f64,
    h: f64,
    inv_eta2: f64,
    acc_eta: f64,
    acc_lam: f64,
    ln_k: LogSum<f64>,
}

impl GradDensity for SkewTGrad {
    const NEEDS_ISD: bool = true;
    const SHAPES: usize = 2;
    // Not inlined: where the kernel sees 1/(1 − λ) and 1/(1 + λ) as divisions, LLVM folds
    // the per-observation select of the two into one division of the selected denominator,
    // a division per observation on the critical path.
    #[inline(never)]
    fn new(shape: &[f64]) -> Self {
        let (eta, lam) = (shape[0], shape[1]);
        let inv_eta2 = 1.0 / (eta - 2.0);
        let lnc = ln_gamma_half_ratio(0.5 * eta) - 0.5 * (std::f64::consts::PI * (eta - 2.0)).ln();
        let dlnc = 0.5 * digamma_half_diff(0.5 * eta) - 0.5 * inv_eta2;
        let c = lnc.exp();
        let r = (eta - 2.0) / (eta - 1.0);
        let a_lam = 4.0 * c * r;
        let a = lam * a_lam;
        let a_eta = 4.0 * lam * c * (dlnc * r + 1.0 / ((eta - 1.0) * (eta - 1.0)));
        let b = (lam * lam * 3.0 + 1.0 - a * a).sqrt();
        let b_lam = (3.0 * lam - a * a_lam) / b;
        let b_eta = -a * a_eta / b;
        Self {
            a,
            b,
            a_eta,
            a_lam,
            b_eta,
            b_lam,
            k: b.ln() + lnc,
            k_eta: b_eta / b + dlnc,
            k_lam: b_lam / b,
            threshold: -a / b,
            inv_lo: 1.0 / (1.0 - lam),
            inv_hi: 1.0 / (lam + 1.0),
            h: (eta + 1.0) * 0.5,
            inv_eta2,
            acc_eta: 0.0,
            acc_lam: 0.0,
            ln_k: LogSum::new(),
        }
    }
    #[inline(always)]
    fn step(&mut self, eps: f64, isd: f64, _inv: f64, row: Option<&mut [f64]>) -> (f64, f64) {
        let z = eps * isd;
        // The side's 1/s and λ-slope (s = 1 − λ below the split, 1 + λ above).
        let (inv_s, slope) = if z < self.threshold {
            (self.inv_lo, -1.0)
        } else {
            (self.inv_hi, 1.0)
        };
        let u = (self.b * z + self.a) * inv_s;
        let w = u * u * self.inv_eta2;
        let q = 1.0 / (1.0 + w);
        self.ln_k.add(1.0 + w);
        let dl_dz = -2.0 * self.h * u * self.b * inv_s * self.inv_eta2 * q;
        let dw_eta = (2.0 * u * (self.b_eta * z + self.a_eta) * inv_s - w) * self.inv_eta2;
        let dw_lam =
            2.0 * u * ((self.b_lam * z + self.a_lam) * inv_s - slope * u * inv_s) * self.inv_eta2;
        self.acc_eta += q * dw_eta;
        self.acc_lam += q * dw_lam;
        if let Some(row) = row {
            row[0] = self.k_eta - 0.5 * w.ln_1p() - self.h * q * dw_eta;
            row[1] = self.k_lam - self.h * q * dw_lam;
        }
        (-0.5 * (1.0 + z * dl_dz), dl_dz * isd)
    }
    #[inline(always)]
    fn finish(&self, n: f64, sum_ln_s2: f64, grad: &mut [f64]) -> f64 {
        let sum_ln_k = self.ln_k.total();
        grad[0] = n * self.k_eta - 0.5 * sum_ln_k - self.h * self.acc_eta;
        grad[1] = n * self.k_lam - self.h * self.acc_lam;
        n * self.k - 0.5 * sum_ln_s2 - self.h * sum_ln_k
    }
}
