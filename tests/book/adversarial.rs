//! Adversarial sweep of the spine: every public fallible function of `market` and `portfolio`
//! over hostile values (NaN, ±∞, 0, −0, subnormals, ±f64::MAX, 1e±300, huge shifts) mixed with
//! valid ones, from a pinned ChaCha seed. No call may panic or return a non-finite `Ok`; where an
//! oracle exists (put–call parity of the book's coin options) the value must satisfy it.

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Money, Scenario, Shock,
    VolAdjustment, VolDynamics,
};
use derisk::portfolio::{Book, Contract, Instrument, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::FlatVol;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const HOSTILE: [f64; 16] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    f64::MAX,
    -f64::MAX,
    1e-300,
    1e300,
    -1e300,
    -1.0,
    1e-9,
    1e15,
    -0.999_999_999_999,
];

fn pick(rng: &mut ChaCha20Rng, valid: f64) -> f64 {
    if rng.random_bool(0.5) {
        HOSTILE[rng.random_range(0..HOSTILE.len())]
    } else {
        valid * rng.random_range(0.5..2.0)
    }
}

fn finite_ok<E>(r: &Result<f64, E>) -> bool {
    r.as_ref().map_or(true, |v| v.is_finite())
}

fn sweep(cases: usize, seed: u64) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let v0 = Instant::from_date_hour(2026, 1, 1, 0).unwrap();
    for _ in 0..cases {
        // Instants and day counts.
        let secs = pick(&mut rng, 86_400.0 * 30.0);
        if let Ok(t) = v0.plus_seconds(secs) {
            for dc in [DayCount::Act365Fixed, DayCount::Act365_25] {
                assert!(dc.year_fraction(v0, t).is_finite());
            }
            assert_eq!(t.to_string().parse::<Instant>().unwrap(), t);
        }
        let _ = Instant::from_unix_seconds(pick(&mut rng, 1.7e9));
        // Curves.
        let e1 = v0.plus_days(rng.random_range(1.0..400.0)).unwrap();
        let spot = pick(&mut rng, 90_000.0);
        let fwd = pick(&mut rng, 91_000.0);
        let Ok(curve) = ForwardCurve::new(spot, &[(e1, fwd)]) else {
            continue;
        };
        let at = v0.plus_seconds(secs.abs().min(1e9)).unwrap_or(v0);
        assert!(
            finite_ok(&curve.forward(v0, at)),
            "forward {spot} {fwd} {at}"
        );
        assert!(finite_ok(&curve.settlement_price(at, v0)));
        assert!(curve
            .log_forward_drift(DayCount::Act365Fixed, v0, at)
            .is_finite());
        let _ = curve.with_spot(pick(&mut rng, 80_000.0));
        let rate = pick(&mut rng, 0.04);
        if let Ok(d) = DiscountCurve::flat(rate) {
            assert!(finite_ok(&d.discount(DayCount::Act365Fixed, v0, at)));
            let _ = d.shifted(pick(&mut rng, 0.01));
        }
        // A market state and shocks.
        let Ok(vol) = FlatVol::new(pick(&mut rng, 0.6)) else {
            continue;
        };
        let Ok(m) = MarketState::builder(v0, DayCount::Act365Fixed)
            .underlying(Currency::BTC, curve)
            .vol_surface(Currency::BTC, vol)
            .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
            .discount_curve(Currency::USDC, DiscountCurve::flat(0.04).unwrap())
            .fx_rate(Currency::USDC, 1.0)
            .fx_rate(Currency::USDT, pick(&mut rng, 1.0).abs().max(1e-3))
            .build()
        else {
            continue;
        };
        let shocks = [
            Shock::SpotRelative {
                asset: None,
                change: pick(&mut rng, 0.1),
                dynamics: VolDynamics::StickyMoneyness,
            },
            Shock::spot_relative(Currency::BTC, pick(&mut rng, -0.3)),
            Shock::Vol {
                asset: None,
                adjustment: VolAdjustment::Relative(pick(&mut rng, 0.2)),
            },
            Shock::vol_parallel(pick(&mut rng, 0.1)),
            Shock::TimeRoll {
                seconds: pick(&mut rng, 86_400.0),
            },
            Shock::Rate {
                currency: None,
                change: pick(&mut rng, 0.01),
            },
            Shock::FxRelative {
                currency: Currency::USDT,
                change: pick(&mut rng, 0.01),
            },
        ];
        let shocked = shocks[rng.random_range(0..shocks.len())]
            .apply(&m)
            .unwrap_or_else(|_| m.clone());
        let k = pick(&mut rng, 95_000.0);
        assert!(finite_ok(&shocked.implied_vol(Currency::BTC, e1, k)));
        let _ = shocked.convert(
            Money::new(pick(&mut rng, 1.0), Currency::BTC),
            Currency::USDT,
        );
        // Contracts, positions, a book.
        let mut book = Book::new();
        let entry = pick(&mut rng, 88_000.0);
        let size = pick(&mut rng, 10.0);
        let contracts = [
            Contract::option(
                Currency::BTC,
                OptionKind::Call,
                k,
                e1,
                Settlement::Inverse,
                1.0,
            ),
            Contract::option(
                Currency::BTC,
                OptionKind::Put,
                k,
                e1,
                Settlement::Inverse,
                1.0,
            ),
            Contract::option(
                Currency::BTC,
                OptionKind::Put,
                k,
                e1,
                Settlement::Linear(Currency::USDC),
                1.0,
            ),
            Contract::inverse_perpetual(Currency::BTC, size),
            Contract::linear_perpetual(Currency::BTC, Currency::USDT, size),
            Contract::future(Currency::BTC, Settlement::Inverse, size, e1),
            Ok(Contract::spot(Currency::BTC)),
        ];
        for c in contracts.into_iter().flatten() {
            assert!(finite_ok(&c.value(&shocked, entry)), "{c:?} at {entry}");
            if let Ok(s) = c.sensitivities(&shocked, entry) {
                for x in [
                    s.value,
                    s.value_quote,
                    s.delta,
                    s.gamma,
                    s.vega,
                    s.theta,
                    s.rho,
                ] {
                    assert!(x.is_finite(), "{c:?}: {s:?}");
                }
            }
            if let Ok(p) = Position::new(c, pick(&mut rng, 3.0), entry) {
                book.insert(p);
            }
        }
        for currency in [Currency::USD, Currency::BTC, Currency::USDT] {
            assert!(finite_ok(&book.value(&shocked, currency).map(|m| m.amount)));
            assert!(finite_ok(
                &book.pnl(&m, &shocked, currency).map(|m| m.amount)
            ));
        }
        if let Ok(risks) = book.risk(&shocked) {
            assert!(risks.iter().all(|r| r.sensitivity.delta.is_finite()));
        }
        let perp = Contract::inverse_perpetual(Currency::BTC, 10.0).unwrap();
        assert!(finite_ok(&book.hedge_quantity(
            &shocked,
            Currency::BTC,
            &perp,
            90_000.0
        )));
        // Oracle: put–call parity of coin options, C − P = D·(1 − K/F), where both price.
        let call = Contract::option(
            Currency::BTC,
            OptionKind::Call,
            90_000.0,
            e1,
            Settlement::Inverse,
            1.0,
        )
        .unwrap();
        let put = Contract::option(
            Currency::BTC,
            OptionKind::Put,
            90_000.0,
            e1,
            Settlement::Inverse,
            1.0,
        )
        .unwrap();
        if let (Ok(c), Ok(p), Ok(f)) = (
            call.value(&m, 0.0),
            put.value(&m, 0.0),
            m.forward(Currency::BTC, e1),
        ) {
            let parity = 1.0 - 90_000.0 / f;
            assert!(
                (c - p - parity).abs() <= 1e-12 * (1.0 + parity.abs()) * (90_000.0 / f).max(1.0),
                "parity {c} {p} {f}"
            );
        }
    }
}

#[test]
fn hostile_inputs_never_panic_nor_return_non_finite_values() {
    sweep(3_000, 20_261_204);
}

#[test]
#[ignore = "wide sweep: cargo test --release --test book -- --ignored"]
fn wide_sweep() {
    sweep(300_000, 7);
}
