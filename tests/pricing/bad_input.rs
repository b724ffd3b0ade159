//! Every public pricing function swept over NaN, ±∞, 0, −1, 1e-300 and 1e300 in every argument
//! (alone and in pairs): never a panic, never a NaN or ∞ returned as a value, and an error only
//! where an input is invalid or the true result overflows a double.

use derisk::math::{erfc, erfcx, norm_cdf, norm_inv_cdf, norm_pdf};
use derisk::pricing::{
    black, black76_greeks, black76_price, black_scholes_greeks, black_scholes_price, Black76,
    BlackScholes, EuropeanOption, Greeks, InverseBlack76, Market, OptionKind, PricingError,
    PricingModel, Sensitivities,
};
use derisk::vol::FlatVol;

const SPECIAL: [f64; 8] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -1.0,
    1e-300,
    1e300,
    -0.0,
];

/// Calls `f` with `base` and with every single and every pair of arguments replaced by a special
/// value.
fn sweep<const N: usize>(base: [f64; N], mut f: impl FnMut([f64; N])) {
    f(base);
    for i in 0..N {
        for &a in &SPECIAL {
            let mut args = base;
            args[i] = a;
            f(args);
            for j in i + 1..N {
                for &b in &SPECIAL {
                    let mut args2 = args;
                    args2[j] = b;
                    f(args2);
                }
            }
        }
    }
}

fn ok_is_finite(r: Result<f64, PricingError>, what: &str, args: &[f64]) -> bool {
    match r {
        Ok(v) => {
            assert!(v.is_finite(), "{what}{args:?} returned {v}");
            true
        }
        Err(e) => {
            // The message names the problem; formatting must not panic either.
            assert!(!e.to_string().is_empty());
            false
        }
    }
}

fn greeks_are_finite(r: Result<Greeks, PricingError>, what: &str, args: &[f64]) -> bool {
    match r {
        Ok(g) => {
            assert!(g.is_finite(), "{what}{args:?} returned {g:?}");
            true
        }
        Err(_) => false,
    }
}

fn valid_spot_like(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

#[test]
fn spot_models_never_return_non_finite_values() {
    let bases = [
        [100.0, 100.0, 0.5, 0.3, 0.05, 0.01],
        [88_530.0, 120_000.0, 2.0 / 365.0, 0.8, 0.0, 0.0],
    ];
    for base in bases {
        for kind in [OptionKind::Call, OptionKind::Put] {
            sweep(base, |[s, k, t, v, r, q]| {
                let args = [s, k, t, v, r, q];
                let ok = ok_is_finite(black_scholes_price(kind, s, k, t, v, r, q), "bs", &args);
                let gok =
                    greeks_are_finite(black_scholes_greeks(kind, s, k, t, v, r, q), "bsg", &args);
                let all_valid = valid_spot_like(s)
                    && valid_spot_like(k)
                    && t.is_finite()
                    && t >= 0.0
                    && v.is_finite()
                    && v >= 0.0
                    && r.is_finite()
                    && q.is_finite();
                if !all_valid {
                    assert!(!ok && !gok, "invalid input accepted: {args:?}");
                }
            });
        }
    }
}

#[test]
fn forward_models_never_return_non_finite_values() {
    let base = [100.0, 90.0, 0.25, 0.5, 0.03];
    for kind in [OptionKind::Call, OptionKind::Put] {
        sweep(base, |[f, k, t, v, r]| {
            let args = [f, k, t, v, r];
            let ok = ok_is_finite(black76_price(kind, f, k, t, v, r), "b76", &args);
            let gok = greeks_are_finite(black76_greeks(kind, f, k, t, v, r), "b76g", &args);
            let ok_b = ok_is_finite(black(kind, f, k, v), "black", &args);
            if !(valid_spot_like(f) && valid_spot_like(k)) {
                assert!(!ok && !gok && !ok_b, "invalid input accepted: {args:?}");
            }
            // Model types: construction or pricing fails with an error, never a bad value.
            if let (Ok(model), Ok(option)) = (
                InverseBlack76::flat(f, r, v),
                EuropeanOption::new(kind, k, t),
            ) {
                ok_is_finite(model.price(&option), "inverse", &args);
                greeks_are_finite(model.greeks(&option), "inverse greeks", &args);
                ok_is_finite(model.premium_adjusted_delta(&option), "pa delta", &args);
            }
            if let (Ok(model), Ok(option)) =
                (Black76::flat(f, r, v), EuropeanOption::new(kind, k, t))
            {
                ok_is_finite(model.price(&option), "Black76", &args);
            }
            if let (Ok(model), Ok(option)) = (
                BlackScholes::flat(f, r, 0.0, v),
                EuropeanOption::new(kind, k, t),
            ) {
                greeks_are_finite(model.greeks(&option), "BlackScholes", &args);
            }
        });
    }
}

#[test]
fn constructors_reject_invalid_fields_by_name() {
    assert!(matches!(
        EuropeanOption::call(f64::NAN, 1.0),
        Err(PricingError::InvalidStrike { .. })
    ));
    assert!(matches!(
        EuropeanOption::call(100.0, -1.0),
        Err(PricingError::InvalidExpiry { expiry }) if expiry == -1.0
    ));
    assert!(matches!(
        Market::new(0.0, 0.0, 0.0),
        Err(PricingError::InvalidSpot { .. })
    ));
    assert!(matches!(
        Market::new(1.0, f64::INFINITY, 0.0),
        Err(PricingError::InvalidRate { .. })
    ));
    assert!(matches!(
        Market::new(1.0, 0.0, f64::NAN),
        Err(PricingError::InvalidDividendYield { .. })
    ));
    assert!(FlatVol::new(-0.2).is_err());
    assert!(matches!(
        black_scholes_price(OptionKind::Call, 100.0, 100.0, 1.0, -0.2, 0.0, 0.0),
        Err(PricingError::InvalidVolatility { volatility }) if volatility == -0.2
    ));
    assert!(matches!(
        black(OptionKind::Put, 100.0, 100.0, f64::NAN),
        Err(PricingError::InvalidTotalVolatility { .. })
    ));
    let msg = PricingError::InvalidStrike { strike: -5.0 }.to_string();
    assert_eq!(msg, "strike -5 must be finite and positive");
}

#[test]
fn batch_rejects_a_wrong_output_length_and_keeps_going_past_bad_contracts() {
    let model = BlackScholes::flat(100.0, 0.0, 0.0, 0.5).unwrap();
    let book = [EuropeanOption::call(100.0, 1.0).unwrap(); 3];
    let mut short = [Ok(0.0); 2];
    assert_eq!(
        model.price_many(&book, &mut short),
        Err(PricingError::LengthMismatch {
            inputs: 3,
            outputs: 2
        })
    );
    // A surface that returns NaN for one strike gives an error for that contract only.
    struct Broken;
    impl derisk::vol::VolSurface for Broken {
        fn total_variance(&self, expiry: f64, k: f64) -> f64 {
            if k > 0.0 {
                f64::NAN
            } else {
                0.25 * expiry
            }
        }
    }
    let model = BlackScholes::new(Market::new(100.0, 0.0, 0.0).unwrap(), Broken);
    let book = [
        EuropeanOption::call(90.0, 1.0).unwrap(),
        EuropeanOption::call(110.0, 1.0).unwrap(),
    ];
    let mut out = [Ok(0.0); 2];
    model.price_many(&book, &mut out).unwrap();
    assert!(out[0].is_ok());
    assert!(matches!(
        out[1],
        Err(PricingError::InvalidVolatility { .. })
    ));
}

#[test]
fn math_kernels_are_finite_on_finite_input_and_in_range() {
    for &x in &[
        0.0,
        -1.0,
        1.0,
        1e-300,
        -1e-300,
        1e300,
        -1e300,
        40.0,
        -40.0,
        f64::MAX,
        f64::MIN,
    ] {
        let (p, c, e) = (norm_pdf(x), norm_cdf(x), erfc(x));
        assert!(p.is_finite() && p >= 0.0, "pdf({x}) = {p}");
        assert!((0.0..=1.0).contains(&c), "cdf({x}) = {c}");
        assert!((0.0..=2.0).contains(&e), "erfc({x}) = {e}");
        let ex = erfcx(x);
        assert!(ex.is_finite() && ex >= 0.0, "erfcx({x}) = {ex}");
    }
    for &p in &SPECIAL {
        if let Ok(x) = norm_inv_cdf(p) {
            assert!(x.is_finite(), "inv_cdf({p}) = {x}");
        }
    }
    assert_eq!(norm_cdf(f64::NEG_INFINITY), 0.0);
    assert_eq!(norm_cdf(f64::INFINITY), 1.0);
    assert_eq!(norm_pdf(f64::INFINITY), 0.0);
}
