//! The insurance fund and the close-out of a bankrupt position: the market fill against the
//! bankruptcy price decides the fund's gain or loss; what the fund cannot carry goes to
//! auto-deleveraging, and what that cannot place is a socialised loss.

use super::adl::{deleverage, AdlCandidate, AdlFill};
use crate::margin::error::{check_amount, check_finite, check_price, check_size};
use crate::margin::{Instrument, MarginError, Position, Side};

/// An insurance fund's balance in its settlement currency (≥ 0). Immutable: every event
/// returns the fund after it, so a replay of events is exact.
///
/// ```
/// use derisk::margin::InsuranceFund;
/// let f = InsuranceFund::new(1_000.0)?.deposit(250.0)?;
/// assert_eq!(f.balance(), 1_250.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InsuranceFund {
    balance: f64,
}

/// A liquidated position handed to the engine: it was taken over at its bankruptcy price and
/// part of it (`market_contracts`) was sold into the market at `market_vwap`.
///
/// ```
/// use derisk::margin::{Closeout, Instrument, Side};
/// use derisk::market::Currency;
/// let c = Closeout::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 2.0, 95.0, 2.0, 96.0)?;
/// assert_eq!(c.unfilled(), 0.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Closeout {
    instrument: Instrument,
    side: Side,
    contracts: f64,
    bankruptcy_price: f64,
    market_contracts: f64,
    market_vwap: f64,
}

impl Closeout {
    /// A bankrupt `side` position of `contracts` with its `bankruptcy_price`, of which
    /// `market_contracts` (0 ≤ · ≤ contracts) filled in the market at `market_vwap` (e.g. the
    /// VWAP of an order-book walk; ignored when nothing filled).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidSize`], [`MarginError::InvalidPrice`]; [`MarginError::InvalidAmount`]
    /// when the market part is negative or above the position.
    ///
    /// ```
    /// # use derisk::margin::{Closeout, Instrument, MarginError, Side};
    /// use derisk::market::Currency;
    /// let i = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// assert!(matches!(Closeout::new(i, Side::Long, 1.0, 95.0, 2.0, 96.0), Err(MarginError::InvalidAmount { .. })));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(
        instrument: Instrument,
        side: Side,
        contracts: f64,
        bankruptcy_price: f64,
        market_contracts: f64,
        market_vwap: f64,
    ) -> Result<Self, MarginError> {
        let contracts = check_size(contracts)?;
        let market_contracts = check_amount("market contracts", market_contracts)?;
        if market_contracts > contracts {
            return Err(MarginError::InvalidAmount {
                name: "market contracts above the position",
                value: market_contracts,
            });
        }
        let market_vwap = if market_contracts > 0.0 {
            check_price(market_vwap)?
        } else {
            market_vwap
        };
        Ok(Self {
            instrument,
            side,
            contracts,
            bankruptcy_price: check_price(bankruptcy_price)?,
            market_contracts,
            market_vwap,
        })
    }

    /// Contracts the market did not take.
    ///
    /// ```
    /// # use derisk::margin::{Closeout, Instrument, Side};
    /// use derisk::market::Currency;
    /// let c = Closeout::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Short, 3.0, 105.0, 1.0, 104.0)?;
    /// assert_eq!(c.unfilled(), 2.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn unfilled(&self) -> f64 {
        self.contracts - self.market_contracts
    }

    /// The fund's P&L on the market part: the position taken over at the bankruptcy price and
    /// closed at the VWAP, in the settlement currency.
    ///
    /// ```text
    /// linear:  side · X_m · (vwap − p_b)          inverse: side · X_m · (1/p_b − 1/vwap)
    /// ```
    ///
    /// # Errors
    ///
    /// [`MarginError::OutOfRange`] when the P&L overflows.
    ///
    /// ```
    /// # use derisk::margin::{Closeout, Instrument, Side};
    /// use derisk::market::Currency;
    /// // long 2 BTC bankrupt at 95 sold at 96: the fund keeps 2 × (96 − 95) = 2 USDT
    /// let c = Closeout::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 2.0, 95.0, 2.0, 96.0)?;
    /// assert_eq!(c.fund_pnl()?, 2.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn fund_pnl(&self) -> Result<f64, MarginError> {
        if self.market_contracts == 0.0 {
            return Ok(0.0);
        }
        let taken = Position::new(
            self.instrument,
            self.side,
            self.market_contracts,
            self.bankruptcy_price,
        )?;
        taken.unrealised_pnl(self.market_vwap)
    }
}

/// What a close-out did: the fund's P&L and balance after, the ADL fills, and the loss nobody
/// could carry.
///
/// ```
/// use derisk::margin::{CloseoutOutcome, InsuranceFund};
/// let o = CloseoutOutcome { fund: InsuranceFund::new(0.0)?, fund_pnl: 0.0, adl: vec![], unplaced: 0.0, socialised_loss: 0.0 };
/// assert!(o.adl.is_empty());
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CloseoutOutcome {
    /// The fund after the event.
    pub fund: InsuranceFund,
    /// The fund's P&L on the market fill (gain positive), before the floor at zero.
    pub fund_pnl: f64,
    /// Opposing positions closed at the bankruptcy price, in rank order.
    pub adl: Vec<AdlFill>,
    /// Contracts neither the market nor the ADL queue took.
    pub unplaced: f64,
    /// The part of the fund's loss above its balance (settlement currency), shared by the
    /// venue's socialised-loss rule: the last resort.
    pub socialised_loss: f64,
}

impl InsuranceFund {
    /// A fund holding `balance` (≥ 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for a negative or non-finite balance.
    ///
    /// ```
    /// # use derisk::margin::{InsuranceFund, MarginError};
    /// assert!(matches!(InsuranceFund::new(-1.0), Err(MarginError::InvalidAmount { .. })));
    /// ```
    pub fn new(balance: f64) -> Result<Self, MarginError> {
        Ok(Self {
            balance: check_amount("insurance fund balance", balance)?,
        })
    }

    /// The balance.
    ///
    /// ```
    /// assert_eq!(derisk::margin::InsuranceFund::new(5.0)?.balance(), 5.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn balance(&self) -> f64 {
        self.balance
    }

    /// The fund after a deposit (a venue's top-up, fees credited).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for a negative or non-finite amount;
    /// [`MarginError::OutOfRange`] on overflow.
    ///
    /// ```
    /// # use derisk::margin::InsuranceFund;
    /// assert_eq!(InsuranceFund::new(1.0)?.deposit(2.0)?.balance(), 3.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn deposit(self, amount: f64) -> Result<Self, MarginError> {
        let amount = check_amount("deposit", amount)?;
        Ok(Self {
            balance: check_finite("insurance fund balance", self.balance + amount)?,
        })
    }

    /// Closes out a bankrupt position: the market part's P&L goes to the fund (a loss is paid
    /// from it down to zero; beyond that it is socialised); the unfilled part is deleveraged
    /// against the ranked `queue` of opposing positions at the bankruptcy price, which costs
    /// the fund nothing.
    ///
    /// ```text
    /// pnl      = fund_pnl(closeout)                  (gain positive)
    /// balance' = max(0, balance + pnl)
    /// socialised_loss = max(0, −(balance + pnl))
    /// ADL: unfilled contracts against the queue at p_b (see deleverage)
    /// ```
    ///
    /// The order (fund, then ADL, then socialised loss) is the one Binance, Bybit and BitMEX
    /// document (see the ADL pages cited on [`deleverage`]); a venue that would ADL instead of
    /// letting the fund go below zero is modelled by the caller passing only the market part
    /// the fund can carry.
    ///
    /// # Errors
    ///
    /// From [`Closeout::fund_pnl`] and [`deleverage`].
    ///
    /// ```
    /// use derisk::margin::{AdlCandidate, Closeout, InsuranceFund, Instrument, Side};
    /// use derisk::portfolio::PositionId;
    /// use derisk::market::Currency;
    /// let btc = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// // long 3 BTC bankrupt at 95; the book took 1 at 93 (fund loses 2), 2 go to ADL
    /// let c = Closeout::new(btc, Side::Long, 3.0, 95.0, 1.0, 93.0)?;
    /// let queue = [AdlCandidate::new(PositionId(9), 5.0, 1.5)?];
    /// let out = InsuranceFund::new(10.0)?.close_out(&c, &queue)?;
    /// assert_eq!((out.fund.balance(), out.fund_pnl, out.socialised_loss), (8.0, -2.0, 0.0));
    /// assert_eq!((out.adl[0].contracts, out.adl[0].price, out.unplaced), (2.0, 95.0, 0.0));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn close_out(
        &self,
        closeout: &Closeout,
        queue: &[AdlCandidate],
    ) -> Result<CloseoutOutcome, MarginError> {
        let pnl = closeout.fund_pnl()?;
        let after = check_finite("insurance fund balance", self.balance + pnl)?;
        let mut adl = Vec::new();
        let unplaced = if closeout.unfilled() > 0.0 {
            deleverage(
                queue,
                closeout.unfilled(),
                closeout.bankruptcy_price,
                &mut adl,
            )?
        } else {
            0.0
        };
        Ok(CloseoutOutcome {
            fund: Self {
                balance: after.max(0.0),
            },
            fund_pnl: pnl,
            adl,
            unplaced,
            socialised_loss: (-after).max(0.0),
        })
    }
}
