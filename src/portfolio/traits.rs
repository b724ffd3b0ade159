//! The portfolio trait: anything a book can hold.

use crate::market::{Currency, Instant, MarketState, Scenario, Shock, VolDynamics};

use super::cache::BatchCache;
use super::deferred::DeferredBlack76;
use super::error::PortfolioError;
use super::risk::Sensitivity;

/// Anything a [`Book`](super::Book) can hold: valued, shocked and aggregated in a
/// [`MarketState`]. The built-ins are [`Contract`](super::Contract); a downstream crate
/// implements this trait for its own products (a Bermudan, a basket, a structured note) and holds
/// them in a `Book<TheirType>` or a `Book<Box<dyn Instrument + Send + Sync>>` next to the built-ins.
///
/// Implement [`Instrument::settlement`], [`Instrument::underlying`] and [`Instrument::value`];
/// [`Instrument::sensitivities`] is provided by finite differences of `value` under the
/// market's own shocks (central 10⁻⁴ relative spot and 10⁻⁴ vol bumps, a one-hour roll, ±1 bp
/// of the settlement currency's rates); the built-ins override it with exact formulas.
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Instrument, PortfolioError};
/// /// A contract paying (S/100)² USD per unit: a "power perpetual".
/// struct Squared;
/// impl Instrument for Squared {
///     fn settlement(&self) -> Currency { Currency::USD }
///     fn underlying(&self) -> Option<Currency> { Some(Currency::BTC) }
///     fn value(&self, m: &MarketState, _entry: f64) -> Result<f64, PortfolioError> {
///         Ok((m.spot(Currency::BTC)? / 100.0).powi(2))
///     }
/// }
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(1_000.0, &[])?).build()?;
/// let s = Squared.sensitivities(&m, 0.0)?;
/// assert!((s.delta - 0.2).abs() < 1e-9);      // d(S²/10⁴)/dS = 2S/10⁴
/// assert!((s.gamma - 2e-4).abs() < 1e-9);
/// # Ok::<(), derisk::Error>(())
/// ```
pub trait Instrument {
    /// The currency its value is paid in.
    fn settlement(&self) -> Currency;

    /// The asset whose spot drives its value (`None` for cash).
    fn underlying(&self) -> Option<Currency>;

    /// Its expiry, if it has one (for bucketing and time rolls).
    fn expiry(&self) -> Option<Instant> {
        None
    }

    /// Its strike, if it has one (for bucketing).
    fn strike(&self) -> Option<f64> {
        None
    }

    /// Coins per contract (USD face for inverse contracts); 1 unless the contract says otherwise.
    fn contract_size(&self) -> f64 {
        1.0
    }

    /// Checks an entry price against the contract (inverse contracts need one above 0).
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidPosition`] if the entry price cannot be used.
    fn validate_entry(&self, _entry_price: f64) -> Result<(), PortfolioError> {
        Ok(())
    }

    /// Value of one contract held long, entered at `entry_price`, in the settlement currency.
    ///
    /// # Errors
    ///
    /// A [`PortfolioError`] if the market lacks what the valuation needs or an input is invalid.
    fn value(&self, market: &MarketState, entry_price: f64) -> Result<f64, PortfolioError>;

    /// [`Instrument::value`] for batch revaluation: the same number, with what positions share
    /// within a scenario (expiry terms, discount factors) and what this position keeps across
    /// scenarios (its last surface read, in slot `slot`) taken from `cache`. Provided as
    /// `value`; the built-ins override it.
    ///
    /// # Errors
    ///
    /// As [`Instrument::value`].
    fn value_cached(
        &self,
        market: &MarketState,
        entry_price: f64,
        cache: &mut BatchCache,
        slot: usize,
    ) -> Result<f64, PortfolioError> {
        let _ = (cache, slot);
        self.value(market, entry_price)
    }

    /// Where [`Instrument::value_cached`] is a Black-76 price times a factor (the built-in
    /// options before expiry), that price's inputs: the book's sums ([`Book::value`],
    /// [`Book::revalue_many`]) then price such positions eight at a time in the batch lanes
    /// (`black76_price_batch`) instead of one by one. `None` (provided) where the value is
    /// something else; the book then calls `value_cached`. [`DeferredBlack76::value`] must give
    /// what `value_cached` gives (the built-ins: bit for bit); the lanes give it to the scalar
    /// kernel's accuracy (1e-13 relative).
    ///
    /// # Errors
    ///
    /// As [`Instrument::value_cached`].
    ///
    /// ```
    /// use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
    /// use derisk::portfolio::{BatchCache, Contract, Instrument, Settlement};
    /// use derisk::pricing::OptionKind;
    /// use derisk::vol::FlatVol;
    /// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
    ///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
    ///     .vol_surface(Currency::BTC, FlatVol::new(0.5)?)
    ///     .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
    ///     .build()?;
    /// let expiry = Instant::EPOCH.plus_days(30.0)?;
    /// let call = Contract::option(Currency::BTC, OptionKind::Call, 100_000.0, expiry,
    ///     Settlement::Inverse, 1.0)?;
    /// let mut cache = BatchCache::default();
    /// let d = call.black76_cached(&m, 0.0, &mut cache, 0)?.unwrap();
    /// assert_eq!(d.value()?, call.value(&m, 0.0)?);
    /// // at the money, 30 days at 50 %: B/F = 2Φ(σ√T/2) − 1 = 0.0571376750909993… (mpmath)
    /// assert!((d.value()? - 0.057_137_675_090_999_35).abs() < 1e-15);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    ///
    /// [`Book::value`]: super::Book::value
    /// [`Book::revalue_many`]: super::Book::revalue_many
    fn black76_cached(
        &self,
        market: &MarketState,
        entry_price: f64,
        cache: &mut BatchCache,
        slot: usize,
    ) -> Result<Option<DeferredBlack76>, PortfolioError> {
        let _ = (market, entry_price, cache, slot);
        Ok(None)
    }

    /// Value and sensitivities of one contract held long, in the market's quote currency (see
    /// [`Sensitivity`] for the definitions and units).
    ///
    /// # Errors
    ///
    /// As [`Instrument::value`], at the base or a bumped market.
    fn sensitivities(
        &self,
        market: &MarketState,
        entry_price: f64,
    ) -> Result<Sensitivity, PortfolioError> {
        finite_difference_sensitivities(self, market, entry_price)
    }
}

/// The provided [`Instrument::sensitivities`]: bump and revalue with the market's shocks.
pub(crate) fn finite_difference_sensitivities<I: Instrument + ?Sized>(
    instrument: &I,
    m: &MarketState,
    entry: f64,
) -> Result<Sensitivity, PortfolioError> {
    let settle = instrument.settlement();
    let quote = |state: &MarketState| -> Result<f64, PortfolioError> {
        Ok(instrument.value(state, entry)? * state.price_of(settle)?)
    };
    let value = instrument.value(m, entry)?;
    let v0 = value * m.price_of(settle)?;
    let mut s = Sensitivity {
        value,
        value_quote: v0,
        ..Sensitivity::default()
    };
    if let Some(asset) = instrument.underlying().filter(|a| m.spot(*a).is_ok()) {
        const H: f64 = 1e-4;
        let spot = m.spot(asset)?;
        let up = quote(&m.with_spot(asset, spot * (1.0 + H), VolDynamics::StickyStrike)?)?;
        let down = quote(&m.with_spot(asset, spot * (1.0 - H), VolDynamics::StickyStrike)?)?;
        s.delta = (up - down) / (2.0 * H * spot);
        s.gamma = (up - 2.0 * v0 + down) / (H * spot).powi(2);
        if let (Ok(up), Ok(down)) = (
            Shock::Vol {
                asset: Some(asset),
                adjustment: crate::market::VolAdjustment::Parallel(H),
            }
            .apply(m),
            Shock::Vol {
                asset: Some(asset),
                adjustment: crate::market::VolAdjustment::Parallel(-H),
            }
            .apply(m),
        ) {
            s.vega = (quote(&up)? - quote(&down)?) / (2.0 * H);
        }
    }
    const HOUR: f64 = 3_600.0;
    let later = m.rolled_to(m.valuation().plus_seconds(HOUR)?);
    s.theta = (quote(&later)? - v0) / (HOUR / m.day_count().seconds_per_year());
    if let (Ok(up), Ok(down)) = (
        m.with_rate_shift(Some(settle), 1e-4),
        m.with_rate_shift(Some(settle), -1e-4),
    ) {
        s.rho = (quote(&up)? - quote(&down)?) / 2e-4;
    }
    Ok(s)
}

macro_rules! forward_instrument {
    ($($ptr:ty),*) => {$(
        impl<I: Instrument + ?Sized> Instrument for $ptr {
            fn settlement(&self) -> Currency { (**self).settlement() }
            fn underlying(&self) -> Option<Currency> { (**self).underlying() }
            fn expiry(&self) -> Option<Instant> { (**self).expiry() }
            fn strike(&self) -> Option<f64> { (**self).strike() }
            fn contract_size(&self) -> f64 { (**self).contract_size() }
            fn validate_entry(&self, entry_price: f64) -> Result<(), PortfolioError> {
                (**self).validate_entry(entry_price)
            }
            fn value(&self, market: &MarketState, entry_price: f64) -> Result<f64, PortfolioError> {
                (**self).value(market, entry_price)
            }
            fn value_cached(&self, market: &MarketState, entry_price: f64, cache: &mut BatchCache, slot: usize) -> Result<f64, PortfolioError> {
                (**self).value_cached(market, entry_price, cache, slot)
            }
            fn sensitivities(&self, market: &MarketState, entry_price: f64) -> Result<Sensitivity, PortfolioError> {
                (**self).sensitivities(market, entry_price)
            }
        }
    )*};
}

forward_instrument!(&I, Box<I>, std::sync::Arc<I>);
