//! Option contracts: the terms only (kind, strike, expiry), no market data.

use crate::black::{check_expiry, check_strike, OptionKind, PricingError};

/// A European option: kind, strike and time to expiry in years. Validated on construction.
///
/// The contract carries no market data: the same contract is priced by [`BlackScholes`],
/// [`Black76`] or [`InverseBlack76`] against their own market inputs.
///
/// [`BlackScholes`]: crate::pricing::BlackScholes
/// [`Black76`]: crate::pricing::Black76
/// [`InverseBlack76`]: crate::pricing::InverseBlack76
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EuropeanOption {
    kind: OptionKind,
    strike: f64,
    expiry: f64,
}

impl EuropeanOption {
    /// A European option with `strike` > 0 (in the underlying's quote currency) and `expiry` ≥ 0
    /// in years (ACT/365 is the crate's convention for crypto, which trades every day).
    ///
    /// # Errors
    ///
    /// [`PricingError::InvalidStrike`] unless the strike is finite and positive;
    /// [`PricingError::InvalidExpiry`] unless the expiry is finite and non-negative.
    ///
    /// ```
    /// use derisk::pricing::{EuropeanOption, OptionKind};
    /// let o = EuropeanOption::new(OptionKind::Call, 90_000.0, 30.0 / 365.0)?;
    /// assert_eq!(o.strike(), 90_000.0);
    /// assert!(EuropeanOption::new(OptionKind::Put, -1.0, 1.0).is_err());
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn new(kind: OptionKind, strike: f64, expiry: f64) -> Result<Self, PricingError> {
        Ok(Self {
            kind,
            strike: check_strike(strike)?,
            expiry: check_expiry(expiry)?,
        })
    }

    /// A call; see [`EuropeanOption::new`].
    ///
    /// # Errors
    ///
    /// As [`EuropeanOption::new`].
    ///
    /// ```
    /// let c = derisk::pricing::EuropeanOption::call(100.0, 0.5)?;
    /// assert_eq!(c.expiry(), 0.5);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn call(strike: f64, expiry: f64) -> Result<Self, PricingError> {
        Self::new(OptionKind::Call, strike, expiry)
    }

    /// A put; see [`EuropeanOption::new`].
    ///
    /// # Errors
    ///
    /// As [`EuropeanOption::new`].
    ///
    /// ```
    /// use derisk::pricing::{EuropeanOption, OptionKind};
    /// assert_eq!(EuropeanOption::put(100.0, 0.5)?.kind(), OptionKind::Put);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn put(strike: f64, expiry: f64) -> Result<Self, PricingError> {
        Self::new(OptionKind::Put, strike, expiry)
    }

    /// Call or put.
    #[inline]
    #[must_use]
    pub const fn kind(&self) -> OptionKind {
        self.kind
    }

    /// Strike, in the quote currency of the underlying (USD for BTC-USD).
    #[inline]
    #[must_use]
    pub const fn strike(&self) -> f64 {
        self.strike
    }

    /// Time to expiry in years.
    #[inline]
    #[must_use]
    pub const fn expiry(&self) -> f64 {
        self.expiry
    }
}
