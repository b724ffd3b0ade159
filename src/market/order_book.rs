//! An order-book snapshot and what a market order does to it: the fill of a taker order walked
//! through the levels (VWAP, worst price, slippage), by quantity or by notional, and the depth
//! within a band around the mid. The maths is in docs/liquidity.md.

use super::error::{finite, positive, MarketError};

/// Which way a taker (market) order trades: a buy consumes the asks, a sell the bids.
///
/// ```
/// use derisk::market::Side;
/// assert_eq!(Side::Buy.opposite(), Side::Sell);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Side {
    /// Buys base for quote: walks the asks upwards from the best (lowest) ask.
    Buy,
    /// Sells base for quote: walks the bids downwards from the best (highest) bid.
    Sell,
}

impl Side {
    /// The other side.
    ///
    /// ```
    /// assert_eq!(derisk::market::Side::Sell.opposite(), derisk::market::Side::Buy);
    /// ```
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }

    /// +1 for a buy, −1 for a sell: the sign that makes a price move adverse when positive.
    fn sign(self) -> f64 {
        match self {
            Side::Buy => 1.0,
            Side::Sell => -1.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Side::Buy => "ask",
            Side::Sell => "bid",
        }
    }
}

/// One price level of a book: a price (quote per base) and the size resting there (base units).
///
/// ```
/// let level = derisk::market::Level::new(105_055.0, 3.036_22);
/// assert_eq!(level.price * level.size, 318_970.092_1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Level {
    /// Price, quote currency per unit of base (USD per BTC for a BTC perpetual).
    pub price: f64,
    /// Resting size, base units (BTC).
    pub size: f64,
}

impl Level {
    /// A level (validated when the book is built).
    ///
    /// ```
    /// assert_eq!(derisk::market::Level::new(10.0, 2.0).size, 2.0);
    /// ```
    pub fn new(price: f64, size: f64) -> Level {
        Level { price, size }
    }
}

/// A validated snapshot of a limit order book: bids strictly descending, asks strictly
/// ascending, every price and size finite and positive, best bid below best ask.
///
/// ```text
/// mid = (b₀ + a₀)/2,   spread = a₀ − b₀ (quote per base),   spread_bps = 10⁴ · spread / mid
/// ```
///
/// Reference: the Hyperliquid `l2Book` snapshot format (Hyperliquid API docs, "Info endpoint:
/// L2 book snapshot", accessed 2026-12-04); any venue's aggregated depth has the same shape.
///
/// ```
/// use derisk::market::{Level, OrderBook};
/// let book = OrderBook::new(
///     vec![Level::new(99.0, 1.0), Level::new(98.0, 2.0)],
///     vec![Level::new(101.0, 1.5), Level::new(102.0, 1.0)],
/// )?;
/// assert_eq!(book.mid(), 100.0);
/// assert_eq!(book.spread(), 2.0);
/// assert_eq!(book.spread_bps(), 200.0);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OrderBook {
    bids: Vec<Level>,
    asks: Vec<Level>,
}

/// The result of walking a taker order through one side of an [`OrderBook`].
///
/// Prices are quote per base; `filled` is in base units; `notional` in quote. Slippage is
/// signed so that a cost is positive, for buys and sells alike (`s` = +1 buy, −1 sell):
///
/// ```text
/// filled            = Σ qᵢ                      notional = Σ qᵢ pᵢ
/// average_price     = notional / filled          (VWAP of the fill)
/// slippage_vs_best  = s · (VWAP − p₀)            slippage_vs_best_bps = 10⁴ · slippage_vs_best / p₀
/// slippage_vs_mid   = s · (VWAP − mid)           slippage_vs_mid_bps  = 10⁴ · slippage_vs_mid / mid
/// cost_vs_mid       = filled · slippage_vs_mid   (quote currency)
/// ```
///
/// with qᵢ the quantity taken at level i (the last one possibly partial) and p₀ the best price
/// of the side walked.
///
/// ```
/// use derisk::market::{Level, OrderBook, Side};
/// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0), Level::new(103.0, 1.0)])?;
/// let fill = book.walk(Side::Buy, 1.5)?;
/// assert_eq!(fill.average_price, (101.0 + 0.5 * 103.0) / 1.5);
/// assert_eq!(fill.levels_used, 2);
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fill {
    /// The taker's side.
    pub side: Side,
    /// Base quantity filled.
    pub filled: f64,
    /// Quote amount paid (buy) or received (sell).
    pub notional: f64,
    /// Volume-weighted average price of the fill.
    pub average_price: f64,
    /// The last (worst) price touched.
    pub worst_price: f64,
    /// How many levels were touched (the last one possibly partially).
    pub levels_used: usize,
    /// What the book could not fill, in the unit of the request: base for
    /// [`OrderBook::walk`], quote for [`OrderBook::walk_notional`]; 0 when complete.
    pub unfilled: f64,
    /// Adverse VWAP move against the mid, quote per base (positive is a cost).
    pub slippage_vs_mid: f64,
    /// `slippage_vs_mid` in basis points of the mid.
    pub slippage_vs_mid_bps: f64,
    /// Adverse VWAP move against the best price of the side walked, quote per base.
    pub slippage_vs_best: f64,
    /// `slippage_vs_best` in basis points of that best price.
    pub slippage_vs_best_bps: f64,
}

impl Fill {
    /// Whether the whole request was filled.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert!(!book.walk(Side::Sell, 2.0)?.is_complete());
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn is_complete(&self) -> bool {
        self.unfilled == 0.0
    }

    /// The cost of the fill against the mid, in quote currency: `filled · slippage_vs_mid`.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.walk(Side::Buy, 0.5)?.cost_vs_mid(), 0.5); // half a unit, 1 above mid
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn cost_vs_mid(&self) -> f64 {
        self.filled * self.slippage_vs_mid
    }
}

/// Resting size and its quote value on one side within a band around the mid.
///
/// ```text
/// size     = Σ { qᵢ : 10⁴ · s · (pᵢ − mid)/mid ≤ band_bps }     notional = Σ qᵢ pᵢ over the same levels
/// ```
///
/// ```
/// use derisk::market::{Level, OrderBook, Side};
/// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0), Level::new(103.0, 2.0)])?;
/// let d = book.depth_within(Side::Buy, 100.0)?; // 1 % of the mid: only the 101 level
/// assert_eq!((d.size, d.notional, d.levels), (1.0, 101.0, 1));
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Depth {
    /// Base size within the band.
    pub size: f64,
    /// Its quote value Σ qᵢ pᵢ.
    pub notional: f64,
    /// How many levels lie within the band.
    pub levels: usize,
}

/// What is being consumed while walking: base quantity or quote notional.
#[derive(Clone, Copy)]
enum Budget {
    Quantity(f64),
    Notional(f64),
}

impl OrderBook {
    /// A book from its bids (best first, strictly descending) and asks (best first, strictly
    /// ascending).
    ///
    /// Reference: see [`OrderBook`].
    ///
    /// # Errors
    ///
    /// [`MarketError::EmptyBook`] if a side has no level; [`MarketError::InvalidLevel`] for a
    /// price or size that is not finite and positive; [`MarketError::UnsortedBook`] for levels
    /// out of order or repeated; [`MarketError::CrossedBook`] if best bid ≥ best ask;
    /// [`MarketError::InvalidValue`] if a side's total value Σ price·size overflows.
    ///
    /// ```
    /// use derisk::market::{Level, MarketError, OrderBook};
    /// let err = OrderBook::new(vec![Level::new(101.0, 1.0)], vec![Level::new(100.0, 1.0)]).unwrap_err();
    /// assert_eq!(err, MarketError::CrossedBook { best_bid: 101.0, best_ask: 100.0 });
    /// ```
    pub fn new(bids: Vec<Level>, asks: Vec<Level>) -> Result<OrderBook, MarketError> {
        check_side(&bids, Side::Sell)?;
        check_side(&asks, Side::Buy)?;
        let (best_bid, best_ask) = (bids[0].price, asks[0].price);
        if best_bid >= best_ask {
            return Err(MarketError::CrossedBook { best_bid, best_ask });
        }
        Ok(OrderBook { bids, asks })
    }

    /// Bids, best (highest) first.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.bids()[0].price, 99.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn bids(&self) -> &[Level] {
        &self.bids
    }

    /// Asks, best (lowest) first.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.asks()[0].price, 101.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn asks(&self) -> &[Level] {
        &self.asks
    }

    /// The levels a taker on `side` consumes: asks for a buy, bids for a sell.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.levels(Side::Sell)[0].price, 99.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn levels(&self, side: Side) -> &[Level] {
        match side {
            Side::Buy => &self.asks,
            Side::Sell => &self.bids,
        }
    }

    /// Best bid (quote per base).
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.best_bid(), 99.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn best_bid(&self) -> f64 {
        self.bids[0].price
    }

    /// Best ask (quote per base).
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.best_ask(), 101.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn best_ask(&self) -> f64 {
        self.asks[0].price
    }

    /// The mid price, `(best bid + best ask)/2`.
    ///
    /// ```text
    /// mid = b₀/2 + a₀/2   (halved first so that no sum of two large prices overflows)
    /// ```
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(105_055.0, 1.0)], vec![Level::new(105_056.0, 1.0)])?;
    /// assert_eq!(book.mid(), 105_055.5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn mid(&self) -> f64 {
        0.5 * self.best_bid() + 0.5 * self.best_ask()
    }

    /// The quoted spread, best ask − best bid (quote per base, positive).
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.5, 1.0)])?;
    /// assert_eq!(book.spread(), 2.5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn spread(&self) -> f64 {
        self.best_ask() - self.best_bid()
    }

    /// The spread in basis points of the mid, `10⁴ · spread / mid`.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.spread_bps(), 200.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn spread_bps(&self) -> f64 {
        1e4 * self.spread() / self.mid()
    }

    /// The relative spread `(ask − bid)/mid` as a decimal (the spread unit of Bangia et al. 1999).
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.relative_spread(), 0.02);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn relative_spread(&self) -> f64 {
        self.spread() / self.mid()
    }

    /// Total resting size a taker on `side` could consume (base units).
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0), Level::new(98.0, 2.5)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.total_size(Side::Sell), 3.5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn total_size(&self, side: Side) -> f64 {
        self.levels(side).iter().map(|l| l.size).sum()
    }

    /// Resting size on the side a taker on `side` consumes, within `band_bps` basis points of the
    /// mid (formula on [`Depth`]). A level exactly on the band's edge is included.
    ///
    /// Reference: the depth available within a price interval of the mid, M. D. Gould,
    /// M. A. Porter, S. Williams, M. McDonald, D. J. Fenn and S. D. Howison, "Limit order
    /// books", Quantitative Finance 13(11) (2013).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `band_bps` is negative or not finite.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0), Level::new(97.0, 4.0)], vec![Level::new(101.0, 1.0)])?;
    /// assert_eq!(book.depth_within(Side::Sell, 300.0)?.size, 5.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn depth_within(&self, side: Side, band_bps: f64) -> Result<Depth, MarketError> {
        if finite("band_bps", band_bps)? < 0.0 {
            return Err(MarketError::InvalidValue {
                name: "band_bps",
                value: band_bps,
                reason: "must not be negative",
            });
        }
        let mid = self.mid();
        let s = side.sign();
        let mut depth = Depth {
            size: 0.0,
            notional: 0.0,
            levels: 0,
        };
        for level in self.levels(side) {
            // Levels are sorted away from the mid, so the first one outside ends the band.
            if 1e4 * s * (level.price - mid) / mid > band_bps {
                break;
            }
            depth.size += level.size;
            depth.notional += level.size * level.price;
            depth.levels += 1;
        }
        Ok(depth)
    }

    /// Walks a taker order of `quantity` base units through the book (formulas on [`Fill`]).
    /// A request beyond the book's depth fills what rests and reports the rest as `unfilled`.
    /// Allocates nothing.
    ///
    /// Reference: the price–time matching of a market order against resting limit orders, e.g.
    /// Gould et al., "Limit order books", Quantitative Finance 13(11) (2013).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `quantity` is not finite and positive.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(100.0, 1.0), Level::new(99.0, 1.0)], vec![Level::new(101.0, 1.0)])?;
    /// let fill = book.walk(Side::Sell, 1.5)?;
    /// assert_eq!(fill.notional, 100.0 + 0.5 * 99.0);
    /// assert_eq!(fill.worst_price, 99.0);
    /// assert!((fill.slippage_vs_best - 1.0 / 3.0).abs() < 1e-15);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn walk(&self, side: Side, quantity: f64) -> Result<Fill, MarketError> {
        positive("quantity", quantity)?;
        Ok(self.walk_budget(side, Budget::Quantity(quantity)))
    }

    /// Walks a taker order that spends (buy) or raises (sell) `notional` in quote currency: like
    /// [`OrderBook::walk`], with the last level taken for `remaining notional / price` base
    /// units; `unfilled` is the quote amount the book could not absorb. Allocates nothing.
    ///
    /// Reference: as [`OrderBook::walk`].
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `notional` is not finite and positive.
    ///
    /// ```
    /// use derisk::market::{Level, OrderBook, Side};
    /// let book = OrderBook::new(vec![Level::new(99.0, 1.0)], vec![Level::new(100.0, 1.0), Level::new(200.0, 1.0)])?;
    /// let fill = book.walk_notional(Side::Buy, 200.0)?;
    /// assert_eq!((fill.filled, fill.average_price), (1.5, 200.0 / 1.5));
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn walk_notional(&self, side: Side, notional: f64) -> Result<Fill, MarketError> {
        positive("notional", notional)?;
        Ok(self.walk_budget(side, Budget::Notional(notional)))
    }

    fn walk_budget(&self, side: Side, budget: Budget) -> Fill {
        let levels = self.levels(side);
        let best = levels[0].price;
        let s = side.sign();
        let mut remaining = match budget {
            Budget::Quantity(q) | Budget::Notional(q) => q,
        };
        let mut filled = 0.0;
        let mut notional = 0.0;
        // Σ qᵢ·|pᵢ − p₀|: price steps from the best are small and exact on tick grids, so the
        // slippage keeps its relative precision instead of being the difference of two large VWAPs.
        let mut excess = 0.0;
        let mut used = 0;
        let mut worst = best;
        for level in levels {
            let take = match budget {
                Budget::Quantity(_) => level.size.min(remaining),
                Budget::Notional(_) => level.size.min(remaining / level.price),
            };
            let cash = take * level.price;
            filled += take;
            notional += cash;
            excess += take * s * (level.price - best);
            used += 1;
            worst = level.price;
            let spent = match budget {
                Budget::Quantity(_) => take,
                Budget::Notional(_) => cash,
            };
            if take == level.size && spent < remaining {
                remaining -= spent;
            } else {
                remaining = 0.0;
                break;
            }
        }
        // filled > 0 unless remaining/price underflowed on the first level (a notional below
        // ~1e-300 of the price): then nothing trades and there is no slippage.
        let vs_best = if filled > 0.0 { excess / filled } else { 0.0 };
        let mid = self.mid();
        // For a buy the best ask sits half a spread above the mid, for a sell the best bid below.
        let vs_mid = 0.5 * self.spread() + vs_best;
        Fill {
            side,
            filled,
            notional,
            average_price: best + s * vs_best,
            worst_price: worst,
            levels_used: used,
            unfilled: remaining,
            slippage_vs_mid: vs_mid,
            slippage_vs_mid_bps: 1e4 * vs_mid / mid,
            slippage_vs_best: vs_best,
            slippage_vs_best_bps: 1e4 * vs_best / best,
        }
    }
}

fn check_side(levels: &[Level], side: Side) -> Result<(), MarketError> {
    let name = side.name();
    if levels.is_empty() {
        return Err(MarketError::EmptyBook { side: name });
    }
    let mut value = 0.0;
    for (index, level) in levels.iter().enumerate() {
        value += level.price * level.size;
        let ok = |x: f64| x.is_finite() && x > 0.0;
        if !ok(level.price) || !ok(level.size) {
            return Err(MarketError::InvalidLevel {
                side: name,
                index,
                price: level.price,
                size: level.size,
            });
        }
        if index > 0 && side.sign() * (level.price - levels[index - 1].price) <= 0.0 {
            return Err(MarketError::UnsortedBook {
                side: name,
                index,
                price: level.price,
                previous: levels[index - 1].price,
            });
        }
    }
    // Bounds every sum a walk forms, so a fill is always finite.
    if !value.is_finite() {
        return Err(MarketError::InvalidValue {
            name: "book side value",
            value,
            reason: "the total price x size of the side overflows",
        });
    }
    Ok(())
}
