//! GARCH benches: fits of GARCH(1,1)-Normal and -t (with robust and classic standard errors, as
//! `arch`'s `fit` computes them) on the BTC daily excerpt and on a simulated 5,000-return series,
//! and the per-observation cost of the filter, the log-likelihood and its exact gradient.
//! Compare with tools/time_arch_garch.py (docs/PERFORMANCE.md).
//!
//! cargo bench --bench garch -- --warm-up-time 1 --measurement-time 3

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use derisk::garch::{
    backcast, ConditionalVariance, Garch, GarchModel, InnovationFamily, MeanModel, Volatility,
};

const CLOSES: &str = include_str!("../examples/data/btc_daily_close.csv");

fn btc_returns() -> Vec<f64> {
    let closes: Vec<f64> = CLOSES
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.trim().parse().ok())
        .collect();
    closes
        .windows(2)
        .map(|w| 100.0 * (w[1] / w[0]).ln())
        .collect()
}

fn model(dist: InnovationFamily) -> GarchModel {
    GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        dist,
    )
    .unwrap()
}

/// ChaCha20 keyed by a u64 seed's 8 little-endian bytes then zeros (as tools/time_arch_garch.py).
fn seeded(seed: u64) -> rand_chacha::ChaCha20Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    <rand_chacha::ChaCha20Rng as rand::SeedableRng>::from_seed(key)
}

/// The simulated series tools/time_arch_garch.py rebuilds: constant mean, GARCH(1,1)-Normal,
/// (μ, ω, α, β) = (0.05, 0.1, 0.08, 0.9), 5,000 returns after 500 burn-in, seed 5000.
fn simulated() -> Vec<f64> {
    model(InnovationFamily::Normal)
        .simulate_with(&[0.05, 0.1, 0.08, 0.9], 5_000, 500, &mut seeded(5_000))
        .unwrap()
        .returns
}

fn fits(c: &mut Criterion) {
    let mut g = c.benchmark_group("garch_fit");
    for (series, y) in [("btc_2686", btc_returns()), ("sim_5000", simulated())] {
        for (name, dist) in [
            ("normal", InnovationFamily::Normal),
            ("t", InnovationFamily::StudentT),
        ] {
            let m = model(dist);
            g.bench_function(format!("garch11_{name}/{series}"), |b| {
                b.iter(|| m.fit(black_box(&y)).unwrap())
            });
        }
    }
    g.finish();
}

fn per_observation(c: &mut Criterion) {
    let y = btc_returns();
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let resid: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let bc = backcast(&resid);
    let mut g = c.benchmark_group("garch_per_observation");
    g.throughput(Throughput::Elements(n as u64));
    let garch = Garch::new(1, 0, 1).unwrap();
    let mut out = vec![0.0; n];
    g.bench_function("filter_garch11", |b| {
        b.iter(|| {
            garch
                .filter(black_box(&[0.15, 0.11, 0.88]), &resid, bc, &mut out)
                .unwrap()
        })
    });
    for (name, dist, th) in [
        (
            "normal",
            InnovationFamily::Normal,
            vec![0.19, 0.70, 0.13, 0.84],
        ),
        (
            "t",
            InnovationFamily::StudentT,
            vec![0.17, 0.15, 0.11, 0.88, 3.3],
        ),
    ] {
        let m = model(dist);
        g.bench_function(format!("loglik_garch11_{name}"), |b| {
            b.iter(|| {
                m.log_likelihood_with_backcast(black_box(&y), &th, bc)
                    .unwrap()
            })
        });
        let mut grad = vec![0.0; th.len()];
        g.bench_function(format!("loglik_gradient_garch11_{name}"), |b| {
            b.iter(|| {
                m.log_likelihood_gradient(black_box(&y), &th, bc, &mut grad)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, fits, per_observation);
criterion_main!(benches);
