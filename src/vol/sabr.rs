//! SABR: Hagan et al.'s lognormal implied-volatility expansion, as a smile and a calibration.

use super::calibrate::{diagnose, termination};
use super::calibration_error::CalibrationError;
use super::error::{check, VolError};
use super::quotes::SliceQuotes;
use super::traits::{Calibrate, Smile};
use super::{Calibrated, CalibrationOptions};
use crate::math::least_squares::{levenberg_marquardt, LmOptions, Stop};

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
/// `sabrVolatility` to 1e-12 (tests/vol_sabr.rs).
///
/// ```
/// // β = 1, ν = 0: the lognormal model, σ_B = α everywhere.
/// let v = derisk::vol::sabr_volatility(100.0, 120.0, 1.0, 0.3, 1.0, -0.4, 0.0);
/// assert!((v - 0.3).abs() < 1e-15);
/// ```
#[must_use]
pub fn sabr_volatility(
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
/// dF = α_t F^β dW,  dα = ν α dZ,  dW·dZ = ρ dt;   w(k) = σ_B(F, F·eᵏ)²·T
/// ```
///
/// ```
/// use derisk::vol::{Sabr, Smile};
/// let s = Sabr::new(100.0, 1.0, 0.3, 1.0, -0.3, 0.0)?;
/// assert!((s.total_variance(0.2) - 0.09).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
        check("forward", forward, forward > 0.0, "forward > 0")?;
        check("expiry", expiry, expiry > 0.0, "expiry > 0")?;
        check("alpha", alpha, alpha > 0.0, "alpha > 0")?;
        check("beta", beta, (0.0..=1.0).contains(&beta), "0 <= beta <= 1")?;
        check("rho", rho, rho.abs() < 1.0, "-1 < rho < 1")?;
        check("nu", nu, nu >= 0.0, "nu >= 0")?;
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
    /// ```
    /// let s = derisk::vol::Sabr::new(100.0, 1.0, 0.3, 1.0, 0.0, 0.0)?;
    /// assert!((s.volatility(80.0) - 0.3).abs() < 1e-15);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    #[must_use]
    pub fn volatility(&self, strike: f64) -> f64 {
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

    fn fit_from(
        start: [f64; 3],
        beta: f64,
        quotes: &SliceQuotes,
        max_iterations: u32,
    ) -> Option<(Self, f64, u32, Stop)> {
        let (f, t) = (quotes.forward(), quotes.expiry());
        let mut x = start;
        let report = levenberg_marquardt(
            |p, r| {
                for (ri, q) in r.iter_mut().zip(quotes.quotes()) {
                    let v =
                        sabr_volatility(f, f * q.log_moneyness.exp(), t, p[0], beta, p[1], p[2]);
                    *ri = q.weight * (v - q.volatility);
                }
                true
            },
            &mut x,
            &[1e-8, -0.9999, 0.0],
            &[1e3, 0.9999, 20.0],
            quotes.quotes().len(),
            &LmOptions {
                max_iterations,
                ..LmOptions::default()
            },
        );
        if report.stop == Stop::InvalidStart {
            return None;
        }
        let model = Self::new(f, t, x[0], beta, x[1], x[2]).ok()?;
        Some((model, report.cost, report.iterations, report.stop))
    }
}

impl Smile for Sabr {
    fn total_variance(&self, log_moneyness: f64) -> f64 {
        let v = self.volatility(self.forward * log_moneyness.exp());
        v * v * self.expiry
    }
}

fn sabr_inputs(
    quotes: &SliceQuotes,
    options: &CalibrationOptions,
) -> Result<f64, CalibrationError> {
    if quotes.quotes().len() < 3 {
        return Err(CalibrationError::TooFewQuotes {
            quotes: quotes.quotes().len(),
            parameters: 3,
        });
    }
    let beta = options.sabr_beta;
    if !(0.0..=1.0).contains(&beta) {
        return Err(CalibrationError::InvalidInput {
            name: "beta",
            value: beta,
        });
    }
    Ok(beta)
}

impl Calibrate for Sabr {
    type Quotes = SliceQuotes;

    /// Levenberg–Marquardt on (α, ρ, ν) with β = `options.sabr_beta` fixed, from six starts
    /// (ρ ∈ {−0.5, 0, 0.5}, ν ∈ {0.3, 1.5}, α from the ATM volatility), weighted by the quotes'
    /// weights in implied volatility.
    fn calibrate(
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let beta = sabr_inputs(quotes, options)?;
        // ATM volatility: the quote nearest k = 0; α ≈ σ_ATM·F^{1−β}.
        let atm = quotes
            .quotes()
            .iter()
            .min_by(|a, b| a.log_moneyness.abs().total_cmp(&b.log_moneyness.abs()))
            .map_or(0.5, |q| q.volatility);
        let alpha0 = atm * quotes.forward().powf(1.0 - beta);
        let mut best: Option<(Self, f64, u32, Stop)> = None;
        let mut iterations = 0;
        for rho in [-0.5, 0.0, 0.5] {
            for nu in [0.3, 1.5] {
                if let Some(fit) =
                    Self::fit_from([alpha0, rho, nu], beta, quotes, options.max_iterations)
                {
                    iterations += fit.2;
                    if best.as_ref().map_or(true, |b| fit.1 < b.1) {
                        best = Some(fit);
                    }
                }
            }
        }
        let (model, _, _, stop) = best.ok_or(CalibrationError::InvalidInput {
            name: "volatility",
            value: atm,
        })?;
        Ok(Calibrated {
            diagnostics: diagnose(&model, quotes, iterations, termination(stop)),
            model,
        })
    }

    /// Levenberg–Marquardt from the previous (α, ρ, ν), β as in `options`.
    fn recalibrate(
        &self,
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let beta = sabr_inputs(quotes, options)?;
        let (model, _, iterations, stop) = Self::fit_from(
            [self.alpha, self.rho, self.nu],
            beta,
            quotes,
            options.max_iterations,
        )
        .ok_or(CalibrationError::InvalidInput {
            name: "alpha",
            value: self.alpha,
        })?;
        Ok(Calibrated {
            diagnostics: diagnose(&model, quotes, iterations, termination(stop)),
            model,
        })
    }
}
