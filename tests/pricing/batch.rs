//! The structure-of-arrays batch path (`black76_price_batch`, `black_scholes_price_batch`,
//! `black_batch`) against the same 50-digit references and
//! with the same bars as the scalar tests:
//! - tests/data/pricing_reference.json (mpmath 1.3.0 at 60 digits, QuantLib 1.44 cross-check;
//!   tools/gen_pricing_reference.py): every Black–Scholes and Black-76 price within 1e-13
//!   relative where the value exceeds 1e-290 (issue 3's bar, as in reference.rs);
//! - tests/data/normalised_reference.json (mpmath 1.3.0 at 60 digits;
//!   tools/gen_normalised_reference.py): every region of the normalised Black function within
//!   1e-13 relative and 32·cond·ε (as in normalised_reference.rs).
//!
//! Each reference row is priced in a full chunk (so through the vectorised lanes wherever it is
//! in their region), and the normalised rows also all in one mixed batch.

use crate::common::fixture;
use crate::reference::kind;
use derisk::black::{black76_price_batch, black_batch, black_scholes_price_batch};
use derisk::pricing::{black76_price, black_scholes_price, OptionKind, PricingError};

/// The bar of reference.rs for a price: 1e-13 relative above 1e-290, else 1e-290 absolute.
fn assert_price(label: &str, got: f64, want: f64) -> f64 {
    if want.abs() <= 1e-290 {
        assert!((got - want).abs() <= 1e-290, "{label}: {got:e} vs {want:e}");
        return 0.0;
    }
    let rel = ((got - want) / want).abs();
    assert!(
        rel <= 1e-13,
        "{label}: batch {got:e}, reference {want:e}, rel {rel:e}"
    );
    rel
}

/// Copies of one contract: a chunk of the batch kernel plus a remainder lane.
const COPIES: usize = 9;

#[test]
fn every_pricing_reference_row_through_the_batch_path() {
    let reference = fixture("pricing_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let mut worst = 0.0_f64;
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
        let want = case["values"][0].as_f64().unwrap();
        let label = format!("case {i} ({case})");
        let mut out = [Ok(0.0); COPIES];
        let scalar = match case["model"].as_str().unwrap() {
            "black_scholes" => {
                let q = f("dividend_yield");
                black_scholes_price_batch(
                    &[kind; COPIES],
                    s,
                    &[k; COPIES],
                    &[t; COPIES],
                    &[v; COPIES],
                    r,
                    q,
                    &mut out,
                )
                .unwrap();
                black_scholes_price(kind, s, k, t, v, r, q).unwrap()
            }
            "black76" => {
                black76_price_batch(
                    &[kind; COPIES],
                    &[s; COPIES],
                    &[k; COPIES],
                    &[t; COPIES],
                    &[v; COPIES],
                    r,
                    &mut out,
                )
                .unwrap();
                black76_price(kind, s, k, t, v, r).unwrap()
            }
            other => panic!("unknown model {other}"),
        };
        for (lane, got) in out.iter().enumerate() {
            worst = worst.max(assert_price(&label, *got.as_ref().unwrap(), want));
            // Lanes are independent: every copy in a chunk gets the same bits.
            if lane < COPIES - 1 {
                assert_eq!(got, &out[0], "{label}: lane {lane}");
            }
        }
        // The remainder lane is the scalar kernel itself.
        assert_eq!(out[COPIES - 1], Ok(scalar), "{label}");
    }
    println!("batch path, pricing reference: worst rel {worst:e}");
}

#[test]
fn every_normalised_reference_row_through_the_batch_path() {
    let reference = fixture("normalised_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let forward: Vec<f64> = cases
        .iter()
        .map(|c| c["forward"].as_f64().unwrap())
        .collect();
    let total: Vec<f64> = cases
        .iter()
        .map(|c| c["total_volatility"].as_f64().unwrap())
        .collect();
    let n = cases.len();
    let mut out = vec![Ok(0.0); n];
    // All rows in one batch: lanes of different regions share chunks.
    black_batch(
        &vec![OptionKind::Call; n],
        &forward,
        &vec![1.0; n],
        &total,
        &mut out,
    )
    .unwrap();
    let (mut worst_rel, mut worst_over_cond) = (0.0_f64, 0.0_f64);
    for (case, got) in cases.iter().zip(&out) {
        let got = *got.as_ref().unwrap();
        let want = case["price"].as_f64().unwrap();
        let rel = assert_price(&format!("{case}"), got, want);
        worst_rel = worst_rel.max(rel);
        let over = rel / (case["cond"].as_f64().unwrap().max(1.0) * f64::EPSILON);
        worst_over_cond = worst_over_cond.max(over);
    }
    println!("batch path, normalised: worst rel {worst_rel:e}; rel/(cond·ε) {worst_over_cond:.1}");
    assert!(worst_over_cond <= 32.0, "{worst_over_cond}");
}

#[test]
fn batch_rejects_mismatched_lengths_and_keeps_per_option_errors() {
    let mut out = [Ok(0.0); 3];
    assert_eq!(
        black_batch(
            &[OptionKind::Call; 2],
            &[1.0; 3],
            &[1.0; 3],
            &[0.1; 3],
            &mut out
        ),
        Err(PricingError::LengthMismatch {
            inputs: 2,
            outputs: 3
        })
    );
    let mut out = [Ok(0.0); 8];
    let vols = [0.5, -0.5, 0.5, f64::NAN, 0.5, 0.5, 0.5, 0.5];
    black76_price_batch(
        &[OptionKind::Put; 8],
        &[100.0; 8],
        &[100.0; 8],
        &[1.0; 8],
        &vols,
        0.0,
        &mut out,
    )
    .unwrap();
    // At the money, σ = 0.5, T = 1: 100·(2Φ(0.25) − 1) = 19.74126513658474484817… (mpmath 1.3.0,
    // 50 digits); the lanes may differ from the scalar kernel in the last bits, not beyond.
    for (got, &v) in out.iter().zip(&vols) {
        let scalar = black76_price(OptionKind::Put, 100.0, 100.0, 1.0, v, 0.0);
        match (got, scalar) {
            (Ok(p), Ok(_)) => {
                assert_price("at the money", *p, 19.741_265_136_584_745);
            }
            // Debug strings: NaN ≠ NaN inside the error.
            _ => assert_eq!(format!("{got:?}"), format!("{scalar:?}")),
        }
    }
    assert!(matches!(
        out[1],
        Err(PricingError::InvalidVolatility { volatility }) if volatility == -0.5
    ));
}

/// The band where the lanes take the erfc/erfcx difference while the scalar kernel sums its Taylor
/// series (0.004 ≤ η/max(m, 1) ≤ 0.12; the lanes' boundary is inside it): every row within the
/// pricing bar of the 50-digit values of tools/gen_lane_band_reference.py (mpmath 1.3.0).
#[test]
fn the_lane_taylor_boundary_band_keeps_the_pricing_bar() {
    let reference = fixture("lane_band_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 400);
    let column = |k: &str| -> Vec<f64> { cases.iter().map(|c| c[k].as_f64().unwrap()).collect() };
    let kinds: Vec<OptionKind> = cases.iter().map(|c| kind(&c["kind"])).collect();
    let mut out = vec![Ok(0.0); cases.len()];
    black_batch(
        &kinds,
        &column("forward"),
        &column("strike"),
        &column("total_volatility"),
        &mut out,
    )
    .unwrap();
    let mut worst = 0.0_f64;
    for (case, got) in cases.iter().zip(&out) {
        let want = case["value"].as_f64().unwrap();
        worst = worst.max(assert_price(
            &format!("{case}"),
            *got.as_ref().unwrap(),
            want,
        ));
    }
    println!("batch path, Taylor boundary band: worst rel {worst:e}");
}

/// A model's `price_many` goes through the lanes: on a 1,001-contract chain (a remainder lane
/// too) of mixed strikes, expiries, calls and puts it matches the model's single prices within
/// the kernel's 1e-13 bar (the single prices are the scalar kernel of the 50-digit tests), for
/// Black-76, Black–Scholes with a dividend yield and coin-settled Black-76; `par_price_many`
/// gives the same bits.
#[test]
fn model_price_many_takes_the_lanes_and_matches_single_prices() {
    use derisk::pricing::{Black76, BlackScholes, EuropeanOption, PricingModel};
    let chain: Vec<EuropeanOption> = (0..1001)
        .map(|i| {
            let u = (0.5 + i as f64 * 0.754_877_666_246_692_7).fract();
            let v = (0.5 + i as f64 * 0.569_840_290_998_053_3).fract();
            let strike = 50.0 * 4.0_f64.powf(u);
            let expiry = 1.0 / 365.0 + 2.0 * v;
            if i % 2 == 0 {
                EuropeanOption::call(strike, expiry).unwrap()
            } else {
                EuropeanOption::put(strike, expiry).unwrap()
            }
        })
        .collect();
    type Many<'a> = &'a dyn Fn(&[EuropeanOption], &mut [Result<f64, PricingError>]);
    let check = |model: Many, single: &dyn Fn(&EuropeanOption) -> f64| {
        let mut out = vec![Ok(0.0); chain.len()];
        model(&chain, &mut out);
        for (c, got) in chain.iter().zip(&out) {
            assert_price(&format!("{c:?}"), *got.as_ref().unwrap(), single(c));
        }
    };
    let b76 = Black76::flat(100.0, 0.03, 0.65).unwrap();
    check(&|c, o| b76.price_many(c, o).unwrap(), &|c| {
        b76.price(c).unwrap()
    });
    // Coin-settled: the USD lanes, then c = V/F.
    let coin = derisk::pricing::InverseBlack76::flat(100.0, 0.03, 0.65).unwrap();
    check(&|c, o| coin.price_many(c, o).unwrap(), &|c| {
        coin.price(c).unwrap()
    });
    let bs = BlackScholes::flat(100.0, 0.03, 0.01, 0.65).unwrap();
    check(&|c, o| bs.price_many(c, o).unwrap(), &|c| {
        bs.price(c).unwrap()
    });
    let (mut serial, mut parallel) = (vec![Ok(0.0); chain.len()], vec![Ok(0.0); chain.len()]);
    b76.price_many(&chain, &mut serial).unwrap();
    b76.par_price_many(&chain, &mut parallel).unwrap();
    assert_eq!(serial, parallel);
}
