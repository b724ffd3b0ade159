//! Walk-forward VaR/ES backtests of BTC and ETH (2019–2025), component VaR of a small book and
//! delta-gamma against full revaluation of an option book.
//!
//! ```text
//! cargo run --release --example risk
//! ```
//!
//! Data: tests/data/btc_eth_daily_2019_2025.csv (Yahoo Finance BTC-USD / ETH-USD daily closes;
//! provenance in its header). The same walk-forward pipeline is run by `arch` in
//! tools/gen_walk_forward_reference.py; docs/VALIDATION.md compares the two.

use derisk::garch::GarchModel;
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    delta_gamma_var, historical_component_es, historical_component_var, incremental_risk,
    log_returns, position_pnl, revaluation_comparison, ModelForecasts, ValueAtRisk, WalkForward,
    Window,
};
use derisk::vol::FlatVol;

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

fn walk_forward() -> Result<(), Box<dyn std::error::Error>> {
    let d = dates();
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
    }
    Ok(())
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

fn delta_gamma() -> Result<(), Box<dyn std::error::Error>> {
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
    let b = closes(1);
    let n = b.len();
    let shocks: Vec<Shock> = (n - 501..n - 1)
        .map(|t| Shock::spot_relative(Currency::BTC, b[t + 1] / b[t] - 1.0))
        .collect();
    println!("Short strangle (−3 C 100k, −5 P 80k, Mar-2026, 55 % vol): 1-day VaR/ES, last 500 BTC moves");
    for a in [0.99, 0.975] {
        let (c, _, _) = revaluation_comparison(&book, &m, &shocks, Currency::USD, a)?;
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
    let s = book.sensitivity_to(&m, Currency::BTC)?;
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    walk_forward()?;
    component()?;
    delta_gamma()?;
    Ok(())
}
