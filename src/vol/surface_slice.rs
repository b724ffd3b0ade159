//! One expiry of a surface, seen as a smile.

use super::traits::{Smile, VolSurface};

/// One expiry of a surface, seen as a smile: w(k) = surface.w(T, k).
///
/// ```
/// use derisk::vol::{FlatVol, Smile, SurfaceSlice};
/// let flat = FlatVol::new(0.5)?;
/// let slice = SurfaceSlice { surface: &flat, expiry: 2.0 };
/// assert!((slice.total_variance(0.3) - 0.5).abs() < 1e-15);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SurfaceSlice<'a, V: ?Sized> {
    /// The surface.
    pub surface: &'a V,
    /// The expiry T in years.
    pub expiry: f64,
}

impl<V: VolSurface + ?Sized> Smile for SurfaceSlice<'_, V> {
    fn total_variance(&self, log_moneyness: f64) -> f64 {
        self.surface.total_variance(self.expiry, log_moneyness)
    }
    fn total_variance_derivatives(&self, log_moneyness: f64) -> [f64; 3] {
        let [w, d1, d2, _] = self
            .surface
            .total_variance_derivatives(self.expiry, log_moneyness);
        [w, d1, d2]
    }
}
