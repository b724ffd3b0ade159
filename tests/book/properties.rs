//! Properties of market states, scenarios and books that hold whatever the numbers.

use derisk::market::{
    Currency, MarketError, Money, NamedScenario, Scenario, Shock, VolAdjustment, VolDynamics,
};
use derisk::portfolio::{Book, Contract, Instrument, PortfolioError, Position, PositionId};

use super::common::{book, expiries, market};

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn a_scenario_that_changes_nothing_changes_no_value() {
    let m = market();
    let b = book();
    let base = b.values(&m).unwrap();
    for nothing in [
        Shock::spot_relative(Currency::BTC, 0.0),
        Shock::vol_parallel(0.0),
        Shock::TimeRoll { seconds: 0.0 },
        Shock::Rate {
            currency: None,
            change: 0.0,
        },
        Shock::FxRelative {
            currency: Currency::USDT,
            change: 0.0,
        },
    ] {
        let after = b.values(&nothing.apply(&m).unwrap()).unwrap();
        assert_eq!(after, base, "{nothing:?}");
    }
}

#[test]
fn two_spot_shifts_compose_into_one() {
    let m = market();
    let b = book();
    for dynamics in [VolDynamics::StickyStrike, VolDynamics::StickyMoneyness] {
        let shift = |x| Shock::SpotRelative {
            asset: Some(Currency::BTC),
            change: x,
            dynamics,
        };
        let twice = [shift(-0.1), shift(0.05)].apply(&m).unwrap();
        let once = shift(0.9 * 1.05 - 1.0).apply(&m).unwrap();
        let (a, c) = (
            b.value(&twice, Currency::USD).unwrap(),
            b.value(&once, Currency::USD).unwrap(),
        );
        assert!(rel(a.amount, c.amount) < 1e-12, "{dynamics:?}: {a} vs {c}");
    }
}

#[test]
fn time_roll_pnl_of_spot_and_perpetuals_is_zero() {
    let m = market();
    let mut b = Book::new();
    b.insert(Position::new(Contract::spot(Currency::BTC), 2.5, 0.0).unwrap());
    b.insert(
        Position::new(
            Contract::inverse_perpetual(Currency::BTC, 10.0).unwrap(),
            15_000.0,
            90_210.5,
        )
        .unwrap(),
    );
    b.insert(
        Position::new(
            Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001).unwrap(),
            -2_500.0,
            87_650.0,
        )
        .unwrap(),
    );
    for days in [1.0, 10.0, 400.0] {
        let later = Shock::roll_days(days).apply(&m).unwrap();
        assert_eq!(b.pnl(&m, &later, Currency::USD).unwrap().amount, 0.0);
    }
}

#[test]
fn currency_mismatch_is_an_error() {
    let err = Money::new(1.0, Currency::BTC)
        .checked_add(Money::new(1.0, Currency::USDT))
        .unwrap_err();
    assert_eq!(
        err,
        MarketError::CurrencyMismatch {
            left: Currency::BTC,
            right: Currency::USDT
        }
    );
    // Converting needs a price: ETH has none in this market.
    assert!(matches!(
        market().convert(Money::new(1.0, Currency::ETH), Currency::USD),
        Err(MarketError::Missing { what: "fx rate or spot", currency }) if currency == Currency::ETH
    ));
}

#[test]
fn ids_survive_insert_and_remove() {
    let mut b = book();
    let ids: Vec<PositionId> = b.iter().map(|(id, _)| id).collect();
    let quantities: Vec<f64> = b.iter().map(|(_, p)| p.quantity).collect();
    b.remove(ids[3]).unwrap();
    b.remove(ids[0]).unwrap();
    let new = b.insert(Position::new(Contract::spot(Currency::ETH), 1.0, 0.0).unwrap());
    assert!(ids.iter().all(|&id| id != new), "ids are never reused");
    for (i, id) in ids.iter().enumerate() {
        match b.get(*id) {
            Ok(p) => assert_eq!(p.quantity, quantities[i]),
            Err(e) => {
                assert!(i == 0 || i == 3);
                assert_eq!(e, PortfolioError::UnknownPosition { id: *id });
            }
        }
    }
    assert!(b.remove(ids[3]).is_err());
}

#[test]
fn delta_gamma_converges_to_full_revaluation() {
    let m = market();
    let b = book();
    let risks = b.risk(&m).unwrap();
    let mut last_error = f64::INFINITY;
    for x in [0.08, 0.04, 0.02, 0.01, 0.005] {
        let shocked = [
            Shock::spot_relative(Currency::BTC, x),
            Shock::vol_parallel(x / 4.0),
        ]
        .apply(&m)
        .unwrap();
        let full = b.pnl(&m, &shocked, Currency::USD).unwrap().amount;
        let approx = b
            .approximate_pnl(&risks, &m, &shocked, Currency::USD)
            .unwrap()
            .amount;
        let error = (full - approx).abs();
        // third order: halving the shock divides the error by about 8
        assert!(
            error < last_error / 5.0 || error < 1e-6,
            "x {x}: error {error} after {last_error}"
        );
        last_error = error;
    }
}

#[test]
fn exact_greeks_agree_with_finite_differences() {
    // The built-ins' closed forms against the trait's provided bump-and-revalue.
    let m = market();
    let b = book();
    for (_, p) in b.iter() {
        let exact = p.instrument.sensitivities(&m, p.entry_price).unwrap();
        let fd = derisk_fd(&p.instrument, &m, p.entry_price);
        let scale = exact.value_quote.abs().max(1.0);
        assert!(
            (exact.delta - fd.delta).abs() < 1e-6 * scale.max(exact.delta.abs()),
            "{:?} delta {} vs {}",
            p.instrument,
            exact.delta,
            fd.delta
        );
        assert!(
            (exact.vega - fd.vega).abs() < 1e-5 * scale,
            "{:?} vega {} vs {}",
            p.instrument,
            exact.vega,
            fd.vega
        );
        assert!(
            (exact.rho - fd.rho).abs() < 1e-5 * scale,
            "{:?} rho {} vs {}",
            p.instrument,
            exact.rho,
            fd.rho
        );
        // theta by a one-hour forward difference: O(1 h) of the time derivative's slope
        assert!(
            (exact.theta - fd.theta).abs() < 2e-3 * exact.theta.abs().max(1.0),
            "{:?} theta {} vs {}",
            p.instrument,
            exact.theta,
            fd.theta
        );
        assert!(
            (exact.gamma - fd.gamma).abs() < 1e-4 * exact.gamma.abs().max(1e-9) + 1e-12,
            "{:?} gamma {} vs {}",
            p.instrument,
            exact.gamma,
            fd.gamma
        );
    }
}

/// The finite-difference sensitivities the trait provides, through a wrapper that does not
/// override them.
fn derisk_fd(
    c: &Contract,
    m: &derisk::market::MarketState,
    entry: f64,
) -> derisk::portfolio::Sensitivity {
    struct Plain<'a>(&'a Contract);
    impl Instrument for Plain<'_> {
        fn settlement(&self) -> Currency {
            self.0.settlement()
        }
        fn underlying(&self) -> Option<Currency> {
            self.0.underlying()
        }
        fn value(
            &self,
            m: &derisk::market::MarketState,
            entry: f64,
        ) -> Result<f64, PortfolioError> {
            self.0.value(m, entry)
        }
    }
    Plain(c).sensitivities(m, entry).unwrap()
}

#[test]
fn sticky_strike_keeps_vols_at_their_strikes_and_sticky_moneyness_at_their_moneyness() {
    let m = market();
    let e = expiries()[1];
    let k = 95_000.0;
    let strike_vol = m.implied_vol(Currency::BTC, e, k).unwrap();
    let up = 1.1;
    let sticky_strike = m
        .with_spot(
            Currency::BTC,
            m.spot(Currency::BTC).unwrap() * up,
            VolDynamics::StickyStrike,
        )
        .unwrap();
    assert!(
        rel(
            sticky_strike.implied_vol(Currency::BTC, e, k).unwrap(),
            strike_vol
        ) < 1e-14
    );
    let sticky_money = m
        .with_spot(
            Currency::BTC,
            m.spot(Currency::BTC).unwrap() * up,
            VolDynamics::StickyMoneyness,
        )
        .unwrap();
    assert!(
        rel(
            sticky_money.implied_vol(Currency::BTC, e, k * up).unwrap(),
            strike_vol
        ) < 1e-14
    );
}

#[test]
fn time_roll_keeps_each_expiry_vol_and_settles_expired_options() {
    let m = market();
    let [e0, e1, _] = expiries();
    let vol = m.implied_vol(Currency::BTC, e1, 95_000.0).unwrap();
    let later = Shock::roll_days(10.0).apply(&m).unwrap();
    assert!(rel(later.implied_vol(Currency::BTC, e1, 95_000.0).unwrap(), vol) < 1e-14);
    // The 9 January call is past expiry: it settles at the frozen forward, intrinsic in coin.
    let call = super::common::option(
        derisk::pricing::OptionKind::Call,
        80_000.0,
        e0,
        derisk::portfolio::Settlement::Inverse,
    );
    let f = 88_642.32;
    assert!(rel(call.value(&later, 0.0).unwrap(), (f - 80_000.0) / f) < 1e-15);
    assert!(later.implied_vol(Currency::BTC, e0, 80_000.0).is_err());
}

#[test]
fn vol_by_expiry_shifts_only_where_asked() {
    let m = market();
    let [e0, e1, e2] = expiries();
    let shock = Shock::Vol {
        asset: None,
        adjustment: VolAdjustment::ByExpiry(vec![(e0, 0.10), (e1, 0.0)]),
    };
    let s = shock.apply(&m).unwrap();
    let d = |e| {
        s.implied_vol(Currency::BTC, e, 90_000.0).unwrap()
            - m.implied_vol(Currency::BTC, e, 90_000.0).unwrap()
    };
    assert!((d(e0) - 0.10).abs() < 1e-14);
    assert!(d(e1).abs() < 1e-14 && d(e2).abs() < 1e-14);
}

/// Six chained vol shocks (more than the four whose expiry coefficients a state precomputes):
/// each applies in order, bit for bit as the arithmetic written out here, whether it falls in
/// the precomputed ones or beyond, and the batch revaluation agrees with one-by-one values.
#[test]
fn a_long_chain_of_vol_shocks_applies_in_order() {
    let m = market();
    let [e0, e1, _] = expiries();
    let chain = [
        VolAdjustment::Parallel(0.01),
        VolAdjustment::Relative(0.1),
        VolAdjustment::ByExpiry(vec![(e0, 0.02), (e1, 0.0)]),
        VolAdjustment::RelativeByExpiry(vec![(e0, -0.05), (e1, 0.0)]),
        VolAdjustment::Parallel(0.003),
        VolAdjustment::Relative(-0.2),
    ];
    let shocks: Vec<Shock> = chain
        .iter()
        .map(|a| Shock::Vol {
            asset: None,
            adjustment: a.clone(),
        })
        .collect();
    let s = shocks.apply(&m).unwrap();
    let v0 = m.implied_vol(Currency::BTC, e0, 90_000.0).unwrap();
    let expected = ((((v0 + 0.01) * (1.0 + 0.1) + 0.02) * (1.0 + -0.05)) + 0.003) * (1.0 + -0.2);
    let got = s.implied_vol(Currency::BTC, e0, 90_000.0).unwrap();
    assert_eq!(got.to_bits(), expected.to_bits());
    let b = book();
    let mut out = vec![Ok(0.0); 1];
    b.revalue_many(&m, &[shocks], Currency::BTC, &mut out)
        .unwrap();
    let one = b.value(&s, Currency::BTC).unwrap().amount;
    assert!(rel(out[0].clone().unwrap(), one) < 1e-13);
}

#[test]
fn revalue_many_equals_one_by_one_and_the_parallel_path() {
    let m = market();
    let b = book();
    let scenarios: Vec<NamedScenario> = (-5..=5)
        .map(|i| {
            NamedScenario::new(
                format!("{i}"),
                vec![
                    Shock::spot_relative(Currency::BTC, i as f64 * 0.05),
                    Shock::vol_parallel(i as f64 * 0.01),
                ],
            )
        })
        .collect();
    let mut out = vec![Ok(0.0); scenarios.len()];
    let mut par = vec![Ok(0.0); scenarios.len()];
    b.revalue_many(&m, &scenarios, Currency::BTC, &mut out)
        .unwrap();
    b.par_revalue_many(&m, &scenarios, Currency::BTC, &mut par)
        .unwrap();
    for ((s, a), p) in scenarios.iter().zip(&out).zip(&par) {
        let one = b
            .value(&s.apply(&m).unwrap(), Currency::BTC)
            .unwrap()
            .amount;
        assert_eq!(*a.as_ref().unwrap(), one);
        assert_eq!(*p.as_ref().unwrap(), one);
    }
    let mut short = vec![Ok(0.0); 3];
    assert_eq!(
        b.revalue_many(&m, &scenarios, Currency::BTC, &mut short),
        Err(PortfolioError::LengthMismatch {
            inputs: 11,
            outputs: 3
        })
    );
}

#[test]
fn hedge_flattens_delta() {
    let m = market();
    let mut b = book();
    let perp = Contract::inverse_perpetual(Currency::BTC, 10.0).unwrap();
    let spot = m.spot(Currency::BTC).unwrap();
    let q = b.hedge_quantity(&m, Currency::BTC, &perp, spot).unwrap();
    b.insert(Position::new(perp, q, spot).unwrap());
    assert!(b.sensitivity_to(&m, Currency::BTC).unwrap().delta.abs() < 1e-9);
}

#[test]
fn every_public_type_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<derisk::market::MarketState>();
    check::<derisk::market::Shock>();
    check::<derisk::market::NamedScenario>();
    check::<derisk::market::ForwardCurve>();
    check::<derisk::market::DiscountCurve>();
    check::<derisk::portfolio::Book>();
    check::<derisk::portfolio::RiskReport>();
    check::<derisk::portfolio::PortfolioError>();
    check::<MarketError>();
}

/// The book's sums price the options eight at a time in the batch lanes: on 203 positions (200
/// options of both settlements, kinds and all three expiries, strikes 0.5F…2F, between spot,
/// perpetual and future positions), `Book::value` equals Σ quantity × `Contract::value` (the
/// scalar kernel, validated against the 50-digit references) × price(settlement) to 1e-13 of
/// Σ|terms|, the lanes' stated accuracy; and `revalue_many` of a null scenario equals it bit for
/// bit.
#[test]
fn book_sums_price_options_in_lanes_to_the_scalar_accuracy() {
    use derisk::portfolio::Settlement;
    use derisk::pricing::OptionKind;
    let m = market();
    let e = expiries();
    let mut b = Book::new();
    for i in 0..200 {
        let kind = if i % 3 == 0 {
            OptionKind::Put
        } else {
            OptionKind::Call
        };
        let settlement = if i % 2 == 0 {
            Settlement::Inverse
        } else {
            Settlement::Linear(Currency::USDC)
        };
        let strike = 44_000.0 + 880.0 * f64::from(i);
        let c = Contract::option(
            Currency::BTC,
            kind,
            strike,
            e[i as usize % 3],
            settlement,
            1.0,
        )
        .unwrap();
        b.insert(Position::new(c, f64::from(i % 7) - 3.0, 0.0).unwrap());
        if i % 67 == 0 {
            b.insert(Position::new(Contract::spot(Currency::BTC), 1.5, 0.0).unwrap());
        }
    }
    for currency in [Currency::USD, Currency::BTC] {
        let got = b.value(&m, currency).unwrap().amount;
        let (mut sum, mut size) = (0.0, 0.0);
        for (_, p) in b.iter() {
            let settle = m.price_of(p.instrument.settlement()).unwrap();
            let term = p.quantity * p.instrument.value(&m, p.entry_price).unwrap() * settle;
            sum += term;
            size += term.abs();
        }
        let to = m.price_of(currency).unwrap();
        let (sum, size) = (sum / to, size / to);
        assert!(
            (got - sum).abs() <= 1e-13 * size,
            "{currency:?}: {got} vs {sum}"
        );
        let mut out = vec![Ok(0.0); 1];
        b.revalue_many(&m, &[Shock::vol_parallel(0.0)], currency, &mut out)
            .unwrap();
        assert_eq!(out[0].clone().unwrap().to_bits(), got.to_bits());
    }
}

/// An error in the book's sums is the first in position order, whether options before it wait
/// in the lanes or not: five BTC options (deferred), an ETH option (no ETH price or curve), then
/// a spot holding of a currency without a price; and with the ETH option removed, the spot's
/// error.
#[test]
fn the_first_error_in_position_order_is_reported() {
    use derisk::portfolio::Settlement;
    use derisk::pricing::OptionKind;
    let m = market();
    let e = expiries();
    let call = |asset| {
        Contract::option(
            asset,
            OptionKind::Call,
            90_000.0,
            e[1],
            Settlement::Inverse,
            1.0,
        )
        .unwrap()
    };
    let xrp = Currency::new("XRP").unwrap();
    let mut b = Book::new();
    for _ in 0..5 {
        b.insert(Position::new(call(Currency::BTC), 1.0, 0.0).unwrap());
    }
    let eth = b.insert(Position::new(call(Currency::ETH), 1.0, 0.0).unwrap());
    b.insert(Position::new(Contract::spot(xrp), 1.0, 0.0).unwrap());
    let first = b.value(&m, Currency::USD).unwrap_err();
    assert!(
        matches!(first, PortfolioError::Market(MarketError::Missing { currency, .. }) if currency == Currency::ETH)
    );
    b.remove(eth).unwrap();
    let second = b.value(&m, Currency::USD).unwrap_err();
    assert!(
        matches!(second, PortfolioError::Market(MarketError::Missing { currency, .. }) if currency == xrp)
    );
}
