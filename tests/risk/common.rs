//! Shared fixtures: the BTC closes, the reference JSON, tolerance checks.

use serde_json::Value;

const PRICES: &str = include_str!("../../examples/data/btc_daily_close.csv");
const REFERENCE: &str = include_str!("../data/risk_reference.json");

/// The 2,687 BTC-USD daily closes (2014-09-17 .. 2022-01-24).
pub fn prices() -> Vec<f64> {
    PRICES
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect()
}

/// Log returns of every close, by the library.
pub fn log_returns() -> Vec<f64> {
    derisk::risk::log_returns(&prices()).unwrap()
}

pub fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

/// |got − want| ≤ rel·|want| strictly relative.
#[track_caller]
pub fn rel(got: f64, want: f64, rel: f64, what: &str) {
    let err = (got - want).abs();
    assert!(
        err <= rel * want.abs(),
        "{what}: got {got:e}, want {want:e}, relative error {:e}",
        err / want.abs()
    );
}

/// |got − want| ≤ abs.
#[track_caller]
pub fn abs(got: f64, want: f64, abs: f64, what: &str) {
    assert!(
        (got - want).abs() <= abs,
        "{what}: got {got:e}, want {want:e}, error {:e}",
        (got - want).abs()
    );
}
