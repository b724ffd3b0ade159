//! A book's margin under stress: the requirement across stress scenarios and the distance to a
//! margin call.

use crate::market::{Currency, MarketState, NamedScenario, Scenario, Shock};
use crate::math::{brent, RootOptions};
use crate::portfolio::{Book, Contract};

use super::super::error::{check_finite, MarginError};
use super::super::traits::PortfolioMarginModel;

/// One row of a stress table of the requirement.
///
/// ```
/// let r = derisk::margin::StressedMargin { name: "crash".into(), equity: 1.0, maintenance: 0.4 };
/// assert_eq!(r.excess(), 0.6);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StressedMargin {
    /// The scenario's name.
    pub name: String,
    /// Collateral + book value in the scenario (margin currency).
    pub equity: f64,
    /// The maintenance requirement in the scenario.
    pub maintenance: f64,
}

impl StressedMargin {
    /// equity − maintenance: negative means a margin call.
    #[must_use]
    pub fn excess(&self) -> f64 {
        self.equity - self.maintenance
    }
}

/// Equity and requirement of the book after each scenario:
///
/// ```text
/// equity_s = collateral + V_s(book),   MM_s = model.requirement(book, market after s)
/// ```
///
/// `collateral` is the cash balance in `currency` (constant across scenarios: a coin balance of a
/// coin-margined account is its own currency).
///
/// # Errors
///
/// [`MarginError::InvalidAmount`] for a collateral that is negative or not finite; the model's
/// errors; [`MarginError::Portfolio`] for a scenario that does not apply.
///
/// ```
/// use derisk::margin::{margin_under_stress, DeribitPortfolioMargin};
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, NamedScenario, Shock};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?).build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::inverse_perpetual(Currency::BTC, 10.0)?, 1_000.0, 100_000.0)?);
/// let crash = NamedScenario::new("crash", vec![Shock::spot_relative(Currency::BTC, -0.2)]);
/// let rows = margin_under_stress(&DeribitPortfolioMargin::deribit_btc(), &book, &m, Currency::BTC, 1.0, &[crash])?;
/// // 10,000 USD long at 100,000 → 80,000: 10,000·(1/100,000 − 1/80,000) = −0.025 BTC
/// assert!((rows[0].equity - 0.975).abs() < 1e-12);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn margin_under_stress<M: PortfolioMarginModel + ?Sized>(
    model: &M,
    book: &Book<Contract>,
    market: &MarketState,
    currency: Currency,
    collateral: f64,
    scenarios: &[NamedScenario],
) -> Result<Vec<StressedMargin>, MarginError> {
    let collateral = super::super::error::check_amount("collateral", collateral)?;
    scenarios
        .iter()
        .map(|s| {
            let m = s
                .apply(market)
                .map_err(|e| MarginError::Portfolio(e.into()))?;
            Ok(StressedMargin {
                name: s.name.clone(),
                equity: equity(book, &m, currency, collateral)?,
                maintenance: model.requirement(book, &m, currency)?.maintenance,
            })
        })
        .collect()
}

/// Collateral + the value of the positions settling in `currency`.
fn equity(
    book: &Book<Contract>,
    market: &MarketState,
    currency: Currency,
    collateral: f64,
) -> Result<f64, MarginError> {
    use crate::portfolio::Instrument;
    let mut v = collateral;
    for (_, p) in book.iter() {
        if p.instrument.settlement() == currency {
            v += p.quantity * p.instrument.value(market, p.entry_price)?;
        }
    }
    check_finite("equity", v)
}

/// The nearest relative moves of `asset`'s spot, down and up, at which equity falls to the
/// maintenance requirement (everything else unchanged); `None` on a side where it does not
/// within the search range (down to −95 %, up to +500 %).
///
/// ```
/// let d = derisk::margin::MarginCallDistance { down: Some(-0.2), up: None };
/// assert_eq!(d.nearest(), Some(-0.2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MarginCallDistance {
    /// The fall (negative) that triggers a margin call.
    pub down: Option<f64>,
    /// The rise (positive) that triggers a margin call.
    pub up: Option<f64>,
}

impl MarginCallDistance {
    /// The smaller of the two moves in size.
    #[must_use]
    pub fn nearest(&self) -> Option<f64> {
        match (self.down, self.up) {
            (Some(d), Some(u)) => Some(if -d <= u { d } else { u }),
            (d, u) => d.or(u),
        }
    }
}

/// The distance to a margin call: the spot moves x of `asset` solving
///
/// ```text
/// collateral + V(book | S·(1+x)) − MM(book | S·(1+x)) = 0
/// ```
///
/// nearest to 0 on each side, by the crate's Brent root finder ([`brent`]) after a scan of the
/// side in 5 % steps for the first sign change. Already below maintenance: both sides are 0.
///
/// # Errors
///
/// As [`margin_under_stress`].
///
/// ```
/// use derisk::margin::{distance_to_margin_call, DeribitPortfolioMargin};
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?).build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::inverse_perpetual(Currency::BTC, 10.0)?, 1_000.0, 100_000.0)?);
/// let d = distance_to_margin_call(&DeribitPortfolioMargin::deribit_btc(), &book, &m,
///     Currency::BTC, Currency::BTC, 0.05)?;
/// assert!(d.down.unwrap() < 0.0 && d.up.is_none());
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn distance_to_margin_call<M: PortfolioMarginModel + ?Sized>(
    model: &M,
    book: &Book<Contract>,
    market: &MarketState,
    currency: Currency,
    asset: Currency,
    collateral: f64,
) -> Result<MarginCallDistance, MarginError> {
    let collateral = super::super::error::check_amount("collateral", collateral)?;
    let excess = |x: f64| -> Result<f64, MarginError> {
        let m = Shock::spot_relative(asset, x)
            .apply(market)
            .map_err(|e| MarginError::Portfolio(e.into()))?;
        Ok(equity(book, &m, currency, collateral)?
            - model.requirement(book, &m, currency)?.maintenance)
    };
    let at_zero = excess(0.0)?;
    if at_zero <= 0.0 {
        return Ok(MarginCallDistance {
            down: Some(0.0),
            up: Some(0.0),
        });
    }
    let side = |end: f64| -> Result<Option<f64>, MarginError> {
        let steps = (end.abs() / 0.05).ceil() as usize;
        let mut lo = 0.0;
        for i in 1..=steps {
            let x = end * i as f64 / steps as f64;
            if excess(x)? <= 0.0 {
                let mut failure = None;
                let root = brent(
                    |y| match excess(y) {
                        Ok(v) => v,
                        Err(e) => {
                            failure.get_or_insert(e);
                            f64::NAN
                        }
                    },
                    lo,
                    x,
                    &RootOptions::default(),
                );
                if let Some(e) = failure {
                    return Err(e);
                }
                return Ok(Some(root.x));
            }
            lo = x;
        }
        Ok(None)
    };
    Ok(MarginCallDistance {
        down: side(-0.95)?,
        up: side(5.0)?,
    })
}
