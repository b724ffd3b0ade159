//! Seeded adversarial sweep (ChaCha20, seed pinned): every public fallible function of
//! `derisk::risk` over hostile series (NaN, ±∞, empty, length 1, constant, ±f64::MAX, subnormal)
//! and confidence levels (0, 1, NaN, ±∞, just inside (0, 1)). No call may panic or return a
//! non-finite `Ok`; p-values lie in [0, 1], statistics are ≥ 0.

use derisk::risk::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const HOSTILE: [f64; 14] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    f64::MAX,
    -f64::MAX,
    1e300,
    -1e300,
    1e-300,
    -1.0,
    1.0,
    1e15,
];

const LEVELS: [f64; 12] = [
    0.0,
    1.0,
    f64::NAN,
    f64::INFINITY,
    -0.01,
    1e-300,
    0.5,
    0.95,
    0.975,
    0.99,
    1.0 - 1e-16,
    0.999_999,
];

fn series(rng: &mut ChaCha20Rng) -> Vec<f64> {
    let len = [0, 1, 2, 3, 5, 40][rng.random_range(0..6)];
    let constant = rng.random_bool(0.1);
    let c = rng.random_range(-1.0..1.0);
    (0..len)
        .map(|_| {
            if constant {
                c
            } else if rng.random_bool(0.15) {
                HOSTILE[rng.random_range(0..HOSTILE.len())]
            } else {
                rng.random_range(-0.2..0.2) * [1.0, 1e-8, 1e8, 1e150][rng.random_range(0..4)]
            }
        })
        .collect()
}

#[track_caller]
fn ok_finite(r: Result<f64, RiskError>) {
    if let Ok(v) = r {
        assert!(v.is_finite(), "non-finite Ok: {v}");
    }
}

#[track_caller]
fn ok_vec(r: Result<Vec<f64>, RiskError>) {
    if let Ok(v) = r {
        assert!(v.iter().all(|x| x.is_finite()), "non-finite Ok in {v:?}");
    }
}

#[track_caller]
fn ok_test(r: Result<TestOutcome, RiskError>) {
    if let Ok(t) = r {
        assert!(t.statistic.is_finite() && t.statistic >= 0.0, "{t:?}");
        assert!((0.0..=1.0).contains(&t.p_value), "{t:?}");
    }
}

fn sweep(cases: usize, seed: u64) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut scratch = Vec::new();
    for _ in 0..cases {
        let xs = series(&mut rng);
        let a = LEVELS[rng.random_range(0..LEVELS.len())];
        let prices: Vec<f64> = xs.iter().map(|x| x.abs()).collect();
        ok_vec(log_returns(&prices));
        ok_vec(simple_returns(&prices));
        ok_vec(log_returns(&xs));
        let h = rng.random_range(0..4);
        for o in [Overlap::Overlapping, Overlap::NonOverlapping] {
            ok_vec(aggregate_log_returns(&xs, h, o));
            ok_vec(aggregate_simple_returns(&xs, h, o));
        }
        ok_vec(rolling_volatility(&xs, rng.random_range(0..5)));
        ok_vec(ewma_volatility(&xs, a));
        let ann = Annualisation::new(HOSTILE[rng.random_range(0..HOSTILE.len())]);
        if let Ok(ann) = ann {
            ok_finite(ann.volatility(xs.first().copied().unwrap_or(0.1)));
            ok_finite(ann.mean(xs.first().copied().unwrap_or(0.1)));
        }
        for q in [
            QuantileMethod::Linear,
            QuantileMethod::InvertedCdf,
            QuantileMethod::HarrellDavis,
        ] {
            ok_finite(historical_var(&xs, a, q, &mut scratch));
        }
        ok_finite(historical_es(&xs, a, &mut scratch));
        let nu =
            [f64::NAN, 2.0, 2.000_001, 3.0, 4.0, 30.0, 1e6, f64::INFINITY][rng.random_range(0..8)];
        for dof in [Dof::Fixed(nu), Dof::Moments] {
            for e in [
                Estimator::Historical,
                Estimator::Normal,
                Estimator::StudentT(dof),
                Estimator::CornishFisher,
            ] {
                if let Ok(v) = ValueAtRisk::new(a, e) {
                    ok_finite(v.evaluate(&xs));
                }
                if let Ok(v) = ExpectedShortfall::new(a, e) {
                    ok_finite(v.evaluate(&xs));
                }
            }
        }
        let (m, s) = (
            xs.first().copied().unwrap_or(0.0),
            xs.last().copied().unwrap_or(1.0),
        );
        ok_finite(normal_var(m, s, a));
        ok_finite(normal_es(m, s, a));
        ok_finite(student_t_var(m, s, nu, a));
        ok_finite(student_t_es(m, s, nu, a));
        ok_finite(cornish_fisher_var(m, s.abs(), nu, -nu, a));
        ok_finite(cornish_fisher_es(m, s.abs(), nu, -nu, a));
        ok_finite(moment_dof(m));
        ok_finite(sqrt_time_scale(m, s));
        // Backtests: forecasts from another hostile series, hits from both.
        let fc = series(&mut rng);
        let n = fc.len().min(xs.len());
        for t in [
            Kupiec::new(a).map(|k| k.test(&fc[..n], &xs[..n])),
            ChristoffersenIndependence::new(a).map(|k| k.test(&fc[..n], &xs[..n])),
            ConditionalCoverage::new(a).map(|k| k.test(&fc[..n], &xs[..n])),
        ]
        .into_iter()
        .flatten()
        {
            ok_test(t);
        }
        let hits: Vec<bool> = (0..rng.random_range(0..30))
            .map(|_| rng.random_bool(0.3))
            .collect();
        ok_test(christoffersen_independence(&hits));
        ok_test(conditional_coverage(&hits, a));
        let obs = rng.random_range(0..600);
        let x = rng.random_range(0..=obs + 1);
        ok_test(kupiec_pof(obs, x, a));
        if let Ok(t) = basel_traffic_light(obs, x, a) {
            assert!((0.0..=1.0).contains(&t.cumulative_probability));
        }
    }
}

#[test]
fn sweep_ci() {
    sweep(3_000, 0x5EED_0013);
}

#[test]
#[ignore = "long: 200,000 cases"]
fn sweep_long() {
    sweep(200_000, 0x5EED_1313);
}
