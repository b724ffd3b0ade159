//! Monte Carlo and filtered-historical VaR/ES: risk measures of simulated P&L reported with
//! their standard errors, h-day measures from simulated h-step paths (never √h-scaled here; use
//! [`sqrt_time_scale`](super::sqrt_time_scale) when that is what you want), and option books
//! revalued in full on simulated spot paths.

use rand::Rng;

use super::error::RiskError;
use super::historical::book_pnl;
use super::measures::{historical_es, historical_var, QuantileMethod};
use super::stats::{check_confidence, check_series, finite};
use crate::garch::{GarchFit, SimulationStart};
use crate::market::{Currency, MarketState, Shock};
use crate::portfolio::{Book, Instrument};
use crate::sim::{Fhs, GarchPaths, McEstimate, PathGenerator};

/// VaR and ES of one simulated P&L sample, each with its Monte Carlo standard error.
///
/// ```text
/// var.estimate = VaR_α (type-1 quantile of the losses),  es.estimate = ES_α (Acerbi–Tasche)
/// ```
///
/// Reference: L. J. Hong, Z. Hu and G. Liu, "Monte Carlo methods for value-at-risk and
/// conditional value-at-risk: a review", *ACM TOMACS* 24 (2014), §3.
///
/// ```
/// use derisk::risk::simulated_var_es;
/// let pnl: Vec<f64> = (1..=1000).map(|i| -(i as f64)).collect();   // losses 1 … 1000
/// let r = simulated_var_es(&pnl, 0.99, &mut Vec::new())?;
/// assert_eq!((r.var.estimate, r.var.paths), (990.0, 1000));
/// assert!((r.es.estimate - 995.5).abs() < 1e-12);                   // mean of 991 … 1000
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct McVarEs {
    /// Value at risk (loss positive) and its standard error.
    pub var: McEstimate,
    /// Expected shortfall (loss positive) and its standard error.
    pub es: McEstimate,
}

/// VaR and ES at confidence α of a simulated P&L sample (gain positive), with standard errors.
///
/// ```text
/// L = −P&L sorted, n draws, L_(k) the k-th smallest, Q(p) = L_(⌈n·p⌉) (type 1)
/// VaR = Q(α)                          SE_VaR = √(α(1−α)/n) · (Q(p₊) − Q(p₋))/(p₊ − p₋),  p± = α ± √(α(1−α)/n)
/// ES  = historical_es (Acerbi–Tasche)  SE_ES  = √(Var[(L − VaR)⁺]/n) / (1 − α)
/// ```
///
/// The VaR's standard error is the asymptotic √(α(1−α)/n)/f(VaR) with the density's reciprocal
/// estimated by Siddiqui's difference quotient of order statistics (bandwidth √(α(1−α)/n),
/// p± clamped into [1/n, 1]); the ES's is the asymptotic one of Hong, Hu and Liu (2014). `scratch`
/// receives the losses (sorted on return); it grows once and is reused. Pass i.i.d. draws, one
/// per path. References: M. M. Siddiqui, "Distribution of quantiles in samples from a bivariate
/// population", *J. Res. NBS* 64B (1960); Hong, Hu and Liu (2014), Theorems 3.1–3.3.
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`] outside (0, 1); [`RiskError::TooShort`] below 2 draws;
/// [`RiskError::NonFinite`] for NaN or ±∞; [`RiskError::Overflow`].
///
/// ```
/// use derisk::risk::simulated_var_es;
/// let pnl: Vec<f64> = (1..=100).map(|i| -(i as f64)).collect();
/// let r = simulated_var_es(&pnl, 0.9, &mut Vec::new())?;
/// // p± = 0.9 ± 0.03: Q(0.93) − Q(0.87) = 93 − 87 over 0.06, times 0.03
/// assert!((r.var.standard_error - 3.0).abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn simulated_var_es(
    pnl: &[f64],
    confidence: f64,
    scratch: &mut Vec<f64>,
) -> Result<McVarEs, RiskError> {
    let alpha = check_confidence(confidence)?;
    check_series("pnl", pnl, 2)?;
    let var = historical_var(pnl, alpha, QuantileMethod::InvertedCdf, scratch)?;
    let es = historical_es(pnl, alpha, scratch)?;
    // scratch holds the losses, reordered by the selections: sort once for the quantiles at p±.
    scratch.sort_unstable_by(f64::total_cmp);
    let l = scratch.as_slice();
    let n = l.len();
    let nf = n as f64;
    let q = |p: f64| l[((nf * p).ceil() as usize).clamp(1, n) - 1];
    let h = (alpha * (1.0 - alpha) / nf).sqrt();
    let (lo, hi) = ((alpha - h).max(1.0 / nf), (alpha + h).min(1.0));
    let var_se = finite("var standard error", h * (q(hi) - q(lo)) / (hi - lo))?;
    let tail_mean = l.iter().map(|x| (x - var).max(0.0)).sum::<f64>() / nf;
    let tail_ss: f64 = l
        .iter()
        .map(|x| ((x - var).max(0.0) - tail_mean).powi(2))
        .sum();
    let es_se = finite(
        "es standard error",
        (tail_ss / (nf - 1.0) / nf).sqrt() / (1.0 - alpha),
    )?;
    Ok(McVarEs {
        var: McEstimate {
            estimate: var,
            standard_error: var_se,
            paths: n,
        },
        es: McEstimate {
            estimate: es,
            standard_error: es_se,
            paths: n,
        },
    })
}

/// VaR/ES of a P&L computed from simulated h-step paths: `paths` paths of `generator`, each
/// path's per-asset log-returns summed over its steps, mapped to P&L by `pnl`, then
/// [`simulated_var_es`]. The horizon is the generator's number of steps (h-day paths, no √h).
///
/// ```text
/// xᵢ = (Σ_t path_i[t·d + a])_{a<d}  (the h-step log-returns),  P&Lᵢ = pnl(xᵢ)
/// e.g. a long position worth V in one asset: pnl(x) = V·(e^{x₀} − 1)
/// ```
///
/// Reference: Glasserman (2003), §9.1; Hong, Hu and Liu (2014).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for fewer than 2 paths; [`RiskError::Simulation`] if a path
/// fails; as [`simulated_var_es`] (a non-finite P&L is [`RiskError::NonFinite`]).
///
/// ```
/// use derisk::risk::simulated_pnl_var_es;
/// use derisk::sim::Gbm;
/// use rand::SeedableRng;
/// let gbm = Gbm::new(0.0, 0.8, 1.0 / 365.0, 10)?;              // 10 daily steps
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
/// let r = simulated_pnl_var_es(&gbm, 5_000, 0.99, &mut rng, |x| 1e6 * x[0].exp_m1())?;
/// assert!(r.var.estimate > 0.0 && r.es.estimate >= r.var.estimate);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn simulated_pnl_var_es<G, R, F>(
    generator: &G,
    paths: usize,
    confidence: f64,
    rng: &mut R,
    pnl: F,
) -> Result<McVarEs, RiskError>
where
    G: PathGenerator,
    R: Rng + ?Sized,
    F: Fn(&[f64]) -> f64,
{
    check_confidence(confidence)?;
    if paths < 2 {
        return Err(RiskError::InvalidParameter {
            name: "paths",
            value: paths as f64,
            reason: "at least 2 simulated paths are needed",
        });
    }
    let d = generator.assets();
    let total = paths.checked_mul(d).ok_or(RiskError::InvalidParameter {
        name: "paths",
        value: paths as f64,
        reason: "paths times assets overflows",
    })?;
    let mut scratch = vec![0.0; generator.path_len()];
    let mut terminal = vec![0.0; total];
    generator.terminal_many(rng, &mut scratch, &mut terminal)?;
    let values: Vec<f64> = terminal.chunks_exact(d).map(&pnl).collect();
    simulated_var_es(&values, confidence, &mut scratch)
}

/// Filtered-historical-simulation VaR/ES of the h-step return of a fitted GARCH model:
/// `paths` [`Fhs`] paths of `horizon` steps from the fit's last state, losses = −Σ returns.
///
/// ```text
/// Rᵢ = Σ_{t=1}^{h} y_{i,t}  (FHS paths, the fit's units: percent if fitted on percent)
/// VaR_α, ES_α of −R, with standard errors as in simulated_var_es
/// ```
///
/// For log-returns this is the loss of ln(S_{T+h}/S_T). Reference: Barone-Adesi, Giannopoulos
/// and Vosper (1999); `arch` documentation, "Value-at-Risk forecasting" and
/// `forecast(method="bootstrap")` (8.0, 2025).
///
/// # Errors
///
/// [`RiskError::Simulation`] for horizon = 0 or a failed path; as [`simulated_pnl_var_es`].
///
/// ```
/// use derisk::garch::GarchModel;
/// use derisk::risk::fhs_var_es;
/// use rand::SeedableRng;
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
/// let one = fhs_var_es(&fit, 1, 2_000, 0.99, &mut rng)?;
/// let ten = fhs_var_es(&fit, 10, 2_000, 0.99, &mut rng)?;
/// assert!(ten.var.estimate > one.var.estimate);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn fhs_var_es<R: Rng + ?Sized>(
    fit: &GarchFit,
    horizon: usize,
    paths: usize,
    confidence: f64,
    rng: &mut R,
) -> Result<McVarEs, RiskError> {
    let fhs = Fhs::new(fit, horizon)?;
    simulated_pnl_var_es(&fhs, paths, confidence, rng, |x| x[0])
}

/// Monte Carlo VaR/ES of the h-step return of a fitted GARCH model: `paths` [`GarchPaths`]
/// (innovations from the fitted density) of `horizon` steps from the fit's last state.
///
/// ```text
/// Rᵢ = Σ_{t=1}^{h} y_{i,t},  y from the fitted model with zₜ ~ F_θ;  VaR_α, ES_α of −R
/// ```
///
/// Reference: `arch` documentation, `forecast(method="simulation")` (8.0, 2025); Glasserman
/// (2003), §9.1.
///
/// # Errors
///
/// [`RiskError::Simulation`] for horizon = 0 or a failed path; as [`simulated_pnl_var_es`].
///
/// ```
/// use derisk::garch::GarchModel;
/// use derisk::risk::garch_var_es;
/// use rand::SeedableRng;
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
/// let r = garch_var_es(&fit, 5, 2_000, 0.975, &mut rand_chacha::ChaCha20Rng::seed_from_u64(1))?;
/// assert!(r.es.estimate > r.var.estimate);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn garch_var_es<R: Rng + ?Sized>(
    fit: &GarchFit,
    horizon: usize,
    paths: usize,
    confidence: f64,
    rng: &mut R,
) -> Result<McVarEs, RiskError> {
    let g = GarchPaths::new(fit, horizon, SimulationStart::FittedState)?;
    simulated_pnl_var_es(&g, paths, confidence, rng, |x| x[0])
}

/// Spot shocks of several assets from simulated h-step log-returns, one scenario per path:
/// each asset's spot multiplied by e^x (sticky strike), ready for [`book_pnl`].
///
/// ```text
/// scenario_i = [Shock::spot_relative(asset_a, e^{x_{i,a}} − 1)  for a < d],  x row-major paths × d
/// ```
///
/// Reference: Jorion, *Value at Risk* (2007), §12.2 (Monte Carlo simulation of a portfolio).
///
/// # Errors
///
/// [`RiskError::InvalidParameter`] for no assets; [`RiskError::LengthMismatch`] unless the
/// number of log-returns is a positive multiple of the number of assets;
/// [`RiskError::NonFinite`] for NaN or ±∞; [`RiskError::Overflow`] if e^x overflows.
///
/// ```
/// use derisk::market::{Currency, Shock};
/// let s = derisk::risk::simulated_spot_shocks(&[Currency::BTC], &[0.0, 0.5])?;
/// assert_eq!(s.len(), 2);
/// assert_eq!(s[0], vec![Shock::spot_relative(Currency::BTC, 0.0)]);
/// assert_eq!(s[1], vec![Shock::spot_relative(Currency::BTC, 0.5f64.exp_m1())]);  // S → S·e^0.5
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn simulated_spot_shocks(
    assets: &[Currency],
    log_returns: &[f64],
) -> Result<Vec<Vec<Shock>>, RiskError> {
    let d = assets.len();
    if d == 0 {
        return Err(RiskError::InvalidParameter {
            name: "assets",
            value: 0.0,
            reason: "at least one asset is needed",
        });
    }
    check_series("log returns", log_returns, 1)?;
    if !log_returns.len().is_multiple_of(d) {
        return Err(RiskError::LengthMismatch {
            left_name: "log returns",
            left: log_returns.len(),
            right_name: "assets",
            right: d,
        });
    }
    log_returns
        .chunks_exact(d)
        .map(|row| {
            row.iter()
                .zip(assets)
                .map(|(x, &a)| Ok(Shock::spot_relative(a, finite("spot move", x.exp_m1())?)))
                .collect()
        })
        .collect()
}

/// The P&L of a book on simulated spot paths, by full revaluation: [`simulated_spot_shocks`]
/// then [`book_pnl`] (the book's own [`Book::revalue_many`]), so options are repriced on every
/// path, not delta-approximated.
///
/// ```text
/// pnl_i = V(base with S_a → S_a·e^{x_{i,a}}) − V(base)     (in `currency`, gain positive)
/// ```
///
/// Feed the result to [`simulated_var_es`]. Reference: Jorion, *Value at Risk* (2007), §12.2.
///
/// # Errors
///
/// As [`simulated_spot_shocks`] and [`book_pnl`].
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 2.0, 90_000.0)?);
/// let x = [0.1f64.ln_1p(), (-0.1f64).ln_1p()];                  // +10 %, −10 %
/// let pnl = derisk::risk::simulated_book_pnl(&book, &m, &[Currency::BTC], &x, Currency::USD)?;
/// assert!((pnl[0] - 20_000.0).abs() < 1e-6 && (pnl[1] + 20_000.0).abs() < 1e-6);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn simulated_book_pnl<I: Instrument + Sync>(
    book: &Book<I>,
    base: &MarketState,
    assets: &[Currency],
    log_returns: &[f64],
    currency: Currency,
) -> Result<Vec<f64>, RiskError> {
    book_pnl(
        book,
        base,
        &simulated_spot_shocks(assets, log_returns)?,
        currency,
    )
}
