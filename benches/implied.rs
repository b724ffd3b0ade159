//! Implied volatility over a 1,000-quote grid spanning issue 4's range (σ√T from 3e-4 to 4,
//! |ln(F/K)| ≤ 8σ√T): single solves out of and in the money, the batch API, coin-settled quotes.
//! The same grid against the peer crates runs in `peers/` (docs/PERFORMANCE.md).
//!
//! Issue 17's batch groups (`batch_*`): the scalar solve per quote against the vectorised batch
//! (`implied_black_volatility_batch`, `implied_black76_volatility_batch`) on the same quotes held
//! as structure of arrays, on the grid above, on a 1,000-contract mixed chain (strikes 50..200
//! on F = 100, a day to two years, σ 10 %..150 %, r = 3 %) and on the Deribit BTC chain of
//! 2025-12-30 (tests/data/stress_chain_2025-12-30.csv, calls and puts at the mark IV). Each pair
//! runs twice, interleaved, so that a change of machine load shows as a gap between rounds.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::black::{implied_black76_volatility_batch, implied_black_volatility_batch};
use derisk::pricing::{
    black, black76_price, implied_black76_volatility, implied_black_volatility,
    implied_coin_volatility, Black76, BlackScholes, EuropeanOption, ImpliedVol, ImpliedVolError,
    ImpliedVolatility, InverseBlack76, OptionKind,
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
        // The same quotes on a spot model (S = F at r = q = 0): its forward per quote, then lanes.
        let spot_model = BlackScholes::flat(FORWARD, 0.0, 0.0, 0.5).expect("valid model");
        g.bench_function("BlackScholes::implied_vol_many", |b| {
            b.iter(|| spot_model.implied_vol_many(black_box(&quotes), &mut out))
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
    // A coin-priced chain on one forward (the issue-17 grid of strikes and expiries in coin):
    // single coin solves against the vectorised `InverseBlack76::implied_vol_many`.
    let model = InverseBlack76::flat(88_728.95, 0.0, 0.5).expect("valid model");
    let quotes: Vec<(EuropeanOption, f64)> = grid(false)
        .into_iter()
        .map(|(o, usd)| {
            let k = o.strike() * 887.289_5;
            let contract = match o.kind() {
                OptionKind::Call => EuropeanOption::call(k, o.expiry()),
                OptionKind::Put => EuropeanOption::put(k, o.expiry()),
            }
            .expect("valid option");
            (contract, usd / 100.0)
        })
        .collect();
    let mut out = vec![
        Ok(ImpliedVol {
            volatility: 0.0,
            iterations: 0
        });
        quotes.len()
    ];
    let mut g = c.benchmark_group("coin_implied_chain");
    g.throughput(Throughput::Elements(quotes.len() as u64));
    g.bench_function("InverseBlack76::implied_vol (single calls)", |b| {
        b.iter(|| {
            for (slot, (o, p)) in out.iter_mut().zip(black_box(&quotes)) {
                *slot = model.implied_vol(o, *p);
            }
        })
    });
    g.bench_function("InverseBlack76::implied_vol_many", |b| {
        b.iter(|| model.implied_vol_many(black_box(&quotes), &mut out))
    });
    g.finish();
}

/// Quotes as structure of arrays, with the rate they are discounted at.
struct Soa {
    kind: Vec<OptionKind>,
    price: Vec<f64>,
    forward: Vec<f64>,
    strike: Vec<f64>,
    expiry: Vec<f64>,
    rate: f64,
}

impl Soa {
    fn new(rate: f64) -> Self {
        Soa {
            kind: Vec::new(),
            price: Vec::new(),
            forward: Vec::new(),
            strike: Vec::new(),
            expiry: Vec::new(),
            rate,
        }
    }

    /// Adds a quote priced by Black-76 at σ.
    fn push(&mut self, kind: OptionKind, forward: f64, strike: f64, expiry: f64, sigma: f64) {
        let price = black76_price(kind, forward, strike, expiry, sigma, self.rate).expect("valid");
        self.kind.push(kind);
        self.price.push(price);
        self.forward.push(forward);
        self.strike.push(strike);
        self.expiry.push(expiry);
    }
}

/// The out-of-the-money grid of [`grid`] as structure of arrays (r = 0).
fn grid_soa() -> Soa {
    let mut soa = Soa::new(0.0);
    for (o, p) in grid(false) {
        soa.kind.push(o.kind());
        soa.price.push(p);
        soa.forward.push(FORWARD);
        soa.strike.push(o.strike());
        soa.expiry.push(o.expiry());
    }
    soa
}

/// 1,000 contracts of mixed strikes and expiries (low-discrepancy sequences; as the batch
/// pricer's bench): F = 100, K in 50..200, T from a day to two years, σ 10 %..150 %, r = 3 %.
fn mixed_chain() -> Soa {
    let mut soa = Soa::new(0.03);
    for i in 0..1000 {
        let i = i as f64;
        let u = (0.5 + i * 0.754_877_666_246_692_7).fract();
        let v = (0.5 + i * 0.569_840_290_998_053_3).fract();
        let w = (0.5 + i * 0.618_033_988_749_895).fract();
        let kind = if (i as usize).is_multiple_of(2) {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let strike = 50.0 * 4.0_f64.powf(u);
        soa.push(kind, FORWARD, strike, 1.0 / 365.0 + 2.0 * v, 0.1 + 1.4 * w);
    }
    soa
}

/// The Deribit BTC chain of 2025-12-30: a call and a put per (expiry, strike) at the mark IV.
fn deribit_chain() -> Soa {
    const CHAIN: &str = include_str!("../tests/data/stress_chain_2025-12-30.csv");
    let mut soa = Soa::new(0.0);
    for line in CHAIN.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(1)
            .map(|x| x.parse().expect("number"))
            .collect();
        let (tau, forward, strike, iv) = (v[0], v[1], v[2], v[3]);
        for kind in [OptionKind::Call, OptionKind::Put] {
            soa.push(kind, forward, strike, tau, iv);
        }
    }
    soa
}

fn batch(c: &mut Criterion) {
    for (name, soa) in [
        ("batch_implied_otm_grid", grid_soa()),
        ("batch_implied_mixed_chain_1000", mixed_chain()),
        ("batch_implied_deribit_chain", deribit_chain()),
    ] {
        let n = soa.price.len();
        let mut out: Vec<Result<ImpliedVol, ImpliedVolError>> =
            vec![Err(ImpliedVolError::InvalidExpiry { expiry: 0.0 }); n];
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(n as u64));
        for round in 1..=2 {
            g.bench_function(format!("scalar solve per quote (round {round})"), |b| {
                b.iter(|| {
                    let s = black_box(&soa);
                    let mut sum = 0.0;
                    for i in 0..n {
                        let iv = if s.rate == 0.0 {
                            implied_black_volatility(
                                s.kind[i],
                                s.price[i],
                                s.forward[i],
                                s.strike[i],
                                s.expiry[i],
                            )
                        } else {
                            implied_black76_volatility(
                                s.kind[i],
                                s.price[i],
                                s.forward[i],
                                s.strike[i],
                                s.expiry[i],
                                s.rate,
                            )
                        };
                        if let Ok(iv) = iv {
                            sum += iv.volatility;
                        }
                    }
                    sum
                })
            });
            g.bench_function(format!("batch (round {round})"), |b| {
                b.iter(|| {
                    let s = black_box(&soa);
                    if s.rate == 0.0 {
                        implied_black_volatility_batch(
                            &s.kind, &s.price, &s.forward, &s.strike, &s.expiry, &mut out,
                        )
                    } else {
                        implied_black76_volatility_batch(
                            &s.kind, &s.price, &s.forward, &s.strike, &s.expiry, s.rate, &mut out,
                        )
                    }
                })
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = single, coin, batch
}
criterion_main!(benches);
