//! Instruction counts of one scalar price, for callgrind (docs/PERFORMANCE.md, issue 17).
//!
//! ```text
//! cargo build -p derisk-peers --release --example price_instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/price_instructions <grid|atm|bs_grid> <repetitions>
//! ```
//!
//! Each repetition prices the 1,000-option grid of the peers bench (`grid`: derisk's
//! `black_scholes_price`; `bs_grid`: the `black_scholes` crate) or 1,000 times the single option
//! of `benches/pricing.rs` `one_option` (`atm`: S = 100, K = 105, T = 0.5, σ = 60 %, r = 3 %;
//! `far`: the same with K = 150, where both tails take Cody's middle interval).
//! Instructions per price = (Ir(n + 10) − Ir(n)) / 10,000, which cancels the start-up cost.

use std::hint::black_box;

use derisk::pricing::{black_scholes_price, OptionKind};
use derisk_peers::pricing_grid;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("grid", String::as_str);
    let repetitions: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let grid = pricing_grid(1000);
    let kind = |call: bool| {
        if call {
            OptionKind::Call
        } else {
            OptionKind::Put
        }
    };
    let mut sum = 0.0;
    for _ in 0..repetitions {
        match which {
            "atm" | "far" => {
                let strike = if which == "far" { 150.0 } else { 105.0 };
                for _ in 0..1000 {
                    sum += black_scholes_price(
                        OptionKind::Call,
                        black_box(100.0),
                        black_box(strike),
                        black_box(0.5),
                        black_box(0.6),
                        black_box(0.03),
                        black_box(0.0),
                    )
                    .unwrap_or(0.0);
                }
            }
            "bs_grid" => {
                for &(call, k, t, v, r) in black_box(&grid) {
                    sum += if call {
                        black_scholes::call(100.0, k, r, v, t)
                    } else {
                        black_scholes::put(100.0, k, r, v, t)
                    };
                }
            }
            _ => {
                for &(call, k, t, v, r) in black_box(&grid) {
                    sum += black_scholes_price(kind(call), 100.0, k, t, v, r, 0.0).unwrap_or(0.0);
                }
            }
        }
    }
    println!("{sum}");
}
