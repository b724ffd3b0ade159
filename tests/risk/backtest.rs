//! Backtests against tools/gen_risk_reference.py (mpmath at 50 digits, scipy.stats.chi2.sf and
//! binom.cdf as cross-checks) and against the Basel Committee's 1996 table.

use super::common::{f, log_returns, reference, rel};
use derisk::risk::{
    basel_traffic_light, christoffersen_independence, conditional_coverage, exceptions, kupiec_pof,
    Backtest, ChristoffersenIndependence, ConditionalCoverage, Kupiec, PlusFactorRule, RiskError,
    ValueAtRisk,
    Zone,
};

/// Rolling 500-day historical VaR (type 7) of BTC log returns over the last 1,000 days, at 99 %
/// and 97.5 %: the exception days must be identical to numpy's, and Kupiec, independence and
/// conditional coverage (statistics and p-values) agree to 1e-12.
#[test]
fn btc_rolling_window_backtest() {
    let r = &reference()["backtest"];
    let lr = log_returns();
    let series = &lr[lr.len() - 1500..];
    let mut scratch = Vec::with_capacity(500);
    for level in ["0.99", "0.975"] {
        let a: f64 = level.parse().unwrap();
        let var = ValueAtRisk::historical(a).unwrap();
        let forecasts: Vec<f64> = (500..1500)
            .map(|t| {
                var.evaluate_with(&series[t - 500..t], &mut scratch)
                    .unwrap()
            })
            .collect();
        let realised = &series[500..];
        let e = &r[level];
        rel(forecasts[0], f(&e["var_first"]), 1e-13, "first forecast");
        rel(forecasts[999], f(&e["var_last"]), 1e-13, "last forecast");
        let hits = exceptions(&forecasts, realised).unwrap();
        let days: Vec<usize> = hits
            .iter()
            .enumerate()
            .filter(|(_, &h)| h)
            .map(|(i, _)| i)
            .collect();
        let want: Vec<usize> = e["exception_days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(days, want, "exception days at {level}");
        let k = Kupiec::new(a).unwrap().test(&forecasts, realised).unwrap();
        assert_eq!((k.exceptions, k.observations), (want.len(), 1000));
        rel(k.statistic, f(&e["kupiec_lr"]), 1e-12, "kupiec LR");
        rel(k.p_value, f(&e["kupiec_p"]), 1e-12, "kupiec p");
        let i = ChristoffersenIndependence::new(a)
            .unwrap()
            .test(&forecasts, realised)
            .unwrap();
        rel(i.statistic, f(&e["ind_lr"]), 1e-12, "independence LR");
        rel(i.p_value, f(&e["ind_p"]), 1e-12, "independence p");
        let c = ConditionalCoverage::new(a)
            .unwrap()
            .test(&forecasts, realised)
            .unwrap();
        rel(c.statistic, f(&e["cc_lr"]), 1e-12, "cc LR");
        rel(c.p_value, f(&e["cc_p"]), 1e-12, "cc p");
        let last = &hits[750..];
        let x = last.iter().filter(|&&h| h).count();
        assert_eq!(x as u64, e["last250_exceptions"].as_u64().unwrap());
        let t = basel_traffic_light(250, x, a).unwrap();
        rel(
            t.cumulative_probability,
            f(&e["last250_cumulative"]),
            1e-12,
            "last 250 cumulative",
        );
    }
}

#[test]
fn kupiec_grid() {
    for c in reference()["kupiec_grid"].as_array().unwrap() {
        let (n, x, a) = (
            c["n"].as_u64().unwrap() as usize,
            c["x"].as_u64().unwrap() as usize,
            f(&c["confidence"]),
        );
        let out = kupiec_pof(n, x, a).unwrap();
        let (lr, p) = (f(&c["lr"]), f(&c["p_value"]));
        rel(out.statistic, lr, 1e-12, &format!("LR n={n} x={x} a={a}"));
        // p-values below 1e-300 are compared absolutely (erfc underflow at LR > 1,400).
        if p > 1e-290 {
            rel(out.p_value, p, 1e-12, &format!("p n={n} x={x} a={a}"));
        } else {
            assert!(out.p_value <= 1e-290);
        }
    }
}

#[test]
fn christoffersen_sequences() {
    for s in reference()["christoffersen_sequences"].as_array().unwrap() {
        let hits: Vec<bool> = s["hits"]
            .as_str()
            .unwrap()
            .bytes()
            .map(|b| b == b'1')
            .collect();
        let a = f(&s["confidence"]);
        if s.get("undefined").is_some() {
            assert!(matches!(
                christoffersen_independence(&hits),
                Err(RiskError::Undefined { .. })
            ));
            assert!(matches!(
                conditional_coverage(&hits, a),
                Err(RiskError::Undefined { .. })
            ));
            continue;
        }
        let i = christoffersen_independence(&hits).unwrap();
        rel(i.statistic, f(&s["ind_lr"]), 1e-12, "LR_ind");
        rel(i.p_value, f(&s["ind_p"]), 1e-12, "p_ind");
        let c = conditional_coverage(&hits, a).unwrap();
        rel(c.statistic, f(&s["cc_lr"]), 1e-12, "LR_cc");
        rel(c.p_value, f(&s["cc_p"]), 1e-12, "p_cc");
    }
}

/// Basel Committee on Banking Supervision, "Supervisory framework for the use of backtesting in
/// conjunction with the internal models approach to market risk capital requirements" (January
/// 1996), Table 2: zone, plus factor and cumulative probability (percent, two decimals) for
/// 0 … 10 exceptions in 250 observations of 99 % VaR. The percentages are scipy 1.14.1's
/// `binom.cdf(x, 250, 0.01)` rounded (checked by the lead); the plus factors are the Table's
/// (multipliers 3.40, 3.50, 3.65, 3.75, 3.85 and 4.00, as restated in MAR99 Table 2).
const BASEL_1996: [(Zone, f64, f64); 11] = [
    (Zone::Green, 0.00, 8.11),
    (Zone::Green, 0.00, 28.58),
    (Zone::Green, 0.00, 54.32),
    (Zone::Green, 0.00, 75.81),
    (Zone::Green, 0.00, 89.22),
    (Zone::Yellow, 0.40, 95.88),
    (Zone::Yellow, 0.50, 98.63),
    (Zone::Yellow, 0.65, 99.60),
    (Zone::Yellow, 0.75, 99.89),
    (Zone::Yellow, 0.85, 99.97),
    (Zone::Red, 1.00, 99.99),
];

#[test]
fn basel_1996_table() {
    for (x, (zone, plus, pct)) in BASEL_1996.iter().enumerate() {
        let t = basel_traffic_light(250, x, 0.99).unwrap();
        assert_eq!(t.zone, *zone, "{x} exceptions");
        assert_eq!(t.plus_factor, *plus, "{x} exceptions");
        assert_eq!(t.plus_factor_rule, PlusFactorRule::BaselTable);
        assert_eq!(
            (t.cumulative_probability * 1e4).round() / 100.0,
            *pct,
            "{x} exceptions"
        );
    }
    for x in 11..=250 {
        let t = basel_traffic_light(250, x, 0.99).unwrap();
        assert_eq!((t.zone, t.plus_factor), (Zone::Red, 1.0));
    }
}

/// Zones for any n and p against the exact binomial (mpmath, scipy.stats.binom.cdf): n = 250,
/// 500 and p = 1 %, 2.5 %, 5 %.
#[test]
fn binomial_zones() {
    for t in reference()["traffic_light"].as_array().unwrap() {
        let (n, a) = (t["n"].as_u64().unwrap() as usize, f(&t["confidence"]));
        let yellow = t["yellow_from"].as_u64().unwrap() as usize;
        let red = t["red_from"].as_u64().unwrap() as usize;
        for (x, c) in t["cumulative"].as_array().unwrap().iter().enumerate() {
            let got = basel_traffic_light(n, x, a).unwrap();
            rel(
                got.cumulative_probability,
                f(c),
                1e-12,
                &format!("cdf n={n} a={a} x={x}"),
            );
            let zone = if x < yellow {
                Zone::Green
            } else if x < red {
                Zone::Yellow
            } else {
                Zone::Red
            };
            assert_eq!(got.zone, zone, "n={n} a={a} x={x}");
        }
        assert_eq!(basel_traffic_light(n, n, a).unwrap().zone, Zone::Red);
    }
}

#[test]
fn undefined_and_limit_cases() {
    // Kupiec is defined at x = 0 and x = n: LR = −2n ln(1−p) and −2n ln p.
    let zero = kupiec_pof(250, 0, 0.99).unwrap();
    rel(
        zero.statistic,
        -2.0 * 250.0 * (-(1.0f64 - 0.99)).ln_1p(),
        1e-15,
        "x = 0",
    );
    let all = kupiec_pof(4, 4, 0.5).unwrap();
    rel(all.statistic, -8.0 * 0.5f64.ln(), 1e-15, "x = n");
    assert!(matches!(
        kupiec_pof(0, 0, 0.99),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        kupiec_pof(5, 6, 0.99),
        Err(RiskError::InvalidParameter { .. })
    ));
    // Independence: a single day, no exception, all exceptions.
    assert!(matches!(
        christoffersen_independence(&[true]),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        christoffersen_independence(&[false; 10]),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(
        christoffersen_independence(&[true; 10]),
        Err(RiskError::Undefined { .. })
    ));
}
