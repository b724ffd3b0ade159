//! The volatility traits: a smile (one expiry) and a surface (all expiries).

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
/// assert!((Skew.implied_vol(0.0, 1.0) - 0.2).abs() < 1e-15);
/// ```
pub trait Smile {
    /// Total implied variance w(k) at log-moneyness k = ln(K/F).
    fn total_variance(&self, log_moneyness: f64) -> f64;

    /// Implied volatility σ = √(w(k)/T) for the smile's expiry T in years; 0 when T ≤ 0 or
    /// w(k) ≤ 0 (pricing at T = 0 is intrinsic and does not use it).
    fn implied_vol(&self, log_moneyness: f64, expiry: f64) -> f64 {
        vol_from_total_variance(self.total_variance(log_moneyness), expiry)
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

    /// Implied volatility σ = √(w(T, k)/T), decimal per √year; 0 when T ≤ 0 or w ≤ 0.
    fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> f64 {
        vol_from_total_variance(self.total_variance(expiry, log_moneyness), expiry)
    }
}

/// √(w/T), 0 where it is undefined or negative (NaN is passed through for the caller to reject).
#[inline]
fn vol_from_total_variance(w: f64, expiry: f64) -> f64 {
    if expiry > 0.0 && w > 0.0 {
        (w / expiry).sqrt()
    } else if w.is_nan() {
        w
    } else {
        0.0
    }
}

macro_rules! forward_vol_traits {
    ($($ptr:ty),*) => {$(
        impl<S: Smile + ?Sized> Smile for $ptr {
            #[inline]
            fn total_variance(&self, log_moneyness: f64) -> f64 {
                (**self).total_variance(log_moneyness)
            }
            #[inline]
            fn implied_vol(&self, log_moneyness: f64, expiry: f64) -> f64 {
                (**self).implied_vol(log_moneyness, expiry)
            }
        }
        impl<S: VolSurface + ?Sized> VolSurface for $ptr {
            #[inline]
            fn total_variance(&self, expiry: f64, log_moneyness: f64) -> f64 {
                (**self).total_variance(expiry, log_moneyness)
            }
            #[inline]
            fn implied_vol(&self, expiry: f64, log_moneyness: f64) -> f64 {
                (**self).implied_vol(expiry, log_moneyness)
            }
        }
    )*};
}

forward_vol_traits!(&S, Box<S>, Arc<S>);
