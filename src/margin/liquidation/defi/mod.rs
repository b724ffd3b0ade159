//! Liquidation in DeFi lending protocols: Aave v3, Compound III (Comet) and Maker / Sky
//! Liquidations 2.0, each as its contracts define it (in f64: the contracts' integer rounding
//! to token decimals is not reproduced).

mod aave;
mod compound;
mod maker;

pub use self::aave::{AaveAccount, AaveCollateral, AaveDebt, AaveLiquidation, AaveParams};
pub use self::compound::{comet_quote_collateral, CometAbsorb, CometAccount, CometCollateral};
pub use self::maker::{bark, Abacus, Auction, ClipperParams, TakeOutcome};
