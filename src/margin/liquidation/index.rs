//! An index of open positions by liquidation price: a mark update finds the positions it
//! triggers in time proportional to their number, not to the book's.

use std::collections::{BTreeSet, HashMap};

use crate::margin::error::check_price;
use crate::margin::{MarginError, Side};
use crate::portfolio::PositionId;

/// Positive finite prices ordered by their IEEE-754 bits: for x, y > 0, x < y ⇔ bits(x) <
/// bits(y), so a `u64` key sorts exactly as the price does, with no float comparison.
type Key = u64;

fn key(price: f64) -> Key {
    price.to_bits()
}

/// Every open position's liquidation trigger, kept sorted by price for each side.
///
/// ```text
/// a long  is triggered when mark ≤ its liquidation price   (the price fell to it)
/// a short is triggered when mark ≥ its liquidation price   (the price rose to it)
/// triggered(mark): a range scan of each side's ordered set: O(log n + k) for k triggered
/// ```
///
/// Positions without a liquidation price ([`LiquidationPrice::Never`](super::LiquidationPrice))
/// are simply not inserted. The index holds triggers only; whether the trigger is the mark or
/// the last price is the venue's convention (Binance, Bybit and BitMEX trigger on the mark price;
/// see docs/margin.md) and is the caller's choice of which price to pass.
///
/// ```
/// use derisk::margin::{LiquidationIndex, Side};
/// use derisk::portfolio::PositionId;
/// let mut index = LiquidationIndex::new();
/// index.insert(PositionId(1), Side::Long, 95.0)?;
/// index.insert(PositionId(2), Side::Long, 90.0)?;
/// index.insert(PositionId(3), Side::Short, 110.0)?;
/// let hit: Vec<PositionId> = index.triggered(92.0).collect();
/// assert_eq!(hit, vec![PositionId(1)]);                 // only the long at 95
/// assert_eq!(index.triggered(111.0).collect::<Vec<_>>(), vec![PositionId(3)]);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LiquidationIndex {
    longs: BTreeSet<(Key, PositionId)>,
    shorts: BTreeSet<(Key, PositionId)>,
    by_id: HashMap<PositionId, (Side, Key)>,
}

impl LiquidationIndex {
    /// An empty index.
    ///
    /// ```
    /// assert!(derisk::margin::LiquidationIndex::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of indexed positions.
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// i.insert(PositionId(7), Side::Short, 120.0)?;
    /// assert_eq!(i.len(), 1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no position is indexed.
    ///
    /// ```
    /// assert!(derisk::margin::LiquidationIndex::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Indexes (or re-indexes) position `id` on `side` with its liquidation price; returns the
    /// previous trigger if the id was indexed already (a changed margin or size moves it).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`] for a price that is not finite and positive.
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// assert_eq!(i.insert(PositionId(1), Side::Long, 95.0)?, None);
    /// assert_eq!(i.insert(PositionId(1), Side::Long, 97.0)?, Some((Side::Long, 95.0)));
    /// assert_eq!(i.triggered(96.0).count(), 1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn insert(
        &mut self,
        id: PositionId,
        side: Side,
        liquidation_price: f64,
    ) -> Result<Option<(Side, f64)>, MarginError> {
        let k = key(check_price(liquidation_price)?);
        let previous = self.remove(id);
        self.side_set(side).insert((k, id));
        self.by_id.insert(id, (side, k));
        Ok(previous)
    }

    /// Removes position `id`; returns its side and liquidation price if it was indexed.
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// i.insert(PositionId(1), Side::Long, 95.0)?;
    /// assert_eq!(i.remove(PositionId(1)), Some((Side::Long, 95.0)));
    /// assert_eq!(i.remove(PositionId(1)), None);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn remove(&mut self, id: PositionId) -> Option<(Side, f64)> {
        let (side, k) = self.by_id.remove(&id)?;
        self.side_set(side).remove(&(k, id));
        Some((side, f64::from_bits(k)))
    }

    /// The liquidation price of position `id`, if indexed.
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// i.insert(PositionId(4), Side::Short, 101.5)?;
    /// assert_eq!(i.get(PositionId(4)), Some((Side::Short, 101.5)));
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn get(&self, id: PositionId) -> Option<(Side, f64)> {
        self.by_id.get(&id).map(|&(s, k)| (s, f64::from_bits(k)))
    }

    /// The positions that `mark` triggers: longs with a liquidation price ≥ mark (highest,
    /// i.e. first crossed, first), then shorts with a liquidation price ≤ mark (lowest first).
    /// Allocates nothing; a NaN or non-positive mark triggers nothing.
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// for (id, lp) in [(1, 90.0), (2, 95.0), (3, 99.0)] {
    ///     i.insert(PositionId(id), Side::Long, lp)?;
    /// }
    /// let hit: Vec<_> = i.triggered(94.0).collect();
    /// assert_eq!(hit, vec![PositionId(3), PositionId(2)]); // in the order the fall crossed them
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn triggered(&self, mark: f64) -> impl Iterator<Item = PositionId> + '_ {
        let valid = mark.is_finite() && mark > 0.0;
        let k = if valid { key(mark) } else { 0 };
        let longs = self
            .longs
            .range((k, PositionId(0))..)
            .rev()
            .filter(move |_| valid)
            .map(|&(_, id)| id);
        let shorts = self
            .shorts
            .range(..=(k, PositionId(u64::MAX)))
            .filter(move |_| valid)
            .map(|&(_, id)| id);
        longs.chain(shorts)
    }

    /// Removes and returns the triggered positions (the engine's step: after a mark update,
    /// the triggered positions leave the index and go to the liquidation engine).
    ///
    /// ```
    /// # use derisk::{margin::{LiquidationIndex, Side}, portfolio::PositionId};
    /// let mut i = LiquidationIndex::new();
    /// i.insert(PositionId(1), Side::Long, 95.0)?;
    /// i.insert(PositionId(2), Side::Short, 105.0)?;
    /// assert_eq!(i.take_triggered(94.0), vec![PositionId(1)]);
    /// assert_eq!(i.len(), 1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn take_triggered(&mut self, mark: f64) -> Vec<PositionId> {
        let hit: Vec<PositionId> = self.triggered(mark).collect();
        for &id in &hit {
            self.remove(id);
        }
        hit
    }

    fn side_set(&mut self, side: Side) -> &mut BTreeSet<(Key, PositionId)> {
        match side {
            Side::Long => &mut self.longs,
            Side::Short => &mut self.shorts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_is_inclusive_and_bad_marks_trigger_nothing() {
        let mut i = LiquidationIndex::new();
        i.insert(PositionId(1), Side::Long, 100.0).unwrap();
        i.insert(PositionId(2), Side::Short, 100.0).unwrap();
        assert_eq!(i.triggered(100.0).count(), 2);
        assert_eq!(
            i.triggered(f64::from_bits(100.0_f64.to_bits() + 1)).count(),
            1
        );
        for bad in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
            assert_eq!(i.triggered(bad).count(), 0);
        }
        assert!(matches!(
            i.insert(PositionId(3), Side::Long, f64::NAN),
            Err(MarginError::InvalidPrice { .. })
        ));
    }

    #[test]
    fn matches_a_linear_scan() {
        let mut i = LiquidationIndex::new();
        let mut all = Vec::new();
        for n in 0..500u64 {
            let lp = 50.0 + ((n * 7919) % 1000) as f64 / 10.0;
            let side = if n % 3 == 0 { Side::Short } else { Side::Long };
            i.insert(PositionId(n), side, lp).unwrap();
            all.push((n, side, lp));
        }
        for mark in [49.0, 75.3, 100.0, 120.0, 151.0] {
            let mut got: Vec<u64> = i.triggered(mark).map(|p| p.0).collect();
            got.sort_unstable();
            let want: Vec<u64> = all
                .iter()
                .filter(|(_, s, lp)| match s {
                    Side::Long => mark <= *lp,
                    Side::Short => mark >= *lp,
                })
                .map(|(n, _, _)| *n)
                .collect();
            assert_eq!(got, want);
        }
    }
}
