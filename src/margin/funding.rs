//! The funding rate of a perpetual from its premium index (Binance's formula).

use super::error::{check_finite, check_price, MarginError};

/// Funding-rate parameters: the interest rate `I`, the clamp `c` on `I − P̄` and an overall cap,
/// all per funding interval (8 h on Binance), as decimals.
///
/// ```text
/// premium P  = [max(0, impact_bid − index) − max(0, index − impact_ask)] / index
/// F          = P̄ + clamp(I − P̄, −c, +c),   then clamped to [−cap, +cap]
/// ```
///
/// P̄ is the time-weighted average of the premium samples of the interval (the caller averages).
/// Source: Binance "Introduction to Binance Futures Funding Rates" (I = 0.01 % per 8 h, c = 0.05 %);
/// the cap is per symbol (Binance quotes ±0.75 × (initial − maintenance margin rate) at the
/// maximum leverage, and sets overrides by announcement). The payment itself is
/// [`Position::funding`](super::Position::funding).
///
/// ```
/// use derisk::margin::FundingRate;
/// let f = FundingRate::BINANCE;
/// // premium 0.04 % → F = 0.04 % + clamp(0.01 % − 0.04 %) = 0.01 % (by hand)
/// assert!((f.rate(0.0004)? - 0.0001).abs() < 1e-18);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
///
/// The fields are public, so a literal can hold anything: [`rate`](FundingRate::rate) checks
/// them as [`FundingRate::new`] does and returns the same error (a NaN literal is an error, not a
/// panic), and deserialising goes through [`FundingRate::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "FundingRateData"))]
pub struct FundingRate {
    /// Interest rate I per interval (0.0001 on Binance's USDⓈ-M pairs).
    pub interest_rate: f64,
    /// Clamp c on I − P̄ (0.0005 on Binance).
    pub clamp: f64,
    /// Overall cap on |F| (`f64::INFINITY` for none, serialised as `null`).
    #[cfg_attr(feature = "serde", serde(with = "super::serde_inf"))]
    pub cap: f64,
}

impl FundingRate {
    /// Binance USDⓈ-M defaults: I = 0.01 %, c = 0.05 %, no overall cap (set the symbol's own).
    pub const BINANCE: Self = Self {
        interest_rate: 0.0001,
        clamp: 0.0005,
        cap: f64::INFINITY,
    };

    /// Parameters with a finite interest rate, a clamp ≥ 0 and a cap > 0.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] naming the bad one.
    ///
    /// ```
    /// // ADAUSDT-like cap ±0.75 × (IMR 1.3 % − MMR 0.65 %) = ±0.4875 %: a premium of 1 % is capped
    /// let f = derisk::margin::FundingRate::new(0.0001, 0.0005, 0.75 * (0.013 - 0.0065))?;
    /// assert!((f.rate(0.01)? - 0.004875).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(interest_rate: f64, clamp: f64, cap: f64) -> Result<Self, MarginError> {
        Self {
            interest_rate,
            clamp,
            cap,
        }
        .validated()
    }

    fn validated(self) -> Result<Self, MarginError> {
        let Self {
            interest_rate,
            clamp,
            cap,
        } = self;
        let bad = |name, value| Err(MarginError::InvalidParameter { name, value });
        if !interest_rate.is_finite() {
            return bad("interest rate", interest_rate);
        }
        if !(clamp.is_finite() && clamp >= 0.0) {
            return bad("funding clamp", clamp);
        }
        if cap.is_nan() || cap <= 0.0 {
            return bad("funding cap", cap);
        }
        Ok(self)
    }

    /// The funding rate for an average premium index `premium` (decimal per interval).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] for a premium that is not finite, or for parameters that
    /// [`FundingRate::new`] would refuse (a literal with a NaN clamp, a negative cap, ...).
    ///
    /// ```
    /// use derisk::margin::FundingRate;
    /// // premium 0.10 % → 0.10 % − 0.05 % = 0.05 %; premium −0.02 % → −0.02 % + 0.03 % = 0.01 %
    /// assert!((FundingRate::BINANCE.rate(0.001)? - 0.0005).abs() < 1e-18);
    /// assert!((FundingRate::BINANCE.rate(-0.0002)? - 0.0001).abs() < 1e-18);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn rate(&self, premium: f64) -> Result<f64, MarginError> {
        self.validated()?;
        if !premium.is_finite() {
            return Err(MarginError::InvalidParameter {
                name: "premium index",
                value: premium,
            });
        }
        let f = premium + (self.interest_rate - premium).clamp(-self.clamp, self.clamp);
        Ok(f.clamp(-self.cap, self.cap))
    }

    /// One premium-index sample from the impact bid and ask prices (the average fill prices of
    /// the impact margin notional) and the index, all USD per coin.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a price that is not finite and positive;
    /// [`MarginError::OutOfRange`] if the premium overflows (an index near 1e-308).
    ///
    /// ```
    /// // index 100, impact bid 100.2, ask 100.3: (0.2 − 0)/100 = 0.2 % (by hand)
    /// let p = derisk::margin::FundingRate::premium(100.2, 100.3, 100.0)?;
    /// assert!((p - 0.002).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn premium(impact_bid: f64, impact_ask: f64, index: f64) -> Result<f64, MarginError> {
        let (bid, ask, index) = (
            check_price(impact_bid)?,
            check_price(impact_ask)?,
            check_price(index)?,
        );
        check_finite(
            "premium index",
            ((bid - index).max(0.0) - (index - ask).max(0.0)) / index,
        )
    }
}

/// The plain fields of a [`FundingRate`], deserialised then validated by [`FundingRate::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct FundingRateData {
    interest_rate: f64,
    clamp: f64,
    #[serde(with = "super::serde_inf")]
    cap: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<FundingRateData> for FundingRate {
    type Error = MarginError;

    fn try_from(d: FundingRateData) -> Result<Self, MarginError> {
        Self::new(d.interest_rate, d.clamp, d.cap)
    }
}
