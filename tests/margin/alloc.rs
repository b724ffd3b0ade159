//! The hot paths allocate nothing after construction: a counting global allocator (per thread,
//! so the test harness's own threads and this binary's other tests do not interfere) sees zero allocations while the
//! liquidation price, the margin ratio, the cross liquidation price and the common move run.

use derisk::market::Currency;

use derisk::margin::{CrossAccount, Instrument, IsolatedPosition, Position, Side, TierTable};

#[path = "../common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations;

#[test]
fn hot_paths_do_not_allocate() {
    let table = TierTable::binance_btcusdt_2021_03_18();
    let usdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let iso = IsolatedPosition::new(
        Position::new(usdt, Side::Short, 1.0, 50_000.0).unwrap(),
        2_500.0,
    )
    .unwrap();
    let mut account = CrossAccount::new(5_000_000.0).unwrap();
    for i in 0..100 {
        let side = if i % 3 == 0 { Side::Short } else { Side::Long };
        let entry = 20_000.0 + 500.0 * f64::from(i);
        let p = Position::new(usdt, side, 0.5, entry).unwrap();
        account.add(p, entry * 1.01, 20.0, &table).unwrap();
    }
    let before = allocations();
    let lp = iso.liquidation_price(&table);
    let ratio = account.margin_ratio();
    let cross = account
        .liquidation_price(derisk::portfolio::PositionId(42))
        .unwrap();
    let moved = account.common_move();
    let after = allocations();
    assert_eq!(after - before, 0);
    // (the values are used, so nothing is optimised away)
    assert!(lp.price().is_some() && ratio.unwrap().is_finite() && cross.price().is_some());
    std::hint::black_box(moved);
}
