//! SVI jump-wings parameters: the trader's reading of an SVI slice.

use super::raw::Svi;
use crate::vol::error::{check, VolError};
use crate::vol::Smile;

/// SVI-JW ("jump-wings") parameters of one expiry T (Gatheral–Jacquier 2014, §3.3, after
/// Tim Klassen): ATM variance, ATM skew, wing slopes and minimum variance.
///
/// ```text
/// w = a + b(−ρm + √(m² + σ²))                      (ATM total variance)
/// v = w/T                                           (ATM variance, per year)
/// ψ = (b/(2√w))·(ρ − m/√(m² + σ²))                  (ATM skew ∂σ_BS√T/∂k at k = 0)
/// p = b(1 − ρ)/√w,   c = b(1 + ρ)/√w                (left and right wing slopes)
/// ṽ = (a + bσ√(1 − ρ²))/T                           (minimum implied variance, per year)
/// ```
///
/// ```
/// use derisk::vol::Svi;
/// let jw = Svi::new(0.04, 0.1, 0.0, 0.0, 0.2)?.to_jw(1.0)?;
/// assert!((jw.v - 0.06).abs() < 1e-15 && jw.psi.abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::SviJwData")
)]
pub struct SviJw {
    /// Expiry T in years.
    pub expiry: f64,
    /// ATM implied variance v = w(0)/T, per year.
    pub v: f64,
    /// ATM skew ψ.
    pub psi: f64,
    /// Left (put) wing slope p ≥ 0.
    pub p: f64,
    /// Right (call) wing slope c ≥ 0.
    pub c: f64,
    /// Minimum implied variance ṽ, per year.
    pub v_tilde: f64,
}

impl SviJw {
    /// Jump-wings parameters of a raw SVI slice at expiry T > 0.
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] for T ≤ 0 or w(0) ≤ 0, or a reading that overflows
    /// (v = w(0)/T or ṽ not finite for a tiny T).
    ///
    /// ```
    /// use derisk::vol::{Svi, SviJw};
    /// let jw = SviJw::from_raw(&Svi::new(0.04, 0.1, 0.5, 0.0, 0.2)?, 1.0)?;
    /// assert!((jw.c / jw.p - 3.0).abs() < 1e-14); // (1 + ρ)/(1 − ρ)
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    pub fn from_raw(svi: &Svi, expiry: f64) -> Result<Self, VolError> {
        let t = check("expiry", expiry, expiry > 0.0, "expiry > 0")?;
        let [a, b, rho, m, sigma] = svi.to_array();
        let w = svi.total_variance(0.0);
        check("w(0)", w, w > 0.0, "w(0) > 0")?;
        let sw = w.sqrt();
        let jw = Self {
            expiry: t,
            v: w / t,
            psi: b / (2.0 * sw) * (rho - m / m.hypot(sigma)),
            p: b * (1.0 - rho) / sw,
            c: b * (1.0 + rho) / sw,
            v_tilde: (a + b * sigma * (1.0 - rho * rho).sqrt()) / t,
        };
        // A tiny T or w can overflow v = w/T and ṽ: no representable reading.
        check("v", jw.v, true, "w(0)/expiry finite")?;
        check("v_tilde", jw.v_tilde, true, "min w/expiry finite")?;
        check("psi", jw.psi, true, "finite")?;
        check("p", jw.p, true, "finite")?;
        check("c", jw.c, true, "finite")?;
        Ok(jw)
    }

    /// The raw SVI slice with these jump-wings parameters (Gatheral–Jacquier 2014, Lemma 3.2).
    ///
    /// ```text
    /// b = √w(c + p)/2,  ρ = 1 − p√w/b,  β = ρ − 2ψ√w/b,  α = sign(β)·√(1/β² − 1)
    /// m = (v − ṽ)T / (b(−ρ + sign(α)√(1 + α²) − α√(1 − ρ²))),  σ = α·m,  a = ṽT − bσ√(1 − ρ²)
    /// ```
    ///
    /// (m = 0 when v = ṽ; then σ = (w − a)/b with a from the minimum.)
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] when the parameters admit no raw SVI slice: |β| > 1,
    /// v ≤ 0, negative wings, or a resulting σ ≤ 0.
    ///
    /// ```
    /// use derisk::vol::Svi;
    /// let s = Svi::new(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153)?;
    /// let r = s.to_jw(1.0)?.to_raw()?;
    /// assert!((r.a() + 0.0410).abs() < 1e-14 && (r.m() - 0.3586).abs() < 1e-13);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    pub fn to_raw(&self) -> Result<Svi, VolError> {
        let t = check("expiry", self.expiry, self.expiry > 0.0, "expiry > 0")?;
        check("v", self.v, self.v > 0.0, "v > 0")?;
        check("p", self.p, self.p >= 0.0, "p >= 0")?;
        check("c", self.c, self.c >= 0.0, "c >= 0")?;
        check("psi", self.psi, true, "finite")?;
        check("v_tilde", self.v_tilde, true, "finite")?;
        let w = self.v * t;
        let sw = w.sqrt();
        let b = 0.5 * sw * (self.c + self.p);
        check("b", b, b > 0.0, "c + p > 0")?;
        let rho = 1.0 - self.p * sw / b;
        let beta = rho - 2.0 * self.psi * sw / b;
        check(
            "beta",
            beta,
            beta.abs() <= 1.0,
            "|rho - 2 psi sqrt(w)/b| <= 1",
        )?;
        let root = (1.0 - rho * rho).sqrt();
        let (m, sigma) = if beta == 0.0 || (self.v - self.v_tilde) == 0.0 {
            // m = 0: w = a + bσ and ṽT = a + bσ√(1 − ρ²).
            let sigma = (w - self.v_tilde * t) / (b * (1.0 - root));
            (0.0, sigma)
        } else {
            let alpha = beta.signum() * (1.0 / (beta * beta) - 1.0).max(0.0).sqrt();
            let m = (self.v - self.v_tilde) * t
                / (b * (-rho + alpha.signum() * (1.0 + alpha * alpha).sqrt() - alpha * root));
            (m, alpha * m)
        };
        let a = self.v_tilde * t - b * sigma * root;
        Svi::new(a, b, rho, m, sigma)
    }
}
