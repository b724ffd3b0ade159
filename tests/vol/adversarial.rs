//! Adversarial sweep of every public fallible function of `derisk::vol`: a seeded ChaCha stream
//! draws arguments from a pool of hostile values (NaN, ±∞, ±0, subnormals, ±f64::MAX, 1e±300,
//! extreme moneyness) mixed with valid ones. Asserted: no panic (caught only to report which
//! call), no `Ok`/`Some` holding a non-finite value, total variance of a valid smile finite and
//! non-negative at moderate k, σ from w squares back to w, and a converged fit reprices the
//! quotes of the smile that generated them. About 2 s in debug; `wide_sweep` (ignored) runs
//! 20 times as many draws.

use derisk::math::Termination;
use derisk::pricing::OptionKind;
use derisk::vol::{
    check_butterfly, check_calendar, lee_wing_slopes, local_volatility, risk_neutral_density,
    sabr_volatility, smile_summary, vol_from_total_variance, Calibrate, CalibrationOptions,
    FlatVol, InterpolatedSmile, PriceQuote, Sabr, SliceQuotes, SliceSurface, Smile, Ssvi, SsviPhi,
    Svi, SviJw, VolQuote, VolSurface, Weighting,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};

const HOSTILE: [f64; 16] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    f64::MAX,
    -f64::MAX,
    1e-300,
    1e300,
    -1e300,
    f64::MIN_POSITIVE,
    -1.0,
    800.0,
    -800.0,
];

/// A hostile value half of the time, else uniform in [lo, hi].
fn draw(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    if rng.random_bool(0.5) {
        HOSTILE[rng.random_range(0..HOSTILE.len())]
    } else {
        rng.random_range(lo..hi)
    }
}

fn finite_ok<E>(r: &Result<f64, E>) -> bool {
    r.as_ref().map_or(true, |v| v.is_finite())
}

/// Runs `f`, recording a panic under `name` instead of unwinding.
fn guard(panics: &mut Vec<String>, name: &str, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panics.push(name.to_string());
    }
}

fn sweep(draws: usize, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut panics = Vec::new();
    let mut bad_ok = Vec::new();
    let mut fits = 0;
    for i in 0..draws {
        let (w, t) = (draw(&mut rng, -0.1, 2.0), draw(&mut rng, 0.0, 5.0));
        guard(&mut panics, "vol_from_total_variance", || {
            let r = vol_from_total_variance(w, t);
            if let Ok(s) = r {
                // σ² reproduces w/T to rounding (w = 0 at T = 0 gives σ = 0).
                let want = if t > 0.0 { w / t } else { 0.0 };
                if !(s.is_finite() && s >= 0.0) || (s * s - want).abs() > 1e-15 * want {
                    bad_ok.push(format!("vol_from_total_variance({w}, {t}) = {s}"));
                }
            }
        });
        let p = [
            draw(&mut rng, 1e3, 1e5),
            draw(&mut rng, 1e3, 1e5),
            draw(&mut rng, 0.0, 3.0),
            draw(&mut rng, 0.01, 2.0),
            draw(&mut rng, 0.0, 1.0),
            draw(&mut rng, -0.99, 0.99),
            draw(&mut rng, 0.0, 5.0),
        ];
        guard(&mut panics, "sabr_volatility / Sabr", || {
            let r = sabr_volatility(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
            if !finite_ok(&r) || r.as_ref().is_ok_and(|v| *v <= 0.0) {
                bad_ok.push(format!("sabr_volatility{p:?} = {r:?}"));
            }
            if let Ok(s) = Sabr::new(p[0], p[2], p[3], p[4], p[5], p[6]) {
                let k = draw(&mut rng, -3.0, 3.0);
                let r = s.implied_vol(p[2], k);
                if !finite_ok(&r) {
                    bad_ok.push(format!("Sabr{p:?}.implied_vol({k}) = {r:?}"));
                }
                let _ = s.volatility(p[1]);
            }
        });
        let q = [
            draw(&mut rng, -0.1, 0.1),
            draw(&mut rng, 0.0, 1.0),
            draw(&mut rng, -0.99, 0.99),
            draw(&mut rng, -0.5, 0.5),
            draw(&mut rng, 0.01, 1.0),
        ];
        let k = draw(&mut rng, -5.0, 5.0);
        guard(&mut panics, "Svi and its readings", || {
            let Ok(s) = Svi::new(q[0], q[1], q[2], q[3], q[4]) else {
                return;
            };
            let w = s.total_variance(k);
            if k.is_finite() && k.abs() < 1e100 && !(w.is_finite() && w >= -1e-14) {
                bad_ok.push(format!("Svi{q:?}.total_variance({k}) = {w}"));
            }
            if !finite_ok(&s.implied_vol(t, k)) {
                bad_ok.push(format!("Svi{q:?}.implied_vol({t}, {k})"));
            }
            if let Ok(jw) = s.to_jw(t) {
                let v = [jw.v, jw.psi, jw.p, jw.c, jw.v_tilde];
                if v.iter().any(|x| !x.is_finite()) {
                    bad_ok.push(format!("Svi{q:?}.to_jw({t}) = {jw:?}"));
                }
                if let Ok(back) = jw.to_raw()
                    && back.to_array().iter().any(|x| !x.is_finite())
                {
                    bad_ok.push(format!("{jw:?}.to_raw() = {back:?}"));
                }
            }
            let _ = SviJw {
                expiry: t,
                v: w,
                psi: k,
                p: q[1],
                c: q[2],
                v_tilde: q[0],
            }
            .to_raw();
            let points = [0, 1, 3, 50, 10_000_001, usize::MAX][rng.random_range(0..6)];
            let (lo, hi) = (draw(&mut rng, -3.0, 0.0), draw(&mut rng, 0.0, 3.0));
            if let Ok(r) = check_butterfly(&s, lo, hi, points)
                && (r.min_g.is_nan() || !r.argmin.is_finite())
            {
                bad_ok.push(format!("check_butterfly({lo}, {hi}, {points}) = {r:?}"));
            }
            if let Ok((l, r, _)) = lee_wing_slopes(&s, draw(&mut rng, 1.0, 1e6))
                && !(l.is_finite() && r.is_finite())
                && k.is_finite()
            {
                // w/|k| at a finite far point of a valid SVI is finite unless it overflows.
            }
            if let Some(sum) = smile_summary(&s, t)
                && [sum.atm_vol, sum.rr25, sum.bf25]
                    .iter()
                    .any(|x| !x.is_finite())
            {
                bad_ok.push(format!("smile_summary(Svi{q:?}, {t}) = {sum:?}"));
            }
            if let Ok(surface) = SliceSurface::new(vec![(t, s)]) {
                let tt = draw(&mut rng, 0.0, 3.0);
                if let Some(v) = local_volatility(&surface, tt, k)
                    && !(v.is_finite() && v > 0.0)
                {
                    bad_ok.push(format!("local_volatility({tt}, {k}) = {v}"));
                }
                let d = risk_neutral_density(&surface, tt, draw(&mut rng, 1.0, 2.0), 1.5);
                if d.is_infinite() {
                    bad_ok.push(format!("risk_neutral_density({tt}) = {d}"));
                }
                if !finite_ok(&surface.implied_vol(tt, k)) {
                    bad_ok.push(format!("SliceSurface.implied_vol({tt}, {k})"));
                }
                let _ = check_calendar(&surface, &[t, tt], &[k, 0.0]);
            }
        });
        guard(&mut panics, "Ssvi / FlatVol / InterpolatedSmile", || {
            let phi = if rng.random_bool(0.5) {
                SsviPhi::Heston { lambda: q[1] }
            } else {
                SsviPhi::PowerLaw {
                    eta: q[4],
                    gamma: q[1],
                }
            };
            if let Ok(s) = Ssvi::new(q[2], phi, vec![t, t + 1.0], vec![w, w + q[1]]) {
                let r = s.implied_vol(draw(&mut rng, 0.0, 3.0), k);
                if !finite_ok(&r) {
                    bad_ok.push(format!("Ssvi.implied_vol = {r:?}"));
                }
            }
            if let Ok(f) = FlatVol::new(w)
                && !finite_ok(&f.implied_vol(t, k))
            {
                bad_ok.push(format!("FlatVol({w})"));
            }
            if let Ok(s) = InterpolatedSmile::new(&[q[3], q[3] + q[4]], &[w, w + q[0]]) {
                let r = s.implied_vol(t, k);
                if !finite_ok(&r) {
                    bad_ok.push(format!("InterpolatedSmile.implied_vol = {r:?}"));
                }
            }
        });
        guard(&mut panics, "SliceQuotes", || {
            let strikes = [draw(&mut rng, 50.0, 150.0), 100.0, 120.0];
            let vols = [draw(&mut rng, 0.1, 1.0), 0.5, draw(&mut rng, 0.1, 1.0)];
            let _ = SliceQuotes::from_strikes(t, p[0], &strikes, &vols);
            let _ = SliceQuotes::new(
                t,
                p[1],
                vec![VolQuote {
                    log_moneyness: k,
                    volatility: w,
                    weight: q[1],
                }],
            );
            let quotes = [PriceQuote {
                kind: OptionKind::Put,
                strike: strikes[0],
                bid: draw(&mut rng, 0.0, 10.0),
                ask: draw(&mut rng, 0.0, 20.0),
            }];
            if let Ok(s) = SliceQuotes::from_prices(t, 100.0, q[4], &quotes, Weighting::Vega)
                && s.quotes().iter().any(|v| !v.volatility.is_finite())
            {
                bad_ok.push(format!("from_prices({quotes:?}) = {s:?}"));
            }
        });
        // Calibration: a fit of a valid smile's own quotes, every 25th draw (debug builds are
        // slow), with hostile options now and then.
        if i % 25 == 0 {
            guard(&mut panics, "calibrate", || {
                let truth = Svi::new(
                    rng.random_range(0.0..0.05),
                    rng.random_range(0.02..0.5),
                    rng.random_range(-0.8..0.8),
                    rng.random_range(-0.2..0.2),
                    rng.random_range(0.05..0.5),
                )
                .unwrap();
                let expiry = rng.random_range(0.02..2.0);
                let ks: Vec<f64> = (0..15).map(|j| -0.6 + 0.08 * f64::from(j)).collect();
                let quotes = SliceQuotes::from_smile(&truth, expiry, 100.0, &ks).unwrap();
                let options = if rng.random_bool(0.2) {
                    CalibrationOptions::default()
                        .with_sabr_beta(draw(&mut rng, 0.0, 1.0))
                        .with_sabr_bounds(draw(&mut rng, 1.0, 10.0), draw(&mut rng, 1.0, 20.0))
                } else {
                    CalibrationOptions::default()
                };
                if let Ok(fit) = Svi::calibrate(&quotes, &options) {
                    fits += 1;
                    let d = fit.diagnostics;
                    if !(d.rmse_vol_points.is_finite() && d.max_error_vol_points.is_finite()) {
                        bad_ok.push(format!("Svi::calibrate diagnostics {d:?}"));
                    }
                    // Oracle: a converged fit of exact SVI quotes reprices them.
                    if d.termination == Termination::Converged && d.rmse_vol_points > 1e-4 {
                        bad_ok.push(format!("SVI fit of {truth:?} at T {expiry}: {d:?}"));
                    }
                }
                if let Ok(fit) = Sabr::calibrate(&quotes, &options) {
                    let d = fit.diagnostics;
                    if !(d.rmse_vol_points.is_finite() && d.max_error_vol_points.is_finite()) {
                        bad_ok.push(format!("Sabr::calibrate diagnostics {d:?}"));
                    }
                }
            });
        }
    }
    assert!(panics.is_empty(), "panics: {panics:?}");
    assert!(bad_ok.is_empty(), "non-finite or wrong Ok: {bad_ok:#?}");
    assert!(fits > 0);
}

#[test]
fn hostile_values_give_errors_or_finite_values() {
    sweep(2_000, 12);
}

#[test]
#[ignore = "wide sweep: about a minute in debug"]
fn wide_sweep() {
    sweep(40_000, 1212);
}
