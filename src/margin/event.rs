//! Events that change a margin account and the actions an account emits in reply: the inputs
//! and outputs of [`MarginAccount::step`](super::MarginAccount::step).

use crate::market::Currency;
use crate::portfolio::PositionId;

use super::Side;

/// Something that happens to a margin account.
///
/// ```
/// use derisk::margin::MarginEvent;
/// use derisk::portfolio::PositionId;
/// let e = MarginEvent::Mark { id: PositionId(0), price: 50_000.0 };
/// assert!(matches!(e, MarginEvent::Mark { .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MarginEvent {
    /// A new mark price of one position (USD per coin).
    Mark {
        /// The position.
        id: PositionId,
        /// Its mark.
        price: f64,
    },
    /// A new price of a currency held or settled in (USD per unit).
    Price {
        /// The currency.
        currency: Currency,
        /// Its price.
        price: f64,
    },
    /// A trade against a position (reduces, closes or flips it).
    Fill {
        /// The position.
        id: PositionId,
        /// Buy (long) or sell (short).
        side: Side,
        /// Contracts traded (> 0).
        contracts: f64,
        /// Trade price.
        price: f64,
    },
    /// A funding payment at `rate` on a perpetual (longs pay shorts when > 0).
    Funding {
        /// The position.
        id: PositionId,
        /// Funding rate of the interval.
        rate: f64,
    },
    /// The margin-currency wallet set to a new balance (a deposit or a withdrawal).
    Wallet {
        /// The new balance (≥ 0).
        balance: f64,
    },
}

/// What an account reports after an event; engines act on it (liquidation, notices).
///
/// ```
/// use derisk::margin::MarginAction;
/// let a = MarginAction::Liquidatable { equity: 90.0, maintenance: 100.0 };
/// assert!(matches!(a, MarginAction::Liquidatable { .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MarginAction {
    /// P&L realised by a fill (margin currency for a cross account, settlement currency for an
    /// isolated position).
    Realised {
        /// The position.
        id: PositionId,
        /// Realised P&L (gain positive).
        pnl: f64,
    },
    /// A funding payment booked (received positive).
    FundingPaid {
        /// The position.
        id: PositionId,
        /// Amount received.
        amount: f64,
    },
    /// The margin ratio (maintenance / equity) crossed the call level but not 1.
    MarginCall {
        /// Maintenance requirement / equity.
        margin_ratio: f64,
    },
    /// Equity at or below the maintenance requirement: the liquidation engine takes over.
    Liquidatable {
        /// Equity.
        equity: f64,
        /// Maintenance requirement.
        maintenance: f64,
    },
}
