//! Quickstart section: the book seen by a bank's risk team. Its 1-day 99 % VaR (historical, the
//! last 500 daily BTC moves, full revaluation) plus the cost of getting out of its net BTC delta
//! through the embedded order book (liquidity-adjusted VaR, endogenous term); and the Basel
//! cryptoasset capital (BCBS SCO60) of the book's delta-equivalent exposure if BTC is a Group 2b
//! asset: 1,250 % of the larger of the gross long and gross short.

use std::error::Error;

use derisk::market::{Currency, MarketState, Side};
use derisk::portfolio::{Book, Contract};
use derisk::risk::capital::{group2b_rwa, Group2Exposure};
use derisk::risk::{
    book_pnl, endogenous_lvar_book, spot_shocks, Overlap, RiskMeasure, ValueAtRisk,
};

/// Prints the bank's view of `book` in `m`, with the BTC daily `closes` for the VaR.
pub fn report(
    book: &Book<Contract>,
    m: &MarketState,
    closes: &[f64],
) -> Result<(), Box<dyn Error>> {
    let window = &closes[closes.len().saturating_sub(501)..];
    let shocks = spot_shocks(Currency::BTC, window, 1, Overlap::Overlapping)?;
    let pnl = book_pnl(book, m, &shocks, Currency::USD)?;
    let var = ValueAtRisk::historical(0.99)?.evaluate(&pnl)?;
    // delta-equivalent exposure in USD per position (sticky strike, USD view)
    let (mut long, mut short, mut delta) = (0.0, 0.0, 0.0);
    for r in book.risk(m)? {
        if r.underlying == Some(Currency::BTC) {
            let cash = r.sensitivity.delta * r.spot;
            delta += r.sensitivity.delta;
            if cash > 0.0 {
                long += cash;
            } else {
                short -= cash;
            }
        }
    }
    let lob = super::liquidation_section::order_book()?;
    // closing a net short delta buys, a net long one sells (at the snapshot's own prices)
    let side = if delta > 0.0 { Side::Sell } else { Side::Buy };
    let lvar = endogenous_lvar_book(var, &lob, side, delta.abs());
    let rwa = group2b_rwa(&Group2Exposure::new(long, short)?);
    println!("The book seen by a bank (1-day 99 %, USD)");
    println!("  historical VaR {var:.0}; net BTC delta {delta:+.3} BTC (gross long {long:.0}, gross short {short:.0} USD delta-equivalent)");
    match lvar {
        Ok(l) => println!(
            "  liquidity-adjusted VaR {:.0} = VaR + {:.0} to close the net delta through the Hyperliquid book of 2025-01-26 (endogenous term)",
            l.lvar, l.liquidity_cost
        ),
        Err(e) => println!("  liquidity-adjusted VaR: {e} (the embedded book is too thin for this delta)"),
    }
    println!(
        "  Basel cryptoasset capital (SCO60, Group 2b): RWA = 1,250 % × max(long, short) = {rwa:.0} USD, capital at 8 % = {:.0} USD\n",
        0.08 * rwa
    );
    Ok(())
}
