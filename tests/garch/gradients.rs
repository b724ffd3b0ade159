//! The hand-derived likelihood gradients (issue 17) of every model — GARCH, GJR and EGARCH ×
//! Normal, t and Hansen's skewed t × zero, constant and AR(1) mean — at seeded random parameter
//! points, against an independent reference: a Richardson-extrapolated central difference of the
//! public log-likelihood (truncation error O(h⁴), rounding ≈ 1e-16·|ℓ|/h). The comparison with
//! the dual-number kernel to 1e-10 relative runs as a unit test (src/garch/analytic.rs), as that
//! kernel is crate-private. Also: a warm-started rolling refit skips the grid search.
//!
//! Data: the first 600 BTC-USD daily percent log returns of tests/data/garch_btc.json (Yahoo
//! Finance closes, provenance in tests/data/README).

use crate::common::fixture;
use derisk::garch::{
    backcast, Egarch, FitOptions, Garch, GarchModel, InnovationFamily, MeanModel, Volatility,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn btc() -> Vec<f64> {
    fixture("garch_btc.json")["returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// A random admissible parameter vector (arch's order: mean, ω, α, γ, β, shape).
fn draw(
    rng: &mut ChaCha20Rng,
    mean: MeanModel,
    vol: Volatility,
    dist: InnovationFamily,
) -> Vec<f64> {
    let mut th = match mean {
        MeanModel::Zero => vec![],
        MeanModel::Constant => vec![rng.random_range(-0.2..0.2)],
        _ => vec![rng.random_range(-0.2..0.2), rng.random_range(-0.1..0.1)],
    };
    let (p, o, q) = vol.orders();
    if matches!(vol, Volatility::Egarch(_)) {
        th.push(rng.random_range(0.0..0.1));
        th.extend((0..p).map(|_| rng.random_range(0.05..0.3)));
        th.extend((0..o).map(|_| rng.random_range(-0.1..0.1)));
        th.extend((0..q).map(|_| rng.random_range(0.8..0.97) / q as f64));
    } else {
        th.push(rng.random_range(0.05..0.5));
        th.extend((0..p).map(|_| rng.random_range(0.02..0.15)));
        th.extend((0..o).map(|_| rng.random_range(0.0..0.1)));
        th.extend((0..q).map(|_| rng.random_range(0.6..0.8) / q as f64));
    }
    match dist {
        InnovationFamily::Normal => {}
        InnovationFamily::StudentT => th.push(rng.random_range(2.5..20.0)),
        _ => {
            th.push(rng.random_range(2.5..20.0));
            th.push(rng.random_range(-0.6..0.6));
        }
    }
    th
}

/// Finite-difference step of parameter i.
fn step(th: &[f64], i: usize) -> f64 {
    1e-3 * th[i].abs().max(0.05)
}

/// Whether no central difference of a mean parameter moves a residual εₜ across 0 (EGARCH's
/// |eₜ| has a kink there, which a finite difference straddling it would measure).
fn clear_of_kinks(mean: MeanModel, y: &[f64], th: &[f64]) -> bool {
    match mean {
        MeanModel::Zero => y.iter().all(|v| *v != 0.0),
        MeanModel::Constant => y.iter().all(|v| (v - th[0]).abs() > step(th, 0)),
        _ => y
            .windows(2)
            .all(|w| (w[1] - th[0] - th[1] * w[0]).abs() > step(th, 0) + step(th, 1) * w[0].abs()),
    }
}

/// ∂ℓ/∂θᵢ by Richardson extrapolation of central differences with steps h and h/2.
fn finite_difference(m: &GarchModel, y: &[f64], th: &[f64], bc: f64, i: usize) -> f64 {
    let at = |d: f64| {
        let mut x = th.to_vec();
        x[i] += d;
        m.log_likelihood_with_backcast(y, &x, bc).unwrap()
    };
    let h = step(th, i);
    let d1 = (at(h) - at(-h)) / (2.0 * h);
    let d2 = (at(0.5 * h) - at(-0.5 * h)) / h;
    (4.0 * d2 - d1) / 3.0
}

#[test]
fn analytic_gradients_match_finite_differences_on_every_model() {
    let y = &btc()[..600];
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let vols = [
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        Volatility::Garch(Garch::new(1, 1, 1).unwrap()),
        Volatility::Garch(Garch::new(2, 1, 2).unwrap()),
        Volatility::Egarch(Egarch::new(1, 0, 1).unwrap()),
        Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
        Volatility::Egarch(Egarch::new(2, 1, 2).unwrap()),
    ];
    let dists = [
        InnovationFamily::Normal,
        InnovationFamily::StudentT,
        InnovationFamily::SkewT,
    ];
    let means = [MeanModel::Zero, MeanModel::Constant, MeanModel::Ar1];
    let mut worst: f64 = 0.0;
    for vol in vols {
        for dist in dists {
            for mean in means {
                let m = GarchModel::new(mean, vol, dist).unwrap();
                let r: Vec<f64> = y.iter().map(|v| v - 0.1).collect();
                let bc = if matches!(vol, Volatility::Egarch(_)) {
                    backcast(&r).ln()
                } else {
                    backcast(&r)
                };
                for _ in 0..2 {
                    let mut th = draw(&mut rng, mean, vol, dist);
                    while !clear_of_kinks(mean, y, &th) {
                        th = draw(&mut rng, mean, vol, dist);
                    }
                    let mut g = vec![0.0; th.len()];
                    let l = m.log_likelihood_gradient(y, &th, bc, &mut g).unwrap();
                    let l0 = m.log_likelihood_with_backcast(y, &th, bc).unwrap();
                    assert!(((l - l0) / l0).abs() < 1e-13, "{m:?}: {l} vs {l0}");
                    for (i, gi) in g.iter().enumerate() {
                        let fd = finite_difference(&m, y, &th, bc, i);
                        let err = (gi - fd).abs() / fd.abs().max(1.0);
                        worst = worst.max(err);
                        assert!(err < 1e-6, "{m:?} at {th:?}: d/dθ{i} {gi} vs {fd}");
                    }
                }
            }
        }
    }
    assert!(worst > 0.0);
}

/// One rolling refit (a 1,000-day window shifted by 21 days) started from the previous window's
/// estimates: one start (no grid search), fewer iterations than the cold fit, and a likelihood
/// at least the cold fit's − 1e-6 relative (the bar of the arch comparison, issue 17).
#[test]
fn warm_started_refit_skips_the_grid_and_converges_quickly() {
    let y = btc();
    let (first, next) = (&y[..1_000], &y[21..1_021]);
    for (vol, dist) in [
        (
            Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
            InnovationFamily::StudentT,
        ),
        (
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
            InnovationFamily::SkewT,
        ),
    ] {
        let m = GarchModel::new(MeanModel::Constant, vol, dist).unwrap();
        let prev = m.fit(first).unwrap();
        let warm = FitOptions {
            start: Some(prev.params().to_vec()),
            ..FitOptions::default()
        };
        let w = m.fit_with(next, &warm).unwrap();
        let cold = m.fit(next).unwrap();
        let (wc, cc) = (w.convergence().unwrap(), cold.convergence().unwrap());
        assert_eq!(wc.starts, 1);
        assert!(
            wc.evaluations < cc.evaluations,
            "{vol:?}: warm {wc:?} vs cold {cc:?}"
        );
        assert!(
            w.loglik() >= cold.loglik() - 1e-6 * cold.loglik().abs(),
            "{vol:?}: {} vs {}",
            w.loglik(),
            cold.loglik()
        );
    }
}
