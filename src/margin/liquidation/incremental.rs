//! Deribit's incremental liquidation: while the maintenance requirement exceeds the equity, the
//! engine closes a small, fixed slice of the position per round and charges a liquidation fee on
//! the slice, stopping as soon as the requirement is back below the equity.

use crate::margin::error::{check_finite, check_price};
use crate::margin::position::value_at;
use crate::margin::{IsolatedPosition, MarginError, MarginModel};

/// What one round of incremental liquidation does to a position at one mark.
///
/// ```
/// use derisk::margin::IncrementalStep;
/// assert_eq!(IncrementalStep::Healthy, IncrementalStep::Healthy);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum IncrementalStep {
    /// Equity is at or above the maintenance requirement: the engine does nothing (or stops).
    Healthy,
    /// The engine closed `contracts` at the mark and charged `fee` (settlement currency).
    Close {
        /// Contracts closed this round (≤ the per-round cap).
        contracts: f64,
        /// Liquidation fee charged on the closed value (capped at the margin left, see the fn).
        fee: f64,
        /// The rest of the position with the realised P&L and the fee moved into its margin
        /// (`None` when this round closed it all).
        rest: Option<IsolatedPosition>,
        /// Margin handed back to the account when the whole position was closed (0 otherwise).
        released: f64,
    },
    /// Equity is ≤ 0 at the mark: no slice can restore the requirement, the loss is the
    /// insurance fund's (see [`Closeout`](super::Closeout)).
    Bankrupt {
        /// The equity at the mark (≤ 0).
        equity: f64,
    },
}

/// One round of Deribit's incremental auto-liquidation of an isolated futures position at `mark`.
///
/// ```text
/// healthy:  equity(mark) ≥ MM(value(mark))                               → Healthy
/// bankrupt: equity(mark) ≤ 0                                             → Bankrupt
/// q        = min(max_contracts, contracts)          slice closed at the mark
/// fee      = min(fee_rate · value(q contracts at mark), margin + realised(q))
/// margin'  = margin + realised(q) − fee             equity' = equity − fee
/// ```
///
/// With a linear requirement MM = m·value, one round lowers the shortfall MM − equity by
/// (m − fee_rate)·value(q): the rounds converge when the fee rate is below the maintenance rate,
/// which is why Deribit set BTC maintenance to 1 % against a 0.75 % fee.
///
/// Sources: Deribit, "Liquidations", support article 25944769313309 (read 2026-12-04): "the
/// liquidation engine will first try to liquidate only a part of the position(s) to try to get
/// the maintenance margin below 100 % again … As soon as the required maintenance margin is lower
/// than the margin balance of the account, liquidation will stop"; Deribit, "Auto Liquidation"
/// (deribit.com/docs/auto-liquidation): per step "up till 200 future contracts of $10 each";
/// Deribit, "11 January 2022" release notes (support article 25944826427293): BTC liquidation
/// fee 0.75 %, maintenance 1 % + 0.005 % per BTC of position. The fee on a slice is capped at the
/// margin left after the slice's realised P&L (an isolated margin cannot go negative here; what a
/// venue cannot collect is the insurance fund's). Fills at the mark; slippage is the execution's.
///
/// # Errors
///
/// [`MarginError::InvalidPrice`] for the mark; [`MarginError::InvalidSize`] for a cap that is
/// not finite and positive; [`MarginError::InvalidParameter`] for a fee rate outside [0, 1) or
/// not finite; [`MarginError::OutOfRange`] if an amount overflows.
///
/// ```
/// use derisk::margin::{deribit_liquidation_step, FlatRate, IncrementalStep, Instrument,
///     IsolatedPosition, Position, Side};
/// use derisk::market::Currency;
/// // long 10 BTC (linear, 1 BTC contracts) at 50,000 with 6,000 USDT, MM 1 % (by hand):
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 10.0, 50_000.0)?;
/// let iso = IsolatedPosition::new(p, 6_000.0)?;
/// let mm = FlatRate::new(0.01, 50.0)?;
/// // mark 49,500: equity 1,000 < MM 4,950: close 2 contracts, fee 0.75 % × 99,000 = 742.5
/// match deribit_liquidation_step(&iso, 49_500.0, &mm, 2.0, 0.0075)? {
///     IncrementalStep::Close { contracts, fee, rest: Some(rest), .. } => {
///         assert_eq!(contracts, 2.0);
///         assert!((fee - 742.5).abs() < 1e-9);
///         // margin 6,000 − 1,000 realised − 742.5 = 4,257.5; equity 1,000 − 742.5
///         assert!((rest.margin() - 4_257.5).abs() < 1e-9);
///         assert!((rest.equity(49_500.0)? - 257.5).abs() < 1e-9);
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn deribit_liquidation_step<M: MarginModel + ?Sized>(
    position: &IsolatedPosition,
    mark: f64,
    model: &M,
    max_contracts: f64,
    fee_rate: f64,
) -> Result<IncrementalStep, MarginError> {
    let mark = check_price(mark)?;
    if !(max_contracts.is_finite() && max_contracts > 0.0) {
        return Err(MarginError::InvalidSize {
            size: max_contracts,
        });
    }
    if !(fee_rate.is_finite() && (0.0..1.0).contains(&fee_rate)) {
        return Err(MarginError::InvalidParameter {
            name: "liquidation fee rate",
            value: fee_rate,
        });
    }
    let equity = position.equity(mark)?;
    if equity >= position.maintenance_margin(mark, model)? {
        return Ok(IncrementalStep::Healthy);
    }
    if equity <= 0.0 {
        return Ok(IncrementalStep::Bankrupt { equity });
    }
    let p = position.position();
    let contracts = max_contracts.min(p.contracts());
    let closed_value = value_at(p.kind(), contracts * p.instrument().contract_size(), mark);
    let fill = p.fill(p.side().opposite(), contracts, mark)?;
    // equity > 0 keeps margin + realised > 0 (see the fn doc); the fee takes at most that
    let before_fee = check_finite(
        "margin after the slice",
        position.margin() + fill.realised_pnl,
    )?;
    let fee = check_finite("liquidation fee", fee_rate * closed_value)?.min(before_fee.max(0.0));
    let margin = (before_fee - fee).max(0.0);
    Ok(match fill.position {
        Some(rest) => IncrementalStep::Close {
            contracts,
            fee,
            rest: Some(IsolatedPosition::new(rest, margin)?),
            released: 0.0,
        },
        None => IncrementalStep::Close {
            contracts,
            fee,
            rest: None,
            released: margin,
        },
    })
}
