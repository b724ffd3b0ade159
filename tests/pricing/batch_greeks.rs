//! The structure-of-arrays batch Greeks (`black76_greeks_batch`, `black_scholes_greeks_batch`)
//! against the same 50-digit references and with the same bars as the scalar Greeks tests:
//! - tests/data/pricing_reference.json (mpmath 1.3.0 at 60 digits, Greeks by high-precision
//!   numerical differentiation of the price; tools/gen_pricing_reference.py): every
//!   Black–Scholes and Black-76 row, price and all fourteen Greeks, within 1e-13 relative for
//!   the price and first-order Greeks and 1e-12 for the others where |value| > 1e-290 (issue 3's
//!   bar, as in reference.rs), each row priced in a full chunk (so through the vectorised lanes
//!   wherever it is in their region) plus a remainder lane;
//! - the scalar functions themselves on a mixed chain (few-ulp agreement per Greek), for bad
//!   inputs lane by lane (the same errors), and for a batch of one (the same bits);
//! - a counting global allocator: a 1,000-option batch allocates nothing.

use crate::common::fixture;
use crate::counting_alloc::count;
use crate::reference::{bar, kind};
use derisk::black::{
    black76_greeks_batch, black76_price_batch, black_scholes_greeks_batch,
    black_scholes_price_batch,
};
use derisk::pricing::{black76_greeks, black_scholes_greeks, Greeks, OptionKind, PricingError};

/// Copies of one contract: a chunk of the batch kernel plus a remainder lane.
const COPIES: usize = 9;

type Out = Result<Greeks, PricingError>;

#[test]
fn every_greeks_reference_row_through_the_batch_path() {
    let reference = fixture("pricing_reference.json");
    let names: Vec<&str> = reference["greeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let (mut worst_over_bar, mut values, mut differing) = (0.0_f64, 0, 0);
    let mut worst_lanes = 0.0_f64;
    for (i, case) in cases.iter().enumerate() {
        let f = |k: &str| case[k].as_f64().unwrap();
        let (s, k, t, v, r) = (
            f("spot"),
            f("strike"),
            f("expiry"),
            f("volatility"),
            f("rate"),
        );
        let kind = kind(&case["kind"]);
        let mut out: [Out; COPIES] = [Ok(Greeks::default()); COPIES];
        let mut prices = [Ok(0.0); COPIES];
        let scalar = match case["model"].as_str().unwrap() {
            "black_scholes" => {
                let q = f("dividend_yield");
                let (kinds, strikes, expiries, vols) =
                    ([kind; COPIES], [k; COPIES], [t; COPIES], [v; COPIES]);
                black_scholes_greeks_batch(&kinds, s, &strikes, &expiries, &vols, r, q, &mut out)
                    .unwrap();
                black_scholes_price_batch(&kinds, s, &strikes, &expiries, &vols, r, q, &mut prices)
                    .unwrap();
                black_scholes_greeks(kind, s, k, t, v, r, q).unwrap()
            }
            "black76" => {
                let args = ([kind; COPIES], [s; COPIES], [k; COPIES], [t; COPIES]);
                let vols = [v; COPIES];
                black76_greeks_batch(&args.0, &args.1, &args.2, &args.3, &vols, r, &mut out)
                    .unwrap();
                black76_price_batch(&args.0, &args.1, &args.2, &args.3, &vols, r, &mut prices)
                    .unwrap();
                black76_greeks(kind, s, k, t, v, r).unwrap()
            }
            other => panic!("unknown model {other}"),
        };
        let label = format!("case {i} ({case})");
        let want = case["values"].as_array().unwrap();
        let mut row_worst = 0.0_f64;
        for (lane, got) in out.iter().enumerate() {
            let got = got.as_ref().unwrap();
            for ((name, value), reference) in got.to_array().iter().zip(want) {
                assert!(names.contains(name), "unknown greek {name}");
                let reference = reference.as_f64().unwrap();
                if reference.abs() <= 1e-290 {
                    assert!(
                        (value - reference).abs() <= 1e-290,
                        "{label} {name}: {value:e} vs {reference:e}"
                    );
                    continue;
                }
                let rel = ((value - reference) / reference).abs();
                assert!(
                    rel <= bar(name),
                    "{label} lane {lane} {name}: batch {value:e}, reference {reference:e}, \
                     rel {rel:e}"
                );
                worst_over_bar = worst_over_bar.max(rel / bar(name));
                row_worst = row_worst.max(rel / bar(name));
                values += 1;
            }
            // Lanes are independent: every copy in a chunk gets the same bits; and the price is
            // the batch pricer's, bit for bit (as the scalar Greeks' price is the scalar price),
            // or, where the price lanes reach into the scalar kernel's Taylor region and the
            // Greeks lanes do not, the scalar price.
            if lane < COPIES - 1 {
                assert_eq!(out[lane], out[0], "{label}: lane {lane}");
            }
            assert!(
                Ok(got.price) == prices[lane] || *got == scalar,
                "{label}: lane {lane}"
            );
        }
        // The remainder lane is the scalar kernel itself.
        assert_eq!(out[COPIES - 1], Ok(scalar), "{label}");
        // (Rows whose lanes differ from it in some bit certainly went through the lanes.)
        if out[0] != Ok(scalar) {
            differing += 1;
            worst_lanes = worst_lanes.max(row_worst);
        }
    }
    println!(
        "batch Greeks, pricing reference: {values} values, worst rel/bar {worst_over_bar:e}; \
         {differing} of {} rows not bit-identical to the scalar kernel (lanes), their worst \
         rel/bar {worst_lanes:e}",
        cases.len()
    );
}

/// The benchmark chain of issue 17: 1,000 options, strikes 50..200 on an underlying of 100,
/// expiries a day to two years, σ 10 %..150 %, calls and puts alternating.
struct Chain {
    kind: Vec<OptionKind>,
    strike: Vec<f64>,
    expiry: Vec<f64>,
    volatility: Vec<f64>,
}

fn chain(n: usize) -> Chain {
    let at = |i: usize, step: f64| (0.5 + i as f64 * step).fract();
    Chain {
        kind: (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                }
            })
            .collect(),
        strike: (0..n)
            .map(|i| 50.0 * 4.0_f64.powf(at(i, 0.754_877_666_246_692_7)))
            .collect(),
        expiry: (0..n)
            .map(|i| 1.0 / 365.0 + 2.0 * at(i, 0.569_840_290_998_053_3))
            .collect(),
        volatility: (0..n)
            .map(|i| 0.1 + 1.4 * at(i, 0.618_033_988_749_895))
            .collect(),
    }
}

/// |batch − scalar| in ulps of the larger of the scalar value and `floor` (the size of the
/// terms a Greek is a difference of, where it cancels to near zero).
fn ulps_apart(batch: f64, scalar: f64, floor: f64) -> f64 {
    if batch == scalar {
        return 0.0;
    }
    (batch - scalar).abs() / (scalar.abs().max(floor) * f64::EPSILON)
}

/// Asserts every value of `got` within 12 ulps of the larger of `scalar`'s value and its terms'
/// size (`scale`, see [`term_scale`]), recording the worst per value; `label` names the option.
fn assert_within_12_ulps(
    got: &Greeks,
    scalar: &Greeks,
    scale: &[f64; 15],
    worst: &mut [f64; 15],
    label: impl Fn() -> String,
) {
    for (j, ((name, v), (_, s))) in got
        .to_array()
        .iter()
        .zip(scalar.to_array().iter())
        .enumerate()
    {
        let apart = ulps_apart(*v, *s, scale[j]);
        worst[j] = worst[j].max(apart);
        assert!(
            apart <= 12.0,
            "{} {name}: batch {v:e}, scalar {s:e}, {apart} ulps",
            label()
        );
    }
}

/// The size of the terms each value is computed from, in the scalar kernel's formulation
/// (kernel.rs; Haug 2007 §2): the formula with every term taken in absolute value and d₁, d₂
/// (themselves differences x/s ± s/2) replaced by D = |x|/s + s/2; for the price (and ρ = −T·V
/// on a forward) the two terms of Black's formula, which the normalised Black function's
/// difference of two erfc's (`otm_call`, scalar and lanes alike) cancels between. A value that
/// cancels to near zero (theta, charm, vanna near d₂ = 0, ...) is only defined to a few ulps of
/// these, by either path. `b` is the carry, `cl` = −q (or −r on a forward), `s` the underlying.
#[allow(clippy::too_many_arguments)]
fn term_scale(
    g: &Greeks,
    s: f64,
    x: f64,
    sigma: f64,
    t: f64,
    r: f64,
    b: f64,
    cl: f64,
) -> [f64; 15] {
    let total = sigma * t.sqrt();
    let d = x.abs() / total + 0.5 * total;
    // e^{−qT}·φ(d₁) from vega = S·e^{−qT}·φ(d₁)·√T.
    let dens = g.vega / (s * t.sqrt());
    let d1_dt = b.abs() / total + d / (2.0 * t);
    // The two terms of Black's formula, θS·e^{−qT}·Φ(θd₁) = S·Δ and θK·e^{−rT}·Φ(θd₂) = S·Δ − V.
    let black_terms = (s * g.delta).abs() + (s * g.delta - g.price).abs();
    [
        black_terms,
        g.delta.abs(),
        g.gamma.abs(),
        g.vega.abs(),
        (r * g.price).abs() + (b * s * g.delta).abs() + 0.5 * dens * s * total / t,
        t * black_terms,
        g.dividend_rho.abs(),
        dens * d / sigma,
        g.vega * d * d / sigma,
        (cl * g.delta).abs() + dens * d1_dt,
        g.vega * (cl.abs() + d * d1_dt + 0.5 / t),
        g.gamma / s * (1.0 + d / total),
        g.gamma * (d * d + 1.0) / sigma,
        g.gamma * (cl.abs() + d * d1_dt + 0.5 / t),
        g.vega / (sigma * sigma) * (d * d * (1.0 + d * d) + 2.0 * d * d),
    ]
}

/// The bench chain through both batch functions (r = 3 %, q = 1 %, and r = q = 0) against the
/// scalar functions contract by contract: every value within 12 ulps of the larger of itself and its terms' size
/// ([`term_scale`]); measured worst 7.7 ulps (dividend ρ), the price 1.4.
#[test]
fn a_mixed_chain_matches_the_scalar_greeks_within_a_few_ulps() {
    let n = 1000;
    let c = chain(n);
    let mut out: Vec<Out> = vec![Ok(Greeks::default()); n];
    let mut worst = [0.0_f64; 15];
    // With carry, and at the crypto venues' r = q = 0 (no discounting in the lanes).
    for (spot_model, (r, q)) in [false, true]
        .into_iter()
        .flat_map(|m| [(m, (0.03, 0.01)), (m, (0.0, 0.0))])
    {
        if spot_model {
            black_scholes_greeks_batch(
                &c.kind,
                100.0,
                &c.strike,
                &c.expiry,
                &c.volatility,
                r,
                q,
                &mut out,
            )
            .unwrap();
        } else {
            black76_greeks_batch(
                &c.kind,
                &vec![100.0; n],
                &c.strike,
                &c.expiry,
                &c.volatility,
                r,
                &mut out,
            )
            .unwrap();
        }
        for (i, got) in out.iter().enumerate() {
            let (k, t, v) = (c.strike[i], c.expiry[i], c.volatility[i]);
            let (scalar, q) = if spot_model {
                (black_scholes_greeks(c.kind[i], 100.0, k, t, v, r, q), q)
            } else {
                (black76_greeks(c.kind[i], 100.0, k, t, v, r), 0.0)
            };
            let (got, scalar) = (got.unwrap(), scalar.unwrap());
            let (b, cl) = if spot_model { (r - q, -q) } else { (0.0, -r) };
            let x = (100.0 / k).ln() + b * t;
            let scale = term_scale(&scalar, 100.0, x, v, t, r, b, cl);
            assert_within_12_ulps(&got, &scalar, &scale, &mut worst, || {
                format!("option {i} (K {k}, T {t}, σ {v}, r {r}, q {q}, spot model {spot_model})")
            });
        }
    }
    println!("mixed chain, worst ulps per value: {worst:?}");
}

/// The same error as the scalar function (Debug strings: NaN ≠ NaN inside an error), or values
/// within a few ulps of the larger of each value and its terms' size ([`term_scale`], as the
/// mixed-chain test: the lanes form ln(F/K) without rounding F/K, the scalar kernel corrects that
/// rounding, so the two x may differ by an ulp, and a value that cancels, such as charm, moves
/// with x by its condition number). `scale` gives the terms' sizes of the scalar values.
fn assert_same_outcome(
    batch: &Out,
    scalar: &Out,
    lane: usize,
    scale: impl Fn(&Greeks) -> [f64; 15],
) {
    match (batch, scalar) {
        (Ok(b), Ok(s)) => {
            let floor = scale(s);
            for (j, ((name, b), (_, s))) in b.to_array().iter().zip(s.to_array().iter()).enumerate()
            {
                let apart = ulps_apart(*b, *s, floor[j]);
                assert!(apart <= 8.0, "lane {lane} {name}: {b:e} vs {s:e}");
            }
        }
        _ => assert_eq!(format!("{batch:?}"), format!("{scalar:?}"), "lane {lane}"),
    }
}

#[test]
fn bad_inputs_get_the_scalar_error_in_their_lane() {
    // Two chunks and a remainder; every other lane bad in a different way.
    let n = 17;
    let mut forward = vec![100.0; n];
    let mut strike = vec![90.0; n];
    let mut expiry = vec![0.5; n];
    let mut vol = vec![0.6; n];
    forward[1] = f64::NAN;
    strike[3] = -1.0;
    expiry[5] = -0.5;
    vol[7] = f64::NAN;
    forward[9] = f64::INFINITY;
    vol[11] = -0.2;
    expiry[13] = f64::INFINITY;
    strike[16] = 0.0; // in the remainder
                      // A valid lane whose speed overflows a double: the scalar function's Overflow.
    forward[15] = 1e-289;
    strike[15] = 1e-289;
    let kinds: Vec<OptionKind> = (0..n)
        .map(|i| {
            if i % 3 == 0 {
                OptionKind::Put
            } else {
                OptionKind::Call
            }
        })
        .collect();
    for rate in [0.05, f64::NAN] {
        let mut out: Vec<Out> = vec![Ok(Greeks::default()); n];
        black76_greeks_batch(&kinds, &forward, &strike, &expiry, &vol, rate, &mut out).unwrap();
        for i in 0..n {
            let scalar = black76_greeks(kinds[i], forward[i], strike[i], expiry[i], vol[i], rate);
            let x = (forward[i] / strike[i]).ln();
            assert_same_outcome(&out[i], &scalar, i, |g| {
                term_scale(g, forward[i], x, vol[i], expiry[i], rate, 0.0, -rate)
            });
        }
        let expect_ok = rate.is_finite();
        assert_eq!(out[0].is_ok(), expect_ok);
        assert!(matches!(
            out[15],
            Err(PricingError::Overflow { .. } | PricingError::InvalidRate { .. })
        ));
        // Black–Scholes: the same per lane, with a bad dividend yield for the whole batch too.
        for q in [0.02, f64::INFINITY] {
            black_scholes_greeks_batch(&kinds, 100.0, &strike, &expiry, &vol, rate, q, &mut out)
                .unwrap();
            for i in 0..n {
                let scalar =
                    black_scholes_greeks(kinds[i], 100.0, strike[i], expiry[i], vol[i], rate, q);
                let x = (100.0 / strike[i]).ln() + (rate - q) * expiry[i];
                assert_same_outcome(&out[i], &scalar, i, |g| {
                    term_scale(g, 100.0, x, vol[i], expiry[i], rate, rate - q, -q)
                });
            }
        }
    }
}

#[test]
fn mismatched_lengths_are_an_error_and_write_nothing() {
    let sentinel = Greeks {
        price: 7.0,
        ..Greeks::default()
    };
    let mut out: Vec<Out> = vec![Ok(sentinel); 9];
    let nine = [1.0; 9];
    let eight = [1.0; 8];
    let kinds = [OptionKind::Call; 9];
    assert_eq!(
        black76_greeks_batch(&kinds, &nine, &eight, &nine, &nine, 0.0, &mut out),
        Err(PricingError::LengthMismatch {
            inputs: 8,
            outputs: 9
        })
    );
    assert_eq!(
        black_scholes_greeks_batch(&kinds[..8], 1.0, &nine, &nine, &nine, 0.0, 0.0, &mut out),
        Err(PricingError::LengthMismatch {
            inputs: 8,
            outputs: 9
        })
    );
    assert!(out.iter().all(|g| *g == Ok(sentinel)));
}

#[test]
fn a_batch_of_one_is_the_scalar_function_bit_for_bit() {
    let c = chain(40);
    for i in 0..40 {
        let (kind, k, t, v) = (c.kind[i], c.strike[i], c.expiry[i], c.volatility[i]);
        let mut out = [Ok(Greeks::default())];
        black76_greeks_batch(&[kind], &[100.0], &[k], &[t], &[v], 0.03, &mut out).unwrap();
        let want = black76_greeks(kind, 100.0, k, t, v, 0.03);
        let bits = |g: &Out| g.map(|g| g.to_array().map(|(_, v)| v.to_bits()));
        assert_eq!(bits(&out[0]), bits(&want), "option {i}");
        black_scholes_greeks_batch(&[kind], 100.0, &[k], &[t], &[v], 0.03, 0.01, &mut out).unwrap();
        let want = black_scholes_greeks(kind, 100.0, k, t, v, 0.03, 0.01);
        assert_eq!(bits(&out[0]), bits(&want), "option {i}");
    }
}

#[test]
fn a_batch_of_a_thousand_allocates_nothing() {
    let n = 1000;
    let c = chain(n);
    let forward = vec![100.0; n];
    let mut out: Vec<Out> = vec![Ok(Greeks::default()); n];
    let allocations = count(|| {
        black76_greeks_batch(
            &c.kind,
            &forward,
            &c.strike,
            &c.expiry,
            &c.volatility,
            0.03,
            &mut out,
        )
        .unwrap();
        black_scholes_greeks_batch(
            &c.kind,
            100.0,
            &c.strike,
            &c.expiry,
            &c.volatility,
            0.03,
            0.01,
            &mut out,
        )
        .unwrap();
    });
    assert_eq!(allocations, 0);
    assert!(out.iter().all(Result::is_ok));
}

/// The chain's options as contracts (for the models' `greeks_many`).
fn contracts_of(c: &Chain) -> Vec<derisk::pricing::EuropeanOption> {
    use derisk::pricing::EuropeanOption;
    (0..c.strike.len())
        .map(|i| match c.kind[i] {
            OptionKind::Call => EuropeanOption::call(c.strike[i], c.expiry[i]).unwrap(),
            OptionKind::Put => EuropeanOption::put(c.strike[i], c.expiry[i]).unwrap(),
        })
        .collect()
}

/// A model's `greeks_many` goes through the Greeks lanes: on the bench chain (1,001 contracts, a
/// remainder lane too) every value within the same 12-ulp scaled bar of the model's single
/// `greeks` as the batch functions above, for Black-76 (r = 3 %) and Black–Scholes
/// (r = 3 %, q = 1 %); `par_greeks_many` gives the same values.
#[test]
fn model_greeks_many_takes_the_lanes() {
    use derisk::pricing::{Black76, BlackScholes, EuropeanOption, Sensitivities};
    let n = 1001;
    let c = chain(n);
    let contracts = contracts_of(&c);
    let sigma = 0.65;
    let b76 = Black76::flat(100.0, 0.03, sigma).unwrap();
    let bs = BlackScholes::flat(100.0, 0.03, 0.01, sigma).unwrap();
    let models: [(&dyn Sensitivities<EuropeanOption>, f64, f64); 2] =
        [(&b76, 0.0, -0.03), (&bs, 0.02, -0.01)];
    for (model, b, cl) in models {
        let mut out: Vec<Out> = vec![Ok(Greeks::default()); n];
        model.greeks_many(&contracts, &mut out).unwrap();
        for (i, got) in out.iter().enumerate() {
            let scalar = model.greeks(&contracts[i]).unwrap();
            let got = got.unwrap();
            let t = c.expiry[i];
            let x = (100.0 / c.strike[i]).ln() + b * t;
            let scale = term_scale(&scalar, 100.0, x, sigma, t, 0.03, b, cl);
            let mut worst = [0.0; 15];
            assert_within_12_ulps(&got, &scalar, &scale, &mut worst, || format!("option {i}"));
        }
    }
    let (mut serial, mut parallel): (Vec<Out>, Vec<Out>) = (
        vec![Ok(Greeks::default()); n],
        vec![Ok(Greeks::default()); n],
    );
    b76.greeks_many(&contracts, &mut serial).unwrap();
    b76.par_greeks_many(&contracts, &mut parallel).unwrap();
    assert_eq!(serial, parallel);
}

/// The coin Greeks' terms from the USD Greeks' ([`term_scale`]): c⁽ⁿ⁾ = (V⁽ⁿ⁾ − n·c⁽ⁿ⁻¹⁾)/F, so
/// each chained coin Greek is the size of its USD terms plus n times its lower coin Greek's, over
/// F; the premium-adjusted delta is a product (its own size).
fn coin_term_scale(usd: &[f64; 15], coin: &Greeks, f: f64) -> [f64; 15] {
    let gamma = (usd[2] + 2.0 * coin.delta.abs()) / f;
    let vanna = (usd[7] + coin.vega.abs()) / f;
    let charm = (usd[9] + coin.theta.abs()) / f;
    [
        usd[0] / f,
        coin.delta.abs(),
        gamma,
        usd[3] / f,
        usd[4] / f,
        usd[5] / f,
        0.0,
        vanna,
        usd[8] / f,
        charm,
        usd[10] / f,
        (usd[11] + 3.0 * gamma) / f,
        (usd[12] + 2.0 * vanna) / f,
        (usd[13] + 2.0 * charm) / f,
        usd[14] / f,
    ]
}

/// Coin-settled `greeks_many` (`InverseBlack76`) goes through the Greeks lanes too: on the bench
/// chain (1,001 contracts, a remainder lane too), at r = 3 % and at Deribit's r = 0, every coin
/// Greek within 12 ulps of the larger of the single `greeks` value and its terms' size
/// ([`coin_term_scale`]); `par_greeks_many` gives the same values; an invalid contract (a
/// volatility surface that gives NaN cannot be built, so a zero expiry) gets the single error.
#[test]
fn coin_greeks_many_takes_the_lanes() {
    use derisk::pricing::{EuropeanOption, InverseBlack76, Sensitivities};
    let n = 1001;
    let c = chain(n);
    let contracts = contracts_of(&c);
    let (f, sigma) = (100.0, 0.65);
    let mut worst = [0.0_f64; 15];
    // Contracts not bit-identical to the single function: the lanes ran (the scalar fallback
    // alone would pass the bar with none).
    let mut through_lanes = 0;
    for r in [0.03, 0.0] {
        let coin = InverseBlack76::flat(f, r, sigma).unwrap();
        let usd = derisk::pricing::Black76::flat(f, r, sigma).unwrap();
        let mut out: Vec<Out> = vec![Ok(Greeks::default()); n];
        coin.greeks_many(&contracts, &mut out).unwrap();
        for (i, got) in out.iter().enumerate() {
            let scalar = coin.greeks(&contracts[i]).unwrap();
            let got = got.unwrap();
            let t = c.expiry[i];
            let x = (f / c.strike[i]).ln();
            let usd_scale = term_scale(
                &usd.greeks(&contracts[i]).unwrap(),
                f,
                x,
                sigma,
                t,
                r,
                0.0,
                -r,
            );
            let scale = coin_term_scale(&usd_scale, &scalar, f);
            through_lanes += usize::from(got != scalar);
            assert_within_12_ulps(&got, &scalar, &scale, &mut worst, || {
                format!("r {r} option {i}")
            });
        }
        let mut parallel: Vec<Out> = vec![Ok(Greeks::default()); n];
        coin.par_greeks_many(&contracts, &mut parallel).unwrap();
        assert_eq!(out, parallel);
    }
    println!(
        "coin greeks_many, worst ulps per value: {worst:?}; {through_lanes} through the lanes"
    );
    assert!(through_lanes > 1000, "{through_lanes}");
    // An error lane inside a chunk: the single function's error.
    let coin = InverseBlack76::flat(f, 0.0, sigma).unwrap();
    let mut mixed = contracts[..8].to_vec();
    mixed[3] = EuropeanOption::call(100.0, 0.0).unwrap();
    let mut out: Vec<Out> = vec![Ok(Greeks::default()); 8];
    coin.greeks_many(&mixed, &mut out).unwrap();
    for (contract, got) in mixed.iter().zip(&out) {
        match coin.greeks(contract) {
            Ok(_) => assert!(got.is_ok()),
            Err(e) => assert_eq!(got, &Err(e)),
        }
    }
}
