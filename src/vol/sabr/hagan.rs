//! SABR: Hagan et al.'s lognormal implied-volatility expansion and the SABR smile.

use crate::vol::error::{check, VolError};
use crate::vol::Smile;

/// Hagan's lognormal SABR implied volatility (Hagan, Kumar, Lesniewski, Woodward, "Managing
/// smile risk", Wilmott Magazine, 2002, eq. 2.17a).
///
/// ```text
/// σ_B(K) = α / [(FK)^{(1−β)/2}·(1 + (1−β)²ℓ²/24 + (1−β)⁴ℓ⁴/1920)] · z/x(z)
///          · [1 + ((1−β)²α²/(24(FK)^{1−β}) + ρβνα/(4(FK)^{(1−β)/2}) + (2 − 3ρ²)ν²/24)·T]
/// ℓ = ln(F/K),  z = (ν/α)(FK)^{(1−β)/2}·ℓ,  x(z) = ln((√(1 − 2ρz + z²) + z − ρ)/(1 − ρ))
/// ```
///
/// z/x(z) is evaluated without cancellation: by its series 1 − ρz/2 + (2 − 3ρ²)z²/12 for
/// |z| < 10⁻⁵ (the ATM limit, z/x → 1), otherwise with x written as ln1p of a sum of positive
/// terms (using x(z; ρ) = −x(−z; −ρ) for z < 0). Units: F, K in one currency, T in years,
/// σ_B per √year; α > 0, 0 ≤ β ≤ 1, −1 < ρ < 1, ν ≥ 0. Agrees with QuantLib's
/// `sabrVolatility` to 1e-12 (tests/vol/quantlib.rs).
///
/// The expansion is asymptotic: for large ν²T, or ρ·ν·α strongly negative, the time correction
/// in brackets turns negative and so does σ_B. That value is no volatility, and it is an error
/// here rather than a number (squaring it into a total variance would hide the sign).
///
/// # Errors
///
/// [`VolError::InvalidParameter`] for an input outside the domain above (NaN and ±∞
/// included; T = 0 is allowed), [`VolError::ModelBreakdown`] where σ_B is not positive and
/// finite.
///
/// ```
/// use derisk::vol::{sabr_volatility, VolError};
/// // β = 1, ν = 0: the lognormal model, σ_B = α everywhere.
/// let v = sabr_volatility(100.0, 120.0, 1.0, 0.3, 1.0, -0.4, 0.0)?;
/// assert!((v - 0.3).abs() < 1e-15);
/// // ρ = −0.9, ν = 2, T = 10: the bracket is 1 + 10·(−0.45 − 0.072) < 0.
/// assert!(matches!(
///     sabr_volatility(100.0, 100.0, 10.0, 1.0, 1.0, -0.9, 2.0),
///     Err(VolError::ModelBreakdown { .. })
/// ));
/// # Ok::<(), VolError>(())
/// ```
pub fn sabr_volatility(
    forward: f64,
    strike: f64,
    expiry: f64,
    alpha: f64,
    beta: f64,
    rho: f64,
    nu: f64,
) -> Result<f64, VolError> {
    check("forward", forward, forward > 0.0, "0 < forward < inf")?;
    check("strike", strike, strike > 0.0, "0 < strike < inf")?;
    check("expiry", expiry, expiry >= 0.0, "0 <= expiry < inf")?;
    check_parameters(alpha, beta, rho, nu)?;
    let v = hagan(forward, strike, expiry, alpha, beta, rho, nu);
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(VolError::ModelBreakdown {
            model: "SABR (Hagan 2002)",
            log_moneyness: (strike / forward).ln(),
            expiry,
            volatility: v,
        })
    }
}

fn check_parameters(alpha: f64, beta: f64, rho: f64, nu: f64) -> Result<(), VolError> {
    check("alpha", alpha, alpha > 0.0, "0 < alpha < inf")?;
    check("beta", beta, (0.0..=1.0).contains(&beta), "0 <= beta <= 1")?;
    check("rho", rho, rho.abs() < 1.0, "-1 < rho < 1")?;
    check("nu", nu, nu >= 0.0, "0 <= nu < inf")?;
    Ok(())
}

/// Hagan's σ_B without checks: the kernel of [`sabr_volatility`] and of the fit, whose
/// parameters are in the domain by construction. May be negative or NaN (see above).
#[inline]
pub(crate) fn hagan(
    forward: f64,
    strike: f64,
    expiry: f64,
    alpha: f64,
    beta: f64,
    rho: f64,
    nu: f64,
) -> f64 {
    let one_minus_beta = 1.0 - beta;
    let fk = forward * strike;
    let fk_half = fk.powf(0.5 * one_minus_beta);
    let l = (forward / strike).ln();
    let l2 = l * l;
    let c = one_minus_beta * one_minus_beta * l2;
    let denominator = fk_half * (1.0 + c / 24.0 + c * c / 1920.0);
    let z = nu / alpha * fk_half * l;
    let ratio = z_over_x(z, rho);
    let correction = 1.0
        + (one_minus_beta * one_minus_beta * alpha * alpha / (24.0 * fk_half * fk_half)
            + 0.25 * rho * beta * nu * alpha / fk_half
            + (2.0 - 3.0 * rho * rho) * nu * nu / 24.0)
            * expiry;
    alpha / denominator * ratio * correction
}

/// z/x(z) of the SABR expansion, stably.
#[inline]
fn z_over_x(z: f64, rho: f64) -> f64 {
    if z.abs() < 1e-5 {
        return 1.0 - 0.5 * rho * z + (2.0 - 3.0 * rho * rho) * z * z / 12.0;
    }
    // For z > 0: x = ln1p(((z² − 2ρz)/(√B + 1) + z)/(1 − ρ)), B = 1 − 2ρz + z².
    let x_pos = |z: f64, rho: f64| {
        let root = (1.0 - 2.0 * rho * z + z * z).sqrt();
        (((z * z - 2.0 * rho * z) / (root + 1.0) + z) / (1.0 - rho)).ln_1p()
    };
    let x = if z > 0.0 {
        x_pos(z, rho)
    } else {
        -x_pos(-z, -rho)
    };
    z / x
}

/// A SABR smile of one expiry with Hagan's lognormal implied volatility.
///
/// ```text
/// dF = α_t F^β dW,  dα = ν α dZ,  dW·dZ = ρ dt;   w(k) = σ_B·|σ_B|·T,  σ_B = σ_B(F, F·eᵏ)
/// ```
///
/// Where Hagan's expansion breaks down (σ_B < 0, see [`sabr_volatility`]) the total variance
/// keeps the sign, w < 0, so that [`Smile::implied_vol`] reports
/// [`VolError::NoImpliedVolatility`] there instead of a plausible volatility.
///
/// ```
/// use derisk::vol::{Sabr, Smile};
/// let s = Sabr::new(100.0, 1.0, 0.3, 1.0, -0.3, 0.0)?;
/// assert!((s.total_variance(0.2) - 0.09).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::SabrData")
)]
pub struct Sabr {
    forward: f64,
    expiry: f64,
    alpha: f64,
    beta: f64,
    rho: f64,
    nu: f64,
}

impl Sabr {
    /// A SABR smile on forward F > 0, expiry T > 0, with α > 0, 0 ≤ β ≤ 1, −1 < ρ < 1, ν ≥ 0.
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidParameter`] naming the first parameter out of its domain.
    ///
    /// ```
    /// assert!(derisk::vol::Sabr::new(100.0, 1.0, 0.3, 1.5, 0.0, 0.5).is_err());
    /// ```
    pub fn new(
        forward: f64,
        expiry: f64,
        alpha: f64,
        beta: f64,
        rho: f64,
        nu: f64,
    ) -> Result<Self, VolError> {
        check("forward", forward, forward > 0.0, "0 < forward < inf")?;
        check("expiry", expiry, expiry > 0.0, "0 < expiry < inf")?;
        check_parameters(alpha, beta, rho, nu)?;
        Ok(Self {
            forward,
            expiry,
            alpha,
            beta,
            rho,
            nu,
        })
    }

    /// The parameters [α, β, ρ, ν].
    ///
    /// ```
    /// let s = derisk::vol::Sabr::new(100.0, 1.0, 0.3, 0.5, -0.3, 0.4)?;
    /// assert_eq!(s.parameters(), [0.3, 0.5, -0.3, 0.4]);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    #[must_use]
    pub const fn parameters(&self) -> [f64; 4] {
        [self.alpha, self.beta, self.rho, self.nu]
    }

    /// The forward F.
    #[must_use]
    pub const fn forward(&self) -> f64 {
        self.forward
    }

    /// The expiry T in years.
    #[must_use]
    pub const fn expiry(&self) -> f64 {
        self.expiry
    }

    /// Hagan's implied volatility at strike K (see [`sabr_volatility`]).
    ///
    /// # Errors
    ///
    /// As [`sabr_volatility`]: an invalid strike, or σ_B ≤ 0 where the expansion breaks down.
    ///
    /// ```
    /// let s = derisk::vol::Sabr::new(100.0, 1.0, 0.3, 1.0, 0.0, 0.0)?;
    /// assert!((s.volatility(80.0)? - 0.3).abs() < 1e-15);
    /// assert!(s.volatility(-1.0).is_err());
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    pub fn volatility(&self, strike: f64) -> Result<f64, VolError> {
        sabr_volatility(
            self.forward,
            strike,
            self.expiry,
            self.alpha,
            self.beta,
            self.rho,
            self.nu,
        )
    }
}

impl Smile for Sabr {
    fn total_variance(&self, log_moneyness: f64) -> f64 {
        let v = hagan(
            self.forward,
            self.forward * log_moneyness.exp(),
            self.expiry,
            self.alpha,
            self.beta,
            self.rho,
            self.nu,
        );
        // σ·|σ|: a negative σ_B (the expansion's breakdown) stays visible as w < 0.
        v * v.abs() * self.expiry
    }
}
