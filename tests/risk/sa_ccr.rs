//! SA-CCR (issue 14) against the worked examples of BCBS 279 (*The standardised approach for
//! measuring counterparty credit risk exposures*, March 2014, rev. April 2014), Annex 4a:
//! the interest rate (EAD 569), credit (381) and commodity (5,406) netting sets, the published
//! EADs (also quoted by the R package SACCR, sa-ccr/SACCR) and an independent 50-digit
//! recomputation of each step (tools/gen_exposure_reference.py, mpmath 1.3.0); margined
//! netting sets and the "other" class used for cryptoassets by hand from the CRE52 formulas.

use derisk::risk::exposure::{
    sa_ccr_ead, supervisory_duration, AssetClass, CommodityKind, CreditRating, SaCcrDelta,
    SaCcrMargin, SaCcrTrade, SupervisoryClass,
};
use derisk::risk::RiskError;
use serde_json::Value;

const REFERENCE: &str = include_str!("../data/exposure_reference.json");
const UNMARGINED: SaCcrMargin = SaCcrMargin::Unmargined { collateral: 0.0 };
const SHORT: SaCcrDelta = SaCcrDelta::Linear { long: false };

fn example(name: &str) -> Value {
    let r: Value = serde_json::from_str(REFERENCE).unwrap();
    r["sa_ccr"][name].clone()
}

#[track_caller]
fn check(e: &derisk::risk::exposure::SaCcrExposure, want: &Value) {
    let f = |k: &str| want[k].as_f64().unwrap();
    assert_eq!(e.replacement_cost, f("rc"));
    for (got, key) in [
        (e.add_on, "add_on"),
        (e.multiplier, "multiplier"),
        (e.ead, "ead"),
    ] {
        assert!(
            ((got - f(key)) / f(key)).abs() < 1e-12,
            "{key}: got {got}, want {}",
            f(key)
        );
    }
    // The Basel document prints EAD rounded to a unit (of thousands).
    assert_eq!(e.ead.round(), f("published_ead"));
}

#[test]
fn bcbs279_example1_interest_rate() {
    let ir = SupervisoryClass::InterestRate;
    let trades = [
        SaCcrTrade::new(ir, "USD", "", 10_000.0, 30.0).dates(0.0, 10.0, 10.0),
        SaCcrTrade::new(ir, "USD", "", 10_000.0, -20.0)
            .dates(0.0, 4.0, 4.0)
            .delta(SHORT),
        // bought receiver swaption: a put on the swap rate, P = 6 %, K = 5 %, exercise in 1y
        SaCcrTrade::new(ir, "EUR", "", 5_000.0, 50.0)
            .dates(1.0, 11.0, 11.0)
            .delta(SaCcrDelta::Option {
                call: false,
                bought: true,
                underlying: 0.06,
                strike: 0.05,
                exercise: 1.0,
            }),
    ];
    let e = sa_ccr_ead(&trades, UNMARGINED).unwrap();
    check(&e, &example("example1"));
    assert_eq!(e.replacement_cost, 60.0);
    assert_eq!(e.add_on_by_class.len(), 1);
    assert_eq!(e.add_on_by_class[0].0, AssetClass::InterestRate);
}

#[test]
fn bcbs279_example2_credit() {
    let trades = [
        SaCcrTrade::new(
            SupervisoryClass::CreditSingleName(CreditRating::Aa),
            "",
            "Firm A",
            10_000.0,
            20.0,
        )
        .dates(0.0, 3.0, 3.0),
        SaCcrTrade::new(
            SupervisoryClass::CreditSingleName(CreditRating::Bbb),
            "",
            "Firm B",
            10_000.0,
            -40.0,
        )
        .dates(0.0, 6.0, 6.0)
        .delta(SHORT),
        SaCcrTrade::new(
            SupervisoryClass::CreditIndex {
                investment_grade: true,
            },
            "",
            "CDX.IG 5y",
            10_000.0,
            0.0,
        )
        .dates(0.0, 5.0, 5.0),
    ];
    let e = sa_ccr_ead(&trades, UNMARGINED).unwrap();
    check(&e, &example("example2"));
    assert_eq!(e.replacement_cost, 0.0);
    assert!(e.multiplier < 1.0); // V < 0 lowers the PFE
}

#[test]
fn bcbs279_example3_commodity() {
    let oil = SupervisoryClass::Commodity(CommodityKind::OilGas);
    let trades = [
        SaCcrTrade::new(oil, "", "crude oil", 10_000.0, -50.0).dates(0.0, 0.75, 0.75),
        SaCcrTrade::new(oil, "", "crude oil", 20_000.0, -30.0)
            .dates(0.0, 2.0, 2.0)
            .delta(SHORT),
        SaCcrTrade::new(
            SupervisoryClass::Commodity(CommodityKind::Metals),
            "",
            "silver",
            10_000.0,
            100.0,
        )
        .dates(0.0, 5.0, 5.0),
    ];
    let e = sa_ccr_ead(&trades, UNMARGINED).unwrap();
    check(&e, &example("example3"));
    assert_eq!(e.replacement_cost, 20.0);
}

#[test]
fn crypto_as_other_class_by_hand() {
    // "other" (EU CRR, not a CRE52 class): SF 8 %, no offset across hedging sets; derisk books each cryptoasset
    // as its own hedging set. Long 40,000 USD of BTC for 3 months, short 10,000 USD of BTC for
    // 1 year, long 20,000 USD of ETH for 1 year, MtM 1,000 in all.
    let o = SupervisoryClass::Other;
    let trades = [
        SaCcrTrade::new(o, "BTC", "", 40_000.0, 1_000.0).dates(0.0, 0.25, 0.25),
        SaCcrTrade::new(o, "BTC", "", 10_000.0, 0.0)
            .dates(0.0, 1.0, 1.0)
            .delta(SHORT),
        SaCcrTrade::new(o, "ETH", "", 20_000.0, 0.0),
    ];
    let e = sa_ccr_ead(&trades, UNMARGINED).unwrap();
    // BTC: 0.08·|40,000·sqrt(0.25) − 10,000| = 800; ETH: 0.08·20,000 = 1,600.
    assert!((e.add_on - 2_400.0).abs() < 1e-9);
    assert_eq!(e.multiplier, 1.0);
    assert!((e.ead - 1.4 * (1_000.0 + 2_400.0)).abs() < 1e-9);
}

#[test]
fn margined_netting_set_by_hand() {
    // CRE52.18 and CRE52.52: RC = max(V − C, TH + MTA − NICA, 0); MF = 1.5·sqrt(10/250) = 0.3.
    // One long "other" trade of 10,000, MtM 100, VM held 80, TH 50, MTA 5, NICA 0:
    // RC = max(20, 55, 0) = 55; add-on = 0.08·10,000·0.3 = 240;
    // multiplier = min(1, 0.05 + 0.95·exp(20/(2·0.95·240))) = 1; EAD = 1.4·(55 + 240) = 413.
    let t = SaCcrTrade::new(SupervisoryClass::Other, "BTC", "", 10_000.0, 100.0);
    let margined = SaCcrMargin::Margined {
        collateral: 80.0,
        threshold: 50.0,
        minimum_transfer: 5.0,
        nica: 0.0,
        mpor_days: 10.0,
    };
    let e = sa_ccr_ead(std::slice::from_ref(&t), margined).unwrap();
    assert_eq!(e.replacement_cost, 55.0);
    assert!((e.add_on - 240.0).abs() < 1e-9);
    assert!((e.ead - 413.0).abs() < 1e-9);
    // Capped at the unmargined EAD (CRE52.2): with a huge threshold the margined RC exceeds it.
    let loose = SaCcrMargin::Margined {
        collateral: 0.0,
        threshold: 1e6,
        minimum_transfer: 0.0,
        nica: 0.0,
        mpor_days: 10.0,
    };
    let capped = sa_ccr_ead(std::slice::from_ref(&t), loose).unwrap();
    let bare = sa_ccr_ead(&[t], SaCcrMargin::Unmargined { collateral: 0.0 }).unwrap();
    assert_eq!(capped.ead, bare.ead);
}

#[test]
fn bad_input_is_a_typed_error() {
    assert!(matches!(
        sa_ccr_ead(&[], UNMARGINED),
        Err(RiskError::EmptyNettingSet { .. })
    ));
    let o = SupervisoryClass::Other;
    let neg = SaCcrTrade::new(o, "BTC", "", -1.0, 0.0);
    assert!(matches!(
        sa_ccr_ead(&[neg], UNMARGINED),
        Err(RiskError::InvalidParameter { .. })
    ));
    let nan = SaCcrTrade::new(o, "BTC", "", 1.0, f64::NAN);
    assert!(sa_ccr_ead(&[nan], UNMARGINED).is_err());
    let backwards =
        SaCcrTrade::new(SupervisoryClass::InterestRate, "USD", "", 1.0, 0.0).dates(5.0, 1.0, 1.0);
    assert!(matches!(
        sa_ccr_ead(&[backwards], UNMARGINED),
        Err(RiskError::InvalidTime { .. })
    ));
    assert!(supervisory_duration(-1.0, 1.0).is_err());
    // CRE52.34: SD is floored at ten business days (10/250 years).
    assert_eq!(supervisory_duration(0.0, 0.01).unwrap(), 10.0 / 250.0);
    let bad_option = SaCcrTrade::new(o, "BTC", "", 1.0, 0.0).delta(SaCcrDelta::Option {
        call: true,
        bought: true,
        underlying: 0.0,
        strike: 1.0,
        exercise: 1.0,
    });
    assert!(sa_ccr_ead(&[bad_option], UNMARGINED).is_err());
}
