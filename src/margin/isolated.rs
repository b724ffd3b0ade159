//! Isolated margin: one position and the margin posted for it, nothing else.

use super::error::{check_amount, check_finite, check_leverage, check_price, MarginError};
use super::liquidation::{
    fixed_requirement, fraction_to_keep, maintenance_at, round, solve, LiquidationPrice,
};
use super::position::Position;
use super::traits::MarginModel;

/// A position in isolated margin: it can lose at most the `margin` posted for it, and it cannot
/// draw on any other balance (see [`Account`](super::Account) for the partition).
///
/// ```text
/// equity(M)        = margin + uPnL(M)                                   settlement currency
/// liquidation  P_L : equity(P_L) = MM(value(P_L))  [+ closing fee]      bracket solved at P_L
/// bankruptcy   P_B : equity(P_B) = 0
/// linear,  bracket (r, a):  P_L = (s·X·E − margin − a) / (X·(s − r))
/// inverse, bracket (r, a):  P_L = X·(r + s) / (margin + s·X/E + a)
/// ```
///
/// Sources: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" and the
/// COIN-M one (same variables; the printed formula is an image, the algebra is ours and is in
/// docs/margin.md); Bybit help "Liquidation Price (USDT Contract)", "(Inverse Contract)".
///
/// ```
/// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
/// use derisk::market::Currency;
/// // Bybit help "Liquidation Price (USDT Contract)": long 1 BTC at 20,000, 50x, MMR 0.5 % → 19,700.
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?, Side::Long, 1.0, 20_000.0)?;
/// let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
/// let iso = IsolatedPosition::open(p, 50.0, &venue)?;
/// assert_eq!(iso.margin(), 400.0);
/// assert_eq!(iso.liquidation_price(&venue).price(), Some(19_700.0));
/// assert_eq!(iso.bankruptcy_price(&venue).price(), Some(19_600.0));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "IsolatedPositionData"))]
pub struct IsolatedPosition {
    position: Position,
    margin: f64,
}

/// What happens when a liquidated position is closed at `fill`: the insurance fund takes the
/// position over at the bankruptcy price, keeps what is left of the margin and pays any
/// shortfall (Binance FAQ "What is the Insurance Fund"; Bybit help "Insurance fund").
///
/// ```text
/// insurance_fund = equity(fill)        > 0 kept by the fund, < 0 paid by it
/// shortfall      = max(0, −equity(fill))
/// ```
///
/// ```
/// use derisk::margin::{Instrument, IsolatedPosition, Position, Side};
/// use derisk::market::Currency;
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
/// let s = IsolatedPosition::new(p, 2_500.0)?.settle_liquidation(47_000.0)?;
/// assert_eq!((s.insurance_fund, s.shortfall), (-500.0, 500.0)); // lost 3,000 on 2,500 posted
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiquidationSettlement {
    /// Signed flow to the insurance fund, settlement currency.
    pub insurance_fund: f64,
    /// The loss beyond the posted margin (what the fund, then ADL, must cover), ≥ 0.
    pub shortfall: f64,
}

/// What opening a position costs where the venue reserves the closing fee (Bybit "Order Cost"):
///
/// ```text
/// total = initial margin + value(E)·taker + value(P_B)·taker        P_B the (rounded) bankruptcy price
/// ```
///
/// ```
/// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
/// use derisk::market::Currency;
/// // Bybit help "Order Cost (USDT Contract)": long 1 BTC at 8,000, 50x, taker 0.075 %:
/// // 160 + 6 + 5.88 = 171.88 USDT.
/// let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?, Side::Long, 1.0, 8_000.0)?;
/// let cost = IsolatedPosition::open(p, 50.0, &venue)?.order_cost(0.00075, &venue)?;
/// assert!((cost.total - 171.88).abs() < 1e-9);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderCost {
    /// The margin posted.
    pub initial_margin: f64,
    /// Fee to open: value at entry × taker rate.
    pub open_fee: f64,
    /// Fee reserved to close at the bankruptcy price: value there × taker rate (0 when there is
    /// no bankruptcy price).
    pub close_fee: f64,
    /// The sum, settlement currency.
    pub total: f64,
}

impl IsolatedPosition {
    /// Order cost with the closing fee reserved at the bankruptcy price, rounded as the venue
    /// rounds it (see [`OrderCost`]). Bybit's inverse example (10,000 USD at 6,400, 25x) shows the
    /// close fee on the rounded bankruptcy price 6,154.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidParameter`] for a fee rate outside [0, 1);
    /// [`MarginError::OutOfRange`] if a fee or the total overflows.
    pub fn order_cost<M: MarginModel + ?Sized>(
        &self,
        taker_fee_rate: f64,
        model: &M,
    ) -> Result<OrderCost, MarginError> {
        if !(taker_fee_rate.is_finite() && (0.0..1.0).contains(&taker_fee_rate)) {
            return Err(MarginError::InvalidParameter {
                name: "taker fee rate",
                value: taker_fee_rate,
            });
        }
        let open_fee = self.position.entry_value() * taker_fee_rate;
        let close_fee = match self.bankruptcy_price(model) {
            LiquidationPrice::At(p) => self.position.value(p)? * taker_fee_rate,
            LiquidationPrice::Never(_) => 0.0,
        };
        Ok(OrderCost {
            initial_margin: self.margin,
            open_fee,
            close_fee,
            total: check_finite("order cost", self.margin + open_fee + close_fee)?,
        })
    }

    /// A position with `margin` (settlement currency, ≥ 0) posted for it.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for a negative or non-finite margin.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
    /// assert_eq!(IsolatedPosition::new(p, 2_500.0)?.equity(49_000.0)?, 1_500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(position: Position, margin: f64) -> Result<Self, MarginError> {
        Ok(Self {
            position,
            margin: check_amount("margin", margin)?,
        })
    }

    /// Opens at `leverage`: margin = entry value / leverage (the initial margin).
    ///
    /// # Errors
    ///
    /// [`MarginError::LeverageAboveMax`] beyond the bracket's maximum at the entry value,
    /// [`MarginError::NotionalAboveLimit`] beyond the table, [`MarginError::InvalidLeverage`].
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, MarginError, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 10.0, 50_000.0)?;
    /// // 500,000 USDT sits in the 50x bracket: 100x is refused.
    /// assert!(matches!(IsolatedPosition::open(p, 100.0, &t), Err(MarginError::LeverageAboveMax { .. })));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn open<M: MarginModel + ?Sized>(
        position: Position,
        leverage: f64,
        model: &M,
    ) -> Result<Self, MarginError> {
        let margin = model.initial_margin(position.entry_value(), check_leverage(leverage)?)?;
        Self::new(position, margin)
    }

    /// The position.
    #[must_use]
    pub const fn position(&self) -> &Position {
        &self.position
    }

    /// The margin posted (settlement currency).
    #[must_use]
    pub const fn margin(&self) -> f64 {
        self.margin
    }

    /// Equity margin + uPnL(mark).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark; [`MarginError::OutOfRange`] if it
    /// overflows.
    pub fn equity(&self, mark: f64) -> Result<f64, MarginError> {
        check_finite("equity", self.margin + self.position.unrealised_pnl(mark)?)
    }

    /// Adds `amount` (≥ 0) of margin: the liquidation price moves away from the mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`]; [`MarginError::OutOfRange`] if the balance would overflow
    /// (the margin is then unchanged).
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
    /// use derisk::market::Currency;
    /// // Bybit, short 1 BTC at 20,000, 50x, plus 3,000 USDT: LP = 20,000 + (3,400 − 100) = 23,300.
    /// let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?, Side::Short, 1.0, 20_000.0)?;
    /// let mut iso = IsolatedPosition::open(p, 50.0, &venue)?;
    /// iso.add_margin(3_000.0)?;
    /// assert_eq!(iso.liquidation_price(&venue).price(), Some(23_300.0));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn add_margin(&mut self, amount: f64) -> Result<(), MarginError> {
        let amount = check_amount("added margin", amount)?;
        self.margin = check_finite("margin", self.margin + amount)?;
        Ok(())
    }

    /// Removes `amount` of margin, keeping at least the initial margin at the bracket's maximum
    /// leverage on the value at `mark`, with unrealised losses counted (Binance: "max removable =
    /// isolated margin balance − initial margin at the position's leverage bracket").
    ///
    /// # Errors
    ///
    /// [`MarginError::InsufficientMargin`] if more than the removable amount is asked for;
    /// [`MarginError::InvalidAmount`] / [`MarginError::InvalidPrice`];
    /// [`MarginError::OutOfRange`] if the value or P&L at `mark` overflows, or the model's
    /// maximum leverage is not positive.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
    /// let mut iso = IsolatedPosition::new(p, 2_500.0)?;
    /// // keep 50,000/125 = 400: at most 2,100 can go
    /// assert!(iso.remove_margin(2_200.0, 50_000.0, &t).is_err());
    /// iso.remove_margin(2_100.0, 50_000.0, &t)?;
    /// assert_eq!(iso.margin(), 400.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn remove_margin<M: MarginModel + ?Sized>(
        &mut self,
        amount: f64,
        mark: f64,
        model: &M,
    ) -> Result<(), MarginError> {
        let amount = check_amount("removed margin", amount)?;
        let value = self.position.value(mark)?;
        let keep = check_finite("margin to keep", value / model.max_leverage(value))?;
        let loss = self.position.unrealised_pnl(mark)?.min(0.0);
        // max/min, not clamp: clamp panics on a NaN bound; the margin is finite by construction
        let available = (self.margin + loss - keep).max(0.0).min(self.margin);
        if amount > available {
            return Err(MarginError::InsufficientMargin {
                requested: amount,
                available,
            });
        }
        self.margin -= amount;
        Ok(())
    }

    /// Books one funding payment at `rate` on the value at `mark` into the margin (Bybit: "funding
    /// fees paid are deducted from the position margin", which moves the liquidation price);
    /// returns the amount received (negative when paid). Margin does not go below 0: a payment
    /// beyond it is capped and the rest is the position's shortfall.
    ///
    /// # Errors
    ///
    /// As [`Position::funding`]; [`MarginError::OutOfRange`] if the margin would overflow.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
    /// use derisk::market::Currency;
    /// // Bybit Y3 (docs/margin.md): the 50x long at 20,000 after paying 200 USDT: LP 19,900.
    /// let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?, Side::Long, 1.0, 20_000.0)?;
    /// let mut iso = IsolatedPosition::open(p, 50.0, &venue)?;
    /// assert_eq!(iso.apply_funding(0.01, 20_000.0)?, -200.0);
    /// assert_eq!(iso.liquidation_price(&venue).price(), Some(19_900.0));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn apply_funding(&mut self, rate: f64, mark: f64) -> Result<f64, MarginError> {
        let flow = self.position.funding(rate, mark)?.max(-self.margin);
        self.margin = check_finite("margin", self.margin + flow)?.max(0.0);
        Ok(flow)
    }

    /// Maintenance requirement at `mark` (on the model's basis, closing fee included).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark; [`MarginError::OutOfRange`] if the
    /// requirement is not finite (value overflow, or a model returning NaN).
    pub fn maintenance_margin<M: MarginModel + ?Sized>(
        &self,
        mark: f64,
        model: &M,
    ) -> Result<f64, MarginError> {
        check_finite(
            "maintenance margin",
            maintenance_at(&self.position, check_price(mark)?, model),
        )
    }

    /// Margin ratio MM/equity at `mark`: liquidation at ≥ 1 (Binance's convention; OKX quotes
    /// the reciprocal).
    ///
    /// # Errors
    ///
    /// [`MarginError::Bankrupt`] when equity ≤ 0 (the ratio is undefined; it was `f64::INFINITY`
    /// before 0.2); [`MarginError::InvalidPrice`] for a bad mark; [`MarginError::OutOfRange`]
    /// if the ratio overflows (equity a few ulps above 0).
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
    /// let iso = IsolatedPosition::new(p, 2_500.0)?;
    /// // 50,000 × 0.4 % / 2,500 = 8 % (by hand)
    /// assert!((iso.margin_ratio(50_000.0, &TierTable::binance_btcusdt_2021_03_18())? - 0.08).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn margin_ratio<M: MarginModel + ?Sized>(
        &self,
        mark: f64,
        model: &M,
    ) -> Result<f64, MarginError> {
        let equity = self.equity(mark)?;
        let mm = self.maintenance_margin(mark, model)?;
        if equity > 0.0 {
            check_finite("margin ratio", mm / equity)
        } else {
            Err(MarginError::Bankrupt { equity })
        }
    }

    /// Liquidation price: equity = maintenance requirement, with the bracket that applies at that
    /// price (mark basis) or at entry (entry basis), rounded as the venue rounds.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// // docs/margin.md vector B4 (Binance 2021 table): short 10 BTC at 50,000 with 50,000 USDT:
    /// // (50,000 + 1,300 + 500,000)/(10 × 1.01) = 54,584.158… in the 1 % bracket.
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Short, 10.0, 50_000.0)?;
    /// let lp = IsolatedPosition::new(p, 50_000.0)?.liquidation_price(&TierTable::binance_btcusdt_2021_03_18());
    /// assert!((lp.price().unwrap() - 551_300.0 / 10.1).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn liquidation_price<M: MarginModel + ?Sized>(&self, model: &M) -> LiquidationPrice {
        round(
            solve(&self.position, self.margin, model),
            self.position.side(),
            self.position.instrument().tick_size(),
            model.tick_rounding(),
        )
    }

    /// The margin that puts the liquidation price at `target`: equity(T) = requirement(T), so
    ///
    /// ```text
    /// margin = MM(value(T)) − uPnL(T)          (bracket at T; MM(value(E)) on the entry basis)
    /// ```
    ///
    /// Add `margin_for_liquidation_price(T) − margin()` to move the liquidation price to T (a
    /// result ≤ 0 means no margin at all is needed). Not rounded to the tick.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad target; [`MarginError::OutOfRange`] if the
    /// requirement or P&L there overflows.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 10.0, 50_000.0)?;
    /// let iso = IsolatedPosition::new(p, 50_000.0)?;                  // B3: LP 45,323.23
    /// // to be liquidated only at 45,000: MM(450,000) = 4,500 − 1,300 = 3,200, loss 50,000
    /// // → 53,200 of margin, 3,200 more (by hand)
    /// assert!((iso.margin_for_liquidation_price(45_000.0, &t)? - 53_200.0).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn margin_for_liquidation_price<M: MarginModel + ?Sized>(
        &self,
        target: f64,
        model: &M,
    ) -> Result<f64, MarginError> {
        let target = check_price(target)?;
        check_finite(
            "margin for the target",
            maintenance_at(&self.position, target, model) - self.position.unrealised_pnl(target)?,
        )
    }

    /// Contracts to close at `mark` so that the rest meets its maintenance requirement (the
    /// least cut that ends a liquidation, as the venues' partial liquidation aims for: Binance
    /// "smart liquidation", Bybit's risk-limit reduction). Closing at the mark moves P&L into the
    /// margin without changing equity, so the rest must satisfy MM(f·value) ≤ equity; fees and
    /// slippage are ignored. 0 when the position is healthy, all of it when equity ≤ 0.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 20.0, 50_000.0)?;
    /// let iso = IsolatedPosition::new(p, 60_000.0)?;
    /// // at 47,200: equity 4,000 < MM 944,000 × 1 % − 1,300 = 8,140. Keep v with
    /// // 0.01·v − 1,300 = 4,000 → v = 530,000 → 11.2288 BTC; close 8.7712 (by hand)
    /// let cut = iso.reduction_to_maintenance(47_200.0, &t)?;
    /// assert!((cut - (20.0 - 530_000.0 / 47_200.0)).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn reduction_to_maintenance<M: MarginModel + ?Sized>(
        &self,
        mark: f64,
        model: &M,
    ) -> Result<f64, MarginError> {
        let equity = self.equity(mark)?;
        self.maintenance_margin(mark, model)?;
        let keep = fraction_to_keep(&self.position, mark, equity, model);
        check_finite(
            "contracts to close",
            self.position.contracts() * (1.0 - keep),
        )
    }

    /// Distance to the liquidation price as a fraction of `mark`, (LP − M)/M: negative for a long
    /// (the fall that liquidates), positive for a short; `None` without a liquidation price.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
    /// use derisk::market::Currency;
    /// let venue = Venue::bybit(TierTable::bybit_btcusdt_2026_11());
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.5)?, Side::Long, 1.0, 20_000.0)?;
    /// let iso = IsolatedPosition::open(p, 50.0, &venue)?;
    /// // LP 19,700 against a mark of 20,000: −1.5 %
    /// assert!((iso.distance_to_liquidation(20_000.0, &venue)?.unwrap() + 0.015).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn distance_to_liquidation<M: MarginModel + ?Sized>(
        &self,
        mark: f64,
        model: &M,
    ) -> Result<Option<f64>, MarginError> {
        let mark = check_price(mark)?;
        self.liquidation_price(model)
            .price()
            .map(|lp| check_finite("distance to liquidation", (lp - mark) / mark))
            .transpose()
    }

    /// Bankruptcy price: equity = 0, i.e. the loss equals the margin (rounded as the venue rounds).
    ///
    /// ```text
    /// linear:  P_B = E − s·margin/X          inverse:  1/P_B = 1/E + margin/(s·X)
    /// ```
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable, Venue};
    /// use derisk::market::Currency;
    /// // Bybit ADL article: inverse long 5,000 USD at 7,890.08, 50x: 7,735.3725 → 7,735.50.
    /// let venue = Venue::bybit(TierTable::from_rates(&[(150.0, 0.005, 100.0)])?);
    /// let p = Position::new(Instrument::inverse_perpetual(Currency::BTC, 1.0, 0.5)?, Side::Long, 5_000.0, 7_890.08)?;
    /// let iso = IsolatedPosition::open(p, 50.0, &venue)?;
    /// assert_eq!(iso.bankruptcy_price(&venue).price(), Some(7_735.5));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn bankruptcy_price<M: MarginModel + ?Sized>(&self, model: &M) -> LiquidationPrice {
        let p = &self.position;
        round(
            fixed_requirement(p.kind(), p.side(), p.exposure(), p.entry(), self.margin),
            p.side(),
            p.instrument().tick_size(),
            model.tick_rounding(),
        )
    }

    /// `true` when equity at `mark` is at or below the maintenance requirement.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?;
    /// let iso = IsolatedPosition::new(p, 2_500.0)?;           // B1: LP 47,690.76
    /// assert!(!iso.is_liquidatable(47_700.0, &t)?);
    /// assert!(iso.is_liquidatable(47_690.0, &t)?);
    /// // maintenance at 47,690: 47,690 × 0.4 % = 190.76 (by hand)
    /// assert!((iso.maintenance_margin(47_690.0, &t)? - 190.76).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn is_liquidatable<M: MarginModel + ?Sized>(
        &self,
        mark: f64,
        model: &M,
    ) -> Result<bool, MarginError> {
        Ok(self.equity(mark)? <= self.maintenance_margin(mark, model)?)
    }

    /// The loss beyond the posted margin at `mark`, max(0, −equity): nonzero means the position
    /// is undercollateralised (past its bankruptcy price) and the insurance fund covers this.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad mark.
    ///
    /// ```
    /// use derisk::margin::{Instrument, IsolatedPosition, Position, Side};
    /// use derisk::market::Currency;
    /// let p = Position::new(Instrument::inverse_perpetual(Currency::BTC, 100.0, 0.1)?, Side::Long, 100.0, 25_000.0)?;
    /// let iso = IsolatedPosition::new(p, 0.02)?; // 20x: bankrupt at 25,000 × 20/21 ≈ 23,809.5
    /// // at 20,000 the loss is 10,000 × (1/25,000 − 1/20,000) = −0.1 BTC: shortfall 0.08 BTC
    /// assert!((iso.shortfall(20_000.0)? - 0.08).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn shortfall(&self, mark: f64) -> Result<f64, MarginError> {
        Ok((-self.equity(mark)?).max(0.0))
    }

    /// Settlement of a liquidation closed at `fill` (see [`LiquidationSettlement`]).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a bad fill price; [`MarginError::OutOfRange`] if the
    /// equity there overflows.
    pub fn settle_liquidation(&self, fill: f64) -> Result<LiquidationSettlement, MarginError> {
        let equity = self.equity(fill)?;
        Ok(LiquidationSettlement {
            insurance_fund: equity,
            shortfall: (-equity).max(0.0),
        })
    }
}

/// The plain fields of an [`IsolatedPosition`], validated by [`IsolatedPosition::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct IsolatedPositionData {
    position: Position,
    margin: f64,
}

#[cfg(feature = "serde")]
impl TryFrom<IsolatedPositionData> for IsolatedPosition {
    type Error = MarginError;

    fn try_from(d: IsolatedPositionData) -> Result<Self, MarginError> {
        Self::new(d.position, d.margin)
    }
}
