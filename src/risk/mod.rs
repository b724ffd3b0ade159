//! What a book can lose: returns and volatility, value at risk and expected shortfall behind
//! [`RiskMeasure`], backtests behind [`Backtest`], and the P&L of a book under historical
//! market moves. Losses are positive in VaR and ES; P&L is signed, gain positive. The maths is
//! in docs/risk.md.
//!
//! | question | answer |
//! |---|---|
//! | returns and volatility of a price series? | [`log_returns`], [`simple_returns`], [`aggregate_log_returns`], [`Annualisation`], [`rolling_volatility`], [`ewma_volatility`] |
//! | how much can this P&L lose at 99 %? | [`ValueAtRisk`], [`ExpectedShortfall`] (historical, normal, Student-t, Cornish–Fisher) |
//! | were the VaR forecasts any good? | [`Kupiec`], [`KupiecTuff`], [`ChristoffersenIndependence`], [`ConditionalCoverage`], [`basel_traffic_light`] |
//! | were the ES forecasts any good? which VaR model scores better? | [`acerbi_szekely_z1`], [`acerbi_szekely_z2`], [`PredictiveLaw`], [`tick_loss`], [`compare_tick_loss`] |
//! | how do two series move together? | [`pearson`], [`kendall_tau`], [`spearman`], [`ewma_covariance`], [`pseudo_observations`], [`fit_t_copula`], [`t_copula_tail_dependence`] |
//! | what would the book have made on each past day? | [`spot_shocks`], [`book_pnl`] |
//! | how would these VaR/ES models have done, refitted as time went by? | [`WalkForward`], [`WalkForwardReport`], [`level_backtest`] |
//! | historical VaR with today's volatility? | [`hull_white_ewma`], [`hull_white_garch`], [`volatility_weighted_into`] |
//! | which position contributes what? | [`historical_component_var`], [`historical_component_es`], [`normal_component_var`], [`incremental_risk`], [`position_pnl`] |
//! | how far off is delta-gamma? | [`revaluation_comparison`], [`delta_gamma_pnl`], [`delta_gamma_var`] |
//! | exposure after collateral haircuts (Basel comprehensive approach)? | [`exposure_after_haircuts`], [`SupervisoryCollateral`], [`scale_supervisory_haircut`], [`scale_haircut_to_remargining`], [`scale_haircut_holding_period`] |
//! | what haircut for crypto collateral, beside a venue's schedule? | [`CryptoHaircutModel`], [`CryptoCollateralRisk`], [`compare_with_schedule`] |
//! | Basel capital of cryptoasset exposures (SCO60)? | [`capital`]: [`capital::classify`], [`capital::group2b_rwa`], [`capital::group2_capital`] |
//! | what did past crises do, and what would they do to the book? | [`CrisisWindow`], [`worst_log_move`], [`historical_scenarios`], [`ScenarioLibrary`] |
//! | how did the vol surface move in a crash? | [`SurfaceShock`], [`term_structure`] |
//! | spot × vol grid, vol term shock, correlation to one, funding spike? | [`spot_vol_grid`], [`term_vol_shock`], [`correlation_breakdown`], [`funding_spike_pnl`] |
//! | how far can the market move before the equity is gone? | [`reverse_stress_book`], [`reverse_stress_account`] |
//! | what does liquidating cost on top of VaR? | [`bangia_lvar`], [`exogenous_lvar`], [`endogenous_lvar_book`], [`endogenous_lvar_impact`] |
//! | how long to get out, and is the position too big? | [`time_to_liquidate`], [`liquidity_horizon_var`], [`frtb_liquidity_adjusted_es`], [`ConcentrationLimits`] |
//! | what is a counterparty exposed to, and what is it worth (EE/PFE, CSA, CVA, SA-CCR)? | [`exposure`] |
//! | Monte Carlo / FHS VaR and ES with standard errors, 1 or h days? | [`simulated_var_es`], [`simulated_pnl_var_es`], [`fhs_var_es`], [`garch_var_es`], [`simulated_book_pnl`] |
//!
//! ```
//! use derisk::risk::{log_returns, ExpectedShortfall, RiskMeasure, ValueAtRisk};
//! let prices = [100.0, 98.0, 99.0, 95.0, 97.0, 96.0];
//! let r = log_returns(&prices)?;
//! let var = ValueAtRisk::historical(0.8)?.evaluate(&r)?;
//! let es = ExpectedShortfall::historical(0.8)?.evaluate(&r)?;
//! assert!((es - (95.0f64 / 99.0).ln().abs()).abs() < 1e-15); // the one worst day
//! assert!(var <= es);
//! # Ok::<(), derisk::risk::RiskError>(())
//! ```

mod backtest;
pub mod capital;
mod component;
mod delta_gamma;
mod dependence;
mod error;
pub mod exposure;
mod haircut;
mod historical;
mod liquidity;
mod measures;
mod monte_carlo;
mod returns;
mod stats;
mod stress;
mod traits;
mod volatility_weighted;
mod walk_forward;

pub use self::backtest::{
    acerbi_szekely_z1, acerbi_szekely_z1_statistic, acerbi_szekely_z2, acerbi_szekely_z2_statistic,
    basel_traffic_light, christoffersen_independence, compare_tick_loss, conditional_coverage,
    exceptions, kupiec_pof, kupiec_tuff, tick_loss, ChristoffersenIndependence,
    ConditionalCoverage, EsTestOutcome, Kupiec, KupiecTuff, PlusFactorRule, PredictiveLaw,
    TickLossComparison, TrafficLight, Zone,
};
pub use self::component::{
    historical_component_es, historical_component_var, incremental_risk, normal_component_var,
    position_pnl,
};
pub use self::delta_gamma::{
    delta_gamma_moments, delta_gamma_pnl, delta_gamma_var, revaluation_comparison, DeltaGammaVar,
    QuadraticMoments, RevaluationComparison,
};
pub use self::dependence::{
    ewma_covariance, fit_t_copula, kendall_correlation, kendall_tau, pearson, pseudo_observations,
    ranks, spearman, t_copula_log_likelihood, t_copula_tail_dependence, CopulaFit,
    T_COPULA_NU_BOUNDS,
};
pub use self::error::RiskError;
pub use self::haircut::{
    compare_with_schedule, exposure_after_haircuts, scale_haircut_holding_period,
    scale_haircut_to_remargining, scale_supervisory_haircut, CryptoCollateralRisk,
    CryptoHaircutModel, HaircutBreakdown, RatingBand, ScheduleComparison, SupervisoryCollateral,
    TransactionType, WrongWay, CURRENCY_MISMATCH_HAIRCUT,
};
pub use self::historical::{book_pnl, spot_shocks};
pub use self::liquidity::{
    bangia_lvar, endogenous_lvar_book, endogenous_lvar_impact, exogenous_liquidity_cost,
    exogenous_lvar, frtb_liquidity_adjusted_es, liquidity_horizon_var, time_to_liquidate,
    ConcentrationFlags, ConcentrationLimits, LiquidityAdjustedVar, SpreadStats,
};
pub use self::measures::{
    cornish_fisher_es, cornish_fisher_var, historical_es, historical_var, moment_dof, normal_es,
    normal_var, sqrt_time_scale, student_t_es, student_t_var, Dof, Estimator, ExpectedShortfall,
    QuantileMethod, ValueAtRisk,
};
pub use self::monte_carlo::{
    fhs_var_es, garch_var_es, simulated_book_pnl, simulated_pnl_var_es, simulated_spot_shocks,
    simulated_var_es, McVarEs,
};
pub use self::returns::{
    aggregate_log_returns, aggregate_simple_returns, ewma_volatility, log_returns,
    log_returns_into, rolling_volatility, simple_returns, simple_returns_into, Annualisation,
    Overlap,
};
pub use self::stress::{
    correlated_move, correlation_breakdown, funding_spike_pnl, historical_scenarios,
    peak_to_trough, reverse_stress_account, reverse_stress_book, spot_vol_grid, term_structure,
    term_vol_shock, worst_intraday_move, worst_log_move, AssetHistory, CrisisWindow, ExpiryQuotes,
    PnlGrid, ReverseStress, ScenarioLibrary, StressDirection, StressScenario, SurfaceShock,
    TermPoint, WorstMove,
};
pub use self::traits::{Backtest, RiskMeasure, TestOutcome};
pub use self::volatility_weighted::{hull_white_ewma, hull_white_garch, volatility_weighted_into};
pub use self::walk_forward::{
    level_backtest, ForecastModel, LevelBacktest, ModelForecasts, Refit, WalkForward,
    WalkForwardReport, Window, MIN_FIRST_DAY,
};
