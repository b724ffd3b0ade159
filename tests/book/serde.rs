//! Serialisation: codes and instants as strings, round trips, and validation on the way in.
#![cfg(feature = "serde")]

use derisk::market::{Currency, DiscountCurve, ForwardCurve, Instant, NamedScenario, Shock};
use derisk::portfolio::{Book, Contract, Position};

use super::common::{book, expiries};

#[test]
fn currency_and_instant_serialise_as_strings() {
    assert_eq!(serde_json::to_string(&Currency::USDT).unwrap(), "\"USDT\"");
    let t = expiries()[0];
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        "\"2026-01-09T08:00:00Z\""
    );
    assert_eq!(
        serde_json::from_str::<Instant>("\"2026-01-09T08:00:00Z\"").unwrap(),
        t
    );
    assert!(serde_json::from_str::<Currency>("\"NOT-A-CODE\"").is_err());
    assert!(serde_json::from_str::<Instant>("\"2026-02-30T08:00:00Z\"").is_err());
}

#[test]
fn books_and_scenarios_round_trip() {
    let b = book();
    let json = serde_json::to_string(&b).unwrap();
    let back: Book = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    let s = NamedScenario::new(
        "crash",
        vec![
            Shock::spot_relative(Currency::BTC, -0.3),
            Shock::vol_parallel(0.1),
            Shock::roll_days(1.0),
        ],
    );
    let back: NamedScenario = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let curve = ForwardCurve::new(100.0, &[(expiries()[0], 101.0)]).unwrap();
    let back: ForwardCurve = serde_json::from_str(&serde_json::to_string(&curve).unwrap()).unwrap();
    assert_eq!(back, curve);
    let d = DiscountCurve::flat(0.04).unwrap().shifted(0.01).unwrap();
    let back: DiscountCurve = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}

#[test]
fn deserialising_validates() {
    // a negative strike, a non-positive contract size, an inverse perpetual without entry price
    let bad_option = r#"{"type":"option","underlying":"BTC","kind":"call","strike":-1.0,"expiry":"2026-01-09T08:00:00Z","settlement":"inverse","contract_size":1.0}"#;
    assert!(serde_json::from_str::<Contract>(bad_option).is_err());
    let bad_size =
        r#"{"type":"perpetual","underlying":"BTC","settlement":"inverse","contract_size":0.0}"#;
    assert!(serde_json::from_str::<Contract>(bad_size).is_err());
    let perp =
        r#"{"type":"perpetual","underlying":"BTC","settlement":"inverse","contract_size":10.0}"#;
    assert!(serde_json::from_str::<Contract>(perp).is_ok());
    let no_entry = format!(r#"{{"instrument":{perp},"quantity":1.0,"entry_price":0.0}}"#);
    assert!(serde_json::from_str::<Position>(&no_entry).is_err());
    assert!(serde_json::from_str::<ForwardCurve>(r#"{"spot":-1.0,"nodes":[]}"#).is_err());
    assert!(
        serde_json::from_str::<DiscountCurve>(r#"{"kind":"flat","rate":1e9,"shift":0.0}"#).is_err()
    );
    // duplicated ids
    let b = book();
    let mut value: serde_json::Value = serde_json::to_value(&b).unwrap();
    let positions = value["positions"].as_array_mut().unwrap();
    positions[1][0] = positions[0][0].clone();
    assert!(serde_json::from_value::<Book>(value).is_err());
}
