//! Stress testing in a few lines: the crisis table computed from the committed daily closes and
//! lows (worst 1-, 3- and 7-day moves of BTC and ETH, worst intraday low), the Deribit surface
//! shock of 2026-02-05 against 2025-12-30, the stress P&L of a small illustrative book under the
//! library, and its reverse stress (how far BTC and ETH can fall before 50,000 USD of equity is
//! gone).
//!
//! ```text
//! cargo run --release --example stress
//! ```

use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::CrisisWindow;
use derisk::vol::FlatVol;

#[path = "sections/stress.rs"]
mod stress_section;

use stress_section::{daily, YAHOO};

const BINANCE: &str = include_str!("../tests/data/stress_binance_daily.csv");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn pct(log_move: f64) -> String {
    format!("{:+6.1} %", 100.0 * log_move.exp_m1())
}

fn main() -> Res<()> {
    let (ydays, ycols) = daily(YAHOO)?;
    let (bdays, bcols) = daily(BINANCE)?;
    println!("crisis                     asset   1 day    3 days   7 days  intraday low");
    for w in CrisisWindow::crises() {
        for (asset, yc, bc, bl) in [("BTC", 0, 3, 2), ("ETH", 1, 7, 6)] {
            let mut line = format!("{:<26} {asset}  ", w.name);
            for h in [1, 3, 7] {
                line += &pct(w.worst_close_move(&ydays, &ycols[yc], h)?.log_move);
            }
            let low = w.worst_intraday_move(&bdays, &bcols[bc], &bcols[bl])?;
            println!("{line} {}", pct(low.log_move));
        }
    }

    let surface = stress_section::surface_shock()?;
    println!("\nDeribit BTC surface, 2025-12-30 -> 2026-02-05 (ATM vol, skew dσ/dk)");
    for (c, s) in surface.calm.iter().zip(&surface.stressed) {
        println!(
            "{:>4} days  ATM {:5.1} % -> {:5.1} %   skew {:+.2} -> {:+.2}",
            c.days,
            100.0 * c.atm_vol,
            100.0 * s.atm_vol,
            c.skew,
            s.skew
        );
    }

    // An illustrative book: 2 BTC, short 5 BTC puts (80,000, 30 days), short 30 ETH puts.
    let v: Instant = "2025-12-30T17:31:15Z".parse()?;
    let m = MarketState::builder(v, DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(88_530.0, &[])?)
        .underlying(Currency::ETH, ForwardCurve::new(2_970.0, &[])?)
        .vol_surface(Currency::BTC, FlatVol::new(0.45)?)
        .vol_surface(Currency::ETH, FlatVol::new(0.62)?)
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
        .discount_curve(Currency::ETH, DiscountCurve::flat(0.0)?)
        .build()?;
    let mut book = Book::new();
    let put = |u, k, d: f64| {
        Contract::option(
            u,
            OptionKind::Put,
            k,
            v.plus_days(d)?,
            Settlement::Inverse,
            1.0,
        )
        .map_err(derisk::Error::from)
    };
    book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 0.0)?);
    book.insert(Position::new(
        put(Currency::BTC, 80_000.0, 30.0)?,
        -5.0,
        0.0,
    )?);
    book.insert(Position::new(
        put(Currency::ETH, 2_500.0, 30.0)?,
        -30.0,
        0.0,
    )?);

    println!(
        "\nillustrative book: 2 BTC, short 5 BTC puts (80,000, 30 days), short 30 ETH puts; value {:.0} USD",
        book.value(&m, Currency::USD)?.amount
    );
    stress_section::report(&book, &m, &[Currency::BTC, Currency::ETH], 50_000.0)?;
    stress_section::heatmap(&book, &m)?;
    Ok(())
}
