//! Pricing hot paths: one price, price plus all fourteen Greeks, and the allocation-free batch
//! APIs over 1,000 options, for spot Black–Scholes, Black-76 and coin-settled options.
//! Peer comparisons live in the unpublished `peers/` member (docs/PERFORMANCE.md).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::pricing::{
    black, black76_greeks, black76_greeks_batch, black76_price, black76_price_batch,
    black_scholes_greeks, black_scholes_price, BlackScholes, EuropeanOption, Greeks,
    InverseBlack76, OptionKind, PricingError, PricingModel, Sensitivities,
};

/// 1,000 options on one underlying: strikes 50..200, expiries a day to two years.
fn book() -> Vec<EuropeanOption> {
    (0..1000)
        .map(|i| {
            let u = (0.5 + i as f64 * 0.754_877_666_246_692_7).fract();
            let v = (0.5 + i as f64 * 0.569_840_290_998_053_3).fract();
            let kind = if i % 2 == 0 {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            EuropeanOption::new(kind, 50.0 * 4.0_f64.powf(u), 1.0 / 365.0 + 2.0 * v)
                .expect("valid option")
        })
        .collect()
}

fn single(c: &mut Criterion) {
    let mut g = c.benchmark_group("one_option");
    g.bench_function("black_scholes_price", |b| {
        b.iter(|| {
            black_scholes_price(
                OptionKind::Call,
                black_box(100.0),
                black_box(105.0),
                black_box(0.5),
                black_box(0.6),
                black_box(0.03),
                black_box(0.0),
            )
        })
    });
    g.bench_function("black_scholes_greeks (price + 14 Greeks)", |b| {
        b.iter(|| {
            black_scholes_greeks(
                OptionKind::Call,
                black_box(100.0),
                black_box(105.0),
                black_box(0.5),
                black_box(0.6),
                black_box(0.03),
                black_box(0.0),
            )
        })
    });
    g.bench_function("black76_price", |b| {
        b.iter(|| {
            black76_price(
                OptionKind::Put,
                black_box(100.0),
                black_box(95.0),
                black_box(0.5),
                black_box(0.6),
                black_box(0.03),
            )
        })
    });
    g.bench_function("black (undiscounted, total vol)", |b| {
        b.iter(|| {
            black(
                OptionKind::Call,
                black_box(100.0),
                black_box(105.0),
                black_box(0.42),
            )
        })
    });
    let coin = InverseBlack76::flat(88_728.95, 0.0, 0.4323).expect("valid model");
    let call = EuropeanOption::call(82_000.0, 16.6 / 365.0).expect("valid option");
    g.bench_function("coin-settled price", |b| {
        b.iter(|| coin.price(black_box(&call)))
    });
    g.bench_function("coin-settled greeks", |b| {
        b.iter(|| coin.greeks(black_box(&call)))
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let book = book();
    let model = BlackScholes::flat(100.0, 0.03, 0.0, 0.6).expect("valid model");
    let mut g = c.benchmark_group("batch_1000");
    g.throughput(Throughput::Elements(book.len() as u64));
    let mut prices: Vec<Result<f64, PricingError>> = vec![Ok(0.0); book.len()];
    // The same model contract by contract: the batch's yardstick.
    g.bench_function("BlackScholes::price (single calls)", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for o in black_box(&book) {
                sum += model.price(o).unwrap_or(0.0);
            }
            sum
        })
    });
    g.bench_function("BlackScholes::price (single calls into a slice)", |b| {
        b.iter(|| {
            for (slot, o) in prices.iter_mut().zip(black_box(&book)) {
                *slot = model.price(o);
            }
        })
    });
    g.bench_function("price_many", |b| {
        b.iter(|| model.price_many(black_box(&book), &mut prices))
    });
    // On rayon's pool with the `rayon` feature (RAYON_NUM_THREADS sets the cores), else
    // sequential: `cargo bench --features rayon --bench pricing -- batch_1000/par`.
    g.bench_function("par_price_many", |b| {
        b.iter(|| model.par_price_many(black_box(&book), &mut prices))
    });
    let mut greeks: Vec<Result<Greeks, PricingError>> = vec![Ok(Greeks::default()); book.len()];
    g.bench_function("greeks_many", |b| {
        b.iter(|| model.greeks_many(black_box(&book), &mut greeks))
    });
    // Coin-settled (Deribit's convention: r = 0 on the forward): single calls, then the lanes.
    let coin = InverseBlack76::flat(100.0, 0.0, 0.6).expect("valid model");
    g.bench_function("InverseBlack76::greeks (single calls into a slice)", |b| {
        b.iter(|| {
            for (slot, o) in greeks.iter_mut().zip(black_box(&book)) {
                *slot = coin.greeks(o);
            }
        })
    });
    g.bench_function("InverseBlack76::greeks_many", |b| {
        b.iter(|| coin.greeks_many(black_box(&book), &mut greeks))
    });
    g.finish();
    // Core scaling (issue 17): 100,000 options, enough for every core to get many slices;
    // `RAYON_NUM_THREADS=1` and `=2` with `--features rayon`.
    let big: Vec<EuropeanOption> = (0..100).flat_map(|_| book.iter().copied()).collect();
    let mut big_prices: Vec<Result<f64, PricingError>> = vec![Ok(0.0); big.len()];
    let mut g = c.benchmark_group("batch_100000");
    g.throughput(Throughput::Elements(big.len() as u64));
    g.sample_size(10);
    g.bench_function("price_many", |b| {
        b.iter(|| model.price_many(black_box(&big), &mut big_prices))
    });
    g.bench_function("par_price_many", |b| {
        b.iter(|| model.par_price_many(black_box(&big), &mut big_prices))
    });
    g.finish();
}

/// The issue-17 chain: 1,000 Black-76 options as separate slices, strikes 50..200 on F = 100,
/// expiries a day to two years, volatilities 10 %..150 %, calls and puts.
struct Chain {
    kind: Vec<OptionKind>,
    strike: Vec<f64>,
    expiry: Vec<f64>,
    volatility: Vec<f64>,
}

fn chain() -> Chain {
    let book = book();
    Chain {
        kind: book.iter().map(|o| o.kind()).collect(),
        strike: book.iter().map(|o| o.strike()).collect(),
        expiry: book.iter().map(|o| o.expiry()).collect(),
        volatility: (0..book.len())
            .map(|i| 0.1 + 1.4 * (0.5 + i as f64 * 0.618_033_988_749_895).fract())
            .collect(),
    }
}

fn soa(c: &mut Criterion) {
    let chain = chain();
    let n = chain.strike.len();
    let forward = vec![100.0; n];
    let mut g = c.benchmark_group("chain_1000");
    g.throughput(Throughput::Elements(n as u64));
    let mut out: Vec<Result<f64, PricingError>> = vec![Ok(0.0); n];
    g.bench_function("black76_price (scalar, per contract)", |b| {
        b.iter(|| {
            for i in 0..n {
                out[i] = black76_price(
                    chain.kind[i],
                    black_box(forward[i]),
                    chain.strike[i],
                    chain.expiry[i],
                    chain.volatility[i],
                    0.03,
                );
            }
        })
    });
    g.bench_function("black76_price_batch", |b| {
        b.iter(|| {
            black76_price_batch(
                &chain.kind,
                black_box(&forward),
                &chain.strike,
                &chain.expiry,
                &chain.volatility,
                0.03,
                &mut out,
            )
        })
    });
    g.finish();
}

/// Issue 17's batch Greeks bar: price + 14 Greeks per contract by `black76_greeks` against
/// `black76_greeks_batch`, on the `chain_1000` chain.
fn soa_greeks(c: &mut Criterion) {
    let chain = chain();
    let n = chain.strike.len();
    let forward = vec![100.0; n];
    let mut g = c.benchmark_group("chain_1000_greeks");
    g.throughput(Throughput::Elements(n as u64));
    let mut out: Vec<Result<Greeks, PricingError>> = vec![Ok(Greeks::default()); n];
    g.bench_function("black76_greeks (scalar, per contract)", |b| {
        b.iter(|| {
            for i in 0..n {
                out[i] = black76_greeks(
                    chain.kind[i],
                    black_box(forward[i]),
                    chain.strike[i],
                    chain.expiry[i],
                    chain.volatility[i],
                    0.03,
                );
            }
        })
    });
    g.bench_function("black76_greeks_batch", |b| {
        b.iter(|| {
            black76_greeks_batch(
                &chain.kind,
                black_box(&forward),
                &chain.strike,
                &chain.expiry,
                &chain.volatility,
                0.03,
                &mut out,
            )
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = single, batch, soa, soa_greeks
}
criterion_main!(benches);
