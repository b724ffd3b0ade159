//! Copula sampling: Kendall's τ against (2/π)·asin ρ (McNeil, Frey and Embrechts 2015, Prop.
//! 7.43; mpmath in tests/data/sim_reference.json) within 3 standard errors, joint upper-tail
//! frequencies against mpmath quadratures of the bivariate normal and t laws, and a copula with
//! two GARCH margins (BTC over two windows, arch's parameters) keeping the copula's τ.

use crate::common::fixture;
use crate::floats;
use derisk::garch::{Garch, GarchModel, InnovationFamily, MeanModel, VarianceForecast, Volatility};
use derisk::sim::{Copula, CopulaGarch, Correlation, PathGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn copulas(rho: f64, nu: f64) -> [(&'static str, Copula); 2] {
    let r = Correlation::new(2, &[1.0, rho, rho, 1.0]).unwrap();
    [
        ("gaussian", Copula::gaussian(r.clone())),
        ("student-t", Copula::student_t(r, nu).unwrap()),
    ]
}

#[test]
fn kendall_tau_matches_two_over_pi_asin_rho() {
    let data = fixture("sim_reference.json");
    let c = &data["copula"];
    let (rho, nu, want) = (
        c["rho"].as_f64().unwrap(),
        c["nu"].as_f64().unwrap(),
        c["kendall_tau"].as_f64().unwrap(),
    );
    for (name, cop) in copulas(rho, nu) {
        let mut rng = ChaCha20Rng::seed_from_u64(21);
        let n = 1_500;
        let (mut x, mut y) = (vec![0.0; n], vec![0.0; n]);
        let mut u = [0.0; 2];
        for i in 0..n {
            cop.sample(&mut rng, &mut u).unwrap();
            (x[i], y[i]) = (u[0], u[1]);
        }
        let (tau, se) = crate::kendall_with_se(&x, &y);
        let z = (tau - want) / se;
        println!("{name}: tau {tau:.4} ± {se:.4} vs {want:.4} (z {z:+.2})");
        assert!(z.abs() < 3.0, "{name}: z {z}");
    }
}

/// P(U₁ > q, U₂ > q) at q = 0.975, ρ = 0.6: Gaussian 0.006225, t(ν = 4) 0.009331 (mpmath
/// quadrature, cross-checked with scipy); the frequency in 10,000 draws lies within 3 binomial
/// standard errors of each, and the t copula's exceeds the Gaussian's (tail dependence).
#[test]
fn joint_tail_frequencies_match_the_bivariate_laws() {
    let data = fixture("sim_reference.json");
    let c = &data["copula"];
    let f = |k: &str| c[k].as_f64().unwrap();
    let q = f("q");
    let mut freq = Vec::new();
    for ((name, cop), want) in copulas(f("rho"), f("nu"))
        .into_iter()
        .zip([f("gaussian_joint_upper"), f("t_joint_upper")])
    {
        let mut rng = ChaCha20Rng::seed_from_u64(22);
        let n = 10_000;
        let mut u = [0.0; 2];
        let hits = (0..n)
            .filter(|_| {
                cop.sample(&mut rng, &mut u).unwrap();
                u[0] > q && u[1] > q
            })
            .count();
        let p = hits as f64 / n as f64;
        let se = (want * (1.0 - want) / n as f64).sqrt();
        println!("{name}: joint tail {p:.5} vs {want:.5} ± {se:.5}");
        assert!(((p - want) / se).abs() < 3.0, "{name}: {p} vs {want}");
        freq.push(p);
    }
    assert!(
        freq[1] > freq[0],
        "t copula tail {} ≤ gaussian {}",
        freq[1],
        freq[0]
    );
}

/// BTC (all 2,686 days) and BTC 2020–2022 as two GARCH(1,1)-normal margins at arch's
/// parameters, tied by a t copula: the first step's returns are monotone in the copula's
/// uniforms (σ_{T+1} is known), so their Kendall τ is the copula's (2/π)·asin ρ; each margin's
/// first-step variance is its one-step forecast (E[(y − μ)²/σ²_{T+1}] = 1 within 3 SE).
#[test]
fn copula_garch_keeps_the_copula_and_the_margins() {
    let model = GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    let fits: Vec<_> = ["garch_btc.json", "garch_btc2020.json"]
        .iter()
        .map(|file| {
            let d = fixture(file);
            let th = floats(&d["models"]["garch11_normal_const"]["params_tight"]);
            model.evaluate(&floats(&d["returns"]), &th).unwrap()
        })
        .collect();
    let data = fixture("sim_reference.json");
    let c = &data["copula"];
    let rho = c["rho"].as_f64().unwrap();
    let r = Correlation::new(2, &[1.0, rho, rho, 1.0]).unwrap();
    let joint = CopulaGarch::new(Copula::student_t(r, 4.0).unwrap(), &fits, 2).unwrap();
    let n = 1_500;
    let mut paths = vec![0.0; n * joint.path_len()];
    let mut rng = ChaCha20Rng::seed_from_u64(23);
    assert_eq!(joint.fill_many(&mut rng, &mut paths).unwrap(), n);
    let first = |a: usize| -> Vec<f64> { paths.chunks_exact(4).map(|p| p[a]).collect() };
    let (x, y) = (first(0), first(1));
    let (tau, se) = crate::kendall_with_se(&x, &y);
    let want = c["kendall_tau"].as_f64().unwrap();
    println!("copula-GARCH first-step tau {tau:.4} ± {se:.4} vs {want:.4}");
    assert!(((tau - want) / se).abs() < 3.0);
    for (fit, ys) in fits.iter().zip([x, y]) {
        let (mu, s2) = (fit.params()[0], fit.forecast_variance(1).unwrap()[0]);
        let z2: Vec<f64> = ys.iter().map(|v| (v - mu).powi(2) / s2).collect();
        let e = derisk::sim::McEstimate::mean(&z2).unwrap();
        assert!(e.z_score(1.0).abs() < 3.0, "{e:?}");
    }
}
