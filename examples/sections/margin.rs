//! Quickstart section: margin and liquidation of an illustrative futures leg next to the option
//! book.
//!
//! The futures positions below are **made up for illustration** (they are not in
//! examples/data/btc_book.csv); they are opened at the snapshot's own prices — the BTC index and
//! the 27MAR26 forward of examples/data/btc_option_chain.csv — so they start with zero P&L:
//!
//! - a BTC-margined **cross** account on Deribit: 1.5 BTC wallet, short 300,000 USD of
//!   BTC-PERPETUAL (inverse, 10 USD contracts) as a delta hedge, long 100,000 USD of the
//!   27MAR26 future; Deribit's size-scaled futures margin (`SizeScaled::DERIBIT_BTC`,
//!   test.deribit.com/pages/docs/futures: IM 2 % + 0.5 %·size/100, MM 1.5 % + 0.5 %·size/100);
//! - a USDT **isolated** long of 2 BTC BTCUSDT at 20x under Binance's 2021-03-18 tier table, and
//!   the same position under Bybit's conventions (MM on the entry value, tick rounding).
//!
//! The book's short inverse options get Deribit's standard option margin, marked with
//! `InverseBlack76` at each quote's mark-implied volatility on its forward.

use derisk::margin::{
    AnyModel, CrossAccount, Instrument, IsolatedPosition, LiquidationPrice, MarginModel,
    NoLiquidationPrice, OptionMarginRates, Position, Side, SizeScaled, TierTable, Venue,
};
use derisk::market::{Currency, Instant};
use derisk::portfolio::Settlement;
use derisk::pricing::{EuropeanOption, InverseBlack76};

use super::{Position as Book, Quote};

/// Prints the margin section from the quickstart's parsed chain and book.
pub fn print_margin(chain: &[Quote], book: &[Book]) -> Result<(), Box<dyn std::error::Error>> {
    let index = chain.first().ok_or("empty chain")?.index;
    let march = chain
        .iter()
        .find(|q| q.expiry == "2026-03-27")
        .ok_or("no 27MAR26 quote")?;
    println!("Margin and liquidation (illustrative futures legs at the snapshot's prices)");

    // --- cross, BTC-margined, Deribit-style inverse futures -------------------------------
    let btc = Currency::BTC;
    let perp = Instrument::inverse_perpetual(btc, 10.0, 0.5)?;
    // Deribit futures deliver at 08:00 UTC on their expiry date
    let delivery = Instant::from_date_hour(2026, 3, 27, 8)?;
    let future = Instrument::future(btc, Settlement::Inverse, 10.0, delivery, 2.5)?;
    let mut cross = CrossAccount::<AnyModel>::in_currency(btc, 1.5)?;
    let short_perp = Position::new(perp, Side::Short, 30_000.0, index)?;
    let long_future = Position::new(future, Side::Long, 10_000.0, march.forward)?;
    let legs = [
        ("BTC-PERPETUAL", short_perp, index),
        ("BTC-27MAR26", long_future, march.forward),
    ];
    let mut ids = Vec::new();
    for (_, p, mark) in &legs {
        let model: AnyModel = SizeScaled::DERIBIT_BTC.into();
        let leverage = model.max_leverage(p.value(*mark)?);
        ids.push(cross.add(*p, *mark, leverage, model)?);
    }
    println!(
        "Cross account (BTC): wallet {:.4} BTC",
        cross.wallet_balance()
    );
    header();
    for (&id, (name, p, mark)) in ids.iter().zip(&legs) {
        let e = cross.get(id)?;
        let im = p.value(*mark)? / e.leverage;
        let mm = e.model.maintenance_margin(p.value(*mark)?);
        let lp = cross.liquidation_price(id)?;
        row(
            name,
            "cross",
            p,
            *mark,
            im,
            mm,
            lp,
            None,
            cross.distance_to_liquidation(id)?,
            "BTC",
        );
    }
    let moves = cross.common_move();
    let pct =
        |x: Option<f64>| x.map_or_else(|| "none".to_string(), |x| format!("{:+.2} %", x * 100.0));
    println!(
        "  equity {:.4} BTC, maintenance {:.4} BTC, margin ratio {:.2} %, available {:.4} BTC",
        cross.equity(),
        cross.maintenance_margin(),
        cross.margin_ratio()? * 100.0,
        cross.available_balance()?
    );
    println!(
        "  liquidated by a common move of both marks of {} (down) / {} (up)",
        pct(moves.down),
        pct(moves.up)
    );
    println!("  (far down, the coin value of the USD faces, and Deribit's size-scaled rate on it, explode)");
    println!("  (both legs are on BTC: each one's liquidation price moves both marks together)");

    // --- isolated, USDT linear ---------------------------------------------------------------
    let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.001, 0.1)?;
    let long = Position::new(btcusdt, Side::Long, 2_000.0, index)?;
    let binance = TierTable::binance_btcusdt_2021_03_18();
    let bybit = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    println!("Isolated (USDT): long 2 BTC BTCUSDT at 20x, entry = mark = index");
    header();
    let iso = IsolatedPosition::open(long, 20.0, &binance)?;
    let iso_bybit = IsolatedPosition::open(long, 20.0, &bybit)?;
    for (name, iso, model) in [
        ("BTCUSDT Binance", &iso, &binance as &dyn MarginModel),
        ("BTCUSDT Bybit", &iso_bybit, &bybit as &dyn MarginModel),
    ] {
        let lp = iso.liquidation_price(model);
        let distance = iso.distance_to_liquidation(index, model)?;
        row(
            name,
            "isolated",
            iso.position(),
            index,
            iso.margin(),
            iso.maintenance_margin(index, model)?,
            lp,
            iso.bankruptcy_price(model).price(),
            distance,
            "USDT",
        );
        println!(
            "  {name}: margin ratio {:.2} %; the isolated margin is all it can lose, the cross pool is not touched",
            iso.margin_ratio(index, model)? * 100.0
        );
    }

    // --- stress: every mark moved together -----------------------------------------------------
    println!("Stress: all marks moved together");
    println!(
        "  {:>7} {:>16} {:>18} {:>22}",
        "move", "cross ratio %", "BTCUSDT equity", "shortfall if closed"
    );
    for shock in [-0.20, -0.10, -0.05, 0.05, 0.10, 0.20] {
        let mut shocked = cross.clone();
        for (&id, (_, _, mark)) in ids.iter().zip(&legs) {
            shocked.set_mark(id, mark * (1.0 + shock))?;
        }
        let m = index * (1.0 + shock);
        let ratio = shocked.margin_ratio();
        println!(
            "  {:>+6.0}% {:>16} {:>18.2} {:>22.2}",
            shock * 100.0,
            ratio.map_or_else(|_| "bankrupt".into(), |r| format!("{:.2}", r * 100.0)),
            iso.equity(m)?.max(0.0),
            iso.shortfall(m)?
        );
    }
    println!(
        "  (an isolated loss stops at its margin; a gap past bankruptcy is the insurance fund's)"
    );

    // --- options: Deribit standard margin of the book's short inverse options -----------------
    let mut total = (0.0, 0.0);
    let mut shorts = 0;
    for p in book.iter().filter(|p| p.coin_settled && p.quantity < 0.0) {
        let (q, quantity) = (&chain[p.quote_index], p.quantity);
        let option = EuropeanOption::new(q.kind, q.strike, q.years)?;
        let model = InverseBlack76::flat(q.forward, 0.0, q.mark_iv)?;
        let m =
            OptionMarginRates::DERIBIT.margin_with_model(&model, &option, q.forward, quantity)?;
        total.0 += m.initial;
        total.1 += m.maintenance;
        shorts += 1;
    }
    println!(
        "Deribit standard margin of the book's {shorts} short inverse options: IM {:.4} BTC, MM {:.4} BTC",
        total.0, total.1
    );
    println!("  (on Deribit these share the BTC cross account with the futures above)\n");
    Ok(())
}

fn header() {
    println!(
        "  {:<16} {:>8} {:>6} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12} {:>9}",
        "position",
        "mode",
        "side",
        "mark",
        "IM",
        "MM",
        "unit",
        "liquidation",
        "bankruptcy",
        "dist %"
    );
}

#[allow(clippy::too_many_arguments)]
fn row(
    name: &str,
    mode: &str,
    p: &Position,
    mark: f64,
    im: f64,
    mm: f64,
    lp: LiquidationPrice,
    bankruptcy: Option<f64>,
    distance: Option<f64>,
    unit: &str,
) {
    let price = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| format!("{x:.1}"));
    let lp_text = match lp {
        LiquidationPrice::At(x) => format!("{x:.1}"),
        LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised) => "never".into(),
        LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice) => "now".into(),
    };
    let digits = if unit == "BTC" { 4 } else { 2 };
    println!(
        "  {:<16} {:>8} {:>6} {:>10.1} {:>10.*} {:>10.*} {:>10} {:>12} {:>12} {:>9}",
        name,
        mode,
        if p.side() == Side::Long {
            "long"
        } else {
            "short"
        },
        mark,
        digits,
        im,
        digits,
        mm,
        unit,
        lp_text,
        price(bankruptcy),
        distance.map_or_else(|| "—".to_string(), |d| format!("{:+.2}", d * 100.0)),
    );
}
