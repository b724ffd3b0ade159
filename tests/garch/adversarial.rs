//! Adversarial sweep (issue 12): every public fallible GARCH function over a pool of hostile
//! values mixed with valid ones, from a seeded ChaCha8 stream (seed pinned). Asserts no panic,
//! no hang (each call is bounded by the crate's documented limits), no `Ok` holding a
//! non-finite value, and the oracles: forecasts positive and finite, quantile(cdf(x)) = x and
//! cdf(quantile(p)) = p. The default sweep is sized for debug CI (a few seconds); the wider one
//! is `#[ignore]`d (`cargo test --release --test garch -- --ignored adversarial`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use derisk::garch::*;
use derisk::math::{minimize_bounded, MinimizeOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 0x1217_2025;

const HOSTILE: [f64; 22] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    f64::MIN_POSITIVE,
    f64::MAX,
    f64::MIN,
    1e-300,
    -1e-300,
    1e300,
    -1e300,
    1e8,
    3e7,
    2.0,
    2.0000001,
    -1.0,
    1.0,
    1.0 - 1e-16,
    0.5,
];
// Lengths and horizons: 0, tiny, and beyond every documented maximum (the regression tests
// probe MAX_HORIZON + 1 and MAX_SIMULATED_STEPS + 1 exactly).
const COUNTS: [usize; 7] = [0, 1, 2, 3, usize::MAX, usize::MAX - 1, usize::MAX / 2];

fn pick(rng: &mut ChaCha8Rng, valid: f64) -> f64 {
    if rng.random_bool(0.5) {
        HOSTILE[rng.random_range(0..HOSTILE.len())]
    } else {
        valid * (1.0 + 0.1 * (rng.random::<f64>() - 0.5))
    }
}

fn count(rng: &mut ChaCha8Rng, valid: usize) -> usize {
    if rng.random_bool(0.5) {
        COUNTS[rng.random_range(0..COUNTS.len())]
    } else {
        valid
    }
}

fn series(rng: &mut ChaCha8Rng, n: usize, hostile: bool) -> Vec<f64> {
    (0..n)
        .map(|_| {
            if hostile && rng.random_bool(0.02) {
                HOSTILE[rng.random_range(0..HOSTILE.len())]
            } else {
                rng.random::<f64>() * 4.0 - 2.0
            }
        })
        .collect()
}

fn finite_all(v: &[f64]) -> bool {
    v.iter().all(|x| x.is_finite())
}

/// Runs `f`, failing the test (with the case) on a panic.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("panic in {what}: {msg}")
        }
    }
}

fn models() -> Vec<GarchModel> {
    let mut v = vec![GarchModel::garch11_t()];
    for (mean, vol, dist) in [
        (
            MeanModel::Zero,
            Volatility::Garch(Garch::new(1, 1, 1).unwrap()),
            InnovationFamily::SkewT,
        ),
        (
            MeanModel::Ar1,
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
            InnovationFamily::Normal,
        ),
        (
            MeanModel::Constant,
            Volatility::Garch(Garch::new(2, 0, 2).unwrap()),
            InnovationFamily::Normal,
        ),
    ] {
        v.push(GarchModel::new(mean, vol, dist).unwrap());
    }
    v
}

fn valid_params(m: &GarchModel) -> Vec<f64> {
    let mut th: Vec<f64> = vec![0.05; m.mean().num_params()];
    let (p, o, q) = m.volatility().orders();
    match m.volatility() {
        Volatility::Egarch(_) => th.push(0.0),
        _ => th.push(0.2),
    }
    th.extend(std::iter::repeat_n(0.1 / p.max(1) as f64, p));
    th.extend(std::iter::repeat_n(0.05, o));
    th.extend(std::iter::repeat_n(0.8 / q.max(1) as f64, q));
    match m.innovation() {
        InnovationFamily::StudentT => th.push(6.0),
        InnovationFamily::SkewT => th.extend([6.0, -0.1]),
        _ => {}
    }
    th
}

fn sweep(rounds: usize, n_obs: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let models = models();
    for round in 0..rounds {
        // Innovations: constructors, ln pdf, cdf, quantile with the round-trip oracles.
        let (nu, eta, lam) = (
            pick(&mut rng, 6.0),
            pick(&mut rng, 5.0),
            pick(&mut rng, -0.2),
        );
        let dists: Vec<AnyInnovation> = [
            Some(AnyInnovation::Normal(Normal)),
            guard("StudentT::new", || StudentT::new(nu))
                .ok()
                .map(AnyInnovation::StudentT),
            guard("SkewT::new", || SkewT::new(eta, lam))
                .ok()
                .map(AnyInnovation::SkewT),
        ]
        .into_iter()
        .flatten()
        .collect();
        for d in &dists {
            let p = if rng.random_bool(0.5) {
                pick(&mut rng, 0.3)
            } else {
                10f64.powf(-300.0 * rng.random::<f64>())
            };
            let what = format!("{d:?}.quantile({p:e})");
            match guard(&what, || d.quantile(p)) {
                Ok(q) => {
                    assert!(q.is_finite(), "{what} = {q}");
                    // As λ → ±1 one branch of the skew-t shrinks to a point and z = (side·x·s −
                    // a)/b cancels: the round trip is ill-conditioned there, not wrong.
                    if let AnyInnovation::SkewT(s) = d
                        && 1.0 - s.lambda().abs() < 1e-3
                    {
                        continue;
                    }
                    let c = guard(&what, || d.cdf(q));
                    let target = p.min(1.0 - p);
                    let back = if p < 0.5 { c } else { 1.0 - c };
                    assert!(
                        ((back - target) / target).abs() < 1e-9,
                        "{what}: cdf back {back:e} vs {target:e}"
                    );
                }
                Err(_) => assert!(!(p > 0.0 && p < 1.0), "{what} rejected a valid p"),
            }
            let x = pick(&mut rng, -1.5);
            let c = guard("cdf", || d.cdf(x));
            assert!(
                x.is_nan() || (0.0..=1.0).contains(&c),
                "{d:?}.cdf({x}) = {c}"
            );
            if c > 1e-300 && c < 0.5 && x.is_finite() {
                let q = d.quantile(c).unwrap();
                // Relative, with an absolute floor of 1e-14 near the centre: there the skew-t's
                // z = (side·x·s − a)/b cancels two O(1) terms, so a few ulps of 1 is the best
                // double precision can hold.
                assert!(
                    (q - x).abs() < 1e-9 * x.abs() + 1e-14,
                    "{d:?}: quantile(cdf({x})) = {q}"
                );
            }
            let _ = guard("ln_pdf", || d.ln_pdf(x));
            let mut r = ChaCha8Rng::seed_from_u64(round as u64);
            assert!(guard("sample", || d.sample(&mut r)).is_finite());
        }

        // Diagnostics.
        let x = series(&mut rng, n_obs, true);
        let lags = count(&mut rng, 5);
        for (name, r) in [
            ("ljung_box", guard("ljung_box", || ljung_box(&x, lags))),
            ("arch_lm", guard("arch_lm", || arch_lm(&x, lags))),
        ] {
            if let Ok(t) = r {
                assert!(
                    t.statistic.is_finite() && (0.0..=1.0).contains(&t.p_value),
                    "{name} {t:?}"
                );
            }
        }

        // EWMA.
        let lam_e = pick(&mut rng, 0.94);
        if let Ok(e) = guard("Ewma::new", || Ewma::new(lam_e))
            && let Ok(f) = guard("Ewma::fit", || e.fit(&x))
        {
            assert!(f.variance.iter().all(|v| *v > 0.0 && v.is_finite()));
            let h = count(&mut rng, 10);
            if let Ok(fc) = guard("Ewma forecast", || f.forecast_variance(h)) {
                assert!(fc.iter().all(|v| *v > 0.0 && v.is_finite()));
            }
        }

        // Models: likelihoods, evaluate, simulate, forecasts, simulation from the fit.
        let m = models[round % models.len()];
        let mut th = valid_params(&m);
        let k = rng.random_range(0..th.len());
        if rng.random_bool(0.7) {
            th[k] = pick(&mut rng, th[k].max(0.05));
        }
        let hostile_y = rng.random_bool(0.3);
        let y = series(&mut rng, n_obs, hostile_y);
        let bc = pick(&mut rng, 1.0);
        if let Ok(v) = guard("log_likelihood_with_backcast", || {
            m.log_likelihood_with_backcast(&y, &th, bc)
        }) {
            assert!(v.is_finite());
        }
        let mut g = vec![0.0; th.len()];
        if let Ok(v) = guard("log_likelihood_gradient", || {
            m.log_likelihood_gradient(&y, &th, bc, &mut g)
        }) {
            assert!(v.is_finite() && finite_all(&g), "{th:?} {bc}: {v} {g:?}");
        }
        if let Ok(v) = guard("log_likelihood", || m.log_likelihood(&y, &th)) {
            assert!(v.is_finite());
        }
        let (nobs, burn) = (count(&mut rng, 50), count(&mut rng, 10));
        if let Ok(s) = guard("simulate", || {
            m.simulate_with(
                &th,
                nobs,
                burn,
                &mut crate::simulation::seeded(round as u64),
            )
        }) {
            assert!(
                finite_all(&s.returns) && s.variances.iter().all(|v| *v > 0.0 && v.is_finite())
            );
        }
        if let Ok(fit) = guard("evaluate", || m.evaluate(&y, &th)) {
            assert!(fit.loglik().is_finite());
            let h = count(&mut rng, 5);
            if let Ok(f) = guard("forecast_variance", || fit.forecast_variance(h)) {
                assert!(f.iter().all(|v| *v > 0.0 && v.is_finite()), "{th:?}: {f:?}");
            }
            if let Ok(f) = guard("forecast_return_variance", || {
                fit.forecast_return_variance(h)
            }) {
                assert!(f.iter().all(|v| *v > 0.0 && v.is_finite()));
            }
            let ppy = pick(&mut rng, 365.0);
            if let Ok(f) = guard("annualized", || fit.annualized_vol_term_structure(h, ppy)) {
                assert!(f.iter().all(|v| *v > 0.0 && v.is_finite()));
            }
            let paths = count(&mut rng, 20);
            if let Ok(f) = guard("forecast_variance_simulated", || {
                fit.forecast_variance_simulated(h, paths, &mut ChaCha8Rng::seed_from_u64(1))
            }) {
                assert!(f.iter().all(|v| *v > 0.0 && v.is_finite()));
            }
            let mut r = ChaCha8Rng::seed_from_u64(3);
            let n = count(&mut rng, 20);
            for start in [SimulationStart::FittedState, SimulationStart::Unconditional] {
                if let Ok(s) = guard("GarchFit::simulate", || fit.simulate(n, start, &mut r)) {
                    assert!(finite_all(&s.returns) && s.variances.iter().all(|v| *v > 0.0));
                }
            }
            if let Ok(se) = fit.std_errors() {
                assert!(se.iter().all(|v| *v > 0.0 && v.is_finite()));
            }
            if let Ok(p) = fit.p_values() {
                assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
            }
        }
        // A fit (the costly call) on a fraction of rounds, from a hostile start when given.
        if round % 30 == 0 {
            let o = FitOptions {
                start: rng.random_bool(0.5).then(|| th.clone()),
                max_iterations: 50,
                ..FitOptions::default()
            };
            if let Ok(fit) = guard("fit_with", || m.fit_with(&y, &o)) {
                assert!(fit.loglik().is_finite() && finite_all(fit.params()));
                assert!(fit.persistence() <= 1.0, "{:?}", fit.params());
            }
        }

        // The bounded minimiser with hostile bounds and constraints.
        let (l, u, b, x0) = (
            pick(&mut rng, -1.0),
            pick(&mut rng, 1.0),
            pick(&mut rng, 0.5),
            pick(&mut rng, 0.1),
        );
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 3.0);
            Some((x[0] - 3.0).powi(2))
        };
        let mn = guard("minimize_bounded", || {
            minimize_bounded(
                f,
                &[x0],
                &[l],
                &[u],
                &[(vec![1.0], b)],
                None,
                &MinimizeOptions::default(),
            )
        });
        if mn.termination != derisk::math::Termination::InvalidStart {
            assert!(
                mn.x[0] >= l && mn.x[0] <= u && mn.x[0] <= b,
                "{l} {u} {b} {x0}: {mn:?}"
            );
            assert!(mn.value.is_finite());
        }
    }
}

#[test]
fn adversarial_sweep() {
    sweep(300, 60);
}

#[test]
#[ignore = "wide sweep: run in release"]
fn adversarial_sweep_wide() {
    sweep(20_000, 200);
}
