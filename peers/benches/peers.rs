//! Side by side, same run, same inputs: derisk against the Rust crates a user would otherwise pick.
//! `cargo bench -p derisk-peers`; the table in docs/PERFORMANCE.md is made from this output.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use derisk::pricing::{
    black, black_scholes_greeks, black_scholes_price, black_scholes_price_batch, Black76,
    EuropeanOption, ImpliedVol, ImpliedVolError, ImpliedVolatility, OptionKind,
};
use derisk_peers::{deribit_chain, implied_grid, pricing_grid, Quote, SOLVERS};

fn kind(call: bool) -> OptionKind {
    if call {
        OptionKind::Call
    } else {
        OptionKind::Put
    }
}

/// One Black–Scholes price with r = 3 %, per call and over a 1,000-option grid.
fn price(c: &mut Criterion) {
    let grid = pricing_grid(1000);
    let mut g = c.benchmark_group("price_grid_1000");
    g.throughput(Throughput::Elements(grid.len() as u64));
    g.bench_function("derisk", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(call, k, t, v, r) in black_box(&grid) {
                sum += black_scholes_price(kind(call), 100.0, k, t, v, r, 0.0).unwrap_or(0.0);
            }
            sum
        })
    });
    // The same grid through derisk's vectorised batch (structure of arrays, one rate).
    let rate = grid[0].4;
    assert!(grid.iter().all(|g| g.4 == rate));
    let kinds: Vec<OptionKind> = grid.iter().map(|g| kind(g.0)).collect();
    let strikes: Vec<f64> = grid.iter().map(|g| g.1).collect();
    let expiries: Vec<f64> = grid.iter().map(|g| g.2).collect();
    let vols: Vec<f64> = grid.iter().map(|g| g.3).collect();
    let mut out = vec![Ok(0.0); grid.len()];
    g.bench_function("derisk black_scholes_price_batch", |b| {
        b.iter(|| {
            black_scholes_price_batch(
                &kinds,
                100.0,
                black_box(&strikes),
                &expiries,
                &vols,
                rate,
                0.0,
                &mut out,
            )
        })
    });
    g.bench_function("black_scholes", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(call, k, t, v, r) in black_box(&grid) {
                sum += if call {
                    black_scholes::call(100.0, k, r, v, t)
                } else {
                    black_scholes::put(100.0, k, r, v, t)
                };
            }
            sum
        })
    });
    g.bench_function("quantrs", |b| {
        use quantrs::options::{
            BlackScholesModel, EuropeanOption, Instrument, OptionPricing, OptionType,
        };
        // Contracts built outside the timed loop: only pricing is measured.
        let options: Vec<_> = grid
            .iter()
            .map(|&(call, k, t, v, r)| {
                let ty = if call {
                    OptionType::Call
                } else {
                    OptionType::Put
                };
                let o = EuropeanOption::new(Instrument::new().with_spot(100.0), k, t, ty);
                (o, BlackScholesModel::new(r, v))
            })
            .collect();
        b.iter(|| {
            let mut sum = 0.0;
            for (o, m) in black_box(&options) {
                sum += m.price(o);
            }
            sum
        })
    });
    g.finish();

    // Undiscounted Black on a forward: implied-vol's pricer has no rate.
    let mut g = c.benchmark_group("black_undiscounted_grid_1000");
    g.throughput(Throughput::Elements(grid.len() as u64));
    g.bench_function("derisk", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(call, k, t, v, _) in black_box(&grid) {
                sum += black(kind(call), 100.0, k, v * t.sqrt()).unwrap_or(0.0);
            }
            sum
        })
    });
    g.bench_function("implied-vol", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(call, k, t, v, _) in black_box(&grid) {
                sum += implied_vol::PriceBlackScholes::builder()
                    .forward(100.0)
                    .strike(k)
                    .volatility(v)
                    .expiry(t)
                    .is_call(call)
                    .build()
                    .map_or(0.0, |p| p.calculate::<implied_vol::DefaultSpecialFn>());
            }
            sum
        })
    });
    g.finish();
}

/// Price plus Greeks: derisk's fourteen against black_scholes's `compute_all` (call and put
/// prices with eight Greeks each).
fn greeks(c: &mut Criterion) {
    let grid = pricing_grid(1000);
    let mut g = c.benchmark_group("greeks_grid_1000");
    g.throughput(Throughput::Elements(grid.len() as u64));
    g.bench_function("derisk (price + 14 Greeks)", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(call, k, t, v, r) in black_box(&grid) {
                if let Ok(gr) = black_scholes_greeks(kind(call), 100.0, k, t, v, r, 0.0) {
                    sum += gr.price + gr.delta + gr.gamma + gr.vega + gr.theta + gr.ultima;
                }
            }
            sum
        })
    });
    g.bench_function("black_scholes compute_all", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(_, k, t, v, r) in black_box(&grid) {
                let all = black_scholes::compute_all(100.0, k, r, v, t);
                sum += all.call_price + all.call_delta + all.call_gamma + all.call_vega;
            }
            sum
        })
    });
    g.finish();
}

/// Every solver of [`SOLVERS`] on `quotes`, one bench each.
fn bench_solvers(g: &mut BenchmarkGroup<'_, WallTime>, quotes: &[Quote]) {
    for (name, solve) in SOLVERS {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for q in black_box(quotes) {
                    sum += solve(q).unwrap_or(0.0);
                }
                sum
            })
        });
    }
}

/// Implied volatility on the same 1,000 out-of-the-money quotes (issue 4's range).
fn implied(c: &mut Criterion) {
    let grid = implied_grid(1000);
    let mut g = c.benchmark_group("implied_grid_1000");
    g.throughput(Throughput::Elements(grid.len() as u64));
    bench_solvers(&mut g, &grid);
    // The batch API: one model (F = 100, T = 0.25, r = 0), results into a caller's slice.
    let model = Black76::flat(100.0, 0.0, 0.5).expect("valid model");
    let quotes: Vec<(EuropeanOption, f64)> = grid
        .iter()
        .map(|q| {
            let o = EuropeanOption::new(q.kind(), q.strike, q.expiry).expect("valid option");
            (o, q.price)
        })
        .collect();
    let mut out: Vec<Result<ImpliedVol, ImpliedVolError>> =
        vec![Err(ImpliedVolError::InvalidExpiry { expiry: 0.0 }); quotes.len()];
    g.bench_function("derisk implied_vol_many", |b| {
        b.iter(|| {
            model
                .implied_vol_many(black_box(&quotes), &mut out)
                .expect("same lengths");
            out.len()
        })
    });
    g.finish();

    // A real chain: every mark price of the Deribit BTC snapshot, calls and puts.
    let chain = deribit_chain();
    let mut g = c.benchmark_group("implied_deribit_chain");
    g.throughput(Throughput::Elements(chain.len() as u64));
    bench_solvers(&mut g, &chain);
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = price, greeks, implied
}
criterion_main!(benches);
