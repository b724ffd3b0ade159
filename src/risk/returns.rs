//! Returns from prices, their aggregation over h periods, annualisation, rolling and EWMA
//! volatility. The maths is in docs/risk.md.

use super::error::RiskError;
use super::stats::{check_series, finite, sample_std, sum};
use crate::garch::{Ewma, FitError};

fn check_prices(prices: &[f64]) -> Result<(), RiskError> {
    check_series("price", prices, 2)?;
    match prices.iter().position(|&p| p < f64::MIN_POSITIVE) {
        Some(index) => Err(RiskError::NonPositivePrice {
            index,
            value: prices[index],
        }),
        None => Ok(()),
    }
}

fn check_out(name: &'static str, needed: usize, got: usize) -> Result<(), RiskError> {
    if needed == got {
        Ok(())
    } else {
        Err(RiskError::LengthMismatch {
            left_name: name,
            left: got,
            right_name: "expected",
            right: needed,
        })
    }
}

/// Log returns of a price series: one per consecutive pair, dimensionless.
///
/// ```text
/// r_t = ln(P_t / P_{t−1}),  t = 1 … n−1   (n prices → n − 1 returns)
/// ```
///
/// A gain is positive. Computed as ln of the ratio (accurate for small moves), or as
/// ln P_t − ln P_{t−1} where the ratio would overflow or underflow.
///
/// Reference: J. Y. Campbell, A. W. Lo and A. C. MacKinlay, *The Econometrics of Financial
/// Markets* (1997), §1.4.
///
/// # Errors
///
/// [`RiskError::TooShort`] for fewer than two prices, [`RiskError::NonFinite`] for NaN or ±∞,
/// [`RiskError::NonPositivePrice`] for a price ≤ 0 or subnormal.
///
/// ```
/// let r = derisk::risk::log_returns(&[100.0, 110.0, 99.0])?;
/// assert!((r[0] - 1.1_f64.ln()).abs() < 1e-16);
/// assert!((r[1] - 0.9_f64.ln()).abs() < 1e-16);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn log_returns(prices: &[f64]) -> Result<Vec<f64>, RiskError> {
    let mut out = vec![0.0; prices.len().saturating_sub(1)];
    log_returns_into(prices, &mut out)?;
    Ok(out)
}

/// [`log_returns`] into a caller's buffer of length `prices.len() − 1` (allocates nothing).
///
/// # Errors
///
/// As [`log_returns`], and [`RiskError::LengthMismatch`] for a buffer of the wrong length.
///
/// ```
/// let mut out = [0.0; 1];
/// derisk::risk::log_returns_into(&[1.0, std::f64::consts::E], &mut out)?;
/// assert!((out[0] - 1.0).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn log_returns_into(prices: &[f64], out: &mut [f64]) -> Result<(), RiskError> {
    check_prices(prices)?;
    check_out("returns buffer", prices.len() - 1, out.len())?;
    for (o, w) in out.iter_mut().zip(prices.windows(2)) {
        let ratio = w[1] / w[0];
        *o = if ratio.is_normal() {
            ratio.ln()
        } else {
            w[1].ln() - w[0].ln()
        };
    }
    Ok(())
}

/// Simple (arithmetic) returns of a price series, dimensionless.
///
/// ```text
/// R_t = P_t / P_{t−1} − 1,  t = 1 … n−1
/// ```
///
/// Reference: Campbell, Lo and MacKinlay (1997), §1.4.
///
/// # Errors
///
/// As [`log_returns`]; [`RiskError::Overflow`] if a ratio overflows (prices spanning > 1e308).
///
/// ```
/// let r = derisk::risk::simple_returns(&[100.0, 110.0, 99.0])?;
/// assert!((r[0] - 0.1).abs() < 1e-15 && (r[1] + 0.1).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn simple_returns(prices: &[f64]) -> Result<Vec<f64>, RiskError> {
    let mut out = vec![0.0; prices.len().saturating_sub(1)];
    simple_returns_into(prices, &mut out)?;
    Ok(out)
}

/// [`simple_returns`] into a caller's buffer of length `prices.len() − 1`.
///
/// # Errors
///
/// As [`simple_returns`], and [`RiskError::LengthMismatch`] for a buffer of the wrong length.
///
/// ```
/// let mut out = [0.0; 1];
/// derisk::risk::simple_returns_into(&[4.0, 5.0], &mut out)?;
/// assert_eq!(out[0], 0.25);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn simple_returns_into(prices: &[f64], out: &mut [f64]) -> Result<(), RiskError> {
    check_prices(prices)?;
    check_out("returns buffer", prices.len() - 1, out.len())?;
    for (o, w) in out.iter_mut().zip(prices.windows(2)) {
        *o = finite("simple return", w[1] / w[0] - 1.0)?;
    }
    Ok(())
}

/// How h-period returns are cut from a series of one-period returns.
///
/// ```
/// use derisk::risk::{aggregate_log_returns, Overlap};
/// let r = [0.1, 0.2, 0.3, 0.4, 0.5];
/// assert_eq!(aggregate_log_returns(&r, 2, Overlap::Overlapping)?.len(), 4);
/// assert_eq!(aggregate_log_returns(&r, 2, Overlap::NonOverlapping)?.len(), 2);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Overlap {
    /// Every window of h consecutive returns, stepping by one: n − h + 1 values, serially
    /// correlated by construction (h − 1 shared returns between neighbours).
    Overlapping,
    /// Consecutive blocks of h returns from the first one: ⌊n / h⌋ values, independent when the
    /// one-period returns are; the last n mod h returns (the most recent) are dropped.
    NonOverlapping,
}

fn windows(n: usize, h: usize, overlap: Overlap) -> Result<impl Iterator<Item = usize>, RiskError> {
    if h == 0 {
        return Err(RiskError::InvalidParameter {
            name: "horizon",
            value: 0.0,
            reason: "must be at least one period",
        });
    }
    if n < h {
        return Err(RiskError::TooShort {
            name: "returns",
            len: n,
            min: h,
        });
    }
    let (count, step) = match overlap {
        Overlap::Overlapping => (n - h + 1, 1),
        Overlap::NonOverlapping => (n / h, h),
    };
    Ok((0..count).map(move |i| i * step))
}

/// h-period log returns: sums of h consecutive one-period log returns.
///
/// ```text
/// r_t(h) = Σ_{i=0}^{h−1} r_{t+i}     (log returns add over time)
/// ```
///
/// Reference: Campbell, Lo and MacKinlay (1997), eq. (1.4.5).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for h = 0, [`RiskError::TooShort`] for fewer than h returns,
/// [`RiskError::NonFinite`] for NaN or ±∞ in `returns`; [`RiskError::Overflow`] if a sum does.
///
/// ```
/// use derisk::risk::{aggregate_log_returns, Overlap};
/// let r = [0.01, -0.02, 0.03, 0.04, 0.05];
/// let h = aggregate_log_returns(&r, 2, Overlap::NonOverlapping)?;
/// assert!((h[0] + 0.01).abs() < 1e-16 && (h[1] - 0.07).abs() < 1e-16);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn aggregate_log_returns(
    returns: &[f64],
    h: usize,
    overlap: Overlap,
) -> Result<Vec<f64>, RiskError> {
    check_series("returns", returns, 0)?;
    windows(returns.len(), h, overlap)?
        .map(|s| finite("aggregated return", sum(returns[s..s + h].iter().copied())))
        .collect()
}

/// h-period simple returns: compounded one-period simple returns.
///
/// ```text
/// R_t(h) = Π_{i=0}^{h−1} (1 + R_{t+i}) − 1 = expm1(Σ ln1p(R_{t+i}))
/// ```
///
/// Reference: Campbell, Lo and MacKinlay (1997), eq. (1.4.3).
///
/// # Errors
///
/// As [`aggregate_log_returns`]; [`RiskError::InvalidParameter`] for a return ≤ −1 (a price
/// that went to zero); [`RiskError::Overflow`] if the compounded return overflows.
///
/// ```
/// use derisk::risk::{aggregate_simple_returns, Overlap};
/// let h = aggregate_simple_returns(&[0.1, 0.1], 2, Overlap::Overlapping)?;
/// assert!((h[0] - 0.21).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn aggregate_simple_returns(
    returns: &[f64],
    h: usize,
    overlap: Overlap,
) -> Result<Vec<f64>, RiskError> {
    check_series("returns", returns, 0)?;
    if let Some(&value) = returns.iter().find(|&&r| r <= -1.0) {
        return Err(RiskError::InvalidParameter {
            name: "simple return",
            value,
            reason: "must be above -1",
        });
    }
    windows(returns.len(), h, overlap)?
        .map(|s| {
            finite(
                "compounded return",
                sum(returns[s..s + h].iter().map(|r| r.ln_1p())).exp_m1(),
            )
        })
        .collect()
}

/// Periods per year used to annualise; crypto trades every day, so 365 by default.
///
/// ```text
/// σ_year = σ_period · √P,   variance_year = variance_period · P,   μ_year = μ_period · P
/// ```
///
/// (square-root-of-time scaling: exact for i.i.d. returns, an approximation otherwise).
/// Reference: J. C. Hull, *Options, Futures and Other Derivatives*, 10th ed., §15.4.
///
/// ```
/// use derisk::risk::Annualisation;
/// let a = Annualisation::default();
/// assert_eq!(a.periods_per_year(), 365.0);
/// assert!((a.volatility(0.02)? - 0.02 * 365f64.sqrt()).abs() < 1e-16);
/// assert_eq!(Annualisation::new(252.0)?.variance(1e-4)?, 0.0252);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Annualisation {
    periods_per_year: f64,
}

impl Default for Annualisation {
    fn default() -> Self {
        Self::CRYPTO
    }
}

impl Annualisation {
    /// 365 periods a year: daily crypto returns (markets never close).
    pub const CRYPTO: Self = Self {
        periods_per_year: 365.0,
    };

    /// `periods_per_year` periods a year (252 for exchange-traded equities, 8,760 for hourly
    /// crypto returns).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] unless finite and > 0.
    ///
    /// ```
    /// assert!(derisk::risk::Annualisation::new(0.0).is_err());
    /// ```
    pub fn new(periods_per_year: f64) -> Result<Self, RiskError> {
        if periods_per_year.is_finite() && periods_per_year > 0.0 {
            Ok(Self { periods_per_year })
        } else {
            Err(RiskError::InvalidParameter {
                name: "periods per year",
                value: periods_per_year,
                reason: "must be finite and positive",
            })
        }
    }

    /// The number of periods a year.
    ///
    /// ```
    /// assert_eq!(derisk::risk::Annualisation::CRYPTO.periods_per_year(), 365.0);
    /// ```
    #[must_use]
    pub fn periods_per_year(&self) -> f64 {
        self.periods_per_year
    }

    /// σ·√P: a per-period volatility as a per-year one (decimal per √year).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for a negative or non-finite σ; [`RiskError::Overflow`].
    ///
    /// ```
    /// let v = derisk::risk::Annualisation::new(4.0)?.volatility(0.1)?;
    /// assert_eq!(v, 0.2);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn volatility(&self, sigma: f64) -> Result<f64, RiskError> {
        non_negative("volatility", sigma)?;
        finite("annual volatility", sigma * self.periods_per_year.sqrt())
    }

    /// variance·P: a per-period variance as a per-year one.
    ///
    /// # Errors
    ///
    /// As [`Annualisation::volatility`].
    ///
    /// ```
    /// assert_eq!(derisk::risk::Annualisation::new(4.0)?.variance(0.25)?, 1.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn variance(&self, variance: f64) -> Result<f64, RiskError> {
        non_negative("variance", variance)?;
        finite("annual variance", variance * self.periods_per_year)
    }

    /// μ·P: a mean per-period log return as a per-year one (signed, gain positive).
    ///
    /// # Errors
    ///
    /// [`RiskError::NonFinite`] for NaN or ±∞; [`RiskError::Overflow`].
    ///
    /// ```
    /// assert_eq!(derisk::risk::Annualisation::CRYPTO.mean(-0.001)?, -0.365);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn mean(&self, mean: f64) -> Result<f64, RiskError> {
        check_series("mean", &[mean], 1)?;
        finite("annual mean", mean * self.periods_per_year)
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and non-negative",
        })
    }
}

/// Rolling volatility: the sample standard deviation of each window of `window` returns.
///
/// ```text
/// σ_t = √( Σ_{i=t}^{t+w−1} (r_i − r̄_t)² / (w − 1) ),  t = 0 … n − w   (n − w + 1 values)
/// ```
///
/// Per period (annualise with [`Annualisation::volatility`]). Each window is summed afresh
/// (two passes, compensated): O(n·w), no drift from running updates.
/// Reference: Hull, *Options, Futures and Other Derivatives*, 10th ed., §15.4 (eq. 15.4).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for a window < 2, [`RiskError::TooShort`] for fewer returns
/// than the window, [`RiskError::NonFinite`]; [`RiskError::Overflow`] for returns near f64::MAX.
///
/// ```
/// let v = derisk::risk::rolling_volatility(&[1.0, -1.0, 1.0], 2)?;
/// assert_eq!(v, vec![2f64.sqrt(), 2f64.sqrt()]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn rolling_volatility(returns: &[f64], window: usize) -> Result<Vec<f64>, RiskError> {
    if window < 2 {
        return Err(RiskError::InvalidParameter {
            name: "window",
            value: window as f64,
            reason: "a standard deviation needs at least two returns",
        });
    }
    check_series("returns", returns, window)?;
    returns
        .windows(window)
        .map(|w| finite("rolling volatility", sample_std(w)))
        .collect()
}

/// EWMA (RiskMetrics) volatility: the square root of [`Ewma`]'s variance recursion.
///
/// ```text
/// σ²_{t+1} = λ σ²_t + (1 − λ) r_t²,   σ²_0 = backcast (0.94-weighted mean of the first 75 r², as `arch`)
/// ```
///
/// Returns n + 1 values: σ_t for t = 0 … n − 1 is known before r_t (use it to forecast r_t), and
/// the last is the forecast for the period after the sample. Per period; the mean is taken as
/// zero, as in RiskMetrics. This delegates to [`crate::garch::Ewma`] (one recursion in the crate).
/// Reference: J.P. Morgan/Reuters, *RiskMetrics — Technical Document*, 4th ed. (1996), §5.2.1.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for λ outside (0, 1), [`RiskError::TooShort`] for an empty
/// series, [`RiskError::NonFinite`]; [`RiskError::Overflow`] for returns near f64::MAX.
///
/// ```
/// let v = derisk::risk::ewma_volatility(&[0.02, 0.02], 0.94)?;
/// assert_eq!(v.len(), 3);
/// assert!(v.iter().all(|s| (s - 0.02).abs() < 1e-17)); // constant |r| keeps σ = |r|
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn ewma_volatility(returns: &[f64], lambda: f64) -> Result<Vec<f64>, RiskError> {
    check_series("returns", returns, 1)?;
    let ewma = Ewma::new(lambda).map_err(|_| RiskError::InvalidParameter {
        name: "lambda",
        value: lambda,
        reason: "the decay must lie strictly between 0 and 1",
    })?;
    let fit = ewma.fit(returns).map_err(|e| match e {
        FitError::NonFinite { index, value } => RiskError::NonFinite {
            name: "returns",
            index,
            value,
        },
        _ => RiskError::TooShort {
            name: "returns",
            len: returns.len(),
            min: 1,
        },
    })?;
    fit.variance
        .iter()
        .chain(std::iter::once(&fit.next))
        .map(|v| finite("ewma volatility", v.sqrt()))
        .collect()
}
