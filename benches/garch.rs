//! GARCH benches: fits (with robust and classic standard errors, as `arch`'s `fit` computes
//! them) of every specification of the GARCH tests — GARCH(1,1), GJR(1,1,1), EGARCH(1,1,1) ×
//! Normal, t, skew-t × zero and constant mean — on the BTC daily excerpt, GARCH(1,1)-Normal and
//! -t on a simulated 5,000-return series, a warm-started rolling refit, and the per-observation
//! cost of the filter, the log-likelihood and its exact gradient.
//! Compare with tools/time_arch_garch.py (docs/PERFORMANCE.md).
//!
//! cargo bench --bench garch -- --warm-up-time 1 --measurement-time 3

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use derisk::garch::{
    backcast, ConditionalVariance, Egarch, FitOptions, Garch, GarchModel, InnovationFamily,
    MeanModel, Volatility,
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

const DISTS: [(&str, InnovationFamily); 3] = [
    ("normal", InnovationFamily::Normal),
    ("t", InnovationFamily::StudentT),
    ("skewt", InnovationFamily::SkewT),
];

fn vols() -> [(&'static str, Volatility); 3] {
    [
        ("garch11", Volatility::Garch(Garch::new(1, 0, 1).unwrap())),
        ("gjr111", Volatility::Garch(Garch::new(1, 1, 1).unwrap())),
        (
            "egarch111",
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
        ),
    ]
}

fn fits(c: &mut Criterion) {
    let mut g = c.benchmark_group("garch_fit");
    let btc = btc_returns();
    for (vname, vol) in vols() {
        for (dname, dist) in DISTS {
            for (mname, mean) in [("const", MeanModel::Constant), ("zero", MeanModel::Zero)] {
                let m = GarchModel::new(mean, vol, dist).unwrap();
                g.bench_function(format!("{vname}_{dname}_{mname}/btc_2686"), |b| {
                    b.iter(|| m.fit(black_box(&btc)).unwrap())
                });
            }
        }
    }
    let y = simulated();
    for (name, dist) in [
        ("normal", InnovationFamily::Normal),
        ("t", InnovationFamily::StudentT),
    ] {
        let m = model(dist);
        g.bench_function(format!("garch11_{name}/sim_5000"), |b| {
            b.iter(|| m.fit(black_box(&y)).unwrap())
        });
    }
    g.finish();
}

/// Inference alone at a fit's estimates (`GarchModel::evaluate`: ℓ, scores and variances from
/// one pass, the Hessian's forward differences through the multi-point kernel, both
/// covariances): the part of every fit after the optimiser (issue 17, sixth step).
fn inference(c: &mut Criterion) {
    let mut g = c.benchmark_group("garch_inference");
    let btc = btc_returns();
    for (vname, vol) in vols() {
        for (dname, dist) in DISTS {
            let m = GarchModel::new(MeanModel::Constant, vol, dist).unwrap();
            let at = m.fit(&btc).unwrap().params().to_vec();
            g.bench_function(format!("{vname}_{dname}_const/btc_2686"), |b| {
                b.iter(|| m.evaluate(black_box(&btc), black_box(&at)).unwrap())
            });
        }
    }
    g.finish();
}

/// One rolling refit: a 1,000-day window of the BTC returns shifted by 21 days, started from
/// the previous window's estimates (no grid search) or cold (grid search, default starts).
fn warm_start(c: &mut Criterion) {
    let btc = btc_returns();
    let (first, next) = (&btc[..1_000], &btc[21..1_021]);
    let mut g = c.benchmark_group("garch_refit_1000_shift_21");
    for (vname, vol) in vols() {
        for (dname, dist) in DISTS {
            let m = GarchModel::new(MeanModel::Constant, vol, dist).unwrap();
            let prev = m.fit(first).unwrap();
            let warm = FitOptions {
                start: Some(prev.params().to_vec()),
                ..FitOptions::default()
            };
            g.bench_function(format!("{vname}_{dname}_const/warm"), |b| {
                b.iter(|| m.fit_with(black_box(next), &warm).unwrap())
            });
            g.bench_function(format!("{vname}_{dname}_const/cold"), |b| {
                b.iter(|| m.fit(black_box(next)).unwrap())
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
    let resid_ln_bc = bc.ln();
    for (name, vol, dist, th, start) in [
        (
            "garch11_skewt",
            Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
            InnovationFamily::SkewT,
            vec![0.17, 0.15, 0.11, 0.88, 3.3, -0.05],
            bc,
        ),
        (
            "egarch111_normal",
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
            InnovationFamily::Normal,
            vec![0.17, 0.05, 0.2, -0.02, 0.97],
            resid_ln_bc,
        ),
        (
            "egarch111_skewt",
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
            InnovationFamily::SkewT,
            vec![0.17, 0.05, 0.2, -0.02, 0.97, 3.3, -0.05],
            resid_ln_bc,
        ),
    ] {
        let m = GarchModel::new(MeanModel::Constant, vol, dist).unwrap();
        let mut grad = vec![0.0; th.len()];
        g.bench_function(format!("loglik_{name}"), |b| {
            b.iter(|| {
                m.log_likelihood_with_backcast(black_box(&y), &th, start)
                    .unwrap()
            })
        });
        g.bench_function(format!("loglik_gradient_{name}"), |b| {
            b.iter(|| {
                m.log_likelihood_gradient(black_box(&y), &th, start, &mut grad)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, fits, inference, warm_start, per_observation);
criterion_main!(benches);
