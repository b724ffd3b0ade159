//! The built-in instruments: spot, perpetuals, dated futures and European options, linear
//! (settled in a quote currency) or inverse (settled in the coin).

use crate::market::{Currency, ExpiryTerms, Instant, MarketState};
use crate::pricing::{black76_greeks, OptionKind};

use super::cache::BatchCache;
use super::deferred::DeferredBlack76;
use super::error::{check_finite, PortfolioError};
use super::risk::Sensitivity;
use super::traits::Instrument;

/// How a contract settles.
///
/// ```text
/// Linear(X):  P&L and premium in X (USDT, USDC, USD); a contract is `contract_size` coins
/// Inverse:    P&L and premium in the underlying coin; a future's contract is `contract_size` USD of
///             face (BTC-PERPETUAL: 10 USD), an option's is `contract_size` coins (Deribit: 1 BTC)
/// ```
///
/// ```
/// use derisk::market::Currency;
/// use derisk::portfolio::Settlement;
/// assert_eq!(Settlement::Linear(Currency::USDC).currency(Currency::BTC), Currency::USDC);
/// assert_eq!(Settlement::Inverse.currency(Currency::BTC), Currency::BTC);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Settlement {
    /// Settled in this quote-like currency.
    Linear(Currency),
    /// Settled in the underlying coin.
    Inverse,
}

impl Settlement {
    /// The currency paid for a contract on `underlying`.
    #[must_use]
    pub const fn currency(self, underlying: Currency) -> Currency {
        match self {
            Self::Linear(c) => c,
            Self::Inverse => underlying,
        }
    }
}

/// A built-in instrument. Value per contract held long, in the settlement currency, with
/// c the contract size, e the entry price, S the spot, F = F(E) the forward of the expiry,
/// D the settlement currency's discount factor to E, τ the year fraction to E, σ the implied
/// vol at (E, K) and B the undiscounted Black-76 price B(F, K, σ, τ):
///
/// ```text
/// Spot(A)                         1 unit of A
/// Perpetual, linear / inverse     c·(S − e)        /  c·(1/e − 1/S)
/// Future,    linear / inverse     c·(F − e)        /  c·(1/e − 1/F)      (marked to market: no D)
/// Option,    linear / inverse     c·D·B            /  c·D·B/F
/// expired (E ≤ v): futures and options settle at the frozen forward F(E), options at intrinsic
/// ```
///
/// The inverse option formula is the USD price divided by the spot at expiry, taken under the
/// coin's own measure: V_coin = D_coin·E[(S_T − K)⁺/S_T] = D_coin·B/F (Deribit's convention with
/// D = 1). Perpetuals are marked at the spot index (their funding is a cash flow, not a value).
/// Options are priced on the forward of their own expiry, which is the right forward for a
/// European option on the spot index and for one on a future expiring with it.
///
/// ```
/// use derisk::market::{Currency, DayCount, DiscountCurve, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Contract, Instrument, Settlement};
/// use derisk::pricing::OptionKind;
/// use derisk::vol::FlatVol;
/// let v: Instant = "2025-12-30T17:31:15.944181Z".parse()?;
/// let e = Instant::from_date_hour(2026, 1, 16, 8)?;
/// let m = MarketState::builder(v, DayCount::Act365_25)
///     .underlying(Currency::BTC, ForwardCurve::new(88_530.23, &[(e, 88_728.946_666_666_67)])?)
///     .vol_surface(Currency::BTC, FlatVol::new(0.4323)?)
///     .discount_curve(Currency::BTC, DiscountCurve::flat(0.0)?)
///     .build()?;
/// // Deribit BTC-16JAN26-82000-C at its mark IV 43.23 %: quoted 0.084 bid / 0.088 ask BTC.
/// let call = Contract::option(Currency::BTC, OptionKind::Call, 82_000.0, e, Settlement::Inverse, 1.0)?;
/// let coin = call.value(&m, 0.0)?;
/// assert!(0.084 < coin && coin < 0.088);
/// // B/F from the closed form in Python's statistics.NormalDist: 0.08547608988467698
/// assert!((coin - 0.085_476_089_884_676_98).abs() < 1e-12);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Contract {
    /// A holding of an asset or currency (coins, stablecoins, cash).
    Spot {
        /// What is held.
        asset: Currency,
    },
    /// A perpetual swap.
    Perpetual {
        /// The asset whose price it tracks.
        underlying: Currency,
        /// How it settles.
        settlement: Settlement,
        /// Coins per contract (linear) or USD face per contract (inverse), > 0.
        contract_size: f64,
    },
    /// A dated future.
    Future {
        /// The asset delivered (cash-settled at its index).
        underlying: Currency,
        /// How it settles.
        settlement: Settlement,
        /// Coins per contract (linear) or USD face per contract (inverse), > 0.
        contract_size: f64,
        /// Delivery instant (Deribit, OKX, Bybit: 08:00 UTC).
        expiry: Instant,
    },
    /// A European option on the asset's price at expiry.
    Option {
        /// The asset.
        underlying: Currency,
        /// Call or put.
        kind: OptionKind,
        /// Strike in the quote currency per coin, > 0.
        strike: f64,
        /// Expiry instant.
        expiry: Instant,
        /// How premium and payoff settle.
        settlement: Settlement,
        /// Coins per contract, > 0.
        contract_size: f64,
    },
}

fn positive(name: &'static str, value: f64) -> Result<f64, PortfolioError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(PortfolioError::InvalidContract {
            name,
            value,
            reason: "must be finite and positive",
        })
    }
}

impl Contract {
    /// A holding of `asset`.
    #[must_use]
    pub const fn spot(asset: Currency) -> Self {
        Self::Spot { asset }
    }

    /// A linear perpetual on `underlying` settled in `settlement` (USDT for Binance BTCUSDT) with
    /// `contract_size` coins per contract.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidContract`] unless the size is finite and positive.
    pub fn linear_perpetual(
        underlying: Currency,
        settlement: Currency,
        contract_size: f64,
    ) -> Result<Self, PortfolioError> {
        Ok(Self::Perpetual {
            underlying,
            settlement: Settlement::Linear(settlement),
            contract_size: positive("contract size", contract_size)?,
        })
    }

    /// An inverse perpetual on `underlying` with `face_usd` of face per contract
    /// (Deribit BTC-PERPETUAL: 10).
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidContract`] unless the face is finite and positive.
    pub fn inverse_perpetual(underlying: Currency, face_usd: f64) -> Result<Self, PortfolioError> {
        Ok(Self::Perpetual {
            underlying,
            settlement: Settlement::Inverse,
            contract_size: positive("contract size", face_usd)?,
        })
    }

    /// A dated future.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidContract`] unless the size is finite and positive.
    pub fn future(
        underlying: Currency,
        settlement: Settlement,
        contract_size: f64,
        expiry: Instant,
    ) -> Result<Self, PortfolioError> {
        Ok(Self::Future {
            underlying,
            settlement,
            contract_size: positive("contract size", contract_size)?,
            expiry,
        })
    }

    /// A European option.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidContract`] unless strike and size are finite and positive.
    pub fn option(
        underlying: Currency,
        kind: OptionKind,
        strike: f64,
        expiry: Instant,
        settlement: Settlement,
        contract_size: f64,
    ) -> Result<Self, PortfolioError> {
        Ok(Self::Option {
            underlying,
            kind,
            strike: positive("strike", strike)?,
            expiry,
            settlement,
            contract_size: positive("contract size", contract_size)?,
        })
    }

    /// Checks the terms (what the constructors check), for values built from the public fields.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::InvalidContract`] naming the first invalid term.
    pub fn validate(&self) -> Result<(), PortfolioError> {
        match *self {
            Self::Spot { .. } => Ok(()),
            Self::Perpetual { contract_size, .. } | Self::Future { contract_size, .. } => {
                positive("contract size", contract_size).map(drop)
            }
            Self::Option {
                strike,
                contract_size,
                ..
            } => {
                positive("strike", strike)?;
                positive("contract size", contract_size).map(drop)
            }
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Contract {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        enum Data {
            Spot {
                asset: Currency,
            },
            Perpetual {
                underlying: Currency,
                settlement: Settlement,
                contract_size: f64,
            },
            Future {
                underlying: Currency,
                settlement: Settlement,
                contract_size: f64,
                expiry: Instant,
            },
            Option {
                underlying: Currency,
                kind: OptionKind,
                strike: f64,
                expiry: Instant,
                settlement: Settlement,
                contract_size: f64,
            },
        }
        let c = match Data::deserialize(deserializer)? {
            Data::Spot { asset } => Contract::Spot { asset },
            Data::Perpetual {
                underlying,
                settlement,
                contract_size,
            } => Contract::Perpetual {
                underlying,
                settlement,
                contract_size,
            },
            Data::Future {
                underlying,
                settlement,
                contract_size,
                expiry,
            } => Contract::Future {
                underlying,
                settlement,
                contract_size,
                expiry,
            },
            Data::Option {
                underlying,
                kind,
                strike,
                expiry,
                settlement,
                contract_size,
            } => Contract::Option {
                underlying,
                kind,
                strike,
                expiry,
                settlement,
                contract_size,
            },
        };
        c.validate().map_err(serde::de::Error::custom)?;
        Ok(c)
    }
}

/// The forward of a delivery still to come, or the frozen settlement price of one past.
fn delivery_price(
    m: &MarketState,
    asset: Currency,
    expiry: Instant,
) -> Result<f64, PortfolioError> {
    Ok(if expiry > m.valuation() {
        m.forward(asset, expiry)?
    } else {
        m.settlement_price(asset, expiry)?
    })
}

impl Instrument for Contract {
    fn settlement(&self) -> Currency {
        match *self {
            Self::Spot { asset } => asset,
            Self::Perpetual {
                underlying,
                settlement,
                ..
            }
            | Self::Future {
                underlying,
                settlement,
                ..
            }
            | Self::Option {
                underlying,
                settlement,
                ..
            } => settlement.currency(underlying),
        }
    }

    fn underlying(&self) -> Option<Currency> {
        Some(match *self {
            Self::Spot { asset } => asset,
            Self::Perpetual { underlying, .. }
            | Self::Future { underlying, .. }
            | Self::Option { underlying, .. } => underlying,
        })
    }

    fn expiry(&self) -> Option<Instant> {
        match *self {
            Self::Future { expiry, .. } | Self::Option { expiry, .. } => Some(expiry),
            _ => None,
        }
    }

    fn strike(&self) -> Option<f64> {
        match *self {
            Self::Option { strike, .. } => Some(strike),
            _ => None,
        }
    }

    fn contract_size(&self) -> f64 {
        match *self {
            Self::Spot { .. } => 1.0,
            Self::Perpetual { contract_size, .. }
            | Self::Future { contract_size, .. }
            | Self::Option { contract_size, .. } => contract_size,
        }
    }

    fn validate_entry(&self, entry_price: f64) -> Result<(), PortfolioError> {
        self.validate()?;
        let needs_entry = matches!(
            self,
            Self::Perpetual {
                settlement: Settlement::Inverse,
                ..
            } | Self::Future {
                settlement: Settlement::Inverse,
                ..
            }
        );
        if needs_entry && entry_price <= 0.0 {
            return Err(PortfolioError::InvalidPosition {
                name: "entry price",
                value: entry_price,
                reason:
                    "an inverse contract's value 1/entry − 1/price needs an entry price above 0",
            });
        }
        Ok(())
    }

    fn value(&self, m: &MarketState, entry: f64) -> Result<f64, PortfolioError> {
        let value = match *self {
            Self::Spot { .. } => 1.0,
            Self::Perpetual {
                underlying,
                settlement,
                contract_size: c,
            } => linear_or_inverse(settlement, c, m.spot(underlying)?, entry),
            Self::Future {
                underlying,
                settlement,
                contract_size: c,
                expiry,
            } => linear_or_inverse(settlement, c, delivery_price(m, underlying, expiry)?, entry),
            Self::Option {
                underlying,
                kind,
                strike,
                expiry,
                settlement,
                contract_size: c,
            } => {
                if expiry <= m.valuation() {
                    let f = m.settlement_price(underlying, expiry)?;
                    let payoff = kind.payoff(f, strike);
                    c * match settlement {
                        Settlement::Linear(_) => payoff,
                        Settlement::Inverse => payoff / f,
                    }
                } else {
                    let terms = m.expiry_terms(underlying, expiry)?;
                    let d = m.discount(settlement.currency(underlying), expiry)?;
                    let vol = m.implied_vol(underlying, expiry, strike)?;
                    alive_option(kind, strike, settlement, c, &terms, d, vol).value()?
                }
            }
        };
        check_finite("contract value", value)
    }

    fn value_cached(
        &self,
        m: &MarketState,
        entry: f64,
        cache: &mut BatchCache,
        slot: usize,
    ) -> Result<f64, PortfolioError> {
        match self.black76_cached(m, entry, cache, slot)? {
            Some(option) => option.value(),
            None => self.value(m, entry),
        }
    }

    fn black76_cached(
        &self,
        m: &MarketState,
        _entry: f64,
        cache: &mut BatchCache,
        slot: usize,
    ) -> Result<Option<DeferredBlack76>, PortfolioError> {
        match *self {
            Self::Option {
                underlying,
                kind,
                strike,
                expiry,
                settlement,
                contract_size: c,
            } if expiry > m.valuation() => {
                let (terms, d) =
                    cache.terms(m, underlying, expiry, settlement.currency(underlying))?;
                let vol =
                    m.implied_vol_with(underlying, expiry, strike, &terms, cache.vol_slot(slot))?;
                Ok(Some(alive_option(
                    kind, strike, settlement, c, &terms, d, vol,
                )))
            }
            _ => Ok(None),
        }
    }

    fn sensitivities(&self, m: &MarketState, entry: f64) -> Result<Sensitivity, PortfolioError> {
        let value = self.value(m, entry)?;
        let settle = self.settlement();
        let x = m.price_of(settle)?;
        let mut s = Sensitivity {
            value,
            value_quote: value * x,
            ..Sensitivity::default()
        };
        match *self {
            Self::Spot { asset } => {
                s.delta = if m.spot(asset).is_ok() { 1.0 } else { 0.0 };
            }
            Self::Perpetual {
                settlement,
                contract_size: c,
                ..
            } => {
                s.delta = match settlement {
                    Settlement::Linear(_) => x * c,
                    Settlement::Inverse => c / entry,
                };
            }
            Self::Future {
                underlying,
                settlement,
                contract_size: c,
                expiry,
            } => {
                let spot = m.spot(underlying)?;
                let f = delivery_price(m, underlying, expiry)?;
                let g = m.forward_drift(underlying, expiry)?;
                match settlement {
                    Settlement::Linear(_) => {
                        s.delta = x * c * f / spot;
                        s.theta = x * c * f * g;
                    }
                    Settlement::Inverse => {
                        s.delta = c / entry;
                        s.theta = spot * c * g / f;
                    }
                }
            }
            Self::Option {
                underlying,
                kind,
                strike,
                expiry,
                settlement,
                contract_size: c,
            } => {
                option_sensitivities(&mut s, m, underlying, kind, strike, expiry, settlement, c)?;
            }
        }
        for (name, v) in [
            ("delta", s.delta),
            ("gamma", s.gamma),
            ("vega", s.vega),
            ("theta", s.theta),
            ("rho", s.rho),
            ("quote value", s.value_quote),
        ] {
            check_finite(name, v)?;
        }
        Ok(s)
    }
}

/// An option before expiry: c·D·B (linear) or c·D·B/F (coin-settled), B the undiscounted
/// Black-76 price at the expiry's forward.
fn alive_option(
    kind: OptionKind,
    strike: f64,
    settlement: Settlement,
    c: f64,
    terms: &ExpiryTerms,
    d: f64,
    vol: f64,
) -> DeferredBlack76 {
    DeferredBlack76 {
        kind,
        forward: terms.forward,
        strike,
        year_fraction: terms.year_fraction,
        vol,
        scale: c * d,
        inverse: matches!(settlement, Settlement::Inverse),
    }
}

fn linear_or_inverse(settlement: Settlement, c: f64, price: f64, entry: f64) -> f64 {
    match settlement {
        Settlement::Linear(_) => c * (price - entry),
        Settlement::Inverse => c * (1.0 / entry - 1.0 / price),
    }
}

/// Exact Greeks of the quote-currency value of an option (sticky strike, forwards ∝ spot).
///
/// ```text
/// linear:  V_q = X·c·D·B            Δ = X·c·D·B_F·F/S     Γ = X·c·D·B_FF·(F/S)²   vega = X·c·D·B_σ
/// inverse: V_q = S·c·D·B/F          Δ = c·D·B_F           Γ = c·D·B_FF·F/S       vega = c·D·(S/F)·B_σ
/// theta = V_q·(d ln D/dt) + (the B term at fixed F) + (the F term: d ln F/dt at fixed S), ρ = −τ·V_q
/// ```
#[allow(clippy::too_many_arguments)]
fn option_sensitivities(
    s: &mut Sensitivity,
    m: &MarketState,
    underlying: Currency,
    kind: OptionKind,
    strike: f64,
    expiry: Instant,
    settlement: Settlement,
    c: f64,
) -> Result<(), PortfolioError> {
    let spot = m.spot(underlying)?;
    if expiry <= m.valuation() {
        let f = m.settlement_price(underlying, expiry)?;
        let itm = kind.payoff(f, strike) > 0.0;
        if itm {
            s.delta = match settlement {
                Settlement::Linear(cur) => m.price_of(cur)? * c * kind.sign() * f / spot,
                Settlement::Inverse => c * kind.sign(),
            };
        }
        return Ok(());
    }
    let settle = settlement.currency(underlying);
    let f = m.forward(underlying, expiry)?;
    let d = m.discount(settle, expiry)?;
    let tau = m.year_fraction(expiry);
    let vol = m.implied_vol(underlying, expiry, strike)?;
    let g = m.forward_drift(underlying, expiry)?;
    let dlnd = m.discount_drift(settle, expiry)?;
    let b = black76_greeks(kind, f, strike, tau, vol, 0.0)?;
    match settlement {
        Settlement::Linear(cur) => {
            let xcd = m.price_of(cur)? * c * d;
            s.delta = xcd * b.delta * f / spot;
            s.gamma = xcd * b.gamma * (f / spot) * (f / spot);
            s.vega = xcd * b.vega;
            s.theta = s.value_quote * dlnd + xcd * b.theta + xcd * b.delta * f * g;
        }
        Settlement::Inverse => {
            let cd = c * d;
            s.delta = cd * b.delta;
            s.gamma = cd * b.gamma * f / spot;
            s.vega = cd * (spot / f) * b.vega;
            s.theta = s.value_quote * dlnd
                + cd * (spot / f) * b.theta
                + cd * spot * (b.delta - b.price / f) * g;
        }
    }
    s.rho = -tau * s.value_quote;
    Ok(())
}
