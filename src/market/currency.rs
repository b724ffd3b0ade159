//! Asset codes and amounts of money that carry their currency.

use std::fmt;
use std::str::FromStr;

use super::error::MarketError;

/// An asset or currency code: 1 to 8 ASCII letters or digits ("BTC", "USDT", user codes such as
/// "SOL"). `Copy`, allocation-free; serialises as its string.
///
/// ```
/// use derisk::market::Currency;
/// let sol: Currency = "SOL".parse()?;
/// assert_eq!(sol.as_str(), "SOL");
/// assert_eq!(Currency::BTC.to_string(), "BTC");
/// assert!(Currency::new("").is_err());
/// assert!(Currency::new("TOO-LONG-CODE").is_err());
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    /// The ASCII bytes big-endian in a u64, zero-padded: one integer compare, string order.
    code: u64,
}

impl Currency {
    /// Bitcoin.
    pub const BTC: Self = Self::from_static("BTC");
    /// Ether.
    pub const ETH: Self = Self::from_static("ETH");
    /// US dollar (the usual reporting currency and the quote of crypto indices).
    pub const USD: Self = Self::from_static("USD");
    /// Tether's USD stablecoin (linear contracts on Binance, Bybit, OKX).
    pub const USDT: Self = Self::from_static("USDT");
    /// Circle's USD stablecoin (Deribit's linear options and perpetuals).
    pub const USDC: Self = Self::from_static("USDC");

    const fn from_static(code: &str) -> Self {
        let bytes = code.as_bytes();
        let mut out = [0_u8; 8];
        let mut i = 0;
        while i < bytes.len() {
            out[i] = bytes[i];
            i += 1;
        }
        Self {
            code: u64::from_be_bytes(out),
        }
    }

    /// A code of 1 to 8 ASCII letters or digits (case is kept: "btc" ≠ "BTC").
    ///
    /// # Errors
    ///
    /// [`MarketError::InvalidCurrency`] for an empty, longer or non-alphanumeric code.
    ///
    /// ```
    /// assert_eq!(derisk::market::Currency::new("USDT")?, derisk::market::Currency::USDT);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn new(code: &str) -> Result<Self, MarketError> {
        let bytes = code.as_bytes();
        if bytes.is_empty() || bytes.len() > 8 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(MarketError::InvalidCurrency {
                code: code.chars().take(16).collect(),
            });
        }
        Ok(Self::from_static(code))
    }

    /// The code as a string slice.
    ///
    /// ```
    /// assert_eq!(derisk::market::Currency::ETH.as_str(), "ETH");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> CurrencyCode {
        CurrencyCode(self.code.to_be_bytes())
    }
}

/// The text of a [`Currency`] code, borrowed as a `&str` through `Deref`.
///
/// ```
/// assert_eq!(&*derisk::market::Currency::USDT.as_str(), "USDT");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CurrencyCode([u8; 8]);

impl std::ops::Deref for CurrencyCode {
    type Target = str;
    fn deref(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(8);
        // Only ASCII alphanumerics are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }
}

impl fmt::Debug for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self)
    }
}

impl PartialEq<&str> for CurrencyCode {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", &*self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.as_str())
    }
}

impl FromStr for Currency {
    type Err = MarketError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::new(&s).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in a currency. Amounts add only within one currency; converting needs an
/// explicit rate (see [`MarketState::convert`](super::MarketState::convert)).
///
/// ```
/// use derisk::market::{Currency, Money};
/// let a = Money::new(1.5, Currency::BTC);
/// let b = Money::new(0.25, Currency::BTC);
/// assert_eq!(a.checked_add(b)?, Money::new(1.75, Currency::BTC));
/// assert!(a.checked_add(Money::new(1.0, Currency::USD)).is_err());
/// # Ok::<(), derisk::market::MarketError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Money {
    /// The amount, in units of `currency` (signed: a liability or a loss is negative).
    pub amount: f64,
    /// The currency of `amount`.
    pub currency: Currency,
}

impl Money {
    /// `amount` of `currency`.
    ///
    /// ```
    /// let m = derisk::market::Money::new(100.0, derisk::market::Currency::USD);
    /// assert_eq!(m.amount, 100.0);
    /// ```
    #[must_use]
    pub const fn new(amount: f64, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero of `currency`.
    ///
    /// ```
    /// assert_eq!(derisk::market::Money::zero(derisk::market::Currency::ETH).amount, 0.0);
    /// ```
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Self::new(0.0, currency)
    }

    /// The sum of two amounts in the same currency.
    ///
    /// # Errors
    ///
    /// [`MarketError::CurrencyMismatch`] if the currencies differ.
    ///
    /// ```
    /// use derisk::market::{Currency, Money};
    /// let s = Money::new(1.0, Currency::USD).checked_add(Money::new(2.0, Currency::USD))?;
    /// assert_eq!(s.amount, 3.0);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn checked_add(self, other: Self) -> Result<Self, MarketError> {
        self.same_currency(other)?;
        Ok(Self::new(self.amount + other.amount, self.currency))
    }

    /// The difference `self − other` of two amounts in the same currency.
    ///
    /// # Errors
    ///
    /// [`MarketError::CurrencyMismatch`] if the currencies differ.
    ///
    /// ```
    /// use derisk::market::{Currency, Money};
    /// assert_eq!(Money::new(1.0, Currency::BTC).checked_sub(Money::new(0.25, Currency::BTC))?.amount, 0.75);
    /// # Ok::<(), derisk::market::MarketError>(())
    /// ```
    pub fn checked_sub(self, other: Self) -> Result<Self, MarketError> {
        self.same_currency(other)?;
        Ok(Self::new(self.amount - other.amount, self.currency))
    }

    /// The amount times a plain number (a quantity, a ratio), in the same currency.
    ///
    /// ```
    /// use derisk::market::{Currency, Money};
    /// assert_eq!(Money::new(2.0, Currency::ETH).scale(-1.5).amount, -3.0);
    /// ```
    #[must_use]
    pub fn scale(self, factor: f64) -> Self {
        Self::new(self.amount * factor, self.currency)
    }

    fn same_currency(self, other: Self) -> Result<(), MarketError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MarketError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(precision) = f.precision() {
            write!(f, "{:.*} {}", precision, self.amount, self.currency)
        } else {
            write!(f, "{} {}", self.amount, self.currency)
        }
    }
}
