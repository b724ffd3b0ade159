//! Absolute UTC instants and day-count conventions. No clock is ever read: instants come from the
//! caller (a timestamp of the data, a venue's expiry).

use std::fmt;
use std::str::FromStr;

use super::error::MarketError;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// An absolute instant in UTC, as nanoseconds since 1970-01-01T00:00:00Z (no leap seconds, as
/// Unix time). Range 1677-09-21 to 2262-04-11. Orders, hashes and serialises (RFC 3339 string).
///
/// ```
/// use derisk::market::Instant;
/// let t: Instant = "2025-12-30T17:31:15.944181Z".parse()?;
/// let expiry = Instant::from_date_hour(2026, 1, 16, 8)?; // Deribit settles at 08:00 UTC
/// assert!(expiry > t);
/// assert_eq!(expiry.to_string(), "2026-01-16T08:00:00Z");
/// assert_eq!(t.to_string(), "2025-12-30T17:31:15.944181Z");
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Instant {
    nanos: i64,
}

impl Instant {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const EPOCH: Self = Self { nanos: 0 };

    /// The instant `nanos` nanoseconds after the Unix epoch (negative before it).
    ///
    /// ```
    /// let t = derisk::market::Instant::from_unix_nanos(86_400_000_000_000);
    /// assert_eq!(t.to_string(), "1970-01-02T00:00:00Z");
    /// ```
    #[must_use]
    pub const fn from_unix_nanos(nanos: i64) -> Self {
        Self { nanos }
    }

    /// The instant `seconds` after the Unix epoch.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `seconds` is not finite or the instant is out of range.
    ///
    /// ```
    /// let t = derisk::market::Instant::from_unix_seconds(1_767_225_600.0)?;
    /// assert_eq!(t.to_string(), "2026-01-01T00:00:00Z");
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn from_unix_seconds(seconds: f64) -> Result<Self, MarketError> {
        let nanos = seconds * 1e9;
        if !nanos.is_finite() || nanos.abs() >= 9.2e18 {
            return Err(MarketError::InvalidValue {
                name: "unix seconds",
                value: seconds,
                reason: "must be finite and within 1677-2262",
            });
        }
        Ok(Self {
            nanos: nanos.round() as i64,
        })
    }

    /// Nanoseconds since the Unix epoch.
    ///
    /// ```
    /// assert_eq!(derisk::market::Instant::EPOCH.unix_nanos(), 0);
    /// ```
    #[must_use]
    pub const fn unix_nanos(self) -> i64 {
        self.nanos
    }

    /// The instant of a UTC calendar date and time of day (proleptic Gregorian calendar).
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidDate`] for a date that does not exist (2026-02-30), a time outside
    /// 00:00:00–23:59:59, or an instant outside 1677–2262.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// let t = Instant::from_utc(2024, 2, 29, 12, 0, 0)?;
    /// assert_eq!(t.to_string(), "2024-02-29T12:00:00Z");
    /// assert!(Instant::from_utc(2025, 2, 29, 0, 0, 0).is_err());
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn from_utc(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Result<Self, MarketError> {
        let bad = |reason| MarketError::InvalidDate {
            year,
            month,
            day,
            hour,
            minute,
            second,
            reason,
        };
        if !(1..=12).contains(&month) {
            return Err(bad("month must be 1 to 12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(bad("no such day in this month"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad("time of day must be 00:00:00 to 23:59:59"));
        }
        if !(1678..=2261).contains(&year) {
            return Err(bad("year must be 1678 to 2261"));
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * SECONDS_PER_DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        Ok(Self {
            nanos: seconds * NANOS_PER_SECOND,
        })
    }

    /// Midnight-plus-`hour` of a UTC date: the settlement instant of a venue that settles at a
    /// fixed hour (Deribit, OKX and Bybit options and futures: 08:00 UTC).
    ///
    /// # Errors
    ///
    /// As [`Instant::from_utc`].
    ///
    /// ```
    /// let e = derisk::market::Instant::from_date_hour(2026, 3, 27, 8)?;
    /// assert_eq!(e.to_string(), "2026-03-27T08:00:00Z");
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn from_date_hour(year: i64, month: u32, day: u32, hour: u32) -> Result<Self, MarketError> {
        Self::from_utc(year, month, day, hour, 0, 0)
    }

    /// This instant moved by `seconds` (negative moves back), rounded to the nanosecond.
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidValue`] if `seconds` is not finite or the result is out of range.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// let t = Instant::from_date_hour(2026, 1, 1, 0)?.plus_seconds(86_400.0 * 1.5)?;
    /// assert_eq!(t.to_string(), "2026-01-02T12:00:00Z");
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn plus_seconds(self, seconds: f64) -> Result<Self, MarketError> {
        let delta = seconds * 1e9;
        let nanos = self.nanos as f64 + delta;
        if !delta.is_finite() || !(-9.2e18..9.2e18).contains(&nanos) {
            return Err(MarketError::InvalidValue {
                name: "seconds",
                value: seconds,
                reason: "must be finite and keep the instant within 1677-2262",
            });
        }
        // Whole seconds exactly, the fraction rounded: keeps integer shifts exact.
        let whole = seconds.trunc();
        let frac = ((seconds - whole) * 1e9).round() as i64;
        Ok(Self {
            nanos: self.nanos + whole as i64 * NANOS_PER_SECOND + frac,
        })
    }

    /// This instant moved by `days` of 86,400 s.
    ///
    /// # Errors
    ///
    /// As [`Instant::plus_seconds`].
    ///
    /// ```
    /// use derisk::market::Instant;
    /// let t = Instant::from_date_hour(2026, 1, 31, 8)?.plus_days(1.0)?;
    /// assert_eq!(t, Instant::from_date_hour(2026, 2, 1, 8)?);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn plus_days(self, days: f64) -> Result<Self, MarketError> {
        self.plus_seconds(days * SECONDS_PER_DAY as f64)
    }

    /// Seconds from `self` to `later` (negative if `later` is earlier), exact to the nanosecond
    /// for spans under about 104 days and to 1 part in 2⁵³ beyond.
    ///
    /// ```
    /// use derisk::market::Instant;
    /// let a = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// assert_eq!(a.seconds_until(a.plus_seconds(90.5)?), 90.5);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn seconds_until(self, later: Self) -> f64 {
        // i128 avoids overflow between the range's ends.
        let diff = i128::from(later.nanos) - i128::from(self.nanos);
        let secs = diff.div_euclid(i128::from(NANOS_PER_SECOND));
        let nanos = diff.rem_euclid(i128::from(NANOS_PER_SECOND));
        secs as f64 + nanos as f64 * 1e-9
    }

    /// The UTC calendar fields (year, month, day, hour, minute, second, nanosecond).
    ///
    /// ```
    /// let t: derisk::market::Instant = "2026-03-27T08:00:00Z".parse()?;
    /// assert_eq!(t.to_utc(), (2026, 3, 27, 8, 0, 0, 0));
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn to_utc(self) -> (i64, u32, u32, u32, u32, u32, u32) {
        let seconds = self.nanos.div_euclid(NANOS_PER_SECOND);
        let nanos = self.nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        let days = seconds.div_euclid(SECONDS_PER_DAY);
        let sod = seconds.rem_euclid(SECONDS_PER_DAY) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, sod / 3600, sod / 60 % 60, sod % 60, nanos)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Instant({self})")
    }
}

impl fmt::Display for Instant {
    /// RFC 3339 in UTC with a `Z`, fractional seconds only when non-zero (trailing zeros dropped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s, ns) = self.to_utc();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if ns != 0 {
            let digits = format!("{ns:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl FromStr for Instant {
    type Err = MarketError;

    /// Parses RFC 3339 in UTC: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)` (a space may replace
    /// the `T`; up to 9 fractional digits); other offsets are rejected rather than guessed.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |reason| MarketError::InvalidTimestamp {
            text: text.chars().take(40).collect(),
            reason,
        };
        let body = text
            .strip_suffix('Z')
            .or_else(|| text.strip_suffix("+00:00"))
            .ok_or_else(|| bad("must end in Z or +00:00 (UTC)"))?;
        let b = body.as_bytes();
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || !(b[10] == b'T' || b[10] == b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
        }
        let num = |range: std::ops::Range<usize>| -> Result<u32, MarketError> {
            let s = &body[range];
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().map_err(|_| bad("expected digits"))
            } else {
                Err(bad("expected digits"))
            }
        };
        let year = i64::from(num(0..4)?);
        let t = Self::from_utc(
            year,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        )?;
        let rest = &body[19..];
        if rest.is_empty() {
            return Ok(t);
        }
        let frac = rest
            .strip_prefix('.')
            .filter(|f| !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()))
            .ok_or_else(|| bad("fraction must be 1 to 9 digits after a '.'"))?;
        let nanos: i64 = format!("{frac:0<9}")
            .parse()
            .map_err(|_| bad("expected digits"))?;
        Ok(Self {
            nanos: t.nanos + nanos,
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Instant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Instant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A day-count convention: how the time between two instants becomes a year fraction.
///
/// ```text
/// Act365Fixed:  τ = (t₁ − t₀ in seconds) / (365 · 86,400)
/// Act365_25:    τ = (t₁ − t₀ in seconds) / (365.25 · 86,400)
/// ```
///
/// Crypto trades every calendar day, so both count actual time, to the second. Deribit's
/// published mark IVs and its `time_to_maturity` use ACT/365.25 (checked on the 2025-12-30
/// snapshot: 16.6033 days to BTC-16JAN26 is 0.0454573 years = 16.6033/365.25); Binance and OKX
/// option IVs are quoted on ACT/365. Using the wrong one shifts σ by the factor
/// √(365.25/365) ≈ 1.00034 (3.4 bp of vol per 100 % of vol).
///
/// ```
/// use derisk::market::{DayCount, Instant};
/// let t0: Instant = "2025-12-30T17:31:15.944181Z".parse()?;
/// let t1 = Instant::from_date_hour(2026, 1, 16, 8)?;
/// let tau = DayCount::Act365_25.year_fraction(t0, t1);
/// assert!((tau - 0.045_457_324_252_129_436).abs() < 1e-17); // Deribit's time_to_maturity
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DayCount {
    /// Actual seconds over 365 days (the crate's default).
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "ACT/365"))]
    Act365Fixed,
    /// Actual seconds over 365.25 days (Deribit's implied volatilities).
    #[cfg_attr(feature = "serde", serde(rename = "ACT/365.25"))]
    Act365_25,
}

impl DayCount {
    /// Seconds in one year of this convention.
    ///
    /// ```
    /// assert_eq!(derisk::market::DayCount::Act365_25.seconds_per_year(), 31_557_600.0);
    /// ```
    #[must_use]
    pub const fn seconds_per_year(self) -> f64 {
        match self {
            Self::Act365Fixed => 365.0 * 86_400.0,
            Self::Act365_25 => 365.25 * 86_400.0,
        }
    }

    /// The year fraction from `start` to `end` (negative if `end` is earlier).
    ///
    /// ```
    /// use derisk::market::{DayCount, Instant};
    /// let a = Instant::from_date_hour(2026, 1, 1, 0)?;
    /// assert_eq!(DayCount::Act365Fixed.year_fraction(a, a.plus_days(73.0)?), 0.2);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    #[must_use]
    pub fn year_fraction(self, start: Instant, end: Instant) -> f64 {
        start.seconds_until(end) / self.seconds_per_year()
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years so
/// that the leap day ends the year; H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for days in (-100_000..120_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        // 2000-03-01 is day 11,017 (Unix date tables)
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parse_rejects_malformed() {
        for bad in [
            "",
            "2025-12-30",
            "2025-12-30T17:31:15",
            "2025-12-30T17:31:15+01:00",
            "2025-12-30T17:31:15.Z",
            "2025-12-30T17:31:15.1234567890Z",
            "2025-13-30T17:31:15Z",
            "2025-12-30T24:00:00Z",
            "20a5-12-30T17:31:15Z",
        ] {
            assert!(bad.parse::<Instant>().is_err(), "{bad}");
        }
        let t: Instant = "2025-12-30 17:31:15.5+00:00".parse().unwrap();
        assert_eq!(t.to_string(), "2025-12-30T17:31:15.5Z");
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert!(Instant::EPOCH.plus_seconds(f64::MAX).is_err());
        assert!(Instant::EPOCH.plus_seconds(f64::NAN).is_err());
        assert!(Instant::from_unix_seconds(1e300).is_err());
    }
}
