//! Stress testing (issue 14) against tests/data/stress_reference.json, written by
//! tools/gen_stress_reference.py (mpmath 1.3.0 at 50 digits, numpy 2.2.6 cross-check) from the
//! committed excerpts tests/data/stress_*.csv (provenance in their headers and
//! tests/data/stress_README.md): crisis moves of BTC and ETH (Yahoo daily closes, Binance daily
//! lows), the 2025-10-10 1-minute peak-to-trough, the Deribit surface shock between 2025-12-30
//! and 2026-02-05. Stress P&L equals `Book::pnl` of the scenario's market exactly; reverse stress
//! at its root exhausts the equity to 1e-9 and not before; typed errors on bad input.

use super::common::f;
use derisk::margin::{CrossAccount, Instrument as MarginInstrument, Position as MarginPosition};
use derisk::margin::{Side, TierTable};
use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketError, MarketState,
    NamedScenario, Scenario, Shock, VolAdjustment, VolDynamics,
};
use derisk::portfolio::{Book, Contract, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::risk::{
    correlated_move, correlation_breakdown, funding_spike_pnl, historical_scenarios,
    peak_to_trough, reverse_stress_account, reverse_stress_book, spot_vol_grid, term_structure,
    term_vol_shock, worst_log_move, AssetHistory, CrisisWindow, ExpiryQuotes, RiskError,
    ScenarioLibrary, StressDirection, StressScenario, SurfaceShock, TermPoint,
};
use derisk::vol::{FlatVol, VolSurface};
use serde_json::Value;

const YAHOO: &str = include_str!("../data/stress_yahoo_daily.csv");
const BINANCE: &str = include_str!("../data/stress_binance_daily.csv");
const MINUTES: &str = include_str!("../data/stress_btcusdt_perp_1m_2025-10-10.csv");
const CALM: &str = include_str!("../data/stress_chain_2025-12-30.csv");
const STRESSED: &str = include_str!("../data/stress_chain_2026-02-05.csv");

fn reference() -> Value {
    serde_json::from_str(include_str!("../data/stress_reference.json")).unwrap()
}

/// Rows of a CSV with `#` comment lines and one header line.
fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect()
}

fn day(iso: &str) -> Instant {
    let p: Vec<i64> = iso.split('-').map(|x| x.parse().unwrap()).collect();
    Instant::from_utc(p[0], p[1] as u32, p[2] as u32, 0, 0, 0).unwrap()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

struct Daily {
    dates: Vec<String>,
    days: Vec<Instant>,
    cols: Vec<Vec<f64>>,
}

fn daily(text: &str) -> Daily {
    let r = rows(text);
    let ncol = r[0].len() - 1;
    Daily {
        dates: r.iter().map(|x| x[0].to_string()).collect(),
        days: r.iter().map(|x| day(x[0])).collect(),
        cols: (1..=ncol)
            .map(|c| r.iter().map(|x| num(x[c])).collect())
            .collect(),
    }
}

#[track_caller]
fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, want {want:e}, error {:e}",
        (got - want).abs()
    );
}

/// Every crisis window's worst 1-, 3- and 7-day close-to-close log moves of BTC and ETH (Yahoo
/// daily closes) and worst low-to-previous-close move (Binance daily candles), with their dates,
/// against the mpmath numbers of tools/gen_stress_reference.py (absolute 1e-12 on log moves).
#[test]
fn crisis_moves_match_reference() {
    let r = reference();
    let yahoo = daily(YAHOO);
    let binance = daily(BINANCE);
    let windows = CrisisWindow::crises();
    let crises = r["crises"].as_array().unwrap();
    assert_eq!(windows.len(), crises.len());
    for (w, c) in windows.iter().zip(crises) {
        assert_eq!(w.name, c["name"].as_str().unwrap());
        assert_eq!(w.start, day(c["start"].as_str().unwrap()));
        assert_eq!(w.end, day(c["end"].as_str().unwrap()));
        // (asset, Yahoo close column, Binance close and low columns)
        for (asset, yc, bc, bl) in [("BTC", 0, 3, 2), ("ETH", 1, 7, 6)] {
            for h in [1usize, 3, 7] {
                let want = &c[asset]["close_moves"][h.to_string()];
                let m = w.worst_close_move(&yahoo.days, &yahoo.cols[yc], h).unwrap();
                let what = format!("{} {asset} {h}d", w.name);
                close(m.log_move, f(&want["log_move"]), 1e-12, &what);
                assert_eq!(
                    yahoo.dates[m.start],
                    want["start"].as_str().unwrap(),
                    "{what}"
                );
                assert_eq!(yahoo.dates[m.end], want["end"].as_str().unwrap(), "{what}");
            }
            let want = &c[asset]["intraday_low"];
            let m = w
                .worst_intraday_move(&binance.days, &binance.cols[bc], &binance.cols[bl])
                .unwrap();
            let what = format!("{} {asset} intraday", w.name);
            close(m.log_move, f(&want["log_move"]), 1e-12, &what);
            assert_eq!(
                binance.dates[m.start],
                want["start"].as_str().unwrap(),
                "{what}"
            );
            assert_eq!(
                binance.dates[m.end],
                want["end"].as_str().unwrap(),
                "{what}"
            );
        }
    }
}

/// The data README's own check: 2020-03-12 BTC low 44.4 % below the previous Binance close,
/// 2024-08-05 15.8 %, 2025-10-10 16.2 % (../shared/data/README.md, rounded to 0.1 %).
#[test]
fn intraday_lows_agree_with_the_data_readme() {
    let b = daily(BINANCE);
    let w = CrisisWindow::crises();
    for (i, pct) in [(0, -0.444), (4, -0.158), (5, -0.162)] {
        let m = w[i]
            .worst_intraday_move(&b.days, &b.cols[3], &b.cols[2])
            .unwrap();
        close(m.relative_change(), pct, 0.0005, &w[i].name);
    }
}

/// Peak-to-trough of the 480 one-minute BTCUSDT perpetual candles of 2025-10-10 18:00–01:59 UTC:
/// reference −0.14898… from the 18:26 high to the 21:20 low (the README's low 101,516.5).
#[test]
fn perp_minute_peak_to_trough_matches_reference() {
    let want = &reference()["perp_1m_peak_to_trough"];
    let r = rows(MINUTES);
    assert_eq!(r.len(), 480);
    let highs: Vec<f64> = r.iter().map(|x| num(x[2])).collect();
    let lows: Vec<f64> = r.iter().map(|x| num(x[3])).collect();
    let m = peak_to_trough(&highs, &lows).unwrap();
    close(m.log_move, f(&want["log_move"]), 1e-12, "peak to trough");
    assert_eq!(r[m.start][0], want["start"].as_str().unwrap());
    assert_eq!(r[m.end][0], want["end"].as_str().unwrap());
    assert_eq!(lows[m.end], 101_516.5);
}

fn chain(text: &str) -> Vec<ExpiryQuotes> {
    let mut out = Vec::new();
    let r = rows(text);
    let mut i = 0;
    while i < r.len() {
        let j = (i..r.len())
            .find(|&j| r[j][0] != r[i][0])
            .unwrap_or(r.len());
        let strikes = r[i..j].iter().map(|x| num(x[3])).collect();
        let vols = r[i..j].iter().map(|x| num(x[4])).collect();
        out.push(ExpiryQuotes::new(num(r[i][1]), num(r[i][2]), strikes, vols).unwrap());
        i = j;
    }
    out
}

/// ATM vol and skew (σ(+0.05) − σ(−0.05))/0.1 of each chain at 7, 30, 90 and 180 days, and so
/// the surface shock, against the mpmath numbers (absolute 1e-12).
#[test]
fn surface_shock_matches_reference() {
    let r = reference();
    let days: Vec<f64> = r["bucket_days"].as_array().unwrap().iter().map(f).collect();
    let h = f(&r["skew_log_moneyness"]);
    let (calm, stressed) = (chain(CALM), chain(STRESSED));
    assert_eq!((calm.len(), stressed.len()), (12, 12));
    for (quotes, key) in [(&calm, "surface_calm"), (&stressed, "surface_stressed")] {
        for (q, want) in quotes.iter().zip(r[key]["expiries"].as_array().unwrap()) {
            let (atm, skew) = q.atm_and_skew(h).unwrap();
            close(atm, f(&want["atm_vol"]), 1e-12, key);
            close(skew, f(&want["skew"]), 1e-12, key);
        }
        let t = term_structure(quotes, &days, DayCount::Act365_25, h).unwrap();
        for (p, want) in t.iter().zip(r[key]["buckets"].as_array().unwrap()) {
            close(p.atm_vol, f(&want["atm_vol"]), 1e-12, key);
            close(p.skew, f(&want["skew"]), 1e-12, key);
        }
    }
    let s = SurfaceShock::from_chains(&calm, &stressed, &days, DayCount::Act365_25, h).unwrap();
    let b = |k: &str, i: usize| f(&r[k]["buckets"][i]["atm_vol"]);
    for (i, (d, change)) in s.atm_changes().into_iter().enumerate() {
        assert_eq!(d, days[i]);
        close(
            change,
            b("surface_stressed", i) - b("surface_calm", i),
            1e-12,
            "atm change",
        );
    }
    // The shock is largest at the short end (+66 vol points at 7 days, +13 at 180 days).
    let c = s.atm_changes();
    assert!(c[0].1 > 0.6 && c[3].1 < 0.2 && c[0].1 > c[1].1 && c[1].1 > c[2].1);
}

fn v0() -> Instant {
    Instant::from_utc(2025, 12, 30, 17, 31, 15).unwrap()
}

fn expiry(days: f64) -> Instant {
    v0().plus_days(days).unwrap()
}

fn market() -> MarketState {
    MarketState::builder(v0(), DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(88_530.0, &[]).unwrap())
        .underlying(Currency::ETH, ForwardCurve::new(2_970.0, &[]).unwrap())
        .vol_surface(Currency::BTC, FlatVol::new(0.45).unwrap())
        .vol_surface(Currency::ETH, FlatVol::new(0.62).unwrap())
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::ETH, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USDT, DiscountCurve::flat(0.0).unwrap())
        .fx_rate(Currency::USDT, 0.9995)
        .build()
        .unwrap()
}

/// Coin-settled BTC and ETH options, a linear and an inverse perpetual, spot.
fn book() -> Book {
    let mut b = Book::new();
    let opt = |u, k, strike, days, size| {
        Contract::option(u, k, strike, expiry(days), Settlement::Inverse, size).unwrap()
    };
    b.insert(Position::new(Contract::spot(Currency::BTC), 3.0, 0.0).unwrap());
    b.insert(
        Position::new(
            opt(Currency::BTC, OptionKind::Put, 80_000.0, 30.0, 1.0),
            -10.0,
            0.0,
        )
        .unwrap(),
    );
    b.insert(
        Position::new(
            opt(Currency::BTC, OptionKind::Call, 100_000.0, 90.0, 1.0),
            5.0,
            0.0,
        )
        .unwrap(),
    );
    b.insert(
        Position::new(
            opt(Currency::ETH, OptionKind::Put, 2_500.0, 7.0, 1.0),
            -40.0,
            0.0,
        )
        .unwrap(),
    );
    let linear = Contract::linear_perpetual(Currency::BTC, Currency::USDT, 0.001).unwrap();
    b.insert(Position::new(linear, -1_000.0, 88_000.0).unwrap());
    let inverse = Contract::inverse_perpetual(Currency::ETH, 10.0).unwrap();
    b.insert(Position::new(inverse, 2_000.0, 3_000.0).unwrap());
    b
}

/// The library: historical scenarios from the Yahoo windows (1, 3 and 7 days), the Deribit
/// surface shock, a user scenario; each scenario's stress P&L equals `Book::pnl` from the base to
/// the scenario's market state, bit for bit.
#[test]
fn library_pnl_equals_full_revaluation() {
    let yahoo = daily(YAHOO);
    let btc = AssetHistory {
        asset: Currency::BTC,
        days: &yahoo.days,
        closes: &yahoo.cols[0],
    };
    let eth = AssetHistory {
        asset: Currency::ETH,
        days: &yahoo.days,
        closes: &yahoo.cols[1],
    };
    let mut lib = ScenarioLibrary::new();
    lib.extend(historical_scenarios(&CrisisWindow::crises(), &[btc, eth], &[1, 3, 7]).unwrap())
        .unwrap();
    assert_eq!(lib.len(), 18);
    // every historical scenario's shocks: S·exp(x) with x the reference's worst move (1e-12)
    let r = reference();
    for (c, w) in r["crises"]
        .as_array()
        .unwrap()
        .iter()
        .zip(CrisisWindow::crises())
    {
        for h in ["1", "3", "7"] {
            let s = lib.get(&format!("{} {h}d", w.name)).unwrap();
            assert_eq!(s.shocks().len(), 2);
            for (shock, (asset, currency)) in s
                .shocks()
                .iter()
                .zip([("BTC", Currency::BTC), ("ETH", Currency::ETH)])
            {
                let want = f(&c[asset]["close_moves"][h]["log_move"]).exp_m1();
                let Shock::SpotRelative {
                    asset: Some(a),
                    change,
                    dynamics,
                } = *shock
                else {
                    panic!("{}: not a spot shock", s.name)
                };
                assert_eq!((a, dynamics), (currency, VolDynamics::StickyStrike));
                close(change, want, 1e-12, &s.name);
            }
        }
    }
    let surface = SurfaceShock::from_chains(
        &chain(CALM),
        &chain(STRESSED),
        &[7.0, 30.0, 90.0, 180.0],
        DayCount::Act365_25,
        0.05,
    )
    .unwrap();
    lib.insert(
        StressScenario::new(
            "deribit-2026-02-05",
            "BTC −28 % with the Deribit surface shock of 2026-02-05 against 2025-12-30",
            "tests/data/stress_chain_*.csv",
            vec![
                Shock::spot_relative(Currency::BTC, 63_709.0 / 88_530.0 - 1.0),
                surface.shock(Some(Currency::BTC), v0()).unwrap(),
            ],
        )
        .unwrap(),
    )
    .unwrap();
    lib.insert(
        StressScenario::new(
            "user: eth breaks",
            "ETH −40 %, vols +30 points, a day passes",
            "hypothetical",
            vec![
                Shock::spot_relative(Currency::ETH, -0.4),
                Shock::vol_parallel(0.3),
                Shock::roll_days(1.0),
            ],
        )
        .unwrap(),
    )
    .unwrap();
    let (m, b) = (market(), book());
    // the surface scenario moves each bucket's vol by the measured ATM change plus the skew
    // change times k = ln(K/88,530) (flat vol 45 %; the sticky-strike spot move leaves the
    // surface on the old forward)
    let shocked = lib.get("deribit-2026-02-05").unwrap().apply(&m).unwrap();
    let k = (70_000.0f64 / 88_530.0).ln();
    for ((days, change), (_, skew)) in surface
        .atm_changes()
        .into_iter()
        .zip(surface.skew_changes())
    {
        let vol = shocked
            .implied_vol(Currency::BTC, expiry(days), 70_000.0)
            .unwrap();
        close(
            vol,
            0.45 + change + skew * k,
            1e-15,
            "shocked vol at a bucket",
        );
    }
    let results = lib.run(&b, &m, Currency::USD).unwrap();
    assert_eq!(results.len(), 20);
    for ((name, pnl), s) in results.iter().zip(lib.scenarios()) {
        assert_eq!(name, &s.name);
        let want = b
            .pnl(&m, &s.apply(&m).unwrap(), Currency::USD)
            .unwrap()
            .amount;
        assert_eq!(*pnl, want, "{name}");
    }
    // every crisis loses money for this long-BTC, short-put book
    assert!(results[..18].iter().all(|(_, p)| *p < 0.0));
}

/// A 5 × 3 grid: shape, every cell equal to `Book::pnl` of its scenario, and a hand-checkable
/// cell of a spot-only book: 3 BTC × 88,530 × (−20 %) = −53,118 USD at any vol.
#[test]
fn spot_vol_grid_shape_and_cells() {
    let (m, b) = (market(), book());
    let spots = [-0.2, -0.1, 0.0, 0.1, 0.2];
    let vols = [-0.1, 0.0, 0.2];
    let g = spot_vol_grid(
        &b,
        &m,
        None,
        &spots,
        &vols,
        VolDynamics::StickyStrike,
        Currency::USD,
    )
    .unwrap();
    assert_eq!(g.pnl.len(), 15);
    assert_eq!(g.get(5, 0), None);
    for (i, &s) in spots.iter().enumerate() {
        for (j, &v) in vols.iter().enumerate() {
            let scen = [
                Shock::SpotRelative {
                    asset: None,
                    change: s,
                    dynamics: VolDynamics::StickyStrike,
                },
                Shock::vol_parallel(v),
            ];
            let want = b
                .pnl(&m, &scen.apply(&m).unwrap(), Currency::USD)
                .unwrap()
                .amount;
            assert_eq!(g.get(i, j).unwrap(), want);
        }
    }
    let mut spot = Book::new();
    spot.insert(Position::new(Contract::spot(Currency::BTC), 3.0, 0.0).unwrap());
    let g = spot_vol_grid(
        &spot,
        &m,
        Some(Currency::BTC),
        &spots,
        &vols,
        VolDynamics::StickyStrike,
        Currency::USD,
    )
    .unwrap();
    for j in 0..3 {
        close(g.get(0, j).unwrap(), -53_118.0, 1e-9, "hand cell");
    }
}

/// Reverse stress of the book along BTC and ETH down with vols up: at the returned scale the
/// equity is exhausted to 1e-9 (relative), and on 400 scales before it the loss is smaller than
/// the equity. A bound too small is `NoBreach`.
#[test]
fn reverse_stress_book_exhausts_equity_first_at_root() {
    let (m, b) = (market(), book());
    let dir = StressDirection {
        spot: vec![(Currency::BTC, -1.0), (Currency::ETH, -1.4)],
        vol_points: 0.5,
    };
    let equity = 60_000.0;
    let r = reverse_stress_book(&b, &m, &dir, equity, Currency::USD, 2.0, 200).unwrap();
    assert!(r.termination.is_converged());
    let pnl = |t: f64| {
        b.pnl(&m, &dir.shocks(t).apply(&m).unwrap(), Currency::USD)
            .unwrap()
            .amount
    };
    close(
        equity + pnl(r.scale),
        0.0,
        1e-9 * equity,
        "equity at the root",
    );
    close(r.margin, equity + pnl(r.scale), 0.0, "reported margin");
    for i in 0..400 {
        let t = r.scale * f64::from(i) / 400.0;
        assert!(equity + pnl(t) > 0.0, "breached before the root at t = {t}");
    }
    let e =
        reverse_stress_book(&b, &m, &dir, equity, Currency::USD, r.scale * 0.5, 10).unwrap_err();
    assert!(matches!(e, RiskError::NoBreach { .. }));
}

/// Spot-only book: the loss of 25,000 on 3 BTC × 88,530 is reached at exp(−t) = 1 − 25,000/265,590
/// (closed form by hand), to 1e-12.
#[test]
fn reverse_stress_book_closed_form() {
    let m = market();
    let mut b = Book::new();
    b.insert(Position::new(Contract::spot(Currency::BTC), 3.0, 0.0).unwrap());
    let dir = StressDirection {
        spot: vec![(Currency::BTC, -1.0)],
        vol_points: 0.0,
    };
    let r = reverse_stress_book(&b, &m, &dir, 25_000.0, Currency::USD, 1.0, 10).unwrap();
    close(
        r.scale,
        -(1.0f64 - 25_000.0 / 265_590.0).ln(),
        1e-12,
        "closed form",
    );
}

/// Reverse stress of a one-position cross account equals its liquidation price
/// (`CrossAccount::liquidation_price`, Binance's closed form 47,500/0.996 for this account,
/// worked in the margin docs), to 1e-9 relative; the account is above maintenance before it.
#[test]
fn reverse_stress_account_matches_liquidation_price() {
    let t = TierTable::binance_btcusdt_2021_03_18();
    let mut a = CrossAccount::new(2_500.0).unwrap();
    let p = MarginPosition::new(
        MarginInstrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1).unwrap(),
        Side::Long,
        1.0,
        50_000.0,
    )
    .unwrap();
    let id = a.add(p, 50_000.0, 20.0, &t).unwrap();
    let r = reverse_stress_account(&a, &[(id, -1.0)], 1.0, 100).unwrap();
    let lp = a.liquidation_price(id).unwrap().price().unwrap();
    close(
        50_000.0 * (-r.scale).exp() / lp,
        1.0,
        1e-9,
        "liquidation price",
    );
    close(lp, 47_500.0 / 0.996, 1e-9, "Binance closed form");
    let mut before = a.clone();
    before
        .set_mark(id, 50_000.0 * (-0.999 * r.scale).exp())
        .unwrap();
    assert!(before.equity() > before.maintenance_margin());
}

/// A term-structured vol shock read back at and between its pillars (by hand). Correlation
/// breakdown (ρ → 1): ETH's log move = BTC's × σ_ETH/σ_BTC, by hand:
/// −0.25 × 0.62/0.45 = −0.344444…; and a funding spike at Binance's cap (0.3 % per 8 h) for three
/// days on the book's perpetuals, by hand.
#[test]
fn correlation_breakdown_and_funding_spike_by_hand() {
    let x = correlated_move(-0.25, 0.45, 0.62).unwrap();
    close(x, -0.25 * 0.62 / 0.45, 1e-16, "correlated move");
    let s = correlation_breakdown((Currency::BTC, -0.25, 0.45), (Currency::ETH, 0.62)).unwrap();
    assert_eq!(s[1], Shock::spot_relative(Currency::ETH, x.exp_m1()));
    let (m, b) = (market(), book());
    let rate = 0.003 * 3.0 * 365.25; // per year, ACT/365.25 market
                                     // 3 days at 0.9 % a day = 2.7 %. Short 1,000 × 0.001 BTC linear (USDT): receives
                                     // 1 × 88,530 × 0.027 USDT, × 0.9995 USD per USDT
    let btc = funding_spike_pnl(&b, &m, Currency::BTC, rate, 3.0, Currency::USD).unwrap();
    close(btc, 88_530.0 * 0.027 * 0.9995, 1e-9, "linear funding");
    // long 2,000 × 10 USD face inverse ETH: pays 20,000/2,970 × 0.027 ETH = 20,000 × 0.027 USD
    let eth = funding_spike_pnl(&b, &m, Currency::ETH, rate, 3.0, Currency::USD).unwrap();
    close(eth, -20_000.0 * 0.027, 1e-9, "inverse funding");
    // term-structured vol shock: +30 points at 7 days, +10 at 30 days; halfway in time (18.5
    // days) +20 points, beyond the last pillar +10, before the first +30 (flat)
    let t = term_vol_shock(Some(Currency::BTC), v0(), &[(7.0, 0.3), (30.0, 0.1)]).unwrap();
    let mt = t.apply(&m).unwrap();
    for (days, shift) in [(18.5, 0.2), (90.0, 0.1), (2.0, 0.3)] {
        let vol = mt
            .implied_vol(Currency::BTC, expiry(days), 90_000.0)
            .unwrap();
        close(vol, 0.45 + shift, 1e-15, "term vol shock");
    }
    let shocks = [
        Shock::Funding {
            asset: Currency::BTC,
            rate_per_year: rate,
        },
        Shock::roll_days(3.0),
    ];
    assert_eq!(
        shocks
            .apply(&m)
            .unwrap()
            .funding_rate(Currency::BTC)
            .unwrap(),
        rate
    );
}

/// Bad input: typed errors, never a panic or NaN.
#[test]
fn bad_input_is_a_typed_error() {
    let (m, b) = (market(), book());
    assert_eq!(
        StressScenario::new("empty", "", "", vec![]).unwrap_err(),
        RiskError::EmptyScenario {
            name: "empty".into()
        }
    );
    assert!(matches!(
        funding_spike_pnl(&b, &m, Currency::BTC, 0.1, -1.0, Currency::USD),
        Err(RiskError::InvalidParameter {
            name: "horizon days",
            ..
        })
    ));
    assert!(matches!(
        worst_log_move(&[1.0, 2.0], 0),
        Err(RiskError::InvalidParameter {
            name: "horizon",
            ..
        })
    ));
    assert!(matches!(
        worst_log_move(&[1.0, 2.0], 2),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        worst_log_move(&[1.0, f64::NAN], 1),
        Err(RiskError::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        worst_log_move(&[1.0, -2.0], 1),
        Err(RiskError::NonPositivePrice { index: 1, .. })
    ));
    assert!(matches!(
        CrisisWindow::new("x", "", day("2024-08-05"), day("2024-08-01")),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        spot_vol_grid(
            &b,
            &m,
            None,
            &[],
            &[0.0],
            VolDynamics::StickyStrike,
            Currency::USD
        ),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        term_vol_shock(None, v0(), &[(30.0, 0.1), (7.0, 0.2)]),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        term_vol_shock(None, v0(), &[(-7.0, 0.1)]),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        ExpiryQuotes::new(-0.1, 100.0, vec![90.0, 110.0], vec![0.5, 0.5]),
        Err(RiskError::InvalidParameter { .. })
    ));
    assert!(matches!(
        correlated_move(-0.1, 0.0, 0.5),
        Err(RiskError::InvalidParameter { .. })
    ));
    let dir = StressDirection {
        spot: vec![(Currency::BTC, -1.0)],
        vol_points: 0.0,
    };
    assert!(matches!(
        reverse_stress_book(&b, &m, &dir, -1.0, Currency::USD, 1.0, 10),
        Err(RiskError::InvalidParameter { name: "equity", .. })
    ));
    let mut lib = ScenarioLibrary::new();
    let s = StressScenario::new("a", "", "", vec![Shock::vol_parallel(0.1)]).unwrap();
    lib.insert(s.clone()).unwrap();
    assert_eq!(
        lib.insert(s).unwrap_err(),
        RiskError::DuplicateScenario { name: "a".into() }
    );
    // a vol shock that leaves a vol negative: the scenario's index in the error
    lib.insert(StressScenario::new("b", "", "", vec![Shock::vol_parallel(-0.9)]).unwrap())
        .unwrap();
    assert!(matches!(
        lib.run(&b, &m, Currency::USD),
        Err(RiskError::Scenario { index: 1, .. })
    ));
}

/// A calm surface with a smile linear in log-moneyness: σ(k) = 0.45 − 0.25·k at every expiry.
struct LinearSmile;

impl VolSurface for LinearSmile {
    fn total_variance(&self, expiry: f64, k: f64) -> f64 {
        let vol = 0.45 - 0.25 * k;
        vol * vol * expiry
    }
}

/// The measured changes (ΔATM_b, Δskew_b) at 7, 30, 90, 180 days from the mpmath reference's
/// bucket numbers (stressed − calm).
fn reference_changes() -> Vec<(f64, f64, f64)> {
    let r = reference();
    let b = |key: &str, i: usize, what: &str| f(&r[key]["buckets"][i][what]);
    (0..4)
        .map(|i| {
            (
                b("surface_calm", i, "days"),
                b("surface_stressed", i, "atm_vol") - b("surface_calm", i, "atm_vol"),
                b("surface_stressed", i, "skew") - b("surface_calm", i, "skew"),
            )
        })
        .collect()
}

fn deribit_surface_shock() -> SurfaceShock {
    SurfaceShock::from_chains(
        &chain(CALM),
        &chain(STRESSED),
        &[7.0, 30.0, 90.0, 180.0],
        DayCount::Act365_25,
        0.05,
    )
    .unwrap()
}

/// The Deribit surface shock applied to a calm smile σ(k) = 0.45 − 0.25k: at each bucket and at
/// k = 0, ±0.05, the shocked vol is the calm vol + ΔATM_b + Δskew_b·k with the changes from the
/// mpmath reference (1e-12), so the shocked ATM and skew (σ(+h) − σ(−h))/(2h) move by exactly the
/// measured changes; halfway between buckets (60 days) the changes are the mean of the 30- and
/// 90-day ones; after a sticky-strike spot move the shock stays on the strikes (k on the old
/// forward), after a sticky-moneyness one it moves with the forward.
#[test]
fn surface_shock_applies_atm_and_skew_changes() {
    let h = 0.05;
    let want = reference_changes();
    let shock = deribit_surface_shock()
        .shock(Some(Currency::BTC), v0())
        .unwrap();
    let Shock::Vol {
        asset: Some(Currency::BTC),
        adjustment: VolAdjustment::SkewByExpiry(ref points),
    } = shock
    else {
        panic!("not a skew shock: {shock:?}")
    };
    assert_eq!(points.len(), 4);
    for (p, &(days, da, ds)) in points.iter().zip(&want) {
        assert_eq!(p.0, expiry(days));
        close(p.1, da, 1e-12, "ATM change of the shock");
        close(p.2, ds, 1e-12, "skew change of the shock");
    }
    let f0 = 88_530.0;
    let calm = MarketState::builder(v0(), DayCount::Act365_25)
        .underlying(Currency::BTC, ForwardCurve::new(f0, &[]).unwrap())
        .vol_surface(Currency::BTC, LinearSmile)
        .build()
        .unwrap();
    let shocked = NamedScenario::new("skew", vec![shock.clone()])
        .apply(&calm)
        .unwrap();
    let vol = |m: &MarketState, days: f64, strike: f64| {
        m.implied_vol(Currency::BTC, expiry(days), strike).unwrap()
    };
    for &(days, da, ds) in &want {
        for k in [-h, 0.0, h] {
            let strike = f0 * f64::exp(k);
            let calm_vol = vol(&calm, days, strike);
            close(calm_vol, 0.45 - 0.25 * k, 1e-14, "calm smile");
            close(
                vol(&shocked, days, strike),
                calm_vol + da + ds * k,
                1e-12,
                "shocked vol",
            );
        }
        let skew = |m: &MarketState| {
            (vol(m, days, f0 * h.exp()) - vol(m, days, f0 * (-h).exp())) / (2.0 * h)
        };
        close(skew(&shocked) - skew(&calm), ds, 1e-11, "skew change");
        close(
            vol(&shocked, days, f0) - vol(&calm, days, f0),
            da,
            1e-12,
            "ATM change",
        );
    }
    // 60 days: halfway in time between the 30- and 90-day buckets
    let (da, ds) = ((want[1].1 + want[2].1) / 2.0, (want[1].2 + want[2].2) / 2.0);
    let strike = f0 * (-h).exp();
    close(
        vol(&shocked, 60.0, strike),
        vol(&calm, 60.0, strike) + da - ds * h,
        1e-12,
        "between buckets",
    );
    // a spot move first: sticky strike reads k on the old forward, sticky moneyness on the new
    let (days, da, ds) = want[1];
    let strike = 70_000.0;
    for (dynamics, forward) in [
        (VolDynamics::StickyStrike, f0),
        (VolDynamics::StickyMoneyness, 63_709.0),
    ] {
        let moved = calm.with_spot(Currency::BTC, 63_709.0, dynamics).unwrap();
        let m = NamedScenario::new("skew", vec![shock.clone()])
            .apply(&moved)
            .unwrap();
        let k = (strike / forward).ln();
        close(
            vol(&m, days, strike),
            0.45 - 0.25 * k + da + ds * k,
            1e-12,
            "after a spot move",
        );
    }
}

/// Stress P&L under the Deribit scenario (BTC −28 % sticky strike, ATM and skew shock): the
/// batch path (`Book::revalue_many`) equals `Book::pnl` bit for bit, and each BTC option's P&L
/// equals its P&L to an independently built market whose flat vol is the hand-computed shocked
/// vol 0.45 + ΔATM_b + Δskew_b·ln(K/88,530) from the mpmath changes (1e-8 USD).
#[test]
fn skew_shock_pnl_equals_full_revaluation() {
    let (m, b) = (market(), book());
    let spot = 63_709.0;
    let scenario = NamedScenario::new(
        "deribit-2026-02-05",
        vec![
            Shock::spot_relative(Currency::BTC, spot / 88_530.0 - 1.0),
            deribit_surface_shock()
                .shock(Some(Currency::BTC), v0())
                .unwrap(),
        ],
    );
    let shocked = scenario.apply(&m).unwrap();
    // the batch path, its vol cache reused across scenarios that read the surface at the same
    // point (only the adjustments differ): ATM and skew, ATM only, ATM and skew again
    let atm_only = NamedScenario::new(
        "atm only",
        vec![
            Shock::spot_relative(Currency::BTC, spot / 88_530.0 - 1.0),
            Shock::Vol {
                asset: Some(Currency::BTC),
                adjustment: VolAdjustment::ByExpiry(
                    reference_changes()
                        .iter()
                        .map(|&(d, da, _)| (expiry(d), da))
                        .collect(),
                ),
            },
        ],
    );
    let scenarios = [scenario.clone(), atm_only, scenario];
    let mut out = vec![Ok(0.0); 3];
    b.revalue_many(&m, &scenarios, Currency::USD, &mut out)
        .unwrap();
    for (got, s) in out.into_iter().zip(&scenarios) {
        let want = b
            .value(&s.apply(&m).unwrap(), Currency::USD)
            .unwrap()
            .amount;
        assert_eq!(got.unwrap(), want, "{}", s.name);
    }
    let want = reference_changes();
    for (strike, days, kind, size) in [
        (80_000.0, 30.0, OptionKind::Put, -10.0),
        (100_000.0, 90.0, OptionKind::Call, 5.0),
    ] {
        let &(_, da, ds) = want.iter().find(|c| c.0 == days).unwrap();
        let sigma = 0.45 + da + ds * (strike / 88_530.0f64).ln();
        let mut one = Book::new();
        let c = Contract::option(
            Currency::BTC,
            kind,
            strike,
            expiry(days),
            Settlement::Inverse,
            1.0,
        )
        .unwrap();
        one.insert(Position::new(c, size, 0.0).unwrap());
        let by_hand = MarketState::builder(v0(), DayCount::Act365_25)
            .underlying(Currency::BTC, ForwardCurve::new(spot, &[]).unwrap())
            .vol_surface(Currency::BTC, FlatVol::new(sigma).unwrap())
            .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
            .build()
            .unwrap();
        let got = one.pnl(&m, &shocked, Currency::USD).unwrap().amount;
        let base = one.value(&m, Currency::USD).unwrap().amount;
        let want = one.value(&by_hand, Currency::USD).unwrap().amount - base;
        close(got, want, 1e-8, "option P&L under the skew shock");
    }
}

/// Skew shocks with bad input: typed errors, and a shock that leaves a vol ≤ 0 at a strike is
/// reported there (never clamped).
#[test]
fn skew_shock_bad_input_is_a_typed_error() {
    let p = |days: f64, atm: f64, skew: f64| TermPoint {
        days,
        atm_vol: atm,
        skew,
    };
    let shock = |calm: Vec<TermPoint>, stressed: Vec<TermPoint>| {
        SurfaceShock { calm, stressed }.shock(None, v0())
    };
    assert!(matches!(
        shock(vec![], vec![]),
        Err(RiskError::TooShort { .. })
    ));
    assert!(matches!(
        shock(vec![p(7.0, 0.4, -0.1)], vec![]),
        Err(RiskError::LengthMismatch {
            left: 1,
            right: 0,
            ..
        })
    ));
    assert!(matches!(
        shock(vec![p(7.0, 0.4, -0.1)], vec![p(30.0, 0.5, -0.2)]),
        Err(RiskError::InvalidParameter {
            name: "bucket days",
            ..
        })
    ));
    assert!(matches!(
        shock(
            vec![p(30.0, 0.4, -0.1), p(7.0, 0.4, -0.1)],
            vec![p(30.0, 0.5, -0.2), p(7.0, 0.5, -0.2)]
        ),
        Err(RiskError::InvalidParameter {
            name: "bucket days",
            ..
        })
    ));
    assert!(matches!(
        shock(vec![p(f64::NAN, 0.4, -0.1)], vec![p(f64::NAN, 0.5, -0.2)]),
        Err(RiskError::InvalidParameter {
            name: "bucket days",
            ..
        })
    ));
    assert!(matches!(
        shock(vec![p(7.0, 0.4, -0.1)], vec![p(7.0, f64::INFINITY, -0.2)]),
        Err(RiskError::InvalidParameter {
            name: "atm vol change",
            ..
        })
    ));
    assert!(matches!(
        shock(vec![p(7.0, 0.4, f64::NAN)], vec![p(7.0, 0.5, -0.2)]),
        Err(RiskError::InvalidParameter {
            name: "skew change",
            ..
        })
    ));
    let m = market();
    let (e1, e2) = (expiry(7.0), expiry(30.0));
    for (bad, what) in [
        (VolAdjustment::SkewByExpiry(vec![]), "no point"),
        (
            VolAdjustment::SkewByExpiry(vec![(e2, 0.1, 0.0), (e1, 0.1, 0.0)]),
            "decreasing instants",
        ),
        (
            VolAdjustment::SkewByExpiry(vec![(e1, 0.1, 0.0), (e1, 0.1, 0.0)]),
            "repeated instant",
        ),
    ] {
        assert!(
            matches!(
                m.with_vol_adjustment(None, bad),
                Err(MarketError::InvalidCurve { .. })
            ),
            "{what}"
        );
    }
    assert!(matches!(
        m.with_vol_adjustment(None, VolAdjustment::SkewByExpiry(vec![(e1, f64::NAN, 0.0)])),
        Err(MarketError::InvalidValue {
            name: "vol shift",
            ..
        })
    ));
    assert!(matches!(
        m.with_vol_adjustment(
            None,
            VolAdjustment::SkewByExpiry(vec![(e1, 0.0, f64::INFINITY)])
        ),
        Err(MarketError::InvalidValue {
            name: "vol skew shift",
            ..
        })
    ));
    // σ' = 0.45 + 5·ln(80,000/88,530) = −0.0566... < 0 at the 80,000 put: an error at that strike
    let steep = m
        .with_vol_adjustment(
            Some(Currency::BTC),
            VolAdjustment::SkewByExpiry(vec![(e2, 0.0, 5.0)]),
        )
        .unwrap();
    match steep.implied_vol(Currency::BTC, e2, 80_000.0) {
        Err(MarketError::InvalidVolatility { strike, value, .. }) => {
            assert_eq!(strike, 80_000.0);
            close(
                value,
                0.45 + 5.0 * (80_000.0f64 / 88_530.0).ln(),
                1e-15,
                "negative vol",
            );
            assert!(value < 0.0);
        }
        other => panic!("not a vol error: {other:?}"),
    }
    assert!(steep.implied_vol(Currency::BTC, e2, 100_000.0).unwrap() > 0.45);
    assert!(book().pnl(&m, &steep, Currency::USD).is_err());
}
