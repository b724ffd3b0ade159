//! Walk-forward VaR/ES (issue 13) on real BTC and ETH closes against the same pipeline run by
//! tools/gen_walk_forward_reference.py (arch 8.0.0 for GARCH(1,1)-t, numpy 2.2.6 / scipy 1.14.1
//! for historical simulation and EWMA), tests/data/walk_forward_reference.json.

use derisk::garch::GarchModel;
use derisk::risk::{log_returns, WalkForward, WalkForwardReport, Window};
use serde_json::Value;

use super::common::{f, rel};

const PRICES: &str = include_str!("../data/btc_eth_daily_2019_2025.csv");
const REFERENCE: &str = include_str!("../data/walk_forward_reference.json");

/// Log returns of the BTC (column 1) or ETH (column 2) closes, 2019-01-01 .. 2025-12-31.
pub fn returns(column: usize) -> Vec<f64> {
    let p: Vec<f64> = PRICES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').nth(column).unwrap().parse().unwrap())
        .collect();
    log_returns(&p).unwrap()
}

fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

fn days(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect()
}

/// BTC, rolling 500 days, refit every 21, the first 378 forecast days (18 refits); run once and
/// shared by the tests below.
fn short_run() -> (&'static WalkForwardReport, Value) {
    static RUN: std::sync::OnceLock<WalkForwardReport> = std::sync::OnceLock::new();
    let rep = RUN.get_or_init(|| {
        let r = returns(1);
        let wf = WalkForward::new(
            GarchModel::garch11_t(),
            21,
            Window::Rolling(500),
            &[0.99, 0.975],
        )
        .unwrap();
        wf.run(&r[..500 + 378]).unwrap()
    });
    (rep, reference()["short"].clone())
}

/// Historical simulation and EWMA: numpy's numbers to 1e-12 relative, day by day.
#[test]
fn historical_and_ewma_match_numpy() {
    let (rep, want) = short_run();
    assert_eq!(rep.first_day, 500);
    let fc = &want["forecasts"];
    for (name, got) in [("hs", &rep.historical), ("ewma", &rep.ewma)] {
        for i in 0..378 {
            for l in 0..2 {
                let w = &fc[name][i][l];
                rel(
                    got.var[l][i],
                    f(&w[0]),
                    1e-12,
                    &format!("{name} var day {i} level {l}"),
                );
                rel(
                    got.es[l][i],
                    f(&w[1]),
                    1e-12,
                    &format!("{name} es day {i} level {l}"),
                );
            }
        }
        let key = if name == "hs" { "hs" } else { "ewma" };
        for (l, a) in ["0.99", "0.975"].iter().enumerate() {
            assert_eq!(
                got.backtests[l].exception_days,
                days(&want["exceptions"][key][a]),
                "{name} {a}"
            );
        }
    }
}

/// GARCH: each refit's log-likelihood at least arch's − 1e-6 relative (both are optimisers; ours
/// may be higher where arch's SLSQP stops early, flag 8), σ, VaR and ES forecasts within 1e-5
/// relative of arch's (the two optima differ by optimiser tolerance: the largest σ difference
/// seen is 1.7e-6 relative), and the exception days identical.
#[test]
fn garch_matches_arch() {
    let (rep, want) = short_run();
    let refits = want["refits"].as_array().unwrap();
    assert_eq!(rep.refits.len(), refits.len());
    for (got, w) in rep.refits.iter().zip(refits) {
        assert_eq!(got.day as u64, w["day"].as_u64().unwrap());
        let ll = f(&w["loglik"]);
        assert!(
            got.loglik >= ll - 1e-6 * ll.abs(),
            "refit day {}: loglik {} below arch's {ll}",
            got.day,
            got.loglik
        );
    }
    let fc = &want["forecasts"];
    for i in 0..378 {
        rel(
            rep.garch_volatility[i],
            f(&fc["sigma"][i]),
            1e-5,
            &format!("sigma day {i}"),
        );
        for l in 0..2 {
            let w = &fc["garch"][i][l];
            rel(
                rep.garch.var[l][i],
                f(&w[0]),
                1e-5,
                &format!("garch var day {i}"),
            );
            rel(
                rep.garch.es[l][i],
                f(&w[1]),
                1e-5,
                &format!("garch es day {i}"),
            );
        }
    }
    for (l, a) in ["0.99", "0.975"].iter().enumerate() {
        assert_eq!(
            rep.garch.backtests[l].exception_days,
            days(&want["exceptions"]["garch"][a]),
            "garch {a}"
        );
    }
}

/// The backtest summary is the existing tests applied to the exception sequence.
#[test]
fn backtest_summary_is_consistent() {
    let (rep, _) = short_run();
    for m in [&rep.garch, &rep.historical, &rep.ewma] {
        for (b, &a) in m.backtests.iter().zip(&rep.confidences) {
            let k = derisk::risk::kupiec_pof(378, b.exceptions, a).unwrap();
            assert_eq!(b.kupiec, k);
            assert_eq!(b.observations, 378);
            assert_eq!(b.exception_days.len(), b.exceptions);
            let tl = derisk::risk::basel_traffic_light(378, b.exceptions, a).unwrap();
            assert_eq!(b.traffic_light, tl);
        }
    }
}

/// The full 2019–2025 pipeline (rolling 1,000 days, 75 refits per asset): exception days of
/// every model and level identical to the reference. Slow in debug; examples/risk.rs runs it in
/// release, and the short run above checks the same code paths.
#[test]
#[ignore]
fn full_pipeline_matches_reference() {
    let want = reference();
    for (name, col) in [("btc", 1), ("eth", 2)] {
        let wf = WalkForward::new(
            GarchModel::garch11_t(),
            21,
            Window::Rolling(1000),
            &[0.99, 0.975],
        )
        .unwrap();
        let r = returns(col);
        let rep = wf.run(&r).unwrap();
        let w = &want["full"][name];
        for (key, m) in [
            ("garch", &rep.garch),
            ("hs", &rep.historical),
            ("ewma", &rep.ewma),
        ] {
            for (l, a) in ["0.99", "0.975"].iter().enumerate() {
                assert_eq!(
                    m.backtests[l].exception_days,
                    days(&w["exceptions"][key][a]),
                    "{name} {key} {a}"
                );
            }
        }
        for (got, p) in rep.refits.iter().zip(w["refits"].as_array().unwrap()) {
            let ll = f(&p["loglik"]);
            if (name, got.day) == ("btc", 2302) {
                // Known: arch's SLSQP finds a second mode (ω 3.11, α 0.256, β 0.473) that our
                // warm start and 3-start grid miss (ω 1.09, α 0.145, β 0.777), 6e-5 relative
                // lower (docs/VALIDATION.md); the exceptions still agree. Our likelihood at
                // arch's parameters is arch's: the difference is the optimiser's, not the model's.
                let y: Vec<f64> = r[got.window_start..got.day]
                    .iter()
                    .map(|x| 100.0 * x)
                    .collect();
                let at = GarchModel::garch11_t()
                    .log_likelihood(&y, &super::common::floats(&p["params"]))
                    .unwrap();
                rel(at, ll, 1e-10, "likelihood at arch's optimum");
                assert!(got.loglik < ll && got.loglik > ll - 1e-4 * ll.abs());
                continue;
            }
            assert!(got.loglik >= ll - 1e-6 * ll.abs(), "{name} day {}", got.day);
        }
    }
}

/// Settings and series the walk-forward cannot use are typed errors.
#[test]
fn bad_input_is_typed() {
    use derisk::garch::{Garch, InnovationFamily, MeanModel, Volatility};
    use derisk::risk::RiskError;
    let t = GarchModel::garch11_t();
    let bad = |r: Result<WalkForward, RiskError>| r.unwrap_err();
    assert!(matches!(
        bad(WalkForward::new(t, 0, Window::Rolling(100), &[0.99])),
        RiskError::InvalidParameter {
            name: "refit_every",
            ..
        }
    ));
    assert!(matches!(
        bad(WalkForward::new(t, 5, Window::Rolling(1), &[0.99])),
        RiskError::InvalidParameter { name: "window", .. }
    ));
    assert!(matches!(
        bad(WalkForward::new(t, 5, Window::Rolling(100), &[])),
        RiskError::TooShort { .. }
    ));
    assert!(matches!(
        bad(WalkForward::new(t, 5, Window::Rolling(100), &[0.99, 1.0])),
        RiskError::InvalidConfidence { .. }
    ));
    let garch = Volatility::Garch(Garch::new(1, 0, 1).unwrap());
    let skew = GarchModel::new(MeanModel::Constant, garch, InnovationFamily::SkewT).unwrap();
    assert!(matches!(
        bad(WalkForward::new(skew, 5, Window::Rolling(100), &[0.99])),
        RiskError::InvalidParameter {
            name: "innovation",
            ..
        }
    ));
    let ar = GarchModel::new(MeanModel::Ar1, garch, InnovationFamily::Normal).unwrap();
    assert!(matches!(
        bad(WalkForward::new(ar, 5, Window::Rolling(100), &[0.99])),
        RiskError::InvalidParameter {
            name: "mean model",
            ..
        }
    ));
    let wf = WalkForward::new(t, 5, Window::Rolling(100), &[0.99]).unwrap();
    assert!(matches!(
        wf.run(&[0.01; 100]),
        Err(RiskError::TooShort { min: 101, .. })
    ));
    let mut r = returns(1)[..150].to_vec();
    r[120] = f64::NAN;
    assert!(matches!(
        wf.run(&r),
        Err(RiskError::NonFinite { index: 120, .. })
    ));
    // A constant window cannot be fitted: the GARCH error is reported with its day.
    assert!(matches!(
        wf.run(&[0.0; 150]),
        Err(RiskError::Garch { day: 100, .. })
    ));
}

/// An expanding window refits on every return before the refit day, and warm start off still
/// runs (the parameter path is reported either way).
#[test]
fn expanding_window_and_cold_starts() {
    let r = returns(2);
    let wf = WalkForward::new(GarchModel::garch11_t(), 60, Window::Expanding, &[0.99])
        .unwrap()
        .with_min_window(300)
        .unwrap()
        .with_warm_start(false);
    let rep = wf.run(&r[..420]).unwrap();
    assert_eq!(rep.first_day, 300);
    assert_eq!(rep.refits.len(), 2);
    assert!(rep
        .refits
        .iter()
        .all(|f| f.window_start == 0 && !f.warm_started));
    assert_eq!((rep.refits[0].day, rep.refits[1].day), (300, 360));
    assert_eq!(rep.garch.var[0].len(), 120);
}
