//! A user-extensible library of named stress scenarios and the book's P&L under each.

use super::historical::{AssetHistory, CrisisWindow};
use crate::market::{Currency, MarketError, MarketState, NamedScenario, Scenario, Shock};
use crate::portfolio::{Book, Instrument};
use crate::risk::error::RiskError;
use crate::risk::historical::book_pnl;

/// One named stress scenario: shocks of a market state with what they mean and where they come
/// from.
///
/// ```text
/// scenario(m) = shock_n(… shock_2(shock_1(m)))       (shocks applied in order)
/// ```
///
/// Reference: BCBS, *Principles for sound stress testing practices and supervision* (May 2009),
/// principles 9–11 (historical and hypothetical scenarios, documented assumptions).
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Scenario, Shock};
/// use derisk::risk::StressScenario;
/// let crash = StressScenario::new("crash", "BTC −30 %", "by hand", vec![Shock::spot_relative(Currency::BTC, -0.3)])?;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// assert_eq!(crash.apply(&m)?.spot(Currency::BTC)?, 70_000.0);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StressScenario {
    /// Unique label in its library.
    pub name: String,
    /// What the scenario represents.
    pub description: String,
    /// Where its numbers come from (data file and computation, or "hypothetical").
    pub source: String,
    /// The shocks, applied in order (never empty).
    shocks: Vec<Shock>,
}

impl StressScenario {
    /// A scenario from its shocks.
    ///
    /// # Errors
    ///
    /// [`RiskError::EmptyScenario`] if `shocks` is empty.
    ///
    /// ```
    /// use derisk::risk::{RiskError, StressScenario};
    /// let e = StressScenario::new("nothing", "", "", vec![]).unwrap_err();
    /// assert_eq!(e, RiskError::EmptyScenario { name: "nothing".into() });
    /// ```
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        source: impl Into<String>,
        shocks: Vec<Shock>,
    ) -> Result<Self, RiskError> {
        let name = name.into();
        if shocks.is_empty() {
            return Err(RiskError::EmptyScenario { name });
        }
        Ok(Self {
            name,
            description: description.into(),
            source: source.into(),
            shocks,
        })
    }

    /// Instantaneous spot moves given as log moves: each asset's spot × exp(log_move), vols
    /// sticky strike.
    ///
    /// ```text
    /// S_a → S_a·exp(x_a)      Shock::spot_relative(a, exp(x_a) − 1)
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::EmptyScenario`] for no move; [`RiskError::NonFinite`] for a non-finite one.
    ///
    /// ```
    /// use derisk::market::{Currency, Shock};
    /// use derisk::risk::StressScenario;
    /// let s = StressScenario::from_log_moves("x", "", "", &[(Currency::ETH, (0.5f64).ln())])?;
    /// assert_eq!(s.shocks(), &[Shock::spot_relative(Currency::ETH, -0.5)]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn from_log_moves(
        name: impl Into<String>,
        description: impl Into<String>,
        source: impl Into<String>,
        moves: &[(Currency, f64)],
    ) -> Result<Self, RiskError> {
        let mut shocks = Vec::with_capacity(moves.len());
        for (index, &(asset, x)) in moves.iter().enumerate() {
            if !x.is_finite() {
                return Err(RiskError::NonFinite {
                    name: "log move",
                    index,
                    value: x,
                });
            }
            shocks.push(Shock::spot_relative(asset, x.exp_m1()));
        }
        Self::new(name, description, source, shocks)
    }

    /// The shocks, in the order they apply.
    ///
    /// ```
    /// use derisk::market::Shock;
    /// let s = derisk::risk::StressScenario::new("v", "", "", vec![Shock::vol_parallel(0.1)])?;
    /// assert_eq!(s.shocks().len(), 1);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    #[must_use]
    pub fn shocks(&self) -> &[Shock] {
        &self.shocks
    }

    /// The same shocks as a [`NamedScenario`] (for tables that only need name and shocks).
    ///
    /// ```
    /// use derisk::market::Shock;
    /// let s = derisk::risk::StressScenario::new("v", "", "", vec![Shock::vol_parallel(0.1)])?;
    /// assert_eq!(s.to_named().name, "v");
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    #[must_use]
    pub fn to_named(&self) -> NamedScenario {
        NamedScenario::new(self.name.clone(), self.shocks.clone())
    }
}

impl Scenario for StressScenario {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        self.shocks.apply(market)
    }
}

/// The historical scenarios of crisis windows: for each window and horizon h, one scenario
/// moving every asset by its own worst h-day close-to-close log move inside the window.
///
/// ```text
/// scenario(window, h):  S_a → S_a·exp(min_i ln(C_a[i+h]/C_a[i]))   for every asset a
/// name = "<window name> <h>d"
/// ```
///
/// Each asset takes its own worst move, so the scenario is at least as severe as any one
/// historical day for every asset (the worst days of BTC and ETH in a window usually coincide;
/// where they do not, this is the conservative choice). See [`CrisisWindow::worst_close_move`].
///
/// # Errors
///
/// As [`CrisisWindow::worst_close_move`] for any history; [`RiskError::EmptyScenario`] with
/// no history.
///
/// ```
/// use derisk::market::{Currency, Instant, Shock};
/// use derisk::risk::{historical_scenarios, AssetHistory, CrisisWindow};
/// let day = |d| Instant::from_utc(2024, 8, d, 0, 0, 0);
/// let days = [day(4)?, day(5)?, day(6)?];
/// let w = CrisisWindow::around("aug", "", day(5)?, 3)?;
/// let btc = AssetHistory { asset: Currency::BTC, days: &days, closes: &[100.0, 80.0, 90.0] };
/// let s = historical_scenarios(&[w], &[btc], &[1])?;
/// assert_eq!(s[0].name, "aug 1d");
/// assert!(matches!(s[0].shocks()[0], Shock::SpotRelative { change, .. } if (change + 0.2).abs() < 1e-15));
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn historical_scenarios(
    windows: &[CrisisWindow],
    histories: &[AssetHistory<'_>],
    horizons: &[usize],
) -> Result<Vec<StressScenario>, RiskError> {
    let mut out = Vec::with_capacity(windows.len() * horizons.len());
    for w in windows {
        for &h in horizons {
            let mut moves = Vec::with_capacity(histories.len());
            for a in histories {
                moves.push((a.asset, w.worst_close_move(a.days, a.closes, h)?.log_move));
            }
            out.push(StressScenario::from_log_moves(
                format!("{} {h}d", w.name),
                format!(
                    "worst {h}-day close-to-close move of each asset: {}",
                    w.description
                ),
                "historical daily closes in the window",
                &moves,
            )?);
        }
    }
    Ok(out)
}

/// A library of stress scenarios with unique names, in insertion order; users add their own.
///
/// ```text
/// run(book, m) = [ (name_i, V(scenario_i(m)) − V(m)) ]      (full revaluation, gain positive)
/// ```
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Shock};
/// use derisk::portfolio::{Book, Contract, Position};
/// use derisk::risk::{ScenarioLibrary, StressScenario};
/// let mut lib = ScenarioLibrary::new();
/// lib.insert(StressScenario::new("crash", "", "hypothetical", vec![Shock::spot_relative(Currency::BTC, -0.3)])?)?;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
/// let r = lib.run(&book, &m, Currency::USD)?;
/// assert_eq!(r[0].0, "crash");
/// assert!((r[0].1 + 30_000.0).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioLibrary {
    scenarios: Vec<StressScenario>,
}

impl ScenarioLibrary {
    /// An empty library.
    ///
    /// ```
    /// assert!(derisk::risk::ScenarioLibrary::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a scenario.
    ///
    /// # Errors
    ///
    /// [`RiskError::DuplicateScenario`] if one of that name is already in.
    ///
    /// ```
    /// use derisk::market::Shock;
    /// use derisk::risk::{ScenarioLibrary, StressScenario};
    /// let s = StressScenario::new("v", "", "", vec![Shock::vol_parallel(0.1)])?;
    /// let mut lib = ScenarioLibrary::new();
    /// lib.insert(s.clone())?;
    /// assert!(lib.insert(s).is_err());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn insert(&mut self, scenario: StressScenario) -> Result<(), RiskError> {
        if self.get(&scenario.name).is_some() {
            return Err(RiskError::DuplicateScenario {
                name: scenario.name,
            });
        }
        self.scenarios.push(scenario);
        Ok(())
    }

    /// Adds every scenario of `scenarios` ([`ScenarioLibrary::insert`] each, stopping at the
    /// first duplicate).
    ///
    /// # Errors
    ///
    /// [`RiskError::DuplicateScenario`].
    ///
    /// ```
    /// use derisk::market::Shock;
    /// use derisk::risk::{ScenarioLibrary, StressScenario};
    /// let mut lib = ScenarioLibrary::new();
    /// lib.extend([StressScenario::new("a", "", "", vec![Shock::vol_parallel(0.1)])?])?;
    /// assert_eq!(lib.len(), 1);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn extend(
        &mut self,
        scenarios: impl IntoIterator<Item = StressScenario>,
    ) -> Result<(), RiskError> {
        scenarios.into_iter().try_for_each(|s| self.insert(s))
    }

    /// The scenario called `name`.
    ///
    /// ```
    /// assert!(derisk::risk::ScenarioLibrary::new().get("x").is_none());
    /// ```
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&StressScenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    /// The scenarios in insertion order.
    ///
    /// ```
    /// assert_eq!(derisk::risk::ScenarioLibrary::new().scenarios().len(), 0);
    /// ```
    #[must_use]
    pub fn scenarios(&self) -> &[StressScenario] {
        &self.scenarios
    }

    /// Number of scenarios.
    ///
    /// ```
    /// assert_eq!(derisk::risk::ScenarioLibrary::new().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// `true` with no scenario.
    ///
    /// ```
    /// assert!(derisk::risk::ScenarioLibrary::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    /// The book's stress P&L in `currency` under every scenario, by full revaluation
    /// ([`book_pnl`](crate::risk::book_pnl), through [`Book::revalue_many`]).
    ///
    /// # Errors
    ///
    /// As [`book_pnl`](crate::risk::book_pnl): [`RiskError::Scenario`] names the index of the
    /// first scenario that does not apply or value.
    pub fn run<I: Instrument + Sync>(
        &self,
        book: &Book<I>,
        base: &MarketState,
        currency: Currency,
    ) -> Result<Vec<(String, f64)>, RiskError> {
        let pnl = book_pnl(book, base, &self.scenarios, currency)?;
        Ok(self
            .scenarios
            .iter()
            .map(|s| s.name.clone())
            .zip(pnl)
            .collect())
    }
}
