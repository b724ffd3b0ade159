//! Multi-asset collateral with (tiered) haircuts.

use super::error::{check_amount, check_finite, check_price, MarginError};

/// One haircut tier: the asset's gross value (quote currency) up to `value_cap` counts at
/// `1 − haircut` (the part above the previous cap).
///
/// ```
/// let t = derisk::margin::HaircutTier { value_cap: 100e6, haircut: 0.0 };
/// assert_eq!(t.haircut, 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HaircutTier {
    /// Upper end of the tier in gross value (quote currency); `f64::INFINITY` for the last
    /// (serialised as `null`).
    #[cfg_attr(feature = "serde", serde(with = "super::serde_inf"))]
    pub value_cap: f64,
    /// Haircut in [0, 1]: the value counts at (1 − haircut).
    pub haircut: f64,
}

/// A collateral asset: amount, price (quote currency per unit) and haircut tiers.
///
/// ```text
/// gross  = amount × price
/// value  = Σ_k (min(gross, cap_k) − cap_{k−1})⁺ × (1 − h_k)        (the last tier extends to ∞)
/// ```
///
/// Source: Binance FAQ "Tiered collateral ratio" (Multi-Assets mode): 6,000 BTC at 20,000 USDT =
/// 120 M, counted at 100 % up to 100 M and 97.5 % above → 119,500,000 USDT.
///
/// ```
/// use derisk::margin::{CollateralAsset, HaircutTier};
/// let btc = CollateralAsset::tiered(6_000.0, 20_000.0, vec![
///     HaircutTier { value_cap: 100e6, haircut: 0.0 },
///     HaircutTier { value_cap: f64::INFINITY, haircut: 0.025 },
/// ])?;
/// assert_eq!(btc.value(), 119_500_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CollateralAssetData"))]
pub struct CollateralAsset {
    amount: f64,
    price: f64,
    tiers: Vec<HaircutTier>,
}

impl CollateralAsset {
    /// An asset with one flat haircut in [0, 1].
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`], [`MarginError::InvalidPrice`], or
    /// [`MarginError::InvalidParameter`] for a haircut outside [0, 1];
    /// [`MarginError::OutOfRange`] if amount × price overflows.
    ///
    /// ```
    /// let eth = derisk::margin::CollateralAsset::flat(10.0, 3_000.0, 0.05)?;
    /// assert_eq!(eth.value(), 28_500.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn flat(amount: f64, price: f64, haircut: f64) -> Result<Self, MarginError> {
        Self::tiered(
            amount,
            price,
            vec![HaircutTier {
                value_cap: f64::INFINITY,
                haircut,
            }],
        )
    }

    /// An asset with tiered haircuts (caps strictly increasing, haircuts in [0, 1]).
    ///
    /// # Errors
    ///
    /// As [`CollateralAsset::flat`]; [`MarginError::EmptyTierTable`] for no tiers;
    /// [`MarginError::UnsortedTiers`] for caps that do not increase.
    ///
    /// ```
    /// use derisk::margin::{CollateralAsset, HaircutTier};
    /// let tiers = vec![
    ///     HaircutTier { value_cap: 100e6, haircut: 0.0 },
    ///     HaircutTier { value_cap: f64::INFINITY, haircut: 0.025 },
    /// ];
    /// let btc = CollateralAsset::tiered(6_000.0, 20_000.0, tiers)?;
    /// // the inverse of the value: 119.5 M at 20,000; 100 M at 16,666.67 (first tier only)
    /// assert!((btc.price_for_value(119.5e6).unwrap() - 20_000.0).abs() < 1e-9);
    /// assert!((btc.price_for_value(100e6).unwrap() - 100e6 / 6_000.0).abs() < 1e-9);
    /// assert_eq!(btc.value_at(10_000.0)?, 60e6);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn tiered(amount: f64, price: f64, tiers: Vec<HaircutTier>) -> Result<Self, MarginError> {
        let amount = check_amount("collateral amount", amount)?;
        let price = check_price(price)?;
        check_finite("collateral gross value", amount * price)?;
        if tiers.is_empty() {
            return Err(MarginError::EmptyTierTable);
        }
        check_haircut_tiers(&tiers)?;
        Ok(Self {
            amount,
            price,
            tiers,
        })
    }

    /// Units held.
    #[must_use]
    pub const fn amount(&self) -> f64 {
        self.amount
    }

    /// Price, quote currency per unit.
    #[must_use]
    pub const fn price(&self) -> f64 {
        self.price
    }

    /// amount × price.
    #[must_use]
    pub fn gross_value(&self) -> f64 {
        self.amount * self.price
    }

    /// The haircut value at the current price.
    #[must_use]
    pub fn value(&self) -> f64 {
        self.haircut_value(self.gross_value())
    }

    /// The haircut value if the price were `price`.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidPrice`]; [`MarginError::OutOfRange`] if the value overflows.
    pub fn value_at(&self, price: f64) -> Result<f64, MarginError> {
        check_finite(
            "collateral value",
            self.haircut_value(self.amount * check_price(price)?),
        )
    }

    fn haircut_value(&self, gross: f64) -> f64 {
        haircut_value(&self.tiers, gross)
    }

    /// The price at which the haircut value equals `target` (the exact inverse of the piecewise
    /// linear value), `None` if no positive price gives it (a target ≤ 0, or above what the
    /// asset can reach when its last haircut is 100 %).
    #[must_use]
    pub fn price_for_value(&self, target: f64) -> Option<f64> {
        if target.is_nan() || target <= 0.0 || self.amount <= 0.0 {
            return None;
        }
        let mut value = 0.0;
        let mut floor = 0.0;
        for (k, t) in self.tiers.iter().enumerate() {
            let cap = if k + 1 == self.tiers.len() {
                f64::INFINITY
            } else {
                t.value_cap
            };
            let rate = 1.0 - t.haircut;
            let full = (cap - floor) * rate;
            if value + full >= target {
                if rate <= 0.0 {
                    return None;
                }
                let gross = floor + (target - value) / rate;
                let price = gross / self.amount;
                return (price.is_finite() && price > 0.0).then_some(price);
            }
            value += full;
            floor = cap;
        }
        None
    }
}

/// Haircut tiers are valid: haircuts in [0, 1], caps strictly increasing (an empty list is
/// checked by the caller where it matters).
pub(crate) fn check_haircut_tiers(tiers: &[HaircutTier]) -> Result<(), MarginError> {
    let mut previous = 0.0;
    for (index, t) in tiers.iter().enumerate() {
        if !(t.haircut.is_finite() && (0.0..=1.0).contains(&t.haircut)) {
            return Err(MarginError::InvalidParameter {
                name: "haircut",
                value: t.haircut,
            });
        }
        if t.value_cap.is_nan() || t.value_cap <= previous {
            return Err(MarginError::UnsortedTiers {
                index,
                cap: t.value_cap,
                previous_cap: previous,
            });
        }
        previous = t.value_cap;
    }
    Ok(())
}

/// Σ_k (min(gross, cap_k) − cap_{k−1})⁺ × (1 − h_k), the last tier extending to ∞; `gross`
/// itself for no tiers (no haircut).
pub(crate) fn haircut_value(tiers: &[HaircutTier], gross: f64) -> f64 {
    if tiers.is_empty() {
        return gross;
    }
    let mut value = 0.0;
    let mut floor = 0.0;
    for (k, t) in tiers.iter().enumerate() {
        let cap = if k + 1 == tiers.len() {
            f64::INFINITY
        } else {
            t.value_cap
        };
        let slice = gross.min(cap) - floor;
        if slice <= 0.0 {
            break;
        }
        value += slice * (1.0 - t.haircut);
        floor = cap;
    }
    value
}

/// A basket of collateral assets.
///
/// ```text
/// value            = Σ assetᵢ.value()                 quote currency, after haircuts
/// collateral ratio = value / Σ grossᵢ                 the effective fraction that counts
/// ```
///
/// ```
/// use derisk::margin::{Collateral, CollateralAsset};
/// let c = Collateral::new(vec![
///     CollateralAsset::flat(10_000.0, 1.0, 0.0)?,   // USDT
///     CollateralAsset::flat(1.0, 50_000.0, 0.05)?,  // BTC at a 5 % haircut
/// ])?;
/// assert_eq!(c.value(), 57_500.0);
/// assert!((c.collateral_ratio() - 57_500.0 / 60_000.0).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CollateralData"))]
pub struct Collateral {
    assets: Vec<CollateralAsset>,
}

impl Collateral {
    /// A basket of assets.
    ///
    /// # Errors
    ///
    /// [`MarginError::OutOfRange`] if the gross value of the basket overflows (so every value
    /// and ratio of the basket is finite).
    ///
    /// ```
    /// use derisk::margin::{Collateral, CollateralAsset, MarginError};
    /// let huge = CollateralAsset::flat(f64::MAX, 1.0, 0.0)?;
    /// assert!(matches!(Collateral::new(vec![huge.clone(), huge]), Err(MarginError::OutOfRange { .. })));
    /// # Ok::<(), MarginError>(())
    /// ```
    pub fn new(assets: Vec<CollateralAsset>) -> Result<Self, MarginError> {
        let basket = Self { assets };
        check_finite("collateral gross value", basket.gross_value())?;
        Ok(basket)
    }

    /// The assets.
    #[must_use]
    pub fn assets(&self) -> &[CollateralAsset] {
        &self.assets
    }

    /// Σ haircut values.
    #[must_use]
    pub fn value(&self) -> f64 {
        self.assets.iter().map(CollateralAsset::value).sum()
    }

    /// Σ gross values.
    #[must_use]
    pub fn gross_value(&self) -> f64 {
        self.assets.iter().map(CollateralAsset::gross_value).sum()
    }

    /// value / gross value (1 for an empty basket).
    #[must_use]
    pub fn collateral_ratio(&self) -> f64 {
        let gross = self.gross_value();
        if gross > 0.0 {
            self.value() / gross
        } else {
            1.0
        }
    }

    /// The basket's value if asset `index` moved by the fraction `change` (−0.3 = a 30 % fall).
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`]; [`MarginError::InvalidPrice`] for a change ≤ −100 %
    /// (or one that overflows the price); [`MarginError::OutOfRange`] if the value overflows.
    ///
    /// ```
    /// use derisk::margin::{Collateral, CollateralAsset};
    /// let c = Collateral::new(vec![CollateralAsset::flat(1.0, 50_000.0, 0.05)?])?;
    /// assert_eq!(c.value_after_move(0, -0.2)?, 38_000.0); // 40,000 × 95 %
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn value_after_move(&self, index: usize, change: f64) -> Result<f64, MarginError> {
        let asset = self.asset(index)?;
        let moved = asset.value_at(asset.price * (1.0 + change))?;
        check_finite("collateral value", self.value() - asset.value() + moved)
    }

    /// The price of asset `index` at which the basket's value falls to `requirement` (others at
    /// their prices): the collateral-quality question "how far can this coin fall before the
    /// account is liquidated?" — pass requirement = maintenance − uPnL of a cross account.
    /// `None` when no positive finite price reaches it (the other assets already cover it, or
    /// cannot).
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`]; [`MarginError::OutOfRange`] for a requirement that is
    /// not finite or a basket value that overflows.
    ///
    /// ```
    /// use derisk::margin::{Collateral, CollateralAsset};
    /// let c = Collateral::new(vec![
    ///     CollateralAsset::flat(5_000.0, 1.0, 0.0)?,
    ///     CollateralAsset::flat(1.0, 50_000.0, 0.05)?,
    /// ])?;
    /// // 5,000 + 0.95·P = 40,000  →  P = 36,842.105… (by hand)
    /// assert!((c.liquidation_price(1, 40_000.0)?.unwrap() - 35_000.0 / 0.95).abs() < 1e-9);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn liquidation_price(
        &self,
        index: usize,
        requirement: f64,
    ) -> Result<Option<f64>, MarginError> {
        let asset = self.asset(index)?;
        let others = check_finite("collateral value", self.value() - asset.value())?;
        let requirement = check_finite("requirement", requirement)?;
        Ok(asset.price_for_value(requirement - others))
    }

    fn asset(&self, index: usize) -> Result<&CollateralAsset, MarginError> {
        let len = self.assets.len();
        self.assets
            .get(index)
            .ok_or(MarginError::IndexOutOfRange { index, len })
    }
}

/// The plain fields of a [`CollateralAsset`], validated by [`CollateralAsset::tiered`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct CollateralAssetData {
    amount: f64,
    price: f64,
    tiers: Vec<HaircutTier>,
}

#[cfg(feature = "serde")]
impl TryFrom<CollateralAssetData> for CollateralAsset {
    type Error = MarginError;

    fn try_from(d: CollateralAssetData) -> Result<Self, MarginError> {
        Self::tiered(d.amount, d.price, d.tiers)
    }
}

/// The plain fields of a [`Collateral`], validated by [`Collateral::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct CollateralData {
    assets: Vec<CollateralAsset>,
}

#[cfg(feature = "serde")]
impl TryFrom<CollateralData> for Collateral {
    type Error = MarginError;

    fn try_from(d: CollateralData) -> Result<Self, MarginError> {
        Self::new(d.assets)
    }
}
