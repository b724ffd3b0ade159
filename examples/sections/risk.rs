//! Quickstart section: what the book can lose in 1 and 10 days. The book of the book section is
//! revalued in full (every option repriced; sticky strike, vols unchanged) under spot moves from
//! four sources: the last 500 historical BTC moves (10-day: 500 overlapping 10-day moves),
//! parametric fits of that historical P&L (normal, Student-t), GARCH(1,1)-t paths of BTC fitted
//! on the embedded closes, and filtered historical simulation (FHS) of the same fit. A small
//! BTC+ETH book is then valued on joint paths of a Student-t copula with GARCH-t margins.
//! The 10-day figures move the spot only: the valuation date is not rolled (no theta), so they
//! isolate market risk. Seeded (ChaCha20, seed 13): the numbers repeat run to run.

use std::error::Error;

use derisk::garch::{GarchFit, GarchModel, SimulationStart};
use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
use derisk::portfolio::{Book, Contract, Position as Held};
use derisk::risk::{
    acerbi_szekely_z2_statistic, book_pnl, fit_t_copula, log_returns, pseudo_observations,
    simulated_book_pnl, simulated_var_es, spot_shocks, Dof, Estimator, ExpectedShortfall, McVarEs,
    Overlap, RiskMeasure, ValueAtRisk, WalkForward, Window,
};
use derisk::sim::{Copula, CopulaGarch, Correlation, Fhs, GarchPaths, PathGenerator};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::book_section::{build_book, market_state};
use super::{Position, Quote};

/// BTC and ETH daily closes 2019–2025 (Yahoo Finance; provenance in the file's header).
const BTC_ETH: &str = include_str!("../../tests/data/btc_eth_daily_2019_2025.csv");
/// Simulated paths per Monte Carlo / FHS estimate.
const PATHS: usize = 20_000;
/// Historical moves in the window.
const MOVES: usize = 500;
/// Joint BTC–ETH paths (each step inverts two Student-t margins: the costly part).
const COPULA_PATHS: usize = 5_000;
/// Days of standardised residuals the copula is fitted on.
const COPULA_DAYS: usize = 500;

/// Prints the risk section from the chain, the book and a CSV of daily closes.
pub fn report(
    chain: &[Quote],
    positions: &[Position],
    prices_csv: &str,
) -> Result<(), Box<dyn Error>> {
    let prices = super::garch_section::parse_prices(prices_csv)?;
    let closes = prices.closes;
    let m = market_state(chain)?;
    let (book, _) = build_book(chain, positions)?;
    let pnl_h = |h: usize| -> Result<Vec<f64>, Box<dyn Error>> {
        let window = &closes[closes.len().saturating_sub(MOVES + h)..];
        let shocks = spot_shocks(Currency::BTC, window, h, Overlap::Overlapping)?;
        Ok(book_pnl(&book, &m, &shocks, Currency::USD)?)
    };
    let (hist1, hist10) = (pnl_h(1)?, pnl_h(10)?);
    // GARCH(1,1)-t on percent log returns of the embedded closes; paths scaled back to decimals.
    let r: Vec<f64> = log_returns(&closes)?.iter().map(|x| 100.0 * x).collect();
    let mut fit = GarchModel::garch11_t().fit(&r)?;
    // As the GARCH section: an integrated fit (α+β = 1, no half-life) of the whole history is
    // replaced by the fit of the last 730 returns, whose variance mean-reverts.
    if fit.half_life().is_none() && r.len() > 730 {
        fit = GarchModel::garch11_t().fit(&r[r.len() - 730..])?;
    }
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let mut sim = |h: usize, fhs: bool| -> Result<McVarEs, Box<dyn Error>> {
        let x = if fhs {
            terminal(&Fhs::new(&fit, h)?.scaled(0.01)?, PATHS, &mut rng)?
        } else {
            let g = GarchPaths::new(&fit, h, SimulationStart::FittedState)?.scaled(0.01)?;
            terminal(&g, PATHS, &mut rng)?
        };
        let pnl = simulated_book_pnl(&book, &m, &[Currency::BTC], &x, Currency::USD)?;
        Ok(simulated_var_es(&pnl, 0.99, &mut Vec::new())?)
    };
    let (mc1, mc10, fhs1, fhs10) = (
        sim(1, false)?,
        sim(10, false)?,
        sim(1, true)?,
        sim(10, true)?,
    );
    println!(
        "What the book can lose: 99 % VaR and ES in USD (losses positive), full revaluation of every position"
    );
    println!(
        "{:<34} {:>15} {:>15} {:>15} {:>15}",
        "estimator", "VaR 1 day", "ES 1 day", "VaR 10 days", "ES 10 days"
    );
    for (name, estimator) in [
        ("historical (last 500 moves)", Estimator::Historical),
        ("normal fit of that P&L", Estimator::Normal),
        (
            "Student-t fit (ν by moments)",
            Estimator::StudentT(Dof::Moments),
        ),
    ] {
        let show = |pnl: &[f64], es: bool| {
            let v = if es {
                ExpectedShortfall::new(0.99, estimator).and_then(|e| e.evaluate(pnl))
            } else {
                ValueAtRisk::new(0.99, estimator).and_then(|e| e.evaluate(pnl))
            };
            v.map_or_else(|e| format!("({e})"), |v| format!("{v:.0}"))
        };
        println!(
            "{name:<34} {:>15} {:>15} {:>15} {:>15}",
            show(&hist1, false),
            show(&hist1, true),
            show(&hist10, false),
            show(&hist10, true)
        );
    }
    let se = |e: &derisk::sim::McEstimate| format!("{:.0} ± {:.0}", e.estimate, e.standard_error);
    for (name, one, ten) in [
        ("Monte Carlo GARCH(1,1)-t paths", &mc1, &mc10),
        ("FHS (bootstrapped residuals)", &fhs1, &fhs10),
    ] {
        println!(
            "{name:<34} {:>15} {:>15} {:>15} {:>15}",
            se(&one.var),
            se(&one.es),
            se(&ten.var),
            se(&ten.es)
        );
    }
    println!(
        "  10-day historical: {} overlapping 10-day moves (serially dependent, not √10-scaled; spot only, no theta); MC/FHS: {PATHS} simulated 1- and 10-step paths from the last state of the fit on {} returns to {}, ± one standard error",
        hist10.len(),
        fit.nobs(),
        prices.dates.last().map_or("?", |d| d.as_str())
    );
    println!(
        "  (FHS 1-day draws one of the {} standardised residuals: its VaR sits on an atom and the order-statistic SE understates)",
        fit.nobs()
    );
    copula_book(&mut rng)?;
    backtests(&closes)
}

/// Summed log-returns of `paths` paths of a generator (row-major paths × assets).
fn terminal<G: PathGenerator>(
    g: &G,
    paths: usize,
    rng: &mut ChaCha20Rng,
) -> Result<Vec<f64>, Box<dyn Error>> {
    let mut scratch = vec![0.0; g.path_len()];
    let mut x = vec![0.0; paths * g.assets()];
    g.terminal_many(rng, &mut scratch, &mut x)?;
    Ok(x)
}

/// Column `c` of the BTC–ETH closes.
fn column(c: usize) -> Result<Vec<f64>, Box<dyn Error>> {
    BTC_ETH
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| Ok(l.split(',').nth(c).ok_or("missing column")?.parse()?))
        .collect()
}

/// A BTC+ETH spot/perp book on joint paths: GARCH(1,1)-t margins of BTC and ETH (2019–2025), tied
/// by a Student-t copula fitted to their standardised residuals (ρ from Kendall's τ, ν by
/// pseudo-likelihood).
fn copula_book(rng: &mut ChaCha20Rng) -> Result<(), Box<dyn Error>> {
    let (btc, eth) = (column(1)?, column(2)?);
    let fits: Vec<GarchFit> = [&btc, &eth]
        .iter()
        .map(|c| -> Result<GarchFit, Box<dyn Error>> {
            let r: Vec<f64> = log_returns(c)?.iter().map(|x| 100.0 * x).collect();
            Ok(GarchModel::garch11_t().fit(&r)?)
        })
        .collect::<Result<_, _>>()?;
    // The copula is fitted on the last COPULA_DAYS standardised residuals (recent dependence;
    // the pseudo-likelihood in ν costs t quantiles at every level).
    let recent = |f: &GarchFit| -> Result<Vec<f64>, Box<dyn Error>> {
        let z = f.standardized_residuals();
        Ok(pseudo_observations(
            &z[z.len().saturating_sub(COPULA_DAYS)..],
        )?)
    };
    let (zb, ze) = (recent(&fits[0])?, recent(&fits[1])?);
    let u: Vec<f64> = zb.iter().zip(&ze).flat_map(|(a, b)| [*a, *b]).collect();
    let cf = fit_t_copula(&u, 2)?;
    let copula = Copula::student_t(Correlation::new(2, &cf.correlation)?, cf.nu)?;
    let (sb, se) = (btc[btc.len() - 1], eth[eth.len() - 1]);
    let m = MarketState::builder(
        Instant::from_date_hour(2025, 12, 31, 0)?,
        DayCount::Act365Fixed,
    )
    .underlying(Currency::BTC, ForwardCurve::new(sb, &[])?)
    .underlying(Currency::ETH, ForwardCurve::new(se, &[])?)
    .fx_rate(Currency::USDT, 1.0)
    .build()?;
    let mut book = Book::new();
    book.insert(Held::new(Contract::spot(Currency::BTC), 2.0, sb)?);
    book.insert(Held::new(Contract::spot(Currency::ETH), 40.0, se)?);
    let perp = Contract::linear_perpetual(Currency::ETH, Currency::USDT, 0.01)?;
    book.insert(Held::new(perp, -1_500.0, se)?);
    let mut row = Vec::new();
    for h in [1, 10] {
        let g = CopulaGarch::new(copula.clone(), &fits, h)?.scaled(0.01)?;
        let x = terminal(&g, COPULA_PATHS, rng)?;
        let pnl = simulated_book_pnl(
            &book,
            &m,
            &[Currency::BTC, Currency::ETH],
            &x,
            Currency::USD,
        )?;
        let r = simulated_var_es(&pnl, 0.99, &mut Vec::new())?;
        row.push(format!(
            "{:.0} ± {:.0}",
            r.var.estimate, r.var.standard_error
        ));
        row.push(format!("{:.0} ± {:.0}", r.es.estimate, r.es.standard_error));
    }
    println!(
        "BTC–ETH t copula (ρ {:.2}, ν {:.1} on the last {COPULA_DAYS} days of 2019–2025), {COPULA_PATHS} joint paths; +2 BTC, +40 ETH, −15 ETH USDT perp at the 2025-12-31 closes:",
        cf.correlation[1], cf.nu
    );
    println!(
        "{:<34} {:>15} {:>15} {:>15} {:>15}\n",
        "  Monte Carlo, GARCH-t margins", row[0], row[1], row[2], row[3]
    );
    Ok(())
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
