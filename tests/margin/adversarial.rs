//! Adversarial sweep: every public fallible function of `derisk::margin` over a pool of hostile
//! values (NaN, ±∞, ±0, subnormals, 1e-300, 1e300, ±f64::MAX, negative sizes, malformed tables)
//! mixed with valid ones, from a pinned ChaCha20 seed.
//!
//! Asserted: no panic (caught only to report; any panic fails the test), no `Ok` holding a
//! non-finite number, and the oracles
//! - equity at the liquidation price equals the maintenance requirement (unrounded venues),
//!   to 1e-9 of the largest term of the equation (margin, |uPnL|, MM);
//! - the bankruptcy price lies beyond the liquidation price (bracket tables and flat rates,
//!   where equity − MM is monotone): below it for a long, above it for a short.
//!
//! `sweep` runs 3,000 seeded scenarios (a few seconds in debug); `wide_sweep` (ignored) runs
//! 200,000.

use derisk::market::Currency;
use std::panic::{catch_unwind, AssertUnwindSafe};

use derisk::margin::{
    Account, AnyModel, Collateral, CollateralAsset, CrossAccount, FlatRate, FundingRate,
    HaircutTier, Instrument, IsolatedPosition, LiquidationPrice, MarginError, MarginModel,
    OptionMarginRates, Position, RiskTier, Side, SizeScaled, TickRounding, TierTable, Venue,
};
use derisk::portfolio::PositionId;
use derisk::pricing::OptionKind;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const HOSTILE: [f64; 24] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    1e-310,
    f64::MIN_POSITIVE,
    1e-300,
    1e-12,
    0.5,
    1.0,
    2.0,
    10.0,
    125.0,
    5e4,
    1e6,
    1e15,
    1e300,
    f64::MAX,
    -1.0,
    -1e300,
    -f64::MAX,
    0.999_999_999_999,
];

/// A value: hostile one time in three, else log-uniform in [lo, hi].
fn draw(rng: &mut ChaCha20Rng, lo: f64, hi: f64) -> f64 {
    if rng.random_range(0..3) == 0 {
        HOSTILE[rng.random_range(0..HOSTILE.len())]
    } else {
        let u: f64 = rng.random();
        (lo.ln() + u * (hi.ln() - lo.ln())).exp()
    }
}

/// Results whose numbers must all be finite.
trait Finite {
    fn finite(&self) -> bool;
}

impl Finite for f64 {
    fn finite(&self) -> bool {
        self.is_finite()
    }
}
impl Finite for PositionId {
    fn finite(&self) -> bool {
        true
    }
}
impl Finite for bool {
    fn finite(&self) -> bool {
        true
    }
}
impl Finite for () {
    fn finite(&self) -> bool {
        true
    }
}
impl Finite for usize {
    fn finite(&self) -> bool {
        true
    }
}
impl<T: Finite> Finite for Option<T> {
    fn finite(&self) -> bool {
        self.as_ref().is_none_or(Finite::finite)
    }
}
impl Finite for LiquidationPrice {
    fn finite(&self) -> bool {
        self.price().is_none_or(|p| p.is_finite() && p > 0.0)
    }
}
impl Finite for Position {
    fn finite(&self) -> bool {
        self.contracts().is_finite() && self.entry().is_finite() && self.exposure().is_finite()
    }
}
impl Finite for IsolatedPosition {
    fn finite(&self) -> bool {
        self.margin().is_finite() && self.position().finite()
    }
}
impl Finite for derisk::margin::Fill {
    fn finite(&self) -> bool {
        self.realised_pnl.is_finite() && self.position.as_ref().is_none_or(Finite::finite)
    }
}
impl Finite for derisk::margin::OrderCost {
    fn finite(&self) -> bool {
        [
            self.initial_margin,
            self.open_fee,
            self.close_fee,
            self.total,
        ]
        .iter()
        .all(|x| x.is_finite())
    }
}
impl Finite for derisk::margin::LiquidationSettlement {
    fn finite(&self) -> bool {
        self.insurance_fund.is_finite() && self.shortfall.is_finite()
    }
}
impl Finite for derisk::margin::OptionMargin {
    fn finite(&self) -> bool {
        self.initial.is_finite() && self.maintenance.is_finite()
    }
}
impl Finite for derisk::margin::CommonMove {
    fn finite(&self) -> bool {
        self.down.finite() && self.up.finite()
    }
}
/// Validated values: finite by their constructors (checked where a number is exposed).
macro_rules! validated {
    ($($t:ty),*) => {$(
        impl Finite for $t {
            fn finite(&self) -> bool {
                true
            }
        }
    )*};
}
validated!(
    Instrument,
    CrossAccount<AnyModel>,
    TierTable,
    FlatRate,
    SizeScaled,
    Venue<TierTable>,
    FundingRate,
    OptionMarginRates,
    Collateral
);
impl Finite for CollateralAsset {
    fn finite(&self) -> bool {
        self.value().is_finite() && self.gross_value().is_finite()
    }
}

#[derive(Default)]
struct Tally {
    calls: usize,
    oks: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Records one call: it must not be `Ok` with a non-finite number.
    fn check<T: Finite + std::fmt::Debug>(
        &mut self,
        what: &str,
        r: Result<T, MarginError>,
    ) -> Option<T> {
        self.calls += 1;
        match r {
            Ok(v) => {
                self.oks += 1;
                if !v.finite() {
                    self.failures.push(format!("{what}: Ok({v:?})"));
                }
                Some(v)
            }
            Err(_) => None,
        }
    }

    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }
}

fn model(rng: &mut ChaCha20Rng) -> AnyModel {
    match rng.random_range(0..6) {
        0 => TierTable::binance_btcusdt_2021_03_18().into(),
        1 => Venue::bybit(TierTable::bybit_btcusdt_2026_11()).into(),
        2 => SizeScaled::DERIBIT_BTC.into(),
        3 => FlatRate::new(rng.random_range(0.0..0.5), 100.0)
            .unwrap()
            .into(),
        4 => Venue::okx(
            TierTable::binance_btcusdt_2021_03_18(),
            rng.random_range(0.0..0.01),
        )
        .unwrap()
        .into(),
        _ => SizeScaled::new(0.02, 0.015, rng.random_range(1e-9..1e-3))
            .unwrap()
            .into(),
    }
}

/// The liquidation-price oracles on one isolated position.
fn oracles(t: &mut Tally, iso: &IsolatedPosition, m: &AnyModel, bracketed: bool) {
    let lp = iso.liquidation_price(m);
    if !lp.finite() {
        t.fail(format!("liquidation_price {lp:?} for {iso:?}"));
    }
    let bp = iso.bankruptcy_price(m);
    if !bp.finite() {
        t.fail(format!("bankruptcy_price {bp:?} for {iso:?}"));
    }
    let Some(p) = lp.price() else { return };
    if m.tick_rounding() == TickRounding::None {
        if let (Ok(equity), Ok(mm), Ok(pnl)) = (
            iso.equity(p),
            iso.maintenance_margin(p, m),
            iso.position().unrealised_pnl(p),
        ) {
            let scale = mm.abs().max(iso.margin()).max(pnl.abs());
            if (equity - mm).abs() > 1e-9 * scale {
                t.fail(format!(
                    "equity {equity} != MM {mm} at LP {p} (scale {scale}) for {iso:?} under {m:?}"
                ));
            }
        }
        if bracketed && let Some(b) = bp.price() {
            let beyond = match iso.position().side() {
                Side::Long => b <= p * (1.0 + 1e-12),
                Side::Short => b >= p * (1.0 - 1e-12),
            };
            if !beyond {
                t.fail(format!(
                    "bankruptcy {b} not beyond LP {p} for {iso:?} under {m:?}"
                ));
            }
        }
    }
}

fn scenario(rng: &mut ChaCha20Rng, t: &mut Tally) {
    let inverse = rng.random::<bool>();
    let side = if rng.random::<bool>() {
        Side::Long
    } else {
        Side::Short
    };
    let (size, tick) = (draw(rng, 1e-3, 1e3), draw(rng, 1e-4, 10.0));
    // a hostile draw is no instant: fall back to one (the expiry enters no margin formula)
    let expiry = derisk::market::Instant::from_unix_seconds(draw(rng, 1.7e9, 1.8e9))
        .unwrap_or(derisk::market::Instant::EPOCH);
    let instrument = match rng.random_range(0..4) {
        0 => t.check(
            "Instrument::linear_perpetual",
            Instrument::linear_perpetual(Currency::BTC, Currency::USDT, size, tick),
        ),
        1 => t.check(
            "Instrument::inverse_perpetual",
            Instrument::inverse_perpetual(Currency::BTC, size, tick),
        ),
        2 => t.check(
            "Instrument::future",
            Instrument::future(
                Currency::BTC,
                derisk::portfolio::Settlement::Linear(Currency::USDT),
                size,
                expiry,
                tick,
            ),
        ),
        _ => t.check(
            "Instrument::future",
            Instrument::future(
                Currency::BTC,
                derisk::portfolio::Settlement::Inverse,
                size,
                expiry,
                tick,
            ),
        ),
    };
    let instrument = instrument.unwrap_or_else(|| {
        if inverse {
            Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5).unwrap()
        } else {
            Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap()
        }
    });
    let (contracts, entry) = (draw(rng, 1e-3, 1e7), draw(rng, 1e-2, 1e6));
    let Some(position) = t.check(
        "Position::new",
        Position::new(instrument, side, contracts, entry),
    ) else {
        return;
    };
    let mark = draw(rng, 1e-2, 1e6);
    t.check("Position::value", position.value(mark));
    t.check("Position::unrealised_pnl", position.unrealised_pnl(mark));
    t.check(
        "Position::funding",
        position.funding(draw(rng, 1e-6, 1e-2), mark),
    );
    let fill_side = if rng.random::<bool>() {
        side
    } else {
        side.opposite()
    };
    t.check(
        "Position::fill",
        position.fill(fill_side, draw(rng, 1e-3, 1e7), draw(rng, 1e-2, 1e6)),
    );

    let m = model(rng);
    let bracketed = m.is_bracketed();
    let margin = draw(rng, 1e-3, 1e7);
    let iso = if rng.random::<bool>() {
        t.check(
            "IsolatedPosition::new",
            IsolatedPosition::new(position, margin),
        )
    } else {
        t.check(
            "IsolatedPosition::open",
            IsolatedPosition::open(position, draw(rng, 1.0, 125.0), &m),
        )
    };
    t.check(
        "MarginModel::initial_margin",
        m.initial_margin(draw(rng, 1.0, 1e9), draw(rng, 1.0, 125.0)),
    );
    if let Some(mut iso) = iso {
        oracles(t, &iso, &m, bracketed);
        let x = draw(rng, 1e-2, 1e6);
        t.check("IsolatedPosition::equity", iso.equity(x));
        t.check(
            "IsolatedPosition::maintenance_margin",
            iso.maintenance_margin(x, &m),
        );
        t.check("IsolatedPosition::margin_ratio", iso.margin_ratio(x, &m));
        t.check(
            "IsolatedPosition::margin_for_liquidation_price",
            iso.margin_for_liquidation_price(x, &m),
        );
        t.check(
            "IsolatedPosition::reduction_to_maintenance",
            iso.reduction_to_maintenance(x, &m),
        );
        t.check(
            "IsolatedPosition::distance_to_liquidation",
            iso.distance_to_liquidation(x, &m),
        );
        t.check(
            "IsolatedPosition::is_liquidatable",
            iso.is_liquidatable(x, &m),
        );
        t.check("IsolatedPosition::shortfall", iso.shortfall(x));
        t.check(
            "IsolatedPosition::settle_liquidation",
            iso.settle_liquidation(x),
        );
        t.check(
            "IsolatedPosition::order_cost",
            iso.order_cost(draw(rng, 1e-5, 1e-2), &m),
        );
        t.check(
            "IsolatedPosition::add_margin",
            iso.add_margin(draw(rng, 1e-3, 1e7)),
        );
        t.check(
            "IsolatedPosition::remove_margin",
            iso.remove_margin(draw(rng, 1e-3, 1e7), x, &m),
        );
        t.check(
            "IsolatedPosition::apply_funding",
            iso.apply_funding(draw(rng, 1e-6, 1e-2), x),
        );
        if !iso.margin().is_finite() {
            t.fail(format!("isolated margin became {}", iso.margin()));
        }
        oracles(t, &iso, &m, bracketed);
    }

    // cross account and account
    if let Some(mut acct) = t.check(
        "CrossAccount::new",
        CrossAccount::<AnyModel>::new(draw(rng, 1e-3, 1e7)),
    ) {
        for _ in 0..rng.random_range(1..4) {
            let p = Position::new(
                instrument,
                if rng.random() {
                    Side::Long
                } else {
                    Side::Short
                },
                draw(rng, 1e-3, 1e4),
                draw(rng, 1e-2, 1e6),
            );
            if let Ok(p) = p {
                t.check(
                    "CrossAccount::add",
                    acct.add(p, draw(rng, 1e-2, 1e6), draw(rng, 1.0, 125.0), model(rng)),
                );
            }
        }
        let n = acct.entries().len();
        let i = if n > 0 && rng.random_range(0..5) > 0 {
            acct.entries()[rng.random_range(0..n)].id
        } else {
            PositionId(rng.random_range(0..u64::MAX))
        };
        t.check(
            "CrossAccount::set_mark",
            acct.set_mark(i, draw(rng, 1e-2, 1e6)),
        );
        t.check(
            "CrossAccount::set_wallet_balance",
            acct.set_wallet_balance(draw(rng, 1e-3, 1e7)),
        );
        t.check(
            "CrossAccount::apply_funding",
            acct.apply_funding(i, draw(rng, 1e-6, 1e-2)),
        );
        t.check("CrossAccount::initial_margin", acct.initial_margin());
        t.check("CrossAccount::available_balance", acct.available_balance());
        t.check("CrossAccount::margin_ratio", acct.margin_ratio());
        t.check("CrossAccount::liquidation_price", acct.liquidation_price(i));
        t.check(
            "CrossAccount::distance_to_liquidation",
            acct.distance_to_liquidation(i),
        );
        t.check("CrossAccount::common_move_of", acct.common_move_of(&[i]));
        t.check(
            "CrossAccount::common_move",
            Ok::<_, MarginError>(acct.common_move()),
        );
        for (what, v) in [
            ("equity", acct.equity()),
            ("maintenance", acct.maintenance_margin()),
            ("shortfall", acct.shortfall()),
            ("uPnL", acct.unrealised_pnl()),
        ] {
            if !v.is_finite() {
                t.fail(format!("CrossAccount::{what} = {v}"));
            }
        }
        t.check(
            "CrossAccount::fill",
            acct.fill(i, Side::Long, draw(rng, 1e-3, 1e4), draw(rng, 1e-2, 1e6)),
        );
        let mut account = Account::new(acct);
        if let Ok(p) = Position::new(instrument, side, draw(rng, 1e-3, 1e4), draw(rng, 1e-2, 1e6))
            && let Ok(iso) = IsolatedPosition::new(p, draw(rng, 0.0, 1e6).max(0.0))
        {
            let k = t.check(
                "Account::add_isolated",
                account.add_isolated(iso, draw(rng, 1e-2, 1e6), model(rng)),
            );
            let k = k.unwrap_or(PositionId(u64::MAX));
            t.check(
                "Account::set_isolated_mark",
                account.set_isolated_mark(k, draw(rng, 1e-2, 1e6)),
            );
            t.check(
                "Account::transfer_to_isolated",
                account.transfer_to_isolated(k, draw(rng, 1e-3, 1e6)),
            );
        }
        for v in [account.total_equity(), account.isolated_shortfall()] {
            if !v.is_finite() {
                t.fail(format!("Account total {v}"));
            }
        }
    }

    // tables, schedules, funding, collateral, options
    let rows: Vec<(f64, f64, f64)> = (0..rng.random_range(0..4))
        .map(|k| {
            (
                draw(rng, 1e3, 1e9) * f64::from(k + 1),
                draw(rng, 1e-4, 0.5),
                draw(rng, 1.0, 125.0),
            )
        })
        .collect();
    if let Some(table) = t.check("TierTable::from_rates", TierTable::from_rates(&rows)) {
        for _ in 0..4 {
            let n = draw(rng, 1e-3, 1e10);
            if n >= 0.0 && table.maintenance_margin(n) < 0.0 {
                t.fail(format!(
                    "negative MM {} at {n} of {table:?}",
                    table.maintenance_margin(n)
                ));
            }
        }
    }
    let tiers: Vec<RiskTier> = (0..rng.random_range(0..3))
        .map(|_| RiskTier {
            cap: draw(rng, 1e3, 1e9),
            maintenance_rate: draw(rng, 1e-4, 0.5),
            max_leverage: draw(rng, 1.0, 125.0),
            maintenance_amount: draw(rng, 1e-3, 1e6),
        })
        .collect();
    t.check("TierTable::new", TierTable::new(tiers));
    t.check(
        "FlatRate::new",
        FlatRate::new(draw(rng, 1e-4, 0.5), draw(rng, 1.0, 125.0)),
    );
    t.check(
        "SizeScaled::new",
        SizeScaled::new(
            draw(rng, 1e-3, 0.5),
            draw(rng, 1e-3, 0.5),
            draw(rng, 1e-9, 1e-3),
        ),
    );
    t.check(
        "Venue::new",
        Venue::new(
            TierTable::binance_btcusdt_2021_03_18(),
            draw(rng, 1e-5, 1e-2),
            derisk::margin::MaintenanceBasis::Mark,
            TickRounding::None,
        ),
    );
    let f = FundingRate {
        interest_rate: draw(rng, 1e-6, 1e-3),
        clamp: draw(rng, 1e-6, 1e-3),
        cap: draw(rng, 1e-4, 1e-1),
    };
    t.check("FundingRate::rate", f.rate(draw(rng, 1e-6, 1e-2)));
    t.check(
        "FundingRate::new",
        FundingRate::new(f.interest_rate, f.clamp, f.cap),
    );
    t.check(
        "FundingRate::premium",
        FundingRate::premium(
            draw(rng, 1.0, 1e5),
            draw(rng, 1.0, 1e5),
            draw(rng, 1.0, 1e5),
        ),
    );
    let haircuts = vec![
        HaircutTier {
            value_cap: draw(rng, 1e3, 1e9),
            haircut: draw(rng, 1e-3, 0.5),
        },
        HaircutTier {
            value_cap: f64::INFINITY,
            haircut: draw(rng, 1e-3, 1.0),
        },
    ];
    let assets: Vec<CollateralAsset> = [
        t.check(
            "CollateralAsset::flat",
            CollateralAsset::flat(
                draw(rng, 1e-3, 1e6),
                draw(rng, 1e-2, 1e6),
                draw(rng, 1e-3, 0.5),
            ),
        ),
        t.check(
            "CollateralAsset::tiered",
            CollateralAsset::tiered(draw(rng, 1e-3, 1e6), draw(rng, 1e-2, 1e6), haircuts),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    for a in &assets {
        t.check(
            "CollateralAsset::value_at",
            a.value_at(draw(rng, 1e-2, 1e6)),
        );
        t.check(
            "CollateralAsset::price_for_value",
            Ok::<_, MarginError>(a.price_for_value(draw(rng, 1.0, 1e9))),
        );
    }
    if let Some(c) = t.check("Collateral::new", Collateral::new(assets)) {
        let k = rng.random_range(0..3);
        t.check(
            "Collateral::value_after_move",
            c.value_after_move(
                k,
                draw(rng, 1e-3, 0.9) * if rng.random() { -1.0 } else { 1.0 },
            ),
        );
        t.check(
            "Collateral::liquidation_price",
            c.liquidation_price(k, draw(rng, 1.0, 1e9)),
        );
        if !(c.value().is_finite()
            && c.gross_value().is_finite()
            && c.collateral_ratio().is_finite())
        {
            t.fail(format!("collateral totals not finite: {c:?}"));
        }
    }
    let rates = OptionMarginRates {
        initial_base: draw(rng, 0.1, 0.3),
        initial_minimum: draw(rng, 0.05, 0.1),
        maintenance: draw(rng, 0.01, 0.1),
    };
    let kind = if rng.random() {
        OptionKind::Call
    } else {
        OptionKind::Put
    };
    let q = draw(rng, 1e-2, 1e4) * if rng.random() { -1.0 } else { 1.0 };
    t.check(
        "OptionMarginRates::margin",
        rates.margin(
            kind,
            draw(rng, 1e2, 1e6),
            draw(rng, 1e2, 1e6),
            draw(rng, 1e-4, 1.0),
            q,
        ),
    );
    t.check(
        "OptionMarginRates::new",
        OptionMarginRates::new(rates.initial_base, rates.initial_minimum, rates.maintenance),
    );
}

fn run(seed: u64, scenarios: usize) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut tally = Tally::default();
    let mut panics = Vec::new();
    for k in 0..scenarios {
        // each scenario from its own sub-seed, so a failure can be replayed alone
        let sub: u64 = rng.random();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut rng = ChaCha20Rng::seed_from_u64(sub);
            scenario(&mut rng, &mut tally);
        }));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            panics.push(format!("scenario {k} (sub-seed {sub}): panic {msg}"));
        }
    }
    assert!(
        panics.is_empty(),
        "{} panics: {:#?}",
        panics.len(),
        &panics[..panics.len().min(10)]
    );
    let mut kinds: Vec<&str> = tally
        .failures
        .iter()
        .map(|f| f.split([':', ' ']).next().unwrap_or(""))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let firsts: Vec<&String> = kinds
        .iter()
        .filter_map(|k| tally.failures.iter().find(|f| f.starts_with(k)))
        .collect();
    assert!(
        tally.failures.is_empty(),
        "{} failures in {} calls, in {kinds:?}; first of each: {firsts:#?}",
        tally.failures.len(),
        tally.calls,
    );
    // the pool is hostile, not only rejected: a good share of the calls succeed
    assert!(
        tally.oks * 5 > tally.calls,
        "{} of {} Ok",
        tally.oks,
        tally.calls
    );
}

#[test]
fn sweep() {
    run(0x1221_2026, 3_000);
}

#[test]
#[ignore = "wide sweep: 200,000 scenarios, minutes in debug; run with --ignored --release"]
fn wide_sweep() {
    run(0x1221_2027, 200_000);
}
