//! A portfolio-margined account: a book of options, futures and perpetuals settling in one
//! currency, its wallet, and the market it is valued in, behind [`MarginAccount`] so the same
//! engines that step cross accounts step it.

use crate::margin::{MarginAccount, MarginAction, MarginError, MarginEvent, PortfolioMarginModel};
use crate::market::{Currency, MarketState, VolDynamics};
use crate::portfolio::{Book, Contract, Instrument};

/// A book margined as a portfolio (Deribit's portfolio margin, SPAN, scenario VaR) in one
/// settlement currency.
///
/// ```text
/// equity      = wallet + Σ value(position)          (Book::value, settlement currency)
/// maintenance = model.requirement(book, market, currency).maintenance
/// liquidatable when equity ≤ maintenance
/// ```
///
/// A `MarginEvent::Price` moves the underlying's spot (every forward in proportion, sticky
/// strike); `Wallet` sets the balance. Positions are valued from the market, so `Mark`, `Fill`
/// and `Funding` events are refused with [`MarginError::InvalidParameter`] (trade through the
/// book and build a new account).
///
/// ```
/// use derisk::margin::{DeribitPortfolioMargin, MarginAccount, MarginAction, MarginEvent, PortfolioAccount};
/// use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position, Settlement};
/// use derisk::pricing::OptionKind;
/// use derisk::vol::FlatVol;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.5)?)
///     .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
///     .build()?;
/// let put = Contract::option(Currency::BTC, OptionKind::Put, 90_000.0, Instant::EPOCH.plus_days(30.0)?, Settlement::Inverse, 1.0)?;
/// let mut book = Book::new();
/// book.insert(Position::new(put, -10.0, 0.0)?);   // short 10 BTC puts
/// let a = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), book, m, Currency::BTC, 5.0)?;
/// assert!(a.equity()? > a.maintenance()?);
/// // BTC falls 30 %: the puts go deep in the money and the account is liquidatable
/// let (after, actions) = a.step(&MarginEvent::Price { currency: Currency::BTC, price: 70_000.0 }, 0.8)?;
/// assert!(actions.iter().any(|x| matches!(x, MarginAction::Liquidatable { .. })));
/// assert!(after.equity()? <= after.maintenance()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PortfolioAccount<M> {
    model: M,
    book: Book<Contract>,
    market: MarketState,
    currency: Currency,
    wallet: f64,
}

impl<M: PortfolioMarginModel> PortfolioAccount<M> {
    /// An account margining `book` (every position settling in `currency`) with `model`, valued
    /// in `market`, with `wallet` (≥ 0) in `currency`.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for the wallet; [`MarginError::MixedSettlement`] for a
    /// position settling in another currency; the model's errors for a book it cannot margin.
    ///
    /// ```
    /// use derisk::margin::{DeribitPortfolioMargin, MarginError, PortfolioAccount};
    /// use derisk::market::{Currency, DayCount, Instant, MarketState};
    /// use derisk::portfolio::Book;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed).build()?;
    /// let e = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), Book::new(), m, Currency::BTC, -1.0);
    /// assert!(matches!(e, Err(MarginError::InvalidAmount { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        model: M,
        book: Book<Contract>,
        market: MarketState,
        currency: Currency,
        wallet: f64,
    ) -> Result<Self, MarginError> {
        let wallet = crate::margin::error::check_amount("wallet", wallet)?;
        if book
            .iter()
            .any(|(_, p)| p.instrument.settlement() != currency)
        {
            return Err(MarginError::MixedSettlement);
        }
        let account = Self {
            model,
            book,
            market,
            currency,
            wallet,
        };
        account.maintenance()?;
        Ok(account)
    }

    /// Wallet plus the book's value, in the account's currency.
    ///
    /// # Errors
    ///
    /// [`MarginError::Portfolio`] when the book cannot be valued in the market.
    ///
    /// ```
    /// # use derisk::margin::{DeribitPortfolioMargin, PortfolioAccount};
    /// # use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    /// # use derisk::portfolio::Book;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
    ///     .build()?;
    /// let a = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), Book::new(), m, Currency::BTC, 1.5)?;
    /// assert_eq!(a.equity()?, 1.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn equity(&self) -> Result<f64, MarginError> {
        let value = self.book.value(&self.market, self.currency)?.amount;
        crate::margin::error::check_finite("equity", self.wallet + value)
    }

    /// The model's maintenance requirement of the book.
    ///
    /// # Errors
    ///
    /// The model's errors.
    ///
    /// ```
    /// # use derisk::margin::{DeribitPortfolioMargin, PortfolioAccount};
    /// # use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    /// # use derisk::portfolio::Book;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
    ///     .build()?;
    /// let a = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), Book::new(), m, Currency::BTC, 1.5)?;
    /// assert_eq!(a.maintenance()?, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn maintenance(&self) -> Result<f64, MarginError> {
        Ok(self
            .model
            .requirement(&self.book, &self.market, self.currency)?
            .maintenance)
    }

    /// The market the account is valued in (moved by `Price` events).
    ///
    /// ```
    /// # use derisk::margin::{DeribitPortfolioMargin, PortfolioAccount};
    /// # use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    /// # use derisk::portfolio::Book;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
    ///     .build()?;
    /// let a = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), Book::new(), m, Currency::BTC, 1.0)?;
    /// assert_eq!(a.market().valuation(), Instant::EPOCH);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn market(&self) -> &MarketState {
        &self.market
    }

    /// The book.
    ///
    /// ```
    /// # use derisk::margin::{DeribitPortfolioMargin, PortfolioAccount};
    /// # use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
    /// # use derisk::portfolio::Book;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
    ///     .build()?;
    /// let a = PortfolioAccount::new(DeribitPortfolioMargin::deribit_btc(), Book::new(), m, Currency::BTC, 1.0)?;
    /// assert!(a.book().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn book(&self) -> &Book<Contract> {
        &self.book
    }
}

impl<M: PortfolioMarginModel + Clone> MarginAccount for PortfolioAccount<M> {
    fn step(
        &self,
        event: &MarginEvent,
        call_level: f64,
    ) -> Result<(Self, Vec<MarginAction>), MarginError> {
        if !(call_level > 0.0 && call_level <= 1.0) {
            return Err(MarginError::InvalidParameter {
                name: "margin call level",
                value: call_level,
            });
        }
        let mut next = self.clone();
        match *event {
            MarginEvent::Price { currency, price } => {
                next.market = next
                    .market
                    .with_spot(
                        currency,
                        crate::margin::error::check_price(price)?,
                        VolDynamics::StickyStrike,
                    )
                    .map_err(crate::portfolio::PortfolioError::from)?;
            }
            MarginEvent::Wallet { balance } => {
                next.wallet = crate::margin::error::check_amount("wallet", balance)?;
            }
            MarginEvent::Mark { price, .. } | MarginEvent::Fill { price, .. } => {
                return Err(MarginError::InvalidParameter {
                    name: "mark or fill on a portfolio account (move the spot with a Price event)",
                    value: price,
                });
            }
            MarginEvent::Funding { rate, .. } => {
                return Err(MarginError::InvalidParameter {
                    name: "funding on a portfolio account",
                    value: rate,
                });
            }
        }
        let (equity, maintenance) = (next.equity()?, next.maintenance()?);
        let mut actions = Vec::new();
        if maintenance > 0.0 && equity <= maintenance {
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
