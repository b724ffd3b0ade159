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

/// Prints the stress P&L of `book` under the library (ranked, worst first, in USD and BTC) and
/// its reverse stress to `loss` (USD).
pub fn report<I: derisk::portfolio::Instrument + Sync>(
    book: &Book<I>,
    m: &MarketState,
    assets: &[Currency],
    loss: f64,
) -> Res<()> {
    let lib = library(assets, m.valuation())?;
    println!(
        "Stress: the book's P&L under {} scenarios from real crises (full revaluation, worst first)",
        lib.len()
    );
    let mut usd = lib.run(book, m, Currency::USD)?;
    let btc = lib.run(book, m, Currency::BTC)?;
    let in_btc = |name: &str| {
        btc.iter()
            .find(|(n, _)| n == name)
            .map_or(f64::NAN, |x| x.1)
    };
    usd.sort_by(|a, b| a.1.total_cmp(&b.1));
    println!("  {:<30} {:>14} {:>12}", "scenario", "USD", "BTC");
    for (name, pnl) in &usd {
        println!("  {name:<30} {pnl:>14.0} {:>12.3}", in_btc(name));
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
            "  reverse stress: a loss of {loss:.0} USD is reached at BTC {:+.1} % with vols +{:.0} points ({:?})",
            100.0 * (-r.scale).exp_m1(),
            50.0 * r.scale,
            r.termination
        ),
        Err(e) => println!("  reverse stress: {e}"),
    }
    Ok(())
}

/// The book's P&L over a spot × vol grid (BTC −40 %…+40 %, vols −20…+40 points, full
/// revaluation, sticky strike), written as an SVG heatmap under target/; returns its path.
pub fn heatmap<I: derisk::portfolio::Instrument + Sync>(
    book: &Book<I>,
    m: &MarketState,
) -> Res<std::path::PathBuf> {
    use plotters::prelude::*;
    let spot: Vec<f64> = (0..=16).map(|i| -0.4 + 0.05 * f64::from(i)).collect();
    let vol: Vec<f64> = (0..=12).map(|j| -0.2 + 0.05 * f64::from(j)).collect();
    let grid = derisk::risk::spot_vol_grid(
        book,
        m,
        Some(Currency::BTC),
        &spot,
        &vol,
        derisk::market::VolDynamics::StickyStrike,
        Currency::USD,
    )?;
    let worst = grid.pnl.iter().cloned().fold(0.0f64, |a, x| a.max(x.abs()));
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("quickstart_stress_heatmap.svg");
    let out = path.clone();
    let root = SVGBackend::new(&path, (900, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Book P&L (USD) over BTC spot × vol moves, full revaluation",
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-42.5..42.5, -22.5..42.5)?;
    chart
        .configure_mesh()
        .x_desc("BTC move %")
        .y_desc("vol move (points)")
        .draw()?;
    chart.draw_series(spot.iter().enumerate().flat_map(|(i, &s)| {
        let grid = &grid;
        vol.iter().enumerate().map(move |(j, &v)| {
            let pnl = grid.get(i, j).unwrap_or(0.0);
            let x = (pnl / worst.max(1.0)).clamp(-1.0, 1.0);
            // red for losses, green for gains, white at zero
            let shade = |a: f64| (255.0 * (1.0 - a.abs())) as u8;
            let color = if x < 0.0 {
                RGBColor(255, shade(x), shade(x))
            } else {
                RGBColor(shade(x), 255, shade(x))
            };
            let (x0, y0) = (100.0 * s - 2.5, 100.0 * v - 2.5);
            Rectangle::new([(x0, y0), (x0 + 5.0, y0 + 5.0)], color.filled())
        })
    }))?;
    root.present()?;
    let (i, j) = (0..spot.len())
        .flat_map(|i| (0..vol.len()).map(move |j| (i, j)))
        .min_by(|a, b| {
            let pa = grid.get(a.0, a.1).unwrap_or(0.0);
            let pb = grid.get(b.0, b.1).unwrap_or(0.0);
            pa.total_cmp(&pb)
        })
        .unwrap_or((0, 0));
    println!(
        "  spot × vol grid ({} × {} cells): worst {:.0} USD at BTC {:+.0} %, vols {:+.0} points; heatmap: {}",
        spot.len(),
        vol.len(),
        grid.get(i, j).unwrap_or(0.0),
        100.0 * spot[i],
        100.0 * vol[j],
        out.display()
    );
    Ok(out)
}
