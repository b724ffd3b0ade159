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
}

impl From<VolError> for crate::pricing::PricingError {
    fn from(e: VolError) -> Self {
        match e {
            VolError::InvalidVolatility { volatility } => Self::InvalidVolatility { volatility },
            VolError::InvalidParameter { value, .. } => {
                Self::InvalidVolatility { volatility: value }
            }
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
