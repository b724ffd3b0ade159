//! `MarketState`: everything a valuation needs to know about the world at one instant.

use std::fmt;
use std::sync::Arc;

use super::currency::{Currency, Money};
use super::curve::{DiscountCurve, ForwardCurve};
use super::error::{finite, positive, MarketError};
use super::time::{DayCount, Instant};
use crate::vol::VolSurface;

/// A volatility surface shared between market states (cheap to clone, thread-safe).
pub type SharedSurface = Arc<dyn VolSurface + Send + Sync>;

/// How implied volatilities move when the spot moves.
///
/// ```text
/// StickyStrike:     σ_new(E, K) = σ_old(E, K)                   (the surface is read at ln(K/F_old))
/// StickyMoneyness:  σ_new(E, K) = σ_old(E, K·F_old/F_new)       (the surface is read at ln(K/F_new))
/// ```
///
/// Sticky strike is the usual assumption of exchange risk matrices and of a desk's first-order
/// stress; sticky moneyness (≈ sticky delta) is closer to how crypto smiles move in large moves
/// (E. Derman, "Regimes of volatility", Risk, April 1999).
///
/// ```
/// assert_eq!(derisk::market::VolDynamics::default(), derisk::market::VolDynamics::StickyStrike);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VolDynamics {
    /// Each strike keeps its implied volatility.
    #[default]
    StickyStrike,
    /// Each log-moneyness ln(K/F) keeps its implied volatility.
    StickyMoneyness,
}

/// A shift of implied volatilities, applied after the surface is read (see [`MarketState::implied_vol`]).
///
/// ```text
/// Parallel(δ):              σ' = σ + δ
/// Relative(x):              σ' = σ·(1 + x)
/// ByExpiry(δ(E)):           σ' = σ + δ(E)
/// RelativeByExpiry(x(E)):   σ' = σ·(1 + x(E))
/// SkewByExpiry(a(E), b(E)): σ' = σ + a(E) + b(E)·k,   k = ln(K / F_s(E))
/// ```
///
/// σ in decimal per √year (0.10 is ten vol points), K and F_s in the quote currency, k
/// dimensionless; the curves of E are linear in time between their points and flat beyond. k is
/// the log-moneyness the surface itself is read at (see [`MarketState::implied_vol`]), so a skew
/// shift is a change of the surface's own smile: a sticky-strike spot move keeps it on its
/// strikes, a sticky-moneyness one moves it with the forward. A smile that is linear in k near the
/// money has skew dσ/dk (J. Gatheral, *The Volatility Surface*, Wiley 2006, ch. 3 and 7).
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, VolAdjustment};
/// use derisk::vol::FlatVol;
/// let e = Instant::EPOCH.plus_days(30.0)?;
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365_25)
///     .underlying(Currency::BTC, ForwardCurve::new(100.0, &[])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.5)?)
///     .build()?
///     .with_vol_adjustment(None, VolAdjustment::SkewByExpiry(vec![(e, 0.1, -0.4)]))?;
/// // k = ln(90/100): σ' = 0.5 + 0.1 − 0.4·ln 0.9 = 0.642144206263130520... (mpmath, 50 digits)
/// let vol = m.implied_vol(Currency::BTC, e, 90.0)?;
/// assert!((vol - 0.642_144_206_263_130_5).abs() < 1e-15);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VolAdjustment {
    /// σ + δ at every expiry and strike (δ = 0.10 is ten vol points).
    Parallel(f64),
    /// σ·(1 + x).
    Relative(f64),
    /// σ + δ(E) with δ linear in time between `(expiry instant, δ)` points (increasing instants)
    /// and flat beyond the first and last.
    ByExpiry(Vec<(Instant, f64)>),
    /// σ·(1 + x(E)) with x linear in time between `(expiry instant, x)` points (increasing
    /// instants) and flat beyond the first and last; every 1 + x must be > 0. Venues that shock
    /// each expiry's vols in proportion (Deribit's portfolio margin) use it.
    RelativeByExpiry(Vec<(Instant, f64)>),
    /// σ + a(E) + b(E)·k with k = ln(K/F_s(E)) the surface's log-moneyness, from `(expiry
    /// instant, a, b)` points (increasing instants; a in vol, b in vol per unit of k), each of a
    /// and b linear in time between points and flat beyond the first and last. A level and skew
    /// change per expiry, as measured between two chains by `risk::SurfaceShock`.
    SkewByExpiry(Vec<(Instant, f64, f64)>),
}

impl VolAdjustment {
    /// The expiry-dependent coefficients (a, b) of this adjustment at `expiry`: the shift or
    /// scale for the first four variants (b = 0), level and skew for `SkewByExpiry`. They
    /// depend on the expiry only, so a batch computes them once per expiry, not per option.
    fn at_expiry(&self, expiry: Instant) -> (f64, f64) {
        match self {
            Self::Parallel(d) => (*d, 0.0),
            Self::Relative(x) => (*x, 0.0),
            Self::ByExpiry(points) | Self::RelativeByExpiry(points) => {
                (piecewise_linear(points, expiry), 0.0)
            }
            Self::SkewByExpiry(points) => piecewise_linear_pair(points, expiry),
        }
    }

    /// Applies the adjustment given its coefficients from [`Self::at_expiry`].
    /// `log_moneyness` is only evaluated by the strike-dependent variants (the batch path pays
    /// no logarithm for the others).
    fn apply(&self, vol: f64, (a, b): (f64, f64), log_moneyness: impl FnOnce() -> f64) -> f64 {
        match self {
            Self::Parallel(_) | Self::ByExpiry(_) => vol + a,
            Self::Relative(_) | Self::RelativeByExpiry(_) => vol * (1.0 + a),
            Self::SkewByExpiry(_) => vol + a + b * log_moneyness(),
        }
    }

    fn validate(&self) -> Result<(), MarketError> {
        match self {
            Self::Parallel(d) => finite("vol shift", *d).map(drop),
            Self::Relative(x) => positive("vol scale 1 + x", 1.0 + x).map(drop),
            Self::ByExpiry(points) => {
                if points.is_empty() || points.windows(2).any(|w| w[1].0 <= w[0].0) {
                    return Err(MarketError::InvalidCurve {
                        name: "vol shift by expiry",
                        reason: "needs points with strictly increasing instants",
                    });
                }
                points
                    .iter()
                    .try_for_each(|p| finite("vol shift", p.1).map(drop))
            }
            Self::RelativeByExpiry(points) => {
                if points.is_empty() || points.windows(2).any(|w| w[1].0 <= w[0].0) {
                    return Err(MarketError::InvalidCurve {
                        name: "vol scale by expiry",
                        reason: "needs points with strictly increasing instants",
                    });
                }
                points
                    .iter()
                    .try_for_each(|p| positive("vol scale 1 + x", 1.0 + p.1).map(drop))
            }
            Self::SkewByExpiry(points) => {
                if points.is_empty() || points.windows(2).any(|w| w[1].0 <= w[0].0) {
                    return Err(MarketError::InvalidCurve {
                        name: "vol skew shift by expiry",
                        reason: "needs points with strictly increasing instants",
                    });
                }
                points.iter().try_for_each(|p| {
                    finite("vol shift", p.1)?;
                    finite("vol skew shift", p.2).map(drop)
                })
            }
        }
    }
}

fn piecewise_linear(points: &[(Instant, f64)], at: Instant) -> f64 {
    let i = points.partition_point(|p| p.0 < at);
    if i == 0 {
        return points[0].1;
    }
    if i == points.len() {
        return points[i - 1].1;
    }
    let (t0, y0) = points[i - 1];
    let (t1, y1) = points[i];
    y0 + (y1 - y0) * t0.seconds_until(at) / t0.seconds_until(t1)
}

/// [`piecewise_linear`] of two values at once (same formula, so the same bits for each).
fn piecewise_linear_pair(points: &[(Instant, f64, f64)], at: Instant) -> (f64, f64) {
    let i = points.partition_point(|p| p.0 < at);
    if i == 0 {
        return (points[0].1, points[0].2);
    }
    if i == points.len() {
        return (points[i - 1].1, points[i - 1].2);
    }
    let (t0, a0, b0) = points[i - 1];
    let (t1, a1, b1) = points[i];
    let (s, span) = (t0.seconds_until(at), t0.seconds_until(t1));
    (a0 + (a1 - a0) * s / span, b0 + (b1 - b0) * s / span)
}

/// What the options of one underlying and expiry share in a market state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpiryTerms {
    /// F(E) from the valuation instant.
    pub forward: f64,
    /// τ(v, E) in the state's day count.
    pub year_fraction: f64,
    /// Identity of the surface (its address), 0 without one.
    surface: usize,
    /// F_s(E): the forward the surface's log-moneyness is measured on.
    surface_forward: f64,
    /// τ(anchor, E).
    surface_tau: f64,
    /// The coefficients of the surface's first [`MAX_CACHED_ADJUSTMENTS`] adjustments at E.
    adjust: [(f64, f64); MAX_CACHED_ADJUSTMENTS],
}

/// How many vol adjustments an [`ExpiryTerms`] holds precomputed; further ones (rare: a long
/// chain of vol shocks) are evaluated per read.
const MAX_CACHED_ADJUSTMENTS: usize = 4;

/// The last surface read of one position, keyed by (surface, τ_s bits, F_s bits): its
/// volatility before adjustments.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct VolCache(Option<((usize, u64, u64), f64)>);

/// A surface with what the market state needs to read it after shocks.
#[derive(Clone)]
struct VolEntry {
    surface: SharedSurface,
    /// The instant the surface's expiries are measured from: each expiry keeps its implied
    /// volatilities as time passes (sticky expiry).
    anchor: Instant,
    /// The forward curve the surface's log-moneyness is measured on, read at the anchor: the
    /// underlying's own until a sticky-strike spot move leaves it behind.
    curve: ForwardCurve,
    adjustments: Arc<[VolAdjustment]>,
}

/// One underlying: its forward curve (spot included), vol surface and funding rate.
#[derive(Clone)]
struct Underlying {
    asset: Currency,
    forward: ForwardCurve,
    vol: Option<VolEntry>,
    funding: Option<f64>,
}

/// The market at one instant: valuation instant and day count, spot and forward curve per
/// underlying, a volatility surface per underlying (any [`VolSurface`]), discount curves per
/// currency, FX rates and funding rates. Immutable: shocks ([`Scenario`](super::Scenario)s and
/// the `with_*` methods) return a new state. Cheap to clone (curves and surfaces are shared).
///
/// Prices are in the state's quote currency (USD unless [`MarketStateBuilder::quote_currency`]
/// says otherwise): the spot of BTC is USD per BTC, and the FX rate of USDT is USD per USDT.
///
/// ```
/// use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState, Money};
/// use derisk::vol::FlatVol;
/// let v: Instant = "2025-12-30T17:31:15Z".parse()?;
/// let expiry = Instant::from_date_hour(2026, 3, 27, 8)?;
/// let market = MarketState::builder(v, DayCount::Act365_25)
///     .underlying(Currency::BTC, ForwardCurve::new(88_500.0, &[(expiry, 89_559.35)])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.45)?)
///     .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
///     .fx_rate(Currency::USDT, 0.9995)
///     .build()?;
/// assert_eq!(market.forward(Currency::BTC, expiry)?, 89_559.35);
/// assert!((market.implied_vol(Currency::BTC, expiry, 95_000.0)? - 0.45).abs() < 1e-15);
/// let usd = market.convert(Money::new(2.0, Currency::BTC), Currency::USD)?;
/// assert_eq!(usd.amount, 177_000.0);
/// assert!(market.convert(usd, Currency::ETH).is_err()); // no ETH price in this state
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Clone)]
pub struct MarketState {
    valuation: Instant,
    day_count: DayCount,
    quote: Currency,
    underlyings: Arc<[Underlying]>,
    discount: Arc<[(Currency, DiscountCurve)]>,
    fx: Arc<[(Currency, f64)]>,
}

impl fmt::Debug for MarketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spots: Vec<_> = self
            .underlyings
            .iter()
            .map(|u| (u.asset, u.forward.spot()))
            .collect();
        f.debug_struct("MarketState")
            .field("valuation", &self.valuation)
            .field("day_count", &self.day_count)
            .field("quote", &self.quote)
            .field("spots", &spots)
            .field("fx", &self.fx)
            .finish_non_exhaustive()
    }
}

/// Builds a [`MarketState`]; errors are kept and reported by [`MarketStateBuilder::build`].
///
/// ```
/// use derisk::market::{Currency, DayCount, Instant, MarketState};
/// let err = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .fx_rate(Currency::USDT, f64::NAN)
///     .build();
/// assert!(err.is_err());
/// ```
#[derive(Clone)]
#[must_use]
pub struct MarketStateBuilder {
    state: MarketState,
    underlyings: Vec<Underlying>,
    discount: Vec<(Currency, DiscountCurve)>,
    fx: Vec<(Currency, f64)>,
    error: Option<MarketError>,
}

impl MarketStateBuilder {
    fn fail(mut self, error: MarketError) -> Self {
        self.error.get_or_insert(error);
        self
    }

    fn underlying_mut(&mut self, asset: Currency) -> Option<&mut Underlying> {
        self.underlyings.iter_mut().find(|u| u.asset == asset)
    }

    /// The currency prices are quoted in (USD by default).
    pub fn quote_currency(mut self, quote: Currency) -> Self {
        self.state.quote = quote;
        self
    }

    /// Adds (or replaces) an underlying with its forward curve, whose spot is its price.
    pub fn underlying(mut self, asset: Currency, forward: ForwardCurve) -> Self {
        if let Some(u) = self.underlying_mut(asset) {
            u.forward = forward;
        } else {
            self.underlyings.push(Underlying {
                asset,
                forward,
                vol: None,
                funding: None,
            });
        }
        self
    }

    /// Sets the volatility surface of an underlying added before, with expiries measured from
    /// the valuation instant (its year fractions use the state's day count).
    pub fn vol_surface(
        self,
        asset: Currency,
        surface: impl VolSurface + Send + Sync + 'static,
    ) -> Self {
        self.shared_vol_surface(asset, Arc::new(surface))
    }

    /// As [`MarketStateBuilder::vol_surface`] with a surface already shared.
    pub fn shared_vol_surface(mut self, asset: Currency, surface: SharedSurface) -> Self {
        let anchor = self.state.valuation;
        match self.underlying_mut(asset) {
            Some(u) => {
                u.vol = Some(VolEntry {
                    surface,
                    anchor,
                    curve: u.forward.clone(),
                    adjustments: Arc::new([]),
                });
                self
            }
            None => self.fail(MarketError::Missing {
                what: "spot (add the underlying before its vol surface)",
                currency: asset,
            }),
        }
    }

    /// Sets the perpetual funding rate of an underlying added before: a continuously
    /// compounded rate per year paid by longs to shorts (a rate of 0.0001 per 8 hours is
    /// 0.0001 × 1095 ≈ 0.11 a year).
    pub fn funding_rate(mut self, asset: Currency, rate_per_year: f64) -> Self {
        if let Err(e) = finite("funding rate", rate_per_year) {
            return self.fail(e);
        }
        match self.underlying_mut(asset) {
            Some(u) => {
                u.funding = Some(rate_per_year);
                self
            }
            None => self.fail(MarketError::Missing {
                what: "spot (add the underlying before its funding rate)",
                currency: asset,
            }),
        }
    }

    /// Sets the discount curve of a currency.
    pub fn discount_curve(mut self, currency: Currency, curve: DiscountCurve) -> Self {
        self.discount.retain(|(c, _)| *c != currency);
        self.discount.push((currency, curve));
        self
    }

    /// Sets the price of one unit of `currency` in the quote currency (USDT = 0.9995 USD).
    pub fn fx_rate(mut self, currency: Currency, price: f64) -> Self {
        if let Err(e) = positive("fx rate", price) {
            return self.fail(e);
        }
        self.fx.retain(|(c, _)| *c != currency);
        self.fx.push((currency, price));
        self
    }

    /// The market state.
    ///
    /// # Errors
    ///
    /// The first error met while building (an invalid FX or funding rate, a surface or funding
    /// rate for an underlying not added).
    pub fn build(self) -> Result<MarketState, MarketError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        Ok(MarketState {
            underlyings: self.underlyings.into(),
            discount: self.discount.into(),
            fx: self.fx.into(),
            ..self.state
        })
    }
}

impl MarketState {
    /// A builder for a state valued at `valuation` with year fractions in `day_count`.
    pub fn builder(valuation: Instant, day_count: DayCount) -> MarketStateBuilder {
        MarketStateBuilder {
            state: MarketState {
                valuation,
                day_count,
                quote: Currency::USD,
                underlyings: Arc::new([]),
                discount: Arc::new([]),
                fx: Arc::new([]),
            },
            underlyings: Vec::new(),
            discount: Vec::new(),
            fx: Vec::new(),
            error: None,
        }
    }

    /// The valuation instant.
    #[must_use]
    pub fn valuation(&self) -> Instant {
        self.valuation
    }

    /// The day count of every year fraction of this state.
    #[must_use]
    pub fn day_count(&self) -> DayCount {
        self.day_count
    }

    /// The currency prices are quoted in.
    #[must_use]
    pub fn quote_currency(&self) -> Currency {
        self.quote
    }

    /// Year fraction from the valuation instant to `instant` (negative if earlier).
    #[must_use]
    pub fn year_fraction(&self, instant: Instant) -> f64 {
        self.day_count.year_fraction(self.valuation, instant)
    }

    /// The underlyings of this state, in the order they were added.
    pub fn underlyings(&self) -> impl Iterator<Item = Currency> + '_ {
        self.underlyings.iter().map(|u| u.asset)
    }

    fn underlying(&self, asset: Currency) -> Result<&Underlying, MarketError> {
        self.underlyings
            .iter()
            .find(|u| u.asset == asset)
            .ok_or(MarketError::Missing {
                what: "spot",
                currency: asset,
            })
    }

    /// The spot price of `asset` in the quote currency.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if the state has no such underlying.
    pub fn spot(&self, asset: Currency) -> Result<f64, MarketError> {
        Ok(self.underlying(asset)?.forward.spot())
    }

    /// The forward curve of `asset`.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if the state has no such underlying.
    pub fn forward_curve(&self, asset: Currency) -> Result<&ForwardCurve, MarketError> {
        Ok(&self.underlying(asset)?.forward)
    }

    /// The forward of `asset` for delivery at `expiry` (≥ the valuation instant).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`]; [`MarketError::ExpiredAt`] for an expiry already past.
    pub fn forward(&self, asset: Currency, expiry: Instant) -> Result<f64, MarketError> {
        self.underlying(asset)?
            .forward
            .forward(self.valuation, expiry)
    }

    /// The settlement price of `asset` for an `expiry` at or before the valuation instant (see
    /// [`ForwardCurve::settlement_price`]).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`]; [`MarketError::InvalidValue`] for an expiry still to come.
    pub fn settlement_price(&self, asset: Currency, expiry: Instant) -> Result<f64, MarketError> {
        self.underlying(asset)?
            .forward
            .settlement_price(self.valuation, expiry)
    }

    /// The discount factor of `currency` from the valuation instant back from `expiry`.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] without a curve for `currency`; as [`DiscountCurve::discount`].
    pub fn discount(&self, currency: Currency, expiry: Instant) -> Result<f64, MarketError> {
        self.discount
            .iter()
            .find(|(c, _)| *c == currency)
            .ok_or(MarketError::Missing {
                what: "discount curve",
                currency,
            })?
            .1
            .discount(self.day_count, self.valuation, expiry)
    }

    /// d ln F(E)/dt per year as the valuation instant passes (see
    /// [`ForwardCurve::log_forward_drift`]).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if the state has no such underlying.
    pub fn forward_drift(&self, asset: Currency, expiry: Instant) -> Result<f64, MarketError> {
        Ok(self.underlying(asset)?.forward.log_forward_drift(
            self.day_count,
            self.valuation,
            expiry,
        ))
    }

    /// d ln D(E)/dt per year of `currency`'s discount factor as the valuation instant passes
    /// (see [`DiscountCurve::log_discount_drift`]).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] without a curve for `currency`.
    pub fn discount_drift(&self, currency: Currency, expiry: Instant) -> Result<f64, MarketError> {
        Ok(self
            .discount
            .iter()
            .find(|(c, _)| *c == currency)
            .ok_or(MarketError::Missing {
                what: "discount curve",
                currency,
            })?
            .1
            .log_discount_drift(self.day_count, self.valuation, expiry))
    }

    /// The funding rate of `asset`'s perpetual (per year, paid by longs when positive).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if the state has none for `asset`.
    pub fn funding_rate(&self, asset: Currency) -> Result<f64, MarketError> {
        self.underlying(asset)?.funding.ok_or(MarketError::Missing {
            what: "funding rate",
            currency: asset,
        })
    }

    /// The Black implied volatility (per √year, in the state's day count) of `asset` at
    /// `expiry` and `strike`:
    ///
    /// ```text
    /// τ_s = τ(anchor, E),  k_s = ln(K/F_s(E)),  σ = √(w(τ_s, k_s)/τ_s)
    /// then the state's vol adjustments, in the order they were applied (a skew shift
    /// [`VolAdjustment::SkewByExpiry`] at the same k_s)
    /// ```
    ///
    /// The surface is read at the year fraction from the instant it was built for (its anchor),
    /// so each expiry keeps its implied volatilities as time rolls (sticky expiry), and at the
    /// log-moneyness on the forward curve F_s it is attached to, read at the anchor: the
    /// underlying's curve when the surface is set and after sticky-moneyness spot moves, the
    /// curve before the move after sticky-strike ones (so each strike keeps its volatility).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] without a surface; [`MarketError::ExpiredAt`] for an expiry not
    /// after the valuation instant; [`MarketError::InvalidValue`] for a strike that is not finite
    /// and positive; [`MarketError::InvalidVolatility`] if the surface gives a negative or
    /// non-finite variance or an adjustment makes σ ≤ 0.
    pub fn implied_vol(
        &self,
        asset: Currency,
        expiry: Instant,
        strike: f64,
    ) -> Result<f64, MarketError> {
        positive("strike", strike)?;
        let terms = self.expiry_terms(asset, expiry)?;
        self.implied_vol_with(asset, expiry, strike, &terms, &mut VolCache::default())
    }

    /// What every option of one underlying and expiry shares: computed once per expiry by batch
    /// revaluation.
    pub(crate) fn expiry_terms(
        &self,
        asset: Currency,
        expiry: Instant,
    ) -> Result<ExpiryTerms, MarketError> {
        let u = self.underlying(asset)?;
        if expiry <= self.valuation {
            return Err(MarketError::ExpiredAt {
                expiry,
                valuation: self.valuation,
            });
        }
        let forward = u.forward.forward(self.valuation, expiry)?;
        let year_fraction = self.day_count.year_fraction(self.valuation, expiry);
        let mut adjust = [(0.0, 0.0); MAX_CACHED_ADJUSTMENTS];
        let (surface, surface_forward, surface_tau) = match &u.vol {
            Some(v) => {
                for (slot, a) in adjust.iter_mut().zip(v.adjustments.iter()) {
                    *slot = a.at_expiry(expiry);
                }
                (
                    Arc::as_ptr(&v.surface).cast::<()>() as usize,
                    v.curve.forward(v.anchor, expiry)?,
                    self.day_count.year_fraction(v.anchor, expiry),
                )
            }
            None => (0, f64::NAN, f64::NAN),
        };
        Ok(ExpiryTerms {
            forward,
            year_fraction,
            surface,
            surface_forward,
            surface_tau,
            adjust,
        })
    }

    /// [`MarketState::implied_vol`] (strike already validated) from precomputed terms, reusing the surface's volatility when
    /// the read point (surface, τ_s, F_s; the strike is the caller's own) is bit for bit the
    /// cached one.
    pub(crate) fn implied_vol_with(
        &self,
        asset: Currency,
        expiry: Instant,
        strike: f64,
        terms: &ExpiryTerms,
        cache: &mut VolCache,
    ) -> Result<f64, MarketError> {
        let u = self.underlying(asset)?;
        let entry = u.vol.as_ref().ok_or(MarketError::Missing {
            what: "vol surface",
            currency: asset,
        })?;
        let tau = terms.surface_tau;
        // The strike is the position's own: the read point is fixed by (surface, τ_s, F_s).
        let key = (
            terms.surface,
            tau.to_bits(),
            terms.surface_forward.to_bits(),
        );
        let mut vol = match cache.0 {
            Some((cached, vol)) if cached == key => vol,
            _ => {
                let k = (strike / terms.surface_forward).ln();
                let w = entry.surface.total_variance(tau, k);
                if !(w.is_finite() && w >= 0.0) {
                    return Err(MarketError::InvalidVolatility {
                        underlying: asset,
                        expiry,
                        strike,
                        value: w,
                        reason: "the surface's total variance is negative or not finite",
                    });
                }
                let vol = (w / tau).sqrt();
                cache.0 = Some((key, vol));
                vol
            }
        };
        for (i, adjustment) in entry.adjustments.iter().enumerate() {
            let ab = match terms.adjust.get(i) {
                Some(ab) => *ab,
                None => adjustment.at_expiry(expiry),
            };
            vol = adjustment.apply(vol, ab, || (strike / terms.surface_forward).ln());
        }
        if vol.is_finite() && vol > 0.0 {
            Ok(vol)
        } else {
            Err(MarketError::InvalidVolatility {
                underlying: asset,
                expiry,
                strike,
                value: vol,
                reason: "a volatility shift leaves it non-positive or non-finite",
            })
        }
    }

    /// The price of one unit of `currency` in the quote currency: 1 for the quote currency, the
    /// spot for an underlying, the FX rate otherwise.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if the state has no price for `currency`.
    pub fn price_of(&self, currency: Currency) -> Result<f64, MarketError> {
        if currency == self.quote {
            return Ok(1.0);
        }
        if let Some(u) = self.underlyings.iter().find(|u| u.asset == currency) {
            return Ok(u.forward.spot());
        }
        self.fx
            .iter()
            .find(|(c, _)| *c == currency)
            .map(|&(_, p)| p)
            .ok_or(MarketError::Missing {
                what: "fx rate or spot",
                currency,
            })
    }

    /// `money` converted into `to` at this state's prices: amount × price(from) / price(to).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if either currency has no price.
    pub fn convert(&self, money: Money, to: Currency) -> Result<Money, MarketError> {
        if money.currency == to {
            return Ok(money);
        }
        let rate = self.price_of(money.currency)? / self.price_of(to)?;
        Ok(Money::new(money.amount * rate, to))
    }

    // ---- shocks: each returns a new state ------------------------------------------------

    /// The state with `asset`'s spot moved to `spot` (every forward node in proportion), vols
    /// moving by `dynamics`.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`]; [`MarketError::InvalidValue`] unless `spot` is finite and > 0.
    pub fn with_spot(
        &self,
        asset: Currency,
        spot: f64,
        dynamics: VolDynamics,
    ) -> Result<Self, MarketError> {
        let mut underlyings = self.underlyings.to_vec();
        let u = underlyings
            .iter_mut()
            .find(|u| u.asset == asset)
            .ok_or(MarketError::Missing {
                what: "spot",
                currency: asset,
            })?;
        u.forward = u.forward.with_spot(spot)?;
        if let (Some(vol), VolDynamics::StickyMoneyness) = (u.vol.as_mut(), dynamics) {
            vol.curve = u.forward.clone();
        }
        Ok(Self {
            underlyings: underlyings.into(),
            ..self.clone()
        })
    }

    /// The state with a volatility adjustment appended for `asset` (every underlying with a
    /// surface when `None`).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if `asset` has no surface; [`MarketError::InvalidValue`] or
    /// [`MarketError::InvalidCurve`] for an invalid adjustment.
    pub fn with_vol_adjustment(
        &self,
        asset: Option<Currency>,
        adjustment: VolAdjustment,
    ) -> Result<Self, MarketError> {
        adjustment.validate()?;
        let mut underlyings = self.underlyings.to_vec();
        let mut touched = false;
        for u in underlyings
            .iter_mut()
            .filter(|u| asset.is_none_or(|a| a == u.asset))
        {
            if let Some(vol) = u.vol.as_mut() {
                let mut list = vol.adjustments.to_vec();
                list.push(adjustment.clone());
                vol.adjustments = list.into();
                touched = true;
            }
        }
        if let (Some(a), false) = (asset, touched) {
            return Err(MarketError::Missing {
                what: "vol surface",
                currency: a,
            });
        }
        Ok(Self {
            underlyings: underlyings.into(),
            ..self.clone()
        })
    }

    /// The state at a later (or earlier) valuation instant, everything else frozen: forwards per
    /// delivery date, implied vols per expiry date, discount curves per date, spots and FX.
    #[must_use]
    pub fn rolled_to(&self, valuation: Instant) -> Self {
        Self {
            valuation,
            ..self.clone()
        }
    }

    /// The state with `currency`'s discount curve shifted in parallel by `shift` (all curves
    /// when `None`).
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`] if `currency` has no curve; as [`DiscountCurve::shifted`].
    pub fn with_rate_shift(
        &self,
        currency: Option<Currency>,
        shift: f64,
    ) -> Result<Self, MarketError> {
        let mut curves = self.discount.to_vec();
        let mut touched = false;
        for (_, curve) in curves
            .iter_mut()
            .filter(|(c, _)| currency.is_none_or(|x| x == *c))
        {
            *curve = curve.shifted(shift)?;
            touched = true;
        }
        if let (Some(c), false) = (currency, touched) {
            return Err(MarketError::Missing {
                what: "discount curve",
                currency: c,
            });
        }
        Ok(Self {
            discount: curves.into(),
            ..self.clone()
        })
    }

    /// The state with the FX rate of `currency` set to `price` (in the quote currency).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] unless `price` is finite and positive.
    pub fn with_fx_rate(&self, currency: Currency, price: f64) -> Result<Self, MarketError> {
        positive("fx rate", price)?;
        let mut fx = self.fx.to_vec();
        fx.retain(|(c, _)| *c != currency);
        fx.push((currency, price));
        Ok(Self {
            fx: fx.into(),
            ..self.clone()
        })
    }

    /// The state with `asset`'s funding rate set to `rate_per_year`.
    ///
    /// # Errors
    ///
    /// [`MarketError::Missing`]; [`MarketError::InvalidValue`] for a non-finite rate.
    pub fn with_funding_rate(
        &self,
        asset: Currency,
        rate_per_year: f64,
    ) -> Result<Self, MarketError> {
        finite("funding rate", rate_per_year)?;
        let mut underlyings = self.underlyings.to_vec();
        underlyings
            .iter_mut()
            .find(|u| u.asset == asset)
            .ok_or(MarketError::Missing {
                what: "spot",
                currency: asset,
            })?
            .funding = Some(rate_per_year);
        Ok(Self {
            underlyings: underlyings.into(),
            ..self.clone()
        })
    }
}
