//! Implied volatility over a 1,000-quote grid spanning issue 4's range (σ√T from 3e-4 to 4,
//! |ln(F/K)| ≤ 8σ√T): single solves out of and in the money, the batch API, coin-settled quotes.
//! The same grid against the peer crates runs in `peers/` (docs/PERFORMANCE.md).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::pricing::{
    black, implied_black_volatility, implied_coin_volatility, Black76, EuropeanOption, ImpliedVol,
    ImpliedVolError, ImpliedVolatility, OptionKind,
};

const FORWARD: f64 = 100.0;
const EXPIRY: f64 = 0.25;

/// A 40 × 25 grid: total volatility log-spaced over [3e-4, 4], log-moneyness evenly spaced over
/// [−8s, 8s]; `in_the_money` picks which side is quoted.
fn grid(in_the_money: bool) -> Vec<(EuropeanOption, f64)> {
    let mut quotes = Vec::with_capacity(1000);
    for i in 0..40 {
        let s = (3e-4_f64.ln() + (4.0_f64 / 3e-4).ln() * i as f64 / 39.0).exp();
        for j in 0..25 {
            let x = 8.0 * s * (2.0 * j as f64 / 24.0 - 1.0);
            let strike = FORWARD * (-x).exp();
            let call = (strike >= FORWARD) != in_the_money;
            let kind = if call {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let price = black(kind, FORWARD, strike, s).expect("valid inputs");
            if price > 1e-280 * FORWARD {
                let option = EuropeanOption::new(kind, strike, EXPIRY).expect("valid option");
                quotes.push((option, price));
            }
        }
    }
    quotes
}

fn single(c: &mut Criterion) {
    for (name, itm) in [("implied_otm_1000", false), ("implied_itm_1000", true)] {
        let quotes = grid(itm);
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(quotes.len() as u64));
        g.bench_function("implied_black_volatility", |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for (o, p) in black_box(&quotes) {
                    if let Ok(iv) =
                        implied_black_volatility(o.kind(), *p, FORWARD, o.strike(), o.expiry())
                    {
                        sum += iv.volatility;
                    }
                }
                sum
            })
        });
        let model = Black76::flat(FORWARD, 0.0, 0.5).expect("valid model");
        let mut out: Vec<Result<ImpliedVol, ImpliedVolError>> =
            vec![Err(ImpliedVolError::InvalidExpiry { expiry: 0.0 }); quotes.len()];
        // The same model quote by quote: the batch's yardstick (same validation and discounting).
        g.bench_function("Black76::implied_vol (single calls)", |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for (o, p) in black_box(&quotes) {
                    if let Ok(iv) = model.implied_vol(o, *p) {
                        sum += iv.volatility;
                    }
                }
                sum
            })
        });
        g.bench_function("implied_vol_many", |b| {
            b.iter(|| model.implied_vol_many(black_box(&quotes), &mut out))
        });
        g.finish();
    }
}

fn coin(c: &mut Criterion) {
    // A Deribit BTC quote: 82,000 call, 16.6 days, forward 88,728.95, mark 0.08550357 BTC.
    let call = EuropeanOption::call(82_000.0, 16.6 / 365.0).expect("valid option");
    c.bench_function("implied_coin_volatility", |b| {
        b.iter(|| {
            implied_coin_volatility(
                call.kind(),
                black_box(0.085_503_57),
                black_box(88_728.95),
                call.strike(),
                call.expiry(),
                0.0,
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = single, coin
}
criterion_main!(benches);
