//! Price accuracy of every Rust Black–Scholes pricer against the 60-digit reference
//! (tests/data/pricing_reference.json: mpmath 1.3.0, its Black-76 cases). Peers without a
//! forward model price the same option as a spot S = F·e^{−rT} with no dividend (an extra
//! rounding of one ulp: it explains their errors up to ~1e-12 on ill-conditioned cases, never
//! the ones over 1e-6).
//!
//! ```text
//! cargo run -p derisk-peers --release --example pricing_accuracy
//! ```

const REFERENCE: &str = include_str!("../../tests/data/pricing_reference.json");

fn main() {
    let reference: serde_json::Value = serde_json::from_str(REFERENCE).expect("fixture parses");
    let cases: Vec<_> = reference["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["model"] == "black76")
        .collect();
    // (call, underlying, strike, expiry, volatility, rate): derisk gets the forward F, the peers
    // the spot S = F·e^{−rT} (see `spot_of`).
    type Pricer = fn(bool, f64, f64, f64, f64, f64) -> f64;
    let pricers: [(&str, Pricer); 3] = [
        ("derisk", |call, s, k, t, v, r| {
            let kind = if call {
                derisk::pricing::OptionKind::Call
            } else {
                derisk::pricing::OptionKind::Put
            };
            derisk::pricing::black76_price(kind, s, k, t, v, r).unwrap_or(f64::NAN)
        }),
        ("black_scholes 0.11.1", |call, s, k, t, v, r| {
            if call {
                black_scholes::call(s, k, r, v, t)
            } else {
                black_scholes::put(s, k, r, v, t)
            }
        }),
        ("quantrs 0.1.8", |call, s, k, t, v, r| {
            use quantrs::options::{
                BlackScholesModel, EuropeanOption, Instrument, OptionPricing, OptionType,
            };
            let ty = if call {
                OptionType::Call
            } else {
                OptionType::Put
            };
            let o = EuropeanOption::new(Instrument::new().with_spot(s), k, t, ty);
            BlackScholesModel::new(r, v).price(&o)
        }),
    ];
    println!("{} Black-76 cases\n", cases.len());
    println!("| pricer | median rel err | p90 | max | over 1e-13 | over 1e-6 or non-finite |");
    println!("|---|---|---|---|---|---|");
    for (name, price) in pricers {
        let mut errors: Vec<f64> = cases
            .iter()
            .filter(|c| c["values"][0].as_f64().unwrap() > 1e-290)
            .map(|c| {
                let f = |k: &str| c[k].as_f64().unwrap();
                let want = c["values"][0].as_f64().unwrap();
                let underlying = if name == "derisk" {
                    f("spot")
                } else {
                    f("spot") * (-f("rate") * f("expiry")).exp()
                };
                let got = price(
                    c["kind"] == "call",
                    underlying,
                    f("strike"),
                    f("expiry"),
                    f("volatility"),
                    f("rate"),
                );
                let rel = ((got - want) / want).abs();
                if rel.is_finite() {
                    rel
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        errors.sort_by(f64::total_cmp);
        let pick = |p: f64| errors[((errors.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "| {name} | {:.1e} | {:.1e} | {:.1e} | {} | {} |",
            pick(0.5),
            pick(0.9),
            pick(1.0),
            errors.iter().filter(|e| **e > 1e-13).count(),
            errors.iter().filter(|e| **e > 1e-6).count(),
        );
    }
}
