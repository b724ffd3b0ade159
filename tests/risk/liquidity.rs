//! Issues 14 and 15: order-book walks, square-root impact, Almgren–Chriss optimal execution and
//! liquidity-adjusted VaR, against tests/data/liquidity_reference.json written by
//! tools/gen_liquidity_reference.py (exact rational arithmetic for the walks; mpmath 1.3.0 at 50
//! digits, cross-checked with numpy 2.2.6 / scipy 1.14.1, for Bangia and Almgren–Chriss) on the
//! real Hyperliquid BTC perpetual book of 2025-01-26 (tests/data/hyperliquid_btc_book_2025-01-26.csv).

use super::common::{abs, f, rel};
use derisk::market::{
    AlmgrenChriss, ExecutionCost, Level, MarketError, OrderBook, Side, SquareRootImpact,
};
use derisk::risk::{
    bangia_lvar, endogenous_lvar_book, endogenous_lvar_impact, exogenous_lvar,
    frtb_liquidity_adjusted_es, liquidity_horizon_var, time_to_liquidate, ConcentrationLimits,
    RiskError, SpreadStats,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

const BOOK: &str = include_str!("../data/hyperliquid_btc_book_2025-01-26.csv");
const REFERENCE: &str = include_str!("../data/liquidity_reference.json");

fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

/// The committed snapshot, parsed here (the library does no I/O): 20 bids, 20 asks.
fn book() -> OrderBook {
    let (mut bids, mut asks) = (Vec::new(), Vec::new());
    for line in BOOK.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let level = Level::new(cols[4].parse().unwrap(), cols[5].parse().unwrap());
        match cols[2] {
            "bid" => bids.push((cols[3].parse::<usize>().unwrap(), level)),
            "ask" => asks.push((cols[3].parse::<usize>().unwrap(), level)),
            other => panic!("unknown side {other}"),
        }
    }
    bids.sort_by_key(|(i, _)| *i);
    asks.sort_by_key(|(i, _)| *i);
    let levels = |v: Vec<(usize, Level)>| v.into_iter().map(|(_, l)| l).collect();
    OrderBook::new(levels(bids), levels(asks)).unwrap()
}

fn side(v: &Value) -> Side {
    match v.as_str().unwrap() {
        "buy" => Side::Buy,
        "sell" => Side::Sell,
        other => panic!("unknown side {other}"),
    }
}

/// Relative 1e-12, or exactly 0 where the reference is 0; returns the relative error.
#[track_caller]
fn exact(got: f64, want: f64, what: &str) -> f64 {
    if want == 0.0 {
        abs(got, want, 0.0, what);
        0.0
    } else {
        rel(got, want, 1e-12, what);
        relative(got, want)
    }
}

fn relative(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

#[test]
fn book_summary_matches_hand_computation() {
    let r = &reference()["book"];
    let b = book();
    assert_eq!((b.bids().len(), b.asks().len()), (20, 20));
    assert_eq!((b.best_bid(), b.best_ask()), (105_055.0, 105_056.0));
    exact(b.mid(), f(&r["mid"]), "mid");
    exact(b.spread(), f(&r["spread"]), "spread");
    exact(b.spread_bps(), f(&r["spread_bps"]), "spread bps");
    exact(b.total_size(Side::Sell), f(&r["bid_depth"]), "bid depth");
    exact(b.total_size(Side::Buy), f(&r["ask_depth"]), "ask depth");
    for d in r["depths"].as_array().unwrap() {
        let got = b.depth_within(side(&d["side"]), f(&d["band_bps"])).unwrap();
        let what = format!("depth {} {} bps", d["side"], d["band_bps"]);
        exact(got.size, f(&d["size"]), &what);
        exact(got.notional, f(&d["notional"]), &what);
    }
}

/// Every walk of the fixture (8 sizes × 2 sides by quantity, 4 notionals × 2 sides, including
/// requests beyond the book's depth) against exact rational arithmetic, to 1e-12 relative.
#[test]
fn walks_match_exact_fills() {
    let b = book();
    let walks = reference()["book"]["walks"].as_array().unwrap().clone();
    assert_eq!(walks.len(), 24);
    let mut partial = 0;
    let (mut worst_price, mut worst_slippage) = (0.0f64, 0.0f64);
    for w in &walks {
        let s = side(&w["side"]);
        let fill = if w["quantity"].is_null() {
            b.walk_notional(s, f(&w["notional_request"])).unwrap()
        } else {
            b.walk(s, f(&w["quantity"])).unwrap()
        };
        let what = format!(
            "{} q={} n={}",
            w["side"], w["quantity"], w["notional_request"]
        );
        assert_eq!(fill.side, s);
        assert_eq!(
            fill.levels_used as u64,
            w["levels_used"].as_u64().unwrap(),
            "{what}"
        );
        for (got, key) in [
            (fill.filled, "filled"),
            (fill.notional, "notional"),
            (fill.average_price, "average_price"),
            (fill.worst_price, "worst_price"),
            (fill.unfilled, "unfilled"),
            (fill.slippage_vs_mid, "slippage_vs_mid"),
            (fill.slippage_vs_mid_bps, "slippage_vs_mid_bps"),
            (fill.slippage_vs_best, "slippage_vs_best"),
            (fill.slippage_vs_best_bps, "slippage_vs_best_bps"),
        ] {
            let e = exact(got, f(&w[key]), &format!("{what} {key}"));
            if key.starts_with("slippage") {
                worst_slippage = worst_slippage.max(e);
            } else {
                worst_price = worst_price.max(e);
            }
        }
        if !fill.is_complete() {
            partial += 1;
        }
    }
    // buy 40, 60 (asks hold 12.756 BTC), sell 60 (bids hold 50.229), and buy $1.5M, buy $6M, sell $6M.
    assert_eq!(partial, 6);
    eprintln!("walks: worst relative error {worst_price:e} (quantities, prices), {worst_slippage:e} (slippage)");
}

/// Hand computation on the committed book: selling 7 BTC takes 3.03622 @ 105055, 0.1428 @
/// 105054, 0.16179 @ 105053, 0.38082 @ 105051 and the remaining 3.27837 of 3.94526 @ 105050.
#[test]
fn sell_seven_by_hand() {
    let fill = book().walk(Side::Sell, 7.0).unwrap();
    let notional = 3.03622 * 105_055.0
        + 0.1428 * 105_054.0
        + 0.16179 * 105_053.0
        + 0.38082 * 105_051.0
        + 3.27837 * 105_050.0;
    rel(fill.notional, notional, 1e-15, "notional");
    assert_eq!((fill.levels_used, fill.worst_price), (5, 105_050.0));
    // Σ q·(105055 − p) = 0.1428·1 + 0.16179·2 + 0.38082·4 + 3.27837·5
    let below_best = 0.1428 + 2.0 * 0.16179 + 4.0 * 0.38082 + 5.0 * 3.27837;
    rel(
        fill.slippage_vs_best,
        below_best / 7.0,
        1e-14,
        "slippage vs best",
    );
    rel(
        fill.cost_vs_mid(),
        0.5 * 7.0 + below_best,
        1e-14,
        "cost vs mid",
    );
}

/// Seeded random books (ChaCha20, seed 14): VWAP between the best and the worst price touched,
/// filled + unfilled = requested, a walk of the whole side equals the side's size; one result
/// pinned bit for bit.
#[test]
fn seeded_random_books() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let mut pinned = 0.0;
    for case in 0..200 {
        let n = rng.random_range(1..40);
        let mid = rng.random_range(10.0..100_000.0);
        let tick = mid * 1e-4;
        let mut side_levels = |dir: f64| -> Vec<Level> {
            (0..n)
                .map(|i| {
                    Level::new(
                        mid + dir * tick * (i as f64 + 0.5),
                        rng.random_range(0.001..5.0),
                    )
                })
                .collect()
        };
        let (bids, asks) = (side_levels(-1.0), side_levels(1.0));
        let b = OrderBook::new(bids, asks).unwrap();
        for s in [Side::Buy, Side::Sell] {
            let total = b.total_size(s);
            let q = rng.random_range(0.0001..1.5 * total);
            let fill = b.walk(s, q).unwrap();
            rel(fill.filled + fill.unfilled, q, 1e-13, "filled + unfilled");
            let best = b.levels(s)[0].price;
            let sign = if s == Side::Buy { 1.0 } else { -1.0 };
            assert!(sign * (fill.average_price - best) >= 0.0, "case {case}");
            assert!(
                sign * (fill.worst_price - fill.average_price) >= -1e-9 * best,
                "case {case}"
            );
            assert!(fill.slippage_vs_mid >= fill.slippage_vs_best);
            let all = b.walk(s, total * (1.0 + 1e-12)).unwrap();
            rel(all.filled, total, 1e-15, "whole side");
            assert_eq!(all.levels_used, n);
            if case == 0 && s == Side::Buy {
                pinned = fill.average_price;
            }
        }
    }
    assert_eq!(
        pinned.to_bits(),
        4_681_402_596_314_890_580,
        "pinned VWAP {pinned:e}"
    );
}

#[test]
fn book_errors_are_typed() {
    let ok = || vec![Level::new(99.0, 1.0), Level::new(98.0, 1.0)];
    let asks = || vec![Level::new(101.0, 1.0)];
    assert_eq!(
        OrderBook::new(vec![], asks()).unwrap_err(),
        MarketError::EmptyBook { side: "bid" }
    );
    assert_eq!(
        OrderBook::new(ok(), vec![]).unwrap_err(),
        MarketError::EmptyBook { side: "ask" }
    );
    let err = OrderBook::new(vec![Level::new(102.0, 1.0)], asks()).unwrap_err();
    assert_eq!(
        err,
        MarketError::CrossedBook {
            best_bid: 102.0,
            best_ask: 101.0
        }
    );
    assert_eq!(
        err.to_string(),
        "crossed order book: best bid 102 is not below best ask 101"
    );
    assert!(matches!(
        OrderBook::new(vec![Level::new(101.0, 1.0)], asks()),
        Err(MarketError::CrossedBook { .. }) // locked
    ));
    let unsorted = vec![Level::new(99.0, 1.0), Level::new(99.5, 1.0)];
    assert_eq!(
        OrderBook::new(unsorted, asks()).unwrap_err(),
        MarketError::UnsortedBook {
            side: "bid",
            index: 1,
            price: 99.5,
            previous: 99.0
        }
    );
    let nan = vec![Level::new(99.0, 1.0), Level::new(f64::NAN, 1.0)];
    assert!(matches!(
        OrderBook::new(nan, asks()),
        Err(MarketError::InvalidLevel {
            side: "bid",
            index: 1,
            ..
        })
    ));
    let negative = vec![Level::new(101.0, -1.0)];
    assert!(matches!(
        OrderBook::new(ok(), negative),
        Err(MarketError::InvalidLevel {
            side: "ask",
            index: 0,
            ..
        })
    ));
    let huge = vec![Level::new(1e300, 1e10)];
    assert!(matches!(
        OrderBook::new(vec![Level::new(1.0, 1.0)], huge),
        Err(MarketError::InvalidValue {
            name: "book side value",
            ..
        })
    ));
    let b = OrderBook::new(ok(), asks()).unwrap();
    for q in [-1.0, 0.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            b.walk(Side::Buy, q),
            Err(MarketError::InvalidValue {
                name: "quantity",
                ..
            })
        ));
        assert!(matches!(
            b.walk_notional(Side::Sell, q),
            Err(MarketError::InvalidValue {
                name: "notional",
                ..
            })
        ));
    }
    assert!(b.depth_within(Side::Buy, -1.0).is_err());
    assert!(b.depth_within(Side::Buy, f64::NAN).is_err());
}

/// Almgren & Chriss (2000), Table 1 sample stock. The paper plots E and V for this stock (its
/// Figures 1 and 2) without tabulating them, so the reference values are computed by the
/// independent mpmath script at 50 digits, which also checks them against the paper's closed
/// forms (§2.2). The λ = 0 line is the paper's linear ("naive") strategy, E = ½γX² + εX +
/// η̃X²/T = $662,500 and V = σ²τ Σx_j² = 1.083·10¹² $², both by hand.
#[test]
fn almgren_chriss_sample_stock() {
    let r = &reference()["almgren_chriss"];
    let p = &r["params"];
    let ac = AlmgrenChriss::new(
        f(&p["x"]),
        f(&p["t"]),
        p["n"].as_u64().unwrap() as usize,
        f(&p["sigma"]),
        f(&p["epsilon"]),
        f(&p["eta"]),
        f(&p["gamma"]),
    )
    .unwrap();
    let cases = r["cases"].as_array().unwrap();
    let lambdas: Vec<f64> = cases.iter().map(|c| f(&c["lambda"])).collect();
    let mut frontier = vec![ExecutionCost::default(); cases.len()];
    ac.frontier(&lambdas, &mut frontier).unwrap();
    let (mut worst_ev, mut worst_kappa, mut worst_path) = (0.0f64, 0.0f64, 0.0f64);
    for (c, got) in cases.iter().zip(&frontier) {
        let what = format!("lambda {}", c["lambda"]);
        let lambda = f(&c["lambda"]);
        exact(got.kappa, f(&c["kappa"]), &format!("{what} kappa"));
        rel(
            got.expected,
            f(&c["expected_cost"]),
            1e-13,
            &format!("{what} E"),
        );
        rel(got.variance, f(&c["variance"]), 1e-13, &format!("{what} V"));
        rel(got.utility, f(&c["utility"]), 1e-13, &format!("{what} U"));
        worst_ev = worst_ev
            .max(relative(got.expected, f(&c["expected_cost"])))
            .max(relative(got.variance, f(&c["variance"])));
        if lambda > 0.0 {
            worst_kappa = worst_kappa.max(relative(got.kappa, f(&c["kappa"])));
        }
        let mut x = [0.0; 6];
        let mut n = [0.0; 5];
        ac.holdings(lambda, &mut x).unwrap();
        ac.trades(lambda, &mut n).unwrap();
        for (j, want) in c["holdings"].as_array().unwrap().iter().enumerate() {
            worst_path = worst_path.max(exact(x[j], f(want), &format!("{what} x_{j}")));
        }
        for (j, want) in c["trades"].as_array().unwrap().iter().enumerate() {
            rel(n[j], f(want), 1e-13, &format!("{what} n_{}", j + 1));
            worst_path = worst_path.max(relative(n[j], f(want)));
        }
    }
    eprintln!("almgren-chriss: worst relative error E/V {worst_ev:e}, kappa {worst_kappa:e}, x/n {worst_path:e}");
    rel(frontier[0].expected, 662_500.0, 1e-15, "naive E by hand");
    rel(frontier[0].variance, 1.083e12, 1e-15, "naive V by hand");
    // Along the frontier, more risk aversion costs more and risks less.
    for w in frontier.windows(2) {
        assert!(w[1].expected > w[0].expected && w[1].variance < w[0].variance);
    }
}

#[test]
fn almgren_chriss_errors_and_limits() {
    let new = |x, t, n, s, e, eta, g| AlmgrenChriss::new(x, t, n, s, e, eta, g);
    assert!(new(0.0, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7).is_err());
    assert!(new(1e6, -5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7).is_err());
    assert!(new(1e6, 5.0, 0, 0.95, 0.0625, 2.5e-6, 2.5e-7).is_err());
    assert!(new(1e6, 5.0, 5, f64::NAN, 0.0625, 2.5e-6, 2.5e-7).is_err());
    assert!(new(1e6, 5.0, 5, 0.95, -0.1, 2.5e-6, 2.5e-7).is_err());
    assert!(new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, -1.0).is_err());
    assert!(matches!(
        new(1e6, 5.0, 5, 0.95, 0.0625, 1e-7, 2.5e-7),
        Err(MarketError::InvalidValue {
            name: "eta - gamma*tau/2",
            ..
        })
    ));
    let ac = new(1e6, 5.0, 5, 0.95, 0.0625, 2.5e-6, 2.5e-7).unwrap();
    assert!(ac.cost(-1e-6).is_err());
    assert!(ac.cost(f64::NAN).is_err());
    let mut short = [0.0; 5];
    assert_eq!(
        ac.holdings(1e-6, &mut short).unwrap_err(),
        MarketError::BufferLength {
            name: "holdings",
            len: 5,
            expected: 6
        }
    );
    // Extreme risk aversion: sell almost everything at once, finite values (no sinh overflow).
    let c = ac.cost(1e3).unwrap();
    assert!(c.expected.is_finite() && c.variance.is_finite());
    let mut x = [0.0; 6];
    ac.holdings(1e3, &mut x).unwrap();
    assert!(x[1] > 0.0 && x[1] < 1e-8 * x[0], "x_1 = {}", x[1]);
    // Tiny risk aversion tends to the linear trajectory.
    let (lin, tiny) = (ac.cost(0.0).unwrap(), ac.cost(1e-20).unwrap());
    rel(tiny.expected, lin.expected, 1e-12, "lambda -> 0");
}

#[test]
fn square_root_law_matches_script() {
    for c in reference()["square_root"].as_array().unwrap() {
        let law = SquareRootImpact::new(f(&c["y"]), f(&c["sigma"]), f(&c["daily_volume"])).unwrap();
        let q = f(&c["quantity"]);
        rel(
            law.impact_fraction(q).unwrap(),
            f(&c["impact_fraction"]),
            1e-15,
            "impact",
        );
        rel(
            law.cost(q, f(&c["price"])).unwrap(),
            f(&c["cost"]),
            1e-15,
            "cost",
        );
    }
    let law = SquareRootImpact::new(1.0, 0.02, 1e6).unwrap();
    assert!(law.impact_fraction(-1.0).is_err());
    assert!(law.cost(1.0, 0.0).is_err());
    assert!(SquareRootImpact::new(0.0, 0.02, 1e6).is_err());
    assert!(SquareRootImpact::new(1.0, 0.02, f64::INFINITY).is_err());
}

/// Bangia et al. (1999) on the Corwin–Schultz spread series of Binance BTCUSDT 2024 (365 daily
/// values in the fixture) and the 2024 log returns, against mpmath at 50 digits.
#[test]
fn bangia_matches_script() {
    let r = &reference()["bangia"];
    let spreads: Vec<f64> = r["spreads"].as_array().unwrap().iter().map(f).collect();
    let stats = SpreadStats::from_series(&spreads).unwrap();
    rel(stats.mean, f(&r["spread_mean"]), 1e-14, "spread mean");
    rel(stats.std, f(&r["spread_std"]), 1e-13, "spread std");
    eprintln!(
        "spread stats: relative errors mean {:e}, std {:e}",
        relative(stats.mean, f(&r["spread_mean"])),
        relative(stats.std, f(&r["spread_std"]))
    );
    for c in r["cases"].as_array().unwrap() {
        let l = bangia_lvar(
            f(&c["position_value"]),
            f(&c["return_sigma"]),
            f(&c["confidence"]),
            stats,
            f(&c["a"]),
        )
        .unwrap();
        rel(l.market_var, f(&c["market_var"]), 1e-13, "market var");
        rel(
            l.liquidity_cost,
            f(&c["liquidity_cost"]),
            1e-13,
            "cost of liquidity",
        );
        rel(l.lvar, f(&c["lvar"]), 1e-13, "lvar");
        eprintln!(
            "bangia P={} a={}: relative errors var {:e}, cost {:e}, lvar {:e}",
            c["position_value"],
            c["a"],
            relative(l.market_var, f(&c["market_var"])),
            relative(l.liquidity_cost, f(&c["liquidity_cost"])),
            relative(l.lvar, f(&c["lvar"]))
        );
        let same =
            exogenous_lvar(l.market_var, f(&c["position_value"]), stats, f(&c["a"])).unwrap();
        assert_eq!(same.lvar, l.lvar);
    }
}

/// The endogenous term on the real book: closing a 7 BTC long costs the hand-computed fill.
#[test]
fn endogenous_lvar_on_the_book() {
    let b = book();
    let l = endogenous_lvar_book(1_000.0, &b, Side::Sell, 7.0).unwrap();
    let below_best = 0.1428 + 2.0 * 0.16179 + 4.0 * 0.38082 + 5.0 * 3.27837;
    rel(l.liquidity_cost, 3.5 + below_best, 1e-14, "cost");
    rel(l.lvar, 1_000.0 + 3.5 + below_best, 1e-15, "lvar");
    assert_eq!(
        endogenous_lvar_book(1_000.0, &b, Side::Buy, 40.0).unwrap_err(),
        RiskError::InsufficientDepth {
            requested: 40.0,
            available: b.total_size(Side::Buy)
        }
    );
    assert!(matches!(
        endogenous_lvar_book(1_000.0, &b, Side::Buy, f64::NAN),
        Err(RiskError::Market(MarketError::InvalidValue { .. }))
    ));
    assert!(endogenous_lvar_book(f64::NAN, &b, Side::Buy, 1.0).is_err());
    let law = SquareRootImpact::new(1.0, 0.02, 1e6).unwrap();
    let l = endogenous_lvar_impact(10.0, &law, -10_000.0, 50.0).unwrap();
    rel(l.liquidity_cost, 1_000.0, 1e-15, "impact cost");
}

#[test]
fn horizons_and_concentration() {
    assert_eq!(time_to_liquidate(1_000.0, 10_000.0, 0.25).unwrap(), 0.4);
    for p in [0.0, -0.1, 1.5, f64::NAN] {
        assert!(matches!(
            time_to_liquidate(1.0, 1.0, p),
            Err(RiskError::InvalidParameter {
                name: "participation",
                ..
            })
        ));
    }
    assert!(time_to_liquidate(1.0, 0.0, 0.1).is_err());
    assert!(time_to_liquidate(f64::INFINITY, 1.0, 0.1).is_err());
    // Below one day the horizon is floored at one day.
    assert_eq!(liquidity_horizon_var(3.0, 1.0, 100.0, 0.1).unwrap(), 3.0);
    rel(
        liquidity_horizon_var(3.0, 90.0, 100.0, 0.1).unwrap(),
        9.0,
        1e-15,
        "9 days",
    );
    // MAR33.4 with all five horizons: √(a² + b²·1 + c²·2 + d²·2 + e²·6).
    let es = [10.0, 8.0, 6.0, 4.0, 2.0];
    let want = (100.0f64 + 64.0 + 72.0 + 32.0 + 24.0).sqrt();
    rel(
        frtb_liquidity_adjusted_es(&es).unwrap(),
        want,
        1e-15,
        "frtb es",
    );
    assert!(frtb_liquidity_adjusted_es(&[]).is_err());
    assert!(frtb_liquidity_adjusted_es(&[1.0; 6]).is_err());
    assert!(frtb_liquidity_adjusted_es(&[1.0, -1.0]).is_err());
    let limits = ConcentrationLimits::new(0.1, 0.5).unwrap();
    let depth = book().depth_within(Side::Sell, 2.0).unwrap().size; // 31.58631 BTC of bids
    let flags = limits.check(20.0, 1_000.0, depth).unwrap();
    assert!(!flags.exceeds_volume && flags.exceeds_depth);
    rel(
        flags.depth_fraction,
        20.0 / 31.58631,
        1e-15,
        "depth fraction",
    );
    assert!(limits.check(1.0, 0.0, 1.0).is_err());
    assert!(ConcentrationLimits::new(f64::NAN, 1.0).is_err());
    assert!(SpreadStats::from_series(&[0.001]).is_err());
    assert!(SpreadStats::from_series(&[0.001, -0.001]).is_err());
    assert!(SpreadStats::from_series(&[0.001, f64::NAN]).is_err());
}

/// The market types of issues 14 and 15 are `Send + Sync` (compile-time check).
#[test]
fn send_sync_market_liquidity() {
    fn check<T: Send + Sync>() {}
    check::<OrderBook>();
    check::<Level>();
    check::<Side>();
    check::<derisk::market::Fill>();
    check::<derisk::market::Depth>();
    check::<SquareRootImpact>();
    check::<AlmgrenChriss>();
    check::<ExecutionCost>();
}
