//! The benches time the same function in every crate: on the bench grids, the peers' prices and
//! implied volatilities agree with derisk's (which tests/pricing_reference.rs and
//! tests/implied_reference.rs check against mpmath at 50 digits).

use derisk::pricing::{black_scholes_price, OptionKind};
use derisk_peers::{implied_grid, implied_vol_crate, pricing_grid};

#[test]
fn peers_price_the_same_options() {
    let mut worst = 0.0_f64;
    for (call, k, t, v, r) in pricing_grid(1000) {
        let kind = if call {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let ours = black_scholes_price(kind, 100.0, k, t, v, r, 0.0).unwrap();
        let theirs = if call {
            black_scholes::call(100.0, k, r, v, t)
        } else {
            black_scholes::put(100.0, k, r, v, t)
        };
        // Absolute agreement relative to the spot: the peer's cancellation limits it below 1e-12.
        worst = worst.max((ours - theirs).abs() / 100.0);
    }
    assert!(worst < 1e-12, "worst |Δ|/S = {worst:e}");
}

#[test]
fn implied_vol_crate_solves_the_same_quotes() {
    let grid = implied_grid(1000);
    assert!(grid.len() >= 990, "the grid keeps almost every quote");
    let mut worst = 0.0_f64;
    for q in &grid {
        let ours = derisk_peers::derisk_solver(q).expect("derisk solves every grid quote");
        let theirs = implied_vol_crate(q).expect("implied-vol solves every grid quote");
        worst = worst.max(((ours - theirs) / ours).abs());
        // Both recover the volatility that made the price (prices rounded to doubles).
        assert!(
            ((ours - q.volatility) / q.volatility).abs() < 1e-12,
            "{q:?}: {ours}"
        );
    }
    assert!(worst < 1e-11, "worst relative gap {worst:e}");
}
