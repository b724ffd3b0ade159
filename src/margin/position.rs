//! Positions: size, side, average entry; unrealised and realised P&L; funding.

use super::error::{
    check_finite, check_normal, check_positive_result, check_price, check_size, MarginError,
};
use super::instrument::{ContractKind, Instrument, Side};

/// An open position in one contract: side, size in contracts (> 0) and average entry price.
///
/// ```text
/// exposure  X = contracts × contract_size            coins (linear) | USD face (inverse)
/// value(M)  = X·M  (quote)                           | X/M  (coin)
/// uPnL(M)   = s·X·(M − E)  (quote)                   | s·X·(1/E − 1/M)  (coin)      s = +1 long, −1 short
/// ```
///
/// Sources: Binance FAQ "How to Calculate Unrealized PNL" (USDⓈ-M: size × (mark − entry) ×
/// direction; COIN-M: size × contract multiplier × direction × (1/entry − 1/mark)); Bybit help
/// "Unrealized P&L (Inverse Contract)".
///
/// ```
/// use derisk::margin::{Instrument, Position, Side};
/// use derisk::market::Currency;
/// // Binance COIN-M BTCUSD: 100 USD per contract. Long 100 contracts at 25,000, mark 27,500:
/// // 10,000 USD × (1/25,000 − 1/27,500) = 0.4 − 0.363636… = 0.0363636… BTC (by hand).
/// let p = Position::new(Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1)?, Side::Long, 100.0, 25_000.0)?;
/// assert!((p.unrealised_pnl(27_500.0)? - 0.4 / 11.0).abs() < 1e-15);
/// assert!((p.value(25_000.0)? - 0.4).abs() < 1e-15); // position value 0.4 BTC
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PositionData"))]
pub struct Position {
    instrument: Instrument,
    side: Side,
    contracts: f64,
    entry: f64,
}

/// The result of a fill against a position: the P&L it realised and what remains.
///
/// ```
/// use derisk::margin::{Instrument, Position, Side};
/// use derisk::market::Currency;
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 2.0, 100.0)?;
/// let fill = p.fill(Side::Short, 0.5, 110.0)?; // sell half a coin at 110
/// assert_eq!(fill.realised_pnl, 5.0);          // 0.5 × (110 − 100), by hand
/// assert_eq!(fill.position.unwrap().contracts(), 1.5);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    /// P&L realised by the closing part of the fill, in the settlement currency (gain positive).
    pub realised_pnl: f64,
    /// The position after the fill (`None` when it is flat).
    pub position: Option<Position>,
}

impl Position {
    /// A position of `contracts` (> 0) on `side` at average entry price `entry` (> 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidSize`] or [`MarginError::InvalidPrice`];
    /// [`MarginError::OutOfRange`] when the exposure (contracts × contract size) or the value at
    /// entry overflows, or underflows below `f64::MIN_POSITIVE` (subnormal numbers carry too
    /// few bits for the margin equations), e.g. 1e300 contracts at 1e10.
    ///
    /// ```
    /// use derisk::margin::{Instrument, MarginError, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 0.001, 0.1)?, Side::Short, 2_000.0, 50_000.0)?;
    /// assert_eq!(p.exposure(), 2.0); // 2,000 contracts of 0.001 BTC
    /// let huge = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1e300, 1e10);
    /// assert_eq!(huge, Err(MarginError::OutOfRange { quantity: "position value at entry", value: f64::INFINITY }));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(
        instrument: Instrument,
        side: Side,
        contracts: f64,
        entry: f64,
    ) -> Result<Self, MarginError> {
        let p = Self {
            instrument,
            side,
            contracts: check_size(contracts)?,
            entry: check_price(entry)?,
        };
        // normal numbers only: subnormal sizes carry too few bits for the margin equations
        check_normal("exposure", p.exposure())?;
        check_normal("position value at entry", p.entry_value())?;
        Ok(p)
    }

    /// The contract.
    #[must_use]
    pub const fn instrument(&self) -> &Instrument {
        &self.instrument
    }

    /// Long or short.
    #[must_use]
    pub const fn side(&self) -> Side {
        self.side
    }

    /// Number of contracts (> 0).
    #[must_use]
    pub const fn contracts(&self) -> f64 {
        self.contracts
    }

    /// Average entry price (USD per coin).
    #[must_use]
    pub const fn entry(&self) -> f64 {
        self.entry
    }

    /// Exposure X = contracts × contract size: coins (linear) or USD face (inverse).
    #[must_use]
    pub fn exposure(&self) -> f64 {
        self.contracts * self.instrument.contract_size()
    }

    /// Position value at `mark` in the settlement currency: X·M (linear) or X/M (inverse). This
    /// is the notional that selects the risk-limit bracket.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a mark that is not finite and positive;
    /// [`MarginError::OutOfRange`] if the value overflows (a mark near `f64::MAX`).
    ///
    /// ```
    /// use derisk::margin::{Instrument, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 10.0, 50_000.0)?;
    /// assert_eq!(p.value(45_000.0)?, 450_000.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn value(&self, mark: f64) -> Result<f64, MarginError> {
        check_finite(
            "position value",
            value_at(self.kind(), self.exposure(), check_price(mark)?),
        )
    }

    /// Position value at the entry price (settlement currency).
    #[must_use]
    pub fn entry_value(&self) -> f64 {
        value_at(self.kind(), self.exposure(), self.entry)
    }

    /// Unrealised P&L at `mark` in the settlement currency (see the type's formula).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark; [`MarginError::OutOfRange`] if the P&L
    /// overflows.
    ///
    /// ```
    /// use derisk::margin::{Instrument, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Short, 2.0, 50_000.0)?;
    /// assert_eq!(p.unrealised_pnl(49_000.0)?, 2_000.0); // −1 × 2 × (49,000 − 50,000)
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn unrealised_pnl(&self, mark: f64) -> Result<f64, MarginError> {
        check_finite("unrealised pnl", self.pnl_unchecked(check_price(mark)?))
    }

    pub(crate) fn kind(&self) -> ContractKind {
        self.instrument.kind()
    }

    pub(crate) fn pnl_unchecked(&self, mark: f64) -> f64 {
        pnl(
            self.kind(),
            self.side.sign(),
            self.exposure(),
            self.entry,
            mark,
        )
    }

    /// Applies a fill of `contracts` on `side` at `price` with average-entry accounting.
    ///
    /// ```text
    /// same side:   contracts add; entry = Σn·E/Σn (linear) | Σn/Σ(n/E) (inverse, harmonic)
    /// opposite:    closes min(n, size) at price P, realising s·n·cs·(P − E) | s·n·cs·(1/E − 1/P);
    ///              any excess opens the other side at P
    /// ```
    ///
    /// Average entry in coin terms is the harmonic mean because inverse P&L is linear in 1/price
    /// (Bybit help "Average entry price (Inverse)", BitMEX "Average entry price").
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidSize`] or [`MarginError::InvalidPrice`];
    /// [`MarginError::OutOfRange`] if the realised P&L, the new size or the new entry leaves
    /// the range of f64.
    ///
    /// ```
    /// use derisk::margin::{Instrument, Position, Side};
    /// use derisk::market::Currency;
    /// // Inverse: long 100 contracts (face 10) at 40,000, add 100 at 60,000:
    /// // entry = 200/(100/40,000 + 100/60,000) = 48,000 (by hand).
    /// let p = Position::new(Instrument::inverse_perpetual(Currency::BTC, 10.0, 0.5)?, Side::Long, 100.0, 40_000.0)?;
    /// let p = p.fill(Side::Long, 100.0, 60_000.0)?.position.unwrap();
    /// assert!((p.entry() - 48_000.0).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn fill(&self, side: Side, contracts: f64, price: f64) -> Result<Fill, MarginError> {
        let n = check_size(contracts)?;
        let p = check_price(price)?;
        if side == self.side {
            let total = self.contracts + n;
            // weights as fractions of the total, so the average cannot overflow when the sum does
            let (w0, w1) = (self.contracts / total, n / total);
            let entry = match self.kind() {
                ContractKind::Linear => w0 * self.entry + w1 * p,
                ContractKind::Inverse => 1.0 / (w0 / self.entry + w1 / p),
            };
            let merged = Self::new(
                self.instrument,
                self.side,
                check_finite("position size", total)?,
                check_positive_result("average entry", entry)?,
            )?;
            return Ok(Fill {
                realised_pnl: 0.0,
                position: Some(merged),
            });
        }
        let closed = n.min(self.contracts);
        let realised = pnl(
            self.kind(),
            self.side.sign(),
            closed * self.instrument.contract_size(),
            self.entry,
            p,
        );
        let realised = check_finite("realised pnl", realised)?;
        let remaining = self.contracts - closed;
        let excess = n - closed;
        let position = if excess > 0.0 {
            Some(Self::new(self.instrument, side, excess, p)?)
        } else if remaining > 0.0 {
            Some(Self {
                contracts: remaining,
                ..*self
            })
        } else {
            None
        };
        Ok(Fill {
            realised_pnl: realised,
            position,
        })
    }

    /// Funding received by the holder for one funding interval at `rate` (per interval, e.g. per
    /// 8 h) on the position value at `mark`, in the settlement currency: negative when paid.
    ///
    /// ```text
    /// received = −s × rate × value(M)         longs pay shorts when rate > 0
    /// ```
    ///
    /// Source: Binance "Introduction to Binance Futures Funding Rates" (funding amount = position
    /// value × funding rate; positive rate: longs pay shorts); Deribit "Perpetual" (coin-settled).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark; [`MarginError::InvalidParameter`] for a rate
    /// that is not finite; [`MarginError::OutOfRange`] if the payment overflows.
    ///
    /// ```
    /// use derisk::margin::{Instrument, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 2.0, 50_000.0)?;
    /// // 2 BTC at mark 51,000, rate 0.01 %: the long pays 10.2 USDT (by hand).
    /// assert!((p.funding(0.0001, 51_000.0)? + 10.2).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn funding(&self, rate: f64, mark: f64) -> Result<f64, MarginError> {
        if !rate.is_finite() {
            return Err(MarginError::InvalidParameter {
                name: "funding rate",
                value: rate,
            });
        }
        check_finite("funding", -self.side.sign() * rate * self.value(mark)?)
    }
}

#[inline]
pub(crate) fn value_at(kind: ContractKind, exposure: f64, price: f64) -> f64 {
    match kind {
        ContractKind::Linear => exposure * price,
        ContractKind::Inverse => exposure / price,
    }
}

#[inline]
pub(crate) fn pnl(kind: ContractKind, sign: f64, exposure: f64, entry: f64, mark: f64) -> f64 {
    match kind {
        ContractKind::Linear => sign * exposure * (mark - entry),
        ContractKind::Inverse => sign * exposure * (1.0 / entry - 1.0 / mark),
    }
}

/// The plain fields of a [`Position`], deserialised then validated by [`Position::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct PositionData {
    instrument: Instrument,
    side: Side,
    contracts: f64,
    entry: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<PositionData> for Position {
    type Error = MarginError;

    fn try_from(d: PositionData) -> Result<Self, MarginError> {
        Self::new(d.instrument, d.side, d.contracts, d.entry)
    }
}
