//! Counterparty exposure: simulated exposure profiles (EE, ENE, PFE, EPE, effective EE/EPE),
//! collateral agreements with a margin period of risk, netting sets, CVA with and without
//! wrong-way risk, and the Basel SA-CCR exposure at default. The library takes simulated
//! values and never simulates. The maths is in docs/exposure.md.
//!
//! | question | answer |
//! |---|---|
//! | what are the simulated values of this netting set? | [`ValuePaths`], [`NettingSet`], [`revalue_netting_set`] |
//! | EE, PFE at 95/97.5/99 %, EPE, effective EPE? | [`ExposureProfile`] |
//! | what does a CSA leave exposed? | [`Csa`] |
//! | what does the counterparty's default cost? | [`hazard_rate_from_spread`], [`survival_flat`], [`unilateral_cva`] |
//! | and when its default moves with BTC? | [`driver_intensity`], [`calibrate_driver_intensity`], [`wrong_way_cva`], [`WrongWayCva`] |
//! | Basel's standardised EAD? | [`sa_ccr_ead`], [`SaCcrTrade`], [`SaCcrMargin`], [`SaCcrExposure`] |
//!
//! ```
//! use derisk::risk::exposure::{Csa, ExposureProfile, ValuePaths};
//! // one path of a netting set's value on a quarterly grid
//! let v = ValuePaths::new(vec![0.0, 5.0, 8.0, 6.0], 1, vec![0.0, 0.25, 0.5, 0.75])?;
//! let bare = ExposureProfile::from_paths(&v, &[])?;
//! let csa = Csa::new(0.0, 0.0, 0.0, 1)?; // collateral lags one quarter
//! let covered = ExposureProfile::from_paths(&csa.collateralise(&v), &[])?;
//! assert_eq!(bare.ee(), &[0.0, 5.0, 8.0, 6.0]);
//! assert_eq!(covered.ee(), &[0.0, 5.0, 3.0, 0.0]); // only the move over the MPoR is exposed
//! # Ok::<(), derisk::risk::RiskError>(())
//! ```

mod collateral;
mod cva;
mod netting;
mod paths;
mod profile;
mod sa_ccr;
mod supervisory;

pub use self::collateral::Csa;
pub use self::cva::{
    calibrate_driver_intensity, driver_intensity, hazard_rate_from_spread, survival_flat,
    unilateral_cva, wrong_way_cva, CalibratedIntensity, WrongWayCva,
};
pub use self::netting::{revalue_netting_set, NettingSet};
pub use self::paths::ValuePaths;
pub use self::profile::ExposureProfile;
pub use self::sa_ccr::{sa_ccr_ead, SaCcrDelta, SaCcrExposure, SaCcrMargin, SaCcrTrade};
pub use self::supervisory::{
    supervisory_duration, supervisory_option_delta, AssetClass, CommodityKind, CreditRating,
    SupervisoryClass,
};
