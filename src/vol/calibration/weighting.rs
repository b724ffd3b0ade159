//! Weights of quotes in the least squares.

/// How price quotes are weighted in the implied-volatility least squares.
///
/// ```text
/// Uniform:        wᵢ = 1
/// InverseSpread:  wᵢ = 1 / max(σ_ask − σ_bid, 0.5 vol point)      (tight quotes count more)
/// Vega:           wᵢ = vega(σ_mid)/max vega                        (≈ least squares in price)
/// ```
///
/// The inverse spread is the default choice for exchange chains: far wings with wide markets
/// then pull the fit less than liquid strikes near the money. When the bid has no implied
/// volatility (a zero bid), the spread is twice σ_ask − σ_mid.
///
/// ```
/// assert_ne!(derisk::vol::Weighting::Uniform, derisk::vol::Weighting::Vega);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Weighting {
    /// Every quote weighs 1.
    Uniform,
    /// One over the bid–ask spread in implied volatility.
    InverseSpread,
    /// The Black vega of the mid, relative to the largest.
    Vega,
}
