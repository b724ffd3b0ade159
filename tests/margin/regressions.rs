//! Issue 12's margin defects, each with the input that triggered it (line numbers at e2ffad7).

// references are quoted with the digits mpmath printed
#![allow(clippy::excessive_precision)]

use derisk::market::Currency;
use std::sync::Arc;

use derisk::margin::{
    AnyModel, Bracket, CrossAccount, FlatRate, FundingRate, Instrument, IsolatedPosition,
    LiquidationPrice, MaintenanceBasis, MarginError, MarginModel, NoLiquidationPrice,
    OptionMarginRates, Position, RiskTier, Side, SizeScaled, TickRounding, TierTable,
};
use derisk::pricing::OptionKind;

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// equity − MM at `price`, relative to MM (the defining equation of the liquidation price).
fn residual<M: MarginModel>(iso: &IsolatedPosition, model: &M, price: f64) -> f64 {
    let equity = iso.equity(price).unwrap();
    let mm = iso.maintenance_margin(price, model).unwrap();
    ((equity - mm) / mm).abs()
}

// ------------------------------------------------------------------ funding.rs:95 (panic)

/// A `FundingRate` literal with NaN fields reached `f64::clamp`, which panics on a NaN bound.
#[test]
fn funding_rate_nan_literal_is_a_typed_error() {
    let nan_clamp = FundingRate {
        interest_rate: 0.0001,
        clamp: f64::NAN,
        cap: f64::INFINITY,
    };
    assert!(matches!(
        nan_clamp.rate(0.0004),
        Err(MarginError::InvalidParameter { name: "funding clamp", value }) if value.is_nan()
    ));
    let nan_cap = FundingRate {
        cap: f64::NAN,
        ..FundingRate::BINANCE
    };
    assert!(matches!(
        nan_cap.rate(0.0004),
        Err(MarginError::InvalidParameter { name: "funding cap", value }) if value.is_nan()
    ));
    let nan_rate = FundingRate {
        interest_rate: f64::NAN,
        ..FundingRate::BINANCE
    };
    assert!(matches!(
        nan_rate.rate(0.0004),
        Err(MarginError::InvalidParameter {
            name: "interest rate",
            ..
        })
    ));
    // a negative clamp (min > max in clamp) also panicked
    let negative = FundingRate {
        clamp: -0.0005,
        ..FundingRate::BINANCE
    };
    assert_eq!(
        negative.rate(0.0004),
        Err(MarginError::InvalidParameter {
            name: "funding clamp",
            value: -0.0005
        })
    );
    // a valid literal still works: Binance, premium 0.04 % → 0.01 % (by hand)
    assert!((FundingRate::BINANCE.rate(0.0004).unwrap() - 0.0001).abs() < 1e-18);
}

// --------------------------------------------------- isolated.rs:209, 243, 274 (panic)

/// add_margin(f64::MAX) twice overflowed the balance to ∞; a funding payment of −∞ then made it
/// NaN, and remove_margin's `clamp(0.0, NaN)` panicked.
#[test]
fn remove_margin_after_an_overflow_of_the_balance() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let p = Position::new(
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(),
        Side::Long,
        2.0,
        50_000.0,
    )
    .unwrap();
    let mut iso = IsolatedPosition::new(p, f64::MAX).unwrap();
    assert_eq!(
        iso.add_margin(f64::MAX),
        Err(MarginError::OutOfRange {
            quantity: "margin",
            value: f64::INFINITY
        })
    );
    assert_eq!(iso.margin(), f64::MAX); // unchanged
                                        // funding at rate 1e300 on 100,000 of value: −1e305, finite, paid from the margin
    let paid = iso.apply_funding(1e300, 50_000.0).unwrap();
    assert!(rel(paid, -1e300 * 100_000.0) < 1e-15);
    assert!(iso.margin().is_finite());
    // a payment that overflows is refused
    assert!(matches!(
        iso.apply_funding(f64::MAX, 50_000.0),
        Err(MarginError::OutOfRange {
            quantity: "funding",
            ..
        })
    ));
    // remove_margin: no panic; keeps 100,000/100 = 1,000
    let before = iso.margin();
    iso.remove_margin(1e300, 50_000.0, &t).unwrap();
    assert_eq!(iso.margin(), before - 1e300);
    assert!(iso.margin().is_finite());
    // a mark whose value (2 × f64::MAX) overflows is a typed error, not a NaN balance
    assert!(matches!(
        iso.remove_margin(1.0, f64::MAX, &t),
        Err(MarginError::OutOfRange { .. })
    ));
}

// ----------------------------------- liquidation.rs:104-113 (wrong Ok: Never for a liquidatable)

fn deribit_inverse_short(margin: f64) -> IsolatedPosition {
    // 10,000,000 BTC-PERPETUAL contracts of 10 USD at 50,000: 2,000 BTC of value at entry
    let p = Position::new(
        Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(),
        Side::Short,
        10_000_000.0,
        50_000.0,
    )
    .unwrap();
    IsolatedPosition::new(p, margin).unwrap()
}

/// DERIBIT_BTC, 1x short 2,000 BTC: the old search assumed equity − MM monotone in the price and
/// said `Never(FullyCollateralised)`; the position is liquidated when the price falls to
/// 1e8/19,700 (value 19,700 BTC, where the rate reaches 98.5 %).
/// Expected: `tools/margin_regressions.py` (mpmath, 50 digits), case A.
#[test]
fn size_scaled_one_x_inverse_short_is_liquidated_when_the_price_falls() {
    let d = SizeScaled::DERIBIT_BTC;
    let iso = deribit_inverse_short(2_000.0);
    let lp = iso
        .liquidation_price(&d)
        .price()
        .expect("a liquidation price");
    assert!(rel(lp, 5_076.142_131_979_695_431_472) < 1e-12, "{lp}");
    assert!(residual(&iso, &d, lp) < 1e-9);
    assert!(iso.is_liquidatable(lp * 0.999, &d).unwrap());
    assert!(!iso.is_liquidatable(lp * 1.001, &d).unwrap());
    // the same through &T, Box, Arc and AnyModel
    let any: AnyModel = d.into();
    for lp in [
        iso.liquidation_price(&&d),
        iso.liquidation_price(&Box::new(d)),
        iso.liquidation_price(&Arc::new(d)),
        iso.liquidation_price(&any),
    ] {
        assert!(rel(lp.price().unwrap(), 5_076.142_131_979_695_431_472) < 1e-12);
    }
    // as the only position of a cross account with the same wallet
    let mut acct = CrossAccount::new(2_000.0).unwrap();
    acct.add(*iso.position(), 50_000.0, 1.0, d).unwrap();
    let cross = acct
        .liquidation_price(derisk::portfolio::PositionId(0))
        .unwrap()
        .price()
        .unwrap();
    assert!(rel(cross, 5_076.142_131_979_695_431_472) < 1e-12);
}

/// 5x: two crossings, 55,980.17 above the entry and 5,582.33 below; the nearer one (the usual
/// short liquidation) is returned. mpmath case B.
#[test]
fn size_scaled_five_x_inverse_short_returns_the_nearest_crossing() {
    let d = SizeScaled::DERIBIT_BTC;
    let iso = deribit_inverse_short(400.0);
    let lp = iso.liquidation_price(&d).price().unwrap();
    assert!(rel(lp, 55_980.165_682_276_886_415_511) < 1e-12, "{lp}");
    assert!(residual(&iso, &d, lp) < 1e-9);
    // the far crossing is a real one too
    assert!(residual(&iso, &d, 5_582.334_317_723_113_584_488_652) < 1e-9);
    // bankruptcy (equity 0) is beyond the liquidation price on the loss side
    let bp = iso.bankruptcy_price(&d).price().unwrap();
    assert!(bp > lp);
}

/// A linear long under a size-scaled schedule (1.5 % + 0.5 % per 1,000,000 USDT), 10x: crossings
/// at 46,796.93 and 1,923,203.07; the nearer one is returned. mpmath case C.
#[test]
fn size_scaled_linear_long_nearest_crossing() {
    let m = SizeScaled::new(0.02, 0.015, 0.005 / 1e6).unwrap();
    let p = Position::new(
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(),
        Side::Long,
        100.0,
        50_000.0,
    )
    .unwrap();
    let iso = IsolatedPosition::new(p, 500_000.0).unwrap();
    let lp = iso.liquidation_price(&m).price().unwrap();
    assert!(rel(lp, 46_796.930_297_070_494_604_249_63) < 1e-12, "{lp}");
    assert!(residual(&iso, &m, lp) < 1e-9);
    assert!(residual(&iso, &m, 1_923_203.069_702_929_505_395_75) < 1e-9);
}

/// A tier table whose amount is within the continuity tolerance but above floor × rate gave a
/// negative maintenance margin just above the floor: refused, naming the tier.
#[test]
fn tier_table_with_a_negative_requirement_is_refused() {
    let t = |cap, maintenance_rate, max_leverage, maintenance_amount| RiskTier {
        cap,
        maintenance_rate,
        max_leverage,
        maintenance_amount,
    };
    let err = TierTable::new(vec![
        t(100.0, 0.0, 10.0, 0.0),
        t(200.0, 0.01, 10.0, 1.0 + 5e-10),
    ])
    .unwrap_err();
    assert!(matches!(
        err,
        MarginError::NegativeMaintenance { index: 1, floor, requirement }
            if floor == 100.0 && requirement < 0.0
    ));
    assert!(
        err.to_string()
            .starts_with("tier 1: maintenance requirement -0.0000000005"),
        "{err}"
    );
    // a first tier with an amount above 0 is negative at n → 0
    let err = TierTable::new(vec![t(100.0, 0.01, 10.0, 1e-12)]).unwrap_err();
    assert!(matches!(
        err,
        MarginError::NegativeMaintenance { index: 0, .. }
    ));
    // every validated table gives MM ≥ 0 from 0 up (published tables included)
    for table in [
        TierTable::binance_btcusdt_2021_03_18(),
        TierTable::bybit_btcusdt_2026_11(),
    ] {
        assert_eq!(TierTable::new(table.tiers().to_vec()).as_ref(), Ok(&table));
        for k in 0..400 {
            let n = 10f64.powf(f64::from(k) / 40.0);
            assert!(table.maintenance_margin(n) >= 0.0);
        }
    }
}

// ------------------------------------------------- forwarding impls drop provided overrides

/// A model that overrides every provided method of `MarginModel` with a distinctive value.
struct Custom;

impl MarginModel for Custom {
    fn bracket_count(&self) -> usize {
        1
    }
    fn bracket_at(&self, index: usize) -> Option<Bracket> {
        (index == 0).then_some(Bracket {
            floor: 0.0,
            cap: 1e9,
            maintenance_rate: 0.01,
            maintenance_amount: 0.0,
            max_leverage: 20.0,
        })
    }
    fn closing_fee_rate(&self) -> f64 {
        0.000_7
    }
    fn maintenance_basis(&self) -> MaintenanceBasis {
        MaintenanceBasis::Entry
    }
    fn tick_rounding(&self) -> TickRounding {
        TickRounding::Nearest
    }
    fn is_bracketed(&self) -> bool {
        false
    }
    fn bracket(&self, _notional: f64) -> Bracket {
        Bracket {
            floor: 1.0,
            cap: 2.0,
            maintenance_rate: 0.3,
            maintenance_amount: 4.0,
            max_leverage: 5.0,
        }
    }
    fn maintenance_margin(&self, notional: f64) -> f64 {
        0.02 * notional + 3.0
    }
    fn max_leverage(&self, _notional: f64) -> f64 {
        7.0
    }
    fn initial_margin(&self, notional: f64, leverage: f64) -> Result<f64, MarginError> {
        Ok(notional / leverage + 11.0)
    }
}

fn assert_forwards<M: MarginModel + ?Sized>(m: &M) {
    assert_eq!(m.bracket_count(), 1);
    assert_eq!(m.bracket_at(0), Custom.bracket_at(0));
    assert_eq!(m.closing_fee_rate(), 0.000_7);
    assert_eq!(m.maintenance_basis(), MaintenanceBasis::Entry);
    assert_eq!(m.tick_rounding(), TickRounding::Nearest);
    assert!(!m.is_bracketed());
    assert_eq!(m.bracket(10.0), Custom.bracket(10.0));
    assert_eq!(m.maintenance_margin(100.0), 5.0);
    assert_eq!(m.max_leverage(100.0), 7.0);
    // the override that was dropped: 100/10 + 11, not 100/10
    assert_eq!(m.initial_margin(100.0, 10.0), Ok(21.0));
}

#[test]
fn forwarding_impls_forward_every_method() {
    assert_forwards(&Custom);
    assert_forwards(&&Custom);
    assert_forwards(&Box::new(Custom));
    assert_forwards(&Arc::new(Custom));
    let dynamic: Box<dyn MarginModel> = Box::new(Custom);
    assert_forwards(&dynamic);
    assert_forwards(&&&Arc::new(Box::new(Custom)));
    // AnyModel forwards initial_margin (and the rest) of each variant
    let d = SizeScaled::DERIBIT_BTC;
    let any: AnyModel = d.into();
    assert_eq!(any.initial_margin(25.0, 40.0), d.initial_margin(25.0, 40.0));
    assert_eq!(any.maintenance_margin(350.0), d.maintenance_margin(350.0));
    assert_eq!(any.max_leverage(350.0), d.max_leverage(350.0));
    let flat = FlatRate::new(0.05, 10.0).unwrap();
    let any: AnyModel = flat.into();
    assert_eq!(
        any.initial_margin(2.0, 20.0),
        flat.initial_margin(2.0, 20.0)
    );
}

/// `CrossAccount::initial_margin` summed value/leverage whatever the model said.
#[test]
fn cross_initial_margin_uses_each_model() {
    let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let mut a = CrossAccount::new(1_000.0).unwrap();
    a.add(
        Position::new(u, Side::Long, 1.0, 100.0).unwrap(),
        100.0,
        10.0,
        Custom,
    )
    .unwrap();
    // by hand: 100/10 + 11 = 21 (the old sum gave 10)
    assert_eq!(a.initial_margin(), Ok(21.0));
    assert_eq!(a.available_balance(), Ok(1_000.0 - 21.0));
    // through Box<dyn MarginModel> too
    let mut b: CrossAccount<Box<dyn MarginModel>> = CrossAccount::new(1_000.0).unwrap();
    b.add(
        Position::new(u, Side::Long, 1.0, 100.0).unwrap(),
        100.0,
        10.0,
        Box::new(Custom),
    )
    .unwrap();
    assert_eq!(b.initial_margin(), Ok(21.0));
}

// -------------------------------------------------------- Ok(NaN) / Ok(±∞) at the extremes

#[test]
fn extremes_are_typed_errors_not_non_finite_values() {
    let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let inv = Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap();
    // 1e300 contracts at 1e10: the value at entry overflows
    assert_eq!(
        Position::new(u, Side::Long, 1e300, 1e10),
        Err(MarginError::OutOfRange {
            quantity: "position value at entry",
            value: f64::INFINITY
        })
    );
    // inverse at an entry of 1e-300: 1e20 USD / 1e-300 overflows
    let big_face = Instrument::inverse_perpetual(Currency::BTC, 1e10, 0.5).unwrap();
    assert!(matches!(
        Position::new(big_face, Side::Long, 1e10, 1e-300),
        Err(MarginError::OutOfRange { .. })
    ));
    // a subnormal entry is not a price
    assert!(matches!(
        Position::new(inv, Side::Long, 1.0, 1e-310),
        Err(MarginError::InvalidPrice { .. })
    ));
    // exposure underflow: 1e-300 contracts of 1e-300 coins
    let tiny = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1e-300, 0.1).unwrap();
    assert!(matches!(
        Position::new(tiny, Side::Long, 1e-300, 1.0),
        Err(MarginError::OutOfRange {
            quantity: "exposure",
            ..
        })
    ));
    // a mark near f64::MAX: value and P&L overflow
    let p = Position::new(u, Side::Short, 2.0, 50_000.0).unwrap();
    assert!(matches!(
        p.value(f64::MAX),
        Err(MarginError::OutOfRange { .. })
    ));
    assert!(matches!(
        p.unrealised_pnl(f64::MAX),
        Err(MarginError::OutOfRange { .. })
    ));
    let q = Position::new(big_face, Side::Long, 1e10, 1e6).unwrap();
    assert!(matches!(
        q.unrealised_pnl(1e-300),
        Err(MarginError::OutOfRange { .. })
    ));
    // margin ratio of a bankrupt position: was Ok(inf)
    let iso = IsolatedPosition::new(p, 1_000.0).unwrap();
    let t = TierTable::binance_btcusdt_2021_03_18();
    assert_eq!(
        iso.margin_ratio(60_000.0, &t),
        Err(MarginError::Bankrupt { equity: -19_000.0 })
    );
    // option margin with a NaN rate literal, or a quantity whose margin overflows
    let nan = OptionMarginRates {
        maintenance: f64::NAN,
        ..OptionMarginRates::DERIBIT
    };
    assert!(matches!(
        nan.margin(OptionKind::Call, 55_000.0, 50_000.0, 0.025, -1.0),
        Err(MarginError::InvalidParameter {
            name: "maintenance rate",
            ..
        })
    ));
    assert!(matches!(
        OptionMarginRates::DERIBIT.margin(OptionKind::Call, 55_000.0, 50_000.0, 1e308, -10.0),
        Err(MarginError::OutOfRange { .. })
    ));
    // leverage 1e-301 on 1e8 of notional: the initial margin overflows
    assert!(matches!(
        t.initial_margin(1e8, 1e-301),
        Err(MarginError::OutOfRange {
            quantity: "initial margin",
            ..
        })
    ));
    // a fill whose average entry would overflow the size
    let big = Position::new(u, Side::Long, f64::MAX, 1e-300).unwrap();
    assert!(matches!(
        big.fill(Side::Long, f64::MAX, 1e-300),
        Err(MarginError::OutOfRange { .. })
    ));
    // no liquidation price past f64: a never-liquidated long stays a reason, not ∞
    let lp = IsolatedPosition::new(Position::new(u, Side::Long, 1.0, 1e300).unwrap(), 1e300)
        .unwrap()
        .liquidation_price(&t);
    assert_eq!(
        lp,
        LiquidationPrice::Never(NoLiquidationPrice::FullyCollateralised)
    );
}

// ------------------------------------------ serde: Deserialize validates through constructors

/// Accounts, positions, tables and collateral deserialise through their constructors: invalid
/// JSON is refused with the constructor's typed error (its message), valid data round-trips.
#[cfg(feature = "serde")]
#[test]
fn deserialising_validates_through_the_constructors() {
    use derisk::margin::{Account, Collateral, CollateralAsset, Venue};
    fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str, err: MarginError) {
        let e = serde_json::from_str::<T>(json).unwrap_err();
        assert!(e.to_string().starts_with(&err.to_string()), "{e} vs {err}");
    }
    let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let p = Position::new(u, Side::Long, 2.0, 50_000.0).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Position>(&json).unwrap(), p);
    // a negative size: Position::new's error
    refused::<Position>(
        &json.replace("\"contracts\":2.0", "\"contracts\":-3.0"),
        MarginError::InvalidSize { size: -3.0 },
    );
    // an instrument with a zero tick
    refused::<Instrument>(
        &serde_json::to_string(&u)
            .unwrap()
            .replace("\"tick_size\":0.1", "\"tick_size\":0.0"),
        MarginError::InvalidParameter {
            name: "tick size",
            value: 0.0,
        },
    );
    // an instrument on a spot holding: only perpetuals and dated futures are margined
    let spot = serde_json::to_string(&derisk::portfolio::Contract::spot(Currency::BTC)).unwrap();
    refused::<Instrument>(
        &format!("{{\"contract\":{spot},\"tick_size\":0.1}}"),
        MarginError::NotAFuture {
            contract: "a spot holding",
        },
    );
    // an isolated position with a negative margin
    let iso = IsolatedPosition::new(p, 2_500.0).unwrap();
    let json = serde_json::to_string(&iso).unwrap();
    assert_eq!(
        serde_json::from_str::<IsolatedPosition>(&json).unwrap(),
        iso
    );
    refused::<IsolatedPosition>(
        &json.replace("\"margin\":2500.0", "\"margin\":-1.0"),
        MarginError::InvalidAmount {
            name: "margin",
            value: -1.0,
        },
    );
    // a cross account: round trip, then leverage above the bracket's maximum
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut acct = CrossAccount::new(10_000.0).unwrap();
    acct.add(p, 49_000.0, 10.0, t.clone()).unwrap();
    let json = serde_json::to_string(&acct).unwrap();
    assert_eq!(
        serde_json::from_str::<CrossAccount<TierTable>>(&json).unwrap(),
        acct
    );
    refused::<CrossAccount<TierTable>>(
        &json.replace("\"leverage\":10.0", "\"leverage\":500.0"),
        MarginError::LeverageAboveMax {
            leverage: 500.0,
            max_leverage: 100.0,
            notional: 98_000.0,
        },
    );
    refused::<CrossAccount<TierTable>>(
        &json.replace("\"wallet\":10000.0", "\"wallet\":-5.0"),
        MarginError::InvalidAmount {
            name: "wallet balance",
            value: -5.0,
        },
    );
    // an account with an isolated leg at a zero mark
    let mut account = Account::new(acct);
    account.add_isolated(iso, 50_000.0, t).unwrap();
    let json = serde_json::to_string(&account).unwrap();
    assert_eq!(
        serde_json::from_str::<Account<TierTable>>(&json).unwrap(),
        account
    );
    refused::<Account<TierTable>>(
        &json.replace("\"mark\":50000.0", "\"mark\":0.0"),
        MarginError::InvalidPrice { price: 0.0 },
    );
    // models: a flat rate of 150 %, a size schedule with a negative slope, a venue fee of 2
    let flat = serde_json::to_string(&FlatRate::new(0.05, 10.0).unwrap()).unwrap();
    refused::<FlatRate>(
        &flat.replace("\"maintenance_rate\":0.05", "\"maintenance_rate\":1.5"),
        MarginError::InvalidTier {
            index: 0,
            field: "maintenance rate",
            value: 1.5,
        },
    );
    refused::<SizeScaled>(
        r#"{"initial_base":0.02,"maintenance_base":0.015,"slope":-1.0}"#,
        MarginError::InvalidParameter {
            name: "rate slope",
            value: -1.0,
        },
    );
    let venue = serde_json::to_string(&Venue::binance(FlatRate::new(0.05, 10.0).unwrap())).unwrap();
    refused::<Venue<FlatRate>>(
        &venue.replace("\"closing_fee_rate\":0.0", "\"closing_fee_rate\":2.0"),
        MarginError::InvalidParameter {
            name: "closing fee rate",
            value: 2.0,
        },
    );
    // a tier table with a negative requirement
    refused::<TierTable>(
        r#"[{"cap":100,"maintenance_rate":0,"max_leverage":10,"maintenance_amount":0},
            {"cap":200,"maintenance_rate":0.01,"max_leverage":10,"maintenance_amount":1.0000000005}]"#,
        MarginError::NegativeMaintenance {
            index: 1,
            floor: 100.0,
            requirement: 1.0 - 1.000_000_000_5,
        },
    );
    // collateral: a haircut of 2
    let c = Collateral::new(vec![CollateralAsset::flat(1.0, 50_000.0, 0.05).unwrap()]).unwrap();
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<Collateral>(&json).unwrap(), c);
    refused::<Collateral>(
        &json.replace("\"haircut\":0.05", "\"haircut\":2.0"),
        MarginError::InvalidParameter {
            name: "haircut",
            value: 2.0,
        },
    );
    // funding and option rates
    refused::<FundingRate>(
        r#"{"interest_rate":0.0001,"clamp":-1.0,"cap":0.01}"#,
        MarginError::InvalidParameter {
            name: "funding clamp",
            value: -1.0,
        },
    );
    refused::<OptionMarginRates>(
        r#"{"initial_base":0.15,"initial_minimum":0.2,"maintenance":0.075}"#,
        MarginError::InvalidParameter {
            name: "initial minimum rate",
            value: 0.2,
        },
    );
}
