//! A non-parametric smile: monotone cubic interpolation of total variance.

use super::calibration::{CalibrationError, SliceQuotes};
use super::traits::Smile;

/// Total variance interpolated through quoted points with a monotone cubic Hermite spline
/// (F. N. Fritsch and R. E. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer.
/// Anal. 17, 1980), for users who want no model.
///
/// ```text
/// on [kᵢ, kᵢ₊₁]: cubic Hermite through (kᵢ, wᵢ), (kᵢ₊₁, wᵢ₊₁) with slopes dᵢ, dᵢ₊₁ chosen so
/// that w is monotone wherever the data are, hence never overshoots below min(wᵢ, wᵢ₊₁) > 0
/// beyond the ends: linear, slope clamped to Lee's bounds (left in [−2, 0], right in [0, 2])
/// ```
///
/// It is exact at the quotes, C¹, and positive; it is not guaranteed free of butterfly
/// arbitrage (check with [`check_butterfly`](super::check_butterfly)).
///
/// ```
/// use derisk::vol::{InterpolatedSmile, Smile};
/// let s = InterpolatedSmile::new(&[-0.2, 0.0, 0.2], &[0.05, 0.04, 0.045])?;
/// assert_eq!(s.total_variance(0.0), 0.04);
/// assert!(s.total_variance(0.1) > 0.04 && s.total_variance(0.1) < 0.045);
/// # Ok::<(), derisk::vol::CalibrationError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "crate::vol::serde_data::InterpolatedSmileData")
)]
pub struct InterpolatedSmile {
    ks: Vec<f64>,
    ws: Vec<f64>,
    slopes: Vec<f64>,
}

impl InterpolatedSmile {
    /// Interpolates total variances `w` at strictly increasing log-moneyness `k`.
    ///
    /// # Errors
    ///
    /// [`CalibrationError::TooFewQuotes`] with fewer than 2 points;
    /// [`CalibrationError::InvalidInput`] for non-finite or non-increasing k or a w that is not
    /// finite and positive; [`CalibrationError::LengthMismatch`] for slices of different
    /// lengths.
    ///
    /// ```
    /// use derisk::vol::InterpolatedSmile;
    /// assert!(InterpolatedSmile::new(&[0.0, 0.0], &[0.04, 0.05]).is_err());
    /// ```
    pub fn new(log_moneyness: &[f64], total_variance: &[f64]) -> Result<Self, CalibrationError> {
        let n = log_moneyness.len();
        if n != total_variance.len() {
            return Err(CalibrationError::LengthMismatch {
                name: "total variances",
                found: total_variance.len(),
                expected: n,
                per: "log-moneyness",
            });
        }
        if n < 2 {
            return Err(CalibrationError::TooFewQuotes {
                quotes: n,
                parameters: 2,
            });
        }
        for i in 0..n {
            let (k, w) = (log_moneyness[i], total_variance[i]);
            if !k.is_finite() || (i > 0 && k <= log_moneyness[i - 1]) {
                return Err(CalibrationError::InvalidInput {
                    name: "log-moneyness",
                    value: k,
                    requirement: "must be finite and above the previous log-moneyness",
                });
            }
            if !(w.is_finite() && w > 0.0) {
                return Err(CalibrationError::InvalidInput {
                    name: "total variance",
                    value: w,
                    requirement: "must be finite and positive",
                });
            }
        }
        let (ks, ws) = (log_moneyness.to_vec(), total_variance.to_vec());
        let secant: Vec<f64> = (0..n - 1)
            .map(|i| (ws[i + 1] - ws[i]) / (ks[i + 1] - ks[i]))
            .collect();
        let mut slopes = vec![0.0; n];
        slopes[0] = secant[0];
        slopes[n - 1] = secant[n - 2];
        for i in 1..n - 1 {
            slopes[i] = if secant[i - 1] * secant[i] <= 0.0 {
                0.0
            } else {
                // Fritsch–Butland weighted harmonic mean: monotone and bounded by 3·min secant.
                let (h0, h1) = (ks[i] - ks[i - 1], ks[i + 1] - ks[i]);
                let (w0, w1) = (2.0 * h1 + h0, h1 + 2.0 * h0);
                (w0 + w1) / (w0 / secant[i - 1] + w1 / secant[i])
            };
        }
        Ok(Self { ks, ws, slopes })
    }

    /// Interpolates a slice's quotes (w = σ²T at each quoted k).
    ///
    /// # Errors
    ///
    /// As [`InterpolatedSmile::new`] (for example two quotes at the same k).
    ///
    /// ```
    /// use derisk::vol::{InterpolatedSmile, SliceQuotes, Smile};
    /// let q = SliceQuotes::from_strikes(1.0, 100.0, &[90.0, 100.0, 110.0], &[0.3, 0.25, 0.27])?;
    /// let s = InterpolatedSmile::from_quotes(&q)?;
    /// assert!((s.implied_vol(1.0, 0.0)? - 0.25).abs() < 1e-15); // (expiry, log-moneyness)
    /// # Ok::<(), derisk::vol::CalibrationError>(())
    /// ```
    pub fn from_quotes(quotes: &SliceQuotes) -> Result<Self, CalibrationError> {
        let t = quotes.expiry();
        let ks: Vec<f64> = quotes.quotes().iter().map(|q| q.log_moneyness).collect();
        let ws: Vec<f64> = quotes
            .quotes()
            .iter()
            .map(|q| q.volatility * q.volatility * t)
            .collect();
        Self::new(&ks, &ws)
    }
}

impl Smile for InterpolatedSmile {
    fn total_variance(&self, log_moneyness: f64) -> f64 {
        self.total_variance_derivatives(log_moneyness)[0]
    }

    fn total_variance_derivatives(&self, log_moneyness: f64) -> [f64; 3] {
        let (ks, ws, d) = (&self.ks, &self.ws, &self.slopes);
        let n = ks.len();
        let k = log_moneyness;
        if k.is_nan() {
            return [f64::NAN; 3];
        }
        if k <= ks[0] {
            let s = d[0].clamp(-2.0, 0.0);
            return [ws[0] + s * (k - ks[0]), s, 0.0];
        }
        if k >= ks[n - 1] {
            let s = d[n - 1].clamp(0.0, 2.0);
            return [ws[n - 1] + s * (k - ks[n - 1]), s, 0.0];
        }
        let i = ks.partition_point(|&x| x <= k) - 1;
        let h = ks[i + 1] - ks[i];
        let t = (k - ks[i]) / h;
        let (t2, t3) = (t * t, t * t * t);
        let (h00, h10, h01, h11) = (
            2.0 * t3 - 3.0 * t2 + 1.0,
            t3 - 2.0 * t2 + t,
            -2.0 * t3 + 3.0 * t2,
            t3 - t2,
        );
        let w = h00 * ws[i] + h10 * h * d[i] + h01 * ws[i + 1] + h11 * h * d[i + 1];
        let (g00, g10, g01, g11) = (
            6.0 * t2 - 6.0 * t,
            3.0 * t2 - 4.0 * t + 1.0,
            -6.0 * t2 + 6.0 * t,
            3.0 * t2 - 2.0 * t,
        );
        let w1 = (g00 * ws[i] + g01 * ws[i + 1]) / h + g10 * d[i] + g11 * d[i + 1];
        let (s00, s10, s01, s11) = (
            12.0 * t - 6.0,
            6.0 * t - 4.0,
            -12.0 * t + 6.0,
            6.0 * t - 2.0,
        );
        let w2 = (s00 * ws[i] + s01 * ws[i + 1]) / (h * h) + (s10 * d[i] + s11 * d[i + 1]) / h;
        [w, w1, w2]
    }
}
