//! Liquidity and execution hot paths: walking a 100-level order book (by quantity, halfway and
//! beyond the depth, and by notional), the depth within a band, and one Almgren–Chriss cost
//! evaluation (N = 5 and N = 390, a trading day of minutes). Everything here allocates nothing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use derisk::market::{AlmgrenChriss, Level, OrderBook, Side};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const LEVELS: usize = 100;

/// A seeded 100 × 100 book around 105,000 with a 1-dollar tick.
fn book() -> OrderBook {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let mut side = |dir: f64| -> Vec<Level> {
        (0..LEVELS)
            .map(|i| {
                Level::new(
                    105_000.0 + dir * (0.5 + i as f64),
                    rng.random_range(0.01..5.0),
                )
            })
            .collect()
    };
    let bids = side(-1.0);
    let asks = side(1.0);
    OrderBook::new(bids, asks).expect("book")
}

fn walks(c: &mut Criterion) {
    let book = book();
    let depth = book.total_size(Side::Sell);
    let mut g = c.benchmark_group("order_book_100_levels");
    g.bench_function("walk_half_depth", |b| {
        b.iter(|| {
            book.walk(black_box(Side::Sell), black_box(0.5 * depth))
                .expect("walk")
        })
    });
    g.bench_function("walk_beyond_depth", |b| {
        b.iter(|| {
            book.walk(black_box(Side::Sell), black_box(2.0 * depth))
                .expect("walk")
        })
    });
    g.bench_function("walk_notional_half_depth", |b| {
        b.iter(|| {
            book.walk_notional(black_box(Side::Buy), black_box(0.5 * depth * 105_000.0))
                .expect("walk")
        })
    });
    g.bench_function("depth_within_5bps", |b| {
        b.iter(|| {
            book.depth_within(black_box(Side::Buy), black_box(5.0))
                .expect("depth")
        })
    });
    g.finish();
}

fn almgren_chriss(c: &mut Criterion) {
    let mut g = c.benchmark_group("almgren_chriss_cost");
    for n in [5, 390] {
        let ac = AlmgrenChriss::new(1e6, 5.0, n, 0.95, 0.0625, 2.5e-6, 2.5e-7).expect("ac");
        g.bench_function(format!("periods_{n}"), |b| {
            b.iter(|| ac.cost(black_box(1e-6)).expect("cost"))
        });
    }
    g.finish();
}

criterion_group!(benches, walks, almgren_chriss);
criterion_main!(benches);
