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
    /// F = S·e^{(r−q)T} (as [`implied_black76_volatility_batch`](crate::black::implied_black76_volatility_batch));
    /// a quote the lanes do not solve is [`ImpliedVolatility::implied_vol`], errors included.
    fn implied_vol_many(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError> {
        check_lengths(quotes.len(), out.len())?;
        self.implied_vols_into(quotes, out);
        Ok(())
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
        Ok(par_batches(quotes, out, |q, o| {
            self.implied_vols_into(q, o);
            Ok(())
        })?)
    }
}

impl<V: VolSurface> BlackScholes<V> {
    /// The batch solve of `quotes` into `out` (of the same length): forwards as the scalar
    /// kernel forms them, S/e^{−rT} without a dividend yield, S·e^{(r−q)T} with one.
    fn implied_vols_into(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) {
        let m = self.market();
        let (spot, rate, q) = (m.spot(), m.rate(), m.dividend_yield());
        implied_black76_quotes_batch(
            out,
            rate,
            |i| {
                let (c, price) = &quotes[i];
                let t = c.expiry();
                let forward = if q == 0.0 {
                    spot / (-rate * t).exp()
                } else {
                    spot * ((rate - q) * t).exp()
                };
                (c.kind(), *price, forward, c.strike(), t)
            },
            |i| self.implied_vol(&quotes[i].0, quotes[i].1),
        );
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
        check_lengths(quotes.len(), out.len())?;
        self.implied_vols_into(quotes, out);
        Ok(())
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
        Ok(par_batches(quotes, out, |q, o| {
            self.implied_vols_into(q, o);
            Ok(())
        })?)
    }
}

impl<V: VolSurface> Black76<V> {
    /// The batch solve of `quotes` into `out` (of the same length).
    fn implied_vols_into(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) {
        let (forward, rate) = (self.forward(), self.rate());
        implied_black76_quotes_batch(
            out,
            rate,
            |i| {
                let (c, price) = &quotes[i];
                (c.kind(), *price, forward, c.strike(), c.expiry())
            },
            |i| self.implied_vol(&quotes[i].0, quotes[i].1),
        );
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
        check_lengths(quotes.len(), out.len())?;
        self.implied_vols_into(quotes, out);
        Ok(())
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
        Ok(par_batches(quotes, out, |q, o| {
            self.implied_vols_into(q, o);
            Ok(())
        })?)
    }
}

impl<V: VolSurface> InverseBlack76<V> {
    /// The batch solve of coin-priced `quotes` into `out` (of the same length).
    fn implied_vols_into(
        &self,
        quotes: &[(EuropeanOption, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) {
        let (forward, rate) = (self.forward(), self.usd_model().rate());
        implied_black76_quotes_batch(
            out,
            rate,
            |i| {
                let (c, coin_price) = &quotes[i];
                (
                    c.kind(),
                    coin_price * forward,
                    forward,
                    c.strike(),
                    c.expiry(),
                )
            },
            |i| self.implied_vol(&quotes[i].0, quotes[i].1),
        );
    }
}
