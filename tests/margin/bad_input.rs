//! Every `MarginError` variant from the input that causes it; `Send + Sync` of the public types;
//! tier tables loaded with serde (feature `serde`).

use derisk::margin::{
    Account, AnyModel, Bracket, Collateral, CollateralAsset, CommonMove, ContractKind,
    CrossAccount, CrossEntry, Fill, FlatRate, HaircutTier, Instrument, IsolatedPosition,
    LiquidationPrice, LiquidationSettlement, MaintenanceBasis, MarginError, MarginModel,
    NoLiquidationPrice, OptionMargin, OptionMarginRates, Position, RiskTier, Side, TickRounding,
    TierTable, Venue,
};
use derisk::market::Currency;
use derisk::portfolio::PositionId;
use derisk::pricing::OptionKind;

fn usdt() -> Instrument {
    Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap()
}

fn tier(cap: f64, rate: f64, lev: f64, amount: f64) -> RiskTier {
    RiskTier {
        cap,
        maintenance_rate: rate,
        max_leverage: lev,
        maintenance_amount: amount,
    }
}

#[test]
fn sizes_and_prices() {
    for size in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = Position::new(usdt(), Side::Long, size, 100.0).unwrap_err();
        assert!(matches!(err, MarginError::InvalidSize { .. }), "{err}");
    }
    for price in [0.0, -5.0, f64::NAN, f64::NEG_INFINITY] {
        let err = Position::new(usdt(), Side::Long, 1.0, price).unwrap_err();
        assert!(matches!(err, MarginError::InvalidPrice { .. }), "{err}");
    }
    let p = Position::new(usdt(), Side::Long, 1.0, 100.0).unwrap();
    assert_eq!(
        p.unrealised_pnl(0.0),
        Err(MarginError::InvalidPrice { price: 0.0 })
    );
    assert_eq!(
        p.fill(Side::Short, -1.0, 100.0),
        Err(MarginError::InvalidSize { size: -1.0 })
    );
    assert!(matches!(
        p.funding(f64::NAN, 100.0),
        Err(MarginError::InvalidParameter {
            name: "funding rate",
            ..
        })
    ));
    assert_eq!(
        p.value(-1.0).unwrap_err().to_string(),
        "price -1 must be finite and positive (a normal f64, not subnormal)"
    );
}

#[test]
fn instrument_parameters() {
    assert!(matches!(
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.0, 0.1),
        Err(MarginError::InvalidParameter {
            name: "contract size",
            ..
        })
    ));
    assert!(matches!(
        Instrument::inverse_perpetual(Currency::BTC, 10.0, -0.5),
        Err(MarginError::InvalidParameter {
            name: "tick size",
            ..
        })
    ));
    // only perpetuals and dated futures are margined as futures positions
    assert_eq!(
        Instrument::new(derisk::portfolio::Contract::spot(Currency::BTC), 0.1),
        Err(MarginError::NotAFuture {
            contract: "a spot holding"
        })
    );
    let expiry = derisk::market::Instant::from_date_hour(2026, 3, 27, 8).unwrap();
    let option = derisk::portfolio::Contract::option(
        Currency::BTC,
        derisk::pricing::OptionKind::Call,
        100_000.0,
        expiry,
        derisk::portfolio::Settlement::Inverse,
        1.0,
    )
    .unwrap();
    assert_eq!(
        Instrument::new(option, 0.1).unwrap_err().to_string(),
        "an option cannot be margined as a futures position: only perpetuals and dated futures can"
    );
    assert!(matches!(
        Venue::okx(FlatRate::new(0.01, 10.0).unwrap(), 1.5),
        Err(MarginError::InvalidParameter {
            name: "closing fee rate",
            ..
        })
    ));
}

#[test]
fn margins_and_leverage() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let p = Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap();
    assert_eq!(
        IsolatedPosition::new(p, -1.0),
        Err(MarginError::InvalidAmount {
            name: "margin",
            value: -1.0
        })
    );
    for lev in [0.0, -2.0, f64::NAN] {
        assert!(matches!(
            IsolatedPosition::open(p, lev, &t),
            Err(MarginError::InvalidLeverage { .. })
        ));
    }
    // 50,000 USDT is in the 125x bracket; 150x is beyond it
    assert_eq!(
        IsolatedPosition::open(p, 150.0, &t),
        Err(MarginError::LeverageAboveMax {
            leverage: 150.0,
            max_leverage: 125.0,
            notional: 50_000.0
        })
    );
    assert_eq!(
        t.initial_margin(600e6, 1.0),
        Err(MarginError::NotionalAboveLimit {
            notional: 600e6,
            cap: 500e6
        })
    );
    let mut iso = IsolatedPosition::new(p, 1_000.0).unwrap();
    assert_eq!(
        iso.remove_margin(900.0, 50_000.0, &t),
        Err(MarginError::InsufficientMargin {
            requested: 900.0,
            available: 600.0
        })
    );
    assert!(matches!(
        iso.add_margin(f64::NAN),
        Err(MarginError::InvalidAmount { .. })
    ));
}

#[test]
fn tier_tables() {
    assert_eq!(TierTable::new(vec![]), Err(MarginError::EmptyTierTable));
    assert_eq!(
        TierTable::new(vec![
            tier(250_000.0, 0.004, 125.0, 0.0),
            tier(50_000.0, 0.005, 100.0, 250.0)
        ]),
        Err(MarginError::UnsortedTiers {
            index: 1,
            cap: 50_000.0,
            previous_cap: 250_000.0
        })
    );
    assert_eq!(
        TierTable::new(vec![
            tier(50_000.0, 0.004, 125.0, 0.0),
            tier(250_000.0, 0.005, 100.0, 0.0)
        ]),
        Err(MarginError::DiscontinuousTiers {
            index: 1,
            amount: 0.0,
            expected: 50.0
        })
    );
    assert!(matches!(
        TierTable::new(vec![tier(50_000.0, 0.004, 125.0, 10.0)]),
        Err(MarginError::DiscontinuousTiers { index: 0, .. })
    ));
    assert_eq!(
        TierTable::new(vec![tier(50_000.0, 1.2, 125.0, 0.0)]),
        Err(MarginError::InvalidTier {
            index: 0,
            field: "maintenance rate",
            value: 1.2
        })
    );
    assert!(matches!(
        TierTable::new(vec![tier(-1.0, 0.01, 10.0, 0.0)]),
        Err(MarginError::InvalidTier { field: "cap", .. })
    ));
    assert!(matches!(
        derisk::margin::SizeScaled::new(0.01, 0.02, 0.0),
        Err(MarginError::InvalidParameter {
            name: "maintenance base rate",
            ..
        })
    ));
    assert!(matches!(
        derisk::margin::FundingRate::new(0.0001, -0.1, 0.01),
        Err(MarginError::InvalidParameter {
            name: "funding clamp",
            ..
        })
    ));
    assert!(matches!(
        FlatRate::new(0.01, 0.5),
        Err(MarginError::InvalidTier {
            field: "max leverage",
            ..
        })
    ));
}

#[test]
fn accounts_collateral_and_options() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut acct = CrossAccount::new(1_000.0).unwrap();
    assert!(matches!(
        CrossAccount::<TierTable>::new(-1.0),
        Err(MarginError::InvalidAmount { .. })
    ));
    acct.add(
        Position::new(usdt(), Side::Long, 0.1, 50_000.0).unwrap(),
        50_000.0,
        10.0,
        &t,
    )
    .unwrap();
    let inverse = Position::new(
        Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(),
        Side::Short,
        1.0,
        50_000.0,
    )
    .unwrap();
    assert_eq!(
        acct.add(inverse, 50_000.0, 10.0, &t),
        Err(MarginError::MixedSettlement)
    );
    // an account without a named margin currency converts nothing: a USDC contract beside a
    // USDT one is refused; other currencies need a named margin currency and prices
    let usdc = Instrument::linear_perpetual(Currency::BTC, Currency::USDC, 1.0, 0.1).unwrap();
    let usdc_long = Position::new(usdc, Side::Long, 0.1, 50_000.0).unwrap();
    let mut unnamed = CrossAccount::new(1_000.0).unwrap();
    unnamed
        .add(
            Position::new(usdt(), Side::Long, 0.1, 50_000.0).unwrap(),
            50_000.0,
            10.0,
            &t,
        )
        .unwrap();
    assert_eq!(
        unnamed.add(usdc_long, 50_000.0, 10.0, &t),
        Err(MarginError::MixedSettlement)
    );
    let mut named = CrossAccount::in_currency(derisk::market::Currency::USDT, 1_000.0).unwrap();
    assert_eq!(
        named.add(usdc_long, 50_000.0, 10.0, &t),
        Err(MarginError::MissingPrice {
            currency: derisk::market::Currency::USDC
        })
    );
    assert!(matches!(
        named.set_price(derisk::market::Currency::USDC, f64::NAN),
        Err(MarginError::InvalidPrice { .. })
    ));
    named
        .set_price(derisk::market::Currency::USDC, 0.9998)
        .unwrap();
    assert_eq!(
        named.add(usdc_long, 50_000.0, 10.0, &t),
        Err(MarginError::MissingPrice {
            currency: derisk::market::Currency::USDT
        })
    );
    named
        .set_price(derisk::market::Currency::USDT, 1.0)
        .unwrap();
    named.add(usdc_long, 50_000.0, 10.0, &t).unwrap();
    assert_eq!(
        acct.liquidation_price(PositionId(3)),
        Err(MarginError::UnknownPosition { id: PositionId(3) })
    );
    assert!(matches!(
        acct.set_mark(PositionId(0), f64::NAN),
        Err(MarginError::InvalidPrice { .. })
    ));
    assert!(matches!(
        CollateralAsset::flat(1.0, 100.0, 1.5),
        Err(MarginError::InvalidParameter {
            name: "haircut",
            ..
        })
    ));
    assert!(matches!(
        CollateralAsset::flat(-1.0, 100.0, 0.1),
        Err(MarginError::InvalidAmount { .. })
    ));
    assert!(matches!(
        CollateralAsset::tiered(1.0, 100.0, vec![]),
        Err(MarginError::EmptyTierTable)
    ));
    let c = Collateral::new(vec![]).unwrap();
    assert!(matches!(
        c.value_after_move(0, -0.1),
        Err(MarginError::IndexOutOfRange { .. })
    ));
    let r = OptionMarginRates::DERIBIT;
    assert!(matches!(
        r.margin(OptionKind::Call, -1.0, 100.0, 0.1, -1.0),
        Err(MarginError::InvalidPrice { .. })
    ));
    assert!(matches!(
        r.margin(OptionKind::Call, 100.0, 100.0, -0.1, -1.0),
        Err(MarginError::InvalidAmount { .. })
    ));
    assert!(matches!(
        r.margin(OptionKind::Call, 100.0, 100.0, 0.1, f64::NAN),
        Err(MarginError::InvalidSize { .. })
    ));
    // the umbrella error converts
    let e: derisk::Error = MarginError::EmptyTierTable.into();
    assert_eq!(e.to_string(), "a tier table needs at least one tier");
}

/// States that are not errors: no liquidation price, bankrupt equity, and no NaN anywhere.
#[test]
fn no_liquidation_price_is_a_reason_not_a_nan() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    // cross: the other position already eats the wallet, so the short is liquidatable at any
    // price: wallet 100, a long 1 @ 50,000 marked 40,000 (uPnL −10,000)
    let mut acct = CrossAccount::new(100.0).unwrap();
    acct.add(
        Position::new(usdt(), Side::Long, 1.0, 50_000.0).unwrap(),
        40_000.0,
        20.0,
        &t,
    )
    .unwrap();
    acct.add(
        Position::new(usdt(), Side::Short, 0.001, 40_000.0).unwrap(),
        40_000.0,
        20.0,
        &t,
    )
    .unwrap();
    assert_eq!(
        acct.liquidation_price(PositionId(1)).unwrap(),
        LiquidationPrice::Never(NoLiquidationPrice::LiquidatableAtAnyPrice)
    );
    assert_eq!(
        acct.margin_ratio(),
        Err(MarginError::Bankrupt { equity: -9_900.0 })
    );
    assert_eq!(acct.shortfall(), 9_900.0);
    assert_eq!(
        acct.common_move(),
        CommonMove {
            down: Some(0.0),
            up: Some(0.0)
        }
    );
}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<MarginError>();
    assert_send_sync::<Instrument>();
    assert_send_sync::<ContractKind>();
    assert_send_sync::<Side>();
    assert_send_sync::<Position>();
    assert_send_sync::<Fill>();
    assert_send_sync::<derisk::margin::IncrementalStep>();
    assert_send_sync::<RiskTier>();
    assert_send_sync::<Bracket>();
    assert_send_sync::<TierTable>();
    assert_send_sync::<FlatRate>();
    assert_send_sync::<Venue<TierTable>>();
    assert_send_sync::<MaintenanceBasis>();
    assert_send_sync::<TickRounding>();
    assert_send_sync::<IsolatedPosition>();
    assert_send_sync::<LiquidationPrice>();
    assert_send_sync::<NoLiquidationPrice>();
    assert_send_sync::<LiquidationSettlement>();
    assert_send_sync::<CrossAccount<TierTable>>();
    assert_send_sync::<CrossEntry<AnyModel>>();
    assert_send_sync::<Account<std::sync::Arc<TierTable>>>();
    assert_send_sync::<AnyModel>();
    assert_send_sync::<derisk::margin::SizeScaled>();
    assert_send_sync::<derisk::margin::IsolatedEntry<TierTable>>();
    assert_send_sync::<derisk::margin::OrderCost>();
    assert_send_sync::<derisk::margin::FundingRate>();
    assert_send_sync::<CommonMove>();
    assert_send_sync::<HaircutTier>();
    assert_send_sync::<CollateralAsset>();
    assert_send_sync::<Collateral>();
    assert_send_sync::<OptionMarginRates>();
    assert_send_sync::<OptionMargin>();
    assert_send_sync::<derisk::margin::DeribitPortfolioMargin>();
    assert_send_sync::<derisk::margin::PortfolioAccount<derisk::margin::DeribitPortfolioMargin>>();
    assert_send_sync::<derisk::margin::DeribitMargin>();
    assert_send_sync::<derisk::margin::RiskMatrix>();
    assert_send_sync::<derisk::margin::MatrixCell>();
    assert_send_sync::<derisk::margin::VolScenario>();
    assert_send_sync::<derisk::margin::PositionEffect>();
    assert_send_sync::<derisk::margin::PortfolioRequirement>();
    assert_send_sync::<derisk::margin::SpanParams>();
    assert_send_sync::<derisk::margin::SpanScenario>();
    assert_send_sync::<derisk::margin::RiskArray>();
    assert_send_sync::<derisk::margin::SpanPosition>();
    assert_send_sync::<derisk::margin::SpanRates>();
    assert_send_sync::<derisk::margin::SpanMargin>();
    assert_send_sync::<derisk::margin::SpanModel>();
    assert_send_sync::<derisk::margin::ScenarioVarMargin<fn(&[f64]) -> f64>>();
    assert_send_sync::<derisk::margin::ScenarioVarResult>();
    assert_send_sync::<derisk::margin::StressedMargin>();
    assert_send_sync::<derisk::margin::MarginCallDistance>();
    assert_send_sync::<Box<dyn MarginModel + Send + Sync>>();
}

/// The committed tier tables load through serde, validate, and equal the built-in ones.
#[cfg(feature = "serde")]
#[test]
fn tier_tables_load_with_serde() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let load = |name: &str| -> TierTable {
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}{name}")).unwrap()).unwrap()
    };
    assert_eq!(
        load("margin_binance_btcusdt_2021-03-18.json"),
        TierTable::binance_btcusdt_2021_03_18()
    );
    assert_eq!(
        load("margin_bybit_btcusdt_2026-11.json"),
        TierTable::bybit_btcusdt_2026_11()
    );
    // a discontinuous table is refused on load
    let bad = r#"[{"cap":50000,"maintenance_rate":0.004,"max_leverage":125,"maintenance_amount":0},
                  {"cap":250000,"maintenance_rate":0.005,"max_leverage":100,"maintenance_amount":0}]"#;
    let err = serde_json::from_str::<TierTable>(bad).unwrap_err();
    assert!(err.to_string().contains("continuity needs 50"), "{err}");
}
