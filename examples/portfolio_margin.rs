//! Portfolio margin of a small coin-settled BTC option book on the real Deribit chain of
//! 2025-12-30 (examples/data/deribit_btc_chain_2025-12-30.csv): Deribit's full risk matrix,
//! its components, the standard margin it replaces, which position hedges which, SPAN of the
//! same book, and the requirement under a crash.
//!
//! ```text
//! cargo run --release --example portfolio_margin
//! ```

use std::error::Error;

use derisk::margin::{
    distance_to_margin_call, margin_under_stress, DeribitPortfolioMargin, OptionMarginRates,
    SpanModel, SpanParams, SpanRates,
};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, NamedScenario, Shock,
};
use derisk::portfolio::{Book, Contract, Instrument, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::{InterpolatedSmile, SliceSurface};

const CHAIN: &str = include_str!("data/deribit_btc_chain_2025-12-30.csv");

/// Forward per expiry and a smile through the out-of-the-money mark IVs (ACT/365.25).
fn market() -> Result<MarketState, Box<dyn Error>> {
    let v: Instant = "2025-12-30T17:31:15Z".parse()?;
    let rows: Vec<Vec<&str>> = CHAIN
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let mut expiries: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    expiries.sort_unstable();
    expiries.dedup();
    let (mut nodes, mut slices) = (Vec::new(), Vec::new());
    for date in &expiries {
        let e: Instant = date.parse()?;
        let tau = DayCount::Act365_25.year_fraction(v, e);
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[1] == *date).collect();
        let f: f64 = mine[0][4].parse()?;
        let (mut ks, mut ws) = (Vec::new(), Vec::new());
        for r in mine {
            let k: f64 = r[3].parse()?;
            if (r[2] == "call") == (k >= f) {
                let iv: f64 = r[9].parse()?;
                ks.push((k / f).ln());
                ws.push(iv * iv * tau);
            }
        }
        nodes.push((e, f));
        slices.push((tau, InterpolatedSmile::new(&ks, &ws)?));
    }
    let index: f64 = rows[0][5].parse()?;
    Ok(MarketState::builder(v, DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(index, &nodes)?)
        .vol_surface(Currency::BTC, SliceSurface::new(slices)?)
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
        .build()?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let m = market()?;
    let btc = Currency::BTC;
    let march: Instant = "2026-03-27T08:00:00Z".parse()?;
    let opt = |kind, k| Contract::option(btc, kind, k, march, Settlement::Inverse, 1.0);
    // An illustrative book: a short 27MAR26 call spread, a long put, and a perpetual hedge.
    let legs = [
        (
            "short 10 BTC-27MAR26-100000-C",
            opt(OptionKind::Call, 100_000.0)?,
            -10.0,
        ),
        (
            "long 10 BTC-27MAR26-120000-C",
            opt(OptionKind::Call, 120_000.0)?,
            10.0,
        ),
        (
            "long 5 BTC-27MAR26-80000-P",
            opt(OptionKind::Put, 80_000.0)?,
            5.0,
        ),
    ];
    let mut book = Book::new();
    let mut names = Vec::new();
    let index = m.spot(btc)?;
    for (name, c, q) in legs {
        book.insert(Position::new(c, q, c.value(&m, 0.0)?)?);
        names.push(name.to_string());
    }
    let perp = Contract::inverse_perpetual(btc, 10.0)?;
    let hedge = book.hedge_quantity(&m, btc, &perp, index)?.round();
    book.insert(Position::new(perp, hedge, index)?);
    names.push(format!("BTC-PERPETUAL {hedge:+.0} × 10 USD (delta hedge)"));

    let deribit = DeribitPortfolioMargin::deribit_btc();
    let r = deribit.margin(&book, &m, btc)?;
    println!("Deribit portfolio margin, BTC book at index {index:.2} USD (P&L in BTC)");
    if let Some(matrix) = &r.matrix {
        print!("{matrix}");
        let w = matrix.worst();
        println!(
            "worst cell: move {:+.0} %, {}: loss {:.6} BTC",
            w.price_move * 100.0,
            w.vol,
            w.loss()
        );
    }
    println!("extended table (options, vol up, scaled by the range fraction):");
    for (mv, pnl) in &r.extended {
        println!("  {:>+6.0} %  {pnl:>12.6}", mv * 100.0);
    }
    println!(
        "matrix {:.6} | extended {:.6} | delta shock {:.6} | roll shock {:.6} | contingency {:.6}",
        r.matrix_loss, r.extended_loss, r.delta_shock, r.roll_shock, r.contingency
    );
    println!("IM {:.6} BTC, MM {:.6} BTC", r.initial, r.maintenance);

    let mut standard = 0.0;
    for (_, p) in book.iter() {
        if let Contract::Option { kind, strike, .. } = p.instrument {
            let mark = p.instrument.value(&m, 0.0)?;
            standard += OptionMarginRates::DERIBIT
                .margin(kind, strike, index, mark, p.quantity)?
                .maintenance;
        }
    }
    println!("standard option MM (options only, no offset): {standard:.6} BTC");

    println!("position by position (MM alone, and what it adds to the book's MM):");
    for (e, name) in deribit.position_effects(&book, &m, btc)?.iter().zip(&names) {
        println!(
            "  {name:<45} alone {:>9.6}  marginal {:>+9.6}{}",
            e.standalone,
            e.marginal,
            if e.offsets() { "  ← offsets" } else { "" }
        );
    }

    let span = SpanModel {
        params: SpanParams::new(0.16, 0.10)?,
        rates: SpanRates {
            intra_spread: 0.01,
            short_option_minimum: 0.005,
        },
        initial_factor: 1.1,
    };
    let s = span.margin(&book, &m, btc)?;
    println!(
        "SPAN (scan ±16 %, vol ±10 points, 1 day): scanning {:.6} (scenario {}), spread {:.6}, SOM {:.6} → {:.6} BTC",
        s.scanning_risk,
        s.worst_scenario + 1,
        s.intra_spread_charge,
        s.short_option_minimum,
        s.requirement
    );

    let collateral = 2.0;
    let crash = NamedScenario::new(
        "crash: BTC −30 %, vols +20 points",
        vec![Shock::spot_relative(btc, -0.3), Shock::vol_parallel(0.2)],
    );
    for row in margin_under_stress(&deribit, &book, &m, btc, collateral, &[crash])? {
        println!(
            "{}: equity {:.4} BTC, MM {:.4} BTC, excess {:+.4} BTC",
            row.name,
            row.equity,
            row.maintenance,
            row.excess()
        );
    }
    let d = distance_to_margin_call(&deribit, &book, &m, btc, btc, collateral)?;
    let pct = |x: Option<f64>| x.map_or("none".to_string(), |x| format!("{:+.2} %", 100.0 * x));
    println!(
        "with {collateral} BTC of collateral, a margin call at BTC moves of {} / {}",
        pct(d.down),
        pct(d.up)
    );
    Ok(())
}
