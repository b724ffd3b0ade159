//! The pricing traits: a model that values contracts of type `C`, and one that also gives Greeks.

use std::sync::Arc;

use crate::black::{Greeks, ImpliedVol, ImpliedVolError, PricingError};

/// A model that values contracts of type `C`.
///
/// Pairing a model with a contract is a trait bound, checked by the compiler. Implement
/// [`PricingModel::price`]; the batch method [`PricingModel::price_many`] is provided and writes
/// one `Result` per contract into a caller-provided slice, allocating nothing.
///
/// ```
/// use derisk::pricing::{BlackScholes, EuropeanOption, PricingModel};
/// let model = BlackScholes::flat(42.0, 0.1, 0.0, 0.2)?;
/// let call = EuropeanOption::call(40.0, 0.5)?;
/// assert!((model.price(&call)? - 4.759_422_392_871_533).abs() < 1e-13);
/// # Ok::<(), derisk::pricing::PricingError>(())
/// ```
pub trait PricingModel<C: ?Sized> {
    /// Value of one contract, in the model's currency.
    ///
    /// # Errors
    ///
    /// A [`PricingError`] naming the invalid input, or [`PricingError::Overflow`].
    fn price(&self, contract: &C) -> Result<f64, PricingError>;

    /// Values of many contracts into `out` (same length), one `Result` per contract, so one bad
    /// contract does not stop the batch. Allocation-free.
    ///
    /// # Errors
    ///
    /// [`PricingError::LengthMismatch`] if `out.len() != contracts.len()` (nothing is written).
    ///
    /// ```
    /// use derisk::pricing::{BlackScholes, EuropeanOption, PricingModel};
    /// let model = BlackScholes::flat(100.0, 0.0, 0.0, 0.5)?;
    /// let book = [EuropeanOption::call(100.0, 1.0)?, EuropeanOption::put(100.0, 1.0)?];
    /// let mut out = [Ok(0.0); 2];
    /// model.price_many(&book, &mut out)?;
    /// // put–call parity at the money with r = q = 0: C = P
    /// assert!((out[0]? - out[1]?).abs() < 1e-12);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    fn price_many(
        &self,
        contracts: &[C],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError>
    where
        C: Sized,
    {
        fill(contracts, out, |contract| self.price(contract))
    }

    /// [`PricingModel::price_many`] on rayon's thread pool with the `rayon` feature, and
    /// sequentially without it (same name and bounds either way, so callers need no `cfg`).
    ///
    /// # Errors
    ///
    /// [`PricingError::LengthMismatch`] if the lengths differ.
    ///
    /// ```
    /// use derisk::pricing::{BlackScholes, EuropeanOption, PricingModel};
    /// let model = BlackScholes::flat(100.0, 0.0, 0.0, 0.5)?;
    /// let book = vec![EuropeanOption::call(100.0, 1.0)?; 1000];
    /// let mut out = vec![Ok(0.0); 1000];
    /// model.par_price_many(&book, &mut out)?;
    /// assert!(out.iter().all(|p| p.is_ok()));
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    fn par_price_many(
        &self,
        contracts: &[C],
        out: &mut [Result<f64, PricingError>],
    ) -> Result<(), PricingError>
    where
        C: Sized + Sync,
        Self: Sync,
    {
        par_fill(contracts, out, |contract| self.price(contract))
    }
}

/// A model that gives the price and every Greek of contracts `C` in one pass.
///
/// ```
/// use derisk::pricing::{Black76, EuropeanOption, Sensitivities};
/// let model = Black76::flat(100.0, 0.0, 0.2)?;
/// let g = model.greeks(&EuropeanOption::call(100.0, 1.0)?)?;
/// assert!((g.delta - 0.539_827_837_277_029).abs() < 1e-15);
/// # Ok::<(), derisk::pricing::PricingError>(())
/// ```
pub trait Sensitivities<C: ?Sized>: PricingModel<C> {
    /// Price and all fourteen Greeks (see [`Greeks`] for units and signs).
    ///
    /// # Errors
    ///
    /// A [`PricingError`] naming the invalid input, or [`PricingError::Overflow`].
    fn greeks(&self, contract: &C) -> Result<Greeks, PricingError>;

    /// Greeks of many contracts into `out`, one `Result` per contract. Allocation-free.
    ///
    /// # Errors
    ///
    /// [`PricingError::LengthMismatch`] if `out.len() != contracts.len()`.
    ///
    /// ```
    /// use derisk::pricing::{Black76, EuropeanOption, Greeks, Sensitivities};
    /// let model = Black76::flat(100.0, 0.0, 0.2)?;
    /// let book = [EuropeanOption::call(90.0, 1.0)?, EuropeanOption::put(90.0, 1.0)?];
    /// let mut out = [Ok(Greeks::default()); 2];
    /// model.greeks_many(&book, &mut out)?;
    /// // call delta − put delta = e^{−rT} = 1 at r = 0
    /// assert!((out[0]?.delta - out[1]?.delta - 1.0).abs() < 1e-15);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    fn greeks_many(
        &self,
        contracts: &[C],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError>
    where
        C: Sized,
    {
        fill(contracts, out, |contract| self.greeks(contract))
    }

    /// [`Sensitivities::greeks_many`] on rayon's thread pool with the `rayon` feature, and
    /// sequentially without it.
    ///
    /// # Errors
    ///
    /// [`PricingError::LengthMismatch`] if the lengths differ.
    ///
    /// ```
    /// use derisk::pricing::{Black76, EuropeanOption, Greeks, Sensitivities};
    /// let model = Black76::flat(100.0, 0.0, 0.2)?;
    /// let book = vec![EuropeanOption::put(95.0, 0.25)?; 100];
    /// let mut out = vec![Ok(Greeks::default()); 100];
    /// model.par_greeks_many(&book, &mut out)?;
    /// assert!(out[99].as_ref().unwrap().delta < 0.0);
    /// # Ok::<(), derisk::pricing::PricingError>(())
    /// ```
    fn par_greeks_many(
        &self,
        contracts: &[C],
        out: &mut [Result<Greeks, PricingError>],
    ) -> Result<(), PricingError>
    where
        C: Sized + Sync,
        Self: Sync,
    {
        par_fill(contracts, out, |contract| self.greeks(contract))
    }
}

/// A model that inverts its price for the volatility: the implied volatility of a quote.
///
/// The model's own market data (spot, rates, forward) are used; its volatility source is not.
/// Implemented by [`BlackScholes`](crate::pricing::BlackScholes),
/// [`Black76`](crate::pricing::Black76) and [`InverseBlack76`](crate::pricing::InverseBlack76)
/// (prices in coin).
///
/// ```
/// use derisk::pricing::{EuropeanOption, ImpliedVolatility, InverseBlack76};
/// // Deribit BTC-16JAN26-82000-C bid/ask 0.084/0.088 BTC on F = 88,728.95 (2025-12-30).
/// let market = InverseBlack76::flat(88_728.95, 0.0, 0.0)?;
/// let call = EuropeanOption::call(82_000.0, 0.045_457_324_252_129_436)?;
/// let bid = market.implied_vol(&call, 0.084)?.volatility;
/// let ask = market.implied_vol(&call, 0.088)?.volatility;
/// assert!(bid < 0.4323 && 0.4323 < ask); // Deribit's mark IV lies inside
/// # Ok::<(), derisk::Error>(())
/// ```
pub trait ImpliedVolatility<C: ?Sized> {
    /// The volatility σ (per √year) at which the model's price of `contract` equals `price`
    /// (in the model's currency), with the number of solver steps.
    ///
    /// # Errors
    ///
    /// An [`ImpliedVolError`]: a price outside the no-arbitrage bounds, or invalid inputs.
    fn implied_vol(&self, contract: &C, price: f64) -> Result<ImpliedVol, ImpliedVolError>;

    /// Implied volatilities of many `(contract, price)` quotes into `out`, one `Result` each.
    /// Allocation-free.
    ///
    /// # Errors
    ///
    /// [`ImpliedVolError::Input`] with [`PricingError::LengthMismatch`] if the lengths differ.
    ///
    /// ```
    /// use derisk::pricing::{Black76, EuropeanOption, ImpliedVolatility};
    /// let m = Black76::flat(100.0, 0.0, 0.0)?;
    /// let quotes = [(EuropeanOption::call(110.0, 1.0)?, 3.0), (EuropeanOption::put(90.0, 1.0)?, -1.0)];
    /// let mut out = [Ok(derisk::pricing::ImpliedVol { volatility: 0.0, iterations: 0 }); 2];
    /// m.implied_vol_many(&quotes, &mut out)?;
    /// assert!(out[0].is_ok() && out[1].is_err()); // a negative price is rejected
    /// # Ok::<(), derisk::Error>(())
    /// ```
    fn implied_vol_many(
        &self,
        quotes: &[(C, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError>
    where
        C: Sized,
    {
        Ok(fill(quotes, out, |(contract, price)| {
            self.implied_vol(contract, *price)
        })?)
    }

    /// [`ImpliedVolatility::implied_vol_many`] on rayon's thread pool with the `rayon` feature,
    /// and sequentially without it.
    ///
    /// # Errors
    ///
    /// As [`ImpliedVolatility::implied_vol_many`].
    ///
    /// ```
    /// use derisk::pricing::{Black76, EuropeanOption, ImpliedVolatility, ImpliedVol};
    /// let m = Black76::flat(100.0, 0.0, 0.0)?;
    /// let quotes = vec![(EuropeanOption::call(110.0, 1.0)?, 3.0); 64];
    /// let mut out = vec![Ok(ImpliedVol { volatility: 0.0, iterations: 0 }); 64];
    /// m.par_implied_vol_many(&quotes, &mut out)?;
    /// assert!(out.iter().all(|r| r.is_ok()));
    /// # Ok::<(), derisk::Error>(())
    /// ```
    fn par_implied_vol_many(
        &self,
        quotes: &[(C, f64)],
        out: &mut [Result<ImpliedVol, ImpliedVolError>],
    ) -> Result<(), ImpliedVolError>
    where
        C: Sized + Sync,
        Self: Sync,
    {
        Ok(par_fill(quotes, out, |(contract, price)| {
            self.implied_vol(contract, *price)
        })?)
    }
}

/// `Err(LengthMismatch)` unless `inputs == outputs`.
#[inline]
pub(crate) fn check_lengths(inputs: usize, outputs: usize) -> Result<(), PricingError> {
    if inputs == outputs {
        Ok(())
    } else {
        Err(PricingError::LengthMismatch { inputs, outputs })
    }
}

/// `out[i] = f(&inputs[i])` after checking the lengths: the loop behind every `*_many`.
#[inline]
fn fill<I, T>(inputs: &[I], out: &mut [T], f: impl Fn(&I) -> T) -> Result<(), PricingError> {
    check_lengths(inputs.len(), out.len())?;
    for (slot, input) in out.iter_mut().zip(inputs) {
        *slot = f(input);
    }
    Ok(())
}

/// [`fill`] on rayon's thread pool.
#[cfg(feature = "rayon")]
fn par_fill<I: Sync, T: Send>(
    inputs: &[I],
    out: &mut [T],
    f: impl Fn(&I) -> T + Sync,
) -> Result<(), PricingError> {
    use rayon::prelude::*;
    check_lengths(inputs.len(), out.len())?;
    out.par_iter_mut()
        .zip(inputs.par_iter())
        .for_each(|(slot, input)| *slot = f(input));
    Ok(())
}

/// Contracts per task of [`par_batches`]: a multiple of the batch kernels' chunk, large enough that
/// a task outweighs rayon's scheduling.
#[cfg(feature = "rayon")]
const PAR_BATCH: usize = 512;

/// `batch(contracts, out)` over slices of [`PAR_BATCH`] on rayon's thread pool, after checking
/// the lengths (a model's batch `price_many` run in parallel).
#[cfg(feature = "rayon")]
pub(crate) fn par_batches<I: Sync, T: Send>(
    inputs: &[I],
    out: &mut [T],
    batch: impl Fn(&[I], &mut [T]) -> Result<(), PricingError> + Sync,
) -> Result<(), PricingError> {
    use rayon::prelude::*;
    check_lengths(inputs.len(), out.len())?;
    out.par_chunks_mut(PAR_BATCH)
        .zip(inputs.par_chunks(PAR_BATCH))
        .try_for_each(|(out, inputs)| batch(inputs, out))
}

/// [`par_batches`], sequentially: the `rayon` feature is off.
#[cfg(not(feature = "rayon"))]
pub(crate) fn par_batches<I: Sync, T: Send>(
    inputs: &[I],
    out: &mut [T],
    batch: impl Fn(&[I], &mut [T]) -> Result<(), PricingError> + Sync,
) -> Result<(), PricingError> {
    check_lengths(inputs.len(), out.len())?;
    batch(inputs, out)
}

/// [`fill`], sequentially: the `rayon` feature is off.
#[cfg(not(feature = "rayon"))]
fn par_fill<I: Sync, T: Send>(
    inputs: &[I],
    out: &mut [T],
    f: impl Fn(&I) -> T + Sync,
) -> Result<(), PricingError> {
    fill(inputs, out, f)
}

macro_rules! forward_pricing_traits {
    ($($ptr:ty),*) => {$(
        impl<C: ?Sized, M: PricingModel<C> + ?Sized> PricingModel<C> for $ptr {
            #[inline]
            fn price(&self, contract: &C) -> Result<f64, PricingError> {
                (**self).price(contract)
            }
        }
        impl<C: ?Sized, M: ImpliedVolatility<C> + ?Sized> ImpliedVolatility<C> for $ptr {
            #[inline]
            fn implied_vol(&self, contract: &C, price: f64) -> Result<ImpliedVol, ImpliedVolError> {
                (**self).implied_vol(contract, price)
            }
        }
        impl<C: ?Sized, M: Sensitivities<C> + ?Sized> Sensitivities<C> for $ptr {
            #[inline]
            fn greeks(&self, contract: &C) -> Result<Greeks, PricingError> {
                (**self).greeks(contract)
            }
        }
    )*};
}

forward_pricing_traits!(&M, Box<M>, Arc<M>);
