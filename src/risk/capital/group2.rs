//! Group 2 capital: 2b's 1,250 % risk weight on the larger of gross long and gross short, 2a's
//! sensitivities-based market-risk charge, and the Group 2 exposure limit with its consequences
//! (BCBS SCO60, Basel Framework in force 1 January 2026).

use crate::risk::RiskError;

/// The Group 2b risk weight.
///
/// ```text
/// RW = 1,250 %   (RWA = 12.5 × exposure: capital equal to the exposure at an 8 % ratio)
/// ```
///
/// Source: BCBS SCO60, "Group 2b" section.
///
/// ```
/// assert_eq!(derisk::risk::capital::GROUP_2B_RISK_WEIGHT, 12.5);
/// ```
pub const GROUP_2B_RISK_WEIGHT: f64 = 12.5;

/// The delta risk weight of a Group 2a cryptoasset in the sensitivities-based method.
///
/// ```text
/// RW = 100 %
/// ```
///
/// Source: BCBS SCO60.73 (Basel Framework, in force 1 January 2026).
///
/// ```
/// assert_eq!(derisk::risk::capital::GROUP_2A_DELTA_RISK_WEIGHT, 1.0);
/// ```
pub const GROUP_2A_DELTA_RISK_WEIGHT: f64 = 1.0;

/// Multiplier from a capital requirement to risk-weighted assets (the reciprocal of 8 %).
const RWA_PER_CAPITAL: f64 = 12.5;

/// The gross long and gross short positions in one Group 2 cryptoasset (currency units, both
/// ≥ 0; derivatives at their delta-equivalent value).
///
/// ```
/// let e = derisk::risk::capital::Group2Exposure::new(100.0, 30.0)?;
/// assert_eq!(e.larger_side(), 100.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Group2Exposure {
    long: f64,
    short: f64,
}

impl Group2Exposure {
    /// A validated pair.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAmount`] for a negative or non-finite side.
    pub fn new(long: f64, short: f64) -> Result<Self, RiskError> {
        for (name, value) in [("gross long", long), ("gross short", short)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(RiskError::InvalidAmount { name, value });
            }
        }
        Ok(Self { long, short })
    }

    /// Gross long.
    #[must_use]
    pub const fn long(&self) -> f64 {
        self.long
    }

    /// Gross short.
    #[must_use]
    pub const fn short(&self) -> f64 {
        self.short
    }

    /// max(gross long, gross short): the Group 2b exposure measure.
    #[must_use]
    pub fn larger_side(&self) -> f64 {
        self.long.max(self.short)
    }
}

/// Risk-weighted assets of one Group 2b cryptoasset.
///
/// ```text
/// RWA = 1,250 % × max(|gross long|, |gross short|)
/// ```
///
/// Long and short positions in the same cryptoasset do not offset.
///
/// Source: BCBS SCO60, "Group 2b" section.
///
/// ```
/// use derisk::risk::capital::{group2b_rwa, Group2Exposure};
/// // long 100 spot, short 80 futures: RWA = 12.5 × 100
/// assert_eq!(group2b_rwa(&Group2Exposure::new(100.0, 80.0)?), 1_250.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[must_use]
pub fn group2b_rwa(exposure: &Group2Exposure) -> f64 {
    GROUP_2B_RISK_WEIGHT * exposure.larger_side()
}

/// The delta capital of one Group 2a bucket (one cryptoasset) in the sensitivities-based method.
///
/// ```text
/// WS_k = RW · s_k                        RW = 100 %, s_k net delta sensitivity (currency)
/// K_b  = sqrt(max(0, Σ_k WS_k² + Σ_k Σ_{l≠k} ρ · WS_k · WS_l))
///      = sqrt(max(0, (1 − ρ) Σ_k WS_k² + ρ (Σ_k WS_k)²))
/// ```
///
/// Source: BCBS SCO60.71 (sensitivities), SCO60.73 (one bucket per cryptoasset, risk weight),
/// SCO60.76 (correlation ρ within the bucket), SCO60.77 (bucket-level aggregation). ρ is an
/// input: its value in SCO60.76 was not retrieved for this implementation (docs/capital.md).
///
/// # Errors
///
/// [`RiskError::NonFinite`] for a non-finite sensitivity; [`RiskError::InvalidParameter`] for ρ
/// outside [−1, 1].
///
/// ```
/// use derisk::risk::capital::group2a_bucket_capital;
/// // long 100 spot, short 100 of a future on the same asset, ρ = 0.999
/// let k = group2a_bucket_capital(&[100.0, -100.0], 0.999)?;
/// assert!((k - 100.0 * 0.002f64.sqrt()).abs() < 1e-10);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn group2a_bucket_capital(sensitivities: &[f64], correlation: f64) -> Result<f64, RiskError> {
    if !(correlation.is_finite() && (-1.0..=1.0).contains(&correlation)) {
        return Err(RiskError::InvalidParameter {
            name: "group 2a correlation",
            value: correlation,
            reason: "must lie in [-1, 1]",
        });
    }
    let (mut sum, mut squares) = (0.0, 0.0);
    for (index, &s) in sensitivities.iter().enumerate() {
        if !s.is_finite() {
            return Err(RiskError::NonFinite {
                name: "group 2a sensitivity",
                index,
                value: s,
            });
        }
        let ws = GROUP_2A_DELTA_RISK_WEIGHT * s;
        sum += ws;
        squares += ws * ws;
    }
    if !(squares.is_finite() && (sum * sum).is_finite()) {
        return Err(RiskError::Overflow {
            name: "group 2a bucket capital",
            value: f64::INFINITY,
        });
    }
    let k = ((1.0 - correlation) * squares + correlation * sum * sum)
        .max(0.0)
        .sqrt();
    if k.is_finite() {
        Ok(k)
    } else {
        Err(RiskError::Overflow {
            name: "group 2a bucket capital",
            value: k,
        })
    }
}

/// The Group 2a delta capital across buckets: no diversification between cryptoassets.
///
/// ```text
/// K = Σ_b K_b
/// ```
///
/// Source: BCBS SCO60.78.
///
/// # Errors
///
/// As [`group2a_bucket_capital`] for any bucket.
///
/// ```
/// use derisk::risk::capital::group2a_delta_capital;
/// let btc: &[f64] = &[100.0];
/// let eth: &[f64] = &[-50.0];
/// assert_eq!(group2a_delta_capital([btc, eth], 0.999)?, 150.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn group2a_delta_capital<'a>(
    buckets: impl IntoIterator<Item = &'a [f64]>,
    correlation: f64,
) -> Result<f64, RiskError> {
    buckets
        .into_iter()
        .try_fold(0.0, |k, b| Ok(k + group2a_bucket_capital(b, correlation)?))
}

/// Where a bank stands against the Group 2 exposure limit.
///
/// ```
/// use derisk::risk::capital::LimitStatus;
/// assert_ne!(LimitStatus::Within, LimitStatus::Breach);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LimitStatus {
    /// Group 2 exposure ≤ 1 % of Tier 1.
    Within,
    /// Above 1 % and at most 2 %: the excess over 1 % is subject to Group 2b requirements.
    Above {
        /// Exposure in excess of 1 % of Tier 1 (currency units).
        excess: f64,
    },
    /// Above 2 %: every Group 2 exposure is subject to Group 2b requirements.
    Breach,
}

/// The Group 2 exposure limit test.
///
/// ```
/// use derisk::risk::capital::{group2_exposure_limit, Group2Exposure, LimitStatus};
/// let l = group2_exposure_limit(&[Group2Exposure::new(15.0, 0.0)?], 1_000.0)?;
/// assert_eq!(l.status, LimitStatus::Above { excess: 5.0 });
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExposureLimit {
    /// Σ over Group 2 cryptoassets of max(gross long, gross short).
    pub exposure: f64,
    /// Tier 1 capital.
    pub tier1: f64,
    /// exposure / Tier 1.
    pub ratio: f64,
    /// The outcome.
    pub status: LimitStatus,
}

/// The Group 2 exposure limit: 1 % of Tier 1 as the limit, 2 % as the breach level.
///
/// ```text
/// X      = Σ_assets max(gross long, gross short)        (Group 2a and 2b together)
/// X ≤ 1 % · T1            within the limit
/// 1 % · T1 < X ≤ 2 % · T1 the excess X − 1 % · T1 is subject to Group 2b requirements
/// X > 2 % · T1            all Group 2 exposures are subject to Group 2b requirements
/// ```
///
/// Source: BCBS SCO60, "Group 2 exposure limit" (Basel Framework, in force 1 January 2026).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a Tier 1 capital that is not finite and positive;
/// [`RiskError::Overflow`] if the exposure or its ratio to Tier 1 overflows.
pub fn group2_exposure_limit(
    exposures: &[Group2Exposure],
    tier1: f64,
) -> Result<ExposureLimit, RiskError> {
    limit_of(
        exposures.iter().map(Group2Exposure::larger_side).sum(),
        tier1,
    )
}

/// The limit test of a total Group 2 exposure (the sum of each asset's larger side).
fn limit_of(exposure: f64, tier1: f64) -> Result<ExposureLimit, RiskError> {
    if !(tier1.is_finite() && tier1 > 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "tier 1 capital",
            value: tier1,
            reason: "must be finite and positive",
        });
    }
    if !exposure.is_finite() {
        return Err(RiskError::Overflow {
            name: "group 2 exposure",
            value: exposure,
        });
    }
    let ratio = exposure / tier1;
    if !ratio.is_finite() {
        return Err(RiskError::Overflow {
            name: "group 2 exposure / tier 1",
            value: ratio,
        });
    }
    let (limit, breach) = (0.01 * tier1, 0.02 * tier1);
    let status = if exposure > breach {
        LimitStatus::Breach
    } else if exposure > limit {
        LimitStatus::Above {
            excess: exposure - limit,
        }
    } else {
        LimitStatus::Within
    };
    Ok(ExposureLimit {
        exposure,
        tier1,
        ratio,
        status,
    })
}

/// Group 2 risk-weighted assets after the exposure limit.
///
/// ```
/// use derisk::risk::capital::{group2_capital, Group2Exposure};
/// let b = [Group2Exposure::new(5.0, 0.0)?];
/// let c = group2_capital(&[], 0.0, &b, 1_000.0)?;
/// assert_eq!(c.total, 62.5);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Group2Capital {
    /// RWA of the Group 2a positions under their own treatment (12.5 × K); 0 on a breach.
    pub rwa_2a: f64,
    /// RWA of the Group 2b positions (and, on a breach, of every Group 2 position).
    pub rwa_2b: f64,
    /// RWA of the excess over the 1 % limit treated as Group 2b.
    pub rwa_excess: f64,
    /// rwa_2a + rwa_2b + rwa_excess.
    pub total: f64,
    /// The limit test behind it.
    pub limit: ExposureLimit,
}

/// Group 2 risk-weighted assets with the exposure limit's consequences.
///
/// ```text
/// within:  RWA = 12.5 · K_2a + Σ_2b 12.5 · max(L, S)
/// above:   RWA = 12.5 · K_2a + Σ_2b 12.5 · max(L, S) + 12.5 · min(excess, X_2a)
/// breach:  RWA = Σ_(2a and 2b) 12.5 · max(L, S)
/// ```
///
/// On "above", the text subjects the excess to Group 2b requirements without saying which
/// positions it comes from; it is charged here against the Group 2a exposure X_2a (Group 2b
/// positions already carry 1,250 %), on top of the 2a charge: a conservative reading, written in
/// docs/capital.md.
///
/// Source: BCBS SCO60, "Group 2 exposure limit", "Group 2a" (SCO60.66–60.78) and "Group 2b".
///
/// # Errors
///
/// As [`group2_exposure_limit`]; [`RiskError::InvalidAmount`] for a negative or non-finite
/// `capital_2a`.
pub fn group2_capital(
    exposures_2a: &[Group2Exposure],
    capital_2a: f64,
    exposures_2b: &[Group2Exposure],
    tier1: f64,
) -> Result<Group2Capital, RiskError> {
    if !(capital_2a.is_finite() && capital_2a >= 0.0) {
        return Err(RiskError::InvalidAmount {
            name: "group 2a capital",
            value: capital_2a,
        });
    }
    let all = exposures_2a.iter().chain(exposures_2b);
    let exposure: f64 = all.clone().map(Group2Exposure::larger_side).sum();
    let x_2a: f64 = exposures_2a.iter().map(Group2Exposure::larger_side).sum();
    let limit = limit_of(exposure, tier1)?;
    let rwa_2b_own: f64 = exposures_2b.iter().map(group2b_rwa).sum();
    let (rwa_2a, rwa_2b, rwa_excess) = match limit.status {
        LimitStatus::Within => (RWA_PER_CAPITAL * capital_2a, rwa_2b_own, 0.0),
        LimitStatus::Above { excess } => (
            RWA_PER_CAPITAL * capital_2a,
            rwa_2b_own,
            GROUP_2B_RISK_WEIGHT * excess.min(x_2a),
        ),
        LimitStatus::Breach => (0.0, all.map(group2b_rwa).sum(), 0.0),
    };
    let total = rwa_2a + rwa_2b + rwa_excess;
    if !total.is_finite() {
        return Err(RiskError::Overflow {
            name: "group 2 risk-weighted assets",
            value: total,
        });
    }
    Ok(Group2Capital {
        rwa_2a,
        rwa_2b,
        rwa_excess,
        total,
        limit,
    })
}
