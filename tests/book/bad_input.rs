//! Bad input gets a typed error naming the field; nothing panics.

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketError, MarketState, Scenario,
    Shock,
};
use derisk::portfolio::{Contract, Instrument, PortfolioError, Position};

use super::common::{expiries, market, v0};

#[test]
fn unknown_currency_codes_are_rejected() {
    for bad in ["", "BTC-USD", "TOOLONGCODE", "€", " BTC"] {
        assert!(
            matches!(Currency::new(bad), Err(MarketError::InvalidCurrency { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn an_expiry_before_the_valuation_instant_is_an_error_for_lookups() {
    let m = market();
    let past = v0().plus_days(-1.0).unwrap();
    assert!(matches!(
        m.forward(Currency::BTC, past),
        Err(MarketError::ExpiredAt { .. })
    ));
    assert!(matches!(
        m.implied_vol(Currency::BTC, past, 90_000.0),
        Err(MarketError::ExpiredAt { .. })
    ));
    assert!(matches!(
        m.implied_vol(Currency::BTC, v0(), 90_000.0),
        Err(MarketError::ExpiredAt { .. })
    ));
}

#[test]
fn curves_reject_bad_points() {
    let e = expiries();
    assert!(matches!(
        ForwardCurve::new(-1.0, &[]),
        Err(MarketError::InvalidValue { name: "spot", .. })
    ));
    assert!(matches!(
        ForwardCurve::new(f64::NAN, &[]),
        Err(MarketError::InvalidValue { name: "spot", .. })
    ));
    assert!(matches!(
        ForwardCurve::new(1.0, &[(e[0], f64::INFINITY)]),
        Err(MarketError::InvalidValue {
            name: "forward",
            ..
        })
    ));
    assert!(matches!(
        ForwardCurve::new(1.0, &[(e[1], 1.0), (e[0], 1.0)]),
        Err(MarketError::InvalidCurve { .. })
    ));
    assert!(matches!(
        ForwardCurve::from_put_call_parity(1.0, &[(e[0], &[])]),
        Err(MarketError::InvalidCurve { .. })
    ));
    assert!(matches!(
        ForwardCurve::from_put_call_parity(1.0, &[(e[0], &[(1.0, 0.5), (2.0, 0.7)])]),
        Err(MarketError::InvalidCurve { .. })
    ));
    assert!(matches!(
        DiscountCurve::piecewise(v0(), DayCount::Act365Fixed, &[]),
        Err(MarketError::InvalidCurve { .. })
    ));
    assert!(DiscountCurve::flat(f64::NAN).is_err());
    assert!(DiscountCurve::flat(1e300).is_err());
}

#[test]
fn market_state_rejects_negative_or_nan_spot_and_fx() {
    let m = market();
    assert!(matches!(
        m.with_spot(Currency::BTC, -5.0, Default::default()),
        Err(MarketError::InvalidValue { name: "spot", .. })
    ));
    assert!(matches!(
        m.with_fx_rate(Currency::USDT, f64::NAN),
        Err(MarketError::InvalidValue {
            name: "fx rate",
            ..
        })
    ));
    assert!(MarketState::builder(v0(), DayCount::Act365Fixed)
        .fx_rate(Currency::USDT, -1.0)
        .build()
        .is_err());
    assert!(matches!(
        MarketState::builder(v0(), DayCount::Act365Fixed).funding_rate(Currency::BTC, 0.1).build(),
        Err(MarketError::Missing { currency, .. }) if currency == Currency::BTC
    ));
    for shock in [
        Shock::spot_relative(Currency::BTC, -1.0),
        Shock::spot_relative(Currency::BTC, f64::NAN),
        Shock::spot_relative(Currency::ETH, 0.1),
        Shock::vol_parallel(f64::INFINITY),
        Shock::TimeRoll { seconds: f64::NAN },
        Shock::TimeRoll { seconds: 1e30 },
        Shock::Rate {
            currency: Some(Currency::ETH),
            change: 0.01,
        },
        Shock::FxRelative {
            currency: Currency::USDT,
            change: -2.0,
        },
    ] {
        assert!(shock.apply(&m).is_err(), "{shock:?}");
    }
    // A vol shift that leaves σ ≤ 0 is an error at valuation time, naming the option.
    let crushed = Shock::vol_parallel(-5.0).apply(&m).unwrap();
    assert!(matches!(
        crushed.implied_vol(Currency::BTC, expiries()[0], 90_000.0),
        Err(MarketError::InvalidVolatility { .. })
    ));
}

#[test]
fn contracts_and_positions_reject_bad_terms() {
    let e = expiries()[0];
    use derisk::portfolio::Settlement::Inverse;
    use derisk::pricing::OptionKind::Call;
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            Contract::option(Currency::BTC, Call, bad, e, Inverse, 1.0),
            Err(PortfolioError::InvalidContract { name: "strike", .. })
        ));
        assert!(matches!(
            Contract::inverse_perpetual(Currency::BTC, bad),
            Err(PortfolioError::InvalidContract {
                name: "contract size",
                ..
            })
        ));
    }
    let perp = Contract::inverse_perpetual(Currency::BTC, 10.0).unwrap();
    assert!(matches!(
        Position::new(perp, 1.0, 0.0),
        Err(PortfolioError::InvalidPosition {
            name: "entry price",
            ..
        })
    ));
    assert!(matches!(
        Position::new(perp, f64::INFINITY, 1.0),
        Err(PortfolioError::InvalidPosition {
            name: "quantity",
            ..
        })
    ));
    assert!(matches!(
        Position::new(perp, 1.0, -1.0),
        Err(PortfolioError::InvalidPosition {
            name: "entry price",
            ..
        })
    ));
}

#[test]
fn valuing_without_what_the_contract_needs_is_a_typed_error() {
    let bare = MarketState::builder(v0(), DayCount::Act365Fixed)
        .underlying(Currency::BTC, ForwardCurve::new(90_000.0, &[]).unwrap())
        .build()
        .unwrap();
    let e = expiries()[1];
    let call = Contract::option(
        Currency::BTC,
        derisk::pricing::OptionKind::Call,
        90_000.0,
        e,
        derisk::portfolio::Settlement::Inverse,
        1.0,
    )
    .unwrap();
    assert!(matches!(
        call.value(&bare, 0.0),
        Err(PortfolioError::Market(MarketError::Missing { .. }))
    ));
    let eth = Contract::spot(Currency::ETH);
    let mut book = derisk::portfolio::Book::new();
    book.insert(Position::new(eth, 1.0, 0.0).unwrap());
    assert!(book.value(&bare, Currency::USD).is_err());
}

#[test]
fn instants_out_of_range_are_errors() {
    assert!(Instant::from_utc(2026, 2, 29, 0, 0, 0).is_err());
    assert!(Instant::from_utc(3000, 1, 1, 0, 0, 0).is_err());
    assert!("2026-01-01T00:00:00+02:00".parse::<Instant>().is_err());
}
