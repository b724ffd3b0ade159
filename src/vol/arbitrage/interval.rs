//! An interval of log-moneyness.

/// An interval [start, end] of log-moneyness.
///
/// ```
/// let i = derisk::vol::Interval { start: -0.1, end: 0.2 };
/// assert!((i.end - i.start - 0.3).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interval {
    /// Left end (log-moneyness).
    pub start: f64,
    /// Right end (log-moneyness).
    pub end: f64,
}
