//! The risk layer (issue 13, first part): returns, VaR/ES, backtests and the historical P&L of a
//! book against the independent reference tests/data/risk_reference.json
//! (tools/gen_risk_reference.py: mpmath 1.3.0 at 50 digits, numpy 2.2.6 and scipy 1.14.1 as
//! cross-checks) on the real BTC daily closes of examples/data/btc_daily_close.csv; the Basel
//! Committee's 1996 traffic-light table; typed errors on bad input; a seeded adversarial sweep.

mod adversarial;
mod backtest;
mod bad_input;
mod book;
mod capital;
mod common;
mod component;
mod delta_gamma;
mod dependence;
mod exposure;
mod haircut;
mod hull_white;
mod liquidity;
mod measures;
mod monte_carlo;
mod returns;
mod sa_ccr;
mod stress;
mod walk_forward;

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
    check::<Window>();
    check::<ForecastModel>();
    check::<WalkForward>();
    check::<WalkForwardReport>();
    check::<ModelForecasts>();
    check::<LevelBacktest>();
    check::<Refit>();
    check::<RevaluationComparison>();
    check::<QuadraticMoments>();
    check::<DeltaGammaVar>();
    check::<TransactionType>();
    check::<RatingBand>();
    check::<SupervisoryCollateral>();
    check::<WrongWay>();
    check::<CryptoCollateralRisk>();
    check::<CryptoHaircutModel>();
    check::<HaircutBreakdown>();
    check::<ScheduleComparison>();
    check::<capital::CryptoGroup>();
    check::<capital::StablecoinTests>();
    check::<capital::AssetKind>();
    check::<capital::ClassificationConditions>();
    check::<capital::HedgingData>();
    check::<capital::HedgingThresholds>();
    check::<capital::CryptoAsset>();
    check::<capital::FailedCondition>();
    check::<capital::Classification>();
    check::<capital::Group2Exposure>();
    check::<capital::LimitStatus>();
    check::<capital::ExposureLimit>();
    check::<capital::Group2Capital>();
    check::<WorstMove>();
    check::<CrisisWindow>();
    check::<AssetHistory<'static>>();
    check::<StressScenario>();
    check::<ScenarioLibrary>();
    check::<ExpiryQuotes>();
    check::<TermPoint>();
    check::<SurfaceShock>();
    check::<PnlGrid>();
    check::<StressDirection>();
    check::<ReverseStress>();
    check::<SpreadStats>();
    check::<LiquidityAdjustedVar>();
    check::<ConcentrationLimits>();
    check::<ConcentrationFlags>();
    check::<KupiecTuff>();
    check::<PlusFactorRule>();
    check::<EsTestOutcome>();
    check::<PredictiveLaw>();
    check::<TickLossComparison>();
    check::<CopulaFit>();
    check::<Box<dyn RiskMeasure + Send + Sync>>();
    use derisk::risk::exposure as x;
    check::<x::ValuePaths>();
    check::<x::ExposureProfile>();
    check::<x::Csa>();
    check::<x::NettingSet>();
    check::<x::WrongWayCva>();
    check::<x::CalibratedIntensity>();
    check::<x::AssetClass>();
    check::<x::CreditRating>();
    check::<x::CommodityKind>();
    check::<x::SupervisoryClass>();
    check::<x::SaCcrDelta>();
    check::<x::SaCcrTrade>();
    check::<x::SaCcrMargin>();
    check::<x::SaCcrExposure>();
    check::<Box<dyn Backtest + Send + Sync>>();
    check::<McVarEs>();
}
