//! A calendar-spread violation.

/// A calendar-spread violation: total variance falls from one expiry to a later one at fixed k.
///
/// ```
/// let v = derisk::vol::CalendarViolation { log_moneyness: 0.0, earlier: 0.5, later: 1.0,
///                                          w_earlier: 0.1, w_later: 0.09 };
/// assert!(v.w_later < v.w_earlier);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CalendarViolation {
    /// Log-moneyness k.
    pub log_moneyness: f64,
    /// The earlier expiry (years).
    pub earlier: f64,
    /// The later expiry (years).
    pub later: f64,
    /// w(earlier, k).
    pub w_earlier: f64,
    /// w(later, k) < w(earlier, k).
    pub w_later: f64,
}
