//! A Student-t copula simulated with ν = 4 and ρ = 0.6 (n = 2,000, seeded) and fitted back by
//! `risk::fit_t_copula` on its pseudo-observations recovers both parameters within three of their
//! standard errors. The truth is the simulation's own input; the standard errors are:
//!
//! - ν̂: the observed information of the log-likelihood in ν at the fitted correlation,
//!   SE = 1/√(−ℓ''(ν̂)), ℓ'' a central second difference (step 1 % of ν̂) of
//!   `t_copula_log_likelihood`. This treats P and the margins as known, so it understates the
//!   pseudo-likelihood's true SE a little (Genest, Ghoudi and Rivest 1995): a conservative
//!   (harder to pass) check.
//! - ρ̂ = sin(π τ̂/2) from Kendall's τ̂: the delta method, SE_ρ = (π/2)·cos(π τ̂/2)·SE_τ, with
//!   SE_τ from the Hoeffding decomposition of the U-statistic, 2·sd(cᵢ)/√n,
//!   cᵢ = mean_{j≠i} sign(xᵢ − xⱼ)·sign(yᵢ − yⱼ) (A. J. Lee, *U-Statistics*, 1990, §1.3).

use derisk::math::Termination;
use derisk::risk::{fit_t_copula, pseudo_observations, t_copula_log_likelihood};
use derisk::sim::{Copula, Correlation};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const NU: f64 = 4.0;
const RHO: f64 = 0.6;
const N: usize = 2_000;

#[test]
fn t_copula_fit_recovers_nu_and_rho_within_three_standard_errors() {
    let corr = Correlation::new(2, &[1.0, RHO, RHO, 1.0]).unwrap();
    let copula = Copula::student_t(corr, NU).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let (mut x, mut y) = (vec![0.0; N], vec![0.0; N]);
    let mut u = [0.0; 2];
    for i in 0..N {
        copula.sample(&mut rng, &mut u).unwrap();
        (x[i], y[i]) = (u[0], u[1]);
    }
    let (px, py) = (
        pseudo_observations(&x).unwrap(),
        pseudo_observations(&y).unwrap(),
    );
    let pseudo: Vec<f64> = px.iter().zip(&py).flat_map(|(a, b)| [*a, *b]).collect();
    let fit = fit_t_copula(&pseudo, 2).unwrap();
    assert_eq!(fit.termination, Termination::Converged);

    // ν: observed information of ℓ(ν) at the fitted P.
    let ll = |nu: f64| t_copula_log_likelihood(&pseudo, 2, &fit.correlation, nu).unwrap();
    let h = 0.01 * fit.nu;
    let curvature = (ll(fit.nu + h) - 2.0 * ll(fit.nu) + ll(fit.nu - h)) / (h * h);
    assert!(curvature < 0.0, "ℓ is not concave at ν̂: {curvature}");
    let se_nu = 1.0 / (-curvature).sqrt();
    let z_nu = (fit.nu - NU) / se_nu;

    // ρ: Kendall's τ inverted, delta-method SE.
    let (tau, se_tau) = crate::kendall_with_se(&px, &py);
    let rho = fit.correlation[1];
    assert!((rho - (std::f64::consts::FRAC_PI_2 * tau).sin()).abs() < 1e-12);
    let se_rho = std::f64::consts::FRAC_PI_2 * (std::f64::consts::FRAC_PI_2 * tau).cos() * se_tau;
    let z_rho = (rho - RHO) / se_rho;
    println!(
        "ν̂ {:.3} ± {se_nu:.3} (z {z_nu:+.2}), ρ̂ {rho:.4} ± {se_rho:.4} (z {z_rho:+.2})",
        fit.nu
    );
    // Sanity of the SEs' size (asymptotics at n = 2,000: ν's SE ≈ 0.5–1, ρ's ≈ 0.015).
    assert!(se_nu > 0.1 && se_nu < 3.0, "SE of ν {se_nu}");
    assert!(se_rho > 0.005 && se_rho < 0.05, "SE of ρ {se_rho}");
    assert!(z_nu.abs() < 3.0, "ν̂ {} vs {NU}: z {z_nu}", fit.nu);
    assert!(z_rho.abs() < 3.0, "ρ̂ {rho} vs {RHO}: z {z_rho}");
}
