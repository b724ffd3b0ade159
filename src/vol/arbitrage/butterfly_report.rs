//! The outcome of a butterfly-arbitrage check.

use super::interval::Interval;

/// The outcome of a butterfly-arbitrage check of one smile.
///
/// ```text
/// g(k) = (1 − k·w'/(2w))² − (w'²/4)·(1/w + 1/4) + w''/2 ≥ 0   ⇔   no butterfly arbitrage
/// ```
///
/// ```
/// use derisk::vol::{check_butterfly, Svi};
/// let r = check_butterfly(&Svi::new(0.04, 0.1, -0.3, 0.0, 0.2)?, -2.0, 2.0, 401)?;
/// assert!(r.is_free() && r.min_g > 0.0);
/// # Ok::<(), derisk::vol::VolError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ButterflyReport {
    /// The smallest g(k) found (grid minima refined by golden-section search).
    pub min_g: f64,
    /// Where it is attained.
    pub argmin: f64,
    /// The intervals where g < 0 (ends refined by Brent's method to machine precision; an end at the edge of
    /// the checked range means the violation may continue beyond it).
    pub violations: Vec<Interval>,
}

impl ButterflyReport {
    /// True when g ≥ 0 on the whole checked range.
    ///
    /// ```
    /// use derisk::vol::ButterflyReport;
    /// assert!(ButterflyReport { min_g: 0.1, argmin: 0.0, violations: vec![] }.is_free());
    /// ```
    #[must_use]
    pub fn is_free(&self) -> bool {
        self.violations.is_empty()
    }
}
