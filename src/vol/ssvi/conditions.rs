//! Gatheral–Jacquier's sufficient no-arbitrage conditions for SSVI.

/// Gatheral–Jacquier's sufficient no-arbitrage conditions, evaluated at the fitted expiries.
///
/// ```text
/// calendar (Thm 4.1):   θ non-decreasing in T,  0 ≤ ∂θ(θφ(θ)) ≤ (1 + √(1 − ρ²))·φ(θ)/ρ²
/// butterfly (Thm 4.2):  θφ(θ)(1 + |ρ|) < 4   and   θφ(θ)²(1 + |ρ|) ≤ 4
/// ```
///
/// ```
/// let c = derisk::vol::SsviConditions { calendar: true, butterfly: true };
/// assert!(c.calendar && c.butterfly);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SsviConditions {
    /// Theorem 4.1 holds at every fitted θ (and θ increases).
    pub calendar: bool,
    /// Theorem 4.2 holds at every fitted θ.
    pub butterfly: bool,
}
