//! Cross margin: positions sharing one wallet; and an account that keeps isolated positions out of
//! the cross pool.

use super::error::{check_amount, check_finite, check_leverage, check_price, MarginError};
use super::instrument::ContractKind;
use super::isolated::IsolatedPosition;
use super::liquidation::{maintenance_at, round, solve, LiquidationPrice};
use super::position::{value_at, Position};
use super::traits::MarginModel;
use crate::math::{brent, RootOptions};
use crate::portfolio::PositionId;

/// One position of a cross account with its mark, chosen leverage and margin model.
///
/// ```
/// use derisk::margin::{CrossEntry, FlatRate, Instrument, Position, Side};
/// let p = Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 100.0)?;
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

/// A cross-margin account in one settlement currency: one wallet behind every position.
///
/// ```text
/// equity          = wallet + Σ uPnLᵢ(Mᵢ)
/// maintenance     = Σ MMᵢ(valueᵢ(Mᵢ))             initial = Σ valueᵢ(Mᵢ)/leverageᵢ
/// margin ratio    = maintenance / equity          liquidation when ≥ 1
/// available       = max(0, equity − initial)
/// LP of position i: that position's isolated LP with margin = wallet + Σ_{j≠i} (uPnLⱼ − MMⱼ)
/// ```
///
/// Sources: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (cross:
/// WB − TMM₁ + UPNL₁ stands behind the position); Binance "Margin ratio"
/// (maintenance margin / margin balance).
///
/// ```
/// use derisk::margin::{AnyModel, CrossAccount, FlatRate, Instrument, Position, Side, TierTable};
/// // docs/margin.md vector B5: wallet 5,000; another position with MM 200 and uPnL −300;
/// // long 1 BTC at 50,000 → LP = (5,000 − 200 − 300 − 50,000)/(1 × (0.004 − 1)) = 45,682.73…
/// let usdt = Instrument::linear_perpetual(1.0, 0.01)?;
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
/// Behind the `serde` feature it serialises as its wallet and entries, and deserialising
/// rebuilds it through [`CrossAccount::new`] and [`CrossAccount::add`], so every check (amounts,
/// marks, leverage, one settlement currency, finite totals) applies to loaded data.
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
    wallet: f64,
    /// Sorted by id (ids increase on add, removal keeps the order).
    entries: Vec<CrossEntry<M>>,
    /// The id the next position gets (shared with the isolated positions of an [`Account`]).
    next_id: u64,
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
            wallet: check_amount("wallet balance", wallet)?,
            entries: Vec::new(),
            next_id: 0,
        })
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(1.0, 0.1)?;
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
        if let Some(first) = self.entries.first() {
            let a = first.position.instrument();
            let b = position.instrument();
            if a.kind() != b.kind() || a.settlement() != b.settlement() {
                return Err(MarginError::MixedSettlement);
            }
        }
        model.initial_margin(position.value(mark)?, leverage)?;
        position.unrealised_pnl(mark)?;
        check_finite(
            "maintenance margin",
            maintenance_at(&position, mark, &model),
        )?;
        self.entries.push(CrossEntry {
            id,
            position,
            mark,
            leverage,
            model,
        });
        if let Err(e) = self.check_totals() {
            self.entries.pop();
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(1.0, 0.1)?;
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
        let mut equity = self.wallet;
        let mut mm = 0.0;
        for e in &self.entries {
            let v = value_at(e.position.kind(), e.position.exposure(), e.mark);
            check_finite("position value", v)?;
            equity += check_finite("unrealised pnl", e.position.pnl_unchecked(e.mark))?;
            mm += check_finite(
                "maintenance margin",
                maintenance_at(&e.position, e.mark, &e.model),
            )?;
        }
        check_finite("equity", equity)?;
        check_finite("maintenance margin", mm)?;
        Ok(())
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 2.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
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
        let wallet = check_finite("wallet balance", self.wallet + fill.realised_pnl)?;
        if let Some(p) = fill.position {
            let old = std::mem::replace(&mut self.entries[index].position, p);
            let old_wallet = std::mem::replace(&mut self.wallet, wallet);
            if let Err(e) = self.check_totals() {
                self.entries[index].position = old;
                self.wallet = old_wallet;
                return Err(e);
            }
        } else {
            self.wallet = wallet;
            self.entries.remove(index);
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// assert!((a.apply_funding(id, 0.0001)? - 5.0).abs() < 1e-12); // the short receives 0.01 % of 50,000
    /// assert!((a.wallet_balance() - 1_005.0).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn apply_funding(&mut self, id: PositionId, rate: f64) -> Result<f64, MarginError> {
        let e = self.get(id)?;
        let flow = e.position.funding(rate, e.mark)?.max(-self.wallet);
        let old = self.wallet;
        self.wallet = check_finite("wallet balance", self.wallet + flow)?.max(0.0);
        self.check_totals().inspect_err(|_| self.wallet = old)?;
        Ok(flow)
    }

    /// Σ uPnL at the current marks.
    #[must_use]
    pub fn unrealised_pnl(&self) -> f64 {
        self.entries
            .iter()
            .map(|e| e.position.pnl_unchecked(e.mark))
            .sum()
    }

    /// Equity (margin balance) = wallet + Σ uPnL.
    #[must_use]
    pub fn equity(&self) -> f64 {
        self.wallet + self.unrealised_pnl()
    }

    /// Σ maintenance requirements at the current marks.
    #[must_use]
    pub fn maintenance_margin(&self) -> f64 {
        self.entries
            .iter()
            .map(|e| maintenance_at(&e.position, e.mark, &e.model))
            .sum()
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 100.0, &t)?;
    /// assert_eq!(a.initial_margin()?, 500.0);
    /// a.set_mark(id, 300_000.0)?; // 300,000 USDT is in the 50x bracket: 100x no longer allowed
    /// assert!(matches!(a.initial_margin(), Err(MarginError::LeverageAboveMax { .. })));
    /// # Ok::<(), MarginError>(())
    /// ```
    pub fn initial_margin(&self) -> Result<f64, MarginError> {
        let mut total = 0.0;
        for e in &self.entries {
            let v = value_at(e.position.kind(), e.position.exposure(), e.mark);
            total += e.model.initial_margin(v, e.leverage)?;
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 48_000.0, 20.0, &t)?;
    /// // MM = 48,000 × 0.4 % = 192; equity = 10,000 − 2,000 = 8,000; ratio 2.4 % (by hand)
    /// assert!((a.margin_ratio()? - 0.024).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn margin_ratio(&self) -> Result<f64, MarginError> {
        let mut equity = self.wallet;
        let mut mm = 0.0;
        for e in &self.entries {
            equity += e.position.pnl_unchecked(e.mark);
            mm += maintenance_at(&e.position, e.mark, &e.model);
        }
        if equity > 0.0 {
            check_finite("margin ratio", mm / equity)
        } else {
            Err(MarginError::Bankrupt { equity })
        }
    }

    /// Liquidation price of position `id` with every other position held at its mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::UnknownPosition`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(2_500.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// // one position: the isolated B1 price, 47,500/0.996 = 47,690.76…, 4.62 % below the mark
    /// assert!((a.liquidation_price(id)?.price().unwrap() - 47_500.0 / 0.996).abs() < 1e-9);
    /// assert!((a.distance_to_liquidation(id)?.unwrap() - (47_500.0 / 0.996 / 50_000.0 - 1.0)).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn liquidation_price(&self, id: PositionId) -> Result<LiquidationPrice, MarginError> {
        let index = self.index_of(id)?;
        let e = &self.entries[index];
        let mut margin = self.wallet;
        for (j, o) in self.entries.iter().enumerate() {
            if j != index {
                margin += o.position.pnl_unchecked(o.mark)
                    - maintenance_at(&o.position, o.mark, &o.model);
            }
        }
        Ok(round(
            solve(&e.position, margin, &e.model),
            e.position.side(),
            e.position.instrument().tick_size(),
            e.model.tick_rounding(),
        ))
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// let id = a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// a.set_mark(id, 51_500.0)?;                 // loss 1,500 on a 1,000 wallet
    /// assert_eq!(a.shortfall(), 500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn shortfall(&self) -> f64 {
        (-self.equity()).max(0.0)
    }

    /// g(x) = equity − maintenance with the marks of `group` (all when `None`) multiplied by
    /// (1 + x).
    fn surplus_after_move(&self, x: f64, group: Option<&[PositionId]>) -> f64 {
        let mut g = self.wallet;
        for e in &self.entries {
            let moved = group.map_or(true, |g| g.contains(&e.id));
            let m = if moved { e.mark * (1.0 + x) } else { e.mark };
            g += e.position.pnl_unchecked(m) - maintenance_at(&e.position, m, &e.model);
        }
        g
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
    /// // B6 plus an ETH position held at its mark (uPnL −1,000, flat 1 % MM of 29,000 = 290):
    /// // 10,000 − 1,000 − 290 + (P − 50,000) + 0.5·(52,000 − P) = 0.006·P → P = 15,290/0.494.
    /// let u = Instrument::linear_perpetual(1.0, 0.01)?;
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
    /// // docs/margin.md B6 (hedge mode, one symbol): wallet 10,000, long 1 at 50,000 and short
    /// // 0.5 at 52,000, MMR 0.4 %: LP = 14,000/0.494 = 28,340.08 (by hand).
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(1.0, 0.1)?;
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
        let g0 = self.surplus_after_move(0.0, group);
        // y = ln(1 + x): scan in steps of 0.005 out to ±10, then the root finder on the first
        // sign change.
        let g = |y: f64| self.surplus_after_move(y.exp_m1(), group);
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
/// let p = Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 100.0)?;
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
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// let u = Instrument::linear_perpetual(1.0, 0.1)?;
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
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let u = Instrument::linear_perpetual(1.0, 0.1)?;
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
            total += check_finite("isolated equity", e.equity())?.abs();
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

    /// Moves `amount` from the cross wallet into isolated position `id`'s margin, limited by
    /// the cross available balance.
    ///
    /// # Errors
    ///
    /// [`MarginError::InsufficientMargin`] beyond the available balance,
    /// [`MarginError::UnknownPosition`], [`MarginError::InvalidAmount`]; as
    /// [`CrossAccount::initial_margin`]; [`MarginError::OutOfRange`] if the isolated margin would
    /// overflow (nothing moves then).
    pub fn transfer_to_isolated(&mut self, id: PositionId, amount: f64) -> Result<(), MarginError> {
        let amount = check_amount("transfer", amount)?;
        let index = self.isolated_index(id)?;
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

    /// Cross equity plus each isolated position's equity floored at zero.
    #[must_use]
    pub fn total_equity(&self) -> f64 {
        self.cross.equity()
            + self
                .isolated
                .iter()
                .map(|e| e.equity().max(0.0))
                .sum::<f64>()
    }

    /// Σ isolated shortfalls (losses beyond each isolated margin): the insurance fund's, not the
    /// cross pool's.
    #[must_use]
    pub fn isolated_shortfall(&self) -> f64 {
        self.isolated.iter().map(|e| (-e.equity()).max(0.0)).sum()
    }
}

/// The plain fields of a [`CrossAccount`], replayed through its constructor and `add`.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct CrossAccountData<M> {
    wallet: f64,
    entries: Vec<CrossEntry<M>>,
    next_id: u64,
}

#[cfg(feature = "serde")]
impl<M: MarginModel> TryFrom<CrossAccountData<M>> for CrossAccount<M> {
    type Error = MarginError;

    fn try_from(d: CrossAccountData<M>) -> Result<Self, MarginError> {
        let mut account = Self::new(d.wallet)?;
        for e in d.entries {
            check_new_id(e.id, account.entries.last().map(|l| l.id), d.next_id)?;
            account.insert(e.id, e.position, e.mark, e.leverage, e.model)?;
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
