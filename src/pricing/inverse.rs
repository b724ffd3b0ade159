//! Coin-settled ("inverse") options, as Deribit lists them: premium, value and settlement in the
//! coin, strikes in USD.
//!
//! A BTC option on Deribit pays its USD payoff converted to BTC at the settlement price S_T:
//! a call pays max(S_T − K, 0)/S_T BTC. Its value in coin is the Black-76 value in USD on the
//! expiry's forward F divided by F (Deribit marks with r = 0 on F, and quotes `mark_price` in coin):
//!
//! ```text
//! c = V_usd / F = e^{−rT}·θ·(Φ(θd₁) − (K/F)·Φ(θd₂))        (coin per option on 1 coin)
//! parity in coin:  c_call − c_put = e^{−rT}·(1 − K/F)
//! ```
//!
//! The Greeks of the coin value are raw derivatives of `c` with respect to F (per USD), σ, calendar
//! time and r. Because c·F = V_usd, the n-th F-derivative follows from V's by
//! c⁽ⁿ⁾ = (V⁽ⁿ⁾ − n·c⁽ⁿ⁻¹⁾)/F, and likewise for the mixed Greeks.
//!
//! Two deltas matter. Deribit displays the plain Black delta ∂V_usd/∂F = θ·e^{−rT}·Φ(θd₁) (the
//! `delta` column of the shared chain snapshot matches it, see tests/pricing/inverse.rs). A trader whose
//! P&L is counted in coin hedges the **premium-adjusted delta** F·∂c/∂F: the Black delta less the
//! premium's own coin exposure (the same convention as premium-adjusted deltas in FX),
//!
//! ```text
//! Δ_pa = F·∂c/∂F = Δ_Black − c = θ·e^{−rT}·(K/F)·Φ(θd₂)      (coin per option on 1 coin)
//! ```
//!
//! (the last form is exact and free of cancellation). Sources: Deribit knowledge base, "Inverse
//! options" and contract specifications (options settle in the coin at the 08:00 UTC delivery
//! price); A. Castagna, *FX Options and Smile Risk* (2010), §3.4 on premium-adjusted deltas.

use super::black_scholes::Black76;
use super::contract::EuropeanOption;
use super::traits::{check_lengths, par_batches, PricingModel, Sensitivities};
use crate::black::{
    coin_greeks_validated, contracts_batch, ln_ratio, price_validated, CoinGreeks, Greeks,
    PricingError, Underlying,
};
use crate::math::norm_cdf;
use crate::vol::{FlatVol, VolSurface};

/// Coin-settled European options on a forward F (USD per coin), valued in coin.
///
/// ```
/// use derisk::pricing::{EuropeanOption, InverseBlack76, PricingModel};
/// let model = InverseBlack76::flat(88_728.95, 0.0, 0.4323)?;
/// let call = EuropeanOption::call(82_000.0, 0.045_457_324_252_129_436)?;
/// let coin = model.price(&call)?;
/// // mpmath at 40 digits: 0.085476117344003016 BTC (Deribit's mark for BTC-16JAN26-82000-C at
/// // this mark IV was 0.08550357 BTC, marked on a slightly different forward).
/// assert!((coin - 0.085_476_117_344_003_02).abs() < 1e-15);
/// # Ok::<(), derisk::pricing::PricingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InverseBlack76<V = FlatVol> {
    usd: Black76<V>,
}

impl<V: VolSurface> InverseBlack76<V> {
    /// A coin-settled model on `forward` F > 0 (USD per coin), rate r (0 on Deribit), volatility.
    ///
    /// # Errors
    ///
    /// [`PricingError::InvalidForward`] or [`PricingError::InvalidRate`].
    ///
    /// ```
    /// use derisk::pricing::InverseBlack76;
    /// use derisk::vol::FlatVol;
    /// let m = InverseBlack76::new(3_000.0, 0.0, FlatVol::new(0.7)?)?;
    /// assert_eq!(m.forward(), 3_000.0);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(forward: f64, rate: f64, vol: V) -> Result<Self, PricingError> {
        Ok(Self {
            usd: Black76::new(forward, rate, vol)?,
        })
    }

    /// The forward F, USD per coin.
    #[must_use]
    pub const fn forward(&self) -> f64 {
        self.usd.forward()
    }

    /// The same contracts valued in USD (Black-76 on F).
    #[must_use]
    pub const fn usd_model(&self) -> &Black76<V> {
        &self.usd
    }

    /// The premium-adjusted delta F·∂c/∂F = θ·e^{−rT}·(K/F)·Φ(θd₂): coins of underlying per
    /// option on one coin that hedge a P&L counted in coin (the Black delta less the premium).
    ///
    /// # Errors
    ///
    /// A [`PricingError`] if the volatility source gives an invalid volatility.
    ///
    /// ```
    /// use derisk::pricing::{EuropeanOption, InverseBlack76};
    /// let model = InverseBlack76::flat(88_728.946_666_666_67, 0.0, 0.4323)?;
    /// let call = EuropeanOption::call(82_000.0, 0.045_457_324_252_129_436)?;
    /// // mpmath at 40 digits: (K/F)·Φ(d₂) = 0.730931098287924...; the Black delta Deribit shows
    /// // for this option is Φ(d₁) = 0.81644, the difference being the premium, 0.0855 BTC.
    /// assert!((model.premium_adjusted_delta(&call)? - 0.730_931_098_287_924_5).abs() < 1e-14);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn premium_adjusted_delta(&self, contract: &EuropeanOption) -> Result<f64, PricingError> {
        let i = self.usd.inputs(contract)?;
        let f = i.underlying;
        let k = i.strike;
        let theta_sign = i.kind.sign();
        let s = i.volatility * i.expiry.sqrt();
        let x = ln_ratio(f, k);
        let nd2 = if s > 0.0 {
            norm_cdf(theta_sign * (x / s - 0.5 * s))
        } else if theta_sign * x > 0.0 {
            1.0
        } else if x == 0.0 {
            0.5
        } else {
            0.0
        };
        if nd2 == 0.0 {
            return Ok(0.0);
        }
        let delta = theta_sign * (-i.rate * i.expiry).exp() * (k / f) * nd2;
        i.finite(delta, "premium-adjusted delta")
    }
}

impl InverseBlack76<FlatVol> {
    /// A coin-settled model with a flat volatility.
    ///
    /// # Errors
    ///
    /// A [`PricingError`] naming the invalid input.
    ///
    /// ```
    /// let m = derisk::pricing::InverseBlack76::flat(90_000.0, 0.0, 0.5)?;
    /// assert_eq!(m.usd_model().vol().volatility(), 0.5);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    pub fn flat(forward: f64, rate: f64, volatility: f64) -> Result<Self, PricingError> {
        Self::new(forward, rate, FlatVol::new(volatility)?)
    }
}

impl<V: VolSurface> PricingModel<EuropeanOption> for InverseBlack76<V> {
    #[inline]
    fn price(&self, contract: &EuropeanOption) -> Result<f64, PricingError> {
        let i = self.usd.inputs(contract)?;
        i.finite(price_validated(&i)? / i.underlying, "price")
    }

    /// Vectorised: the USD prices through the batch kernel's lanes
    /// ([`Black76::price_many`]), then c = V/F.
    fn price_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError> {
        self.usd.price_many(contracts, out)?;
        let f = self.forward();
        for (slot, contract) in out.iter_mut().zip(contracts) {
            if let Ok(usd) = *slot {
                let coin = usd / f;
                // A coin value that overflows: the single price reports it with its inputs.
                *slot = if coin.is_finite() {
                    Ok(coin)
                } else {
                    self.price(contract)
                };
            }
        }
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

impl<V: VolSurface> Sensitivities<EuropeanOption> for InverseBlack76<V> {
    /// Greeks of the coin value c = V_usd/F, all in coin: delta per USD of F, gamma per USD²,
    /// vega per 1.00 of σ, theta per year, and so on (raw derivatives, F as the underlying).
    fn greeks(&self, contract: &EuropeanOption) -> Result<Greeks, PricingError> {
        coin_greeks_validated(&self.usd.inputs(contract)?)
    }

    /// Vectorised: the USD Greeks and Φ(θd₂) through the batch kernel's lanes, then the coin
    /// Greeks lane by lane (the same formula as [`Sensitivities::greeks`]); the other contracts
    /// take [`Sensitivities::greeks`].
    fn greeks_many(
        &self,
        contracts: &[EuropeanOption],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError> {
        check_lengths(contracts.len(), out.len())?;
        contracts_batch::<CoinGreeks, _>(out, self.usd.rate(), Underlying::Forward, |i| {
            self.usd.inputs(&contracts[i])
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
