//! Volatility-surface benches: SVI slice fit on 30 real BTC quotes (cold and warm), SABR slice
//! fit, SSVI on 8 expiries × 30 strikes (cold and warm). QuantLib's time on the same SVI quotes
//! comes from tools/time_quantlib_svi.py; both are in docs/PERFORMANCE.md.
//!
//! `cargo bench --bench surface -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use derisk::vol::{
    Calibrate, CalibrationOptions, Sabr, SliceQuotes, Ssvi, SsviPhi, Svi, VolQuote, VolSurface,
};

/// The 27MAR26 BTC slice of tests/data/vol_reference.json (30 mid-price implied vols).
fn btc_slice() -> SliceQuotes {
    let text = include_str!("../tests/data/vol_reference.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("fixture");
    let s = &v["slices"][1];
    let floats = |x: &serde_json::Value| -> Vec<f64> {
        x.as_array()
            .expect("array")
            .iter()
            .map(|y| y.as_f64().expect("number"))
            .collect()
    };
    SliceQuotes::from_strikes(
        s["expiry"].as_f64().expect("expiry"),
        s["forward"].as_f64().expect("forward"),
        &floats(&s["strikes"]),
        &floats(&s["vols"]),
    )
    .expect("slice")
}

/// The same quotes a moment later: every vol up 0.3 points, skew steeper by 1 point per unit k.
fn moved(q: &SliceQuotes) -> SliceQuotes {
    let quotes = q
        .quotes()
        .iter()
        .map(|v| VolQuote {
            volatility: v.volatility + 0.003 - 0.01 * v.log_moneyness,
            ..*v
        })
        .collect();
    SliceQuotes::new(q.expiry(), q.forward(), quotes).expect("moved slice")
}

fn ssvi_quotes(shift: f64) -> Vec<SliceQuotes> {
    let expiries = [0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0];
    let thetas = expiries
        .iter()
        .map(|t| (0.36 + shift) * t * (1.0 + 0.1 * t))
        .collect();
    let truth = Ssvi::new(
        -0.35 + shift,
        SsviPhi::PowerLaw {
            eta: 0.9,
            gamma: 0.4,
        },
        expiries.to_vec(),
        thetas,
    )
    .expect("ssvi");
    expiries
        .iter()
        .map(|&t| {
            let width = 4.0 * (0.36 * t).sqrt();
            let quotes = (0..30)
                .map(|i| {
                    let k = -width + 2.0 * width * f64::from(i) / 29.0;
                    // A deterministic ±0.1 vol-point wiggle stands in for quote noise.
                    let noise = 0.001 * (7.0 * f64::from(i) + 3.0 * t).sin();
                    VolQuote {
                        log_moneyness: k,
                        volatility: truth.implied_vol(t, k).expect("vol") + noise,
                        weight: 1.0,
                    }
                })
                .collect();
            SliceQuotes::new(t, 90_000.0, quotes).expect("slice")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let options = CalibrationOptions::default();
    let q = btc_slice();
    let q_moved = moved(&q);
    let svi = Svi::calibrate(&q, &options).expect("svi").model;
    c.bench_function("svi_fit_30_quotes_cold", |b| {
        b.iter(|| Svi::calibrate(black_box(&q_moved), &options).expect("fit"))
    });
    c.bench_function("svi_fit_30_quotes_warm", |b| {
        b.iter(|| svi.recalibrate(black_box(&q_moved), &options).expect("fit"))
    });
    let sabr = Sabr::calibrate(&q, &options).expect("sabr").model;
    c.bench_function("sabr_fit_30_quotes_cold", |b| {
        b.iter(|| Sabr::calibrate(black_box(&q_moved), &options).expect("fit"))
    });
    c.bench_function("sabr_fit_30_quotes_warm", |b| {
        b.iter(|| {
            sabr.recalibrate(black_box(&q_moved), &options)
                .expect("fit")
        })
    });
    let s0 = ssvi_quotes(0.0);
    let s1 = ssvi_quotes(0.01);
    let ssvi = Ssvi::calibrate(&s0, &options).expect("ssvi").model;
    c.bench_function("ssvi_fit_8x30_cold", |b| {
        b.iter(|| Ssvi::calibrate(black_box(&s1), &options).expect("fit"))
    });
    c.bench_function("ssvi_fit_8x30_warm", |b| {
        b.iter(|| ssvi.recalibrate(black_box(&s1), &options).expect("fit"))
    });
    c.bench_function("svi_total_variance", |b| {
        b.iter(|| {
            use derisk::vol::Smile;
            svi.total_variance(black_box(0.1))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
