//! The margin trait: a venue's maintenance brackets, its closing-fee reserve and its conventions.

use std::sync::Arc;

use super::error::{check_leverage, MarginError};
use super::tiers::Bracket;
use super::venue::{MaintenanceBasis, TickRounding};

/// Initial and maintenance requirement of a position, from the venue's notional brackets.
///
/// A model is a list of brackets over the position value `n` (settlement currency: USDT for
/// linear contracts, coin for inverse ones), each with a maintenance rate `r`, a maintenance
/// amount `a` and a maximum leverage, plus the fee the venue reserves for closing:
///
/// ```text
/// MM(n) = n·(r_b + fee) − a_b          b = the bracket with floor_b < n ≤ cap_b
/// IM(n) = n / leverage                 leverage ≤ max_leverage_b
/// ```
///
/// Implement [`bracket_count`](MarginModel::bracket_count) and
/// [`bracket_at`](MarginModel::bracket_at); everything else is provided. A venue whose
/// requirement is not a bracket formula overrides [`maintenance_margin`](MarginModel::maintenance_margin)
/// (and [`max_leverage`](MarginModel::max_leverage)) and returns `false` from
/// [`is_bracketed`](MarginModel::is_bracketed), as [`SizeScaled`](super::SizeScaled) does. The last bracket extends
/// past its cap for the maintenance requirement (the venue would refuse the position; the
/// requirement of an existing one stays defined), while [`initial_margin`](MarginModel::initial_margin)
/// refuses notionals beyond it. Sources: Binance "Leverage and Margin of USDⓈ-M Futures" (MM =
/// notional × rate − maintenance amount); Bybit "Margin parameters"; OKX "Tiered maintenance margin
/// ratio rules" (fee added to the maintenance rate).
///
/// ```
/// use derisk::margin::{MarginModel, TierTable};
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// // Binance FAQ: a 500,000 USDT BTCUSDT position needs 500,000 × 1 % − 1,300 = 3,700.
/// assert!((t.maintenance_margin(500_000.0) - 3_700.0).abs() < 1e-9);
/// assert_eq!(t.initial_margin(500_000.0, 50.0)?, 10_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub trait MarginModel {
    /// Number of brackets (≥ 1).
    fn bracket_count(&self) -> usize;

    /// Bracket `index` in increasing notional order, `None` past the end.
    fn bracket_at(&self, index: usize) -> Option<Bracket>;

    /// Fee rate reserved for closing, added to every maintenance rate (0 unless the venue counts
    /// it, as OKX does).
    fn closing_fee_rate(&self) -> f64 {
        0.0
    }

    /// Whether the maintenance requirement is taken on the value at the mark (Binance, OKX) or at
    /// entry (Bybit's displayed liquidation price).
    fn maintenance_basis(&self) -> MaintenanceBasis {
        MaintenanceBasis::Mark
    }

    /// How liquidation and bankruptcy prices are rounded to the tick.
    fn tick_rounding(&self) -> TickRounding {
        TickRounding::None
    }

    /// `true` (the default) when the requirement is exactly the bracket formula, so liquidation
    /// prices have a closed form per bracket. A model that overrides
    /// [`maintenance_margin`](MarginModel::maintenance_margin) with anything else (a rate growing
    /// with size, as Deribit's futures) returns `false`, and liquidation prices are then found by
    /// the crate's bracketed root finder ([`brent_log`](crate::math::brent_log)) on equity −
    /// requirement, over the whole positive price axis.
    fn is_bracketed(&self) -> bool {
        true
    }

    /// The bracket whose range holds `notional` (the last one beyond the last cap).
    ///
    /// ```
    /// use derisk::margin::{MarginModel, TierTable};
    /// let b = TierTable::binance_btcusdt_2021_03_18().bracket(250_000.0);
    /// assert_eq!((b.maintenance_rate, b.maintenance_amount), (0.005, 50.0));
    /// ```
    fn bracket(&self, notional: f64) -> Bracket {
        let n = self.bracket_count();
        // Binary search on caps: brackets are few but this is a hot path.
        let (mut lo, mut hi) = (0_usize, n.saturating_sub(1));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.bracket_at(mid) {
                Some(b) if b.cap < notional => lo = mid + 1,
                _ => hi = mid,
            }
        }
        self.bracket_at(lo).unwrap_or(Bracket::UNBOUNDED)
    }

    /// Maintenance requirement MM(n) = max(0, n·(r + fee) − a), settlement currency. A
    /// validated [`TierTable`](super::TierTable) refuses tiers whose amount exceeds floor × rate
    /// beyond rounding, so the floor at 0 only removes rounding; NaN propagates.
    fn maintenance_margin(&self, notional: f64) -> f64 {
        let b = self.bracket(notional);
        let mm = notional * (b.maintenance_rate + self.closing_fee_rate()) - b.maintenance_amount;
        // floored at 0 (rounding of a continuous table at a floor), NaN kept
        if mm < 0.0 {
            0.0
        } else {
            mm
        }
    }

    /// Maximum leverage at `notional`.
    fn max_leverage(&self, notional: f64) -> f64 {
        self.bracket(notional).max_leverage
    }

    /// Initial margin n / leverage.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidLeverage`], [`MarginError::LeverageAboveMax`] when the leverage
    /// exceeds the bracket's maximum, [`MarginError::NotionalAboveLimit`] beyond the last cap,
    /// [`MarginError::InvalidAmount`] for a notional that is negative or not finite,
    /// [`MarginError::OutOfRange`] if notional / leverage overflows (a leverage below 1 on a
    /// notional near `f64::MAX`).
    fn initial_margin(&self, notional: f64, leverage: f64) -> Result<f64, MarginError> {
        let notional = super::error::check_amount("notional", notional)?;
        let leverage = check_leverage(leverage)?;
        let last = self
            .bracket_at(self.bracket_count().saturating_sub(1))
            .unwrap_or(Bracket::UNBOUNDED);
        if notional > last.cap {
            return Err(MarginError::NotionalAboveLimit {
                notional,
                cap: last.cap,
            });
        }
        let max_leverage = self.max_leverage(notional);
        if leverage > max_leverage * (1.0 + 1e-12) {
            return Err(MarginError::LeverageAboveMax {
                leverage,
                max_leverage,
                notional,
            });
        }
        super::error::check_finite("initial margin", notional / leverage)
    }
}

// Every method is forwarded, provided ones included: a model that overrides a provided method
// (SizeScaled's maintenance_margin, a venue's own initial_margin) keeps its override behind a
// reference, a Box or an Arc.
macro_rules! forward_margin_model {
    ($($ty:ty),*) => {$(
        impl<M: MarginModel + ?Sized> MarginModel for $ty {
            fn bracket_count(&self) -> usize {
                (**self).bracket_count()
            }
            fn bracket_at(&self, index: usize) -> Option<Bracket> {
                (**self).bracket_at(index)
            }
            fn closing_fee_rate(&self) -> f64 {
                (**self).closing_fee_rate()
            }
            fn maintenance_basis(&self) -> MaintenanceBasis {
                (**self).maintenance_basis()
            }
            fn tick_rounding(&self) -> TickRounding {
                (**self).tick_rounding()
            }
            fn bracket(&self, notional: f64) -> Bracket {
                (**self).bracket(notional)
            }
            fn is_bracketed(&self) -> bool {
                (**self).is_bracketed()
            }
            fn maintenance_margin(&self, notional: f64) -> f64 {
                (**self).maintenance_margin(notional)
            }
            fn max_leverage(&self, notional: f64) -> f64 {
                (**self).max_leverage(notional)
            }
            fn initial_margin(&self, notional: f64, leverage: f64) -> Result<f64, MarginError> {
                (**self).initial_margin(notional, leverage)
            }
        }
    )*};
}

forward_margin_model!(&M, Box<M>, Arc<M>);

/// A margined account as a pure step function: `(state, event) → (new state, actions)`.
///
/// The account is never changed in place: engines, simulations and tests compose steps, and a
/// replay of the same events gives the same states and actions, bit for bit. After every event
/// the account reports `Liquidatable` when equity ≤ maintenance and `MarginCall` when the margin
/// ratio (maintenance / equity) reaches `call_level` (< 1), so an engine need not re-derive it.
/// Implemented by [`CrossAccount`](super::CrossAccount). (DESIGN.md calls this trait `Account`;
/// that name belongs to the cross-plus-isolated account type, see docs/ARCHITECTURE.md.)
///
/// ```
/// use derisk::margin::{CrossAccount, Instrument, MarginAccount, MarginAction, MarginEvent, Position, Side, TierTable};
/// use derisk::market::Currency;
/// let t = TierTable::binance_btcusdt_2021_03_18();
/// let mut a = CrossAccount::new(2_500.0)?;
/// let id = a.add(Position::new(Instrument::linear_perpetual(Currency::BTC, Currency::USDT, 1.0, 0.1)?, Side::Long, 1.0, 50_000.0)?, 50_000.0, 20.0, &t)?;
/// // the LP of this account is 47,500/0.996 = 47,690.76…: a mark below it is liquidatable
/// let (after, actions) = a.step(&MarginEvent::Mark { id, price: 47_600.0 }, 0.8)?;
/// assert!(matches!(actions[..], [MarginAction::Liquidatable { .. }]));
/// assert_eq!(a.get(id)?.mark, 50_000.0);           // the old state is untouched
/// assert_eq!(after.get(id)?.mark, 47_600.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub trait MarginAccount: Sized {
    /// The account after `event`, and what it reports.
    ///
    /// # Errors
    ///
    /// The [`MarginError`] of the mutation the event asks for (an unknown id, a bad price, a
    /// total that leaves f64), with the account unchanged; [`MarginError::InvalidParameter`]
    /// for a `call_level` outside (0, 1].
    fn step(
        &self,
        event: &super::MarginEvent,
        call_level: f64,
    ) -> Result<(Self, Vec<super::MarginAction>), MarginError>;
}
/// Initial and maintenance requirement of a whole book, in one currency.
///
/// ```
/// use derisk::margin::PortfolioRequirement;
/// use derisk::market::Currency;
/// let r = PortfolioRequirement { currency: Currency::BTC, initial: 0.5, maintenance: 0.4 };
/// assert!(r.initial >= r.maintenance);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortfolioRequirement {
    /// The currency of both amounts (the margined book's settlement currency).
    pub currency: crate::market::Currency,
    /// Initial margin: what opening or adding needs.
    pub initial: f64,
    /// Maintenance margin: below it the account is liquidated.
    pub maintenance: f64,
}

/// A portfolio margin method: the requirement of a book of positions taken together (Deribit's
/// risk matrix, SPAN, scenario VaR), so offsetting positions offset:
///
/// ```text
/// requirement(book) = f(P&L of the whole book under the method's scenarios)   ≥ 0
/// ```
///
/// Implemented by [`DeribitPortfolioMargin`](super::DeribitPortfolioMargin),
/// [`SpanModel`](super::SpanModel) and [`ScenarioVarMargin`](super::ScenarioVarMargin); stress
/// tables and the distance to a margin call ([`margin_under_stress`](super::margin_under_stress),
/// [`distance_to_margin_call`](super::distance_to_margin_call)) take any of them. Only the
/// positions settling in `currency` are margined (segregated margin: Deribit support,
/// "Portfolio Margin", S:PM, read 2026-12-04).
///
/// ```
/// use derisk::margin::{DeribitPortfolioMargin, PortfolioMarginModel};
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::Book;
/// use derisk::vol::FlatVol;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(90_000.0, &[])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.5)?)
///     .build()?;
/// let empty = Book::new();
/// let r = DeribitPortfolioMargin::deribit_btc().requirement(&empty, &m, Currency::BTC)?;
/// assert_eq!(r.maintenance, 0.0);
/// # Ok::<(), derisk::Error>(())
/// ```
pub trait PortfolioMarginModel {
    /// The requirement of the positions of `book` that settle in `currency`, at `market`.
    ///
    /// # Errors
    ///
    /// [`MarginError::ExpiredPosition`] for a position past its expiry;
    /// [`MarginError::Portfolio`] if the book cannot be valued under a scenario; the method's
    /// own parameter errors.
    fn requirement(
        &self,
        book: &crate::portfolio::Book,
        market: &crate::market::MarketState,
        currency: crate::market::Currency,
    ) -> Result<PortfolioRequirement, MarginError>;
}

macro_rules! forward_portfolio_margin {
    ($($ty:ty),*) => {$(
        impl<M: PortfolioMarginModel + ?Sized> PortfolioMarginModel for $ty {
            fn requirement(
                &self,
                book: &crate::portfolio::Book,
                market: &crate::market::MarketState,
                currency: crate::market::Currency,
            ) -> Result<PortfolioRequirement, MarginError> {
                (**self).requirement(book, market, currency)
            }
        }
    )*};
}

forward_portfolio_margin!(&M, Box<M>, Arc<M>);
