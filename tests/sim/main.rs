//! The simulation integration tests (issue 13): Monte Carlo moments against closed forms
//! (tests/data/sim_reference.json, tools/gen_sim_reference.py: mpmath 1.3.0 at 50 digits),
//! copula dependence against (2/π)·asin ρ and mpmath tail integrals, antithetic variance
//! reduction, seeded paths pinned to a pure-Python ChaCha20, filtered historical simulation
//! against Python `arch` 8.0.0's bootstrap forecasts (tests/data/sim_fhs_reference.json,
//! tools/gen_fhs_reference.py), a fitted t copula recovering the ν and ρ it was simulated with,
//! typed errors on bad input, no allocation per path, `Send + Sync`.

#[path = "../common/mod.rs"]
mod common;

mod alloc;
mod bad_input;
mod copula;
mod copula_recovery;
mod fhs;
mod moments;
mod pins;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// ChaCha20 keyed by a u64 seed's 8 little-endian bytes then 24 zeros (as the Python tools).
pub(crate) fn keyed(seed: u64) -> ChaCha20Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    ChaCha20Rng::from_seed(key)
}

/// Numbers of a JSON array.
pub(crate) fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// Every public type of `sim` is `Send + Sync` (compile-time check).
#[test]
fn send_sync() {
    fn check<T: Send + Sync>() {}
    use derisk::sim::*;
    check::<SimError>();
    check::<Gbm>();
    check::<Merton>();
    check::<GarchPaths>();
    check::<Fhs>();
    check::<Correlation>();
    check::<Copula>();
    check::<CopulaGarch>();
    check::<McEstimate>();
    check::<Mirrored<ChaCha20Rng>>();
    check::<derisk::math::KsTest>();
}
