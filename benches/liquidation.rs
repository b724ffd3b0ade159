//! The liquidation engine's hot path: a mark update against a million open positions finds the
//! triggered ones in time proportional to their number (DESIGN.md §6: "a mark update finds the
//! liquidatable positions among a million in time proportional to their number").

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use derisk::margin::{
    simulate_cascade, CascadeConfig, LiquidationIndex, PopulationSpec, PowerImpact, Side,
};
use derisk::portfolio::PositionId;
use rand::SeedableRng;

fn triggers(n: u64) -> Vec<(Side, f64)> {
    (0..n)
        .map(|i| {
            // liquidation prices spread over 50,000..150,000, longs below a mark of 100,000
            let u = ((i.wrapping_mul(2_654_435_761)) % 1_000_000) as f64 / 1_000_000.0;
            if i % 2 == 0 {
                (Side::Long, 50_000.0 + 50_000.0 * u)
            } else {
                (Side::Short, 100_000.0 + 50_000.0 * u)
            }
        })
        .collect()
}

fn bench_mark_update(c: &mut Criterion) {
    let all = triggers(1_000_000);
    let mut index = LiquidationIndex::new();
    for (i, &(side, lp)) in all.iter().enumerate() {
        index.insert(PositionId(i as u64), side, lp).unwrap();
    }
    let mut g = c.benchmark_group("liquidation_index_1m");
    // a mark just below 100,000 triggers the longs whose price lies in [mark, 100,000)
    for triggered in [0usize, 10, 1_000] {
        let mark = 100_000.0 - 50_000.0 * (triggered as f64) / 500_000.0;
        g.bench_with_input(BenchmarkId::new("triggered", triggered), &mark, |b, &m| {
            b.iter(|| index.triggered(black_box(m)).count())
        });
    }
    // the baseline the index replaces: a scan of every position (same answer, O(n))
    g.bench_function("linear_scan", |b| {
        b.iter(|| {
            let m = black_box(99_999.0);
            all.iter()
                .filter(|&&(s, lp)| match s {
                    Side::Long => m <= lp,
                    Side::Short => m >= lp,
                })
                .count()
        })
    });
    g.finish();
}

/// Issue 15's bar: a cascade of 100,000 accounts over 1,000 steps "in well under a second".
fn bench_cascade(c: &mut Criterion) {
    let spec = PopulationSpec {
        accounts: 100_000,
        open_interest: 50_000.0,
        ..PopulationSpec::default()
    };
    let pop = spec
        .sample(100_000.0, &mut rand_chacha::ChaCha20Rng::seed_from_u64(10))
        .unwrap();
    // a 10 % fall spread over the first 50 steps, then 950 quiet steps
    let shock: Vec<f64> = (0..1_000)
        .map(|t| if t < 50 { -0.002 } else { 0.0 })
        .collect();
    let impact = PowerImpact::new(1e-4, 0.5).unwrap();
    let config = CascadeConfig {
        insurance_fund: 1e9,
        ..CascadeConfig::default()
    };
    let mut g = c.benchmark_group("cascade");
    g.sample_size(10);
    g.bench_function("100k_accounts_1000_steps", |b| {
        b.iter(|| simulate_cascade(black_box(&pop), 100_000.0, &shock, &impact, &config).unwrap())
    });
    g.finish();
}

/// One round of Deribit's incremental liquidation: the engine runs it per account per round.
fn bench_incremental(c: &mut Criterion) {
    let model = derisk::margin::SizeScaled::new(0.02, 0.01, 0.00005).unwrap();
    let p = derisk::margin::Position::new(
        derisk::margin::Instrument::inverse_perpetual(derisk::market::Currency::BTC, 10.0, 0.5)
            .unwrap(),
        Side::Long,
        20_000.0,
        50_000.0,
    )
    .unwrap();
    let iso = derisk::margin::IsolatedPosition::new(p, 0.2).unwrap();
    c.bench_function("deribit_liquidation_step", |b| {
        b.iter(|| {
            derisk::margin::deribit_liquidation_step(
                black_box(&iso),
                black_box(48_050.0),
                &model,
                200.0,
                0.0075,
            )
        })
    });
}

criterion_group!(benches, bench_mark_update, bench_cascade, bench_incremental);
criterion_main!(benches);
