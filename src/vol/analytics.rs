//! What a desk reads off a surface: local volatility, the risk-neutral density, and per expiry
//! the ATM volatility, 25-delta risk reversal and butterfly.

use super::svi::durrleman;
use super::traits::{Smile, VolSurface};
use crate::math::{brent, norm_cdf, norm_pdf, RootOptions};

/// Dupire's local volatility in total-variance form (J. Gatheral, "The Volatility Surface",
/// Wiley 2006, eq. 1.10), per √year; `None` where the local variance is not positive and finite
/// (calendar arbitrage makes ∂w/∂T < 0, butterfly arbitrage makes the denominator, g(k), ≤ 0).
///
/// ```text
/// σ_loc²(T, k) = (∂w/∂T) / (1 − (k/w)·w' + ¼(−¼ − 1/w + k²/w²)·w'² + ½w''),   k = ln(K/F(T))
/// ```
///
/// ```
/// use derisk::vol::{local_volatility, FlatVol};
/// // A flat surface has local vol equal to its implied vol.
/// let lv = local_volatility(&FlatVol::new(0.4)?, 1.0, 0.2).unwrap();
/// assert!((lv - 0.4).abs() < 1e-6);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[must_use]
pub fn local_volatility<V: VolSurface + ?Sized>(
    surface: &V,
    expiry: f64,
    log_moneyness: f64,
) -> Option<f64> {
    let k = log_moneyness;
    let [w, d1, d2, wt] = surface.total_variance_derivatives(expiry, k);
    let denominator = durrleman(k, [w, d1, d2]);
    let v = wt / denominator;
    (v.is_finite() && v > 0.0 && denominator > 0.0).then(|| v.sqrt())
}

/// The risk-neutral density of S_T at strike K on forward F (per unit of K): the second strike
/// derivative of the undiscounted call price (Breeden–Litzenberger), in total-variance form
/// (Gatheral–Jacquier 2014, eq. 2.2).
///
/// ```text
/// p(K) = ∂²C/∂K² = g(k)·φ(d₂)/(K·√w(k)),   d₂ = −k/√w − √w/2,   k = ln(K/F)
/// ```
///
/// Negative where the smile has butterfly arbitrage (g < 0); 0 where w ≤ 0 or K ≤ 0.
///
/// ```
/// use derisk::vol::{risk_neutral_density, FlatVol};
/// // Lognormal: p(F) = φ(−s/2)/(F·s) with s = σ√T.
/// let p = risk_neutral_density(&FlatVol::new(0.5)?, 1.0, 100.0, 100.0);
/// let s = 0.5_f64;
/// let want = (-(s * s / 8.0)).exp() / (2.0 * std::f64::consts::PI).sqrt() / (100.0 * s);
/// assert!((p - want).abs() < 1e-9 * want);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[must_use]
pub fn risk_neutral_density<V: VolSurface + ?Sized>(
    surface: &V,
    expiry: f64,
    forward: f64,
    strike: f64,
) -> f64 {
    if !(strike > 0.0 && forward > 0.0) {
        return 0.0;
    }
    let k = (strike / forward).ln();
    let [w, d1, d2, _] = surface.total_variance_derivatives(expiry, k);
    if w.is_nan() || w <= 0.0 {
        return 0.0;
    }
    let s = w.sqrt();
    let g = durrleman(k, [w, d1, d2]);
    g * norm_pdf(-k / s - 0.5 * s) / (strike * s)
}

/// How a crypto desk reads one expiry: ATM volatility, 25-delta risk reversal and butterfly,
/// all as decimals per √year.
///
/// ```text
/// ATM = σ(k = 0)  (at the forward)
/// RR25 = σ(k_c) − σ(k_p),   BF25 = (σ(k_c) + σ(k_p))/2 − ATM
/// Φ(d₁(k_c)) = 0.25,  Φ(d₁(k_p)) = 0.75,   d₁(k) = (−k + w(k)/2)/√w(k)
/// ```
///
/// Deltas are Black forward deltas without premium adjustment (the 25-delta put has
/// Φ(d₁) − 1 = −0.25), the convention of Deribit's and most crypto volatility indices' quotes.
///
/// ```
/// let s = derisk::vol::SmileSummary { atm_vol: 0.5, rr25: -0.02, bf25: 0.01,
///                                     call25_log_moneyness: 0.2, put25_log_moneyness: -0.2 };
/// assert!(s.rr25 < 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SmileSummary {
    /// σ at k = 0.
    pub atm_vol: f64,
    /// 25-delta risk reversal σ_call − σ_put.
    pub rr25: f64,
    /// 25-delta butterfly (σ_call + σ_put)/2 − σ_ATM.
    pub bf25: f64,
    /// Log-moneyness of the 25-delta call.
    pub call25_log_moneyness: f64,
    /// Log-moneyness of the 25-delta put.
    pub put25_log_moneyness: f64,
}

/// ATM vol, 25-delta risk reversal and butterfly of a smile at expiry T > 0; `None` if the
/// smile has no positive variance at the money or a 25-delta strike cannot be bracketed.
///
/// ```
/// use derisk::vol::{smile_summary, Svi};
/// // A flat smile: RR = BF = 0, ATM = 0.2 (w = 0.04, T = 1).
/// let s = smile_summary(&Svi::new(0.04, 0.0, 0.0, 0.0, 0.1)?, 1.0).unwrap();
/// assert!((s.atm_vol - 0.2).abs() < 1e-15 && s.rr25.abs() < 1e-12 && s.bf25.abs() < 1e-12);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[must_use]
pub fn smile_summary<S: Smile + ?Sized>(smile: &S, expiry: f64) -> Option<SmileSummary> {
    let w0 = smile.total_variance(0.0);
    if !(w0 > 0.0 && expiry > 0.0) {
        return None;
    }
    let delta = |k: f64| {
        let w = smile.total_variance(k).max(1e-300);
        norm_cdf((-k + 0.5 * w) / w.sqrt())
    };
    // Φ(d₁) decreases in k for arbitrage-free smiles: the crate's root finder on a wide bracket.
    let solve = |target: f64| {
        let s = w0.sqrt();
        let (lo, hi) = (-12.0 * s - 1.0, 12.0 * s + 1.0);
        if !(delta(lo) > target && delta(hi) < target) {
            return None;
        }
        let root = brent(|k| delta(k) - target, lo, hi, &RootOptions::default());
        root.termination.is_converged().then_some(root.x)
    };
    let kc = solve(0.25)?;
    let kp = solve(0.75)?;
    let atm = smile.implied_vol(expiry, 0.0).ok()?;
    let (vc, vp) = (
        smile.implied_vol(expiry, kc).ok()?,
        smile.implied_vol(expiry, kp).ok()?,
    );
    Some(SmileSummary {
        atm_vol: atm,
        rr25: vc - vp,
        bf25: 0.5 * (vc + vp) - atm,
        call25_log_moneyness: kc,
        put25_log_moneyness: kp,
    })
}
