//! One implied-volatility quote.

/// One quote: an implied volatility at log-moneyness k = ln(K/F), with a fitting weight.
///
/// ```
/// let q = derisk::vol::VolQuote { log_moneyness: 0.0, volatility: 0.5, weight: 1.0 };
/// assert_eq!(q.volatility, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VolQuote {
    /// k = ln(K/F), dimensionless.
    pub log_moneyness: f64,
    /// Implied volatility, decimal per √year.
    pub volatility: f64,
    /// Weight of the quote in the least-squares objective Σ wᵢ²(σ_model − σᵢ)², > 0.
    pub weight: f64,
}
