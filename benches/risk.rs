//! Risk measures of 10,000 daily P&Ls (about 27 years of days; seeded ChaCha20 normal draws
//! through `norm_inv_cdf`): historical VaR (type 7, type 1, Harrell–Davis) and ES with a reused
//! scratch buffer (allocation-free), the allocating `RiskMeasure::evaluate`, and the parametric
//! estimators; plus Kupiec and Christoffersen on 10,000 forecasts. Issue 14: the comprehensive-
//! approach exposure after haircuts and the crypto haircut model on 10,000 positions, and the
//! Group 2a bucket capital of 10,000 sensitivities; the counterparty exposure profile (EE, ENE,
//! SE, PFE at 95/97.5/99 %) of 10,000 paths × 50 dates, the same paths collateralised under a
//! CSA, and the path-wise wrong-way CVA. Dependence: Kendall's τ-b,
//! Spearman and Pearson of 3,000 correlated pairs, and the t-copula fit (τ inversion and the
//! ν likelihood) on their pseudo-observations; the Acerbi–Székely Z2 with 1,000 simulations of
//! 250 normal days. Issue 13: a walk-forward step (one
//! GARCH(1,1)-t refit on 500 returns + 21 forecasts) and historical / normal component VaR of a
//! 10,000 × 10 P&L matrix (allocation-free with reused buffers). Issue 14, netting set: a
//! 100-trade BTC book (50 forwards, 50 options) revalued by `revalue_netting_set` on 10,000 GBM
//! paths × 50 weekly dates (values summed across the trades), and its exposure profile, timed
//! separately. Issue 13 speed goals
//! (`risk13` group): a walk-forward of 2,000 daily GARCH(1,1)-t refits on a rolling 1,000-day
//! window (warm-started), and Monte Carlo full revaluation (`simulated_book_pnl`) of a
//! 1,000-option book on 100 GARCH-simulated spot moves, per path-contract against the scalar
//! `black76_price` of the same contracts.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use derisk::garch::GarchModel;
use derisk::math::norm_inv_cdf;
use derisk::risk::exposure::{wrong_way_cva, Csa, ExposureProfile, ValuePaths};
use derisk::risk::{
    fit_t_copula, historical_component_es, historical_component_var, kendall_tau,
    normal_component_var, pearson, pseudo_observations, spearman, Backtest, ConditionalCoverage,
    Dof, ExpectedShortfall, Kupiec, PredictiveLaw, QuantileMethod, RiskMeasure, ValueAtRisk,
    WalkForward, Window,
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

/// 10,000 Brownian value paths on 50 weekly dates (seeded ChaCha20 through `norm_inv_cdf`).
fn value_paths() -> ValuePaths {
    const PATHS: usize = 10_000;
    const DATES: usize = 50;
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let dt = 7.0 / 365.0;
    let mut values = Vec::with_capacity(PATHS * DATES);
    for _ in 0..PATHS {
        let mut w = 0.0;
        for _ in 0..DATES {
            let z = norm_inv_cdf(rng.random_range(1e-12..1.0 - 1e-12)).expect("p");
            w += 1_000.0 * f64::sqrt(dt) * z;
            values.push(w);
        }
    }
    let times = (1..=DATES).map(|k| k as f64 * dt).collect();
    ValuePaths::new(values, PATHS, times).expect("paths")
}

fn exposure(c: &mut Criterion) {
    let v = value_paths();
    let mut g = c.benchmark_group("exposure_10000x50");
    g.throughput(Throughput::Elements(v.values().len() as u64));
    let levels = [0.95, 0.975, 0.99];
    g.bench_function("profile_ee_pfe3", |b| {
        b.iter(|| ExposureProfile::from_paths(black_box(&v), &levels).expect("profile"))
    });
    g.bench_function("profile_ee_only", |b| {
        b.iter(|| ExposureProfile::from_paths(black_box(&v), &[]).expect("profile"))
    });
    let csa = Csa::new(100.0, 10.0, 0.0, 2).expect("csa");
    g.bench_function("csa_collateralise", |b| {
        b.iter(|| csa.collateralise(black_box(&v)))
    });
    let lam = ValuePaths::new(
        v.values()
            .iter()
            .map(|x| 0.05 * (-x / 5_000.0).exp())
            .collect(),
        v.paths(),
        v.times().to_vec(),
    )
    .expect("intensity");
    let discount = vec![1.0; v.dates()];
    g.bench_function("wrong_way_cva", |b| {
        b.iter(|| wrong_way_cva(black_box(&v), &lam, &discount, 0.4).expect("cva"))
    });
    g.finish();
}

/// One walk-forward refit and its 21 forecasts: 521 returns, rolling window 500, k = 21.
fn walk_forward(c: &mut Criterion) {
    let model = GarchModel::garch11_t();
    let sim = model
        .simulate_with(
            &[0.05, 0.1, 0.1, 0.85, 6.0],
            521,
            500,
            &mut ChaCha20Rng::seed_from_u64(7),
        )
        .expect("sim");
    let r: Vec<f64> = sim.returns.iter().map(|x| x / 100.0).collect();
    let wf = WalkForward::new(model, 21, Window::Rolling(500), &[0.99, 0.975]).expect("wf");
    let mut g = c.benchmark_group("walk_forward");
    g.sample_size(10);
    g.bench_function("one_refit_21_forecasts", |b| {
        b.iter(|| wf.run(black_box(&r)).expect("run"))
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

/// Component VaR/ES of 10,000 scenarios × 10 positions.
fn component(c: &mut Criterion) {
    const P: usize = 10;
    let base = pnl();
    let matrix: Vec<f64> = (0..N * P)
        .map(|k| base[k % N] * (1.0 + (k % P) as f64 / 10.0) * if k % 3 == 0 { -0.5 } else { 1.0 })
        .collect();
    let mut g = c.benchmark_group("component_10000x10");
    g.throughput(Throughput::Elements((N * P) as u64));
    let (mut order, mut out) = (Vec::with_capacity(N), [0.0; P]);
    g.bench_function("historical_component_var", |b| {
        b.iter(|| {
            historical_component_var(black_box(&matrix), P, 0.99, &mut order, &mut out).expect("c")
        })
    });
    g.bench_function("historical_component_es", |b| {
        b.iter(|| {
            historical_component_es(black_box(&matrix), P, 0.975, &mut order, &mut out).expect("c")
        })
    });
    let cov: Vec<f64> = (0..P * P)
        .map(|k| if k / P == k % P { 2.0 } else { 0.5 })
        .collect();
    let w = [1.0; P];
    let mut es = [0.0; P];
    g.bench_function("normal_component_var", |b| {
        b.iter(|| normal_component_var(black_box(&w), &cov, 0.99, &mut out, &mut es).expect("n"))
    });
    g.finish();
}

/// Issue 14: a 100-trade netting set (50 USD-settled BTC forwards, 50 USD-settled BTC options,
/// all expiring after the horizon) revalued on 10,000 seeded GBM paths × 50 weekly dates by
/// `revalue_netting_set` (each scenario rolls the market to t_k and moves BTC), then its exposure
/// profile (EE, SE, PFE at 95/97.5/99 %) from the summed values, each timed on its own.
fn netting_set(c: &mut Criterion) {
    use derisk::market::{
        Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Shock,
    };
    use derisk::portfolio::{Book, Contract, Position, Settlement};
    use derisk::pricing::OptionKind;
    use derisk::risk::exposure::revalue_netting_set;
    use derisk::sim::{Gbm, PathGenerator};
    use derisk::vol::FlatVol;
    const TRADES: usize = 100;
    const PATHS: usize = 10_000;
    const DATES: usize = 50;
    let v: Instant = "2025-12-30T08:00:00Z".parse().expect("instant");
    let m = MarketState::builder(v, DayCount::Act365Fixed)
        .underlying(
            Currency::BTC,
            ForwardCurve::new(88_530.0, &[]).expect("curve"),
        )
        .vol_surface(Currency::BTC, FlatVol::new(0.45).expect("vol"))
        .discount_curve(Currency::USD, DiscountCurve::flat(0.0).expect("curve"))
        .build()
        .expect("market");
    let usd = Settlement::Linear(Currency::USD);
    let mut book = Book::new();
    for i in 0..TRADES {
        let expiry = v.plus_days(400.0 + 30.0 * (i % 5) as f64).expect("expiry");
        let u = (0.5 + i as f64 * 0.754_877_666_246_692_7).fract();
        let side = if i % 3 == 0 { -1.0 } else { 1.0 };
        let (contract, entry) = if i % 2 == 0 {
            let f = Contract::future(Currency::BTC, usd, 1.0, expiry).expect("future");
            (f, (88_530.0 * (0.8 + 0.4 * u)).round())
        } else {
            let kind = if i % 4 == 1 {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let k = (88_530.0 * (0.6 + 0.8 * u)).round();
            (
                Contract::option(Currency::BTC, kind, k, expiry, usd, 1.0).expect("option"),
                0.0,
            )
        };
        book.insert(Position::new(contract, side, entry).expect("position"));
    }
    let dt = 7.0 / 365.0;
    let gbm = Gbm::new(0.0, 0.45, dt, DATES).expect("gbm");
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let mut steps = vec![0.0; DATES];
    let mut scenarios = Vec::with_capacity(PATHS * DATES);
    for _ in 0..PATHS {
        gbm.fill(&mut rng, &mut steps).expect("path");
        let mut x = 0.0;
        for (k, r) in steps.iter().enumerate() {
            x += r;
            scenarios.push([
                Shock::roll_days(7.0 * (k + 1) as f64),
                Shock::spot_relative(Currency::BTC, x.exp_m1()),
            ]);
        }
    }
    let times: Vec<f64> = (1..=DATES).map(|k| k as f64 * dt).collect();
    let revalue = || {
        revalue_netting_set(
            &book,
            &m,
            black_box(&scenarios),
            Currency::USD,
            PATHS,
            times.clone(),
        )
        .expect("values")
    };
    let values = revalue();
    let mut g = c.benchmark_group("netting_set_100_trades_10000x50");
    g.sample_size(10);
    g.throughput(Throughput::Elements((TRADES * PATHS * DATES) as u64));
    g.bench_function("revalue_netting_set", |b| b.iter(revalue));
    g.throughput(Throughput::Elements((PATHS * DATES) as u64));
    let levels = [0.95, 0.975, 0.99];
    g.bench_function("exposure_profile_ee_pfe3", |b| {
        b.iter(|| ExposureProfile::from_paths(black_box(&values), &levels).expect("profile"))
    });
    g.finish();
}

/// 2,000 daily warm-started GARCH(1,1)-t refits on a rolling 1,000-day window (one run), and
/// Monte Carlo full revaluation of a 1,000-option book against the scalar price.
fn risk13(c: &mut Criterion) {
    use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
    use derisk::portfolio::{Book, Contract, Position, Settlement};
    use derisk::pricing::{black76_price, OptionKind};
    use derisk::risk::simulated_book_pnl;
    use derisk::vol::FlatVol;

    let model = GarchModel::garch11_t();
    let sim = model
        .simulate_with(
            &[0.05, 0.1, 0.1, 0.85, 6.0],
            3_000,
            500,
            &mut ChaCha20Rng::seed_from_u64(13),
        )
        .expect("sim");
    let r: Vec<f64> = sim.returns.iter().map(|x| x / 100.0).collect();
    let wf = WalkForward::new(model, 1, Window::Rolling(1_000), &[0.99]).expect("wf");
    let mut g = c.benchmark_group("risk13");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(2_000));
    g.bench_function("walk_forward_2000_daily_refits_window_1000", |b| {
        b.iter(|| wf.run(black_box(&r)).expect("run"))
    });

    // 1,000 USDC-settled BTC options (4 expiries, strikes 0.6F…1.6F) on a flat 55 % vol.
    let v = Instant::from_date_hour(2026, 1, 1, 8).expect("instant");
    let m = MarketState::builder(v, DayCount::Act365Fixed)
        .underlying(
            Currency::BTC,
            ForwardCurve::new(90_000.0, &[]).expect("curve"),
        )
        .vol_surface(Currency::BTC, FlatVol::new(0.55).expect("vol"))
        .discount_curve(Currency::USDC, DiscountCurve::flat(0.0).expect("curve"))
        .fx_rate(Currency::USDC, 1.0)
        .build()
        .expect("market");
    let expiries: Vec<Instant> = [(2026, 1, 30), (2026, 3, 27), (2026, 6, 26), (2026, 12, 25)]
        .iter()
        .map(|&(y, mo, d)| Instant::from_date_hour(y, mo, d, 8).expect("date"))
        .collect();
    let mut book = Book::new();
    let mut scalar = Vec::new();
    for i in 0..1_000 {
        let u = (0.5 + i as f64 * 0.754_877_666_246_692_7).fract();
        let kind = if i % 2 == 0 {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let strike = (90_000.0 * (0.6 + u)).round();
        let e = expiries[i % 4];
        let c = Contract::option(
            Currency::BTC,
            kind,
            strike,
            e,
            Settlement::Linear(Currency::USDC),
            1.0,
        )
        .expect("option");
        book.insert(Position::new(c, if i % 3 == 0 { -1.0 } else { 1.0 }, 0.0).expect("position"));
        scalar.push((kind, strike, DayCount::Act365Fixed.year_fraction(v, e)));
    }
    let paths = 100;
    let x: Vec<f64> = (0..paths)
        .map(|i| 0.05 * norm_inv_cdf((i as f64 + 0.5) / paths as f64).expect("quantile"))
        .collect();
    g.sampling_mode(SamplingMode::Auto);
    g.throughput(Throughput::Elements((1_000 * paths) as u64));
    g.bench_function("mc_full_revaluation_1000_options_x100_paths", |b| {
        b.iter(|| {
            simulated_book_pnl(&book, &m, &[Currency::BTC], black_box(&x), Currency::USD)
                .expect("pnl")
        })
    });
    g.bench_function("scalar_black76_1000_options_x100_paths", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for &xi in black_box(&x) {
                let f = 90_000.0 * xi.exp();
                for &(kind, k, t) in &scalar {
                    total += black76_price(kind, f, k, t, 0.55, 0.0).expect("price");
                }
            }
            total
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    risk13,
    measures,
    haircuts,
    exposure,
    dependence,
    walk_forward,
    component,
    netting_set
);
criterion_main!(benches);
