//! A volatility surface from a real chain: every expiry of the Deribit BTC snapshot of
//! 2025-12-30 (examples/data/deribit_btc_chain_2025-12-30.csv) turned into out-of-the-money
//! implied vols from bid/ask prices, an SVI smile fitted per expiry, and the ATM vol, 25-delta
//! risk reversal and butterfly of each, with how each fit ended.
//!
//! ```text
//! cargo run --release --example surface
//! ```

use derisk::market::{DayCount, Instant};
use derisk::pricing::OptionKind;
use derisk::vol::{
    smile_summary, Calibrate, CalibrationOptions, PriceQuote, SliceQuotes, Svi, Weighting,
};

const CHAIN: &str = include_str!("data/deribit_btc_chain_2025-12-30.csv");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let snapshot: Instant = "2025-12-30T17:31:15.944181Z".parse()?;
    // instrument,expiry,kind,strike,forward,index,bid,ask,mark,mark_iv
    let rows: Vec<Vec<&str>> = CHAIN
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let mut expiries: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    expiries.dedup();
    println!(
        "{:<22} {:>4} {:>8} {:>7} {:>7} {:>7} {:>7}  termination",
        "expiry", "n", "τ", "ATM %", "RR25", "BF25", "rmse"
    );
    for expiry in expiries {
        let e: Instant = expiry.parse()?;
        let tau = DayCount::Act365_25.year_fraction(snapshot, e);
        let slice: Vec<&Vec<&str>> = rows.iter().filter(|r| r[1] == expiry).collect();
        let forward: f64 = slice[0][4].parse()?;
        // Two-sided out-of-the-money quotes, coin prices × F = USD prices (r = 0 on Deribit).
        let quotes: Vec<PriceQuote> = slice
            .iter()
            .filter_map(|r| {
                let (bid, ask) = (r[6].parse::<f64>().ok()?, r[7].parse::<f64>().ok()?);
                let strike = r[3].parse::<f64>().ok()?;
                let kind = if r[2] == "call" {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                };
                let quote = PriceQuote {
                    kind,
                    strike,
                    bid: bid * forward,
                    ask: ask * forward,
                };
                // Out of the money only: in-the-money quotes carry the spread of the intrinsic.
                let otm = (kind == OptionKind::Call) == (strike >= forward);
                (bid > 0.0 && otm).then_some(quote)
            })
            .collect();
        let fit = SliceQuotes::from_prices(tau, forward, 1.0, &quotes, Weighting::InverseSpread)
            .and_then(|q| Svi::calibrate(&q, &CalibrationOptions::default()));
        let fit = match fit {
            Ok(fit) => fit,
            Err(e) => {
                println!("{expiry:<22} {:>4} {tau:>8.4}  no fit: {e}", quotes.len());
                continue;
            }
        };
        let d = &fit.diagnostics;
        if let Some(s) = smile_summary(&fit.model, tau) {
            println!(
                "{:<22} {:>4} {:>8.4} {:>7.2} {:>7.2} {:>7.2} {:>7.2}  {:?}",
                expiry,
                quotes.len(),
                tau,
                s.atm_vol * 100.0,
                s.rr25 * 100.0,
                s.bf25 * 100.0,
                d.rmse_vol_points,
                d.termination
            );
        }
    }
    Ok(())
}
