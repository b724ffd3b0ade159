//! Historical P&L of a book by full revaluation (`Book::revalue_many`), then its VaR/ES.

use super::common::{f, prices, reference, rel};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    book_pnl, spot_shocks, ExpectedShortfall, Overlap, RiskError, RiskMeasure, ValueAtRisk,
};
use derisk::vol::FlatVol;

fn market(spot: f64) -> MarketState {
    MarketState::builder(
        Instant::from_date_hour(2026, 1, 1, 8).unwrap(),
        DayCount::Act365Fixed,
    )
    .underlying(Currency::BTC, ForwardCurve::new(spot, &[]).unwrap())
    .vol_surface(Currency::BTC, FlatVol::new(0.55).unwrap())
    .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
    .discount_curve(Currency::USDC, DiscountCurve::flat(0.04).unwrap())
    .fx_rate(Currency::USDC, 1.0)
    .build()
    .unwrap()
}

/// 2.5 BTC held at a spot of 100,000 USD under the last 500 daily BTC moves (2020-09-11 ..
/// 2022-01-24): P&L = 2.5 · 100,000 · (P_{t+1}/P_t − 1) and its 99 % historical VaR (type 7) and
/// ES (Acerbi–Tasche) against mpmath (tools/gen_risk_reference.py, section "book").
#[test]
fn linear_book_against_reference() {
    let r = &reference()["book"];
    let p = prices();
    let hist = &p[p.len() - 501..];
    let shocks = spot_shocks(Currency::BTC, hist, 1, Overlap::Overlapping).unwrap();
    assert_eq!(shocks.len(), 500);
    let mut book = Book::new();
    book.insert(Position::new(Contract::spot(Currency::BTC), 2.5, 95_000.0).unwrap());
    let pnl = book_pnl(&book, &market(100_000.0), &shocks, Currency::USD).unwrap();
    rel(pnl[0], f(&r["pnl_first"]), 1e-12, "first day");
    rel(pnl[499], f(&r["pnl_last"]), 1e-12, "last day");
    let var = ValueAtRisk::historical(0.99)
        .unwrap()
        .evaluate(&pnl)
        .unwrap();
    let es = ExpectedShortfall::historical(0.99)
        .unwrap()
        .evaluate(&pnl)
        .unwrap();
    rel(var, f(&r["hist_var_99"]), 1e-12, "book 99 % VaR");
    rel(es, f(&r["hist_es_99"]), 1e-12, "book 99 % ES");
}

/// An option book: `book_pnl` is the book's own full revaluation, so each P&L equals
/// `Book::pnl` between the base and the shocked state (no separate pricing path).
#[test]
fn option_book_is_full_revaluation() {
    let m = market(90_000.0);
    let expiry = Instant::from_date_hour(2026, 3, 27, 8).unwrap();
    let mut book = Book::new();
    let usdc = Settlement::Linear(Currency::USDC);
    for (kind, strike, q, s) in [
        (OptionKind::Call, 100_000.0, -3.0, Settlement::Inverse),
        (OptionKind::Put, 80_000.0, 5.0, usdc),
        (OptionKind::Put, 70_000.0, -2.0, Settlement::Inverse),
    ] {
        let c = Contract::option(Currency::BTC, kind, strike, expiry, s, 1.0).unwrap();
        book.insert(Position::new(c, q, 0.0).unwrap());
    }
    let p = prices();
    let shocks = spot_shocks(Currency::BTC, &p[p.len() - 251..], 1, Overlap::Overlapping).unwrap();
    let pnl = book_pnl(&book, &m, &shocks, Currency::USD).unwrap();
    for (i, s) in shocks.iter().enumerate().step_by(25) {
        let shocked = derisk::market::Scenario::apply(s, &m).unwrap();
        let want = book.pnl(&m, &shocked, Currency::USD).unwrap().amount;
        assert_eq!(pnl[i], want, "scenario {i}");
    }
    // A 10-day overlapping history gives 241 scenarios; VaR of a short-vol book is positive.
    let ten = spot_shocks(Currency::BTC, &p[p.len() - 251..], 10, Overlap::Overlapping).unwrap();
    assert_eq!(ten.len(), 241);
    let var10 = ValueAtRisk::historical(0.99)
        .unwrap()
        .evaluate(&book_pnl(&book, &m, &ten, Currency::USD).unwrap())
        .unwrap();
    assert!(var10 > 0.0 && var10.is_finite());
}

#[test]
fn a_scenario_that_does_not_apply_is_reported_by_index() {
    let m = market(90_000.0);
    let mut book = Book::new();
    book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0).unwrap());
    let shocks = [
        Shock::spot_relative(Currency::BTC, 0.1),
        Shock::spot_relative(Currency::ETH, 0.1),
    ];
    assert!(matches!(
        book_pnl(&book, &m, &shocks, Currency::USD),
        Err(RiskError::Scenario { index: 1, .. })
    ));
    assert!(matches!(
        book_pnl(&book, &m, &shocks[..1], Currency::ETH),
        Err(RiskError::Portfolio(_))
    ));
}
