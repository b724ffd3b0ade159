//! Margin and liquidation maths for linear and inverse perpetuals and futures: positions and P&L,
//! funding, tiered maintenance margin behind the [`MarginModel`] trait, isolated and cross
//! accounts, liquidation and bankruptcy prices solved across brackets, collateral haircuts,
//! insurance-fund shortfalls and Deribit's standard option margin.
//!
//! | question | answer |
//! |---|---|
//! | what does this position need? | [`MarginModel::initial_margin`], [`MarginModel::maintenance_margin`], [`IsolatedPosition::order_cost`] |
//! | where is it liquidated, where is it bankrupt? | [`IsolatedPosition::liquidation_price`], [`IsolatedPosition::bankruptcy_price`], [`CrossAccount::liquidation_price`] |
//! | how far is that? | [`IsolatedPosition::distance_to_liquidation`], [`CrossAccount::distance_to_liquidation`], [`CrossAccount::common_move`], [`CrossAccount::common_move_of`] (hedge mode) |
//! | how close is the account? | [`CrossAccount::margin_ratio`], [`CrossAccount::available_balance`] |
//! | what do I do about it? | [`IsolatedPosition::margin_for_liquidation_price`], [`IsolatedPosition::reduction_to_maintenance`] |
//! | what is left when it goes? | [`IsolatedPosition::settle_liquidation`], [`IsolatedPosition::shortfall`], [`CrossAccount::shortfall`], [`Account::isolated_shortfall`] |
//! | what if my collateral falls? | [`Collateral::value_after_move`], [`Collateral::liquidation_price`] |
//! | options? | [`OptionMarginRates::margin_with_model`] |
//! | a hedged option book? | [`DeribitPortfolioMargin::margin`] (risk matrix), [`SpanModel`], [`ScenarioVarMargin`], [`PortfolioMarginModel`] |
//! | which position hedges, what under stress? | [`DeribitPortfolioMargin::position_effects`], [`margin_under_stress`], [`distance_to_margin_call`] |
//! | linear and inverse, BTC and USDT in one account? | [`CrossAccount::in_currency`], [`CrossAccount::set_balance`], [`CrossAccount::set_prices`] |
//!
//! Units: prices in USD (quote) per coin; every margin, value and P&L in the **settlement
//! currency** — the quote currency (USDT/USDC) for linear contracts, the coin for inverse ones.
//! Sides are +1 long, −1 short; sizes are positive numbers of contracts. A cross account made with
//! [`CrossAccount::in_currency`] converts each position's figures into its margin currency at
//! explicit prices. Accounts address positions by [`PositionId`](crate::portfolio::PositionId).
//! An [`Instrument`] is a [`portfolio::Contract`](crate::portfolio::Contract) (perpetual or dated
//! future) with the venue's tick size: the contract a book holds is the contract margined.
//! The maths, with the venues' pages, is in docs/margin.md.
//!
//! ```
//! use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
//! use derisk::market::Currency;
//! // docs/margin.md vector B1: Binance, isolated long 1 BTC at 50,000 with 2,500 USDT, 0.4 %
//! // bracket: LP = (2,500 − 50,000)/(1 × (0.004 − 1)) = 47,690.76…
//! let table = TierTable::binance_btcusdt_2021_03_18();
//! let long = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
//! let iso = IsolatedPosition::new(long, 2_500.0)?;
//! assert!((iso.liquidation_price(&table).price().unwrap() - 47_500.0 / 0.996).abs() < 1e-9);
//! # Ok::<(), derisk::margin::MarginError>(())
//! ```

mod collateral;
mod cross;
mod error;
mod event;
mod funding;
mod instrument;
mod isolated;
mod liquidation;
mod options;
mod portfolio;
mod position;
mod scaled;
#[cfg(feature = "serde")]
mod serde_inf;
mod tiers;
mod traits;
mod venue;

pub use self::collateral::{Collateral, CollateralAsset, HaircutTier};
pub use self::cross::{
    Account, AnyModel, Balance, CommonMove, CrossAccount, CrossEntry, IsolatedEntry,
};
pub use self::error::MarginError;
pub use self::event::{MarginAction, MarginEvent};
pub use self::funding::FundingRate;
pub use self::instrument::{ContractKind, Instrument, Side};
pub use self::isolated::{IsolatedPosition, LiquidationSettlement, OrderCost};
pub use self::liquidation::{
    adl_percentiles, binance_adl_score, bitmex_adl_score, cover_n, deleverage,
    hyperliquid_adl_score, rank_adl, tiered_liquidation_step, AdlCandidate, AdlFill, Closeout,
    CloseoutOutcome, DefaultWaterfall, InsuranceFund, LiquidationIndex, LiquidationPrice,
    NoLiquidationPrice, TierStep, WaterfallAllocation,
};
pub use self::liquidation::{
    bark, comet_quote_collateral, AaveAccount, AaveCollateral, AaveDebt, AaveLiquidation,
    AaveParams, Abacus, Auction, ClipperParams, CometAbsorb, CometAccount, CometCollateral,
    TakeOutcome,
};
pub use self::liquidation::{deribit_liquidation_step, IncrementalStep};
pub use self::liquidation::{
    simulate_cascade, CascadeConfig, CascadeStep, Execution, LeveragedAccount, MarketImpact,
    PopulationSpec, PowerImpact,
};
pub use self::options::{OptionMargin, OptionMarginRates};
pub use self::portfolio::{
    distance_to_margin_call, margin_under_stress, span_margin, DeribitMargin,
    DeribitPortfolioMargin, MarginCallDistance, MatrixCell, PortfolioAccount, PositionEffect,
    RiskArray, RiskMatrix, ScenarioVarMargin, ScenarioVarResult, SpanMargin, SpanModel, SpanParams,
    SpanPosition, SpanRates, SpanScenario, StressedMargin, VolScenario, SPAN_SCENARIOS,
};
pub use self::position::{Fill, Position};
pub use self::scaled::SizeScaled;
pub use self::tiers::{continuous_maintenance_amount, Bracket, FlatRate, RiskTier, TierTable};
pub use self::traits::{MarginAccount, MarginModel, PortfolioMarginModel, PortfolioRequirement};
pub use self::venue::{MaintenanceBasis, TickRounding, Venue};
