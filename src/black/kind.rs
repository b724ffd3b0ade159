//! Call or put: the one option-kind type, shared by the kernel, the models and the smiles.

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum OptionKind {
    /// The right to buy at the strike: payoff max(S − K, 0).
    Call,
    /// The right to sell at the strike: payoff max(K − S, 0).
    Put,
}

impl OptionKind {
    /// +1 for a call, −1 for a put: the θ in payoff = max(θ·(S − K), 0).
    ///
    /// ```
    /// use derisk::pricing::OptionKind;
    /// assert_eq!(OptionKind::Put.sign(), -1.0);
    /// ```
    #[inline]
    #[must_use]
    pub const fn sign(self) -> f64 {
        match self {
            OptionKind::Call => 1.0,
            OptionKind::Put => -1.0,
        }
    }

    /// The undiscounted payoff at expiry, max(θ·(S − K), 0), in the currency of S and K.
    ///
    /// ```
    /// use derisk::pricing::OptionKind;
    /// assert_eq!(OptionKind::Call.payoff(110.0, 100.0), 10.0);
    /// assert_eq!(OptionKind::Put.payoff(110.0, 100.0), 0.0);
    /// ```
    #[inline]
    #[must_use]
    pub fn payoff(self, underlying: f64, strike: f64) -> f64 {
        (self.sign() * (underlying - strike)).max(0.0)
    }
}
