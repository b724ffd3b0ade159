//! A venue's conventions around a bracket model: closing-fee reserve, maintenance basis and tick
//! rounding of liquidation prices.

use super::tiers::Bracket;
use super::traits::MarginModel;

/// The value the maintenance requirement is computed on when solving for a liquidation price.
///
/// ```text
/// Mark:   equity(P) = MM(value(P))         the requirement moves with the price (Binance, OKX)
/// Entry:  equity(P) = MM(value(E))         fixed at the entry value (Bybit's displayed LP)
/// ```
///
/// Sources: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (MM on
/// the mark notional); Bybit help "Liquidation Price (USDT Contract)": LP = entry − (IM − MM)/qty
/// with MM = entry value × MMR − deduction.
///
/// ```
/// use derisk::margin::{MaintenanceBasis, MarginModel, TierTable, Venue};
/// assert_eq!(Venue::bybit(TierTable::bybit_btcusdt_2026_11()).maintenance_basis(), MaintenanceBasis::Entry);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MaintenanceBasis {
    /// On the position value at the liquidation price itself (bracket solved at that price).
    Mark,
    /// On the position value at the entry price (bracket of the entry value).
    Entry,
}

/// How a venue rounds liquidation and bankruptcy prices to the tick.
///
/// ```text
/// None:       unrounded (Binance and OKX do not document a rounding; their pages show the LP
///             to the tick as a display)
/// TowardMark: long up, short down — the side on which the position is liquidated first
///             (Bybit; inferred from Bybit's ADL example, bankruptcy 7,735.3725 → 7,735.50)
/// Nearest:    to the nearest tick
/// ```
///
/// ```
/// use derisk::margin::TickRounding;
/// assert_ne!(TickRounding::TowardMark, TickRounding::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TickRounding {
    /// No rounding.
    None,
    /// Long prices up, short prices down (toward the mark of a healthy position).
    TowardMark,
    /// To the nearest tick.
    Nearest,
}

/// A bracket model dressed with a venue's conventions: the closing fee it reserves inside the
/// maintenance requirement, the [`MaintenanceBasis`] and the [`TickRounding`].
///
/// | venue | constructor | fee in MM | basis | rounding |
/// |---|---|---|---|---|
/// | Binance USDⓈ-M / COIN-M | [`Venue::binance`] | no | mark | none |
/// | Bybit (classic and UTA isolated) | [`Venue::bybit`] | cancels (UTA adds it to IM and MM) | entry | toward mark |
/// | OKX | [`Venue::okx`] | taker rate | mark | none |
///
/// ```
/// use derisk::margin::{MarginModel, TierTable, Venue};
/// let okx = Venue::okx(TierTable::from_rates(&[(1e9, 0.004, 125.0)])?, 0.0005)?;
/// assert!((okx.maintenance_margin(50_000.0) - 225.0).abs() < 1e-9); // 50,000 × (0.4 % + 0.05 %)
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "VenueData<M>",
        bound(deserialize = "M: MarginModel + serde::Deserialize<'de>")
    )
)]
pub struct Venue<M> {
    model: M,
    closing_fee_rate: f64,
    basis: MaintenanceBasis,
    rounding: TickRounding,
}

impl<M: MarginModel> Venue<M> {
    /// Any combination of conventions.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`](super::MarginError::InvalidParameter) for a fee rate
    /// outside [0, 1).
    ///
    /// ```
    /// use derisk::margin::{FlatRate, MaintenanceBasis, TickRounding, Venue, MarginModel};
    /// let v = Venue::new(FlatRate::new(0.005, 100.0)?, 0.0, MaintenanceBasis::Mark, TickRounding::Nearest)?;
    /// assert_eq!(v.tick_rounding(), TickRounding::Nearest);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(
        model: M,
        closing_fee_rate: f64,
        basis: MaintenanceBasis,
        rounding: TickRounding,
    ) -> Result<Self, super::MarginError> {
        if !(closing_fee_rate.is_finite() && (0.0..1.0).contains(&closing_fee_rate)) {
            return Err(super::MarginError::InvalidParameter {
                name: "closing fee rate",
                value: closing_fee_rate,
            });
        }
        Ok(Self {
            model,
            closing_fee_rate,
            basis,
            rounding,
        })
    }

    /// Binance: MM on the mark value, bracket solved at the liquidation price, no fee in MM, no
    /// rounding (FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts").
    ///
    /// ```
    /// use derisk::margin::{MaintenanceBasis, MarginModel, TierTable, Venue};
    /// assert_eq!(Venue::binance(TierTable::binance_btcusdt_2021_03_18()).maintenance_basis(), MaintenanceBasis::Mark);
    /// ```
    #[must_use]
    pub fn binance(model: M) -> Self {
        Self {
            model,
            closing_fee_rate: 0.0,
            basis: MaintenanceBasis::Mark,
            rounding: TickRounding::None,
        }
    }

    /// Bybit: MM on the entry value (help "Liquidation Price (USDT Contract)" and "(Inverse
    /// Contract)"), prices rounded toward the mark.
    ///
    /// ```
    /// use derisk::margin::{MarginModel, TickRounding, TierTable, Venue};
    /// assert_eq!(Venue::bybit(TierTable::bybit_btcusdt_2026_11()).tick_rounding(), TickRounding::TowardMark);
    /// ```
    #[must_use]
    pub fn bybit(model: M) -> Self {
        Self {
            model,
            closing_fee_rate: 0.0,
            basis: MaintenanceBasis::Entry,
            rounding: TickRounding::TowardMark,
        }
    }

    /// OKX: MM on the mark value plus the taker fee of closing, MR = equity/(value·(MMR + fee))
    /// (OKX "Tiered maintenance margin ratio rules").
    ///
    /// # Errors
    ///
    /// As [`Venue::new`].
    ///
    /// ```
    /// use derisk::margin::{FlatRate, MarginModel, Venue};
    /// assert_eq!(Venue::okx(FlatRate::new(0.004, 100.0)?, 0.0005)?.closing_fee_rate(), 0.0005);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn okx(model: M, taker_fee_rate: f64) -> Result<Self, super::MarginError> {
        Self::new(
            model,
            taker_fee_rate,
            MaintenanceBasis::Mark,
            TickRounding::None,
        )
    }

    /// The underlying bracket model.
    #[must_use]
    pub const fn model(&self) -> &M {
        &self.model
    }
}

impl<M: MarginModel> MarginModel for Venue<M> {
    fn bracket_count(&self) -> usize {
        self.model.bracket_count()
    }

    fn bracket_at(&self, index: usize) -> Option<Bracket> {
        self.model.bracket_at(index)
    }

    fn closing_fee_rate(&self) -> f64 {
        self.closing_fee_rate
    }

    fn maintenance_basis(&self) -> MaintenanceBasis {
        self.basis
    }

    fn tick_rounding(&self) -> TickRounding {
        self.rounding
    }

    fn bracket(&self, notional: f64) -> Bracket {
        self.model.bracket(notional)
    }

    fn is_bracketed(&self) -> bool {
        self.model.is_bracketed()
    }

    fn maintenance_margin(&self, notional: f64) -> f64 {
        self.model.maintenance_margin(notional) + notional * self.closing_fee_rate
    }

    fn max_leverage(&self, notional: f64) -> f64 {
        self.model.max_leverage(notional)
    }
}

/// The plain fields of a [`Venue`], deserialised then validated by [`Venue::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct VenueData<M> {
    model: M,
    closing_fee_rate: f64,
    basis: MaintenanceBasis,
    rounding: TickRounding,
}

#[cfg(feature = "serde")]
impl<M: MarginModel> TryFrom<VenueData<M>> for Venue<M> {
    type Error = super::MarginError;

    fn try_from(d: VenueData<M>) -> Result<Self, super::MarginError> {
        Self::new(d.model, d.closing_fee_rate, d.basis, d.rounding)
    }
}
