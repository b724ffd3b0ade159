//! The normal distribution kernels against a 50-digit mpmath table
//! (tests/data/normal_reference.json, written by tools/gen_normal_reference.py, mpmath 1.3.0).

use crate::common::{fixture, pairs, ulps};
use derisk::math::{erfcx, norm_cdf, norm_inv_cdf, norm_pdf};

/// Asserts `f` against every `(x, value)` of a table within `max_ulps` relative error and
/// returns the worst error seen, in ulps.
fn check(table: &str, f: impl Fn(f64) -> f64, max_ulps: f64) -> f64 {
    let reference = fixture("normal_reference.json");
    let mut worst = 0.0_f64;
    for (x, want) in pairs(&reference[table]) {
        let got = f(x);
        let e = ulps(got, want);
        assert!(
            e <= max_ulps,
            "{table}({x}) = {got:e}, mpmath {want:e}: {e:.1} ulps"
        );
        worst = worst.max(e);
    }
    worst
}

#[test]
fn pdf_is_within_a_few_ulps_wherever_it_exceeds_1e_minus_300() {
    let worst = check("pdf", norm_pdf, 4.0);
    println!("pdf worst {worst:.2} ulps");
}

#[test]
fn cdf_keeps_relative_precision_down_to_1e_minus_300() {
    let worst = check("cdf", norm_cdf, 6.0);
    println!("cdf worst {worst:.2} ulps");
}

#[test]
fn erfcx_is_within_a_few_ulps_on_the_real_line() {
    let worst = check("erfcx", erfcx, 6.0);
    println!("erfcx worst {worst:.2} ulps");
}

#[test]
fn inverse_cdf_is_within_a_few_ulps_from_1e_minus_300_to_one_minus_2_pow_53() {
    let worst = check(
        "inverse_cdf",
        |p| norm_inv_cdf(p).expect("p in (0, 1)"),
        4.0,
    );
    println!("inverse cdf worst {worst:.2} ulps");
}

#[test]
fn cdf_and_inverse_round_trip_in_the_tails() {
    for &p in &[1e-300, 1e-200, 1e-50, 1e-10, 0.3, 0.5, 0.7, 1.0 - 1e-10] {
        let x = norm_inv_cdf(p).unwrap();
        assert!(ulps(norm_cdf(x), p) < 64.0 * x.abs().max(1.0), "p = {p}");
    }
}
