//! Adversarial sweep (issue 12): every public fallible function of the Black kernel, the pricing
//! models and the implied-volatility solvers over a pool of hostile values (NaN, ±∞, ±0,
//! subnormals, ±f64::MAX, 1e±300, σ√T up to 1e300, rates near ±700 and beyond) mixed with valid
//! ones, from a seeded ChaCha stream (seed pinned, so a failure replays).
//!
//! Asserted: no panic (caught only to report the inputs; the test then fails), no `Ok` holding a
//! non-finite value, and the oracles where they apply: price → implied volatility → price, put–call
//! parity, the no-arbitrage bounds, and the price inside the Greeks equal to the price. The bounded
//! sweep takes a few seconds in a debug build; `wide_sweep` (ignored) runs 30 times more draws.

use std::panic::{catch_unwind, AssertUnwindSafe};

use derisk::math::{erfc, erfcx, norm_cdf, norm_inv_cdf, norm_pdf};
use derisk::pricing::{
    black, black76_greeks, black76_price, black_scholes_greeks, black_scholes_price,
    implied_black76_volatility, implied_black_scholes_volatility, implied_black_volatility,
    implied_coin_volatility, Black76, BlackScholes, EuropeanOption, Greeks, ImpliedVol,
    ImpliedVolError, ImpliedVolatility, InverseBlack76, Market, OptionKind, PricingError,
    PricingModel, Sensitivities,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Values that break naive code.
const HOSTILE: [f64; 26] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    2.2e-308,
    1e-300,
    1e-150,
    f64::MAX,
    -f64::MAX,
    1e300,
    1e150,
    -1.0,
    -1e-300,
    700.0,
    -700.0,
    710.0,
    -710.0,
    745.0,
    -745.0,
    1e-16,
    1e16,
    f64::EPSILON,
    1.0 - f64::EPSILON / 2.0,
    1.0 + f64::EPSILON,
];

/// Which argument is drawn, so valid draws land in its meaningful range.
#[derive(Clone, Copy)]
enum Arg {
    Price,
    Strike,
    Expiry,
    Vol,
    Rate,
}

fn draw(rng: &mut ChaCha8Rng, arg: Arg, hostile: f64) -> f64 {
    if rng.random::<f64>() < hostile {
        return HOSTILE[rng.random_range(0..HOSTILE.len())];
    }
    let u: f64 = rng.random();
    match arg {
        // Log-uniform over 24 decades, and round numbers.
        Arg::Price | Arg::Strike => {
            if rng.random::<f64>() < 0.3 {
                [1.0, 40.0, 100.0, 3000.0, 88_000.0][rng.random_range(0..5)]
            } else {
                10f64.powf(-12.0 + 24.0 * u)
            }
        }
        Arg::Expiry => 10f64.powf(-8.0 + 10.0 * u),
        Arg::Vol => 10f64.powf(-5.0 + 7.0 * u),
        Arg::Rate => {
            if rng.random::<f64>() < 0.5 {
                0.0
            } else {
                -2.0 + 4.0 * u
            }
        }
    }
}

/// Failures found, as messages; the test fails if any.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    calls: usize,
    round_trips: usize,
    parities: usize,
    /// The inputs of the case being run, reported if it panics.
    context: String,
}

impl Report {
    fn fail(&mut self, message: String) {
        if self.failures.len() < 40 {
            self.failures.push(message);
        }
    }

    fn finite(&mut self, r: &Result<f64, PricingError>, what: &str, args: &[f64]) {
        self.calls += 1;
        match r {
            Ok(v) if !v.is_finite() => self.fail(format!("{what}{args:?} = Ok({v:e})")),
            Err(e) if e.to_string().is_empty() => self.fail(format!("{what}{args:?}: empty error")),
            _ => {}
        }
    }

    fn greeks(&mut self, r: &Result<Greeks, PricingError>, what: &str, args: &[f64]) {
        self.calls += 1;
        if let Ok(g) = r
            && !g.is_finite()
        {
            self.fail(format!("{what}{args:?} = Ok({g:?})"));
        }
    }

    fn implied(&mut self, r: &Result<ImpliedVol, ImpliedVolError>, what: &str, args: &[f64]) {
        self.calls += 1;
        match r {
            Ok(iv) if !(iv.volatility.is_finite() && iv.volatility >= 0.0) => {
                self.fail(format!("{what}{args:?} = Ok({iv:?})"));
            }
            Err(ImpliedVolError::NotConverged { .. }) => {
                self.fail(format!("{what}{args:?}: {r:?}"));
            }
            _ => {}
        }
    }
}

/// Relative agreement of a round trip: `back` against `price`, with `scale` the size of the
/// discounted bound (F·D or K·D) that sets the absolute rounding of an in-the-money price.
fn close(back: f64, price: f64, scale: f64, log_terms: f64) -> bool {
    (back - price).abs()
        <= 1e-9 * price + 64.0 * f64::EPSILON * scale * (1.0 + log_terms) + f64::MIN_POSITIVE
}

/// Black–Scholes: finiteness, bounds, parity, Greeks' price, and price → IV → price.
fn black_scholes_case(rng: &mut ChaCha8Rng, hostile: f64, report: &mut Report) {
    let spot = draw(rng, Arg::Price, hostile);
    let strike = draw(rng, Arg::Strike, hostile);
    let expiry = draw(rng, Arg::Expiry, hostile);
    let vol = draw(rng, Arg::Vol, hostile);
    let rate = draw(rng, Arg::Rate, hostile);
    let dividend_yield = draw(rng, Arg::Rate, hostile);
    let args = [spot, strike, expiry, vol, rate, dividend_yield];
    report.context = format!("black_scholes_case {args:?}");
    let mut prices = [0.0; 2];
    for (n, kind) in [OptionKind::Call, OptionKind::Put].into_iter().enumerate() {
        let p = black_scholes_price(kind, spot, strike, expiry, vol, rate, dividend_yield);
        report.finite(&p, "black_scholes_price", &args);
        let g = black_scholes_greeks(kind, spot, strike, expiry, vol, rate, dividend_yield);
        report.greeks(&g, "black_scholes_greeks", &args);
        if let (Ok(p), Ok(g)) = (&p, &g)
            && g.price != *p
        {
            report.fail(format!(
                "greeks price {} != price {p:e} at {args:?}",
                g.price
            ));
        }
        let Ok(price) = p else {
            prices[n] = f64::NAN;
            continue;
        };
        prices[n] = price;
        let discount = (-rate * expiry).exp();
        let carry = (-dividend_yield * expiry).exp();
        // The price's condition number in r, q and ln(S/K), plus the bounds' own: they are
        // formed as e^{ln S − qT} and e^{ln K − rT}, whose rounding grows with |ln S|, |ln K|.
        let log_terms = (spot.ln() - strike.ln()).abs()
            + (rate * expiry).abs()
            + (dividend_yield * expiry).abs()
            + spot.ln().abs()
            + strike.ln().abs();
        let scale = (spot * carry).max(strike * discount);
        // Bounds: 0 ≤ C ≤ S·e^{−qT}, 0 ≤ P ≤ K·e^{−rT}.
        // Formed in logs: S·e^{−qT} and K·e^{−rT} may be representable where e^{−qT} is not.
        let bound = match kind {
            OptionKind::Call => (spot.ln() - dividend_yield * expiry).exp(),
            OptionKind::Put => (strike.ln() - rate * expiry).exp(),
        };
        // The bound's tolerance is the price's condition number in r, q and ln(S/K): the
        // rounding of the inputs alone moves the price by ε·(|rT| + |qT| + |x|) relative.
        let slack = 64.0 * f64::EPSILON * (1.0 + log_terms);
        if price < 0.0 || (bound.is_finite() && price > bound * (1.0 + slack) + 1e-300) {
            report.fail(format!(
                "{kind:?} price {price:e} outside [0, {bound:e}] at {args:?}"
            ));
        }
        // Round trip.
        let iv = implied_black_scholes_volatility(
            kind,
            price,
            spot,
            strike,
            expiry,
            rate,
            dividend_yield,
        );
        report.implied(
            &iv,
            "implied_black_scholes_volatility",
            &[price, spot, strike, expiry, rate, dividend_yield],
        );
        match iv {
            Ok(iv) => {
                report.round_trips += 1;
                let back = black_scholes_price(
                    kind,
                    spot,
                    strike,
                    expiry,
                    iv.volatility,
                    rate,
                    dividend_yield,
                );
                match back {
                    Ok(back) if close(back, price, scale, log_terms) => {}
                    other => report.fail(format!(
                        "{kind:?} round trip {price:e} → σ {} → {other:?} at {args:?}",
                        iv.volatility
                    )),
                }
            }
            Err(ImpliedVolError::InvalidExpiry { expiry: 0.0 }) => {}
            Err(ImpliedVolError::AboveUpperBound { bound, .. })
                if price >= bound * (1.0 - 1e-9) => {}
            Err(ImpliedVolError::VolatilityOverflow { .. }) if expiry < 1e-200 => {}
            Err(ImpliedVolError::Input(PricingError::Overflow { .. })) => {}
            Err(ImpliedVolError::TooSmall { normalised, .. }) if normalised < f64::MIN_POSITIVE => {
            }
            Err(e) => report.fail(format!(
                "{kind:?} own price {price:e} rejected: {e} at {args:?}"
            )),
        }
    }
    // Parity: C − P = S·e^{−qT} − K·e^{−rT}.
    let (c, p) = (prices[0], prices[1]);
    let (a, b) = (
        (spot.ln() - dividend_yield * expiry).exp(),
        (strike.ln() - rate * expiry).exp(),
    );
    let lhs_scale = a + b;
    if c.is_finite() && p.is_finite() && lhs_scale.is_finite() {
        report.parities += 1;
        let want = a - b;
        let log_terms = (rate * expiry).abs()
            + (dividend_yield * expiry).abs()
            + spot.ln().abs()
            + strike.ln().abs();
        if (c - p - want).abs() > 64.0 * f64::EPSILON * (c + p + lhs_scale) * (1.0 + log_terms) {
            report.fail(format!("parity C {c:e} − P {p:e} ≠ {want:e} at {args:?}"));
        }
    }
}

/// Black-76, `black`, the coin-settled model and the models' trait methods.
fn forward_case(rng: &mut ChaCha8Rng, hostile: f64, report: &mut Report) {
    let forward = draw(rng, Arg::Price, hostile);
    let strike = draw(rng, Arg::Strike, hostile);
    let expiry = draw(rng, Arg::Expiry, hostile);
    let vol = draw(rng, Arg::Vol, hostile);
    let rate = draw(rng, Arg::Rate, hostile);
    let args = [forward, strike, expiry, vol, rate];
    report.context = format!("forward_case {args:?}");
    for kind in [OptionKind::Call, OptionKind::Put] {
        // `black` at total volatility σ√T (which may be huge or subnormal).
        let s = vol * expiry.sqrt();
        let b = black(kind, forward, strike, s);
        report.finite(&b, "black", &[forward, strike, s]);
        if let Ok(b) = b {
            let iv = implied_black_volatility(kind, b, forward, strike, 1.0);
            report.implied(&iv, "implied_black_volatility", &[b, forward, strike, 1.0]);
            match iv {
                Ok(iv) => {
                    report.round_trips += 1;
                    let back = black(kind, forward, strike, iv.volatility);
                    let log_terms = (forward.ln() - strike.ln()).abs();
                    match back {
                        Ok(back) if close(back, b, forward.max(strike), log_terms) => {}
                        other => report.fail(format!(
                            "black round trip {b:e} → s {} → {other:?} at {:?}",
                            iv.volatility,
                            [forward, strike, s]
                        )),
                    }
                }
                Err(ImpliedVolError::AboveUpperBound { bound, .. })
                    if b >= bound * (1.0 - 1e-9) => {}
                Err(ImpliedVolError::TooSmall { normalised, .. })
                    if normalised < f64::MIN_POSITIVE => {}
                // A subnormal forward has too few bits for the normalised problem.
                Err(ImpliedVolError::Input(PricingError::Overflow {
                    quantity: "forward",
                })) if forward < f64::MIN_POSITIVE => {}
                Err(e) => report.fail(format!(
                    "{kind:?} own black price {b:e} rejected: {e} at {:?}",
                    [forward, strike, s]
                )),
            }
        }
        let p = black76_price(kind, forward, strike, expiry, vol, rate);
        report.finite(&p, "black76_price", &args);
        report.greeks(
            &black76_greeks(kind, forward, strike, expiry, vol, rate),
            "black76_greeks",
            &args,
        );
        if let Ok(p) = p {
            let iv = implied_black76_volatility(kind, p, forward, strike, expiry, rate);
            report.implied(
                &iv,
                "implied_black76_volatility",
                &[p, forward, strike, expiry, rate],
            );
            if let Ok(iv) = iv {
                report.round_trips += 1;
                let back = black76_price(kind, forward, strike, expiry, iv.volatility, rate);
                let scale = forward.max(strike) * (-rate * expiry).exp();
                match back {
                    Ok(back)
                        if close(
                            back,
                            p,
                            scale,
                            (forward.ln() - strike.ln()).abs() + (rate * expiry).abs(),
                        ) => {}
                    other => report.fail(format!(
                        "black76 round trip {p:e} → σ {} → {other:?} at {args:?}",
                        iv.volatility
                    )),
                }
            }
        }
        // Coin price quoted directly (hostile prices too).
        let coin = draw(rng, Arg::Price, hostile);
        report.implied(
            &implied_coin_volatility(kind, coin, forward, strike, expiry, rate),
            "implied_coin_volatility",
            &[coin, forward, strike, expiry, rate],
        );
        let quote = draw(rng, Arg::Price, hostile);
        report.implied(
            &implied_black_volatility(kind, quote, forward, strike, expiry),
            "implied_black_volatility",
            &[quote, forward, strike, expiry],
        );
        report.implied(
            &implied_black_scholes_volatility(kind, quote, forward, strike, expiry, rate, vol),
            "implied_black_scholes_volatility",
            &[quote, forward, strike, expiry, rate, vol],
        );
    }
    // Models: construction, price, Greeks, batch and implied vol through the traits.
    let Ok(option) = EuropeanOption::new(OptionKind::Put, strike, expiry) else {
        return;
    };
    if let Ok(m) = Black76::flat(forward, rate, vol) {
        report.finite(&m.price(&option), "Black76::price", &args);
        report.greeks(&m.greeks(&option), "Black76::greeks", &args);
    }
    if let Ok(m) = InverseBlack76::flat(forward, rate, vol) {
        let p = m.price(&option);
        report.finite(&p, "InverseBlack76::price", &args);
        report.greeks(&m.greeks(&option), "InverseBlack76::greeks", &args);
        report.finite(
            &m.premium_adjusted_delta(&option),
            "premium_adjusted_delta",
            &args,
        );
        if let Ok(p) = p {
            let iv = m.implied_vol(&option, p);
            report.implied(&iv, "InverseBlack76::implied_vol", &args);
            if let Ok(iv) = iv {
                report.round_trips += 1;
                let again = InverseBlack76::flat(forward, rate, iv.volatility)
                    .and_then(|m| m.price(&option));
                let scale = strike.max(forward) / forward * (-rate * expiry).exp();
                match again {
                    Ok(back)
                        if close(
                            back,
                            p,
                            scale,
                            (forward.ln() - strike.ln()).abs() + (rate * expiry).abs(),
                        ) => {}
                    other => report.fail(format!(
                        "coin round trip {p:e} → σ {} → {other:?} at {args:?}",
                        iv.volatility
                    )),
                }
            }
        }
    }
    if let Ok(market) = Market::new(forward, rate, vol)
        && let Ok(m) =
            BlackScholes::flat(market.spot(), market.rate(), market.dividend_yield(), vol)
    {
        report.finite(&m.price(&option), "BlackScholes::price", &args);
        report.greeks(&m.greeks(&option), "BlackScholes::greeks", &args);
        let mut out = [Ok(0.0)];
        let batch = m.price_many(&[option], &mut out);
        if batch.is_err() || out[0] != m.price(&option) {
            report.fail(format!("price_many differs from price at {args:?}"));
        }
    }
    let _ =
        Market::with_carry(forward, rate, vol).map(|m| report.calls += usize::from(m.spot() > 0.0));
}

/// The normal kernels: total on finite input, in range.
fn normal_case(rng: &mut ChaCha8Rng, report: &mut Report) {
    let x = if rng.random::<f64>() < 0.5 {
        HOSTILE[rng.random_range(0..HOSTILE.len())]
    } else {
        -40.0 + 80.0 * rng.random::<f64>()
    };
    report.calls += 5;
    for (name, v) in [
        ("norm_cdf", norm_cdf(x)),
        ("norm_pdf", norm_pdf(x)),
        ("erfc", erfc(x)),
        ("erfcx", erfcx(x)),
    ] {
        if x.is_nan() {
            continue;
        }
        let ok = match name {
            "norm_cdf" => (0.0..=1.0).contains(&v),
            "norm_pdf" => (0.0..=0.4).contains(&v),
            "erfc" => (0.0..=2.0).contains(&v),
            _ => v >= 0.0, // erfcx(−∞) = +∞ is its true value
        };
        if !ok {
            report.fail(format!("{name}({x}) = {v:e}"));
        }
    }
    match norm_inv_cdf(x) {
        Ok(q) if !(q.is_finite() || x == 0.0 || x == 1.0) => {
            report.fail(format!("norm_inv_cdf({x}) = Ok({q})"))
        }
        _ => {}
    }
}

fn sweep(seed: u64, draws: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut report = Report::default();
    let mut panics = Vec::new();
    for n in 0..draws {
        // Alternate mostly-valid and mostly-hostile draws.
        let hostile = if n % 2 == 0 { 0.15 } else { 0.6 };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            black_scholes_case(&mut rng, hostile, &mut report);
            forward_case(&mut rng, hostile, &mut report);
            normal_case(&mut rng, &mut report);
        }));
        if outcome.is_err() {
            panics.push(format!(
                "draw {n} (seed {seed}) panicked in {}",
                report.context
            ));
            break;
        }
    }
    println!(
        "{} calls, {} round trips, {} parity checks, {} failures, {} panics",
        report.calls,
        report.round_trips,
        report.parities,
        report.failures.len(),
        panics.len()
    );
    assert!(panics.is_empty(), "{panics:#?}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(
        report.round_trips > draws / 2,
        "too few round trips: {}",
        report.round_trips
    );
}

#[test]
fn hostile_values_never_panic_or_return_non_finite_ok_and_own_prices_round_trip() {
    sweep(12, 60_000);
}

#[test]
#[ignore = "wide sweep: about 30 times the bounded one (run with --ignored, preferably --release)"]
fn wide_sweep() {
    for seed in 0..30 {
        sweep(1_000 + seed, 60_000);
    }
}
