//! A collateral agreement (CSA) and the classic lagged-collateral model: the collateral held
//! at t is called on the value at t − MPoR, so the collateralised exposure keeps the "MPoR gap".

use super::paths::ValuePaths;
use crate::risk::error::RiskError;

/// A two-way credit support annex: threshold H, minimum transfer amount MTA, independent
/// amount IA (posted to us by the counterparty), optional rounding, and the margin period of
/// risk in grid steps.
///
/// ```text
/// target(V)  = max(V − H, 0) + min(V + H, 0)      variation margin called on value V (signed:
///                                                  > 0 held by us, < 0 posted by us)
/// C_k        = C_{k−1} + r(target(V_{max(k−m, 0)}) − C_{k−1})   if |target − C_{k−1}| ≥ MTA
///            = C_{k−1}                                          otherwise,   C_{−1} = 0
/// r(x)       = x, or x rounded to the nearest multiple of `rounding` (ties away from 0)
/// V^coll_k   = V_k − C_k − IA                      collateralised value; exposure max(V^coll, 0)
/// ```
///
/// m = `mpor_steps` grid steps (e.g. 10 business days on a daily grid). All amounts in the
/// netting set's currency, ≥ 0. Reference: J. Gregory, *The xVA Challenge*, 4th ed. (Wiley,
/// 2020), §7.5 and §11.3 (threshold, MTA, rounding, independent amount; the classic model of
/// collateral lagged by the margin period of risk).
///
/// ```
/// use derisk::risk::exposure::Csa;
/// let csa = Csa::new(0.0, 0.0, 0.0, 2)?;
/// assert_eq!(csa.mpor_steps(), 2);
/// assert!(Csa::new(-1.0, 0.0, 0.0, 2).is_err()); // negative threshold
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Csa {
    threshold: f64,
    minimum_transfer: f64,
    independent_amount: f64,
    rounding: Option<f64>,
    mpor_steps: usize,
}

fn check_amount(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and non-negative",
        })
    }
}

impl Csa {
    /// A CSA without rounding.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for a negative or non-finite threshold, MTA or
    /// independent amount.
    ///
    /// ```
    /// use derisk::risk::exposure::Csa;
    /// let csa = Csa::new(10.0, 1.0, 5.0, 10)?;
    /// assert_eq!(csa.threshold(), 10.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn new(
        threshold: f64,
        minimum_transfer: f64,
        independent_amount: f64,
        mpor_steps: usize,
    ) -> Result<Self, RiskError> {
        Ok(Self {
            threshold: check_amount("threshold", threshold)?,
            minimum_transfer: check_amount("minimum transfer amount", minimum_transfer)?,
            independent_amount: check_amount("independent amount", independent_amount)?,
            rounding: None,
            mpor_steps,
        })
    }

    /// The same CSA with transfers rounded to multiples of `rounding`.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] unless `rounding` is finite and positive.
    ///
    /// ```
    /// use derisk::risk::exposure::{Csa, ValuePaths};
    /// let csa = Csa::new(0.0, 0.0, 0.0, 0)?.with_rounding(5.0)?;
    /// let v = ValuePaths::new(vec![12.0], 1, vec![0.0])?;
    /// assert_eq!(csa.collateralise(&v).values(), &[2.0]); // 10 held (12 rounded to 10)
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_rounding(mut self, rounding: f64) -> Result<Self, RiskError> {
        if !(rounding.is_finite() && rounding > 0.0) {
            return Err(RiskError::InvalidParameter {
                name: "rounding",
                value: rounding,
                reason: "must be finite and positive",
            });
        }
        self.rounding = Some(rounding);
        Ok(self)
    }

    /// Threshold H.
    ///
    /// ```
    /// # use derisk::risk::exposure::Csa;
    /// assert_eq!(Csa::new(3.0, 0.0, 0.0, 1)?.threshold(), 3.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Minimum transfer amount.
    ///
    /// ```
    /// # use derisk::risk::exposure::Csa;
    /// assert_eq!(Csa::new(0.0, 2.0, 0.0, 1)?.minimum_transfer(), 2.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn minimum_transfer(&self) -> f64 {
        self.minimum_transfer
    }

    /// Independent amount (held by us throughout).
    ///
    /// ```
    /// # use derisk::risk::exposure::Csa;
    /// assert_eq!(Csa::new(0.0, 0.0, 4.0, 1)?.independent_amount(), 4.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn independent_amount(&self) -> f64 {
        self.independent_amount
    }

    /// Margin period of risk in grid steps.
    ///
    /// ```
    /// # use derisk::risk::exposure::Csa;
    /// assert_eq!(Csa::new(0.0, 0.0, 0.0, 10)?.mpor_steps(), 10);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn mpor_steps(&self) -> usize {
        self.mpor_steps
    }

    /// Variation margin called on a value V: max(V − H, 0) + min(V + H, 0).
    fn target(&self, v: f64) -> f64 {
        (v - self.threshold).max(0.0) + (v + self.threshold).min(0.0)
    }

    fn round(&self, x: f64) -> f64 {
        match self.rounding {
            Some(r) => (x / r).round() * r,
            None => x,
        }
    }

    /// Collateral held C_k along one path of values (see [`Csa`]), into `out`
    /// (allocation-free). `values` and `out` have the same length.
    ///
    /// # Errors
    ///
    /// [`RiskError::LengthMismatch`] when the lengths differ.
    ///
    /// ```
    /// use derisk::risk::exposure::Csa;
    /// let csa = Csa::new(0.0, 0.0, 0.0, 1)?;    // one step of lag
    /// let mut c = [0.0; 3];
    /// csa.collateral_path(&[1.0, 4.0, 2.0], &mut c)?;
    /// assert_eq!(c, [1.0, 1.0, 4.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn collateral_path(&self, values: &[f64], out: &mut [f64]) -> Result<(), RiskError> {
        if values.len() != out.len() {
            return Err(RiskError::LengthMismatch {
                left_name: "values",
                left: values.len(),
                right_name: "collateral",
                right: out.len(),
            });
        }
        let mut held = 0.0;
        for (k, c) in out.iter_mut().enumerate() {
            let call = self.target(values[k.saturating_sub(self.mpor_steps)]) - held;
            if call != 0.0 && call.abs() >= self.minimum_transfer {
                held += self.round(call);
            }
            *c = held;
        }
        Ok(())
    }

    /// Collateralised values V_k − C_k − IA on every path (exposure is their positive part;
    /// feed the result to [`crate::risk::exposure::ExposureProfile::from_paths`]).
    ///
    /// ```
    /// use derisk::risk::exposure::{Csa, ValuePaths};
    /// let csa = Csa::new(0.0, 0.0, 1.0, 1)?;
    /// let v = ValuePaths::new(vec![1.0, 4.0, 2.0], 1, vec![0.0, 0.1, 0.2])?;
    /// assert_eq!(csa.collateralise(&v).values(), &[-1.0, 2.0, -3.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn collateralise(&self, values: &ValuePaths) -> ValuePaths {
        let k = values.dates();
        let mut out = vec![0.0; values.values().len()];
        for (p, row) in out.chunks_exact_mut(k).enumerate() {
            let v = values.path(p);
            // Lengths agree by construction.
            let _ = self.collateral_path(v, row);
            for (c, x) in row.iter_mut().zip(v) {
                *c = x - *c - self.independent_amount;
            }
        }
        ValuePaths::from_parts(out, values)
    }
}
