//! Quickstart section: what liquidation would do to the isolated BTCUSDT long of the margin
//! section (2 BTC at 20x, Binance's 2021-03-18 tiers) if BTC fell 30 % in 1 % steps, as in the
//! book section's crash scenario. At each mark the engine takes one step
//! (`tiered_liquidation_step`): a cut down to a lower risk tier, filled against the embedded
//! Hyperliquid order book re-centred on the mark, then, when no tier saves the rest, the
//! take-over at the bankruptcy price, whose fill decides the insurance fund's gain or loss.

use std::error::Error;

use derisk::margin::{
    tiered_liquidation_step, Closeout, CrossAccount, Instrument, InsuranceFund, IsolatedPosition,
    MarketImpact, Position, Side, TierStep, TierTable,
};
use derisk::market::{Currency, Level, OrderBook};
use derisk::risk::reverse_stress_account;

const BOOK: &str = include_str!("../data/hyperliquid_btc_book_2025-01-26.csv");

/// The embedded snapshot as an `OrderBook` (columns: time, coin, side, level, price, size, n).
pub fn order_book() -> Result<OrderBook, Box<dyn Error>> {
    let (mut bids, mut asks) = (Vec::new(), Vec::new());
    for line in BOOK.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let level = Level::new(c[4].parse()?, c[5].parse()?);
        if c[2] == "bid" {
            bids.push(level);
        } else {
            asks.push(level);
        }
    }
    Ok(OrderBook::new(bids, asks)?)
}

/// Prints the liquidation section; `index` is the BTC index of the snapshot.
pub fn report(index: f64) -> Result<(), Box<dyn Error>> {
    let table = TierTable::binance_btcusdt_2021_03_18();
    let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.001, 0.1)?;
    let long = Position::new(btcusdt, Side::Long, 2_000.0, index)?;
    let mut iso = Some(IsolatedPosition::open(long, 20.0, &table)?);
    // the reverse stress of the same position in a cross account holding its margin
    let mut account = CrossAccount::new(long.value(index)? / 20.0)?;
    let id = account.add(long, index, 20.0, &table)?;
    let reverse = reverse_stress_account(&account, &[(id, -1.0)], 1.0, 100)?;
    let book = order_book()?;
    // an illustrative fund of 10,000 USDT for this contract
    let mut fund = InsuranceFund::new(10_000.0)?;
    println!("Liquidation under the crash (BTCUSDT isolated long 2 BTC at 20x; BTC −1 % a step)");
    println!(
        "  fills walk the Hyperliquid BTC book of 2025-01-26 (20 levels, {:.1} BTC bid), re-centred on the mark",
        book.bids().iter().map(|l| l.size).sum::<f64>()
    );
    println!(
        "  reverse stress of the account: maintenance is breached after BTC {:+.2} % ({:?})",
        100.0 * (-reverse.scale).exp_m1(),
        reverse.termination
    );
    for step in 1..=30 {
        let Some(position) = iso else { break };
        let mark = index * (-0.01 * f64::from(step)).exp();
        match tiered_liquidation_step(&position, mark, &table)? {
            TierStep::Healthy => {}
            TierStep::Reduce {
                contracts,
                kept_value,
                position: rest,
                ..
            } => {
                let coins = contracts * 0.001;
                let fill = book.execute(mark, -coins)?;
                println!(
                    "  mark {mark:>9.1}: cut {coins:.3} BTC to the {kept_value:.0} USDT tier; filled at {:.1} (slippage {:.2} USDT)",
                    fill.vwap,
                    coins * (mark - fill.vwap)
                );
                iso = Some(rest);
            }
            TierStep::TakeOver => {
                let p = position.position();
                let bankruptcy = position
                    .bankruptcy_price(&table)
                    .price()
                    .ok_or("no bankruptcy price")?;
                let coins = p.contracts() * 0.001;
                let fill = book.execute(mark, -coins)?;
                let closeout = Closeout::new(
                    btcusdt,
                    Side::Long,
                    p.contracts(),
                    bankruptcy,
                    p.contracts(),
                    fill.vwap,
                )?;
                let out = fund.close_out(&closeout, &[])?;
                println!(
                    "  mark {mark:>9.1}: take-over of {coins:.3} BTC at bankruptcy {bankruptcy:.1}; sold at {:.1}: insurance fund {:+.2} USDT, socialised {:.2}",
                    fill.vwap, out.fund_pnl, out.socialised_loss
                );
                fund = out.fund;
                iso = None;
            }
            _ => {}
        }
    }
    println!(
        "  insurance fund after the crash: {:.2} USDT of 10,000 (it keeps what fills beat the bankruptcy price by, pays what they miss it by)\n",
        fund.balance()
    );
    Ok(())
}
