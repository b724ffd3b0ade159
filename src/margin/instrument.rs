//! A margined contract: a [`portfolio::Contract`](crate::portfolio::Contract) (perpetual or dated
//! future, linear or inverse) with the venue's tick size.

use super::error::MarginError;
use crate::market::{Currency, Instant};
use crate::portfolio::{Contract, Instrument as _, Settlement};

/// Linear or inverse: how a contract's value depends on the price, read off its
/// [`Settlement`](crate::portfolio::Settlement).
///
/// ```text
/// Linear   (Settlement::Linear(ccy), e.g. Binance BTCUSDT):  value = q·M   in ccy,  q in coin
/// Inverse  (Settlement::Inverse, e.g. BTCUSD, BTC-PERPETUAL): value = N·face/M in coin, N·face in USD
/// ```
///
/// Sources: Binance "USDⓈ-M" and "COIN-M" contract specifications; Deribit "Inverse futures".
///
/// ```
/// use derisk::margin::{ContractKind, Instrument};
/// use derisk::market::Currency;
/// assert_eq!(Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5)?.kind(), ContractKind::Inverse);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ContractKind {
    /// Settled in a quote currency (USDT, USDC); a contract is `contract_size` coins.
    Linear,
    /// Settled in the coin; a contract has a fixed USD face value `contract_size`.
    Inverse,
}

impl ContractKind {
    /// The kind of a settlement: `Linear(_)` is linear, `Inverse` inverse.
    ///
    /// ```
    /// use derisk::margin::ContractKind;
    /// use derisk::portfolio::Settlement;
    /// assert_eq!(ContractKind::of(Settlement::Inverse), ContractKind::Inverse);
    /// ```
    #[must_use]
    pub const fn of(settlement: Settlement) -> Self {
        match settlement {
            Settlement::Linear(_) => Self::Linear,
            Settlement::Inverse => Self::Inverse,
        }
    }
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

/// A margined futures contract: a [`portfolio::Contract`](crate::portfolio::Contract) of the
/// `Perpetual` or `Future` variant (the same value a [`Book`](crate::portfolio::Book) holds) plus
/// the venue's tick size, to which liquidation prices are rounded.
///
/// ```text
/// contract_size  c:  coins per contract (linear) | USD face per contract (inverse)
/// settlement:        Linear(ccy) → P&L and margin in ccy | Inverse → in the underlying coin
/// expiry:            None for a perpetual | Some(instant) for a dated future
/// tick_size      h:  quote currency per coin, > 0
/// ```
///
/// Contract sizes: Binance BTCUSDT 0.001 BTC (1 where sizes are in coin), Binance COIN-M BTCUSD
/// 100 USD, Deribit BTC-PERPETUAL 10 USD, Bybit BTCUSD 1 USD (each venue's contract
/// specification page, read 2025-12). No margin formula of this module needs a year fraction; a
/// caller that does computes it from its valuation instant with
/// [`DayCount::year_fraction`](crate::market::DayCount::year_fraction)`(valuation, expiry)`.
///
/// ```
/// use derisk::margin::Instrument;
/// use derisk::market::Currency;
/// let btc_perpetual = Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5)?; // Deribit
/// assert_eq!(btc_perpetual.contract_size(), 10.0);
/// assert_eq!(btc_perpetual.settlement(), Currency::BTC);
/// assert_eq!(btc_perpetual.round_to_tick(88_529.26), 88_529.5);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "InstrumentData"))]
pub struct Instrument {
    contract: Contract,
    tick_size: f64,
}

impl Instrument {
    /// A margined `contract` (a perpetual or dated future) with `tick_size` (> 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::NotAFuture`] for a spot holding or an option;
    /// [`MarginError::InvalidParameter`] for a contract size or a tick size that is not finite
    /// and positive (the check of [`Contract::validate`](crate::portfolio::Contract::validate)).
    ///
    /// ```
    /// use derisk::margin::{Instrument, MarginError};
    /// use derisk::market::{Currency, Instant};
    /// use derisk::portfolio::{Contract, Settlement};
    /// let march = Instant::from_date_hour(2026, 3, 27, 8)?;
    /// let future = Contract::future(Currency::BTC, Settlement::Inverse, 10.0, march)?;
    /// let i = Instrument::new(future, 2.5)?;
    /// assert_eq!((i.tick_size(), i.expiry()), (2.5, Some(march)));
    /// assert_eq!(
    ///     Instrument::new(Contract::spot(Currency::BTC), 0.1),
    ///     Err(MarginError::NotAFuture { contract: "a spot holding" })
    /// );
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(contract: Contract, tick_size: f64) -> Result<Self, MarginError> {
        match contract {
            Contract::Perpetual { contract_size, .. } | Contract::Future { contract_size, .. } => {
                if !(contract_size.is_finite() && contract_size > 0.0) {
                    return Err(MarginError::InvalidParameter {
                        name: "contract size",
                        value: contract_size,
                    });
                }
            }
            Contract::Spot { .. } => {
                return Err(MarginError::NotAFuture {
                    contract: "a spot holding",
                })
            }
            _ => {
                return Err(MarginError::NotAFuture {
                    contract: "an option",
                })
            }
        }
        if !(tick_size.is_finite() && tick_size > 0.0) {
            return Err(MarginError::InvalidParameter {
                name: "tick size",
                value: tick_size,
            });
        }
        Ok(Self {
            contract,
            tick_size,
        })
    }

    /// A linear perpetual on `underlying` settled in `settlement` (USDT for Binance BTCUSDT),
    /// `contract_size` coins per contract.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let btcusdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.001, 0.1)?;
    /// assert_eq!((btcusdt.contract_size(), btcusdt.underlying()), (0.001, Currency::BTC));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn linear_perpetual(
        underlying: Currency,
        settlement: Currency,
        contract_size: f64,
        tick_size: f64,
    ) -> Result<Self, MarginError> {
        let contract = Contract::Perpetual {
            underlying,
            settlement: Settlement::Linear(settlement),
            contract_size,
        };
        Self::new(contract, tick_size)
    }

    /// An inverse perpetual on `underlying` (coin-margined); `face` is the USD value of one
    /// contract.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let btcusd = Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1)?;
    /// assert_eq!((btcusd.contract_size(), btcusd.settlement()), (100.0, Currency::BTC));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn inverse_perpetual(
        underlying: Currency,
        face: f64,
        tick_size: f64,
    ) -> Result<Self, MarginError> {
        let contract = Contract::Perpetual {
            underlying,
            settlement: Settlement::Inverse,
            contract_size: face,
        };
        Self::new(contract, tick_size)
    }

    /// A dated future on `underlying` delivering at `expiry`.
    ///
    /// # Errors
    ///
    /// As [`Instrument::new`].
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::{Currency, Instant};
    /// use derisk::portfolio::Settlement;
    /// let march = Instant::from_date_hour(2026, 3, 27, 8)?;
    /// let f = Instrument::future(Currency::BTC, Settlement::Inverse, 10.0, march, 2.5)?;
    /// assert!(!f.is_perpetual());
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn future(
        underlying: Currency,
        settlement: Settlement,
        contract_size: f64,
        expiry: Instant,
        tick_size: f64,
    ) -> Result<Self, MarginError> {
        let contract = Contract::Future {
            underlying,
            settlement,
            contract_size,
            expiry,
        };
        Self::new(contract, tick_size)
    }

    /// The portfolio contract: the value a [`Book`](crate::portfolio::Book) holds.
    #[must_use]
    pub const fn contract(&self) -> &Contract {
        &self.contract
    }

    /// Linear or inverse.
    #[must_use]
    pub fn kind(&self) -> ContractKind {
        match self.contract {
            Contract::Perpetual { settlement, .. } | Contract::Future { settlement, .. } => {
                ContractKind::of(settlement)
            }
            // `new` admits only perpetuals and futures
            _ => ContractKind::Linear,
        }
    }

    /// The currency of P&L and margin: the quote currency (linear) or the coin (inverse).
    #[must_use]
    pub fn settlement(&self) -> Currency {
        self.contract.settlement()
    }

    /// The asset whose price the contract tracks.
    #[must_use]
    pub fn underlying(&self) -> Currency {
        match self.contract {
            Contract::Perpetual { underlying, .. } | Contract::Future { underlying, .. } => {
                underlying
            }
            _ => self.contract.settlement(),
        }
    }

    /// The delivery instant of a dated future, `None` for a perpetual.
    #[must_use]
    pub fn expiry(&self) -> Option<Instant> {
        self.contract.expiry()
    }

    /// `true` for a perpetual swap.
    #[must_use]
    pub const fn is_perpetual(&self) -> bool {
        matches!(self.contract, Contract::Perpetual { .. })
    }

    /// Coins per contract (linear) or USD face per contract (inverse).
    #[must_use]
    pub fn contract_size(&self) -> f64 {
        self.contract.contract_size()
    }

    /// The price increment, quote currency per coin.
    #[must_use]
    pub const fn tick_size(&self) -> f64 {
        self.tick_size
    }

    /// `price` rounded to the nearest tick (halves away from zero).
    ///
    /// ```
    /// use derisk::margin::Instrument;
    /// use derisk::market::Currency;
    /// let i = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?;
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
    contract: Contract,
    tick_size: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<InstrumentData> for Instrument {
    type Error = MarginError;

    fn try_from(d: InstrumentData) -> Result<Self, MarginError> {
        Self::new(d.contract, d.tick_size)
    }
}
