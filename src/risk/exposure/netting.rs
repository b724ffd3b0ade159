//! Netting sets: trades whose values offset on default, from per-trade simulated values or from
//! a `portfolio::Book` revalued on simulated market states.

use super::paths::{check_times, ValuePaths};
use crate::market::{Currency, MarketState, Scenario};
use crate::portfolio::{Book, Instrument, PortfolioError};
use crate::risk::error::RiskError;

/// The simulated values of the trades of one netting set (same paths and time grid for all).
///
/// ```text
/// V_p(t_k) = Σ_j V^{(j)}_p(t_k)      the netted value (only its positive part is exposed)
/// ```
///
/// Reference: Basel Framework CRE50.15 (a netting set: transactions under one legally
/// enforceable bilateral netting agreement); J. Gregory, *The xVA Challenge*, 4th ed. (Wiley,
/// 2020), §7.3.
///
/// ```
/// use derisk::risk::exposure::{NettingSet, ValuePaths};
/// let a = ValuePaths::new(vec![5.0, -1.0], 1, vec![0.5, 1.0])?;
/// let b = ValuePaths::new(vec![-2.0, 3.0], 1, vec![0.5, 1.0])?;
/// let set = NettingSet::new(vec![a, b])?;
/// assert_eq!(set.net_values().values(), &[3.0, 2.0]);
/// assert!(NettingSet::new(vec![]).is_err()); // no trades
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NettingSet {
    trades: Vec<ValuePaths>,
}

impl NettingSet {
    /// A netting set of trades simulated on the same paths and dates.
    ///
    /// # Errors
    ///
    /// [`RiskError::EmptyNettingSet`] for no trades; [`RiskError::LengthMismatch`] when a
    /// trade's paths or dates differ from the first trade's, [`RiskError::InvalidTime`] when
    /// its time grid differs.
    ///
    /// ```
    /// use derisk::risk::{exposure::NettingSet, RiskError};
    /// assert!(matches!(NettingSet::new(vec![]), Err(RiskError::EmptyNettingSet { .. })));
    /// ```
    pub fn new(trades: Vec<ValuePaths>) -> Result<Self, RiskError> {
        let first = trades
            .first()
            .ok_or(RiskError::EmptyNettingSet { name: "trades" })?;
        for t in &trades[1..] {
            if t.paths() != first.paths() || t.dates() != first.dates() {
                return Err(RiskError::LengthMismatch {
                    left_name: "first trade paths x dates",
                    left: first.values().len(),
                    right_name: "trade paths x dates",
                    right: t.values().len(),
                });
            }
            if let Some(index) = t
                .times()
                .iter()
                .zip(first.times())
                .position(|(a, b)| a != b)
            {
                return Err(RiskError::InvalidTime {
                    name: "trade times",
                    index,
                    value: t.times()[index],
                    reason: "every trade of a netting set must use the same time grid",
                });
            }
        }
        Ok(Self { trades })
    }

    /// The number of trades.
    ///
    /// ```
    /// # use derisk::risk::exposure::{NettingSet, ValuePaths};
    /// let a = ValuePaths::new(vec![1.0], 1, vec![1.0])?;
    /// assert_eq!(NettingSet::new(vec![a])?.len(), 1);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.trades.len()
    }

    /// Always false: a netting set holds at least one trade.
    ///
    /// ```
    /// # use derisk::risk::exposure::{NettingSet, ValuePaths};
    /// let a = ValuePaths::new(vec![1.0], 1, vec![1.0])?;
    /// assert!(!NettingSet::new(vec![a])?.is_empty());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.trades.is_empty()
    }

    /// The trades' values.
    ///
    /// ```
    /// # use derisk::risk::exposure::{NettingSet, ValuePaths};
    /// let a = ValuePaths::new(vec![1.0], 1, vec![1.0])?;
    /// assert_eq!(NettingSet::new(vec![a])?.trades()[0].values(), &[1.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn trades(&self) -> &[ValuePaths] {
        &self.trades
    }

    /// The netted values Σ_j V^{(j)} on each path and date.
    ///
    /// ```
    /// # use derisk::risk::exposure::{NettingSet, ValuePaths};
    /// let a = ValuePaths::new(vec![1.0, 2.0], 2, vec![1.0])?;
    /// let b = ValuePaths::new(vec![-3.0, 2.0], 2, vec![1.0])?;
    /// assert_eq!(NettingSet::new(vec![a, b])?.net_values().values(), &[-2.0, 4.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn net_values(&self) -> ValuePaths {
        let first = &self.trades[0];
        let mut net = first.values().to_vec();
        for t in &self.trades[1..] {
            for (n, v) in net.iter_mut().zip(t.values()) {
                *n += v;
            }
        }
        ValuePaths::from_parts(net, first)
    }
}

/// The values of a whole book (one netting set) in `currency` under simulated market states:
/// `scenarios[p · K + k]` is the state of path p at date t_k (the scenario rolls the market to
/// t_k and applies the path's moves), revalued by [`Book::revalue_many`].
///
/// ```text
/// V_p(t_k) = Σ_positions value(position, scenario_{p,k}(base))   in `currency`
/// ```
///
/// Reference: Gregory (2020), §11.2 (revaluation of each trade at each simulated state).
///
/// # Errors
///
/// [`RiskError::EmptyNettingSet`] for an empty book; [`RiskError::TooShort`] and
/// [`RiskError::InvalidTime`] for the grid; [`RiskError::LengthMismatch`] when
/// `scenarios.len() != paths · times.len()`; [`RiskError::Scenario`] for the first scenario
/// the book cannot be valued under; [`RiskError::NonFinite`] for a non-finite value.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::{exposure::revalue_netting_set, spot_shocks, Overlap};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 90_000.0)?); // 2 BTC
/// // two paths, one date: BTC +10 % and −10 %
/// let s = spot_shocks(Currency::BTC, &[100_000.0, 110_000.0, 99_000.0], 1, Overlap::Overlapping)?;
/// let v = revalue_netting_set(&book, &m, &s, Currency::USD, 2, vec![0.25])?;
/// assert!((v.value(0, 0) - v.value(1, 0) - 40_000.0).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn revalue_netting_set<I: Instrument, S: Scenario>(
    book: &Book<I>,
    base: &MarketState,
    scenarios: &[S],
    currency: Currency,
    paths: usize,
    times: Vec<f64>,
) -> Result<ValuePaths, RiskError> {
    if book.is_empty() {
        return Err(RiskError::EmptyNettingSet { name: "book" });
    }
    check_times("times", &times)?;
    let want = paths.saturating_mul(times.len());
    if scenarios.len() != want || paths == 0 {
        return Err(RiskError::LengthMismatch {
            left_name: "scenarios",
            left: scenarios.len(),
            right_name: "paths x dates",
            right: want,
        });
    }
    let mut out: Vec<Result<f64, PortfolioError>> = Vec::with_capacity(want);
    out.resize_with(want, || Ok(0.0));
    book.revalue_many(base, scenarios, currency, &mut out)?;
    let values = out
        .into_iter()
        .enumerate()
        .map(|(index, r)| r.map_err(|source| RiskError::Scenario { index, source }))
        .collect::<Result<Vec<f64>, RiskError>>()?;
    ValuePaths::new(values, paths, times)
}
