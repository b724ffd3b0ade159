//! The quantile (tick) loss of VaR forecasts, and a Diebold–Mariano comparison of two forecast
//! series by it.

use crate::math::norm_cdf;
use crate::risk::error::RiskError;
use crate::risk::stats::{check_confidence, check_series, finite, Neumaier};

fn check_pair(forecasts: &[f64], realised: &[f64]) -> Result<(), RiskError> {
    if forecasts.len() != realised.len() {
        return Err(RiskError::LengthMismatch {
            left_name: "forecasts",
            left: forecasts.len(),
            right_name: "realised",
            right: realised.len(),
        });
    }
    check_series("forecasts", forecasts, 1)?;
    check_series("realised", realised, 1)
}

/// The tick loss of one day: VaR forecast `var` (a loss, positive) against P&L `pnl` (gain
/// positive), tail probability a = 1 − α.
#[inline]
fn tick(var: f64, pnl: f64, a: f64) -> f64 {
    // The P&L quantile forecast is q = −VaR; ρ_a(u) = (a − 1{u < 0})·u with u = y − q.
    let u = pnl + var;
    if -pnl > var {
        (a - 1.0) * u
    } else {
        a * u
    }
}

/// Mean quantile (tick, pinball) loss of VaR forecasts: the consistent scoring function of the
/// (1 − α)-quantile of the P&L, lower is better.
///
/// ```text
/// q_t = −VaR_t   (the P&L quantile forecast),   a = 1 − α
/// loss = (1/n) Σ_t (a − 1{y_t < q_t}) (y_t − q_t) ≥ 0
/// ```
///
/// `forecasts[t]` is VaR_t (a loss, positive), `realised[t]` the P&L y_t (gain positive): a day
/// is in the tail exactly when it is an exception (−y_t > VaR_t, strictly). Each term is ≥ 0
/// and the sum is compensated. Reference: R. Koenker and G. Bassett, "Regression quantiles",
/// *Econometrica* 46 (1978); T. Gneiting, "Making and evaluating point forecasts", *JASA* 106
/// (2011), Theorem 9.
///
/// # Errors
///
/// [`RiskError::LengthMismatch`], [`RiskError::TooShort`] (empty), [`RiskError::NonFinite`],
/// [`RiskError::InvalidConfidence`]; [`RiskError::Overflow`] for values near f64::MAX.
///
/// ```
/// // VaR 1 at 99 %: a loss of 3 costs (1 − 0.01)·2, a gain of 1 costs 0.01·2.
/// let l = derisk::risk::tick_loss(&[1.0, 1.0], &[-3.0, 1.0], 0.99)?;
/// assert!((l - (0.99 * 2.0 + (1.0 - 0.99) * 2.0) / 2.0).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn tick_loss(forecasts: &[f64], realised: &[f64], confidence: f64) -> Result<f64, RiskError> {
    let a = 1.0 - check_confidence(confidence)?;
    check_pair(forecasts, realised)?;
    let mut acc = Neumaier::default();
    for (&v, &y) in forecasts.iter().zip(realised) {
        acc.add(tick(v, y, a));
    }
    finite("tick loss", acc.value() / forecasts.len() as f64)
}

/// The comparison of two VaR forecast series by their tick losses.
///
/// ```
/// use derisk::risk::compare_tick_loss;
/// let c = compare_tick_loss(&[1.0, 2.0, 1.0], &[2.0, 2.0, 2.0], &[-1.5, 0.5, 0.2], 0.9, 0)?;
/// assert!((c.mean_difference - (c.loss_first - c.loss_second)).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TickLossComparison {
    /// Mean tick loss of the first series.
    pub loss_first: f64,
    /// Mean tick loss of the second series.
    pub loss_second: f64,
    /// d̄ = mean of d_t = loss_first,t − loss_second,t (negative: the first is better).
    pub mean_difference: f64,
    /// The Diebold–Mariano statistic d̄ / √(V̂/n), asymptotically N(0, 1) under equal accuracy.
    pub statistic: f64,
    /// Its two-sided p-value 2·Φ(−|DM|).
    pub p_value: f64,
    /// Newey–West lags used in the long-run variance V̂.
    pub lags: usize,
}

/// Compares two VaR forecast series against the same P&L by their tick losses, with a
/// Diebold–Mariano test of equal accuracy.
///
/// ```text
/// d_t = ρ_a(y_t + VaR1_t) − ρ_a(y_t + VaR2_t),   d̄ = (1/n) Σ d_t
/// γ_k = (1/n) Σ_{t>k} (d_t − d̄)(d_{t−k} − d̄),   V̂ = γ_0 + 2 Σ_{k=1}^{L} (1 − k/(L+1)) γ_k
/// DM = d̄ / √(V̂/n),   p = 2 Φ(−|DM|)
/// ```
///
/// L = `lags` (0 for one-day forecasts; h − 1 for h-day overlapping ones). Reference:
/// F. X. Diebold and R. S. Mariano, "Comparing predictive accuracy", *J. Business & Economic
/// Statistics* 13 (1995); W. K. Newey and K. D. West, *Econometrica* 55 (1987) (Bartlett
/// weights).
///
/// # Errors
///
/// As [`tick_loss`] (for both series, `forecasts_second` reported as "forecasts");
/// [`RiskError::TooShort`] for fewer than 2 days or lags ≥ n; [`RiskError::Undefined`] when
/// V̂ ≤ 0 (identical losses every day, or a Bartlett sum that is not positive).
///
/// ```
/// use derisk::risk::compare_tick_loss;
/// let y = [-1.5, 0.5, 0.2, -0.3];
/// let c = compare_tick_loss(&[1.0, 2.0, 1.0, 0.5], &[2.0, 2.0, 2.0, 2.0], &y, 0.9, 0)?;
/// assert!((c.statistic - 0.346_988_959_179_744_3).abs() < 1e-12); // numpy, tools/gen_backtest_reference.py
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn compare_tick_loss(
    forecasts_first: &[f64],
    forecasts_second: &[f64],
    realised: &[f64],
    confidence: f64,
    lags: usize,
) -> Result<TickLossComparison, RiskError> {
    let a = 1.0 - check_confidence(confidence)?;
    check_pair(forecasts_first, realised)?;
    check_pair(forecasts_second, realised)?;
    let n = realised.len();
    if n < 2 || lags >= n {
        return Err(RiskError::TooShort {
            name: "realised",
            len: n,
            min: (lags + 1).max(2),
        });
    }
    let nf = n as f64;
    let d = |t: usize| {
        tick(forecasts_first[t], realised[t], a) - tick(forecasts_second[t], realised[t], a)
    };
    let (mut first, mut second, mut diff) = (
        Neumaier::default(),
        Neumaier::default(),
        Neumaier::default(),
    );
    for t in 0..n {
        first.add(tick(forecasts_first[t], realised[t], a));
        second.add(tick(forecasts_second[t], realised[t], a));
        diff.add(d(t));
    }
    let mean = diff.value() / nf;
    let mut long_run = Neumaier::default();
    for k in 0..=lags {
        let mut g = Neumaier::default();
        for t in k..n {
            g.add((d(t) - mean) * (d(t - k) - mean));
        }
        let weight = if k == 0 {
            1.0
        } else {
            2.0 * (1.0 - k as f64 / (lags as f64 + 1.0))
        };
        long_run.add(weight * g.value() / nf);
    }
    let v = long_run.value();
    if v.is_nan() || v <= 0.0 {
        return Err(RiskError::Undefined {
            statistic: "diebold-mariano statistic",
            reason: "the long-run variance of the loss differences is not positive",
        });
    }
    let statistic = finite("diebold-mariano statistic", mean / (v / nf).sqrt())?;
    Ok(TickLossComparison {
        loss_first: finite("tick loss", first.value() / nf)?,
        loss_second: finite("tick loss", second.value() / nf)?,
        mean_difference: finite("tick loss difference", mean)?,
        statistic,
        p_value: (2.0 * norm_cdf(-statistic.abs())).min(1.0),
        lags,
    })
}
