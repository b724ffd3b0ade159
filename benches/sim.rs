//! Simulation hot paths, 1,000 paths of 10 daily steps each into a reused buffer (no
//! allocation per path): GBM, Merton, GARCH-driven and filtered historical paths from a
//! GARCH(1,1)-normal fit of the BTC daily percent returns, and a t copula tying two GARCH
//! margins; plus Monte Carlo VaR/ES with standard errors of 10,000 simulated P&Ls.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::garch::{
    Garch, GarchFit, GarchModel, InnovationFamily, MeanModel, SimulationStart, Volatility,
};
use derisk::risk::simulated_var_es;
use derisk::sim::{Copula, CopulaGarch, Correlation, Fhs, GarchPaths, Gbm, Merton, PathGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const PATHS: usize = 1_000;
const STEPS: usize = 10;

/// GARCH(1,1)-normal at arch's parameters on the BTC percent returns (tests/data).
fn btc_fit() -> GarchFit {
    let text = include_str!("../tests/data/garch_btc.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("json");
    let floats = |x: &serde_json::Value| -> Vec<f64> {
        x.as_array()
            .expect("array")
            .iter()
            .map(|a| a.as_f64().expect("f64"))
            .collect()
    };
    let model = GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::new(1, 0, 1).expect("orders")),
        InnovationFamily::Normal,
    )
    .expect("model");
    model
        .evaluate(
            &floats(&v["returns"]),
            &floats(&v["models"]["garch11_normal_const"]["params_tight"]),
        )
        .expect("fit")
}

fn run<G: PathGenerator>(c: &mut Criterion, name: &str, g: &G) {
    let mut group = c.benchmark_group("sim_1000_paths_10_steps");
    group.throughput(Throughput::Elements((PATHS * g.path_len()) as u64));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut out = vec![0.0; PATHS * g.path_len()];
    group.bench_function(name, |b| {
        b.iter(|| g.fill_many(&mut rng, black_box(&mut out)).expect("paths"))
    });
    group.finish();
}

fn paths(c: &mut Criterion) {
    let fit = btc_fit();
    run(
        c,
        "gbm",
        &Gbm::new(0.0, 0.6, 1.0 / 365.0, STEPS).expect("gbm"),
    );
    run(
        c,
        "merton",
        &Merton::new(0.0, 0.6, 5.0, -0.05, 0.1, 1.0 / 365.0, STEPS).expect("merton"),
    );
    run(
        c,
        "garch_paths",
        &GarchPaths::new(&fit, STEPS, SimulationStart::FittedState).expect("garch"),
    );
    run(c, "fhs", &Fhs::new(&fit, STEPS).expect("fhs"));
    let r = Correlation::new(2, &[1.0, 0.7, 0.7, 1.0]).expect("corr");
    let cop = Copula::student_t(r, 4.0).expect("t");
    run(
        c,
        "copula_t_two_garch",
        &CopulaGarch::new(cop, &[fit.clone(), fit], STEPS).expect("copula"),
    );
}

fn var_es(c: &mut Criterion) {
    let gbm = Gbm::new(0.0, 0.6, 1.0 / 365.0, 1).expect("gbm");
    let mut pnl = vec![0.0; 10_000];
    gbm.fill_many(&mut ChaCha20Rng::seed_from_u64(2), &mut pnl)
        .expect("pnl");
    let mut scratch = Vec::with_capacity(pnl.len());
    let mut g = c.benchmark_group("sim_var_es_10000");
    g.throughput(Throughput::Elements(pnl.len() as u64));
    g.bench_function("simulated_var_es", |b| {
        b.iter(|| simulated_var_es(black_box(&pnl), 0.99, &mut scratch).expect("var"))
    });
    g.finish();
}

criterion_group!(benches, paths, var_es);
criterion_main!(benches);
