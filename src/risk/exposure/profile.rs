//! Exposure profiles of simulated netting-set values: EE, ENE, PFE, EPE, effective EE and
//! effective EPE, with the Monte Carlo standard error of EE.

use super::paths::ValuePaths;
use crate::risk::error::RiskError;
use crate::risk::measures::{historical_var, QuantileMethod};
use crate::risk::stats::{check_confidence, Neumaier};

/// The exposure profile of a netting set: per date, the expected (positive) exposure, the
/// expected negative exposure, the standard error of EE, and the potential future exposure at
/// each requested confidence.
///
/// ```text
/// E_p(t_k)   = max(V_p(t_k), 0)                                  exposure (≥ 0, currency units)
/// EE(t_k)    = (1/N) Σ_p E_p(t_k)                                expected exposure
/// SE(t_k)    = s_k / √N,  s_k the sample std (n − 1) of E_p(t_k) Monte Carlo standard error of EE
/// ENE(t_k)   = (1/N) Σ_p min(V_p(t_k), 0)                        expected negative exposure (≤ 0)
/// PFE_q(t_k) = Q_q({E_p(t_k)}_p)                                 type-7 (linear) sample quantile
/// ```
///
/// PFE reuses the historical VaR quantile ([`crate::risk::historical_var`],
/// [`QuantileMethod::Linear`]) on the exposures. References: Basel Framework CRE50.27 (peak
/// exposure, a high percentile of the exposure distribution) and CRE50.28 (expected exposure);
/// J. Gregory, *The xVA Challenge*, 4th ed. (Wiley, 2020), §11.1 (exposure metrics).
///
/// ```
/// use derisk::risk::exposure::{ExposureProfile, ValuePaths};
/// // two paths, one date: values 3 and −1 → exposures 3 and 0
/// let v = ValuePaths::new(vec![3.0, -1.0], 2, vec![1.0])?;
/// let p = ExposureProfile::from_paths(&v, &[0.5])?;
/// assert_eq!(p.ee(), &[1.5]);
/// assert_eq!(p.ene(), &[-0.5]);
/// assert_eq!(p.pfe(0.5).unwrap(), &[1.5]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureProfile {
    times: Vec<f64>,
    ee: Vec<f64>,
    ene: Vec<f64>,
    ee_std_error: Vec<f64>,
    levels: Vec<f64>,
    pfe: Vec<Vec<f64>>,
}

impl ExposureProfile {
    /// The profile of simulated values, with PFE at each confidence of `pfe_levels` (for
    /// example `[0.95, 0.975, 0.99]`; may be empty).
    ///
    /// One pass over the paths accumulates EE, ENE and the second moment (compensated sums);
    /// each PFE gathers one date's exposures into a buffer and selects the quantile (O(N) per
    /// date and level).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidConfidence`] for a level outside (0, 1).
    ///
    /// ```
    /// use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let v = ValuePaths::new(vec![1.0, 2.0, 3.0, 4.0], 4, vec![0.5])?;
    /// let p = ExposureProfile::from_paths(&v, &[0.99])?;
    /// assert!((p.pfe(0.99).unwrap()[0] - 3.97).abs() < 1e-12); // h = 3·0.99
    /// assert!(ExposureProfile::from_paths(&v, &[1.0]).is_err());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn from_paths(values: &ValuePaths, pfe_levels: &[f64]) -> Result<Self, RiskError> {
        for &q in pfe_levels {
            check_confidence(q)?;
        }
        let k = values.dates();
        let n = values.paths();
        let mut pos = vec![Neumaier::default(); k];
        let mut neg = vec![Neumaier::default(); k];
        for p in 0..n {
            for ((v, a), b) in values.path(p).iter().zip(&mut pos).zip(&mut neg) {
                a.add(v.max(0.0));
                b.add(v.min(0.0));
            }
        }
        let nf = n as f64;
        let ee: Vec<f64> = pos.into_iter().map(|a| a.value() / nf).collect();
        let ene: Vec<f64> = neg.into_iter().map(|a| a.value() / nf).collect();
        // Second pass for the variance about the mean (stable for any level of EE).
        let mut sq = vec![Neumaier::default(); k];
        for p in 0..n {
            for ((v, m), a) in values.path(p).iter().zip(&ee).zip(&mut sq) {
                let d = v.max(0.0) - m;
                a.add(d * d);
            }
        }
        let ee_std_error = sq
            .into_iter()
            .map(|a| {
                if n > 1 {
                    (a.value() / (nf - 1.0) / nf).sqrt()
                } else {
                    0.0
                }
            })
            .collect();
        let mut column = vec![0.0; n];
        let mut scratch = Vec::with_capacity(n);
        let mut pfe = vec![vec![0.0; k]; pfe_levels.len()];
        for date in 0..k {
            // historical_var takes a P&L (losses = −P&L): pass −E so that the "loss" is E.
            for (p, c) in column.iter_mut().enumerate() {
                *c = -values.value(p, date).max(0.0);
            }
            for (row, &q) in pfe.iter_mut().zip(pfe_levels) {
                row[date] = historical_var(&column, q, QuantileMethod::Linear, &mut scratch)?;
            }
        }
        Ok(Self {
            times: values.times().to_vec(),
            ee,
            ene,
            ee_std_error,
            levels: pfe_levels.to_vec(),
            pfe,
        })
    }

    /// The time grid in years.
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let p = ExposureProfile::from_paths(&ValuePaths::new(vec![1.0], 1, vec![0.5])?, &[])?;
    /// assert_eq!(p.times(), &[0.5]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// EE(t_k) = E[max(V(t_k), 0)] per date (currency units, ≥ 0).
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let p = ExposureProfile::from_paths(&ValuePaths::new(vec![2.0, -2.0], 2, vec![1.0])?, &[])?;
    /// assert_eq!(p.ee(), &[1.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn ee(&self) -> &[f64] {
        &self.ee
    }

    /// ENE(t_k) = E[min(V(t_k), 0)] per date (currency units, ≤ 0: what the counterparty is
    /// exposed to on us, with our sign).
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let p = ExposureProfile::from_paths(&ValuePaths::new(vec![2.0, -4.0], 2, vec![1.0])?, &[])?;
    /// assert_eq!(p.ene(), &[-2.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn ene(&self) -> &[f64] {
        &self.ene
    }

    /// Monte Carlo standard error of EE(t_k): sample std (divisor N − 1) of the exposures over
    /// √N (0 with a single path).
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let p = ExposureProfile::from_paths(&ValuePaths::new(vec![2.0, 0.0], 2, vec![1.0])?, &[])?;
    /// assert!((p.ee_std_error()[0] - 1.0).abs() < 1e-15); // s = √2, √2/√2
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn ee_std_error(&self) -> &[f64] {
        &self.ee_std_error
    }

    /// PFE at confidence `level` per date, if `level` was requested in
    /// [`ExposureProfile::from_paths`] (exact match), else `None`.
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let p = ExposureProfile::from_paths(&ValuePaths::new(vec![2.0, 0.0], 2, vec![1.0])?, &[0.95])?;
    /// assert!((p.pfe(0.95).unwrap()[0] - 1.9).abs() < 1e-15);
    /// assert!(p.pfe(0.99).is_none());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn pfe(&self, level: f64) -> Option<&[f64]> {
        self.levels
            .iter()
            .position(|&q| q == level)
            .map(|i| self.pfe[i].as_slice())
    }

    /// Effective EE: the running maximum of EE (non-decreasing), Basel's conservative treatment
    /// of roll-off.
    ///
    /// ```text
    /// EffEE(t_0) = EE(t_0),  EffEE(t_k) = max(EffEE(t_{k−1}), EE(t_k))
    /// ```
    ///
    /// Reference: Basel Framework CRE50.29 (effective expected exposure), first set out in BCBS,
    /// *The Application of Basel II to Trading Activities and the Treatment of Double Default
    /// Effects* (July 2005), Annex 4 definitions.
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let v = ValuePaths::new(vec![1.0, 3.0, 2.0], 1, vec![0.25, 0.5, 0.75])?;
    /// let p = ExposureProfile::from_paths(&v, &[])?;
    /// assert_eq!(p.effective_ee(), vec![1.0, 3.0, 3.0]);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn effective_ee(&self) -> Vec<f64> {
        let mut run = f64::NEG_INFINITY;
        self.ee
            .iter()
            .map(|&e| {
                run = run.max(e);
                run
            })
            .collect()
    }

    /// EPE over the whole grid (the lifetime EPE of xVA): the time average of EE, each EE
    /// weighted by the step that ends at its date (right-endpoint rule). For the capital
    /// definition over the first year see [`ExposureProfile::epe_first_year`].
    ///
    /// ```text
    /// EPE = Σ_k EE(t_k) · (t_k − t_{k−1}) / t_{K−1},   t_{−1} = 0
    /// ```
    ///
    /// Reference: Gregory (2020), §11.1 (EPE as the average of EE over time).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidTime`] when the grid ends at t = 0 (no time to average over).
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let v = ValuePaths::new(vec![1.0, 3.0], 1, vec![0.5, 1.0])?;
    /// assert_eq!(ExposureProfile::from_paths(&v, &[])?.epe()?, 2.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn epe(&self) -> Result<f64, RiskError> {
        let last = *self.times.last().unwrap_or(&0.0);
        self.time_average(&self.ee, last)
    }

    /// EPE as Basel defines it for capital: the time average of EE over the first year, or
    /// over the grid if it ends before one year.
    ///
    /// ```text
    /// H = min(1, t_{K−1});  EPE_1y = Σ_k EE(t_k) · (min(t_k, H) − min(t_{k−1}, H)) / H
    /// ```
    ///
    /// Reference: Basel Framework CRE50.30 (expected positive exposure).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidTime`] when the grid ends at t = 0.
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// let v = ValuePaths::new(vec![4.0, 2.0, 9.0], 1, vec![0.5, 1.0, 2.0])?;
    /// assert_eq!(ExposureProfile::from_paths(&v, &[])?.epe_first_year()?, 3.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn epe_first_year(&self) -> Result<f64, RiskError> {
        let last = *self.times.last().unwrap_or(&0.0);
        self.time_average(&self.ee, last.min(1.0))
    }

    /// Effective EPE: the time average of effective EE over the first year (or up to the last
    /// date if the grid is shorter).
    ///
    /// ```text
    /// H = min(1, t_{K−1});  EffEPE = Σ_k EffEE(t_k) · (min(t_k, H) − min(t_{k−1}, H)) / H
    /// ```
    ///
    /// Reference: Basel Framework CRE50.31 (effective EPE over the first year), used by the
    /// internal models method as EAD = α · effective EPE, α = 1.4 (CRE53).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidTime`] when the grid ends at t = 0.
    ///
    /// ```
    /// # use derisk::risk::exposure::{ExposureProfile, ValuePaths};
    /// // EE 1, 3, 2 at 0.5, 1, 2 years: effective EE 1, 3, 3; first year only
    /// let v = ValuePaths::new(vec![1.0, 3.0, 2.0], 1, vec![0.5, 1.0, 2.0])?;
    /// assert_eq!(ExposureProfile::from_paths(&v, &[])?.effective_epe()?, 2.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn effective_epe(&self) -> Result<f64, RiskError> {
        let last = *self.times.last().unwrap_or(&0.0);
        self.time_average(&self.effective_ee(), last.min(1.0))
    }

    fn time_average(&self, ee: &[f64], horizon: f64) -> Result<f64, RiskError> {
        if horizon <= 0.0 {
            return Err(RiskError::InvalidTime {
                name: "averaging horizon",
                index: 0,
                value: horizon,
                reason: "the grid must extend beyond t = 0 to average over time",
            });
        }
        let mut acc = Neumaier::default();
        let mut prev = 0.0;
        for (&t, &e) in self.times.iter().zip(ee) {
            let t = t.min(horizon);
            acc.add(e * (t - prev));
            prev = t;
        }
        Ok(acc.value() / horizon)
    }
}
