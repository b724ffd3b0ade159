//! The main job: a risk report on a book of BTC options, from sample data that ships with the
//! crate (a real Deribit chain snapshot excerpt and an illustrative book; see
//! examples/data/README.md).
//!
//! ```text
//! cargo run --release --example quickstart [-- --prices FILE]
//! ```
//!
//! `--prices FILE` replaces the embedded BTC daily closes with your own CSV (a header row with a
//! date column and a close/price column, found by name) for the realised-volatility and GARCH
//! sections.

use derisk::prelude::*;

#[path = "sections/bank.rs"]
mod bank_section;
#[path = "sections/book.rs"]
mod book_section;
#[path = "sections/garch.rs"]
mod garch_section;
#[path = "sections/liquidation.rs"]
mod liquidation_section;
#[path = "sections/margin.rs"]
mod margin_section;
#[path = "sections/portfolio_margin.rs"]
mod portfolio_margin_section;
#[path = "sections/risk.rs"]
mod risk_section;
#[path = "sections/stress.rs"]
mod stress_section;
#[path = "sections/surface.rs"]
mod surface_section;

const CHAIN: &str = include_str!("data/btc_option_chain.csv");
const BOOK: &str = include_str!("data/btc_book.csv");
const PRICES: &str = include_str!("data/btc_daily_close.csv");

/// One quoted option of the chain (prices in BTC per option on 1 BTC).
struct Quote {
    instrument: String,
    expiry: String,
    years: f64,
    kind: OptionKind,
    strike: f64,
    forward: f64,
    index: f64,
    bid_coin: f64,
    ask_coin: f64,
    mark_coin: f64,
    /// Deribit's own mark IV, kept for comparison with ours.
    deribit_iv: f64,
    /// Implied from `mark_coin` by this crate; the book is priced off it.
    mark_iv: f64,
}

/// One line of the book.
struct Position {
    quote_index: usize,
    coin_settled: bool,
    quantity: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prices_override = parse_args()?;
    let mut chain = parse_chain(CHAIN)?;
    let book = parse_book(BOOK, &chain)?;
    let index = chain[0].index;

    println!("derisk quickstart — risk report");
    println!("snapshot: Deribit BTC options, 2025-12-30 17:31 UTC; BTC index {index:.2} USD");
    println!(
        "model: Black-76 on each expiry's forward, r = 0, volatility implied from each mark\n"
    );

    print_implied_vols(&mut chain)?;

    book_section::report(&chain, &book)?;
    risk_section::report(&chain, &book, prices_override.as_deref().unwrap_or(PRICES))?;
    let (stressed_book, _) = book_section::build_book(&chain, &book)?;
    let m = book_section::market_state(&chain)?;
    stress_section::report(&stressed_book, &m, &[Currency::BTC], 100_000.0)?;
    stress_section::heatmap(&stressed_book, &m)?;
    println!();
    let closes = garch_section::parse_prices(prices_override.as_deref().unwrap_or(PRICES))?.closes;
    bank_section::report(&stressed_book, &m, &closes)?;
    surface_section::report(&chain, &book)?;
    margin_section::print_margin(&chain, &book)?;
    liquidation_section::report(index)?;
    portfolio_margin_section::report(&chain, &book)?;
    print_realised_vol(prices_override.as_deref().unwrap_or(PRICES))?;
    garch_section::print_garch(prices_override.as_deref().unwrap_or(PRICES))?;
    Ok(())
}

/// Solves the implied volatility of every quote (bid, mark, ask, in BTC) and prints the
/// out-of-the-money side of each expiry next to Deribit's own mark IV.
fn print_implied_vols(chain: &mut [Quote]) -> Result<(), Box<dyn std::error::Error>> {
    println!("Implied volatility of the chain (quotes in BTC; out-of-the-money side shown)");
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>9}",
        "instrument", "bid BTC", "mark BTC", "ask BTC", "bid %", "mark %", "ask %", "Deribit %"
    );
    let mut worst_gap = 0.0_f64;
    for q in chain.iter_mut() {
        let option = EuropeanOption::new(q.kind, q.strike, q.years)?;
        let market = InverseBlack76::flat(q.forward, 0.0, 0.0)?;
        // A quote below intrinsic or at the bound has no implied volatility: show "—".
        let solve = |price: f64| {
            market
                .implied_vol(&option, price)
                .map(|iv| iv.volatility)
                .ok()
        };
        let (bid, ask) = (solve(q.bid_coin), solve(q.ask_coin));
        q.mark_iv = market.implied_vol(&option, q.mark_coin)?.volatility;
        worst_gap = worst_gap.max((q.mark_iv - q.deribit_iv).abs());
        let out_of_the_money = match q.kind {
            OptionKind::Call => q.strike >= q.forward,
            OptionKind::Put => q.strike < q.forward,
        };
        if out_of_the_money {
            let pct =
                |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{:.2}", v * 100.0));
            println!(
                "{:<22} {:>9.5} {:>9.5} {:>9.5} {:>7} {:>7.2} {:>7} {:>9.2}",
                q.instrument,
                q.bid_coin,
                q.mark_coin,
                q.ask_coin,
                pct(bid),
                q.mark_iv * 100.0,
                pct(ask),
                q.deribit_iv * 100.0
            );
        }
    }
    println!(
        "largest |our mark IV − Deribit's| over all {} quotes: {:.3} vol points\n",
        chain.len(),
        worst_gap * 100.0
    );
    Ok(())
}

/// Realised volatility of daily log returns, annualised with √365 (crypto trades every day).
fn print_realised_vol(csv: &str) -> Result<(), Box<dyn std::error::Error>> {
    let closes = garch_section::parse_prices(csv)?.closes;
    if closes.len() < 32 || closes.iter().any(|c| !(c.is_finite() && *c > 0.0)) {
        return Err("price file needs at least 32 positive closes".into());
    }
    let returns: Vec<f64> = closes.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    let realised = |n: usize| {
        let r = &returns[returns.len() - n..];
        let mean = r.iter().sum::<f64>() / n as f64;
        (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64 * 365.0).sqrt()
    };
    println!(
        "Realised volatility of the price history ({} closes)",
        closes.len()
    );
    for n in [30, 90, 365] {
        if returns.len() >= n {
            println!(
                "  last {n:>3} days  {:>6.1} % annualised (√365)",
                realised(n) * 100.0
            );
        }
    }
    Ok(())
}

fn parse_args() -> Result<Option<String>, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(None),
        (Some("--prices"), Some(path)) => Ok(Some(std::fs::read_to_string(path)?)),
        _ => Err("usage: quickstart [--prices FILE]".into()),
    }
}

fn parse_chain(csv: &str) -> Result<Vec<Quote>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 11 {
            return Err(format!("short chain row: {line}").into());
        }
        out.push(Quote {
            instrument: f[0].to_string(),
            expiry: f[1].to_string(),
            years: f[2].parse()?,
            kind: if f[3] == "call" {
                OptionKind::Call
            } else {
                OptionKind::Put
            },
            strike: f[4].parse()?,
            forward: f[5].parse()?,
            index: f[6].parse()?,
            bid_coin: f[7].parse()?,
            ask_coin: f[8].parse()?,
            mark_coin: f[9].parse()?,
            deribit_iv: f[10].parse()?,
            mark_iv: f64::NAN, // solved below
        });
    }
    Ok(out)
}

fn parse_book(csv: &str, chain: &[Quote]) -> Result<Vec<Position>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let quote_index = chain
            .iter()
            .position(|q| q.instrument == f[0])
            .ok_or_else(|| format!("book instrument {} is not in the chain", f[0]))?;
        out.push(Position {
            quote_index,
            coin_settled: f[1] == "inverse",
            quantity: f[2].parse()?,
        });
    }
    Ok(out)
}
