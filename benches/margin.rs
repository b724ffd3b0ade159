//! Margin hot paths (criterion 0.5): the liquidation price of one isolated position, solved
//! across a 10-bracket tier table, and the margin ratio of a 100-position cross account. Both are
//! allocation-free after construction. One Black-76 price is measured in the same run as a yardstick.
//! Portfolio margin (issue 16): Deribit's risk matrix and SPAN of a 500-option book of the real
//! chain in examples/data (goal for Deribit: under 1 ms single-threaded).
//!
//! ```text
//! cargo bench --bench margin -- --warm-up-time 1 --measurement-time 3
//! ```

use derisk::market::Currency;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use derisk::margin::{CrossAccount, Instrument, IsolatedPosition, Position, Side, TierTable};
use derisk::pricing::{black76_price, OptionKind};

fn benches(c: &mut Criterion) {
    let table = TierTable::binance_btcusdt_2021_03_18();
    let usdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();

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

/// The real Deribit chain of 2025-12-30 (630 rows, twelve expiries): the market state
/// (forward per expiry, a monotone smile through the out-of-the-money mark IVs, ACT/365.25) and
/// a 500-option coin-settled book taking rows across every expiry, long and short.
fn chain_book() -> (derisk::market::MarketState, derisk::portfolio::Book) {
    use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
    use derisk::portfolio::{Book, Contract, Position as Held, Settlement};
    use derisk::vol::{InterpolatedSmile, SliceSurface};
    const CHAIN: &str = include_str!("../examples/data/deribit_btc_chain_2025-12-30.csv");
    let v: Instant = "2025-12-30T17:31:15Z".parse().unwrap();
    let rows: Vec<Vec<&str>> = CHAIN
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let mut expiries: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    expiries.sort_unstable();
    expiries.dedup();
    let (mut nodes, mut slices) = (Vec::new(), Vec::new());
    for date in &expiries {
        let e: Instant = date.parse().unwrap();
        let tau = DayCount::Act365_25.year_fraction(v, e);
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[1] == *date).collect();
        let f: f64 = mine[0][4].parse().unwrap();
        let (mut ks, mut ws) = (Vec::new(), Vec::new());
        for r in mine {
            let k: f64 = r[3].parse().unwrap();
            if (r[2] == "call") == (k >= f) {
                let iv: f64 = r[9].parse().unwrap();
                ks.push((k / f).ln());
                ws.push(iv * iv * tau);
            }
        }
        nodes.push((e, f));
        slices.push((tau, InterpolatedSmile::new(&ks, &ws).unwrap()));
    }
    let index: f64 = rows[0][5].parse().unwrap();
    let m = MarketState::builder(v, DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(index, &nodes).unwrap())
        .vol_surface(Currency::BTC, SliceSurface::new(slices).unwrap())
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
        .build()
        .unwrap();
    let mut book = Book::new();
    for i in 0..500 {
        let r = &rows[i * rows.len() / 500];
        let kind = if r[2] == "call" {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let c = Contract::option(
            Currency::BTC,
            kind,
            r[3].parse().unwrap(),
            r[1].parse().unwrap(),
            Settlement::Inverse,
            1.0,
        )
        .unwrap();
        let q = if i % 3 == 0 { -2.0 } else { 1.0 };
        book.insert(Held::new(c, q, 0.0).unwrap());
    }
    (m, book)
}

fn portfolio(c: &mut Criterion) {
    use derisk::margin::{DeribitPortfolioMargin, SpanModel, SpanParams, SpanRates};
    use derisk::market::Currency;
    let (m, book) = chain_book();
    let deribit = DeribitPortfolioMargin::deribit_btc();
    c.bench_function(
        "Deribit portfolio margin, 500 options of the real chain",
        |b| b.iter(|| deribit.margin(black_box(&book), black_box(&m), Currency::BTC)),
    );
    let span = SpanModel {
        params: SpanParams::new(0.16, 0.10).unwrap(),
        rates: SpanRates {
            intra_spread: 0.01,
            short_option_minimum: 0.005,
        },
        initial_factor: 1.1,
    };
    c.bench_function("SPAN (model-built arrays), same 500 options", |b| {
        b.iter(|| span.margin(black_box(&book), black_box(&m), Currency::BTC))
    });
}

criterion_group!(margin, benches, portfolio);
criterion_main!(margin);
