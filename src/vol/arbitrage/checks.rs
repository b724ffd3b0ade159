//! Static-arbitrage checks: butterfly (Durrleman's condition), calendar, and Lee's wing bound.

use super::butterfly_report::ButterflyReport;
use super::calendar_violation::CalendarViolation;
use super::interval::Interval;
use crate::math::{brent, RootOptions};
use crate::vol::error::{check, VolError};
use crate::vol::svi::durrleman;
use crate::vol::{Smile, VolSurface};

/// Durrleman's g of any smile (analytic derivatives where the smile provides them).
///
/// ```
/// use derisk::vol::{durrleman_g, Svi};
/// let s = Svi::new(0.04, 0.0, 0.0, 0.0, 0.1)?; // flat w = 0.04: g = 1 − k²·0 … = 1
/// assert!((durrleman_g(&s, 0.3) - 1.0).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[must_use]
pub fn durrleman_g<S: Smile + ?Sized>(smile: &S, log_moneyness: f64) -> f64 {
    durrleman(
        log_moneyness,
        smile.total_variance_derivatives(log_moneyness),
    )
}

/// True if g < 0 at any point of `grid`.
pub(crate) fn butterfly_violated_on<S: Smile + ?Sized>(smile: &S, grid: &[f64]) -> bool {
    grid.iter().any(|&k| {
        let g = durrleman_g(smile, k);
        g.is_nan() || g < 0.0
    })
}

/// The minimum of g over the range of `grid` (evenly spaced), local minima refined as in
/// [`check_butterfly`].
pub(crate) fn butterfly_min_g<S: Smile + ?Sized>(smile: &S, grid: &[f64]) -> f64 {
    match (grid.first(), grid.last()) {
        (Some(&lo), Some(&hi)) => {
            check_butterfly(smile, lo, hi, grid.len()).map_or(f64::NEG_INFINITY, |r| r.min_g)
        }
        _ => f64::INFINITY,
    }
}

/// Checks Durrleman's condition g(k) ≥ 0 on [k_min, k_max]: a grid of `points` (≥ 3) points,
/// every local minimum of the grid refined by golden-section search (the critical points of g),
/// and every sign change refined by Brent's method ([`brent`](crate::math::brent)) into the ends of
/// the violating intervals.
///
/// Reference: Gatheral–Jacquier, "Arbitrage-free SVI volatility surfaces" (2014), Lemma 2.2.
///
/// ```
/// use derisk::vol::{check_butterfly, Svi};
/// let vogt = Svi::new(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153)?;
/// let r = check_butterfly(&vogt, -1.5, 1.5, 3001)?;
/// assert_eq!(r.violations.len(), 1);
/// assert!(r.min_g < 0.0);
/// assert!(check_butterfly(&vogt, -1.5, 1.5, usize::MAX).is_err());
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
///
/// # Errors
///
/// [`VolError::InvalidParameter`] unless −700 ≤ k_min < k_max ≤ 700;
/// [`VolError::TooManyPoints`] for more than [`MAX_GRID_POINTS`] points (the grid is stored).
pub fn check_butterfly<S: Smile + ?Sized>(
    smile: &S,
    k_min: f64,
    k_max: f64,
    points: usize,
) -> Result<ButterflyReport, VolError> {
    // |k| ≤ 700: a strike F·eᵏ must be representable (ln f64::MAX ≈ 709.8).
    check(
        "k_min",
        k_min,
        k_min < k_max && k_min >= -700.0,
        "-700 <= k_min < k_max",
    )?;
    check("k_max", k_max, k_max <= 700.0, "k_max <= 700")?;
    if points > MAX_GRID_POINTS {
        return Err(VolError::TooManyPoints {
            points,
            max: MAX_GRID_POINTS,
        });
    }
    let n = points.max(3);
    let step = (k_max - k_min) / (n - 1) as f64;
    let g = |k: f64| {
        let v = durrleman_g(smile, k);
        if v.is_nan() {
            f64::NEG_INFINITY
        } else {
            v
        }
    };
    let ks: Vec<f64> = (0..n).map(|i| k_min + step * i as f64).collect();
    let gs: Vec<f64> = ks.iter().map(|&k| g(k)).collect();
    let mut min_g = f64::INFINITY;
    let mut argmin = k_min;
    for i in 0..n {
        let is_min = (i == 0 || gs[i] <= gs[i - 1]) && (i == n - 1 || gs[i] <= gs[i + 1]);
        if !is_min {
            continue;
        }
        let (mut lo, mut hi) = (ks[i.saturating_sub(1)], ks[(i + 1).min(n - 1)]);
        let phi = 0.618_033_988_749_894_9;
        for _ in 0..60 {
            let a = hi - phi * (hi - lo);
            let b = lo + phi * (hi - lo);
            if g(a) < g(b) {
                hi = b;
            } else {
                lo = a;
            }
        }
        let k = 0.5 * (lo + hi);
        let (v, k) = if g(k) < gs[i] {
            (g(k), k)
        } else {
            (gs[i], ks[i])
        };
        if v < min_g {
            min_g = v;
            argmin = k;
        }
    }
    // g(lo) and g(hi) differ in sign: the crate's root finder (Brent, bisection-safeguarded).
    let root = |lo: f64, hi: f64| brent(&g, lo, hi, &RootOptions::default()).x;
    let mut violations = Vec::new();
    let mut start: Option<f64> = if gs[0] < 0.0 { Some(k_min) } else { None };
    for i in 1..n {
        match (gs[i - 1] < 0.0, gs[i] < 0.0) {
            (false, true) => start = Some(root(ks[i - 1], ks[i])),
            (true, false) => {
                if let Some(s) = start.take() {
                    violations.push(Interval {
                        start: s,
                        end: root(ks[i - 1], ks[i]),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        violations.push(Interval {
            start: s,
            end: k_max,
        });
    }
    // A violation between grid points, caught only by the refined minimum.
    if violations.is_empty() && min_g < 0.0 {
        violations.push(Interval {
            start: argmin,
            end: argmin,
        });
    }
    Ok(ButterflyReport {
        min_g,
        argmin,
        violations,
    })
}

/// The largest grid [`check_butterfly`] accepts: 10⁷ points (two stored vectors of 80 MB).
pub const MAX_GRID_POINTS: usize = 10_000_000;

/// Checks that total variance does not decrease in T at every k of `log_moneyness`, between
/// consecutive `expiries` (which must be increasing): the absence of calendar-spread arbitrage
/// for options at constant k (Gatheral–Jacquier 2014, Lemma 2.1; with proportional dividends
/// or none, constant k is constant forward moneyness).
///
/// ```
/// use derisk::vol::{check_calendar, FlatVol};
/// let v = check_calendar(&FlatVol::new(0.5)?, &[0.25, 0.5, 1.0], &[-0.5, 0.0, 0.5])?;
/// assert!(v.is_empty());
/// assert!(check_calendar(&FlatVol::new(0.5)?, &[1.0, 0.5], &[0.0]).is_err());
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
///
/// # Errors
///
/// [`VolError::InvalidParameter`] for an expiry that is not finite, positive and above the
/// previous one, or a log-moneyness that is not finite. A total variance that is NaN on
/// either side counts as a violation (it cannot be shown not to decrease).
pub fn check_calendar<V: VolSurface + ?Sized>(
    surface: &V,
    expiries: &[f64],
    log_moneyness: &[f64],
) -> Result<Vec<CalendarViolation>, VolError> {
    let mut previous = 0.0;
    for &t in expiries {
        check("expiry", t, t > previous, "finite, positive and increasing")?;
        previous = t;
    }
    for &k in log_moneyness {
        check("log_moneyness", k, true, "finite")?;
    }
    let mut out = Vec::new();
    for pair in expiries.windows(2) {
        for &k in log_moneyness {
            let (w0, w1) = (
                surface.total_variance(pair[0], k),
                surface.total_variance(pair[1], k),
            );
            if w1.is_nan() || w0.is_nan() || w1 < w0 - 1e-14 * w0.abs() {
                out.push(CalendarViolation {
                    log_moneyness: k,
                    earlier: pair[0],
                    later: pair[1],
                    w_earlier: w0,
                    w_later: w1,
                });
            }
        }
    }
    Ok(out)
}

/// Lee's moment formula: the wing slopes of total variance, w(k)/|k| at k = ±`far`, must not
/// exceed 2 (R. Lee, "The moment formula for implied volatility at extreme strikes",
/// Mathematical Finance 14, 2004).
///
/// ```text
/// β_R = limsup_{k→+∞} w(k)/k ≤ 2,   β_L = limsup_{k→−∞} w(k)/|k| ≤ 2
/// ```
///
/// Returns (β_L, β_R) measured at |k| = far, and whether both are ≤ 2 (false if either is
/// NaN).
///
/// # Errors
///
/// [`VolError::InvalidParameter`] unless `far` is finite and positive.
///
/// ```
/// use derisk::vol::{lee_wing_slopes, Svi};
/// // SVI's wings are b(1 ∓ ρ): 0.5·0.7 on the left and 0.5·1.3 on the right, plus a/|k|.
/// let (l, r, ok) = lee_wing_slopes(&Svi::new(0.0, 0.5, 0.3, 0.0, 0.1)?, 1e6)?;
/// assert!((l - 0.35).abs() < 1e-6 && (r - 0.65).abs() < 1e-6 && ok);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
pub fn lee_wing_slopes<S: Smile + ?Sized>(
    smile: &S,
    far: f64,
) -> Result<(f64, f64, bool), VolError> {
    let far = check("far", far, far > 0.0, "finite and positive")?;
    let left = smile.total_variance(-far) / far;
    let right = smile.total_variance(far) / far;
    Ok((left, right, left <= 2.0 && right <= 2.0))
}
