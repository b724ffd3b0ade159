//! The volatility traits: a smile (one expiry) and a surface (all expiries).

use super::error::VolError;
use std::sync::Arc;

/// One expiry's implied-volatility smile, as total implied variance in log-moneyness.
///
/// ```text
/// w(k) = σ_impl(k)²·T,   k = ln(K/F)   (dimensionless; T in years)
/// ```
///
/// Implement [`Smile::total_variance`]; [`Smile::implied_vol`] is provided.
///
/// ```
/// use derisk::vol::Smile;
/// struct Skew; // w(k) = 0.04 − 0.01·k, for illustration
/// impl Smile for Skew {
///     fn total_variance(&self, k: f64) -> f64 { 0.04 - 0.01 * k }
/// }
/// assert!((Skew.implied_vol(1.0, 0.0)? - 0.2).abs() < 1e-15);   // (expiry, log-moneyness)
/// assert!(Skew.implied_vol(1.0, 5.0).is_err());                   // w(5) = −0.01 < 0
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
pub trait Smile {
    /// Total implied variance w(k) at log-moneyness k = ln(K/F). A model may return w < 0
    /// where its formula breaks down (SABR); [`Smile::implied_vol`] rejects it.
    fn total_variance(&self, log_moneyness: f64) -> f64;

    /// Implied volatility σ = √(w(k)/T) at expiry T in years (the smile's own expiry) and
    /// log-moneyness k, by [`vol_from_total_variance`]. The arguments are in the order of
    /// [`VolSurface::implied_vol`]: (expiry, log-moneyness).
    ///
    /// # Errors
    ///
    /// [`VolError::NoImpliedVolatility`] where w(k) < 0, w or T is not finite, T < 0, or
    /// w > 0 at T = 0.
    fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> Result<f64, VolError> {
        vol_from_total_variance(self.total_variance(log_moneyness), expiry)
    }

    /// [w(k), ∂w/∂k, ∂²w/∂k²]: analytic where the model overrides it, otherwise central
    /// differences with step h = 10⁻⁴·max(1, |k|) (relative accuracy about 10⁻⁸).
    ///
    /// ```
    /// use derisk::vol::Smile;
    /// struct Parabola; // w(k) = 0.04 + 0.1·k²
    /// impl Smile for Parabola {
    ///     fn total_variance(&self, k: f64) -> f64 { 0.04 + 0.1 * k * k }
    /// }
    /// let [w, w1, w2] = Parabola.total_variance_derivatives(0.5);
    /// assert!((w - 0.065).abs() < 1e-15 && (w1 - 0.1).abs() < 1e-9 && (w2 - 0.2).abs() < 1e-6);
    /// ```
    fn total_variance_derivatives(&self, log_moneyness: f64) -> [f64; 3] {
        let k = log_moneyness;
        let h = 1e-4 * k.abs().max(1.0);
        let (lo, mid, hi) = (
            self.total_variance(k - h),
            self.total_variance(k),
            self.total_variance(k + h),
        );
        [mid, (hi - lo) / (2.0 * h), (hi - 2.0 * mid + lo) / (h * h)]
    }
}

/// An implied-volatility surface across expiries; dyn-compatible, so `&dyn VolSurface` and
/// `Box<dyn VolSurface>` price too.
///
/// ```text
/// w(T, k) = σ_impl(T, k)²·T,   k = ln(K/F(T)),   T in years
/// ```
///
/// Implement [`VolSurface::total_variance`]; [`VolSurface::implied_vol`] is provided.
///
/// ```
/// use derisk::vol::{FlatVol, VolSurface};
/// let v = FlatVol::new(0.6)?;
/// let surface: &dyn VolSurface = &v;
/// assert!((surface.total_variance(0.5, 0.1) - 0.18).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
pub trait VolSurface {
    /// Total implied variance w(T, k) at expiry T (years) and log-moneyness k = ln(K/F(T)).
    fn total_variance(&self, expiry: f64, log_moneyness: f64) -> f64;

    /// Implied volatility σ = √(w(T, k)/T), decimal per √year, by
    /// [`vol_from_total_variance`].
    ///
    /// # Errors
    ///
    /// [`VolError::NoImpliedVolatility`] where w(T, k) < 0, w or T is not finite, T < 0, or
    /// w > 0 at T = 0.
    fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> Result<f64, VolError> {
        vol_from_total_variance(self.total_variance(expiry, log_moneyness), expiry)
    }

    /// Whether w depends on the log-moneyness k. Pricers skip computing k = ln(K/F) (a
    /// logarithm per option) for surfaces that answer `false`; the default is `true`.
    ///
    /// ```
    /// use derisk::vol::{FlatVol, VolSurface};
    /// assert!(!FlatVol::new(0.5)?.varies_with_strike());
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    fn varies_with_strike(&self) -> bool {
        true
    }

    /// [w, ∂w/∂k, ∂²w/∂k², ∂w/∂T] at (T, k): analytic where the surface overrides it, otherwise
    /// central differences (steps 10⁻⁴·max(1, |k|) in k and min(10⁻⁵, T/4) in T; forward
    /// difference in T when T is that small).
    ///
    /// ```
    /// use derisk::vol::{FlatVol, VolSurface};
    /// let [w, wk, wkk, wt] = FlatVol::new(0.5)?.total_variance_derivatives(2.0, 0.1);
    /// assert!((w - 0.5).abs() < 1e-15 && wk.abs() < 1e-12 && wkk.abs() < 1e-6);
    /// assert!((wt - 0.25).abs() < 1e-9);
    /// # Ok::<(), derisk::vol::VolError>(())
    /// ```
    fn total_variance_derivatives(&self, expiry: f64, log_moneyness: f64) -> [f64; 4] {
        let (t, k) = (expiry, log_moneyness);
        let h = 1e-4 * k.abs().max(1.0);
        let (lo, mid, hi) = (
            self.total_variance(t, k - h),
            self.total_variance(t, k),
            self.total_variance(t, k + h),
        );
        let ht = (0.25 * t).min(1e-5);
        let wt = if ht > 0.0 {
            (self.total_variance(t + ht, k) - self.total_variance(t - ht, k)) / (2.0 * ht)
        } else {
            (self.total_variance(t + 1e-8, k) - mid) / 1e-8
        };
        [
            mid,
            (hi - lo) / (2.0 * h),
            (hi - 2.0 * mid + lo) / (h * h),
            wt,
        ]
    }
}

/// A model that can be fitted to quotes, cold or warm-started from a previous fit.
///
/// Smiles ([`Svi`](super::Svi), [`Sabr`](super::Sabr)) take one expiry's
/// [`SliceQuotes`](super::SliceQuotes); surfaces ([`Ssvi`](super::Ssvi)) take a slice of them.
///
/// ```
/// use derisk::vol::{Calibrate, CalibrationOptions, SliceQuotes, Svi};
/// let truth = Svi::new(0.02, 0.1, -0.3, 0.05, 0.2)?;
/// let ks: Vec<f64> = (0..11).map(|i| -0.5 + 0.1 * f64::from(i)).collect();
/// let quotes = SliceQuotes::from_smile(&truth, 1.0, 100.0, &ks)?;
/// let cold = Svi::calibrate(&quotes, &CalibrationOptions::default())?;
/// let warm = cold.model.recalibrate(&quotes, &CalibrationOptions::default())?;
/// assert!(warm.diagnostics.rmse_vol_points < 1e-6);
/// # Ok::<(), derisk::Error>(())
/// ```
pub trait Calibrate: Sized {
    /// What the model is fitted to.
    type Quotes: ?Sized;

    /// A cold fit: the model's own starting points and search.
    ///
    /// # Errors
    ///
    /// A [`CalibrationError`](super::CalibrationError) for too few or invalid quotes.
    fn calibrate(
        quotes: &Self::Quotes,
        options: &super::CalibrationOptions,
    ) -> Result<super::Calibrated<Self>, super::CalibrationError>;

    /// A warm fit started from `self` (the previous fit), for fast recalibration as quotes move.
    ///
    /// # Errors
    ///
    /// As [`Calibrate::calibrate`].
    fn recalibrate(
        &self,
        quotes: &Self::Quotes,
        options: &super::CalibrationOptions,
    ) -> Result<super::Calibrated<Self>, super::CalibrationError>;
}

/// The implied volatility of a total variance: σ = √(w/T), decimal per √year.
///
/// ```text
/// σ = √(w/T)   for w ≥ 0 finite, T > 0 finite;     σ = 0 for w = 0 at T = 0
/// ```
///
/// At T = 0 a total variance must be 0 (σ²·0), and σ is then undetermined; 0 is returned,
/// which is harmless because a price at T = 0 is the intrinsic value and does not use σ.
///
/// # Errors
///
/// [`VolError::NoImpliedVolatility`] for w < 0 (a model outside its domain: pricing at σ = 0
/// there would be a plausible wrong number), w or T NaN or infinite, T < 0, w > 0 at T = 0, or
/// w/T overflowing (w/T > f64::MAX).
///
/// ```
/// use derisk::vol::{vol_from_total_variance, VolError};
/// assert_eq!(vol_from_total_variance(0.09, 1.0)?, 0.3);
/// assert_eq!(vol_from_total_variance(0.0, 0.0)?, 0.0);
/// assert!(matches!(vol_from_total_variance(-0.01, 1.0), Err(VolError::NoImpliedVolatility { .. })));
/// assert!(vol_from_total_variance(0.01, 0.0).is_err());
/// # Ok::<(), VolError>(())
/// ```
#[inline]
pub fn vol_from_total_variance(total_variance: f64, expiry: f64) -> Result<f64, VolError> {
    let (w, t) = (total_variance, expiry);
    if w >= 0.0 && t > 0.0 && w < f64::INFINITY && t < f64::INFINITY {
        let sigma = (w / t).sqrt();
        if sigma < f64::INFINITY {
            return Ok(sigma);
        }
    }
    let reason = if w.is_nan() || w.is_infinite() {
        "the total variance must be finite"
    } else if w < 0.0 {
        "the total variance is negative"
    } else if !(0.0..f64::INFINITY).contains(&t) {
        "the expiry must be finite and non-negative"
    } else if w == 0.0 {
        // t == 0: zero variance at zero time, σ undetermined (see above).
        return Ok(0.0);
    } else if t > 0.0 {
        "w/T overflows: the volatility is infinite"
    } else {
        "a positive total variance at expiry 0 is an infinite volatility"
    };
    Err(VolError::NoImpliedVolatility {
        total_variance: w,
        expiry: t,
        reason,
    })
}

macro_rules! forward_vol_traits {
    ($($ptr:ty),*) => {$(
        impl<S: Smile + ?Sized> Smile for $ptr {
            #[inline]
            fn total_variance(&self, log_moneyness: f64) -> f64 {
                (**self).total_variance(log_moneyness)
            }
            #[inline]
            fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> Result<f64, VolError> {
                (**self).implied_vol(expiry, log_moneyness)
            }
            #[inline]
            fn total_variance_derivatives(&self, log_moneyness: f64) -> [f64; 3] {
                (**self).total_variance_derivatives(log_moneyness)
            }
        }
        impl<S: VolSurface + ?Sized> VolSurface for $ptr {
            #[inline]
            fn total_variance(&self, expiry: f64, log_moneyness: f64) -> f64 {
                (**self).total_variance(expiry, log_moneyness)
            }
            #[inline]
            fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> Result<f64, VolError> {
                (**self).implied_vol(expiry, log_moneyness)
            }
            #[inline]
            fn total_variance_derivatives(&self, expiry: f64, log_moneyness: f64) -> [f64; 4] {
                (**self).total_variance_derivatives(expiry, log_moneyness)
            }
            #[inline]
            fn varies_with_strike(&self) -> bool {
                (**self).varies_with_strike()
            }
        }
    )*};
}

forward_vol_traits!(&S, Box<S>, Arc<S>);
