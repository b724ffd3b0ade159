//! Against QuantLib 1.44 (tools/gen_vol_reference.py): SABR implied vols from given parameters
//! agree with `sabrVolatility` to 1e-12; SVI and SABR slice fits on the same quotes (two real BTC
//! expiries of the Deribit snapshot of 2025-12-30 and an equity-like smile) are no worse than
//! QuantLib's, and the parameters agree where the problem is well-posed.

use crate::common;
use crate::common::floats;

use derisk::vol::{sabr_volatility, Calibrate, CalibrationOptions, Sabr, SliceQuotes, Svi};

#[test]
fn sabr_vols_agree_with_quantlib_to_1e12() {
    let r = common::fixture("vol_reference.json");
    let mut worst = 0.0_f64;
    for p in r["sabr_points"].as_array().unwrap() {
        let p = floats(p);
        let (f, k, t, alpha, beta, rho, nu, want) =
            (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
        let got = sabr_volatility(f, k, t, alpha, beta, rho, nu).unwrap();
        worst = worst.max((got - want).abs());
        assert!(
            (got - want).abs() <= 1e-12,
            "F {f} K {k}: {got} vs QuantLib {want}"
        );
    }
    eprintln!("SABR vs QuantLib sabrVolatility: worst |Δσ| = {worst:e}");
}

fn slices() -> Vec<(String, SliceQuotes, serde_json::Value, serde_json::Value)> {
    let r = common::fixture("vol_reference.json");
    r["slices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let q = SliceQuotes::from_strikes(
                s["expiry"].as_f64().unwrap(),
                s["forward"].as_f64().unwrap(),
                &floats(&s["strikes"]),
                &floats(&s["vols"]),
            )
            .unwrap();
            (
                s["name"].as_str().unwrap().to_string(),
                q,
                s["quantlib_svi"].clone(),
                s["quantlib_sabr"].clone(),
            )
        })
        .collect()
}

#[test]
fn svi_fit_is_no_worse_than_quantlibs() {
    for (name, quotes, ql, _) in slices() {
        let fit = Svi::calibrate(&quotes, &CalibrationOptions::default()).unwrap();
        let ql_rmse = ql["rmse_vol_points"].as_f64().unwrap();
        let ours = fit.diagnostics.rmse_vol_points;
        eprintln!(
            "{name}: SVI RMSE ours {ours:.6} vs QuantLib {ql_rmse:.6} vol points; {:?}",
            fit.model
        );
        assert!(
            ours <= ql_rmse * (1.0 + 1e-9),
            "{name}: {ours} vs {ql_rmse}"
        );
        // Where the fits reach the same optimum (RMSE within 1 %), the parameters agree.
        if ours > 0.99 * ql_rmse {
            let want = [
                ql["a"].as_f64().unwrap(),
                ql["b"].as_f64().unwrap(),
                ql["rho"].as_f64().unwrap(),
                ql["m"].as_f64().unwrap(),
                ql["sigma"].as_f64().unwrap(),
            ];
            for (x, y) in fit.model.to_array().iter().zip(want) {
                assert!(
                    (x - y).abs() < 2e-3 * (1.0 + y.abs()),
                    "{name}: {:?} vs {want:?}",
                    fit.model
                );
            }
        }
    }
}

#[test]
fn sabr_fit_is_no_worse_than_quantlibs() {
    for (name, quotes, _, ql) in slices() {
        let beta = ql["beta"].as_f64().unwrap();
        let options = CalibrationOptions::default().with_sabr_beta(beta);
        let fit = Sabr::calibrate(&quotes, &options).unwrap();
        let ql_rmse = ql["rmse_vol_points"].as_f64().unwrap();
        let ours = fit.diagnostics.rmse_vol_points;
        eprintln!(
            "{name}: SABR RMSE ours {ours:.6} vs QuantLib {ql_rmse:.6} vol points; {:?}",
            fit.model.parameters()
        );
        assert!(
            ours <= ql_rmse * (1.0 + 1e-9),
            "{name}: {ours} vs {ql_rmse}"
        );
        if ours > 0.99 * ql_rmse {
            let [alpha, _, rho, nu] = fit.model.parameters();
            let want = [
                ql["alpha"].as_f64().unwrap(),
                ql["rho"].as_f64().unwrap(),
                ql["nu"].as_f64().unwrap(),
            ];
            for (x, y) in [alpha, rho, nu].iter().zip(want) {
                assert!(
                    (x - y).abs() < 2e-3 * (1.0 + y.abs()),
                    "{name}: {alpha} {rho} {nu} vs {want:?}"
                );
            }
        }
    }
}
