//! Errors of the market domain: currencies, instants, curves, market states and scenarios.

use super::currency::Currency;
use super::time::Instant;

/// What went wrong building or querying a market state, a curve, an amount of money or a scenario.
///
/// Every variant names the input and carries its value.
///
/// ```
/// use derisk::market::{Currency, MarketError, Money};
/// let err = Money::new(1.0, Currency::BTC).checked_add(Money::new(1.0, Currency::USD)).unwrap_err();
/// assert!(matches!(err, MarketError::CurrencyMismatch { .. }));
/// assert_eq!(err.to_string(), "currency mismatch: cannot combine BTC with USD without an fx rate");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MarketError {
    /// A currency code that is empty, longer than 8 bytes or not ASCII alphanumeric.
    #[error("invalid currency code {code:?}: expected 1 to 8 ASCII letters or digits")]
    InvalidCurrency {
        /// The code as given (truncated to 16 characters).
        code: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: cannot combine {left} with {right} without an fx rate")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
    /// A numeric input that must be finite (and, where stated, positive) is not.
    #[error("invalid {name}: {value} ({reason})")]
    InvalidValue {
        /// Which input.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A calendar date or time of day that does not exist, or an instant outside the range.
    #[error("invalid date or time {year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}: {reason}")]
    InvalidDate {
        /// Year.
        year: i64,
        /// Month 1–12.
        month: u32,
        /// Day of the month.
        day: u32,
        /// Hour 0–23.
        hour: u32,
        /// Minute 0–59.
        minute: u32,
        /// Second 0–59.
        second: u32,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A timestamp string that is not RFC 3339 UTC (`2025-12-30T17:31:15.944181Z` or `+00:00`).
    #[error("invalid timestamp {text:?}: {reason}")]
    InvalidTimestamp {
        /// The text (truncated to 40 characters).
        text: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An expiry at or before the valuation instant where a future one is needed.
    #[error("expiry {expiry} is not after the valuation instant {valuation}")]
    ExpiredAt {
        /// The expiry.
        expiry: Instant,
        /// The valuation instant.
        valuation: Instant,
    },
    /// A curve built from no points, or from points that are not strictly increasing in time.
    #[error("invalid curve {name}: {reason}")]
    InvalidCurve {
        /// Which curve.
        name: &'static str,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The market state has no data of this kind for this currency or underlying.
    #[error("the market state has no {what} for {currency}")]
    Missing {
        /// What is missing ("spot", "discount curve", "fx rate", "vol surface", "funding rate").
        what: &'static str,
        /// For which currency or underlying.
        currency: Currency,
    },
    /// A volatility surface gave a non-finite or negative total variance, or a shift made a
    /// volatility non-positive.
    #[error("invalid volatility {value} for {underlying} at expiry {expiry} and strike {strike}: {reason}")]
    InvalidVolatility {
        /// The underlying.
        underlying: Currency,
        /// The option's expiry.
        expiry: Instant,
        /// The strike.
        strike: f64,
        /// The offending value (volatility or total variance).
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An output buffer whose length does not fit the computation.
    #[error("{name} buffer has {len} slots, {expected} needed")]
    BufferLength {
        /// Which buffer.
        name: &'static str,
        /// Its length.
        len: usize,
        /// The length required.
        expected: usize,
    },
    /// An order book with no level on one side.
    #[error("empty order book: no {side} levels")]
    EmptyBook {
        /// "bid" or "ask".
        side: &'static str,
    },
    /// An order-book level whose price or size is not finite and positive.
    #[error("invalid {side} level {index}: price {price}, size {size} (both must be finite and positive)")]
    InvalidLevel {
        /// "bid" or "ask".
        side: &'static str,
        /// Position of the level, 0 = best.
        index: usize,
        /// Its price.
        price: f64,
        /// Its size.
        size: f64,
    },
    /// Order-book levels out of order (bids must fall, asks rise, strictly, from the best).
    #[error("unsorted {side} levels: level {index} at {price} does not move away from the previous {previous}")]
    UnsortedBook {
        /// "bid" or "ask".
        side: &'static str,
        /// Position of the offending level.
        index: usize,
        /// Its price.
        price: f64,
        /// The previous level's price.
        previous: f64,
    },
    /// A crossed or locked book: the best bid is not below the best ask.
    #[error("crossed order book: best bid {best_bid} is not below best ask {best_ask}")]
    CrossedBook {
        /// Best bid.
        best_bid: f64,
        /// Best ask.
        best_ask: f64,
    },
}

/// `Ok(x)` if `x` is finite, else [`MarketError::InvalidValue`] naming it.
pub(crate) fn finite(name: &'static str, value: f64) -> Result<f64, MarketError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MarketError::InvalidValue {
            name,
            value,
            reason: "must be finite",
        })
    }
}

/// `Ok(x)` if `x` is a positive normal number, else [`MarketError::InvalidValue`] naming it
/// (subnormal prices carry too few digits to divide by and overflow ratios).
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, MarketError> {
    if value.is_normal() && value > 0.0 {
        Ok(value)
    } else {
        Err(MarketError::InvalidValue {
            name,
            value,
            reason: "must be finite, positive and not subnormal",
        })
    }
}
