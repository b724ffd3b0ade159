//! Aave v3 liquidation: health factor, close factor, liquidation bonus, protocol fee, the dust
//! rule and the deficit (bad debt) of v3.3.

use crate::margin::error::{check_amount, check_finite, check_price};
use crate::margin::MarginError;

/// One collateral reserve of an Aave account: amount (token units), oracle price (base currency
/// per token, e.g. USD), and the reserve's risk parameters as fractions.
///
/// ```
/// use derisk::margin::AaveCollateral;
/// let weth = AaveCollateral::new(10.0, 2_000.0, 0.825, 1.05, 0.1)?;
/// assert_eq!(weth.value(), 20_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveCollateral {
    amount: f64,
    price: f64,
    liquidation_threshold: f64,
    liquidation_bonus: f64,
    protocol_fee: f64,
}

impl AaveCollateral {
    /// `amount` (≥ 0) at `price` (> 0); liquidation threshold in (0, 1]; liquidation bonus ≥ 1
    /// (Aave's 10500 bps = 1.05: 5 % bonus); protocol fee in [0, 1] (share of the bonus).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`], [`MarginError::InvalidPrice`],
    /// [`MarginError::InvalidParameter`] naming the parameter.
    ///
    /// ```
    /// # use derisk::margin::{AaveCollateral, MarginError};
    /// assert!(matches!(AaveCollateral::new(1.0, 1.0, 0.8, 0.95, 0.0), Err(MarginError::InvalidParameter { .. })));
    /// ```
    pub fn new(
        amount: f64,
        price: f64,
        liquidation_threshold: f64,
        liquidation_bonus: f64,
        protocol_fee: f64,
    ) -> Result<Self, MarginError> {
        let in_range = |name: &'static str, v: f64, lo: f64, hi: f64, lo_open: bool| {
            let ok = v.is_finite() && v <= hi && if lo_open { v > lo } else { v >= lo };
            if ok {
                Ok(v)
            } else {
                Err(MarginError::InvalidParameter { name, value: v })
            }
        };
        Ok(Self {
            amount: check_amount("collateral amount", amount)?,
            price: check_price(price)?,
            liquidation_threshold: in_range(
                "liquidation threshold",
                liquidation_threshold,
                0.0,
                1.0,
                true,
            )?,
            liquidation_bonus: in_range("liquidation bonus", liquidation_bonus, 1.0, 2.0, false)?,
            protocol_fee: in_range("liquidation protocol fee", protocol_fee, 0.0, 1.0, false)?,
        })
    }

    /// Amount in token units.
    ///
    /// ```
    /// # use derisk::margin::AaveCollateral;
    /// assert_eq!(AaveCollateral::new(3.0, 1.0, 0.8, 1.05, 0.0)?.amount(), 3.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn amount(&self) -> f64 {
        self.amount
    }

    /// Value in the base currency: amount × price.
    ///
    /// ```
    /// # use derisk::margin::AaveCollateral;
    /// assert_eq!(AaveCollateral::new(3.0, 2.0, 0.8, 1.05, 0.0)?.value(), 6.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> f64 {
        self.amount * self.price
    }
}

/// One debt reserve: amount owed (token units) at its oracle price.
///
/// ```
/// use derisk::margin::AaveDebt;
/// assert_eq!(AaveDebt::new(15_000.0, 1.0)?.value(), 15_000.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveDebt {
    amount: f64,
    price: f64,
}

impl AaveDebt {
    /// `amount` (≥ 0) owed at `price` (> 0).
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`], [`MarginError::InvalidPrice`].
    ///
    /// ```
    /// # use derisk::margin::{AaveDebt, MarginError};
    /// assert!(matches!(AaveDebt::new(-1.0, 1.0), Err(MarginError::InvalidAmount { .. })));
    /// ```
    pub fn new(amount: f64, price: f64) -> Result<Self, MarginError> {
        Ok(Self {
            amount: check_amount("debt amount", amount)?,
            price: check_price(price)?,
        })
    }

    /// Amount owed in token units.
    ///
    /// ```
    /// # use derisk::margin::AaveDebt;
    /// assert_eq!(AaveDebt::new(5.0, 1.0)?.amount(), 5.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub const fn amount(&self) -> f64 {
        self.amount
    }

    /// Value in the base currency.
    ///
    /// ```
    /// # use derisk::margin::AaveDebt;
    /// assert_eq!(AaveDebt::new(5.0, 2.0)?.value(), 10.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> f64 {
        self.amount * self.price
    }
}

/// The protocol constants of a liquidation (Aave v3.3's `LiquidationLogic.sol` by default).
///
/// ```
/// use derisk::margin::AaveParams;
/// let p = AaveParams::V3_3;
/// assert_eq!((p.close_factor, p.close_factor_hf_threshold), (0.5, 0.95));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveParams {
    /// Share of the total debt that one liquidation may repay while HF is above the threshold
    /// (`DEFAULT_LIQUIDATION_CLOSE_FACTOR` = 0.5e4 bps).
    pub close_factor: f64,
    /// At or below this HF the whole debt may be repaid (`CLOSE_FACTOR_HF_THRESHOLD` = 0.95).
    pub close_factor_hf_threshold: f64,
    /// Below this collateral or debt (base currency) the whole debt may be repaid
    /// (`MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD` = 2,000 USD; 0 turns the rule off, as before v3.3).
    pub min_base_max_close_factor: f64,
    /// A partial liquidation must leave at least this much debt and collateral (base currency)
    /// (`MIN_LEFTOVER_BASE` = 1,000 USD; 0 turns the rule off).
    pub min_leftover_base: f64,
}

impl AaveParams {
    /// Aave v3.3 (aave-dao/aave-v3-origin, `src/contracts/protocol/libraries/logic/
    /// LiquidationLogic.sol`), base currency USD.
    pub const V3_3: Self = Self {
        close_factor: 0.5,
        close_factor_hf_threshold: 0.95,
        min_base_max_close_factor: 2_000.0,
        min_leftover_base: 1_000.0,
    };
}

/// An Aave account: its collateral and debt reserves.
///
/// ```
/// use derisk::margin::{AaveAccount, AaveCollateral, AaveDebt};
/// let a = AaveAccount::new(
///     vec![AaveCollateral::new(10.0, 2_000.0, 0.825, 1.05, 0.1)?],
///     vec![AaveDebt::new(17_000.0, 1.0)?],
/// );
/// // HF = 10 × 2,000 × 0.825 / 17,000
/// assert!((a.health_factor()? - 16_500.0 / 17_000.0).abs() < 1e-15);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveAccount {
    /// Collateral reserves.
    pub collateral: Vec<AaveCollateral>,
    /// Debt reserves.
    pub debt: Vec<AaveDebt>,
}

/// What one `liquidationCall` did.
///
/// ```
/// use derisk::margin::AaveLiquidation;
/// let l = AaveLiquidation { debt_repaid: 1.0, collateral_to_liquidator: 1.0, protocol_fee: 0.0, deficit: 0.0, health_factor_before: 0.9, health_factor_after: 1.0 };
/// assert!(l.health_factor_after > l.health_factor_before);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveLiquidation {
    /// Debt repaid by the liquidator (debt-token units).
    pub debt_repaid: f64,
    /// Collateral the liquidator receives (collateral-token units, bonus included, fee excluded).
    pub collateral_to_liquidator: f64,
    /// Collateral sent to the treasury: the protocol's share of the bonus.
    pub protocol_fee: f64,
    /// Debt written off as the reserves' deficit because no collateral is left (base currency;
    /// v3.3's bad-debt burn).
    pub deficit: f64,
    /// Health factor before.
    pub health_factor_before: f64,
    /// Health factor after (+∞ is reported as `f64::MAX` when no debt is left).
    pub health_factor_after: f64,
}

impl AaveAccount {
    /// An account from its reserves.
    ///
    /// ```
    /// # use derisk::margin::{AaveAccount, AaveDebt};
    /// assert_eq!(AaveAccount::new(vec![], vec![AaveDebt::new(1.0, 1.0)?]).debt.len(), 1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    #[must_use]
    pub fn new(collateral: Vec<AaveCollateral>, debt: Vec<AaveDebt>) -> Self {
        Self { collateral, debt }
    }

    /// The health factor.
    ///
    /// ```text
    /// HF = Σ_i amount_i · price_i · LT_i / Σ_j debt_j · price_j      (liquidatable when HF < 1)
    /// ```
    ///
    /// Source: Aave v3 `GenericLogic.calculateUserAccountData`.
    ///
    /// # Errors
    ///
    /// [`MarginError::OutOfRange`] when there is no debt (HF = +∞) or a sum overflows.
    ///
    /// ```
    /// # use derisk::margin::{AaveAccount, AaveCollateral, AaveDebt};
    /// let a = AaveAccount::new(vec![AaveCollateral::new(1.0, 100.0, 0.8, 1.05, 0.0)?], vec![AaveDebt::new(40.0, 1.0)?]);
    /// assert_eq!(a.health_factor()?, 2.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn health_factor(&self) -> Result<f64, MarginError> {
        let weighted: f64 = self
            .collateral
            .iter()
            .map(|c| c.value() * c.liquidation_threshold)
            .sum();
        let debt = self.total_debt();
        if debt <= 0.0 {
            return Err(MarginError::OutOfRange {
                quantity: "health factor (no debt)",
                value: f64::INFINITY,
            });
        }
        check_finite("health factor", weighted / debt)
    }

    fn total_debt(&self) -> f64 {
        self.debt.iter().map(AaveDebt::value).sum()
    }

    fn total_collateral(&self) -> f64 {
        self.collateral.iter().map(AaveCollateral::value).sum()
    }

    /// One liquidation call: repays up to `debt_to_cover` of debt reserve `debt_index` and
    /// seizes collateral reserve `collateral_index`, as Aave v3.3's
    /// `LiquidationLogic.executeLiquidationCall` does (in f64; the contract's integer
    /// rounding to token decimals is not reproduced).
    ///
    /// ```text
    /// max_debt = debt_r                       if HF ≤ 0.95, or collateral_r or debt_r < 2,000 USD
    ///          = close_factor · D / p_debt    if debt_r's value exceeds close_factor · D
    /// repay    = min(debt_to_cover, max_debt)
    /// seize    = repay · p_debt / p_coll · bonus;  capped at the balance (then repay = balance ·
    ///            p_coll / p_debt / bonus)
    /// fee      = (seize − seize / bonus) · protocol_fee;  liquidator gets seize − fee
    /// dust:      a partial liquidation must leave ≥ 1,000 USD of debt and of collateral
    /// deficit:   if the seized collateral was all the account had, the rest of its debt is burnt
    /// ```
    ///
    /// # Errors
    ///
    /// [`MarginError::IndexOutOfRange`] for an index; [`MarginError::InvalidAmount`] for the
    /// amount; [`MarginError::NotLiquidatable`] when HF ≥ 1; [`MarginError::LeavesDust`] when
    /// the dust rule refuses the call (as the contract's `MUST_NOT_LEAVE_DUST`).
    ///
    /// ```
    /// use derisk::margin::{AaveAccount, AaveCollateral, AaveDebt, AaveParams};
    /// // 10 WETH at 2,000 (LT 82.5 %, bonus 5 %, fee 10 % of the bonus) against 17,000 USDC:
    /// // HF = 0.9706 > 0.95, so at most half the debt: 8,500 USDC buys 8,500/2,000 × 1.05 WETH
    /// let a = AaveAccount::new(
    ///     vec![AaveCollateral::new(10.0, 2_000.0, 0.825, 1.05, 0.1)?],
    ///     vec![AaveDebt::new(17_000.0, 1.0)?],
    /// );
    /// let (after, l) = a.liquidate(0, 0, f64::MAX, &AaveParams::V3_3)?;
    /// let seized = 8_500.0 / 2_000.0 * 1.05;
    /// let fee = (seized - seized / 1.05) * 0.1;
    /// assert_eq!(l.debt_repaid, 8_500.0);
    /// assert!((l.collateral_to_liquidator - (seized - fee)).abs() < 1e-12);
    /// assert!((after.collateral[0].amount() - (10.0 - seized)).abs() < 1e-12);
    /// assert!(l.health_factor_after > l.health_factor_before);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn liquidate(
        &self,
        collateral_index: usize,
        debt_index: usize,
        debt_to_cover: f64,
        params: &AaveParams,
    ) -> Result<(Self, AaveLiquidation), MarginError> {
        let coll = *self
            .collateral
            .get(collateral_index)
            .ok_or(MarginError::IndexOutOfRange {
                index: collateral_index,
                len: self.collateral.len(),
            })?;
        let debt = *self
            .debt
            .get(debt_index)
            .ok_or(MarginError::IndexOutOfRange {
                index: debt_index,
                len: self.debt.len(),
            })?;
        let debt_to_cover = check_amount("debt to cover", debt_to_cover)?;
        let hf = self.health_factor()?;
        if hf >= 1.0 {
            return Err(MarginError::NotLiquidatable { health_factor: hf });
        }
        let mut max_debt = debt.amount;
        if coll.value() >= params.min_base_max_close_factor
            && debt.value() >= params.min_base_max_close_factor
            && hf > params.close_factor_hf_threshold
        {
            let cap = self.total_debt() * params.close_factor;
            if debt.value() > cap {
                max_debt = cap / debt.price;
            }
        }
        let mut repay = debt_to_cover.min(max_debt);
        let max_seize = repay * debt.price / coll.price * coll.liquidation_bonus;
        let seize = if max_seize > coll.amount {
            repay = coll.price * coll.amount / debt.price / coll.liquidation_bonus;
            coll.amount
        } else {
            max_seize
        };
        let seized_value = seize * coll.price;
        let fee = (seize - seize / coll.liquidation_bonus) * coll.protocol_fee;
        let to_liquidator = seize - fee;
        if repay < debt.amount && seize < coll.amount {
            let debt_left = (debt.amount - repay) * debt.price;
            let coll_left = (coll.amount - to_liquidator) * coll.price;
            if debt_left < params.min_leftover_base || coll_left < params.min_leftover_base {
                return Err(MarginError::LeavesDust {
                    debt_left,
                    collateral_left: coll_left,
                });
            }
        }
        let no_collateral_left = self.total_collateral() <= seized_value;
        let mut after = self.clone();
        after.collateral[collateral_index].amount = (coll.amount - seize).max(0.0);
        after.debt[debt_index].amount = (debt.amount - repay).max(0.0);
        let mut deficit = 0.0;
        if no_collateral_left {
            for d in &mut after.debt {
                deficit += d.value();
                d.amount = 0.0;
            }
        }
        let hf_after = after.health_factor().unwrap_or(f64::MAX);
        Ok((
            after,
            AaveLiquidation {
                debt_repaid: repay,
                collateral_to_liquidator: to_liquidator,
                protocol_fee: fee,
                deficit,
                health_factor_before: hf,
                health_factor_after: hf_after,
            },
        ))
    }
}
