//! Liquidation: where a position is liquidated (prices), which positions a mark update triggers
//! (the index), who carries the loss (insurance fund, auto-deleveraging, socialised loss) and, at
//! a clearing house, the default waterfall.

mod adl;
mod cascade;
mod defi;
mod incremental;
mod index;
mod insurance;
mod partial;
mod price;
mod waterfall;

pub use self::adl::{
    adl_percentiles, binance_adl_score, bitmex_adl_score, deleverage, hyperliquid_adl_score,
    rank_adl, AdlCandidate, AdlFill,
};
pub use self::cascade::{
    simulate_cascade, CascadeConfig, CascadeStep, Execution, LeveragedAccount, MarketImpact,
    PopulationSpec, PowerImpact,
};
pub use self::defi::{
    bark, comet_quote_collateral, AaveAccount, AaveCollateral, AaveDebt, AaveLiquidation,
    AaveParams, Abacus, Auction, ClipperParams, CometAbsorb, CometAccount, CometCollateral,
    TakeOutcome,
};
pub use self::incremental::{deribit_liquidation_step, IncrementalStep};
pub use self::index::LiquidationIndex;
pub use self::insurance::{Closeout, CloseoutOutcome, InsuranceFund};
pub use self::partial::{tiered_liquidation_step, TierStep};
pub(crate) use self::price::{fixed_requirement, fraction_to_keep, maintenance_at, round, solve};
pub use self::price::{LiquidationPrice, NoLiquidationPrice};
pub use self::waterfall::{cover_n, DefaultWaterfall, WaterfallAllocation};
