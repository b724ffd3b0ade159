//! Typed errors naming the input and its value.

use derisk::risk::*;

#[test]
fn returns_reject_bad_prices() {
    assert_eq!(
        log_returns(&[1.0]),
        Err(RiskError::TooShort {
            name: "price",
            len: 1,
            min: 2
        })
    );
    assert_eq!(
        log_returns(&[1.0, f64::NAN]).unwrap_err().to_string(),
        "price[1] is not finite: NaN"
    );
    assert_eq!(
        simple_returns(&[0.0, 1.0]),
        Err(RiskError::NonPositivePrice {
            index: 0,
            value: 0.0
        })
    );
    assert_eq!(
        log_returns(&[1.0, 5e-324]),
        Err(RiskError::NonPositivePrice {
            index: 1,
            value: 5e-324
        })
    );
    assert!(matches!(
        aggregate_log_returns(&[0.1], 0, Overlap::Overlapping),
        Err(RiskError::InvalidParameter {
            name: "horizon",
            ..
        })
    ));
    assert_eq!(
        aggregate_log_returns(&[0.1], 2, Overlap::NonOverlapping),
        Err(RiskError::TooShort {
            name: "returns",
            len: 1,
            min: 2
        })
    );
    assert!(matches!(
        rolling_volatility(&[0.1, 0.2], 1),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ewma_volatility(&[0.1], 1.0),
        Err(RiskError::InvalidParameter { name: "lambda", .. })
    ));
    assert!(Annualisation::new(f64::NAN).is_err());
}

#[test]
fn measures_reject_bad_input() {
    for c in [0.0, 1.0, f64::NAN, -0.5, 2.0] {
        assert!(matches!(
            ValueAtRisk::historical(c),
            Err(RiskError::InvalidConfidence { value }) if value.to_bits() == c.to_bits()
        ));
        assert!(Kupiec::new(c).is_err() && basel_traffic_light(250, 1, c).is_err());
    }
    let var = ValueAtRisk::normal(0.99).unwrap();
    assert_eq!(
        var.evaluate(&[1.0]),
        Err(RiskError::TooShort {
            name: "pnl",
            len: 1,
            min: 2
        })
    );
    assert_eq!(
        ValueAtRisk::historical(0.99).unwrap().evaluate(&[]),
        Err(RiskError::TooShort {
            name: "pnl",
            len: 0,
            min: 1
        })
    );
    assert_eq!(
        var.evaluate(&[1.0, f64::INFINITY]),
        Err(RiskError::NonFinite {
            name: "pnl",
            index: 1,
            value: f64::INFINITY
        })
    );
    // A constant sample has no excess kurtosis: the moment-fitted t is undefined, not faked.
    let t = ValueAtRisk::student_t(0.99, Dof::Moments).unwrap();
    assert!(matches!(
        t.evaluate(&[2.0; 10]),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(
        ValueAtRisk::student_t(0.99, Dof::Fixed(2.0)),
        Err(RiskError::InvalidParameter {
            name: "degrees of freedom",
            ..
        })
    ));
    // Values near f64::MAX overflow the variance: an error, never ∞ in Ok.
    assert!(matches!(
        var.evaluate(&[f64::MAX, -f64::MAX]),
        Err(RiskError::Overflow { .. })
    ));
    assert!(matches!(
        sqrt_time_scale(1.0, 0.0),
        Err(RiskError::InvalidParameter { .. })
    ));
    // Exceptions need two series of one length.
    assert!(matches!(
        exceptions(&[1.0], &[1.0, 2.0]),
        Err(RiskError::LengthMismatch { .. })
    ));
}

#[test]
fn degenerate_samples_have_documented_values() {
    // Constant P&L of −2: every estimator says a loss of 2 (σ = 0, S = K = 0 by convention).
    let pnl = [-2.0; 8];
    for v in [
        ValueAtRisk::historical(0.99)
            .unwrap()
            .evaluate(&pnl)
            .unwrap(),
        ValueAtRisk::normal(0.99).unwrap().evaluate(&pnl).unwrap(),
        ValueAtRisk::cornish_fisher(0.99)
            .unwrap()
            .evaluate(&pnl)
            .unwrap(),
        ValueAtRisk::student_t(0.99, Dof::Fixed(5.0))
            .unwrap()
            .evaluate(&pnl)
            .unwrap(),
        ExpectedShortfall::historical(0.99)
            .unwrap()
            .evaluate(&pnl)
            .unwrap(),
        ExpectedShortfall::cornish_fisher(0.99)
            .unwrap()
            .evaluate(&pnl)
            .unwrap(),
    ] {
        assert_eq!(v, 2.0);
    }
    // One observation: historical VaR and ES are that loss.
    assert_eq!(
        ValueAtRisk::historical(0.5)
            .unwrap()
            .evaluate(&[3.0])
            .unwrap(),
        -3.0
    );
    assert_eq!(
        ExpectedShortfall::historical(0.5)
            .unwrap()
            .evaluate(&[3.0])
            .unwrap(),
        -3.0
    );
}
