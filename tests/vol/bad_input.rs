//! Bad input to calibration gives a typed `CalibrationError` naming what and why, never a panic
//! or a NaN: fewer quotes than parameters, crossed quotes, non-increasing expiries, NaN.

use derisk::pricing::OptionKind;
use derisk::vol::{
    Calibrate, CalibrationError, CalibrationOptions, InterpolatedSmile, PriceQuote, Sabr,
    SliceQuotes, SliceSurface, Ssvi, Svi, VolQuote, Weighting,
};

fn quotes(n: usize, t: f64) -> SliceQuotes {
    let q = (0..n)
        .map(|i| VolQuote {
            log_moneyness: -0.2 + 0.1 * i as f64,
            volatility: 0.5 + 0.01 * i as f64,
            weight: 1.0,
        })
        .collect();
    SliceQuotes::new(t, 100.0, q).unwrap()
}

#[test]
fn fewer_quotes_than_parameters() {
    let o = CalibrationOptions::default();
    assert_eq!(
        Svi::calibrate(&quotes(4, 1.0), &o).unwrap_err(),
        CalibrationError::TooFewQuotes {
            quotes: 4,
            parameters: 5
        }
    );
    assert_eq!(
        Sabr::calibrate(&quotes(2, 1.0), &o).unwrap_err(),
        CalibrationError::TooFewQuotes {
            quotes: 2,
            parameters: 3
        }
    );
    // SSVI with the power law on 2 expiries: 2 θ + ρ + η + γ = 5 parameters.
    assert_eq!(
        Ssvi::calibrate(&[quotes(2, 0.5), quotes(2, 1.0)], &o).unwrap_err(),
        CalibrationError::TooFewQuotes {
            quotes: 4,
            parameters: 5
        }
    );
    assert!(matches!(
        InterpolatedSmile::new(&[0.0], &[0.1]),
        Err(CalibrationError::TooFewQuotes { .. })
    ));
    let e = Svi::calibrate(&quotes(3, 1.0), &o).unwrap_err();
    assert_eq!(e.to_string(), "3 quotes cannot determine 5 parameters");
}

#[test]
fn crossed_quotes() {
    let q = [PriceQuote {
        kind: OptionKind::Call,
        strike: 110.0,
        bid: 5.0,
        ask: 4.0,
    }];
    let e = SliceQuotes::from_prices(1.0, 100.0, 1.0, &q, Weighting::InverseSpread).unwrap_err();
    assert_eq!(
        e,
        CalibrationError::CrossedQuote {
            strike: 110.0,
            bid: 5.0,
            ask: 4.0
        }
    );
    assert_eq!(e.to_string(), "crossed quote at strike 110: bid 5 > ask 4");
    let derisk_error: derisk::Error = e.into();
    assert!(matches!(derisk_error, derisk::Error::Calibration(_)));
}

#[test]
fn non_increasing_expiries() {
    let o = CalibrationOptions::default();
    let e = Ssvi::calibrate(&[quotes(10, 1.0), quotes(10, 0.5)], &o).unwrap_err();
    assert_eq!(
        e,
        CalibrationError::NonIncreasingExpiries {
            index: 1,
            previous: 1.0,
            expiry: 0.5
        }
    );
    let e = SliceSurface::<Svi>::calibrate(&[quotes(10, 1.0), quotes(10, 1.0)], &o).unwrap_err();
    assert_eq!(
        e,
        CalibrationError::NonIncreasingExpiries {
            index: 1,
            previous: 1.0,
            expiry: 1.0
        }
    );
}

#[test]
fn nan_and_out_of_domain_inputs() {
    let bad = |v: VolQuote| SliceQuotes::new(1.0, 100.0, vec![v]).unwrap_err();
    assert!(matches!(
        bad(VolQuote {
            log_moneyness: 0.0,
            volatility: f64::NAN,
            weight: 1.0
        }),
        CalibrationError::InvalidInput {
            name: "volatility",
            ..
        }
    ));
    assert!(matches!(
        bad(VolQuote {
            log_moneyness: f64::NAN,
            volatility: 0.5,
            weight: 1.0
        }),
        CalibrationError::InvalidInput {
            name: "log-moneyness",
            ..
        }
    ));
    assert!(matches!(
        bad(VolQuote {
            log_moneyness: 0.0,
            volatility: 0.5,
            weight: -1.0
        }),
        CalibrationError::InvalidInput { name: "weight", .. }
    ));
    assert!(matches!(
        SliceQuotes::new(f64::NAN, 100.0, vec![]),
        Err(CalibrationError::InvalidInput { name: "expiry", .. })
    ));
    assert!(matches!(
        SliceQuotes::new(1.0, f64::INFINITY, vec![]),
        Err(CalibrationError::InvalidInput {
            name: "forward",
            ..
        })
    ));
    let nan_price = [PriceQuote {
        kind: OptionKind::Put,
        strike: 90.0,
        bid: f64::NAN,
        ask: 1.0,
    }];
    assert!(matches!(
        SliceQuotes::from_prices(1.0, 100.0, 1.0, &nan_price, Weighting::Uniform),
        Err(CalibrationError::InvalidInput { name: "price", .. })
    ));
    // A mid price above the no-arbitrage bound has no implied volatility.
    let above = [PriceQuote {
        kind: OptionKind::Call,
        strike: 90.0,
        bid: 100.0,
        ask: 101.0,
    }];
    assert!(matches!(
        SliceQuotes::from_prices(1.0, 100.0, 1.0, &above, Weighting::Uniform),
        Err(CalibrationError::NoImpliedVolatility { strike, .. }) if strike == 90.0
    ));
    // SABR's β outside [0, 1].
    let e = Sabr::calibrate(
        &quotes(5, 1.0),
        &CalibrationOptions::default().with_sabr_beta(f64::NAN),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        CalibrationError::InvalidOption {
            name: "sabr_beta",
            ..
        }
    ));
    // Model constructors reject NaN parameters with a VolError naming the parameter.
    assert!(matches!(
        Svi::new(f64::NAN, 0.1, 0.0, 0.0, 0.1),
        Err(derisk::vol::VolError::InvalidParameter { name: "a", .. })
    ));
}

#[test]
fn nan_coordinates_propagate_without_panicking() {
    use derisk::vol::{Smile, SsviPhi, VolSurface};
    let svi = Svi::new(0.04, 0.1, -0.3, 0.0, 0.2).unwrap();
    let surface = SliceSurface::new(vec![(0.5, svi), (1.0, svi)]).unwrap();
    assert!(surface.total_variance(f64::NAN, 0.0).is_nan());
    assert!(surface.total_variance(0.7, f64::NAN).is_nan());
    let ssvi = Ssvi::new(
        -0.3,
        SsviPhi::Heston { lambda: 1.0 },
        vec![0.5, 1.0],
        vec![0.02, 0.04],
    )
    .unwrap();
    assert!(ssvi.total_variance(f64::NAN, 0.0).is_nan());
    assert!(ssvi.total_variance_derivatives(f64::NAN, 0.0)[0].is_nan());
    let interp = InterpolatedSmile::new(&[-0.1, 0.0, 0.1], &[0.05, 0.04, 0.045]).unwrap();
    assert!(interp.total_variance(f64::NAN).is_nan());
    assert!(svi.total_variance(f64::NAN).is_nan());
    assert!(derisk::vol::smile_summary(&svi, f64::NAN).is_none());
    assert!(derisk::vol::local_volatility(&surface, f64::NAN, 0.0).is_none());
    assert_eq!(
        derisk::vol::risk_neutral_density(&surface, 0.7, 100.0, f64::NAN),
        0.0
    );
}
