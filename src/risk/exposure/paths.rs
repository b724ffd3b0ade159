//! Simulated values of a netting set on a time grid: the validated input of every exposure
//! measure.

use crate::risk::error::RiskError;
use crate::risk::stats::check_series;

/// Simulated values V_p(t_k) of a netting set (or one trade) on a time grid, stored path
/// by path in one flat vector (`values[path * dates + date]`).
///
/// ```text
/// V_p(t_k): value to us at t_k on path p, in the netting set's currency (gain positive)
/// times:    t_0 < t_1 < … < t_{K−1}, years from today, t_0 ≥ 0 (t_0 = 0 is "today")
/// ```
///
/// The library never simulates: the caller's generator (or `Book` revaluation, see
/// [`crate::risk::exposure::revalue_netting_set`]) supplies the values. Reference: J. Gregory,
/// *The xVA Challenge*, 4th ed. (Wiley, 2020), ch. 11 (exposure simulation).
///
/// ```
/// use derisk::risk::exposure::ValuePaths;
/// let v = ValuePaths::new(vec![1.0, 2.0, -1.0, 0.5], 2, vec![0.5, 1.0])?;
/// assert_eq!(v.paths(), 2);
/// assert_eq!(v.path(1), &[-1.0, 0.5]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ValuePaths {
    values: Vec<f64>,
    paths: usize,
    times: Vec<f64>,
}

/// Rejects an empty, negative, non-finite or not strictly increasing time grid.
pub(crate) fn check_times(name: &'static str, times: &[f64]) -> Result<(), RiskError> {
    if times.is_empty() {
        return Err(RiskError::TooShort {
            name,
            len: 0,
            min: 1,
        });
    }
    let mut prev = f64::NEG_INFINITY;
    for (index, &value) in times.iter().enumerate() {
        let reason = if !value.is_finite() {
            "not finite"
        } else if value < 0.0 {
            "negative horizon"
        } else if value <= prev {
            "times must increase strictly"
        } else {
            prev = value;
            continue;
        };
        return Err(RiskError::InvalidTime {
            name,
            index,
            value,
            reason,
        });
    }
    Ok(())
}

impl ValuePaths {
    /// Validated simulated values: `values.len() == paths · times.len()`, every value finite.
    ///
    /// ```text
    /// values[p · K + k] = V_p(t_k),  K = times.len()
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::TooShort`] for no paths or no dates, [`RiskError::InvalidTime`] for a
    /// negative, non-finite or non-increasing time, [`RiskError::LengthMismatch`] when the
    /// dimensions disagree, [`RiskError::NonFinite`] for NaN or ±∞ values.
    ///
    /// ```
    /// use derisk::risk::{exposure::ValuePaths, RiskError};
    /// let bad = ValuePaths::new(vec![1.0], 1, vec![-0.5]).unwrap_err();
    /// assert!(matches!(bad, RiskError::InvalidTime { index: 0, .. }));
    /// assert_eq!(ValuePaths::new(vec![3.0], 1, vec![0.0])?.value(0, 0), 3.0);
    /// # Ok::<(), RiskError>(())
    /// ```
    pub fn new(values: Vec<f64>, paths: usize, times: Vec<f64>) -> Result<Self, RiskError> {
        check_times("times", &times)?;
        if paths == 0 {
            return Err(RiskError::TooShort {
                name: "paths",
                len: 0,
                min: 1,
            });
        }
        let want = paths.saturating_mul(times.len());
        if values.len() != want {
            return Err(RiskError::LengthMismatch {
                left_name: "values",
                left: values.len(),
                right_name: "paths x dates",
                right: want,
            });
        }
        check_series("values", &values, 1)?;
        Ok(Self {
            values,
            paths,
            times,
        })
    }

    /// Values already known to be valid (same dimensions as `like`).
    pub(crate) fn from_parts(values: Vec<f64>, like: &ValuePaths) -> Self {
        Self {
            values,
            paths: like.paths,
            times: like.times.clone(),
        }
    }

    /// The number of paths.
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// assert_eq!(ValuePaths::new(vec![0.0; 6], 3, vec![1.0, 2.0])?.paths(), 3);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn paths(&self) -> usize {
        self.paths
    }

    /// The number of dates K.
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// assert_eq!(ValuePaths::new(vec![0.0; 6], 3, vec![1.0, 2.0])?.dates(), 2);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn dates(&self) -> usize {
        self.times.len()
    }

    /// The time grid in years.
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// assert_eq!(ValuePaths::new(vec![0.0; 2], 1, vec![0.0, 0.25])?.times(), &[0.0, 0.25]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// All values, path by path (`[p · K + k]`).
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// let v = ValuePaths::new(vec![1.0, 2.0, 3.0, 4.0], 2, vec![1.0, 2.0])?;
    /// assert_eq!(v.values()[2], 3.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The values of one path, V_p(t_0 … t_{K−1}). Panics if `p >= paths()` (slice indexing).
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// let v = ValuePaths::new(vec![1.0, 2.0, 3.0, 4.0], 2, vec![1.0, 2.0])?;
    /// assert_eq!(v.path(0), &[1.0, 2.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn path(&self, p: usize) -> &[f64] {
        let k = self.times.len();
        &self.values[p * k..(p + 1) * k]
    }

    /// One value V_p(t_k). Panics if out of range (slice indexing).
    ///
    /// ```
    /// # use derisk::risk::exposure::ValuePaths;
    /// let v = ValuePaths::new(vec![1.0, 2.0, 3.0, 4.0], 2, vec![1.0, 2.0])?;
    /// assert_eq!(v.value(1, 0), 3.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn value(&self, p: usize, k: usize) -> f64 {
        self.values[p * self.times.len() + k]
    }
}
