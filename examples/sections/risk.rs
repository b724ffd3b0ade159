//! Quickstart section: what the book can lose in a day. The book of the book section is revalued
//! in full under each of the last 500 daily BTC moves of the price history (relative moves of
//! spot and every forward, sticky strike, vols unchanged), and the 1-day 99 % VaR and ES of that
//! P&L are read by four estimators.

use std::error::Error;

use derisk::garch::GarchModel;
use derisk::market::Currency;
use derisk::risk::{
    acerbi_szekely_z2_statistic, book_pnl, log_returns, spot_shocks, Dof, Estimator,
    ExpectedShortfall, Overlap, RiskMeasure, ValueAtRisk, WalkForward, Window,
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
    backtests(&closes)
}

/// Were such forecasts any good? A walk-forward backtest of three 1-day models on the BTC
/// returns: GARCH(1,1)-t refitted every 21 days on a rolling 1,000-day window (warm-started),
/// historical simulation and RiskMetrics EWMA; exceptions, Kupiec, Christoffersen, the Basel zone
/// (99 %) and Acerbi–Székely's Z2 of the 97.5 % ES.
fn backtests(closes: &[f64]) -> Result<(), Box<dyn Error>> {
    let r = log_returns(closes)?;
    let wf = WalkForward::new(
        GarchModel::garch11_t(),
        21,
        Window::Rolling(1000),
        &[0.99, 0.975],
    )?;
    let rep = wf.run(&r)?;
    println!(
        "Backtest: {} one-day forecasts of each model, walked forward ({} GARCH refits)",
        rep.realised.len(),
        rep.refits.len()
    );
    println!(
        "{:<12} {:>11} {:>9} {:>9} {:>8} {:>7} {:>12}",
        "model", "exc. (99 %)", "expected", "Kupiec p", "indep. p", "zone", "Z2 (97.5 %)"
    );
    for (name, m) in [
        ("GARCH(1,1)-t", &rep.garch),
        ("historical", &rep.historical),
        ("EWMA", &rep.ewma),
    ] {
        let b = &m.backtests[0];
        let z2 = acerbi_szekely_z2_statistic(&rep.realised, &m.var[1], &m.es[1], 0.975)?;
        println!(
            "{:<12} {:>11} {:>9.1} {:>9.3} {:>8} {:>7} {:>+12.3}",
            name,
            b.exceptions,
            b.expected,
            b.kupiec.p_value,
            b.christoffersen
                .map_or_else(|| "undef.".to_string(), |t| format!("{:.3}", t.p_value)),
            format!("{:?}", b.traffic_light.zone),
            z2
        );
    }
    println!("  (Z2 < 0: losses beyond VaR larger than the ES forecast; its p-value needs simulation under each model: risk::acerbi_szekely_z2)\n");
    Ok(())
}
