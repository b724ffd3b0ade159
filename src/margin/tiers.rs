//! Tiered risk limits (notional brackets) and a flat-rate model.

use super::error::MarginError;
use super::traits::MarginModel;

/// One notional bracket as a [`MarginModel`] exposes it: the range `(floor, cap]` of position
/// value (settlement currency) and its maintenance rate, maintenance amount and maximum leverage.
///
/// ```text
/// MM(n) = n·maintenance_rate − maintenance_amount     floor < n ≤ cap
/// ```
///
/// ```
/// use derisk::margin::{MarginModel, TierTable};
/// let b = TierTable::binance_btcusdt_2021_03_18().bracket(1_000_000.0);
/// assert_eq!((b.floor, b.cap, b.max_leverage), (250_000.0, 1_000_000.0, 50.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bracket {
    /// Lower end of the range (exclusive; 0 for the first bracket).
    pub floor: f64,
    /// Upper end of the range (inclusive); `f64::INFINITY` (serialised as `null`) for none.
    #[cfg_attr(feature = "serde", serde(with = "super::serde_inf"))]
    pub cap: f64,
    /// Maintenance margin rate, a decimal in [0, 1).
    pub maintenance_rate: f64,
    /// Maintenance amount ("cum" on Binance, "MM deduction" on Bybit), settlement currency.
    pub maintenance_amount: f64,
    /// Maximum leverage allowed in the bracket (`f64::INFINITY`, serialised as `null`, for none).
    #[cfg_attr(feature = "serde", serde(with = "super::serde_inf"))]
    pub max_leverage: f64,
}

impl Bracket {
    /// A bracket over all notionals with no requirement and unbounded leverage (the fallback
    /// of an empty model; never produced by a validated table).
    pub const UNBOUNDED: Self = Self {
        floor: 0.0,
        cap: f64::INFINITY,
        maintenance_rate: 0.0,
        maintenance_amount: 0.0,
        max_leverage: f64::INFINITY,
    };
}

/// One row of a tier table as venues publish it: the notional cap, the maintenance rate, the
/// maximum leverage and the maintenance amount (the row's floor is the previous row's cap).
///
/// ```
/// let tier = derisk::margin::RiskTier { cap: 50_000.0, maintenance_rate: 0.004, max_leverage: 125.0, maintenance_amount: 0.0 };
/// assert_eq!(tier.cap, 50_000.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskTier {
    /// Notional cap of the tier (position value in the settlement currency), inclusive;
    /// `f64::INFINITY` (serialised as `null`) for none.
    #[cfg_attr(feature = "serde", serde(with = "super::serde_inf"))]
    pub cap: f64,
    /// Maintenance margin rate, a decimal in [0, 1).
    pub maintenance_rate: f64,
    /// Maximum leverage (≥ 1).
    pub max_leverage: f64,
    /// Maintenance amount, keeping the requirement continuous at the tier's floor.
    pub maintenance_amount: f64,
}

/// The maintenance amount that keeps MM continuous at a tier's floor:
///
/// ```text
/// amountₙ = floorₙ × (rateₙ − rateₙ₋₁) + amountₙ₋₁          amount₁ = 0
/// ```
///
/// Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (maintenance amount); Bybit "Margin parameters" (MM deduction, same recursion).
///
/// ```
/// // Binance FAQ: floor 250,000, rate 1 % after 0.5 % with amount 50 → 1,300.
/// assert!((derisk::margin::continuous_maintenance_amount(250_000.0, 0.005, 0.01, 50.0) - 1_300.0).abs() < 1e-9);
/// ```
#[must_use]
pub fn continuous_maintenance_amount(
    floor: f64,
    previous_rate: f64,
    rate: f64,
    previous_amount: f64,
) -> f64 {
    floor * (rate - previous_rate) + previous_amount
}

/// A validated tier table: tiers sorted by cap, rates in [0, 1), leverage ≥ 1, and maintenance
/// amounts that keep the requirement continuous across brackets. Implements [`MarginModel`].
///
/// Tier tables change often: they are user data (serde-loadable behind the `serde` feature,
/// validated on load); the two built-in tables are dated examples.
///
/// ```
/// use derisk::margin::{MarginModel, TierTable};
/// let t = TierTable::from_rates(&[(50_000.0, 0.004, 125.0), (250_000.0, 0.005, 100.0)])?;
/// assert_eq!(t.tiers()[1].maintenance_amount, 50.0); // 50,000 × 0.1 %
/// assert!((t.maintenance_margin(100_000.0) - 450.0).abs() < 1e-12);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<RiskTier>", into = "Vec<RiskTier>")
)]
pub struct TierTable {
    tiers: Vec<RiskTier>,
}

impl TierTable {
    /// Validates a published table.
    ///
    /// # Errors
    ///
    /// [`MarginError::EmptyTierTable`]; [`MarginError::InvalidTier`] for a cap that is not
    /// positive, a rate outside [0, 1) or a leverage below 1; [`MarginError::UnsortedTiers`] if
    /// caps do not increase; [`MarginError::DiscontinuousTiers`] if an amount breaks continuity
    /// (relative tolerance 1e-9 of floor × rate); [`MarginError::NegativeMaintenance`] if a
    /// tier's requirement at its floor, floor × rate − amount, is negative (so MM ≥ 0 for every
    /// notional ≥ 0).
    ///
    /// ```
    /// use derisk::margin::{MarginError, RiskTier, TierTable};
    /// let t = |cap, maintenance_rate, max_leverage, maintenance_amount| RiskTier { cap, maintenance_rate, max_leverage, maintenance_amount };
    /// let err = TierTable::new(vec![t(50_000.0, 0.004, 125.0, 0.0), t(250_000.0, 0.005, 100.0, 40.0)]);
    /// assert_eq!(err, Err(MarginError::DiscontinuousTiers { index: 1, amount: 40.0, expected: 50.0 }));
    /// ```
    pub fn new(tiers: Vec<RiskTier>) -> Result<Self, MarginError> {
        if tiers.is_empty() {
            return Err(MarginError::EmptyTierTable);
        }
        for (index, t) in tiers.iter().enumerate() {
            let bad = |field, value| {
                Err(MarginError::InvalidTier {
                    index,
                    field,
                    value,
                })
            };
            if t.cap.is_nan() || t.cap <= 0.0 {
                return bad("cap", t.cap);
            }
            if !(t.maintenance_rate.is_finite() && (0.0..1.0).contains(&t.maintenance_rate)) {
                return bad("maintenance rate", t.maintenance_rate);
            }
            if !(t.max_leverage.is_finite() && t.max_leverage >= 1.0) {
                return bad("max leverage", t.max_leverage);
            }
            if !t.maintenance_amount.is_finite() {
                return bad("maintenance amount", t.maintenance_amount);
            }
            let (expected, scale) = if index == 0 {
                (0.0, t.cap * t.maintenance_rate)
            } else {
                let p = &tiers[index - 1];
                if t.cap.is_nan() || t.cap <= p.cap {
                    return Err(MarginError::UnsortedTiers {
                        index,
                        cap: t.cap,
                        previous_cap: p.cap,
                    });
                }
                (
                    continuous_maintenance_amount(
                        p.cap,
                        p.maintenance_rate,
                        t.maintenance_rate,
                        p.maintenance_amount,
                    ),
                    p.cap * t.maintenance_rate,
                )
            };
            if (t.maintenance_amount - expected).abs() > 1e-9 * scale.max(f64::MIN_POSITIVE) {
                return Err(MarginError::DiscontinuousTiers {
                    index,
                    amount: t.maintenance_amount,
                    expected,
                });
            }
            // MM(n) = n·rate − amount is lowest at the floor (rate ≥ 0): a negative value there
            // (an amount within the continuity tolerance but above floor × rate) is refused
            // beyond rounding (rounding-level negatives are floored at 0 by the trait's formula).
            let floor = if index == 0 {
                0.0
            } else {
                tiers[index - 1].cap
            };
            let requirement = floor * t.maintenance_rate - t.maintenance_amount;
            if requirement < -4.0 * f64::EPSILON * floor * t.maintenance_rate {
                return Err(MarginError::NegativeMaintenance {
                    index,
                    floor,
                    requirement,
                });
            }
        }
        Ok(Self { tiers })
    }

    /// Builds a table from `(cap, maintenance_rate, max_leverage)` rows, deriving the maintenance
    /// amounts with [`continuous_maintenance_amount`].
    ///
    /// # Errors
    ///
    /// As [`TierTable::new`].
    ///
    /// ```
    /// let t = derisk::margin::TierTable::from_rates(&[(10.0, 0.01, 50.0)])?;
    /// assert_eq!(t.tiers().len(), 1);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn from_rates(rows: &[(f64, f64, f64)]) -> Result<Self, MarginError> {
        let mut tiers = Vec::with_capacity(rows.len());
        let mut previous: Option<RiskTier> = None;
        for &(cap, maintenance_rate, max_leverage) in rows {
            let maintenance_amount = previous.map_or(0.0, |p| {
                continuous_maintenance_amount(
                    p.cap,
                    p.maintenance_rate,
                    maintenance_rate,
                    p.maintenance_amount,
                )
            });
            let tier = RiskTier {
                cap,
                maintenance_rate,
                max_leverage,
                maintenance_amount,
            };
            tiers.push(tier);
            previous = Some(tier);
        }
        Self::new(tiers)
    }

    /// The tiers, in increasing cap order.
    #[must_use]
    pub fn tiers(&self) -> &[RiskTier] {
        &self.tiers
    }

    /// Binance USDⓈ-M BTCUSDT perpetual, "Leverage and Margin Tiers" as announced on 2021-03-18
    /// (binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6, effective
    /// 2021-03-18 09:00 UTC); maintenance amounts derived by the continuity recursion (they match
    /// the `cum` column of `GET /fapi/v1/leverageBracket` of that period). An example only:
    /// fetch the current table.
    ///
    /// | cap (USDT) | MMR | max lev. | amount |
    /// |---|---|---|---|
    /// | 50,000 | 0.40 % | 125 | 0 |
    /// | 250,000 | 0.50 % | 100 | 50 |
    /// | 1,000,000 | 1.00 % | 50 | 1,300 |
    /// | 10,000,000 | 2.50 % | 20 | 16,300 |
    /// | 20,000,000 | 5.00 % | 10 | 266,300 |
    /// | 50,000,000 | 10.00 % | 5 | 1,266,300 |
    /// | 100,000,000 | 12.50 % | 4 | 2,516,300 |
    /// | 200,000,000 | 15.00 % | 3 | 5,016,300 |
    /// | 300,000,000 | 25.00 % | 2 | 25,016,300 |
    /// | 500,000,000 | 50.00 % | 1 | 100,016,300 |
    ///
    /// ```
    /// let t = derisk::margin::TierTable::binance_btcusdt_2021_03_18();
    /// assert_eq!(t.tiers()[9].maintenance_amount, 100_016_300.0);
    /// ```
    #[must_use]
    pub fn binance_btcusdt_2021_03_18() -> Self {
        Self::from_published(&[
            (50_000.0, 0.004, 125.0, 0.0),
            (250_000.0, 0.005, 100.0, 50.0),
            (1_000_000.0, 0.01, 50.0, 1_300.0),
            (10_000_000.0, 0.025, 20.0, 16_300.0),
            (20_000_000.0, 0.05, 10.0, 266_300.0),
            (50_000_000.0, 0.10, 5.0, 1_266_300.0),
            (100_000_000.0, 0.125, 4.0, 2_516_300.0),
            (200_000_000.0, 0.15, 3.0, 5_016_300.0),
            (300_000_000.0, 0.25, 2.0, 25_016_300.0),
            (500_000_000.0, 0.50, 1.0, 100_016_300.0),
        ])
    }

    /// A built-in table from `(cap, rate, max_leverage, amount)` rows (tests check that each
    /// built-in table passes [`TierTable::new`]'s validation).
    fn from_published(rows: &[(f64, f64, f64, f64)]) -> Self {
        let tiers = rows
            .iter()
            .map(
                |&(cap, maintenance_rate, max_leverage, maintenance_amount)| RiskTier {
                    cap,
                    maintenance_rate,
                    max_leverage,
                    maintenance_amount,
                },
            )
            .collect();
        Self { tiers }
    }

    /// Bybit USDT perpetual BTCUSDT, tiers 1–20 of the "Margin Parameters" page
    /// (bybit.com/en/announcement-info/margin-parameters, copy read on 2026-11-25 from the mirror
    /// bybitx.global/pt-PT/announcement-info/margin-parameters; the page shows the current table
    /// and no date). The published MM deductions are kept as printed and pass the continuity check.
    ///
    /// | cap (USDT) | MMR | max lev. | deduction |
    /// |---|---|---|---|
    /// | 2,000,000 | 0.50 % | 100 | 0 |
    /// | 2,600,000 | 0.56 % | 90 | 1,200 |
    /// | … | … | … | … |
    /// | 80,000,000 | 4.50 % | 14 | 1,482,000 |
    ///
    /// ```
    /// let t = derisk::margin::TierTable::bybit_btcusdt_2026_11();
    /// assert_eq!(t.tiers().len(), 20);
    /// ```
    #[must_use]
    pub fn bybit_btcusdt_2026_11() -> Self {
        let rows: [(f64, f64, f64, f64); 20] = [
            (2_000_000.0, 0.005, 100.0, 0.0),
            (2_600_000.0, 0.0056, 90.0, 1_200.0),
            (3_200_000.0, 0.0063, 80.0, 3_020.0),
            (3_800_000.0, 0.0067, 75.0, 4_300.0),
            (4_400_000.0, 0.0071, 70.0, 5_820.0),
            (5_000_000.0, 0.0077, 65.0, 8_460.0),
            (5_600_000.0, 0.0091, 55.0, 15_460.0),
            (8_500_000.0, 0.01, 50.0, 20_500.0),
            (10_000_000.0, 0.013, 45.0, 46_000.0),
            (14_000_000.0, 0.015, 40.0, 66_000.0),
            (20_000_000.0, 0.016, 35.0, 80_000.0),
            (28_000_000.0, 0.02, 30.0, 160_000.0),
            (38_000_000.0, 0.025, 25.0, 300_000.0),
            (50_000_000.0, 0.029, 20.0, 452_000.0),
            (55_000_000.0, 0.03, 19.0, 502_000.0),
            (60_000_000.0, 0.035, 18.0, 777_000.0),
            (65_000_000.0, 0.036, 17.0, 837_000.0),
            (70_000_000.0, 0.038, 16.0, 967_000.0),
            (75_000_000.0, 0.04, 15.0, 1_107_000.0),
            (80_000_000.0, 0.045, 14.0, 1_482_000.0),
        ];
        Self::from_published(&rows)
    }
}

impl TryFrom<Vec<RiskTier>> for TierTable {
    type Error = MarginError;

    fn try_from(tiers: Vec<RiskTier>) -> Result<Self, MarginError> {
        Self::new(tiers)
    }
}

impl From<TierTable> for Vec<RiskTier> {
    fn from(table: TierTable) -> Self {
        table.tiers
    }
}

impl MarginModel for TierTable {
    fn bracket_count(&self) -> usize {
        self.tiers.len()
    }

    fn bracket_at(&self, index: usize) -> Option<Bracket> {
        let t = self.tiers.get(index)?;
        let floor = if index == 0 {
            0.0
        } else {
            self.tiers[index - 1].cap
        };
        Some(Bracket {
            floor,
            cap: t.cap,
            maintenance_rate: t.maintenance_rate,
            maintenance_amount: t.maintenance_amount,
            max_leverage: t.max_leverage,
        })
    }
}

/// One maintenance rate and one maximum leverage for every size: the model of simple venues and
/// of Deribit's early flat futures schedules (e.g. 5 % maintenance, 10 % initial; Deribit
/// knowledge base "Contract specifications").
///
/// ```text
/// MM(n) = n·maintenance_rate          IM(n) = n/leverage, leverage ≤ max_leverage
/// ```
///
/// ```
/// use derisk::margin::{FlatRate, MarginModel};
/// let m = FlatRate::new(0.05, 10.0)?;
/// assert_eq!(m.maintenance_margin(2.0), 0.1);
/// assert!(m.initial_margin(2.0, 20.0).is_err());
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "FlatRateData"))]
pub struct FlatRate {
    bracket: Bracket,
}

impl FlatRate {
    /// A flat model with `maintenance_rate` in [0, 1) and `max_leverage` ≥ 1.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidTier`] (index 0) for a rate or leverage out of range.
    ///
    /// ```
    /// let m = derisk::margin::FlatRate::new(0.004, 125.0)?;
    /// assert_eq!(m.maintenance_rate(), 0.004);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn new(maintenance_rate: f64, max_leverage: f64) -> Result<Self, MarginError> {
        let t = TierTable::new(vec![RiskTier {
            cap: f64::INFINITY,
            maintenance_rate,
            max_leverage,
            maintenance_amount: 0.0,
        }])?;
        let bracket = t.bracket_at(0).unwrap_or(Bracket::UNBOUNDED);
        Ok(Self { bracket })
    }

    /// The maintenance rate.
    #[must_use]
    pub const fn maintenance_rate(&self) -> f64 {
        self.bracket.maintenance_rate
    }
}

impl MarginModel for FlatRate {
    fn bracket_count(&self) -> usize {
        1
    }

    fn bracket_at(&self, index: usize) -> Option<Bracket> {
        (index == 0).then_some(self.bracket)
    }
}

/// The plain fields of a [`FlatRate`] (its one bracket), validated by [`FlatRate::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct FlatRateData {
    bracket: Bracket,
}

#[cfg(feature = "serde")]
impl TryFrom<FlatRateData> for FlatRate {
    type Error = MarginError;

    fn try_from(d: FlatRateData) -> Result<Self, MarginError> {
        let b = d.bracket;
        let m = Self::new(b.maintenance_rate, b.max_leverage)?;
        if m.bracket == b {
            Ok(m)
        } else {
            Err(MarginError::InvalidTier {
                index: 0,
                field: "flat bracket (floor 0, cap inf, amount 0)",
                value: if b.floor != 0.0 {
                    b.floor
                } else {
                    b.maintenance_amount
                },
            })
        }
    }
}
