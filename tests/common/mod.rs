//! Shared helpers for the integration tests: fixture loading and error measures.
#![allow(dead_code)]

use std::path::PathBuf;

/// Reads a committed fixture under tests/data/.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

/// The numbers of a JSON array.
pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Pairs of numbers from a JSON array of `[a, b]`.
pub fn pairs(v: &serde_json::Value) -> Vec<(f64, f64)> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

/// Relative error |got − want| / |want|, in units of f64::EPSILON (ulps, roughly); an exact zero
/// reference is compared absolutely.
pub fn ulps(got: f64, want: f64) -> f64 {
    if want == 0.0 {
        return got.abs() / f64::EPSILON;
    }
    ((got - want) / want).abs() / f64::EPSILON
}
