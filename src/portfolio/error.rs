//! Errors of the portfolio domain: instruments, positions, books and their valuation.

use crate::market::MarketError;
use crate::pricing::PricingError;

use super::position::PositionId;

/// What went wrong building or valuing an instrument, a position or a book.
///
/// ```
/// use derisk::market::Currency;
/// use derisk::portfolio::{Contract, PortfolioError};
/// let err = Contract::linear_perpetual(Currency::BTC, Currency::USDT, -1.0).unwrap_err();
/// assert!(matches!(err, PortfolioError::InvalidContract { name: "contract size", .. }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PortfolioError {
    /// From the market state (a missing curve, surface or FX rate, an expired lookup).
    #[error(transparent)]
    Market(#[from] MarketError),
    /// From the pricing kernels.
    #[error(transparent)]
    Pricing(#[from] PricingError),
    /// A contract term that is not valid.
    #[error("invalid contract {name}: {value} ({reason})")]
    InvalidContract {
        /// Which term.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A position's quantity or entry price that is not valid.
    #[error("invalid position {name}: {value} ({reason})")]
    InvalidPosition {
        /// Which field.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// No position with this id in the book.
    #[error("no position with id {id} in the book")]
    UnknownPosition {
        /// The id.
        id: PositionId,
    },
    /// An output slice whose length differs from its input's.
    #[error("length mismatch: {inputs} inputs but {outputs} output slots")]
    LengthMismatch {
        /// Number of inputs.
        inputs: usize,
        /// Number of output slots.
        outputs: usize,
    },
    /// A value that came out non-finite (an overflow of extreme inputs).
    #[error("{name} is not finite ({value}): the inputs overflow")]
    NonFinite {
        /// Which value.
        name: &'static str,
        /// The value.
        value: f64,
    },
    /// A hedge instrument with no delta to the asset.
    #[error("the hedge instrument has no delta to the asset (unit delta {unit_delta})")]
    NoHedgeDelta {
        /// Its delta per unit.
        unit_delta: f64,
    },
}

pub(crate) fn check_finite(name: &'static str, value: f64) -> Result<f64, PortfolioError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(PortfolioError::NonFinite { name, value })
    }
}
