//! Bad input gives typed errors, never a panic or a NaN.

use derisk::garch::{GarchModel, SimulationStart};
use derisk::sim::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

#[test]
fn generators_reject_bad_parameters() {
    let dt = 1.0 / 365.0;
    for (g, name) in [
        (Gbm::new(f64::NAN, 0.5, dt, 1), "drift"),
        (Gbm::new(0.0, -0.1, dt, 1), "vol"),
        (Gbm::new(0.0, f64::INFINITY, dt, 1), "vol"),
        (Gbm::new(0.0, 0.5, 0.0, 1), "dt"),
        (Gbm::new(0.0, 0.5, -dt, 1), "dt"),
        (Gbm::new(0.0, 0.5, dt, 0), "steps"),
        (Gbm::new(0.0, 0.5, dt, MAX_STEPS + 1), "steps"),
    ] {
        assert!(
            matches!(g, Err(SimError::InvalidParameter { name: n, .. }) if n == name),
            "{name}: {g:?}"
        );
    }
    for (m, name) in [
        (Merton::new(0.0, 0.5, -1.0, 0.0, 0.1, dt, 1), "intensity"),
        (Merton::new(0.0, 0.5, 1e9, 0.0, 0.1, dt, 1), "intensity"),
        (
            Merton::new(0.0, 0.5, 1.0, f64::NAN, 0.1, dt, 1),
            "jump_mean",
        ),
        (Merton::new(0.0, 0.5, 1.0, 800.0, 0.1, dt, 1), "jump_mean"),
        (Merton::new(0.0, 0.5, 1.0, 0.0, -0.1, dt, 1), "jump_vol"),
    ] {
        assert!(
            matches!(m, Err(SimError::InvalidParameter { name: n, .. }) if n == name),
            "{name}: {m:?}"
        );
    }
}

#[test]
fn buffers_of_the_wrong_length_are_errors() {
    let gbm = Gbm::new(0.0, 0.5, 0.01, 3).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let bad = |r: Result<_, SimError>| matches!(r, Err(SimError::BufferLength { .. }));
    assert!(bad(gbm.fill(&mut rng, &mut [0.0; 2])));
    assert!(bad(gbm.fill_many(&mut rng, &mut [0.0; 4]).map(|_| ())));
    assert!(bad(gbm.fill_many(&mut rng, &mut []).map(|_| ())));
    assert!(bad(gbm.terminal_many(
        &mut rng,
        &mut [0.0; 2],
        &mut [0.0; 4]
    )));
    assert!(bad(gbm.terminal_many(&mut rng, &mut [0.0; 3], &mut [])));
    assert!(bad(gbm.terminal_antithetic(
        &mut rng,
        &mut [0.0; 3],
        &mut [0.0; 4],
        &mut [0.0; 3]
    )));
}

#[test]
fn correlations_are_validated() {
    let e = |m: &[f64], d| Correlation::new(d, m).unwrap_err();
    assert!(matches!(
        e(&[], 0),
        SimError::InvalidParameter { name: "dim", .. }
    ));
    assert!(matches!(
        e(&[1.0, 0.5, 0.5], 2),
        SimError::BufferLength { .. }
    ));
    assert!(matches!(
        e(&[1.0, f64::NAN, f64::NAN, 1.0], 2),
        SimError::InvalidCorrelation { row: 0, col: 1, .. }
    ));
    assert!(matches!(
        e(&[0.9, 0.5, 0.5, 1.0], 2),
        SimError::InvalidCorrelation { row: 0, col: 0, .. }
    ));
    assert!(matches!(
        e(&[1.0, 0.5, 0.4, 1.0], 2),
        SimError::InvalidCorrelation { row: 0, col: 1, .. }
    ));
    // Pairwise valid, jointly impossible: ρ12 = ρ13 = 0.9, ρ23 = −0.9.
    let m = [1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0];
    assert_eq!(e(&m, 3), SimError::NotPositiveDefinite { dim: 3 });
    let r = Correlation::new(1, &[1.0]).unwrap();
    for nu in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(Copula::student_t(r.clone(), nu).is_err());
    }
    let mut u = [0.0; 2];
    assert!(matches!(
        Copula::gaussian(r).sample(&mut ChaCha20Rng::seed_from_u64(1), &mut u),
        Err(SimError::BufferLength { .. })
    ));
}

#[test]
fn estimates_and_fits_reject_bad_input() {
    assert!(matches!(
        McEstimate::mean(&[]),
        Err(SimError::TooShort { .. })
    ));
    assert!(matches!(
        McEstimate::mean(&[1.0, f64::NAN]),
        Err(SimError::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        McEstimate::antithetic_mean(&[1.0, 2.0], &[1.0]),
        Err(SimError::BufferLength { .. })
    ));
    assert!(matches!(
        McEstimate::mean(&[f64::MAX, -f64::MAX, f64::MAX]),
        Err(SimError::Overflow { .. })
    ));
    let y: Vec<f64> = (0..300)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
        .collect();
    let fit = GarchModel::garch11_t()
        .evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])
        .unwrap();
    assert!(Fhs::new(&fit, 0).is_err());
    assert!(GarchPaths::new(&fit, 0, SimulationStart::FittedState).is_err());
    assert!(Fhs::new(&fit, 1).unwrap().scaled(0.0).is_err());
    let cop = Copula::gaussian(Correlation::new(2, &[1.0, 0.0, 0.0, 1.0]).unwrap());
    assert!(matches!(
        CopulaGarch::new(cop, &[fit], 1),
        Err(SimError::BufferLength { name: "fits", .. })
    ));
    // The umbrella error takes them.
    let e: derisk::Error = Gbm::new(0.0, -1.0, 1.0, 1).unwrap_err().into();
    assert!(e.to_string().contains("invalid vol"));
    assert!(derisk::math::ks_two_sample(&[], &[1.0]).is_err());
    assert!(derisk::math::ks_two_sample(&[1.0], &[f64::NAN]).is_err());
}
