//! SPAN: sixteen risk-array scenarios, scanning risk, composite delta, the intra-commodity
//! spread charge and the short option minimum.

use crate::market::{Currency, Instant, MarketState, Scenario, Shock, VolAdjustment, VolDynamics};
use crate::portfolio::{Book, Contract, Instrument};

use super::super::error::{check_finite, MarginError};
use super::super::traits::{PortfolioMarginModel, PortfolioRequirement};
use super::book::segregate;

/// One of SPAN's sixteen risk scenarios: a move of the underlying in multiples of the price
/// scan range, a move of volatility in multiples of the vol scan range, and the fraction of the
/// loss covered.
///
/// ```
/// use derisk::margin::SPAN_SCENARIOS;
/// assert_eq!(SPAN_SCENARIOS[14].price_multiple, 2.0);   // scenario 15: extreme up move
/// assert_eq!(SPAN_SCENARIOS[14].weight, 0.35);          // covered at 35 %
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanScenario {
    /// Price move in multiples of the price scan range (±1/3, ±2/3, ±1; ±2 for the extremes,
    /// scaled by [`SpanParams::extreme_multiple`] / 2 when a risk array is built).
    pub price_multiple: f64,
    /// Volatility move in multiples of the vol scan range (+1, −1; 0 for the extremes).
    pub vol_multiple: f64,
    /// Fraction of the loss counted (1; [`SpanParams::extreme_cover`] for the extremes).
    pub weight: f64,
}

const fn sc(price_multiple: f64, vol_multiple: f64, weight: f64) -> SpanScenario {
    SpanScenario {
        price_multiple,
        vol_multiple,
        weight,
    }
}

/// SPAN's standard sixteen scenarios, in the clearing houses' order:
///
/// ```text
/// 1–2   price 0      vol ±1        9–10  price −2/3   vol ±1
/// 3–4   price +1/3   vol ±1        11–12 price +1     vol ±1
/// 5–6   price −1/3   vol ±1        13–14 price −1     vol ±1
/// 7–8   price +2/3   vol ±1        15–16 price ±2 (extreme)  vol 0   weight 0.35
/// ```
///
/// Sources: CME Group pubspan "Risk Arrays" report page (cmegroup.com/confluence/display/pubspan,
/// the scenario list); Lovely Professional University, "Financial Derivatives" (DCOM510), Table
/// 12.1 (the same sixteen rows, extremes ±2 at 35 %).
pub const SPAN_SCENARIOS: [SpanScenario; 16] = [
    sc(0.0, 1.0, 1.0),
    sc(0.0, -1.0, 1.0),
    sc(1.0 / 3.0, 1.0, 1.0),
    sc(1.0 / 3.0, -1.0, 1.0),
    sc(-1.0 / 3.0, 1.0, 1.0),
    sc(-1.0 / 3.0, -1.0, 1.0),
    sc(2.0 / 3.0, 1.0, 1.0),
    sc(2.0 / 3.0, -1.0, 1.0),
    sc(-2.0 / 3.0, 1.0, 1.0),
    sc(-2.0 / 3.0, -1.0, 1.0),
    sc(1.0, 1.0, 1.0),
    sc(1.0, -1.0, 1.0),
    sc(-1.0, 1.0, 1.0),
    sc(-1.0, -1.0, 1.0),
    sc(2.0, 0.0, 0.35),
    sc(-2.0, 0.0, 0.35),
];

/// The scan ranges of a SPAN risk array built from a pricing model.
///
/// ```text
/// scenario s:  S → S·(1 + price_multiple_s·k·R)   σ → σ + vol_multiple_s·V   t → t + h days
///              k = extreme_multiple/2 for the two extremes, 1 otherwise
/// array_s = −weight_s · (V_s − V_0)          (a loss is positive, per contract, settlement ccy)
/// ```
///
/// R is relative (0.16 = 16 % of the underlying), V in vol points (0.1 = ten points).
///
/// ```
/// use derisk::margin::SpanParams;
/// let p = SpanParams::new(0.16, 0.10)?;
/// assert_eq!((p.extreme_multiple, p.extreme_cover, p.holding_days), (2.0, 0.35, 1.0));
/// assert!(SpanParams::new(-0.16, 0.10).is_err());
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanParams {
    /// R: price scan range, relative to the underlying.
    pub price_scan: f64,
    /// V: volatility scan range, vol points.
    pub vol_scan: f64,
    /// Extreme move in multiples of R (2 in the standard table; some houses use 3).
    pub extreme_multiple: f64,
    /// Fraction of the extreme-move loss covered (0.35).
    pub extreme_cover: f64,
    /// Days the options age over the scenario (1: "the next trading day").
    pub holding_days: f64,
}

impl SpanParams {
    /// Scan ranges R and V with the standard extremes (2R at 35 %) over one day.
    ///
    /// # Errors
    ///
    /// [`MarginError::NegativeScanRange`] for a negative or non-finite range.
    pub fn new(price_scan: f64, vol_scan: f64) -> Result<Self, MarginError> {
        let p = Self {
            price_scan,
            vol_scan,
            extreme_multiple: 2.0,
            extreme_cover: 0.35,
            holding_days: 1.0,
        };
        p.validate()?;
        Ok(p)
    }

    /// Checks every field.
    ///
    /// # Errors
    ///
    /// [`MarginError::NegativeScanRange`] for a negative or non-finite range, multiple, cover or
    /// holding period; [`MarginError::InvalidParameter`] for a cover above 1 or a downward
    /// extreme move of 100 % or more.
    pub fn validate(&self) -> Result<(), MarginError> {
        for (name, value) in [
            ("price scan range", self.price_scan),
            ("volatility scan range", self.vol_scan),
            ("extreme move multiple", self.extreme_multiple),
            ("extreme move cover", self.extreme_cover),
            ("holding days", self.holding_days),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(MarginError::NegativeScanRange { name, value });
            }
        }
        if self.extreme_cover > 1.0 {
            return Err(MarginError::InvalidParameter {
                name: "extreme move cover",
                value: self.extreme_cover,
            });
        }
        if self.price_scan.max(self.price_scan * self.extreme_multiple) >= 1.0 {
            return Err(MarginError::InvalidParameter {
                name: "largest downward price scan",
                value: self.price_scan * self.extreme_multiple.max(1.0),
            });
        }
        Ok(())
    }

    /// The relative price move, vol move and weight of scenario `s` (0-based).
    fn point(&self, s: &SpanScenario) -> (f64, f64, f64) {
        if s.vol_multiple == 0.0 {
            let sign = s.price_multiple.signum();
            (
                sign * self.extreme_multiple * self.price_scan,
                0.0,
                self.extreme_cover,
            )
        } else {
            (
                s.price_multiple * self.price_scan,
                s.vol_multiple * self.vol_scan,
                1.0,
            )
        }
    }

    /// The market states of the sixteen scenarios (and their weights).
    fn states(&self, market: &MarketState) -> Result<Vec<(MarketState, f64)>, MarginError> {
        self.validate()?;
        SPAN_SCENARIOS
            .iter()
            .map(|s| {
                let (dp, dv, w) = self.point(s);
                let mut shocks = vec![Shock::SpotRelative {
                    asset: None,
                    change: dp,
                    dynamics: VolDynamics::StickyStrike,
                }];
                if dv != 0.0 {
                    shocks.push(Shock::Vol {
                        asset: None,
                        adjustment: VolAdjustment::Parallel(dv),
                    });
                }
                if self.holding_days > 0.0 {
                    shocks.push(Shock::roll_days(self.holding_days));
                }
                let m = shocks
                    .apply(market)
                    .map_err(|e| MarginError::Portfolio(e.into()))?;
                Ok((m, w))
            })
            .collect()
    }
}

/// A contract's SPAN risk array: its loss (positive) per contract under each of the sixteen
/// scenarios, extremes already weighted, with its composite delta.
///
/// ```
/// use derisk::margin::RiskArray;
/// // a future with a 10,000 USD price scan range: −1/3, … of the range; extremes 2 × 35 %
/// let f = RiskArray::linear(10_000.0, 2.0, 0.35)?;
/// assert_eq!(f.losses()[12], 10_000.0);            // scenario 13: price down the full range
/// assert!((f.losses()[15] - 7_000.0).abs() < 1e-9); // scenario 16: 2 × 10,000 × 0.35
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskArray {
    losses: [f64; 16],
    composite_delta: f64,
}

impl RiskArray {
    /// A published array (losses positive, gains negative, as clearing houses print them; the
    /// extremes already weighted) with its composite delta per contract.
    ///
    /// # Errors
    ///
    /// [`MarginError::OutOfRange`] for a value that is not finite.
    pub fn new(losses: [f64; 16], composite_delta: f64) -> Result<Self, MarginError> {
        for x in losses {
            check_finite("risk array value", x)?;
        }
        check_finite("composite delta", composite_delta)?;
        Ok(Self {
            losses,
            composite_delta,
        })
    }

    /// The array of a linear contract (a future) whose value moves one for one with the
    /// underlying, for a price scan range `range` in money per contract: loss = −move, delta 1.
    ///
    /// # Errors
    ///
    /// [`MarginError::NegativeScanRange`] for a negative range, multiple or cover.
    pub fn linear(
        range: f64,
        extreme_multiple: f64,
        extreme_cover: f64,
    ) -> Result<Self, MarginError> {
        for (name, value) in [
            ("price scan range", range),
            ("extreme move multiple", extreme_multiple),
            ("extreme move cover", extreme_cover),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(MarginError::NegativeScanRange { name, value });
            }
        }
        let mut losses = [0.0; 16];
        for (l, s) in losses.iter_mut().zip(&SPAN_SCENARIOS) {
            *l = if s.vol_multiple == 0.0 {
                -s.price_multiple.signum() * extreme_multiple * range * extreme_cover
            } else {
                -s.price_multiple * range
            };
        }
        Self::new(losses, 1.0)
    }

    /// The array of one contract held long, by full revaluation under `params`' scenarios, in
    /// its settlement currency; the composite delta is the mean of its deltas (coins) at the
    /// seven price points of scenarios 1–14 with vols unchanged.
    ///
    /// # Errors
    ///
    /// As [`SpanParams::validate`]; [`MarginError::Portfolio`] if the contract cannot be valued.
    pub fn from_contract<I: Instrument>(
        contract: &I,
        entry_price: f64,
        market: &MarketState,
        params: &SpanParams,
    ) -> Result<Self, MarginError> {
        let states = params.states(market)?;
        let deltas = params.delta_states(market)?;
        Self::build(contract, entry_price, market, &states, &deltas)
    }

    fn build<I: Instrument>(
        contract: &I,
        entry: f64,
        market: &MarketState,
        states: &[(MarketState, f64)],
        delta_states: &[MarketState],
    ) -> Result<Self, MarginError> {
        let v0 = contract.value(market, entry)?;
        let mut losses = [0.0; 16];
        for (l, (m, w)) in losses.iter_mut().zip(states) {
            *l = -w * (contract.value(m, entry)? - v0);
        }
        let mut delta = 0.0;
        for m in delta_states {
            // coins of the underlying per contract: the quote-currency delta
            delta += contract.sensitivities(m, entry)?.delta;
        }
        Self::new(losses, delta / delta_states.len() as f64)
    }

    /// The sixteen losses per contract.
    #[must_use]
    pub fn losses(&self) -> &[f64; 16] {
        &self.losses
    }

    /// The composite delta per contract.
    #[must_use]
    pub fn composite_delta(&self) -> f64 {
        self.composite_delta
    }
}

impl SpanParams {
    /// The seven price points of scenarios 1–14, vols unchanged, for the composite delta.
    fn delta_states(&self, market: &MarketState) -> Result<Vec<MarketState>, MarginError> {
        self.validate()?;
        [-1.0, -2.0 / 3.0, -1.0 / 3.0, 0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]
            .iter()
            .map(|k| {
                let mut shocks = vec![Shock::SpotRelative {
                    asset: None,
                    change: k * self.price_scan,
                    dynamics: VolDynamics::StickyStrike,
                }];
                if self.holding_days > 0.0 {
                    shocks.push(Shock::roll_days(self.holding_days));
                }
                shocks
                    .apply(market)
                    .map_err(|e| MarginError::Portfolio(e.into()))
            })
            .collect()
    }
}

/// A holding in a SPAN portfolio: a risk array, a signed quantity, the tier (expiry) of the
/// intra-commodity spread charge and whether it is an option (for the short option minimum).
///
/// ```
/// use derisk::margin::{RiskArray, SpanPosition};
/// let p = SpanPosition { array: RiskArray::linear(1.0, 2.0, 0.35)?, quantity: -2.0, tier: None, option: false };
/// assert_eq!(p.quantity, -2.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanPosition {
    /// The contract's risk array.
    pub array: RiskArray,
    /// Signed number of contracts (negative is short).
    pub quantity: f64,
    /// Its expiry tier for the spread charge (`None`: a perpetual or spot, a tier of its own).
    pub tier: Option<Instant>,
    /// `true` for an option.
    pub option: bool,
}

/// The charges SPAN adds to scanning risk.
///
/// ```
/// let r = derisk::margin::SpanRates { intra_spread: 0.01, short_option_minimum: 0.005 };
/// assert!(r.intra_spread > r.short_option_minimum);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanRates {
    /// Charge per unit of delta spread between expiry tiers (money per delta).
    pub intra_spread: f64,
    /// Minimum charge per short option contract.
    pub short_option_minimum: f64,
}

/// A SPAN requirement, component by component.
///
/// ```
/// let r = derisk::margin::SpanMargin::default();
/// assert_eq!(r.requirement, 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanMargin {
    /// The portfolio's loss under each scenario (Σ quantity × array).
    pub scenario_losses: [f64; 16],
    /// Scanning risk: max(0, the largest scenario loss).
    pub scanning_risk: f64,
    /// The 0-based index of the scenario that sets it.
    pub worst_scenario: usize,
    /// Intra-commodity spread charge.
    pub intra_spread_charge: f64,
    /// Short option minimum.
    pub short_option_minimum: f64,
    /// max(scanning risk + spread charge, short option minimum).
    pub requirement: f64,
}

/// The SPAN requirement of a portfolio:
///
/// ```text
/// loss_s        = Σ_p q_p · array_p[s]
/// scanning      = max(0, max_s loss_s)
/// net delta_t   = Σ_{p in tier t} q_p · δ_p
/// spreads       = min(Σ_t max(net_t, 0), Σ_t max(−net_t, 0))
/// spread charge = spreads · intra_spread
/// SOM           = Σ_{short options} |q_p| · short_option_minimum
/// requirement   = max(scanning + spread charge, SOM)
/// ```
///
/// Sources: CME Group's public SPAN pages (cmegroup.com/confluence/display/pubspan, "Risk
/// Arrays": the sixteen scenarios, composite delta as a weighted average of the deltas at the
/// scan points; scanning risk, intra-commodity spread charge by tier and short option minimum as
/// the SPAN components); L. McMillan, "Options as a Strategic Investment", 5th ed., ch. 34
/// (worked risk arrays of a long call and a covered write).
///
/// # Errors
///
/// [`MarginError::EmptyScenarioGrid`] for no positions; [`MarginError::NegativeScanRange`] for a
/// negative rate; [`MarginError::OutOfRange`] on overflow.
///
/// ```
/// use derisk::margin::{span_margin, RiskArray, SpanPosition, SpanRates};
/// // McMillan ch. 34: long 1 S&P future, 10,000 USD scan range: worst loss 10,000 (price down)
/// let f = SpanPosition { array: RiskArray::linear(10_000.0, 2.0, 0.35)?, quantity: 1.0, tier: None, option: false };
/// let r = span_margin(&[f], &SpanRates::default())?;
/// assert_eq!((r.scanning_risk, r.worst_scenario), (10_000.0, 12));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn span_margin(
    positions: &[SpanPosition],
    rates: &SpanRates,
) -> Result<SpanMargin, MarginError> {
    if positions.is_empty() {
        return Err(MarginError::EmptyScenarioGrid {
            what: "SPAN portfolio",
        });
    }
    for (name, value) in [
        ("intra-commodity spread rate", rates.intra_spread),
        ("short option minimum", rates.short_option_minimum),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(MarginError::NegativeScanRange { name, value });
        }
    }
    let mut losses = [0.0; 16];
    let mut tiers: Vec<(Option<Instant>, f64)> = Vec::new();
    let mut short_options = 0.0;
    for p in positions {
        if !p.quantity.is_finite() {
            return Err(MarginError::InvalidSize { size: p.quantity });
        }
        for (l, a) in losses.iter_mut().zip(p.array.losses) {
            *l += p.quantity * a;
        }
        let d = p.quantity * p.array.composite_delta;
        match tiers.iter_mut().find(|t| t.0 == p.tier) {
            Some(t) => t.1 += d,
            None => tiers.push((p.tier, d)),
        }
        if p.option && p.quantity < 0.0 {
            short_options -= p.quantity;
        }
    }
    let mut worst = 0;
    for (s, &l) in losses.iter().enumerate() {
        check_finite("scenario loss", l)?;
        if l > losses[worst] {
            worst = s;
        }
    }
    let scanning = losses[worst].max(0.0);
    let long: f64 = tiers.iter().map(|t| t.1.max(0.0)).sum();
    let short: f64 = tiers.iter().map(|t| (-t.1).max(0.0)).sum();
    let spread = long.min(short) * rates.intra_spread;
    let som = short_options * rates.short_option_minimum;
    Ok(SpanMargin {
        scenario_losses: losses,
        scanning_risk: scanning,
        worst_scenario: worst,
        intra_spread_charge: check_finite("spread charge", spread)?,
        short_option_minimum: check_finite("short option minimum", som)?,
        requirement: check_finite("span requirement", (scanning + spread).max(som))?,
    })
}

/// SPAN with risk arrays built from the market's pricing (full revaluation of each contract):
/// the [`PortfolioMarginModel`] form of [`span_margin`]. Initial margin is `initial_factor` ×
/// maintenance (CME's speculative ratio: 1.1 for most products).
///
/// ```
/// use derisk::margin::{SpanModel, SpanParams, SpanRates};
/// let m = SpanModel { params: SpanParams::new(0.16, 0.1)?, rates: SpanRates::default(), initial_factor: 1.1 };
/// assert_eq!(m.initial_factor, 1.1);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpanModel {
    /// Scan ranges.
    pub params: SpanParams,
    /// Spread and short-option charges.
    pub rates: SpanRates,
    /// IM / MM (≥ 1).
    pub initial_factor: f64,
}

impl SpanModel {
    /// The SPAN positions of the book's positions settling in `currency` (arrays in `currency`
    /// per contract), with the market states built once for all contracts.
    ///
    /// # Errors
    ///
    /// As [`RiskArray::from_contract`]; [`MarginError::ExpiredPosition`].
    pub fn positions(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<Vec<SpanPosition>, MarginError> {
        let (own, _) = segregate(book, market, currency)?;
        let states = self.params.states(market)?;
        let deltas = self.params.delta_states(market)?;
        own.iter()
            .map(|(_, p)| {
                Ok(SpanPosition {
                    array: RiskArray::build(
                        &p.instrument,
                        p.entry_price,
                        market,
                        &states,
                        &deltas,
                    )?,
                    quantity: p.quantity,
                    tier: p.instrument.expiry(),
                    option: p.instrument.strike().is_some(),
                })
            })
            .collect()
    }

    /// The full SPAN calculation of the book's positions settling in `currency`.
    ///
    /// # Errors
    ///
    /// As [`SpanModel::positions`] and [`span_margin`].
    pub fn margin(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<SpanMargin, MarginError> {
        let positions = self.positions(book, market, currency)?;
        if positions.is_empty() {
            return Ok(SpanMargin::default());
        }
        span_margin(&positions, &self.rates)
    }
}

impl PortfolioMarginModel for SpanModel {
    fn requirement(
        &self,
        book: &Book<Contract>,
        market: &MarketState,
        currency: Currency,
    ) -> Result<PortfolioRequirement, MarginError> {
        if !(self.initial_factor.is_finite() && self.initial_factor >= 1.0) {
            return Err(MarginError::InvalidParameter {
                name: "initial factor",
                value: self.initial_factor,
            });
        }
        let m = self.margin(book, market, currency)?;
        Ok(PortfolioRequirement {
            currency,
            initial: m.requirement * self.initial_factor,
            maintenance: m.requirement,
        })
    }
}
