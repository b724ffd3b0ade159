//! Coin-settled options against the venue: every option of the committed Deribit chain excerpt
//! (examples/data/btc_option_chain.csv, a real snapshot of 2025-12-30 17:31 UTC; provenance in
//! examples/data/README.md) priced at its own mark IV on its forward with r = 0, as Deribit marks.
//!
//! The venue's figures are independent of our code: `mark_coin` is Deribit's mark price in BTC
//! and `deribit_delta` its published delta. They were read a few minutes apart (the source's
//! README), so they agree with a model evaluated at one instant only to the precision the
//! snapshot allows; the bounds below are that precision, measured on this file and stated.

use derisk::pricing::{EuropeanOption, InverseBlack76, OptionKind, PricingModel, Sensitivities};

struct Row {
    instrument: String,
    kind: OptionKind,
    years: f64,
    strike: f64,
    forward: f64,
    mark_coin: f64,
    mark_iv: f64,
    delta: f64,
}

fn chain() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/btc_option_chain.csv"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                instrument: f[0].into(),
                kind: if f[3] == "call" {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                },
                years: f[2].parse().unwrap(),
                strike: f[4].parse().unwrap(),
                forward: f[5].parse().unwrap(),
                mark_coin: f[9].parse().unwrap(),
                mark_iv: f[10].parse().unwrap(),
                delta: f[11].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn deribit_delta_is_the_black_delta_on_the_forward() {
    let mut worst = 0.0_f64;
    for r in chain() {
        let option = EuropeanOption::new(r.kind, r.strike, r.years).unwrap();
        let model = InverseBlack76::flat(r.forward, 0.0, r.mark_iv).unwrap();
        let black_delta = model.usd_model().greeks(&option).unwrap().delta;
        let err = (black_delta - r.delta).abs();
        worst = worst.max(err);
        // Deribit publishes 5 decimals and its delta was read minutes after the marks.
        assert!(
            err < 2e-3,
            "{}: Black delta {black_delta:.5}, Deribit {}",
            r.instrument,
            r.delta
        );
        // The premium-adjusted delta is a different figure: it differs by the coin premium.
        let pa = model.premium_adjusted_delta(&option).unwrap();
        let coin = model.price(&option).unwrap();
        assert!((black_delta - pa - coin).abs() < 1e-14);
    }
    println!("worst |Black delta − Deribit delta| = {worst:.2e}");
}

#[test]
fn coin_price_at_the_mark_iv_reproduces_the_mark_price() {
    let mut worst_vol_points = 0.0_f64;
    let mut worst_coin = 0.0_f64;
    for r in chain() {
        let option = EuropeanOption::new(r.kind, r.strike, r.years).unwrap();
        let model = InverseBlack76::flat(r.forward, 0.0, r.mark_iv).unwrap();
        let g = model.greeks(&option).unwrap();
        // Express the price gap in volatility points via the coin vega, the natural unit.
        let gap_points = (g.price - r.mark_coin).abs() / g.vega * 100.0;
        worst_vol_points = worst_vol_points.max(gap_points);
        // The snapshot's own put–call parity on marks is off by up to 4.1e-5 BTC (measured by
        // tools/make_example_data.py), so a gap within 1e-4 BTC or 0.25 vol points is agreement.
        let gap_coin = (g.price - r.mark_coin).abs();
        worst_coin = worst_coin.max(gap_coin);
        assert!(
            gap_points < 0.25 || gap_coin < 1e-4,
            "{}: model {:.8} BTC, Deribit mark {:.8} BTC ({gap_points:.3} vol points)",
            r.instrument,
            g.price,
            r.mark_coin
        );
    }
    println!("worst mark gap = {worst_vol_points:.3} vol points, {worst_coin:.1e} BTC");
}

#[test]
fn coin_put_call_parity_holds_exactly_in_the_model() {
    for r in chain().iter().filter(|r| r.kind == OptionKind::Call) {
        let model = InverseBlack76::flat(r.forward, 0.0, r.mark_iv).unwrap();
        let c = model
            .price(&EuropeanOption::call(r.strike, r.years).unwrap())
            .unwrap();
        let p = model
            .price(&EuropeanOption::put(r.strike, r.years).unwrap())
            .unwrap();
        // c − p = 1 − K/F in coin (Deribit's parity, r = 0).
        assert!(
            (c - p - (1.0 - r.strike / r.forward)).abs() < 1e-15,
            "{}",
            r.instrument
        );
    }
}
