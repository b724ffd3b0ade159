//! Partial liquidation by risk tiers: the step that cuts a liquidated position down to the
//! largest risk-limit tier whose requirement its equity still meets, or takes it over whole.

use crate::margin::error::check_finite;
use crate::margin::position::value_at;
use crate::margin::{IsolatedPosition, MarginError, MarginModel};

/// What the liquidation engine does with a position at one mark.
///
/// ```
/// use derisk::margin::TierStep;
/// assert_eq!(TierStep::Healthy, TierStep::Healthy);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum TierStep {
    /// Equity meets the maintenance requirement: nothing happens.
    Healthy,
    /// Close `contracts` at the mark (a fill-or-kill order): the rest, worth `kept_value` in the
    /// settlement currency (a tier's cap), meets its tier's requirement. `position` is the rest,
    /// with the realised P&L moved into its margin (equity unchanged at the mark).
    Reduce {
        /// Contracts to close.
        contracts: f64,
        /// The kept position's value at the mark (the cap of the tier it steps down to).
        kept_value: f64,
        /// Index of that tier in the model's brackets.
        bracket: usize,
        /// The position after the cut.
        position: IsolatedPosition,
    },
    /// No lower tier saves it (or it is in the first tier): the engine takes over the whole
    /// position at its bankruptcy price.
    TakeOver,
}

/// One step of tiered partial liquidation at `mark` (Bybit's "laddered liquidation"; Binance's
/// tiered reduction is the same rule).
///
/// ```text
/// healthy:   equity(mark) ≥ MM(value(mark))                        → Healthy
/// v*       = the largest value whose requirement equity still meets (reduction_to_maintenance)
/// j        = the highest bracket below the current one with cap_j ≤ v*
/// cut      = contracts · (1 − cap_j / value(mark))                   → Reduce to cap_j
/// no such j (first tier, or equity ≤ 0)                             → TakeOver
/// ```
///
/// Source: Bybit, "Liquidation Process (Classic Account)" help article 000001098: a trader on a
/// higher risk limit is first stepped down "to a lower risk limit tier", by "a FillOrKill order
/// … equal to the difference between the current position value and the risk limit value of the
/// lowest tier required to meet the margin requirements"; on the lowest tier the position is
/// taken over at its bankruptcy price. The cut is filled at the mark here; fees and slippage are
/// the execution's (see [`Closeout`](super::Closeout)).
///
/// # Errors
///
/// [`MarginError::InvalidPrice`] for the mark; the errors of
/// [`IsolatedPosition::reduction_to_maintenance`] and [`Position::fill`](crate::margin::Position::fill).
///
/// ```
/// use derisk::margin::{tiered_liquidation_step, Instrument, IsolatedPosition, Position, Side, TierStep, TierTable};
/// use derisk::market::Currency;
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 20.0, 50_000.0)?;
/// let iso = IsolatedPosition::new(p, 60_000.0)?;
/// // at 47,200 equity 4,000 keeps at most 530,000 of value (see reduction_to_maintenance):
/// // the largest cap below it is 250,000 (the 0.5 % bracket), so 20 − 250,000/47,200 BTC go
/// match tiered_liquidation_step(&iso, 47_200.0, &t)? {
///     TierStep::Reduce { contracts, kept_value, .. } => {
///         assert_eq!(kept_value, 250_000.0);
///         assert!((contracts - (20.0 - 250_000.0 / 47_200.0)).abs() < 1e-9);
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn tiered_liquidation_step<M: MarginModel + ?Sized>(
    position: &IsolatedPosition,
    mark: f64,
    model: &M,
) -> Result<TierStep, MarginError> {
    let cut = position.reduction_to_maintenance(mark, model)?;
    if cut <= 0.0 {
        return Ok(TierStep::Healthy);
    }
    let p = position.position();
    let value = value_at(p.kind(), p.exposure(), mark);
    let keep_max = value * (1.0 - cut / p.contracts());
    // highest bracket whose cap lies strictly below the current value and within keep_max
    let mut target = None;
    for i in (0..model.bracket_count()).rev() {
        if let Some(b) = model.bracket_at(i)
            && b.cap < value
            && b.cap <= keep_max
            && b.cap > 0.0
        {
            target = Some((i, b.cap));
            break;
        }
    }
    let Some((bracket, cap)) = target else {
        return Ok(TierStep::TakeOver);
    };
    let contracts = check_finite("contracts to close", p.contracts() * (1.0 - cap / value))?;
    let fill = p.fill(p.side().opposite(), contracts, mark)?;
    let rest = fill.position.ok_or(MarginError::OutOfRange {
        quantity: "position left after the cut",
        value: 0.0,
    })?;
    let margin = check_finite(
        "margin after the cut",
        position.margin() + fill.realised_pnl,
    )?;
    Ok(TierStep::Reduce {
        contracts,
        kept_value: cap,
        bracket,
        position: IsolatedPosition::new(rest, margin)?,
    })
}
