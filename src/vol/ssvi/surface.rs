//! SSVI: Gatheral–Jacquier's surface SVI (the surface; its fit is in fit.rs).

use super::conditions::SsviConditions;
use super::phi::SsviPhi;
use crate::vol::error::{check, VolError};
use crate::vol::VolSurface;

/// An SSVI surface (J. Gatheral and A. Jacquier, "Arbitrage-free SVI volatility surfaces",
/// Quantitative Finance 14, 2014, Definition 4.1).
///
/// ```text
/// w(T, k) = θ_T/2 · (1 + ρφ(θ_T)k + √((φ(θ_T)k + ρ)² + 1 − ρ²)),   k = ln(K/F(T))
/// ```
///
/// θ_T, the ATM total variance, is given at the fitted expiries Tᵢ and interpolated linearly
/// in T between them; before T₁ it is θ₁·T/T₁ and after the last expiry θₙ·T/Tₙ (constant
/// ATM implied volatility).
///
/// ```
/// use derisk::vol::{Ssvi, SsviPhi, VolSurface};
/// let s = Ssvi::new(-0.3, SsviPhi::PowerLaw { eta: 1.0, gamma: 0.4 }, vec![0.5, 1.0], vec![0.02, 0.04])?;
/// assert!((s.total_variance(1.0, 0.0) - 0.04).abs() < 1e-15);   // w(T, 0) = θ_T
/// assert!((s.total_variance(0.75, 0.0) - 0.03).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::SsviData")
)]
pub struct Ssvi {
    pub(super) rho: f64,
    pub(super) phi: SsviPhi,
    pub(super) expiries: Vec<f64>,
    pub(super) thetas: Vec<f64>,
}

impl Ssvi {
    /// An SSVI surface from ρ, φ, and ATM total variances θᵢ at increasing expiries Tᵢ.
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] for |ρ| ≥ 1, invalid φ parameters, expiries that are not
    /// positive and strictly increasing, θ that are not positive, or lengths that differ.
    ///
    /// ```
    /// use derisk::vol::{Ssvi, SsviPhi};
    /// assert!(Ssvi::new(0.0, SsviPhi::Heston { lambda: 1.0 }, vec![1.0, 0.5], vec![0.1, 0.2]).is_err());
    /// ```
    pub fn new(
        rho: f64,
        phi: SsviPhi,
        expiries: Vec<f64>,
        thetas: Vec<f64>,
    ) -> Result<Self, VolError> {
        check("rho", rho, rho.abs() < 1.0, "-1 < rho < 1")?;
        phi.check()?;
        check(
            "expiries",
            expiries.len() as f64,
            !expiries.is_empty() && expiries.len() == thetas.len(),
            "as many expiries as thetas, at least one",
        )?;
        let mut previous = 0.0;
        for (&t, &theta) in expiries.iter().zip(&thetas) {
            check("expiry", t, t > previous, "positive and increasing")?;
            check("theta", theta, theta > 0.0, "theta > 0")?;
            previous = t;
        }
        Ok(Self {
            rho,
            phi,
            expiries,
            thetas,
        })
    }

    /// ρ.
    #[must_use]
    pub const fn rho(&self) -> f64 {
        self.rho
    }
    /// φ.
    #[must_use]
    pub const fn phi(&self) -> SsviPhi {
        self.phi
    }
    /// The fitted expiries Tᵢ (years).
    #[must_use]
    pub fn expiries(&self) -> &[f64] {
        &self.expiries
    }
    /// The ATM total variances θᵢ at the fitted expiries.
    #[must_use]
    pub fn thetas(&self) -> &[f64] {
        &self.thetas
    }

    /// θ_T and ∂θ/∂T.
    fn theta(&self, t: f64) -> (f64, f64) {
        let (ts, th) = (&self.expiries, &self.thetas);
        let n = ts.len();
        if t.is_nan() {
            return (f64::NAN, f64::NAN);
        }
        if t <= ts[0] {
            return (th[0] * t / ts[0], th[0] / ts[0]);
        }
        if t >= ts[n - 1] {
            return (th[n - 1] * t / ts[n - 1], th[n - 1] / ts[n - 1]);
        }
        let i = ts.partition_point(|&x| x <= t) - 1;
        let slope = (th[i + 1] - th[i]) / (ts[i + 1] - ts[i]);
        (th[i] + slope * (t - ts[i]), slope)
    }

    /// Gatheral–Jacquier's Theorems 4.1 and 4.2 at every fitted θ.
    ///
    /// ```
    /// use derisk::vol::{Ssvi, SsviPhi};
    /// let s = Ssvi::new(-0.3, SsviPhi::PowerLaw { eta: 1.0, gamma: 0.4 }, vec![0.5, 1.0], vec![0.02, 0.04])?;
    /// let c = s.conditions();
    /// assert!(c.calendar && c.butterfly); // η(1 + |ρ|) = 1.3 ≤ 2, γ ≤ ½
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    #[must_use]
    pub fn conditions(&self) -> SsviConditions {
        conditions(self.rho, &self.phi, &self.thetas)
    }
}

pub(super) fn conditions(rho: f64, phi: &SsviPhi, thetas: &[f64]) -> SsviConditions {
    let increasing = thetas.windows(2).all(|w| w[1] >= w[0]);
    let mut calendar = increasing;
    let mut butterfly = true;
    let r = rho.abs();
    for &theta in thetas {
        let f = phi.value(theta);
        let h = 1e-6 * theta;
        let d =
            ((theta + h) * phi.value(theta + h) - (theta - h) * phi.value(theta - h)) / (2.0 * h);
        let upper = if rho == 0.0 {
            f64::INFINITY
        } else {
            (1.0 + (1.0 - rho * rho).sqrt()) * f / (rho * rho)
        };
        if d < -1e-12 || d > upper {
            calendar = false;
        }
        if theta * f * (1.0 + r) >= 4.0 || theta * f * f * (1.0 + r) > 4.0 {
            butterfly = false;
        }
    }
    SsviConditions {
        calendar,
        butterfly,
    }
}

#[inline]
pub(super) fn ssvi_w(theta: f64, phi: f64, rho: f64, k: f64) -> f64 {
    let x = phi * k;
    0.5 * theta * (1.0 + rho * x + ((x + rho) * (x + rho) + 1.0 - rho * rho).sqrt())
}

impl VolSurface for Ssvi {
    fn total_variance(&self, expiry: f64, log_moneyness: f64) -> f64 {
        let (theta, _) = self.theta(expiry);
        if theta.is_nan() {
            return f64::NAN;
        }
        if theta <= 0.0 {
            return 0.0;
        }
        ssvi_w(theta, self.phi.value(theta), self.rho, log_moneyness)
    }

    fn total_variance_derivatives(&self, expiry: f64, log_moneyness: f64) -> [f64; 4] {
        let (theta, dtheta) = self.theta(expiry);
        if theta.is_nan() {
            return [f64::NAN; 4];
        }
        if theta <= 0.0 {
            return [0.0; 4];
        }
        let (rho, k) = (self.rho, log_moneyness);
        let phi = self.phi.value(theta);
        let x = phi * k;
        let r = ((x + rho) * (x + rho) + 1.0 - rho * rho).sqrt();
        let f = 1.0 + rho * x + r;
        let f1 = rho + (x + rho) / r;
        let f2 = (1.0 - rho * rho) / (r * r * r);
        let h = 1e-6 * theta;
        let dphi = (self.phi.value(theta + h) - self.phi.value(theta - h)) / (2.0 * h);
        let dw_dtheta = 0.5 * f + 0.5 * theta * f1 * k * dphi;
        [
            0.5 * theta * f,
            0.5 * theta * phi * f1,
            0.5 * theta * phi * phi * f2,
            dw_dtheta * dtheta,
        ]
    }
}
