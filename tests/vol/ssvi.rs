//! SSVI (Gatheral–Jacquier 2014): params → prices → implied vols → calibrate → params across
//! expiries at once, the sufficient no-arbitrage conditions of Theorems 4.1–4.2 and their
//! corollaries, the constrained fit, and warm recalibration.

use derisk::pricing::{black, OptionKind};
use derisk::vol::{
    check_butterfly, check_calendar, Calibrate, CalibrationOptions, PriceQuote, SliceQuotes, Ssvi,
    SsviPhi, SurfaceSlice, VolSurface, Weighting,
};

const EXPIRIES: [f64; 8] = [0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0];

fn truth() -> Ssvi {
    let thetas = EXPIRIES
        .iter()
        .map(|t| 0.36 * t * (1.0 + 0.1 * t))
        .collect();
    Ssvi::new(
        -0.35,
        SsviPhi::PowerLaw {
            eta: 0.9,
            gamma: 0.4,
        },
        EXPIRIES.to_vec(),
        thetas,
    )
    .unwrap()
}

/// Quotes from Black prices of the true surface, solved back by the implied-vol solver.
fn quotes_from_prices(s: &Ssvi, strikes: usize) -> Vec<SliceQuotes> {
    let f = 90_000.0;
    EXPIRIES
        .iter()
        .map(|&t| {
            let width = 4.0 * (0.36 * t).sqrt();
            let qs: Vec<PriceQuote> = (0..strikes)
                .map(|i| {
                    let k = -width + 2.0 * width * i as f64 / (strikes - 1) as f64;
                    let strike = f * k.exp();
                    let kind = if strike < f {
                        OptionKind::Put
                    } else {
                        OptionKind::Call
                    };
                    let p = black(kind, f, strike, s.total_variance(t, k).sqrt()).unwrap();
                    PriceQuote {
                        kind,
                        strike,
                        bid: p,
                        ask: p,
                    }
                })
                .collect();
            SliceQuotes::from_prices(t, f, 1.0, &qs, Weighting::Uniform).unwrap()
        })
        .collect()
}

#[test]
fn round_trip_recovers_the_parameters() {
    let s = truth();
    let quotes = quotes_from_prices(&s, 30);
    let fit = Ssvi::calibrate(&quotes, &CalibrationOptions::default()).unwrap();
    eprintln!(
        "SSVI round trip: ρ error {:.1e}, φ {:?}, worst θ relative error {:.1e}, {:?}",
        (fit.model.rho() - s.rho()).abs(),
        fit.model.phi(),
        fit.model
            .thetas()
            .iter()
            .zip(s.thetas())
            .map(|(a, b)| ((a - b) / b).abs())
            .fold(0.0, f64::max),
        fit.diagnostics
    );
    assert!((fit.model.rho() - s.rho()).abs() < 1e-7, "{:?}", fit.model);
    match fit.model.phi() {
        SsviPhi::PowerLaw { eta, gamma } => {
            assert!(
                (eta - 0.9).abs() < 1e-7 && (gamma - 0.4).abs() < 1e-7,
                "{eta} {gamma}"
            );
        }
        other => panic!("{other:?}"),
    }
    for (a, b) in fit.model.thetas().iter().zip(s.thetas()) {
        assert!((a - b).abs() < 1e-9 * b.max(1e-3), "{a} vs {b}");
    }
    assert!(
        fit.diagnostics.rmse_vol_points < 1e-6,
        "{:?}",
        fit.diagnostics
    );
}

#[test]
fn heston_like_round_trip() {
    let thetas: Vec<f64> = EXPIRIES.iter().map(|t| 0.25 * t).collect();
    let s = Ssvi::new(
        -0.6,
        SsviPhi::Heston { lambda: 3.0 },
        EXPIRIES.to_vec(),
        thetas,
    )
    .unwrap();
    let quotes = quotes_from_prices(&s, 15);
    let fit = Ssvi::calibrate_with(
        &quotes,
        SsviPhi::Heston { lambda: 1.0 },
        &CalibrationOptions::default(),
    )
    .unwrap();
    assert!((fit.model.rho() + 0.6).abs() < 1e-7);
    assert_eq!(
        fit.model.phi(),
        SsviPhi::Heston {
            lambda: fit.model.phi_lambda()
        }
    );
    assert!((fit.model.phi_lambda() - 3.0).abs() < 1e-6);
}

trait Lambda {
    fn phi_lambda(&self) -> f64;
}
impl Lambda for Ssvi {
    fn phi_lambda(&self) -> f64 {
        match self.phi() {
            SsviPhi::Heston { lambda } => lambda,
            _ => f64::NAN,
        }
    }
}

#[test]
fn theorems_4_1_and_4_2() {
    // Gatheral–Jacquier Remark 4.4 / §4.4: power law with γ ≤ ½ and η(1 + |ρ|) ≤ 2 has no
    // static arbitrage; Corollary 4.1: Heston-like with λ ≥ (1 + |ρ|)/4 has none.
    let free = truth();
    assert!(free.conditions().calendar);
    assert!(free.conditions().butterfly);
    let heston = Ssvi::new(
        0.5,
        SsviPhi::Heston { lambda: 0.375 },
        vec![1.0, 5.0],
        vec![0.5, 4.0],
    )
    .unwrap();
    assert!(heston.conditions().butterfly && heston.conditions().calendar);
    // η(1 + |ρ|) = 4.5 > 2: at θ = 10, θφ(1 + |ρ|) = 4.5·(10/11)^{0.5} = 4.29 ≥ 4 breaks Thm 4.2.
    let steep = Ssvi::new(
        0.5,
        SsviPhi::PowerLaw {
            eta: 3.0,
            gamma: 0.5,
        },
        vec![1.0, 2.0],
        vec![1.0, 10.0],
    )
    .unwrap();
    assert!(!steep.conditions().butterfly);
    // Conditions met ⇒ Durrleman's g ≥ 0 on every slice and w non-decreasing in T (Lemma 2.1).
    for &t in &EXPIRIES {
        let r = check_butterfly(
            &SurfaceSlice {
                surface: &free,
                expiry: t,
            },
            -3.0,
            3.0,
            601,
        )
        .unwrap();
        assert!(r.is_free(), "T = {t}: {r:?}");
    }
    let ks: Vec<f64> = (0..41).map(|i| -2.0 + 0.1 * f64::from(i)).collect();
    assert!(check_calendar(&free, &EXPIRIES, &ks).unwrap().is_empty());
}

#[test]
fn constrained_fit_satisfies_the_theorems() {
    // Quotes from an arbitrageable SSVI (η(1 + |ρ|) = 4.5, large θ); the constrained fit must
    // satisfy Theorems 4.1–4.2 at its θ.
    let thetas: Vec<f64> = EXPIRIES.iter().map(|t| 2.0 * t).collect();
    let bad = Ssvi::new(
        0.5,
        SsviPhi::PowerLaw {
            eta: 3.0,
            gamma: 0.5,
        },
        EXPIRIES.to_vec(),
        thetas,
    )
    .unwrap();
    assert!(!bad.conditions().butterfly);
    let quotes = quotes_from_prices(&bad, 12);
    let fit = Ssvi::calibrate(
        &quotes,
        &CalibrationOptions::default().with_no_arbitrage(true),
    )
    .unwrap();
    let c = fit.model.conditions();
    assert!(c.butterfly && c.calendar, "{:?}", fit.model);
}

#[test]
fn warm_recalibration_follows_a_move() {
    let s = truth();
    let quotes = quotes_from_prices(&s, 30);
    let cold = Ssvi::calibrate(&quotes, &CalibrationOptions::default()).unwrap();
    let thetas: Vec<f64> = s.thetas().iter().map(|t| t * 1.02).collect();
    let moved = Ssvi::new(
        -0.33,
        SsviPhi::PowerLaw {
            eta: 0.92,
            gamma: 0.41,
        },
        EXPIRIES.to_vec(),
        thetas,
    )
    .unwrap();
    let warm = cold
        .model
        .recalibrate(
            &quotes_from_prices(&moved, 30),
            &CalibrationOptions::default(),
        )
        .unwrap();
    assert!((warm.model.rho() + 0.33).abs() < 1e-7, "{:?}", warm.model);
    assert!(warm.diagnostics.iterations < cold.diagnostics.iterations);
}
