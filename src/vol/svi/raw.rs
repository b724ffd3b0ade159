//! Raw SVI: Gatheral's stochastic-volatility-inspired smile in total variance.

use super::jw::SviJw;
use crate::vol::error::{check, VolError};
use crate::vol::Smile;

/// Raw SVI smile (J. Gatheral, "A parsimonious arbitrage-free implied volatility
/// parameterization", Global Derivatives 2004; Gatheral–Jacquier 2014, eq. 3.1).
///
/// ```text
/// w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)),   k = ln(K/F)
/// a ∈ ℝ (variance level), b ≥ 0 (wing slope), −1 < ρ < 1 (skew), m ∈ ℝ (shift), σ > 0 (ATM curvature)
/// a + b·σ·√(1 − ρ²) ≥ 0  (w ≥ 0 everywhere)
/// ```
///
/// w is total implied variance σ_impl²·T, so the parameters belong to one expiry. The wings are
/// linear with slopes b(1 ± ρ); Lee's bound asks b(1 + |ρ|) ≤ 2 for finite moments.
///
/// ```
/// use derisk::vol::{Smile, Svi};
/// let s = Svi::new(0.04, 0.1, -0.5, 0.1, 0.2)?;
/// // At k = m: w = a + b·σ.
/// assert!((s.total_variance(0.1) - 0.06).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "crate::vol::serde_data::SviData"))]
pub struct Svi {
    a: f64,
    b: f64,
    rho: f64,
    m: f64,
    sigma: f64,
}

impl Svi {
    /// A raw SVI smile from (a, b, ρ, m, σ).
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] unless every parameter is finite, b ≥ 0, |ρ| < 1, σ > 0,
    /// |a|, b, |m|, σ ≤ 10⁵⁰ (beyond, w overflows at ordinary log-moneyness), and the minimum
    /// variance a + bσ√(1 − ρ²) is ≥ 0.
    ///
    /// ```
    /// use derisk::vol::Svi;
    /// assert!(Svi::new(0.04, 0.1, 1.0, 0.0, 0.2).is_err());
    /// assert!(Svi::new(-0.041, 0.1331, 0.306, 0.3586, 0.4153).is_ok()); // Vogt's slice
    /// ```
    pub fn new(a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> Result<Self, VolError> {
        const MAX: f64 = 1e50;
        check("a", a, a.abs() <= MAX, "|a| <= 1e50")?;
        check("b", b, (0.0..=MAX).contains(&b), "0 <= b <= 1e50")?;
        check("rho", rho, rho.abs() < 1.0, "-1 < rho < 1")?;
        check("m", m, m.abs() <= MAX, "|m| <= 1e50")?;
        check(
            "sigma",
            sigma,
            sigma > 0.0 && sigma <= MAX,
            "0 < sigma <= 1e50",
        )?;
        let floor = a + b * sigma * (1.0 - rho * rho).sqrt();
        // Allow rounding below zero: the minimum is computed with a few roundings.
        check(
            "a",
            a,
            floor >= -1e-14 * (a.abs() + b * sigma),
            "a + b sigma sqrt(1 - rho^2) >= 0",
        )?;
        Ok(Self {
            a,
            b,
            rho,
            m,
            sigma,
        })
    }

    /// a: the variance level.
    #[must_use]
    pub const fn a(&self) -> f64 {
        self.a
    }
    /// b: the wing slope (≥ 0).
    #[must_use]
    pub const fn b(&self) -> f64 {
        self.b
    }
    /// ρ: the skew (correlation-like), −1 < ρ < 1.
    #[must_use]
    pub const fn rho(&self) -> f64 {
        self.rho
    }
    /// m: the horizontal shift of the smile's vertex.
    #[must_use]
    pub const fn m(&self) -> f64 {
        self.m
    }
    /// σ: the curvature of the vertex (> 0).
    #[must_use]
    pub const fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The parameters as [a, b, ρ, m, σ].
    ///
    /// ```
    /// let s = derisk::vol::Svi::new(0.04, 0.1, -0.5, 0.1, 0.2)?;
    /// assert_eq!(s.to_array(), [0.04, 0.1, -0.5, 0.1, 0.2]);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    #[must_use]
    pub const fn to_array(&self) -> [f64; 5] {
        [self.a, self.b, self.rho, self.m, self.sigma]
    }

    /// Durrleman's function g(k): the smile is free of butterfly arbitrage iff g ≥ 0 everywhere
    /// (with w → ∞ in the wings); the risk-neutral density of k is g(k)·φ(d₋)/√w.
    ///
    /// ```text
    /// g(k) = (1 − k·w'/(2w))² − (w'²/4)·(1/w + 1/4) + w''/2
    /// ```
    ///
    /// Reference: Gatheral–Jacquier, "Arbitrage-free SVI volatility surfaces", Quantitative
    /// Finance 14 (2014), Lemma 2.2 and eq. 2.1.
    ///
    /// ```
    /// use derisk::vol::Svi;
    /// // Axel Vogt's slice (Gatheral–Jacquier, §5.1) has butterfly arbitrage near k = 1.
    /// let s = Svi::new(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153)?;
    /// assert!(s.durrleman_g(1.0) < 0.0 && s.durrleman_g(0.0) > 0.0);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    #[must_use]
    pub fn durrleman_g(&self, log_moneyness: f64) -> f64 {
        durrleman(
            log_moneyness,
            self.total_variance_derivatives(log_moneyness),
        )
    }

    /// The same smile in jump-wings parameters for expiry T > 0.
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] for T ≤ 0 or a smile whose ATM variance is not positive.
    ///
    /// ```
    /// let s = derisk::vol::Svi::new(0.04, 0.1, -0.5, 0.1, 0.2)?;
    /// let back = s.to_jw(0.5)?.to_raw()?;
    /// assert!((back.rho() + 0.5).abs() < 1e-13 && (back.sigma() - 0.2).abs() < 1e-13);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    pub fn to_jw(&self, expiry: f64) -> Result<SviJw, VolError> {
        SviJw::from_raw(self, expiry)
    }
}

impl Smile for Svi {
    #[inline]
    fn total_variance(&self, log_moneyness: f64) -> f64 {
        let x = log_moneyness - self.m;
        self.a + self.b * (self.rho * x + (x * x + self.sigma * self.sigma).sqrt())
    }

    #[inline]
    fn total_variance_derivatives(&self, log_moneyness: f64) -> [f64; 3] {
        let x = log_moneyness - self.m;
        let r = (x * x + self.sigma * self.sigma).sqrt();
        [
            self.a + self.b * (self.rho * x + r),
            self.b * (self.rho + x / r),
            self.b * self.sigma * self.sigma / (r * r * r),
        ]
    }
}

/// Durrleman's g(k) from [w, w', w''].
#[inline]
pub(crate) fn durrleman(k: f64, [w, w1, w2]: [f64; 3]) -> f64 {
    let u = 1.0 - k * w1 / (2.0 * w);
    u * u - 0.25 * w1 * w1 * (1.0 / w + 0.25) + 0.5 * w2
}
