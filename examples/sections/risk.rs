//! Quickstart section: what the book can lose in a day. The book of the book section is revalued
//! in full under each of the last 500 daily BTC moves of the price history (relative moves of
//! spot and every forward, sticky strike, vols unchanged), and the 1-day 99 % VaR and ES of that
//! P&L are read by four estimators.

use std::error::Error;

use derisk::market::Currency;
use derisk::risk::{
    book_pnl, spot_shocks, Dof, Estimator, ExpectedShortfall, Overlap, RiskMeasure, ValueAtRisk,
};

use super::book_section::{build_book, market_state};
use super::{Position, Quote};

/// Prints the risk section from the chain, the book and a CSV of daily closes.
pub fn report(
    chain: &[Quote],
    positions: &[Position],
    prices_csv: &str,
) -> Result<(), Box<dyn Error>> {
    let closes = super::garch_section::parse_prices(prices_csv)?.closes;
    let window = &closes[closes.len().saturating_sub(501)..];
    let shocks = spot_shocks(Currency::BTC, window, 1, Overlap::Overlapping)?;
    let m = market_state(chain)?;
    let (book, _) = build_book(chain, positions)?;
    let pnl = book_pnl(&book, &m, &shocks, Currency::USD)?;
    println!(
        "What the book can lose in a day: full revaluation under the last {} daily BTC moves of the price history",
        pnl.len()
    );
    println!(
        "{:<28} {:>14} {:>14}",
        "estimator (99 %, 1 day)", "VaR USD", "ES USD"
    );
    for (name, estimator) in [
        ("historical", Estimator::Historical),
        ("normal", Estimator::Normal),
        (
            "Student-t (ν by moments)",
            Estimator::StudentT(Dof::Moments),
        ),
        ("Cornish–Fisher", Estimator::CornishFisher),
    ] {
        let var = ValueAtRisk::new(0.99, estimator)?.evaluate(&pnl);
        let es = ExpectedShortfall::new(0.99, estimator)?.evaluate(&pnl);
        let show = |r: Result<f64, derisk::risk::RiskError>| {
            r.map_or_else(|e| format!("({e})"), |v| format!("{v:.0}"))
        };
        println!("{name:<28} {:>14} {:>14}", show(var), show(es));
    }
    let worst = pnl.iter().copied().fold(f64::INFINITY, f64::min);
    println!("worst day in the window: {worst:.0} USD (losses are positive in VaR and ES)\n");
    Ok(())
}
