//! Interleaved wall-clock timing of one scalar price, derisk against the `black_scholes` crate,
//! for a shared machine: 200 rounds alternate the two, each round pricing the 1,000-option grid of
//! the peers bench 20 times, and the minimum per price over the rounds is reported (the load of
//! other processes only ever adds time). docs/PERFORMANCE.md, issue 17.
//!
//! ```text
//! cargo run -p derisk-peers --release --example price_timing [grid|atm|far]
//! ```
//!
//! `atm` and `far` price 1,000 copies of one call: S = 100, T = 0.5, σ = 60 %, r = 3 % and
//! K = 105 (both tails in Cody's first interval) or K = 150 (both in the second).

use derisk::pricing::{black_scholes_price, OptionKind};
use derisk_peers::pricing_grid;
use std::hint::black_box;
use std::time::Instant;
fn main() {
    let mut grid = pricing_grid(1000);
    if std::env::args().nth(1).as_deref() == Some("atm") {
        grid = vec![(true, 105.0, 0.5, 0.6, 0.03); 1000];
    }
    if std::env::args().nth(1).as_deref() == Some("far") {
        grid = vec![(true, 150.0, 0.5, 0.6, 0.03); 1000];
    }
    let kind = |call: bool| {
        if call {
            OptionKind::Call
        } else {
            OptionKind::Put
        }
    };
    let mut best = [f64::INFINITY; 2];
    let mut sum = 0.0;
    for _round in 0..200 {
        for (which, best) in best.iter_mut().enumerate() {
            let t0 = Instant::now();
            for _ in 0..20 {
                for &(call, k, t, v, r) in black_box(&grid) {
                    sum += if which == 0 {
                        black_scholes_price(kind(call), 100.0, k, t, v, r, 0.0).unwrap_or(0.0)
                    } else if call {
                        black_scholes::call(100.0, k, r, v, t)
                    } else {
                        black_scholes::put(100.0, k, r, v, t)
                    };
                }
            }
            let ns = t0.elapsed().as_secs_f64() * 1e9 / 20000.0;
            *best = best.min(ns);
        }
    }
    println!(
        "min ns/price: derisk {:.2}  black_scholes {:.2}  ratio {:.3}  ({sum:.1})",
        best[0],
        best[1],
        best[0] / best[1]
    );
}
