//! The P&L of a book under historical market moves, by full revaluation through
//! [`Book::revalue_many`].

use super::error::RiskError;
use super::returns::{aggregate_simple_returns, simple_returns, Overlap};
use super::stats::finite;
use crate::market::{Currency, MarketState, Scenario, Shock};
use crate::portfolio::{Book, Instrument};

/// Relative spot shocks of one asset from its price history: each historical h-period move
/// applied to today's spot (sticky strike).
///
/// ```text
/// change_t = P_{t+h} / P_t − 1   (the h-period simple return; h = 1: one shock per day)
/// shock_t  = Shock::spot_relative(asset, change_t):  S → S·(1 + change_t)
/// ```
///
/// Overlapping windows give n − h shocks, non-overlapping ⌊(n − 1)/h⌋ (see [`Overlap`]).
/// Implied volatilities stay where they are at each strike (sticky strike); compose the shocks
/// with vol or time-roll shocks for other dynamics. Reference: Jorion, *Value at Risk* (2007),
/// §10.2 (historical simulation).
///
/// # Errors
///
/// As [`simple_returns`] and [`aggregate_simple_returns`] (too short, NaN, non-positive price,
/// h = 0).
///
/// ```
/// use derisk::market::{Currency, Shock};
/// use derisk::risk::{spot_shocks, Overlap};
/// let s = spot_shocks(Currency::BTC, &[100.0, 110.0, 99.0], 1, Overlap::Overlapping)?;
/// assert_eq!(s.len(), 2);
/// assert_eq!(s[1], Shock::spot_relative(Currency::BTC, 99.0 / 110.0 - 1.0));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn spot_shocks(
    asset: Currency,
    prices: &[f64],
    horizon: usize,
    overlap: Overlap,
) -> Result<Vec<Shock>, RiskError> {
    let r = simple_returns(prices)?;
    let moves = if horizon == 1 {
        r
    } else {
        aggregate_simple_returns(&r, horizon, overlap)?
    };
    Ok(moves
        .into_iter()
        .map(|c| Shock::spot_relative(asset, c))
        .collect())
}

/// The book's P&L in `currency` under each scenario applied to `base`, by full revaluation.
///
/// ```text
/// pnl_i = V(scenario_i(base)) − V(base)     (in `currency`, gain positive)
/// ```
///
/// One valuation of the base, then [`Book::revalue_many`] (the book's own revaluation path, no
/// separate pricing here). Feed the result to a [`RiskMeasure`](super::RiskMeasure) for
/// historical VaR/ES of the book. Reference: Jorion, *Value at Risk* (2007), §10.2.
///
/// # Errors
///
/// [`RiskError::Portfolio`] if the base does not value; [`RiskError::Scenario`] with the index
/// of the first scenario that does not apply or value; [`RiskError::Overflow`].
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::{book_pnl, spot_shocks, Overlap};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 90_000.0)?); // 2 BTC
/// let shocks = spot_shocks(Currency::BTC, &[50_000.0, 55_000.0, 49_500.0], 1, Overlap::Overlapping)?;
/// let pnl = book_pnl(&book, &m, &shocks, Currency::USD)?;
/// assert!((pnl[0] - 20_000.0).abs() < 1e-9);  // +10 % of 200,000 USD
/// assert!((pnl[1] + 20_000.0).abs() < 1e-9);  // −10 %
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn book_pnl<I: Instrument + Sync, S: Scenario + Sync>(
    book: &Book<I>,
    base: &MarketState,
    scenarios: &[S],
    currency: Currency,
) -> Result<Vec<f64>, RiskError> {
    let v0 = book.value(base, currency)?.amount;
    let mut values: Vec<_> = scenarios.iter().map(|_| Ok(0.0)).collect();
    book.par_revalue_many(base, scenarios, currency, &mut values)?;
    values
        .into_iter()
        .enumerate()
        .map(|(index, v)| match v {
            Ok(v) => finite("book pnl", v - v0),
            Err(source) => Err(RiskError::Scenario { index, source }),
        })
        .collect()
}
