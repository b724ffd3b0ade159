//! Scratch space of batch revaluation: what positions share within one scenario (expiry terms,
//! discount factors, prices) and what one position keeps across scenarios (its last surface
//! read). Reused from scenario to scenario, so the inner loop allocates nothing once warm.

use crate::market::{Currency, ExpiryTerms, Instant, MarketError, MarketState, VolCache};

/// Reusable scratch of [`Instrument::value_cached`](super::Instrument::value_cached). Results
/// are bit for bit those of [`Instrument::value`](super::Instrument::value): the cache only
/// skips recomputing the same numbers.
///
/// ```
/// let cache = derisk::portfolio::BatchCache::default();
/// # let _ = cache;
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchCache {
    /// (underlying, expiry, settlement currency) → terms and discount factor.
    terms: Vec<(Currency, Instant, Currency, ExpiryTerms, f64)>,
    prices: Vec<(Currency, f64)>,
    vols: Vec<VolCache>,
    /// Index in `terms` of the last hit: a book's positions of one expiry usually sit together,
    /// so it is checked before the search.
    last: usize,
}

impl BatchCache {
    /// Forgets what belongs to the previous scenario (the per-position surface reads stay).
    pub(crate) fn next_scenario(&mut self, positions: usize) {
        self.terms.clear();
        self.prices.clear();
        self.vols.resize(positions, VolCache::default());
    }

    /// The expiry terms of (asset, expiry) and the discount factor of `settlement` to it.
    pub(crate) fn terms(
        &mut self,
        m: &MarketState,
        asset: Currency,
        expiry: Instant,
        settlement: Currency,
    ) -> Result<(ExpiryTerms, f64), MarketError> {
        let is = |t: &(Currency, Instant, Currency, ExpiryTerms, f64)| {
            t.0 == asset && t.1 == expiry && t.2 == settlement
        };
        if let Some(t) = self.terms.get(self.last).filter(|t| is(t)) {
            return Ok((t.3, t.4));
        }
        if let Some(i) = self.terms.iter().position(is) {
            self.last = i;
            return Ok((self.terms[i].3, self.terms[i].4));
        }
        let t = m.expiry_terms(asset, expiry)?;
        let d = m.discount(settlement, expiry)?;
        self.last = self.terms.len();
        self.terms.push((asset, expiry, settlement, t, d));
        Ok((t, d))
    }

    pub(crate) fn price_of(
        &mut self,
        m: &MarketState,
        currency: Currency,
    ) -> Result<f64, MarketError> {
        if let Some(p) = self.prices.iter().find(|p| p.0 == currency) {
            return Ok(p.1);
        }
        let p = m.price_of(currency)?;
        self.prices.push((currency, p));
        Ok(p)
    }

    pub(crate) fn vol_slot(&mut self, slot: usize) -> &mut VolCache {
        if slot >= self.vols.len() {
            self.vols.resize(slot + 1, VolCache::default());
        }
        &mut self.vols[slot]
    }
}
