//! [`ImpliedVolatility`] for the models: each inverts its own price with the kernel's solvers
//! (`crate::black`), on its own market data.

use super::black_scholes::{Black76, BlackScholes};
use super::contract::EuropeanOption;
use super::inverse::InverseBlack76;
use super::traits::{check_lengths, par_batches, ImpliedVolatility};
use crate::black::{
    implied_black76_quotes_batch, implied_black76_volatility, implied_black_scholes_volatility,
    implied_coin_volatility, ImpliedVol, ImpliedVolError,
};
use crate::vol::VolSurface;

/// A quote's (USD price, forward) for the Black-76 lanes, from its contract and quoted price.
trait LaneQuote: Fn(&EuropeanOption, f64) -> (f64, f64) + Sync {}
impl<F: Fn(&EuropeanOption, f64) -> (f64, f64) + Sync> LaneQuote for F {}

/// The solve of `quotes` into `out` (same length) through the Black-76 batch solver's lanes at
/// `rate`, each quote as `usd` maps it; a quote the lanes do not solve, and every error, is the
/// model's single `implied_vol`. Allocation-free.
fn through_lanes<M: ImpliedVolatility<EuropeanOption>>(
    model: &M,
    rate: f64,
    usd: &impl LaneQuote,
    quotes: &[(EuropeanOption, f64)],
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
) {
    implied_black76_quotes_batch(
        out,
        rate,
        |i| {
            let (c, price) = &quotes[i];
            let (usd_price, forward) = usd(c, *price);
            (c.kind(), usd_price, forward, c.strike(), c.expiry())
        },
        |i| model.implied_vol(&quotes[i].0, quotes[i].1),
    );
}

/// `implied_vol_many` through the lanes: lengths checked, then [`through_lanes`].
fn many<M: ImpliedVolatility<EuropeanOption>>(
    model: &M,
    (rate, usd): (f64, impl LaneQuote),
    quotes: &[(EuropeanOption, f64)],
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
) -> Result<(), ImpliedVolError> {
    check_lengths(quotes.len(), out.len())?;
    through_lanes(model, rate, &usd, quotes, out);
    Ok(())
}

/// `par_implied_vol_many` through the lanes: slices of 512 quotes on rayon's thread pool.
fn par_many<M: ImpliedVolatility<EuropeanOption> + Sync>(
    model: &M,
    (rate, usd): (f64, impl LaneQuote),
    quotes: &[(EuropeanOption, f64)],
    out: &mut [Result<ImpliedVol, ImpliedVolError>],
) -> Result<(), ImpliedVolError> {
    Ok(par_batches(quotes, out, |q, o| {
        through_lanes(model, rate, &usd, q, o);
        Ok(())
    })?)
}

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for BlackScholes<V> {
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        let m = self.market();
        implied_black_scholes_volatility(
            contract.kind(),
            price,
            m.spot(),
            contract.strike(),
            contract.expiry(),
            m.rate(),
            m.dividend_yield(),
        )
    }

    /// Vectorised: each quote goes into the Black-76 batch solver's lanes on its forward
    /// S·e^{(r−q)T}, formed as the scalar kernel forms it (S/e^{−rT} without a dividend yield)
    /// (as [`implied_black76_volatility_batch`](crate::black::implied_black76_volatility_batch));
    /// a quote the lanes do not solve is [`ImpliedVolatility::implied_vol`], errors included.
    fn implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError> {
        many(self, self.lane_quote(), quotes, out)
    }

    /// [`ImpliedVolatility::implied_vol_many`] on slices of 512 quotes on rayon's thread pool.
    fn par_implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError>
    where
        Self: Sync,
    {
        par_many(self, self.lane_quote(), quotes, out)
    }
}

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for Black76<V> {
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        implied_black76_volatility(
            contract.kind(),
            price,
            self.forward(),
            contract.strike(),
            contract.expiry(),
            self.rate(),
        )
    }

    /// Vectorised: the quotes go through the batch solver's lanes (as
    /// [`implied_black76_volatility_batch`](crate::black::implied_black76_volatility_batch)).
    fn implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError> {
        many(self, self.lane_quote(), quotes, out)
    }

    /// [`ImpliedVolatility::implied_vol_many`] on slices of 512 quotes on rayon's thread pool.
    fn par_implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError>
    where
        Self: Sync,
    {
        par_many(self, self.lane_quote(), quotes, out)
    }
}

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for InverseBlack76<V> {
    /// `price` in coin.
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        implied_coin_volatility(
            contract.kind(),
            price,
            self.forward(),
            contract.strike(),
            contract.expiry(),
            self.usd_model().rate(),
        )
    }

    /// Vectorised: each coin price c is the USD quote c·F of the batch solver's lanes (as
    /// [`implied_black76_volatility_batch`](crate::black::implied_black76_volatility_batch));
    /// a quote the lanes do not solve is [`ImpliedVolatility::implied_vol`], errors in coin.
    fn implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError> {
        many(self, self.lane_quote(), quotes, out)
    }

    /// [`ImpliedVolatility::implied_vol_many`] on slices of 512 quotes on rayon's thread pool.
    fn par_implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError>
    where
        Self: Sync,
    {
        par_many(self, self.lane_quote(), quotes, out)
    }
}

impl<V: VolSurface> BlackScholes<V> {
    /// The lanes' rate and quote map: the price on the forward S·e^{(r−q)T}, formed as the
    /// scalar kernel forms it (S/e^{−rT} without a dividend yield).
    fn lane_quote(&self) -> (f64, impl LaneQuote) {
        let m = self.market();
        let (spot, rate, q) = (m.spot(), m.rate(), m.dividend_yield());
        let quote = move |c: &EuropeanOption, price: f64| {
            let t = c.expiry();
            let forward = if q == 0.0 {
                spot / (-rate * t).exp()
            } else {
                spot * ((rate - q) * t).exp()
            };
            (price, forward)
        };
        (rate, quote)
    }
}

impl<V: VolSurface> Black76<V> {
    /// The lanes' rate and quote map: the price on the model's forward.
    fn lane_quote(&self) -> (f64, impl LaneQuote) {
        let forward = self.forward();
        (self.rate(), move |_: &EuropeanOption, price: f64| {
            (price, forward)
        })
    }
}

impl<V: VolSurface> InverseBlack76<V> {
    /// The lanes' rate and quote map: a coin price c as the USD quote c·F.
    fn lane_quote(&self) -> (f64, impl LaneQuote) {
        let forward = self.forward();
        let rate = self.usd_model().rate();
        (rate, move |_: &EuropeanOption, coin: f64| {
            (coin * forward, forward)
        })
    }
}
