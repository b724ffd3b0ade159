//! Bad input gets a typed `FitError` that says what and where; never a panic or a NaN.

use derisk::garch::{
    Egarch, FitError, FitOptions, Garch, GarchModel, InnovationFamily, MeanModel, SkewT, StudentT,
    Volatility,
};

fn series(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| ((i * 37 % 101) as f64 - 50.0) / 25.0)
        .collect()
}

fn t11() -> GarchModel {
    GarchModel::garch11_t()
}

#[test]
fn too_few_observations() {
    // GARCH(1,1)-t has 5 parameters: at least max(20, 15) observations.
    match t11().fit(&series(19)) {
        Err(FitError::TooFewObservations {
            observations: 19,
            required: 20,
        }) => {}
        other => panic!("{other:?}"),
    }
    // AR(1) holds one observation back.
    let ar = GarchModel::new(
        MeanModel::Ar1,
        Volatility::Garch(Garch::new(1, 0, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    assert!(matches!(
        ar.fit(&series(20)),
        Err(FitError::TooFewObservations {
            observations: 19,
            ..
        })
    ));
    assert!(t11().fit(&[]).is_err());
    let msg = t11().fit(&series(3)).unwrap_err().to_string();
    assert_eq!(
        msg,
        "3 observations are too few: this model needs at least 20"
    );
}

#[test]
fn constant_series() {
    assert_eq!(
        t11().fit(&[1.5; 100]).unwrap_err(),
        FitError::ConstantSeries { value: 1.5 }
    );
    assert!(matches!(
        t11().fit(&[0.0; 100]),
        Err(FitError::ConstantSeries { .. })
    ));
}

#[test]
fn nan_and_infinity_say_where() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut y = series(200);
        y[137] = bad;
        match t11().fit(&y) {
            Err(FitError::NonFinite { index: 137, value }) => {
                assert!(value.is_nan() == bad.is_nan());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            t11().log_likelihood(&y, &[0.0, 0.1, 0.1, 0.8, 8.0]),
            Err(FitError::NonFinite { index: 137, .. })
        ));
    }
    let mut y = series(50);
    y[3] = f64::NAN;
    assert_eq!(
        t11().fit(&y).unwrap_err().to_string(),
        "observation 3 is NaN: every observation must be finite"
    );
}

#[test]
fn start_outside_the_constraints() {
    let y = series(300);
    let cases: [(Vec<f64>, &str); 5] = [
        (vec![0.0, 0.1, 0.3, 0.8, 8.0], "persistence"), // α + β > 1
        (vec![0.0, 0.1, -0.1, 0.8, 8.0], "alpha[1]"),   // α < 0
        (vec![0.0, 0.1, 0.1, 0.8, 2.0], "nu"),          // ν ≤ 2
        (vec![0.0, -0.1, 0.1, 0.8, 8.0], "omega"),      // ω ≤ 0
        (vec![f64::NAN, 0.1, 0.1, 0.8, 8.0], "mu"),     // not finite
    ];
    for (start, name) in cases {
        let o = FitOptions {
            start: Some(start.clone()),
            ..FitOptions::default()
        };
        match t11().fit_with(&y, &o) {
            Err(FitError::OutsideConstraints { name: n, .. }) => assert_eq!(n, name, "{start:?}"),
            other => panic!("{start:?}: {other:?}"),
        }
    }
    let o = FitOptions {
        start: Some(vec![0.0, 0.1, 0.1]),
        ..FitOptions::default()
    };
    assert_eq!(
        t11().fit_with(&y, &o).unwrap_err(),
        FitError::ParameterCount {
            expected: 5,
            got: 3
        }
    );
    // GJR: α + γ must be non-negative.
    let gjr = GarchModel::new(
        MeanModel::Zero,
        Volatility::Garch(Garch::gjr(1, 1, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    let o = FitOptions {
        start: Some(vec![0.1, 0.05, -0.1, 0.8]),
        ..FitOptions::default()
    };
    assert!(
        matches!(gjr.fit_with(&y, &o), Err(FitError::OutsideConstraints { constraint, .. }) if constraint.contains("gamma"))
    );
    // EGARCH: Σβ ≤ 1.
    let eg = GarchModel::new(
        MeanModel::Zero,
        Volatility::Egarch(Egarch::new(1, 0, 1).unwrap()),
        InnovationFamily::Normal,
    )
    .unwrap();
    let o = FitOptions {
        start: Some(vec![0.0, 0.1, 1.01]),
        ..FitOptions::default()
    };
    assert!(matches!(
        eg.fit_with(&y, &o),
        Err(FitError::OutsideConstraints { .. })
    ));
}

#[test]
fn invalid_orders_and_shapes() {
    assert!(matches!(
        Garch::new(0, 0, 1),
        Err(FitError::InvalidOrder { .. })
    ));
    assert!(matches!(
        Garch::new(5, 0, 1),
        Err(FitError::InvalidOrder { .. })
    ));
    assert!(matches!(
        Garch::gjr(1, 0, 1),
        Err(FitError::InvalidOrder { .. })
    ));
    assert!(StudentT::new(2.0).is_err() && StudentT::new(f64::INFINITY).is_err());
    assert!(SkewT::new(5.0, -1.0).is_err() && SkewT::new(2.0, 0.0).is_err());
    assert!(derisk::garch::Ewma::new(0.0).is_err());
    // Into the umbrella error.
    let e: derisk::Error = Garch::new(0, 0, 0).unwrap_err().into();
    assert!(e.to_string().contains("p + o"));
}

#[test]
fn extreme_but_finite_data_do_not_panic() {
    let mut y = series(200);
    y[10] = 1e150;
    y[11] = -1e-300;
    for model in [
        t11(),
        GarchModel::new(
            MeanModel::Ar1,
            Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
            InnovationFamily::SkewT,
        )
        .unwrap(),
    ] {
        match model.fit(&y) {
            Ok(fit) => {
                assert!(fit.loglik().is_finite() && fit.params().iter().all(|p| p.is_finite()))
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
