//! Compound III (Comet) liquidation: liquidity at the liquidation collateral factors, `absorb`
//! (the protocol takes the collateral and the debt), and the discounted price at which the
//! absorbed collateral is sold (`quoteCollateral`).

use crate::margin::error::{check_amount, check_finite, check_price};
use crate::margin::MarginError;

/// One collateral asset of a Comet account: amount (token units), oracle price (USD per token)
/// and the asset's factors as fractions.
///
/// ```
/// use derisk::margin::CometCollateral;
/// let weth = CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?;
/// assert_eq!(weth.value(), 2_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CometCollateral {
    amount: f64,
    price: f64,
    borrow_collateral_factor: f64,
    liquidate_collateral_factor: f64,
    liquidation_factor: f64,
}

impl CometCollateral {
    /// `amount` (≥ 0) at `price` (> 0); borrow CF ≤ liquidate CF in (0, 1); liquidation factor
    /// in (0, 1] (the share of the collateral's value credited to the account on absorb).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`], [`MarginError::InvalidPrice`],
    /// [`MarginError::InvalidParameter`].
    ///
    /// ```
    /// # use derisk::margin::{CometCollateral, MarginError};
    /// // the borrow factor must not exceed the liquidation factor (Comet's configurator rule)
    /// assert!(matches!(CometCollateral::new(1.0, 1.0, 0.9, 0.8, 0.9), Err(MarginError::InvalidParameter { .. })));
    /// ```
    pub fn new(
        amount: f64,
        price: f64,
        borrow_collateral_factor: f64,
        liquidate_collateral_factor: f64,
        liquidation_factor: f64,
    ) -> Result<Self, MarginError> {
        let unit = |name: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 && v <= 1.0 {
                Ok(v)
            } else {
                Err(MarginError::InvalidParameter { name, value: v })
            }
        };
        let b = unit("borrow collateral factor", borrow_collateral_factor)?;
        let l = unit("liquidate collateral factor", liquidate_collateral_factor)?;
        if b > l {
            return Err(MarginError::InvalidParameter {
                name: "borrow collateral factor above liquidate collateral factor",
                value: b,
            });
        }
        Ok(Self {
            amount: check_amount("collateral amount", amount)?,
            price: check_price(price)?,
            borrow_collateral_factor: b,
            liquidate_collateral_factor: l,
            liquidation_factor: unit("liquidation factor", liquidation_factor)?,
        })
    }

    /// Value in USD: amount × price.
    ///
    /// ```
    /// # use derisk::margin::CometCollateral;
    /// assert_eq!(CometCollateral::new(2.0, 3.0, 0.8, 0.85, 0.9)?.value(), 6.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> f64 {
        self.amount * self.price
    }
}

/// A Comet account: its base-asset balance (negative: borrowed), the base price, collateral.
///
/// ```
/// use derisk::margin::{CometAccount, CometCollateral};
/// let a = CometAccount::new(-1_700.0, 1.0, vec![CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?])?;
/// // liquidity = −1,700 + 2,000 × 0.90 = 100 ≥ 0: safe
/// assert!(!a.is_liquidatable());
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CometAccount {
    base_balance: f64,
    base_price: f64,
    collateral: Vec<CometCollateral>,
}

/// What `absorb` did.
///
/// ```
/// use derisk::margin::CometAbsorb;
/// let a = CometAbsorb { debt_absorbed: 10.0, collateral_value: 12.0, credited: 11.0, new_base_balance: 1.0, reserves_loss_at_store_front: 0.0 };
/// assert_eq!(a.credited - a.debt_absorbed, a.new_base_balance);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CometAbsorb {
    /// The debt the protocol took over (base units, ≥ 0).
    pub debt_absorbed: f64,
    /// The seized collateral's value (USD).
    pub collateral_value: f64,
    /// Credited to the account: Σ value × liquidation factor, in base units.
    pub credited: f64,
    /// The account's base balance after (≥ 0: the surplus over the debt, if any).
    pub new_base_balance: f64,
    /// The reserves' loss if the seized collateral is sold at the store-front price
    /// (`quoteCollateral`) at today's prices: debt absorbed + surplus credited − proceeds, in
    /// base units; negative is a gain. The bad debt the protocol carries.
    pub reserves_loss_at_store_front: f64,
}

impl CometAccount {
    /// An account with `base_balance` (negative when borrowing) of the base asset at
    /// `base_price` (> 0) and its collateral.
    ///
    /// # Errors
    ///
    /// [`MarginError::OutOfRange`] for a non-finite balance; [`MarginError::InvalidPrice`].
    ///
    /// ```
    /// # use derisk::margin::{CometAccount, MarginError};
    /// assert!(CometAccount::new(f64::NAN, 1.0, vec![]).is_err());
    /// ```
    pub fn new(
        base_balance: f64,
        base_price: f64,
        collateral: Vec<CometCollateral>,
    ) -> Result<Self, MarginError> {
        Ok(Self {
            base_balance: check_finite("base balance", base_balance)?,
            base_price: check_price(base_price)?,
            collateral,
        })
    }

    /// The liquidity at the liquidation collateral factors, in USD (negative: liquidatable).
    ///
    /// ```text
    /// liquidity = base_balance · base_price + Σ_i amount_i · price_i · liquidateCF_i
    /// ```
    ///
    /// Source: compound-finance/comet `Comet.sol`, `isLiquidatable` (the borrow side uses
    /// `borrowCollateralFactor` in `isBorrowCollateralized` instead).
    ///
    /// ```
    /// # use derisk::margin::{CometAccount, CometCollateral};
    /// let a = CometAccount::new(-1_850.0, 1.0, vec![CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?])?;
    /// assert_eq!(a.liquidation_liquidity(), -50.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn liquidation_liquidity(&self) -> f64 {
        self.base_balance * self.base_price
            + self
                .collateral
                .iter()
                .map(|c| c.value() * c.liquidate_collateral_factor)
                .sum::<f64>()
    }

    /// The liquidity at the borrow collateral factors (negative: no further borrowing).
    ///
    /// ```
    /// # use derisk::margin::{CometAccount, CometCollateral};
    /// let a = CometAccount::new(-1_700.0, 1.0, vec![CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?])?;
    /// assert!((a.borrow_liquidity() - (-40.0)).abs() < 1e-12);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn borrow_liquidity(&self) -> f64 {
        self.base_balance * self.base_price
            + self
                .collateral
                .iter()
                .map(|c| c.value() * c.borrow_collateral_factor)
                .sum::<f64>()
    }

    /// Whether `absorb` may be called: a borrower whose liquidation liquidity is negative.
    ///
    /// ```
    /// # use derisk::margin::{CometAccount, CometCollateral};
    /// let a = CometAccount::new(-1_850.0, 1.0, vec![CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?])?;
    /// assert!(a.is_liquidatable());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn is_liquidatable(&self) -> bool {
        self.base_balance < 0.0 && self.liquidation_liquidity() < 0.0
    }

    /// `absorb`: the protocol seizes all the collateral and takes over the debt; the account is
    /// credited each asset's value times its liquidation factor, and keeps any surplus.
    ///
    /// ```text
    /// credited = Σ_i amount_i · price_i · LF_i / base_price
    /// new_base_balance = max(0, base_balance + credited)
    /// store-front price_i = price_i · (1 − storeFrontPriceFactor · (1 − LF_i))
    /// ```
    ///
    /// Source: compound-finance/comet `Comet.sol`, `absorbInternal` and `quoteCollateral`.
    ///
    /// # Errors
    ///
    /// [`MarginError::NotLiquidatable`] (its `health_factor` is the ratio of the collateral at
    /// the liquidation factors to the debt); [`MarginError::InvalidParameter`] for a
    /// store-front factor outside [0, 1].
    ///
    /// ```
    /// use derisk::margin::{CometAccount, CometCollateral};
    /// let a = CometAccount::new(-1_850.0, 1.0, vec![CometCollateral::new(1.0, 2_000.0, 0.83, 0.90, 0.95)?])?;
    /// let (after, out) = a.absorb(0.5)?;
    /// assert_eq!(out.credited, 1_900.0);            // 2,000 × 0.95
    /// assert_eq!(out.new_base_balance, 50.0);       // the surplus stays with the account
    /// // sold at 2,000 × (1 − 0.5 × 0.05) = 1,950: the reserves gain 1,950 − 1,900 = 50
    /// assert!((out.reserves_loss_at_store_front - (-50.0)).abs() < 1e-12);
    /// assert!(after.collateral().is_empty());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn absorb(
        &self,
        store_front_price_factor: f64,
    ) -> Result<(Self, CometAbsorb), MarginError> {
        if !(0.0..=1.0).contains(&store_front_price_factor) {
            return Err(MarginError::InvalidParameter {
                name: "store front price factor",
                value: store_front_price_factor,
            });
        }
        if !self.is_liquidatable() {
            let debt = (-self.base_balance * self.base_price).max(0.0);
            let weighted = self.liquidation_liquidity() + debt;
            return Err(MarginError::NotLiquidatable {
                health_factor: if debt > 0.0 {
                    weighted / debt
                } else {
                    f64::MAX
                },
            });
        }
        let collateral_value: f64 = self.collateral.iter().map(CometCollateral::value).sum();
        let credited = self
            .collateral
            .iter()
            .map(|c| c.value() * c.liquidation_factor)
            .sum::<f64>()
            / self.base_price;
        let proceeds = self
            .collateral
            .iter()
            .map(|c| c.value() * (1.0 - store_front_price_factor * (1.0 - c.liquidation_factor)))
            .sum::<f64>()
            / self.base_price;
        let debt = -self.base_balance;
        let new_base_balance = (self.base_balance + credited).max(0.0);
        let out = CometAbsorb {
            debt_absorbed: debt,
            collateral_value: check_finite("collateral value", collateral_value)?,
            credited: check_finite("credited value", credited)?,
            new_base_balance,
            reserves_loss_at_store_front: debt + new_base_balance - proceeds,
        };
        let after = Self {
            base_balance: new_base_balance,
            base_price: self.base_price,
            collateral: Vec::new(),
        };
        Ok((after, out))
    }

    /// The collateral held.
    ///
    /// ```
    /// # use derisk::margin::CometAccount;
    /// assert!(CometAccount::new(0.0, 1.0, vec![])?.collateral().is_empty());
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn collateral(&self) -> &[CometCollateral] {
        &self.collateral
    }
}

/// `quoteCollateral`: the collateral a buyer receives for `base_amount` of the base asset when
/// buying absorbed collateral from the protocol at the store-front discount.
///
/// ```text
/// discount = storeFrontPriceFactor · (1 − liquidationFactor)
/// collateral = base_amount · base_price / (price · (1 − discount))
/// ```
///
/// Source: compound-finance/comet `Comet.sol`, `quoteCollateral`.
///
/// # Errors
///
/// [`MarginError::InvalidAmount`], [`MarginError::InvalidPrice`],
/// [`MarginError::InvalidParameter`] for a factor outside [0, 1].
///
/// ```
/// use derisk::margin::comet_quote_collateral;
/// // 1,950 USDC at a 2.5 % discount on 2,000 buys exactly 1 WETH
/// assert!((comet_quote_collateral(1_950.0, 1.0, 2_000.0, 0.95, 0.5)? - 1.0).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn comet_quote_collateral(
    base_amount: f64,
    base_price: f64,
    price: f64,
    liquidation_factor: f64,
    store_front_price_factor: f64,
) -> Result<f64, MarginError> {
    let base_amount = check_amount("base amount", base_amount)?;
    let (base_price, price) = (check_price(base_price)?, check_price(price)?);
    for (name, v) in [
        ("liquidation factor", liquidation_factor),
        ("store front price factor", store_front_price_factor),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(MarginError::InvalidParameter { name, value: v });
        }
    }
    let discounted = price * (1.0 - store_front_price_factor * (1.0 - liquidation_factor));
    check_finite("collateral quoted", base_amount * base_price / discounted)
}
