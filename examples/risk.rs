//! Walk-forward VaR/ES backtests of BTC and ETH (2019–2025), component VaR of a small book and
//! delta-gamma against full revaluation of an option book. Writes two SVGs under target/: the
//! simulated 1-day P&L distribution of the option book with its 99 % VaR and ES marked
//! (risk_pnl_distribution.svg), and BTC's walk-forward realised returns against the GARCH-t 99 %
//! VaR with the exceptions marked (risk_backtest.svg).
//!
//! ```text
//! cargo run --release --example risk
//! ```
//!
//! Data: tests/data/btc_eth_daily_2019_2025.csv (Yahoo Finance BTC-USD / ETH-USD daily closes;
//! provenance in its header). The same walk-forward pipeline is run by `arch` in
//! tools/gen_walk_forward_reference.py; docs/VALIDATION.md compares the two.

use std::path::PathBuf;

use derisk::garch::{GarchModel, SimulationStart};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    delta_gamma_var, historical_component_es, historical_component_var, incremental_risk,
    log_returns, position_pnl, revaluation_comparison, simulated_book_pnl, simulated_var_es,
    McVarEs, ModelForecasts, ValueAtRisk, WalkForward, WalkForwardReport, Window,
};
use derisk::sim::{GarchPaths, PathGenerator};
use derisk::vol::FlatVol;
use plotters::prelude::*;
use rand::SeedableRng;

const PRICES: &str = include_str!("../tests/data/btc_eth_daily_2019_2025.csv");

fn closes(column: usize) -> Vec<f64> {
    PRICES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(column)
                .expect("column")
                .parse()
                .expect("close")
        })
        .collect()
}

fn dates() -> Vec<&'static str> {
    PRICES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').next().expect("date"))
        .collect()
}

fn print_model(m: &ModelForecasts) {
    for b in &m.backtests {
        let p = |o: Option<derisk::risk::TestOutcome>| {
            o.map_or("   —  ".to_string(), |t| format!("{:6.3}", t.p_value))
        };
        println!(
            "  {:<10} {:>6.1} % {:>5} {:>8.1} {:>8.3} {} {} {:?}",
            format!("{:?}", m.model),
            100.0 * b.confidence,
            b.exceptions,
            b.expected,
            b.kupiec.p_value,
            p(b.christoffersen),
            p(b.conditional_coverage),
            b.traffic_light.zone
        );
    }
}

fn walk_forward() -> Result<WalkForwardReport, Box<dyn std::error::Error>> {
    let d = dates();
    let mut btc = None;
    for (name, col) in [("BTC", 1), ("ETH", 2)] {
        let r = log_returns(&closes(col))?;
        let wf = WalkForward::new(
            GarchModel::garch11_t(),
            21,
            Window::Rolling(1000),
            &[0.99, 0.975],
        )?;
        let rep = wf.run(&r)?;
        // Return t is the move from close t to close t + 1.
        println!(
            "{name}: walk-forward 1-day VaR, {} days from {} (rolling 1,000 days, GARCH(1,1)-t refit every 21 days, {} refits)",
            rep.realised.len(),
            d[rep.first_day + 1],
            rep.refits.len()
        );
        println!("  model       level    exc  expected kupiec p   ind p    cc p  zone");
        for m in [&rep.garch, &rep.historical, &rep.ewma] {
            print_model(m);
        }
        let pers: Vec<f64> = rep
            .refits
            .iter()
            .map(|f| f.params[2] + f.params[3])
            .collect();
        let nu: Vec<f64> = rep.refits.iter().map(|f| f.params[4]).collect();
        let range = |x: &[f64]| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                })
        };
        let (pl, ph) = range(&pers);
        let (nl, nh) = range(&nu);
        let warm = rep.refits.iter().filter(|f| f.warm_started).count();
        println!(
            "  parameter path: α+β {pl:.4} .. {ph:.4}, ν {nl:.2} .. {nh:.2}; warm start kept on {warm} of {} refits\n",
            rep.refits.len() - 1
        );
        btc.get_or_insert(rep);
    }
    Ok(btc.ok_or("no BTC walk-forward")?)
}

fn component() -> Result<(), Box<dyn std::error::Error>> {
    let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
        .underlying(Currency::ETH, ForwardCurve::new(4_000.0, &[])?)
        .build()?;
    let mut book = Book::new();
    book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
    book.insert(Position::new(Contract::spot(Currency::BTC), -0.5, 0.0)?);
    book.insert(Position::new(Contract::spot(Currency::ETH), 10.0, 0.0)?);
    let (b, e) = (closes(1), closes(2));
    let n = b.len();
    let shocks: Vec<Vec<Shock>> = (n - 501..n - 1)
        .map(|t| {
            vec![
                Shock::spot_relative(Currency::BTC, b[t + 1] / b[t] - 1.0),
                Shock::spot_relative(Currency::ETH, e[t + 1] / e[t] - 1.0),
            ]
        })
        .collect();
    let (_, pnl) = position_pnl(&book, &m, &shocks, Currency::USD)?;
    let (mut order, mut var, mut es, mut inc) = (Vec::new(), [0.0; 3], [0.0; 3], [0.0; 3]);
    let total_var = historical_component_var(&pnl, 3, 0.99, &mut order, &mut var)?;
    let total_es = historical_component_es(&pnl, 3, 0.975, &mut order, &mut es)?;
    incremental_risk(
        &pnl,
        3,
        &ValueAtRisk::historical(0.99)?,
        &mut Vec::new(),
        &mut inc,
    )?;
    println!("Component risk of 1 BTC, −0.5 BTC, 10 ETH (USD, last 500 daily moves)");
    println!("  position        VaR 99 % (Euler)   ES 97.5 % (Euler)   incremental VaR 99 %");
    for (i, name) in ["+1 BTC", "−0.5 BTC", "+10 ETH"].iter().enumerate() {
        println!(
            "  {name:<10} {:>18.0} {:>19.0} {:>22.0}",
            var[i], es[i], inc[i]
        );
    }
    println!("  total      {total_var:>18.0} {total_es:>19.0}\n");
    Ok(())
}

/// The short strangle (−3 C 100k, −5 P 80k, Mar-2026, USDC-settled) on a flat 55 % vol market.
fn strangle() -> Result<(Book, MarketState), Box<dyn std::error::Error>> {
    let m = MarketState::builder(
        Instant::from_date_hour(2026, 1, 1, 8)?,
        DayCount::Act365Fixed,
    )
    .underlying(Currency::BTC, ForwardCurve::new(90_000.0, &[])?)
    .vol_surface(Currency::BTC, FlatVol::new(0.55)?)
    .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
    .discount_curve(Currency::USDC, DiscountCurve::flat(0.0)?)
    .fx_rate(Currency::USDC, 1.0)
    .build()?;
    let expiry = Instant::from_date_hour(2026, 3, 27, 8)?;
    let usdc = Settlement::Linear(Currency::USDC);
    let mut book = Book::new();
    for (kind, strike, q) in [
        (OptionKind::Call, 100_000.0, -3.0),
        (OptionKind::Put, 80_000.0, -5.0),
    ] {
        let c = Contract::option(Currency::BTC, kind, strike, expiry, usdc, 1.0)?;
        book.insert(Position::new(c, q, 0.0)?);
    }
    Ok((book, m))
}

fn delta_gamma(book: &Book, m: &MarketState) -> Result<(), Box<dyn std::error::Error>> {
    let b = closes(1);
    let n = b.len();
    let shocks: Vec<Shock> = (n - 501..n - 1)
        .map(|t| Shock::spot_relative(Currency::BTC, b[t + 1] / b[t] - 1.0))
        .collect();
    println!("Short strangle (−3 C 100k, −5 P 80k, Mar-2026, 55 % vol): 1-day VaR/ES, last 500 BTC moves");
    for a in [0.99, 0.975] {
        let (c, _, _) = revaluation_comparison(book, m, &shocks, Currency::USD, a)?;
        println!(
            "  {:>5.1} %  VaR full {:>8.0}  delta-gamma {:>8.0}  diff {:>+7.0} | ES full {:>8.0}  delta-gamma {:>8.0}  diff {:>+7.0}",
            100.0 * a,
            c.full_var,
            c.delta_gamma_var,
            c.var_difference(),
            c.full_es,
            c.delta_gamma_es,
            c.es_difference()
        );
    }
    let s = book.sensitivity_to(m, Currency::BTC)?;
    let r = log_returns(&b[n - 501..])?;
    let sd = (r.iter().map(|x| x * x).sum::<f64>() / r.len() as f64).sqrt();
    let p = delta_gamma_var(s.delta, s.gamma, 90_000.0, sd, 0.99)?;
    println!(
        "  parametric 99 % (σ = {:.2} %/day): delta-normal {:.0}, delta-gamma-normal {:.0}, Cornish–Fisher {:.0}",
        100.0 * sd,
        p.delta_normal,
        p.delta_gamma_normal,
        p.cornish_fisher
    );
    Ok(())
}

/// The strangle's 1-day P&L on 20,000 GARCH(1,1)-t paths of BTC (fit on 2019–2025 percent log
/// returns, one step from the fitted state, seeded), full revaluation, with its 99 % VaR and ES.
fn simulated_pnl(
    book: &Book,
    m: &MarketState,
) -> Result<(Vec<f64>, McVarEs), Box<dyn std::error::Error>> {
    let r: Vec<f64> = log_returns(&closes(1))?.iter().map(|x| 100.0 * x).collect();
    let fit = GarchModel::garch11_t().fit(&r)?;
    let g = GarchPaths::new(&fit, 1, SimulationStart::FittedState)?.scaled(0.01)?;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(13);
    let mut x = vec![0.0; 20_000];
    g.terminal_many(&mut rng, &mut vec![0.0; g.path_len()], &mut x)?;
    let pnl = simulated_book_pnl(book, m, &[Currency::BTC], &x, Currency::USD)?;
    let risk = simulated_var_es(&pnl, 0.99, &mut Vec::new())?;
    println!(
        "  Monte Carlo 99 % (20,000 GARCH(1,1)-t paths, full revaluation): VaR {:.0} ± {:.0}, ES {:.0} ± {:.0}",
        risk.var.estimate, risk.var.standard_error, risk.es.estimate, risk.es.standard_error
    );
    Ok((pnl, risk))
}

fn svg_path(name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(name))
}

/// Histogram of the simulated P&L (thousand USD) with −VaR and −ES as vertical lines.
fn plot_pnl(pnl: &[f64], risk: &McVarEs) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = svg_path("risk_pnl_distribution.svg")?;
    let out = path.clone();
    let k: Vec<f64> = pnl.iter().map(|v| v / 1e3).collect();
    let (min, hi) = k
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    // The far tail would squash the body: losses beyond 2·ES are gathered in the first bin.
    let lo = min.max(-2.0 * risk.es.estimate / 1e3);
    let bins = 120;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for v in &k {
        counts[(((v - lo).max(0.0) / width) as usize).min(bins - 1)] += 1;
    }
    let top = f64::from(*counts.iter().max().unwrap_or(&1)) * 1.1;
    let root = SVGBackend::new(&path, (1000, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Short strangle: 1-day P&L, 20,000 GARCH(1,1)-t paths, full revaluation (worst {min:.1}k in the first bin)"
            ),
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(lo..hi, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("P&L, thousand USD (gain positive)")
        .y_desc("paths")
        .draw()?;
    chart.draw_series(counts.iter().enumerate().map(|(i, &c)| {
        let x0 = lo + width * i as f64;
        Rectangle::new(
            [(x0, 0.0), (x0 + width, f64::from(c))],
            BLUE.mix(0.5).filled(),
        )
    }))?;
    for (name, value, colour) in [
        ("99 % VaR", risk.var.estimate, RED),
        ("99 % ES", risk.es.estimate, BLACK),
    ] {
        let x = -value / 1e3;
        chart
            .draw_series(LineSeries::new(
                [(x, 0.0), (x, top)],
                colour.stroke_width(2),
            ))?
            .label(format!("−{name} = {x:.1}k"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], colour));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(out)
}

/// BTC's realised daily log returns (percent) over the walk-forward, the GARCH-t 99 % VaR as the
/// line −VaR, and the exceptions (returns below it) in red.
fn plot_backtest(rep: &WalkForwardReport) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = svg_path("risk_backtest.svg")?;
    let out = path.clone();
    let var = &rep.garch.var[0];
    let n = rep.realised.len();
    let r: Vec<f64> = rep.realised.iter().map(|x| 100.0 * x).collect();
    let (lo, hi) = r
        .iter()
        .chain(var.iter().map(|v| -100.0 * v).collect::<Vec<_>>().iter())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let d = dates();
    let root = SVGBackend::new(&path, (1100, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "BTC walk-forward from {}: daily returns, GARCH(1,1)-t 99 % VaR, {} exceptions",
                d[rep.first_day + 1],
                rep.garch.backtests[0].exceptions
            ),
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0..n, lo * 1.05..hi * 1.05)?;
    chart
        .configure_mesh()
        .x_desc("day of the backtest")
        .y_desc("log return, %")
        .draw()?;
    chart
        .draw_series(
            r.iter()
                .enumerate()
                .map(|(t, &v)| Circle::new((t, v), 1, BLUE.mix(0.6).filled())),
        )?
        .label("realised return")
        .legend(|(x, y)| Circle::new((x + 7, y), 3, BLUE.filled()));
    chart
        .draw_series(LineSeries::new(
            var.iter().enumerate().map(|(t, v)| (t, -100.0 * v)),
            BLACK.stroke_width(1),
        ))?
        .label("−VaR 99 % (GARCH-t)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 15, y)], BLACK));
    chart
        .draw_series(
            r.iter()
                .zip(var)
                .enumerate()
                .filter(|&(_, (&x, &v))| x < -100.0 * v)
                .map(|(t, (&x, _))| Cross::new((t, x), 5, RED.stroke_width(2))),
        )?
        .label("exception")
        .legend(|(x, y)| Cross::new((x + 7, y), 4, RED));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let btc = walk_forward()?;
    component()?;
    let (book, m) = strangle()?;
    delta_gamma(&book, &m)?;
    let (pnl, risk) = simulated_pnl(&book, &m)?;
    println!("wrote {}", plot_pnl(&pnl, &risk)?.display());
    println!("wrote {}", plot_backtest(&btc)?.display());
    Ok(())
}
