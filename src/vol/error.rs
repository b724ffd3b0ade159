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
}

impl From<VolError> for crate::pricing::PricingError {
    fn from(e: VolError) -> Self {
        match e {
            VolError::InvalidVolatility { volatility } => Self::InvalidVolatility { volatility },
        }
    }
}
