//! Value at risk and expected shortfall: historical (three quantile definitions), parametric
//! normal, Student-t and Cornish–Fisher. Kernels are free functions; [`ValueAtRisk`] and
//! [`ExpectedShortfall`] are the [`RiskMeasure`]s over them. The maths is in docs/risk.md.

use super::error::RiskError;
use super::stats::{check_confidence, check_series, finite, sum, Moments};
use super::traits::RiskMeasure;
use crate::garch::{ln_gamma_half_ratio, t_quantile};
use crate::math::{norm_inv_cdf, norm_pdf};
use statrs::function::beta::checked_beta_reg;

/// The sample quantile definition of historical VaR (Hyndman and Fan's numbering).
///
/// With the losses sorted ascending, L_(1) ≤ … ≤ L_(n), and α the confidence:
///
/// ```text
/// Linear        (type 7, numpy's default "linear"):  h = (n−1)α, VaR = L_(⌊h⌋+1) + (h−⌊h⌋)(L_(⌊h⌋+2) − L_(⌊h⌋+1))
/// InvertedCdf   (type 1, numpy "inverted_cdf"):      VaR = L_(⌈nα⌉)   (the smallest loss with F_n(L) ≥ α)
/// HarrellDavis  (weighted order statistics):          VaR = Σ_i [I_{i/n}(a, b) − I_{(i−1)/n}(a, b)] L_(i),
///                                                     a = (n+1)α, b = (n+1)(1−α), I the regularised incomplete beta
/// ```
///
/// nα is snapped to the nearest integer when within 1e-9 relative of it (so 0.99·1,000 is 990,
/// as in exact decimal arithmetic). Linear and InvertedCdf select in O(n); HarrellDavis sorts
/// (O(n log n)) and evaluates n incomplete beta functions.
///
/// References: R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", *The
/// American Statistician* 50 (1996); F. E. Harrell and C. E. Davis, "A new distribution-free
/// quantile estimator", *Biometrika* 69 (1982).
///
/// ```
/// use derisk::risk::{historical_var, QuantileMethod};
/// let pnl = [-4.0, -3.0, -2.0, -1.0];          // losses 1, 2, 3, 4
/// let mut scratch = Vec::new();
/// assert_eq!(historical_var(&pnl, 0.5, QuantileMethod::Linear, &mut scratch)?, 2.5);
/// assert_eq!(historical_var(&pnl, 0.5, QuantileMethod::InvertedCdf, &mut scratch)?, 2.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum QuantileMethod {
    /// Type 7: linear interpolation between order statistics (numpy, R and Excel's default).
    #[default]
    Linear,
    /// Type 1: the empirical quantile, an order statistic (no interpolation).
    InvertedCdf,
    /// Harrell–Davis: a beta-weighted mean of all order statistics (smooth in α).
    HarrellDavis,
}

/// How the Student-t degrees of freedom ν are chosen.
///
/// ```text
/// Moments: ν = 4 + 6/κ,  κ = m4/m2² − 3 the sample's (population, biased) excess kurtosis
/// ```
///
/// (the t law with ν > 4 has excess kurtosis 6/(ν − 4)). Undefined for κ ≤ 0.
///
/// ```
/// use derisk::risk::{Dof, ValueAtRisk};
/// assert!(ValueAtRisk::student_t(0.99, Dof::Fixed(2.0)).is_err()); // ν must exceed 2
/// assert!(ValueAtRisk::student_t(0.99, Dof::Moments).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Dof {
    /// ν given by the caller, in (2, 10⁶].
    Fixed(f64),
    /// ν fitted by the method of moments from the sample's excess kurtosis.
    Moments,
}

/// How VaR or ES is estimated from a P&L sample.
///
/// ```
/// use derisk::risk::{Estimator, ValueAtRisk};
/// assert_eq!(ValueAtRisk::normal(0.99)?.estimator(), Estimator::Normal);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Estimator {
    /// The empirical distribution of the sample (see [`QuantileMethod`]).
    Historical,
    /// Normal with the sample mean and sample standard deviation (divisor n − 1).
    Normal,
    /// Student-t with the sample mean, scaled to the sample standard deviation, ν as given.
    StudentT(Dof),
    /// The Cornish–Fisher expansion with the sample mean, standard deviation (n − 1), and
    /// population skewness and excess kurtosis.
    CornishFisher,
}

/// The largest ν accepted: the t quantile's inverse incomplete beta (statrs) is not reliable
/// beyond; at ν = 10⁶ the t and normal 99 % quantiles differ by 3e-6 relative only.
pub(crate) const MAX_DOF: f64 = 1e6;

fn check_dof(nu: f64) -> Result<f64, RiskError> {
    if nu > 2.0 && nu <= MAX_DOF {
        Ok(nu)
    } else {
        Err(RiskError::InvalidParameter {
            name: "degrees of freedom",
            value: nu,
            reason: "must lie in (2, 1e6] (finite variance; above, use the normal estimator)",
        })
    }
}

/// The Student-t quantile (statrs' inverse incomplete beta) is reliable for tail probabilities
/// down to 1e-150; the t estimators accept min(α, 1 − α) ≥ 1e-100.
fn check_t_tail(alpha: f64) -> Result<f64, RiskError> {
    if alpha.min(1.0 - alpha) >= 1e-100 {
        Ok(alpha)
    } else {
        Err(RiskError::InvalidParameter {
            name: "confidence",
            value: alpha,
            reason: "the Student-t estimator needs min(confidence, 1 - confidence) >= 1e-100",
        })
    }
}

fn check_scale(mean: f64, sigma: f64) -> Result<(), RiskError> {
    check_series("mean", &[mean], 1)?;
    if sigma.is_finite() && sigma >= 0.0 {
        Ok(())
    } else {
        Err(RiskError::InvalidParameter {
            name: "sigma",
            value: sigma,
            reason: "must be finite and non-negative",
        })
    }
}

/// x snapped to the nearest integer when within 1e-9 relative of it.
fn snap(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= 1e-9 * r.abs().max(1.0) {
        r
    } else {
        x
    }
}

fn fill_losses(pnl: &[f64], scratch: &mut Vec<f64>) -> Result<(), RiskError> {
    check_series("pnl", pnl, 1)?;
    scratch.clear();
    scratch.extend(pnl.iter().map(|x| -x));
    Ok(())
}

/// Historical VaR at confidence α: a sample quantile of the loss L = −P&L (positive = loss).
///
/// ```text
/// VaR_α = Q_L(α)   with Q as in QuantileMethod (units of the P&L)
/// ```
///
/// `scratch` receives the losses (it is cleared, then grows to `pnl.len()` once and is reused:
/// nothing is allocated when it is large enough). Reference: P. Jorion, *Value at Risk*, 3rd ed.
/// (2007), §10.2; Hyndman and Fan (1996).
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`] outside (0, 1), [`RiskError::TooShort`] for an empty sample,
/// [`RiskError::NonFinite`] for NaN or ±∞ in `pnl`; [`RiskError::Overflow`].
///
/// ```
/// use derisk::risk::{historical_var, QuantileMethod};
/// let pnl: Vec<f64> = (1..=100).map(|i| -(i as f64)).collect(); // losses 1 … 100
/// let mut s = Vec::with_capacity(100);
/// let v = historical_var(&pnl, 0.99, QuantileMethod::Linear, &mut s)?;
/// assert!((v - 99.01).abs() < 1e-12); // h = 99·0.99 = 98.01
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn historical_var(
    pnl: &[f64],
    confidence: f64,
    method: QuantileMethod,
    scratch: &mut Vec<f64>,
) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    fill_losses(pnl, scratch)?;
    let l = scratch.as_mut_slice();
    let n = l.len();
    let v = match method {
        QuantileMethod::Linear => {
            let h = (n - 1) as f64 * alpha;
            let lo = (h.floor() as usize).min(n - 1);
            let frac = h - lo as f64;
            let (_, &mut a, upper) = l.select_nth_unstable_by(lo, f64::total_cmp);
            if frac > 0.0 && !upper.is_empty() {
                let b = upper.iter().copied().fold(f64::INFINITY, f64::min);
                a + frac * (b - a)
            } else {
                a
            }
        }
        QuantileMethod::InvertedCdf => {
            let k = (snap(n as f64 * alpha).ceil() as usize).clamp(1, n);
            *l.select_nth_unstable_by(k - 1, f64::total_cmp).1
        }
        QuantileMethod::HarrellDavis => {
            l.sort_unstable_by(f64::total_cmp);
            let nf = n as f64;
            let (a, b) = ((nf + 1.0) * alpha, (nf + 1.0) * (1.0 - alpha));
            let mut prev = 0.0;
            sum(l.iter().enumerate().map(|(i, &x)| {
                let cdf = if i + 1 == n {
                    1.0
                } else {
                    checked_beta_reg(a, b, (i + 1) as f64 / nf).unwrap_or(prev)
                };
                let w = cdf - prev;
                prev = cdf;
                w * x
            }))
        }
    };
    finite("historical var", v)
}

/// Historical ES at confidence α: the mean loss in the worst (1 − α) fraction of the sample,
/// with the boundary observation weighted fractionally (Acerbi and Tasche's estimator).
///
/// ```text
/// m = n(1 − α), k = ⌊m⌋,  L_[1] ≥ L_[2] ≥ … the losses sorted descending
/// ES_α = ( Σ_{i=1}^{k} L_[i] + (m − k) L_[k+1] ) / m        (= L_[1] when m < 1)
/// ```
///
/// This is (1/(1−α)) ∫_α^1 Q_L(u) du for the type-1 (InvertedCdf) quantile function, so
/// ES_α ≥ VaR_α (InvertedCdf). m is snapped to an integer within 1e-9 relative. Selection
/// only (O(n)); `scratch` as in [`historical_var`].
/// Reference: C. Acerbi and D. Tasche, "On the coherence of expected shortfall", *Journal of
/// Banking & Finance* 26 (2002), Definition 2.6 / Proposition 4.1.
///
/// # Errors
///
/// As [`historical_var`].
///
/// ```
/// use derisk::risk::historical_es;
/// let pnl: Vec<f64> = (1..=100).map(|i| -(i as f64)).collect(); // losses 1 … 100
/// let es = historical_es(&pnl, 0.975, &mut Vec::new())?;         // m = 2.5
/// assert!((es - (100.0 + 99.0 + 0.5 * 98.0) / 2.5).abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn historical_es(
    pnl: &[f64],
    confidence: f64,
    scratch: &mut Vec<f64>,
) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    fill_losses(pnl, scratch)?;
    let l = scratch.as_mut_slice();
    let n = l.len();
    let m = snap(n as f64 * (1.0 - alpha));
    if m < 1.0 {
        let max = l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        return finite("historical es", max);
    }
    let k = (m.floor() as usize).min(n);
    let frac = m - k as f64;
    let (rest, top) = if k < n {
        let split = n - k;
        l.select_nth_unstable_by(split, f64::total_cmp);
        l.split_at(split)
    } else {
        l.split_at(0)
    };
    let mut total = sum(top.iter().copied());
    if frac > 0.0 && !rest.is_empty() {
        let next = rest.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        total = sum([total, frac * next]);
    }
    finite("historical es", total / m)
}

/// Normal VaR: the loss quantile of P&L ~ N(μ, σ²).
///
/// ```text
/// VaR_α = −μ + σ z_α,   z_α = Φ⁻¹(α)    (units of μ and σ; loss positive)
/// ```
///
/// Reference: Jorion, *Value at Risk* (2007), §5.2.
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`]; [`RiskError::NonFinite`] for μ, [`RiskError::InvalidParameter`]
/// for σ < 0 or non-finite; [`RiskError::Overflow`].
///
/// ```
/// let v = derisk::risk::normal_var(0.0, 1.0, 0.99)?;
/// assert!((v - 2.326_347_874_040_840_8).abs() < 1e-15);   // scipy.stats.norm.ppf(0.99)
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn normal_var(mean: f64, sigma: f64, confidence: f64) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    check_scale(mean, sigma)?;
    let z = norm_inv_cdf(alpha).map_err(|_| RiskError::InvalidConfidence { value: alpha })?;
    finite("normal var", -mean + sigma * z)
}

/// Normal ES: the mean loss beyond the normal VaR.
///
/// ```text
/// ES_α = −μ + σ φ(z_α) / (1 − α),   z_α = Φ⁻¹(α)
/// ```
///
/// Reference: A. J. McNeil, R. Frey and P. Embrechts, *Quantitative Risk Management*, revised
/// ed. (2015), Example 2.14.
///
/// # Errors
///
/// As [`normal_var`].
///
/// ```
/// let es = derisk::risk::normal_es(0.0, 1.0, 0.975)?;
/// assert!((es - 2.337_802_792_201_414_4).abs() < 1e-14);   // φ(z_0.975)/0.025, mpmath
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn normal_es(mean: f64, sigma: f64, confidence: f64) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    check_scale(mean, sigma)?;
    let z = norm_inv_cdf(alpha).map_err(|_| RiskError::InvalidConfidence { value: alpha })?;
    finite("normal es", -mean + sigma * norm_pdf(z) / (1.0 - alpha))
}

/// Student-t VaR with ν degrees of freedom, scaled so that the P&L has standard deviation σ.
///
/// ```text
/// VaR_α = −μ + s t_ν⁻¹(α),   s = σ √((ν − 2)/ν)
/// ```
///
/// Reference: McNeil, Frey and Embrechts (2015), Example 2.15.
///
/// # Errors
///
/// As [`normal_var`], and [`RiskError::InvalidParameter`] for ν outside (2, 10⁶] or a tail
/// probability min(α, 1 − α) below 1e-100.
///
/// ```
/// let v = derisk::risk::student_t_var(0.0, 2f64.sqrt(), 4.0, 0.99)?; // s = 1
/// assert!((v - 3.746_947_387_979_196_8).abs() < 1e-13);               // t₄⁻¹(0.99), mpmath
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn student_t_var(mean: f64, sigma: f64, nu: f64, confidence: f64) -> Result<f64, RiskError> {
    let alpha = check_t_tail(check_confidence(confidence)?)?;
    check_scale(mean, sigma)?;
    let nu = check_dof(nu)?;
    let s = sigma * ((nu - 2.0) / nu).sqrt();
    finite("student-t var", -mean + s * t_quantile(alpha, nu))
}

/// Student-t ES with ν degrees of freedom, scaled to standard deviation σ.
///
/// ```text
/// ES_α = −μ + s · f_ν(q)/(1 − α) · (ν + q²)/(ν − 1),   q = t_ν⁻¹(α), s = σ √((ν − 2)/ν),
/// f_ν(q) = Γ((ν+1)/2) / (Γ(ν/2) √(νπ)) · (1 + q²/ν)^{−(ν+1)/2}
/// ```
///
/// Reference: McNeil, Frey and Embrechts (2015), Example 2.15.
///
/// # Errors
///
/// As [`student_t_var`].
///
/// ```
/// let es = derisk::risk::student_t_es(0.0, 2f64.sqrt(), 4.0, 0.99)?;
/// assert!((es - 5.220_584_194_492_219_6).abs() < 1e-12); // mpmath
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn student_t_es(mean: f64, sigma: f64, nu: f64, confidence: f64) -> Result<f64, RiskError> {
    let alpha = check_t_tail(check_confidence(confidence)?)?;
    check_scale(mean, sigma)?;
    let nu = check_dof(nu)?;
    let s = sigma * ((nu - 2.0) / nu).sqrt();
    let q = t_quantile(alpha, nu);
    // lnΓ((ν+1)/2) − lnΓ(ν/2) without the cancellation of two large logs.
    let ln_pdf = ln_gamma_half_ratio(0.5 * nu)
        - 0.5 * (nu * std::f64::consts::PI).ln()
        - 0.5 * (nu + 1.0) * (q * q / nu).ln_1p();
    let tail = ln_pdf.exp() / (1.0 - alpha) * (nu + q * q) / (nu - 1.0);
    finite("student-t es", -mean + s * tail)
}

/// ν by the method of moments from an excess kurtosis κ > 0: ν = 4 + 6/κ.
///
/// # Errors
///
/// [`RiskError::Undefined`] for κ ≤ 0 or non-finite (no t law has that kurtosis), and for
/// ν above 10⁶ (κ < 6e-6; the t quantile is not computed there: use the normal estimator).
///
/// ```
/// assert_eq!(derisk::risk::moment_dof(3.0)?, 6.0);
/// assert!(derisk::risk::moment_dof(-0.5).is_err());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn moment_dof(excess_kurtosis: f64) -> Result<f64, RiskError> {
    let nu = 4.0 + 6.0 / excess_kurtosis;
    if !(excess_kurtosis > 0.0 && nu.is_finite()) {
        Err(RiskError::Undefined {
            statistic: "moment-fitted degrees of freedom",
            reason: "the sample's excess kurtosis is not positive",
        })
    } else if nu > MAX_DOF {
        Err(RiskError::Undefined {
            statistic: "moment-fitted degrees of freedom",
            reason: "the excess kurtosis is below 6e-6 (ν above 1e6): use the normal estimator",
        })
    } else {
        Ok(nu)
    }
}

fn cf_z(confidence: f64) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    norm_inv_cdf(1.0 - alpha).map_err(|_| RiskError::InvalidConfidence { value: alpha })
}

fn check_shape(skew: f64, excess_kurtosis: f64) -> Result<(), RiskError> {
    check_series("skewness", &[skew], 1)?;
    check_series("excess kurtosis", &[excess_kurtosis], 1)
}

/// Cornish–Fisher VaR: the normal quantile corrected for skewness S and excess kurtosis K of
/// the P&L.
///
/// ```text
/// z = Φ⁻¹(1 − α)  (the lower P&L tail, negative),
/// w = z + (z² − 1) S/6 + (z³ − 3z) K/24 − (2z³ − 5z) S²/36,
/// VaR_α = −(μ + σ w)
/// ```
///
/// The expansion is a monotone quantile function only for moderate S and K; outside that
/// domain it can even decrease in α (see docs/risk.md). Reference: E. A. Cornish and R. A.
/// Fisher, "Moments and cumulants in the specification of distributions" (1938); Jorion (2007),
/// §12.2.
///
/// # Errors
///
/// As [`normal_var`], and [`RiskError::NonFinite`] for S or K.
///
/// ```
/// let v = derisk::risk::cornish_fisher_var(0.0, 1.0, 0.0, 0.0, 0.99)?; // normal
/// assert!((v - 2.326_347_874_040_840_8).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn cornish_fisher_var(
    mean: f64,
    sigma: f64,
    skew: f64,
    excess_kurtosis: f64,
    confidence: f64,
) -> Result<f64, RiskError> {
    let z = cf_z(confidence)?;
    check_scale(mean, sigma)?;
    check_shape(skew, excess_kurtosis)?;
    let (s, k) = (skew, excess_kurtosis);
    let w = z + (z * z - 1.0) * s / 6.0 + (z * z * z - 3.0 * z) * k / 24.0
        - (2.0 * z * z * z - 5.0 * z) * s * s / 36.0;
    finite("cornish-fisher var", -(mean + sigma * w))
}

/// Cornish–Fisher ES: the tail mean of the Cornish–Fisher quantile function, integrated exactly.
///
/// ```text
/// ES_α = −(1/(1−α)) ∫_0^{1−α} (μ + σ w(Φ⁻¹(u))) du
///      = −μ + σ φ(z)/(1 − α) · [1 + S z/6 + K (z² − 1)/24 + S² (1 − 2z²)/36],   z = Φ⁻¹(1 − α)
/// ```
///
/// (with ∫_{−∞}^z tᵏ φ(t) dt for k ≤ 3 in closed form). This is not the Edgeworth-density
/// "modified ES" of Boudt, Peterson and Croux (2008); docs/risk.md compares the two.
///
/// # Errors
///
/// As [`cornish_fisher_var`].
///
/// ```
/// let es = derisk::risk::cornish_fisher_es(0.0, 1.0, 0.0, 0.0, 0.975)?; // normal
/// assert!((es - 2.337_802_792_201_414_4).abs() < 1e-14);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn cornish_fisher_es(
    mean: f64,
    sigma: f64,
    skew: f64,
    excess_kurtosis: f64,
    confidence: f64,
) -> Result<f64, RiskError> {
    let z = cf_z(confidence)?;
    check_scale(mean, sigma)?;
    check_shape(skew, excess_kurtosis)?;
    let (s, k) = (skew, excess_kurtosis);
    let bracket = 1.0 + s * z / 6.0 + k * (z * z - 1.0) / 24.0 + s * s * (1.0 - 2.0 * z * z) / 36.0;
    finite(
        "cornish-fisher es",
        -mean + sigma * norm_pdf(z) / (1.0 - confidence) * bracket,
    )
}

/// √h scaling of a one-period VaR or ES to h periods (exact for i.i.d. normal P&L with zero
/// mean; an approximation otherwise — use it only when that is what you want).
///
/// ```text
/// VaR_h = √h · VaR_1     (h in periods, e.g. days)
/// ```
///
/// Reference: Basel Committee, *Amendment to the Capital Accord to incorporate market risks*
/// (1996), B.4(c) (10-day VaR may be scaled up from shorter horizons).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for h ≤ 0 or non-finite, [`RiskError::NonFinite`] for the
/// value; [`RiskError::Overflow`].
///
/// ```
/// assert_eq!(derisk::risk::sqrt_time_scale(2.0, 4.0)?, 4.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn sqrt_time_scale(value: f64, horizon: f64) -> Result<f64, RiskError> {
    check_series("value", &[value], 1)?;
    if !(horizon.is_finite() && horizon > 0.0) {
        return Err(RiskError::InvalidParameter {
            name: "horizon",
            value: horizon,
            reason: "must be finite and positive",
        });
    }
    finite("scaled value", value * horizon.sqrt())
}

/// Mean, sample σ, population skewness and excess kurtosis of a validated sample (n ≥ 2).
fn sample_moments(pnl: &[f64], higher: bool) -> Result<(f64, f64, Moments), RiskError> {
    check_series("pnl", pnl, 2)?;
    let m = Moments::of(pnl, higher);
    let sigma = finite("sample standard deviation", m.sample_std())?;
    finite("sample fourth moment", m.m4)?;
    Ok((m.mean, sigma, m))
}

fn parametric(
    pnl: &[f64],
    confidence: f64,
    estimator: Estimator,
    es: bool,
) -> Result<f64, RiskError> {
    check_confidence(confidence)?;
    let higher = matches!(
        estimator,
        Estimator::CornishFisher | Estimator::StudentT(Dof::Moments)
    );
    let (mu, sigma, m) = sample_moments(pnl, higher)?;
    match (estimator, es) {
        (Estimator::Normal, false) => normal_var(mu, sigma, confidence),
        (Estimator::Normal, true) => normal_es(mu, sigma, confidence),
        (Estimator::StudentT(dof), _) => {
            let nu = match dof {
                Dof::Fixed(nu) => nu,
                Dof::Moments => moment_dof(m.excess_kurtosis())?,
            };
            if es {
                student_t_es(mu, sigma, nu, confidence)
            } else {
                student_t_var(mu, sigma, nu, confidence)
            }
        }
        (_, false) => cornish_fisher_var(mu, sigma, m.skewness(), m.excess_kurtosis(), confidence),
        (_, true) => cornish_fisher_es(mu, sigma, m.skewness(), m.excess_kurtosis(), confidence),
    }
}

/// Value at risk of a P&L sample at a confidence level, by a chosen [`Estimator`]: the loss
/// (positive) that the P&L falls below with probability 1 − α.
///
/// ```text
/// P(P&L < −VaR_α) = 1 − α     (one period: the sample's own horizon)
/// ```
///
/// Historical VaR needs a buffer for selection: [`ValueAtRisk::evaluate_with`] takes one from
/// the caller (allocation-free once it has grown); [`RiskMeasure::evaluate`] allocates it.
/// Parametric estimators allocate nothing. h-period VaR: compute it from h-period P&L, or scale
/// explicitly with [`sqrt_time_scale`].
/// Reference: Jorion, *Value at Risk* (2007), ch. 5.
///
/// ```
/// use derisk::risk::{QuantileMethod, RiskMeasure, ValueAtRisk};
/// let pnl: Vec<f64> = (1..=100).map(|i| -(i as f64)).collect();
/// let var = ValueAtRisk::historical(0.99)?.with_quantile(QuantileMethod::InvertedCdf);
/// assert_eq!(var.evaluate(&pnl)?, 99.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValueAtRisk {
    confidence: f64,
    estimator: Estimator,
    quantile: QuantileMethod,
}

/// Expected shortfall of a P&L sample: the mean loss beyond VaR at the same confidence.
///
/// ```text
/// ES_α = (1/(1 − α)) ∫_α^1 VaR_u du   (positive = loss)
/// ```
///
/// Historical ES is [`historical_es`] (Acerbi–Tasche); the others use the closed forms of
/// [`normal_es`], [`student_t_es`], [`cornish_fisher_es`] with the sample's moments.
/// Reference: Acerbi and Tasche (2002); McNeil, Frey and Embrechts (2015), §2.3.4.
///
/// ```
/// use derisk::risk::{ExpectedShortfall, RiskMeasure};
/// let pnl: Vec<f64> = (1..=100).map(|i| -(i as f64)).collect();
/// assert_eq!(ExpectedShortfall::historical(0.98)?.evaluate(&pnl)?, 99.5);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExpectedShortfall {
    confidence: f64,
    estimator: Estimator,
}

macro_rules! constructors {
    ($t:ident, $extra:expr) => {
        impl $t {
            /// At `confidence` (0.99 = 99 %) by `estimator`.
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`] outside (0, 1); [`RiskError::InvalidParameter`]
            /// for a fixed ν ≤ 2 or non-finite.
            ///
            /// ```
            #[doc = concat!("use derisk::risk::{Estimator, ", stringify!($t), "};")]
            #[doc = concat!("assert!(", stringify!($t), "::new(1.0, Estimator::Normal).is_err());")]
            /// ```
            pub fn new(confidence: f64, estimator: Estimator) -> Result<Self, RiskError> {
                check_confidence(confidence)?;
                if let Estimator::StudentT(Dof::Fixed(nu)) = estimator {
                    check_dof(nu)?;
                }
                #[allow(clippy::redundant_closure_call)]
                Ok(($extra)(confidence, estimator))
            }

            /// Historical, at `confidence`.
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`] outside (0, 1).
            ///
            /// ```
            #[doc = concat!("assert!(derisk::risk::", stringify!($t), "::historical(f64::NAN).is_err());")]
            /// ```
            pub fn historical(confidence: f64) -> Result<Self, RiskError> {
                Self::new(confidence, Estimator::Historical)
            }

            /// Parametric normal, at `confidence`.
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`] outside (0, 1).
            ///
            /// ```
            #[doc = concat!("assert!(derisk::risk::", stringify!($t), "::normal(0.0).is_err());")]
            /// ```
            pub fn normal(confidence: f64) -> Result<Self, RiskError> {
                Self::new(confidence, Estimator::Normal)
            }

            /// Student-t with ν from `dof`, at `confidence`.
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`]; [`RiskError::InvalidParameter`] for a fixed ν ≤ 2.
            ///
            /// ```
            /// use derisk::risk::Dof;
            #[doc = concat!("assert!(derisk::risk::", stringify!($t), "::student_t(0.99, Dof::Fixed(5.0)).is_ok());")]
            /// ```
            pub fn student_t(confidence: f64, dof: Dof) -> Result<Self, RiskError> {
                Self::new(confidence, Estimator::StudentT(dof))
            }

            /// Cornish–Fisher, at `confidence`.
            ///
            /// # Errors
            ///
            /// [`RiskError::InvalidConfidence`] outside (0, 1).
            ///
            /// ```
            #[doc = concat!("assert!(derisk::risk::", stringify!($t), "::cornish_fisher(0.975).is_ok());")]
            /// ```
            pub fn cornish_fisher(confidence: f64) -> Result<Self, RiskError> {
                Self::new(confidence, Estimator::CornishFisher)
            }

            /// The confidence level α.
            ///
            /// ```
            #[doc = concat!("assert_eq!(derisk::risk::", stringify!($t), "::normal(0.99)?.confidence(), 0.99);")]
            /// # Ok::<(), derisk::risk::RiskError>(())
            /// ```
            #[must_use]
            pub fn confidence(&self) -> f64 {
                self.confidence
            }

            /// The estimator.
            ///
            /// ```
            /// use derisk::risk::Estimator;
            #[doc = concat!("assert_eq!(derisk::risk::", stringify!($t), "::historical(0.99)?.estimator(), Estimator::Historical);")]
            /// # Ok::<(), derisk::risk::RiskError>(())
            /// ```
            #[must_use]
            pub fn estimator(&self) -> Estimator {
                self.estimator
            }
        }

        impl RiskMeasure for $t {
            fn evaluate(&self, pnl: &[f64]) -> Result<f64, RiskError> {
                let mut scratch = Vec::new();
                self.evaluate_with(pnl, &mut scratch)
            }
        }
    };
}

constructors!(ValueAtRisk, |confidence, estimator| ValueAtRisk {
    confidence,
    estimator,
    quantile: QuantileMethod::Linear,
});
constructors!(ExpectedShortfall, |confidence, estimator| {
    ExpectedShortfall {
        confidence,
        estimator,
    }
});

impl ValueAtRisk {
    /// The same VaR with historical quantiles by `method` (default [`QuantileMethod::Linear`];
    /// ignored by parametric estimators).
    ///
    /// ```
    /// use derisk::risk::{QuantileMethod, ValueAtRisk};
    /// let v = ValueAtRisk::historical(0.99)?.with_quantile(QuantileMethod::HarrellDavis);
    /// assert_eq!(v.quantile_method(), QuantileMethod::HarrellDavis);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    #[must_use]
    pub fn with_quantile(mut self, method: QuantileMethod) -> Self {
        self.quantile = method;
        self
    }

    /// The historical quantile definition.
    ///
    /// ```
    /// use derisk::risk::{QuantileMethod, ValueAtRisk};
    /// assert_eq!(ValueAtRisk::historical(0.99)?.quantile_method(), QuantileMethod::Linear);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    #[must_use]
    pub fn quantile_method(&self) -> QuantileMethod {
        self.quantile
    }

    /// VaR of `pnl` with a caller's buffer for the historical selection (nothing allocated once
    /// `scratch` has grown to `pnl.len()`; parametric estimators do not touch it).
    ///
    /// # Errors
    ///
    /// [`RiskError::TooShort`] (historical: empty; parametric: fewer than 2), [`RiskError::NonFinite`],
    /// [`RiskError::Undefined`] for a moment-fitted ν with no excess kurtosis, [`RiskError::Overflow`].
    ///
    /// ```
    /// use derisk::risk::ValueAtRisk;
    /// let mut scratch = Vec::with_capacity(5);
    /// let v = ValueAtRisk::historical(0.5)?.evaluate_with(&[3.0, -1.0, 0.0, -2.0, 5.0], &mut scratch)?;
    /// assert_eq!(v, 0.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn evaluate_with(&self, pnl: &[f64], scratch: &mut Vec<f64>) -> Result<f64, RiskError> {
        match self.estimator {
            Estimator::Historical => historical_var(pnl, self.confidence, self.quantile, scratch),
            e => parametric(pnl, self.confidence, e, false),
        }
    }
}

impl ExpectedShortfall {
    /// ES of `pnl` with a caller's buffer for the historical selection.
    ///
    /// # Errors
    ///
    /// As [`ValueAtRisk::evaluate_with`].
    ///
    /// ```
    /// use derisk::risk::ExpectedShortfall;
    /// let es = ExpectedShortfall::historical(0.5)?.evaluate_with(&[1.0, -1.0, 2.0, -3.0], &mut Vec::new())?;
    /// assert_eq!(es, 2.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn evaluate_with(&self, pnl: &[f64], scratch: &mut Vec<f64>) -> Result<f64, RiskError> {
        match self.estimator {
            Estimator::Historical => historical_es(pnl, self.confidence, scratch),
            e => parametric(pnl, self.confidence, e, true),
        }
    }
}
