//! Market data for spot-based pricing: spot, rate and dividend yield (or cost of carry).

use crate::black::{check_dividend_yield, check_rate, check_spot, PricingError};

/// Spot price, risk-free rate and dividend yield, all validated.
///
/// ```text
/// forward(T)  = S·exp((r − q)·T)        (USD per coin for BTC-USD)
/// discount(T) = exp(−r·T)
/// ```
///
/// Rates are continuously compounded decimals per year. For crypto, `q` plays the role of the
/// coin's own interest rate (lending or staking yield, or minus the basis implied by futures):
/// the cost of carry is b = r − q.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Market {
    spot: f64,
    rate: f64,
    dividend_yield: f64,
}

impl Market {
    /// A market with `spot` > 0, rate `r` and dividend yield `q` (any finite values).
    ///
    /// # Errors
    ///
    /// [`PricingError::InvalidSpot`], [`PricingError::InvalidRate`] or
    /// [`PricingError::InvalidDividendYield`] for a non-finite or (spot) non-positive input.
    ///
    /// ```
    /// let m = derisk::pricing::Market::new(100.0, 0.05, 0.0)?;
    /// assert!((m.forward(1.0) - 105.127_109_637_602_4).abs() < 1e-12);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn new(spot: f64, rate: f64, dividend_yield: f64) -> Result<Self, PricingError> {
        Ok(Self {
            spot: check_spot(spot)?,
            rate: check_rate(rate)?,
            dividend_yield: check_dividend_yield(dividend_yield)?,
        })
    }

    /// A market from spot, rate and cost of carry b (so that q = r − b).
    ///
    /// # Errors
    ///
    /// As [`Market::new`]; [`PricingError::InvalidDividendYield`] if `carry` is not finite.
    ///
    /// ```
    /// let m = derisk::pricing::Market::with_carry(100.0, 0.05, 0.02)?;
    /// assert!((m.dividend_yield() - 0.03).abs() < 1e-17);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn with_carry(spot: f64, rate: f64, carry: f64) -> Result<Self, PricingError> {
        Self::new(spot, rate, rate - check_dividend_yield(carry)?)
    }

    /// Spot price of the underlying.
    #[inline]
    #[must_use]
    pub const fn spot(&self) -> f64 {
        self.spot
    }

    /// Continuously compounded risk-free rate r.
    #[inline]
    #[must_use]
    pub const fn rate(&self) -> f64 {
        self.rate
    }

    /// Continuously compounded dividend yield q.
    #[inline]
    #[must_use]
    pub const fn dividend_yield(&self) -> f64 {
        self.dividend_yield
    }

    /// Forward price S·exp((r − q)·T) for `expiry` T in years.
    ///
    /// ```
    /// let m = derisk::pricing::Market::new(100.0, 0.0, 0.0)?;
    /// assert_eq!(m.forward(2.0), 100.0);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn forward(&self, expiry: f64) -> f64 {
        self.spot * ((self.rate - self.dividend_yield) * expiry).exp()
    }

    /// Discount factor exp(−r·T) for `expiry` T in years.
    ///
    /// ```
    /// let m = derisk::pricing::Market::new(100.0, 0.05, 0.0)?;
    /// assert!((m.discount(1.0) - 0.951_229_424_500_714).abs() < 1e-15);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn discount(&self, expiry: f64) -> f64 {
        (-self.rate * expiry).exp()
    }
}
