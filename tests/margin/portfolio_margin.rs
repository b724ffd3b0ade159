//! Deribit portfolio margin (issue 16): the venue's published risk vector, an independent
//! 50-digit revaluation of a small book's risk matrix, the requirement against full
//! revaluation, the properties the issue lists, stress and scenario VaR, typed errors.

use derisk::margin::{
    distance_to_margin_call, margin_under_stress, DeribitPortfolioMargin, MarginError,
    OptionMarginRates, PortfolioMarginModel, ScenarioVarMargin, VolScenario,
};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, NamedScenario, Scenario,
    Shock, VolAdjustment, VolDynamics,
};
use derisk::portfolio::{Book, Contract, Instrument, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{historical_var, QuantileMethod};
use derisk::vol::FlatVol;

const BTC: Currency = Currency::BTC;

fn days(d: f64) -> Instant {
    Instant::EPOCH.plus_days(d).unwrap()
}

/// The market of tools/gen_pm_reference.py: spot 100,000, forwards 100,200 (+7 d) and
/// 101,000 (+60 d), flat vol `vol`, no discounting, ACT/365 fixed.
fn market(vol: f64) -> MarketState {
    MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(
            BTC,
            ForwardCurve::new(
                100_000.0,
                &[(days(7.0), 100_200.0), (days(60.0), 101_000.0)],
            )
            .unwrap(),
        )
        .vol_surface(BTC, FlatVol::new(vol).unwrap())
        .discount_curve(BTC, DiscountCurve::flat(0.0).unwrap())
        .build()
        .unwrap()
}

fn option(kind: OptionKind, strike: f64, d: f64) -> Contract {
    Contract::option(BTC, kind, strike, days(d), Settlement::Inverse, 1.0).unwrap()
}

fn perp() -> Contract {
    Contract::inverse_perpetual(BTC, 10.0).unwrap()
}

/// The book of tools/gen_pm_reference.py.
fn book() -> Book {
    let mut b = Book::new();
    for (q, c) in [
        (-2.0, option(OptionKind::Call, 110_000.0, 7.0)),
        (1.0, option(OptionKind::Put, 90_000.0, 7.0)),
        (-1.0, option(OptionKind::Call, 120_000.0, 60.0)),
        (1.0, option(OptionKind::Put, 80_000.0, 60.0)),
    ] {
        b.insert(Position::new(c, q, 0.0).unwrap());
    }
    b.insert(Position::new(perp(), 1_000.0, 100_000.0).unwrap());
    b
}

fn scaled(b: &Book, k: f64) -> Book {
    let mut out = Book::new();
    for (_, p) in b.iter() {
        out.insert(Position::new(p.instrument, p.quantity * k, p.entry_price).unwrap());
    }
    out
}

/// Deribit API documentation, `private/pme/simulate` example response (docs.deribit.com,
/// model_params timestamp 1718619740501 = 2024-06-17): `aggregated_risk_vectors.btc_btc.standard`
/// starts −0.05968587238095239 ×3, −0.04272965863636364 ×3, −0.02724789826086957 ×3,
/// −0.013056284583333334 ×3, 0, 0: the vector of a long BTC-settled future (price moves −16 %,
/// −12 %, −8 %, −4 %, 0, three vol columns each). The first value fixes its size
/// (x·(1/0.84 − 1) = 0.0596…, x = 0.3133… BTC of face at the index); the other three are
/// reproduced by our matrix.
#[test]
fn deribit_api_example_risk_vector() {
    let published = [
        -0.059_685_872_380_952_39,
        -0.042_729_658_636_363_64,
        -0.027_247_898_260_869_57,
        -0.013_056_284_583_333_334,
        0.0,
    ];
    let x = -published[0] / (1.0 / 0.84 - 1.0); // BTC of face
    let m = market(0.45);
    let mut b = Book::new();
    // face in USD = x·S, entered at the index: zero P&L now
    b.insert(Position::new(perp(), x * 100_000.0 / 10.0, 100_000.0).unwrap());
    let r = DeribitPortfolioMargin::deribit_btc()
        .margin(&b, &m, BTC)
        .unwrap();
    let matrix = r.matrix.unwrap();
    for (row, &want) in published.iter().enumerate() {
        for col in 0..3 {
            let got = matrix.pnl(row, col).unwrap();
            assert!(
                (got - want).abs() <= 1e-15,
                "row {row} col {col}: {got} vs {want}"
            );
        }
    }
    assert!((r.matrix_loss + published[0]).abs() <= 1e-15);
}

/// tools/gen_pm_reference.py (mpmath 1.3.0, 50 digits): the 9 × 3 matrix and the scaled extended
/// table of the book above, within 1e-12 BTC (the book's value is ~0.01 BTC, options ~0.1 BTC).
#[test]
fn matrix_matches_fifty_digit_revaluation() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pm_reference.json");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let m = market(0.45);
    let b = book();
    let base = b.value(&m, BTC).unwrap().amount;
    assert!((base - data["base_value_btc"].as_f64().unwrap()).abs() < 1e-13);
    let r = DeribitPortfolioMargin::deribit_btc()
        .margin(&b, &m, BTC)
        .unwrap();
    let matrix = r.matrix.as_ref().unwrap();
    assert_eq!(matrix.vols(), &VolScenario::ALL);
    for (i, row) in data["matrix_pnl_btc"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let want_move = data["price_moves"][i].as_f64().unwrap();
        assert!((matrix.price_moves()[i] - want_move).abs() < 1e-16);
        for (j, want) in row.as_array().unwrap().iter().enumerate() {
            let got = matrix.pnl(i, j).unwrap();
            let want = want.as_f64().unwrap();
            assert!((got - want).abs() < 1e-12, "({i},{j}): {got} vs {want}");
        }
    }
    for (k, want) in data["extended_scaled_pnl_btc"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let (_, got) = r.extended[k];
        let want = want.as_f64().unwrap();
        assert!((got - want).abs() < 1e-11, "extended {k}: {got} vs {want}");
    }
}

/// The requirement's matrix component is the worst loss of the book by full revaluation
/// (`Book::pnl`) under the same shocks, built here cell by cell from `Shock`s.
#[test]
fn matrix_loss_is_worst_full_revaluation_loss() {
    let m = market(0.45);
    let b = book();
    let p = DeribitPortfolioMargin::deribit_btc();
    let r = p.margin(&b, &m, BTC).unwrap();
    let matrix = r.matrix.unwrap();
    let mut worst = 0.0_f64;
    for (i, &mv) in matrix.price_moves().iter().enumerate() {
        for (j, v) in VolScenario::ALL.iter().enumerate() {
            let scale = |d: f64| p.vega_scale(d);
            let x = |d: f64| match v {
                VolScenario::Up => 0.5 * scale(d) * (0.5_f64 / 0.45).max(1.0),
                VolScenario::Down => -0.25 * scale(d),
                VolScenario::Unchanged => 0.0,
            };
            let mut shocks = vec![Shock::spot_relative(BTC, mv)];
            if *v != VolScenario::Unchanged {
                shocks.push(Shock::Vol {
                    asset: Some(BTC),
                    adjustment: VolAdjustment::RelativeByExpiry(vec![
                        (days(7.0), x(7.0)),
                        (days(60.0), x(60.0)),
                    ]),
                });
            }
            let shocked = shocks.apply(&m).unwrap();
            let pnl = b.pnl(&m, &shocked, BTC).unwrap().amount;
            assert!((matrix.pnl(i, j).unwrap() - pnl).abs() < 1e-13);
            worst = worst.max(-pnl);
        }
    }
    assert!((r.matrix_loss - worst).abs() < 1e-13);
    assert!(r.initial >= r.matrix_loss.max(r.extended_loss));
    assert!((r.maintenance - 0.8 * r.initial).abs() < 1e-15);
}

/// Deribit charges long options their mark under standard margin (support article 1000197268);
/// a long option can lose at most its value, so the scenario part of its portfolio margin
/// (matrix and extended table) never exceeds that. The delta and roll shocks come on top (at
/// most ~1e-10 BTC here, for deep out-of-the-money options whose matrix loss is their whole
/// value): the venue states no cap for them.
#[test]
fn single_long_option_never_above_standard_margin() {
    let m = market(0.45);
    for d in [7.0, 60.0] {
        for k in [70_000.0, 90_000.0, 100_000.0, 110_000.0, 150_000.0] {
            for kind in [OptionKind::Call, OptionKind::Put] {
                let c = option(kind, k, d);
                let mut b = Book::new();
                b.insert(Position::new(c, 3.0, 0.0).unwrap());
                let mark = c.value(&m, 0.0).unwrap();
                let standard = OptionMarginRates::DERIBIT
                    .margin(kind, k, 100_000.0, mark, 3.0)
                    .unwrap();
                let pm = DeribitPortfolioMargin::deribit_btc()
                    .margin(&b, &m, BTC)
                    .unwrap();
                let scenario_part = pm.matrix_loss.max(pm.extended_loss);
                assert!(
                    scenario_part <= standard.initial,
                    "{kind:?} {k} {d}: {scenario_part} > {}",
                    standard.initial
                );
                let add_ons = pm.delta_shock + pm.roll_shock + pm.contingency;
                assert!(pm.initial <= standard.initial + add_ons + 1e-15);
            }
        }
    }
}

/// An exact hedge (the opposite of every position) leaves nothing to margin; a delta hedge of a
/// short call lowers the requirement, and `position_effects` shows the perpetual offsetting.
#[test]
fn exact_hedge_never_raises_requirement() {
    let m = market(0.45);
    let p = DeribitPortfolioMargin::deribit_btc();
    let b = book();
    let alone = p.margin(&b, &m, BTC).unwrap().initial;
    let mut hedged = b.clone();
    for (_, pos) in b.iter() {
        hedged.insert(Position::new(pos.instrument, -pos.quantity, pos.entry_price).unwrap());
    }
    let both = p.margin(&hedged, &m, BTC).unwrap();
    assert!(both.initial <= alone);
    assert!(both.initial.abs() < 1e-12, "{}", both.initial);

    let mut short_call = Book::new();
    let call = option(OptionKind::Call, 100_000.0, 60.0);
    short_call.insert(Position::new(call, -10.0, 0.0).unwrap());
    let unhedged = p.margin(&short_call, &m, BTC).unwrap().initial;
    let q = short_call
        .hedge_quantity(&m, BTC, &perp(), 100_000.0)
        .unwrap();
    let hedge_id = short_call.insert(Position::new(perp(), q, 100_000.0).unwrap());
    let with_hedge = p.margin(&short_call, &m, BTC).unwrap().initial;
    assert!(with_hedge < unhedged, "{with_hedge} vs {unhedged}");
    let effects = p.position_effects(&short_call, &m, BTC).unwrap();
    let e = effects.iter().find(|e| e.id == hedge_id).unwrap();
    assert!(e.offsets() && e.standalone > 0.0);
}

/// The matrix, extended table, roll shock and contingencies scale linearly with size; the delta
/// shock grows with the square of the delta below its cap (a liquidity charge, by design).
#[test]
fn linear_in_size() {
    let m = market(0.45);
    let p = DeribitPortfolioMargin::deribit_btc();
    let one = p.margin(&book(), &m, BTC).unwrap();
    for k in [0.5, 3.0, 40.0] {
        let r = p.margin(&scaled(&book(), k), &m, BTC).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-3);
        assert!(close(r.matrix_loss, k * one.matrix_loss));
        assert!(close(r.extended_loss, k * one.extended_loss));
        assert!(close(r.roll_shock, k * one.roll_shock));
        assert!(close(r.contingency, k * one.contingency));
        assert!(close(r.delta_shock, k * k * one.delta_shock));
    }
}

/// Contingencies as deribit.com/pages/docs/portfoliomargin words them: 0.01 BTC per net short
/// option per strike (call +10 and put −20 at one strike: 10 × 0.01 BTC), 1 % of offsetting
/// futures (long 100 BTC of one future, short 100 BTC of another: 1 BTC).
#[test]
fn contingency_examples_of_the_venue_page() {
    let m = market(0.45);
    let p = DeribitPortfolioMargin::deribit_btc();
    let mut b = Book::new();
    b.insert(Position::new(option(OptionKind::Call, 100_000.0, 60.0), 10.0, 0.0).unwrap());
    b.insert(Position::new(option(OptionKind::Put, 100_000.0, 60.0), -20.0, 0.0).unwrap());
    assert!((p.margin(&b, &m, BTC).unwrap().contingency - 0.1).abs() < 1e-15);

    let fut = |d: f64| Contract::future(BTC, Settlement::Inverse, 10.0, days(d)).unwrap();
    let mut f = Book::new();
    // 100 BTC of face at the index each (contingency is on notional at the index)
    f.insert(Position::new(fut(7.0), 1_000_000.0, 100_200.0).unwrap());
    f.insert(Position::new(fut(60.0), -1_000_000.0, 101_000.0).unwrap());
    assert!((p.margin(&f, &m, BTC).unwrap().contingency - 1.0).abs() < 1e-12);
}

/// Stress table and distance to a margin call: at the move found, equity equals maintenance.
#[test]
fn stress_and_distance_to_margin_call() {
    let m = market(0.45);
    let p = DeribitPortfolioMargin::deribit_btc();
    let b = book();
    let crash = NamedScenario::new(
        "crash",
        vec![Shock::spot_relative(BTC, -0.3), Shock::vol_parallel(0.2)],
    );
    let rows = margin_under_stress(&p, &b, &m, BTC, 1.0, std::slice::from_ref(&crash)).unwrap();
    let shocked = crash.apply(&m).unwrap();
    assert!((rows[0].equity - (1.0 + b.value(&shocked, BTC).unwrap().amount)).abs() < 1e-12);
    assert_eq!(
        rows[0].maintenance,
        p.requirement(&b, &shocked, BTC).unwrap().maintenance
    );
    let d = distance_to_margin_call(&p, &b, &m, BTC, BTC, 0.5).unwrap();
    let x = d.nearest().unwrap();
    let at = Shock::spot_relative(BTC, x).apply(&m).unwrap();
    let excess =
        0.5 + b.value(&at, BTC).unwrap().amount - p.requirement(&b, &at, BTC).unwrap().maintenance;
    assert!(excess.abs() < 1e-9, "x {x}, excess {excess}");
}

/// Scenario VaR with the risk layer's historical VaR (99 %, linear quantile) as the estimator:
/// the VaR equals `historical_var` of the P&L computed independently by `Book::pnl`.
#[test]
fn scenario_var_uses_the_risk_layer_var() {
    let m = market(0.45);
    let b = book();
    let historical: Vec<NamedScenario> = (0..50)
        .map(|i| {
            let x = -0.12 + 0.24 * f64::from(i) / 49.0;
            NamedScenario::new(format!("day {i}"), vec![Shock::spot_relative(BTC, x)])
        })
        .collect();
    let stressed = vec![NamedScenario::new(
        "crash",
        vec![Shock::spot_relative(BTC, 0.3)],
    )];
    let var =
        |pnl: &[f64]| historical_var(pnl, 0.99, QuantileMethod::Linear, &mut Vec::new()).unwrap();
    let mut policy = ScenarioVarMargin::new(historical.clone(), stressed.clone(), var);
    policy.liquidity_rate = 0.01;
    let r = policy.margin(&b, &m, BTC).unwrap();
    let pnl: Vec<f64> = historical
        .iter()
        .map(|s| b.pnl(&m, &s.apply(&m).unwrap(), BTC).unwrap().amount)
        .collect();
    let want = historical_var(&pnl, 0.99, QuantileMethod::Linear, &mut Vec::new()).unwrap();
    assert!((r.var - want).abs() < 1e-13);
    let stress = -b
        .pnl(&m, &stressed[0].apply(&m).unwrap(), BTC)
        .unwrap()
        .amount;
    assert!((r.stress - stress.max(0.0)).abs() < 1e-13);
    assert!((r.maintenance - (r.var.max(r.stress) + r.liquidity)).abs() < 1e-15);
    let empty = ScenarioVarMargin::new(Vec::new(), stressed, var);
    assert_eq!(
        empty.margin(&b, &m, BTC).unwrap_err(),
        MarginError::EmptyScenarioGrid {
            what: "historical scenarios"
        }
    );
}

/// Typed errors: an option past expiry, a grid without points, a negative range.
#[test]
fn typed_errors() {
    let m = market(0.45).rolled_to(days(8.0));
    let b = book();
    let err = DeribitPortfolioMargin::deribit_btc()
        .margin(&b, &m, BTC)
        .unwrap_err();
    assert!(matches!(err, MarginError::ExpiredPosition { .. }), "{err}");
    assert!(err.to_string().contains("expired"));

    let m = market(0.45);
    let mut p = DeribitPortfolioMargin::deribit_btc();
    p.buckets = 0;
    assert_eq!(
        p.margin(&b, &m, BTC).unwrap_err(),
        MarginError::EmptyScenarioGrid {
            what: "price buckets"
        }
    );
    let mut p = DeribitPortfolioMargin::deribit_btc();
    p.price_range = -0.16;
    assert_eq!(
        p.margin(&b, &m, BTC).unwrap_err(),
        MarginError::NegativeScanRange {
            name: "price range",
            value: -0.16
        }
    );
    let mut p = DeribitPortfolioMargin::deribit_btc();
    p.volatility_range_down = f64::NAN;
    assert!(matches!(
        p.validate(),
        Err(MarginError::NegativeScanRange { .. })
    ));
    // an option without a vol surface: the market's error, typed
    let bare = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(BTC, ForwardCurve::new(100_000.0, &[]).unwrap())
        .build()
        .unwrap();
    assert!(matches!(
        DeribitPortfolioMargin::deribit_btc().margin(&b, &bare, BTC),
        Err(MarginError::Portfolio(_))
    ));
}

/// Segregated margin: USDC-settled positions are not in the BTC book's requirement.
#[test]
fn per_currency_books() {
    let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
        .underlying(
            BTC,
            ForwardCurve::new(100_000.0, &[(days(60.0), 101_000.0)]).unwrap(),
        )
        .vol_surface(BTC, FlatVol::new(0.45).unwrap())
        .discount_curve(BTC, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USDC, DiscountCurve::flat(0.0).unwrap())
        .fx_rate(Currency::USDC, 1.0)
        .build()
        .unwrap();
    let p = DeribitPortfolioMargin::deribit_btc();
    let mut b = Book::new();
    b.insert(Position::new(option(OptionKind::Put, 90_000.0, 60.0), -1.0, 0.0).unwrap());
    let btc_only = p.margin(&b, &m, BTC).unwrap().initial;
    let linear = Contract::option(
        BTC,
        OptionKind::Call,
        110_000.0,
        days(60.0),
        Settlement::Linear(Currency::USDC),
        1.0,
    )
    .unwrap();
    b.insert(Position::new(linear, -1.0, 0.0).unwrap());
    assert_eq!(p.margin(&b, &m, BTC).unwrap().initial, btc_only);
    let usdc = p.margin(&b, &m, Currency::USDC).unwrap();
    assert!(usdc.initial > 0.0 && usdc.matrix.unwrap().currency() == Currency::USDC);
    let _ = VolDynamics::StickyStrike;
}

/// A portfolio-margined account steps like any `MarginAccount` (issue 16: "behind the margin
/// traits, so ... the liquidation engine can liquidate it"): along a rising spot path (the book is short calls), each
/// step's equity and maintenance equal `Book::value` and the model's requirement recomputed on
/// the moved market (`MarketState::with_spot`, sticky strike), `Liquidatable` is reported exactly
/// when equity ≤ maintenance, and the starting account is untouched.
#[test]
fn portfolio_account_steps_like_a_margin_account() {
    use derisk::margin::{MarginAccount, MarginAction, MarginEvent, PortfolioAccount};
    let model = DeribitPortfolioMargin::deribit_btc();
    let m = market(0.6);
    let a = PortfolioAccount::new(model.clone(), book(), m.clone(), BTC, 0.6).unwrap();
    let start_equity = a.equity().unwrap();
    let mut s = a.clone();
    let mut liquidated = false;
    for k in 1..=20 {
        let spot = 100_000.0 * (1.0 + 0.02 * f64::from(k));
        let (next, actions) = s
            .step(
                &MarginEvent::Price {
                    currency: BTC,
                    price: spot,
                },
                0.8,
            )
            .unwrap();
        let moved = m.with_spot(BTC, spot, VolDynamics::StickyStrike).unwrap();
        let equity = 0.6 + book().value(&moved, BTC).unwrap().amount;
        let maintenance = model.requirement(&book(), &moved, BTC).unwrap().maintenance;
        assert!((next.equity().unwrap() - equity).abs() < 1e-12);
        assert!((next.maintenance().unwrap() - maintenance).abs() < 1e-12);
        let liq = actions
            .iter()
            .any(|x| matches!(x, MarginAction::Liquidatable { .. }));
        assert_eq!(liq, maintenance > 0.0 && equity <= maintenance);
        liquidated |= liq;
        s = next;
    }
    assert!(liquidated, "a 40 % rise liquidates this book on 0.6 BTC");
    assert_eq!(a.equity().unwrap(), start_equity);
    // events a market-valued book cannot take are typed errors
    let bad = a.step(
        &MarginEvent::Funding {
            id: derisk::portfolio::PositionId(0),
            rate: 0.0001,
        },
        0.8,
    );
    assert!(matches!(bad, Err(MarginError::InvalidParameter { .. })));
}
