//! The batch implied-volatility path (`implied_black_volatility_batch`,
//! `implied_black76_volatility_batch`, issue 17) against the same 50-digit references and with
//! the same bars as the scalar solver's tests:
//! - tests/data/implied_reference.json (mpmath 1.3.0 at 50 digits;
//!   tools/gen_implied_reference.py): every quote within 2e-13 relative of the exact implied
//!   volatility out of the money and 2e-13 + 4·ε·cond in the money (issue 4's bar, exactly as in
//!   implied_reference.rs), each quote in a full chunk of copies (so through the vectorised
//!   lanes wherever it is in their domain) and all quotes in one mixed batch;
//! - batch against the scalar solver (which the references above validate) within its 2e-13 on
//!   a 1,000-contract mixed chain and on the Deribit BTC chain of 2025-12-30
//!   (tests/data/stress_chain_2025-12-30.csv, provenance in its header), and per-lane errors
//!   equal to the scalar solver's.

use crate::common::fixture;
use derisk::black::{
    black76_price, implied_black76_volatility, implied_black76_volatility_batch,
    implied_black_volatility_batch, ImpliedVol, ImpliedVolError, OptionKind, PricingError,
};

use crate::counting_alloc;

/// Copies of one quote: a full chunk of the batch (eight lanes) plus a remainder lane.
const COPIES: usize = 9;

/// A placeholder output slot.
const EMPTY: Result<ImpliedVol, ImpliedVolError> =
    Err(ImpliedVolError::InvalidExpiry { expiry: 0.0 });

/// One reference case: kind, price, forward, strike, expiry, exact σ, and its bar.
struct Case {
    kind: OptionKind,
    price: f64,
    forward: f64,
    strike: f64,
    expiry: f64,
    want: f64,
    bar: f64,
}

/// The cases of implied_reference.json with implied_reference.rs's bar.
fn reference_cases() -> Vec<Case> {
    let reference = fixture("implied_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 700);
    cases
        .iter()
        .map(|case| {
            let f = |k: &str| case[k].as_f64().unwrap();
            let kind = if case["kind"] == "call" {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let (forward, strike) = (f("forward"), f("strike"));
            let in_the_money = kind.sign() * (forward - strike) > 0.0;
            let bar = if in_the_money {
                2e-13 + 4.0 * f64::EPSILON * f("cond")
            } else {
                2e-13
            };
            Case {
                kind,
                price: f("price"),
                forward,
                strike,
                expiry: f("expiry"),
                want: f("sigma_star"),
                bar,
            }
        })
        .collect()
}

fn check(label: &str, got: &Result<ImpliedVol, ImpliedVolError>, case: &Case) -> f64 {
    let iv = got.as_ref().unwrap_or_else(|e| panic!("{label}: {e}"));
    let rel = ((iv.volatility - case.want) / case.want).abs();
    assert!(
        rel <= case.bar,
        "{label}: got {} ({} steps), want {}, rel {rel:e} > {:e}",
        iv.volatility,
        iv.iterations,
        case.want,
        case.bar
    );
    assert!(iv.iterations <= 6, "{label}: {} steps", iv.iterations);
    rel / case.bar
}

#[test]
fn every_reference_quote_through_a_full_chunk() {
    let mut worst = 0.0_f64;
    for (i, case) in reference_cases().iter().enumerate() {
        let mut out = [EMPTY; COPIES];
        implied_black_volatility_batch(
            &[case.kind; COPIES],
            &[case.price; COPIES],
            &[case.forward; COPIES],
            &[case.strike; COPIES],
            &[case.expiry; COPIES],
            &mut out,
        )
        .unwrap();
        let mut out76 = [EMPTY; COPIES];
        implied_black76_volatility_batch(
            &[case.kind; COPIES],
            &[case.price; COPIES],
            &[case.forward; COPIES],
            &[case.strike; COPIES],
            &[case.expiry; COPIES],
            0.0,
            &mut out76,
        )
        .unwrap();
        for (lane, got) in out.iter().chain(&out76).enumerate() {
            worst = worst.max(check(&format!("case {i}, lane {lane}"), got, case));
        }
    }
    println!("worst error / bar through full chunks: {worst:.3}");
}

#[test]
fn every_reference_quote_in_one_mixed_batch() {
    let cases = reference_cases();
    let kind: Vec<OptionKind> = cases.iter().map(|c| c.kind).collect();
    let price: Vec<f64> = cases.iter().map(|c| c.price).collect();
    let forward: Vec<f64> = cases.iter().map(|c| c.forward).collect();
    let strike: Vec<f64> = cases.iter().map(|c| c.strike).collect();
    let expiry: Vec<f64> = cases.iter().map(|c| c.expiry).collect();
    let mut out = vec![EMPTY; cases.len()];
    implied_black_volatility_batch(&kind, &price, &forward, &strike, &expiry, &mut out).unwrap();
    for (i, (got, case)) in out.iter().zip(&cases).enumerate() {
        check(&format!("case {i}"), got, case);
    }
}

/// Quotes as structure of arrays with the rate they are discounted at.
struct Chain {
    kind: Vec<OptionKind>,
    price: Vec<f64>,
    forward: Vec<f64>,
    strike: Vec<f64>,
    expiry: Vec<f64>,
    rate: f64,
}

impl Chain {
    fn new(rate: f64) -> Self {
        Chain {
            kind: Vec::new(),
            price: Vec::new(),
            forward: Vec::new(),
            strike: Vec::new(),
            expiry: Vec::new(),
            rate,
        }
    }

    fn push(&mut self, kind: OptionKind, forward: f64, strike: f64, expiry: f64, sigma: f64) {
        let price = black76_price(kind, forward, strike, expiry, sigma, self.rate).unwrap();
        self.kind.push(kind);
        self.price.push(price);
        self.forward.push(forward);
        self.strike.push(strike);
        self.expiry.push(expiry);
    }

    fn batch(&self) -> Vec<Result<ImpliedVol, ImpliedVolError>> {
        let mut out = vec![EMPTY; self.price.len()];
        implied_black76_volatility_batch(
            &self.kind,
            &self.price,
            &self.forward,
            &self.strike,
            &self.expiry,
            self.rate,
            &mut out,
        )
        .unwrap();
        out
    }

    fn scalar(&self, i: usize) -> Result<ImpliedVol, ImpliedVolError> {
        implied_black76_volatility(
            self.kind[i],
            self.price[i],
            self.forward[i],
            self.strike[i],
            self.expiry[i],
            self.rate,
        )
    }

    /// Every batch answer within 2e-13 of the scalar solver's (errors equal), steps within one.
    fn assert_batch_matches_scalar(&self, name: &str) {
        let out = self.batch();
        let mut worst = 0.0_f64;
        for (i, got) in out.iter().enumerate() {
            match (got, self.scalar(i)) {
                (Ok(got), Ok(want)) if want.volatility == 0.0 => {
                    // No time value left in the price: σ = 0 in closed form, no steps.
                    assert_eq!(*got, want, "{name} quote {i}");
                }
                (Ok(got), Ok(want)) => {
                    let rel = ((got.volatility - want.volatility) / want.volatility).abs();
                    assert!(rel <= 2e-13, "{name} quote {i}: {got:?} vs {want:?}");
                    assert!(got.iterations.abs_diff(want.iterations) <= 1);
                    worst = worst.max(rel);
                }
                (got, want) => assert_eq!(*got, want, "{name} quote {i}"),
            }
        }
        println!("{name}: worst relative difference to the scalar solver {worst:e}");
    }
}

/// 1,000 contracts of mixed strikes and expiries (the bench's): F = 100, K in 50..200, T from a
/// day to two years, σ 10 %..150 %, r = 3 %, calls and puts alternating.
/// The mixed chain's volatility of contract `i`: 10 %..150 % (golden-ratio sequence).
fn mixed_sigma(i: usize) -> f64 {
    0.1 + 1.4 * (0.5 + i as f64 * 0.618_033_988_749_895).fract()
}

fn mixed_chain() -> Chain {
    let mut chain = Chain::new(0.03);
    for i in 0..1000 {
        let x = i as f64;
        let u = (0.5 + x * 0.754_877_666_246_692_7).fract();
        let v = (0.5 + x * 0.569_840_290_998_053_3).fract();

        let kind = if i % 2 == 0 {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        chain.push(
            kind,
            100.0,
            50.0 * 4.0_f64.powf(u),
            1.0 / 365.0 + 2.0 * v,
            mixed_sigma(i),
        );
    }
    chain
}

#[test]
fn batch_equals_scalar_on_a_mixed_chain() {
    let chain = mixed_chain();
    chain.assert_batch_matches_scalar("mixed chain");
}

#[test]
fn batch_equals_scalar_on_the_deribit_chain() {
    const CHAIN: &str = include_str!("../data/stress_chain_2025-12-30.csv");
    let mut chain = Chain::new(0.0);
    for line in CHAIN.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect();
        for kind in [OptionKind::Call, OptionKind::Put] {
            chain.push(kind, v[1], v[2], v[0], v[3]);
        }
    }
    assert!(chain.price.len() >= 600);
    chain.assert_batch_matches_scalar("Deribit chain");
    // A discounted copy: the same chain at r = 4 %.
    let mut discounted = Chain::new(0.04);
    for i in 0..chain.price.len() {
        let sigma = {
            let v: Vec<f64> = CHAIN
                .lines()
                .filter(|l| !l.starts_with('#'))
                .nth(1 + i / 2)
                .unwrap()
                .split(',')
                .skip(1)
                .map(|x| x.parse().unwrap())
                .collect();
            v[3]
        };
        discounted.push(
            chain.kind[i],
            chain.forward[i],
            chain.strike[i],
            chain.expiry[i],
            sigma,
        );
    }
    discounted.assert_batch_matches_scalar("Deribit chain at r = 4 %");
}

#[test]
fn bad_quotes_get_the_scalar_error_in_their_own_lane() {
    // Eight at-the-money-ish quotes that the lanes solve, then one bad quote per lane.
    let mut good = Chain::new(0.05);
    for l in 0..8 {
        let kind = if l % 2 == 0 {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        good.push(kind, 100.0, 90.0 + 3.0 * l as f64, 0.5, 0.4);
    }
    let bad_prices = [
        (0, 1e-3),          // call K = 90: below the discounted intrinsic 9.75
        (1, 200.0),         // put: above the discounted strike
        (2, f64::NAN),      // NaN price
        (3, -1.0),          // negative price
        (4, f64::INFINITY), // infinite price
    ];
    let mut chain = good.clone_chain();
    for &(lane, price) in &bad_prices {
        chain.price[lane] = price;
    }
    chain.expiry[5] = -0.5;
    chain.forward[6] = f64::NAN;
    chain.strike[7] = 0.0;
    let out = chain.batch();
    for (lane, got) in out.iter().enumerate() {
        let want = chain.scalar(lane);
        assert!(want.is_err(), "lane {lane} should be bad");
        // Debug text: NaN fields make the errors unequal under PartialEq.
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "lane {lane}");
    }
    assert!(matches!(
        out[0],
        Err(ImpliedVolError::BelowIntrinsic { .. })
    ));
    assert!(matches!(
        out[1],
        Err(ImpliedVolError::AboveUpperBound { .. })
    ));
    assert!(matches!(out[2], Err(ImpliedVolError::InvalidPrice { .. })));
    // A bad quote does not disturb its neighbours: one bad lane among seven good ones.
    let mut mixed = good.clone_chain();
    mixed.price[3] = f64::NAN;
    let out = mixed.batch();
    for (lane, got) in out.iter().enumerate() {
        if lane == 3 {
            assert!(matches!(got, Err(ImpliedVolError::InvalidPrice { .. })));
        } else {
            let want = good.scalar(lane).unwrap().volatility;
            let rel = ((got.as_ref().unwrap().volatility - want) / want).abs();
            assert!(rel <= 2e-13, "lane {lane}");
        }
    }
    // A bad rate is every quote's error.
    let mut out = vec![EMPTY; 8];
    implied_black76_volatility_batch(
        &good.kind,
        &good.price,
        &good.forward,
        &good.strike,
        &good.expiry,
        f64::NAN,
        &mut out,
    )
    .unwrap();
    for got in &out {
        assert!(matches!(
            got,
            Err(ImpliedVolError::Input(PricingError::InvalidRate { .. }))
        ));
    }
}

impl Chain {
    fn clone_chain(&self) -> Chain {
        Chain {
            kind: self.kind.clone(),
            price: self.price.clone(),
            forward: self.forward.clone(),
            strike: self.strike.clone(),
            expiry: self.expiry.clone(),
            rate: self.rate,
        }
    }
}

#[test]
fn a_length_mismatch_is_an_error_and_writes_nothing() {
    let mut out = [EMPTY; 3];
    let kinds = [OptionKind::Call; 3];
    let e = implied_black76_volatility_batch(
        &kinds,
        &[1.0; 2],
        &[100.0; 3],
        &[100.0; 3],
        &[1.0; 3],
        0.0,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        e,
        ImpliedVolError::Input(PricingError::LengthMismatch {
            inputs: 2,
            outputs: 3
        })
    );
    assert!(out.iter().all(|o| *o == EMPTY));
    let e = implied_black_volatility_batch(
        &kinds,
        &[1.0; 3],
        &[100.0; 3],
        &[100.0; 4],
        &[1.0; 3],
        &mut out,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        ImpliedVolError::Input(PricingError::LengthMismatch { inputs: 4, .. })
    ));
}

#[test]
fn the_batch_allocates_nothing() {
    let chain = mixed_chain();
    let mut out = vec![EMPTY; chain.price.len()];
    let allocations = counting_alloc::count(|| {
        implied_black76_volatility_batch(
            &chain.kind,
            &chain.price,
            &chain.forward,
            &chain.strike,
            &chain.expiry,
            chain.rate,
            &mut out,
        )
        .unwrap();
    });
    assert_eq!(allocations, 0);
    assert!(out.iter().all(Result::is_ok));
}

/// The mixed chain as (contract, price) pairs, prices divided by `unit` (100 = F: coin prices).
fn mixed_quotes(unit: f64) -> Vec<(derisk::pricing::EuropeanOption, f64)> {
    use derisk::pricing::EuropeanOption;
    let chain = mixed_chain();
    (0..chain.price.len())
        .map(|i| {
            let (k, t) = (chain.strike[i], chain.expiry[i]);
            let c = match chain.kind[i] {
                OptionKind::Call => EuropeanOption::call(k, t).unwrap(),
                OptionKind::Put => EuropeanOption::put(k, t).unwrap(),
            };
            (c, chain.price[i] / unit)
        })
        .collect()
}

/// A model's `implied_vol_many` against its single `implied_vol`, quote by quote: every answer
/// within `bar(i, σ)` relative (errors equal), steps within one; `par_implied_vol_many` the same
/// answers. Returns how many quotes solved.
fn assert_many_matches_single<M>(
    model: &M,
    quotes: &[(derisk::pricing::EuropeanOption, f64)],
    bar: impl Fn(usize, f64) -> f64,
) -> usize
where
    M: derisk::pricing::ImpliedVolatility<derisk::pricing::EuropeanOption> + Sync,
{
    let mut out = vec![EMPTY; quotes.len()];
    model.implied_vol_many(quotes, &mut out).unwrap();
    let (mut solved, mut worst) = (0, 0.0_f64);
    for (i, got) in out.iter().enumerate() {
        match (got, model.implied_vol(&quotes[i].0, quotes[i].1)) {
            (Ok(got), Ok(want)) if want.volatility == 0.0 => assert_eq!(*got, want),
            (Ok(got), Ok(want)) => {
                let rel = ((got.volatility - want.volatility) / want.volatility).abs();
                assert!(
                    rel <= bar(i, want.volatility),
                    "quote {i}: {got:?} vs {want:?}"
                );
                worst = worst.max(rel / bar(i, want.volatility));
                assert!(got.iterations.abs_diff(want.iterations) <= 1);
                solved += 1;
            }
            (got, want) => assert_eq!(*got, want, "quote {i}"),
        }
    }
    let mut parallel = vec![EMPTY; quotes.len()];
    model.par_implied_vol_many(quotes, &mut parallel).unwrap();
    assert_eq!(out, parallel);
    println!(
        "{solved} of {} solved; worst difference / bar {worst:.3}",
        quotes.len()
    );
    solved
}

/// `Black76::implied_vol_many` (and `par_implied_vol_many`) go through the lanes: on the mixed
/// chain (one forward, r = 3 %) every answer within 2e-13 of the model's single `implied_vol`.
#[test]
fn model_implied_vol_many_takes_the_lanes() {
    let model = derisk::pricing::Black76::flat(100.0, mixed_chain().rate, 0.5).unwrap();
    let solved = assert_many_matches_single(&model, &mixed_quotes(1.0), |_, _| 2e-13);
    assert!(solved >= 990, "{solved}");
}

/// Issue 4's bar for a quote whose input was rounded once (a coin price times F): 2e-13 + 4·ε·cond,
/// cond = P/(σ·vega) the relative condition number of σ in the USD price P (as
/// implied_reference.rs; large in the money, where the time value is a small part of P).
fn coin_bar(
    model: &derisk::pricing::InverseBlack76<derisk::vol::FlatVol>,
    quote: &(derisk::pricing::EuropeanOption, f64),
    sigma: f64,
) -> f64 {
    let (c, coin) = quote;
    let f = model.forward();
    let rate = model.usd_model().rate();
    let g =
        derisk::black::black76_greeks(c.kind(), f, c.strike(), c.expiry(), sigma, rate).unwrap();
    2e-13 + 4.0 * f64::EPSILON * (coin * f) / (sigma * g.vega)
}

/// `InverseBlack76::implied_vol_many` on coin prices goes through the same lanes (coin price ×
/// F): the mixed chain in coin, and the Deribit BTC chain of 2025-12-30 per expiry (one model
/// per expiry's forward; coin prices from the model at Deribit's mark IV), each answer within
/// 2e-13 of the single coin solve `implied_coin_volatility` (itself checked against Deribit in
/// tests/pricing/inverse.rs); a coin price of 1 BTC or more gets the single solve's error.
#[test]
fn coin_implied_vol_many_takes_the_lanes() {
    use derisk::pricing::{EuropeanOption, InverseBlack76, PricingModel};
    let model = InverseBlack76::flat(100.0, mixed_chain().rate, 0.5).unwrap();
    let mut quotes = mixed_quotes(100.0);
    quotes[2].1 = 1.5; // above the call's bound of one coin
    let solved =
        assert_many_matches_single(&model, &quotes, |i, s| coin_bar(&model, &quotes[i], s));
    assert!(solved >= 990, "{solved}");
    const CHAIN: &str = include_str!("../data/stress_chain_2025-12-30.csv");
    let rows: Vec<Vec<f64>> = CHAIN
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|x| x.parse().unwrap()).collect())
        .collect();
    let mut total = 0;
    let mut start = 0;
    while start < rows.len() {
        // Rows of one expiry are adjacent: tau, forward, strike, mark IV.
        let (tau, forward) = (rows[start][0], rows[start][1]);
        let end = start + rows[start..].iter().take_while(|r| r[0] == tau).count();
        let mut quotes = Vec::new();
        for r in &rows[start..end] {
            let priced = InverseBlack76::flat(forward, 0.0, r[3]).unwrap();
            for c in [
                EuropeanOption::call(r[2], tau),
                EuropeanOption::put(r[2], tau),
            ] {
                let c = c.unwrap();
                quotes.push((c, priced.price(&c).unwrap()));
            }
        }
        let model = InverseBlack76::flat(forward, 0.0, 0.5).unwrap();
        total +=
            assert_many_matches_single(&model, &quotes, |i, s| coin_bar(&model, &quotes[i], s));
        start = end;
    }
    assert!(total >= 600, "{total} Deribit quotes solved");
}

/// `BlackScholes::implied_vol_many` goes through the same lanes on each quote's forward
/// S·e^{(r−q)T}: the mixed chain's strikes and expiries on S = 100 at r = 3 % with q = 0 and
/// q = 1 %, priced by the model at the chain's volatilities, each answer within issue 4's bar of
/// the single solve `implied_black_scholes_volatility` (the forward is one rounding of the
/// scalar's ln(S/K) + (r − q)T, so the bar carries 4ε·cond as in implied_reference.rs).
#[test]
fn black_scholes_implied_vol_many_takes_the_lanes() {
    use derisk::pricing::{BlackScholes, PricingModel};
    let chain = mixed_chain();
    for q in [0.0, 0.01] {
        let model = BlackScholes::flat(100.0, chain.rate, q, 0.5).unwrap();
        let quotes: Vec<_> = mixed_quotes(1.0)
            .into_iter()
            .enumerate()
            .map(|(i, (c, _))| {
                let priced = BlackScholes::flat(100.0, chain.rate, q, mixed_sigma(i)).unwrap();
                (c, priced.price(&c).unwrap())
            })
            .collect();
        let bar = |i: usize, sigma: f64| {
            let (c, price) = &quotes[i];
            let g = derisk::black::black_scholes_greeks(
                c.kind(),
                100.0,
                c.strike(),
                c.expiry(),
                sigma,
                chain.rate,
                q,
            )
            .unwrap();
            2e-13 + 4.0 * f64::EPSILON * price / (sigma * g.vega)
        };
        let solved = assert_many_matches_single(&model, &quotes, bar);
        assert!(solved >= 990, "{solved}");
    }
}
