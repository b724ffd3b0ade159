//! Book revaluation: a 1,000-option book (coin-settled BTC options over four expiries, strikes
//! 0.6F…1.6F, on a surface of monotone smiles) under scenarios, per contract-scenario, against
//! the scalar Black-76 price of one contract; and the delta-gamma-vega path of the same book.
//! Issue 14: a 21 × 21 spot × vol grid (`risk::spot_vol_grid`) on the 1,000-option book, per
//! option revaluation, beside one scalar `black76_price` measured in the same group.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, NamedScenario, Shock,
};
use derisk::portfolio::{Book, Contract, Position, RiskReport, Settlement};
use derisk::pricing::{black76_price, OptionKind};
use derisk::vol::{InterpolatedSmile, SliceSurface};

const OPTIONS: usize = 1_000;
const SCENARIOS: usize = 100;

fn market() -> MarketState {
    let v: Instant = "2025-12-30T17:31:15Z".parse().expect("instant");
    let dates = [(2026, 1, 9), (2026, 1, 30), (2026, 3, 27), (2026, 12, 25)];
    let forwards = [88_642.32, 88_911.04, 89_559.35, 92_617.64];
    let mut nodes = Vec::new();
    let mut slices = Vec::new();
    for ((y, m, d), f) in dates.into_iter().zip(forwards) {
        let e = Instant::from_date_hour(y, m, d, 8).expect("date");
        let tau = DayCount::Act365_25.year_fraction(v, e);
        let ks: Vec<f64> = (0..11).map(|i| -0.7 + 0.14 * i as f64).collect();
        let ws: Vec<f64> = ks
            .iter()
            .map(|k| (0.45 - 0.1 * k + 0.2 * k * k).powi(2) * tau)
            .collect();
        nodes.push((e, f));
        slices.push((tau, InterpolatedSmile::new(&ks, &ws).expect("smile")));
    }
    MarketState::builder(v, DayCount::Act365_25)
        .underlying(
            Currency::BTC,
            ForwardCurve::new(88_524.14, &nodes).expect("curve"),
        )
        .vol_surface(Currency::BTC, SliceSurface::new(slices).expect("surface"))
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).expect("curve"))
        .build()
        .expect("market")
}

fn book(m: &MarketState) -> Book {
    let expiries: Vec<Instant> = m
        .forward_curve(Currency::BTC)
        .expect("curve")
        .nodes()
        .map(|n| n.0)
        .collect();
    let mut b = Book::new();
    for i in 0..OPTIONS {
        let u = (0.5 + i as f64 * 0.754_877_666_246_692_7).fract();
        let kind = if i % 2 == 0 {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let strike = (88_500.0 * (0.6 + u)).round();
        let c = Contract::option(
            Currency::BTC,
            kind,
            strike,
            expiries[i % 4],
            Settlement::Inverse,
            1.0,
        )
        .expect("option");
        b.insert(Position::new(c, if i % 3 == 0 { -1.0 } else { 1.0 }, 0.0).expect("position"));
    }
    b
}

fn scenarios() -> Vec<NamedScenario> {
    (0..SCENARIOS)
        .map(|i| {
            let x = -0.3 + 0.5 * i as f64 / SCENARIOS as f64;
            NamedScenario::new(
                format!("{i}"),
                vec![
                    Shock::spot_relative(Currency::BTC, x),
                    Shock::vol_parallel(0.1 * x),
                ],
            )
        })
        .collect()
}

/// Spot moves x with σ' = σ + a(E) + b(E)·k: a = −0.3x, b = 0.5x at 10 days, half that at
/// a year, linear in time between (a crash raises and steepens the smile).
fn skew_scenarios(m: &MarketState) -> Vec<NamedScenario> {
    use derisk::market::VolAdjustment;
    let v = m.valuation();
    let (near, far) = (
        v.plus_days(10.0).expect("instant"),
        v.plus_days(365.0).expect("instant"),
    );
    (0..SCENARIOS)
        .map(|i| {
            let x = -0.3 + 0.5 * i as f64 / SCENARIOS as f64;
            NamedScenario::new(
                format!("{i}"),
                vec![
                    Shock::spot_relative(Currency::BTC, x),
                    Shock::Vol {
                        asset: Some(Currency::BTC),
                        adjustment: VolAdjustment::SkewByExpiry(vec![
                            (near, -0.3 * x, 0.5 * x),
                            (far, -0.15 * x, 0.25 * x),
                        ]),
                    },
                ],
            )
        })
        .collect()
}

fn revaluation(c: &mut Criterion) {
    let m = market();
    let b = book(&m);
    let s = scenarios();
    let mut out = vec![Ok(0.0); SCENARIOS];
    let mut g = c.benchmark_group("book");
    g.throughput(Throughput::Elements((OPTIONS * SCENARIOS) as u64));
    g.bench_function("full_revaluation_1000x100", |bench| {
        bench.iter(|| b.revalue_many(&m, black_box(&s), Currency::BTC, &mut out))
    });
    // the same moves with a level and skew shock per expiry (issue 14: strike-dependent vol
    // adjustment, one logarithm per option read)
    let skew = skew_scenarios(&m);
    b.revalue_many(&m, &skew, Currency::BTC, &mut out)
        .expect("lengths");
    assert!(out.iter().all(Result::is_ok), "every skew scenario prices");
    g.bench_function("full_revaluation_skew_shock_1000x100", |bench| {
        bench.iter(|| b.revalue_many(&m, black_box(&skew), Currency::BTC, &mut out))
    });
    let risks = b.risk(&m).expect("risk");
    let report = RiskReport::new(&risks, &[]);
    let total = report.by_underlying[0].1;
    let spot = m.spot(Currency::BTC).expect("spot");
    g.bench_function("delta_gamma_vega_1000x100", |bench| {
        bench.iter(|| {
            let mut acc = 0.0;
            for i in 0..SCENARIOS {
                let x = -0.3 + 0.5 * i as f64 / SCENARIOS as f64;
                acc += black_box(&total).approximate_change(spot * x, 0.1 * x, 0.0, 0.0);
            }
            acc
        })
    });
    g.finish();
    let mut g = c.benchmark_group("book_yardstick");
    g.throughput(Throughput::Elements(1));
    g.bench_function("black76_price_scalar", |bench| {
        bench.iter(|| {
            black76_price(
                OptionKind::Call,
                black_box(89_559.35),
                black_box(95_000.0),
                black_box(0.2371),
                black_box(0.45),
                0.0,
            )
        })
    });
    g.bench_function("book_risk_1000", |bench| {
        bench.iter(|| b.risk(black_box(&m)))
    });
    // The same 1,000 contracts priced one by one by the scalar kernel from precomputed F, τ, σ:
    // the yardstick of docs/PERFORMANCE.md for full revaluation per contract-scenario.
    let inputs: Vec<(OptionKind, f64, f64, f64, f64)> = b
        .iter()
        .map(|(_, p)| match p.instrument {
            Contract::Option {
                kind,
                strike,
                expiry,
                ..
            } => (
                kind,
                m.forward(Currency::BTC, expiry).expect("forward"),
                strike,
                m.year_fraction(expiry),
                m.implied_vol(Currency::BTC, expiry, strike).expect("vol"),
            ),
            _ => unreachable!("options only"),
        })
        .collect();
    g.throughput(Throughput::Elements(OPTIONS as u64));
    g.bench_function("black76_price_of_each_book_contract", |bench| {
        bench.iter(|| {
            let mut acc = 0.0;
            for &(kind, f, k, t, v) in black_box(&inputs) {
                acc += black76_price(kind, f, k, t, v, 0.0).unwrap_or(0.0) / f;
            }
            acc
        })
    });
    g.finish();
}

/// Stress testing (issue 14): an 11 × 7 spot × vol grid and a reverse stress of a 16-option
/// book (the quickstart's size), by full revaluation.
fn stress(c: &mut Criterion) {
    use derisk::market::VolDynamics;
    use derisk::risk::{reverse_stress_book, spot_vol_grid, StressDirection};
    let m = market();
    let all = book(&m);
    let mut b = Book::new();
    for (_, p) in all.iter().take(16) {
        b.insert(p.clone());
    }
    let spots: Vec<f64> = (0..11).map(|i| -0.3 + 0.06 * i as f64).collect();
    let vols: Vec<f64> = (0..7).map(|i| -0.15 + 0.05 * i as f64).collect();
    let mut g = c.benchmark_group("stress");
    g.throughput(Throughput::Elements((16 * spots.len() * vols.len()) as u64));
    g.bench_function("spot_vol_grid_16x11x7", |bench| {
        bench.iter(|| {
            spot_vol_grid(
                &b,
                &m,
                None,
                black_box(&spots),
                &vols,
                VolDynamics::StickyStrike,
                Currency::BTC,
            )
        })
    });
    g.throughput(Throughput::Elements(1));
    // The direction (BTC and vols up or down) in which the book loses most at scale 1, and half
    // that loss as the equity, so the search finds a breach inside the bound.
    let loss_at_one = |d: &StressDirection| {
        use derisk::market::Scenario;
        let shocked = d.shocks(1.0).apply(&m).expect("shock");
        b.pnl(&m, &shocked, Currency::BTC).expect("pnl").amount
    };
    let down = [
        (-0.2, 0.2),
        (-0.2, -0.2),
        (0.0, -0.2),
        (0.2, 0.2),
        (0.2, -0.2),
    ]
    .into_iter()
    .map(|(d, v)| StressDirection {
        spot: vec![(Currency::BTC, d)],
        vol_points: v,
    })
    .min_by(|x, y| loss_at_one(x).total_cmp(&loss_at_one(y)))
    .expect("four directions");
    let equity = -0.5 * loss_at_one(&down);
    assert!(equity > 0.0, "the book loses in one of the directions");
    reverse_stress_book(&b, &m, &down, equity, Currency::BTC, 1.0, 30).expect("a breach");
    g.bench_function("reverse_stress_16", |bench| {
        bench.iter(|| reverse_stress_book(&b, &m, black_box(&down), equity, Currency::BTC, 1.0, 30))
    });
    g.finish();
}

/// Issue 14: a 21 × 21 spot × vol stress grid (spot −50 % … +50 %, vol −20 … +20 points) on
/// the 1,000-option book by full revaluation; throughput per option revaluation (441,000 per
/// grid), with the scalar Black-76 price in the same group as the yardstick.
fn stress_grid(c: &mut Criterion) {
    use derisk::market::VolDynamics;
    use derisk::risk::spot_vol_grid;
    let m = market();
    let b = book(&m);
    let spots: Vec<f64> = (0..21).map(|i| -0.5 + 0.05 * i as f64).collect();
    let vols: Vec<f64> = (0..21).map(|i| -0.2 + 0.02 * i as f64).collect();
    let grid = |spots: &[f64]| {
        spot_vol_grid(
            &b,
            &m,
            None,
            spots,
            &vols,
            VolDynamics::StickyStrike,
            Currency::BTC,
        )
    };
    grid(&spots).expect("every grid point prices");
    let mut g = c.benchmark_group("stress_grid_1000_options");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        (OPTIONS * spots.len() * vols.len()) as u64,
    ));
    g.bench_function("spot_vol_grid_21x21", |bench| {
        bench.iter(|| grid(black_box(&spots)))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("black76_price_scalar", |bench| {
        bench.iter(|| {
            black76_price(
                OptionKind::Call,
                black_box(89_559.35),
                black_box(95_000.0),
                black_box(0.2371),
                black_box(0.45),
                0.0,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, revaluation, stress, stress_grid);
criterion_main!(benches);
