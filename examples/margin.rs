//! Margin in a few lines: a Binance isolated long and its liquidation price, then one
//! USDT-margined cross account holding a linear BTCUSDT long, an inverse BTC-PERPETUAL short and
//! a linear ETHUSDT long, with BTC collateral at a 5 % haircut: equity, maintenance, margin ratio
//! and each position's liquidation price. The positions are illustrative.
//!
//! ```text
//! cargo run --release --example margin
//! ```

use derisk::margin::{
    AnyModel, CrossAccount, FlatRate, HaircutTier, Instrument, IsolatedPosition, Position, Side,
    TierTable,
};
use derisk::market::Currency;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Binance BTCUSDT, isolated long 1 BTC at 50,000 with 2,500 USDT (docs/margin.md vector B1).
    let table = TierTable::binance_btcusdt_2021_03_18();
    let long = Position::new(
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?,
        Side::Long,
        1.0,
        50_000.0,
    )?;
    let iso = IsolatedPosition::new(long, 2_500.0)?;
    println!(
        "isolated: liquidation at {:?}",
        iso.liquidation_price(&table).price()
    );

    // One cross account, margin currency USDT, with BTC as collateral.
    let tiers: AnyModel = table.into();
    let flat: AnyModel = FlatRate::new(0.01, 50.0)?.into();
    let mut account = CrossAccount::<AnyModel>::in_currency(Currency::USDT, 2_000.0)?;
    account.set_price(Currency::USDT, 1.0)?;
    account.set_price(Currency::BTC, 60_000.0)?;
    let haircut = [HaircutTier {
        value_cap: f64::INFINITY,
        haircut: 0.05,
    }];
    account.set_balance(Currency::BTC, 0.05, &haircut)?;
    let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    let ethusdt = Instrument::linear_perpetual(Currency::ETH, Currency::USDT, 1.0, 0.01)?;
    let btc_perpetual = Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5)?;
    let ids = [
        (
            "BTCUSDT long 1",
            account.add(
                Position::new(btcusdt, Side::Long, 1.0, 60_000.0)?,
                60_000.0,
                20.0,
                tiers.clone(),
            )?,
        ),
        (
            "BTC-PERPETUAL short 30,000 USD",
            account.add(
                Position::new(btc_perpetual, Side::Short, 3_000.0, 62_000.0)?,
                60_000.0,
                50.0,
                flat,
            )?,
        ),
        (
            "ETHUSDT long 10",
            account.add(
                Position::new(ethusdt, Side::Long, 10.0, 3_000.0)?,
                2_900.0,
                10.0,
                tiers,
            )?,
        ),
    ];
    println!(
        "cross: equity {:.2} USDT, maintenance {:.2}, initial {:.2}, margin ratio {:.2} %",
        account.equity(),
        account.maintenance_margin(),
        account.initial_margin()?,
        100.0 * account.margin_ratio()?
    );
    for (name, id) in ids {
        println!(
            "  {name:<32} liquidation at {:?}",
            account.liquidation_price(id)?.price()
        );
    }
    Ok(())
}
