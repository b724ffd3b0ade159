//! Liquidation and bankruptcy prices: the closed forms per bracket and the search across brackets.

use crate::margin::instrument::{round_tick, ContractKind, Side, TickDirection};
use crate::margin::position::{value_at, Position};
use crate::margin::traits::MarginModel;
use crate::margin::venue::{MaintenanceBasis, TickRounding};
use crate::math::{brent, brent_log, RootOptions};

/// A liquidation (or bankruptcy) price, or the documented reason there is none.
///
/// ```
/// use derisk::margin::{IsolatedPosition, Instrument, LiquidationPrice, NoLiquidationPrice, Position, Side, TierTable};
/// use derisk::market::Currency;
/// // A 1x inverse short (the classic "synthetic dollar" hedge) is never liquidated: as the price
/// // rises its coin loss tends to the margin it posted, which it already covers.
/// let p = Position::new(Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5)?, Side::Short, 1_000.0, 50_000.0)?;
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
/// rounding. Allocation-free. A bracket table whose every rate (plus fee) is below 1 makes
/// g(P) = margin + uPnL(P) − MM(value(P)) monotone in P, and the closed form per bracket gives
/// its one root; any other model goes through [`search`].
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
            if !(model.is_bracketed() && rates_below_one(model)) {
                return search(position, margin, model);
            }
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
            let mut best = (f64::INFINITY, f64::NAN);
            for i in 0..model.bracket_count() {
                let Some(b) = model.bracket_at(i) else { break };
                let r = b.maintenance_rate + fee;
                let a = b.maintenance_amount;
                let p = match kind {
                    ContractKind::Linear => (s * x * e - margin - a) / (x * (s - r)),
                    ContractKind::Inverse => x * (r + s) / (margin + s * x / e + a),
                };
                if !(p.is_finite() && p >= f64::MIN_POSITIVE) {
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
            // a bracket missed by rounding only; otherwise no closed form landed in its own
            // bracket (the root is beyond f64's prices, or rounding broke the algebra):
            // the search over representable prices decides
            if best.0 <= 1e-9 {
                LiquidationPrice::At(best.1)
            } else {
                search(position, margin, model)
            }
        }
    }
}

/// `true` when every bracket's rate plus the closing fee is below 1: then equity − MM is
/// strictly monotone in the value for every side and kind, so there is at most one crossing.
fn rates_below_one<M: MarginModel + ?Sized>(model: &M) -> bool {
    let fee = model.closing_fee_rate();
    (0..model.bracket_count()).all(|i| {
        model
            .bracket_at(i)
            .is_some_and(|b| b.maintenance_rate + fee < 1.0)
    })
}

/// Fraction f ∈ [0, 1] of `position` to keep so that the requirement of the rest at `mark` is at
/// most `equity` (which closing at the mark does not change): the largest f with
/// MM(f·value) ≤ equity, by the root finder on equity − MM(f·value) (MM increases with the
/// value for every sensible model), taking the end of the final bracket that fits.
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
    let surplus = |f: f64| equity - model.maintenance_margin(f * value);
    if surplus(1.0) >= 0.0 {
        return 1.0;
    }
    // NaN counts as not fitting
    let at_zero = surplus(0.0);
    if at_zero.is_nan() || at_zero < 0.0 {
        return 0.0;
    }
    let root = brent(surplus, 0.0, 1.0, &RootOptions::default());
    let [lo, hi] = root.bracket;
    if surplus(hi) >= 0.0 {
        hi
    } else if surplus(lo) >= 0.0 {
        lo
    } else {
        0.0
    }
}

/// Factor between the points of the walk along the price axis.
const WALK: f64 = 2.0;

/// The crossing of g(P) = margin + uPnL(P) − MM(value(P)) nearest to the entry price (in
/// |ln P/E|), for any model, over the whole positive price axis.
///
/// From the entry the walk goes down and up by factors of 2 until g changes sign (or f64 runs
/// out of prices), and the crossing is solved by [`brent_log`] in that bracket. Where g is
/// unimodal in P — every requirement convex in the value, such as [`SizeScaled`](super::SizeScaled)'s
/// MM(v) = v·(a + b·v), makes g concave in the value since equity is linear in it — the healthy
/// prices form one interval, so the first sign change on each side is the only crossing there;
/// and if g ≤ 0 at every point of the walk, the largest sampled g is refined by golden-section
/// search, which finds a healthy interval narrower than the walk's step.
fn search<M: MarginModel + ?Sized>(
    position: &Position,
    margin: f64,
    model: &M,
) -> LiquidationPrice {
    let kind = position.kind();
    let x = position.exposure();
    let g = |p: f64| {
        margin + position.pnl_unchecked(p) - model.maintenance_margin(value_at(kind, x, p))
    };
    let e = position.entry();
    let g_e = g(e);
    let healthy = g_e > 0.0;
    // nearest crossing: (|ln P/E|, P)
    let mut nearest = (f64::INFINITY, f64::NAN);
    // the largest g seen: (g, P)
    let mut top = (g_e, e);
    for factor in [1.0 / WALK, WALK] {
        let mut prev = e;
        for _ in 0..1_100 {
            let p = prev * factor;
            if !(p.is_finite() && p >= f64::MIN_POSITIVE) {
                break;
            }
            let gp = g(p);
            if !gp.is_finite() {
                break;
            }
            if gp > top.0 {
                top = (gp, p);
            }
            if (gp > 0.0) != healthy {
                if let Some(root) = crossing(&g, prev, p) {
                    let d = (root / e).ln().abs();
                    if d < nearest.0 {
                        nearest = (d, root);
                    }
                }
                break;
            }
            prev = p;
        }
    }
    if nearest.1.is_finite() {
        return LiquidationPrice::At(nearest.1);
    }
    if healthy {
        return LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised);
    }
    // g ≤ 0 at every sampled price: look for a healthy interval between samples around the top.
    let (lo, hi) = (top.1 / WALK, top.1 * WALK);
    let (peak, g_peak) = golden_max(&g, lo, hi);
    if g_peak > 0.0 {
        for (a, b) in [(lo, peak), (peak, hi)] {
            if let Some(root) = crossing(&g, a, b) {
                let d = (root / e).ln().abs();
                if d < nearest.0 {
                    nearest = (d, root);
                }
            }
        }
    }
    if nearest.1.is_finite() {
        LiquidationPrice::At(nearest.1)
    } else {
        LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice)
    }
}

/// The root of `g` in the price bracket [a, b] (either order), if the root finder converged on
/// a positive finite price.
fn crossing<G: Fn(f64) -> f64>(g: &G, a: f64, b: f64) -> Option<f64> {
    let root = brent_log(g, a, b, &RootOptions::default());
    root.converged()
        .filter(|p| p.is_finite() && *p >= f64::MIN_POSITIVE)
}

/// Golden-section search for the maximum of `g` on the price interval [lo, hi] in ln P
/// (bounded: 100 steps shrink the interval by 0.618¹⁰⁰ ≈ 1e-21).
fn golden_max<G: Fn(f64) -> f64>(g: &G, lo: f64, hi: f64) -> (f64, f64) {
    let ratio = 0.5 * (5.0_f64.sqrt() - 1.0);
    let (mut a, mut b) = (lo.ln(), hi.ln());
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut gc, mut gd) = (g(c.exp()), g(d.exp()));
    for _ in 0..100 {
        if !(gc.is_finite() && gd.is_finite()) || (b - a).abs() <= 4.0 * f64::EPSILON * b.abs() {
            break;
        }
        if gc > gd {
            b = d;
            d = c;
            gd = gc;
            c = b - ratio * (b - a);
            gc = g(c.exp());
        } else {
            a = c;
            c = d;
            gc = gd;
            d = a + ratio * (b - a);
            gd = g(d.exp());
        }
    }
    if gc > gd {
        (c.exp(), gc)
    } else {
        (d.exp(), gd)
    }
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
    if p.is_finite() && p >= f64::MIN_POSITIVE {
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
            if !r.is_finite() {
                price
            } else if r > 0.0 {
                LiquidationPrice::At(r)
            } else {
                LiquidationPrice::At(tick)
            }
        }
        never => never,
    }
}
