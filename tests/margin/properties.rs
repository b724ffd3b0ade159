//! Properties of liquidation and bankruptcy prices (proptest).
//!
//! The defining equations are checked directly — equity at the liquidation price equals the
//! maintenance requirement, equity at the bankruptcy price is zero — evaluated with the position's
//! own P&L and the model's requirement at that price, so the closed forms and the search across
//! brackets are tested against the definition (docs/margin.md), not against themselves.

use derisk::margin::{
    ContractKind, CrossAccount, FlatRate, Instrument, IsolatedPosition, LiquidationPrice,
    MaintenanceBasis, MarginModel, Position, Side, TickRounding, TierTable, Venue,
};
use derisk::market::Currency;
use proptest::prelude::*;

/// A coin-denominated bracket table (caps in BTC), built with the continuity recursion.
fn coin_table() -> TierTable {
    TierTable::from_rates(&[
        (5.0, 0.005, 125.0),
        (10.0, 0.01, 50.0),
        (20.0, 0.025, 20.0),
        (50.0, 0.05, 10.0),
        (100.0, 0.1, 5.0),
        (200.0, 0.125, 4.0),
        (400.0, 0.15, 3.0),
        (1_000.0, 0.25, 2.0),
        (1_500.0, 0.5, 1.0),
    ])
    .unwrap()
}

fn table_for(kind: ContractKind) -> TierTable {
    match kind {
        ContractKind::Linear => TierTable::binance_btcusdt_2021_03_18(),
        ContractKind::Inverse => coin_table(),
    }
}

prop_compose! {
    /// A position that fits the table, opened at a leverage its entry bracket allows.
    fn isolated()(inverse in any::<bool>(), long in any::<bool>(),
                  entry in 100.0..200_000.0_f64, log_value in -2.0..7.5_f64,
                  lev_frac in 0.01..1.0_f64)
                  -> (IsolatedPosition, TierTable) {
        let kind = if inverse { ContractKind::Inverse } else { ContractKind::Linear };
        let side = if long { Side::Long } else { Side::Short };
        let table = table_for(kind);
        // entry value: 10^log_value USDT (linear) or 10^(log_value − 4.5) BTC (inverse)
        let value = match kind {
            ContractKind::Linear => 10f64.powf(log_value + 1.0),
            ContractKind::Inverse => 10f64.powf(log_value - 4.5),
        };
        let (instrument, contracts) = match kind {
            ContractKind::Linear => (Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(), value / entry),
            ContractKind::Inverse => (Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(), value * entry / 10.0),
        };
        let position = Position::new(instrument, side, contracts, entry).unwrap();
        let leverage = 1.0 + lev_frac * (table.max_leverage(value) - 1.0);
        (IsolatedPosition::open(position, leverage, &table).unwrap(), table)
    }
}

fn equity_minus_requirement<M: MarginModel>(iso: &IsolatedPosition, model: &M, price: f64) -> f64 {
    iso.equity(price).unwrap() - iso.maintenance_margin(price, model).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// At the liquidation price, equity = maintenance requirement (mark basis, bracket of the
    /// liquidation price), to rounding: 1e-9 of the position value there.
    #[test]
    fn equity_equals_maintenance_at_the_liquidation_price((iso, table) in isolated()) {
        if let LiquidationPrice::At(p) = iso.liquidation_price(&table) {
            let value = iso.position().value(p).unwrap();
            let gap = equity_minus_requirement(&iso, &table, p);
            prop_assert!(gap.abs() <= 1e-9 * value.max(iso.margin()), "gap {gap} value {value}");
        } else {
            // only a long linear (or short inverse) near 1x can be fully collateralised
            let p = iso.position();
            prop_assert!(matches!((p.instrument().kind(), p.side()),
                (ContractKind::Linear, Side::Long) | (ContractKind::Inverse, Side::Short)));
            // and then equity covers the requirement all the way to the end of the axis
            let far = match p.instrument().kind() { ContractKind::Linear => 1e-6, ContractKind::Inverse => 1e12 };
            prop_assert!(equity_minus_requirement(&iso, &table, far) >= -1e-9 * iso.margin());
        }
    }

    /// A size-scaled model (Deribit futures, no brackets, found by bisection): equity = MM at
    /// the liquidation price, to the bisection's resolution.
    #[test]
    fn size_scaled_liquidation(long in any::<bool>(), entry in 1_000.0..200_000.0_f64,
                               log_btc in -2.0..3.0_f64, lev_frac in 0.05..1.0_f64, inverse in any::<bool>()) {
        // Deribit's schedule is per BTC of value; for a linear contract (value in USDT) the same
        // slope per 100 BTC at 60,000 USDT.
        let d = if inverse {
            derisk::margin::SizeScaled::DERIBIT_BTC
        } else {
            derisk::margin::SizeScaled::new(0.02, 0.015, 0.005 / 100.0 / 60_000.0).unwrap()
        };
        let side = if long { Side::Long } else { Side::Short };
        let btc = 10f64.powf(log_btc);
        let (instrument, contracts) = if inverse {
            (Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(), btc * entry / 10.0)
        } else {
            (Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(), btc)
        };
        let p = Position::new(instrument, side, contracts, entry).unwrap();
        let value = p.entry_value();
        let lev = 1.0 + lev_frac * (d.max_leverage(value) - 1.0);
        let iso = IsolatedPosition::open(p, lev, &d).unwrap();
        if let LiquidationPrice::At(price) = iso.liquidation_price(&d) {
            let gap = equity_minus_requirement(&iso, &d, price);
            prop_assert!(gap.abs() <= 1e-9 * iso.position().value(price).unwrap().max(iso.margin()), "gap {gap}");
        }
    }

    /// Moving the liquidation price: posting `margin_for_liquidation_price(T)` puts the
    /// liquidation price at T (direct evaluation of the requirement at T against the solver).
    #[test]
    fn margin_for_a_target_liquidation_price((iso, table) in isolated(), frac in 0.01..0.5_f64) {
        let p = *iso.position();
        let target = match p.side() { Side::Long => p.entry() * (1.0 - frac), Side::Short => p.entry() * (1.0 + frac) };
        let m = iso.margin_for_liquidation_price(target, &table).unwrap();
        if m > 0.0 {
            let moved = IsolatedPosition::new(p, m).unwrap();
            let lp = moved.liquidation_price(&table).price().unwrap();
            prop_assert!((lp - target).abs() <= 1e-9 * target, "{lp} vs {target}");
        }
    }

    /// Cutting `reduction_to_maintenance` contracts at the mark leaves the rest exactly at its
    /// requirement (equity unchanged by a close at the mark); a healthy position is not cut.
    #[test]
    fn reduction_restores_maintenance((iso, table) in isolated(), frac in 0.0..0.3_f64) {
        let p = *iso.position();
        let mark = match p.side() { Side::Long => p.entry() * (1.0 - frac), Side::Short => p.entry() * (1.0 + frac) };
        let equity = iso.equity(mark).unwrap();
        let cut = iso.reduction_to_maintenance(mark, &table).unwrap();
        if !iso.is_liquidatable(mark, &table).unwrap() {
            prop_assert_eq!(cut, 0.0);
        } else if equity <= 0.0 {
            prop_assert_eq!(cut, p.contracts());
        } else if cut < p.contracts() {
            let rest = p.fill(p.side().opposite(), cut, mark).unwrap().position.unwrap();
            let mm = table.maintenance_margin(rest.value(mark).unwrap());
            prop_assert!(mm <= equity * (1.0 + 1e-12) && mm >= equity * (1.0 - 1e-9), "mm {mm} equity {equity}");
        }
    }

    /// Entry basis (Bybit): equity at the LP equals the requirement on the entry value.
    #[test]
    fn entry_basis_liquidation((iso, table) in isolated()) {
        let venue = Venue::new(table, 0.0, MaintenanceBasis::Entry, TickRounding::None).unwrap();
        if let LiquidationPrice::At(p) = iso.liquidation_price(&venue) {
            let mm = venue.maintenance_margin(iso.position().entry_value());
            prop_assert!((iso.equity(p).unwrap() - mm).abs() <= 1e-9 * iso.margin().max(mm));
        }
    }

    /// The bankruptcy price has equity 0 and lies beyond the liquidation price.
    #[test]
    fn bankruptcy_beyond_liquidation((iso, table) in isolated()) {
        let lp = iso.liquidation_price(&table).price();
        let bp = iso.bankruptcy_price(&table).price();
        if let Some(b) = bp {
            prop_assert!(iso.equity(b).unwrap().abs() <= 1e-9 * iso.margin());
        }
        match (lp, bp, iso.position().side()) {
            (Some(l), Some(b), Side::Long) => prop_assert!(b <= l),
            (Some(l), Some(b), Side::Short) => prop_assert!(b >= l),
            (Some(_), None, _) => {
                // no bankruptcy price but a liquidation price: only possible for a fully
                // margined long linear / short inverse, where the LP must not exist either
                prop_assert!(false, "liquidation without bankruptcy");
            }
            _ => {}
        }
    }

    /// More leverage moves the liquidation price toward the entry; more margin moves it away;
    /// a higher maintenance rate moves it toward the entry.
    #[test]
    fn liquidation_price_moves_the_right_way(
        inverse in any::<bool>(), long in any::<bool>(), entry in 100.0..100_000.0_f64,
        lev in 2.0..50.0_f64, extra in 0.01..1.0_f64, rate in 0.001..0.02_f64,
    ) {
        let side = if long { Side::Long } else { Side::Short };
        let instrument = if inverse {
            Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap()
        } else {
            Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap()
        };
        let position = Position::new(instrument, side, 10.0, entry).unwrap();
        let flat = FlatRate::new(rate, 100.0).unwrap();
        let higher = FlatRate::new(rate * 1.5, 100.0).unwrap();
        let at = |lev: f64| IsolatedPosition::open(position, lev, &flat).unwrap();
        let toward_entry = |a: f64, b: f64| match side { Side::Long => b > a, Side::Short => b < a };
        let l1 = at(lev).liquidation_price(&flat).price().unwrap();
        let l2 = at(lev * 1.2).liquidation_price(&flat).price().unwrap();
        prop_assert!(toward_entry(l1, l2), "leverage: {l1} -> {l2}");
        let mut more = at(lev);
        more.add_margin(extra * more.margin()).unwrap();
        if let Some(l3) = more.liquidation_price(&flat).price() {
            prop_assert!(toward_entry(l3, l1), "margin: {l1} -> {l3}");
        }
        let l4 = at(lev).liquidation_price(&higher).price().unwrap();
        prop_assert!(toward_entry(l1, l4), "rate: {l1} -> {l4}");
        // and a position with a larger notional in a tiered table sits in a higher bracket
        prop_assert!(l1.is_finite() && l2.is_finite());
    }

    /// A bigger position at the same leverage sits in a bracket with a higher maintenance rate
    /// (MM(n)/n = r − a/n never falls as n grows), so its LP is no farther from the entry.
    #[test]
    fn bigger_positions_liquidate_no_later(long in any::<bool>(), entry in 1_000.0..100_000.0_f64,
                                           log_value in 3.0..7.0_f64, k in 1.5..20.0_f64) {
        let table = TierTable::binance_btcusdt_2021_03_18();
        let side = if long { Side::Long } else { Side::Short };
        let usdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
        let value = 10f64.powf(log_value);
        let lev = 1.0_f64.max(table.max_leverage(value * k).min(table.max_leverage(value)) * 0.5);
        let small = IsolatedPosition::open(Position::new(usdt, side, value / entry, entry).unwrap(), lev, &table).unwrap();
        let big = IsolatedPosition::open(Position::new(usdt, side, k * value / entry, entry).unwrap(), lev, &table).unwrap();
        if let (Some(a), Some(b)) = (small.liquidation_price(&table).price(), big.liquidation_price(&table).price()) {
            match side {
                Side::Long => prop_assert!(b >= a * (1.0 - 1e-12), "{a} -> {b}"),
                Side::Short => prop_assert!(b <= a * (1.0 + 1e-12), "{a} -> {b}"),
            }
        }
    }

    /// Linear and inverse agree: an inverse position of face X USD at entry E is, in USD, a
    /// linear position of X/E coins at E, so (i) its coin P&L × mark equals that linear P&L at
    /// any mark; (ii) at its liquidation price P (flat rate r, coin margin m) the USD equity of
    /// the linear equivalent plus the coin margin valued at P, m·P + s·(X/E)·(P − E), equals
    /// the USD requirement r·X.
    #[test]
    fn inverse_agrees_with_its_linear_equivalent(
        long in any::<bool>(), entry in 100.0..100_000.0_f64, mark in 100.0..100_000.0_f64,
        contracts in 1.0..1e5_f64, lev in 1.5..50.0_f64, rate in 0.001..0.05_f64,
    ) {
        let side = if long { Side::Long } else { Side::Short };
        let s = side.sign();
        let inverse = Position::new(Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(), side, contracts, entry).unwrap();
        let x = inverse.exposure();
        let linear = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(), side, x / entry, entry).unwrap();
        let usd = inverse.unrealised_pnl(mark).unwrap() * mark;
        let lin = linear.unrealised_pnl(mark).unwrap();
        prop_assert!((usd - lin).abs() <= 1e-9 * (x / entry * mark).max(x));
        let flat = FlatRate::new(rate, 100.0).unwrap();
        let iso = IsolatedPosition::open(inverse, lev, &flat).unwrap();
        if let Some(p) = iso.liquidation_price(&flat).price() {
            let m = iso.margin();
            let lhs = m * p + s * (x / entry) * (p - entry);
            prop_assert!((lhs - rate * x).abs() <= 1e-9 * x, "{lhs} vs {}", rate * x);
        }
    }

    /// Cross margin with one position and wallet W gives the isolated price with margin W.
    #[test]
    fn cross_with_one_position_equals_isolated((iso, table) in isolated()) {
        let mut acct = CrossAccount::new(iso.margin()).unwrap();
        let p = *iso.position();
        let id = acct.add(p, p.entry(), 1.0, &table).unwrap();
        prop_assert_eq!(acct.liquidation_price(id).unwrap(), iso.liquidation_price(&table));
        // and the common move of a one-position account reaches the same price
        let m = acct.common_move();
        let toward = match p.side() { Side::Long => m.down, Side::Short => m.up };
        if let (Some(lp), Some(x)) = (iso.liquidation_price(&table).price(), toward) {
            prop_assert!((p.entry() * (1.0 + x) - lp).abs() <= 1e-9 * lp);
        }
    }

    /// Venue tick rounding (Bybit: long up, short down) keeps the price within one tick, on the
    /// side that liquidates earlier.
    #[test]
    fn bybit_rounding_is_conservative((iso, table) in isolated()) {
        let raw = Venue::new(table.clone(), 0.0, MaintenanceBasis::Entry, TickRounding::None).unwrap();
        let bybit = Venue::bybit(table);
        if let (Some(a), Some(b)) = (iso.liquidation_price(&raw).price(), iso.liquidation_price(&bybit).price()) {
            let tick = iso.position().instrument().tick_size();
            prop_assert!((b - a).abs() <= tick * (1.0 + 1e-9));
            match iso.position().side() {
                Side::Long => prop_assert!(b >= a * (1.0 - 1e-14) || b == tick),
                Side::Short => prop_assert!(b <= a * (1.0 + 1e-14)),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// The collateral value is piecewise linear and increasing in the price; its inverse returns
    /// the price.
    #[test]
    fn collateral_value_inverts(amount in 0.1..1e5_f64, price in 1.0..1e5_f64,
                                cap1 in 1e3..1e8_f64, h1 in 0.0..0.2_f64, h2 in 0.0..0.5_f64) {
        use derisk::margin::{CollateralAsset, HaircutTier};
        let asset = CollateralAsset::tiered(amount, price, vec![
            HaircutTier { value_cap: cap1, haircut: h1 },
            HaircutTier { value_cap: f64::INFINITY, haircut: h1.max(h2) },
        ]).unwrap();
        let v = asset.value();
        prop_assert!(v <= asset.gross_value() * (1.0 + 1e-15));
        let back = asset.price_for_value(v).unwrap();
        prop_assert!((back - price).abs() <= 1e-12 * price, "{back} vs {price}");
        prop_assert!(asset.value_at(price * 1.01).unwrap() >= v);
    }

    /// Deribit standard margin of a short option: IM ≥ MM > mark; the further out of the money,
    /// the lower the initial margin (never below the minimum plus the mark).
    #[test]
    fn option_margin_orders(s in 1_000.0..100_000.0_f64, k_frac in 0.5..1.5_f64, mark in 0.0..0.5_f64,
                            call in any::<bool>()) {
        use derisk::margin::OptionMarginRates;
        use derisk::pricing::OptionKind;
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let r = OptionMarginRates::DERIBIT;
        let m = r.margin(kind, s * k_frac, s, mark, -1.0).unwrap();
        prop_assert!(m.initial >= m.maintenance && m.maintenance > mark);
        prop_assert!(m.initial >= 0.10 + mark - 1e-15);
        let further = if call { s * k_frac * 1.1 } else { s * k_frac / 1.1 };
        let m2 = r.margin(kind, further, s, mark, -1.0).unwrap();
        prop_assert!(m2.initial <= m.initial + 1e-15);
    }

    /// Moving every position as a group is the account's common move.
    #[test]
    fn group_of_all_is_the_common_move(wallet in 100.0..1e5_f64, e1 in 1e3..1e5_f64, e2 in 1e3..1e5_f64,
                                       q1 in 0.01..5.0_f64, q2 in 0.01..5.0_f64, short2 in any::<bool>()) {
        let t = TierTable::binance_btcusdt_2021_03_18();
        let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
        let mut a = CrossAccount::new(wallet).unwrap();
        let first = a.add(Position::new(u, Side::Long, q1, e1).unwrap(), e1, 1.0, &t).unwrap();
        let side2 = if short2 { Side::Short } else { Side::Long };
        let second = a.add(Position::new(u, side2, q2, e2).unwrap(), e2, 1.0, &t).unwrap();
        prop_assert_eq!(a.common_move_of(&[first, second]).unwrap(), a.common_move());
    }
}
