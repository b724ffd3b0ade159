//! Errors of the margin domain.

use crate::portfolio::{PortfolioError, PositionId};
use crate::pricing::PricingError;

/// Why a margin, liquidation or collateral figure could not be computed.
///
/// Every variant names the offending input and carries its value. A position that simply has no
/// liquidation price is **not** an error: see [`LiquidationPrice::Never`](super::LiquidationPrice).
///
/// ```
/// use derisk::margin::{MarginError, Position, Side, Instrument};
/// use derisk::market::Currency;
/// let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.001, 0.1)?;
/// let err = Position::new(btcusdt, Side::Long, -3.0, 50_000.0).unwrap_err();
/// assert_eq!(err, MarginError::InvalidSize { size: -3.0 });
/// assert_eq!(err.to_string(), "position size -3 must be finite and positive");
/// # Ok::<(), MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MarginError {
    /// A position or fill size (number of contracts) is zero, negative or not finite.
    #[error("position size {size} must be finite and positive")]
    InvalidSize {
        /// The offending size.
        size: f64,
    },
    /// An entry, mark, fill or collateral price is zero, negative, subnormal (below
    /// `f64::MIN_POSITIVE`) or not finite.
    #[error("price {price} must be finite and positive (a normal f64, not subnormal)")]
    InvalidPrice {
        /// The offending price.
        price: f64,
    },
    /// A margin, balance or amount that must be finite and non-negative is not.
    #[error("{name} {value} must be finite and non-negative")]
    InvalidAmount {
        /// Which amount (`"margin"`, `"collateral amount"`, ...).
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A contract parameter (contract size, tick size, fee rate, ...) is out of its range.
    #[error("{name} {value} is out of range")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The leverage is not a finite positive number.
    #[error("leverage {leverage} must be finite and positive")]
    InvalidLeverage {
        /// The offending leverage.
        leverage: f64,
    },
    /// The leverage exceeds the maximum of the bracket that the position's notional falls in.
    #[error(
        "leverage {leverage} exceeds the maximum {max_leverage} allowed at notional {notional}"
    )]
    LeverageAboveMax {
        /// The requested leverage.
        leverage: f64,
        /// The bracket's maximum leverage.
        max_leverage: f64,
        /// The position value (settlement currency) that selected the bracket.
        notional: f64,
    },
    /// The position value exceeds the largest notional cap of the tier table.
    #[error("notional {notional} exceeds the tier table's last cap {cap}")]
    NotionalAboveLimit {
        /// The position value.
        notional: f64,
        /// The last cap of the table.
        cap: f64,
    },
    /// A tier table has no tiers.
    #[error("a tier table needs at least one tier")]
    EmptyTierTable,
    /// A tier's field is out of range (a cap not positive, a rate outside [0, 1), a leverage < 1).
    #[error("tier {index}: {field} {value} is out of range")]
    InvalidTier {
        /// Zero-based tier index.
        index: usize,
        /// Which field.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The notional caps are not strictly increasing.
    #[error("tier {index}: cap {cap} is not above the previous cap {previous_cap}")]
    UnsortedTiers {
        /// Zero-based tier index.
        index: usize,
        /// This tier's cap.
        cap: f64,
        /// The previous tier's cap.
        previous_cap: f64,
    },
    /// A tier's maintenance amount breaks the continuity of the requirement at its floor:
    /// `amountₙ = floorₙ·(rateₙ − rateₙ₋₁) + amountₙ₋₁` does not hold.
    #[error("tier {index}: maintenance amount {amount} makes the requirement jump; continuity needs {expected}")]
    DiscontinuousTiers {
        /// Zero-based tier index.
        index: usize,
        /// The amount in the table.
        amount: f64,
        /// The amount that keeps the requirement continuous.
        expected: f64,
    },
    /// Removing margin would leave less than the amount asked for, or less than required.
    #[error("cannot take {requested}: only {available} is available")]
    InsufficientMargin {
        /// The amount asked for.
        requested: f64,
        /// The amount that can be taken.
        available: f64,
    },
    /// An index into a list (a collateral basket's assets) is out of range.
    #[error("index {index} is out of range for {len} items")]
    IndexOutOfRange {
        /// The index.
        index: usize,
        /// The number of positions.
        len: usize,
    },
    /// No position of the account has this id (never added, or removed).
    #[error("no position {id} in the account")]
    UnknownPosition {
        /// The id asked for.
        id: PositionId,
    },
    /// Loaded data names a position id twice, or out of increasing order.
    #[error("position {id} appears twice or out of order")]
    DuplicatePosition {
        /// The repeated id.
        id: PositionId,
    },
    /// A cross account without a named margin currency ([`CrossAccount::new`](super::CrossAccount::new))
    /// holds positions of one unnamed settlement currency only: a named currency, or linear and
    /// inverse contracts that name none, need a margin currency and prices
    /// ([`CrossAccount::in_currency`](super::CrossAccount::in_currency)).
    #[error(
        "an account without a named margin currency settles in one currency; name the currencies and their prices to mix them"
    )]
    MixedSettlement,
    /// A currency that an account converts has no price: set it with
    /// [`CrossAccount::set_price`](super::CrossAccount::set_price) or
    /// [`CrossAccount::set_prices`](super::CrossAccount::set_prices).
    #[error("no price for currency {currency}")]
    MissingPrice {
        /// The currency without a price.
        currency: crate::market::Currency,
    },
    /// A computed quantity left the range of f64 (overflow to ±∞, underflow of a quantity that
    /// must stay positive, or NaN) because the inputs are too extreme: a size, price or balance
    /// near `f64::MAX` or `1e-300`.
    #[error("{quantity} {value} is out of the representable range: the inputs are too extreme")]
    OutOfRange {
        /// Which quantity (`"position value"`, `"equity"`, `"margin"`, ...).
        quantity: &'static str,
        /// The value it took.
        value: f64,
    },
    /// A tier's maintenance requirement is negative at the bottom of its range: its maintenance
    /// amount exceeds floor × rate, so MM(n) = n·rate − amount < 0 just above the floor.
    #[error("tier {index}: maintenance requirement {requirement} at its floor {floor} is negative (amount exceeds floor × rate)")]
    NegativeMaintenance {
        /// Zero-based tier index.
        index: usize,
        /// The tier's floor (the previous cap; 0 for the first tier).
        floor: f64,
        /// floor × rate − amount, the requirement there.
        requirement: f64,
    },
    /// The equity is zero or negative, so a ratio to it (the margin ratio) is undefined: the
    /// position or account is bankrupt.
    #[error("equity {equity} is not positive: the margin ratio is undefined (bankrupt)")]
    Bankrupt {
        /// The equity (settlement currency).
        equity: f64,
    },
    /// A DeFi position is not liquidatable: its health factor is at or above 1 (Aave), its
    /// liquidity is not negative (Compound), or the vault is safe (Maker).
    #[error("not liquidatable: health factor {health_factor} is not below 1")]
    NotLiquidatable {
        /// The health factor (collateral at its liquidation weights over debt).
        health_factor: f64,
    },
    /// An Aave partial liquidation would leave less than the minimum debt or collateral
    /// (the contract's `MUST_NOT_LEAVE_DUST`); repay all of it or less.
    #[error("liquidation leaves dust: debt left {debt_left}, collateral left {collateral_left} (base currency)")]
    LeavesDust {
        /// Debt left (base currency).
        debt_left: f64,
        /// Collateral left (base currency).
        collateral_left: f64,
    },
    /// A Dutch auction that can no longer be taken: past its duration (`tail`) or its price
    /// fell below `cusp` of its start (Maker's `needs-reset`), or asked above the taker's limit.
    #[error("auction cannot be taken: {reason}")]
    AuctionClosed {
        /// Why.
        reason: &'static str,
    },
    /// Pricing an option for its mark failed.
    #[error(transparent)]
    Pricing(#[from] PricingError),
    /// Valuing a book under a margin scenario failed (a missing curve, surface or FX rate, a
    /// shock the market refuses).
    #[error(transparent)]
    Portfolio(#[from] PortfolioError),
    /// A position of a portfolio-margined book has expired: it must be settled, not margined.
    #[error("position {id} expired at {expiry}, not after the valuation instant {valuation}: settle it before margining the book")]
    ExpiredPosition {
        /// The position.
        id: PositionId,
        /// Its expiry.
        expiry: crate::market::Instant,
        /// The market's valuation instant.
        valuation: crate::market::Instant,
    },
    /// A portfolio-margin scenario grid has no points (no price moves, no vol scenarios, no
    /// scenarios at all).
    #[error("the {what} has no points: a margin needs at least one scenario")]
    EmptyScenarioGrid {
        /// Which grid (`"price moves"`, `"historical scenarios"`, ...).
        what: &'static str,
    },
    /// A scan range, price range or shock size is negative or not finite.
    #[error("{name} {value} must be finite and non-negative")]
    NegativeScanRange {
        /// Which range (`"price scan range"`, `"volatility range down"`, ...).
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A contract that is not a perpetual or a dated future (a spot holding, an option) was
    /// given where a futures position is margined.
    #[error("{contract} cannot be margined as a futures position: only perpetuals and dated futures can")]
    NotAFuture {
        /// What was given (`"a spot holding"`, `"an option"`).
        contract: &'static str,
    },
}

/// A price must be finite and a normal positive number (≥ `f64::MIN_POSITIVE` ≈ 2.2e-308):
/// subnormal prices carry too few bits for the margin equations.
pub(crate) fn check_price(price: f64) -> Result<f64, MarginError> {
    if price.is_finite() && price >= f64::MIN_POSITIVE {
        Ok(price)
    } else {
        Err(MarginError::InvalidPrice { price })
    }
}

pub(crate) fn check_size(size: f64) -> Result<f64, MarginError> {
    if size.is_finite() && size > 0.0 {
        Ok(size)
    } else {
        Err(MarginError::InvalidSize { size })
    }
}

pub(crate) fn check_amount(name: &'static str, value: f64) -> Result<f64, MarginError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(MarginError::InvalidAmount { name, value })
    }
}

/// `value` if it is finite, else [`MarginError::OutOfRange`] naming `quantity`.
pub(crate) fn check_finite(quantity: &'static str, value: f64) -> Result<f64, MarginError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(MarginError::OutOfRange { quantity, value })
    }
}

/// `value` if it is a finite normal positive number (≥ `f64::MIN_POSITIVE`), else
/// [`MarginError::OutOfRange`].
pub(crate) fn check_normal(quantity: &'static str, value: f64) -> Result<f64, MarginError> {
    if value.is_finite() && value >= f64::MIN_POSITIVE {
        Ok(value)
    } else {
        Err(MarginError::OutOfRange { quantity, value })
    }
}

/// `value` if it is finite and strictly positive, else [`MarginError::OutOfRange`].
pub(crate) fn check_positive_result(
    quantity: &'static str,
    value: f64,
) -> Result<f64, MarginError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(MarginError::OutOfRange { quantity, value })
    }
}

pub(crate) fn check_leverage(leverage: f64) -> Result<f64, MarginError> {
    if leverage.is_finite() && leverage > 0.0 {
        Ok(leverage)
    } else {
        Err(MarginError::InvalidLeverage { leverage })
    }
}
