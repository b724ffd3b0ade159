//! Delta-gamma against full revaluation on the same scenarios, and the parametric
//! delta-gamma-normal and Cornish–Fisher VaR against moments integrated numerically by scipy
//! (tools/gen_risk_extra_reference.py, tests/data/risk_extra_reference.json).

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Scenario, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    delta_gamma_moments, delta_gamma_pnl, delta_gamma_var, revaluation_comparison, RiskError,
};
use derisk::vol::FlatVol;

use super::common::{f, rel};
use super::hull_white::extra;

fn market() -> MarketState {
    MarketState::builder(
        Instant::from_date_hour(2026, 1, 1, 8).unwrap(),
        DayCount::Act365Fixed,
    )
    .underlying(Currency::BTC, ForwardCurve::new(90_000.0, &[]).unwrap())
    .vol_surface(Currency::BTC, FlatVol::new(0.55).unwrap())
    .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
    .discount_curve(Currency::USDC, DiscountCurve::flat(0.0).unwrap())
    .fx_rate(Currency::USDC, 1.0)
    .build()
    .unwrap()
}

fn option_book() -> Book {
    let expiry = Instant::from_date_hour(2026, 3, 27, 8).unwrap();
    let usdc = Settlement::Linear(Currency::USDC);
    let mut book = Book::new();
    for (kind, strike, q) in [
        (OptionKind::Call, 100_000.0, -3.0),
        (OptionKind::Put, 80_000.0, 5.0),
    ] {
        let c = Contract::option(Currency::BTC, kind, strike, expiry, usdc, 1.0).unwrap();
        book.insert(Position::new(c, q, 0.0).unwrap());
    }
    book
}

fn shocks(moves: &[f64]) -> Vec<Shock> {
    moves
        .iter()
        .map(|&c| Shock::spot_relative(Currency::BTC, c))
        .collect()
}

/// delta_gamma_pnl is Book::approximate_pnl scenario by scenario (no second Taylor path).
#[test]
fn delta_gamma_pnl_is_the_books_expansion() {
    let (m, book) = (market(), option_book());
    let s = shocks(&[-0.1, -0.02, 0.0, 0.03, 0.12]);
    let got = delta_gamma_pnl(&book, &m, &s, Currency::USD).unwrap();
    let risks = book.risk(&m).unwrap();
    for (i, sc) in s.iter().enumerate() {
        let shocked = sc.apply(&m).unwrap();
        let want = book
            .approximate_pnl(&risks, &m, &shocked, Currency::USD)
            .unwrap()
            .amount;
        assert_eq!(got[i], want);
    }
}

/// Small moves: the expansion error is third order, ≤ |speed|/6·dS³ (here ~1e-3 of the P&L at
/// 0.5 %); large moves show the gap the comparison reports.
#[test]
fn comparison_side_by_side() {
    let (m, book) = (market(), option_book());
    let small: Vec<f64> = (-10..=10).map(|i| i as f64 * 0.0005).collect();
    let (_, full, approx) =
        revaluation_comparison(&book, &m, &shocks(&small), Currency::USD, 0.9).unwrap();
    for (a, b) in full.iter().zip(&approx) {
        assert!((a - b).abs() <= 2e-3 * a.abs().max(1.0), "{a} vs {b}");
    }
    let big: Vec<f64> = (-20..=20).map(|i| i as f64 * 0.01).collect();
    let (c, full, approx) =
        revaluation_comparison(&book, &m, &shocks(&big), Currency::USD, 0.95).unwrap();
    assert!(c.full_var > 0.0 && c.delta_gamma_var > 0.0);
    assert_eq!(c.var_difference(), c.delta_gamma_var - c.full_var);
    let mut sc = Vec::new();
    assert_eq!(
        c.full_es,
        derisk::risk::historical_es(&full, 0.95, &mut sc).unwrap()
    );
    assert_eq!(
        c.delta_gamma_es,
        derisk::risk::historical_es(&approx, 0.95, &mut sc).unwrap()
    );
}

/// Moments of a Z + b Z² and the two parametric VaRs against scipy's numerical integration
/// (quad at epsrel 1e-13): 1e-10 relative.
#[test]
fn parametric_against_scipy_quadrature() {
    let want = extra();
    for w in want["delta_gamma"].as_array().unwrap() {
        let (d, g, s, v) = (
            f(&w["delta"]),
            f(&w["gamma"]),
            f(&w["spot"]),
            f(&w["sigma"]),
        );
        let m = delta_gamma_moments(d, g, s, v).unwrap();
        rel(m.mean, f(&w["mean"]), 1e-10, "mean");
        rel(m.std_dev, f(&w["std_dev"]), 1e-10, "sd");
        rel(m.skewness, f(&w["skewness"]), 1e-10, "skewness");
        rel(
            m.excess_kurtosis,
            f(&w["excess_kurtosis"]),
            1e-10,
            "kurtosis",
        );
        let var = delta_gamma_var(d, g, s, v, 0.99).unwrap();
        rel(
            var.delta_gamma_normal,
            f(&w["delta_gamma_normal_99"]),
            1e-10,
            "dg normal",
        );
        rel(
            var.cornish_fisher,
            f(&w["cornish_fisher_99"]),
            1e-10,
            "cornish-fisher",
        );
    }
}

#[test]
fn bad_input_is_typed() {
    assert!(matches!(
        delta_gamma_moments(0.0, 0.0, 100.0, 0.02),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(
        delta_gamma_moments(1.0, 0.0, -100.0, 0.02),
        Err(RiskError::InvalidParameter { name: "spot", .. })
    ));
    assert!(matches!(
        delta_gamma_moments(f64::NAN, 0.0, 100.0, 0.02),
        Err(RiskError::NonFinite { .. })
    ));
    assert!(matches!(
        delta_gamma_var(1.0, 0.0, 100.0, 0.02, 0.0),
        Err(RiskError::InvalidConfidence { .. })
    ));
    let empty: Vec<Shock> = Vec::new();
    assert!(matches!(
        revaluation_comparison(&option_book(), &market(), &empty, Currency::USD, 0.99),
        Err(RiskError::TooShort { .. })
    ));
}
