//! Classification of a cryptoasset into Groups 1a, 1b, 2a and 2b (BCBS SCO60, "Cryptoasset
//! exposures", Basel Framework version in force 1 January 2026, which carries the July 2024
//! amendments, BCBS d579). Every failed condition is reported, not only the first.

use crate::risk::RiskError;

/// The group SCO60 assigns a cryptoasset to.
///
/// ```
/// use derisk::risk::capital::CryptoGroup;
/// assert!(CryptoGroup::Group2b.is_group2());
/// assert!(!CryptoGroup::Group1a.is_group2());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CryptoGroup {
    /// Tokenised traditional asset meeting every classification condition.
    Group1a,
    /// Cryptoasset with an effective stabilisation mechanism meeting every classification
    /// condition (and the redemption risk test and supervision/regulation requirement).
    Group1b,
    /// Group 2 cryptoasset that meets the hedging recognition criteria.
    Group2a,
    /// Any other cryptoasset.
    Group2b,
}

impl CryptoGroup {
    /// Whether the group is 2a or 2b.
    #[must_use]
    pub const fn is_group2(self) -> bool {
        matches!(self, Self::Group2a | Self::Group2b)
    }
}

/// The inputs of the stablecoin tests of classification condition 1 (SCO60, "Classification
/// conditions": the redemption risk test, the supervision/regulation requirement, and the bank's
/// own demonstration that the market value stays close to the peg).
///
/// ```text
/// redemption risk test:   reserve value ≥ aggregate peg value of the coins outstanding,
///                         with reserve assets meeting the composition requirements
/// peg stability test:     largest |market price / peg − 1| over the test window ≤ threshold
/// ```
///
/// The amendments of July 2024 (d579, consulted on in December 2023) replaced a fixed basis
/// risk test by the requirement that banks perform "statistical or other tests" showing that
/// the stablecoin keeps a stable relationship with its reference asset; the test and its
/// threshold are therefore the bank's, and they are inputs here.
///
/// ```
/// use derisk::risk::capital::StablecoinTests;
/// let t = StablecoinTests {
///     reserve_value: 101.0, peg_value_outstanding: 100.0, reserves_meet_composition: true,
///     issuer_supervised: true, max_peg_deviation: 0.0005, peg_deviation_threshold: 0.001,
/// };
/// assert!(t.passes_redemption_test());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StablecoinTests {
    /// Value of the reserve assets (peg currency).
    pub reserve_value: f64,
    /// Aggregate peg value of all coins in circulation (peg currency).
    pub peg_value_outstanding: f64,
    /// The reserve assets meet the standard's composition, maturity and custody requirements
    /// (as assessed by the bank; SCO60 as amended in July 2024).
    pub reserves_meet_composition: bool,
    /// The redeemer/issuer is supervised and regulated as the standard requires.
    pub issuer_supervised: bool,
    /// Largest relative deviation |market price / peg − 1| observed over the test window.
    pub max_peg_deviation: f64,
    /// The largest deviation the test allows (decimal).
    pub peg_deviation_threshold: f64,
}

impl StablecoinTests {
    /// Reserve value at least the peg value outstanding, and reserves of the required
    /// composition.
    #[must_use]
    pub fn passes_redemption_test(&self) -> bool {
        self.reserves_meet_composition && self.reserve_value >= self.peg_value_outstanding
    }

    /// The market price stayed within the threshold of the peg.
    #[must_use]
    pub fn passes_peg_test(&self) -> bool {
        self.max_peg_deviation <= self.peg_deviation_threshold
    }

    fn validate(&self) -> Result<(), RiskError> {
        for (name, value) in [
            ("reserve value", self.reserve_value),
            ("peg value outstanding", self.peg_value_outstanding),
            ("max peg deviation", self.max_peg_deviation),
            ("peg deviation threshold", self.peg_deviation_threshold),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(RiskError::InvalidAmount { name, value });
            }
        }
        Ok(())
    }
}

/// What a cryptoasset is, for classification condition 1.
///
/// ```
/// use derisk::risk::capital::AssetKind;
/// assert_eq!(AssetKind::Unbacked, AssetKind::Unbacked);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AssetKind {
    /// A tokenised traditional asset (a dematerialised security or asset issued through DLT).
    TokenisedTraditional,
    /// A cryptoasset with a stabilisation mechanism linking it to a reference asset (a
    /// stablecoin), with its test inputs.
    Stablecoin(StablecoinTests),
    /// Anything else (e.g. bitcoin, ether): no stabilisation mechanism.
    Unbacked,
}

/// Classification conditions 2–4, as assessed by the bank (SCO60, "Classification conditions").
///
/// ```
/// let c = derisk::risk::capital::ClassificationConditions::all_met();
/// assert!(c.legally_enforceable && c.network_risks_managed && c.entities_regulated);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClassificationConditions {
    /// Condition 2: all rights, obligations and interests are clearly defined and legally
    /// enforceable, with settlement finality.
    pub legally_enforceable: bool,
    /// Condition 3: the functions of the cryptoasset and its network (including the DLT) are
    /// designed and operated to mitigate and manage any material risk; this covers the 2022
    /// exclusion of permissionless blockchains.
    pub network_risks_managed: bool,
    /// Condition 4: the entities that execute redemptions, transfers, storage or settlement
    /// finality are regulated and supervised, or have appropriate risk management.
    pub entities_regulated: bool,
}

impl ClassificationConditions {
    /// Every condition met.
    #[must_use]
    pub const fn all_met() -> Self {
        Self {
            legally_enforceable: true,
            network_risks_managed: true,
            entities_regulated: true,
        }
    }
}

/// Market data for the hedging recognition criteria of Group 2a (SCO60, "Hedging recognition
/// criteria").
///
/// ```
/// let h = derisk::risk::capital::HedgingData {
///     regulated_reference: true, market_cap: 1e12, trimmed_daily_volume: 2e10, price_observations: 365,
/// };
/// assert!(h.regulated_reference);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HedgingData {
    /// A derivative or ETF/ETN referencing the cryptoasset trades on a regulated exchange (or
    /// is cleared by a qualifying CCP).
    pub regulated_reference: bool,
    /// Average market capitalisation over the previous year (USD).
    pub market_cap: f64,
    /// 10 % trimmed mean of daily trading volume with major fiat currencies over the previous
    /// year (USD).
    pub trimmed_daily_volume: f64,
    /// Number of price observations over the previous year.
    pub price_observations: usize,
}

/// Thresholds of the hedging recognition criteria.
///
/// ```text
/// market capitalisation  ≥ USD 10 billion      (average over the previous year)
/// trimmed daily volume   ≥ USD 50 million      (10 % trimmed mean, previous year)
/// price observations     ≥ 100                 (previous year)
/// ```
///
/// The defaults are the values of SCO60's Group 2a hedging recognition criteria as published
/// with the December 2022 standard (BCBS d545); they are inputs so a jurisdiction's values can
/// replace them. See docs/capital.md for what could and could not be checked.
///
/// ```
/// let t = derisk::risk::capital::HedgingThresholds::default();
/// assert_eq!(t.min_market_cap, 10e9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HedgingThresholds {
    /// Least average market capitalisation (USD).
    pub min_market_cap: f64,
    /// Least 10 % trimmed mean daily volume (USD).
    pub min_trimmed_daily_volume: f64,
    /// Least number of price observations.
    pub min_price_observations: usize,
}

impl Default for HedgingThresholds {
    fn default() -> Self {
        Self {
            min_market_cap: 10e9,
            min_trimmed_daily_volume: 50e6,
            min_price_observations: 100,
        }
    }
}

/// A cryptoasset as the classification needs it.
///
/// ```
/// use derisk::risk::capital::{AssetKind, ClassificationConditions, CryptoAsset};
/// let a = CryptoAsset { kind: AssetKind::TokenisedTraditional, conditions: ClassificationConditions::all_met(), hedging: None };
/// assert_eq!(a.kind, AssetKind::TokenisedTraditional);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CryptoAsset {
    /// Condition 1: what the asset is.
    pub kind: AssetKind,
    /// Conditions 2–4.
    pub conditions: ClassificationConditions,
    /// Market data for the Group 2a hedging recognition criteria (`None`: not assessed, so
    /// Group 2b if the asset is in Group 2).
    pub hedging: Option<HedgingData>,
}

/// One condition or test that the asset failed.
///
/// ```
/// use derisk::risk::capital::FailedCondition;
/// assert_ne!(FailedCondition::RedemptionRiskTest, FailedCondition::PegTest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FailedCondition {
    /// Condition 1: neither a tokenised traditional asset nor a stabilised cryptoasset.
    NoStabilisationMechanism,
    /// Condition 1 (stablecoins): the reserves fall short of the peg value outstanding or do not
    /// meet the composition requirements.
    RedemptionRiskTest,
    /// Condition 1 (stablecoins): the bank's peg stability test failed (the market price
    /// strayed from the peg beyond the bank's threshold).
    PegTest,
    /// Group 1b: the redeemer is not supervised and regulated.
    SupervisionRequirement,
    /// Condition 2.
    LegalEnforceability,
    /// Condition 3.
    NetworkRisk,
    /// Condition 4.
    EntitiesRegulation,
    /// Hedging criteria: no derivative/ETF on a regulated exchange (or no data given).
    NoRegulatedReference,
    /// Hedging criteria: market capitalisation below the threshold.
    MarketCapitalisation,
    /// Hedging criteria: trading volume below the threshold.
    TradingVolume,
    /// Hedging criteria: too few price observations.
    PriceObservations,
}

/// The group and every condition failed on the way.
///
/// ```
/// use derisk::risk::capital::{classify, AssetKind, ClassificationConditions, CryptoAsset, CryptoGroup, HedgingThresholds};
/// let btc = CryptoAsset { kind: AssetKind::Unbacked, conditions: ClassificationConditions::all_met(), hedging: None };
/// let c = classify(&btc, &HedgingThresholds::default())?;
/// assert_eq!(c.group, CryptoGroup::Group2b);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Classification {
    /// The group.
    pub group: CryptoGroup,
    /// The conditions failed, in the order checked (empty for Group 1).
    pub failed: Vec<FailedCondition>,
}

/// Classify a cryptoasset.
///
/// ```text
/// Group 1a  tokenised traditional asset and conditions 2, 3, 4 met
/// Group 1b  stablecoin passing the redemption risk and peg tests, redeemer supervised,
///           and conditions 2, 3, 4 met
/// Group 2a  otherwise, if the hedging recognition criteria are met
/// Group 2b  otherwise
/// ```
///
/// Source: BCBS SCO60 (Basel Framework, in force 1 January 2026), sections "Classification
/// conditions" (the four conditions, the redemption risk test and supervision/regulation
/// requirement as amended in July 2024, d579) and "Hedging recognition criteria" for Group 2a.
///
/// # Errors
///
/// [`RiskError::InvalidAmount`] for a negative or non-finite test input or threshold.
///
/// ```
/// use derisk::risk::capital::*;
/// let usdx = CryptoAsset {
///     kind: AssetKind::Stablecoin(StablecoinTests {
///         reserve_value: 99.0, peg_value_outstanding: 100.0, reserves_meet_composition: true,
///         issuer_supervised: true, max_peg_deviation: 0.0, peg_deviation_threshold: 0.001,
///     }),
///     conditions: ClassificationConditions::all_met(),
///     hedging: None,
/// };
/// let c = classify(&usdx, &HedgingThresholds::default())?;
/// assert_eq!(c.group, CryptoGroup::Group2b);
/// assert_eq!(c.failed, vec![FailedCondition::RedemptionRiskTest, FailedCondition::NoRegulatedReference]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn classify(
    asset: &CryptoAsset,
    thresholds: &HedgingThresholds,
) -> Result<Classification, RiskError> {
    for (name, value) in [
        ("minimum market capitalisation", thresholds.min_market_cap),
        (
            "minimum trimmed daily volume",
            thresholds.min_trimmed_daily_volume,
        ),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(RiskError::InvalidAmount { name, value });
        }
    }
    let mut failed = Vec::new();
    let group1 = match asset.kind {
        AssetKind::TokenisedTraditional => CryptoGroup::Group1a,
        AssetKind::Stablecoin(t) => {
            t.validate()?;
            if !t.passes_redemption_test() {
                failed.push(FailedCondition::RedemptionRiskTest);
            }
            if !t.passes_peg_test() {
                failed.push(FailedCondition::PegTest);
            }
            if !t.issuer_supervised {
                failed.push(FailedCondition::SupervisionRequirement);
            }
            CryptoGroup::Group1b
        }
        AssetKind::Unbacked => {
            failed.push(FailedCondition::NoStabilisationMechanism);
            CryptoGroup::Group1b
        }
    };
    let c = asset.conditions;
    for (ok, why) in [
        (c.legally_enforceable, FailedCondition::LegalEnforceability),
        (c.network_risks_managed, FailedCondition::NetworkRisk),
        (c.entities_regulated, FailedCondition::EntitiesRegulation),
    ] {
        if !ok {
            failed.push(why);
        }
    }
    if failed.is_empty() {
        return Ok(Classification {
            group: group1,
            failed,
        });
    }
    let before = failed.len();
    match asset.hedging {
        None => failed.push(FailedCondition::NoRegulatedReference),
        Some(h) => {
            for (name, value) in [
                ("market capitalisation", h.market_cap),
                ("trimmed daily volume", h.trimmed_daily_volume),
            ] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(RiskError::InvalidAmount { name, value });
                }
            }
            if !h.regulated_reference {
                failed.push(FailedCondition::NoRegulatedReference);
            }
            if h.market_cap < thresholds.min_market_cap {
                failed.push(FailedCondition::MarketCapitalisation);
            }
            if h.trimmed_daily_volume < thresholds.min_trimmed_daily_volume {
                failed.push(FailedCondition::TradingVolume);
            }
            if h.price_observations < thresholds.min_price_observations {
                failed.push(FailedCondition::PriceObservations);
            }
        }
    }
    let group = if failed.len() == before {
        CryptoGroup::Group2a
    } else {
        CryptoGroup::Group2b
    };
    Ok(Classification { group, failed })
}
