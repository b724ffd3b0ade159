//! SPAN (issue 16): the worked risk arrays of L. McMillan, "Options as a Strategic Investment"
//! (5th ed., ch. 34 "Futures and Futures Options": S&P 500 future with a 10,000 USD scan range,
//! long Dec 410 call, covered write), the requirement against full revaluation, properties,
//! typed errors.

use derisk::margin::{
    span_margin, MarginError, PortfolioMarginModel, RiskArray, SpanModel, SpanParams, SpanPosition,
    SpanRates, SPAN_SCENARIOS,
};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Scenario, Shock,
    VolAdjustment, VolDynamics,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::FlatVol;

const BTC: Currency = Currency::BTC;

/// McMillan's long Dec 410 call, P&L per scenario as printed (gain positive), scenarios 1–16.
const CALL_GAINS: [f64; 16] = [
    460.0, -610.0, 2_640.0, 1_730.0, -1_270.0, -2_340.0, 5_210.0, 4_540.0, -2_540.0, -3_430.0,
    8_060.0, 7_640.0, -3_380.0, -3_990.0, 3_130.0, -1_500.0,
];
/// McMillan's long S&P future column as printed (rounded to 10 USD).
const FUTURE_GAINS: [f64; 16] = [
    0.0, 0.0, 3_330.0, 3_330.0, -3_330.0, -3_330.0, 6_670.0, 6_670.0, -6_670.0, -6_670.0, 10_000.0,
    10_000.0, -10_000.0, -10_000.0, 7_000.0, -7_000.0,
];
/// McMillan's covered write (long future, short call) column as printed.
const COVERED_WRITE_GAINS: [f64; 16] = [
    -460.0, 610.0, 690.0, 1_600.0, -2_060.0, -990.0, 1_460.0, 2_130.0, -4_130.0, -3_240.0, 1_940.0,
    2_360.0, -6_620.0, -6_010.0, 3_870.0, -5_500.0,
];

fn losses(gains: [f64; 16]) -> [f64; 16] {
    gains.map(|g| -g)
}

fn pos(array: RiskArray, quantity: f64, option: bool) -> SpanPosition {
    SpanPosition {
        array,
        quantity,
        tier: None,
        option,
    }
}

/// McMillan: "the SPAN requirement would be $3,990 (futures down three-thirds; volatility down)".
#[test]
fn mcmillan_long_call() {
    let call = RiskArray::new(losses(CALL_GAINS), 0.5).unwrap();
    let r = span_margin(&[pos(call, 1.0, true)], &SpanRates::default()).unwrap();
    assert_eq!(r.scanning_risk, 3_990.0);
    assert_eq!(r.worst_scenario, 13); // scenario 14
    assert_eq!(r.requirement, 3_990.0);
}

/// The future's array from the scan range (10,000 USD, extremes 2 × 35 %) against McMillan's
/// printed column, which rounds thirds to 10 USD: within 10/3 USD, exact at the full range and
/// the extremes.
#[test]
fn mcmillan_future_array_from_scan_range() {
    let f = RiskArray::linear(10_000.0, 2.0, 0.35).unwrap();
    for (s, (&ours, &printed)) in f.losses().iter().zip(&losses(FUTURE_GAINS)).enumerate() {
        assert!(
            (ours - printed).abs() <= 10.0 / 3.0 + 1e-9,
            "scenario {}",
            s + 1
        );
    }
    for s in [10, 11, 12, 13] {
        assert_eq!(f.losses()[s], -FUTURE_GAINS[s]);
    }
    assert!((f.losses()[14] + 7_000.0).abs() < 1e-9 && (f.losses()[15] - 7_000.0).abs() < 1e-9);
}

/// The covered write = long future + short call, scenario by scenario, is McMillan's printed
/// column, and its requirement is his 6,620 (scenario 13: futures down three-thirds, vol up).
#[test]
fn mcmillan_covered_write() {
    let call = RiskArray::new(losses(CALL_GAINS), 0.5).unwrap();
    let fut = RiskArray::new(losses(FUTURE_GAINS), 1.0).unwrap();
    let r = span_margin(
        &[pos(fut, 1.0, false), pos(call, -1.0, true)],
        &SpanRates::default(),
    )
    .unwrap();
    assert_eq!(r.scenario_losses, losses(COVERED_WRITE_GAINS));
    assert_eq!((r.scanning_risk, r.worst_scenario), (6_620.0, 12));
    // with the future's array from the scan range instead of the rounded print: the same
    let fut = RiskArray::linear(10_000.0, 2.0, 0.35).unwrap();
    let r = span_margin(
        &[pos(fut, 1.0, false), pos(call, -1.0, true)],
        &SpanRates::default(),
    )
    .unwrap();
    assert_eq!(r.scanning_risk, 6_620.0);
}

fn market() -> MarketState {
    let e1 = Instant::EPOCH.plus_days(30.0).unwrap();
    let e2 = Instant::EPOCH.plus_days(90.0).unwrap();
    MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(
            BTC,
            ForwardCurve::new(100_000.0, &[(e1, 100_500.0), (e2, 101_500.0)]).unwrap(),
        )
        .vol_surface(BTC, FlatVol::new(0.5).unwrap())
        .discount_curve(BTC, DiscountCurve::flat(0.0).unwrap())
        .build()
        .unwrap()
}

fn book() -> Book {
    let e1 = Instant::EPOCH.plus_days(30.0).unwrap();
    let e2 = Instant::EPOCH.plus_days(90.0).unwrap();
    let opt = |k, s, e| Contract::option(BTC, k, s, e, Settlement::Inverse, 1.0).unwrap();
    let mut b = Book::new();
    b.insert(Position::new(opt(OptionKind::Call, 110_000.0, e1), -3.0, 0.0).unwrap());
    b.insert(Position::new(opt(OptionKind::Put, 90_000.0, e2), 2.0, 0.0).unwrap());
    b.insert(Position::new(opt(OptionKind::Call, 100_000.0, e2), 1.0, 0.0).unwrap());
    let fut = Contract::future(BTC, Settlement::Inverse, 10.0, e2).unwrap();
    b.insert(Position::new(fut, 5_000.0, 101_000.0).unwrap());
    b
}

/// Model-built SPAN: the scanning risk equals the book's worst weighted loss by full
/// revaluation (`Book::pnl`) under the sixteen scenarios built here from `Shock`s.
#[test]
fn scanning_risk_is_worst_full_revaluation_loss() {
    let m = market();
    let b = book();
    let params = SpanParams::new(0.16, 0.10).unwrap();
    let model = SpanModel {
        params,
        rates: SpanRates::default(),
        initial_factor: 1.1,
    };
    let r = model.margin(&b, &m, BTC).unwrap();
    let mut worst = 0.0_f64;
    for (s, sc) in SPAN_SCENARIOS.iter().enumerate() {
        let (dp, dv, w) = if sc.vol_multiple == 0.0 {
            (sc.price_multiple.signum() * 2.0 * 0.16, 0.0, 0.35)
        } else {
            (sc.price_multiple * 0.16, sc.vol_multiple * 0.10, 1.0)
        };
        let shocks = vec![
            Shock::SpotRelative {
                asset: Some(BTC),
                change: dp,
                dynamics: VolDynamics::StickyStrike,
            },
            Shock::Vol {
                asset: Some(BTC),
                adjustment: VolAdjustment::Parallel(dv),
            },
            Shock::roll_days(1.0),
        ];
        let loss = -w * b.pnl(&m, &shocks.apply(&m).unwrap(), BTC).unwrap().amount;
        assert!(
            (r.scenario_losses[s] - loss).abs() < 1e-12,
            "scenario {}",
            s + 1
        );
        worst = worst.max(loss);
    }
    assert!((r.scanning_risk - worst).abs() < 1e-12);
    let req = model.requirement(&b, &m, BTC).unwrap();
    assert!((req.initial - 1.1 * req.maintenance).abs() < 1e-15);
}

/// Linear in size, and an exact hedge leaves nothing.
#[test]
fn linear_and_exact_hedge() {
    let m = market();
    let model = SpanModel {
        params: SpanParams::new(0.16, 0.10).unwrap(),
        rates: SpanRates {
            intra_spread: 0.01,
            short_option_minimum: 0.001,
        },
        initial_factor: 1.0,
    };
    let one = model.margin(&book(), &m, BTC).unwrap().requirement;
    let mut big = Book::new();
    let mut hedged = book();
    for (_, p) in book().iter() {
        big.insert(Position::new(p.instrument, 7.0 * p.quantity, p.entry_price).unwrap());
        hedged.insert(Position::new(p.instrument, -p.quantity, p.entry_price).unwrap());
    }
    let seven = model.margin(&big, &m, BTC).unwrap().requirement;
    assert!((seven - 7.0 * one).abs() <= 1e-12 * seven);
    let h = model.margin(&hedged, &m, BTC).unwrap();
    assert!(h.scanning_risk.abs() < 1e-12 && h.intra_spread_charge.abs() < 1e-12);
    // the short option minimum counts gross short options, hedged or not: 3 short calls
    assert!(h.requirement <= one);
}

/// Composite-delta spread charge and short option minimum on arrays given by hand.
#[test]
fn spread_charge_and_short_option_minimum() {
    let zero = RiskArray::new([0.0; 16], 1.0).unwrap();
    let t1 = Some(Instant::EPOCH.plus_days(30.0).unwrap());
    let t2 = Some(Instant::EPOCH.plus_days(90.0).unwrap());
    let rates = SpanRates {
        intra_spread: 100.0,
        short_option_minimum: 50.0,
    };
    // +3 delta in one tier, −2 in the other: 2 spreads × 100
    let r = span_margin(
        &[
            SpanPosition {
                array: zero,
                quantity: 3.0,
                tier: t1,
                option: false,
            },
            SpanPosition {
                array: zero,
                quantity: -2.0,
                tier: t2,
                option: false,
            },
        ],
        &rates,
    )
    .unwrap();
    assert_eq!(r.intra_spread_charge, 200.0);
    assert_eq!(r.requirement, 200.0);
    // 5 short options at 50 each beat a zero scan
    let r = span_margin(
        &[SpanPosition {
            array: zero,
            quantity: -5.0,
            tier: t1,
            option: true,
        }],
        &SpanRates {
            intra_spread: 0.0,
            short_option_minimum: 50.0,
        },
    )
    .unwrap();
    assert_eq!(r.requirement, 250.0);
}

/// Typed errors: a negative scan range, an empty portfolio, an expired option.
#[test]
fn typed_errors() {
    assert_eq!(
        SpanParams::new(-0.1, 0.1).unwrap_err(),
        MarginError::NegativeScanRange {
            name: "price scan range",
            value: -0.1
        }
    );
    assert!(matches!(
        RiskArray::linear(-1.0, 2.0, 0.35),
        Err(MarginError::NegativeScanRange { .. })
    ));
    assert_eq!(
        span_margin(&[], &SpanRates::default()).unwrap_err(),
        MarginError::EmptyScenarioGrid {
            what: "SPAN portfolio"
        }
    );
    let model = SpanModel {
        params: SpanParams::new(0.16, 0.10).unwrap(),
        rates: SpanRates::default(),
        initial_factor: 1.0,
    };
    let late = market().rolled_to(Instant::EPOCH.plus_days(31.0).unwrap());
    assert!(matches!(
        model.margin(&book(), &late, BTC),
        Err(MarginError::ExpiredPosition { .. })
    ));
    assert!(RiskArray::new([f64::NAN; 16], 0.0).is_err());
}
