//! Backtests of risk forecasts: coverage of VaR (Kupiec, Christoffersen), the Basel traffic
//! light, Acerbi–Székely tests of ES and the quantile (tick) loss. The maths is in docs/risk.md.

mod acerbi_szekely;
mod coverage;
mod tick_loss;
mod traffic_light;

pub use self::acerbi_szekely::{
    acerbi_szekely_z1, acerbi_szekely_z1_statistic, acerbi_szekely_z2, acerbi_szekely_z2_statistic,
    EsTestOutcome, PredictiveLaw,
};
pub use self::coverage::{
    christoffersen_independence, conditional_coverage, exceptions, kupiec_pof, kupiec_tuff,
    ChristoffersenIndependence, ConditionalCoverage, Kupiec, KupiecTuff,
};
pub use self::tick_loss::{compare_tick_loss, tick_loss, TickLossComparison};
pub use self::traffic_light::{basel_traffic_light, PlusFactorRule, TrafficLight, Zone};
