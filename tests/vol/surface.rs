//! Surfaces and what is read off them: slice interpolation in total variance, the density
//! (integrates to 1, reprices calls: Breeden–Litzenberger against the Black formula), Dupire
//! local vol against a finite-difference Dupire on call prices, ATM / 25-delta RR / BF against
//! mpmath, the non-parametric smile, calendar checks, and pricing off a surface.

use crate::common;

use derisk::pricing::{black, Black76, EuropeanOption, OptionKind, PricingModel};
use derisk::vol::{
    check_calendar, local_volatility, risk_neutral_density, smile_summary, Calibrate,
    CalibrationOptions, InterpolatedSmile, SliceQuotes, SliceSurface, Smile, Ssvi, SsviPhi, Svi,
    VolSurface,
};

fn svi_surface() -> SliceSurface<Svi> {
    SliceSurface::new(vec![
        (0.1, Svi::new(0.004, 0.04, -0.3, 0.02, 0.15).unwrap()),
        (0.5, Svi::new(0.02, 0.08, -0.35, 0.03, 0.25).unwrap()),
        (1.0, Svi::new(0.045, 0.1, -0.4, 0.05, 0.3).unwrap()),
    ])
    .unwrap()
}

fn ssvi() -> Ssvi {
    Ssvi::new(
        -0.4,
        SsviPhi::PowerLaw {
            eta: 0.9,
            gamma: 0.4,
        },
        vec![0.25, 0.5, 1.0],
        vec![0.04, 0.085, 0.18],
    )
    .unwrap()
}

/// ∫ f over [a, b] by composite Simpson with n (even) panels.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        s += f(a + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

#[test]
fn slice_surface_is_linear_in_total_variance() {
    let s = svi_surface();
    let (a, b) = (&s.smiles()[1], &s.smiles()[2]);
    for k in [-0.5, 0.0, 0.3] {
        let want = 0.5 * (a.total_variance(k) + b.total_variance(k));
        assert!((s.total_variance(0.75, k) - want).abs() < 1e-16);
        // Before the first expiry and after the last: constant implied vol at each k.
        assert!((s.implied_vol(0.05, k).unwrap() - s.implied_vol(0.1, k).unwrap()).abs() < 1e-15);
        assert!((s.implied_vol(3.0, k).unwrap() - s.implied_vol(1.0, k).unwrap()).abs() < 1e-15);
    }
    let ks: Vec<f64> = (0..41).map(|i| -1.0 + 0.05 * f64::from(i)).collect();
    assert!(
        check_calendar(&s, &[0.05, 0.1, 0.3, 0.5, 0.75, 1.0, 2.0], &ks)
            .unwrap()
            .is_empty()
    );
    // Swapping the slices makes w fall in T: the calendar check names the points.
    let swapped = SliceSurface::new(vec![(0.5, *b), (1.0, *a)]).unwrap();
    let v = check_calendar(&swapped, &[0.5, 1.0], &[0.0]).unwrap();
    assert_eq!(v.len(), 1);
    assert!(v[0].w_later < v[0].w_earlier);
}

#[test]
fn density_integrates_to_one_and_reprices_calls() {
    let f: f64 = 100.0;
    let surfaces: [(&dyn VolSurface, f64); 3] = [
        (&svi_surface(), 0.5),
        (&svi_surface(), 0.75),
        (&ssvi(), 0.6),
    ];
    for (surface, t) in surfaces {
        // In x = ln K the integrand is p(K)·K; the density is negligible beyond |x − ln F| = 8.
        let mass = simpson(
            |x| {
                let k = x.exp();
                risk_neutral_density(surface, t, f, k) * k
            },
            f.ln() - 8.0,
            f.ln() + 8.0,
            16000,
        );
        assert!((mass - 1.0).abs() < 1e-7, "T {t}: mass {mass}");
        let mean = simpson(
            |x| {
                let k = x.exp();
                risk_neutral_density(surface, t, f, k) * k * k
            },
            f.ln() - 8.0,
            f.ln() + 8.0,
            16000,
        );
        eprintln!(
            "density T {t}: mass − 1 = {:.1e}, mean/F − 1 = {:.1e}",
            mass - 1.0,
            mean / f - 1.0
        );
        assert!((mean - f).abs() < 1e-5 * f, "mean {mean}");
        for strike in [70.0_f64, 95.0, 100.0, 110.0, 140.0] {
            let call = simpson(
                |x| {
                    let k = x.exp();
                    (k - strike).max(0.0) * risk_neutral_density(surface, t, f, k) * k
                },
                strike.ln(),
                f.ln() + 8.0,
                16000,
            );
            let w = surface.total_variance(t, (strike / f).ln());
            let want = black(OptionKind::Call, f, strike, w.sqrt()).unwrap();
            assert!(
                (call - want).abs() < 1e-6 * f,
                "K {strike}: {call} vs Black {want}"
            );
        }
    }
}

#[test]
fn local_vol_matches_finite_difference_dupire() {
    // Dupire (1994) in strike: σ² = 2·∂C/∂T / (K²·∂²C/∂K²), undiscounted C on a fixed forward,
    // by central differences of Black prices off the same surface.
    let f: f64 = 100.0;
    let surfaces: [(&dyn VolSurface, f64); 2] = [(&ssvi(), 0.4), (&svi_surface(), 0.7)];
    for (surface, t) in surfaces {
        let call = |t: f64, k: f64| {
            black(
                OptionKind::Call,
                f,
                k,
                surface.total_variance(t, (k / f).ln()).sqrt(),
            )
            .unwrap()
        };
        for strike in [80.0, 95.0, 100.0, 105.0, 125.0] {
            let (ht, hk) = (1e-4, 0.05);
            let dt = (call(t + ht, strike) - call(t - ht, strike)) / (2.0 * ht);
            let dkk =
                (call(t, strike + hk) - 2.0 * call(t, strike) + call(t, strike - hk)) / (hk * hk);
            let fd = (2.0 * dt / (strike * strike * dkk)).sqrt();
            let lv = local_volatility(surface, t, (strike / f).ln()).unwrap();
            eprintln!(
                "local vol T {t} K {strike}: {lv:.10} vs FD Dupire {fd:.10} (rel {:.1e})",
                ((lv - fd) / fd).abs()
            );
            assert!((lv - fd).abs() < 1e-4 * fd, "K {strike}: {lv} vs FD {fd}");
        }
    }
}

#[test]
fn atm_rr_bf_match_mpmath() {
    // tools/gen_vol_reference.py: mpmath on QuantLib's SVI fit of the 27MAR26 BTC slice.
    let r = common::fixture("vol_reference.json");
    let s = &r["summary"];
    let p: Vec<f64> = s["svi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let smile = Svi::new(p[0], p[1], p[2], p[3], p[4]).unwrap();
    let got = smile_summary(&smile, s["expiry"].as_f64().unwrap()).unwrap();
    for (name, ours) in [
        ("atm_vol", got.atm_vol),
        ("rr25", got.rr25),
        ("bf25", got.bf25),
        ("k_call25", got.call25_log_moneyness),
        ("k_put25", got.put25_log_moneyness),
    ] {
        let want = s[name].as_f64().unwrap();
        assert!(
            (ours - want).abs() < 1e-12,
            "{name}: {ours} vs mpmath {want}"
        );
    }
}

#[test]
fn interpolated_smile_is_exact_monotone_and_positive() {
    let t = 0.25;
    let strikes = [60.0, 80.0, 90.0, 95.0, 100.0, 105.0, 110.0, 130.0, 160.0];
    let vols = [0.9, 0.62, 0.52, 0.49, 0.47, 0.465, 0.47, 0.55, 0.7];
    let q = SliceQuotes::from_strikes(t, 100.0, &strikes, &vols).unwrap();
    let s = InterpolatedSmile::from_quotes(&q).unwrap();
    for (k, v) in strikes.iter().zip(vols) {
        assert!((s.implied_vol(t, (k / 100.0_f64).ln()).unwrap() - v).abs() < 1e-15);
    }
    // Fritsch–Carlson: between two quotes w stays between their values (no overshoot).
    for w in q.quotes().windows(2) {
        let (a, b) = (w[0], w[1]);
        let (lo, hi) = (
            (a.volatility.min(b.volatility)).powi(2) * t,
            (a.volatility.max(b.volatility)).powi(2) * t,
        );
        for j in 1..20 {
            let k = a.log_moneyness + (b.log_moneyness - a.log_moneyness) * f64::from(j) / 20.0;
            let x = s.total_variance(k);
            assert!(
                x >= lo * (1.0 - 1e-14) && x <= hi * (1.0 + 1e-14),
                "{k}: {x} not in [{lo}, {hi}]"
            );
        }
    }
    // Wings: Lee-bounded slopes.
    let (l, r, ok) = derisk::vol::lee_wing_slopes(&s, 1e6).unwrap();
    assert!(ok && l <= 2.0 && r <= 2.0);
}

#[test]
fn black76_prices_off_a_calibrated_surface() {
    // The model's price equals the Black formula at the surface's vol for the contract.
    let surface = SliceSurface::<Svi>::calibrate(
        &[0.1, 0.5, 1.0].map(|t| {
            let s = svi_surface();
            let ks: Vec<f64> = (0..15).map(|i| -0.7 + 0.1 * f64::from(i)).collect();
            SliceQuotes::from_smile(&SurfaceSliceOwned(s, t), t, 100.0, &ks).unwrap()
        }),
        &CalibrationOptions::default(),
    )
    .unwrap();
    assert!(
        surface.diagnostics.rmse_vol_points < 1e-5,
        "{:?}",
        surface.diagnostics
    );
    let model = Black76::new(100.0, 0.0, &surface.model).unwrap();
    let option = EuropeanOption::put(90.0, 0.7).unwrap();
    let w = surface.model.total_variance(0.7, (0.9_f64).ln());
    let want = black(OptionKind::Put, 100.0, 90.0, w.sqrt()).unwrap();
    assert!((model.price(&option).unwrap() - want).abs() < 1e-12);
}

struct SurfaceSliceOwned(SliceSurface<Svi>, f64);
impl Smile for SurfaceSliceOwned {
    fn total_variance(&self, k: f64) -> f64 {
        self.0.total_variance(self.1, k)
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Svi>();
    check::<derisk::vol::SviJw>();
    check::<derisk::vol::Sabr>();
    check::<Ssvi>();
    check::<SsviPhi>();
    check::<SliceSurface<Svi>>();
    check::<InterpolatedSmile>();
    check::<SliceQuotes>();
    check::<derisk::vol::CalibrationError>();
    check::<derisk::vol::Calibrated<Svi>>();
    check::<derisk::vol::ButterflyReport>();
    check::<derisk::vol::SmileSummary>();
    check::<derisk::vol::SurfaceSlice<'static, Ssvi>>();
}

/// `SliceSurface<S>` calibrates for any smile that calibrates to one slice: here SABR slices
/// generated from known parameters (β = 0.5) are recovered exactly from their own vols.
#[test]
fn a_slice_surface_of_sabr_smiles_recovers_its_parameters() {
    use derisk::vol::{Calibrate, CalibrationOptions, Sabr, SliceQuotes, SliceSurface, VolQuote};
    let truth = [
        Sabr::new(90_000.0, 0.25, 13.0, 0.5, -0.3, 1.2).unwrap(),
        Sabr::new(92_000.0, 1.0, 12.0, 0.5, -0.2, 0.8).unwrap(),
    ];
    let terms = [(90_000.0, 0.25), (92_000.0, 1.0)];
    let slices: Vec<SliceQuotes> = truth
        .iter()
        .zip(terms)
        .map(|(s, (forward, expiry))| {
            let quotes = (-8..=8)
                .map(|i| {
                    let k = 0.05 * f64::from(i);
                    VolQuote {
                        log_moneyness: k,
                        volatility: s.volatility(forward * k.exp()).unwrap(),
                        weight: 1.0,
                    }
                })
                .collect();
            SliceQuotes::new(expiry, forward, quotes).unwrap()
        })
        .collect();
    let options = CalibrationOptions::default().with_sabr_beta(0.5);
    let fit = SliceSurface::<Sabr>::calibrate(&slices, &options).unwrap();
    assert!(
        fit.diagnostics.rmse_vol_points < 1e-6,
        "{:?}",
        fit.diagnostics
    );
    for (smile, s) in fit.model.smiles().iter().zip(&truth) {
        assert!(
            (smile.volatility(95_000.0).unwrap() - s.volatility(95_000.0).unwrap()).abs() < 1e-8
        );
    }
}
