//! Historical stress: the worst moves of real price series inside named crisis windows.

use std::ops::Range;

use crate::market::{Currency, Instant};
use crate::risk::error::RiskError;

/// The worst (most negative) log move found in a series, with where it starts and ends.
///
/// ```text
/// log_move = ln(P_end / P_start)          (negative for a fall; −0.2 ≈ an 18 % fall)
/// relative change = exp(log_move) − 1
/// ```
///
/// `start` and `end` index the series the search was given (for a crisis window, the full
/// series, not the window).
///
/// ```
/// let m = derisk::risk::WorstMove { start: 0, end: 1, log_move: (0.5f64).ln() };
/// assert!((m.relative_change() + 0.5).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WorstMove {
    /// Index of the reference price (the earlier close, or the peak).
    pub start: usize,
    /// Index of the price reached (the later close, low or trough).
    pub end: usize,
    /// ln(P_end / P_start).
    pub log_move: f64,
}

impl WorstMove {
    /// The simple return exp(log_move) − 1 of the move (−0.3 is a 30 % fall).
    ///
    /// ```
    /// let m = derisk::risk::WorstMove { start: 3, end: 4, log_move: 0.0 };
    /// assert_eq!(m.relative_change(), 0.0);
    /// ```
    #[must_use]
    pub fn relative_change(&self) -> f64 {
        self.log_move.exp_m1()
    }

    fn shifted(self, by: usize) -> Self {
        Self {
            start: self.start + by,
            end: self.end + by,
            ..self
        }
    }
}

fn check_prices(name: &'static str, prices: &[f64]) -> Result<(), RiskError> {
    for (index, &value) in prices.iter().enumerate() {
        if !value.is_finite() {
            return Err(RiskError::NonFinite { name, index, value });
        }
        if !(value > 0.0 && value.is_normal()) {
            return Err(RiskError::NonPositivePrice { index, value });
        }
    }
    Ok(())
}

fn same_length(
    left_name: &'static str,
    left: usize,
    right_name: &'static str,
    right: usize,
) -> Result<(), RiskError> {
    if left == right {
        Ok(())
    } else {
        Err(RiskError::LengthMismatch {
            left_name,
            left,
            right_name,
            right,
        })
    }
}

/// The worst h-period log move of a price series (closes), over every overlapping window.
///
/// ```text
/// worst = min_{0 ≤ i < n−h} ln(P[i+h] / P[i])          (h = horizon, in rows of the series)
/// ```
///
/// With daily closes, h = 1, 3, 7 give the worst 1-, 3- and 7-day moves (the first of equal
/// minima is reported). Reference: Jorion, *Value at Risk* (2007), ch. 14 (stress testing:
/// historical scenarios); BCBS, *Principles for sound stress testing* (May 2009), principle 9.
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for h = 0; [`RiskError::TooShort`] with fewer than h + 1
/// prices; [`RiskError::NonFinite`] / [`RiskError::NonPositivePrice`] for a bad price.
///
/// ```
/// use derisk::risk::worst_log_move;
/// let m = worst_log_move(&[100.0, 90.0, 95.0, 80.0], 1)?;
/// assert_eq!((m.start, m.end), (2, 3));
/// assert_eq!(m.log_move, (80.0f64 / 95.0).ln());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn worst_log_move(prices: &[f64], horizon: usize) -> Result<WorstMove, RiskError> {
    if horizon == 0 {
        return Err(RiskError::InvalidParameter {
            name: "horizon",
            value: 0.0,
            reason: "a move needs a horizon of at least one period",
        });
    }
    if prices.len() <= horizon {
        return Err(RiskError::TooShort {
            name: "prices",
            len: prices.len(),
            min: horizon + 1,
        });
    }
    check_prices("prices", prices)?;
    let mut best = WorstMove {
        start: 0,
        end: horizon,
        log_move: f64::INFINITY,
    };
    for (i, w) in prices.windows(horizon + 1).enumerate() {
        let m = (w[horizon] / w[0]).ln();
        if m < best.log_move {
            best = WorstMove {
                start: i,
                end: i + horizon,
                log_move: m,
            };
        }
    }
    Ok(best)
}

/// The worst intraday fall: each period's low against the previous period's close.
///
/// ```text
/// worst = min_{1 ≤ i < n} ln(L[i] / C[i−1])
/// ```
///
/// Daily lows show the intraday stress that closes hide (on 2024-08-05 BTC closed 7 % down but
/// traded 16 % down); a liquidation engine sees the low, not the close.
///
/// # Errors
///
/// [`RiskError::LengthMismatch`]; [`RiskError::TooShort`] with fewer than 2 rows;
/// [`RiskError::NonFinite`] / [`RiskError::NonPositivePrice`] for a bad price.
///
/// ```
/// use derisk::risk::worst_intraday_move;
/// let m = worst_intraday_move(&[100.0, 98.0, 97.0], &[99.0, 85.0, 96.0])?;
/// assert_eq!((m.start, m.end), (0, 1));
/// assert_eq!(m.log_move, (85.0f64 / 100.0).ln());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn worst_intraday_move(closes: &[f64], lows: &[f64]) -> Result<WorstMove, RiskError> {
    same_length("closes", closes.len(), "lows", lows.len())?;
    if closes.len() < 2 {
        return Err(RiskError::TooShort {
            name: "closes",
            len: closes.len(),
            min: 2,
        });
    }
    check_prices("closes", closes)?;
    check_prices("lows", lows)?;
    let mut best = WorstMove {
        start: 0,
        end: 1,
        log_move: f64::INFINITY,
    };
    for i in 1..closes.len() {
        let m = (lows[i] / closes[i - 1]).ln();
        if m < best.log_move {
            best = WorstMove {
                start: i - 1,
                end: i,
                log_move: m,
            };
        }
    }
    Ok(best)
}

/// The largest peak-to-trough fall (maximum drawdown) of candles: each low against the highest
/// high up to and including its candle.
///
/// ```text
/// worst = min_j ln(L[j] / max_{i ≤ j} H[i])        (start = the peak's index, end = j)
/// ```
///
/// On the 1-minute Binance BTCUSDT perpetual candles of 2025-10-10 this is the crash of the
/// liquidation cascade, from the day's high to the 21:20 UTC low.
///
/// # Errors
///
/// [`RiskError::LengthMismatch`]; [`RiskError::TooShort`] for no candle;
/// [`RiskError::NonFinite`] / [`RiskError::NonPositivePrice`] for a bad price.
///
/// ```
/// use derisk::risk::peak_to_trough;
/// let m = peak_to_trough(&[10.0, 12.0, 11.0, 9.5], &[9.0, 11.0, 9.0, 9.0])?;
/// assert_eq!((m.start, m.end), (1, 2));
/// assert_eq!(m.log_move, (9.0f64 / 12.0).ln());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn peak_to_trough(highs: &[f64], lows: &[f64]) -> Result<WorstMove, RiskError> {
    same_length("highs", highs.len(), "lows", lows.len())?;
    if highs.is_empty() {
        return Err(RiskError::TooShort {
            name: "highs",
            len: 0,
            min: 1,
        });
    }
    check_prices("highs", highs)?;
    check_prices("lows", lows)?;
    let (mut peak, mut at) = (highs[0], 0);
    let mut best = WorstMove {
        start: 0,
        end: 0,
        log_move: f64::INFINITY,
    };
    for (j, (&h, &l)) in highs.iter().zip(lows).enumerate() {
        if h > peak {
            (peak, at) = (h, j);
        }
        let m = (l / peak).ln();
        if m < best.log_move {
            best = WorstMove {
                start: at,
                end: j,
                log_move: m,
            };
        }
    }
    Ok(best)
}

/// A named crisis window: the instants [start, end] (inclusive) of a price history to search.
///
/// ```text
/// rows of the history with start ≤ t ≤ end
/// ```
///
/// [`CrisisWindow::crises`] gives the six crypto crises of the built-in library, each the 15
/// days centred on its worst day; users add their own with [`CrisisWindow::new`].
///
/// ```
/// use derisk::market::Instant;
/// use derisk::risk::CrisisWindow;
/// let w = CrisisWindow::around("my crisis", "what happened", Instant::from_utc(2024, 8, 5, 0, 0, 0)?, 7)?;
/// assert_eq!(w.start, Instant::from_utc(2024, 7, 29, 0, 0, 0)?);
/// assert_eq!(w.end, Instant::from_utc(2024, 8, 12, 0, 0, 0)?);
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CrisisWindow {
    /// Short label, e.g. "ftx-2022-11-09".
    pub name: String,
    /// What happened, with a citation.
    pub description: String,
    /// First instant of the window.
    pub start: Instant,
    /// Last instant of the window (inclusive).
    pub end: Instant,
}

impl CrisisWindow {
    /// A window from `start` to `end` inclusive.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] unless start < end.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// assert!(derisk::risk::CrisisWindow::new("x", "", Instant::EPOCH, Instant::EPOCH).is_err());
    /// ```
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        start: Instant,
        end: Instant,
    ) -> Result<Self, RiskError> {
        if start >= end {
            return Err(RiskError::InvalidParameter {
                name: "crisis window end",
                value: start.seconds_until(end),
                reason: "the window must end after it starts (seconds from start shown)",
            });
        }
        Ok(Self {
            name: name.into(),
            description: description.into(),
            start,
            end,
        })
    }

    /// The window of `days` whole days either side of `centre`.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for days = 0; [`RiskError::Market`] if the instants
    /// leave the representable range.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// assert!(derisk::risk::CrisisWindow::around("x", "", Instant::EPOCH, 0).is_err());
    /// ```
    pub fn around(
        name: impl Into<String>,
        description: impl Into<String>,
        centre: Instant,
        days: u32,
    ) -> Result<Self, RiskError> {
        let d = f64::from(days);
        Self::new(
            name,
            description,
            centre.plus_days(-d)?,
            centre.plus_days(d)?,
        )
    }

    /// The six crises of the built-in library, each centred on its worst day ± 7 days (UTC
    /// days, as the daily files are stamped):
    ///
    /// ```text
    /// covid-2020-03-12         "Black Thursday": COVID-19 sell-off, BitMEX outage
    /// china-ban-2021-05-19     China's renewed ban on crypto services, leverage flush
    /// luna-2022-05-12          collapse of TerraUSD (UST) and LUNA
    /// ftx-2022-11-09           FTX insolvency (Binance walks away from the rescue on 11-09)
    /// yen-carry-2024-08-05     unwinding of the yen carry trade, Nikkei −12 %
    /// liquidations-2025-10-10  US tariff announcement, the largest liquidation cascade on record
    /// ```
    ///
    /// Sources: BIS Bulletin 69 (2023), "Crypto shocks and retail losses" (Luna, FTX); BIS
    /// Quarterly Review, September 2024, "Market turbulence in August 2024"; Binance and
    /// Coinglass liquidation reports of 2025-10-11.
    ///
    /// ```
    /// let c = derisk::risk::CrisisWindow::crises();
    /// assert_eq!(c.len(), 6);
    /// assert_eq!(c[3].name, "ftx-2022-11-09");
    /// ```
    #[must_use]
    pub fn crises() -> Vec<Self> {
        // (name, description, centre as days since 1970-01-01 UTC)
        const LIST: [(&str, &str, i64); 6] = [
            (
                "covid-2020-03-12",
                "\"Black Thursday\": COVID-19 sell-off and BitMEX outage",
                18_333,
            ),
            (
                "china-ban-2021-05-19",
                "China's renewed ban on crypto services; leverage flush",
                18_766,
            ),
            (
                "luna-2022-05-12",
                "collapse of TerraUSD (UST) and LUNA (BIS Bulletin 69, 2023)",
                19_124,
            ),
            (
                "ftx-2022-11-09",
                "FTX insolvency (BIS Bulletin 69, 2023)",
                19_305,
            ),
            (
                "yen-carry-2024-08-05",
                "yen carry-trade unwind (BIS Quarterly Review, Sep 2024)",
                19_940,
            ),
            (
                "liquidations-2025-10-10",
                "tariff shock and the largest liquidation cascade on record",
                20_371,
            ),
        ];
        const DAY: i64 = 86_400_000_000_000;
        LIST.iter()
            .map(|&(name, description, centre)| Self {
                name: name.into(),
                description: description.into(),
                start: Instant::from_unix_nanos((centre - 7) * DAY),
                end: Instant::from_unix_nanos((centre + 7) * DAY),
            })
            .collect()
    }

    /// The index range of the rows of `days` (strictly increasing instants) inside the window.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] if `days` is not strictly increasing;
    /// [`RiskError::TooShort`] if fewer than 2 rows fall in the window.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// use derisk::risk::CrisisWindow;
    /// let day = |d| Instant::from_utc(2024, 8, d, 0, 0, 0);
    /// let w = CrisisWindow::around("x", "", day(5)?, 1)?;
    /// assert_eq!(w.range(&[day(1)?, day(4)?, day(5)?, day(6)?, day(9)?])?, 1..4);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn range(&self, days: &[Instant]) -> Result<Range<usize>, RiskError> {
        if let Some(i) = days.windows(2).position(|w| w[1] <= w[0]) {
            return Err(RiskError::InvalidParameter {
                name: "day index",
                value: (i + 1) as f64,
                reason: "instants must increase strictly",
            });
        }
        let lo = days.partition_point(|d| *d < self.start);
        let hi = days.partition_point(|d| *d <= self.end);
        if hi - lo < 2 {
            return Err(RiskError::TooShort {
                name: "crisis window rows",
                len: hi - lo,
                min: 2,
            });
        }
        Ok(lo..hi)
    }

    /// The worst h-period close-to-close log move inside the window ([`worst_log_move`] on the
    /// window's rows), indices into the full series.
    ///
    /// # Errors
    ///
    /// As [`CrisisWindow::range`] and [`worst_log_move`]; [`RiskError::LengthMismatch`].
    ///
    /// ```
    /// use derisk::market::Instant;
    /// use derisk::risk::CrisisWindow;
    /// let day = |d| Instant::from_utc(2024, 8, d, 0, 0, 0);
    /// let days = [day(1)?, day(4)?, day(5)?, day(6)?, day(9)?];
    /// let w = CrisisWindow::around("x", "", day(5)?, 1)?;
    /// // the 50 → 10 fall on 08-09 is outside the window
    /// let m = w.worst_close_move(&days, &[100.0, 90.0, 81.0, 85.0, 10.0], 1)?;
    /// assert_eq!((m.start, m.end, m.log_move), (1, 2, (81.0f64 / 90.0).ln()));
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn worst_close_move(
        &self,
        days: &[Instant],
        closes: &[f64],
        horizon: usize,
    ) -> Result<WorstMove, RiskError> {
        same_length("days", days.len(), "closes", closes.len())?;
        let r = self.range(days)?;
        Ok(worst_log_move(&closes[r.clone()], horizon)?.shifted(r.start))
    }

    /// The worst low-to-previous-close move inside the window ([`worst_intraday_move`] on the
    /// window's rows), indices into the full series.
    ///
    /// # Errors
    ///
    /// As [`CrisisWindow::range`] and [`worst_intraday_move`]; [`RiskError::LengthMismatch`].
    ///
    /// ```
    /// use derisk::market::Instant;
    /// use derisk::risk::CrisisWindow;
    /// let day = |d| Instant::from_utc(2024, 8, d, 0, 0, 0);
    /// let w = CrisisWindow::around("x", "", day(5)?, 1)?;
    /// let m = w.worst_intraday_move(&[day(4)?, day(5)?, day(6)?], &[100.0, 95.0, 96.0], &[98.0, 84.0, 94.0])?;
    /// assert_eq!((m.start, m.end, m.log_move), (0, 1, (84.0f64 / 100.0).ln()));
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn worst_intraday_move(
        &self,
        days: &[Instant],
        closes: &[f64],
        lows: &[f64],
    ) -> Result<WorstMove, RiskError> {
        same_length("days", days.len(), "closes", closes.len())?;
        same_length("days", days.len(), "lows", lows.len())?;
        let r = self.range(days)?;
        Ok(worst_intraday_move(&closes[r.clone()], &lows[r.clone()])?.shifted(r.start))
    }
}

/// One asset's daily history for building historical scenarios.
///
/// ```
/// use derisk::market::{Currency, Instant};
/// let days = [Instant::EPOCH];
/// let h = derisk::risk::AssetHistory { asset: Currency::BTC, days: &days, closes: &[1.0] };
/// assert_eq!(h.closes.len(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssetHistory<'a> {
    /// The asset whose spot the scenario moves.
    pub asset: Currency,
    /// Strictly increasing instants (UTC days).
    pub days: &'a [Instant],
    /// Closing prices, one per day.
    pub closes: &'a [f64],
}
