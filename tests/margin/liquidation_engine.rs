//! The liquidation engine's pieces (issue 15): the index of liquidation prices, the venues' ADL
//! rankings and queue, the insurance fund's close-out and the clearing-house waterfall.
//! Sources are named in each test; properties check that no money is created or lost.

use derisk::margin::{
    adl_percentiles, bitmex_adl_score, cover_n, deleverage, rank_adl, AdlCandidate, Closeout,
    DefaultWaterfall, FlatRate, Instrument, InsuranceFund, IsolatedPosition, LiquidationIndex,
    Position, Side,
};
use derisk::market::Currency;
use derisk::portfolio::PositionId;
use proptest::prelude::*;

/// BitMEX, "Auto Deleveraging Examples" (bitmex.com/app/autoDeleveragingExamples): six longs
/// with PnL rankings 3, 6, 1, 4, 5, 2 and sizes 10, 10, 20, 30, 20, 10; the queue's percentiles
/// are 20 %, 40 %, 60 %, 80 %, 80 %, 100 %, and a short of 20 liquidated at a bankruptcy price
/// of 650 closes account 2 in full and 10 of account 5's 20 contracts.
#[test]
fn bitmex_adl_worked_example() {
    let accounts = [
        (1, 10.0, 3.0),
        (2, 10.0, 6.0),
        (3, 20.0, 1.0),
        (4, 30.0, 4.0),
        (5, 20.0, 5.0),
        (6, 10.0, 2.0),
    ];
    let mut q: Vec<AdlCandidate> = accounts
        .iter()
        .map(|&(id, n, s)| AdlCandidate::new(PositionId(id), n, s).unwrap())
        .collect();
    rank_adl(&mut q);
    let order: Vec<u64> = q.iter().map(|c| c.id.0).collect();
    assert_eq!(order, [2, 5, 4, 1, 6, 3]);
    let mut pct = [0.0; 6];
    adl_percentiles(&q, &mut pct).unwrap();
    assert_eq!(pct, [0.2, 0.4, 0.6, 0.8, 0.8, 1.0]);
    let mut fills = Vec::new();
    let left = deleverage(&q, 20.0, 650.0, &mut fills).unwrap();
    assert_eq!(left, 0.0);
    let got: Vec<(u64, f64, f64)> = fills
        .iter()
        .map(|f| (f.id.0, f.contracts, f.price))
        .collect();
    assert_eq!(got, [(2, 10.0, 650.0), (5, 10.0, 650.0)]);
}

/// The queue cannot place more than it holds: the rest is reported, never dropped.
#[test]
fn deleverage_reports_what_the_queue_cannot_take() {
    let q = [AdlCandidate::new(PositionId(1), 3.0, 1.0).unwrap()];
    let mut fills = Vec::new();
    assert_eq!(deleverage(&q, 5.0, 100.0, &mut fills).unwrap(), 2.0);
    assert_eq!(fills[0].contracts, 3.0);
}

/// BitMEX's score orders winners above losers and rises with leverage (the page's definition).
#[test]
fn bitmex_score_orders_profit_and_leverage() {
    // long 1 BTC from 100 at mark 120: bankrupt at 80 (2.5x on the mark) vs 100 (6x)
    let low = bitmex_adl_score(120.0, 100.0, 80.0).unwrap();
    let high = bitmex_adl_score(120.0, 100.0, 100.0).unwrap();
    assert!(high > low && low > 0.0);
    assert!((high - 0.2 * 6.0).abs() < 1e-15);
    let loser = bitmex_adl_score(90.0, 100.0, 80.0).unwrap();
    assert!(loser < 0.0);
    // at or past bankruptcy the leverage is undefined: an error, not ±∞
    assert!(bitmex_adl_score(80.0, 100.0, 80.0).is_err());
}

/// The close-out moves money, never creates it: for a bankrupt isolated position (bankruptcy
/// price from `IsolatedPosition::bankruptcy_price`), the trader's margin plus the P&L realised by
/// the market and ADL fills (`Position::fill`) equals the fund's P&L on the market part. Linear
/// and inverse contracts.
fn conservation_case(
    inverse: bool,
    side: Side,
    contracts: f64,
    entry: f64,
    leverage: f64,
    market_share: f64,
    slip: f64,
) {
    let instrument = if inverse {
        Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.5).unwrap()
    } else {
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.01, 0.1).unwrap()
    };
    let model = FlatRate::new(0.005, 125.0).unwrap();
    let p = Position::new(instrument, side, contracts, entry).unwrap();
    let iso = IsolatedPosition::open(p, leverage, &model).unwrap();
    let pb = iso.bankruptcy_price(&model).price().unwrap();
    let market = contracts * market_share;
    // the market fills a little worse (slip > 0) or better than the bankruptcy price
    let vwap = pb * (1.0 - side.sign() * slip);
    let c = Closeout::new(instrument, side, contracts, pb, market, vwap).unwrap();
    let queue = [AdlCandidate::new(PositionId(99), contracts, 1.0).unwrap()];
    let out = InsuranceFund::new(1e12)
        .unwrap()
        .close_out(&c, &queue)
        .unwrap();
    // the trader's side of every fill
    let mut realised = 0.0;
    let mut pos = Some(p);
    if market > 0.0 {
        let f = pos.unwrap().fill(side.opposite(), market, vwap).unwrap();
        realised += f.realised_pnl;
        pos = f.position;
    }
    for a in &out.adl {
        let f = pos
            .unwrap()
            .fill(side.opposite(), a.contracts, a.price)
            .unwrap();
        realised += f.realised_pnl;
        pos = f.position;
    }
    assert!(pos.is_none(), "the position is closed in full");
    let lhs = iso.margin() + realised;
    let scale = iso.margin().abs().max(1e-300);
    assert!(
        (lhs - out.fund_pnl).abs() <= 1e-9 * scale,
        "{lhs} vs {}",
        out.fund_pnl
    );
    assert_eq!(out.unplaced, 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn closeout_conserves_money(
        inverse in any::<bool>(),
        long in any::<bool>(),
        contracts in 1.0f64..1e4,
        entry in 1e3f64..2e5,
        leverage in 2.0f64..100.0,
        market_share in 0.0f64..1.0,
        slip in -0.02f64..0.02,
    ) {
        let side = if long { Side::Long } else { Side::Short };
        conservation_case(inverse, side, contracts.round(), entry, leverage, market_share, slip);
    }

    /// The index finds exactly the positions a linear scan finds.
    #[test]
    fn index_matches_scan(
        lps in proptest::collection::vec((1.0f64..1e6, any::<bool>()), 1..300),
        mark in 1.0f64..1e6,
    ) {
        let mut index = LiquidationIndex::new();
        for (i, &(lp, long)) in lps.iter().enumerate() {
            index.insert(PositionId(i as u64), if long { Side::Long } else { Side::Short }, lp).unwrap();
        }
        let mut got: Vec<u64> = index.triggered(mark).map(|p| p.0).collect();
        got.sort_unstable();
        let want: Vec<u64> = lps.iter().enumerate()
            .filter(|&(_, &(lp, long))| if long { mark <= lp } else { mark >= lp })
            .map(|(i, _)| i as u64).collect();
        prop_assert_eq!(got, want);
    }

    /// The waterfall's layers add up to the loss, whatever its size.
    #[test]
    fn waterfall_layers_sum_to_the_loss(
        loss in 0.0f64..1e4,
        im in 0.0f64..1e3, df in 0.0f64..1e3, skin in 0.0f64..1e3,
        survivors in proptest::collection::vec(0.0f64..1e3, 0..6),
        multiple in 0.0f64..3.0,
    ) {
        let a = DefaultWaterfall::new(im, df, skin, survivors, multiple).unwrap().allocate(loss).unwrap();
        let total = a.defaulter_margin + a.defaulter_fund + a.skin_in_the_game
            + a.survivors_fund.iter().sum::<f64>() + a.assessments.iter().sum::<f64>() + a.uncovered;
        prop_assert!((total - loss).abs() <= 1e-9 * loss.max(1.0));
        prop_assert!(a.uncovered >= 0.0);
    }
}

/// Cover-1 / Cover-2 (CPMI-IOSCO PFMI 4.4) on a hand-checkable set of members.
#[test]
fn cover_one_and_two() {
    let losses = [12.5, 0.0, 80.0, 45.0, 80.0];
    assert_eq!(cover_n(&losses, 1).unwrap(), 80.0);
    assert_eq!(cover_n(&losses, 2).unwrap(), 160.0);
    assert!(cover_n(&losses, 0).is_err());
    assert!(cover_n(&[-1.0], 1).is_err());
}

/// A fund that cannot carry the loss: the excess is socialised, the fund ends at zero.
#[test]
fn fund_shortfall_is_socialised() {
    let btc = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let c = Closeout::new(btc, Side::Long, 10.0, 100.0, 10.0, 90.0).unwrap();
    let out = InsuranceFund::new(30.0)
        .unwrap()
        .close_out(&c, &[])
        .unwrap();
    assert_eq!(out.fund_pnl, -100.0);
    assert_eq!(out.fund.balance(), 0.0);
    assert_eq!(out.socialised_loss, 70.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Tiered partial liquidation (Bybit's laddered liquidation): a `Reduce` keeps the equity at
    /// the mark, leaves a position that meets its requirement at a tier's cap, and no higher cap
    /// below the position's value would have done; `TakeOver` only when no cap saves it.
    #[test]
    fn tiered_step_is_the_least_cut_to_a_tier(
        contracts in 1.0f64..60.0,
        entry in 20_000.0f64..80_000.0,
        margin_share in 0.005f64..0.2,
        fall in 0.0f64..0.2,
    ) {
        use derisk::margin::{tiered_liquidation_step, MarginModel, TierStep, TierTable};
        let t = TierTable::binance_btcusdt_2021_03_18();
        let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(), Side::Long, contracts, entry).unwrap();
        let iso = IsolatedPosition::new(p, contracts * entry * margin_share).unwrap();
        let mark = entry * (1.0 - fall);
        let equity = iso.equity(mark).unwrap();
        let value = contracts * mark;
        match tiered_liquidation_step(&iso, mark, &t).unwrap() {
            TierStep::Healthy => prop_assert!(equity >= t.maintenance_margin(value) * (1.0 - 1e-12)),
            TierStep::Reduce { kept_value, position, bracket, .. } => {
                prop_assert!((position.equity(mark).unwrap() - equity).abs() <= 1e-9 * equity.abs().max(1.0));
                prop_assert!((position.position().contracts() * mark - kept_value).abs() <= 1e-9 * kept_value);
                prop_assert!(t.maintenance_margin(kept_value) <= equity * (1.0 + 1e-12));
                // the next cap up (still below the value) would not have met the requirement
                if let Some(next) = t.bracket_at(bracket + 1)
                    && next.cap < value {
                        prop_assert!(t.maintenance_margin(next.cap) > equity);
                    }
            }
            TierStep::TakeOver => {
                let first = t.bracket_at(0).unwrap().cap;
                prop_assert!(equity <= 0.0 || t.maintenance_margin(first.min(value)) > equity || value <= first);
            }
            other => prop_assert!(false, "unexpected step {other:?}"),
        }
    }
}

mod cascade {
    use derisk::margin::{
        simulate_cascade, CascadeConfig, LeveragedAccount, PopulationSpec, PowerImpact, Side,
    };
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn run(seed: u64, spec: &PopulationSpec, shock: &[f64]) -> Vec<derisk::margin::CascadeStep> {
        let pop = spec
            .sample(100_000.0, &mut ChaCha20Rng::seed_from_u64(seed))
            .unwrap();
        let impact = PowerImpact::new(2e-4, 0.5).unwrap();
        let config = CascadeConfig {
            insurance_fund: 5e6,
            ..CascadeConfig::default()
        };
        simulate_cascade(&pop, 100_000.0, shock, &impact, &config).unwrap()
    }

    /// Issue 15: "a cascade with no leverage liquidates no one" (1x longs are fully
    /// collateralised: no liquidation price), whatever the shock.
    #[test]
    fn no_leverage_no_liquidation() {
        let spec = PopulationSpec {
            accounts: 2_000,
            long_share: 1.0,
            min_leverage: 1.0,
            max_leverage: 1.0,
            ..PopulationSpec::default()
        };
        let steps = run(1, &spec, &[-0.5, -0.4, -0.3]);
        assert!(steps
            .iter()
            .all(|s| s.liquidated == 0 && s.forced_sold == 0.0));
    }

    /// Seeded cascades are reproducible bit for bit (ChaCha20, seed 2026).
    #[test]
    fn seeded_cascade_is_bit_for_bit() {
        let spec = PopulationSpec {
            accounts: 5_000,
            ..PopulationSpec::default()
        };
        let shock = [-0.01, -0.02, 0.0, 0.0, 0.0, 0.0];
        let a = run(2026, &spec, &shock);
        let b = run(2026, &spec, &shock);
        assert_eq!(a, b);
        let bits: Vec<u64> = a.iter().map(|s| s.mark.to_bits()).collect();
        let again: Vec<u64> = b.iter().map(|s| s.mark.to_bits()).collect();
        assert_eq!(bits, again);
        // the shock liquidates someone and the forced selling deepens the fall
        assert!(a.iter().map(|s| s.liquidated).sum::<usize>() > 0);
        assert!(a[1].mark < 100_000.0 * (-0.03f64).exp());
    }

    /// With no impact the mark follows the shock exactly and only the shock's crossings
    /// liquidate; with impact, at least as many accounts go (the spiral only adds).
    #[test]
    fn impact_only_adds_liquidations() {
        let spec = PopulationSpec {
            accounts: 3_000,
            ..PopulationSpec::default()
        };
        let pop = spec
            .sample(100_000.0, &mut ChaCha20Rng::seed_from_u64(9))
            .unwrap();
        let shock = [-0.02, -0.01, 0.0, 0.0];
        let config = CascadeConfig {
            insurance_fund: 1e9,
            ..CascadeConfig::default()
        };
        let none = simulate_cascade(
            &pop,
            100_000.0,
            &shock,
            &PowerImpact::new(0.0, 0.5).unwrap(),
            &config,
        )
        .unwrap();
        let some = simulate_cascade(
            &pop,
            100_000.0,
            &shock,
            &PowerImpact::new(3e-4, 0.5).unwrap(),
            &config,
        )
        .unwrap();
        let mut fundamental = 100_000.0f64.ln();
        for (s, r) in none.iter().zip(shock) {
            fundamental += r;
            assert!((s.mark - fundamental.exp()).abs() < 1e-9 * s.mark);
        }
        let count =
            |v: &[derisk::margin::CascadeStep]| v.iter().map(|s| s.liquidated).sum::<usize>();
        assert!(count(&some) >= count(&none));
        assert!(some.last().unwrap().mark <= none.last().unwrap().mark);
    }

    /// A fund too small for a gap hands the position to ADL against the shorts in profit.
    #[test]
    fn empty_fund_deleverages_the_winners() {
        let accounts = [
            LeveragedAccount {
                side: Side::Long,
                size: 10.0,
                entry: 100.0,
                leverage: 50.0,
            },
            LeveragedAccount {
                side: Side::Short,
                size: 4.0,
                entry: 110.0,
                leverage: 5.0,
            },
            LeveragedAccount {
                side: Side::Short,
                size: 20.0,
                entry: 101.0,
                leverage: 2.0,
            },
        ];
        let impact = PowerImpact::new(0.01, 1.0).unwrap();
        let steps = simulate_cascade(
            &accounts,
            100.0,
            &[-0.05],
            &impact,
            &CascadeConfig::default(),
        )
        .unwrap();
        // the long's gap cannot be paid by an empty fund: ADL, no market flow
        assert_eq!(steps[0].liquidated, 0);
        assert_eq!(steps[0].forced_sold, 0.0);
        assert!(steps[0].adl_events >= 1);
        assert!((steps[0].adl_volume - 10.0).abs() < 1e-12);
    }
}

/// `MarginAccount::step` is a pure function: the old state is untouched, replaying the same
/// events gives the same states bit for bit, and the result equals the in-place mutators'.
/// `Liquidatable` is reported exactly when equity ≤ maintenance.
#[test]
fn step_is_pure_and_replays() {
    use derisk::margin::{CrossAccount, MarginAccount, MarginAction, MarginEvent, TierTable};
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut a = CrossAccount::new(5_000.0).unwrap();
    let btc = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap();
    let long = a
        .add(
            Position::new(btc, Side::Long, 2.0, 50_000.0).unwrap(),
            50_000.0,
            25.0,
            &t,
        )
        .unwrap();
    let short = a
        .add(
            Position::new(btc, Side::Short, 1.0, 50_000.0).unwrap(),
            50_000.0,
            25.0,
            &t,
        )
        .unwrap();
    let events = [
        MarginEvent::Mark {
            id: long,
            price: 48_000.0,
        },
        MarginEvent::Mark {
            id: short,
            price: 48_000.0,
        },
        MarginEvent::Funding {
            id: long,
            rate: 0.0001,
        },
        MarginEvent::Fill {
            id: short,
            side: Side::Long,
            contracts: 0.5,
            price: 47_900.0,
        },
        MarginEvent::Mark {
            id: long,
            price: 45_500.0,
        },
        MarginEvent::Wallet { balance: 4_000.0 },
    ];
    fn run<'t>(
        start: &CrossAccount<&'t TierTable>,
        events: &[MarginEvent],
    ) -> (CrossAccount<&'t TierTable>, Vec<Vec<MarginAction>>) {
        let mut s = start.clone();
        let mut all = Vec::new();
        for e in events {
            let (next, actions) = s.step(e, 0.8).unwrap();
            let liq = actions
                .iter()
                .any(|x| matches!(x, MarginAction::Liquidatable { .. }));
            assert_eq!(liq, next.equity() <= next.maintenance_margin());
            all.push(actions);
            s = next;
        }
        (s, all)
    }
    let before = a.clone();
    let (end1, acts1) = run(&a, &events);
    let (end2, acts2) = run(&a, &events);
    assert_eq!(a, before);
    assert_eq!(end1, end2);
    assert_eq!(acts1, acts2);
    // the same events through the mutators
    a.set_mark(long, 48_000.0).unwrap();
    a.set_mark(short, 48_000.0).unwrap();
    a.apply_funding(long, 0.0001).unwrap();
    a.fill(short, Side::Long, 0.5, 47_900.0).unwrap();
    a.set_mark(long, 45_500.0).unwrap();
    a.set_wallet_balance(4_000.0).unwrap();
    assert_eq!(a, end1);
    // the fill of the short reports its realised P&L: 0.5 × (50,000 − 47,900)
    assert!(acts1
        .iter()
        .flatten()
        .any(|x| matches!(x, MarginAction::Realised { .. })));
}

/// Deribit incremental liquidation (support article 25944769313309 "Liquidations", the
/// "Auto Liquidation" page's 200 contracts of $10 per round, and the 11 January 2022 schedule:
/// MM 1 % + 0.005 % per BTC, BTC liquidation fee 0.75 %; all read 2026-12-04). Long 20,000
/// BTC-PERPETUAL contracts at 50,000 with 0.2 BTC, mark 48,050. The reference is
/// tools/gen_deribit_incremental.py (exact rationals): round 1 fee 0.0003121748178980229 BTC and
/// margin 0.19806451612903225; 41 rounds, 11,800 contracts left, total fee
/// 0.012799167533818939, margin 0.12064516129032259, equity 0.024869927159209156 ≥ MM
/// 0.02485929394133972. Tolerance 1e-15 BTC (f64 rounding over 41 rounds).
#[test]
fn deribit_incremental_rounds() {
    use derisk::margin::{deribit_liquidation_step, IncrementalStep, SizeScaled};
    let model = SizeScaled::new(0.02, 0.01, 0.00005).unwrap();
    let p = Position::new(
        Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap(),
        Side::Long,
        20_000.0,
        50_000.0,
    )
    .unwrap();
    let mark = 48_050.0;
    let mut iso = IsolatedPosition::new(p, 0.2).unwrap();
    let equity0 = iso.equity(mark).unwrap();
    let (mut rounds, mut fees) = (0, 0.0);
    loop {
        let shortfall = iso.maintenance_margin(mark, &model).unwrap() - iso.equity(mark).unwrap();
        match deribit_liquidation_step(&iso, mark, &model, 200.0, 0.0075).unwrap() {
            IncrementalStep::Healthy => break,
            IncrementalStep::Close {
                contracts,
                fee,
                rest: Some(rest),
                released,
            } => {
                assert_eq!((contracts, released), (200.0, 0.0));
                if rounds == 0 {
                    assert!((fee - 0.000_312_174_817_898_022_9).abs() < 1e-15);
                    assert!((rest.margin() - 0.198_064_516_129_032_25).abs() < 1e-15);
                }
                // each round brings the requirement toward the equity
                let after =
                    rest.maintenance_margin(mark, &model).unwrap() - rest.equity(mark).unwrap();
                assert!(after < shortfall);
                rounds += 1;
                fees += fee;
                iso = rest;
            }
            other => panic!("{other:?}"),
        }
        assert!(rounds <= 100);
    }
    assert_eq!(rounds, 41);
    assert_eq!(iso.position().contracts(), 11_800.0);
    assert!((fees - 0.012_799_167_533_818_939).abs() < 1e-15);
    assert!((iso.margin() - 0.120_645_161_290_322_59).abs() < 1e-15);
    assert!((iso.equity(mark).unwrap() - 0.024_869_927_159_209_156).abs() < 1e-15);
    // fee conservation: the equity lost is the fee paid, nothing else
    assert!((equity0 - iso.equity(mark).unwrap() - fees).abs() < 1e-15);
}

/// Deribit incremental liquidation edge cases: a healthy position is left alone, a bankrupt one
/// is reported (not sliced), the last slice releases the margin left, bad parameters are typed
/// errors (numbers by hand).
#[test]
fn deribit_incremental_edges() {
    use derisk::margin::{deribit_liquidation_step, IncrementalStep, MarginError};
    let mm = FlatRate::new(0.01, 50.0).unwrap();
    let p = Position::new(
        Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(),
        Side::Long,
        1.0,
        50_000.0,
    )
    .unwrap();
    let iso = IsolatedPosition::new(p, 1_000.0).unwrap();
    // mark 50,000: equity 1,000 ≥ MM 500
    assert_eq!(
        deribit_liquidation_step(&iso, 50_000.0, &mm, 5.0, 0.0075).unwrap(),
        IncrementalStep::Healthy
    );
    // mark 48,000: equity −1,000
    assert_eq!(
        deribit_liquidation_step(&iso, 48_000.0, &mm, 5.0, 0.0075).unwrap(),
        IncrementalStep::Bankrupt { equity: -1_000.0 }
    );
    // mark 49,400: equity 400 < MM 494; the cap exceeds the size: all of it goes, the fee
    // 0.75 % × 49,400 = 370.5 is paid and 400 − 370.5 = 29.5 is released
    match deribit_liquidation_step(&iso, 49_400.0, &mm, 5.0, 0.0075).unwrap() {
        IncrementalStep::Close {
            contracts,
            fee,
            rest: None,
            released,
        } => {
            assert_eq!(contracts, 1.0);
            assert!((fee - 370.5).abs() < 1e-9);
            assert!((released - 29.5).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    // a fee above the equity is capped at it: 5 % of 49,400 = 2,470 > 400
    match deribit_liquidation_step(&iso, 49_400.0, &mm, 5.0, 0.05).unwrap() {
        IncrementalStep::Close { fee, released, .. } => {
            assert!((fee - 400.0).abs() < 1e-9);
            assert_eq!(released, 0.0);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        deribit_liquidation_step(&iso, 49_400.0, &mm, 0.0, 0.0075),
        Err(MarginError::InvalidSize { .. })
    ));
    assert!(matches!(
        deribit_liquidation_step(&iso, 49_400.0, &mm, 1.0, f64::NAN),
        Err(MarginError::InvalidParameter { .. })
    ));
    assert!(matches!(
        deribit_liquidation_step(&iso, -1.0, &mm, 1.0, 0.0075),
        Err(MarginError::InvalidPrice { .. })
    ));
}

/// A real default through the waterfall: Nasdaq Clearing's commodities member Einar Aas,
/// declared in default on 11 September 2018. Nasdaq Clearing, "Default Notice from Nasdaq
/// Clearing" (GlobeNewswire, 2018-09-12): the close-out loss "exceeded the defaulting member's
/// collateral and default fund contribution", so Nasdaq's junior capital and "a portion of the
/// Commodity Member Default fund" were used; "Statement from Nasdaq Clearing" (2018-09-13):
/// the default fund "has been impacted by an amount of EUR 107 million in addition to the EUR 7
/// million that was Nasdaq's junior capital"; GlobalCapital (2018-09-13): a "€107m hole in
/// Nasdaq Clearing's €166m Commodity Member Default Fund". The defaulter's own layers are not
/// published, so the loss here is the EUR 114 m beyond them; the 166 m fund is split over
/// three illustrative members (pro rata shares checked, total exact). EUR millions.
#[test]
fn nasdaq_clearing_2018_default_waterfall() {
    let w = DefaultWaterfall::new(0.0, 0.0, 7.0, vec![100.0, 50.0, 16.0], 1.0).unwrap();
    let a = w.allocate(114.0).unwrap();
    assert_eq!(a.skin_in_the_game, 7.0);
    let used: f64 = a.survivors_fund.iter().sum();
    assert!((used - 107.0).abs() < 1e-12);
    for (got, c) in a.survivors_fund.iter().zip([100.0, 50.0, 16.0]) {
        assert!((got - 107.0 * c / 166.0).abs() < 1e-12);
    }
    assert_eq!(a.assessments, vec![0.0, 0.0, 0.0]);
    assert_eq!(a.uncovered, 0.0);
    // the defaulter's collateral and fund share come first: with them in front, the junior
    // capital and the mutualised fund carry the same 7 + 107
    let w = DefaultWaterfall::new(40.0, 5.0, 7.0, vec![166.0], 1.0).unwrap();
    let a = w.allocate(159.0).unwrap();
    assert_eq!((a.defaulter_margin, a.defaulter_fund), (40.0, 5.0));
    assert_eq!((a.skin_in_the_game, a.survivors_fund[0]), (7.0, 107.0));
}
