//! What a book can lose: returns and volatility, value at risk and expected shortfall behind
//! [`RiskMeasure`], backtests behind [`Backtest`], and the P&L of a book under historical
//! market moves. Losses are positive in VaR and ES; P&L is signed, gain positive. The maths is
//! in docs/risk.md.
//!
//! | question | answer |
//! |---|---|
//! | returns and volatility of a price series? | [`log_returns`], [`simple_returns`], [`aggregate_log_returns`], [`Annualisation`], [`rolling_volatility`], [`ewma_volatility`] |
//! | how much can this P&L lose at 99 %? | [`ValueAtRisk`], [`ExpectedShortfall`] (historical, normal, Student-t, Cornish–Fisher) |
//! | were the VaR forecasts any good? | [`Kupiec`], [`ChristoffersenIndependence`], [`ConditionalCoverage`], [`basel_traffic_light`] |
//! | what would the book have made on each past day? | [`spot_shocks`], [`book_pnl`] |
//! | how would these VaR/ES models have done, refitted as time went by? | [`WalkForward`], [`WalkForwardReport`], [`level_backtest`] |
//! | historical VaR with today's volatility? | [`hull_white_ewma`], [`hull_white_garch`], [`volatility_weighted_into`] |
//! | which position contributes what? | [`historical_component_var`], [`historical_component_es`], [`normal_component_var`], [`incremental_risk`], [`position_pnl`] |
//! | how far off is delta-gamma? | [`revaluation_comparison`], [`delta_gamma_pnl`], [`delta_gamma_var`] |
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
mod component;
mod delta_gamma;
mod error;
mod historical;
mod measures;
mod returns;
mod stats;
mod traits;
mod volatility_weighted;
mod walk_forward;

pub use self::backtest::{
    basel_traffic_light, christoffersen_independence, conditional_coverage, exceptions, kupiec_pof,
    ChristoffersenIndependence, ConditionalCoverage, Kupiec, TrafficLight, Zone,
};
pub use self::component::{
    historical_component_es, historical_component_var, incremental_risk, normal_component_var,
    position_pnl,
};
pub use self::delta_gamma::{
    delta_gamma_moments, delta_gamma_pnl, delta_gamma_var, revaluation_comparison, DeltaGammaVar,
    QuadraticMoments, RevaluationComparison,
};
pub use self::error::RiskError;
pub use self::historical::{book_pnl, spot_shocks};
pub use self::measures::{
    cornish_fisher_es, cornish_fisher_var, historical_es, historical_var, moment_dof, normal_es,
    normal_var, sqrt_time_scale, student_t_es, student_t_var, Dof, Estimator, ExpectedShortfall,
    QuantileMethod, ValueAtRisk,
};
pub use self::returns::{
    aggregate_log_returns, aggregate_simple_returns, ewma_volatility, log_returns,
    log_returns_into, rolling_volatility, simple_returns, simple_returns_into, Annualisation,
    Overlap,
};
pub use self::traits::{Backtest, RiskMeasure, TestOutcome};
pub use self::volatility_weighted::{hull_white_ewma, hull_white_garch, volatility_weighted_into};
pub use self::walk_forward::{
    level_backtest, ForecastModel, LevelBacktest, ModelForecasts, Refit, WalkForward,
    WalkForwardReport, Window, MIN_FIRST_DAY,
};
