//! Liquidation and bankruptcy prices: the closed forms per bracket and the search across brackets.

use super::instrument::{round_tick, ContractKind, Side, TickDirection};
use super::position::{value_at, Position};
use super::traits::MarginModel;
use super::venue::{MaintenanceBasis, TickRounding};

/// A liquidation (or bankruptcy) price, or the documented reason there is none.
///
/// ```
/// use derisk::margin::{IsolatedPosition, Instrument, LiquidationPrice, NoLiquidationPrice, Position, Side, TierTable};
/// // A 1x inverse short (the classic "synthetic dollar" hedge) is never liquidated: as the price
/// // rises its coin loss tends to the margin it posted, which it already covers.
/// let p = Position::new(Instrument::inverse_perpetual(10.0, 0.5)?, Side::Short, 1_000.0, 50_000.0)?;
/// let iso = IsolatedPosition::new(p, 0.2)?; // 10,000 USD face = 0.2 BTC at entry
/// let lp = iso.liquidation_price(&TierTable::from_rates(&[(1e6, 0.005, 100.0)])?);
/// assert_eq!(lp, LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LiquidationPrice {
    /// The price (USD per coin) at which equity equals the requirement.
    At(f64),
    /// No positive finite price satisfies it; the reason says which way.
    Never(NoLiquidationPrice),
}

impl LiquidationPrice {
    /// The price, if there is one.
    ///
    /// ```
    /// use derisk::margin::LiquidationPrice;
    /// assert_eq!(LiquidationPrice::At(19_700.0).price(), Some(19_700.0));
    /// ```
    #[must_use]
    pub const fn price(self) -> Option<f64> {
        match self {
            Self::At(p) => Some(p),
            Self::Never(_) => None,
        }
    }
}

/// Why a position has no liquidation (or bankruptcy) price.
///
/// ```text
/// FullyCollateralised:      the requirement is met at every price: a linear long whose margin covers
///                           a fall to zero (Binance shows "--"), an inverse short at ≤ ~1x
/// LiquidatableAtAnyPrice:   the requirement fails at every price (cross equity of the other
///                           positions already below their requirement, or a negative margin)
/// ```
///
/// ```
/// use derisk::margin::NoLiquidationPrice;
/// assert_ne!(NoLiquidationPrice::FullyCollateralised, NoLiquidationPrice::LiquidatableAtAnyPrice);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NoLiquidationPrice {
    /// Equity stays above the requirement at every price.
    FullyCollateralised,
    /// Equity is below the requirement at every price.
    LiquidatableAtAnyPrice,
}

/// Maintenance requirement of `position` at `mark` under the model's basis (settlement currency).
pub(crate) fn maintenance_at<M: MarginModel + ?Sized>(
    position: &Position,
    mark: f64,
    model: &M,
) -> f64 {
    let price = match model.maintenance_basis() {
        MaintenanceBasis::Mark => mark,
        MaintenanceBasis::Entry => position.entry(),
    };
    model.maintenance_margin(value_at(position.kind(), position.exposure(), price))
}

/// Price solving `margin + uPnL(P) = MM` for a position with `margin` standing behind it, before
/// rounding. Allocation-free: one closed form per bracket.
pub(crate) fn solve<M: MarginModel + ?Sized>(
    position: &Position,
    margin: f64,
    model: &M,
) -> LiquidationPrice {
    let kind = position.kind();
    let s = position.side().sign();
    let x = position.exposure();
    let e = position.entry();
    let fee = model.closing_fee_rate();
    match model.maintenance_basis() {
        MaintenanceBasis::Entry => {
            let mm = model.maintenance_margin(value_at(kind, x, e));
            fixed_requirement(kind, position.side(), x, e, margin - mm)
        }
        MaintenanceBasis::Mark => {
            // g at the end of the price axis where the value tends to zero (P → 0 linear,
            // P → ∞ inverse): equity there against the requirement of a zero value (−a₀ for a
            // bracket table).
            let mm_zero = model.maintenance_margin(0.0);
            let g_small_value = match kind {
                ContractKind::Linear => margin - s * x * e - mm_zero,
                ContractKind::Inverse => margin + s * x / e - mm_zero,
            };
            // Sign of g on that end decides existence (g is monotone in P, see docs/margin.md).
            let healthy_end = g_small_value >= 0.0;
            match (kind, position.side(), healthy_end) {
                (ContractKind::Linear, Side::Long, true)
                | (ContractKind::Inverse, Side::Short, true) => {
                    return LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised)
                }
                (ContractKind::Linear, Side::Short, false)
                | (ContractKind::Inverse, Side::Long, false) => {
                    return LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice)
                }
                _ => {}
            }
            if !model.is_bracketed() {
                return bisect(position, margin, model);
            }
            let mut best = (f64::INFINITY, f64::NAN);
            for i in 0..model.bracket_count() {
                let Some(b) = model.bracket_at(i) else { break };
                let r = b.maintenance_rate + fee;
                let a = b.maintenance_amount;
                let p = match kind {
                    ContractKind::Linear => (s * x * e - margin - a) / (x * (s - r)),
                    ContractKind::Inverse => x * (r + s) / (margin + s * x / e + a),
                };
                if !(p.is_finite() && p > 0.0) {
                    continue;
                }
                let v = value_at(kind, x, p);
                let last = i + 1 == model.bracket_count();
                let below = (b.floor - v).max(0.0);
                let above = if last { 0.0 } else { (v - b.cap).max(0.0) };
                let miss = (below + above) / v.max(f64::MIN_POSITIVE);
                if miss <= 1e-12 {
                    return LiquidationPrice::At(p);
                }
                if miss < best.0 {
                    best = (miss, p);
                }
            }
            if best.1.is_finite() {
                LiquidationPrice::At(best.1)
            } else {
                LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice)
            }
        }
    }
}

/// Fraction f ∈ [0, 1] of `position` to keep so that the requirement of the rest at `mark` is at
/// most `equity` (which closing at the mark does not change): the largest f with
/// MM(f·value) ≤ equity, by bisection (MM increases with the value for every sensible model).
pub(crate) fn fraction_to_keep<M: MarginModel + ?Sized>(
    position: &Position,
    mark: f64,
    equity: f64,
    model: &M,
) -> f64 {
    let price = match model.maintenance_basis() {
        MaintenanceBasis::Mark => mark,
        MaintenanceBasis::Entry => position.entry(),
    };
    let value = value_at(position.kind(), position.exposure(), price);
    let fits = |f: f64| model.maintenance_margin(f * value) <= equity;
    if fits(1.0) {
        return 1.0;
    }
    if !fits(0.0) {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Bisection in ln P on g(P) = margin + uPnL(P) − MM(value(P)) for models that are not bracketed,
/// once the caller has established that a root exists: the end of the axis where the value
/// tends to zero is healthy for a linear short / inverse long and unhealthy otherwise.
fn bisect<M: MarginModel + ?Sized>(
    position: &Position,
    margin: f64,
    model: &M,
) -> LiquidationPrice {
    let kind = position.kind();
    let x = position.exposure();
    let g = |p: f64| {
        margin + position.pnl_unchecked(p) - model.maintenance_margin(value_at(kind, x, p))
    };
    // The healthy side of the root: toward higher prices for a long, lower for a short.
    let up_is_healthy = position.side() == Side::Long;
    let e = position.entry();
    let (mut healthy, mut sick) = (e, e);
    let mut found = false;
    for _ in 0..2_000 {
        if g(healthy) > 0.0 {
            found = true;
            break;
        }
        healthy = if up_is_healthy {
            healthy * 2.0
        } else {
            healthy * 0.5
        };
    }
    if !found {
        return LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice);
    }
    found = false;
    for _ in 0..2_000 {
        if g(sick) <= 0.0 {
            found = true;
            break;
        }
        sick = if up_is_healthy {
            sick * 0.5
        } else {
            sick * 2.0
        };
    }
    if !(found && sick.is_finite() && sick > 0.0) {
        return LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised);
    }
    for _ in 0..200 {
        let mid = (healthy * sick).sqrt();
        if mid == healthy || mid == sick {
            break;
        }
        if g(mid) > 0.0 {
            healthy = mid;
        } else {
            sick = mid;
        }
    }
    LiquidationPrice::At(0.5 * (healthy + sick))
}

/// Price where `margin_less_requirement + uPnL(P) = 0` for a fixed requirement (entry basis, and
/// bankruptcy with a zero requirement).
pub(crate) fn fixed_requirement(
    kind: ContractKind,
    side: Side,
    x: f64,
    e: f64,
    surplus: f64,
) -> LiquidationPrice {
    let s = side.sign();
    let p = match kind {
        ContractKind::Linear => e - s * surplus / x,
        ContractKind::Inverse => {
            let u = 1.0 / e + surplus / (s * x);
            if u > 0.0 {
                1.0 / u
            } else {
                -1.0
            }
        }
    };
    if p.is_finite() && p > 0.0 {
        return LiquidationPrice::At(p);
    }
    // No positive price: which end fails decides the reason.
    let fully = match (kind, side) {
        (ContractKind::Linear, Side::Long) | (ContractKind::Inverse, Side::Short) => surplus >= 0.0,
        _ => false,
    };
    LiquidationPrice::Never(if fully {
        NoLiquidationPrice::FullyCollateralised
    } else {
        NoLiquidationPrice::LiquidatableAtAnyPrice
    })
}

/// Applies the model's tick rounding for a position on `side`.
pub(crate) fn round(
    price: LiquidationPrice,
    side: Side,
    tick: f64,
    rounding: TickRounding,
) -> LiquidationPrice {
    match price {
        LiquidationPrice::At(p) => {
            let direction = match (rounding, side) {
                (TickRounding::None, _) => return price,
                (TickRounding::Nearest, _) => TickDirection::Nearest,
                (TickRounding::TowardMark, Side::Long) => TickDirection::Up,
                (TickRounding::TowardMark, Side::Short) => TickDirection::Down,
            };
            let r = round_tick(p, tick, direction);
            if r > 0.0 {
                LiquidationPrice::At(r)
            } else {
                LiquidationPrice::At(tick)
            }
        }
        never => never,
    }
}
