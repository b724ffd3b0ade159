//! Cross margin: positions sharing one wallet; and an account that keeps isolated positions out of
//! the cross pool.

use super::collateral::{check_haircut_tiers, haircut_value, HaircutTier};
use super::error::{check_amount, check_finite, check_leverage, check_price, MarginError};
use super::instrument::ContractKind;
use super::isolated::IsolatedPosition;
use super::liquidation::{maintenance_at, round, solve, LiquidationPrice};
use super::position::{value_at, Position};
use super::traits::MarginModel;
use crate::market::{Currency, MarketState};
use crate::math::{brent, RootOptions};
use crate::portfolio::PositionId;

/// One position of a cross account with its mark, chosen leverage and margin model.
///
/// ```
/// use derisk::margin::{CrossEntry, FlatRate, Instrument, Position, Side};
/// use derisk::market::Currency;
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 100.0)?;
/// let id = derisk::portfolio::PositionId(0);
/// let e = CrossEntry { id, position: p, mark: 110.0, leverage: 10.0, model: FlatRate::new(0.01, 20.0)? };
/// assert_eq!(e.mark, 110.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CrossEntry<M> {
    /// Its id in the account: assigned by [`CrossAccount::add`], never reused.
    pub id: PositionId,
    /// The position.
    pub position: Position,
    /// Its current mark price.
    pub mark: f64,
    /// Leverage chosen for its initial margin.
    pub leverage: f64,
    /// Its venue model (tier table of its symbol).
    pub model: M,
}

/// A cross-margin account: one pool of balances behind every position, linear and inverse
/// contracts together, with equity and requirements in one **margin currency**.
///
/// Each position's P&L and requirement are in its contract's settlement currency; balances are
/// held per currency; prices p(c) of every currency in one numéraire (USD) convert them,
/// r(c) = p(c)/p(margin). An account made by [`CrossAccount::new`] names no margin currency: it
/// holds contracts of one settlement currency only (its first position's) and converts nothing.
///
/// ```text
/// net_c           = balance_c + Σ_{i settles in c} uPnLᵢ(Mᵢ)                  currency c
/// equity          = wallet + Σ_{i in margin ccy} uPnLᵢ + Σ_{c ≠ margin} H_c(net_c·r(c))
///                   H_c(v) = haircut value of v (tiers of c, caps in the margin currency) if
///                   v > 0, v itself if v ≤ 0 (a debt counts in full)
/// maintenance     = Σ MMᵢ(valueᵢ(Mᵢ))·r(cᵢ)      initial = Σ IMᵢ(valueᵢ(Mᵢ), leverageᵢ)·r(cᵢ)
/// margin ratio    = maintenance / equity          liquidation when ≥ 1
/// available       = max(0, equity − initial)
/// ```
///
/// Liquidation price of position i: the mark Pᵢ at which equity = maintenance when the marks of
/// every position on i's underlying move by the same ratio Pᵢ/Mᵢ, and so does the price of that
/// underlying currency (so collateral in it and P&L settled in it are converted at the moved
/// price); every other currency's price and every other position's mark stay fixed. In an
/// account without a named margin currency ([`CrossAccount::new`]) nothing converts and the
/// position moves alone, every other position held at its mark (Binance's per-position cross
/// formula; [`common_move_of`](CrossAccount::common_move_of) moves several marks together). When nothing but i's own P&L and requirement depends on
/// Pᵢ (i alone on its underlying, settled in the margin currency, and no balance in the
/// underlying), this is the isolated closed form with margin = equity − maintenance of the
/// others; otherwise ln(Pᵢ/Mᵢ) is scanned in steps of 0.005 out to ±10 on both sides and the
/// nearest sign change of equity − maintenance is solved by [`brent`](crate::math::brent).
///
/// Sources: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (cross:
/// WB − TMM₁ + UPNL₁ stands behind the position); Binance "Margin ratio"
/// (maintenance margin / margin balance).
///
/// ```
/// use derisk::margin::{AnyModel, CrossAccount, FlatRate, Instrument, Position, Side, TierTable};
/// use derisk::market::Currency;
/// // docs/margin.md vector B5: wallet 5,000; another position with MM 200 and uPnL −300;
/// // long 1 BTC at 50,000 → LP = (5,000 − 200 − 300 − 50,000)/(1 × (0.004 − 1)) = 45,682.73…
/// let usdt = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.01)?;
/// let mut acct = CrossAccount::<AnyModel>::new(5_000.0)?;
/// let other = Position::new(usdt, Side::Long, 1.0, 10_300.0)?;
/// acct.add(other, 10_000.0, 10.0, FlatRate::new(0.02, 50.0)?.into())?; // uPnL −300, MM 200
/// let btc = Position::new(usdt, Side::Long, 1.0, 50_000.0)?;
/// let i = acct.add(btc, 50_000.0, 20.0, TierTable::binance_btcusdt_2021_03_18().into())?;
/// let lp = acct.liquidation_price(i)?.price().unwrap();
/// assert!((lp - 45_500.0 / 0.996).abs() < 1e-9);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
///
/// Behind the `serde` feature it serialises as its currency, balances, prices, entries (with
/// their ids) and next id, and deserialising rebuilds it through the constructors, setters and
/// the checks of [`CrossAccount::add`] (amounts, marks, leverage, prices, finite totals), keeping
/// the ids.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "CrossAccountData<M>",
        bound(deserialize = "M: MarginModel + serde::Deserialize<'de>")
    )
)]
pub struct CrossAccount<M> {
    /// The margin currency; `None` for a single-currency account whose currency is not named.
    currency: Option<Currency>,
    /// The balance in the margin currency.
    wallet: f64,
    /// Balances in other currencies (one per currency, never the margin currency).
    balances: Vec<Balance>,
    /// Price of each currency in one numéraire.
    prices: Vec<(Currency, f64)>,
    /// Sorted by id (ids increase on add, removal keeps the order).
    entries: Vec<CrossEntry<M>>,
    /// The id the next position gets (shared with the isolated positions of an [`Account`]).
    next_id: u64,
}

/// A balance of a [`CrossAccount`] in a currency other than its margin currency, with the
/// haircut tiers its value counts at (caps in the margin currency; none = no haircut).
///
/// ```
/// use derisk::margin::{Balance, CrossAccount, TierTable};
/// use derisk::market::Currency;
/// let mut a = CrossAccount::<TierTable>::in_currency(Currency::USDT, 0.0)?;
/// a.set_price(Currency::USDT, 1.0)?;
/// a.set_price(Currency::BTC, 50_000.0)?;
/// a.set_balance(Currency::BTC, 0.5, &[])?;
/// let b: &Balance = &a.balances()[0];
/// assert_eq!((b.currency, b.amount), (Currency::BTC, 0.5));
/// assert_eq!(a.equity(), 25_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Balance {
    /// The currency.
    pub currency: Currency,
    /// Units held (deposits + realised P&L + funding in this currency); negative is a debt.
    pub amount: f64,
    /// Haircut tiers of this currency's positive value (empty: counts in full).
    pub haircuts: Vec<HaircutTier>,
}

/// How far every mark can move together, as a fraction of the marks, before the cross account's
/// equity meets its maintenance requirement: the nearest such move down and up (`None` when
/// none within a factor e¹⁰ of today's marks).
///
/// ```
/// let m = derisk::margin::CommonMove { down: Some(-0.2), up: None };
/// assert_eq!(m.down, Some(-0.2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CommonMove {
    /// The nearest fall (negative fraction, e.g. −0.12 = −12 %) that liquidates the account.
    pub down: Option<f64>,
    /// The nearest rise (positive fraction) that liquidates the account.
    pub up: Option<f64>,
}

/// A margin model chosen per symbol at run time: a tier table or a flat rate (each optionally
/// with venue conventions). Lets one cross account hold positions whose symbols use different
/// kinds of model.
///
/// ```
/// use derisk::margin::{AnyModel, FlatRate, MarginModel};
/// let m: AnyModel = FlatRate::new(0.05, 10.0)?.into();
/// assert_eq!(m.maintenance_margin(1.0), 0.05);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AnyModel {
    /// A tier table with Binance conventions.
    Tiers(super::TierTable),
    /// A flat rate.
    Flat(super::FlatRate),
    /// A tier table with explicit venue conventions.
    Venue(super::Venue<super::TierTable>),
    /// A rate growing with size (Deribit futures).
    Scaled(super::SizeScaled),
}

impl From<super::SizeScaled> for AnyModel {
    fn from(m: super::SizeScaled) -> Self {
        Self::Scaled(m)
    }
}

impl From<super::TierTable> for AnyModel {
    fn from(t: super::TierTable) -> Self {
        Self::Tiers(t)
    }
}

impl From<super::FlatRate> for AnyModel {
    fn from(f: super::FlatRate) -> Self {
        Self::Flat(f)
    }
}

impl From<super::Venue<super::TierTable>> for AnyModel {
    fn from(v: super::Venue<super::TierTable>) -> Self {
        Self::Venue(v)
    }
}

macro_rules! each_model {
    ($self:ident, $m:ident => $e:expr) => {
        match $self {
            Self::Tiers($m) => $e,
            Self::Flat($m) => $e,
            Self::Venue($m) => $e,
            Self::Scaled($m) => $e,
        }
    };
}

impl MarginModel for AnyModel {
    fn bracket_count(&self) -> usize {
        each_model!(self, m => m.bracket_count())
    }
    fn bracket_at(&self, index: usize) -> Option<super::Bracket> {
        each_model!(self, m => m.bracket_at(index))
    }
    fn closing_fee_rate(&self) -> f64 {
        each_model!(self, m => m.closing_fee_rate())
    }
    fn maintenance_basis(&self) -> super::MaintenanceBasis {
        each_model!(self, m => m.maintenance_basis())
    }
    fn tick_rounding(&self) -> super::TickRounding {
        each_model!(self, m => m.tick_rounding())
    }
    fn is_bracketed(&self) -> bool {
        each_model!(self, m => m.is_bracketed())
    }
    fn bracket(&self, notional: f64) -> super::Bracket {
        each_model!(self, m => m.bracket(notional))
    }
    fn maintenance_margin(&self, notional: f64) -> f64 {
        each_model!(self, m => m.maintenance_margin(notional))
    }
    fn max_leverage(&self, notional: f64) -> f64 {
        each_model!(self, m => m.max_leverage(notional))
    }
    fn initial_margin(&self, notional: f64, leverage: f64) -> Result<f64, MarginError> {
        each_model!(self, m => m.initial_margin(notional, leverage))
    }
}

impl<M: MarginModel> CrossAccount<M> {
    /// An empty account with `wallet` balance (settlement currency, ≥ 0; for multi-asset
    /// collateral pass [`Collateral::value`](super::Collateral::value)).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`].
    ///
    /// ```
    /// let a = derisk::margin::CrossAccount::<derisk::margin::TierTable>::new(1_000.0)?;
    /// assert_eq!(a.equity(), 1_000.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(wallet: f64) -> Result<Self, MarginError> {
        Ok(Self {
            currency: None,
            wallet: check_amount("wallet balance", wallet)?,
            balances: Vec::new(),
            prices: Vec::new(),
            entries: Vec::new(),
            next_id: 0,
        })
    }

    /// An empty account whose equity and requirements are in `currency`, with `wallet` (≥ 0) of
    /// it. Positions and balances in other currencies need [`set_price`](Self::set_price) (or
    /// [`set_prices`](Self::set_prices)) of their currency and of `currency` first.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, TierTable};
    /// use derisk::market::Currency;
    /// let a = CrossAccount::<TierTable>::in_currency(Currency::USDT, 1_000.0)?;
    /// assert_eq!((a.currency(), a.equity()), (Some(Currency::USDT), 1_000.0));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn in_currency(currency: Currency, wallet: f64) -> Result<Self, MarginError> {
        let mut account = Self::new(wallet)?;
        account.currency = Some(currency);
        Ok(account)
    }

    /// The margin currency (`None` for an account made by [`new`](Self::new)).
    #[must_use]
    pub const fn currency(&self) -> Option<Currency> {
        self.currency
    }

    /// Sets the price of `currency` in the account's numéraire (any one currency, the same for
    /// all: USD per unit for the usual USD numéraire).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`]; [`MarginError::OutOfRange`] if a total at the new price
    /// leaves the range of f64 (the price is then unchanged).
    pub fn set_price(&mut self, currency: Currency, price: f64) -> Result<(), MarginError> {
        let price = check_price(price)?;
        let old = self.price(currency);
        match self.prices.iter_mut().find(|(c, _)| *c == currency) {
            Some(p) => p.1 = price,
            None => self.prices.push((currency, price)),
        }
        self.check_totals().inspect_err(|_| match old {
            Some(o) => {
                if let Some(p) = self.prices.iter_mut().find(|(c, _)| *c == currency) {
                    p.1 = o;
                }
            }
            None => {
                self.prices.pop();
            }
        })
    }

    /// Sets the price of every currency the account converts (its margin currency, balances and
    /// positions' settlement currencies), and of the positions' named underlyings that `market`
    /// prices, from `market`'s [`price_of`](MarketState::price_of) (the quote currency at 1,
    /// spots, FX rates).
    ///
    /// # Errors
    ///
    /// [`MarginError::MissingPrice`] naming a currency the market has no price for; as
    /// [`set_price`](Self::set_price) (prices set before the failure stay set).
    pub fn set_prices(&mut self, market: &MarketState) -> Result<(), MarginError> {
        let mut needed: Vec<Currency> = self.currency.into_iter().collect();
        needed.extend(self.balances.iter().map(|b| b.currency));
        let mut optional = Vec::new();
        if self.currency.is_some() {
            // an account without a named margin currency converts nothing
            for e in &self.entries {
                let i = e.position.instrument();
                needed.push(i.settlement());
                optional.push(i.underlying());
            }
        }
        needed.sort_unstable();
        needed.dedup();
        for c in needed {
            let p = market
                .price_of(c)
                .map_err(|_| MarginError::MissingPrice { currency: c })?;
            self.set_price(c, p)?;
        }
        for c in optional {
            if let Ok(p) = market.price_of(c) {
                self.set_price(c, p)?;
            }
        }
        Ok(())
    }

    /// The price of `currency` in the numéraire, if set.
    #[must_use]
    pub fn price(&self, currency: Currency) -> Option<f64> {
        self.prices
            .iter()
            .find(|(c, _)| *c == currency)
            .map(|&(_, p)| p)
    }

    /// Sets the balance of `currency` (≥ 0) with its haircut tiers (empty: no haircut); the
    /// margin currency's balance is the wallet and takes no haircut.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`]; [`MarginError::MixedSettlement`] in an account without a
    /// named margin currency; [`MarginError::MissingPrice`] unless the prices of `currency` and
    /// of the margin currency are set; as [`CollateralAsset::tiered`](super::CollateralAsset::tiered)
    /// for bad tiers; [`MarginError::OutOfRange`] if a total leaves the range of f64 (nothing
    /// changes then).
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, HaircutTier, TierTable};
    /// use derisk::market::Currency;
    /// let mut a = CrossAccount::<TierTable>::in_currency(Currency::USDT, 1_000.0)?;
    /// a.set_price(Currency::USDT, 1.0)?;
    /// a.set_price(Currency::BTC, 50_000.0)?;
    /// let five_percent = [HaircutTier { value_cap: f64::INFINITY, haircut: 0.05 }];
    /// a.set_balance(Currency::BTC, 1.0, &five_percent)?;
    /// assert_eq!(a.equity(), 1_000.0 + 47_500.0);              // 50,000 × 95 %
    /// a.set_balance(Currency::USDT, 2_000.0, &[])?;             // the margin currency: the wallet
    /// assert_eq!(a.wallet_balance(), 2_000.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn set_balance(
        &mut self,
        currency: Currency,
        amount: f64,
        haircuts: &[HaircutTier],
    ) -> Result<(), MarginError> {
        let amount = check_amount("balance", amount)?;
        if Some(currency) == self.currency {
            return self.set_wallet_balance(amount);
        }
        check_haircut_tiers(haircuts)?;
        self.rate(Some(currency))?;
        let old = self.balances.clone();
        match self.balances.iter_mut().find(|b| b.currency == currency) {
            Some(b) => {
                b.amount = amount;
                b.haircuts = haircuts.to_vec();
            }
            None => self.balances.push(Balance {
                currency,
                amount,
                haircuts: haircuts.to_vec(),
            }),
        }
        self.check_totals().inspect_err(|_| self.balances = old)
    }

    /// The balances in currencies other than the margin currency.
    #[must_use]
    pub fn balances(&self) -> &[Balance] {
        &self.balances
    }

    /// The balance of `currency` (the wallet for the margin currency; 0 if none is held).
    #[must_use]
    pub fn balance(&self, currency: Currency) -> f64 {
        if Some(currency) == self.currency {
            return self.wallet;
        }
        self.balances
            .iter()
            .find(|b| b.currency == currency)
            .map_or(0.0, |b| b.amount)
    }

    /// The settlement currency of a position in this account: its instrument's, or `None` (the
    /// account's one unnamed currency) in an account without a named margin currency.
    fn settles_in(&self, e: &CrossEntry<M>) -> Option<Currency> {
        self.currency.map(|_| e.position.instrument().settlement())
    }

    /// r(c) = p(c)/p(margin), the value in the margin currency of one unit of `currency`.
    ///
    /// # Errors
    ///
    /// [`MarginError::MixedSettlement`] for a named currency in an account without a named
    /// margin currency; [`MarginError::MissingPrice`] for a currency without a price.
    fn rate(&self, currency: Option<Currency>) -> Result<f64, MarginError> {
        if currency == self.currency {
            return Ok(1.0);
        }
        let (Some(c), Some(m)) = (currency, self.currency) else {
            return Err(MarginError::MixedSettlement);
        };
        let pc = self
            .price(c)
            .ok_or(MarginError::MissingPrice { currency: c })?;
        let pm = self
            .price(m)
            .ok_or(MarginError::MissingPrice { currency: m })?;
        check_finite("conversion rate", pc / pm)
    }

    /// r(c) with the prices of the underlyings of the `moved` positions multiplied by `f`
    /// (every rate exists: the mutators check it).
    fn moved_rate<F: Fn(&CrossEntry<M>) -> bool>(
        &self,
        currency: Option<Currency>,
        f: f64,
        moved: &F,
    ) -> f64 {
        if currency == self.currency {
            return 1.0;
        }
        let factor = |c: Currency| {
            if f != 1.0
                && self
                    .entries
                    .iter()
                    .any(|e| moved(e) && e.position.instrument().underlying() == c)
            {
                f
            } else {
                1.0
            }
        };
        match (currency, self.currency) {
            (Some(c), Some(m)) => {
                let pc = self.price(c).unwrap_or(f64::NAN) * factor(c);
                let pm = self.price(m).unwrap_or(f64::NAN) * factor(m);
                pc / pm
            }
            _ => f64::NAN,
        }
    }

    /// (equity, maintenance) in the margin currency with the marks of the `moved` positions and
    /// the prices of their underlyings multiplied by `f`, leaving out position `skip`.
    /// Allocation-free.
    fn totals<F: Fn(&CrossEntry<M>) -> bool>(
        &self,
        f: f64,
        moved: &F,
        skip: Option<PositionId>,
    ) -> (f64, f64) {
        let mark = |e: &CrossEntry<M>| if moved(e) { e.mark * f } else { e.mark };
        let mut equity = self.wallet;
        let mut mm = 0.0;
        for e in self.entries.iter().filter(|e| Some(e.id) != skip) {
            let m = mark(e);
            let c = self.settles_in(e);
            let req = maintenance_at(&e.position, m, &e.model);
            if c == self.currency {
                equity += e.position.pnl_unchecked(m);
                mm += req;
            } else {
                mm += req * self.moved_rate(c, f, moved);
            }
        }
        for b in &self.balances {
            let mut net = b.amount;
            for e in self.entries.iter().filter(|e| Some(e.id) != skip) {
                if self.settles_in(e) == Some(b.currency) {
                    net += e.position.pnl_unchecked(mark(e));
                }
            }
            let v = net * self.moved_rate(Some(b.currency), f, moved);
            equity += if v > 0.0 {
                haircut_value(&b.haircuts, v)
            } else {
                v
            };
        }
        (equity, mm)
    }

    /// Adds a position at `mark` with `leverage` and its `model`; returns its id (ids increase
    /// from 0 and are never reused, so removing a position leaves the others' ids valid).
    ///
    /// # Errors
    ///
    /// [`MarginError::MixedSettlement`] if its kind or settlement currency differs from the
    /// account's first position;
    /// [`MarginError::InvalidPrice`], [`MarginError::InvalidLeverage`] or
    /// [`MarginError::LeverageAboveMax`] (checked on the value at `mark`);
    /// [`MarginError::OutOfRange`] if its value, P&L or requirement at `mark`, or the account's
    /// totals with it, leave the range of f64 (the account is then unchanged).
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// a.add(Position::new(u, Side::Long, 2.0, 50_000.0)?, 49_000.0, 10.0, &t)?;
    /// // by hand: uPnL −2,000; MM 98,000 × 0.5 % − 50 = 440; IM 98,000/10 = 9,800
    /// assert_eq!(a.unrealised_pnl(), -2_000.0);
    /// assert_eq!(a.equity(), 8_000.0);
    /// assert!((a.maintenance_margin() - 440.0).abs() < 1e-9);
    /// assert_eq!(a.initial_margin()?, 9_800.0);
    /// assert_eq!(a.available_balance()?, 0.0);          // 8,000 − 9,800 < 0
    /// assert!(a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 200.0, &t).is_err());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn add(
        &mut self,
        position: Position,
        mark: f64,
        leverage: f64,
        model: M,
    ) -> Result<PositionId, MarginError> {
        let id = PositionId(self.next_id);
        self.insert(id, position, mark, leverage, model)?;
        self.next_id += 1;
        Ok(id)
    }

    /// Adds a position under a given id (above every id held), with every check of `add`.
    fn insert(
        &mut self,
        id: PositionId,
        position: Position,
        mark: f64,
        leverage: f64,
        model: M,
    ) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        let leverage = check_leverage(leverage)?;
        let settlement = position.instrument().settlement();
        if self.currency.is_none()
            && self
                .entries
                .first()
                .is_some_and(|e| e.position.instrument().settlement() != settlement)
        {
            // without a named margin currency nothing converts: one settlement currency only
            return Err(MarginError::MixedSettlement);
        }
        let settles_in = self.currency.map(|_| settlement);
        self.rate(settles_in)?;
        let u = position.instrument().underlying();
        if settles_in != Some(u) && self.price(u).is_none() && self.currency.is_some() {
            // the underlying's price moves with the mark only if it is priced; an unpriced
            // underlying that nothing converts through is fine
            if self.balances.iter().any(|b| b.currency == u) || self.currency == Some(u) {
                return Err(MarginError::MissingPrice { currency: u });
            }
        }
        model.initial_margin(position.value(mark)?, leverage)?;
        position.unrealised_pnl(mark)?;
        check_finite(
            "maintenance margin",
            maintenance_at(&position, mark, &model),
        )?;
        let new_balance = match settles_in {
            Some(c)
                if settles_in != self.currency
                    && !self.balances.iter().any(|b| b.currency == c) =>
            {
                self.balances.push(Balance {
                    currency: c,
                    amount: 0.0,
                    haircuts: Vec::new(),
                });
                true
            }
            _ => false,
        };
        self.entries.push(CrossEntry {
            id,
            position,
            mark,
            leverage,
            model,
        });
        if let Err(e) = self.check_totals() {
            self.entries.pop();
            if new_balance {
                self.balances.pop();
            }
            return Err(e);
        }
        Ok(())
    }

    /// Removes position `id` from the account and returns it, leaving the wallet as it is (to
    /// close it at a price and book the P&L, [`fill`](Self::fill) the opposite side). The other
    /// positions keep their ids.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`]; [`MarginError::OutOfRange`] if the account's totals
    /// without it leave the range of f64 (the account is then unchanged).
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// let first = a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// let second = a.add(Position::new(u, Side::Short, 2.0, 50_000.0)?, 49_000.0, 20.0, &t)?;
    /// a.remove(first)?;
    /// assert_eq!(a.get(second)?.position.contracts(), 2.0);
    /// assert_eq!(a.unrealised_pnl(), 2_000.0);
    /// assert!(a.remove(first).is_err());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn remove(&mut self, id: PositionId) -> Result<CrossEntry<M>, MarginError> {
        let i = self.index_of(id)?;
        let entry = self.entries.remove(i);
        if let Err(e) = self.check_totals() {
            self.entries.insert(i, entry);
            return Err(e);
        }
        Ok(entry)
    }

    /// Position `id` with its mark, leverage and model.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`] if the account holds no position `id`.
    pub fn get(&self, id: PositionId) -> Result<&CrossEntry<M>, MarginError> {
        Ok(&self.entries[self.index_of(id)?])
    }

    /// The index of position `id` in `entries` (binary search: ids are sorted).
    fn index_of(&self, id: PositionId) -> Result<usize, MarginError> {
        self.entries
            .binary_search_by_key(&id, |e| e.id)
            .map_err(|_| MarginError::UnknownPosition { id })
    }

    /// The positions, in increasing id order.
    #[must_use]
    pub fn entries(&self) -> &[CrossEntry<M>] {
        &self.entries
    }

    /// The settlement kind of the account (`None` while empty).
    #[must_use]
    pub fn kind(&self) -> Option<ContractKind> {
        self.entries.first().map(|e| e.position.kind())
    }

    /// Wallet balance (deposits + realised P&L + funding), settlement currency.
    #[must_use]
    pub const fn wallet_balance(&self) -> f64 {
        self.wallet
    }

    /// Sets the wallet balance (after a deposit, a withdrawal or a collateral revaluation).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`]; [`MarginError::OutOfRange`] if the equity would
    /// overflow (the balance is then unchanged).
    pub fn set_wallet_balance(&mut self, wallet: f64) -> Result<(), MarginError> {
        let old = self.wallet;
        self.wallet = check_amount("wallet balance", wallet)?;
        self.check_totals().inspect_err(|_| self.wallet = old)
    }

    /// Moves position `id`'s mark (O(n): the account's totals are checked).
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`] or [`MarginError::InvalidPrice`];
    /// [`MarginError::OutOfRange`] if a value, P&L, requirement or total at the new mark leaves
    /// the range of f64 (the mark is then unchanged).
    pub fn set_mark(&mut self, id: PositionId, mark: f64) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        let index = self.index_of(id)?;
        let old = std::mem::replace(&mut self.entries[index].mark, mark);
        self.check_totals()
            .inspect_err(|_| self.entries[index].mark = old)
    }

    /// Every position's value, P&L and requirement, and the account's equity and requirement,
    /// are finite (the invariant every mutator keeps).
    fn check_totals(&self) -> Result<(), MarginError> {
        for e in &self.entries {
            let v = value_at(e.position.kind(), e.position.exposure(), e.mark);
            check_finite("position value", v)?;
            check_finite("unrealised pnl", e.position.pnl_unchecked(e.mark))?;
            check_finite(
                "maintenance margin",
                maintenance_at(&e.position, e.mark, &e.model),
            )?;
        }
        let (equity, mm) = self.totals(1.0, &|_| false, None);
        check_finite("equity", equity)?;
        check_finite("maintenance margin", mm)?;
        Ok(())
    }

    /// Adds `amount` to the balance of `currency` (resolved: `None` is the margin currency).
    fn book(
        &mut self,
        currency: Option<Currency>,
        amount: f64,
        floor: bool,
    ) -> Result<f64, MarginError> {
        let slot = if currency == self.currency {
            &mut self.wallet
        } else {
            match self
                .balances
                .iter_mut()
                .find(|b| Some(b.currency) == currency)
            {
                Some(b) => &mut b.amount,
                None => return Err(MarginError::MixedSettlement),
            }
        };
        let flow = if floor { amount.max(-*slot) } else { amount };
        let new = check_finite("wallet balance", *slot + flow)?;
        *slot = if floor { new.max(0.0) } else { new };
        Ok(flow)
    }

    /// Fills `contracts` on `side` at `price` against position `id` with average-entry
    /// accounting ([`Position::fill`]); the realised P&L goes to the wallet (which may go negative:
    /// a debt, see [`shortfall`](Self::shortfall)). A position closed flat is removed (its id is
    /// not reused; the others keep theirs). Returns the realised P&L.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`], or as [`Position::fill`]; [`MarginError::OutOfRange`]
    /// if the wallet or the account's totals would overflow (the account is then unchanged).
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 2.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// assert_eq!(a.fill(id, Side::Short, 1.0, 51_000.0)?, 1_000.0); // sell 1 of 2 at +1,000
    /// assert_eq!(a.wallet_balance(), 2_000.0);
    /// assert_eq!(a.get(id)?.position.contracts(), 1.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn fill(
        &mut self,
        id: PositionId,
        side: super::Side,
        contracts: f64,
        price: f64,
    ) -> Result<f64, MarginError> {
        let index = self.index_of(id)?;
        let fill = self.entries[index].position.fill(side, contracts, price)?;
        let currency = self.settles_in(&self.entries[index]);
        let (old_wallet, old_balances) = (self.wallet, self.balances.clone());
        self.book(currency, fill.realised_pnl, false)?;
        let old_position = self.entries[index].position;
        let removed = match fill.position {
            Some(p) => {
                self.entries[index].position = p;
                None
            }
            None => Some(self.entries.remove(index)),
        };
        if let Err(e) = self.check_totals() {
            match removed {
                None => self.entries[index].position = old_position,
                Some(entry) => self.entries.insert(index, entry),
            }
            self.wallet = old_wallet;
            self.balances = old_balances;
            return Err(e);
        }
        Ok(fill.realised_pnl)
    }

    /// Books one funding payment of position `id` at `rate` into the wallet (floored at 0);
    /// returns the amount received.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`], or as [`Position::funding`]; [`MarginError::OutOfRange`]
    /// if the wallet would overflow.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// assert!((a.apply_funding(id, 0.0001)? - 5.0).abs() < 1e-12); // the short receives 0.01 % of 50,000
    /// assert!((a.wallet_balance() - 1_005.0).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn apply_funding(&mut self, id: PositionId, rate: f64) -> Result<f64, MarginError> {
        let e = self.get(id)?;
        let payment = e.position.funding(rate, e.mark)?;
        let currency = self.settles_in(e);
        let (old_wallet, old_balances) = (self.wallet, self.balances.clone());
        let flow = self.book(currency, payment, true)?;
        if let Err(err) = self.check_totals() {
            self.wallet = old_wallet;
            self.balances = old_balances;
            return Err(err);
        }
        Ok(flow)
    }

    /// Σ uPnL at the current marks, each converted into the margin currency (no haircut).
    #[must_use]
    pub fn unrealised_pnl(&self) -> f64 {
        self.entries
            .iter()
            .map(|e| {
                let pnl = e.position.pnl_unchecked(e.mark);
                let c = self.settles_in(e);
                if c == self.currency {
                    pnl
                } else {
                    pnl * self.moved_rate(c, 1.0, &|_| false)
                }
            })
            .sum()
    }

    /// Equity (margin balance) in the margin currency: wallet + uPnL in the margin currency +
    /// the haircut value of every other currency's balance plus uPnL (see the type's formula).
    #[must_use]
    pub fn equity(&self) -> f64 {
        self.totals(1.0, &|_| false, None).0
    }

    /// Σ maintenance requirements at the current marks, in the margin currency.
    #[must_use]
    pub fn maintenance_margin(&self) -> f64 {
        self.totals(1.0, &|_| false, None).1
    }

    /// Σ initial margins at the current marks, each from its own model:
    /// `model.initial_margin(value(M), leverage)` (value/leverage for the built-in models; a
    /// model that overrides [`MarginModel::initial_margin`] is honoured).
    ///
    /// # Errors
    ///
    /// As [`MarginModel::initial_margin`]: a mark that moved a position's value beyond its
    /// table's last cap ([`MarginError::NotionalAboveLimit`]) or into a bracket whose maximum
    /// leverage is below the chosen one ([`MarginError::LeverageAboveMax`]);
    /// [`MarginError::OutOfRange`] if the sum overflows.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, MarginError, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 100.0, &t)?;
    /// assert_eq!(a.initial_margin()?, 500.0);
    /// a.set_mark(id, 300_000.0)?; // 300,000 USDT is in the 50x bracket: 100x no longer allowed
    /// assert!(matches!(a.initial_margin(), Err(MarginError::LeverageAboveMax { .. })));
    /// # Ok::<(), MarginError>(())
    /// ```
    pub fn initial_margin(&self) -> Result<f64, MarginError> {
        let mut total = 0.0;
        for e in &self.entries {
            let v = value_at(e.position.kind(), e.position.exposure(), e.mark);
            total += e.model.initial_margin(v, e.leverage)? * self.rate(self.settles_in(e))?;
        }
        check_finite("initial margin", total)
    }

    /// Available balance max(0, equity − initial margin): what new orders or a withdrawal can use.
    ///
    /// # Errors
    ///
    /// As [`initial_margin`](Self::initial_margin).
    pub fn available_balance(&self) -> Result<f64, MarginError> {
        Ok((self.equity() - self.initial_margin()?).max(0.0))
    }

    /// Margin ratio = maintenance / equity; the account is liquidated at ≥ 1. Allocation-free.
    ///
    /// # Errors
    ///
    /// [`MarginError::Bankrupt`] when equity ≤ 0 (the ratio is undefined; it was
    /// `f64::INFINITY` before 0.2); [`MarginError::OutOfRange`] if the ratio overflows.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 48_000.0, 20.0, &t)?;
    /// // MM = 48,000 × 0.4 % = 192; equity = 10,000 − 2,000 = 8,000; ratio 2.4 % (by hand)
    /// assert!((a.margin_ratio()? - 0.024).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn margin_ratio(&self) -> Result<f64, MarginError> {
        let (equity, mm) = self.totals(1.0, &|_| false, None);
        if equity > 0.0 {
            check_finite("margin ratio", mm / equity)
        } else {
            Err(MarginError::Bankrupt { equity })
        }
    }

    /// Liquidation price of position `id`: its mark at which equity = maintenance, with the
    /// positions on its underlying and that currency's price moving with it and every other
    /// mark and price fixed (see the type's doc), rounded as its model rounds.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(2_500.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// // one position: the isolated B1 price, 47,500/0.996 = 47,690.76…, 4.62 % below the mark
    /// assert!((a.liquidation_price(id)?.price().unwrap() - 47_500.0 / 0.996).abs() < 1e-9);
    /// assert!((a.distance_to_liquidation(id)?.unwrap() - (47_500.0 / 0.996 / 50_000.0 - 1.0)).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn liquidation_price(&self, id: PositionId) -> Result<LiquidationPrice, MarginError> {
        let index = self.index_of(id)?;
        let e = &self.entries[index];
        let underlying = e.position.instrument().underlying();
        // with a named margin currency the positions on one underlying move together; without
        // one nothing converts and the position moves alone (the others held at their marks)
        let named = self.currency.is_some();
        let same = |o: &CrossEntry<M>| {
            o.id == id || (named && o.position.instrument().underlying() == underlying)
        };
        let alone = self.entries.iter().filter(|o| same(o)).count() == 1;
        let price_moves = (Some(underlying) == self.currency && !self.balances.is_empty())
            || self.balances.iter().any(|b| b.currency == underlying);
        let lp = if alone && !price_moves && self.settles_in(e) == self.currency {
            let (equity, mm) = self.totals(1.0, &|_| false, Some(id));
            solve(&e.position, equity - mm, &e.model)
        } else {
            match self.nearest_move(&same) {
                Ok(y) => LiquidationPrice::At(e.mark * (1.0 + y.exp_m1())),
                Err(reason) => LiquidationPrice::Never(reason),
            }
        };
        Ok(round(
            lp,
            e.position.side(),
            e.position.instrument().tick_size(),
            e.model.tick_rounding(),
        ))
    }

    /// The ln-move y nearest to 0 (either side) of the marks of the `moved` positions (and their
    /// underlyings' prices) at which equity − maintenance changes sign: scan of ±10 in steps of
    /// 0.005, then [`brent`] on the first sign change of each side.
    fn nearest_move<F: Fn(&CrossEntry<M>) -> bool>(
        &self,
        moved: &F,
    ) -> Result<f64, super::NoLiquidationPrice> {
        let g = |y: f64| {
            let (equity, mm) = self.totals(1.0 + y.exp_m1(), moved, None);
            equity - mm
        };
        let g0 = g(0.0);
        if g0 == 0.0 {
            return Ok(0.0);
        }
        let healthy = g0 > 0.0;
        let mut best: Option<f64> = None;
        for direction in [-1.0, 1.0] {
            let mut prev = 0.0_f64;
            for k in 1..=2_000_u32 {
                let y = direction * f64::from(k) * 0.005;
                let gy = g(y);
                if gy.is_nan() {
                    break;
                }
                if (gy > 0.0) != healthy {
                    let root = brent(g, prev, y, &RootOptions::default());
                    if let Some(r) = root.converged().filter(|r| r.is_finite())
                        && best.is_none_or(|b| r.abs() < b.abs())
                    {
                        best = Some(r);
                    }
                    break;
                }
                prev = y;
            }
        }
        best.ok_or(if healthy {
            super::NoLiquidationPrice::FullyCollateralised
        } else {
            super::NoLiquidationPrice::LiquidatableAtAnyPrice
        })
    }

    /// Distance of position `id` to its liquidation price as a fraction of its mark,
    /// (LP − M)/M (negative for a long: the fall that liquidates), others at their marks.
    /// `None` when there is no liquidation price.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`]; [`MarginError::OutOfRange`] if the distance overflows
    /// (a mark near 1e-308).
    pub fn distance_to_liquidation(&self, id: PositionId) -> Result<Option<f64>, MarginError> {
        let mark = self.get(id)?.mark;
        self.liquidation_price(id)?
            .price()
            .map(|lp| check_finite("distance to liquidation", (lp - mark) / mark))
            .transpose()
    }

    /// Shortfall max(0, −equity): what the insurance fund covers if the account is closed at the
    /// current marks.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// a.set_mark(id, 51_500.0)?;                 // loss 1,500 on a 1,000 wallet
    /// assert_eq!(a.shortfall(), 500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn shortfall(&self) -> f64 {
        (-self.equity()).max(0.0)
    }

    /// The nearest common move, down and up, of the marks of the positions in `group` only (the
    /// others held at their marks) that liquidates the account: Binance's hedge-mode rule ("the
    /// long and the short of one symbol share one liquidation price") is the group of that
    /// symbol's positions, whose liquidation price is `mark × (1 + move)`. Allocation-free.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`] for an id in `group` that the account does not hold.
    ///
    /// ```
    /// use derisk::margin::{AnyModel, CrossAccount, FlatRate, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// // B6 plus an ETH position held at its mark (uPnL −1,000, flat 1 % MM of 29,000 = 290):
    /// // 10,000 − 1,000 − 290 + (P − 50,000) + 0.5·(52,000 − P) = 0.006·P → P = 15,290/0.494.
    /// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.01)?;
    /// let mut a = CrossAccount::<AnyModel>::new(10_000.0)?;
    /// let t: AnyModel = TierTable::binance_btcusdt_2021_03_18().into();
    /// let long = a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, t.clone())?;
    /// let short = a.add(Position::new(u, Side::Short, 0.5, 52_000.0)?, 50_000.0, 20.0, t)?;
    /// a.add(Position::new(u, Side::Long, 10.0, 3_000.0)?, 2_900.0, 10.0, FlatRate::new(0.01, 50.0)?.into())?;
    /// let down = a.common_move_of(&[long, short])?.down.unwrap();
    /// assert!((50_000.0 * (1.0 + down) - 15_290.0 / 0.494).abs() < 1e-6);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn common_move_of(&self, group: &[PositionId]) -> Result<CommonMove, MarginError> {
        for &id in group {
            self.index_of(id)?;
        }
        Ok(self.search_moves(Some(group)))
    }

    /// The nearest common move of every mark, down and up, that brings equity to the maintenance
    /// requirement (the account's distance to liquidation). Scans ln(1 + x) in steps of 0.005 out
    /// to ±10 and solves the first sign change with [`brent`](crate::math::brent) to full
    /// precision; allocation-free.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// // docs/margin.md B6 (hedge mode, one symbol): wallet 10,000, long 1 at 50,000 and short
    /// // 0.5 at 52,000, MMR 0.4 %: LP = 14,000/0.494 = 28,340.08 (by hand).
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// a.add(Position::new(u, Side::Short, 0.5, 52_000.0)?, 50_000.0, 20.0, &t)?;
    /// let down = a.common_move().down.unwrap();
    /// assert!((50_000.0 * (1.0 + down) - 14_000.0 / 0.494).abs() < 1e-6);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn common_move(&self) -> CommonMove {
        self.search_moves(None)
    }

    fn search_moves(&self, group: Option<&[PositionId]>) -> CommonMove {
        // the marks of `group` (all when `None`), and the prices of their underlyings, × (1 + x)
        let moved = |e: &CrossEntry<M>| group.is_none_or(|g| g.contains(&e.id));
        let surplus = |x: f64| {
            let (equity, mm) = self.totals(1.0 + x, &moved, None);
            equity - mm
        };
        let g0 = surplus(0.0);
        // y = ln(1 + x): scan in steps of 0.005 out to ±10, then the root finder on the first
        // sign change.
        let g = |y: f64| surplus(y.exp_m1());
        let search = |direction: f64| -> Option<f64> {
            if g0 <= 0.0 {
                return Some(0.0);
            }
            let step = 0.005;
            let mut prev = 0.0_f64;
            for k in 1..=2_000_u32 {
                let y = direction * f64::from(k) * step;
                if g(y) <= 0.0 {
                    let root = brent(g, prev, y, &RootOptions::default());
                    return Some(root.x.exp_m1());
                }
                prev = y;
            }
            None
        };
        CommonMove {
            down: search(-1.0),
            up: search(1.0),
        }
    }
}

/// An isolated position held in an [`Account`], with its mark and margin model.
///
/// ```
/// use derisk::margin::{FlatRate, Instrument, IsolatedEntry, IsolatedPosition, Position, Side};
/// use derisk::market::Currency;
/// let p = Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 100.0)?;
/// let id = derisk::portfolio::PositionId(0);
/// let e = IsolatedEntry { id, position: IsolatedPosition::new(p, 10.0)?, mark: 95.0, model: FlatRate::new(0.01, 20.0)? };
/// assert_eq!(e.position.equity(e.mark)?, 5.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IsolatedEntry<M> {
    /// Its id in the [`Account`] (from the same sequence as the cross pool's, so an id names one
    /// position of the account), never reused.
    pub id: PositionId,
    /// The position and its margin.
    pub position: IsolatedPosition,
    /// Its current mark price.
    pub mark: f64,
    /// Its venue model.
    pub model: M,
}

impl<M> IsolatedEntry<M> {
    fn equity(&self) -> f64 {
        self.position.margin() + self.position.position().pnl_unchecked(self.mark)
    }
}

/// An account with a cross pool and isolated positions kept apart: an isolated position can lose
/// only its own margin, the cross pool never tops it up, and margin moves between them only by
/// an explicit transfer limited by the cross available balance.
///
/// ```text
/// total equity = cross equity + Σ max(0, isolated equityᵢ)      a bankrupt isolated leg costs
///                                                               its margin, the rest is the
///                                                               insurance fund's shortfall
/// ```
///
/// ```
/// use derisk::margin::{Account, CrossAccount, Instrument, IsolatedPosition, Position, Side, TierTable};
/// use derisk::market::Currency;
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
/// let mut acct = Account::new(CrossAccount::new(10_000.0)?);
/// let i = acct.add_isolated(IsolatedPosition::new(Position::new(u, Side::Long, 1.0, 50_000.0)?, 0.0)?, 50_000.0, &t)?;
/// acct.transfer_to_isolated(i, 2_500.0)?;
/// assert_eq!(acct.cross().wallet_balance(), 7_500.0);
/// acct.set_isolated_mark(i, 40_000.0)?;                  // the isolated leg is bankrupt …
/// assert_eq!(acct.isolated_shortfall(), 7_500.0);        // … its loss beyond 2,500 is not ours
/// assert_eq!(acct.total_equity(), 7_500.0);              // the cross pool is untouched
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
///
/// Behind the `serde` feature, deserialising goes through [`Account::new`] and
/// [`Account::add_isolated`] (and the cross pool through its own checks).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "AccountData<M>",
        bound(deserialize = "M: MarginModel + serde::Deserialize<'de>")
    )
)]
pub struct Account<M> {
    cross: CrossAccount<M>,
    isolated: Vec<IsolatedEntry<M>>,
}

impl<M: MarginModel> Account<M> {
    /// An account around a cross pool, with no isolated positions yet.
    #[must_use]
    pub const fn new(cross: CrossAccount<M>) -> Self {
        Self {
            cross,
            isolated: Vec::new(),
        }
    }

    /// The cross pool.
    #[must_use]
    pub const fn cross(&self) -> &CrossAccount<M> {
        &self.cross
    }

    /// The cross pool, mutably (add positions, move marks).
    pub fn cross_mut(&mut self) -> &mut CrossAccount<M> {
        &mut self.cross
    }

    /// The isolated positions with their ids, marks and models, in increasing id order (each
    /// one's liquidation price is `entry.position.liquidation_price(&entry.model)`).
    #[must_use]
    pub fn isolated(&self) -> &[IsolatedEntry<M>] {
        &self.isolated
    }

    /// Isolated position `id`.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`] if the account holds no isolated position `id`.
    pub fn isolated_entry(&self, id: PositionId) -> Result<&IsolatedEntry<M>, MarginError> {
        Ok(&self.isolated[self.isolated_index(id)?])
    }

    fn isolated_index(&self, id: PositionId) -> Result<usize, MarginError> {
        self.isolated
            .binary_search_by_key(&id, |e| e.id)
            .map_err(|_| MarginError::UnknownPosition { id })
    }

    /// Adds an isolated position (with the margin it already holds) at `mark`; returns its id,
    /// taken from the same sequence as the cross pool's ids (increasing, never reused).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`]; [`MarginError::OutOfRange`] if its equity at `mark`, or the
    /// account's total, overflows.
    pub fn add_isolated(
        &mut self,
        position: IsolatedPosition,
        mark: f64,
        model: M,
    ) -> Result<PositionId, MarginError> {
        let id = PositionId(self.cross.next_id);
        self.insert_isolated(id, position, mark, model)?;
        self.cross.next_id += 1;
        Ok(id)
    }

    fn insert_isolated(
        &mut self,
        id: PositionId,
        position: IsolatedPosition,
        mark: f64,
        model: M,
    ) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        position.equity(mark)?;
        let settlement = position.position().instrument().settlement();
        self.cross.rate(self.cross.currency.map(|_| settlement))?;
        self.isolated.push(IsolatedEntry {
            id,
            position,
            mark,
            model,
        });
        if let Err(e) = self.check_isolated_totals() {
            self.isolated.pop();
            return Err(e);
        }
        Ok(())
    }

    /// Removes isolated position `id` and returns it (its margin leaves with it; the cross pool
    /// is untouched). The other positions keep their ids.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`].
    ///
    /// ```
    /// use derisk::margin::{Account, CrossAccount, Instrument, IsolatedPosition, Position, Side, TierTable};
    /// use derisk::market::Currency;
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?;
    /// let iso = IsolatedPosition::new(Position::new(u, Side::Long, 1.0, 50_000.0)?, 2_500.0)?;
    /// let mut acct = Account::new(CrossAccount::new(1_000.0)?);
    /// let a = acct.add_isolated(iso, 50_000.0, &t)?;
    /// let b = acct.add_isolated(iso, 49_000.0, &t)?;
    /// assert_eq!(acct.remove_isolated(a)?.mark, 50_000.0);
    /// assert_eq!(acct.isolated_entry(b)?.mark, 49_000.0);
    /// assert_eq!(acct.total_equity(), 1_000.0 + 1_500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn remove_isolated(&mut self, id: PositionId) -> Result<IsolatedEntry<M>, MarginError> {
        let i = self.isolated_index(id)?;
        Ok(self.isolated.remove(i))
    }

    /// The isolated equities and their sums are finite (kept by every mutator).
    fn check_isolated_totals(&self) -> Result<(), MarginError> {
        let mut total = self.cross.equity();
        for e in &self.isolated {
            total += check_finite("isolated equity", e.equity() * self.rate_of(e))?.abs();
        }
        check_finite("total equity", total).map(|_| ())
    }

    /// Moves isolated position `id`'s mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`] or [`MarginError::InvalidPrice`];
    /// [`MarginError::OutOfRange`] if its equity or the account's total overflows (the mark is
    /// then unchanged).
    pub fn set_isolated_mark(&mut self, id: PositionId, mark: f64) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        let index = self.isolated_index(id)?;
        let old = std::mem::replace(&mut self.isolated[index].mark, mark);
        self.check_isolated_totals()
            .inspect_err(|_| self.isolated[index].mark = old)
    }

    /// Moves `amount` from the cross wallet (margin currency) into isolated position `id`'s
    /// margin, limited by the cross available balance; the position must settle in the margin
    /// currency.
    ///
    /// # Errors
    ///
    /// [`MarginError::InsufficientMargin`] beyond the available balance,
    /// [`MarginError::UnknownPosition`], [`MarginError::MixedSettlement`] for a position settled
    /// in another currency, [`MarginError::InvalidAmount`]; as
    /// [`CrossAccount::initial_margin`]; [`MarginError::OutOfRange`] if the isolated margin would
    /// overflow (nothing moves then).
    pub fn transfer_to_isolated(&mut self, id: PositionId, amount: f64) -> Result<(), MarginError> {
        let amount = check_amount("transfer", amount)?;
        let index = self.isolated_index(id)?;
        let settlement = self.isolated[index]
            .position
            .position()
            .instrument()
            .settlement();
        if self.cross.currency.is_some_and(|m| m != settlement) {
            return Err(MarginError::MixedSettlement);
        }
        let available = self.cross.available_balance()?.min(self.cross.wallet);
        if amount > available {
            return Err(MarginError::InsufficientMargin {
                requested: amount,
                available,
            });
        }
        self.isolated[index].position.add_margin(amount)?;
        self.cross.wallet -= amount;
        Ok(())
    }

    /// r(c) of an isolated position's settlement currency (checked when it was added).
    fn rate_of(&self, e: &IsolatedEntry<M>) -> f64 {
        let c = e.position.position().instrument().settlement();
        self.cross
            .moved_rate(self.cross.currency.map(|_| c), 1.0, &|_| false)
    }

    /// Cross equity plus each isolated position's equity floored at zero, in the margin
    /// currency (each isolated equity converted from its settlement currency at r(c)).
    #[must_use]
    pub fn total_equity(&self) -> f64 {
        self.cross.equity()
            + self
                .isolated
                .iter()
                .map(|e| e.equity().max(0.0) * self.rate_of(e))
                .sum::<f64>()
    }

    /// Σ isolated shortfalls (losses beyond each isolated margin), in the margin currency: the
    /// insurance fund's, not the cross pool's.
    #[must_use]
    pub fn isolated_shortfall(&self) -> f64 {
        self.isolated
            .iter()
            .map(|e| (-e.equity()).max(0.0) * self.rate_of(e))
            .sum()
    }
}

/// The plain fields of a [`CrossAccount`], replayed through its constructor and `add`.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct CrossAccountData<M> {
    #[serde(default)]
    currency: Option<Currency>,
    wallet: f64,
    #[serde(default)]
    balances: Vec<BalanceData>,
    #[serde(default)]
    prices: Vec<(Currency, f64)>,
    entries: Vec<CrossEntry<M>>,
    next_id: u64,
}

/// The plain fields of a [`Balance`], replayed through [`CrossAccount::set_balance`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct BalanceData {
    currency: Currency,
    amount: f64,
    haircuts: Vec<HaircutTier>,
}

#[cfg(feature = "serde")]
impl<M: MarginModel> TryFrom<CrossAccountData<M>> for CrossAccount<M> {
    type Error = MarginError;

    fn try_from(d: CrossAccountData<M>) -> Result<Self, MarginError> {
        let mut account = match d.currency {
            Some(c) => Self::in_currency(c, d.wallet)?,
            None => Self::new(d.wallet)?,
        };
        for (c, p) in d.prices {
            account.set_price(c, p)?;
        }
        for b in &d.balances {
            account.set_balance(b.currency, 0.0, &b.haircuts)?;
        }
        for e in d.entries {
            check_new_id(e.id, account.entries.last().map(|l| l.id), d.next_id)?;
            account.insert(e.id, e.position, e.mark, e.leverage, e.model)?;
        }
        // balances last: a debt (negative balance) is only reachable through fills and funding
        for b in d.balances {
            let amount = check_finite("balance", b.amount)?;
            let old = account.balances.clone();
            if let Some(slot) = account
                .balances
                .iter_mut()
                .find(|x| x.currency == b.currency)
            {
                slot.amount = amount;
            }
            account
                .check_totals()
                .inspect_err(|_| account.balances = old)?;
        }
        account.next_id = d.next_id;
        Ok(account)
    }
}

/// The plain fields of an [`Account`], replayed through its constructor and `add_isolated`.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "M: MarginModel + serde::Deserialize<'de>"))]
struct AccountData<M> {
    cross: CrossAccount<M>,
    isolated: Vec<IsolatedEntry<M>>,
}

#[cfg(feature = "serde")]
impl<M: MarginModel> TryFrom<AccountData<M>> for Account<M> {
    type Error = MarginError;

    fn try_from(d: AccountData<M>) -> Result<Self, MarginError> {
        let mut account = Self::new(d.cross);
        for e in d.isolated {
            check_new_id(
                e.id,
                account.isolated.last().map(|l| l.id),
                account.cross.next_id,
            )?;
            if account.cross.index_of(e.id).is_ok() {
                return Err(MarginError::DuplicatePosition { id: e.id });
            }
            account.insert_isolated(e.id, e.position, e.mark, e.model)?;
        }
        Ok(account)
    }
}

/// A loaded id must be above the previous one (ids are sorted) and below the next id to give.
#[cfg(feature = "serde")]
fn check_new_id(
    id: PositionId,
    previous: Option<PositionId>,
    next_id: u64,
) -> Result<(), MarginError> {
    if previous.is_some_and(|p| p >= id) {
        return Err(MarginError::DuplicatePosition { id });
    }
    if id.0 >= next_id {
        return Err(MarginError::UnknownPosition { id });
    }
    Ok(())
}

impl<M: MarginModel + Clone> super::MarginAccount for CrossAccount<M> {
    fn step(
        &self,
        event: &super::MarginEvent,
        call_level: f64,
    ) -> Result<(Self, Vec<super::MarginAction>), MarginError> {
        use super::{MarginAction, MarginEvent};
        if !(call_level > 0.0 && call_level <= 1.0) {
            return Err(MarginError::InvalidParameter {
                name: "margin call level",
                value: call_level,
            });
        }
        let mut next = self.clone();
        let mut actions = Vec::new();
        match *event {
            MarginEvent::Mark { id, price } => next.set_mark(id, price)?,
            MarginEvent::Price { currency, price } => next.set_price(currency, price)?,
            MarginEvent::Fill {
                id,
                side,
                contracts,
                price,
            } => {
                let pnl = next.fill(id, side, contracts, price)?;
                actions.push(MarginAction::Realised { id, pnl });
            }
            MarginEvent::Funding { id, rate } => {
                let amount = next.apply_funding(id, rate)?;
                actions.push(MarginAction::FundingPaid { id, amount });
            }
            MarginEvent::Wallet { balance } => next.set_wallet_balance(balance)?,
        }
        let (equity, maintenance) = (next.equity(), next.maintenance_margin());
        if !next.entries.is_empty() && equity <= maintenance {
            actions.push(MarginAction::Liquidatable {
                equity,
                maintenance,
            });
        } else if equity > 0.0 && maintenance / equity >= call_level {
            actions.push(MarginAction::MarginCall {
                margin_ratio: maintenance / equity,
            });
        }
        Ok((next, actions))
    }
}
