//! Errors of the volatility domain.

/// Why a volatility object could not be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum VolError {
    /// A volatility that is negative or not finite.
    #[error("volatility {volatility} must be finite and non-negative")]
    InvalidVolatility {
        /// The offending volatility (decimal per √year).
        volatility: f64,
    },
    /// A model parameter outside its domain (for example SVI's b < 0 or |ρ| ≥ 1).
    #[error("parameter {name} = {value} is outside its domain: {domain}")]
    InvalidParameter {
        /// The parameter's name as in the model's documentation (`"rho"`, `"sigma"`, …).
        name: &'static str,
        /// The offending value.
        value: f64,
        /// The domain it must lie in, e.g. `"-1 < rho < 1"`.
        domain: &'static str,
    },
    /// A total variance w at expiry T from which no implied volatility σ = √(w/T) follows:
    /// w < 0, w or T not finite, T < 0, or w > 0 at T = 0 (an infinite volatility).
    #[error(
        "total variance {total_variance} at expiry {expiry} has no implied volatility: {reason}"
    )]
    NoImpliedVolatility {
        /// The total variance w (dimensionless).
        total_variance: f64,
        /// The expiry T in years.
        expiry: f64,
        /// Why, e.g. `"the total variance is negative"`.
        reason: &'static str,
    },
    /// A model's formula leaves its domain of validity at this point (Hagan's SABR expansion
    /// gives σ_B ≤ 0 for large ν²T): the number it gives is not a volatility.
    #[error("{model} gives volatility {volatility} at log-moneyness {log_moneyness}, expiry {expiry}: outside the formula's domain of validity")]
    ModelBreakdown {
        /// The model and formula.
        model: &'static str,
        /// k = ln(K/F).
        log_moneyness: f64,
        /// T in years.
        expiry: f64,
        /// The value the formula gives (not positive, or not finite).
        volatility: f64,
    },
    /// A request for more grid points than the check allows (its memory grows with them).
    #[error("{points} grid points requested, at most {max} are allowed")]
    TooManyPoints {
        /// The points requested.
        points: usize,
        /// The largest number allowed.
        max: usize,
    },
}

/// A surface error met while pricing keeps what it names: a parameter keeps its name and value,
/// a volatility its value.
impl From<VolError> for crate::black::PricingError {
    fn from(e: VolError) -> Self {
        match e {
            VolError::InvalidVolatility { volatility }
            | VolError::ModelBreakdown { volatility, .. } => Self::InvalidVolatility { volatility },
            VolError::InvalidParameter { name, value, .. } => {
                Self::InvalidVolParameter { name, value }
            }
            VolError::NoImpliedVolatility {
                total_variance,
                expiry,
                ..
            } => Self::InvalidVolatility {
                // σ with w's sign: a SABR smile stores w = σ·|σ|·T, so this is its σ.
                volatility: total_variance.signum() * (total_variance.abs() / expiry).sqrt(),
            },
            VolError::TooManyPoints { points, .. } => Self::InvalidVolParameter {
                name: "grid points",
                value: points as f64,
            },
        }
    }
}

/// `Ok(value)` if `ok`, else [`VolError::InvalidParameter`].
pub(crate) fn check(
    name: &'static str,
    value: f64,
    ok: bool,
    domain: &'static str,
) -> Result<f64, VolError> {
    if ok && value.is_finite() {
        Ok(value)
    } else {
        Err(VolError::InvalidParameter {
            name,
            value,
            domain,
        })
    }
}
