//! `BlackScholes` (spot with carry) and `Black76` (forwards and futures): thin, validated
//! adapters that pair market data and a volatility source with the Black kernel.

use super::contract::EuropeanOption;
use super::market::Market;
use super::traits::{check_lengths, par_batches, PricingModel, Sensitivities};
use crate::black::{
    check_forward, check_rate, check_volatility, contracts_batch, greeks_validated, ln_ratio,
    price_validated, Greeks, Inputs, PriceAndGreeks, Prices, PricingError, Underlying,
};
use crate::vol::{FlatVol, VolSurface};

/// Black–Scholes–Merton on a spot with a continuous dividend yield, with the volatility taken
/// from any [`VolSurface`] at the contract's expiry and log-moneyness k = ln(K/F(T)).
///
/// ```text
/// V = θ·S·e^{−qT}·Φ(θd₁) − θ·K·e^{−rT}·Φ(θd₂),   σ = vol.implied_vol(T, ln(K/F(T)))
/// ```
///
/// Greeks are sticky-strike: σ is held at the contract's implied volatility while S moves.
/// `BlackScholes<&dyn VolSurface>` takes a surface chosen at run time.
///
/// ```
/// use derisk::pricing::{BlackScholes, EuropeanOption, Market, PricingModel};
/// use derisk::vol::FlatVol;
/// let model = BlackScholes::new(Market::new(42.0, 0.1, 0.0)?, FlatVol::new(0.2)?);
/// let put = EuropeanOption::put(40.0, 0.5)?;
/// // Hull, Example 15.6: p = 0.8086
/// assert!((model.price(&put)? - 0.808_599_372_900_101_8).abs() < 1e-13);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BlackScholes<V = FlatVol> {
    market: Market,
    vol: V,
}

impl<V: VolSurface> BlackScholes<V> {
    /// A Black–Scholes model from validated market data and a volatility source.
    ///
    /// ```
    /// use derisk::pricing::{BlackScholes, Market};
    /// use derisk::vol::FlatVol;
    /// let m = BlackScholes::new(Market::new(100.0, 0.0, 0.0)?, FlatVol::new(0.5)?);
    /// assert_eq!(m.market().spot(), 100.0);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub const fn new(market: Market, vol: V) -> Self {
        Self { market, vol }
    }

    /// The market data.
    #[must_use]
    pub const fn market(&self) -> &Market {
        &self.market
    }

    /// The volatility source.
    #[must_use]
    pub const fn vol(&self) -> &V {
        &self.vol
    }

    /// Kernel inputs for a contract, with σ looked up on the surface and checked.
    #[inline]
    fn inputs(&self, c: &EuropeanOption) -> Result<Inputs, PricingError> {
        let m = &self.market;
        let b = m.rate() - m.dividend_yield();
        let log_moneyness = if self.vol.varies_with_strike() {
            -(ln_ratio(m.spot(), c.strike()) + b * c.expiry())
        } else {
            0.0 // not read by the surface
        };
        let volatility = check_volatility(self.vol.implied_vol(c.expiry(), log_moneyness)?)?;
        Ok(Inputs::spot(
            c.kind(),
            m.spot(),
            c.strike(),
            c.expiry(),
            volatility,
            m.rate(),
            m.dividend_yield(),
        ))
    }
}

impl BlackScholes<FlatVol> {
    /// A Black–Scholes model with a flat volatility: spot S > 0, rate r, dividend yield q, σ ≥ 0.
    ///
    /// # Errors
    ///
    /// A [`PricingError`] naming the invalid input.
    ///
    /// ```
    /// let m = derisk::pricing::BlackScholes::flat(100.0, 0.05, 0.0, 0.2)?;
    /// assert_eq!(m.vol().volatility(), 0.2);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn flat(
        spot: f64,
        rate: f64,
        dividend_yield: f64,
        volatility: f64,
    ) -> Result<Self, PricingError> {
        Ok(Self::new(
            Market::new(spot, rate, dividend_yield)?,
            FlatVol::new(volatility)?,
        ))
    }
}

impl<V: VolSurface> PricingModel<EuropeanOption> for BlackScholes<V> {
    #[inline]
    fn price(&self, contract: &EuropeanOption) -> Result<f64, PricingError> {
        price_validated(&self.inputs(contract)?)
    }

    /// Vectorised: the volatilities are looked up per contract, then the prices go through the
    /// batch kernel's lanes (as [`black_scholes_price_batch`](crate::black::black_scholes_price_batch)).
    fn price_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError> {
        check_lengths(contracts.len(), out.len())?;
        let model = Underlying::Spot {
            dividend_yield: self.market.dividend_yield(),
        };
        contracts_batch::<Prices, _>(out, self.market.rate(), model, |i| {
            self.inputs(&contracts[i])
        });
        Ok(())
    }

    /// [`PricingModel::price_many`] on slices of 512 contracts on rayon's thread pool.
    fn par_price_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError>
    where
        Self: Sync,
    {
        par_batches(contracts, out, |c, o| self.price_many(c, o))
    }
}

impl<V: VolSurface> Sensitivities<EuropeanOption> for BlackScholes<V> {
    #[inline]
    fn greeks(&self, contract: &EuropeanOption) -> Result<Greeks, PricingError> {
        greeks_validated(&self.inputs(contract)?)
    }

    /// Vectorised: the volatilities are looked up per contract, then price and Greeks go
    /// through the batch Greeks' lanes.
    fn greeks_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError> {
        check_lengths(contracts.len(), out.len())?;
        let model = Underlying::Spot {
            dividend_yield: self.market.dividend_yield(),
        };
        contracts_batch::<PriceAndGreeks, _>(out, self.market.rate(), model, |i| {
            self.inputs(&contracts[i])
        });
        Ok(())
    }

    /// [`Sensitivities::greeks_many`] on slices of 512 contracts on rayon's thread pool.
    fn par_greeks_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError>
    where
        Self: Sync,
    {
        par_batches(contracts, out, |c, o| self.greeks_many(c, o))
    }
}

/// Black-76 on one forward or futures price F, discounted at r, volatility from a [`VolSurface`].
///
/// ```text
/// V = e^{−rT}·(θF·Φ(θd₁) − θK·Φ(θd₂)),   σ = vol.implied_vol(T, ln(K/F))
/// ```
///
/// "Spot" Greeks are with respect to F; rho holds F fixed (ρ = −T·V); dividend rho is 0.
/// One model per futures contract (or per expiry's forward).
///
/// ```
/// use derisk::pricing::{Black76, EuropeanOption, PricingModel};
/// let model = Black76::flat(20.0, 0.09, 0.25)?;
/// let p = model.price(&EuropeanOption::put(20.0, 4.0 / 12.0)?)?;
/// assert!((p - 1.116_641_456_558_943_5).abs() < 1e-13);
/// # Ok::<(), derisk::pricing::PricingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Black76<V = FlatVol> {
    forward: f64,
    rate: f64,
    vol: V,
}

impl<V: VolSurface> Black76<V> {
    /// A Black-76 model on `forward` F > 0 with discount rate r and a volatility source.
    ///
    /// # Errors
    ///
    /// [`PricingError::InvalidForward`] or [`PricingError::InvalidRate`].
    ///
    /// ```
    /// use derisk::pricing::Black76;
    /// use derisk::vol::FlatVol;
    /// let m = Black76::new(88_728.95, 0.0, FlatVol::new(0.45)?)?;
    /// assert_eq!(m.forward(), 88_728.95);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(forward: f64, rate: f64, vol: V) -> Result<Self, PricingError> {
        Ok(Self {
            forward: check_forward(forward)?,
            rate: check_rate(rate)?,
            vol,
        })
    }

    /// The forward price F.
    #[must_use]
    pub const fn forward(&self) -> f64 {
        self.forward
    }

    /// The discount rate r.
    #[must_use]
    pub const fn rate(&self) -> f64 {
        self.rate
    }

    /// The volatility source.
    #[must_use]
    pub const fn vol(&self) -> &V {
        &self.vol
    }

    #[inline]
    pub(crate) fn inputs(&self, c: &EuropeanOption) -> Result<Inputs, PricingError> {
        let log_moneyness = if self.vol.varies_with_strike() {
            -ln_ratio(self.forward, c.strike())
        } else {
            0.0 // not read by the surface
        };
        let volatility = check_volatility(self.vol.implied_vol(c.expiry(), log_moneyness)?)?;
        Ok(Inputs::forward(
            c.kind(),
            self.forward,
            c.strike(),
            c.expiry(),
            volatility,
            self.rate,
        ))
    }
}

impl Black76<FlatVol> {
    /// A Black-76 model with a flat volatility.
    ///
    /// # Errors
    ///
    /// A [`PricingError`] naming the invalid input.
    ///
    /// ```
    /// let m = derisk::pricing::Black76::flat(100.0, 0.0, 0.3)?;
    /// assert_eq!(m.rate(), 0.0);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn flat(forward: f64, rate: f64, volatility: f64) -> Result<Self, PricingError> {
        Self::new(forward, rate, FlatVol::new(volatility)?)
    }
}

impl<V: VolSurface> PricingModel<EuropeanOption> for Black76<V> {
    #[inline]
    fn price(&self, contract: &EuropeanOption) -> Result<f64, PricingError> {
        price_validated(&self.inputs(contract)?)
    }

    /// Vectorised: the volatilities are looked up per contract, then the prices go through the
    /// batch kernel's lanes (as [`black76_price_batch`](crate::black::black76_price_batch)).
    fn price_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError> {
        check_lengths(contracts.len(), out.len())?;
        contracts_batch::<Prices, _>(out, self.rate, Underlying::Forward, |i| {
            self.inputs(&contracts[i])
        });
        Ok(())
    }

    /// [`PricingModel::price_many`] on slices of 512 contracts on rayon's thread pool.
    fn par_price_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError>
    where
        Self: Sync,
    {
        par_batches(contracts, out, |c, o| self.price_many(c, o))
    }
}

impl<V: VolSurface> Sensitivities<EuropeanOption> for Black76<V> {
    #[inline]
    fn greeks(&self, contract: &EuropeanOption) -> Result<Greeks, PricingError> {
        greeks_validated(&self.inputs(contract)?)
    }

    /// Vectorised: the volatilities are looked up per contract, then price and Greeks go
    /// through the batch Greeks' lanes.
    fn greeks_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError> {
        check_lengths(contracts.len(), out.len())?;
        let model = Underlying::Forward;
        contracts_batch::<PriceAndGreeks, _>(out, self.rate, model, |i| self.inputs(&contracts[i]));
        Ok(())
    }

    /// [`Sensitivities::greeks_many`] on slices of 512 contracts on rayon's thread pool.
    fn par_greeks_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError>
    where
        Self: Sync,
    {
        par_batches(contracts, out, |c, o| self.greeks_many(c, o))
    }
}
