//! Cross margin: positions sharing one wallet; and an account that keeps isolated positions out of
//! the cross pool.

use super::error::{check_amount, check_leverage, check_price, MarginError};
use super::instrument::ContractKind;
use super::isolated::IsolatedPosition;
use super::liquidation::{maintenance_at, round, solve, LiquidationPrice};
use super::position::Position;
use super::traits::MarginModel;

/// One position of a cross account with its mark, chosen leverage and margin model.
///
/// ```
/// use derisk::margin::{CrossEntry, FlatRate, Instrument, Position, Side};
/// let p = Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 100.0)?;
/// let e = CrossEntry { position: p, mark: 110.0, leverage: 10.0, model: FlatRate::new(0.01, 20.0)? };
/// assert_eq!(e.mark, 110.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CrossEntry<M> {
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
#[derive(Debug, Clone, PartialEq)]
pub struct CrossAccount<M> {
    wallet: f64,
    entries: Vec<CrossEntry<M>>,
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
        })
    }

    /// Adds a position at `mark` with `leverage` and its `model`; returns its index.
    ///
    /// # Errors
    ///
    /// [`MarginError::MixedSettlement`] if its kind or settlement currency differs from the
    /// account's first position;
    /// [`MarginError::InvalidPrice`], [`MarginError::InvalidLeverage`] or
    /// [`MarginError::LeverageAboveMax`] (checked on the value at `mark`).
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
    /// assert_eq!(a.initial_margin(), 9_800.0);
    /// assert_eq!(a.available_balance(), 0.0);           // 8,000 − 9,800 < 0
    /// assert!(a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 200.0, &t).is_err());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn add(
        &mut self,
        position: Position,
        mark: f64,
        leverage: f64,
        model: M,
    ) -> Result<usize, MarginError> {
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
        self.entries.push(CrossEntry {
            position,
            mark,
            leverage,
            model,
        });
        Ok(self.entries.len() - 1)
    }

    /// The positions.
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
    /// [`MarginError::InvalidAmount`].
    pub fn set_wallet_balance(&mut self, wallet: f64) -> Result<(), MarginError> {
        self.wallet = check_amount("wallet balance", wallet)?;
        Ok(())
    }

    /// Moves position `index`'s mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`] or [`MarginError::InvalidPrice`].
    pub fn set_mark(&mut self, index: usize, mark: f64) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        self.entry_mut(index)?.mark = mark;
        Ok(())
    }

    /// Fills `contracts` on `side` at `price` against position `index` with average-entry
    /// accounting ([`Position::fill`]); the realised P&L goes to the wallet (which may go negative:
    /// a debt, see [`shortfall`](Self::shortfall)). A position closed flat is removed, so later
    /// indices shift down by one. Returns the realised P&L.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`], or as [`Position::fill`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 2.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// assert_eq!(a.fill(0, Side::Short, 1.0, 51_000.0)?, 1_000.0); // sell 1 of 2 at +1,000
    /// assert_eq!(a.wallet_balance(), 2_000.0);
    /// assert_eq!(a.entries()[0].position.contracts(), 1.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn fill(
        &mut self,
        index: usize,
        side: super::Side,
        contracts: f64,
        price: f64,
    ) -> Result<f64, MarginError> {
        let fill = self.entry(index)?.position.fill(side, contracts, price)?;
        self.wallet += fill.realised_pnl;
        match fill.position {
            Some(p) => self.entries[index].position = p,
            None => {
                self.entries.remove(index);
            }
        }
        Ok(fill.realised_pnl)
    }

    /// Books one funding payment of position `index` at `rate` into the wallet (floored at 0);
    /// returns the amount received.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`], or as [`Position::funding`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// assert!((a.apply_funding(0, 0.0001)? - 5.0).abs() < 1e-12); // the short receives 0.01 % of 50,000
    /// assert!((a.wallet_balance() - 1_005.0).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn apply_funding(&mut self, index: usize, rate: f64) -> Result<f64, MarginError> {
        let e = self.entry(index)?;
        let flow = e.position.funding(rate, e.mark)?.max(-self.wallet);
        self.wallet += flow;
        Ok(flow)
    }

    fn entry(&self, index: usize) -> Result<&CrossEntry<M>, MarginError> {
        let len = self.entries.len();
        self.entries
            .get(index)
            .ok_or(MarginError::IndexOutOfRange { index, len })
    }

    fn entry_mut(&mut self, index: usize) -> Result<&mut CrossEntry<M>, MarginError> {
        let len = self.entries.len();
        self.entries
            .get_mut(index)
            .ok_or(MarginError::IndexOutOfRange { index, len })
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

    /// Σ initial margins value(M)/leverage at the current marks.
    #[must_use]
    pub fn initial_margin(&self) -> f64 {
        self.entries
            .iter()
            .map(|e| {
                super::position::value_at(e.position.kind(), e.position.exposure(), e.mark)
                    / e.leverage
            })
            .sum()
    }

    /// Available balance max(0, equity − initial margin): what new orders or a withdrawal can use.
    #[must_use]
    pub fn available_balance(&self) -> f64 {
        (self.equity() - self.initial_margin()).max(0.0)
    }

    /// Margin ratio = maintenance / equity; the account is liquidated at ≥ 1. `f64::INFINITY`
    /// when equity ≤ 0 (bankrupt: a state, not an error). Allocation-free.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(10_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 48_000.0, 20.0, &t)?;
    /// // MM = 48,000 × 0.4 % = 192; equity = 10,000 − 2,000 = 8,000; ratio 2.4 % (by hand)
    /// assert!((a.margin_ratio() - 0.024).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn margin_ratio(&self) -> f64 {
        let mut equity = self.wallet;
        let mut mm = 0.0;
        for e in &self.entries {
            equity += e.position.pnl_unchecked(e.mark);
            mm += maintenance_at(&e.position, e.mark, &e.model);
        }
        if equity > 0.0 {
            mm / equity
        } else {
            f64::INFINITY
        }
    }

    /// Liquidation price of position `index` with every other position held at its mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`].
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(2_500.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
    /// // one position: the isolated B1 price, 47,500/0.996 = 47,690.76…, 4.62 % below the mark
    /// assert!((a.liquidation_price(0)?.price().unwrap() - 47_500.0 / 0.996).abs() < 1e-9);
    /// assert!((a.distance_to_liquidation(0)?.unwrap() - (47_500.0 / 0.996 / 50_000.0 - 1.0)).abs() < 1e-15);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn liquidation_price(&self, index: usize) -> Result<LiquidationPrice, MarginError> {
        let e = self.entry(index)?;
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

    /// Distance of position `index` to its liquidation price as a fraction of its mark,
    /// (LP − M)/M (negative for a long: the fall that liquidates), others at their marks.
    /// `None` when there is no liquidation price.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`].
    pub fn distance_to_liquidation(&self, index: usize) -> Result<Option<f64>, MarginError> {
        let mark = self.entry(index)?.mark;
        Ok(self
            .liquidation_price(index)?
            .price()
            .map(|lp| (lp - mark) / mark))
    }

    /// Shortfall max(0, −equity): what the insurance fund covers if the account is closed at the
    /// current marks.
    ///
    /// ```
    /// use derisk::margin::{CrossAccount, Instrument, Position, Side, TierTable};
    /// let t = TierTable::binance_btcusdt_2021_03_18();
    /// let mut a = CrossAccount::new(1_000.0)?;
    /// a.add(Position::new(Instrument::linear_perpetual(1.0, 0.1)?, Side::Short, 1.0, 50_000.0)?, 50_000.0, 50.0, &t)?;
    /// a.set_mark(0, 51_500.0)?;                 // loss 1,500 on a 1,000 wallet
    /// assert_eq!(a.shortfall(), 500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn shortfall(&self) -> f64 {
        (-self.equity()).max(0.0)
    }

    /// g(x) = equity − maintenance with the marks of `group` (all when `None`) multiplied by
    /// (1 + x).
    fn surplus_after_move(&self, x: f64, group: Option<&[usize]>) -> f64 {
        let mut g = self.wallet;
        for (i, e) in self.entries.iter().enumerate() {
            let moved = group.map_or(true, |g| g.contains(&i));
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
    /// [`MarginError::IndexOutOfRange`] for an index in `group` past the end.
    ///
    /// ```
    /// use derisk::margin::{AnyModel, CrossAccount, FlatRate, Instrument, Position, Side, TierTable};
    /// // B6 plus an ETH position held at its mark (uPnL −1,000, flat 1 % MM of 29,000 = 290):
    /// // 10,000 − 1,000 − 290 + (P − 50,000) + 0.5·(52,000 − P) = 0.006·P → P = 15,290/0.494.
    /// let u = Instrument::linear_perpetual(1.0, 0.01)?;
    /// let mut a = CrossAccount::<AnyModel>::new(10_000.0)?;
    /// let t: AnyModel = TierTable::binance_btcusdt_2021_03_18().into();
    /// a.add(Position::new(u, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, t.clone())?;
    /// a.add(Position::new(u, Side::Short, 0.5, 52_000.0)?, 50_000.0, 20.0, t)?;
    /// a.add(Position::new(u, Side::Long, 10.0, 3_000.0)?, 2_900.0, 10.0, FlatRate::new(0.01, 50.0)?.into())?;
    /// let down = a.common_move_of(&[0, 1])?.down.unwrap();
    /// assert!((50_000.0 * (1.0 + down) - 15_290.0 / 0.494).abs() < 1e-6);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn common_move_of(&self, group: &[usize]) -> Result<CommonMove, MarginError> {
        let len = self.entries.len();
        if let Some(&index) = group.iter().find(|&&i| i >= len) {
            return Err(MarginError::IndexOutOfRange { index, len });
        }
        Ok(self.search_moves(Some(group)))
    }

    /// The nearest common move of every mark, down and up, that brings equity to the maintenance
    /// requirement (the account's distance to liquidation). Scans ln(1 + x) in steps of 0.005 out
    /// to ±10 and bisects the first sign change to 1e-12; allocation-free.
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

    fn search_moves(&self, group: Option<&[usize]>) -> CommonMove {
        let g0 = self.surplus_after_move(0.0, group);
        let search = |direction: f64| -> Option<f64> {
            if g0 <= 0.0 {
                return Some(0.0);
            }
            let step = 0.005;
            let mut prev = 0.0_f64;
            let mut k = 1;
            while f64::from(k) * step <= 10.0 {
                let y = direction * f64::from(k) * step;
                if self.surplus_after_move(y.exp_m1(), group) <= 0.0 {
                    let (mut lo, mut hi) = (prev, y);
                    for _ in 0..200 {
                        let mid = 0.5 * (lo + hi);
                        if self.surplus_after_move(mid.exp_m1(), group) > 0.0 {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                        if (hi - lo).abs() < 1e-13 {
                            break;
                        }
                    }
                    return Some((0.5 * (lo + hi)).exp_m1());
                }
                prev = y;
                k += 1;
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
/// let e = IsolatedEntry { position: IsolatedPosition::new(p, 10.0)?, mark: 95.0, model: FlatRate::new(0.01, 20.0)? };
/// assert_eq!(e.position.equity(e.mark)?, 5.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IsolatedEntry<M> {
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
#[derive(Debug, Clone, PartialEq)]
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

    /// The isolated positions with their marks and models (each one's liquidation price is
    /// `entry.position.liquidation_price(&entry.model)`).
    #[must_use]
    pub fn isolated(&self) -> &[IsolatedEntry<M>] {
        &self.isolated
    }

    /// Adds an isolated position (with the margin it already holds) at `mark`; returns its index.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`].
    pub fn add_isolated(
        &mut self,
        position: IsolatedPosition,
        mark: f64,
        model: M,
    ) -> Result<usize, MarginError> {
        self.isolated.push(IsolatedEntry {
            position,
            mark: check_price(mark)?,
            model,
        });
        Ok(self.isolated.len() - 1)
    }

    /// Moves isolated position `index`'s mark.
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`] or [`MarginError::InvalidPrice`].
    pub fn set_isolated_mark(&mut self, index: usize, mark: f64) -> Result<(), MarginError> {
        let mark = check_price(mark)?;
        let len = self.isolated.len();
        self.isolated
            .get_mut(index)
            .ok_or(MarginError::IndexOutOfRange { index, len })?
            .mark = mark;
        Ok(())
    }

    /// Moves `amount` from the cross wallet into isolated position `index`'s margin, limited by
    /// the cross available balance.
    ///
    /// # Errors
    ///
    /// [`MarginError::InsufficientMargin`] beyond the available balance,
    /// [`MarginError::IndexOutOfRange`], [`MarginError::InvalidAmount`].
    pub fn transfer_to_isolated(&mut self, index: usize, amount: f64) -> Result<(), MarginError> {
        let amount = check_amount("transfer", amount)?;
        let len = self.isolated.len();
        if index >= len {
            return Err(MarginError::IndexOutOfRange { index, len });
        }
        let available = self.cross.available_balance().min(self.cross.wallet);
        if amount > available {
            return Err(MarginError::InsufficientMargin {
                requested: amount,
                available,
            });
        }
        self.cross.wallet -= amount;
        self.isolated[index].position.add_margin(amount)
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
