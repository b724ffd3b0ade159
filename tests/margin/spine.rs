#![allow(clippy::excessive_precision)] // the mpmath references are kept at 20 digits
//! Margin on the spine (issue 11): positions addressed by stable ids, and the cross account with
//! linear and inverse contracts and collateral in several currencies.

use derisk::margin::{
    Account, AnyModel, CrossAccount, FlatRate, HaircutTier, Instrument, IsolatedPosition,
    MarginError, Position, Side, TierTable,
};
use derisk::market::Currency;
use derisk::portfolio::PositionId;

fn usdt() -> Instrument {
    Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap()
}

/// Removing one position (by `remove`, or by a fill that closes it flat) leaves the others' ids
/// valid, and a removed id is never given again.
#[test]
fn ids_survive_removal() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut a = CrossAccount::new(100_000.0).unwrap();
    let ids: Vec<PositionId> = (0..4)
        .map(|k| {
            let q = 1.0 + f64::from(k);
            a.add(
                Position::new(usdt(), Side::Long, q, 50_000.0).unwrap(),
                50_000.0,
                10.0,
                &t,
            )
            .unwrap()
        })
        .collect();
    assert_eq!(
        ids,
        [PositionId(0), PositionId(1), PositionId(2), PositionId(3)]
    );
    assert_eq!(a.remove(ids[1]).unwrap().position.contracts(), 2.0);
    // closing id 2 flat removes it too
    assert_eq!(a.fill(ids[2], Side::Short, 3.0, 51_000.0).unwrap(), 3_000.0);
    for (&id, q) in [(ids[0], 1.0), (ids[3], 4.0)].iter().map(|(i, q)| (i, *q)) {
        assert_eq!(a.get(id).unwrap().position.contracts(), q);
        a.set_mark(id, 49_000.0).unwrap();
        assert!(a.liquidation_price(id).is_ok());
    }
    for gone in [ids[1], ids[2]] {
        assert_eq!(
            a.get(gone).unwrap_err(),
            MarginError::UnknownPosition { id: gone }
        );
        assert_eq!(
            a.set_mark(gone, 1.0),
            Err(MarginError::UnknownPosition { id: gone })
        );
        assert!(a.apply_funding(gone, 0.0001).is_err());
        assert!(a.liquidation_price(gone).is_err());
        assert!(a.distance_to_liquidation(gone).is_err());
        assert!(a.common_move_of(&[ids[0], gone]).is_err());
        assert!(a.fill(gone, Side::Long, 1.0, 1.0).is_err());
        assert!(a.remove(gone).is_err());
    }
    let next = a
        .add(
            Position::new(usdt(), Side::Short, 1.0, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            &t,
        )
        .unwrap();
    assert_eq!(next, PositionId(4));
    let order: Vec<PositionId> = a.entries().iter().map(|e| e.id).collect();
    assert_eq!(order, [PositionId(0), PositionId(3), PositionId(4)]);

    // an account's cross and isolated positions share one sequence of ids
    let mut acct = Account::new(a);
    let iso = IsolatedPosition::new(
        Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap(),
        1_000.0,
    )
    .unwrap();
    let i1 = acct.add_isolated(iso, 50_000.0, &t).unwrap();
    let i2 = acct.add_isolated(iso, 50_000.0, &t).unwrap();
    assert_eq!((i1, i2), (PositionId(5), PositionId(6)));
    acct.remove_isolated(i1).unwrap();
    acct.set_isolated_mark(i2, 49_500.0).unwrap();
    assert_eq!(acct.isolated_entry(i2).unwrap().mark, 49_500.0);
    assert_eq!(
        acct.set_isolated_mark(i1, 1.0),
        Err(MarginError::UnknownPosition { id: i1 })
    );
    assert!(acct.transfer_to_isolated(i1, 1.0).is_err());
    assert!(acct.isolated_entry(PositionId(0)).is_err()); // a cross id is not an isolated one
    let c = acct
        .cross_mut()
        .add(
            Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            &t,
        )
        .unwrap();
    assert_eq!(c, PositionId(7));
}

/// Serde keeps the ids (and the next id) and refuses loaded data with repeated ids.
#[cfg(feature = "serde")]
#[test]
fn ids_survive_serde() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut a = CrossAccount::new(10_000.0).unwrap();
    let first = a
        .add(
            Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            t.clone(),
        )
        .unwrap();
    let second = a
        .add(
            Position::new(usdt(), Side::Long, 2.0, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            t.clone(),
        )
        .unwrap();
    a.remove(first).unwrap();
    let json = serde_json::to_string(&a).unwrap();
    let mut back: CrossAccount<TierTable> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    assert_eq!(back.get(second).unwrap().position.contracts(), 2.0);
    let third = back
        .add(
            Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            t,
        )
        .unwrap();
    assert_eq!(third, PositionId(2));
    let twice = json.replace("\"next_id\":2", "\"next_id\":1");
    assert!(serde_json::from_str::<CrossAccount<TierTable>>(&twice).is_err());
}

/// tools/margin_multicurrency.py (mpmath 1.3.0, 50 digits): a USDT-margined cross account with a
/// linear BTCUSDT long, a BTC-settled inverse BTC-PERPETUAL short and a linear ETHUSDT long, and
/// USDT and BTC collateral (BTC at a 5 % haircut).
fn mixed_account() -> (CrossAccount<AnyModel>, [PositionId; 3]) {
    use derisk::market::Currency;
    let tiers: AnyModel = TierTable::binance_btcusdt_2021_03_18().into();
    let flat: AnyModel = FlatRate::new(0.01, 50.0).unwrap().into();
    let mut a = CrossAccount::<AnyModel>::in_currency(Currency::USDT, 2_000.0).unwrap();
    a.set_price(Currency::USDT, 1.0).unwrap();
    a.set_price(Currency::BTC, 60_000.0).unwrap();
    let haircut = [HaircutTier {
        value_cap: f64::INFINITY,
        haircut: 0.05,
    }];
    a.set_balance(Currency::BTC, 0.05, &haircut).unwrap();
    let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let ethusdt = Instrument::linear_perpetual(Currency::ETH, Currency::USDT, 1.0, 0.01).unwrap();
    let btc_perpetual = Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap();
    let pa = Position::new(btcusdt, Side::Long, 1.0, 60_000.0).unwrap();
    let pb = Position::new(btc_perpetual, Side::Short, 3_000.0, 62_000.0).unwrap();
    let pc = Position::new(ethusdt, Side::Long, 10.0, 3_000.0).unwrap();
    let ia = a.add(pa, 60_000.0, 20.0, tiers.clone()).unwrap();
    let ib = a.add(pb, 60_000.0, 50.0, flat).unwrap();
    let ic = a.add(pc, 2_900.0, 10.0, tiers).unwrap();
    (a, [ia, ib, ic])
}

fn rel(x: f64, reference: f64) -> f64 {
    ((x - reference) / reference).abs()
}

#[test]
fn mixed_linear_and_inverse_with_two_collaterals() {
    use derisk::market::Currency;
    let (a, [ia, ib, ic]) = mixed_account();
    // equity = 2,000 + 0 − 1,000 + 0.95 × (0.05 + 30,000·(1/60,000 − 1/62,000)) × 60,000
    assert!(rel(a.equity(), 4_769.354_838_709_677_419_4) < 1e-14);
    assert!(rel(a.maintenance_margin(), 666.0) < 1e-14);
    assert!(rel(a.initial_margin().unwrap(), 6_500.0) < 1e-14);
    assert_eq!(a.balance(Currency::BTC), 0.05);
    assert!(
        rel(
            a.margin_ratio().unwrap(),
            666.0 / 4_769.354_838_709_677_419_4
        ) < 1e-14
    );

    // the BTC positions share one liquidation price: BTC marks and BTC's price move together
    let lp_a = a.liquidation_price(ia).unwrap().price().unwrap();
    let lp_b = a.liquidation_price(ib).unwrap().price().unwrap();
    assert!(rel(lp_a, 52_959.512_937_595_129_376) < 1e-12, "{lp_a}");
    assert!(rel(lp_b, 52_959.512_937_595_129_376) < 1e-12, "{lp_b}");
    // the ETH position moves alone (closed form, margin = equity − maintenance of the others)
    let lp_c = a.liquidation_price(ic).unwrap().price().unwrap();
    assert!(rel(lp_c, 2_488.016_582_458_867_729) < 1e-12, "{lp_c}");

    // at the returned price, equity = maintenance to 1e-9 (rebuilt through the public setters)
    let mut at = a.clone();
    at.set_mark(ia, lp_a).unwrap();
    at.set_mark(ib, lp_a).unwrap();
    at.set_price(Currency::BTC, lp_a).unwrap();
    assert!(rel(at.equity(), at.maintenance_margin()) < 1e-9);
    let mut at = a.clone();
    at.set_mark(ic, lp_c).unwrap();
    assert!(rel(at.equity(), at.maintenance_margin()) < 1e-9);
    assert!(at.margin_ratio().unwrap() > 1.0 - 1e-9);

    // funding and fills book in the position's own settlement currency
    let mut f = a.clone();
    let received = f.apply_funding(ib, 0.0001).unwrap(); // the short receives 0.01 % of 0.5 BTC
    assert!(rel(received, 0.000_05) < 1e-12);
    assert!(rel(f.balance(Currency::BTC), 0.050_05) < 1e-12);
    assert_eq!(f.wallet_balance(), 2_000.0);
    let realised = f.fill(ic, Side::Short, 10.0, 2_900.0).unwrap();
    assert_eq!(realised, -1_000.0);
    assert_eq!(f.wallet_balance(), 1_000.0);
    assert!(f.get(ic).is_err());
}

/// The account reads its prices from a market state (`MarketState::price_of`).
#[test]
fn prices_from_a_market_state() {
    use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    let (mut a, _) = mixed_account();
    let v: Instant = "2026-01-02T08:00:00Z".parse().unwrap();
    let m = MarketState::builder(v, DayCount::Act365Fixed)
        .underlying(Currency::BTC, ForwardCurve::new(60_000.0, &[]).unwrap())
        .fx_rate(Currency::USDT, 1.0)
        .build()
        .unwrap();
    let before = a.clone();
    a.set_prices(&m).unwrap();
    assert_eq!(a, before);
    let btc_missing = MarketState::builder(v, DayCount::Act365Fixed)
        .build()
        .unwrap();
    assert_eq!(
        a.set_prices(&btc_missing),
        Err(MarginError::MissingPrice {
            currency: Currency::BTC
        })
    );
}

/// Issue 15: a margin position holds the same `portfolio::Contract` a `Book` holds, so the
/// margin P&L at a mark equals the book's value of the contract at a market whose price of the
/// contract is that mark: the spot for a perpetual, the forward of its expiry instant for a dated
/// future. Numbers by hand from the Binance FAQ "How to Calculate Unrealized PNL" formulas
/// (COIN-M: 100 contracts × 100 USD × (1/25,000 − 1/27,500) = 0.4/11 BTC; USDⓈ-M: 2 × (27,500 −
/// 25,000) = 5,000 USDT) and for the future 10 × 10 × (1/25,000 − 1/28,000) = 3/7,000 BTC.
#[test]
fn margin_positions_value_as_the_book_values_their_contract() {
    use derisk::market::{DayCount, ForwardCurve, Instant, MarketState};
    use derisk::portfolio::{Book, Instrument as _, Position as BookPosition, Settlement};
    let valuation = Instant::from_date_hour(2026, 1, 2, 8).unwrap();
    let march = Instant::from_date_hour(2026, 3, 27, 8).unwrap();
    let m = MarketState::builder(valuation, DayCount::Act365_25)
        .underlying(
            Currency::BTC,
            ForwardCurve::new(27_500.0, &[(march, 28_000.0)]).unwrap(),
        )
        .build()
        .unwrap();
    let coin_m = Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1).unwrap();
    let usdt_m = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let future = Instrument::future(Currency::BTC, Settlement::Inverse, 10.0, march, 0.5).unwrap();
    assert_eq!(future.expiry(), Some(march));
    assert_eq!(future.contract().expiry(), Some(march));
    let cases = [
        (coin_m, 100.0, 27_500.0, 0.4 / 11.0),
        (usdt_m, 2.0, 27_500.0, 5_000.0),
        (future, 10.0, 28_000.0, 3.0 / 7_000.0),
    ];
    let mut book = Book::new();
    for (instrument, contracts, mark, by_hand) in cases {
        let p = Position::new(instrument, Side::Long, contracts, 25_000.0).unwrap();
        let margin_pnl = p.unrealised_pnl(mark).unwrap();
        assert!((margin_pnl - by_hand).abs() <= 1e-14 * by_hand.abs());
        let held = BookPosition::new(*instrument.contract(), contracts, 25_000.0).unwrap();
        let book_value = contracts * held.instrument.value(&m, 25_000.0).unwrap();
        assert!((book_value - margin_pnl).abs() <= 1e-14 * by_hand.abs());
        book.insert(held);
    }
    assert_eq!(book.len(), 3);
}
