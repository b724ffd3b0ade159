//! Forward-mode dual numbers: exact first derivatives of the likelihood in one pass.
//!
//! A `Dual<N>` carries a value and its gradient with respect to up to `N` parameters; every
//! arithmetic operation applies the chain rule, so the gradient of the log-likelihood is exact
//! to rounding (no finite differences). The kernels are generic over [`Scalar`], implemented by
//! `f64` (value only, for filtering and line searches) and `Dual<N>`.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// The number type of the likelihood kernels: `f64` or a dual number.
pub(crate) trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant (zero gradient).
    fn cst(x: f64) -> Self;
    /// The value.
    fn val(self) -> f64;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// ln(1 + x).
    fn ln_1p(self) -> Self;
    /// Exponential.
    fn exp(self) -> Self;
    /// Square root.
    fn sqrt(self) -> Self;
    /// Absolute value (derivative sign(x), 0 at 0).
    fn abs(self) -> Self;
    /// ln Γ(x + ½) − ln Γ(x), without cancellation for large x.
    fn ln_gamma_half_ratio(self) -> Self;
    /// The derivative part of ln(x) alone: value 0, gradient ∇x/x (for deferred logarithms).
    fn dlog(self) -> Self;
}

impl Scalar for f64 {
    #[inline(always)]
    fn cst(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn val(self) -> f64 {
        self
    }
    #[inline(always)]
    fn ln(self) -> Self {
        f64::ln(self)
    }
    #[inline(always)]
    fn ln_1p(self) -> Self {
        f64::ln_1p(self)
    }
    #[inline(always)]
    fn exp(self) -> Self {
        f64::exp(self)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn ln_gamma_half_ratio(self) -> Self {
        super::student::ln_gamma_half_ratio(self)
    }
    #[inline(always)]
    fn dlog(self) -> Self {
        0.0
    }
}

/// A value and its gradient with respect to `N` parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dual<const N: usize> {
    /// The value.
    pub v: f64,
    /// ∂value/∂θᵢ.
    pub d: [f64; N],
}

impl<const N: usize> Dual<N> {
    /// The i-th variable with value `v` (gradient eᵢ).
    #[inline]
    pub fn var(v: f64, i: usize) -> Self {
        let mut d = [0.0; N];
        if i < N {
            d[i] = 1.0;
        }
        Self { v, d }
    }

    /// Applies f with f(v) = `value` and f'(v) = `slope`.
    #[inline(always)]
    fn chain(self, value: f64, slope: f64) -> Self {
        let mut d = self.d;
        let mut i = 0;
        while i < N {
            d[i] *= slope;
            i += 1;
        }
        Self { v: value, d }
    }
}

impl<const N: usize> Add for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        let mut d = self.d;
        let mut i = 0;
        while i < N {
            d[i] += o.d[i];
            i += 1;
        }
        Self { v: self.v + o.v, d }
    }
}

impl<const N: usize> Sub for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        let mut d = self.d;
        let mut i = 0;
        while i < N {
            d[i] -= o.d[i];
            i += 1;
        }
        Self { v: self.v - o.v, d }
    }
}

impl<const N: usize> Mul for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        let mut d = [0.0; N];
        let mut i = 0;
        while i < N {
            d[i] = self.d[i] * o.v + o.d[i] * self.v;
            i += 1;
        }
        Self { v: self.v * o.v, d }
    }
}

impl<const N: usize> Div for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        let inv = 1.0 / o.v;
        let q = self.v * inv;
        let mut d = [0.0; N];
        let mut i = 0;
        while i < N {
            d[i] = (self.d[i] - q * o.d[i]) * inv;
            i += 1;
        }
        Self { v: q, d }
    }
}

impl<const N: usize> Neg for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.chain(-self.v, -1.0)
    }
}

impl<const N: usize> Add<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: f64) -> Self {
        Self {
            v: self.v + o,
            d: self.d,
        }
    }
}

impl<const N: usize> Sub<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: f64) -> Self {
        Self {
            v: self.v - o,
            d: self.d,
        }
    }
}

impl<const N: usize> Mul<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: f64) -> Self {
        self.chain(self.v * o, o)
    }
}

impl<const N: usize> Div<f64> for Dual<N> {
    type Output = Self;
    #[inline(always)]
    fn div(self, o: f64) -> Self {
        let inv = 1.0 / o;
        self.chain(self.v * inv, inv)
    }
}

impl<const N: usize> Scalar for Dual<N> {
    #[inline(always)]
    fn cst(x: f64) -> Self {
        Self { v: x, d: [0.0; N] }
    }
    #[inline(always)]
    fn val(self) -> f64 {
        self.v
    }
    #[inline(always)]
    fn ln(self) -> Self {
        self.chain(self.v.ln(), 1.0 / self.v)
    }
    #[inline(always)]
    fn ln_1p(self) -> Self {
        self.chain(self.v.ln_1p(), 1.0 / (1.0 + self.v))
    }
    #[inline(always)]
    fn exp(self) -> Self {
        let e = self.v.exp();
        self.chain(e, e)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        let s = self.v.sqrt();
        self.chain(s, 0.5 / s)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        let sign = if self.v > 0.0 {
            1.0
        } else if self.v < 0.0 {
            -1.0
        } else {
            0.0
        };
        self.chain(self.v.abs(), sign)
    }
    #[inline(always)]
    fn ln_gamma_half_ratio(self) -> Self {
        self.chain(
            super::student::ln_gamma_half_ratio(self.v),
            super::student::digamma_half_diff(self.v),
        )
    }
    #[inline(always)]
    fn dlog(self) -> Self {
        self.chain(0.0, 1.0 / self.v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)]
    fn gamma_half_ratio_and_its_derivative_match_mpmath() {
        // mpmath 1.3.0 at 40 digits (360 for 1e300): loggamma(x + 1/2) − loggamma(x) and
        // digamma(x + 1/2) − digamma(x).
        let cases = [
            (1.025, -0.105_657_491_538_527_75, 0.596_431_726_741_050_4),
            (15.5, 1.362_356_892_725_277_9, 0.032_778_085_737_094_936),
            (3.0, 0.507_826_421_787_128_9, 0.180_372_305_546_776_05),
            (250.5, 2.761_230_458_597_791_5, 0.001_998_000_003_999_968),
            (1e300, 345.387_763_949_106_85, 5e-301),
        ];
        for (x, r, d) in cases {
            let v = Dual::<1>::var(x, 0).ln_gamma_half_ratio();
            assert!(
                (v.v - r).abs() < 2e-15 * r.abs().max(1.0),
                "ratio({x}) = {} vs {r}",
                v.v
            );
            assert!(
                (v.d[0] - d).abs() < 4e-14 * d,
                "ψ diff({x}) = {} vs {d}",
                v.d[0]
            );
        }
        // Outside the domain: NaN at once, never a loop (issue 12: ν = −1e300 hung).
        assert!(Dual::<1>::var(-5e299, 0).ln_gamma_half_ratio().v.is_nan());
        assert!(f64::NAN.ln_gamma_half_ratio().is_nan());
    }

    #[test]
    fn chain_rule_matches_closed_form() {
        // f(x, y) = ln(x·y + 1)/√x at (2, 3): ∂f/∂x, ∂f/∂y by hand.
        let x = Dual::<2>::var(2.0, 0);
        let y = Dual::<2>::var(3.0, 1);
        let f = (x * y + 1.0).ln() / x.sqrt();
        let (xv, yv) = (2.0_f64, 3.0_f64);
        let g = (xv * yv + 1.0).ln();
        let dfdx = yv / (xv * yv + 1.0) / xv.sqrt() - 0.5 * g * xv.powf(-1.5);
        let dfdy = xv / (xv * yv + 1.0) / xv.sqrt();
        assert!((f.d[0] - dfdx).abs() < 1e-15);
        assert!((f.d[1] - dfdy).abs() < 1e-15);
    }
}
