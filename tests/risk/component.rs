//! Component (Euler) and incremental VaR/ES of a three-position BTC/ETH book under the last 500
//! daily moves of tests/data/btc_eth_daily_2019_2025.csv, against numpy
//! (tools/gen_risk_extra_reference.py, tests/data/risk_extra_reference.json), to 1e-12.

use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Shock};
use derisk::portfolio::{Book, Contract, Position};
use derisk::risk::{
    book_pnl, historical_component_es, historical_component_var, historical_es, incremental_risk,
    normal_component_var, position_pnl, QuantileMethod, RiskError, RiskMeasure, ValueAtRisk,
};

use super::common::{f, floats, rel};
use super::hull_white::extra;

const PRICES: &str = include_str!("../data/btc_eth_daily_2019_2025.csv");

fn closes(col: usize) -> Vec<f64> {
    PRICES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect()
}

/// 1 BTC, −0.5 BTC and 10 ETH at 100,000 and 4,000 USD; 500 joint daily moves.
fn matrix() -> (Vec<f64>, Vec<f64>) {
    let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[]).unwrap())
        .underlying(Currency::ETH, ForwardCurve::new(4_000.0, &[]).unwrap())
        .build()
        .unwrap();
    let mut book = Book::new();
    book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0).unwrap());
    book.insert(Position::new(Contract::spot(Currency::BTC), -0.5, 0.0).unwrap());
    book.insert(Position::new(Contract::spot(Currency::ETH), 10.0, 0.0).unwrap());
    let (b, e) = (closes(1), closes(2));
    let n = b.len();
    let shocks: Vec<Vec<Shock>> = (n - 501..n - 1)
        .map(|t| {
            vec![
                Shock::spot_relative(Currency::BTC, b[t + 1] / b[t] - 1.0),
                Shock::spot_relative(Currency::ETH, e[t + 1] / e[t] - 1.0),
            ]
        })
        .collect();
    let (ids, pnl) = position_pnl(&book, &m, &shocks, Currency::USD).unwrap();
    assert_eq!(ids.len(), 3);
    let total = book_pnl(&book, &m, &shocks, Currency::USD).unwrap();
    (pnl, total)
}

#[test]
fn matrix_rows_sum_to_book_pnl() {
    let (pnl, total) = matrix();
    for (s, row) in pnl.chunks_exact(3).enumerate() {
        let sum: f64 = row.iter().sum();
        assert!(
            (sum - total[s]).abs() <= 1e-9 * total[s].abs().max(1.0),
            "row {s}"
        );
    }
}

#[test]
fn historical_components_match_numpy() {
    let want = &extra()["component"];
    let (pnl, total) = matrix();
    let (mut order, mut out) = (Vec::new(), [0.0; 3]);
    let var = historical_component_var(&pnl, 3, 0.99, &mut order, &mut out).unwrap();
    for (g, w) in out.iter().zip(floats(&want["component_var_99"])) {
        rel(*g, w, 1e-12, "component var");
    }
    // Components sum to the total exactly: the total is their sum; and the total is the type-1
    // historical VaR of the book's P&L.
    assert_eq!(var, out.iter().sum::<f64>());
    let book = ValueAtRisk::historical(0.99)
        .unwrap()
        .with_quantile(QuantileMethod::InvertedCdf)
        .evaluate(&total)
        .unwrap();
    rel(
        var,
        book,
        1e-12,
        "component total vs type-1 VaR of book_pnl",
    );
    let es = historical_component_es(&pnl, 3, 0.975, &mut order, &mut out).unwrap();
    for (g, w) in out.iter().zip(floats(&want["component_es_975"])) {
        rel(*g, w, 1e-12, "component es");
    }
    rel(es, f(&want["es_975"]), 1e-12, "es total");
    rel(
        es,
        historical_es(&total, 0.975, &mut Vec::new()).unwrap(),
        1e-12,
        "es vs book",
    );
    let mut inc = [0.0; 3];
    let v = ValueAtRisk::historical(0.99).unwrap();
    let all = incremental_risk(&pnl, 3, &v, &mut Vec::new(), &mut inc).unwrap();
    rel(all, f(&want["var_99_type7"]), 1e-12, "var total");
    for (g, w) in inc.iter().zip(floats(&want["incremental_var_99"])) {
        rel(*g, w, 1e-12, "incremental var");
    }
}

#[test]
fn normal_components_match_numpy() {
    let want = &extra()["component"];
    let cov = floats(&want["covariance"]);
    let (mut v, mut e) = ([0.0; 2], [0.0; 2]);
    let (var, es) =
        normal_component_var(&[100_000.0, 40_000.0], &cov, 0.99, &mut v, &mut e).unwrap();
    rel(var, f(&want["normal_var_99"]), 1e-12, "normal var");
    for (g, w) in v.iter().zip(floats(&want["normal_component_var_99"])) {
        rel(*g, w, 1e-12, "normal component var");
    }
    for (g, w) in e.iter().zip(floats(&want["normal_component_es_99"])) {
        rel(*g, w, 1e-12, "normal component es");
    }
    rel(v[0] + v[1], var, 1e-14, "components sum to total");
    rel(e[0] + e[1], es, 1e-14, "es components sum to total");
}

#[test]
fn bad_input_is_typed() {
    let mut out = [0.0; 2];
    let mut order = Vec::new();
    assert!(matches!(
        historical_component_var(&[1.0, 2.0, 3.0], 2, 0.99, &mut order, &mut out),
        Err(RiskError::LengthMismatch { .. })
    ));
    assert!(matches!(
        historical_component_var(&[1.0, 2.0], 0, 0.99, &mut order, &mut out),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        historical_component_es(&[1.0, f64::NAN], 2, 0.99, &mut order, &mut out),
        Err(RiskError::NonFinite { .. })
    ));
    assert!(matches!(
        normal_component_var(
            &[0.0, 0.0],
            &[1.0, 0.0, 0.0, 1.0],
            0.99,
            &mut out,
            &mut [0.0; 2]
        ),
        Err(RiskError::Undefined { .. })
    ));
    assert!(matches!(
        normal_component_var(&[1.0], &[1.0], 1.0, &mut [0.0], &mut [0.0]),
        Err(RiskError::InvalidConfidence { .. })
    ));
}
