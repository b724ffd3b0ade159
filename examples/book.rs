//! A book and its market in thirty lines: a BTC market state with a forward curve and a flat
//! 50 % surface, a book of a coin-settled call, a USDC-settled put, spot and an inverse
//! perpetual; its value in BTC and USD, its Greeks, and a crash scenario.
//!
//! ```text
//! cargo run --release --example book
//! ```

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Scenario, Shock,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::FlatVol;

fn main() -> Result<(), derisk::Error> {
    let now: Instant = "2025-12-30T17:31:15Z".parse()?;
    let march = Instant::from_date_hour(2026, 3, 27, 8)?;
    let market = MarketState::builder(now, DayCount::Act365_25)
        .underlying(
            Currency::BTC,
            ForwardCurve::new(88_524.14, &[(march, 89_559.35)])?,
        )
        .vol_surface(Currency::BTC, FlatVol::new(0.50)?)
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
        .discount_curve(Currency::USDC, DiscountCurve::flat(0.04)?)
        .fx_rate(Currency::USDC, 1.0)
        .build()?;

    let mut book = Book::new();
    let call = Contract::option(
        Currency::BTC,
        OptionKind::Call,
        100_000.0,
        march,
        Settlement::Inverse,
        1.0,
    )?;
    let put = Contract::option(
        Currency::BTC,
        OptionKind::Put,
        80_000.0,
        march,
        Settlement::Linear(Currency::USDC),
        1.0,
    )?;
    book.insert(Position::new(call, -10.0, 0.03)?);
    book.insert(Position::new(put, 5.0, 4_000.0)?);
    book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 0.0)?);
    book.insert(Position::new(
        Contract::inverse_perpetual(Currency::BTC, 10.0)?,
        -5_000.0,
        88_000.0,
    )?);

    println!(
        "value: {:.2} = {:.5}",
        book.value(&market, Currency::USD)?,
        book.value(&market, Currency::BTC)?
    );
    let btc = book.sensitivity_to(&market, Currency::BTC)?;
    println!(
        "delta {:.4} BTC, gamma {:.3e} per USD, vega {:.0} USD/pt, theta {:.0} USD/day",
        btc.delta,
        btc.gamma,
        btc.vega_per_point(),
        btc.theta_per_day()
    );
    let crash = [
        Shock::spot_relative(Currency::BTC, -0.3),
        Shock::vol_parallel(0.2),
        Shock::roll_days(1.0),
    ];
    let after = crash.apply(&market)?;
    println!(
        "crash P&L: {:.2}",
        book.pnl(&market, &after, Currency::USD)?
    );
    Ok(())
}
