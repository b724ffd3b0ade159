//! A requirement whose rate grows linearly with the position size (Deribit futures).

use super::error::MarginError;
use super::tiers::Bracket;
use super::traits::MarginModel;

/// Initial and maintenance rates that grow linearly with the position value `n` (settlement
/// currency): the schedule Deribit publishes for its futures, not a bracket table.
///
/// ```text
/// IM rate(n) = initial_base + slope·n       IM = n·IM rate(n)      max leverage = 1/IM rate(n)
/// MM rate(n) = maintenance_base + slope·n   MM = n·MM rate(n)
/// Deribit BTC: initial_base 2 %, maintenance_base 1.5 %, slope 0.5 % per 100 BTC
/// ```
///
/// Source: Deribit "Futures" (test.deribit.com/pages/docs/futures): "Starting with 2.0% (50x),
/// linearly increasing 0.5% per 100BTC increase in position size … 25 BTC: 2.125 % (0.53125 BTC)
/// … 350 BTC: 3.75 % (13.125 BTC)"; maintenance "starting with 1.5 %, linearly increasing with
/// 0.5 % per 100 BTC". Liquidation prices under this model are found by the crate's root finder
/// ([`MarginModel::is_bracketed`] is `false`): MM is convex in the value, so equity − MM is
/// concave in it and the healthy prices form one interval, whose ends are the liquidation
/// prices (a 1x inverse short is liquidated when the price *falls* far enough that the value,
/// and with it the rate, explodes).
///
/// ```
/// use derisk::margin::{MarginModel, SizeScaled};
/// let d = SizeScaled::DERIBIT_BTC;
/// assert!((d.initial_margin(25.0, 1.0 / d.initial_rate(25.0))? - 0.53125).abs() < 1e-12);
/// assert!((d.maintenance_margin(350.0) - 350.0 * 0.0325).abs() < 1e-12);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SizeScaledData"))]
pub struct SizeScaled {
    initial_base: f64,
    maintenance_base: f64,
    slope: f64,
}

impl SizeScaled {
    /// Deribit's BTC futures schedule: 2 %, 1.5 %, +0.5 % per 100 BTC (value in BTC).
    pub const DERIBIT_BTC: Self = Self {
        initial_base: 0.02,
        maintenance_base: 0.015,
        slope: 0.005 / 100.0,
    };

    /// A schedule with 0 ≤ maintenance_base ≤ initial_base ≤ 1 and a slope ≥ 0 (rate per unit of
    /// value).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] naming the bad one.
    ///
    /// ```
    /// let m = derisk::margin::SizeScaled::new(0.05, 0.03, 0.0)?;
    /// assert_eq!(m.initial_rate(1e6), 0.05);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(initial_base: f64, maintenance_base: f64, slope: f64) -> Result<Self, MarginError> {
        let bad = |name, value| Err(MarginError::InvalidParameter { name, value });
        if !(initial_base.is_finite() && initial_base > 0.0 && initial_base <= 1.0) {
            return bad("initial base rate", initial_base);
        }
        if !(maintenance_base.is_finite()
            && maintenance_base >= 0.0
            && maintenance_base <= initial_base)
        {
            return bad("maintenance base rate", maintenance_base);
        }
        if !(slope.is_finite() && slope >= 0.0) {
            return bad("rate slope", slope);
        }
        Ok(Self {
            initial_base,
            maintenance_base,
            slope,
        })
    }

    /// The initial rate at value `n`.
    #[must_use]
    pub fn initial_rate(&self, notional: f64) -> f64 {
        self.initial_base + self.slope * notional.max(0.0)
    }

    /// The maintenance rate at value `n`.
    #[must_use]
    pub fn maintenance_rate(&self, notional: f64) -> f64 {
        self.maintenance_base + self.slope * notional.max(0.0)
    }
}

impl MarginModel for SizeScaled {
    fn bracket_count(&self) -> usize {
        1
    }

    /// One unbounded bracket at the base rates (the scaled rates are in the overrides).
    fn bracket_at(&self, index: usize) -> Option<Bracket> {
        (index == 0).then_some(Bracket {
            floor: 0.0,
            cap: f64::INFINITY,
            maintenance_rate: self.maintenance_base,
            maintenance_amount: 0.0,
            max_leverage: 1.0 / self.initial_base,
        })
    }

    fn is_bracketed(&self) -> bool {
        false
    }

    fn maintenance_margin(&self, notional: f64) -> f64 {
        notional * self.maintenance_rate(notional)
    }

    fn max_leverage(&self, notional: f64) -> f64 {
        1.0 / self.initial_rate(notional)
    }
}

/// The plain fields of a [`SizeScaled`], deserialised then validated by [`SizeScaled::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct SizeScaledData {
    initial_base: f64,
    maintenance_base: f64,
    slope: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<SizeScaledData> for SizeScaled {
    type Error = MarginError;

    fn try_from(d: SizeScaledData) -> Result<Self, MarginError> {
        Self::new(d.initial_base, d.maintenance_base, d.slope)
    }
}
