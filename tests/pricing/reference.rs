//! Prices and all fourteen Greeks against a 60-digit mpmath reference
//! (tests/data/pricing_reference.json, written by tools/gen_pricing_reference.py; prices
//! cross-checked against QuantLib). The reference Greeks come from mpmath's high-precision
//! numerical differentiation of the price, so they share no formula with the kernel.
//!
//! Bar (issue 3): relative error ≤ 1e-13 for the price and first-order Greeks and ≤ 1e-12 for
//! second- and third-order Greeks, where |value| > 1e-290, with no allowance. The fixture also
//! records each value's relative condition number κ = Σ|xᵢ·∂v/∂xᵢ|/|v|; the tests print the
//! worst error and the worst error relative to κ·ε (how close to the attainable accuracy of
//! double precision the kernel comes).

use crate::common::fixture;
use derisk::pricing::{
    black76_greeks, black_scholes_greeks, black_scholes_price, EuropeanOption, Greeks,
    InverseBlack76, OptionKind, Sensitivities,
};

const FIRST_ORDER: [&str; 6] = ["price", "delta", "vega", "theta", "rho", "dividend_rho"];

/// The reference bar of a value: 1e-13 relative for the price and first-order Greeks, 1e-12 for
/// the others (shared by the batch tests).
pub(crate) fn bar(name: &str) -> f64 {
    if FIRST_ORDER.contains(&name) {
        1e-13
    } else {
        1e-12
    }
}

/// A fixture's "call"/"put".
pub(crate) fn kind(v: &serde_json::Value) -> OptionKind {
    match v.as_str().unwrap() {
        "call" => OptionKind::Call,
        "put" => OptionKind::Put,
        other => panic!("unknown kind {other}"),
    }
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Asserts every Greek of `ours` against the reference row and updates the statistics.
fn compare(
    label: &str,
    names: &[String],
    ours: &Greeks,
    want: &[f64],
    cond: &[f64],
    stats: &mut Stats,
) {
    for ((name, got), (&reference, &kappa)) in ours
        .to_array()
        .iter()
        .map(|(n, v)| (*n, *v))
        .zip(want.iter().zip(cond))
    {
        assert!(names.iter().any(|n| n == name), "unknown greek {name}");
        if reference.abs() <= 1e-290 {
            // Absolute 1e-15 of the value's scale where the value itself is tiny.
            assert!(
                (got - reference).abs() <= 1e-290,
                "{label} {name}: {got:e} vs {reference:e}"
            );
            continue;
        }
        let rel = ((got - reference) / reference).abs();
        assert!(
            rel <= bar(name),
            "{label} {name}: ours {got:e}, reference {reference:e}, rel {rel:e} (κ = {kappa:e})"
        );
        stats.values += 1;
        stats.worst_over_condition = stats
            .worst_over_condition
            .max(rel / (kappa.max(1.0) * f64::EPSILON));
        stats.worst_over_bar = stats.worst_over_bar.max(rel / bar(name));
        stats.worst_ulps = stats.worst_ulps.max(rel / f64::EPSILON);
    }
}

#[derive(Default, Debug)]
struct Stats {
    values: usize,
    worst_over_condition: f64,
    worst_over_bar: f64,
    worst_ulps: f64,
}

#[test]
fn black_scholes_and_black76_match_the_50_digit_reference() {
    let reference = fixture("pricing_reference.json");
    let names: Vec<String> = reference["greeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().into())
        .collect();
    let mut stats = Stats::default();
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300, "the fixture has {} cases", cases.len());
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
        let ours = match case["model"].as_str().unwrap() {
            "black_scholes" => {
                let q = f("dividend_yield");
                let g = black_scholes_greeks(kind, s, k, t, v, r, q).unwrap();
                // The price-only path must give the same price, bit for bit.
                assert_eq!(
                    g.price,
                    black_scholes_price(kind, s, k, t, v, r, q).unwrap()
                );
                g
            }
            "black76" => black76_greeks(kind, s, k, t, v, r).unwrap(),
            other => panic!("unknown model {other}"),
        };
        let label = format!("case {i} ({case})");
        compare(
            &label,
            &names,
            &ours,
            &numbers(&case["values"]),
            &numbers(&case["cond"]),
            &mut stats,
        );
    }
    println!("{stats:?}");
}

#[test]
fn coin_settled_options_match_the_50_digit_reference() {
    let reference = fixture("pricing_reference.json");
    let names: Vec<String> = reference["greeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().into())
        .collect();
    let mut stats = Stats::default();
    let cases = reference["inverse_cases"].as_array().unwrap();
    assert!(cases.len() >= 60);
    let mut worst_pa = 0.0_f64;
    for (i, case) in cases.iter().enumerate() {
        let f = |k: &str| case[k].as_f64().unwrap();
        let model = InverseBlack76::flat(f("forward"), f("rate"), f("volatility")).unwrap();
        let option = EuropeanOption::new(kind(&case["kind"]), f("strike"), f("expiry")).unwrap();
        let ours = model.greeks(&option).unwrap();
        let label = format!("inverse case {i} ({case})");
        compare(
            &label,
            &names,
            &ours,
            &numbers(&case["values"]),
            &numbers(&case["cond"]),
            &mut stats,
        );
        let pa = model.premium_adjusted_delta(&option).unwrap();
        let rel = ((pa - f("venue_delta")) / f("venue_delta")).abs();
        assert!(
            rel <= 1e-13,
            "{label}: premium-adjusted delta {pa:e}, rel {rel:e}"
        );
        worst_pa = worst_pa.max(rel);
    }
    println!("{stats:?}; premium-adjusted delta worst rel {worst_pa:e}");
}
