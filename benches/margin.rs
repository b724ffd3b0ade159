//! Margin hot paths (criterion 0.5): the liquidation price of one isolated position, solved
//! across a 10-bracket tier table, and the margin ratio of a 100-position cross account. Both are
//! allocation-free after construction. One Black-76 price is measured in the same run as a yardstick.
//!
//! ```text
//! cargo bench --bench margin -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use derisk::margin::{CrossAccount, Instrument, IsolatedPosition, Position, Side, TierTable};
use derisk::pricing::{black76_price, OptionKind};

fn benches(c: &mut Criterion) {
    let table = TierTable::binance_btcusdt_2021_03_18();
    let usdt = Instrument::linear_perpetual(1.0, 0.1).unwrap();

    // B2 of docs/margin.md: the solution sits in the second bracket, not the entry one.
    let short = IsolatedPosition::new(
        Position::new(usdt, Side::Short, 1.0, 50_000.0).unwrap(),
        2_500.0,
    )
    .unwrap();
    c.bench_function("isolated liquidation price (10 brackets)", |b| {
        b.iter(|| black_box(&short).liquidation_price(black_box(&table)))
    });

    let mut account = CrossAccount::new(5_000_000.0).unwrap();
    for i in 0..100 {
        let side = if i % 3 == 0 { Side::Short } else { Side::Long };
        let entry = 20_000.0 + 500.0 * f64::from(i);
        let p = Position::new(usdt, side, 0.5 + 0.1 * f64::from(i % 7), entry).unwrap();
        account.add(p, entry * 1.01, 20.0, &table).unwrap();
    }
    c.bench_function("cross margin ratio (100 positions)", |b| {
        b.iter(|| black_box(&account).margin_ratio())
    });
    c.bench_function("cross liquidation price of one of 100 positions", |b| {
        b.iter(|| {
            black_box(&account).liquidation_price(black_box(derisk::portfolio::PositionId(42)))
        })
    });

    c.bench_function("black76_price (yardstick)", |b| {
        b.iter(|| {
            black76_price(
                OptionKind::Call,
                black_box(88_642.32),
                black_box(94_000.0),
                black_box(0.0263),
                black_box(0.3741),
                0.0,
            )
        })
    });
}

criterion_group!(margin, benches);
criterion_main!(margin);
