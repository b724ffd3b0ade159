//! A small market and book shared by the property and bad-input tests.

use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::{InterpolatedSmile, SliceSurface};

pub fn v0() -> Instant {
    "2025-12-30T17:31:15.944181Z".parse().unwrap()
}

pub fn expiries() -> [Instant; 3] {
    [
        Instant::from_date_hour(2026, 1, 9, 8).unwrap(),
        Instant::from_date_hour(2026, 3, 27, 8).unwrap(),
        Instant::from_date_hour(2026, 12, 25, 8).unwrap(),
    ]
}

/// Three expiries with a skewed smile each, USDC discounted at 4 %.
pub fn market() -> MarketState {
    let v = v0();
    let e = expiries();
    let forwards = [88_642.32, 89_559.35, 92_617.64];
    let nodes: Vec<_> = e.iter().copied().zip(forwards).collect();
    let slices = e
        .iter()
        .zip([0.40, 0.42, 0.48])
        .map(|(&ei, atm)| {
            let tau = DayCount::Act365_25.year_fraction(v, ei);
            let ks = [-0.6, -0.2, 0.0, 0.2, 0.6];
            let ws: Vec<f64> = ks
                .iter()
                .map(|k: &f64| (atm - 0.1 * k + 0.15 * k * k).powi(2) * tau)
                .collect();
            (tau, InterpolatedSmile::new(&ks, &ws).unwrap())
        })
        .collect();
    MarketState::builder(v, DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(88_524.14, &nodes).unwrap())
        .vol_surface(Currency::BTC, SliceSurface::new(slices).unwrap())
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USDC, DiscountCurve::flat(0.04).unwrap())
        .fx_rate(Currency::USDC, 1.0)
        .fx_rate(Currency::USDT, 0.9995)
        .build()
        .unwrap()
}

pub fn option(kind: OptionKind, strike: f64, expiry: Instant, settlement: Settlement) -> Contract {
    Contract::option(Currency::BTC, kind, strike, expiry, settlement, 1.0).unwrap()
}

/// Options of both settlements on three expiries, futures, perpetuals and spot.
pub fn book() -> Book {
    let e = expiries();
    let usdc = Settlement::Linear(Currency::USDC);
    let mut b = Book::new();
    let mut add = |c: Contract, q: f64, entry: f64| {
        b.insert(Position::new(c, q, entry).unwrap());
    };
    add(
        option(OptionKind::Call, 94_000.0, e[0], Settlement::Inverse),
        -10.0,
        0.0,
    );
    add(
        option(OptionKind::Put, 83_000.0, e[0], Settlement::Inverse),
        5.0,
        0.0,
    );
    add(
        option(OptionKind::Put, 75_000.0, e[1], Settlement::Inverse),
        -4.0,
        0.0,
    );
    add(
        option(OptionKind::Call, 120_000.0, e[2], Settlement::Inverse),
        7.5,
        0.0,
    );
    add(option(OptionKind::Call, 90_000.0, e[1], usdc), 3.0, 0.0);
    add(option(OptionKind::Put, 70_000.0, e[2], usdc), -2.0, 0.0);
    add(Contract::spot(Currency::BTC), 2.5, 0.0);
    add(Contract::spot(Currency::USDC), 10_000.0, 0.0);
    add(
        Contract::inverse_perpetual(Currency::BTC, 10.0).unwrap(),
        15_000.0,
        90_210.5,
    );
    add(
        Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001).unwrap(),
        -2_500.0,
        87_650.0,
    );
    add(
        Contract::future(Currency::BTC, Settlement::Inverse, 10.0, e[1]).unwrap(),
        -8_000.0,
        89_720.0,
    );
    add(
        Contract::future(
            Currency::BTC,
            Settlement::Linear(Currency::USDT),
            0.001,
            e[2],
        )
        .unwrap(),
        1_200.0,
        91_500.0,
    );
    b
}
