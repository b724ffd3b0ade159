//! Futures and perpetual contracts: linear (settled in the quote currency) and inverse (fixed USD
//! face, settled in the coin).

use super::error::MarginError;
use crate::market::Currency;

/// How a contract settles: the currency of its P&L, margin and position value.
///
/// ```text
/// Linear   (USDT/USDC-margined, e.g. Binance BTCUSDT):  value = q·M   in quote currency, q in coin
/// Inverse  (coin-margined, e.g. BTCUSD, BTC-PERPETUAL): value = N·face/M in coin, N·face in USD
/// ```
///
/// Sources: Binance "USDⓈ-M" and "COIN-M" contract specifications; Deribit "Inverse futures".
///
/// ```
/// use derisk::margin::{ContractKind, Instrument};
/// assert_eq!(Instrument::inverse_perpetual(10.0, 0.5)?.kind(), ContractKind::Inverse);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ContractKind {
    /// Settled in the quote currency (USDT, USDC); a contract is `contract_size` coins.
    Linear,
    /// Settled in the coin; a contract has a fixed USD face value `contract_size`.
    Inverse,
}

/// Perpetual (no expiry, funded every few hours) or dated future (expiry in years).
///
/// ```
/// use derisk::margin::{Expiry, Instrument};
/// let quarterly = Instrument::inverse_future(10.0, 0.5, 0.25)?;
/// assert_eq!(quarterly.expiry(), Expiry::Dated { years: 0.25 });
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Expiry {
    /// A perpetual swap: pays or receives funding (see [`Position::funding`](super::Position::funding)).
    Perpetual,
    /// A dated future expiring in `years` (ACT/365 year fraction; settles at the delivery price).
    Dated {
        /// Years to expiry, ≥ 0.
        years: f64,
    },
}

/// Long (+1) or short (−1).
///
/// ```
/// assert_eq!(derisk::margin::Side::Short.sign(), -1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Side {
    /// Gains when the price rises.
    Long,
    /// Gains when the price falls.
    Short,
}

impl Side {
    /// +1.0 for long, −1.0 for short.
    #[must_use]
    pub const fn sign(self) -> f64 {
        match self {
            Self::Long => 1.0,
            Self::Short => -1.0,
        }
    }

    /// The other side.
    ///
    /// ```
    /// use derisk::margin::Side;
    /// assert_eq!(Side::Long.opposite(), Side::Short);
    /// ```
    #[must_use]
    pub const fn opposite(self) -> Self {
        match self {
            Self::Long => Self::Short,
            Self::Short => Self::Long,
        }
    }
}

/// A futures or perpetual contract: kind, expiry, contract size and tick size.
///
/// `contract_size` is coins per contract for a linear contract (Binance BTCUSDT: 0.001 BTC per
/// contract on some venues, 1 where sizes are in coin) and the USD face value of one contract for
/// an inverse one (Binance COIN-M BTCUSD: 100 USD; Deribit BTC-PERPETUAL: 10 USD; Bybit BTCUSD: 1
/// USD). The settlement coin follows from the kind: quote currency for linear, the coin for
/// inverse ([`ContractKind`]).
///
/// ```
/// use derisk::margin::Instrument;
/// let btc_perpetual = Instrument::inverse_perpetual(10.0, 0.5)?; // Deribit BTC-PERPETUAL
/// assert_eq!(btc_perpetual.contract_size(), 10.0);
/// assert_eq!(btc_perpetual.round_to_tick(88_529.26), 88_529.5);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "InstrumentData"))]
pub struct Instrument {
    kind: ContractKind,
    expiry: Expiry,
    contract_size: f64,
    tick_size: f64,
    settlement: Option<Currency>,
    underlying: Option<Currency>,
}

impl Instrument {
    /// A contract of the given kind, expiry, contract size (> 0) and tick size (> 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] for a contract or tick size that is not finite and
    /// positive, or a negative expiry.
    ///
    /// ```
    /// use derisk::margin::{ContractKind, Expiry, Instrument};
    /// let i = Instrument::new(ContractKind::Linear, Expiry::Perpetual, 1.0, 0.1)?;
    /// assert_eq!(i.tick_size(), 0.1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(
        kind: ContractKind,
        expiry: Expiry,
        contract_size: f64,
        tick_size: f64,
    ) -> Result<Self, MarginError> {
        if !(contract_size.is_finite() && contract_size > 0.0) {
            return Err(MarginError::InvalidParameter {
                name: "contract size",
                value: contract_size,
            });
        }
        if !(tick_size.is_finite() && tick_size > 0.0) {
            return Err(MarginError::InvalidParameter {
                name: "tick size",
                value: tick_size,
            });
        }
        if let Expiry::Dated { years } = expiry {
            if !(years.is_finite() && years >= 0.0) {
                return Err(MarginError::InvalidParameter {
                    name: "expiry",
                    value: years,
                });
            }
        }
        Ok(Self {
            kind,
            expiry,
            contract_size,
            tick_size,
            settlement: None,
            underlying: None,
        })
    }

    /// The same contract with its settlement currency named ("USDT" for BTCUSDT, "BTC" for
    /// BTC-PERPETUAL), a [`market::Currency`](crate::market::Currency).
    ///
    /// A contract whose settlement currency is not named (`None`, the default of every
    /// constructor) settles in the margin currency of the [`CrossAccount`](super::CrossAccount)
    /// that holds it: enough for a single-currency account, while an account with collateral or
    /// positions in several currencies needs every currency named.
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let perp = Instrument::inverse_perpetual(10.0, 0.5)?.with_settlement(Currency::BTC);
    /// assert_eq!(perp.settlement(), Some(Currency::BTC));
    /// assert_eq!(Instrument::inverse_perpetual(10.0, 0.5)?.settlement(), None);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn with_settlement(mut self, currency: Currency) -> Self {
        self.settlement = Some(currency);
        self
    }

    /// The settlement currency, `None` unless named with [`with_settlement`](Self::with_settlement).
    #[must_use]
    pub const fn settlement(&self) -> Option<Currency> {
        self.settlement
    }

    /// The same contract with its underlying named ("BTC" for BTCUSDT). A
    /// [`CrossAccount`](super::CrossAccount) moves the positions on one underlying together, with
    /// that currency's price, when it solves for a liquidation price.
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let btcusdt = Instrument::linear_perpetual(0.001, 0.1)?
    ///     .with_settlement(Currency::USDT)
    ///     .with_underlying(Currency::BTC);
    /// assert_eq!(btcusdt.underlying(), Some(Currency::BTC));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn with_underlying(mut self, currency: Currency) -> Self {
        self.underlying = Some(currency);
        self
    }

    /// The underlying: the one named with [`with_underlying`](Self::with_underlying), else for an
    /// inverse contract its settlement currency (the coin), else `None`.
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let perp = Instrument::inverse_perpetual(10.0, 0.5)?.with_settlement(Currency::BTC);
    /// assert_eq!(perp.underlying(), Some(Currency::BTC));
    /// assert_eq!(Instrument::linear_perpetual(1.0, 0.1)?.underlying(), None);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn underlying(&self) -> Option<Currency> {
        match (self.underlying, self.kind) {
            (Some(u), _) => Some(u),
            (None, ContractKind::Inverse) => self.settlement,
            (None, ContractKind::Linear) => None,
        }
    }

    /// A linear perpetual (USDT/USDC-margined); `contract_size` in coins.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// let btcusdt = derisk::margin::Instrument::linear_perpetual(1.0, 0.1)?;
    /// assert_eq!(btcusdt.contract_size(), 1.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn linear_perpetual(contract_size: f64, tick_size: f64) -> Result<Self, MarginError> {
        Self::new(
            ContractKind::Linear,
            Expiry::Perpetual,
            contract_size,
            tick_size,
        )
    }

    /// An inverse perpetual (coin-margined); `face` is the USD value of one contract.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// let btcusd = derisk::margin::Instrument::inverse_perpetual(100.0, 0.1)?;
    /// assert_eq!(btcusd.contract_size(), 100.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn inverse_perpetual(face: f64, tick_size: f64) -> Result<Self, MarginError> {
        Self::new(ContractKind::Inverse, Expiry::Perpetual, face, tick_size)
    }

    /// A linear dated future expiring in `years`.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// let f = derisk::margin::Instrument::linear_future(1.0, 0.1, 0.5)?;
    /// assert!(!f.is_perpetual());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn linear_future(
        contract_size: f64,
        tick_size: f64,
        years: f64,
    ) -> Result<Self, MarginError> {
        Self::new(
            ContractKind::Linear,
            Expiry::Dated { years },
            contract_size,
            tick_size,
        )
    }

    /// An inverse dated future with USD `face` per contract, expiring in `years`.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// let f = derisk::margin::Instrument::inverse_future(10.0, 2.5, 0.24)?;
    /// assert_eq!(f.tick_size(), 2.5);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn inverse_future(face: f64, tick_size: f64, years: f64) -> Result<Self, MarginError> {
        Self::new(
            ContractKind::Inverse,
            Expiry::Dated { years },
            face,
            tick_size,
        )
    }

    /// Linear or inverse.
    #[must_use]
    pub const fn kind(&self) -> ContractKind {
        self.kind
    }

    /// Perpetual or dated.
    #[must_use]
    pub const fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// `true` for a perpetual swap.
    #[must_use]
    pub const fn is_perpetual(&self) -> bool {
        matches!(self.expiry, Expiry::Perpetual)
    }

    /// Coins per contract (linear) or USD face per contract (inverse).
    #[must_use]
    pub const fn contract_size(&self) -> f64 {
        self.contract_size
    }

    /// The price increment, USD (quote) per coin.
    #[must_use]
    pub const fn tick_size(&self) -> f64 {
        self.tick_size
    }

    /// `price` rounded to the nearest tick (halves away from zero).
    ///
    /// ```
    /// let i = derisk::margin::Instrument::linear_perpetual(1.0, 0.5)?;
    /// assert_eq!(i.round_to_tick(100.26), 100.5);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn round_to_tick(&self, price: f64) -> f64 {
        round_tick(price, self.tick_size, TickDirection::Nearest)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TickDirection {
    Nearest,
    Up,
    Down,
}

/// Rounds to a multiple of `tick`, treating a price within a few ulps of a multiple as that
/// multiple (so 19,700 stays 19,700 whatever the direction, despite the division's rounding).
pub(crate) fn round_tick(price: f64, tick: f64, direction: TickDirection) -> f64 {
    let x = price / tick;
    if !x.is_finite() {
        // more ticks than f64 counts (or a non-finite price): the tick is below resolution
        return price;
    }
    let nearest = x.round();
    if (x - nearest).abs() <= 8.0 * f64::EPSILON * nearest.abs().max(1.0) {
        return nearest * tick;
    }
    let k = match direction {
        TickDirection::Nearest => nearest,
        TickDirection::Up => x.ceil(),
        TickDirection::Down => x.floor(),
    };
    k * tick
}

/// The plain fields of an [`Instrument`], deserialised then validated by [`Instrument::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct InstrumentData {
    kind: ContractKind,
    expiry: Expiry,
    contract_size: f64,
    tick_size: f64,
    #[serde(default)]
    settlement: Option<Currency>,
    #[serde(default)]
    underlying: Option<Currency>,
}

#[cfg(feature = "serde")]
impl TryFrom<InstrumentData> for Instrument {
    type Error = MarginError;

    fn try_from(d: InstrumentData) -> Result<Self, MarginError> {
        let mut instrument = Self::new(d.kind, d.expiry, d.contract_size, d.tick_size)?;
        instrument.settlement = d.settlement;
        instrument.underlying = d.underlying;
        Ok(instrument)
    }
}
