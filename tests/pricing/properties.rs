//! Properties of the Black kernel that hold for any inputs: put–call parity, no-arbitrage
//! bounds, monotonicity, every Greek against a finite difference of the price (or of the lower
//! Greek), symmetry of mixed derivatives, and coin value × forward = USD value.

use derisk::pricing::{
    black76_greeks, black_scholes_greeks, black_scholes_price, EuropeanOption, Greeks,
    InverseBlack76, OptionKind, PricingModel, Sensitivities,
};
use proptest::prelude::*;

/// Spot-model inputs over a wide, realistic range; z is the log-moneyness in standard deviations.
fn inputs() -> impl Strategy<Value = (f64, f64, f64, f64, f64, f64)> {
    (
        1.0f64..1e5,
        -3.0f64..3.0,
        0.02f64..3.0,
        0.05f64..1.5,
        -0.02f64..0.15,
        -0.05f64..0.08,
    )
        .prop_map(|(s, z, t, v, r, q)| {
            let f = s * ((r - q) * t).exp();
            let k = f * (-z * v * t.sqrt()).exp();
            (s, k, t, v, r, q)
        })
}

fn greeks(kind: OptionKind, p: [f64; 6]) -> Greeks {
    black_scholes_greeks(kind, p[0], p[1], p[2], p[3], p[4], p[5]).unwrap()
}

/// Step for argument `i`: 1e-3 of its size, and for the underlying (0) 1e-3 of one standard
/// deviation of its move, S·σ√T, the scale on which the price curves.
fn step(p: [f64; 6], i: usize) -> f64 {
    let h = 1e-3 * p[i].abs().max(0.01);
    if i == 0 {
        h * (p[3] * p[2].sqrt()).min(1.0)
    } else {
        h
    }
}

/// Richardson-extrapolated central difference of `f` in argument `i` of `p`: truncation
/// O(h⁴) (~1e-12 relative), rounding ≈ ε·|f|/h.
fn derivative(p: [f64; 6], i: usize, f: impl Fn([f64; 6]) -> f64) -> f64 {
    let h = step(p, i);
    let central = |h: f64| {
        let (mut up, mut down) = (p, p);
        up[i] += h;
        down[i] -= h;
        (f(up) - f(down)) / (2.0 * h)
    };
    (4.0 * central(h / 2.0) - central(h)) / 3.0
}

/// |fd − exact| within 1e-7 relative plus the rounding floor 1e-10·|f|/h of the difference,
/// where `scale` is a typical magnitude of the differenced function.
fn close(fd: f64, exact: f64, scale: f64, step: f64, what: &str) -> Result<(), TestCaseError> {
    let tol = 1e-7 * exact.abs() + 1e-10 * scale / step;
    prop_assert!(
        (fd - exact).abs() <= tol,
        "{what}: finite difference {fd:e} vs {exact:e} (tol {tol:e})"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn put_call_parity_and_bounds(p in inputs()) {
        let (s, k, t, v, r, q) = p;
        let c = black_scholes_price(OptionKind::Call, s, k, t, v, r, q).unwrap();
        let pu = black_scholes_price(OptionKind::Put, s, k, t, v, r, q).unwrap();
        let fwd = s * (-q * t).exp();
        let pv_k = k * (-r * t).exp();
        // C − P = S·e^{−qT} − K·e^{−rT}
        prop_assert!((c - pu - (fwd - pv_k)).abs() <= 1e-13 * fwd.max(pv_k));
        prop_assert!(c >= (fwd - pv_k).max(0.0) * (1.0 - 1e-14) && c <= fwd);
        prop_assert!(pu >= (pv_k - fwd).max(0.0) * (1.0 - 1e-14) && pu <= pv_k);
    }

    #[test]
    fn monotone_in_strike_and_volatility(p in inputs(), bump in 1e-4f64..0.2) {
        let (s, k, t, v, r, q) = p;
        for kind in [OptionKind::Call, OptionKind::Put] {
            let base = black_scholes_price(kind, s, k, t, v, r, q).unwrap();
            let higher_k = black_scholes_price(kind, s, k * (1.0 + bump), t, v, r, q).unwrap();
            let higher_v = black_scholes_price(kind, s, k, t, v * (1.0 + bump), r, q).unwrap();
            match kind {
                OptionKind::Call => prop_assert!(higher_k <= base),
                OptionKind::Put => prop_assert!(higher_k >= base),
            }
            prop_assert!(higher_v >= base);
        }
    }

    #[test]
    fn every_greek_matches_a_finite_difference(p in inputs(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let (s, k, t, v, r, q) = p;
        let x = [s, k, t, v, r, q];
        let g = greeks(kind, x);
        let h = |i: usize| step(x, i);
        let price = |y: [f64; 6]| greeks(kind, y).price;
        let delta = |y: [f64; 6]| greeks(kind, y).delta;
        let gamma = |y: [f64; 6]| greeks(kind, y).gamma;
        let vega = |y: [f64; 6]| greeks(kind, y).vega;
        let volga = |y: [f64; 6]| greeks(kind, y).volga;
        let (scale_v, scale_d) = (s, 1.0);
        let scale_g = g.gamma.abs().max(1e-3 / s);
        let scale_vega = s * t.sqrt();
        // Spot derivatives (argument 0), vol (3), time (2, theta-like = −∂/∂T), rates (4, 5).
        close(derivative(x, 0, price), g.delta, scale_v, h(0), "delta")?;
        close(derivative(x, 0, delta), g.gamma, scale_d, h(0), "gamma")?;
        close(derivative(x, 0, gamma), g.speed, scale_g, h(0), "speed")?;
        close(derivative(x, 3, price), g.vega, scale_v, h(3), "vega")?;
        close(derivative(x, 3, vega), g.volga, scale_vega, h(3), "volga")?;
        close(derivative(x, 3, volga), g.ultima, scale_vega, h(3), "ultima")?;
        close(derivative(x, 0, vega), g.vanna, scale_vega, h(0), "vanna (d vega/dS)")?;
        close(derivative(x, 3, delta), g.vanna, scale_d, h(3), "vanna (d delta/dsigma)")?;
        close(derivative(x, 3, gamma), g.zomma, scale_g, h(3), "zomma")?;
        close(-derivative(x, 2, price), g.theta, scale_v, h(2), "theta")?;
        close(-derivative(x, 2, delta), g.charm, scale_d, h(2), "charm")?;
        close(-derivative(x, 2, vega), g.veta, scale_vega, h(2), "veta")?;
        close(-derivative(x, 2, gamma), g.color, scale_g, h(2), "color")?;
        close(derivative(x, 4, price), g.rho, scale_v, h(4), "rho")?;
        close(derivative(x, 5, price), g.dividend_rho, scale_v, h(5), "dividend rho")?;
    }

    #[test]
    fn black76_greeks_match_finite_differences_on_the_forward(p in inputs(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let (f, k, t, v, r, _) = p;
        let x = [f, k, t, v, r, 0.0];
        let g76 = |y: [f64; 6]| black76_greeks(kind, y[0], y[1], y[2], y[3], y[4]).unwrap();
        let g = g76(x);
        let h = |i: usize| step(x, i);
        close(derivative(x, 0, |y| g76(y).price), g.delta, f, h(0), "b76 delta")?;
        close(derivative(x, 0, |y| g76(y).delta), g.gamma, 1.0, h(0), "b76 gamma")?;
        close(-derivative(x, 2, |y| g76(y).price), g.theta, f, h(2), "b76 theta")?;
        close(derivative(x, 4, |y| g76(y).price), g.rho, f, h(4), "b76 rho")?;
        close(-derivative(x, 2, |y| g76(y).delta), g.charm, 1.0, h(2), "b76 charm")?;
        prop_assert_eq!(g.dividend_rho, 0.0);
    }

    #[test]
    fn coin_value_times_forward_is_the_usd_value(p in inputs(), call in any::<bool>()) {
        let (f, k, t, v, r, _) = p;
        let option = EuropeanOption::new(if call { OptionKind::Call } else { OptionKind::Put }, k, t).unwrap();
        let model = InverseBlack76::flat(f, r, v).unwrap();
        let coin = model.price(&option).unwrap();
        let usd = model.usd_model().price(&option).unwrap();
        prop_assert!((coin * f - usd).abs() <= 1e-14 * usd.max(1e-300));
        // Premium-adjusted delta = Black delta − coin premium.
        let black_delta = model.usd_model().greeks(&option).unwrap().delta;
        let pa = model.premium_adjusted_delta(&option).unwrap();
        prop_assert!((pa - (black_delta - coin)).abs() <= 1e-13 * pa.abs().max(1.0));
    }

    #[test]
    fn coin_greeks_match_finite_differences(p in inputs(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let (f, k, t, v, r, _) = p;
        let x = [f, k, t, v, r, 0.0];
        let coin = |y: [f64; 6]| {
            InverseBlack76::flat(y[0], y[4], y[3]).unwrap()
                .greeks(&EuropeanOption::new(kind, y[1], y[2]).unwrap()).unwrap()
        };
        let g = coin(x);
        let h = |i: usize| step(x, i);
        let scale_g = g.gamma.abs().max(1e-3 / (f * f));
        close(derivative(x, 0, |y| coin(y).price), g.delta, 1.0, h(0), "coin delta")?;
        close(derivative(x, 0, |y| coin(y).delta), g.gamma, 1.0 / f, h(0), "coin gamma")?;
        close(derivative(x, 0, |y| coin(y).gamma), g.speed, scale_g, h(0), "coin speed")?;
        close(derivative(x, 3, |y| coin(y).price), g.vega, 1.0, h(3), "coin vega")?;
        close(derivative(x, 0, |y| coin(y).vega), g.vanna, t.sqrt(), h(0), "coin vanna")?;
        close(derivative(x, 0, |y| coin(y).vanna), g.zomma, t.sqrt() / f, h(0), "coin zomma")?;
        close(-derivative(x, 2, |y| coin(y).price), g.theta, 1.0, h(2), "coin theta")?;
        close(-derivative(x, 2, |y| coin(y).delta), g.charm, 1.0 / f, h(2), "coin charm")?;
        close(-derivative(x, 2, |y| coin(y).gamma), g.color, scale_g, h(2), "coin color")?;
    }
}
