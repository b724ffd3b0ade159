//! Volatility-weighted historical simulation (Hull–White, EWMA λ = 0.94) on the last 1,000 BTC
//! daily log returns of tests/data/btc_eth_daily_2019_2025.csv against numpy
//! (tools/gen_risk_extra_reference.py, tests/data/risk_extra_reference.json), to 1e-12.

use derisk::garch::GarchModel;
use derisk::risk::{
    hull_white_ewma, hull_white_garch, volatility_weighted_into, ExpectedShortfall, RiskError,
    RiskMeasure, ValueAtRisk,
};
use serde_json::Value;

use super::common::{f, rel};
use super::walk_forward::returns;

pub fn extra() -> Value {
    serde_json::from_str(include_str!("../data/risk_extra_reference.json")).unwrap()
}

#[test]
fn ewma_scenarios_and_measures_match_numpy() {
    let want = &extra()["hull_white"];
    let r = returns(1);
    let r = &r[r.len() - 1000..];
    let s = hull_white_ewma(r, 0.94).unwrap();
    rel(s[0], f(&want["first"]), 1e-12, "first scenario");
    rel(s[999], f(&want["last"]), 1e-12, "last scenario");
    for a in ["0.99", "0.975"] {
        let c: f64 = a.parse().unwrap();
        let var = ValueAtRisk::historical(c).unwrap().evaluate(&s).unwrap();
        let es = ExpectedShortfall::historical(c)
            .unwrap()
            .evaluate(&s)
            .unwrap();
        rel(var, f(&want[a]["var"]), 1e-12, "hull-white var");
        rel(es, f(&want[a]["es"]), 1e-12, "hull-white es");
    }
}

/// The GARCH variant rescales the fit's residuals by σ_{T+1}/σ_t: checked against the fit's own
/// conditional volatility and 1-step forecast (a zero mean, known parameters).
#[test]
fn garch_scenarios_rescale_residuals() {
    let r = returns(1);
    let y: Vec<f64> = r[r.len() - 500..].iter().map(|x| 100.0 * x).collect();
    let fit = GarchModel::garch11_t()
        .evaluate(&y, &[0.1, 0.05, 0.1, 0.85, 5.0])
        .unwrap();
    let s = hull_white_garch(&fit).unwrap();
    let sig = fit.conditional_volatility();
    let now = fit.forecast_return_variance(1).unwrap()[0].sqrt();
    for t in [0, 250, 499] {
        rel(
            s[t],
            0.1 + (y[t] - 0.1) * now / sig[t],
            1e-13,
            "garch scenario",
        );
    }
}

#[test]
fn bad_input_is_typed() {
    let mut out = [0.0; 2];
    assert!(matches!(
        volatility_weighted_into(&[0.01, 0.02], &[0.01, 0.0], 0.02, &mut out),
        Err(RiskError::InvalidParameter {
            name: "volatility",
            ..
        })
    ));
    assert!(matches!(
        volatility_weighted_into(&[0.01], &[0.01, 0.02], 0.02, &mut out),
        Err(RiskError::LengthMismatch { .. })
    ));
    assert!(matches!(
        hull_white_ewma(&[0.01, f64::NAN], 0.94),
        Err(RiskError::NonFinite { .. })
    ));
    assert!(hull_white_ewma(&[], 0.94).is_err());
}
