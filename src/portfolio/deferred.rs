//! Option values the book prices eight at a time: an instrument whose value is a Black-76 price
//! times a factor hands the book that price's inputs ([`Instrument::black76_cached`]), and the
//! book's sums run them through the batch lanes (`black76_price_batch`) instead of one scalar
//! price per position. The sum keeps the positions' order, so it adds the same terms in the same
//! order as the one-by-one loop; only the price of each deferred option is the batch pricer's
//! (within the scalar kernel's accuracy, 1e-13 relative against the 50-digit references).
//!
//! [`Instrument::black76_cached`]: super::Instrument::black76_cached

use crate::black::PricingError;
use crate::black::{black76_price_batch, OptionKind};

use super::error::{check_finite, PortfolioError};

/// A value of the form `scale · B` (linear settlement) or `scale · B / F` (coin-settled), with
/// B = [`black76_price`](crate::black::black76_price)(kind, F, K, T, σ, r = 0) in units of F:
/// what an option position hands the book's batch sums ([`super::Instrument::black76_cached`]).
///
/// ```
/// use derisk::black::OptionKind;
/// use derisk::portfolio::DeferredBlack76;
/// // a coin-settled call: 0.1 BTC per contract, discount 0.99, F = K = 100,000 USD, 30 days at 50 %
/// let d = DeferredBlack76 {
///     kind: OptionKind::Call, forward: 100_000.0, strike: 100_000.0,
///     year_fraction: 30.0 / 365.0, vol: 0.5, scale: 0.1 * 0.99, inverse: true,
/// };
/// // at the money B = F(2Φ(σ√T/2) − 1) = 5,713.7675… USD (mpmath); the value 0.099 · B / F BTC
/// assert!((d.value().unwrap() - 0.099 * 0.057_137_675_090_999_35).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeferredBlack76 {
    /// Call or put.
    pub kind: OptionKind,
    /// The forward F to expiry (units of the strike).
    pub forward: f64,
    /// The strike K.
    pub strike: f64,
    /// Year fraction T to expiry.
    pub year_fraction: f64,
    /// Black volatility σ per √year.
    pub vol: f64,
    /// The factor on the undiscounted price (contract size × discount factor for the built-ins).
    pub scale: f64,
    /// `true` for a value in coin: the price divided by the forward before scaling.
    pub inverse: bool,
}

impl DeferredBlack76 {
    /// The value priced by the scalar kernel: `scale · B` or `scale · (B / F)`.
    ///
    /// # Errors
    ///
    /// [`PortfolioError::Pricing`] for inputs the Black-76 price rejects;
    /// [`PortfolioError::NonFinite`] if the product overflows.
    pub fn value(&self) -> Result<f64, PortfolioError> {
        let b = crate::black::black76_price(
            self.kind,
            self.forward,
            self.strike,
            self.year_fraction,
            self.vol,
            0.0,
        )?;
        finish(self.scale, self.inverse, self.forward, b)
    }
}

/// Lanes per batch call: one chunk of the batch pricer.
const LANES: usize = 8;
/// Positions a flush may span (the terms wait in order until their lanes are priced).
const TERMS: usize = 64;

/// Σ quantity · value · price(settlement) over positions in order, with deferred options priced
/// [`LANES`] at a time. Lives on the stack: nothing is allocated. The deferred options are kept
/// as the batch pricer's input columns, so a flush passes them as they are.
pub(crate) struct LaneSum {
    total: f64,
    /// Per waiting term: its ready value (or its lane, for a deferred option), quantity and
    /// settlement price.
    value: [f64; TERMS],
    lane: [u8; TERMS],
    quantity: [f64; TERMS],
    settle: [f64; TERMS],
    terms: usize,
    kind: [OptionKind; LANES],
    forward: [f64; LANES],
    strike: [f64; LANES],
    year_fraction: [f64; LANES],
    vol: [f64; LANES],
    scale: [f64; LANES],
    inverse: [bool; LANES],
    lanes: usize,
}

/// Marks a term whose value is ready.
const READY: u8 = u8::MAX;

impl LaneSum {
    pub(crate) fn new() -> Self {
        Self {
            total: 0.0,
            value: [0.0; TERMS],
            lane: [READY; TERMS],
            quantity: [0.0; TERMS],
            settle: [0.0; TERMS],
            terms: 0,
            kind: [OptionKind::Call; LANES],
            forward: [0.0; LANES],
            strike: [0.0; LANES],
            year_fraction: [0.0; LANES],
            vol: [0.0; LANES],
            scale: [0.0; LANES],
            inverse: [false; LANES],
            lanes: 0,
        }
    }

    /// Adds a position whose value is known.
    pub(crate) fn add(
        &mut self,
        quantity: f64,
        value: f64,
        settle: f64,
    ) -> Result<(), PortfolioError> {
        self.push(quantity, value, READY, settle)
    }

    /// Adds an option position priced at the next flush.
    pub(crate) fn defer(
        &mut self,
        quantity: f64,
        option: &DeferredBlack76,
        settle: f64,
    ) -> Result<(), PortfolioError> {
        let j = self.lanes;
        self.kind[j] = option.kind;
        self.forward[j] = option.forward;
        self.strike[j] = option.strike;
        self.year_fraction[j] = option.year_fraction;
        self.vol[j] = option.vol;
        self.scale[j] = option.scale;
        self.inverse[j] = option.inverse;
        self.lanes = j + 1;
        self.push(quantity, 0.0, j as u8, settle)
    }

    #[inline]
    fn push(
        &mut self,
        quantity: f64,
        value: f64,
        lane: u8,
        settle: f64,
    ) -> Result<(), PortfolioError> {
        let t = self.terms;
        (
            self.value[t],
            self.lane[t],
            self.quantity[t],
            self.settle[t],
        ) = (value, lane, quantity, settle);
        self.terms = t + 1;
        if self.lanes == LANES || self.terms == TERMS {
            self.flush()?;
        }
        Ok(())
    }

    /// Prices the waiting options and adds the waiting terms in order; the first term's error
    /// (in position order) if a price fails.
    pub(crate) fn flush(&mut self) -> Result<(), PortfolioError> {
        let n = self.lanes;
        let mut prices: [Result<f64, PricingError>; LANES] = [Ok(0.0); LANES];
        if n > 0 {
            black76_price_batch(
                &self.kind[..n],
                &self.forward[..n],
                &self.strike[..n],
                &self.year_fraction[..n],
                &self.vol[..n],
                0.0,
                &mut prices[..n],
            )?;
        }
        for i in 0..self.terms {
            let value = match self.lane[i] {
                READY => self.value[i],
                j => {
                    let j = usize::from(j);
                    let b = prices[j]?;
                    finish(self.scale[j], self.inverse[j], self.forward[j], b)?
                }
            };
            self.total += self.quantity[i] * value * self.settle[i];
        }
        self.terms = 0;
        self.lanes = 0;
        Ok(())
    }

    /// The sum, after the last flush.
    pub(crate) fn total(mut self) -> Result<f64, PortfolioError> {
        self.flush()?;
        Ok(self.total)
    }
}

/// `scale · B` or `scale · (B / F)`: one formula for [`DeferredBlack76::value`] and the lanes.
#[inline]
fn finish(scale: f64, inverse: bool, forward: f64, b: f64) -> Result<f64, PortfolioError> {
    let per_unit = if inverse { b / forward } else { b };
    check_finite("contract value", scale * per_unit)
}
