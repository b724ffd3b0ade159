//! Reverse stress: the smallest move along a direction that exhausts the equity or liquidates.

use crate::margin::{CrossAccount, MarginModel};
use crate::market::{Currency, MarketState, Scenario, Shock, VolAdjustment};
use crate::math::{brent, RootOptions, Termination};
use crate::portfolio::{Book, Instrument, PositionId};
use crate::risk::error::RiskError;

/// A direction of market moves, scaled by t ≥ 0 in a reverse stress test.
///
/// ```text
/// at scale t:  S_a → S_a·exp(t·d_a) for each (a, d_a),  then σ → σ + t·v (every surface)
/// ```
///
/// Spot moves are in log terms so that every t gives a valid price (d_a = −1 at t = 0.5 is a
/// fall of 39.3 %).
///
/// ```
/// use derisk::market::{Currency, Shock};
/// let d = derisk::risk::StressDirection { spot: vec![(Currency::BTC, -1.0)], vol_points: 0.0 };
/// assert_eq!(d.shocks(0.5), vec![Shock::spot_relative(Currency::BTC, (-0.5f64).exp_m1())]);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StressDirection {
    /// Log spot move per unit of scale, by asset.
    pub spot: Vec<(Currency, f64)>,
    /// Parallel vol points per unit of scale (0 for none).
    pub vol_points: f64,
}

impl StressDirection {
    /// The shocks at scale `t` (sticky strike spot moves, then a parallel vol shift if any).
    ///
    /// ```
    /// use derisk::market::Currency;
    /// let d = derisk::risk::StressDirection { spot: vec![(Currency::BTC, -1.0)], vol_points: 0.5 };
    /// assert_eq!(d.shocks(0.2).len(), 2);
    /// ```
    #[must_use]
    pub fn shocks(&self, t: f64) -> Vec<Shock> {
        let mut out: Vec<Shock> = self
            .spot
            .iter()
            .map(|&(a, d)| Shock::spot_relative(a, (t * d).exp_m1()))
            .collect();
        if self.vol_points != 0.0 {
            out.push(Shock::Vol {
                asset: None,
                adjustment: VolAdjustment::Parallel(t * self.vol_points),
            });
        }
        out
    }
}

/// The result of a reverse stress test: the scale of the first breach and how the search ended.
///
/// ```
/// use derisk::math::Termination;
/// let r = derisk::risk::ReverseStress { scale: 0.3, margin: 0.0, iterations: 9, termination: Termination::Converged };
/// assert!(r.termination.is_converged());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReverseStress {
    /// The smallest scale t found at which the buffer reaches zero.
    pub scale: f64,
    /// The buffer left at `scale` (equity + P&L, or equity − maintenance): ≈ 0.
    pub margin: f64,
    /// Evaluations inside the final bracket (Brent).
    pub iterations: usize,
    /// How the root search ended.
    pub termination: Termination,
}

/// Scan (0, bound] in `steps` equal steps for the first sign change of the buffer g, then Brent.
fn first_breach<F: FnMut(f64) -> Result<f64, RiskError>>(
    mut g: F,
    bound: f64,
    steps: usize,
) -> Result<ReverseStress, RiskError> {
    if !(bound.is_finite() && bound > 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "scale bound",
            value: bound,
            reason: "must be finite and positive",
        });
    }
    if steps == 0 {
        return Err(RiskError::InvalidParameter {
            name: "scan steps",
            value: 0.0,
            reason: "the scan needs at least one step",
        });
    }
    let g0 = g(0.0)?;
    if g0 <= 0.0 {
        return Err(RiskError::InvalidParameter {
            name: "buffer at no move",
            value: g0,
            reason: "the equity is already exhausted before any move",
        });
    }
    let mut lo = 0.0;
    for i in 1..=steps {
        let hi = bound * i as f64 / steps as f64;
        if g(hi)? > 0.0 {
            lo = hi;
            continue;
        }
        let mut error = None;
        let root = brent(
            |t| match g(t) {
                Ok(v) => v,
                Err(e) => {
                    error.get_or_insert(e);
                    f64::NAN
                }
            },
            lo,
            hi,
            &RootOptions::default(),
        );
        if let Some(e) = error {
            return Err(e);
        }
        // Brent's x is the end of the final bracket with the smaller |g|; the breach is at or
        // just past the root, so take the bracket's upper end when g there is ≤ 0.
        let (scale, margin) = if root.fx <= 0.0 {
            (root.x, root.fx)
        } else {
            let up = root.bracket[1];
            (up, g(up)?)
        };
        return Ok(ReverseStress {
            scale,
            margin,
            iterations: root.iterations,
            termination: root.termination,
        });
    }
    Err(RiskError::NoBreach {
        bound,
        reason: "the buffer stays positive at every scanned scale",
    })
}

/// Reverse stress of a book: the smallest scale t along `direction` at which the book's loss
/// reaches `equity`.
///
/// ```text
/// g(t) = equity + V(direction(t)(m)) − V(m)        (in `currency`)
/// t* = the first t in (0, bound] with g(t) ≤ 0: scan t_i = bound·i/steps for the first g(t_i) ≤ 0,
///      then Brent's root on [t_{i−1}, t_i] (math::brent)
/// ```
///
/// The scan makes t* the first breach up to the grid: a P&L that dips below −equity and comes
/// back between two grid points is missed (use more steps for books with strong convexity).
/// Reference: BCBS, *Principles for sound stress testing* (May 2009), principle 8 (reverse
/// stress tests); Glasserman, Kang and Kang, "Stress scenario selection by empirical
/// likelihood", Quantitative Finance 15 (2015).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for equity ≤ 0, a bound that is not finite and positive,
/// steps = 0; [`RiskError::NoBreach`] if g stays positive up to the bound; as
/// [`Book::pnl`] ([`RiskError::Portfolio`]) if a shocked market does not value.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::{reverse_stress_book, StressDirection};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
/// let down = StressDirection { spot: vec![(Currency::BTC, -1.0)], vol_points: 0.0 };
/// // losing 25,000 of 100,000: exp(−t) = 0.75, t = ln(4/3)
/// let r = reverse_stress_book(&book, &m, &down, 25_000.0, Currency::USD, 2.0, 20)?;
/// assert!((r.scale - (4.0f64 / 3.0).ln()).abs() < 1e-12);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn reverse_stress_book<I: Instrument>(
    book: &Book<I>,
    base: &MarketState,
    direction: &StressDirection,
    equity: f64,
    currency: Currency,
    bound: f64,
    steps: usize,
) -> Result<ReverseStress, RiskError> {
    if !(equity.is_finite() && equity > 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "equity",
            value: equity,
            reason: "must be finite and positive",
        });
    }
    let v0 = book.value(base, currency)?.amount;
    first_breach(
        |t| {
            let m = direction.shocks(t).apply(base)?;
            Ok(equity + (book.value(&m, currency)?.amount - v0))
        },
        bound,
        steps,
    )
}

/// Reverse stress of a cross-margined account: the smallest scale t at which its equity falls
/// to its maintenance requirement when each listed position's mark moves along its direction.
///
/// ```text
/// mark_i(t) = mark_i·exp(t·d_i)       (positions not listed keep their marks)
/// g(t) = equity(t) − maintenance(t)    (CrossAccount::equity, CrossAccount::maintenance_margin)
/// t* = first t in (0, bound] with g(t) ≤ 0 (scan, then math::brent, as reverse_stress_book)
/// ```
///
/// With one position this is the account's liquidation price: mark·exp(t*·d) =
/// [`CrossAccount::liquidation_price`] (Binance, "How to calculate liquidation price of
/// USDⓈ-M contracts", 2021).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] if the account is already at or past maintenance, or as
/// [`reverse_stress_book`]; [`RiskError::TooShort`] for no move; [`RiskError::Margin`] for an
/// unknown position or a mark out of range; [`RiskError::NoBreach`].
///
/// ```
/// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
/// use derisk::risk::reverse_stress_account;
/// use derisk::market::Currency;
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// let mut a = CrossAccount::new(2_500.0)?;
/// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
/// let r = reverse_stress_account(&a, &[(id, -1.0)], 1.0, 50)?;
/// // the isolated liquidation price 47,500/0.996 (Binance's formula, worked by hand)
/// assert!((50_000.0 * (-r.scale).exp() - 47_500.0 / 0.996).abs() < 1e-6);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn reverse_stress_account<M: MarginModel + Clone>(
    account: &CrossAccount<M>,
    moves: &[(PositionId, f64)],
    bound: f64,
    steps: usize,
) -> Result<ReverseStress, RiskError> {
    if moves.is_empty() {
        return Err(RiskError::TooShort {
            name: "position moves",
            len: 0,
            min: 1,
        });
    }
    let marks = moves
        .iter()
        .map(|&(id, d)| Ok((id, account.get(id)?.mark, d)))
        .collect::<Result<Vec<_>, RiskError>>()?;
    let mut stressed = account.clone();
    first_breach(
        |t| {
            for &(id, mark, d) in &marks {
                stressed.set_mark(id, mark * (t * d).exp())?;
            }
            Ok(stressed.equity() - stressed.maintenance_margin())
        },
        bound,
        steps,
    )
}
