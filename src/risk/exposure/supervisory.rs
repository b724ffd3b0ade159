//! SA-CCR supervisory parameters: asset classes, sub-classes with their supervisory factors,
//! correlations and option volatilities (CRE52.72), the supervisory option delta (CRE52.40) and
//! the supervisory duration (CRE52.34).

use crate::math::norm_cdf;
use crate::risk::error::RiskError;

/// The five SA-CCR asset classes of CRE52.24, plus the EU CRR's "other" risk category.
///
/// ```
/// use derisk::risk::exposure::{AssetClass, SupervisoryClass};
/// assert_eq!(SupervisoryClass::Other.asset_class(), AssetClass::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AssetClass {
    /// Interest rate derivatives.
    InterestRate,
    /// Foreign exchange derivatives.
    ForeignExchange,
    /// Credit derivatives.
    Credit,
    /// Equity derivatives.
    Equity,
    /// Commodity derivatives.
    Commodity,
    /// Not a CRE52 class: the "other risk" category of the EU CRR (Regulation (EU) 2019/876),
    /// SF 8 %, σ 150 %; derisk's home for cryptoasset derivatives (see docs/exposure.md).
    Other,
}

/// Credit rating of a single-name credit reference entity (for its supervisory factor).
///
/// ```
/// use derisk::risk::exposure::{CreditRating, SupervisoryClass};
/// assert_eq!(SupervisoryClass::CreditSingleName(CreditRating::Bbb).supervisory_factor(), 0.0054);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CreditRating {
    /// AAA.
    Aaa,
    /// AA.
    Aa,
    /// A.
    A,
    /// BBB.
    Bbb,
    /// BB.
    Bb,
    /// B.
    B,
    /// CCC.
    Ccc,
}

/// Commodity type group, which fixes the hedging set (energy = electricity and oil/gas,
/// metals, agricultural, other) and the supervisory factor.
///
/// ```
/// use derisk::risk::exposure::{CommodityKind, SupervisoryClass};
/// assert_eq!(SupervisoryClass::Commodity(CommodityKind::Electricity).supervisory_factor(), 0.40);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CommodityKind {
    /// Electricity (energy hedging set).
    Electricity,
    /// Oil and gas (energy hedging set).
    OilGas,
    /// Metals.
    Metals,
    /// Agricultural.
    Agricultural,
    /// Other commodities.
    Other,
}

impl CommodityKind {
    pub(super) fn hedging_set(self) -> &'static str {
        match self {
            Self::Electricity | Self::OilGas => "energy",
            Self::Metals => "metals",
            Self::Agricultural => "agricultural",
            Self::Other => "other",
        }
    }
}

/// A trade's supervisory sub-class: fixes its supervisory factor, correlation and option
/// volatility (Basel Framework CRE52.72, Table 2; "other" from the EU CRR, Regulation (EU)
/// 2019/876, as CRE52 has no such class).
///
/// ```text
/// sub-class                 SF       ρ      σ (options)
/// interest rate             0.5 %    —      50 %
/// foreign exchange          4.0 %    —      15 %
/// credit single AAA / AA    0.38 %   50 %   100 %
///                A / BBB    0.42 % / 0.54 %
///                BB / B/CCC 1.06 % / 1.6 % / 6.0 %
/// credit index IG / SG      0.38 % / 1.06 %   80 %   80 %
/// equity single name        32 %     50 %   120 %
/// equity index              20 %     80 %   75 %
/// commodity electricity     40 %     40 %   150 %
/// commodity oil/gas, metals, agricultural, other   18 %   40 %   70 %
/// other (EU CRR, not CRE52) 8 %      —      150 %
/// ```
///
/// ```
/// use derisk::risk::exposure::SupervisoryClass;
/// assert_eq!(SupervisoryClass::EquityIndex.supervisory_factor(), 0.20);
/// assert_eq!(SupervisoryClass::EquityIndex.correlation(), Some(0.80));
/// assert_eq!(SupervisoryClass::InterestRate.option_volatility(), 0.50);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SupervisoryClass {
    /// Interest rate; hedging set = currency.
    InterestRate,
    /// Foreign exchange; hedging set = currency pair.
    ForeignExchange,
    /// Single-name credit; risk factor = reference entity.
    CreditSingleName(CreditRating),
    /// Credit index; risk factor = the index.
    CreditIndex {
        /// Investment grade (else speculative grade).
        investment_grade: bool,
    },
    /// Single-name equity; risk factor = the issuer.
    EquitySingleName,
    /// Equity index; risk factor = the index.
    EquityIndex,
    /// Commodity; risk factor = commodity type (e.g. "crude oil"), hedging set from the kind.
    Commodity(CommodityKind),
    /// Other risk (EU CRR; not a CRE52 class); hedging set as given by the trade (one per
    /// cryptoasset in derisk).
    Other,
}

impl SupervisoryClass {
    /// The asset class.
    ///
    /// ```
    /// use derisk::risk::exposure::{AssetClass, SupervisoryClass};
    /// assert_eq!(SupervisoryClass::EquityIndex.asset_class(), AssetClass::Equity);
    /// ```
    pub fn asset_class(&self) -> AssetClass {
        match self {
            Self::InterestRate => AssetClass::InterestRate,
            Self::ForeignExchange => AssetClass::ForeignExchange,
            Self::CreditSingleName(_) | Self::CreditIndex { .. } => AssetClass::Credit,
            Self::EquitySingleName | Self::EquityIndex => AssetClass::Equity,
            Self::Commodity(_) => AssetClass::Commodity,
            Self::Other => AssetClass::Other,
        }
    }

    /// The supervisory factor SF (decimal; see the table on [`SupervisoryClass`]).
    ///
    /// ```
    /// use derisk::risk::exposure::SupervisoryClass;
    /// assert_eq!(SupervisoryClass::Other.supervisory_factor(), 0.08);
    /// ```
    pub fn supervisory_factor(&self) -> f64 {
        match self {
            Self::InterestRate => 0.005,
            Self::ForeignExchange => 0.04,
            Self::CreditSingleName(r) => match r {
                CreditRating::Aaa | CreditRating::Aa => 0.0038,
                CreditRating::A => 0.0042,
                CreditRating::Bbb => 0.0054,
                CreditRating::Bb => 0.0106,
                CreditRating::B => 0.016,
                CreditRating::Ccc => 0.06,
            },
            Self::CreditIndex { investment_grade } => {
                if *investment_grade {
                    0.0038
                } else {
                    0.0106
                }
            }
            Self::EquitySingleName => 0.32,
            Self::EquityIndex => 0.20,
            Self::Commodity(CommodityKind::Electricity) => 0.40,
            Self::Commodity(_) => 0.18,
            Self::Other => 0.08,
        }
    }

    /// The correlation ρ of the single-factor aggregation (credit, equity, commodity), else
    /// `None`.
    ///
    /// ```
    /// use derisk::risk::exposure::{CommodityKind, SupervisoryClass};
    /// assert_eq!(SupervisoryClass::Commodity(CommodityKind::Metals).correlation(), Some(0.4));
    /// assert_eq!(SupervisoryClass::InterestRate.correlation(), None);
    /// ```
    pub fn correlation(&self) -> Option<f64> {
        match self {
            Self::CreditSingleName(_) | Self::EquitySingleName => Some(0.5),
            Self::CreditIndex { .. } | Self::EquityIndex => Some(0.8),
            Self::Commodity(_) => Some(0.4),
            _ => None,
        }
    }

    /// The supervisory option volatility σ (decimal per √year) for the option delta.
    ///
    /// ```
    /// use derisk::risk::exposure::SupervisoryClass;
    /// assert_eq!(SupervisoryClass::Other.option_volatility(), 1.5);
    /// ```
    pub fn option_volatility(&self) -> f64 {
        match self {
            Self::InterestRate => 0.5,
            Self::ForeignExchange => 0.15,
            Self::CreditSingleName(_) => 1.0,
            Self::CreditIndex { .. } => 0.8,
            Self::EquitySingleName => 1.2,
            Self::EquityIndex => 0.75,
            Self::Commodity(CommodityKind::Electricity) => 1.5,
            Self::Commodity(_) => 0.7,
            Self::Other => 1.5,
        }
    }
}

/// The SA-CCR supervisory delta of an option (Black formula with the supervisory volatility).
///
/// ```text
/// d1 = (ln(P/K) + ½σ²T) / (σ√T)
/// δ = Φ(d1) bought call, −Φ(d1) sold call, −Φ(−d1) bought put, Φ(−d1) sold put
/// ```
///
/// Reference: Basel Framework CRE52.40 (2023); BCBS 279 (2014), ¶ 159.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a non-positive or non-finite P, K, T or σ.
///
/// ```
/// use derisk::risk::exposure::supervisory_option_delta;
/// // BCBS 279 Annex 4a, example 1: bought put (receiver swaption), P = 6 %, K = 5 %, T = 1, σ = 50 %
/// let d = supervisory_option_delta(false, true, 0.06, 0.05, 1.0, 0.5)?;
/// assert!((d + 0.27).abs() < 0.005);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn supervisory_option_delta(
    call: bool,
    bought: bool,
    underlying: f64,
    strike: f64,
    exercise: f64,
    volatility: f64,
) -> Result<f64, RiskError> {
    for (name, value) in [
        ("option underlying price", underlying),
        ("option strike", strike),
        ("option exercise time", exercise),
        ("supervisory volatility", volatility),
    ] {
        positive(name, value)?;
    }
    let sd = volatility * exercise.sqrt();
    let d1 = ((underlying / strike).ln() + 0.5 * sd * sd) / sd;
    let d = if call { norm_cdf(d1) } else { -norm_cdf(-d1) };
    Ok(if bought { d } else { -d })
}

pub(super) fn positive(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and positive",
        })
    }
}

pub(super) fn non_negative(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and non-negative",
        })
    }
}

/// The supervisory duration of an interest rate or credit trade.
///
/// ```text
/// SD = max((exp(−0.05 S) − exp(−0.05 E)) / 0.05, 10/250)   S, E: start and end in years
/// ```
///
/// floored at ten business days (10/250 years). Reference: Basel Framework CRE52.34; BCBS 279
/// (2014), ¶ 157.
///
/// # Errors
///
/// [`RiskError::InvalidTime`] for a negative or non-finite S or E, or E < S.
///
/// ```
/// use derisk::risk::exposure::supervisory_duration;
/// assert!((supervisory_duration(0.0, 10.0)? - (1.0 - (-0.5f64).exp()) / 0.05).abs() < 1e-13);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn supervisory_duration(start: f64, end: f64) -> Result<f64, RiskError> {
    for (index, value) in [start, end].into_iter().enumerate() {
        if !(value.is_finite() && value >= 0.0) {
            return Err(RiskError::InvalidTime {
                name: "trade start, end",
                index,
                value,
                reason: "must be finite and non-negative",
            });
        }
    }
    if end < start {
        return Err(RiskError::InvalidTime {
            name: "trade start, end",
            index: 1,
            value: end,
            reason: "the end must not precede the start",
        });
    }
    Ok((((-0.05 * start).exp() - (-0.05 * end).exp()) / 0.05).max(10.0 / 250.0))
}
