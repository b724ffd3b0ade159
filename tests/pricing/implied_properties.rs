//! Implied-volatility round trips over wide random ranges: price(σ) → implied → σ. Every call
//! ends in either a volatility within the documented tolerance or a typed error whose condition
//! is checked; never a panic or a NaN.

use derisk::pricing::{
    black, black76_greeks, implied_black_volatility, implied_coin_volatility, EuropeanOption,
    ImpliedVolError, InverseBlack76, OptionKind, PricingModel,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn round_trip_recovers_sigma_or_names_the_bound(
        log_f in -5.0f64..12.0,
        z in -10.0f64..10.0,
        log_s in -4.0f64..1.0,
        log_t in -3.0f64..1.0,
        call in any::<bool>(),
    ) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let forward = 10f64.powf(log_f);
        let s = 10f64.powf(log_s);
        let expiry = 10f64.powf(log_t);
        let sigma = s / expiry.sqrt();
        let strike = forward * (-z * s).exp();
        let price = black(kind, forward, strike, sigma * expiry.sqrt()).unwrap();
        let intrinsic = kind.payoff(forward, strike);
        match implied_black_volatility(kind, price, forward, strike, expiry) {
            Ok(iv) => {
                prop_assert!(iv.volatility.is_finite() && iv.volatility >= 0.0);
                // Two to five steps on the bar's range (tests/implied_reference.rs); the safeguarded
                // iteration may take more far outside it (σ√T near 10, |ln F/K| near 100).
                prop_assert!(iv.iterations <= 16, "{} steps", iv.iterations);
                if iv.volatility == 0.0 {
                    // Only when the rounded price carries no time value.
                    prop_assert!(price <= intrinsic * (1.0 + 4.0 * f64::EPSILON) + f64::MIN_POSITIVE);
                } else {
                    // 2e-13 plus what an error of δ in the price hides, Δσ = δ/(∂P/∂σ): the
                    // price here is the kernel's, accurate to a few tens of ulps of
                    // P + |F − K| in the worst conditioned corners (docs/VALIDATION.md), so
                    // δ = 32·ε·(P + |F − K|), with vega from the kernel.
                    let vega = black76_greeks(kind, forward, strike, expiry, sigma, 0.0).unwrap().vega;
                    let hidden = 32.0 * f64::EPSILON * (price + (forward - strike).abs()) / vega;
                    let tol = 2e-13 * sigma + hidden;
                    prop_assert!(
                        (iv.volatility - sigma).abs() <= tol || !tol.is_finite(),
                        "σ {sigma:e} → {:e}, tol {tol:e}", iv.volatility
                    );
                }
            }
            Err(ImpliedVolError::AboveUpperBound { price: p, bound }) => {
                prop_assert!(p >= bound);
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn coin_quotes_round_trip(
        z in -4.0f64..4.0,
        sigma in 0.1f64..2.0,
        days in 1.0f64..400.0,
        call in any::<bool>(),
    ) {
        let forward = 88_728.95;
        let expiry = days / 365.0;
        let strike = (forward * (-z * sigma * expiry.sqrt()).exp()).round();
        let option = EuropeanOption::new(if call { OptionKind::Call } else { OptionKind::Put }, strike, expiry).unwrap();
        let coin = InverseBlack76::flat(forward, 0.0, sigma).unwrap().price(&option).unwrap();
        let iv = implied_coin_volatility(option.kind(), coin, forward, strike, expiry, 0.0).unwrap();
        // As above: what the rounding of the coin price and of its intrinsic part hides.
        let vega = black76_greeks(option.kind(), forward, strike, expiry, sigma, 0.0).unwrap().vega;
        let usd = coin * forward;
        let tol = 2e-13 * sigma + 32.0 * f64::EPSILON * (usd + (forward - strike).abs()) / vega;
        prop_assert!((iv.volatility - sigma).abs() <= tol, "{sigma} → {}", iv.volatility);
    }
}

#[test]
fn bounds_and_bad_inputs_are_typed_errors() {
    use ImpliedVolError as E;
    let k = OptionKind::Call;
    assert!(matches!(
        implied_black_volatility(k, 5.0, 100.0, 90.0, 1.0),
        Err(E::BelowIntrinsic { .. })
    ));
    assert!(
        matches!(implied_black_volatility(k, 100.0, 100.0, 90.0, 1.0), Err(E::AboveUpperBound { bound, .. }) if bound == 100.0)
    );
    assert!(
        matches!(implied_black_volatility(OptionKind::Put, 90.0, 100.0, 90.0, 1.0), Err(E::AboveUpperBound { bound, .. }) if bound == 90.0)
    );
    assert!(matches!(
        implied_black_volatility(k, f64::NAN, 100.0, 90.0, 1.0),
        Err(E::InvalidPrice { .. })
    ));
    assert!(matches!(
        implied_black_volatility(k, -1.0, 100.0, 90.0, 1.0),
        Err(E::InvalidPrice { .. })
    ));
    assert!(matches!(
        implied_black_volatility(k, 12.0, 100.0, 90.0, 0.0),
        Err(E::InvalidExpiry { .. })
    ));
    assert!(matches!(
        implied_black_volatility(k, 12.0, -100.0, 90.0, 1.0),
        Err(E::Input(_))
    ));
    // A price equal to the intrinsic value is zero volatility, in zero steps.
    let iv = implied_black_volatility(k, 10.0, 100.0, 90.0, 1.0).unwrap();
    assert_eq!((iv.volatility, iv.iterations), (0.0, 0));
    // Coin bounds are reported in coin: a call is worth less than one coin.
    assert!(matches!(
        implied_coin_volatility(k, 1.0, 90_000.0, 80_000.0, 0.1, 0.0),
        Err(E::AboveUpperBound { bound, .. }) if (bound - 1.0).abs() < 1e-15
    ));
    let specials = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -1.0,
        1e-300,
        1e300,
    ];
    for &a in &specials {
        for &b in &specials {
            for (args, kind) in [
                ([a, 100.0, 100.0, 1.0], k),
                ([1.0, a, b, 1.0], k),
                ([1.0, 100.0, a, b], OptionKind::Put),
                ([a, 100.0, b, 0.5], k),
            ] {
                if let Ok(iv) = implied_black_volatility(kind, args[0], args[1], args[2], args[3]) {
                    assert!(iv.volatility.is_finite(), "{args:?} → {iv:?}");
                }
            }
        }
    }
}

/// Strikes within a few ulps of the forward and total volatilities down to 1e-12: there the
/// starting values' floor β·√(2π) and cap s_c = √(2|ln F/K|) meet to within rounding. Every
/// price a few ulps either side of the exact one must give a value or a typed bound error
/// (never a panic or a NaN), and the exact price must give σ back to the 2e-13: at the
/// money the price is proportional to σ (condition number 1), so nothing excuses more.
#[test]
fn near_the_money_by_ulps_never_panics() {
    let forward: f64 = 100.0;
    for &scale in &[0.0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-2, 0.3, 2.0] {
        for strike_ulps in -4i64..=4 {
            let strike = f64::from_bits(forward.to_bits().wrapping_add_signed(strike_ulps));
            // Scale 0 stands for the inflection point s_c itself, where β·√(2π) ≈ s_c.
            let s_c = (2.0 * (forward / strike).ln().abs()).sqrt();
            let s = if scale == 0.0 { s_c } else { scale };
            if s == 0.0 {
                continue;
            }
            for kind in [OptionKind::Call, OptionKind::Put] {
                let exact = black(kind, forward, strike, s).unwrap();
                for price_ulps in -3i64..=3 {
                    let price = f64::from_bits(exact.to_bits().wrapping_add_signed(price_ulps));
                    match implied_black_volatility(kind, price, forward, strike, 1.0) {
                        Ok(iv) => {
                            assert!(iv.volatility.is_finite() && iv.volatility >= 0.0);
                            if price_ulps == 0 {
                                let err = (iv.volatility / s - 1.0).abs();
                                assert!(err <= 2e-13, "s {s} K {strike} {kind:?}: {err:e}");
                            }
                        }
                        Err(e) => assert!(
                            matches!(
                                e,
                                ImpliedVolError::BelowIntrinsic { .. }
                                    | ImpliedVolError::AboveUpperBound { .. }
                            ),
                            "{e}"
                        ),
                    }
                }
            }
        }
    }
}
