//! Acerbi and Székely's backtests of expected shortfall, Z1 and Z2, with p-values simulated
//! under the null from the caller's predictive laws.

use rand::Rng;

use crate::garch::{Innovation, Normal, StudentT};
use crate::risk::error::RiskError;
use crate::risk::measures::{normal_es, normal_var, student_t_es, student_t_var};
use crate::risk::stats::{check_confidence, check_series, finite, Neumaier};

/// The outcome of an Acerbi–Székely test.
///
/// ```text
/// p_value = #{i : Z^(i) < Z} / simulations_used   (small: the ES forecasts are too low)
/// ```
///
/// ```
/// use derisk::risk::PredictiveLaw;
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let law = PredictiveLaw::Normal { mean: 0.0, sd: 1.0 };
/// let out = law.z2(&[0.5, -3.0, 1.0, 0.2], 0.9, 200, &mut rng)?;
/// assert_eq!((out.exceptions, out.observations, out.simulations), (1, 4, 200));
/// assert!((0.0..=1.0).contains(&out.p_value));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EsTestOutcome {
    /// The statistic on the realised P&L (0 expected under the null, negative rejects).
    pub statistic: f64,
    /// Share of the simulated statistics strictly below it, in [0, 1].
    pub p_value: f64,
    /// Simulations requested.
    pub simulations: usize,
    /// Simulations that define the statistic (for Z1, those with at least one exception; all of
    /// them for Z2): the denominator of the p-value.
    pub simulations_used: usize,
    /// Exceptions in the realised P&L (−P&L_t > VaR_t, strictly).
    pub exceptions: usize,
    /// Days tested.
    pub observations: usize,
}

/// Validates the three series; returns nothing, errors name the series.
fn check_inputs(realised: &[f64], var: &[f64], es: &[f64]) -> Result<(), RiskError> {
    for (name, xs) in [("var", var), ("es", es)] {
        if xs.len() != realised.len() {
            return Err(RiskError::LengthMismatch {
                left_name: "realised",
                left: realised.len(),
                right_name: name,
                right: xs.len(),
            });
        }
    }
    check_series("realised", realised, 1)?;
    check_series("var", var, 1)?;
    check_series("es", es, 1)?;
    if let Some(&value) = es.iter().find(|&&e| e <= 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "es",
            value,
            reason: "an expected-shortfall forecast must be positive (a loss)",
        });
    }
    Ok(())
}

/// Σ_t I_t L_t / ES_t and N = Σ_t I_t over `pnl(t)`, L_t = −pnl_t, I_t = 1{L_t > VaR_t}.
fn tail_sum(
    n: usize,
    var: &[f64],
    es: &[f64],
    mut pnl: impl FnMut(usize) -> Result<f64, RiskError>,
) -> Result<(f64, usize), RiskError> {
    let (mut acc, mut hits) = (Neumaier::default(), 0);
    for t in 0..n {
        let loss = -pnl(t)?;
        if loss > var[t] {
            acc.add(loss / es[t]);
            hits += 1;
        }
    }
    // Losses near f64::MAX over a tiny ES overflow: reported, never a NaN statistic.
    Ok((finite("acerbi-szekely tail sum", acc.value())?, hits))
}

/// Z1 from the tail sum, `None` with no exception.
fn z1_of(sum: f64, hits: usize) -> Option<f64> {
    (hits > 0).then(|| 1.0 - sum / hits as f64)
}

/// Z2 from the tail sum (a = 1 − α); a sum over a tail probability near 0 can overflow.
fn z2_of(sum: f64, n: usize, a: f64) -> Result<f64, RiskError> {
    finite("acerbi-szekely z2", 1.0 - sum / (n as f64 * a))
}

/// Acerbi and Székely's Z1 statistic (ES conditional on VaR exceptions).
///
/// ```text
/// Z1 = 1 − (1/N) Σ_t I_t L_t / ES_t,   L_t = −P&L_t,  I_t = 1{L_t > VaR_t},  N = Σ_t I_t > 0
/// ```
///
/// VaR_t and ES_t are forecasts (losses, positive) at the same level; P&L is signed, gain
/// positive. This is the paper's Z1 = Σ X_t I_t / (N·ES_t) + 1 with X = P&L. E(Z1) = 0 under the
/// null; Z1 < 0 when the tail losses are larger than the ES forecasts. Reference: C. Acerbi and
/// B. Székely, "Backtesting expected shortfall", *Risk* (December 2014), eq. (5).
///
/// # Errors
///
/// [`RiskError::LengthMismatch`], [`RiskError::TooShort`] (empty), [`RiskError::NonFinite`],
/// [`RiskError::InvalidParameter`] for an ES forecast ≤ 0; [`RiskError::Undefined`] with no
/// exception (N = 0); [`RiskError::Overflow`] when Σ L_t/ES_t overflows.
///
/// ```
/// // two exceptions, losses 3 and 2 against ES 2: Z1 = 1 − (1.5 + 1)/2
/// let z = derisk::risk::acerbi_szekely_z1_statistic(&[-3.0, 1.0, -2.0], &[1.0; 3], &[2.0; 3])?;
/// assert!((z + 0.25).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn acerbi_szekely_z1_statistic(
    realised: &[f64],
    var: &[f64],
    es: &[f64],
) -> Result<f64, RiskError> {
    check_inputs(realised, var, es)?;
    let (sum, hits) = tail_sum(realised.len(), var, es, |t| Ok(realised[t]))?;
    z1_of(sum, hits).ok_or(RiskError::Undefined {
        statistic: "acerbi-szekely z1",
        reason: "no var exception in the sample",
    })
}

/// Acerbi and Székely's Z2 statistic (ES unconditionally, over all days).
///
/// ```text
/// Z2 = 1 − Σ_t I_t L_t / (n · a · ES_t),   a = 1 − α,  L_t = −P&L_t,  I_t = 1{L_t > VaR_t}
/// ```
///
/// Defined with no exception (Z2 = 1). Reference: Acerbi and Székely (2014), eq. (6).
///
/// # Errors
///
/// As [`acerbi_szekely_z1_statistic`] except the no-exception case, and
/// [`RiskError::InvalidConfidence`]; [`RiskError::Overflow`] when the sum over T·a overflows.
///
/// ```
/// // n = 4, a = 0.25, one loss of 3 against ES 2: Z2 = 1 − 1.5/1
/// let z = derisk::risk::acerbi_szekely_z2_statistic(&[-3.0, 1.0, 0.0, 0.5], &[1.0; 4], &[2.0; 4], 0.75)?;
/// assert!((z + 0.5).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn acerbi_szekely_z2_statistic(
    realised: &[f64],
    var: &[f64],
    es: &[f64],
    confidence: f64,
) -> Result<f64, RiskError> {
    let a = 1.0 - check_confidence(confidence)?;
    check_inputs(realised, var, es)?;
    let (sum, _) = tail_sum(realised.len(), var, es, |t| Ok(realised[t]))?;
    z2_of(sum, realised.len(), a)
}

/// One draw of day t's predictive P&L from the caller's sampler, checked finite.
fn draw<R: Rng + ?Sized, F: FnMut(usize, &mut R) -> f64>(
    sampler: &mut F,
    t: usize,
    rng: &mut R,
) -> Result<f64, RiskError> {
    let x = sampler(t, rng);
    if x.is_finite() {
        Ok(x)
    } else {
        Err(RiskError::NonFinite {
            name: "simulated pnl",
            index: t,
            value: x,
        })
    }
}

fn check_simulations(simulations: usize) -> Result<(), RiskError> {
    if simulations == 0 {
        return Err(RiskError::InvalidParameter {
            name: "simulations",
            value: 0.0,
            reason: "a simulated p-value needs at least one simulation",
        });
    }
    Ok(())
}

/// Z1 with its p-value simulated under the null.
///
/// ```text
/// X^(i)_t ~ P_t (i = 1 … M, independent across t),   Z1^(i) = Z1 of X^(i) with the same VaR_t, ES_t
/// p = #{i : Z1^(i) < Z1} / M₁,   M₁ = #{i : N^(i) > 0}
/// ```
///
/// `sampler(t, rng)` draws day t's predictive P&L (gain positive) from the caller's generator;
/// draws are made day by day within a simulation, simulations in turn, so a seeded generator
/// gives the same p-value bit for bit. Simulated paths with no exception do not define Z1 and
/// are left out of the denominator (`simulations_used`), as the statistic is conditional on
/// N > 0. Reference: Acerbi and Székely (2014), "Test 1" and the simulation algorithm of their
/// §"Testing".
///
/// # Errors
///
/// As [`acerbi_szekely_z1_statistic`]; [`RiskError::InvalidParameter`] for 0 simulations;
/// [`RiskError::NonFinite`] if the sampler returns NaN or ±∞; [`RiskError::Undefined`] if no
/// simulated path has an exception.
///
/// ```
/// use derisk::risk::acerbi_szekely_z1;
/// use derisk::garch::{Innovation, Normal};
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
/// let (var, es) = ([1.2815515655446004; 3], [1.7549833193249788; 3]); // N(0,1) at 90 %
/// let out = acerbi_szekely_z1(&[-2.0, 0.3, 1.0], &var, &es, 500, |_, r| Normal.sample(r), &mut rng)?;
/// assert_eq!(out.simulations, 500);
/// assert!(out.simulations_used < 500); // paths with no exception do not count
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn acerbi_szekely_z1<R, F>(
    realised: &[f64],
    var: &[f64],
    es: &[f64],
    simulations: usize,
    mut sampler: F,
    rng: &mut R,
) -> Result<EsTestOutcome, RiskError>
where
    R: Rng + ?Sized,
    F: FnMut(usize, &mut R) -> f64,
{
    check_simulations(simulations)?;
    let statistic = acerbi_szekely_z1_statistic(realised, var, es)?;
    let n = realised.len();
    let (mut below, mut used) = (0usize, 0usize);
    for _ in 0..simulations {
        let (sum, hits) = tail_sum(n, var, es, |t| draw(&mut sampler, t, rng))?;
        if let Some(z) = z1_of(sum, hits) {
            used += 1;
            below += usize::from(z < statistic);
        }
    }
    if used == 0 {
        return Err(RiskError::Undefined {
            statistic: "acerbi-szekely z1 p-value",
            reason: "no simulated path has a var exception",
        });
    }
    Ok(EsTestOutcome {
        statistic,
        p_value: below as f64 / used as f64,
        simulations,
        simulations_used: used,
        exceptions: count_exceptions(realised, var),
        observations: n,
    })
}

fn count_exceptions(realised: &[f64], var: &[f64]) -> usize {
    realised.iter().zip(var).filter(|(y, v)| -**y > **v).count()
}

/// Z2 with its p-value simulated under the null.
///
/// ```text
/// X^(i)_t ~ P_t (i = 1 … M),   Z2^(i) = Z2 of X^(i) with the same VaR_t, ES_t
/// p = #{i : Z2^(i) < Z2} / M
/// ```
///
/// As [`acerbi_szekely_z1`] for the sampler and the generator. Reference: Acerbi and Székely
/// (2014), "Test 2".
///
/// # Errors
///
/// As [`acerbi_szekely_z2_statistic`]; [`RiskError::InvalidParameter`] for 0 simulations;
/// [`RiskError::NonFinite`] if the sampler returns NaN or ±∞.
///
/// ```
/// use derisk::risk::acerbi_szekely_z2;
/// use derisk::garch::{Innovation, Normal};
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
/// let (var, es) = ([1.2815515655446004; 3], [1.7549833193249788; 3]); // N(0,1) at 90 %
/// // three large losses: Z2 far below anything the null produces
/// let out = acerbi_szekely_z2(&[-4.0, -4.0, -4.0], &var, &es, 0.9, 500, |_, r| Normal.sample(r), &mut rng)?;
/// assert_eq!(out.p_value, 0.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn acerbi_szekely_z2<R, F>(
    realised: &[f64],
    var: &[f64],
    es: &[f64],
    confidence: f64,
    simulations: usize,
    mut sampler: F,
    rng: &mut R,
) -> Result<EsTestOutcome, RiskError>
where
    R: Rng + ?Sized,
    F: FnMut(usize, &mut R) -> f64,
{
    check_simulations(simulations)?;
    let statistic = acerbi_szekely_z2_statistic(realised, var, es, confidence)?;
    let a = 1.0 - confidence;
    let n = realised.len();
    let mut below = 0usize;
    for _ in 0..simulations {
        let (sum, _) = tail_sum(n, var, es, |t| draw(&mut sampler, t, rng))?;
        below += usize::from(z2_of(sum, n, a)? < statistic);
    }
    Ok(EsTestOutcome {
        statistic,
        p_value: below as f64 / simulations as f64,
        simulations,
        simulations_used: simulations,
        exceptions: count_exceptions(realised, var),
        observations: n,
    })
}

/// An i.i.d. predictive law of the daily P&L, for Acerbi–Székely tests of a model whose
/// forecast is the same every day.
///
/// ```text
/// Normal:    P&L = mean + sd·Z,  Z ~ N(0, 1)
/// StudentT:  P&L = mean + sd·Z,  Z = t_ν·√((ν−2)/ν)  (unit variance, ν > 2)
/// ```
///
/// VaR and ES are [`normal_var`]/[`normal_es`] and [`student_t_var`]/[`student_t_es`]; draws
/// are [`Innovation::sample`] of [`Normal`] and [`StudentT`] (inversion, one `u64` per draw).
///
/// ```
/// use derisk::risk::PredictiveLaw;
/// let law = PredictiveLaw::Normal { mean: 0.0, sd: 1.0 };
/// assert!((law.var(0.975)? - 1.959_963_984_540_054).abs() < 1e-14);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PredictiveLaw {
    /// Normal with mean and standard deviation.
    Normal {
        /// Mean P&L.
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
    },
    /// Student-t with ν degrees of freedom, scaled to the standard deviation.
    StudentT {
        /// Mean P&L.
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
        /// Degrees of freedom (> 2).
        nu: f64,
    },
}

impl PredictiveLaw {
    /// The VaR of the law at `confidence` (a loss, positive when the quantile is a loss).
    ///
    /// # Errors
    ///
    /// As [`normal_var`] and [`student_t_var`].
    ///
    /// ```
    /// use derisk::risk::PredictiveLaw;
    /// let law = PredictiveLaw::StudentT { mean: 0.0, sd: 2f64.sqrt(), nu: 4.0 };
    /// assert!((law.var(0.99)? - 3.746_947_387_979_196_8).abs() < 1e-13); // t₄⁻¹(0.99), mpmath
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn var(&self, confidence: f64) -> Result<f64, RiskError> {
        match *self {
            Self::Normal { mean, sd } => normal_var(mean, sd, confidence),
            Self::StudentT { mean, sd, nu } => student_t_var(mean, sd, nu, confidence),
        }
    }

    /// The ES of the law at `confidence` (a loss).
    ///
    /// # Errors
    ///
    /// As [`normal_es`] and [`student_t_es`].
    ///
    /// ```
    /// use derisk::risk::PredictiveLaw;
    /// let law = PredictiveLaw::Normal { mean: 0.0, sd: 1.0 };
    /// assert!((law.es(0.975)? - 2.337_802_792_201_414).abs() < 1e-13); // φ(z)/0.025, mpmath
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn es(&self, confidence: f64) -> Result<f64, RiskError> {
        match *self {
            Self::Normal { mean, sd } => normal_es(mean, sd, confidence),
            Self::StudentT { mean, sd, nu } => student_t_es(mean, sd, nu, confidence),
        }
    }

    /// The law's VaR and ES at `confidence` (validating it) and its standardised t, if any.
    fn validated(&self, confidence: f64) -> Result<(f64, f64, Option<StudentT>), RiskError> {
        let (var, es) = (self.var(confidence)?, self.es(confidence)?);
        let t = match *self {
            Self::Normal { .. } => None,
            Self::StudentT { nu, .. } => {
                Some(StudentT::new(nu).map_err(|_| RiskError::InvalidParameter {
                    name: "nu",
                    value: nu,
                    reason: "degrees of freedom must exceed 2",
                })?)
            }
        };
        Ok((var, es, t))
    }

    /// One draw of the law's P&L.
    fn draw<R: Rng + ?Sized>(&self, t: Option<&StudentT>, rng: &mut R) -> f64 {
        let (mean, sd) = match *self {
            Self::Normal { mean, sd } | Self::StudentT { mean, sd, .. } => (mean, sd),
        };
        let z = match t {
            Some(t) => t.sample(rng),
            None => Normal.sample(rng),
        };
        mean + sd * z
    }

    /// [`acerbi_szekely_z1`] of realised P&L against this law's VaR and ES every day, simulated
    /// from the law.
    ///
    /// # Errors
    ///
    /// As [`acerbi_szekely_z1`] and [`PredictiveLaw::var`]; [`RiskError::InvalidParameter`]
    /// if the law's ES is not positive.
    ///
    /// ```
    /// use derisk::risk::PredictiveLaw;
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
    /// let law = PredictiveLaw::Normal { mean: 0.0, sd: 1.0 };
    /// let out = law.z1(&[-2.0, 0.1, -0.5, 1.2], 0.9, 300, &mut rng)?;
    /// assert_eq!(out.exceptions, 1);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn z1<R: Rng + ?Sized>(
        &self,
        realised: &[f64],
        confidence: f64,
        simulations: usize,
        rng: &mut R,
    ) -> Result<EsTestOutcome, RiskError> {
        let (var, es, t) = self.validated(confidence)?;
        let (var, es) = (vec![var; realised.len()], vec![es; realised.len()]);
        let draw = |_: usize, r: &mut R| self.draw(t.as_ref(), r);
        acerbi_szekely_z1(realised, &var, &es, simulations, draw, rng)
    }

    /// [`acerbi_szekely_z2`] of realised P&L against this law's VaR and ES every day, simulated
    /// from the law.
    ///
    /// # Errors
    ///
    /// As [`acerbi_szekely_z2`] and [`PredictiveLaw::var`].
    ///
    /// ```
    /// use derisk::risk::PredictiveLaw;
    /// use rand::SeedableRng;
    /// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
    /// let law = PredictiveLaw::StudentT { mean: 0.0, sd: 1.0, nu: 5.0 };
    /// let out = law.z2(&[0.3; 20], 0.95, 100, &mut rng)?;
    /// assert_eq!(out.statistic, 1.0); // no exception: Z2 = 1
    /// // only paths with an exception fall below: P = 1 − 0.95²⁰ ≈ 0.64
    /// assert!(out.p_value > 0.5 && out.p_value < 0.8);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn z2<R: Rng + ?Sized>(
        &self,
        realised: &[f64],
        confidence: f64,
        simulations: usize,
        rng: &mut R,
    ) -> Result<EsTestOutcome, RiskError> {
        let (var, es, t) = self.validated(confidence)?;
        let (var, es) = (vec![var; realised.len()], vec![es; realised.len()]);
        let draw = |_: usize, r: &mut R| self.draw(t.as_ref(), r);
        acerbi_szekely_z2(realised, &var, &es, confidence, simulations, draw, rng)
    }
}
