//! Risk measures of 10,000 daily P&Ls (about 27 years of days; seeded ChaCha20 normal draws
//! through `norm_inv_cdf`): historical VaR (type 7, type 1, Harrell–Davis) and ES with a reused
//! scratch buffer (allocation-free), the allocating `RiskMeasure::evaluate`, and the parametric
//! estimators; plus Kupiec and Christoffersen on 10,000 forecasts. Issue 14: the comprehensive-
//! approach exposure after haircuts and the crypto haircut model on 10,000 positions, and the
//! Group 2a bucket capital of 10,000 sensitivities.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::math::norm_inv_cdf;
use derisk::risk::{
    Backtest, ConditionalCoverage, Dof, ExpectedShortfall, Kupiec, QuantileMethod, RiskMeasure,
    ValueAtRisk,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const N: usize = 10_000;

fn pnl() -> Vec<f64> {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    (0..N)
        .map(|_| 1_000.0 * norm_inv_cdf(rng.random_range(1e-12..1.0 - 1e-12)).expect("p"))
        .collect()
}

fn measures(c: &mut Criterion) {
    let pnl = pnl();
    let mut g = c.benchmark_group("risk_10000_pnl");
    g.throughput(Throughput::Elements(N as u64));
    let mut scratch = Vec::with_capacity(N);
    let hist = ValueAtRisk::historical(0.99).expect("var");
    for (name, method) in [
        ("historical_var_linear", QuantileMethod::Linear),
        ("historical_var_inverted_cdf", QuantileMethod::InvertedCdf),
        ("historical_var_harrell_davis", QuantileMethod::HarrellDavis),
    ] {
        let v = hist.with_quantile(method);
        g.bench_function(name, |b| {
            b.iter(|| v.evaluate_with(black_box(&pnl), &mut scratch).expect("var"))
        });
    }
    let es = ExpectedShortfall::historical(0.975).expect("es");
    g.bench_function("historical_es", |b| {
        b.iter(|| es.evaluate_with(black_box(&pnl), &mut scratch).expect("es"))
    });
    g.bench_function("historical_var_linear_allocating", |b| {
        b.iter(|| hist.evaluate(black_box(&pnl)).expect("var"))
    });
    for (name, v) in [
        ("normal_var", ValueAtRisk::normal(0.99).expect("n")),
        (
            "student_t_moments_var",
            ValueAtRisk::student_t(0.99, Dof::Moments).expect("t"),
        ),
        (
            "cornish_fisher_var",
            ValueAtRisk::cornish_fisher(0.99).expect("cf"),
        ),
    ] {
        g.bench_function(name, |b| b.iter(|| v.evaluate(black_box(&pnl)).expect("v")));
    }
    let forecasts = vec![2_326.0; N];
    let kupiec = Kupiec::new(0.99).expect("k");
    let cc = ConditionalCoverage::new(0.99).expect("cc");
    g.bench_function("kupiec", |b| {
        b.iter(|| {
            kupiec
                .test(black_box(&forecasts), black_box(&pnl))
                .expect("k")
        })
    });
    g.bench_function("conditional_coverage", |b| {
        b.iter(|| cc.test(black_box(&forecasts), black_box(&pnl)).expect("cc"))
    });
    g.finish();
}

fn haircuts(c: &mut Criterion) {
    use derisk::risk::capital::group2a_bucket_capital;
    use derisk::risk::{
        exposure_after_haircuts, CryptoCollateralRisk, CryptoHaircutModel, WrongWay,
    };
    let pnl = pnl();
    let mut g = c.benchmark_group("haircut_10000");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("exposure_after_haircuts", |b| {
        b.iter(|| {
            pnl.iter()
                .map(|x| exposure_after_haircuts(x.abs(), 0.0, 900.0, 0.15, 0.08).expect("e"))
                .sum::<f64>()
        })
    });
    let model = CryptoHaircutModel::new(0.99, 5.0).expect("model");
    g.bench_function("crypto_haircut_wrong_way", |b| {
        b.iter(|| {
            pnl.iter()
                .map(|x| {
                    let risk = CryptoCollateralRisk {
                        volatility: 0.5 + x.abs() * 1e-4,
                        liquidation_cost: 0.01,
                        liquidation_days: 1.0,
                        wrong_way: Some(WrongWay {
                            correlation: 0.4,
                            default_probability: 0.01,
                        }),
                    };
                    model.haircut(black_box(&risk)).expect("h").total
                })
                .sum::<f64>()
        })
    });
    g.bench_function("group2a_bucket_capital", |b| {
        b.iter(|| group2a_bucket_capital(black_box(&pnl), 0.999).expect("k"))
    });
    g.finish();
}

criterion_group!(benches, measures, haircuts);
criterion_main!(benches);
