//! Positions with stable ids.

use std::fmt;

use super::error::PortfolioError;

/// A position's id in a [`Book`](super::Book): assigned on insert, never reused, unchanged when
/// other positions are removed.
///
/// ```
/// use derisk::market::Currency;
/// use derisk::portfolio::{Book, Contract, Position};
/// let mut book = Book::new();
/// let a = book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
/// let b = book.insert(Position::new(Contract::spot(Currency::ETH), 2.0, 0.0)?);
/// book.remove(a)?;
/// assert_eq!(book.get(b)?.quantity, 2.0);
/// assert_eq!(b.to_string(), "#1");
/// # Ok::<(), derisk::portfolio::PortfolioError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct PositionId(pub u64);

impl fmt::Display for PositionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A holding of an instrument: signed quantity in contracts (negative is short) and the entry
/// price in the instrument's price terms (USD per coin for futures and perpetuals, the premium
/// per contract in the settlement currency for options, the cost per unit for spot).
///
/// The value of a position is `quantity × instrument value per contract` (see
/// [`Instrument::value`](super::Instrument::value)); the contract size is the instrument's.
///
/// ```
/// use derisk::market::Currency;
/// use derisk::portfolio::{Contract, Position};
/// let perp = Contract::inverse_perpetual(Currency::BTC, 10.0)?; // BTC-PERPETUAL: 10 USD a contract
/// let p = Position::new(perp, -15_000.0, 90_210.5)?;
/// assert_eq!(p.contract_size(), 10.0);
/// assert!(Position::new(perp, f64::NAN, 90_000.0).is_err());
/// # Ok::<(), derisk::portfolio::PortfolioError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Position<I = super::Contract> {
    /// What is held.
    pub instrument: I,
    /// Signed number of contracts (units for spot).
    pub quantity: f64,
    /// Entry price (see the type's doc for its units); 0 where it does not matter.
    pub entry_price: f64,
}

impl<I: super::Instrument> Position<I> {
    /// A position of `quantity` contracts of `instrument` entered at `entry_price`.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidPosition`] for a non-finite quantity or a non-finite or negative
    /// entry price, or an entry price of 0 where the instrument's value needs one (inverse
    /// contracts); the instrument's own validation error otherwise.
    pub fn new(instrument: I, quantity: f64, entry_price: f64) -> Result<Self, PortfolioError> {
        if !quantity.is_finite() {
            return Err(PortfolioError::InvalidPosition {
                name: "quantity",
                value: quantity,
                reason: "must be finite",
            });
        }
        if !(entry_price.is_finite() && entry_price >= 0.0) {
            return Err(PortfolioError::InvalidPosition {
                name: "entry price",
                value: entry_price,
                reason: "must be finite and non-negative",
            });
        }
        instrument.validate_entry(entry_price)?;
        Ok(Self {
            instrument,
            quantity,
            entry_price,
        })
    }

    /// The instrument's contract size (coins per contract, or USD face for inverse contracts).
    #[must_use]
    pub fn contract_size(&self) -> f64 {
        self.instrument.contract_size()
    }
}

#[cfg(feature = "serde")]
impl<'de, I> serde::Deserialize<'de> for Position<I>
where
    I: super::Instrument + serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Data<I> {
            instrument: I,
            quantity: f64,
            entry_price: f64,
        }
        let d = Data::<I>::deserialize(deserializer)?;
        Self::new(d.instrument, d.quantity, d.entry_price).map_err(serde::de::Error::custom)
    }
}
