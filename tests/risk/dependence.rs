//! Dependence measures against tools/gen_dependence_reference.py → tests/data/
//! dependence_reference.json (scipy 1.14.1, numpy 2.2.6, mpmath 1.3.0) on the real BTC and ETH
//! daily closes of tests/data/btc_eth_daily_2022_2024.csv (provenance in tests/data/README.md).

use super::common::{f, floats, rel};
use derisk::math::Termination;
use derisk::risk::{
    ewma_covariance, fit_t_copula, kendall_correlation, kendall_tau, pearson, pseudo_observations,
    ranks, spearman, t_copula_log_likelihood, t_copula_tail_dependence, RiskError,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

const CLOSES: &str = include_str!("../data/btc_eth_daily_2022_2024.csv");
const REFERENCE: &str = include_str!("../data/dependence_reference.json");

fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

/// BTC and ETH daily log returns, 2022-01-02 … 2024-12-31.
fn returns() -> (Vec<f64>, Vec<f64>) {
    let (mut b, mut e) = (Vec::new(), Vec::new());
    for line in CLOSES.lines().skip(1) {
        let mut cols = line.split(',').skip(1);
        b.push(cols.next().unwrap().parse::<f64>().unwrap());
        e.push(cols.next().unwrap().parse::<f64>().unwrap());
    }
    (
        derisk::risk::log_returns(&b).unwrap(),
        derisk::risk::log_returns(&e).unwrap(),
    )
}

/// Row-major n×2 pseudo-observations of the two return series.
fn pseudo() -> Vec<f64> {
    let (b, e) = returns();
    let (ub, ue) = (
        pseudo_observations(&b).unwrap(),
        pseudo_observations(&e).unwrap(),
    );
    ub.iter().zip(&ue).flat_map(|(x, y)| [*x, *y]).collect()
}

/// Pearson, Kendall τ-b and Spearman of BTC/ETH returns and of a tied integer sample against
/// scipy.stats.pearsonr / kendalltau / spearmanr: 1e-12 relative; average ranks exactly.
#[test]
fn correlations_match_scipy() {
    let r = reference();
    let (b, e) = returns();
    assert_eq!(b.len() as u64, r["observations"].as_u64().unwrap());
    let first = floats(&r["returns_first"]);
    rel(b[0], first[0], 1e-15, "first BTC return");
    rel(e[0], first[1], 1e-15, "first ETH return");
    rel(pearson(&b, &e).unwrap(), f(&r["pearson"]), 1e-12, "pearson");
    rel(
        kendall_tau(&b, &e).unwrap(),
        f(&r["kendall"]),
        1e-12,
        "kendall",
    );
    rel(
        spearman(&b, &e).unwrap(),
        f(&r["spearman"]),
        1e-12,
        "spearman",
    );
    let t = &r["tied"];
    let (x, y) = (floats(&t["x"]), floats(&t["y"]));
    rel(
        pearson(&x, &y).unwrap(),
        f(&t["pearson"]),
        1e-12,
        "tied pearson",
    );
    rel(
        kendall_tau(&x, &y).unwrap(),
        f(&t["kendall"]),
        1e-12,
        "tied kendall",
    );
    rel(
        spearman(&x, &y).unwrap(),
        f(&t["spearman"]),
        1e-12,
        "tied spearman",
    );
    assert_eq!(ranks(&x).unwrap()[..10], floats(&t["ranks_x_first"])[..]);
    let u = pseudo();
    assert_eq!(u[..4], floats(&r["pseudo_first"])[..]);
}

/// Knight's O(n log n) τ-b equals the O(n²) definition on seeded samples with many ties
/// (Kendall 1945: τ_b = (n_c − n_d)/√((n₀ − n₁)(n₀ − n₂))), to 1e-14.
#[test]
fn kendall_matches_the_quadratic_definition() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x4B_1966);
    for case in 0..40 {
        let n = rng.random_range(2..120);
        let levels = rng.random_range(2..12);
        let x: Vec<f64> = (0..n).map(|_| rng.random_range(0..levels) as f64).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|v| v * if case % 2 == 0 { 1.0 } else { -1.0 } + rng.random_range(0..4) as f64)
            .collect();
        let (mut s, mut tx, mut ty) = (0i64, 0i64, 0i64);
        for i in 0..n {
            for j in 0..i {
                let (dx, dy) = (x[i] - x[j], y[i] - y[j]);
                s += ((dx * dy).signum() as i64) * i64::from(dx != 0.0 && dy != 0.0);
                tx += i64::from(dx == 0.0);
                ty += i64::from(dy == 0.0);
            }
        }
        let n0 = (n * (n - 1) / 2) as i64;
        match kendall_tau(&x, &y) {
            Ok(t) => {
                let want = s as f64 / (((n0 - tx) * (n0 - ty)) as f64).sqrt();
                assert!((t - want).abs() < 1e-14, "case {case}: {t} vs {want}");
            }
            Err(RiskError::Undefined { .. }) => assert!(tx == n0 || ty == n0),
            Err(other) => panic!("case {case}: {other}"),
        }
    }
}

/// EWMA covariance of the BTC/ETH returns (λ = 0.94, 0.97) against a numpy loop of the same
/// recursion from the same backcast: 1e-12 relative per entry.
#[test]
fn ewma_covariance_matches_numpy() {
    let (b, e) = returns();
    let rows: Vec<f64> = b.iter().zip(&e).flat_map(|(x, y)| [*x, *y]).collect();
    for c in reference()["ewma"].as_array().unwrap() {
        let lambda = f(&c["lambda"]);
        let got = ewma_covariance(&rows, 2, lambda).unwrap();
        for (g, w) in got.iter().zip(floats(&c["covariance"])) {
            rel(*g, w, 1e-12, &format!("ewma λ={lambda}"));
        }
        // Its diagonal is the square of the univariate EWMA volatility forecast.
        let v = derisk::risk::ewma_volatility(&b, lambda).unwrap();
        rel(got[0], v[v.len() - 1].powi(2), 1e-13, "diagonal");
    }
}

/// t-copula log-likelihood at fixed ν (2.5, 4, 10, 50) and ρ = sin(π τ/2) on the BTC/ETH
/// pseudo-observations against scipy (multivariate_t.logpdf − Σ t.logpdf of t.ppf): 1e-10
/// relative; the fitted ν against scipy.optimize.minimize_scalar on the same likelihood: 1e-6
/// relative (its log-likelihood 1e-10); tail dependence against mpmath's regularised incomplete
/// beta (cross-checked with 2·scipy.stats.t.cdf): 1e-12 relative.
#[test]
fn t_copula_matches_scipy() {
    let r = reference();
    let u = pseudo();
    let p = kendall_correlation(&u, 2).unwrap();
    rel(p[1], f(&r["kendall_rho"]), 1e-12, "ρ from τ");
    for c in r["copula_loglik"].as_array().unwrap() {
        let nu = f(&c["nu"]);
        let ll = t_copula_log_likelihood(&u, 2, &p, nu).unwrap();
        rel(ll, f(&c["log_likelihood"]), 1e-10, &format!("ℓ at ν={nu}"));
    }
    let fit = fit_t_copula(&u, 2).unwrap();
    assert_eq!(fit.termination, Termination::Converged);
    assert_eq!(fit.correlation, p);
    let want = &r["copula_fit"];
    rel(fit.nu, f(&want["nu"]), 1e-6, "fitted ν");
    rel(
        fit.log_likelihood,
        f(&want["log_likelihood"]),
        1e-10,
        "ℓ at the fit",
    );
    for c in r["tail_dependence"].as_array().unwrap() {
        let (rho, nu) = (f(&c["rho"]), f(&c["nu"]));
        let l = t_copula_tail_dependence(rho, nu).unwrap();
        rel(l, f(&c["lambda"]), 1e-12, &format!("λ ρ={rho} ν={nu}"));
    }
    assert_eq!(t_copula_tail_dependence(1.0, 4.0).unwrap(), 1.0);
    assert_eq!(t_copula_tail_dependence(-1.0, 4.0).unwrap(), 0.0);
}

#[test]
fn dependence_bad_input() {
    assert!(matches!(
        pearson(&[1.0, 2.0], &[1.0]),
        Err(RiskError::LengthMismatch { .. })
    ));
    assert!(matches!(
        pearson(&[1.0], &[1.0]),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(
        kendall_tau(&[1.0, f64::NAN], &[1.0, 2.0]),
        Err(RiskError::NonFinite { .. })
    ));
    assert!(matches!(
        spearman(&[2.0, 2.0], &[1.0, 2.0]),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(ranks(&[]), Err(RiskError::TooShort { .. })));
    assert!(matches!(
        ewma_covariance(&[1.0, 2.0, 3.0], 2, 0.94),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ewma_covariance(&[1.0, 2.0], 2, 1.0),
        Err(RiskError::InvalidParameter { .. })
    ));
    let id = [1.0, 0.0, 0.0, 1.0];
    for u in [[0.0, 0.5], [0.5, 1.0], [0.5, f64::NAN]] {
        assert!(t_copula_log_likelihood(&u, 2, &id, 4.0).is_err());
    }
    assert!(matches!(
        t_copula_log_likelihood(&[0.5, 0.5], 2, &id, 0.0),
        Err(RiskError::InvalidParameter { .. })
    ));
    // Not a correlation matrix: asymmetric, diagonal ≠ 1, not positive definite.
    for p in [
        [1.0, 0.5, 0.4, 1.0],
        [2.0, 0.0, 0.0, 1.0],
        [1.0, 1.0, 1.0, 1.0],
    ] {
        assert!(matches!(
            t_copula_log_likelihood(&[0.5, 0.5], 2, &p, 4.0),
            Err(RiskError::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        t_copula_tail_dependence(1.5, 4.0),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        fit_t_copula(&[0.5, 0.5, 0.4, 0.4], 2),
        Err(RiskError::TooShort { .. })
    ));
}

/// A 4-variable sin(π τ/2) matrix that is not positive semi-definite (its least eigenvalue is
/// −0.4846 by numpy.linalg.eigvalsh of the scipy.stats.kendalltau values; found by a seeded
/// search over permutations of 5 ranks) is projected: unit diagonal, symmetric, positive
/// definite, usable by the copula.
#[test]
fn kendall_correlation_is_projected_to_a_correlation_matrix() {
    let rows: Vec<f64> = [
        [0, 4, 4, 4],
        [1, 0, 2, 1],
        [2, 1, 0, 3],
        [3, 2, 3, 0],
        [4, 3, 1, 2],
    ]
    .iter()
    .flatten()
    .map(|&v| f64::from(v))
    .collect();
    let p = kendall_correlation(&rows, 4).unwrap();
    let tau01 = kendall_tau(&[0.0, 1.0, 2.0, 3.0, 4.0], &[4.0, 0.0, 1.0, 2.0, 3.0]).unwrap();
    // The raw matrix is not positive definite, so the entries moved.
    assert!((p[1] - (std::f64::consts::FRAC_PI_2 * tau01).sin()).abs() > 1e-3);
    for i in 0..4 {
        assert_eq!(p[i * 4 + i], 1.0);
        for j in 0..4 {
            assert_eq!(p[i * 4 + j], p[j * 4 + i]);
        }
    }
    let m = nalgebra::DMatrix::from_row_slice(4, 4, &p);
    assert!(nalgebra::Cholesky::new(m).is_some());
    assert!(t_copula_log_likelihood(&[0.2, 0.3, 0.7, 0.5], 4, &p, 5.0).is_ok());
}

/// Hostile inputs to every new public function of issue 13's second part (NaN, ±∞, ±0,
/// subnormals, ±f64::MAX, 1e±300, tiny and huge ν, constant and length-1 samples): no panic,
/// and every `Ok` is finite (p-values, τ, ρ, λ in range). Seeded; 400 cases.
#[test]
fn hostile_inputs_sweep() {
    use derisk::risk::{
        acerbi_szekely_z1_statistic, acerbi_szekely_z2_statistic, basel_traffic_light,
        compare_tick_loss, kupiec_tuff, tick_loss,
    };
    const SPECIAL: [f64; 14] = [
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
        1.0,
        -1.0,
        0.5,
    ];
    let mut rng = ChaCha20Rng::seed_from_u64(0x0D_E9E4);
    let pick = |rng: &mut ChaCha20Rng| {
        if rng.random_bool(0.3) {
            SPECIAL[rng.random_range(0..SPECIAL.len())]
        } else {
            rng.random_range(-3.0..3.0)
        }
    };
    let in_unit = |r: Result<f64, RiskError>| {
        if let Ok(v) = r {
            assert!(v.is_finite() && (-1.0..=1.0).contains(&v), "{v}");
        }
    };
    for _ in 0..400 {
        let n = rng.random_range(0..12);
        let x: Vec<f64> = (0..n).map(|_| pick(&mut rng)).collect();
        let y: Vec<f64> = (0..n).map(|_| pick(&mut rng)).collect();
        in_unit(pearson(&x, &y));
        in_unit(kendall_tau(&x, &y));
        in_unit(spearman(&x, &y));
        if let Ok(u) = pseudo_observations(&x) {
            assert!(u.iter().all(|v| *v > 0.0 && *v < 1.0));
        }
        if let Ok(s) = ewma_covariance(&x, 2, pick(&mut rng)) {
            assert!(s.iter().all(|v| v.is_finite()));
        }
        let nu = [pick(&mut rng), 1e-300, 1e300, 1e-3, 1e6][rng.random_range(0..5)];
        let rho = pick(&mut rng);
        if let Ok(l) = t_copula_tail_dependence(rho, nu) {
            assert!((0.0..=1.0).contains(&l), "λ({rho}, {nu}) = {l}");
        }
        let u: Vec<f64> = (0..2 * n)
            .map(|_| {
                if rng.random_bool(0.8) {
                    rng.random_range(0.001..0.999)
                } else {
                    pick(&mut rng)
                }
            })
            .collect();
        let p = [1.0, rho, rho, 1.0];
        if let Ok(ll) = t_copula_log_likelihood(&u, 2, &p, nu) {
            assert!(ll.is_finite());
        }
        if n >= 3
            && rng.random_bool(0.2)
            && let Ok(fit) = fit_t_copula(&u, 2)
        {
            assert!(fit.log_likelihood.is_finite() && fit.nu >= 1.0 && fit.nu <= 1000.0);
        }
        let a = [pick(&mut rng), 0.99, 0.975, 1.0 - 1e-16][rng.random_range(0..4)];
        let hits: Vec<bool> = (0..n).map(|_| rng.random_bool(0.3)).collect();
        if let Ok(t) = kupiec_tuff(&hits, a) {
            assert!(t.statistic.is_finite() && (0.0..=1.0).contains(&t.p_value));
        }
        let obs = rng.random_range(0..600);
        if let Ok(t) = basel_traffic_light(obs, rng.random_range(0..=obs + 1), a) {
            assert!((0.0..=1.0).contains(&t.plus_factor));
        }
        let es: Vec<f64> = (0..n).map(|_| pick(&mut rng)).collect();
        for v in [
            acerbi_szekely_z1_statistic(&x, &y, &es),
            acerbi_szekely_z2_statistic(&x, &y, &es, a),
            tick_loss(&y, &x, a),
        ]
        .into_iter()
        .flatten()
        {
            assert!(v.is_finite(), "{v}");
        }
        if let Ok(c) = compare_tick_loss(&x, &y, &es, a, rng.random_range(0..3)) {
            assert!(c.statistic.is_finite() && (0.0..=1.0).contains(&c.p_value));
        }
    }
}
