//! Quickstart section: the option book's standard versus portfolio margin, per settlement
//! currency (Deribit's segregated portfolio margin), which positions the hedge offsets, and the
//! requirement under the crash scenario of the book section.
//!
//! Call it from quickstart.rs after the book section, with
//! `#[path = "sections/portfolio_margin.rs"] mod portfolio_margin_section;` and
//! `portfolio_margin_section::report(&chain, &book)?;` — it rebuilds the market state and the
//! book with `book_section::{market_state, build_book}`.

use std::error::Error;

use derisk::margin::{margin_under_stress, DeribitPortfolioMargin, OptionMarginRates};
use derisk::market::{Currency, NamedScenario, Shock};
use derisk::portfolio::{Contract, Instrument, Settlement};

use super::book_section::{build_book, market_state};
use super::{Position, Quote};

/// Prints the portfolio-margin section from the quickstart's parsed chain and book.
pub fn report(chain: &[Quote], positions: &[Position]) -> Result<(), Box<dyn Error>> {
    let m = market_state(chain)?;
    let (book, names) = build_book(chain, positions)?;
    let index = m.spot(Currency::BTC)?;
    let deribit = DeribitPortfolioMargin::deribit_btc();
    println!("\nPortfolio margin (Deribit risk matrix, parameters of 2024-06-17; segregated by currency)");
    println!(
        "  standard = Deribit's per-option rule summed over the options (no offsets); portfolio ="
    );
    println!("  the whole book of that currency (options, perpetual, spot) under ±16 % × vol up/same/down");
    println!(
        "{:<6} {:>14} {:>14} {:>12} {:>12} {:>12}",
        "book", "std option MM", "portfolio MM", "portfolio IM", "worst move", "vol"
    );
    for (currency, linear) in [(Currency::BTC, false), (Currency::USDC, true)] {
        // Deribit's standard option margin, position by position, in the book's currency
        let mut standard = 0.0;
        for (_, p) in book.iter() {
            if p.instrument.settlement() != currency {
                continue;
            }
            if let Contract::Option {
                kind,
                strike,
                settlement,
                ..
            } = p.instrument
            {
                let per_unit = if matches!(settlement, Settlement::Linear(_)) {
                    index
                } else {
                    1.0
                };
                let mark_coin = p.instrument.value(&m, 0.0)? / per_unit;
                let mm = OptionMarginRates::DERIBIT
                    .margin(kind, strike, index, mark_coin, p.quantity)?
                    .maintenance;
                standard += mm * per_unit;
            }
        }
        let r = deribit.margin(&book, &m, currency)?;
        let Some(matrix) = &r.matrix else { continue };
        let w = matrix.worst();
        let dp = if linear { 0 } else { 4 };
        println!(
            "{:<6} {:>14.dp$} {:>14.dp$} {:>12.dp$} {:>+11.0}% {:>12}",
            currency.to_string(),
            standard,
            r.maintenance,
            r.initial,
            w.price_move * 100.0,
            w.vol.to_string(),
        );
    }

    println!("Which positions offset (BTC book: MM alone, and what each adds to the book's MM)");
    let effects = deribit.position_effects(&book, &m, Currency::BTC)?;
    for e in &effects {
        let name = book
            .iter()
            .position(|(id, _)| id == e.id)
            .map_or("?", |i| names[i].as_str());
        println!(
            "  {name:<32} alone {:>9.4}  marginal {:>+9.4} BTC{}",
            e.standalone,
            e.marginal,
            if e.offsets() {
                "  ← offsets the rest"
            } else {
                ""
            }
        );
    }

    let spot = |x: f64| Shock::spot_relative(Currency::BTC, x);
    let crash = NamedScenario::new(
        "crash: −30 %, +10 pts, 1 day",
        vec![
            spot(-0.30),
            Shock::vol_parallel(0.10),
            Shock::roll_days(1.0),
        ],
    );
    let rows = margin_under_stress(&deribit, &book, &m, Currency::BTC, 0.0, &[crash])?;
    let now = deribit.margin(&book, &m, Currency::BTC)?.maintenance;
    for row in rows {
        println!(
            "Under the {}: BTC book MM {:.4} BTC (now {now:.4}); the BTC-settled positions are then worth {:+.4} BTC",
            row.name, row.maintenance, row.equity
        );
    }
    Ok(())
}
