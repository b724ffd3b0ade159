//! Stress section (shared by the quickstart and examples/stress.rs): the crisis library computed
//! from the committed daily closes (tests/data/stress_*.csv, provenance in
//! tests/data/stress_README.md), the Deribit surface shock of 2026-02-05 against 2025-12-30 (ATM
//! and skew by expiry), the stress P&L of a book under each scenario by full revaluation, and the
//! reverse stress: how far BTC (and ETH) can fall, vols rising, before a given loss.

use std::error::Error;

use derisk::market::{Currency, DayCount, Instant, MarketState, Shock};
use derisk::portfolio::Book;
use derisk::risk::{
    historical_scenarios, reverse_stress_book, AssetHistory, CrisisWindow, ExpiryQuotes,
    ScenarioLibrary, StressDirection, StressScenario, SurfaceShock,
};

type Res<T> = Result<T, Box<dyn Error>>;

pub const YAHOO: &str = include_str!("../../tests/data/stress_yahoo_daily.csv");
const CALM: &str = include_str!("../../tests/data/stress_chain_2025-12-30.csv");
const STRESSED: &str = include_str!("../../tests/data/stress_chain_2026-02-05.csv");
/// The BTC index of the stressed chain (2026-02-05 21:29 UTC).
const STRESSED_INDEX: f64 = 63_709.0;

fn rows(text: &str) -> Vec<Vec<&str>> {
    let body = text.lines().filter(|l| !l.starts_with('#')).skip(1);
    body.map(|l| l.split(',').collect()).collect()
}

/// (days, columns) of a daily CSV whose first column is an ISO date.
pub fn daily(text: &str) -> Res<(Vec<Instant>, Vec<Vec<f64>>)> {
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

/// The Deribit surface shock, 2025-12-30 → 2026-02-05, at 7, 30, 90 and 180 days.
pub fn surface_shock() -> Res<SurfaceShock> {
    Ok(SurfaceShock::from_chains(
        &chain(CALM)?,
        &chain(STRESSED)?,
        &[7.0, 30.0, 90.0, 180.0],
        DayCount::Act365_25,
        0.05,
    )?)
}

/// The scenario library for the `assets` (BTC, ETH or both): each crisis's worst 1- and 7-day
/// moves, and the Deribit 2026-02-05 day (BTC at the stressed index with the surface shock).
pub fn library(assets: &[Currency], valuation: Instant) -> Res<ScenarioLibrary> {
    let (days, cols) = daily(YAHOO)?;
    let histories: Vec<AssetHistory> = assets
        .iter()
        .map(|&a| AssetHistory {
            asset: a,
            days: &days,
            closes: &cols[usize::from(a == Currency::ETH)],
        })
        .collect();
    let mut lib = ScenarioLibrary::new();
    lib.extend(historical_scenarios(
        &CrisisWindow::crises(),
        &histories,
        &[1, 7],
    )?)?;
    let shock = surface_shock()?;
    lib.insert(StressScenario::new(
        "deribit-2026-02-05",
        "BTC at the stressed index with the measured ATM and skew shock",
        "tests/data/stress_chain_*.csv",
        vec![
            Shock::spot_relative(Currency::BTC, STRESSED_INDEX / 88_530.0 - 1.0),
            shock.shock(Some(Currency::BTC), valuation)?,
        ],
    )?)?;
    Ok(lib)
}

/// Prints the stress P&L of `book` under the library and its reverse stress to `loss` (USD).
pub fn report<I: derisk::portfolio::Instrument>(
    book: &Book<I>,
    m: &MarketState,
    assets: &[Currency],
    loss: f64,
) -> Res<()> {
    let lib = library(assets, m.valuation())?;
    println!(
        "Stress: the book's P&L (USD, full revaluation) under {} scenarios from real crises",
        lib.len()
    );
    let results = lib.run(book, m, Currency::USD)?;
    for (name, pnl) in &results {
        println!("  {name:<30} {pnl:>14.0}");
    }
    let mut spot: Vec<(Currency, f64)> = vec![(Currency::BTC, -1.0)];
    if assets.contains(&Currency::ETH) {
        spot.push((Currency::ETH, -1.3));
    }
    let down = StressDirection {
        spot,
        vol_points: 0.5,
    };
    match reverse_stress_book(book, m, &down, loss, Currency::USD, 0.99, 200) {
        Ok(r) => println!(
            "  reverse stress: a loss of {loss:.0} USD is reached at BTC {:+.1} % with vols +{:.0} points ({:?})\n",
            100.0 * (-r.scale).exp_m1(),
            50.0 * r.scale,
            r.termination
        ),
        Err(e) => println!("  reverse stress: {e}\n"),
    }
    Ok(())
}
