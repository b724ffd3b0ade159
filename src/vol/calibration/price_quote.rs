//! One option quote in price.

use crate::black::OptionKind;

/// An option quote in price: discounted bid and ask in currency units (for coin-settled
/// options, coin price × F). A missing bid is 0.
///
/// ```
/// use derisk::pricing::OptionKind;
/// let q = derisk::vol::PriceQuote { kind: OptionKind::Put, strike: 80_000.0, bid: 270.0, ask: 300.0 };
/// assert!(q.bid < q.ask);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PriceQuote {
    /// Call or put.
    pub kind: OptionKind,
    /// Strike K.
    pub strike: f64,
    /// Bid price, discounted, ≥ 0 (0 when there is no bid).
    pub bid: f64,
    /// Ask price, discounted, ≥ bid.
    pub ask: f64,
}
