//! Quickstart section: the fitted volatility surface. Calibrates an SVI slice surface and an
//! SSVI surface to the chain (mid-price implied vols, out-of-the-money side, weights from the
//! bid–ask spread), prints per expiry the parameters, fit error, ATM vol, 25-delta risk
//! reversal and butterfly and the arbitrage verdict, prices the book off the fitted surface, and
//! writes an SVG of the smiles (quotes vs fits) under target/.

use std::error::Error;
use std::path::PathBuf;

use derisk::prelude::*;
use derisk::vol::{
    check_butterfly, check_calendar, lee_wing_slopes, smile_summary, Calibrate, CalibrationOptions,
    PriceQuote, SliceQuotes, SliceSurface, Ssvi, SsviPhi, Svi, Weighting,
};
use plotters::prelude::*;

use super::{Position, Quote};

/// Every two-sided BTC option of the quickstart's four expiries with |ln(K/F)| ≤ 0.7, from the
/// same Deribit snapshot (examples/data/README.md).
const FULL_CHAIN: &str = include_str!("../data/btc_chain_full.csv");

/// (expiry label, years, kind, strike, forward, bid coin, ask coin).
type FullRow = (String, f64, OptionKind, f64, f64, f64, f64);

fn parse_full_chain(csv: &str) -> Result<Vec<FullRow>, Box<dyn Error>> {
    let mut out = Vec::new();
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 10 {
            return Err(format!("short chain row: {line}").into());
        }
        let kind = if f[3] == "call" {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        out.push((
            f[1].to_string(),
            f[2].parse()?,
            kind,
            f[4].parse()?,
            f[5].parse()?,
            f[6].parse()?,
            f[7].parse()?,
        ));
    }
    Ok(out)
}

/// One expiry of the chain: its label, quotes and fits.
struct Expiry {
    label: String,
    quotes: SliceQuotes,
    svi: Svi,
    rmse: f64,
    max_error: f64,
}

/// Runs the section; returns the path of the SVG it wrote.
pub fn report(chain: &[Quote], book: &[Position]) -> Result<PathBuf, Box<dyn Error>> {
    println!("Volatility surface (SVI per expiry, quasi-explicit fit; SSVI across expiries)");
    println!(
        "quotes: examples/data/btc_chain_full.csv (every two-sided strike, |k| ≤ 0.7), mid-price \
         implied vols, out-of-the-money side, weights 1/(ask IV − bid IV)"
    );
    let options = CalibrationOptions::default().with_no_arbitrage(true);
    let mut expiries: Vec<Expiry> = Vec::new();
    let full = parse_full_chain(FULL_CHAIN)?;
    let mut labels: Vec<(String, f64)> = full.iter().map(|r| (r.0.clone(), r.1)).collect();
    labels.dedup_by(|a, b| a.0 == b.0);
    for (label, years) in labels {
        let rows: Vec<&FullRow> = full.iter().filter(|r| r.0 == label).collect();
        let forward = rows.iter().map(|r| r.4).sum::<f64>() / rows.len() as f64;
        // Coin prices × F are USD prices on the forward (Black-76, r = 0).
        let prices: Vec<PriceQuote> = rows
            .iter()
            .map(|r| PriceQuote {
                kind: r.2,
                strike: r.3,
                bid: r.5 * r.4,
                ask: r.6 * r.4,
            })
            .collect();
        let quotes =
            SliceQuotes::from_prices(years, forward, 1.0, &prices, Weighting::InverseSpread)?;
        let fit = Svi::calibrate(&quotes, &options)?;
        expiries.push(Expiry {
            label,
            quotes,
            svi: fit.model,
            rmse: fit.diagnostics.rmse_vol_points,
            max_error: fit.diagnostics.max_error_vol_points,
        });
    }

    println!(
        "{:<11} {:>5} {:>9} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  arbitrage",
        "expiry", "n", "a", "b", "rho", "m", "sigma", "rmse", "max", "ATM %", "RR25", "BF25",
    );
    for e in &expiries {
        let t = e.quotes.expiry();
        let [a, b, rho, m, sigma] = e.svi.to_array();
        let s = smile_summary(&e.svi, t).ok_or("no 25-delta strikes")?;
        let butterfly = check_butterfly(&e.svi, -2.0, 2.0, 801)?;
        let (_, _, lee) = lee_wing_slopes(&e.svi, 1e6)?;
        let verdict = match (butterfly.is_free(), lee) {
            (true, true) => format!("none (min g {:.3})", butterfly.min_g),
            (false, _) => format!("butterfly on {:?}", butterfly.violations),
            (true, false) => "Lee wing bound broken".to_string(),
        };
        println!(
            "{:<11} {:>5} {:>9.5} {:>7.4} {:>7.3} {:>7.3} {:>7.3} {:>6.2} {:>6.2} {:>7.2} {:>7.2} {:>7.2}  {}",
            e.label,
            e.quotes.quotes().len(),
            a,
            b,
            rho,
            m,
            sigma,
            e.rmse,
            e.max_error,
            s.atm_vol * 100.0,
            s.rr25 * 100.0,
            s.bf25 * 100.0,
            verdict
        );
    }
    println!("(rmse, max: fit error in vol points; RR25, BF25 in vol points, forward deltas)");

    let slices: Vec<(f64, Svi)> = expiries
        .iter()
        .map(|e| (e.quotes.expiry(), e.svi))
        .collect();
    let surface = SliceSurface::new(slices)?.with_wings(-1.0, 1.0);
    let times: Vec<f64> = expiries.iter().map(|e| e.quotes.expiry()).collect();
    // Calendar check on the quoted range (the chain keeps |k| ≤ 0.5) and on the extrapolated
    // wings out to |k| = 1, where short smiles are continued beyond their last quote.
    for (name, lo, hi) in [
        ("quoted range |k| ≤ 0.5", -0.5, 0.5),
        ("wings 0.5 < |k| ≤ 1", -1.0, 1.0),
    ] {
        let ks: Vec<f64> = (0..=100)
            .map(|i| lo + (hi - lo) * f64::from(i) / 100.0)
            .filter(|k: &f64| lo == -0.5 || k.abs() > 0.5)
            .collect();
        let calendar = check_calendar(&surface, &times, &ks)?;
        match calendar.first() {
            None => println!("calendar, {name}: w(T, k) non-decreasing in T — no calendar arbitrage"),
            Some(v) => println!(
                "calendar, {name}: {} (k, T) points where w falls, e.g. k = {:.2}: w = {:.4} at T = {:.3} > {:.4} at T = {:.3}",
                calendar.len(),
                v.log_moneyness,
                v.w_earlier,
                v.earlier,
                v.w_later,
                v.later
            ),
        }
    }
    let all: Vec<SliceQuotes> = expiries.iter().map(|e| e.quotes.clone()).collect();
    let ssvi = Ssvi::calibrate(&all, &options)?;
    let conditions = ssvi.model.conditions();
    let phi = match ssvi.model.phi() {
        SsviPhi::PowerLaw { eta, gamma } => format!("power law η = {eta:.3}, γ = {gamma:.3}"),
        SsviPhi::Heston { lambda } => format!("Heston-like λ = {lambda:.3}"),
    };
    println!(
        "SSVI: ρ = {:.3}, {phi}; ATM total variances θ = {:?}",
        ssvi.model.rho(),
        ssvi.model
            .thetas()
            .iter()
            .map(|t| format!("{t:.5}"))
            .collect::<Vec<_>>()
    );
    println!(
        "SSVI fit: rmse {:.2}, max {:.2} vol points over all {} quotes; Gatheral–Jacquier Thm 4.1 (calendar) {}, Thm 4.2 (butterfly) {}\n",
        ssvi.diagnostics.rmse_vol_points,
        ssvi.diagnostics.max_error_vol_points,
        all.iter().map(|q| q.quotes().len()).sum::<usize>(),
        if conditions.calendar { "holds" } else { "fails" },
        if conditions.butterfly { "holds" } else { "fails" },
    );

    // The book priced off the fitted SVI surface instead of each option's own mark IV.
    println!("Book priced off the fitted SVI surface (USD, Black-76 on each expiry's forward)");
    println!(
        "{:<22} {:>7} {:>8} {:>9} {:>12} {:>12} {:>10}",
        "instrument", "qty", "mark IV", "surf. IV", "at mark", "off surface", "diff"
    );
    let (mut total_mark, mut total_surface) = (0.0, 0.0);
    for p in book {
        let q = &chain[p.quote_index];
        let option = EuropeanOption::new(q.kind, q.strike, q.years)?;
        let at_mark = Black76::flat(q.forward, 0.0, q.mark_iv)?.price(&option)? * p.quantity;
        let model = Black76::new(q.forward, 0.0, &surface)?;
        let off_surface = model.price(&option)? * p.quantity;
        let surface_iv = surface.implied_vol(q.years, (q.strike / q.forward).ln())?;
        total_mark += at_mark;
        total_surface += off_surface;
        println!(
            "{:<22} {:>7.1} {:>8.2} {:>9.2} {:>12.0} {:>12.0} {:>10.0}",
            q.instrument,
            p.quantity,
            q.mark_iv * 100.0,
            surface_iv * 100.0,
            at_mark,
            off_surface,
            off_surface - at_mark
        );
    }
    println!(
        "{:<22} {:>7} {:>8} {:>9} {:>12.0} {:>12.0} {:>10.0}\n",
        "total",
        "",
        "",
        "",
        total_mark,
        total_surface,
        total_surface - total_mark
    );

    let path = plot(&expiries, &ssvi.model)?;
    println!(
        "smiles plotted (quotes vs SVI and SSVI fits): {}\n",
        path.display()
    );
    Ok(path)
}

/// One panel per expiry: quoted mid vols (points), SVI (line), SSVI (thin line).
fn plot(expiries: &[Expiry], ssvi: &Ssvi) -> Result<PathBuf, Box<dyn Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("quickstart_smiles.svg");
    let out = path.clone();
    let root = SVGBackend::new(&path, (1100, 800)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((2, 2));
    for (area, e) in panels.iter().zip(expiries) {
        let t = e.quotes.expiry();
        let qs = e.quotes.quotes();
        let (k_lo, k_hi) = (
            qs[0].log_moneyness - 0.05,
            qs[qs.len() - 1].log_moneyness + 0.05,
        );
        let grid: Vec<f64> = (0..=200)
            .map(|i| k_lo + (k_hi - k_lo) * f64::from(i) / 200.0)
            .collect();
        let svi: Vec<(f64, f64)> = grid
            .iter()
            .map(|&k| Ok((k, 100.0 * e.svi.implied_vol(t, k)?)))
            .collect::<Result<_, derisk::vol::VolError>>()?;
        let ss: Vec<(f64, f64)> = grid
            .iter()
            .map(|&k| Ok((k, 100.0 * ssvi.implied_vol(t, k)?)))
            .collect::<Result<_, derisk::vol::VolError>>()?;
        let lo = svi
            .iter()
            .chain(&ss)
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min);
        let hi = svi
            .iter()
            .chain(&ss)
            .map(|p| p.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = 0.1 * (hi - lo).max(1.0);
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("BTC {} (T = {:.3} y)", e.label, t),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(45)
            .build_cartesian_2d(k_lo..k_hi, (lo - pad)..(hi + pad))?;
        chart
            .configure_mesh()
            .x_desc("log-moneyness k = ln(K/F)")
            .y_desc("implied vol %")
            .draw()?;
        chart
            .draw_series(LineSeries::new(svi, BLUE.stroke_width(2)))?
            .label("SVI")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], BLUE));
        chart
            .draw_series(LineSeries::new(ss, GREEN.stroke_width(1)))?
            .label("SSVI")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], GREEN));
        chart
            .draw_series(
                qs.iter()
                    .map(|q| Circle::new((q.log_moneyness, 100.0 * q.volatility), 4, RED.filled())),
            )?
            .label("mid quotes")
            .legend(|(x, y)| Circle::new((x + 7, y), 4, RED.filled()));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
    }
    root.present()?;
    Ok(out)
}
