//! The book: positions under stable ids, valued, revalued under scenarios, risked and hedged.

use crate::market::{Currency, MarketState, Money, Scenario};

use super::cache::BatchCache;
use super::contract::Contract;
use super::deferred::LaneSum;
use super::error::{check_finite, PortfolioError};
use super::position::{Position, PositionId};
use super::risk::{PositionRisk, Sensitivity};
use super::traits::Instrument;

/// A book (portfolio) of positions. Ids are assigned on insert in increasing order and stay
/// valid when other positions are removed.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(90_000.0, &[])?)
///     .fx_rate(Currency::USDT, 0.9995)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 0.0)?);
/// let perp = Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001)?;
/// book.insert(Position::new(perp, -2_000.0, 88_000.0)?); // short 2 BTC entered at 88,000
/// let usd = book.value(&m, Currency::USD)?;
/// // 2 × 90,000 + (−2,000 × 0.001 × (90,000 − 88,000)) × 0.9995
/// assert!((usd.amount - (180_000.0 - 4_000.0 * 0.9995)).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "BookData<I>",
        bound(deserialize = "I: Instrument + serde::Deserialize<'de>")
    )
)]
pub struct Book<I = Contract> {
    positions: Vec<(PositionId, Position<I>)>,
    next_id: u64,
}

/// The serialised form of a [`Book`], checked on the way in: ids strictly increasing and below
/// the next id to assign.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "I: Instrument + serde::Deserialize<'de>"))]
struct BookData<I> {
    positions: Vec<(PositionId, Position<I>)>,
    next_id: u64,
}

#[cfg(feature = "serde")]
impl<I> TryFrom<BookData<I>> for Book<I> {
    type Error = PortfolioError;
    fn try_from(d: BookData<I>) -> Result<Self, PortfolioError> {
        let mut previous: Option<PositionId> = None;
        for (id, _) in &d.positions {
            if previous.is_some_and(|p| p >= *id) || id.0 >= d.next_id {
                return Err(PortfolioError::InvalidPosition {
                    name: "position id",
                    value: id.0 as f64,
                    reason: "ids must increase strictly and stay below next_id",
                });
            }
            previous = Some(*id);
        }
        Ok(Self {
            positions: d.positions,
            next_id: d.next_id,
        })
    }
}

impl<I> Default for Book<I> {
    fn default() -> Self {
        Self {
            positions: Vec::new(),
            next_id: 0,
        }
    }
}

/// One position's value at a market state.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PositionValue {
    /// The position.
    pub id: PositionId,
    /// Its value in its settlement currency.
    pub value: Money,
    /// Its value in the market's quote currency.
    pub value_quote: Money,
}

impl<I> Book<I> {
    /// An empty book.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a position and returns its new id.
    pub fn insert(&mut self, position: Position<I>) -> PositionId {
        let id = PositionId(self.next_id);
        self.next_id += 1;
        self.positions.push((id, position));
        id
    }

    /// Removes the position `id` and returns it; the other ids are unchanged.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::UnknownPosition`] if the book has no such position.
    pub fn remove(&mut self, id: PositionId) -> Result<Position<I>, PortfolioError> {
        let index = self.index(id)?;
        Ok(self.positions.remove(index).1)
    }

    fn index(&self, id: PositionId) -> Result<usize, PortfolioError> {
        // Ids are pushed in increasing order and removals keep the order.
        self.positions
            .binary_search_by(|(i, _)| i.cmp(&id))
            .map_err(|_| PortfolioError::UnknownPosition { id })
    }

    /// The position `id`.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::UnknownPosition`] if the book has no such position.
    pub fn get(&self, id: PositionId) -> Result<&Position<I>, PortfolioError> {
        Ok(&self.positions[self.index(id)?].1)
    }

    /// The position `id`, mutably (to change its quantity after a fill).
    ///
    /// # Errors
    ///
    /// [`PortfolioError::UnknownPosition`] if the book has no such position.
    pub fn get_mut(&mut self, id: PositionId) -> Result<&mut Position<I>, PortfolioError> {
        let index = self.index(id)?;
        Ok(&mut self.positions[index].1)
    }

    /// The positions with their ids, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (PositionId, &Position<I>)> {
        self.positions.iter().map(|(id, p)| (*id, p))
    }

    /// Number of positions.
    #[must_use]
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// `true` if the book holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

impl<I: Instrument> Book<I> {
    /// The value of every position in its settlement currency and in the quote currency.
    ///
    /// # Errors
    ///
    /// The first position's [`PortfolioError`] (a missing curve, surface or FX rate).
    pub fn values(&self, m: &MarketState) -> Result<Vec<PositionValue>, PortfolioError> {
        let quote = m.quote_currency();
        self.positions
            .iter()
            .map(|(id, p)| {
                let settle = p.instrument.settlement();
                let amount = check_finite(
                    "position value",
                    p.quantity * p.instrument.value(m, p.entry_price)?,
                )?;
                let value = Money::new(amount, settle);
                Ok(PositionValue {
                    id: *id,
                    value,
                    value_quote: m.convert(value, quote)?,
                })
            })
            .collect()
    }

    /// The book's value in `currency`: Σ quantity × value × price(settlement)/price(currency),
    /// with the options' Black-76 prices eight at a time in the batch lanes
    /// ([`Instrument::black76_cached`]; each within 1e-13 relative of its scalar value), the
    /// same arithmetic as [`Book::revalue_many`], so that a null scenario's P&L is exactly 0.
    ///
    /// # Errors
    ///
    /// As [`Book::values`]; [`PortfolioError::NonFinite`] on overflow.
    pub fn value(&self, m: &MarketState, currency: Currency) -> Result<Money, PortfolioError> {
        let amount = self.total_in(m, currency, &mut BatchCache::default())?;
        Ok(Money::new(amount, currency))
    }

    /// The book's value per settlement currency (no conversion), in order of first appearance.
    ///
    /// # Errors
    ///
    /// As [`Book::values`].
    pub fn value_by_currency(&self, m: &MarketState) -> Result<Vec<Money>, PortfolioError> {
        let mut out: Vec<Money> = Vec::new();
        for (_, p) in &self.positions {
            let v = Money::new(
                p.quantity * p.instrument.value(m, p.entry_price)?,
                p.instrument.settlement(),
            );
            match out.iter_mut().find(|x| x.currency == v.currency) {
                Some(x) => x.amount += v.amount,
                None => out.push(v),
            }
        }
        for x in &out {
            check_finite("value by currency", x.amount)?;
        }
        Ok(out)
    }

    /// P&L in `currency` from market `from` to market `to`: value(to) − value(from).
    ///
    /// # Errors
    ///
    /// As [`Book::value`] at either state.
    pub fn pnl(
        &self,
        from: &MarketState,
        to: &MarketState,
        currency: Currency,
    ) -> Result<Money, PortfolioError> {
        let a = self.value(from, currency)?;
        let b = self.value(to, currency)?;
        Ok(Money::new(
            check_finite("pnl", b.amount - a.amount)?,
            currency,
        ))
    }

    /// The book's value in `currency` under each scenario applied to `base`, into `out` (one
    /// `Result` per scenario, so one scenario that does not apply does not stop the others).
    /// The inner loop over positions allocates nothing; each scenario builds one market state.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::LengthMismatch`] if `out.len() != scenarios.len()` (nothing written).
    pub fn revalue_many<S: Scenario>(
        &self,
        base: &MarketState,
        scenarios: &[S],
        currency: Currency,
        out: &mut [Result<f64, PortfolioError>],
    ) -> Result<(), PortfolioError> {
        check_lengths(scenarios.len(), out.len())?;
        let mut cache = BatchCache::default();
        for (slot, scenario) in out.iter_mut().zip(scenarios) {
            *slot = self.value_under(base, scenario, currency, &mut cache);
        }
        Ok(())
    }

    /// [`Book::revalue_many`] across cores with the `rayon` feature (sequential without it; the
    /// results are the same either way).
    ///
    /// # Errors
    ///
    /// As [`Book::revalue_many`].
    pub fn par_revalue_many<S: Scenario + Sync>(
        &self,
        base: &MarketState,
        scenarios: &[S],
        currency: Currency,
        out: &mut [Result<f64, PortfolioError>],
    ) -> Result<(), PortfolioError>
    where
        I: Sync,
    {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            check_lengths(scenarios.len(), out.len())?;
            out.par_iter_mut()
                .zip(scenarios.par_iter())
                .for_each_init(BatchCache::default, |cache, (slot, s)| {
                    *slot = self.value_under(base, s, currency, cache)
                });
            Ok(())
        }
        #[cfg(not(feature = "rayon"))]
        self.revalue_many(base, scenarios, currency, out)
    }

    fn value_under<S: Scenario + ?Sized>(
        &self,
        base: &MarketState,
        scenario: &S,
        currency: Currency,
        cache: &mut BatchCache,
    ) -> Result<f64, PortfolioError> {
        self.total_in(&scenario.apply(base)?, currency, cache)
    }

    /// Σ quantity × value × price(settlement) / price(currency) in position order, the options
    /// deferred to the batch lanes; the first error in position order.
    fn total_in(
        &self,
        m: &MarketState,
        currency: Currency,
        cache: &mut BatchCache,
    ) -> Result<f64, PortfolioError> {
        cache.next_scenario(self.positions.len());
        let mut sum = LaneSum::new();
        for (slot, (_, p)) in self.positions.iter().enumerate() {
            let i = &p.instrument;
            let term = cache
                .price_of(m, i.settlement())
                .map_err(PortfolioError::from)
                .and_then(|settle| {
                    let option = i.black76_cached(m, p.entry_price, cache, slot)?;
                    Ok((settle, option))
                });
            let added = match term {
                Ok((settle, Some(option))) => sum.defer(p.quantity, &option, settle),
                Ok((settle, None)) => i
                    .value_cached(m, p.entry_price, cache, slot)
                    .and_then(|v| sum.add(p.quantity, v, settle)),
                Err(e) => Err(e),
            };
            if let Err(e) = added {
                // An option waiting in the lanes comes first in position order.
                sum.flush()?;
                return Err(e);
            }
        }
        check_finite("book value", sum.total()? / cache.price_of(m, currency)?)
    }

    /// Every position's value and Greeks (times its quantity) in the quote currency, with its
    /// underlying, expiry and strike for aggregation ([`RiskReport`](super::RiskReport)).
    ///
    /// # Errors
    ///
    /// The first position's [`PortfolioError`].
    pub fn risk(&self, m: &MarketState) -> Result<Vec<PositionRisk>, PortfolioError> {
        self.positions
            .iter()
            .map(|(id, p)| {
                let i = &p.instrument;
                let underlying = i.underlying();
                Ok(PositionRisk {
                    id: *id,
                    underlying,
                    settlement: i.settlement(),
                    quote: m.quote_currency(),
                    expiry: i.expiry(),
                    strike: i.strike(),
                    spot: underlying.and_then(|u| m.spot(u).ok()).unwrap_or(0.0),
                    sensitivity: i
                        .sensitivities(m, p.entry_price)?
                        .scaled(p.quantity)
                        .checked()?,
                })
            })
            .collect()
    }

    /// The delta-gamma-vega-theta approximation of the P&L from `base` to `shocked`, in
    /// `currency` at `base`'s prices, from risks computed at `base` by [`Book::risk`]:
    ///
    /// ```text
    /// ΔV ≈ Σ_positions Δ·dS + ½Γ·dS² + vega·dσ + θ·dt
    /// ```
    ///
    /// with dS the move of each position's underlying, dσ the move of its own implied vol
    /// (options still alive in `shocked`) and dt the year fraction between the valuation
    /// instants. Rate moves are left out. Compare it with [`Book::pnl`] (full revaluation).
    ///
    /// # Errors
    ///
    /// [`PortfolioError::LengthMismatch`] if `risks` does not have one entry per position;
    /// a [`PortfolioError::Market`] for a missing spot, surface or FX rate.
    pub fn approximate_pnl(
        &self,
        risks: &[PositionRisk],
        base: &MarketState,
        shocked: &MarketState,
        currency: Currency,
    ) -> Result<Money, PortfolioError> {
        check_lengths(self.positions.len(), risks.len())?;
        let dt = base.year_fraction(shocked.valuation());
        let mut total = 0.0;
        for r in risks {
            let Some(u) = r.underlying else { continue };
            let d_spot = match (base.spot(u), shocked.spot(u)) {
                (Ok(a), Ok(b)) => b - a,
                _ => 0.0,
            };
            let d_vol = match (r.expiry, r.strike) {
                (Some(e), Some(k)) if e > shocked.valuation() => {
                    shocked.implied_vol(u, e, k)? - base.implied_vol(u, e, k)?
                }
                _ => 0.0,
            };
            total += r.sensitivity.approximate_change(d_spot, d_vol, dt, 0.0);
        }
        let amount = check_finite("approximate pnl", total / base.price_of(currency)?)?;
        Ok(Money::new(amount, currency))
    }

    /// The book's total sensitivity to `asset` (positions on other underlyings left out).
    ///
    /// # Errors
    ///
    /// As [`Book::risk`].
    pub fn sensitivity_to(
        &self,
        m: &MarketState,
        asset: Currency,
    ) -> Result<Sensitivity, PortfolioError> {
        let mut total = Sensitivity::default();
        for (_, p) in &self.positions {
            if p.instrument.underlying() == Some(asset) {
                total = total
                    .plus(
                        &p.instrument
                            .sensitivities(m, p.entry_price)?
                            .scaled(p.quantity),
                    )
                    .checked()?;
            }
        }
        Ok(total)
    }

    /// The quantity of `hedge` (entered at `hedge_entry`, e.g. the current perpetual price)
    /// that makes the book's delta to `asset` zero: q = −Δ_book / Δ_hedge per contract.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::NoHedgeDelta`] if the hedge has no delta to the asset; as
    /// [`Book::risk`].
    pub fn hedge_quantity<H: Instrument>(
        &self,
        m: &MarketState,
        asset: Currency,
        hedge: &H,
        hedge_entry: f64,
    ) -> Result<f64, PortfolioError> {
        let book = self.sensitivity_to(m, asset)?;
        let unit = if hedge.underlying() == Some(asset) {
            hedge.sensitivities(m, hedge_entry)?.delta
        } else {
            0.0
        };
        if unit == 0.0 || !unit.is_finite() {
            return Err(PortfolioError::NoHedgeDelta { unit_delta: unit });
        }
        check_finite("hedge quantity", -book.delta / unit)
    }
}

fn check_lengths(inputs: usize, outputs: usize) -> Result<(), PortfolioError> {
    if inputs == outputs {
        Ok(())
    } else {
        Err(PortfolioError::LengthMismatch { inputs, outputs })
    }
}
