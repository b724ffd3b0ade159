//! Collateral haircuts: Basel's comprehensive approach (exposure after haircuts, holding-period
//! scaling, the standard supervisory haircut table) and a haircut model for crypto collateral
//! from volatility, liquidity and wrong-way correlation, set beside a venue's tiered schedule.
//!
//! Paragraph numbers are those of the Basel II comprehensive version (BCBS, "International
//! Convergence of Capital Measurement and Capital Standards", June 2006), whose comprehensive
//! approach the Basel Framework carries on in chapter CRE22. The maths is in docs/capital.md.

use crate::margin::{CollateralAsset, HaircutTier};
use crate::math::norm_inv_cdf;

use super::error::RiskError;

fn amount(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidAmount { name, value })
    }
}

fn haircut(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(RiskError::InvalidHaircut { name, value })
    }
}

fn positive(name: &'static str, value: f64, reason: &'static str) -> Result<f64, RiskError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason,
        })
    }
}

/// The exposure after credit risk mitigation in the comprehensive approach.
///
/// ```text
/// E* = max(0, E·(1 + He) − C·(1 − Hc − Hfx))
/// E   current value of the exposure (currency units, ≥ 0)
/// He  haircut on the exposure, Hc haircut on the collateral, Hfx currency-mismatch haircut
///     (decimals in [0, 1), Hc + Hfx < 1)
/// C   current value of the collateral (same currency as E, ≥ 0)
/// ```
///
/// Source: Basel II (June 2006) para. 147; Basel Framework CRE22 (comprehensive approach).
///
/// # Errors
///
/// [`RiskError::InvalidAmount`] for a negative or non-finite `E` or `C`;
/// [`RiskError::InvalidHaircut`] for a haircut outside [0, 1) or `Hc + Hfx ≥ 1`.
///
/// ```
/// use derisk::risk::exposure_after_haircuts;
/// // 100 lent against 100 of main-index equities (15 %) in another currency (8 %): 23 uncovered.
/// let e = exposure_after_haircuts(100.0, 0.0, 100.0, 0.15, 0.08)?;
/// assert!((e - 23.0).abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn exposure_after_haircuts(
    exposure: f64,
    exposure_haircut: f64,
    collateral: f64,
    collateral_haircut: f64,
    fx_haircut: f64,
) -> Result<f64, RiskError> {
    let e = amount("exposure", exposure)?;
    let c = amount("collateral", collateral)?;
    let he = haircut("exposure haircut", exposure_haircut)?;
    let hc = haircut("collateral haircut", collateral_haircut)?;
    let hfx = haircut("currency mismatch haircut", fx_haircut)?;
    haircut("collateral haircut + currency mismatch haircut", hc + hfx)?;
    let star = e * (1.0 + he) - c * (1.0 - hc - hfx);
    if !star.is_finite() {
        return Err(RiskError::Overflow {
            name: "exposure after haircuts",
            value: star,
        });
    }
    Ok(star.max(0.0))
}

/// The type of a collateralised transaction, which sets its minimum holding period.
///
/// ```text
/// repo-style                 T_M =  5 business days (daily remargining)
/// other capital market       T_M = 10 business days (daily remargining)
/// secured lending            T_M = 20 business days (daily revaluation)
/// ```
///
/// Source: Basel II (June 2006) para. 167; Basel Framework CRE22 (holding periods).
///
/// ```
/// use derisk::risk::TransactionType;
/// assert_eq!(TransactionType::SecuredLending.minimum_holding_period(), 20.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TransactionType {
    /// Repos, reverse repos, securities lending and borrowing.
    RepoStyle,
    /// Other capital-market transactions: OTC derivatives, margin lending.
    CapitalMarket,
    /// Secured lending.
    SecuredLending,
}

impl TransactionType {
    /// The minimum holding period `T_M` in business days.
    #[must_use]
    pub const fn minimum_holding_period(self) -> f64 {
        match self {
            Self::RepoStyle => 5.0,
            Self::CapitalMarket => 10.0,
            Self::SecuredLending => 20.0,
        }
    }
}

fn remargining(n_r: f64) -> Result<f64, RiskError> {
    if n_r.is_finite() && n_r >= 1.0 {
        Ok(n_r)
    } else {
        Err(RiskError::InvalidParameter {
            name: "business days between remargining",
            value: n_r,
            reason: "must be finite and at least 1",
        })
    }
}

/// A minimum-holding-period haircut scaled to remargining (or revaluation) less frequent than
/// daily.
///
/// ```text
/// H = H_M · sqrt((N_R + T_M − 1) / T_M)
/// H_M  haircut over the minimum holding period T_M (decimal in [0, 1))
/// N_R  business days between remargining or revaluation (≥ 1; N_R = 1 gives H = H_M)
/// ```
///
/// A result of 1 or more means the collateral is worth nothing;
/// [`exposure_after_haircuts`] refuses it.
///
/// Source: Basel II (June 2006) para. 167; Basel Framework CRE22.
///
/// # Errors
///
/// [`RiskError::InvalidHaircut`] for `H_M` outside [0, 1); [`RiskError::InvalidParameter`] for
/// `N_R < 1` or not finite.
///
/// ```
/// use derisk::risk::{scale_haircut_to_remargining, TransactionType};
/// // a 4 % haircut on a 10-day basis, remargined every 6 business days: 4 % · sqrt(15/10)
/// let h = scale_haircut_to_remargining(0.04, TransactionType::CapitalMarket, 6.0)?;
/// assert!((h - 0.04 * 1.5f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn scale_haircut_to_remargining(
    minimum_period_haircut: f64,
    transaction: TransactionType,
    remargining_days: f64,
) -> Result<f64, RiskError> {
    let h_m = haircut("minimum holding period haircut", minimum_period_haircut)?;
    let n_r = remargining(remargining_days)?;
    let t_m = transaction.minimum_holding_period();
    Ok(h_m * ((n_r + t_m - 1.0) / t_m).sqrt())
}

/// The 10-business-day supervisory haircut scaled to a transaction type and remargining
/// frequency.
///
/// ```text
/// H = H_10 · sqrt((N_R + T_M − 1) / 10)
/// H_10  standard supervisory haircut (10-business-day basis), T_M from [`TransactionType`]
/// ```
///
/// Source: Basel II (June 2006) para. 168; Basel Framework CRE22.
///
/// # Errors
///
/// As [`scale_haircut_to_remargining`].
///
/// ```
/// use derisk::risk::{scale_supervisory_haircut, TransactionType};
/// // repo-style, daily remargining: H = H_10 · sqrt(5/10)
/// let h = scale_supervisory_haircut(0.15, TransactionType::RepoStyle, 1.0)?;
/// assert!((h - 0.15 * 0.5f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn scale_supervisory_haircut(
    ten_day_haircut: f64,
    transaction: TransactionType,
    remargining_days: f64,
) -> Result<f64, RiskError> {
    let h10 = haircut("10-day supervisory haircut", ten_day_haircut)?;
    let n_r = remargining(remargining_days)?;
    let t_m = transaction.minimum_holding_period();
    Ok(h10 * ((n_r + t_m - 1.0) / 10.0).sqrt())
}

/// An own-estimate haircut over `T_N` days moved to the minimum holding period `T_M` by the
/// square root of time.
///
/// ```text
/// H_M = H_N · sqrt(T_M / T_N)
/// ```
///
/// Source: Basel II (June 2006) para. 167; Basel Framework CRE22.
///
/// # Errors
///
/// [`RiskError::InvalidHaircut`] for `H_N` outside [0, 1); [`RiskError::InvalidParameter`] for a
/// holding period that is not finite and positive; [`RiskError::Overflow`] for one so small
/// (subnormal) that the scaling factor overflows.
///
/// ```
/// use derisk::risk::{scale_haircut_holding_period, TransactionType};
/// let h = scale_haircut_holding_period(0.05, 1.0, TransactionType::CapitalMarket)?;
/// assert!((h - 0.05 * 10f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn scale_haircut_holding_period(
    haircut_n: f64,
    holding_days: f64,
    transaction: TransactionType,
) -> Result<f64, RiskError> {
    let h_n = haircut("own-estimate haircut", haircut_n)?;
    let t_n = positive(
        "holding period",
        holding_days,
        "must be finite and positive",
    )?;
    let factor = (transaction.minimum_holding_period() / t_n).sqrt();
    if !factor.is_finite() {
        // a subnormal holding period: the square-root-of-time factor overflows
        return Err(RiskError::Overflow {
            name: "holding-period scaling factor",
            value: factor,
        });
    }
    Ok(h_n * factor)
}

/// Issue rating band of a debt security in the supervisory haircut table.
///
/// ```
/// let r = derisk::risk::RatingBand::AaaToAaMinus;
/// assert_ne!(r, derisk::risk::RatingBand::BbPlusToBbMinus);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RatingBand {
    /// AAA to AA− (short term A-1).
    AaaToAaMinus,
    /// A+ to BBB− (short term A-2, A-3, P-3), and unrated bank securities of para. 145(d).
    APlusToBbbMinus,
    /// BB+ to BB− (sovereigns only).
    BbPlusToBbMinus,
}

/// A collateral type of the standard supervisory haircut table.
///
/// ```
/// use derisk::risk::{RatingBand, SupervisoryCollateral};
/// let c = SupervisoryCollateral::Sovereign { rating: RatingBand::AaaToAaMinus, residual_maturity: 3.0 };
/// assert_eq!(c.haircut()?, 0.02);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SupervisoryCollateral {
    /// A debt security of a sovereign (or a PSE/MDB treated as one); maturity in years.
    Sovereign {
        /// Issue rating band.
        rating: RatingBand,
        /// Residual maturity in years.
        residual_maturity: f64,
    },
    /// A debt security of another issuer; maturity in years.
    OtherIssuer {
        /// Issue rating band.
        rating: RatingBand,
        /// Residual maturity in years.
        residual_maturity: f64,
    },
    /// Main-index equities (including convertible bonds) and gold.
    MainIndexEquityOrGold,
    /// Other equities (including convertible bonds) listed on a recognised exchange.
    OtherListedEquity,
    /// Cash in the same currency.
    Cash,
}

/// The currency-mismatch haircut `Hfx` on a 10-business-day basis with daily mark-to-market.
///
/// ```text
/// Hfx = 8 %
/// ```
///
/// Source: Basel II (June 2006) para. 153.
///
/// ```
/// assert_eq!(derisk::risk::CURRENCY_MISMATCH_HAIRCUT, 0.08);
/// ```
pub const CURRENCY_MISMATCH_HAIRCUT: f64 = 0.08;

impl SupervisoryCollateral {
    /// The standard supervisory haircut, 10-business-day basis, daily mark-to-market.
    ///
    /// ```text
    ///                          residual maturity   sovereigns   other issuers
    /// AAA to AA−               ≤ 1 y                  0.5 %         1 %
    ///                          1 y < m ≤ 5 y          2 %           4 %
    ///                          > 5 y                  4 %           8 %
    /// A+ to BBB−               ≤ 1 y                  1 %           2 %
    ///                          1 y < m ≤ 5 y          3 %           6 %
    ///                          > 5 y                  6 %          12 %
    /// BB+ to BB−               all                   15 %          not eligible
    /// main-index equities and gold                   15 %
    /// other listed equities                          25 %
    /// cash in the same currency                       0 %
    /// ```
    ///
    /// Source: Basel II (June 2006) para. 151 (the same table in the Central Bank of Bahrain
    /// rulebook CA-4.3.7). The revised table of Basel III (December 2017, Basel Framework CRE22)
    /// raises equities to 20 % / 30 % and splits maturities further; it is not encoded here.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAmount`] for a negative or non-finite maturity;
    /// [`RiskError::IneligibleCollateral`] for a BB-rated bond of a non-sovereign issuer.
    ///
    /// ```
    /// use derisk::risk::{RatingBand, SupervisoryCollateral};
    /// assert_eq!(SupervisoryCollateral::MainIndexEquityOrGold.haircut()?, 0.15);
    /// let bond = SupervisoryCollateral::OtherIssuer { rating: RatingBand::APlusToBbbMinus, residual_maturity: 7.0 };
    /// assert_eq!(bond.haircut()?, 0.12);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn haircut(&self) -> Result<f64, RiskError> {
        // Columns: (≤ 1 y, 1–5 y, > 5 y) per rating band, sovereigns then other issuers.
        const SOVEREIGN: [[f64; 3]; 2] = [[0.005, 0.02, 0.04], [0.01, 0.03, 0.06]];
        const OTHER: [[f64; 3]; 2] = [[0.01, 0.04, 0.08], [0.02, 0.06, 0.12]];
        let debt = |table: &[[f64; 3]; 2], row: usize, m: f64| {
            let m = amount("residual maturity", m)?;
            let col = if m <= 1.0 {
                0
            } else if m <= 5.0 {
                1
            } else {
                2
            };
            Ok(table[row][col])
        };
        let band = |rating: RatingBand| match rating {
            RatingBand::AaaToAaMinus => Some(0),
            RatingBand::APlusToBbbMinus => Some(1),
            RatingBand::BbPlusToBbMinus => None,
        };
        match *self {
            Self::Sovereign {
                rating,
                residual_maturity,
            } => match band(rating) {
                Some(row) => debt(&SOVEREIGN, row, residual_maturity),
                None => amount("residual maturity", residual_maturity).map(|_| 0.15),
            },
            Self::OtherIssuer {
                rating,
                residual_maturity,
            } => match band(rating) {
                Some(row) => debt(&OTHER, row, residual_maturity),
                None => Err(RiskError::IneligibleCollateral {
                    reason: "a bb-rated debt security of a non-sovereign issuer is not eligible",
                }),
            },
            Self::MainIndexEquityOrGold => Ok(0.15),
            Self::OtherListedEquity => Ok(0.25),
            Self::Cash => Ok(0.0),
        }
    }
}

/// Wrong-way risk between a collateral asset and the counterparty that posts it.
///
/// ```
/// let w = derisk::risk::WrongWay { correlation: 0.5, default_probability: 0.01 };
/// assert_eq!(w.correlation, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WrongWay {
    /// Correlation ρ in (−1, 1) between the collateral's log return and the factor that drives
    /// the counterparty's default (ρ > 0: the collateral falls when the counterparty fails).
    pub correlation: f64,
    /// The counterparty's default probability over the horizon, in (0, 1).
    pub default_probability: f64,
}

/// What drives the haircut of one crypto collateral position.
///
/// ```
/// let r = derisk::risk::CryptoCollateralRisk::new(0.6);
/// assert_eq!(r.volatility, 0.6);
/// assert_eq!(r.liquidation_cost, 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CryptoCollateralRisk {
    /// Annualised volatility of the asset's log return (decimal per √year, 365-day year).
    pub volatility: f64,
    /// Cost of liquidating the position, as a fraction of its value in [0, 1) (half spread plus
    /// market impact at the liquidation size).
    pub liquidation_cost: f64,
    /// Days needed to sell the position (e.g. position value / (participation × daily volume));
    /// they lengthen the horizon over which the price can move.
    pub liquidation_days: f64,
    /// Optional wrong-way risk with the counterparty.
    pub wrong_way: Option<WrongWay>,
}

impl CryptoCollateralRisk {
    /// Volatility only: no liquidation cost, no liquidation days, no wrong-way risk.
    #[must_use]
    pub const fn new(volatility: f64) -> Self {
        Self {
            volatility,
            liquidation_cost: 0.0,
            liquidation_days: 0.0,
            wrong_way: None,
        }
    }
}

/// A haircut and its parts.
///
/// ```
/// use derisk::risk::{CryptoCollateralRisk, CryptoHaircutModel};
/// let h = CryptoHaircutModel::new(0.99, 10.0)?.haircut(&CryptoCollateralRisk::new(0.0))?;
/// assert_eq!(h.total, 0.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HaircutBreakdown {
    /// Horizon in calendar days: holding period plus liquidation days.
    pub horizon_days: f64,
    /// The log-return quantile the price can reach over the horizon (negative for a fall).
    pub log_return_quantile: f64,
    /// Market part: 1 − exp(log-return quantile), floored at 0.
    pub market: f64,
    /// Liquidity part: the liquidation cost.
    pub liquidity: f64,
    /// min(1, market + liquidity): the haircut.
    pub total: f64,
}

/// A VaR-style haircut for crypto collateral: the price fall not exceeded with probability `q`
/// over the holding period plus the time to liquidate, conditional on the counterparty's default
/// when wrong-way risk is given, plus the cost of liquidating.
///
/// ```text
/// T     = (holding days + liquidation days) / 365                   (crypto trades every day)
/// s     = σ · sqrt(T)
/// x_q   = −s · z_q                                 z_q = Φ⁻¹(q)     (no wrong-way risk)
/// x_q   = s · (ρ · Φ⁻¹(PD) − sqrt(1 − ρ²) · z_q)                    (wrong-way, one-factor)
/// H     = min(1, max(0, 1 − exp(x_q)) + c)         c = liquidation cost
/// ```
///
/// The wrong-way term conditions a one-factor Gaussian model on the counterparty's default
/// threshold (Vasicek, "The distribution of loan portfolio value", Risk, December 2002; the
/// default-state conditioning of collateral value in Frye, "Collateral damage", Risk, April
/// 2000). Square-root-of-time scaling and the 99 % one-tailed quantile follow Basel II (June
/// 2006) paras. 156–157 on own-estimate haircuts; para. 158 asks for a longer holding period for
/// illiquid collateral, which `liquidation_days` supplies.
///
/// ```
/// use derisk::risk::{CryptoCollateralRisk, CryptoHaircutModel};
/// let model = CryptoHaircutModel::new(0.99, 10.0)?;
/// let h = model.haircut(&CryptoCollateralRisk::new(0.6))?;
/// let z = 2.326_347_874_040_841_f64; // Φ⁻¹(0.99)
/// assert!((h.total - (1.0 - (-0.6 * (10.0f64 / 365.0).sqrt() * z).exp())).abs() < 1e-14);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CryptoHaircutModel {
    confidence: f64,
    z: f64,
    holding_days: f64,
}

impl CryptoHaircutModel {
    /// A model at confidence `q` over a holding period in calendar days.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidConfidence`] for `q` outside (0.5, 1) (a haircut quantile lies in the
    /// loss tail); [`RiskError::InvalidParameter`] for a holding period that is not finite and
    /// positive.
    pub fn new(confidence: f64, holding_days: f64) -> Result<Self, RiskError> {
        if !(confidence > 0.5 && confidence < 1.0) {
            return Err(RiskError::InvalidConfidence { value: confidence });
        }
        let holding_days = positive(
            "holding period",
            holding_days,
            "must be finite and positive",
        )?;
        let z = norm_inv_cdf(confidence)
            .map_err(|_| RiskError::InvalidConfidence { value: confidence })?;
        Ok(Self {
            confidence,
            z,
            holding_days,
        })
    }

    /// The confidence level `q`.
    #[must_use]
    pub const fn confidence(&self) -> f64 {
        self.confidence
    }

    /// The holding period in calendar days.
    #[must_use]
    pub const fn holding_days(&self) -> f64 {
        self.holding_days
    }

    /// The haircut of one position.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAmount`] for a negative or non-finite volatility or liquidation days;
    /// [`RiskError::InvalidHaircut`] for a liquidation cost outside [0, 1);
    /// [`RiskError::InvalidParameter`] for a correlation outside (−1, 1) or a default
    /// probability outside (0, 1).
    pub fn haircut(&self, risk: &CryptoCollateralRisk) -> Result<HaircutBreakdown, RiskError> {
        let sigma = amount("volatility", risk.volatility)?;
        let c = haircut("liquidation cost", risk.liquidation_cost)?;
        let days = amount("liquidation days", risk.liquidation_days)?;
        let horizon_days = self.holding_days + days;
        let s = sigma * (horizon_days / 365.0).sqrt();
        let x = match risk.wrong_way {
            None => -s * self.z,
            Some(w) => {
                let rho = w.correlation;
                if !(rho > -1.0 && rho < 1.0) {
                    return Err(RiskError::InvalidParameter {
                        name: "wrong-way correlation",
                        value: rho,
                        reason: "must lie strictly between -1 and 1",
                    });
                }
                let pd = w.default_probability;
                let threshold = norm_inv_cdf(pd).map_err(|_| RiskError::InvalidParameter {
                    name: "default probability",
                    value: pd,
                    reason: "must lie strictly between 0 and 1",
                })?;
                s * (rho * threshold - (1.0 - rho * rho).sqrt() * self.z)
            }
        };
        if !x.is_finite() {
            return Err(RiskError::Overflow {
                name: "log-return quantile",
                value: x,
            });
        }
        let market = (-x.exp_m1()).max(0.0);
        Ok(HaircutBreakdown {
            horizon_days,
            log_return_quantile: x,
            market,
            liquidity: c,
            total: (market + c).min(1.0),
        })
    }
}

/// A model haircut beside a venue's published (tiered) haircut schedule for the same position.
///
/// ```
/// use derisk::margin::HaircutTier;
/// use derisk::risk::compare_with_schedule;
/// // Binance's tiered collateral ratio FAQ: 100 % up to 100 M, 97.5 % above.
/// let tiers = vec![
///     HaircutTier { value_cap: 100e6, haircut: 0.0 },
///     HaircutTier { value_cap: f64::INFINITY, haircut: 0.025 },
/// ];
/// let cmp = compare_with_schedule(0.10, 6_000.0, 20_000.0, tiers)?;
/// assert_eq!(cmp.venue_value, 119_500_000.0);
/// assert!((cmp.model_value - 108e6).abs() < 1e-6);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScheduleComparison {
    /// amount × price.
    pub gross_value: f64,
    /// Value after the model haircut: gross × (1 − model haircut).
    pub model_value: f64,
    /// Value after the venue's tiered schedule.
    pub venue_value: f64,
    /// The model haircut.
    pub model_haircut: f64,
    /// The venue's effective haircut on this position: 1 − venue value / gross.
    pub venue_haircut: f64,
}

/// Value one position by a model haircut and by a venue's tiered schedule
/// ([`HaircutTier`]s as [`CollateralAsset::tiered`] reads them).
///
/// ```text
/// model value = gross · (1 − H_model)
/// venue value = Σ_k (min(gross, cap_k) − cap_{k−1})⁺ · (1 − h_k)
/// venue haircut = 1 − venue value / gross
/// ```
///
/// Source of the schedule shape: Binance FAQ "Tiered collateral ratio" (Multi-Assets mode), as
/// in `margin::CollateralAsset`.
///
/// # Errors
///
/// [`RiskError::InvalidHaircut`] for a model haircut outside [0, 1]; [`RiskError::Margin`] for
/// an invalid amount, price or tier table.
pub fn compare_with_schedule(
    model_haircut: f64,
    amount: f64,
    price: f64,
    tiers: Vec<HaircutTier>,
) -> Result<ScheduleComparison, RiskError> {
    if !(model_haircut.is_finite() && (0.0..=1.0).contains(&model_haircut)) {
        return Err(RiskError::InvalidHaircut {
            name: "model haircut",
            value: model_haircut,
        });
    }
    let venue = CollateralAsset::tiered(amount, price, tiers)?;
    let model = CollateralAsset::flat(amount, price, model_haircut)?;
    let gross = venue.gross_value();
    let venue_value = venue.value();
    Ok(ScheduleComparison {
        gross_value: gross,
        model_value: model.value(),
        venue_value,
        model_haircut,
        venue_haircut: if gross > 0.0 {
            1.0 - venue_value / gross
        } else {
            0.0
        },
    })
}
