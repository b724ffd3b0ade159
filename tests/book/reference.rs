//! The mixed BTC book of tests/data/book_positions.csv on the real Deribit chain of 2025-12-30
//! (examples/data/deribit_btc_chain_2025-12-30.csv) against the independent 50-digit reference
//! tests/data/book_reference.json (tools/gen_book_reference.py, mpmath 1.3.0 at 50 digits;
//! Greeks by mpmath.diff of the valuation): every position's value in its settlement currency,
//! USD and BTC, its Greeks, the totals, and full revaluation under twelve scenarios, to 1e-12
//! relative. The market is built here from the chain by the rules the reference states (spot
//! and forwards the most common quotes, out-of-the-money mark IVs per strike), not read from it.

use std::collections::BTreeMap;

use derisk::market::{
    Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Scenario, Shock,
};
use derisk::portfolio::{Book, Contract, Instrument, Position, Settlement};
use derisk::pricing::OptionKind;
use derisk::vol::{InterpolatedSmile, SliceSurface};
use serde_json::Value;

const CHAIN: &str = include_str!("../../examples/data/deribit_btc_chain_2025-12-30.csv");
const POSITIONS: &str = include_str!("../data/book_positions.csv");
const REFERENCE: &str = include_str!("../data/book_reference.json");
const TOLERANCE: f64 = 1e-12;

struct Row {
    expiry: Instant,
    kind: OptionKind,
    strike: f64,
    forward: f64,
    index: f64,
    mark: Option<f64>,
    mark_iv: f64,
}

fn chain() -> Vec<Row> {
    CHAIN
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Row {
                expiry: f[1].parse().unwrap(),
                kind: if f[2] == "call" {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                },
                strike: f[3].parse().unwrap(),
                forward: f[4].parse().unwrap(),
                index: f[5].parse().unwrap(),
                mark: f[8].parse().ok(),
                mark_iv: f[9].parse().unwrap(),
            }
        })
        .collect()
}

/// The most common value (ties: the smaller), compared as binary64.
fn mode(values: impl Iterator<Item = f64>) -> f64 {
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v.to_bits()).or_default() += 1;
    }
    let best = counts.values().copied().max().unwrap();
    counts
        .iter()
        .filter(|&(_, &n)| n == best)
        .map(|(&b, _)| f64::from_bits(b))
        .fold(f64::INFINITY, f64::min)
}

fn v0() -> Instant {
    "2025-12-30T17:31:15.944181Z".parse().unwrap()
}

fn market(rows: &[Row]) -> MarketState {
    let day_count = DayCount::Act365_25;
    let spot = mode(rows.iter().map(|r| r.index));
    let mut expiries: Vec<Instant> = rows.iter().map(|r| r.expiry).collect();
    expiries.sort();
    expiries.dedup();
    let mut nodes = Vec::new();
    let mut slices = Vec::new();
    for e in expiries {
        let f = mode(rows.iter().filter(|r| r.expiry == e).map(|r| r.forward));
        let tau = day_count.year_fraction(v0(), e);
        let (mut ks, mut ws) = (Vec::new(), Vec::new());
        let mut otm: Vec<&Row> = rows
            .iter()
            .filter(|r| r.expiry == e && (r.kind == OptionKind::Call) == (r.strike >= f))
            .collect();
        otm.sort_by(|a, b| a.strike.total_cmp(&b.strike));
        for r in otm {
            ks.push((r.strike / f).ln());
            ws.push(r.mark_iv * r.mark_iv * tau);
        }
        nodes.push((e, f));
        slices.push((tau, InterpolatedSmile::new(&ks, &ws).unwrap()));
    }
    MarketState::builder(v0(), day_count)
        .underlying(Currency::BTC, ForwardCurve::new(spot, &nodes).unwrap())
        .vol_surface(Currency::BTC, SliceSurface::new(slices).unwrap())
        .discount_curve(Currency::BTC, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USD, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USDT, DiscountCurve::flat(0.0).unwrap())
        .discount_curve(Currency::USDC, DiscountCurve::flat(0.04).unwrap())
        .fx_rate(Currency::USDT, 0.9995)
        .fx_rate(Currency::USDC, 1.0)
        .build()
        .unwrap()
}

fn book() -> (Book, Vec<String>) {
    let mut book = Book::new();
    let mut ids = Vec::new();
    for line in POSITIONS.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| f[i].parse::<f64>().unwrap_or(0.0);
        let size = num(4);
        let expiry = || f[7].parse::<Instant>().unwrap();
        let kind = || {
            if f[9] == "call" {
                OptionKind::Call
            } else {
                OptionKind::Put
            }
        };
        let contract = match f[1] {
            "spot" => Contract::spot(f[2].parse().unwrap()),
            "linear_perpetual" => {
                Contract::linear_perpetual(Currency::BTC, f[3].parse().unwrap(), size).unwrap()
            }
            "inverse_perpetual" => Contract::inverse_perpetual(Currency::BTC, size).unwrap(),
            "linear_future" => Contract::future(
                Currency::BTC,
                Settlement::Linear(f[3].parse().unwrap()),
                size,
                expiry(),
            )
            .unwrap(),
            "inverse_future" => {
                Contract::future(Currency::BTC, Settlement::Inverse, size, expiry()).unwrap()
            }
            "option_coin" => Contract::option(
                Currency::BTC,
                kind(),
                num(8),
                expiry(),
                Settlement::Inverse,
                size,
            )
            .unwrap(),
            "option_usd" => Contract::option(
                Currency::BTC,
                kind(),
                num(8),
                expiry(),
                Settlement::Linear(Currency::USDC),
                size,
            )
            .unwrap(),
            other => panic!("unknown type {other}"),
        };
        assert_eq!(contract.settlement().to_string(), f[3], "{}", f[0]);
        book.insert(Position::new(contract, num(5), num(6)).unwrap());
        ids.push(f[0].to_string());
    }
    (book, ids)
}

fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

#[track_caller]
fn close(what: &str, ours: f64, theirs: f64) {
    let err = (ours - theirs).abs();
    // Below 1e-40 the reference is the noise of mpmath.diff at 50 digits on a quantity that is
    // exactly 0 (the gamma of a perpetual's linear USD value): ours must be as small.
    let zero = theirs.abs() < 1e-40 && ours.abs() < 1e-40;
    assert!(
        err <= TOLERANCE * theirs.abs() || zero,
        "{what}: ours {ours:e}, reference {theirs:e}, relative error {:e}",
        err / theirs.abs()
    );
}

#[test]
fn the_market_is_the_one_the_reference_states() {
    let r = reference();
    let c = &r["conventions"];
    let m = market(&chain());
    assert_eq!(m.spot(Currency::BTC).unwrap(), c["spot"].as_f64().unwrap());
    let nodes: Vec<(Instant, f64)> = m.forward_curve(Currency::BTC).unwrap().nodes().collect();
    let theirs = c["forward_nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), theirs.len());
    for ((e, f), t) in nodes.iter().zip(theirs) {
        assert_eq!(e.to_string(), t["expiry"].as_str().unwrap());
        assert_eq!(*f, t["forward"].as_f64().unwrap());
        close("tau", m.year_fraction(*e), t["tau"].as_f64().unwrap());
    }
    for v in c["implied_vols"].as_array().unwrap() {
        let e: Instant = v["expiry"].as_str().unwrap().parse().unwrap();
        let k = v["strike"].as_f64().unwrap();
        close(
            "implied vol",
            m.implied_vol(Currency::BTC, e, k).unwrap(),
            v["sigma"].as_f64().unwrap(),
        );
    }
}

#[test]
fn forward_queries_parity_forwards_and_piecewise_discounting() {
    let r = reference();
    let m = market(&chain());
    for q in r["forward_queries"].as_array().unwrap() {
        let at: Instant = q["instant"].as_str().unwrap().parse().unwrap();
        close(
            "forward query",
            m.forward(Currency::BTC, at).unwrap(),
            q["forward"].as_f64().unwrap(),
        );
        close(
            "forward query tau",
            m.year_fraction(at),
            q["tau"].as_f64().unwrap(),
        );
    }
    let rows = chain();
    for p in r["parity_forwards"].as_array().unwrap() {
        let e: Instant = p["expiry"].as_str().unwrap().parse().unwrap();
        let mut points = Vec::new();
        for call in rows
            .iter()
            .filter(|x| x.expiry == e && x.kind == OptionKind::Call)
        {
            let put = rows
                .iter()
                .find(|x| x.expiry == e && x.kind == OptionKind::Put && x.strike == call.strike);
            if let (Some(c), Some(p)) = (call.mark, put.and_then(|p| p.mark)) {
                points.push((call.strike, c - p));
            }
        }
        assert_eq!(points.len() as u64, p["n_strikes"].as_u64().unwrap());
        let curve = ForwardCurve::from_put_call_parity(88_524.14, &[(e, &points)]).unwrap();
        // The least-squares line is formed in binary64 from centred sums: 1e-10 relative.
        let f = curve.forward(v0(), e).unwrap();
        let theirs = p["forward"].as_f64().unwrap();
        assert!(
            (f - theirs).abs() < 1e-10 * theirs,
            "parity forward at {e}: {f} vs {theirs}"
        );
    }
    let pw = &r["piecewise_discount"];
    let nodes: Vec<(Instant, f64)> = pw["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["instant"].as_str().unwrap().parse().unwrap(),
                n["zero_rate"].as_f64().unwrap(),
            )
        })
        .collect();
    let curve = DiscountCurve::piecewise(v0(), DayCount::Act365_25, &nodes).unwrap();
    for q in pw["queries"].as_array().unwrap() {
        let at: Instant = q["instant"].as_str().unwrap().parse().unwrap();
        close(
            "piecewise discount",
            curve.discount(DayCount::Act365_25, v0(), at).unwrap(),
            q["df"].as_f64().unwrap(),
        );
    }
}

#[test]
fn every_position_and_the_book_agree_to_1e_12() {
    let r = reference();
    let m = market(&chain());
    let (book, ids) = book();
    let spot = m.spot(Currency::BTC).unwrap();
    let risks = book.risk(&m).unwrap();
    let values = book.values(&m).unwrap();
    let positions = r["positions"].as_array().unwrap();
    assert_eq!(positions.len(), ids.len());
    for (((p, id), risk), value) in positions.iter().zip(&ids).zip(&risks).zip(&values) {
        assert_eq!(p["id"].as_str().unwrap(), id);
        let s = &risk.sensitivity;
        let field = |name: &str| p[name].as_f64().unwrap();
        close(
            &format!("{id} value in settlement currency"),
            value.value.amount,
            field("value_settlement"),
        );
        close(
            &format!("{id} value USD"),
            value.value_quote.amount,
            field("value_usd"),
        );
        close(
            &format!("{id} value BTC"),
            m.convert(value.value, Currency::BTC).unwrap().amount,
            field("value_btc"),
        );
        close(&format!("{id} delta"), s.delta, field("delta"));
        close(
            &format!("{id} cash delta"),
            risk.cash_delta(),
            field("cash_delta"),
        );
        close(&format!("{id} gamma"), s.gamma, field("gamma"));
        close(&format!("{id} vega"), s.vega, field("vega"));
        close(&format!("{id} theta"), s.theta, field("theta"));
        close(&format!("{id} rho"), s.rho, field("rho"));
        assert_eq!(s.delta * spot, risk.cash_delta());
    }
    let t = &r["totals"];
    let total = book.sensitivity_to(&m, Currency::BTC).unwrap();
    close(
        "book value USD",
        book.value(&m, Currency::USD).unwrap().amount,
        t["value_usd"].as_f64().unwrap(),
    );
    close(
        "book value BTC",
        book.value(&m, Currency::BTC).unwrap().amount,
        t["value_btc"].as_f64().unwrap(),
    );
    close("book delta", total.delta, t["delta"].as_f64().unwrap());
    close("book gamma", total.gamma, t["gamma"].as_f64().unwrap());
    close("book vega", total.vega, t["vega"].as_f64().unwrap());
    close("book theta", total.theta, t["theta"].as_f64().unwrap());
    close("book rho", total.rho, t["rho"].as_f64().unwrap());
}

#[test]
fn full_revaluation_under_the_scenario_grid_agrees_to_1e_12() {
    let r = reference();
    let m = market(&chain());
    let (book, ids) = book();
    let scenarios: Vec<Vec<Shock>> = r["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut shocks = Vec::new();
            let spot = s["spot_shift"].as_f64().unwrap();
            if spot != 0.0 {
                shocks.push(Shock::spot_relative(Currency::BTC, spot));
            }
            let vol = s["vol_shift"].as_f64().unwrap();
            if vol != 0.0 {
                shocks.push(Shock::vol_parallel(vol));
            }
            let roll = s["roll_seconds"].as_f64().unwrap();
            if roll != 0.0 {
                shocks.push(Shock::TimeRoll { seconds: roll });
            }
            shocks
        })
        .collect();
    let mut usd = vec![Ok(0.0); scenarios.len()];
    let mut btc = vec![Ok(0.0); scenarios.len()];
    book.revalue_many(&m, &scenarios, Currency::USD, &mut usd)
        .unwrap();
    book.par_revalue_many(&m, &scenarios, Currency::BTC, &mut btc)
        .unwrap();
    for (((s, shocks), usd), btc) in r["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&scenarios)
        .zip(&usd)
        .zip(&btc)
    {
        let name = s["name"].as_str().unwrap();
        close(
            &format!("{name} book USD"),
            *usd.as_ref().unwrap(),
            s["value_usd"].as_f64().unwrap(),
        );
        close(
            &format!("{name} book BTC"),
            *btc.as_ref().unwrap(),
            s["value_btc"].as_f64().unwrap(),
        );
        let shocked = shocks.apply(&m).unwrap();
        close(
            &format!("{name} spot"),
            shocked.spot(Currency::BTC).unwrap(),
            s["spot"].as_f64().unwrap(),
        );
        close(
            &format!("{name} P&L"),
            book.pnl(&m, &shocked, Currency::USD).unwrap().amount,
            s["pnl_usd"].as_f64().unwrap(),
        );
        for ((p, id), v) in s["positions"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&ids)
            .zip(book.values(&shocked).unwrap())
        {
            close(
                &format!("{name} {id} USD"),
                v.value_quote.amount,
                p["value_usd"].as_f64().unwrap(),
            );
        }
    }
}
