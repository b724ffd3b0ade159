//! A surface of calibrated smiles, interpolated linearly in total variance along time.

use super::calibration::{
    Calibrated, CalibrationError, CalibrationOptions, FitDiagnostics, SliceQuotes,
};
use super::traits::{Calibrate, Smile, VolSurface};
use crate::math::Termination;

/// Smiles at increasing expiries Tᵢ, joined linearly in total variance at constant k.
///
/// ```text
/// T₁ ≤ T ≤ Tₙ:  w(T, k) = wᵢ(k) + (T − Tᵢ)/(Tᵢ₊₁ − Tᵢ)·(wᵢ₊₁(k) − wᵢ(k)),  Tᵢ ≤ T ≤ Tᵢ₊₁
/// T < T₁:       w(T, k) = w₁(k)·T/T₁        (the first smile's implied vols)
/// T > Tₙ:       w(T, k) = wₙ(k)·T/Tₙ        (the last smile's implied vols)
/// ```
///
/// Linear interpolation in w keeps the surface free of calendar arbitrage between slices that
/// are (w non-decreasing in T at every k), and convex combinations of butterfly-free slices in
/// w are not guaranteed butterfly-free but are in practice for neighbouring SVI slices
/// (check with [`check_butterfly`](super::check_butterfly) on [`SurfaceSlice`](super::SurfaceSlice)).
/// In k, with [`SliceSurface::with_wings`], each smile is continued outside [k_min, k_max]
/// linearly in w with its edge slope clamped into Lee's bounds (0 ≤ slope ≤ 2 on the right,
/// −2 ≤ slope ≤ 0 on the left; R. Lee, Mathematical Finance 14, 2004).
///
/// ```
/// use derisk::vol::{SliceSurface, Svi, VolSurface};
/// let s = SliceSurface::new(vec![
///     (0.5, Svi::new(0.02, 0.1, -0.3, 0.0, 0.2)?),
///     (1.0, Svi::new(0.04, 0.1, -0.3, 0.0, 0.2)?),
/// ])?;
/// assert!((s.total_variance(0.75, 0.0) - 0.05).abs() < 1e-15);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "crate::vol::serde_data::SliceSurfaceData<S>",
        bound(deserialize = "S: Smile + serde::Deserialize<'de>")
    )
)]
pub struct SliceSurface<S> {
    expiries: Vec<f64>,
    smiles: Vec<S>,
    wings: Option<(f64, f64)>,
}

impl<S: Smile> SliceSurface<S> {
    /// A surface from (expiry in years, smile) pairs with strictly increasing expiries.
    ///
    /// # Errors
    ///
    /// [`CalibrationError::NonIncreasingExpiries`] if the expiries do not increase strictly,
    /// [`CalibrationError::InvalidInput`] for a non-positive expiry or no slices.
    ///
    /// ```
    /// use derisk::vol::{SliceSurface, Svi};
    /// let s = Svi::new(0.02, 0.1, -0.3, 0.0, 0.2)?;
    /// assert!(SliceSurface::new(vec![(1.0, s), (0.5, s)]).is_err());
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(slices: Vec<(f64, S)>) -> Result<Self, CalibrationError> {
        if slices.is_empty() {
            return Err(CalibrationError::NoSlices);
        }
        let mut previous = 0.0;
        for (index, (t, _)) in slices.iter().enumerate() {
            if !(t.is_finite() && *t > 0.0) {
                return Err(CalibrationError::InvalidInput {
                    name: "expiry",
                    value: *t,
                    requirement: "must be finite and positive",
                });
            }
            if index > 0 && *t <= previous {
                return Err(CalibrationError::NonIncreasingExpiries {
                    index,
                    previous,
                    expiry: *t,
                });
            }
            previous = *t;
        }
        let (expiries, smiles) = slices.into_iter().unzip();
        Ok(Self {
            expiries,
            smiles,
            wings: None,
        })
    }

    /// This surface with every smile continued linearly outside [k_min, k_max], slopes clamped
    /// into Lee's bounds.
    ///
    /// ```
    /// use derisk::vol::{SliceSurface, Svi, VolSurface};
    /// // Wings of slope b(1 + ρ) = 3 > 2 are clamped to 2 beyond k = 1.
    /// let s = SliceSurface::new(vec![(1.0, Svi::new(0.0, 2.0, 0.5, 0.0, 0.1)?)])?.with_wings(-1.0, 1.0);
    /// let w1 = s.total_variance(1.0, 1.0);
    /// assert!((s.total_variance(1.0, 2.0) - (w1 + 2.0)).abs() < 1e-12);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    #[must_use]
    pub fn with_wings(mut self, k_min: f64, k_max: f64) -> Self {
        self.wings = Some((k_min.min(k_max), k_max.max(k_min)));
        self
    }

    /// The expiries Tᵢ.
    #[must_use]
    pub fn expiries(&self) -> &[f64] {
        &self.expiries
    }

    /// The smiles, one per expiry.
    #[must_use]
    pub fn smiles(&self) -> &[S] {
        &self.smiles
    }

    /// [w, w', w''] of smile i at k, with the Lee-clamped linear wings.
    fn slice(&self, i: usize, k: f64) -> [f64; 3] {
        let s = &self.smiles[i];
        match self.wings {
            Some((lo, _)) if k < lo => {
                let [w, d, _] = s.total_variance_derivatives(lo);
                let d = d.clamp(-2.0, 0.0);
                [w + d * (k - lo), d, 0.0]
            }
            Some((_, hi)) if k > hi => {
                let [w, d, _] = s.total_variance_derivatives(hi);
                let d = d.clamp(0.0, 2.0);
                [w + d * (k - hi), d, 0.0]
            }
            _ => s.total_variance_derivatives(k),
        }
    }
}

impl<S: Smile> VolSurface for SliceSurface<S> {
    fn total_variance(&self, expiry: f64, log_moneyness: f64) -> f64 {
        self.total_variance_derivatives(expiry, log_moneyness)[0]
    }

    fn total_variance_derivatives(&self, expiry: f64, log_moneyness: f64) -> [f64; 4] {
        let ts = &self.expiries;
        let n = ts.len();
        let k = log_moneyness;
        if expiry.is_nan() || k.is_nan() {
            // NaN propagates (IEEE), never a panic.
            return [f64::NAN; 4];
        }
        if expiry <= ts[0] {
            let [w, d1, d2] = self.slice(0, k);
            let f = expiry.max(0.0) / ts[0];
            return [w * f, d1 * f, d2 * f, w / ts[0]];
        }
        if expiry >= ts[n - 1] {
            let [w, d1, d2] = self.slice(n - 1, k);
            let f = expiry / ts[n - 1];
            return [w * f, d1 * f, d2 * f, w / ts[n - 1]];
        }
        let i = ts.partition_point(|&t| t <= expiry) - 1;
        let u = (expiry - ts[i]) / (ts[i + 1] - ts[i]);
        let a = self.slice(i, k);
        let b = self.slice(i + 1, k);
        [
            a[0] + u * (b[0] - a[0]),
            a[1] + u * (b[1] - a[1]),
            a[2] + u * (b[2] - a[2]),
            (b[0] - a[0]) / (ts[i + 1] - ts[i]),
        ]
    }
}

/// Any smile that calibrates to one slice's quotes (SVI, SABR, a downstream model) makes a
/// surface that calibrates slice by slice.
impl<S: Smile + Calibrate<Quotes = SliceQuotes>> Calibrate for SliceSurface<S> {
    type Quotes = [SliceQuotes];

    /// One fit per slice (`S::calibrate`, e.g. [`Svi::calibrate`](crate::vol::Svi::calibrate)), wings from each slice's quoted range
    /// widened by half; the diagnostics pool every quote (RMSE over all, largest error, summed
    /// iterations, `MaxIterations` if any slice hit its limit).
    fn calibrate(
        quotes: &[SliceQuotes],
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let fits = quotes
            .iter()
            .map(|q| S::calibrate(q, options))
            .collect::<Result<Vec<_>, _>>()?;
        assemble(quotes, fits)
    }

    /// Each slice warm-started from the previous surface's smile at the same position.
    fn recalibrate(
        &self,
        quotes: &[SliceQuotes],
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let fits = quotes
            .iter()
            .enumerate()
            .map(|(i, q)| match self.smiles.get(i) {
                Some(s) => s.recalibrate(q, options),
                None => S::calibrate(q, options),
            })
            .collect::<Result<Vec<_>, _>>()?;
        assemble(quotes, fits)
    }
}

fn assemble<S: Smile>(
    quotes: &[SliceQuotes],
    fits: Vec<Calibrated<S>>,
) -> Result<Calibrated<SliceSurface<S>>, CalibrationError> {
    let mut sum = 0.0;
    let mut n = 0.0;
    let mut max = 0.0_f64;
    let mut iterations = 0_u32;
    let mut termination = Termination::Converged;
    let (mut k_lo, mut k_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (q, f) in quotes.iter().zip(&fits) {
        let m = q.quotes().len() as f64;
        sum += (f.diagnostics.rmse_vol_points.powi(2)) * m;
        n += m;
        max = max.max(f.diagnostics.max_error_vol_points);
        iterations = iterations.saturating_add(f.diagnostics.iterations);
        if termination == Termination::Converged {
            termination = f.diagnostics.termination;
        }
        if let (Some(a), Some(b)) = (q.quotes().first(), q.quotes().last()) {
            k_lo = k_lo.min(a.log_moneyness);
            k_hi = k_hi.max(b.log_moneyness);
        }
    }
    let span = 0.5 * (k_hi - k_lo).max(0.0);
    let surface = SliceSurface::new(
        quotes
            .iter()
            .map(SliceQuotes::expiry)
            .zip(fits.into_iter().map(|f| f.model))
            .collect(),
    )?
    .with_wings(k_lo - span, k_hi + span);
    Ok(Calibrated {
        model: surface,
        diagnostics: FitDiagnostics {
            rmse_vol_points: (sum / n.max(1.0)).sqrt(),
            max_error_vol_points: max,
            iterations,
            termination,
        },
    })
}
