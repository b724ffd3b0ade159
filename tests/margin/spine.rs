//! Margin on the spine (issue 11): positions addressed by stable ids, and the cross account with
//! linear and inverse contracts and collateral in several currencies.

use derisk::margin::{
    Account, CrossAccount, Instrument, IsolatedPosition, MarginError, Position, Side, TierTable,
};
use derisk::portfolio::PositionId;

fn usdt() -> Instrument {
    Instrument::linear_perpetual(1.0, 0.1).unwrap()
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
