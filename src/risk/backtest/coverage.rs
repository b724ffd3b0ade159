//! Coverage backtests of VaR forecasts: exceptions, Kupiec's proportion of failures and time
//! until first failure, Christoffersen's independence and conditional coverage. The maths is in
//! docs/risk.md.

use crate::math::erfc;
use crate::risk::error::RiskError;
use crate::risk::stats::{check_confidence, check_series};
use crate::risk::traits::{Backtest, TestOutcome};

/// The exception (hit) sequence: day t is an exception when the loss exceeds the forecast.
///
/// ```text
/// I_t = 1  if  −realised_t > forecast_t   (strictly), else 0
/// ```
///
/// `forecasts` are VaR forecasts (losses, positive), `realised` the P&L (gain positive).
/// Reference: Christoffersen (1998), §2.
///
/// # Errors
///
/// [`RiskError::LengthMismatch`], [`RiskError::TooShort`] for empty inputs,
/// [`RiskError::NonFinite`] for NaN or ±∞ in either.
///
/// ```
/// let hits = derisk::risk::exceptions(&[1.0, 1.0, 1.0], &[-2.0, -1.0, 5.0])?;
/// assert_eq!(hits, vec![true, false, false]); // a loss equal to VaR is not an exception
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn exceptions(forecasts: &[f64], realised: &[f64]) -> Result<Vec<bool>, RiskError> {
    if forecasts.len() != realised.len() {
        return Err(RiskError::LengthMismatch {
            left_name: "forecasts",
            left: forecasts.len(),
            right_name: "realised",
            right: realised.len(),
        });
    }
    check_series("forecasts", forecasts, 1)?;
    check_series("realised", realised, 1)?;
    Ok(forecasts
        .iter()
        .zip(realised)
        .map(|(v, p)| -p > *v)
        .collect())
}

/// φ(d) = (1 + d) ln(1 + d) − d ≥ 0 for d ≥ −1 (φ(−1) = 1), by its series below |d| = 1/4
/// (no cancellation near d = 0).
fn phi(d: f64) -> f64 {
    if d.abs() < 0.25 {
        // Σ_{k≥2} (−d)^k / (k(k−1))
        let (mut term, mut total, mut k) = (d * d, 0.0, 2.0);
        while k < 80.0 {
            let t = term / (k * (k - 1.0));
            total += t;
            if t.abs() <= 1e-17 * total.abs() {
                break;
            }
            term *= -d;
            k += 1.0;
        }
        total
    } else if d <= -1.0 {
        1.0
    } else {
        (1.0 + d) * d.ln_1p() - d
    }
}

/// O ln(O/E) − O + E = E φ((O − E)/E) ≥ 0, with `excess` = O − E given accurately; 0 for E = 0.
/// Summed over cells with ΣO = ΣE it is the log-likelihood ratio Σ O ln(O/E) without the
/// cancellation of two large log-likelihoods.
fn g_term(excess: f64, expected: f64) -> f64 {
    if expected > 0.0 {
        expected * phi(excess / expected)
    } else {
        0.0
    }
}

pub(super) fn chi2_sf(statistic: f64, dof: u32) -> f64 {
    match dof {
        // P(χ²₁ ≥ x) = erfc(√(x/2)); P(χ²₂ ≥ x) = e^{−x/2}: exact, full relative precision.
        1 => erfc((0.5 * statistic).sqrt()),
        _ => (-0.5 * statistic).exp(),
    }
}

pub(super) fn check_count(observations: usize, exceptions: usize) -> Result<(), RiskError> {
    if observations == 0 {
        return Err(RiskError::TooShort {
            name: "observations",
            len: 0,
            min: 1,
        });
    }
    if exceptions > observations {
        return Err(RiskError::InvalidParameter {
            name: "exceptions",
            value: exceptions as f64,
            reason: "more exceptions than observations",
        });
    }
    Ok(())
}

pub(super) fn lr_pof(n: usize, x: usize, p: f64) -> f64 {
    let (nf, xf) = (n as f64, x as f64);
    // E = n·p exactly as a double-double (n·p + err), so O − E keeps full precision.
    let np = nf * p;
    let err = nf.mul_add(p, -np);
    let excess = (xf - np) - err; // x − n·p
    let stat = 2.0 * (g_term(excess, np) + g_term(-excess, nf - np - err));
    stat.max(0.0)
}

/// Kupiec's proportion-of-failures test: x exceptions in n days against the expected rate
/// p = 1 − α.
///
/// ```text
/// LR_pof = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x]  ~ χ²(1),   0·ln 0 = 0
/// p-value = P(χ²₁ ≥ LR_pof) = erfc(√(LR_pof/2))
/// ```
///
/// Defined for every x in 0 … n (x = 0 gives LR = −2n ln(1−p); x = n gives −2n ln p).
/// Reference: P. H. Kupiec, "Techniques for verifying the accuracy of risk measurement models",
/// *Journal of Derivatives* 3 (1995).
///
/// # Errors
///
/// [`RiskError::TooShort`] for n = 0, [`RiskError::InvalidParameter`] for x > n,
/// [`RiskError::InvalidConfidence`] for α outside (0, 1).
///
/// ```
/// let out = derisk::risk::kupiec_pof(250, 5, 0.99)?;
/// assert!((out.statistic - 1.956_809_788_230_625).abs() < 1e-12); // mpmath, 50 digits
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn kupiec_pof(
    observations: usize,
    exceptions: usize,
    confidence: f64,
) -> Result<TestOutcome, RiskError> {
    let alpha = check_confidence(confidence)?;
    check_count(observations, exceptions)?;
    let statistic = lr_pof(observations, exceptions, 1.0 - alpha);
    Ok(TestOutcome {
        statistic,
        p_value: chi2_sf(statistic, 1),
        degrees_of_freedom: 1,
        exceptions,
        observations,
    })
}

/// Kupiec's time until first failure: v, the day (counted from 1) of the first exception of a
/// hit sequence, against the geometric law of v under the expected rate p = 1 − α.
///
/// ```text
/// LR_tuff = −2 ln[p (1−p)^{v−1}] + 2 ln[(1/v) (1 − 1/v)^{v−1}]  ~ χ²(1),   0⁰ = 1
/// p-value = P(χ²₁ ≥ LR_tuff) = erfc(√(LR_tuff/2))
/// ```
///
/// The statistic equals Kupiec's proportion of failures for one exception in v days, and is
/// evaluated in the same cancellation-free form. Only the days up to the first exception enter
/// it: `exceptions` and `observations` of the outcome are 1 and v. Undefined when no day is an
/// exception (no first failure: [`RiskError::Undefined`], never a made-up v = n + 1).
/// Reference: Kupiec (1995), §III ("time until first failure"); P. Jorion, *Value at Risk*,
/// 3rd ed. (2007), §6.2.1.
///
/// # Errors
///
/// [`RiskError::TooShort`] for an empty sequence, [`RiskError::Undefined`] with no exception,
/// [`RiskError::InvalidConfidence`] for α outside (0, 1).
///
/// ```
/// use derisk::risk::kupiec_tuff;
/// let mut hits = [false; 30];
/// hits[9] = true; // first failure on day 10 at 99 %: sooner than the expected 100 days
/// let out = kupiec_tuff(&hits, 0.99)?;
/// assert_eq!((out.exceptions, out.observations), (1, 10));
/// assert!((out.statistic - 2.889_586_949_510_242_3).abs() < 1e-12); // mpmath, 50 digits
/// assert!(kupiec_tuff(&[false; 30], 0.99).is_err());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn kupiec_tuff(hits: &[bool], confidence: f64) -> Result<TestOutcome, RiskError> {
    let alpha = check_confidence(confidence)?;
    if hits.is_empty() {
        return Err(RiskError::TooShort {
            name: "hits",
            len: 0,
            min: 1,
        });
    }
    let Some(first) = hits.iter().position(|&h| h) else {
        return Err(RiskError::Undefined {
            statistic: "kupiec time until first failure",
            reason: "no exception in the sample (no first failure)",
        });
    };
    let v = first + 1;
    let statistic = lr_pof(v, 1, 1.0 - alpha);
    Ok(TestOutcome {
        statistic,
        p_value: chi2_sf(statistic, 1),
        degrees_of_freedom: 1,
        exceptions: 1,
        observations: v,
    })
}

/// Transition counts n_ij = #{t ≥ 1 : I_{t−1} = i, I_t = j} of a hit sequence.
fn transitions(hits: &[bool]) -> [f64; 4] {
    let mut n = [0.0; 4];
    for w in hits.windows(2) {
        n[usize::from(w[0]) * 2 + usize::from(w[1])] += 1.0;
    }
    n
}

fn lr_ind(hits: &[bool]) -> Result<f64, RiskError> {
    if hits.len() < 2 {
        return Err(RiskError::TooShort {
            name: "hits",
            len: hits.len(),
            min: 2,
        });
    }
    let [n00, n01, n10, n11] = transitions(hits);
    if n10 + n11 == 0.0 {
        return Err(RiskError::Undefined {
            statistic: "christoffersen independence",
            reason: "no transition out of an exception day (no exception before the last day)",
        });
    }
    if n00 + n01 == 0.0 {
        return Err(RiskError::Undefined {
            statistic: "christoffersen independence",
            reason: "no transition out of a non-exception day",
        });
    }
    // Σ O ln(O/E) over the 2×2 table, E_ij = row_i·col_j/T; O·T − row·col is exact in i128.
    let c = [n00, n01, n10, n11].map(|v| v as i128);
    let t = c.iter().sum::<i128>();
    let rows = [c[0] + c[1], c[2] + c[3]];
    let cols = [c[0] + c[2], c[1] + c[3]];
    let mut stat = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            let rc = rows[i] * cols[j];
            let expected = rc as f64 / t as f64;
            let excess = (c[2 * i + j] * t - rc) as f64 / t as f64;
            stat += g_term(excess, expected);
        }
    }
    Ok((2.0 * stat).max(0.0))
}

/// Christoffersen's independence test of a hit sequence (first-order Markov alternative).
///
/// ```text
/// π01 = n01/(n00+n01),  π11 = n11/(n10+n11),  π = (n01+n11)/(n−1)
/// LR_ind = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π01)^{n00} π01^{n01} (1−π11)^{n10} π11^{n11}] ~ χ²(1)
/// ```
///
/// 0·ln 0 = 0, so n11 = 0 is fine. Undefined (typed error) when no day before the last is an
/// exception (n10 + n11 = 0) or every day before the last is (n00 + n01 = 0).
/// Reference: Christoffersen (1998), eq. (6).
///
/// # Errors
///
/// [`RiskError::TooShort`] for fewer than 2 days, [`RiskError::Undefined`] as above.
///
/// ```
/// use derisk::risk::christoffersen_independence;
/// let hits = [false, true, false, false, true, false, false, false];
/// let out = christoffersen_independence(&hits)?;
/// assert_eq!(out.degrees_of_freedom, 1);
/// assert!((out.statistic - 1.645_657_570_101_036_9).abs() < 1e-12); // mpmath, 50 digits
/// assert!(christoffersen_independence(&[false; 8]).is_err());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn christoffersen_independence(hits: &[bool]) -> Result<TestOutcome, RiskError> {
    let statistic = lr_ind(hits)?;
    Ok(TestOutcome {
        statistic,
        p_value: chi2_sf(statistic, 1),
        degrees_of_freedom: 1,
        exceptions: hits.iter().filter(|&&h| h).count(),
        observations: hits.len(),
    })
}

/// Christoffersen's conditional coverage: the sum of Kupiec's and the independence statistic.
///
/// ```text
/// LR_cc = LR_pof + LR_ind ~ χ²(2),   p-value = e^{−LR_cc/2}
/// ```
///
/// LR_pof is over all n days, LR_ind over the n − 1 transitions: this is the sum form used by
/// Christoffersen (1998, eq. 9's decomposition) and MATLAB's `varbacktest`, not the joint
/// likelihood ratio on the n − 1 transitions alone (the two differ by the first observation).
///
/// # Errors
///
/// As [`christoffersen_independence`], and [`RiskError::InvalidConfidence`].
///
/// ```
/// use derisk::risk::conditional_coverage;
/// let hits = [false, true, false, false, true, false, false, false];
/// let out = conditional_coverage(&hits, 0.9)?;
/// assert_eq!(out.degrees_of_freedom, 2);
/// assert!((out.p_value - (-0.5 * out.statistic).exp()).abs() < 1e-16);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn conditional_coverage(hits: &[bool], confidence: f64) -> Result<TestOutcome, RiskError> {
    let alpha = check_confidence(confidence)?;
    let ind = lr_ind(hits)?;
    let x = hits.iter().filter(|&&h| h).count();
    let statistic = lr_pof(hits.len(), x, 1.0 - alpha) + ind;
    Ok(TestOutcome {
        statistic,
        p_value: chi2_sf(statistic, 2),
        degrees_of_freedom: 2,
        exceptions: x,
        observations: hits.len(),
    })
}

macro_rules! backtest_type {
    ($(#[$doc:meta])* $t:ident, $body:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $t {
            confidence: f64,
        }

        impl $t {
            /// The test of VaR forecasts at `confidence` (0.99 = 99 %).
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`] outside (0, 1).
            ///
            /// ```
            #[doc = concat!("assert!(derisk::risk::", stringify!($t), "::new(1.0).is_err());")]
            #[doc = concat!("assert_eq!(derisk::risk::", stringify!($t), "::new(0.99)?.confidence(), 0.99);")]
            /// # Ok::<(), derisk::risk::RiskError>(())
            /// ```
            pub fn new(confidence: f64) -> Result<Self, RiskError> {
                Ok(Self {
                    confidence: check_confidence(confidence)?,
                })
            }

            /// The VaR confidence level α tested.
            #[must_use]
            pub fn confidence(&self) -> f64 {
                self.confidence
            }
        }

        impl Backtest for $t {
            fn test(&self, forecasts: &[f64], realised: &[f64]) -> Result<TestOutcome, RiskError> {
                let hits = exceptions(forecasts, realised)?;
                #[allow(clippy::redundant_closure_call)]
                ($body)(&hits, self.confidence)
            }
        }
    };
}

backtest_type!(
    /// Kupiec's proportion of failures as a [`Backtest`] (see [`kupiec_pof`]).
    ///
    /// ```
    /// use derisk::risk::{Backtest, Kupiec};
    /// let out = Kupiec::new(0.9)?.test(&[1.0; 10], &[-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])?;
    /// assert_eq!(out.exceptions, 1);
/// assert!(out.statistic < 1e-12); // the expected rate (p = 1 − 0.9 in binary64)
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    Kupiec,
    |hits: &[bool], c| kupiec_pof(hits.len(), hits.iter().filter(|&&h| h).count(), c)
);
backtest_type!(
    /// Christoffersen's independence test as a [`Backtest`] (see [`christoffersen_independence`]).
    ///
    /// ```
    /// use derisk::risk::{Backtest, ChristoffersenIndependence};
    /// let t = ChristoffersenIndependence::new(0.99)?;
    /// assert!(t.test(&[1.0; 3], &[0.0; 3]).is_err()); // no exception: undefined
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    ChristoffersenIndependence,
    |hits: &[bool], _| christoffersen_independence(hits)
);
backtest_type!(
    /// Christoffersen's conditional coverage as a [`Backtest`] (see [`conditional_coverage`]).
    ///
    /// ```
    /// use derisk::risk::{Backtest, ConditionalCoverage};
    /// let out = ConditionalCoverage::new(0.5)?.test(&[0.0; 4], &[-1.0, 1.0, -1.0, 1.0])?;
    /// assert_eq!(out.degrees_of_freedom, 2);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    ConditionalCoverage,
    conditional_coverage
);
backtest_type!(
    /// Kupiec's time until first failure as a [`Backtest`] (see [`kupiec_tuff`]).
    ///
    /// ```
    /// use derisk::risk::{Backtest, KupiecTuff};
    /// let t = KupiecTuff::new(0.5)?;
    /// let out = t.test(&[0.0; 3], &[1.0, -1.0, 1.0])?; // first failure on day 2 at p = 0.5
    /// assert!(out.statistic.abs() < 1e-15);
    /// assert!(t.test(&[1.0; 3], &[0.0; 3]).is_err()); // no failure: undefined
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    KupiecTuff,
    kupiec_tuff
);
