//! A clearing house's default waterfall, and Cover-1 / Cover-2 sizing of its default fund.

use crate::margin::error::{check_amount, check_finite};
use crate::margin::MarginError;

/// The layers that absorb a defaulting member's loss, in order.
///
/// ```text
/// 1. the defaulter's margin            4. survivors' default-fund contributions, pro rata
/// 2. the defaulter's default-fund share 5. assessments on survivors, pro rata, each capped at
/// 3. the CCP's own capital                 assessment_multiple × its contribution
///    ("skin in the game")              6. what is left is uncovered
/// ```
///
/// Reference: CPMI-IOSCO, *Principles for financial market infrastructures* (2012), Principle 4
/// (credit risk) and 4.8 (Cover-1/Cover-2); the layer order as in e.g. Eurex Clearing's and
/// LCH's rulebooks (defaulter's resources, CCP's dedicated own resources, non-defaulters'
/// contributions, assessments). Amounts in one currency.
///
/// ```
/// use derisk::margin::DefaultWaterfall;
/// let w = DefaultWaterfall::new(100.0, 20.0, 10.0, vec![30.0, 60.0], 1.0)?;
/// let a = w.allocate(175.0)?;       // 100 + 20 + 10 from the first three layers, 45 from survivors
/// assert_eq!(a.survivors_fund, vec![15.0, 30.0]);
/// assert_eq!(a.uncovered, 0.0);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefaultWaterfall {
    defaulter_margin: f64,
    defaulter_fund: f64,
    skin_in_the_game: f64,
    survivors: Vec<f64>,
    assessment_multiple: f64,
}

/// How a loss was shared across the waterfall's layers (each ≥ 0; they sum to the loss).
///
/// ```
/// use derisk::margin::DefaultWaterfall;
/// let a = DefaultWaterfall::new(10.0, 0.0, 0.0, vec![5.0], 0.0)?.allocate(20.0)?;
/// assert_eq!((a.defaulter_margin, a.survivors_fund[0], a.uncovered), (10.0, 5.0, 5.0));
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WaterfallAllocation {
    /// Taken from the defaulter's margin.
    pub defaulter_margin: f64,
    /// Taken from the defaulter's default-fund contribution.
    pub defaulter_fund: f64,
    /// Taken from the CCP's own capital.
    pub skin_in_the_game: f64,
    /// Taken from each survivor's default-fund contribution (same order as given).
    pub survivors_fund: Vec<f64>,
    /// Assessed on each survivor beyond its contribution.
    pub assessments: Vec<f64>,
    /// The loss no layer covered.
    pub uncovered: f64,
}

impl DefaultWaterfall {
    /// A waterfall with the defaulter's margin and fund contribution, the CCP's capital, the
    /// survivors' contributions, and the assessment cap as a multiple of each contribution.
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for a negative or non-finite amount or multiple.
    ///
    /// ```
    /// # use derisk::margin::{DefaultWaterfall, MarginError};
    /// assert!(matches!(DefaultWaterfall::new(1.0, 1.0, 1.0, vec![-1.0], 1.0), Err(MarginError::InvalidAmount { .. })));
    /// ```
    pub fn new(
        defaulter_margin: f64,
        defaulter_fund: f64,
        skin_in_the_game: f64,
        survivors: Vec<f64>,
        assessment_multiple: f64,
    ) -> Result<Self, MarginError> {
        for &s in &survivors {
            check_amount("survivor contribution", s)?;
        }
        Ok(Self {
            defaulter_margin: check_amount("defaulter margin", defaulter_margin)?,
            defaulter_fund: check_amount("defaulter fund contribution", defaulter_fund)?,
            skin_in_the_game: check_amount("skin in the game", skin_in_the_game)?,
            survivors,
            assessment_multiple: check_amount("assessment multiple", assessment_multiple)?,
        })
    }

    /// Shares `loss` (≥ 0) across the layers in order; within the survivors' layers pro rata
    /// to their contributions.
    ///
    /// ```text
    /// take(layer) = min(layer, remaining);  survivors: min(total, remaining) · c_i / Σc
    /// assessments: min(m · Σc, remaining) · c_i / Σc
    /// ```
    ///
    /// # Errors
    ///
    /// [`MarginError::InvalidAmount`] for a negative or non-finite loss.
    ///
    /// ```
    /// use derisk::margin::DefaultWaterfall;
    /// let w = DefaultWaterfall::new(100.0, 20.0, 10.0, vec![30.0, 60.0], 1.0)?;
    /// let a = w.allocate(300.0)?;  // 130 from the first layers, 90 from the fund, 80 assessed
    /// assert_eq!(a.survivors_fund, vec![30.0, 60.0]);
    /// assert!((a.assessments[0] - 80.0 / 3.0).abs() < 1e-12);
    /// assert_eq!(a.uncovered, 0.0);
    /// # Ok::<(), derisk::margin::MarginError>(())
    /// ```
    pub fn allocate(&self, loss: f64) -> Result<WaterfallAllocation, MarginError> {
        let mut remaining = check_amount("loss", loss)?;
        let mut take = |layer: f64| {
            let t = layer.min(remaining);
            remaining -= t;
            t
        };
        let defaulter_margin = take(self.defaulter_margin);
        let defaulter_fund = take(self.defaulter_fund);
        let skin_in_the_game = take(self.skin_in_the_game);
        let total: f64 = self.survivors.iter().sum();
        let fund_used = take(total);
        let assessed = take(check_finite(
            "assessment capacity",
            self.assessment_multiple * total,
        )?);
        let pro_rata = |amount: f64| -> Vec<f64> {
            self.survivors
                .iter()
                .map(|&c| if total > 0.0 { amount * c / total } else { 0.0 })
                .collect()
        };
        Ok(WaterfallAllocation {
            defaulter_margin,
            defaulter_fund,
            skin_in_the_game,
            survivors_fund: pro_rata(fund_used),
            assessments: pro_rata(assessed),
            uncovered: remaining,
        })
    }
}

/// Cover-N sizing of a default fund: the sum of the `n` largest stress losses in excess of
/// margin among members (Cover-1: the largest; Cover-2: the two largest, required of a CCP
/// systemically important in several jurisdictions or with a complex risk profile).
///
/// ```text
/// cover_n = Σ_{i ≤ n} L_(i),   L_(1) ≥ L_(2) ≥ …,  L = max(0, stress loss − margin) per member
/// ```
///
/// Reference: CPMI-IOSCO, *Principles for financial market infrastructures* (2012), key
/// consideration 4.4. `uncovered_losses` are per member (affiliates already combined), ≥ 0.
///
/// # Errors
///
/// [`MarginError::InvalidAmount`] for a negative or non-finite loss; [`MarginError::InvalidSize`]
/// for n = 0.
///
/// ```
/// use derisk::margin::cover_n;
/// let losses = [40.0, 250.0, 0.0, 120.0];
/// assert_eq!(cover_n(&losses, 1)?, 250.0);   // Cover-1
/// assert_eq!(cover_n(&losses, 2)?, 370.0);   // Cover-2
/// assert_eq!(cover_n(&losses, 9)?, 410.0);   // fewer members than n: all of them
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
pub fn cover_n(uncovered_losses: &[f64], n: usize) -> Result<f64, MarginError> {
    if n == 0 {
        return Err(MarginError::InvalidSize { size: 0.0 });
    }
    for &l in uncovered_losses {
        check_amount("member stress loss", l)?;
    }
    // n is small (1 or 2): keep the n largest in a small sorted buffer, no allocation beyond it
    let mut top: Vec<f64> = Vec::with_capacity(n.min(uncovered_losses.len()));
    for &l in uncovered_losses {
        if top.len() < n {
            top.push(l);
            top.sort_by(|a, b| b.total_cmp(a));
        } else if let Some(last) = top.last_mut()
            && l > *last
        {
            *last = l;
            top.sort_by(|a, b| b.total_cmp(a));
        }
    }
    check_finite("cover-n", top.iter().sum())
}
