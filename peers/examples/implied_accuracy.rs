//! Error distributions of every Rust implied-volatility solver on the same exact-price reference
//! (tests/data/implied_reference.json: mpmath 1.3.0 at 50 digits, prices rounded to doubles, and
//! `sigma_star` the exact implied volatility of each rounded price).
//!
//! ```text
//! cargo run -p derisk-peers --release --example implied_accuracy
//! ```
//!
//! Prints one markdown table for docs/VALIDATION.md. A solve "fails" when the solver returns no
//! value, a non-finite or non-positive value, or one off by more than 1e-2 relative.

use derisk_peers::{Quote, SOLVERS};

const REFERENCE: &str = include_str!("../../tests/data/implied_reference.json");

fn main() {
    let reference: serde_json::Value = serde_json::from_str(REFERENCE).expect("fixture parses");
    let cases: Vec<(Quote, f64, bool, f64)> = reference["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let f = |k: &str| c[k].as_f64().expect(k);
            let call = c["kind"] == "call";
            let (forward, strike) = (f("forward"), f("strike"));
            let q = Quote {
                call,
                forward,
                strike,
                expiry: f("expiry"),
                volatility: f("sigma"),
                price: f("price"),
            };
            let itm = if call {
                forward > strike
            } else {
                strike > forward
            };
            (q, f("sigma_star"), itm, f("cond"))
        })
        .collect();
    let otm = cases.iter().filter(|c| !c.2).count();
    println!(
        "{} cases ({} out of or at the money, {} in the money)\n",
        cases.len(),
        otm,
        cases.len() - otm
    );
    println!("| solver | failures | OTM median rel err | OTM p99 | OTM max | OTM over 2e-13 | ITM max err / bar |");
    println!("|---|---|---|---|---|---|---|");
    for (name, solve) in SOLVERS {
        let mut failures = 0;
        let mut otm_errors = Vec::new();
        let mut itm_worst = 0.0_f64;
        for (q, want, itm, cond) in &cases {
            let got = solve(q).filter(|v| v.is_finite() && *v > 0.0);
            let rel = got.map(|v| ((v - want) / want).abs());
            match rel {
                Some(r) if r <= 1e-2 => {
                    if *itm {
                        itm_worst = itm_worst.max(r / (2e-13 + 4.0 * f64::EPSILON * cond));
                    } else {
                        otm_errors.push(r);
                    }
                }
                _ => failures += 1,
            }
        }
        otm_errors.sort_by(f64::total_cmp);
        let pick = |p: f64| {
            otm_errors
                .get(((otm_errors.len() as f64 - 1.0) * p).round() as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        let over = otm_errors.iter().filter(|r| **r > 2e-13).count();
        println!(
            "| {name} | {failures} | {:.1e} | {:.1e} | {:.1e} | {over} | {itm_worst:.3} |",
            pick(0.5),
            pick(0.99),
            pick(1.0)
        );
    }
}
