//! 1-day VaR and ES at 99 % and 97.5 % of the last 1,000 BTC log returns (2019-05-01 ..
//! 2022-01-24) by every estimator, against tools/gen_risk_reference.py: mpmath at 50 digits
//! (type-7 and type-1 quantiles, Harrell–Davis beta weights, Acerbi–Tasche ES with exact decimal
//! n(1−α), normal/t/Cornish–Fisher closed forms, Cornish–Fisher ES by mpmath.quad), cross-checked
//! there against numpy.quantile, scipy.stats.mstats.hdquantiles, scipy.stats.norm/t.

use super::common::{f, log_returns, reference, rel};

type Case<'a> = (&'a str, Box<dyn Fn(&mut Vec<f64>) -> f64 + 'a>, f64);
use derisk::risk::{Dof, ExpectedShortfall, QuantileMethod, RiskMeasure, ValueAtRisk};

#[test]
fn btc_window_every_estimator() {
    let r = &reference()["measures"];
    let lr = log_returns();
    let sample = &lr[lr.len() - 1000..];
    let mut scratch = Vec::with_capacity(1000);
    for level in ["0.99", "0.975"] {
        let e = &r["levels"][level];
        let a: f64 = level.parse().unwrap();
        let hist = ValueAtRisk::historical(a).unwrap();
        let cases: [Case; 14] = [
            (
                "hist_var_linear",
                Box::new(|s| hist.evaluate_with(sample, s).unwrap()),
                1e-13,
            ),
            (
                "hist_var_inverted_cdf",
                Box::new(|s| {
                    hist.with_quantile(QuantileMethod::InvertedCdf)
                        .evaluate_with(sample, s)
                        .unwrap()
                }),
                1e-13,
            ),
            (
                "hist_var_harrell_davis",
                Box::new(|s| {
                    hist.with_quantile(QuantileMethod::HarrellDavis)
                        .evaluate_with(sample, s)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "hist_es",
                Box::new(|s| {
                    ExpectedShortfall::historical(a)
                        .unwrap()
                        .evaluate_with(sample, s)
                        .unwrap()
                }),
                1e-13,
            ),
            (
                "normal_var",
                Box::new(|_| ValueAtRisk::normal(a).unwrap().evaluate(sample).unwrap()),
                1e-12,
            ),
            (
                "normal_es",
                Box::new(|_| {
                    ExpectedShortfall::normal(a)
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "t4_var",
                Box::new(|_| {
                    ValueAtRisk::student_t(a, Dof::Fixed(4.0))
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "t4_es",
                Box::new(|_| {
                    ExpectedShortfall::student_t(a, Dof::Fixed(4.0))
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "tmom_var",
                Box::new(|_| {
                    ValueAtRisk::student_t(a, Dof::Moments)
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "tmom_es",
                Box::new(|_| {
                    ExpectedShortfall::student_t(a, Dof::Moments)
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "cf_var",
                Box::new(|_| {
                    ValueAtRisk::cornish_fisher(a)
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            (
                "cf_es",
                Box::new(|_| {
                    ExpectedShortfall::cornish_fisher(a)
                        .unwrap()
                        .evaluate(sample)
                        .unwrap()
                }),
                1e-12,
            ),
            // The same through the free kernels with the reference's own moments.
            (
                "normal_var",
                Box::new(|_| {
                    derisk::risk::normal_var(f(&r["mean"]), f(&r["sample_std"]), a).unwrap()
                }),
                1e-12,
            ),
            (
                "cf_var",
                Box::new(|_| {
                    derisk::risk::cornish_fisher_var(
                        f(&r["mean"]),
                        f(&r["sample_std"]),
                        f(&r["skewness"]),
                        f(&r["excess_kurtosis"]),
                        a,
                    )
                    .unwrap()
                }),
                1e-12,
            ),
        ];
        for (key, run, tol) in cases {
            let got = run(&mut scratch);
            rel(got, f(&e[key]), tol, &format!("{key} at {level}"));
        }
    }
    // ν by moments from the sample's excess kurtosis 18.9: ν = 4 + 6/κ ≈ 4.317.
    let kurt = f(&r["excess_kurtosis"]);
    rel(
        derisk::risk::moment_dof(kurt).unwrap(),
        f(&r["nu_moments"]),
        1e-13,
        "moment ν",
    );
}

#[test]
fn orderings_that_must_hold() {
    let lr = log_returns();
    let sample = &lr[lr.len() - 1000..];
    for a in [0.95, 0.975, 0.99] {
        let v1 = ValueAtRisk::historical(a)
            .unwrap()
            .with_quantile(QuantileMethod::InvertedCdf)
            .evaluate(sample)
            .unwrap();
        let es = ExpectedShortfall::historical(a)
            .unwrap()
            .evaluate(sample)
            .unwrap();
        assert!(es >= v1, "ES ≥ VaR (type 1) at {a}");
        let vn = ValueAtRisk::normal(a).unwrap().evaluate(sample).unwrap();
        let en = ExpectedShortfall::normal(a)
            .unwrap()
            .evaluate(sample)
            .unwrap();
        assert!(en > vn);
    }
}
