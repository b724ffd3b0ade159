//! Stress testing in a few lines: the crisis table computed from the committed daily closes and
//! lows (worst 1-, 3- and 7-day moves of BTC and ETH, worst intraday low), the Deribit surface
//! shock of 2026-02-05 against 2025-12-30, the stress P&L of a small illustrative book under the
//! library, and its reverse stress (how far BTC and ETH can fall before 50,000 USD of equity is
//! gone).
//!
//! ```text
//! cargo run --release --example stress
//! ```

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    historical_scenarios, reverse_stress_book, AssetHistory, CrisisWindow, ExpiryQuotes,
    ScenarioLibrary, StressDirection, StressScenario, SurfaceShock,
};
use derisk::vol::FlatVol;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const YAHOO: &str = include_str!("../tests/data/stress_yahoo_daily.csv");
const BINANCE: &str = include_str!("../tests/data/stress_binance_daily.csv");
const CALM: &str = include_str!("../tests/data/stress_chain_2025-12-30.csv");
const STRESSED: &str = include_str!("../tests/data/stress_chain_2026-02-05.csv");

fn rows(text: &str) -> Vec<Vec<&str>> {
    let body = text.lines().filter(|l| !l.starts_with('#')).skip(1);
    body.map(|l| l.split(',').collect()).collect()
}

/// (days, columns) of a daily CSV whose first column is an ISO date.
fn daily(text: &str) -> Res<(Vec<Instant>, Vec<Vec<f64>>)> {
    let r = rows(text);
    let mut days = Vec::new();
    for x in &r {
        days.push(format!("{}T00:00:00Z", x[0]).parse::<Instant>()?);
    }
    let mut cols = Vec::new();
    for c in 1..r[0].len() {
        cols.push(
            r.iter()
                .map(|x| x[c].parse())
                .collect::<Result<Vec<f64>, _>>()?,
        );
    }
    Ok((days, cols))
}

fn chain(text: &str) -> Res<Vec<ExpiryQuotes>> {
    let r = rows(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < r.len() {
        let j = (i..r.len())
            .find(|&j| r[j][0] != r[i][0])
            .unwrap_or(r.len());
        let strikes = r[i..j]
            .iter()
            .map(|x| x[3].parse())
            .collect::<Result<_, _>>()?;
        let vols = r[i..j]
            .iter()
            .map(|x| x[4].parse())
            .collect::<Result<_, _>>()?;
        out.push(ExpiryQuotes::new(
            r[i][1].parse()?,
            r[i][2].parse()?,
            strikes,
            vols,
        )?);
        i = j;
    }
    Ok(out)
}

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

    let surface = SurfaceShock::from_chains(
        &chain(CALM)?,
        &chain(STRESSED)?,
        &[7.0, 30.0, 90.0, 180.0],
        DayCount::Act365_25,
        0.05,
    )?;
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

    let btc = AssetHistory {
        asset: Currency::BTC,
        days: &ydays,
        closes: &ycols[0],
    };
    let eth = AssetHistory {
        asset: Currency::ETH,
        days: &ydays,
        closes: &ycols[1],
    };
    let mut lib = ScenarioLibrary::new();
    lib.extend(historical_scenarios(
        &CrisisWindow::crises(),
        &[btc, eth],
        &[1, 7],
    )?)?;
    lib.insert(StressScenario::new(
        "deribit-2026-02-05",
        "BTC at the stressed index with the measured ATM and skew shock",
        "tests/data/stress_chain_*.csv",
        vec![
            Shock::spot_relative(Currency::BTC, 63_709.0 / 88_530.0 - 1.0),
            surface.shock(Some(Currency::BTC), v)?,
        ],
    )?)?;
    println!(
        "\nstress P&L of the book (USD), value {:.0}",
        book.value(&m, Currency::USD)?.amount
    );
    for (name, pnl) in lib.run(&book, &m, Currency::USD)? {
        println!("{name:<30} {pnl:>12.0}");
    }

    let down = StressDirection {
        spot: vec![(Currency::BTC, -1.0), (Currency::ETH, -1.3)],
        vol_points: 0.5,
    };
    let r = reverse_stress_book(&book, &m, &down, 50_000.0, Currency::USD, 2.0, 100)?;
    println!(
        "\nreverse stress: 50,000 USD of equity is gone at BTC {}, ETH {}, vols +{:.0} points ({:?})",
        pct(-r.scale),
        pct(-1.3 * r.scale),
        50.0 * r.scale,
        r.termination
    );
    Ok(())
}
