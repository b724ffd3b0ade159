//! The normalised Black function across its regions (Taylor series with forward or backward
//! recurrence, erfcx difference, direct formula), against tests/data/normalised_reference.json:
//! mpmath 1.3.0 at 60 digits on exact double inputs (tools/gen_normalised_reference.py).
//! Out-of-the-money calls with K = 1 and F < 1, so the price is the normalised value itself.

use crate::common::fixture;
use derisk::pricing::{black, OptionKind};

#[test]
fn every_region_is_within_the_bar() {
    let reference = fixture("normalised_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let (mut worst_rel, mut worst_over_cond) = (0.0_f64, 0.0_f64);
    for case in cases {
        let f = |k: &str| case[k].as_f64().unwrap();
        let got = black(OptionKind::Call, f("forward"), 1.0, f("total_volatility")).unwrap();
        let want = f("price");
        let rel = ((got - want) / want).abs();
        // The pricing bar (issue 3): 1e-13 relative wherever the value exceeds 1e-290.
        assert!(rel <= 1e-13, "{case}: got {got:e}, rel {rel:e}");
        worst_rel = worst_rel.max(rel);
        let over = rel / (f("cond").max(1.0) * f64::EPSILON);
        worst_over_cond = worst_over_cond.max(over);
    }
    println!("worst rel {worst_rel:e}; worst rel/(cond·ε) {worst_over_cond:.1}");
    // Within a small multiple of what the inputs' own rounding allows, everywhere.
    assert!(worst_over_cond <= 32.0, "{worst_over_cond}");
}
