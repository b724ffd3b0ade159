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

/// Kendall's τ of pairs and its standard error from the Hoeffding decomposition of the
/// U-statistic: cᵢ = mean_{j≠i} sign(xᵢ − xⱼ)·sign(yᵢ − yⱼ), τ̂ = mean cᵢ,
/// SE = 2·sd(cᵢ)/√n (A. J. Lee, *U-Statistics*, 1990, §1.3). O(n²).
pub(crate) fn kendall_with_se(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len();
    let c: Vec<f64> = (0..n)
        .map(|i| {
            let s: f64 = (0..n)
                .filter(|&j| j != i)
                .map(|j| ((x[i] - x[j]) * (y[i] - y[j])).signum())
                .sum();
            s / (n - 1) as f64
        })
        .collect();
    let tau = c.iter().sum::<f64>() / n as f64;
    let var = c.iter().map(|v| (v - tau).powi(2)).sum::<f64>() / (n - 1) as f64;
    (tau, 2.0 * (var / n as f64).sqrt())
}

/// The Merton process of tests/data/sim_reference.json's `merton` entry.
pub(crate) fn merton_from(c: &serde_json::Value) -> derisk::sim::Merton {
    let f = |k: &str| c[k].as_f64().unwrap();
    derisk::sim::Merton::new(
        f("mu"),
        f("sigma"),
        f("lambda"),
        f("jump_mean"),
        f("jump_vol"),
        f("dt"),
        c["steps"].as_u64().unwrap() as usize,
    )
    .unwrap()
}
