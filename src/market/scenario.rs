//! Scenarios: composable, serialisable shocks of a market state.

use super::currency::Currency;
use super::error::{finite, MarketError};
use super::state::{MarketState, VolAdjustment, VolDynamics};

/// A transformation of a market state: applying it returns a new state, the old one unchanged.
///
/// Implemented by [`Shock`] (one move), by slices and vectors of scenarios (applied in order),
/// and by [`NamedScenario`]; downstream crates implement it for their own shocks.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Scenario, Shock};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let crash = [Shock::spot_relative(Currency::BTC, -0.30), Shock::roll_days(1.0)];
/// let after = crash.apply(&m)?;
/// assert_eq!(after.spot(Currency::BTC)?, 70_000.0);
/// assert_eq!(m.spot(Currency::BTC)?, 100_000.0); // the original is untouched
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
pub trait Scenario {
    /// The shocked state.
    ///
    /// # Errors
    ///
    /// A [`MarketError`] if the shock does not apply (an asset or curve the state lacks, a move
    /// that leaves a price or volatility invalid).
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError>;
}

/// One elementary move of a market state. Serialisable, so scenario libraries can be stored.
///
/// Spot moves shift the spot and every forward of the asset in proportion; `asset: None` moves
/// every underlying (or every vol surface, every discount curve).
///
/// ```
/// use derisk::market::{Currency, Shock, VolDynamics};
/// let s = Shock::SpotRelative { asset: Some(Currency::ETH), change: -0.2, dynamics: VolDynamics::StickyMoneyness };
/// assert_ne!(s, Shock::spot_relative(Currency::ETH, -0.2)); // that one is sticky strike
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "shock", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Shock {
    /// S → S·(1 + change) (change = −0.3 is a 30 % fall).
    SpotRelative {
        /// The asset, or every underlying.
        asset: Option<Currency>,
        /// Relative change, > −1.
        change: f64,
        /// How vols move with the spot.
        dynamics: VolDynamics,
    },
    /// S → S + change (in the quote currency).
    SpotAbsolute {
        /// The asset.
        asset: Currency,
        /// Absolute change; S + change must stay > 0.
        change: f64,
        /// How vols move with the spot.
        dynamics: VolDynamics,
    },
    /// Implied volatilities adjusted (parallel points, relative, or by expiry).
    Vol {
        /// The asset, or every surface.
        asset: Option<Currency>,
        /// The adjustment.
        adjustment: VolAdjustment,
    },
    /// The valuation instant moved by `seconds` with everything else frozen (see
    /// [`MarketState::rolled_to`]); options that expire on the way settle at the frozen forward.
    TimeRoll {
        /// Seconds to move (86,400 = one day).
        seconds: f64,
    },
    /// Zero rates of a currency's discount curve (or all) shifted in parallel.
    Rate {
        /// The currency, or every curve.
        currency: Option<Currency>,
        /// The shift (0.01 = 100 bp).
        change: f64,
    },
    /// The FX rate of a currency (its price in the quote currency) × (1 + change).
    FxRelative {
        /// The currency.
        currency: Currency,
        /// Relative change, > −1.
        change: f64,
    },
    /// The funding rate of an asset's perpetual set to `rate_per_year`.
    Funding {
        /// The asset.
        asset: Currency,
        /// The new rate per year.
        rate_per_year: f64,
    },
}

impl Shock {
    /// A relative spot move of one asset, sticky strike.
    #[must_use]
    pub const fn spot_relative(asset: Currency, change: f64) -> Self {
        Self::SpotRelative {
            asset: Some(asset),
            change,
            dynamics: VolDynamics::StickyStrike,
        }
    }

    /// A parallel shift of every implied volatility by `points` (0.10 = ten vol points).
    #[must_use]
    pub const fn vol_parallel(points: f64) -> Self {
        Self::Vol {
            asset: None,
            adjustment: VolAdjustment::Parallel(points),
        }
    }

    /// A time roll of `days` of 86,400 s.
    #[must_use]
    pub fn roll_days(days: f64) -> Self {
        Self::TimeRoll {
            seconds: days * 86_400.0,
        }
    }
}

fn relative_factor(name: &'static str, change: f64) -> Result<f64, MarketError> {
    let factor = 1.0 + finite(name, change)?;
    if factor > 0.0 {
        Ok(factor)
    } else {
        Err(MarketError::InvalidValue {
            name,
            value: change,
            reason: "a relative change must be above -1",
        })
    }
}

impl Scenario for Shock {
    fn apply(&self, m: &MarketState) -> Result<MarketState, MarketError> {
        match *self {
            Self::SpotRelative {
                asset,
                change,
                dynamics,
            } => {
                let factor = relative_factor("spot change", change)?;
                let assets: Vec<Currency> = match asset {
                    Some(a) => vec![a],
                    None => m.underlyings().collect(),
                };
                let mut out = m.clone();
                for a in assets {
                    out = out.with_spot(a, out.spot(a)? * factor, dynamics)?;
                }
                Ok(out)
            }
            Self::SpotAbsolute {
                asset,
                change,
                dynamics,
            } => m.with_spot(
                asset,
                m.spot(asset)? + finite("spot change", change)?,
                dynamics,
            ),
            Self::Vol {
                asset,
                ref adjustment,
            } => m.with_vol_adjustment(asset, adjustment.clone()),
            Self::TimeRoll { seconds } => Ok(m.rolled_to(m.valuation().plus_seconds(seconds)?)),
            Self::Rate { currency, change } => m.with_rate_shift(currency, change),
            Self::FxRelative { currency, change } => {
                let factor = relative_factor("fx change", change)?;
                m.with_fx_rate(currency, m.price_of(currency)? * factor)
            }
            Self::Funding {
                asset,
                rate_per_year,
            } => m.with_funding_rate(asset, rate_per_year),
        }
    }
}

impl<S: Scenario> Scenario for [S] {
    /// Applies each scenario in order.
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        let mut out = market.clone();
        for s in self {
            out = s.apply(&out)?;
        }
        Ok(out)
    }
}

impl<S: Scenario, const N: usize> Scenario for [S; N] {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        self.as_slice().apply(market)
    }
}

impl<S: Scenario> Scenario for Vec<S> {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        self.as_slice().apply(market)
    }
}

impl<S: Scenario + ?Sized> Scenario for &S {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        (**self).apply(market)
    }
}

impl<S: Scenario + ?Sized> Scenario for Box<S> {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        (**self).apply(market)
    }
}

impl<S: Scenario + ?Sized> Scenario for std::sync::Arc<S> {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        (**self).apply(market)
    }
}

/// A named list of shocks applied in order: one row of a stress table.
///
/// ```
/// use derisk::market::{Currency, NamedScenario, Shock};
/// let crash = NamedScenario::new("crash", vec![
///     Shock::spot_relative(Currency::BTC, -0.3), Shock::vol_parallel(0.10), Shock::roll_days(1.0),
/// ]);
/// assert_eq!(crash.name, "crash");
/// assert_eq!(crash.shocks.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NamedScenario {
    /// The label shown in reports.
    pub name: String,
    /// The shocks, applied in order.
    pub shocks: Vec<Shock>,
}

impl NamedScenario {
    /// A scenario called `name` made of `shocks`.
    #[must_use]
    pub fn new(name: impl Into<String>, shocks: Vec<Shock>) -> Self {
        Self {
            name: name.into(),
            shocks,
        }
    }
}

impl Scenario for NamedScenario {
    fn apply(&self, market: &MarketState) -> Result<MarketState, MarketError> {
        self.shocks.apply(market)
    }
}
