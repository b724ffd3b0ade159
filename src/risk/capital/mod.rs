//! Basel III capital for cryptoasset exposures (BCBS SCO60, Basel Framework version in force
//! 1 January 2026, with the July 2024 amendments, d579): classification into Groups 1a, 1b, 2a
//! and 2b with every failed condition reported, Group 1 risk weights with the infrastructure
//! add-on, the Group 2b 1,250 % treatment, the Group 2a sensitivities-based delta charge, and the
//! Group 2 exposure limit. Every rule's paragraph, and what could not be checked, is in
//! docs/capital.md.
//!
//! | question | answer |
//! |---|---|
//! | which group is this cryptoasset in, and why? | [`classify`], [`Classification`], [`FailedCondition`] |
//! | RWA of a tokenised asset or qualifying stablecoin? | [`group1_rwa`], [`INFRASTRUCTURE_ADD_ON`] |
//! | RWA of unhedgeable crypto (2b)? | [`group2b_rwa`] |
//! | market-risk capital of hedgeable crypto (2a)? | [`group2a_bucket_capital`], [`group2a_delta_capital`] |
//! | is the bank within the Group 2 limit, and what follows? | [`group2_exposure_limit`], [`group2_capital`] |
//!
//! ```
//! use derisk::risk::capital::*;
//! let btc = CryptoAsset {
//!     kind: AssetKind::Unbacked,
//!     conditions: ClassificationConditions::all_met(),
//!     hedging: Some(HedgingData {
//!         regulated_reference: true, market_cap: 1.0e12, trimmed_daily_volume: 2.0e10,
//!         price_observations: 365,
//!     }),
//! };
//! assert_eq!(classify(&btc, &HedgingThresholds::default())?.group, CryptoGroup::Group2a);
//! # Ok::<(), derisk::risk::RiskError>(())
//! ```

mod classification;
mod group1;
mod group2;

pub use self::classification::{
    classify, AssetKind, Classification, ClassificationConditions, CryptoAsset, CryptoGroup,
    FailedCondition, HedgingData, HedgingThresholds, StablecoinTests,
};
pub use self::group1::{group1_rwa, INFRASTRUCTURE_ADD_ON};
pub use self::group2::{
    group2_capital, group2_exposure_limit, group2a_bucket_capital, group2a_delta_capital,
    group2b_rwa, ExposureLimit, Group2Capital, Group2Exposure, LimitStatus,
    GROUP_2A_DELTA_RISK_WEIGHT, GROUP_2B_RISK_WEIGHT,
};
