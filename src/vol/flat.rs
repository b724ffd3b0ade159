//! A flat (constant) volatility.

use super::error::VolError;
use super::traits::VolSurface;

/// One volatility for every strike and expiry: w(T, k) = σ²·T.
///
/// σ is a decimal per √year (0.6 = 60 %).
///
/// ```
/// use derisk::vol::{FlatVol, VolSurface};
/// let v = FlatVol::new(0.6)?;
/// assert_eq!(v.implied_vol(0.25, -0.3)?, 0.6);
/// assert!(FlatVol::new(-0.1).is_err());
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::FlatVolData")
)]
pub struct FlatVol {
    volatility: f64,
}

impl FlatVol {
    /// A flat volatility σ ≥ 0.
    ///
    /// # Errors
    ///
    /// [`VolError::InvalidVolatility`] if σ is negative, NaN or infinite.
    ///
    /// ```
    /// assert_eq!(derisk::vol::FlatVol::new(0.5)?.volatility(), 0.5);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    pub fn new(volatility: f64) -> Result<Self, VolError> {
        if volatility.is_finite() && volatility >= 0.0 {
            Ok(Self { volatility })
        } else {
            Err(VolError::InvalidVolatility { volatility })
        }
    }

    /// The volatility σ.
    #[inline]
    #[must_use]
    pub const fn volatility(&self) -> f64 {
        self.volatility
    }
}

impl VolSurface for FlatVol {
    #[inline]
    fn total_variance(&self, expiry: f64, _log_moneyness: f64) -> f64 {
        self.volatility * self.volatility * expiry
    }

    /// The flat volatility at every expiry and log-moneyness (never an error: it was checked
    /// when built).
    #[inline]
    fn implied_vol(&self, _expiry: f64, _log_moneyness: f64) -> Result<f64, VolError> {
        Ok(self.volatility)
    }

    #[inline]
    fn varies_with_strike(&self) -> bool {
        false
    }
}
