//! Quickstart section: the book valued in a market state built from the chain, its Greeks by
//! expiry and strike with their currencies, the delta hedge, and a scenario table (full
//! revaluation beside the delta-gamma-vega approximation).
//!
//! Besides the options of examples/data/btc_book.csv, the book holds three **illustrative** legs
//! (not anyone's positions): 3 BTC of spot, 15,000 BTC-PERPETUAL contracts (inverse, 10 USD each)
//! long from 90,210.5 and 2,500 BTCUSDT contracts (linear, 0.001 BTC) short from 87,650.
//! Discounting: r = 0 in every currency (Deribit's convention); USDC and USDT at 1 USD.

use std::error::Error;

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, NamedScenario, Scenario,
    Shock,
};
use derisk::portfolio::{Book, Contract, Position as Held, RiskReport, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::{InterpolatedSmile, SliceSurface};

use super::{Position, Quote};

/// The snapshot instant of the chain (Deribit, 2025-12-30).
pub const SNAPSHOT: &str = "2025-12-30T17:31:15.944181Z";

/// Expiry date "2026-01-09" → the 08:00 UTC settlement instant.
fn expiry_instant(date: &str) -> Result<Instant, Box<dyn Error>> {
    Ok(format!("{date}T08:00:00Z").parse::<Instant>()?)
}

/// The market state of the chain: spot = index, one forward node per expiry, a surface of
/// monotone smiles through the out-of-the-money mark IVs, joined linearly in total variance.
pub fn market_state(chain: &[Quote]) -> Result<MarketState, Box<dyn Error>> {
    let valuation: Instant = SNAPSHOT.parse()?;
    let day_count = DayCount::Act365_25; // Deribit's IVs and time_to_maturity
    let mut expiries: Vec<&str> = chain.iter().map(|q| q.expiry.as_str()).collect();
    expiries.sort_unstable();
    expiries.dedup();
    let mut nodes = Vec::new();
    let mut slices = Vec::new();
    for date in expiries {
        let e = expiry_instant(date)?;
        let rows: Vec<&Quote> = chain.iter().filter(|q| q.expiry == date).collect();
        let forward = rows[0].forward;
        let tau = day_count.year_fraction(valuation, e);
        let (mut ks, mut ws) = (Vec::new(), Vec::new());
        for q in rows
            .iter()
            .filter(|q| (q.kind == OptionKind::Call) == (q.strike >= forward))
        {
            ks.push((q.strike / forward).ln());
            ws.push(q.mark_iv * q.mark_iv * tau);
        }
        nodes.push((e, forward));
        slices.push((tau, InterpolatedSmile::new(&ks, &ws)?));
    }
    let index = chain.first().ok_or("empty chain")?.index;
    let zero = DiscountCurve::flat(0.0)?;
    Ok(MarketState::builder(valuation, day_count)
        .underlying(Currency::BTC, ForwardCurve::new(index, &nodes)?)
        .vol_surface(Currency::BTC, SliceSurface::new(slices)?)
        .discount_curve(Currency::BTC, zero.clone())
        .discount_curve(Currency::USDC, zero)
        .fx_rate(Currency::USDC, 1.0)
        .fx_rate(Currency::USDT, 1.0)
        .build()?)
}

/// The book: the options of btc_book.csv (entered at their marks) and the illustrative legs.
pub fn build_book(
    chain: &[Quote],
    positions: &[Position],
) -> Result<(Book, Vec<String>), Box<dyn Error>> {
    let mut book = Book::new();
    let mut names = Vec::new();
    for p in positions {
        let q = &chain[p.quote_index];
        let (settlement, entry) = if p.coin_settled {
            (Settlement::Inverse, q.mark_coin)
        } else {
            (Settlement::Linear(Currency::USDC), q.mark_coin * q.forward)
        };
        let contract = Contract::option(
            Currency::BTC,
            q.kind,
            q.strike,
            expiry_instant(&q.expiry)?,
            settlement,
            1.0,
        )?;
        book.insert(Held::new(contract, p.quantity, entry)?);
        names.push(format!(
            "{} {}",
            q.instrument,
            if p.coin_settled { "coin" } else { "USDC" }
        ));
    }
    book.insert(Held::new(Contract::spot(Currency::BTC), 3.0, 0.0)?);
    names.push("BTC spot".into());
    book.insert(Held::new(
        Contract::inverse_perpetual(Currency::BTC, 10.0)?,
        15_000.0,
        90_210.5,
    )?);
    names.push("BTC-PERPETUAL (inverse)".into());
    let usdt_perp = Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001)?;
    book.insert(Held::new(usdt_perp, -2_500.0, 87_650.0)?);
    names.push("BTCUSDT perpetual (linear)".into());
    Ok((book, names))
}

/// Prints the book section.
pub fn report(chain: &[Quote], positions: &[Position]) -> Result<(), Box<dyn Error>> {
    let m = market_state(chain)?;
    let (book, names) = build_book(chain, positions)?;
    let spot = m.spot(Currency::BTC)?;
    println!(
        "Book in its market state (valued {} ACT/365.25; BTC index {spot:.2} USD)",
        m.valuation()
    );
    println!(
        "{:<32} {:>8} {:>14} {:>12} {:>9} {:>10} {:>9} {:>9}",
        "position", "qty", "value (settle)", "value USD", "Δ BTC", "Γ BTC/1%", "vega/pt", "θ/day"
    );
    let risks = book.risk(&m)?;
    for ((r, name), (_, p)) in risks.iter().zip(&names).zip(book.iter()) {
        let s = &r.sensitivity;
        println!(
            "{:<32} {:>8.1} {:>10.4} {:<4}{:>12.0} {:>9.3} {:>10.4} {:>9.0} {:>9.0}",
            name,
            p.quantity,
            s.value,
            r.settlement.as_str(),
            s.value_quote,
            s.delta,
            s.gamma * spot * 0.01,
            s.vega_per_point(),
            s.theta_per_day()
        );
    }
    let usd = book.value(&m, Currency::USD)?;
    let btc = book.value(&m, Currency::BTC)?;
    println!("\nBook value {usd:.0} = {btc:.4}; by settlement currency:");
    for v in book.value_by_currency(&m)? {
        println!("  {v:.4}");
    }
    let report = RiskReport::new(&risks, &[-0.2, -0.05, 0.05, 0.2]);
    for (asset, s) in &report.by_underlying {
        println!(
            "Greeks to {asset} (in USD): Δ {:.3} {asset} = cash Δ {:.0} USD, Γ {:.4} {asset} per 1 %, vega {:.0} USD/pt, θ {:.0} USD/day, ρ {:.0} USD per 1 %",
            s.delta, s.cash_delta(spot), s.gamma * spot * 0.01, s.vega_per_point(), s.theta_per_day(), s.rho * 0.01
        );
    }
    println!("\nBy expiry (USD)");
    println!(
        "{:<22} {:>12} {:>9} {:>10} {:>9} {:>9}",
        "expiry", "value", "Δ BTC", "Γ BTC/1%", "vega/pt", "θ/day"
    );
    for (_, expiry, s) in &report.by_expiry {
        let label = expiry.map_or_else(|| "spot and perpetuals".to_string(), |e| e.to_string());
        println!(
            "{label:<22} {:>12.0} {:>9.3} {:>10.4} {:>9.0} {:>9.0}",
            s.value_quote,
            s.delta,
            s.gamma * spot * 0.01,
            s.vega_per_point(),
            s.theta_per_day()
        );
    }
    println!("\nOptions by strike bucket, ln(K/S) (USD)");
    let labels = [
        "< −0.20",
        "−0.20…−0.05",
        "−0.05…0.05",
        "0.05…0.20",
        "≥ 0.20",
    ];
    for (_, bucket, s) in &report.by_strike {
        println!(
            "{:<22} {:>12.0} {:>9.3} {:>10.4} {:>9.0} {:>9.0}",
            labels[*bucket],
            s.value_quote,
            s.delta,
            s.gamma * spot * 0.01,
            s.vega_per_point(),
            s.theta_per_day()
        );
    }
    let perp = Contract::inverse_perpetual(Currency::BTC, 10.0)?;
    let hedge = book.hedge_quantity(&m, Currency::BTC, &perp, spot)?;
    println!(
        "\nHedge: {hedge:+.0} BTC-PERPETUAL contracts (10 USD each, {:+.3} BTC) flatten the BTC delta",
        hedge * 10.0 / spot
    );
    scenario_table(&book, &risks, &m)
}

fn scenario_table(
    book: &Book,
    risks: &[derisk::portfolio::PositionRisk],
    m: &MarketState,
) -> Result<(), Box<dyn Error>> {
    let spot = |x: f64| Shock::spot_relative(Currency::BTC, x);
    let scenarios = [
        NamedScenario::new("BTC −30 %", vec![spot(-0.30)]),
        NamedScenario::new("BTC −10 %", vec![spot(-0.10)]),
        NamedScenario::new("BTC −5 %", vec![spot(-0.05)]),
        NamedScenario::new("BTC +5 %", vec![spot(0.05)]),
        NamedScenario::new("BTC +20 %", vec![spot(0.20)]),
        NamedScenario::new("vols +10 pts", vec![Shock::vol_parallel(0.10)]),
        NamedScenario::new("vols −10 pts", vec![Shock::vol_parallel(-0.10)]),
        NamedScenario::new("one day passes", vec![Shock::roll_days(1.0)]),
        NamedScenario::new(
            "crash: −30 %, +10 pts, 1 day",
            vec![
                spot(-0.30),
                Shock::vol_parallel(0.10),
                Shock::roll_days(1.0),
            ],
        ),
    ];
    let mut full = vec![Ok(0.0); scenarios.len()];
    book.revalue_many(m, &scenarios, Currency::USD, &mut full)?;
    let base = book.value(m, Currency::USD)?.amount;
    println!("\nScenarios (sticky strike; P&L in USD, and in BTC at the shocked index)");
    println!(
        "{:<30} {:>14} {:>12} {:>16} {:>10}",
        "scenario", "full reval", "in BTC", "delta-gamma-vega", "gap %"
    );
    for (s, value) in scenarios.iter().zip(full) {
        let shocked = s.apply(m)?;
        let pnl = value? - base;
        let approx = book
            .approximate_pnl(risks, m, &shocked, Currency::USD)?
            .amount;
        println!(
            "{:<30} {:>14.0} {:>12.4} {:>16.0} {:>10.1}",
            s.name,
            pnl,
            pnl / shocked.spot(Currency::BTC)?,
            approx,
            100.0 * (approx - pnl) / pnl.abs().max(1.0)
        );
    }
    println!();
    Ok(())
}
