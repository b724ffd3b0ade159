//! Margin and liquidation against the venues' worked examples and formulas.
//!
//! Every expected number comes from a source named beside it: a venue's own worked example, or,
//! where the venue prints only a formula, an evaluation of that formula in exact rationals by
//! `tools/margin_vectors.py` (standard-library Python, written from the venues' pages, not from
//! this crate), or arithmetic done by hand in the comment. The vector ids (B1, Y1, …) are those of
//! the project's shared margin reference (reference/margin.md beside the repository), reproduced
//! in docs/margin.md.

use derisk::margin::{
    continuous_maintenance_amount, Account, AnyModel, Collateral, CollateralAsset, CrossAccount,
    FlatRate, HaircutTier, Instrument, IsolatedPosition, LiquidationPrice, MaintenanceBasis,
    MarginModel, NoLiquidationPrice, OptionMarginRates, Position, Side, TickRounding, TierTable,
    Venue,
};
use derisk::market::Currency;
use derisk::portfolio::PositionId;
use derisk::pricing::OptionKind;

fn usdt() -> Instrument {
    Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap()
}

fn linear(side: Side, qty: f64, entry: f64) -> Position {
    Position::new(usdt(), side, qty, entry).unwrap()
}

fn lp(iso: &IsolatedPosition, model: &impl MarginModel) -> f64 {
    iso.liquidation_price(model).price().unwrap()
}

fn close(actual: f64, expected: f64, rel: f64) {
    assert!(
        (actual - expected).abs() <= rel * expected.abs(),
        "{actual} vs {expected}"
    );
}

// ---------------------------------------------------------------- Binance USDⓈ-M

/// Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93): "maintenance amount on level 3 =
/// 250,000 × (1 % − 0.5 %) + 50 = 1,300".
#[test]
fn binance_faq_maintenance_amount_1300() {
    assert_eq!(
        continuous_maintenance_amount(250_000.0, 0.005, 0.01, 50.0),
        1_300.0
    );
    let t = TierTable::binance_btcusdt_2021_03_18();
    assert_eq!(t.tiers()[2].maintenance_amount, 1_300.0);
    // the built-in table passes validation (continuity of every amount)
    assert_eq!(TierTable::new(t.tiers().to_vec()).as_ref(), Ok(&t));
    // The `cum` column of the 2021 table as listed in the shared reference (community gist,
    // re-derived there with the recursion): 0, 50, 1,300, 16,300, 266,300, 1,266,300, 2,516,300,
    // 5,016,300, 25,016,300, 100,016,300.
    let cum: Vec<f64> = t.tiers().iter().map(|x| x.maintenance_amount).collect();
    assert_eq!(
        cum,
        [
            0.0,
            50.0,
            1_300.0,
            16_300.0,
            266_300.0,
            1_266_300.0,
            2_516_300.0,
            5_016_300.0,
            25_016_300.0,
            100_016_300.0
        ]
    );
}

/// Binance 2021-03-18 announcement: max leverage per bracket (125x to 50,000 USDT, 100x to
/// 250,000, 50x to 1,000,000, 20x to 10,000,000).
#[test]
fn binance_announcement_max_leverage_by_bracket() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    assert_eq!(t.max_leverage(50_000.0), 125.0);
    assert_eq!(t.max_leverage(50_000.01), 100.0);
    assert_eq!(t.max_leverage(1_000_000.0), 50.0);
    assert_eq!(t.max_leverage(5_000_000.0), 20.0);
    assert!(t.initial_margin(600_000_000.0, 1.0).is_err());
}

/// B1–B4: Binance FAQ single-position formula LP = (WB + cum − side·Pos·EP)/(Pos·(MMR − side)),
/// with the FAQ's rule "if the tier at the LP differs, recompute with the tier at the LP";
/// expected values from tools/margin_vectors.py.
#[test]
fn binance_isolated_b1_to_b4() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let cases = [
        (Side::Long, 1.0, 2_500.0, 47_690.763_052_208_8),
        // B2 crosses a bracket: 50,000 notional at entry (0.4 %), 52,288 at the LP (0.5 %, cum 50).
        (Side::Short, 1.0, 2_500.0, 52_288.557_213_930_3),
        (Side::Long, 10.0, 50_000.0, 45_323.232_323_232_3),
        (Side::Short, 10.0, 50_000.0, 54_584.158_415_841_6),
    ];
    for (side, qty, wb, expected) in cases {
        let iso = IsolatedPosition::new(linear(side, qty, 50_000.0), wb).unwrap();
        close(lp(&iso, &t), expected, 1e-14);
    }
    // B3's equity at the LP equals its MM, 3,232.32 (tools/margin_vectors.py).
    let iso = IsolatedPosition::new(linear(Side::Long, 10.0, 50_000.0), 50_000.0).unwrap();
    let p = lp(&iso, &t);
    close(iso.equity(p).unwrap(), 3_232.323_232_323_2, 1e-12);
    close(
        iso.maintenance_margin(p, &t).unwrap(),
        3_232.323_232_323_2,
        1e-12,
    );
}

/// B2 with the bracket of the entry price would give (52,500)/(1.004) = 52,290.84 (by hand): the
/// solver must not keep the entry bracket.
#[test]
fn binance_b2_uses_the_bracket_at_the_liquidation_price() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let iso = IsolatedPosition::new(linear(Side::Short, 1.0, 50_000.0), 2_500.0).unwrap();
    let p = lp(&iso, &t);
    assert!((p - 52_500.0 / 1.004).abs() > 2.0);
    assert_eq!(t.bracket(p).maintenance_rate, 0.005);
}

/// B5: cross, WB 5,000, TMM₁ 200, UPNL₁ −300, long 1 @ 50,000 → 45,682.7309 (tools/margin_vectors.py).
#[test]
fn binance_cross_b5() {
    let mut acct = CrossAccount::<AnyModel>::new(5_000.0).unwrap();
    // Another symbol: long 1 @ 10,300 marked 10,000 (uPnL −300) at a flat 2 % (MM 200).
    acct.add(
        linear(Side::Long, 1.0, 10_300.0),
        10_000.0,
        10.0,
        FlatRate::new(0.02, 50.0).unwrap().into(),
    )
    .unwrap();
    let i = acct
        .add(
            linear(Side::Long, 1.0, 50_000.0),
            50_000.0,
            20.0,
            TierTable::binance_btcusdt_2021_03_18().into(),
        )
        .unwrap();
    close(
        acct.liquidation_price(i).unwrap().price().unwrap(),
        45_682.730_923_694_8,
        1e-14,
    );
}

/// B6: hedge mode, long 1 @ 50,000 and short 0.5 @ 52,000 of one symbol share one LP (Binance
/// FAQ: "under cross margin, same symbol, long and short share the same liquidation price"):
/// 28,340.0810 (tools/margin_vectors.py), found as the common move of both marks.
#[test]
fn binance_hedge_mode_b6() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut acct = CrossAccount::new(10_000.0).unwrap();
    acct.add(linear(Side::Long, 1.0, 50_000.0), 50_000.0, 20.0, &t)
        .unwrap();
    acct.add(linear(Side::Short, 0.5, 52_000.0), 50_000.0, 20.0, &t)
        .unwrap();
    let down = acct.common_move().down.unwrap();
    close(50_000.0 * (1.0 + down), 28_340.080_971_659_9, 1e-11);
}

/// Binance hedge mode with another symbol held at its mark: the long and the short of BTCUSDT
/// move together (FAQ: they share one liquidation price), the ETH position stays at 2,900
/// (uPnL −1,000, MM 1 % × 29,000 = 290): 10,000 − 1,290 + (P − 50,000) + 0.5·(52,000 − P) =
/// 0.006·P → P = 15,290/0.494 = 30,951.4170 (by hand). `liquidation_price(0)` alone, with the
/// short held at its mark, is a different (wrong for hedge mode) question: (8,710 + 1,000 −
/// 100 − 50,000)/(0.004 − 1) with the short's uPnL +1,000 and MM 0.5 × 50,000 × 0.4 % = 100
/// → 40,552.2088 (by hand).
#[test]
fn binance_hedge_mode_with_another_symbol() {
    let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.01).unwrap();
    let t: AnyModel = TierTable::binance_btcusdt_2021_03_18().into();
    let mut a = CrossAccount::<AnyModel>::new(10_000.0).unwrap();
    let long = a
        .add(linear(Side::Long, 1.0, 50_000.0), 50_000.0, 20.0, t.clone())
        .unwrap();
    let short = a
        .add(linear(Side::Short, 0.5, 52_000.0), 50_000.0, 20.0, t)
        .unwrap();
    a.add(
        Position::new(u, Side::Long, 10.0, 3_000.0).unwrap(),
        2_900.0,
        10.0,
        FlatRate::new(0.01, 50.0).unwrap().into(),
    )
    .unwrap();
    let down = a.common_move_of(&[long, short]).unwrap().down.unwrap();
    close(50_000.0 * (1.0 + down), 15_290.0 / 0.494, 1e-11);
    close(
        a.liquidation_price(long).unwrap().price().unwrap(),
        (8_710.0 + 1_000.0 - 100.0 - 50_000.0) / (0.004 - 1.0),
        1e-14,
    );
    assert!(a.common_move_of(&[long, PositionId(7)]).is_err());
}

// ---------------------------------------------------------------- Binance COIN-M

/// Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts"
/// (binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46): "BTCUSD Maintenance Amount on
/// Level 5 = 50 BTC × (5 % − 2.5 %) + 0.56 BTC = 1.81 BTC", and "100 contracts, mark 25,000:
/// notional 100 × 100/25,000 = 0.4 BTC, MM = 0.4 × 0.4 % − 0 = 0.0016 BTC".
#[test]
fn binance_coin_m_faq_examples() {
    close(
        continuous_maintenance_amount(50.0, 0.025, 0.05, 0.56),
        1.81,
        1e-15,
    );
    // Bracket 1 of BTCUSD_PERP (Binance API docs "Notional Bracket for Symbol": 125x, qtyCap 50,
    // maintMarginRatio 0.004, cum 0).
    let t = TierTable::from_rates(&[(50.0, 0.004, 125.0)]).unwrap();
    let p = Position::new(
        Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1).unwrap(),
        Side::Long,
        100.0,
        25_000.0,
    )
    .unwrap();
    let iso = IsolatedPosition::new(p, 0.02).unwrap();
    close(iso.maintenance_margin(25_000.0, &t).unwrap(), 0.0016, 1e-15);
    // The COIN-M FAQ formula LP = (N·MMR + side·N)/((WB + cum)/CS + side·N/EP), isolated:
    // 23,904.7619 long (tools/margin_vectors.py).
    close(lp(&iso, &t), 23_904.761_904_761_9, 1e-14);
    let short = IsolatedPosition::new(
        Position::new(*p.instrument(), Side::Short, 100.0, 25_000.0).unwrap(),
        0.02,
    )
    .unwrap();
    close(lp(&short, &t), 26_210.526_315_789_5, 1e-14);
}

// ---------------------------------------------------------------- Bybit

/// Bybit help "Liquidation Price (USDT Contract)": long 1 BTC @ 20,000, 50x, MMR 0.5 %: IM 400,
/// MM 100, LP 19,700 (Y1). Short + 3,000 extra margin: 23,300 (Y2). Y1 after paying 200 USDT
/// funding: 19,900 (Y3; Bybit: funding paid comes out of the position margin).
#[test]
fn bybit_usdt_y1_y2_y3() {
    let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    let iso = IsolatedPosition::open(linear(Side::Long, 1.0, 20_000.0), 50.0, &venue).unwrap();
    assert_eq!(iso.margin(), 400.0);
    assert_eq!(iso.maintenance_margin(20_000.0, &venue).unwrap(), 100.0);
    assert_eq!(lp(&iso, &venue), 19_700.0);

    let mut short =
        IsolatedPosition::open(linear(Side::Short, 1.0, 20_000.0), 50.0, &venue).unwrap();
    short.add_margin(3_000.0).unwrap();
    assert_eq!(lp(&short, &venue), 23_300.0);

    let mut funded = iso;
    funded.apply_funding(0.01, 20_000.0).unwrap(); // 1 % of 20,000 = 200 paid
    assert_eq!(lp(&funded, &venue), 19_900.0);
}

/// Bybit help "Order Cost (USDT Contract)": long 1 @ 8,000, 50x: IM 160, bankruptcy 7,840 (Y4);
/// long 1 @ 10,000, 50x: bankruptcy 9,800 (Y5); long 1 @ 50,000, 10x: IM 5,000 (Y6).
#[test]
fn bybit_order_cost_y4_y5_y6() {
    let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    let y4 = IsolatedPosition::open(linear(Side::Long, 1.0, 8_000.0), 50.0, &venue).unwrap();
    assert_eq!(y4.margin(), 160.0);
    assert_eq!(y4.bankruptcy_price(&venue).price(), Some(7_840.0));
    let y5 = IsolatedPosition::open(linear(Side::Long, 1.0, 10_000.0), 50.0, &venue).unwrap();
    assert_eq!(y5.bankruptcy_price(&venue).price(), Some(9_800.0));
    let y6 = IsolatedPosition::open(linear(Side::Long, 1.0, 50_000.0), 10.0, &venue).unwrap();
    assert_eq!(y6.margin(), 5_000.0);
}

/// Bybit "Margin Parameters" page (BTCUSDT, tiers 1–20): every published MM deduction equals the
/// continuity recursion (tools/margin_vectors.py prints `True`), so the table validates; a
/// 6,000,000 USDT long (100 BTC @ 60,000, 10x) sits in tier 8 (MMR 1 %, deduction 20,500):
/// LP = E − (IM − MM)/qty = 54,395 (tools/margin_vectors.py, Bybit's USDT LP formula).
#[test]
fn bybit_tier_table_and_a_tier_8_position() {
    let t = TierTable::bybit_btcusdt_2026_11();
    assert_eq!(TierTable::new(t.tiers().to_vec()).as_ref(), Ok(&t));
    assert_eq!(t.tiers()[7].maintenance_amount, 20_500.0);
    assert_eq!(t.max_leverage(6_000_000.0), 50.0);
    let venue = Venue::bybit(t);
    let iso = IsolatedPosition::open(linear(Side::Long, 100.0, 60_000.0), 10.0, &venue).unwrap();
    assert_eq!(lp(&iso, &venue), 54_395.0);
}

/// Bybit ADL article (YI2): inverse long 5,000 USD @ 7,890.08, 50x: bankruptcy 7,735.3725 shown
/// as 7,735.50 (0.5 tick, rounded up for a long).
#[test]
fn bybit_inverse_bankruptcy_tick_rounding_yi2() {
    let venue = Venue::bybit(TierTable::from_rates(&[(150.0, 0.005, 100.0)]).unwrap());
    let p = Position::new(
        Instrument::inverse_perpetual(Currency::BTC, 1.0, 0.5).unwrap(),
        Side::Long,
        5_000.0,
        7_890.08,
    )
    .unwrap();
    let iso = IsolatedPosition::open(p, 50.0, &venue).unwrap();
    assert_eq!(iso.bankruptcy_price(&venue).price(), Some(7_735.5));
    // Unrounded: 7,890.08 × 50/51 = 7,735.372549… (by hand)
    let raw = Venue::new(
        TierTable::from_rates(&[(150.0, 0.005, 100.0)]).unwrap(),
        0.0,
        MaintenanceBasis::Entry,
        TickRounding::None,
    )
    .unwrap();
    close(
        iso.bankruptcy_price(&raw).price().unwrap(),
        7_890.08 * 50.0 / 51.0,
        1e-15,
    );
}

/// Bybit help "Liquidation Price (Inverse Contract)": long Qty/(PV + IM − MM), short
/// Qty/(PV − (IM − MM)) (YI5: 60,000 USD @ 50,000, 10x, MMR 0.5 % → 45,662.1005 / 55,248.6188,
/// tools/margin_vectors.py). Order cost summary YI3: 10,000 USD @ 6,400, 25x → IM 0.0625 BTC,
/// bankruptcy 6,153.85. AAX "Example of Margin Ratio" fee-free form E·L/(L + 1 − MMR·L) → 9,132.42.
#[test]
fn bybit_inverse_yi3_yi5_and_aax() {
    let raw = |mmr: f64| {
        Venue::new(
            FlatRate::new(mmr, 100.0).unwrap(),
            0.0,
            MaintenanceBasis::Entry,
            TickRounding::None,
        )
        .unwrap()
    };
    let inv = Instrument::inverse_perpetual(Currency::BTC, 1.0, 0.5).unwrap();
    let v = raw(0.005);
    for (side, expected) in [
        (Side::Long, 45_662.100_456_621_0),
        (Side::Short, 55_248.618_784_530_4),
    ] {
        let p = Position::new(inv, side, 60_000.0, 50_000.0).unwrap();
        let iso = IsolatedPosition::open(p, 10.0, &v).unwrap();
        close(iso.margin(), 0.12, 1e-15);
        close(lp(&iso, &v), expected, 1e-14);
    }
    let yi3 = IsolatedPosition::open(
        Position::new(inv, Side::Long, 10_000.0, 6_400.0).unwrap(),
        25.0,
        &v,
    )
    .unwrap();
    close(yi3.margin(), 0.0625, 1e-15);
    close(
        yi3.bankruptcy_price(&v).price().unwrap(),
        6_153.846_153_846_2,
        1e-14,
    );
    let aax = IsolatedPosition::open(
        Position::new(inv, Side::Long, 10_000.0, 10_000.0).unwrap(),
        10.0,
        &v,
    )
    .unwrap();
    close(lp(&aax, &v), 9_132.420_091_324_2, 1e-14);
}

/// Bybit "Order Cost" (closing fee reserved at the bankruptcy price): Y4 long 1 @ 8,000, 50x,
/// taker 0.075 % → 160 + 6 + 5.88 = 171.88; Y5 long 1 @ 10,000, 50x → 200 + 7.5 + 7.35 = 214.85;
/// Y6 long 1 @ 50,000, 10x, 0.055 % → 5,000 + 27.5 + 24.75 = 5,052.25. Inverse: YI3 10,000 USD @
/// 6,400, 25x, 0.075 % → IM 0.0625, open 0.00117188, close 0.00121872 (on the bankruptcy price
/// shown as 6,154), total 0.06489060 BTC; YI4 10,000 USD ETHUSD @ 2,000, 25x, 0.055 % → IM 0.2,
/// open 0.00275, close 0.00286, 0.20561 ETH (figures printed to 8 and 5 decimals).
#[test]
fn bybit_order_cost_with_the_closing_fee() {
    let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    for (entry, lev, taker, total) in [
        (8_000.0, 50.0, 0.00075, 171.88),
        (10_000.0, 50.0, 0.00075, 214.85),
        (50_000.0, 10.0, 0.00055, 5_052.25),
    ] {
        let iso = IsolatedPosition::open(linear(Side::Long, 1.0, entry), lev, &venue).unwrap();
        close(iso.order_cost(taker, &venue).unwrap().total, total, 1e-14);
    }
    let inverse = Venue::bybit(TierTable::from_rates(&[(150.0, 0.005, 100.0)]).unwrap());
    let inv = Instrument::inverse_perpetual(Currency::BTC, 1.0, 0.5).unwrap();
    let yi3 = IsolatedPosition::open(
        Position::new(inv, Side::Long, 10_000.0, 6_400.0).unwrap(),
        25.0,
        &inverse,
    )
    .unwrap()
    .order_cost(0.00075, &inverse)
    .unwrap();
    assert!((yi3.initial_margin - 0.0625).abs() < 1e-15);
    assert!((yi3.open_fee - 0.001_171_88).abs() < 5e-9);
    assert!((yi3.close_fee - 0.001_218_72).abs() < 5e-9);
    assert!((yi3.total - 0.064_890_60).abs() < 1e-8);
    let yi4 = IsolatedPosition::open(
        Position::new(inv, Side::Long, 10_000.0, 2_000.0).unwrap(),
        25.0,
        &inverse,
    )
    .unwrap()
    .order_cost(0.00055, &inverse)
    .unwrap();
    assert!((yi4.open_fee - 0.002_75).abs() < 1e-15);
    assert!((yi4.close_fee - 0.002_86).abs() < 5e-6);
    assert!((yi4.total - 0.205_61).abs() < 5e-6);
}

// ---------------------------------------------------------------- OKX, Hyperliquid

/// OKX "Tiered maintenance margin ratio rules": isolated MR = (margin + uPnL)/(value·(MMR + fee)),
/// liquidation at MR ≤ 100 %. M 1,000, 1 BTC @ 50,000, MMR 0.4 %, fee 0.05 % → long 49,221.4967,
/// short 50,771.5281 (tools/margin_vectors.py).
#[test]
fn okx_isolated_with_fee() {
    let okx = Venue::okx(FlatRate::new(0.004, 100.0).unwrap(), 0.0005).unwrap();
    for (side, expected) in [
        (Side::Long, 49_221.496_735_308_9),
        (Side::Short, 50_771.528_123_444_5),
    ] {
        let iso = IsolatedPosition::new(linear(side, 1.0, 50_000.0), 1_000.0).unwrap();
        let p = lp(&iso, &okx);
        close(p, expected, 1e-14);
        // MR = 100 % at the LP
        close(1.0 / iso.margin_ratio(p, &okx).unwrap(), 1.0, 1e-12);
    }
}

/// Hyperliquid docs "Liquidations" (hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations):
/// liq = price − side·margin_available/size/(1 − l·side), l = 1/maintenance leverage. Isolated
/// 1 @ 50,000, margin 2,500, l = 0.01 → 47,979.7980 / 51,980.1980 (tools/margin_vectors.py).
#[test]
fn hyperliquid_isolated() {
    let m = FlatRate::new(0.01, 50.0).unwrap();
    for (side, expected) in [
        (Side::Long, 47_979.797_979_798_0),
        (Side::Short, 51_980.198_019_802_0),
    ] {
        let iso = IsolatedPosition::new(linear(side, 1.0, 50_000.0), 2_500.0).unwrap();
        close(lp(&iso, &m), expected, 1e-14);
    }
}

// ---------------------------------------------------------------- Deribit futures

/// Deribit "Futures" (test.deribit.com/pages/docs/futures): IM 2 % + 0.5 % per 100 BTC — "25 BTC:
/// 2.125 % (= 0.53125 BTC)", "350 BTC: 3.75 % (= 13.125 BTC)"; MM 1.5 % + 0.5 % per 100 BTC.
/// Liquidation of a 20,000,000 USD inverse position at 50,000 with 20 BTC (400 BTC, MM rate
/// 3.5 % at entry): the quadratic in 1/P solved at 50 digits by tools/margin_vectors.py gives
/// 49,299.2516 (long) and 50,806.1765 (short).
#[test]
fn deribit_size_scaled_futures_margin() {
    use derisk::margin::SizeScaled;
    let d = SizeScaled::DERIBIT_BTC;
    close(d.initial_rate(25.0), 0.021_25, 1e-15);
    close(
        d.initial_margin(25.0, 1.0 / d.initial_rate(25.0)).unwrap(),
        0.531_25,
        1e-14,
    );
    close(
        d.initial_margin(350.0, 1.0 / 0.0375).unwrap(),
        13.125,
        1e-14,
    );
    assert!(d.initial_margin(350.0, 30.0).is_err()); // 30x > 1/3.75 %
                                                     // a quarterly future (the expiry enters no margin formula)
    let march = derisk::market::Instant::from_date_hour(2026, 3, 27, 8).unwrap();
    let inv = Instrument::future(
        Currency::BTC,
        derisk::portfolio::Settlement::Inverse,
        10.0,
        march,
        2.5,
    )
    .unwrap();
    for (side, expected) in [
        (Side::Long, 49_299.251_599_315_9),
        (Side::Short, 50_806.176_512_759_8),
    ] {
        let iso = IsolatedPosition::new(
            Position::new(inv, side, 2_000_000.0, 50_000.0).unwrap(),
            20.0,
        )
        .unwrap();
        close(lp(&iso, &d), expected, 1e-12);
    }
}

// ---------------------------------------------------------------- no liquidation price

/// Binance FAQ: "if the liquidation price is less than 0, the UI displays '--'": a 1x linear long
/// (margin = entry value) has none; nor has a 1x inverse short (the short's coin loss tends to
/// N/E = its margin as the price rises; by hand).
#[test]
fn fully_collateralised_positions_have_no_liquidation_price() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let iso = IsolatedPosition::new(linear(Side::Long, 1.0, 50_000.0), 50_000.0).unwrap();
    assert_eq!(
        iso.liquidation_price(&t),
        LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised)
    );
    assert_eq!(
        iso.bankruptcy_price(&t),
        LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised)
    );
    let inv = Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap();
    let short = IsolatedPosition::new(
        Position::new(inv, Side::Short, 1_000.0, 50_000.0).unwrap(),
        0.2,
    )
    .unwrap();
    let flat = FlatRate::new(0.005, 100.0).unwrap();
    assert_eq!(
        short.liquidation_price(&flat),
        LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised)
    );
    // At 2x the same short is liquidated: 10,000·(r − 1)/(0.1 − 0.2) with r = 0.5 %
    // → 99,500 (by hand: equity 0.1 + 10,000(1/P − 1/50,000) = 10,000·0.005/P).
    let half = IsolatedPosition::new(
        Position::new(inv, Side::Short, 1_000.0, 50_000.0).unwrap(),
        0.1,
    )
    .unwrap();
    close(lp(&half, &flat), 99_500.0, 1e-14);
}

// ---------------------------------------------------------------- P&L, funding, fills

/// Binance FAQ "How to Calculate Unrealized PNL" (COIN-M: contracts × multiplier × direction ×
/// (1/entry − 1/mark)); realised P&L on a partial close with average entry (by hand).
#[test]
fn pnl_fills_and_funding() {
    let inv = Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1).unwrap();
    let p = Position::new(inv, Side::Short, 10.0, 40_000.0).unwrap();
    // 1,000 USD × −1 × (1/40,000 − 1/50,000) = −0.005 BTC
    close(p.unrealised_pnl(50_000.0).unwrap(), -0.005, 1e-13);
    // add 10 at 60,000: entry = 20/(10/40,000 + 10/60,000) = 48,000
    let p2 = p
        .fill(Side::Short, 10.0, 60_000.0)
        .unwrap()
        .position
        .unwrap();
    close(p2.entry(), 48_000.0, 1e-15);
    // buy back 5 at 40,000: 500 × −1 × (1/48,000 − 1/40,000) = +0.0020833… BTC
    let f = p2.fill(Side::Long, 5.0, 40_000.0).unwrap();
    close(
        f.realised_pnl,
        500.0 * (1.0 / 40_000.0 - 1.0 / 48_000.0),
        1e-14,
    );
    assert_eq!(f.position.unwrap().contracts(), 15.0);
    // flip: sell 3 against a long 2 → short 1 at the fill price
    let lin = linear(Side::Long, 2.0, 100.0);
    let flip = lin.fill(Side::Short, 3.0, 90.0).unwrap();
    assert_eq!(flip.realised_pnl, -20.0);
    let rest = flip.position.unwrap();
    assert_eq!(
        (rest.side(), rest.contracts(), rest.entry()),
        (Side::Short, 1.0, 90.0)
    );
    // close exactly: flat
    assert!(lin.fill(Side::Short, 2.0, 90.0).unwrap().position.is_none());
    // Funding (Binance "Funding rates": position value × rate; positive rate, longs pay): the
    // inverse short of 15 × 100 USD at mark 50,000 receives 0.0001 × 0.03 BTC = 3e-6 BTC.
    close(
        f.position.unwrap().funding(0.0001, 50_000.0).unwrap(),
        3e-6,
        1e-12,
    );
}

/// Binance "Introduction to Binance Futures Funding Rates": F = P̄ + clamp(I − P̄, −0.05 %,
/// +0.05 %), I = 0.01 %: P̄ 0.04 % → 0.01 %, 0.10 % → 0.05 %, −0.02 % → 0.01 %, −0.10 % → −0.05 %
/// (by hand; the first three are the shared reference's vectors).
#[test]
fn binance_funding_rate_formula() {
    use derisk::margin::FundingRate;
    for (premium, expected) in [
        (0.0004, 0.0001),
        (0.001, 0.0005),
        (-0.0002, 0.0001),
        (-0.001, -0.0005),
    ] {
        assert!((FundingRate::BINANCE.rate(premium).unwrap() - expected).abs() < 1e-18);
    }
    // premium sample: impact ask below the index → negative premium, (0 − (100 − 99.9))/100
    assert!((FundingRate::premium(99.8, 99.9, 100.0).unwrap() + 0.001).abs() < 1e-15);
    // a cross account books it: long 2 BTC marked 50,000 at 0.05 % pays 50 USDT
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut acct = CrossAccount::new(1_000.0).unwrap();
    let id = acct
        .add(linear(Side::Long, 2.0, 50_000.0), 50_000.0, 20.0, &t)
        .unwrap();
    let paid = acct.apply_funding(id, 0.0005).unwrap();
    assert!((paid + 50.0).abs() < 1e-9);
    assert!((acct.wallet_balance() - 950.0).abs() < 1e-9);
    // and a full close realises the P&L into the wallet and removes the position
    assert_eq!(acct.fill(id, Side::Short, 2.0, 49_000.0).unwrap(), -2_000.0);
    assert!(acct.entries().is_empty());
    assert!((acct.shortfall() - 1_050.0).abs() < 1e-9);
}

// ---------------------------------------------------------------- collateral, partition

/// Binance FAQ "tiered collateral ratio": 6,000 BTC @ 20,000 = 120 M, at 100 % up to 100 M and
/// 97.5 % above → 119,500,000 USDT. A 25 % BTC fall: 90 M, all in the first tier (by hand).
#[test]
fn binance_tiered_collateral() {
    let btc = CollateralAsset::tiered(
        6_000.0,
        20_000.0,
        vec![
            HaircutTier {
                value_cap: 100e6,
                haircut: 0.0,
            },
            HaircutTier {
                value_cap: f64::INFINITY,
                haircut: 0.025,
            },
        ],
    )
    .unwrap();
    assert_eq!(btc.value(), 119_500_000.0);
    let c = Collateral::new(vec![btc]).unwrap();
    assert_eq!(c.value_after_move(0, -0.25).unwrap(), 90_000_000.0);
    close(c.collateral_ratio(), 119.5 / 120.0, 1e-15);
    // The BTC price at which the basket is worth 110 M: 100 M + 0.975·(6,000·P − 100 M) = 110 M
    // → P = (100 M + 10 M/0.975)/6,000 = 18,376.068… (by hand)
    close(
        c.liquidation_price(0, 110e6).unwrap().unwrap(),
        (100e6 + 10e6 / 0.975) / 6_000.0,
        1e-14,
    );
}

/// A collateral price fall drives a cross account to liquidation (the "collateral quality"
/// question): wallet = USDT 2,000 + 1 BTC at 50,000 with a 5 % haircut; a linear ETH long
/// (10 @ 3,000, marked 2,900, flat 1 %) has uPnL −1,000, MM 290. Liquidated when
/// 2,000 + 0.95·P − 1,000 = 290 → P = −710/0.95 < 0: never; with 20 ETH (uPnL −2,000, MM 580):
/// 0.95·P = 580 + 2,000 − 2,000 → P = 610.526… (by hand).
#[test]
fn collateral_fall_to_liquidation() {
    let basket = Collateral::new(vec![
        CollateralAsset::flat(2_000.0, 1.0, 0.0).unwrap(),
        CollateralAsset::flat(1.0, 50_000.0, 0.05).unwrap(),
    ])
    .unwrap();
    let mut acct = CrossAccount::new(basket.value()).unwrap();
    acct.add(
        linear(Side::Long, 20.0, 3_000.0),
        2_900.0,
        10.0,
        FlatRate::new(0.01, 50.0).unwrap(),
    )
    .unwrap();
    let requirement = acct.maintenance_margin() - acct.unrealised_pnl();
    close(requirement, 2_580.0, 1e-15);
    close(
        basket.liquidation_price(1, requirement).unwrap().unwrap(),
        580.0 / 0.95,
        1e-14,
    );
}

/// Risk partitioning (Binance "Isolated margin": "the loss of an isolated position is limited to
/// its isolated margin"): a bankrupt isolated leg costs the account only its margin.
#[test]
fn isolated_losses_do_not_reach_the_cross_pool() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut acct = Account::new(CrossAccount::new(10_000.0).unwrap());
    let i = acct
        .add_isolated(
            IsolatedPosition::new(linear(Side::Long, 1.0, 50_000.0), 0.0).unwrap(),
            50_000.0,
            &t,
        )
        .unwrap();
    assert!(acct.transfer_to_isolated(i, 20_000.0).is_err()); // beyond the cross balance
    acct.transfer_to_isolated(i, 2_500.0).unwrap();
    acct.set_isolated_mark(i, 45_000.0).unwrap(); // loss 5,000 on 2,500 posted
    assert_eq!(acct.isolated_shortfall(), 2_500.0);
    assert_eq!(acct.total_equity(), 7_500.0);
    assert_eq!(acct.cross().equity(), 7_500.0);
    // the insurance fund settles it: closing at 45,000 draws 2,500 from the fund
    let s = acct
        .isolated_entry(i)
        .unwrap()
        .position
        .settle_liquidation(45_000.0)
        .unwrap();
    assert_eq!((s.insurance_fund, s.shortfall), (-2_500.0, 2_500.0));
}

// ---------------------------------------------------------------- Deribit options

/// Deribit standard option margin (TSLab "Deribit Margin Requirements Calculation", reproducing
/// Deribit's text): the four vectors of docs/margin.md §2.2 (S = 50,000), re-evaluated by
/// tools/margin_vectors.py.
#[test]
fn deribit_option_margin_vectors() {
    let r = OptionMarginRates::DERIBIT;
    let cases = [
        (OptionKind::Call, 55_000.0, 0.025, 0.125, 0.100),
        (OptionKind::Call, 52_000.0, 0.040, 0.150, 0.115),
        (OptionKind::Call, 48_000.0, 0.060, 0.210, 0.135),
        (OptionKind::Put, 45_000.0, 0.020, 0.120, 0.095),
    ];
    for (kind, k, mark, im, mm) in cases {
        let m = r.margin(kind, k, 50_000.0, mark, -2.0).unwrap();
        close(m.initial, 2.0 * im, 1e-15);
        close(m.maintenance, 2.0 * mm, 1e-15);
    }
    // Long options: margined at their mark (Deribit knowledge base, article 1000197268).
    let long = r
        .margin(OptionKind::Put, 45_000.0, 50_000.0, 0.02, 3.0)
        .unwrap();
    close(long.initial, 0.06, 1e-15);
}

/// Options margin priced by the inverse model on the committed Deribit chain snapshot
/// (examples/data/btc_option_chain.csv, BTC-9JAN26-94000-C: forward 88,642.32, index 88,532.35,
/// mark IV 37.41 %, Deribit's mark 0.00553328 BTC). Short call, OTM 5,467.65 USD:
/// IM = max(0.15 − 5,467.65/88,532.35, 0.10) + mark = max(0.08824, 0.10) + mark = 0.10 + mark
/// (by hand: the minimum binds).
#[test]
fn deribit_option_margin_from_the_inverse_model() {
    use derisk::pricing::{EuropeanOption, InverseBlack76, PricingModel};
    let model = InverseBlack76::flat(88_642.32, 0.0, 0.3741).unwrap();
    let call = EuropeanOption::call(94_000.0, 0.026_292_368_742_204_73).unwrap();
    let mark = model.price(&call).unwrap();
    // our mark agrees with Deribit's to the snapshot's precision (tests/inverse.rs bound)
    assert!((mark - 0.005_533_28).abs() < 1e-4);
    let m = OptionMarginRates::DERIBIT
        .margin_with_model(&model, &call, 88_532.35, -1.0)
        .unwrap();
    close(m.initial, 0.10 + mark, 1e-15);
    close(m.maintenance, 0.075 + mark, 1e-15);
}

/// 400 isolated positions (linear on the Binance 2021 table, inverse on a 9-bracket coin table)
/// against `tests/data/margin_lp_reference.json`: Binance's printed single-position formulas,
/// iterated from the entry bracket until the bracket at the liquidation price agrees (the FAQ's
/// rule), in exact rationals by `tools/margin_lp_fixture.py` — an implementation independent of
/// ours. Where the liquidation bracket differs from the entry one, the iteration is exercised.
#[test]
fn binance_bracket_iteration_fixture() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/margin_lp_reference.json"
    );
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let coin = TierTable::from_rates(&[
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
    .unwrap();
    let usdt_table = TierTable::binance_btcusdt_2021_03_18();
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 400);
    let mut worst = 0.0_f64;
    for c in cases {
        let side = if c["side"].as_i64().unwrap() > 0 {
            Side::Long
        } else {
            Side::Short
        };
        let entry = c["entry"].as_f64().unwrap();
        let size = c["size"].as_f64().unwrap();
        let margin = c["margin"].as_f64().unwrap();
        let (instrument, table) = if c["kind"] == "linear" {
            (
                Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.01).unwrap(),
                &usdt_table,
            )
        } else {
            (
                Instrument::inverse_perpetual(Currency::BTC, 1.0, 0.01).unwrap(),
                &coin,
            )
        };
        let iso = IsolatedPosition::new(
            Position::new(instrument, side, size, entry).unwrap(),
            margin,
        )
        .unwrap();
        match (c["lp"].as_f64(), iso.liquidation_price(table)) {
            (Some(expected), LiquidationPrice::At(p)) => {
                worst = worst.max(((p - expected) / expected).abs());
            }
            (None, LiquidationPrice::Never(_)) => {}
            (e, got) => panic!("{c}: expected {e:?}, got {got:?}"),
        }
    }
    println!("bracket-iteration fixture: worst relative error {worst:e}");
    assert!(worst < 1e-12, "worst relative error {worst:e}");
}
