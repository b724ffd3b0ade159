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
mod error;
mod historical;
mod measures;
mod monte_carlo;
mod returns;
mod stats;
mod traits;

pub use self::backtest::{
    basel_traffic_light, christoffersen_independence, conditional_coverage, exceptions, kupiec_pof,
    ChristoffersenIndependence, ConditionalCoverage, Kupiec, TrafficLight, Zone,
};
pub use self::error::RiskError;
pub use self::historical::{book_pnl, spot_shocks};
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
pub use self::traits::{Backtest, RiskMeasure, TestOutcome};
