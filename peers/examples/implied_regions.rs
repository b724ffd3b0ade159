//! Per-region timing of the implied-volatility solvers: where each one spends its time.
//!
//! Splits a 20,000-quote grid (as `implied_grid`, out of the money) — or, with `chain`, the
//! Deribit snapshot's quotes (`chain itm` for the in-the-money ones) — into bins of
//! |ln(F/K)|/σ√T and σ√T, and prints per bin the best-of-15 time per solve (ns) of derisk,
//! implied-vol's Jäckel and default solvers, derisk's mean Householder steps, and the time of one
//! derisk price as a yardstick. A diagnostic for tuning, not a benchmark: use criterion
//! (`cargo bench -p derisk-peers`) for the published ratios.
//!
//! Run: `cargo run -p derisk-peers --release --example implied_regions [chain [itm]]`
use derisk_peers::{
    deribit_chain, derisk_solver, implied_grid, implied_vol_crate, implied_vol_crate_jaeckel,
    Quote, Solver,
};
use std::hint::black_box;
use std::time::Instant;

/// Best of 15 rounds of 20 passes, in ns per quote.
fn time(quotes: &[Quote], solve: Solver) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..20 {
            for q in quotes {
                black_box(solve(black_box(q)));
            }
        }
        best = best.min(start.elapsed().as_secs_f64() / (20 * quotes.len()) as f64 * 1e9);
    }
    best
}

fn price(q: &Quote) -> Option<f64> {
    let s = q.volatility * q.expiry.sqrt();
    derisk::pricing::black(q.kind(), q.forward, q.strike, s).ok()
}

fn steps(q: &Quote) -> Option<u32> {
    derisk::pricing::implied_black_volatility(q.kind(), q.price, q.forward, q.strike, q.expiry)
        .ok()
        .map(|iv| iv.iterations)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quotes = if args.first().map(String::as_str) == Some("chain") {
        let itm = args.get(1).map(String::as_str) == Some("itm");
        deribit_chain()
            .into_iter()
            .filter(|q| ((q.strike < q.forward) == q.call) == itm)
            .collect()
    } else {
        implied_grid(20_000)
    };
    let moneyness = [(0.0, 0.5), (0.5, 1.5), (1.5, 3.0), (3.0, 5.0), (5.0, 8.1)];
    let total_vol = [(0.0, 0.01), (0.01, 0.3), (0.3, 1.5), (1.5, 5.0)];
    println!("|x|/s\ts\tquotes\tderisk\tjaeckel\thybrid\tsteps\tprice");
    for &(x_lo, x_hi) in &moneyness {
        for &(s_lo, s_hi) in &total_vol {
            let bin: Vec<Quote> = quotes
                .iter()
                .copied()
                .filter(|q| {
                    let s = q.volatility * q.expiry.sqrt();
                    let r = (q.forward / q.strike).ln().abs() / s;
                    (x_lo..x_hi).contains(&r) && (s_lo..s_hi).contains(&s)
                })
                .collect();
            if bin.is_empty() {
                continue;
            }
            let mean_steps =
                bin.iter().filter_map(steps).map(f64::from).sum::<f64>() / bin.len() as f64;
            println!(
                "{x_lo}-{x_hi}\t{s_lo}-{s_hi}\t{}\t{:.0}\t{:.0}\t{:.0}\t{mean_steps:.2}\t{:.0}",
                bin.len(),
                time(&bin, derisk_solver),
                time(&bin, implied_vol_crate_jaeckel),
                time(&bin, implied_vol_crate),
                time(&bin, price),
            );
        }
    }
}
