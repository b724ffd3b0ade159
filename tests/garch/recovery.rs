//! Simulate-then-fit recovery: 20,000 returns from known parameters (seeded ChaCha20 paths),
//! fitted by maximum likelihood; every estimate must lie within 4 robust standard errors of the
//! truth (the estimator is √n-consistent and asymptotically normal, Bollerslev and Wooldridge
//! 1992, so |θ̂ − θ|/se ≤ 4 fails with probability ≈ 6e-5 per parameter).

use derisk::garch::{Egarch, Garch, GarchModel, InnovationFamily, MeanModel, Volatility};

fn recover(model: GarchModel, truth: &[f64], seed: u64) {
    let sim = model
        .simulate_with(truth, 20_000, 1_000, &mut crate::simulation::seeded(seed))
        .unwrap();
    let fit = model.fit(&sim.returns).unwrap();
    let se = fit.std_errors().unwrap();
    for ((name, (est, t)), s) in model
        .param_names()
        .iter()
        .zip(fit.params().iter().zip(truth))
        .zip(&se)
    {
        let z = (est - t) / s;
        println!("{name:<9} true {t:>8.4} est {est:>9.5} se {s:.5} z {z:+.2}");
        assert!(
            z.abs() <= 4.0,
            "{name}: estimate {est} is {z:.2} se from {t}"
        );
        // The standard error itself must be of the √n order expected for 20,000 observations.
        assert!(*s > 0.0 && *s < 0.5 * t.abs().max(0.1), "{name}: se {s}");
    }
    println!("{:?}", fit.convergence().unwrap());
}

#[test]
fn garch11_student_t_is_recovered() {
    let m = GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        InnovationFamily::StudentT,
    )
    .unwrap();
    recover(m, &[0.05, 0.1, 0.08, 0.9, 5.0], 1);
}

#[test]
fn gjr_skew_t_is_recovered() {
    let m = GarchModel::new(
        MeanModel::Constant,
        Volatility::Garch(Garch::gjr(1, 1, 1).unwrap()),
        InnovationFamily::SkewT,
    )
    .unwrap();
    recover(m, &[0.03, 0.05, 0.04, 0.1, 0.88, 6.0, -0.15], 2);
}

#[test]
fn egarch_normal_with_ar1_mean_is_recovered() {
    let m = GarchModel::new(
        MeanModel::Ar1,
        Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    recover(m, &[0.02, 0.1, 0.02, 0.15, -0.08, 0.95], 3);
}
