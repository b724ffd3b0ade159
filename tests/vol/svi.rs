//! SVI: Vogt's arbitrageable slice (Gatheral–Jacquier 2014, §5.1) against mpmath, the
//! constrained fit that removes the arbitrage, JW round trips, and params → prices → implied vols
//! → calibrate → params.

use crate::common;

use derisk::pricing::{black, OptionKind};
use derisk::vol::{
    check_butterfly, lee_wing_slopes, Calibrate, CalibrationOptions, PriceQuote, SliceQuotes,
    Smile, Svi, Weighting,
};

fn vogt() -> Svi {
    Svi::new(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153).unwrap()
}

#[test]
fn vogt_slice_butterfly_violation_matches_mpmath() {
    // Expected: tools/gen_vol_reference.py, mpmath at 50 digits on Gatheral–Jacquier eq. 2.1.
    let reference = common::fixture("vol_reference.json");
    let v = &reference["vogt"];
    let interval = common::pairs(&serde_json::json!([v["negative_interval"]]))[0];
    let report = check_butterfly(&vogt(), -3.0, 3.0, 2001).unwrap();
    assert_eq!(report.violations.len(), 1, "{report:?}");
    let found = report.violations[0];
    assert!(
        (found.start - interval.0).abs() < 1e-9,
        "{found:?} vs {interval:?}"
    );
    assert!(
        (found.end - interval.1).abs() < 1e-9,
        "{found:?} vs {interval:?}"
    );
    let min_g = v["min_g"].as_f64().unwrap();
    let argmin = v["argmin"].as_f64().unwrap();
    assert!(
        (report.min_g - min_g).abs() < 1e-12,
        "{} vs {min_g}",
        report.min_g
    );
    assert!(
        (report.argmin - argmin).abs() < 1e-6,
        "{} vs {argmin}",
        report.argmin
    );
    eprintln!(
        "Vogt: interval [{:.15}, {:.15}] (Δ {:.1e}, {:.1e}); min g {:.15} (Δ {:.1e}) at {:.12} (Δ {:.1e})",
        found.start,
        found.end,
        (found.start - interval.0).abs(),
        (found.end - interval.1).abs(),
        report.min_g,
        (report.min_g - min_g).abs(),
        report.argmin,
        (report.argmin - argmin).abs()
    );
    for p in common::pairs(&v["g_at"]) {
        assert!((vogt().durrleman_g(p.0) - p.1).abs() < 1e-14, "g({})", p.0);
    }
}

#[test]
fn constrained_fit_removes_vogts_arbitrage_and_stays_close() {
    let s = vogt();
    let ks: Vec<f64> = (0..=30).map(|i| -1.5 + 0.1 * f64::from(i)).collect();
    let quotes = SliceQuotes::from_smile(&s, 1.0, 100.0, &ks).unwrap();
    let free = Svi::calibrate(&quotes, &CalibrationOptions::default()).unwrap();
    // The unconstrained fit reproduces the quotes, arbitrage included (the source is SVI).
    assert!(
        free.diagnostics.rmse_vol_points < 1e-4,
        "{:?}",
        free.diagnostics
    );
    let fit = Svi::calibrate(
        &quotes,
        &CalibrationOptions::default().with_no_arbitrage(true),
    )
    .unwrap();
    let report = check_butterfly(&fit.model, -5.0, 5.0, 4001).unwrap();
    assert!(report.is_free(), "{report:?}");
    assert!(report.min_g >= 0.0);
    // Close to the original: closer than Gatheral–Jacquier's own arbitrage-free repair of this
    // slice (§5.2: keep v, ψ, p; c' = p + 2ψ, ṽ' = 4pc'·v/(p + c')²), in RMSE and max error.
    let jw = s.to_jw(1.0).unwrap();
    let c = jw.p + 2.0 * jw.psi;
    let v_tilde = jw.v * 4.0 * jw.p * c / ((jw.p + c) * (jw.p + c));
    let repair = derisk::vol::SviJw { c, v_tilde, ..jw }.to_raw().unwrap();
    assert!(check_butterfly(&repair, -5.0, 5.0, 4001).unwrap().is_free());
    let errors = |m: &Svi| {
        let e: Vec<f64> = ks
            .iter()
            .map(|&k| (m.implied_vol(1.0, k).unwrap() - s.implied_vol(1.0, k).unwrap()).abs())
            .collect();
        let rmse = (e.iter().map(|x| x * x).sum::<f64>() / e.len() as f64).sqrt();
        (rmse, e.iter().copied().fold(0.0, f64::max))
    };
    let (fit_rmse, fit_max) = errors(&fit.model);
    let (gj_rmse, gj_max) = errors(&repair);
    assert!(
        fit_rmse < gj_rmse && fit_max < gj_max,
        "{fit_rmse} {fit_max} vs GJ {gj_rmse} {gj_max}"
    );
    eprintln!(
        "RMSE/max: constrained {fit_rmse:.5}/{fit_max:.5}, GJ repair {gj_rmse:.5}/{gj_max:.5}"
    );
    eprintln!(
        "constrained Vogt fit: {:?} {:?}",
        fit.model, fit.diagnostics
    );
}

#[test]
fn jump_wings_round_trip() {
    // Lemma 3.2 of Gatheral–Jacquier inverts the JW map: raw → JW → raw is the identity.
    for s in [
        vogt(),
        Svi::new(0.04, 0.1, -0.5, 0.1, 0.2).unwrap(),
        Svi::new(0.01, 0.3, 0.7, -0.2, 0.05).unwrap(),
        Svi::new(0.02, 0.2, -0.3, 0.0, 0.3).unwrap(),
    ] {
        for t in [0.1, 1.0, 2.5] {
            let back = s.to_jw(t).unwrap().to_raw().unwrap();
            for (x, y) in s.to_array().iter().zip(back.to_array()) {
                assert!((x - y).abs() < 1e-12, "{s:?} at {t}: {back:?}");
            }
        }
    }
    // JW definitions (Gatheral–Jacquier eq. 3.5) on a symmetric slice: ψ = 0, p = c.
    let jw = Svi::new(0.04, 0.1, 0.0, 0.0, 0.2)
        .unwrap()
        .to_jw(0.5)
        .unwrap();
    assert!(jw.psi.abs() < 1e-16 && (jw.p - jw.c).abs() < 1e-16);
    assert!((jw.v - 0.12).abs() < 1e-15 && (jw.v_tilde - 0.12).abs() < 1e-15);
}

#[test]
fn lee_bound_on_svi_wings() {
    // Lee (2004): the wings of w are b(1 ± ρ) for SVI; Vogt's are 0.1331·(0.694, 1.306).
    let (l, r, ok) = lee_wing_slopes(&vogt(), 1e8).unwrap();
    assert!((l - 0.1331 * 0.694).abs() < 1e-8 && (r - 0.1331 * 1.306).abs() < 1e-8 && ok);
}

#[test]
fn params_to_prices_to_vols_to_params() {
    // Known parameters: Gatheral (2004)-style equity slice, T = 0.75, F = 100.
    let truth = Svi::new(0.015, 0.12, -0.55, 0.03, 0.18).unwrap();
    let (t, f) = (0.75, 100.0);
    let quotes: Vec<PriceQuote> = (0..25)
        .map(|i| {
            let k = -0.6 + 0.05 * f64::from(i);
            let strike = f * f64::exp(k);
            let kind = if strike < f {
                OptionKind::Put
            } else {
                OptionKind::Call
            };
            let price = black(kind, f, strike, truth.total_variance(k).sqrt()).unwrap();
            PriceQuote {
                kind,
                strike,
                bid: price,
                ask: price,
            }
        })
        .collect();
    let slice = SliceQuotes::from_prices(t, f, 1.0, &quotes, Weighting::Uniform).unwrap();
    let fit = Svi::calibrate(&slice, &CalibrationOptions::default()).unwrap();
    let worst = truth
        .to_array()
        .iter()
        .zip(fit.model.to_array())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    eprintln!(
        "SVI round trip: worst parameter error {worst:.1e}, {:?}",
        fit.diagnostics
    );
    for (x, y) in truth.to_array().iter().zip(fit.model.to_array()) {
        assert!((x - y).abs() < 1e-7, "{:?} vs {truth:?}", fit.model);
    }
    assert!(fit.diagnostics.rmse_vol_points < 1e-8);
}

#[test]
fn warm_recalibration_tracks_a_moved_smile() {
    let before = Svi::new(0.02, 0.1, -0.3, 0.05, 0.2).unwrap();
    let after = Svi::new(0.021, 0.102, -0.31, 0.052, 0.199).unwrap();
    let ks: Vec<f64> = (0..30).map(|i| -0.6 + 0.04 * f64::from(i)).collect();
    let q0 = SliceQuotes::from_smile(&before, 0.5, 100.0, &ks).unwrap();
    let q1 = SliceQuotes::from_smile(&after, 0.5, 100.0, &ks).unwrap();
    let cold = Svi::calibrate(&q0, &CalibrationOptions::default()).unwrap();
    let warm = cold
        .model
        .recalibrate(&q1, &CalibrationOptions::default())
        .unwrap();
    for (x, y) in after.to_array().iter().zip(warm.model.to_array()) {
        assert!((x - y).abs() < 1e-7, "{:?}", warm.model);
    }
}
