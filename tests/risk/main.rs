//! The risk layer (issue 13, first part): returns, VaR/ES, backtests and the historical P&L of a
//! book against the independent reference tests/data/risk_reference.json
//! (tools/gen_risk_reference.py: mpmath 1.3.0 at 50 digits, numpy 2.2.6 and scipy 1.14.1 as
//! cross-checks) on the real BTC daily closes of examples/data/btc_daily_close.csv; the Basel
//! Committee's 1996 traffic-light table; typed errors on bad input; a seeded adversarial sweep.

mod adversarial;
mod backtest;
mod bad_input;
mod book;
mod common;
mod measures;
mod monte_carlo;
mod returns;

/// Every public type of `risk` is `Send + Sync` (compile-time check).
#[test]
fn send_sync() {
    fn check<T: Send + Sync>() {}
    use derisk::risk::*;
    check::<RiskError>();
    check::<ValueAtRisk>();
    check::<ExpectedShortfall>();
    check::<Estimator>();
    check::<Dof>();
    check::<QuantileMethod>();
    check::<Overlap>();
    check::<Annualisation>();
    check::<TestOutcome>();
    check::<Kupiec>();
    check::<ChristoffersenIndependence>();
    check::<ConditionalCoverage>();
    check::<TrafficLight>();
    check::<Zone>();
    check::<Box<dyn RiskMeasure + Send + Sync>>();
    check::<Box<dyn Backtest + Send + Sync>>();
    check::<McVarEs>();
}
