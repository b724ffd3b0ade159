//! Risk measures of 10,000 daily P&Ls (about 27 years of days; seeded ChaCha20 normal draws
//! through `norm_inv_cdf`): historical VaR (type 7, type 1, Harrell–Davis) and ES with a reused
//! scratch buffer (allocation-free), the allocating `RiskMeasure::evaluate`, and the parametric
//! estimators; plus Kupiec and Christoffersen on 10,000 forecasts. Dependence: Kendall's τ-b,
//! Spearman and Pearson of 3,000 correlated pairs, and the t-copula fit (τ inversion and the
//! ν likelihood) on their pseudo-observations; the Acerbi–Székely Z2 with 1,000 simulations of
//! 250 normal days.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::math::norm_inv_cdf;
use derisk::risk::{
    fit_t_copula, kendall_tau, pearson, pseudo_observations, spearman, Backtest,
    ConditionalCoverage, Dof, ExpectedShortfall, Kupiec, PredictiveLaw, QuantileMethod,
    RiskMeasure, ValueAtRisk,
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

fn dependence(c: &mut Criterion) {
    const M: usize = 3_000;
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let mut normal = || norm_inv_cdf(rng.random_range(1e-12..1.0 - 1e-12)).expect("p");
    let (x, y): (Vec<f64>, Vec<f64>) = (0..M)
        .map(|_| {
            let (a, b) = (normal(), normal());
            (a, 0.7 * a + 0.714 * b)
        })
        .unzip();
    let mut g = c.benchmark_group("dependence_3000");
    g.throughput(Throughput::Elements(M as u64));
    g.bench_function("kendall_tau", |b| {
        b.iter(|| kendall_tau(black_box(&x), black_box(&y)).expect("tau"))
    });
    g.bench_function("spearman", |b| {
        b.iter(|| spearman(black_box(&x), black_box(&y)).expect("rho"))
    });
    g.bench_function("pearson", |b| {
        b.iter(|| pearson(black_box(&x), black_box(&y)).expect("r"))
    });
    let (ux, uy) = (
        pseudo_observations(&x).expect("u"),
        pseudo_observations(&y).expect("u"),
    );
    let u: Vec<f64> = ux.iter().zip(&uy).flat_map(|(a, b)| [*a, *b]).collect();
    g.sample_size(10);
    g.bench_function("fit_t_copula", |b| {
        b.iter(|| fit_t_copula(black_box(&u), 2).expect("fit"))
    });
    g.finish();
    let law = PredictiveLaw::Normal { mean: 0.0, sd: 1.0 };
    let days: Vec<f64> = x[..250].to_vec();
    let mut g = c.benchmark_group("acerbi_szekely");
    g.sample_size(10);
    g.bench_function("z2_250_days_1000_simulations", |b| {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        b.iter(|| {
            law.z2(black_box(&days), 0.975, 1_000, &mut rng)
                .expect("z2")
        })
    });
    g.finish();
}

criterion_group!(benches, measures, dependence);
criterion_main!(benches);
