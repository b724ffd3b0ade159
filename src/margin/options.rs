//! Standard (non-portfolio) margin of coin-settled options, Deribit style.

use super::error::{check_finite, check_price, MarginError};
use crate::pricing::{EuropeanOption, InverseBlack76, OptionKind, PricingModel};
use crate::vol::VolSurface;

/// The rates of Deribit's standard option margin, per option on one coin, in coin:
///
/// ```text
/// OTM = max(K − S, 0) call | max(S − K, 0) put          S = underlying mark (USD)
/// short call:  IM = max(base − OTM/S, minimum) + mark        MM = maintenance + mark
/// short put:   MM = max(maintenance, maintenance·mark) + mark
///              IM = max(max(base − OTM/S, minimum) + mark, MM)
/// long:        IM = MM = mark   (the option's own value; no further requirement)
/// ```
///
/// with base 0.15, minimum 0.10, maintenance 0.075 ([`OptionMarginRates::DERIBIT`]). Sources:
/// Deribit's standard margin text as reproduced by TSLab, "Deribit Margin Requirements
/// Calculation" (doc.tslab.pro); Deribit knowledge base "Margin requirements (options)"
/// (deribit.freshdesk.com, article 1000197268: long options margined at their mark). Other venues
/// use the same family with 0.25 / 0.15 / 0.125 (Bit.com "BCH Option Margin").
///
/// ```
/// use derisk::margin::OptionMarginRates;
/// use derisk::pricing::OptionKind;
/// // docs/margin.md §2.2: short call K 55,000, S 50,000, mark 0.025 → IM 0.125, MM 0.100 BTC.
/// let m = OptionMarginRates::DERIBIT.margin(OptionKind::Call, 55_000.0, 50_000.0, 0.025, -1.0)?;
/// assert!((m.initial - 0.125).abs() < 1e-15 && (m.maintenance - 0.1).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
///
/// The fields are public: [`margin`](OptionMarginRates::margin) checks them as
/// [`OptionMarginRates::new`] does, and deserialising goes through [`OptionMarginRates::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionMarginRatesData"))]
pub struct OptionMarginRates {
    /// Initial rate before the out-of-the-money reduction (0.15).
    pub initial_base: f64,
    /// Floor of the initial rate after the reduction (0.10).
    pub initial_minimum: f64,
    /// Maintenance rate (0.075).
    pub maintenance: f64,
}

/// Initial and maintenance margin of an option position, in coin.
///
/// ```
/// let m = derisk::margin::OptionMargin { initial: 0.2, maintenance: 0.1 };
/// assert!(m.initial >= m.maintenance);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OptionMargin {
    /// Initial margin (coin).
    pub initial: f64,
    /// Maintenance margin (coin).
    pub maintenance: f64,
}

impl OptionMarginRates {
    /// Deribit's standard rates: 0.15, 0.10, 0.075.
    pub const DERIBIT: Self = Self {
        initial_base: 0.15,
        initial_minimum: 0.10,
        maintenance: 0.075,
    };

    /// Rates with 0 ≤ maintenance, 0 ≤ initial_minimum ≤ initial_base ≤ 1, all finite.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] naming the bad one.
    ///
    /// ```
    /// use derisk::margin::{MarginError, OptionMarginRates};
    /// assert_eq!(OptionMarginRates::new(0.25, 0.15, 0.125)?.initial_minimum, 0.15); // Bit.com
    /// assert!(matches!(OptionMarginRates::new(0.1, 0.15, 0.075), Err(MarginError::InvalidParameter { name: "initial minimum rate", .. })));
    /// # Ok::<(), MarginError>(())
    /// ```
    pub fn new(
        initial_base: f64,
        initial_minimum: f64,
        maintenance: f64,
    ) -> Result<Self, MarginError> {
        Self {
            initial_base,
            initial_minimum,
            maintenance,
        }
        .validated()
    }

    fn validated(self) -> Result<Self, MarginError> {
        let bad = |name, value| Err(MarginError::InvalidParameter { name, value });
        if !(self.initial_base.is_finite() && (0.0..=1.0).contains(&self.initial_base)) {
            return bad("initial base rate", self.initial_base);
        }
        if !(self.initial_minimum.is_finite()
            && self.initial_minimum >= 0.0
            && self.initial_minimum <= self.initial_base)
        {
            return bad("initial minimum rate", self.initial_minimum);
        }
        if !(self.maintenance.is_finite() && self.maintenance >= 0.0) {
            return bad("maintenance rate", self.maintenance);
        }
        Ok(self)
    }

    /// Margin of `quantity` options (signed: negative = short) of `kind` and `strike` (USD) with
    /// the underlying at `underlying` (USD) and the option's mark `mark_coin` (coin per option).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a strike or underlying that is not positive;
    /// [`MarginError::InvalidAmount`] for a negative mark; [`MarginError::InvalidSize`] for a
    /// quantity that is not finite; [`MarginError::InvalidParameter`] for rates that
    /// [`OptionMarginRates::new`] refuses; [`MarginError::OutOfRange`] if a margin overflows
    /// (a quantity near `f64::MAX`).
    ///
    /// ```
    /// use derisk::margin::OptionMarginRates;
    /// use derisk::pricing::OptionKind;
    /// // docs/margin.md §2.2: short put K 45,000, S 50,000, mark 0.02 → IM 0.12, MM 0.095 BTC
    /// let m = OptionMarginRates::DERIBIT.margin(OptionKind::Put, 45_000.0, 50_000.0, 0.02, -3.0)?;
    /// assert!((m.initial - 0.36).abs() < 1e-15 && (m.maintenance - 0.285).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn margin(
        &self,
        kind: OptionKind,
        strike: f64,
        underlying: f64,
        mark_coin: f64,
        quantity: f64,
    ) -> Result<OptionMargin, MarginError> {
        self.validated()?;
        let k = check_price(strike)?;
        let s = check_price(underlying)?;
        let mark = super::error::check_amount("option mark", mark_coin)?;
        if !quantity.is_finite() {
            return Err(MarginError::InvalidSize { size: quantity });
        }
        let n = quantity.abs();
        if quantity >= 0.0 {
            let m = check_finite("option margin", n * mark)?;
            return Ok(OptionMargin {
                initial: m,
                maintenance: m,
            });
        }
        let otm = match kind {
            OptionKind::Call => (k - s).max(0.0),
            OptionKind::Put => (s - k).max(0.0),
        };
        let im_rate = (self.initial_base - otm / s).max(self.initial_minimum);
        let (im, mm) = match kind {
            OptionKind::Call => (im_rate + mark, self.maintenance + mark),
            OptionKind::Put => {
                let mm = self.maintenance.max(self.maintenance * mark) + mark;
                ((im_rate + mark).max(mm), mm)
            }
        };
        Ok(OptionMargin {
            initial: check_finite("option initial margin", n * im)?,
            maintenance: check_finite("option maintenance margin", n * mm)?,
        })
    }

    /// As [`margin`](Self::margin), with the mark priced by a coin-settled model
    /// ([`InverseBlack76`], Deribit's mark convention: Black-76 on the forward, in coin).
    ///
    /// # Errors
    ///
    /// As [`margin`](Self::margin), or [`MarginError::Pricing`] from the model.
    ///
    /// ```
    /// use derisk::margin::OptionMarginRates;
    /// use derisk::pricing::{EuropeanOption, InverseBlack76, PricingModel};
    /// let model = InverseBlack76::flat(88_642.32, 0.0, 0.3741)?;
    /// let call = EuropeanOption::call(94_000.0, 0.026_292_368_742_204_73)?;
    /// let mark = model.price(&call)?;
    /// let m = OptionMarginRates::DERIBIT.margin_with_model(&model, &call, 88_529.25, -10.0)?;
    /// assert!((m.maintenance - 10.0 * (0.075 + mark)).abs() < 1e-12);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn margin_with_model<V: VolSurface>(
        &self,
        model: &InverseBlack76<V>,
        option: &EuropeanOption,
        underlying: f64,
        quantity: f64,
    ) -> Result<OptionMargin, MarginError> {
        let mark = model.price(option)?;
        self.margin(option.kind(), option.strike(), underlying, mark, quantity)
    }
}

/// The plain fields of [`OptionMarginRates`], validated by [`OptionMarginRates::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct OptionMarginRatesData {
    initial_base: f64,
    initial_minimum: f64,
    maintenance: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<OptionMarginRatesData> for OptionMarginRates {
    type Error = MarginError;

    fn try_from(d: OptionMarginRatesData) -> Result<Self, MarginError> {
        Self::new(d.initial_base, d.initial_minimum, d.maintenance)
    }
}
