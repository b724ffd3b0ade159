//! SA-CCR: the Basel standardised exposure at default of a netting set (replacement cost,
//! add-ons by asset class with the supervisory factors, multiplier, EAD = 1.4 (RC + PFE)).

use std::collections::BTreeMap;

use super::supervisory::{
    non_negative, positive, supervisory_duration, supervisory_option_delta, AssetClass,
    SupervisoryClass,
};
use crate::risk::error::RiskError;

/// The direction of a trade in its primary risk driver, for the supervisory delta δ.
///
/// ```
/// use derisk::risk::exposure::SaCcrDelta;
/// let d = SaCcrDelta::Linear { long: false };
/// assert_eq!(d, SaCcrDelta::Linear { long: false });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SaCcrDelta {
    /// A linear trade: δ = +1 long, −1 short in the primary risk driver.
    Linear {
        /// Long the risk driver.
        long: bool,
    },
    /// A European-style option: δ from the Black formula with the supervisory volatility.
    Option {
        /// Call (else put).
        call: bool,
        /// Bought (else sold).
        bought: bool,
        /// Underlying price P (> 0; for a swaption the forward swap rate).
        underlying: f64,
        /// Strike K (> 0).
        strike: f64,
        /// Latest exercise date T in years (> 0).
        exercise: f64,
    },
}

/// One trade of an SA-CCR netting set.
///
/// ```text
/// d  = notional · SD(S, E)  (interest rate, credit);   d = notional  (others: the adjusted
///      notional in the netting set's currency: FX foreign leg converted, equity/commodity
///      price × units)
/// MF = sqrt(min(max(M, 10/250), 1))          unmargined (CRE52.48)
///    = 1.5 · sqrt(MPoR_days / 250)           margined   (CRE52.52)
/// D  = δ · d · MF                            effective notional contribution
/// ```
///
/// `hedging_set`: the currency (interest rate), the currency pair (FX) or the hedging set
/// ("other": one per cryptoasset, e.g. "BTC"); ignored for credit and equity (one hedging set
/// each) and commodity (set by [`CommodityKind`](crate::risk::exposure::CommodityKind)). `risk_factor`: the reference entity or
/// index (credit, equity) or the commodity type (commodity, e.g. "crude oil"); ignored
/// otherwise. Reference: Basel Framework CRE52 (2023); BCBS 279 (2014), ¶¶ 155–187.
///
/// ```
/// use derisk::risk::exposure::{SaCcrDelta, SaCcrTrade, SupervisoryClass};
/// let t = SaCcrTrade::new(SupervisoryClass::InterestRate, "USD", "", 10_000.0, 30.0)
///     .dates(0.0, 10.0, 10.0)
///     .delta(SaCcrDelta::Linear { long: true });
/// assert_eq!(t.end, 10.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SaCcrTrade {
    /// Supervisory sub-class.
    pub class: SupervisoryClass,
    /// Hedging set key (see above).
    pub hedging_set: String,
    /// Risk factor key (see above).
    pub risk_factor: String,
    /// Trade notional (interest rate, credit) or adjusted notional (others), ≥ 0.
    pub notional: f64,
    /// Start date S in years (interest rate, credit).
    pub start: f64,
    /// End date E in years (interest rate, credit; also the interest rate maturity bucket).
    pub end: f64,
    /// Remaining maturity M in years (unmargined maturity factor).
    pub maturity: f64,
    /// Current mark-to-market value to us (gain positive).
    pub mtm: f64,
    /// Direction / option delta.
    pub delta: SaCcrDelta,
}

impl SaCcrTrade {
    /// A long linear trade with start 0, end = maturity = 1 year (set them with
    /// [`SaCcrTrade::dates`] and the direction with [`SaCcrTrade::delta`]).
    ///
    /// ```
    /// use derisk::risk::exposure::{SaCcrTrade, SupervisoryClass};
    /// let t = SaCcrTrade::new(SupervisoryClass::Other, "BTC", "", 5_000.0, 0.0);
    /// assert_eq!(t.maturity, 1.0);
    /// ```
    pub fn new(
        class: SupervisoryClass,
        hedging_set: &str,
        risk_factor: &str,
        notional: f64,
        mtm: f64,
    ) -> Self {
        Self {
            class,
            hedging_set: hedging_set.to_owned(),
            risk_factor: risk_factor.to_owned(),
            notional,
            start: 0.0,
            end: 1.0,
            maturity: 1.0,
            mtm,
            delta: SaCcrDelta::Linear { long: true },
        }
    }

    /// The same trade with start S, end E and remaining maturity M (years).
    ///
    /// ```
    /// use derisk::risk::exposure::{SaCcrTrade, SupervisoryClass};
    /// let t = SaCcrTrade::new(SupervisoryClass::Other, "BTC", "", 1.0, 0.0).dates(0.0, 0.5, 0.5);
    /// assert_eq!(t.maturity, 0.5);
    /// ```
    pub fn dates(mut self, start: f64, end: f64, maturity: f64) -> Self {
        self.start = start;
        self.end = end;
        self.maturity = maturity;
        self
    }

    /// The same trade with direction or option delta `delta`.
    ///
    /// ```
    /// use derisk::risk::exposure::{SaCcrDelta, SaCcrTrade, SupervisoryClass};
    /// let t = SaCcrTrade::new(SupervisoryClass::Other, "BTC", "", 1.0, 0.0)
    ///     .delta(SaCcrDelta::Linear { long: false });
    /// assert_eq!(t.delta, SaCcrDelta::Linear { long: false });
    /// ```
    pub fn delta(mut self, delta: SaCcrDelta) -> Self {
        self.delta = delta;
        self
    }

    fn supervisory_delta(&self) -> Result<f64, RiskError> {
        match self.delta {
            SaCcrDelta::Linear { long } => Ok(if long { 1.0 } else { -1.0 }),
            SaCcrDelta::Option {
                call,
                bought,
                underlying,
                strike,
                exercise,
            } => supervisory_option_delta(
                call,
                bought,
                underlying,
                strike,
                exercise,
                self.class.option_volatility(),
            ),
        }
    }

    fn adjusted_notional(&self) -> Result<f64, RiskError> {
        let n = non_negative("trade notional", self.notional)?;
        match self.class.asset_class() {
            AssetClass::InterestRate | AssetClass::Credit => {
                Ok(n * supervisory_duration(self.start, self.end)?)
            }
            _ => Ok(n),
        }
    }
}

/// How the netting set is margined (amounts in the netting set's currency).
///
/// ```
/// use derisk::risk::exposure::SaCcrMargin;
/// let m = SaCcrMargin::Unmargined { collateral: 0.0 };
/// assert_eq!(m, SaCcrMargin::Unmargined { collateral: 0.0 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SaCcrMargin {
    /// No variation margin agreement.
    Unmargined {
        /// C: haircut value of net collateral held (posted by us negative).
        collateral: f64,
    },
    /// A variation margin agreement.
    Margined {
        /// C: haircut value of net collateral held (variation margin and NICA).
        collateral: f64,
        /// TH: the threshold below which the counterparty posts no variation margin.
        threshold: f64,
        /// MTA: the minimum transfer amount.
        minimum_transfer: f64,
        /// NICA: net independent collateral amount held.
        nica: f64,
        /// Margin period of risk in business days (≥ 10 bilateral, 5 cleared).
        mpor_days: f64,
    },
}

/// The SA-CCR exposure of a netting set and its parts.
///
/// ```
/// use derisk::risk::exposure::{sa_ccr_ead, SaCcrMargin, SaCcrTrade, SupervisoryClass};
/// let t = SaCcrTrade::new(SupervisoryClass::Other, "BTC", "", 1_000.0, 50.0);
/// let e = sa_ccr_ead(&[t], SaCcrMargin::Unmargined { collateral: 0.0 })?;
/// assert!((e.ead - 1.4 * (50.0 + 80.0)).abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SaCcrExposure {
    /// RC: replacement cost.
    pub replacement_cost: f64,
    /// Aggregate add-on (sum over asset classes).
    pub add_on: f64,
    /// Add-on of each asset class present, in [`AssetClass`] order.
    pub add_on_by_class: Vec<(AssetClass, f64)>,
    /// PFE multiplier in [0.05, 1].
    pub multiplier: f64,
    /// PFE = multiplier · add-on.
    pub pfe: f64,
    /// EAD = 1.4 (RC + PFE) (margined: capped at the unmargined EAD).
    pub ead: f64,
}

/// Alpha of CRE52.1.
const ALPHA: f64 = 1.4;
/// Multiplier floor of CRE52.23.
const FLOOR: f64 = 0.05;

/// SA-CCR exposure at default of one netting set.
///
/// ```text
/// V = Σ_i MtM_i,   C = collateral held
/// RC = max(V − C, 0)                                   unmargined (CRE52.10)
///    = max(V − C, TH + MTA − NICA, 0)                  margined   (CRE52.18)
/// interest rate, per currency: D_b = Σ_{i in bucket b} D_i  (E < 1, 1 ≤ E ≤ 5, E > 5 years)
///    EN = sqrt(D1² + D2² + D3² + 1.4 D1D2 + 1.4 D2D3 + 0.6 D1D3),  AddOn_IR = SF Σ_ccy EN
/// FX, other, per hedging set: AddOn = Σ_hs |Σ_i SF_i D_i|
/// credit, equity (one set), commodity (per set): A_k = Σ_{i in k} SF_i D_i per entity/type
///    AddOn_hs = sqrt((Σ_k ρ_k A_k)² + Σ_k (1 − ρ_k²) A_k²)
/// AddOn = Σ_classes AddOn_class
/// multiplier = min(1, 0.05 + 0.95 · exp((V − C) / (2 · 0.95 · AddOn)))   (1 when AddOn = 0)
/// EAD = 1.4 · (RC + multiplier · AddOn)
/// ```
///
/// A margined netting set's EAD is capped at the EAD of the same set computed unmargined
/// (CRE52.2). Cryptoassets have no asset class in CRE52; derisk books them in the EU CRR's
/// "other" category (SF 8 %, σ 150 %), one hedging set per cryptoasset (see docs/exposure.md). References: BCBS, *The
/// standardised approach for measuring counterparty credit risk exposures* (BCBS 279, March
/// 2014, rev. April 2014), Annex 4 and the worked examples of Annex 4a; Basel Framework CRE52
/// (version effective 1 January 2023).
///
/// # Errors
///
/// [`RiskError::EmptyNettingSet`] for no trades; [`RiskError::InvalidParameter`] for a
/// negative or non-finite notional, non-finite MtM or collateral, bad option inputs, a negative
/// threshold, MTA or NICA, or a non-positive MPoR; [`RiskError::InvalidTime`] for bad dates.
///
/// ```
/// use derisk::risk::exposure::{sa_ccr_ead, CommodityKind, SaCcrDelta, SaCcrMargin, SaCcrTrade, SupervisoryClass};
/// // BCBS 279 Annex 4a, example 3 (commodities): published EAD 5,406
/// let oil = SupervisoryClass::Commodity(CommodityKind::OilGas);
/// let trades = [
///     SaCcrTrade::new(oil, "", "crude oil", 10_000.0, -50.0).dates(0.0, 0.75, 0.75),
///     SaCcrTrade::new(oil, "", "crude oil", 20_000.0, -30.0).dates(0.0, 2.0, 2.0)
///         .delta(SaCcrDelta::Linear { long: false }),
///     SaCcrTrade::new(SupervisoryClass::Commodity(CommodityKind::Metals), "", "silver", 10_000.0, 100.0)
///         .dates(0.0, 5.0, 5.0),
/// ];
/// let e = sa_ccr_ead(&trades, SaCcrMargin::Unmargined { collateral: 0.0 })?;
/// assert_eq!(e.ead.round(), 5406.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn sa_ccr_ead(trades: &[SaCcrTrade], margin: SaCcrMargin) -> Result<SaCcrExposure, RiskError> {
    if trades.is_empty() {
        return Err(RiskError::EmptyNettingSet {
            name: "SA-CCR trades",
        });
    }
    let collateral = match margin {
        SaCcrMargin::Unmargined { collateral } | SaCcrMargin::Margined { collateral, .. } => {
            finite_param("collateral", collateral)?
        }
    };
    let mut v = 0.0;
    for t in trades {
        v += finite_param("trade mtm", t.mtm)?;
    }
    let unmargined = exposure(trades, v, collateral, None)?;
    match margin {
        SaCcrMargin::Unmargined { .. } => Ok(unmargined),
        SaCcrMargin::Margined {
            threshold,
            minimum_transfer,
            nica,
            mpor_days,
            ..
        } => {
            let floor = non_negative("threshold", threshold)?
                + non_negative("minimum transfer amount", minimum_transfer)?
                - non_negative("nica", nica)?;
            let mf = 1.5 * (positive("margin period of risk", mpor_days)? / 250.0).sqrt();
            let mut m = exposure(trades, v, collateral, Some((floor, mf)))?;
            if m.ead > unmargined.ead {
                m.ead = unmargined.ead;
            }
            Ok(m)
        }
    }
}

fn finite_param(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite",
        })
    }
}

/// Unmargined when `margined` is None, else (TH + MTA − NICA, margined maturity factor).
fn exposure(
    trades: &[SaCcrTrade],
    v: f64,
    collateral: f64,
    margined: Option<(f64, f64)>,
) -> Result<SaCcrExposure, RiskError> {
    // Hedging-set accumulators, keyed by (class, hedging set[, risk factor or bucket]).
    let mut ir: BTreeMap<&str, [f64; 3]> = BTreeMap::new();
    let mut linear: BTreeMap<(AssetClass, &str), f64> = BTreeMap::new();
    let mut factor: BTreeMap<(AssetClass, &str, &str), (f64, f64)> = BTreeMap::new();
    for t in trades {
        let m = non_negative("trade maturity", t.maturity)?;
        let mf = match margined {
            None => m.clamp(10.0 / 250.0, 1.0).sqrt(),
            Some((_, mf)) => mf,
        };
        let d = t.supervisory_delta()? * t.adjusted_notional()? * mf;
        let sf = t.class.supervisory_factor();
        let class = t.class.asset_class();
        match t.class {
            SupervisoryClass::InterestRate => {
                let b = if t.end < 1.0 {
                    0
                } else if t.end <= 5.0 {
                    1
                } else {
                    2
                };
                ir.entry(t.hedging_set.as_str()).or_default()[b] += d;
            }
            SupervisoryClass::ForeignExchange | SupervisoryClass::Other => {
                *linear.entry((class, t.hedging_set.as_str())).or_default() += sf * d;
            }
            _ => {
                let hs = match t.class {
                    SupervisoryClass::Commodity(kind) => kind.hedging_set(),
                    _ => "",
                };
                let rho = t.class.correlation().unwrap_or(0.0);
                let e = factor
                    .entry((class, hs, t.risk_factor.as_str()))
                    .or_insert((0.0, rho));
                e.0 += sf * d;
            }
        }
    }
    let mut by_class: BTreeMap<AssetClass, f64> = BTreeMap::new();
    for d in ir.values() {
        let en = (d[0] * d[0]
            + d[1] * d[1]
            + d[2] * d[2]
            + 1.4 * d[0] * d[1]
            + 1.4 * d[1] * d[2]
            + 0.6 * d[0] * d[2])
            .max(0.0)
            .sqrt();
        *by_class.entry(AssetClass::InterestRate).or_default() +=
            SupervisoryClass::InterestRate.supervisory_factor() * en;
    }
    for (&(class, _), a) in &linear {
        *by_class.entry(class).or_default() += a.abs();
    }
    // Single-factor aggregation within each (class, hedging set).
    let mut sets: BTreeMap<(AssetClass, &str), (f64, f64)> = BTreeMap::new();
    for (&(class, hs, _), &(a, rho)) in &factor {
        let s = sets.entry((class, hs)).or_default();
        s.0 += rho * a;
        s.1 += (1.0 - rho * rho) * a * a;
    }
    for (&(class, _), &(systematic, idiosyncratic)) in &sets {
        *by_class.entry(class).or_default() += (systematic * systematic + idiosyncratic).sqrt();
    }
    let add_on: f64 = by_class.values().sum();
    let excess = v - collateral;
    let replacement_cost = match margined {
        None => excess.max(0.0),
        Some((floor, _)) => excess.max(floor).max(0.0),
    };
    let multiplier = if add_on > 0.0 {
        (FLOOR + (1.0 - FLOOR) * (excess / (2.0 * (1.0 - FLOOR) * add_on)).exp()).min(1.0)
    } else {
        1.0
    };
    let pfe = multiplier * add_on;
    Ok(SaCcrExposure {
        replacement_cost,
        add_on,
        add_on_by_class: by_class.into_iter().collect(),
        multiplier,
        pfe,
        ead: ALPHA * (replacement_cost + pfe),
    })
}
