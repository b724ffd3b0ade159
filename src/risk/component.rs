//! Component (Euler) and incremental VaR/ES by position, from a P&L matrix (scenarios ×
//! positions) or a covariance matrix, and the matrix of a book under scenarios by full
//! revaluation. The maths is in docs/risk.md.

use super::error::RiskError;
use super::measures::{normal_es, normal_var};
use super::stats::{check_confidence, check_series, finite, sum};
use super::traits::RiskMeasure;
use crate::market::{Currency, MarketState, Scenario};
use crate::portfolio::{Book, Instrument, PortfolioError, PositionId};

/// Checks a row-major matrix of `rows × cols` and returns `rows`.
fn check_matrix(pnl: &[f64], positions: usize) -> Result<usize, RiskError> {
    if positions == 0 {
        return Err(RiskError::TooShort {
            name: "positions",
            len: 0,
            min: 1,
        });
    }
    check_series("pnl matrix", pnl, positions)?;
    if !pnl.len().is_multiple_of(positions) {
        return Err(RiskError::LengthMismatch {
            left_name: "pnl matrix",
            left: pnl.len(),
            right_name: "positions",
            right: positions,
        });
    }
    Ok(pnl.len() / positions)
}

fn check_out(out: &[f64], positions: usize) -> Result<(), RiskError> {
    if out.len() == positions {
        Ok(())
    } else {
        Err(RiskError::LengthMismatch {
            left_name: "out",
            left: out.len(),
            right_name: "positions",
            right: positions,
        })
    }
}

/// Fills `order` with (portfolio loss, scenario) and puts the scenario with the `nth` largest
/// loss (0-based, ties by index) at `order[nth]`, the larger ones before it (O(n), in place).
fn select_loss(pnl: &[f64], positions: usize, nth: usize, order: &mut Vec<(f64, usize)>) {
    order.clear();
    order.extend(
        pnl.chunks_exact(positions)
            .enumerate()
            .map(|(s, row)| (-sum(row.iter().copied()), s)),
    );
    order.select_nth_unstable_by(nth, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// Historical component VaR by position: each position's loss on the VaR scenario, the
/// scenario whose portfolio loss is the type-1 (inverted-cdf) α-quantile.
///
/// ```text
/// L_s = −Σ_i pnl[s][i],   s* = the scenario of the ⌈nα⌉-th smallest L_s  (ties by index)
/// C_i = −pnl[s*][i],      Σ_i C_i = L_{s*} = VaR_α (inverted cdf)
/// ```
///
/// This is the Euler allocation of the empirical quantile (the derivative of VaR along w_i is
/// the position's P&L on the VaR scenario; Hallerbach 2003). It is noisy (one scenario decides);
/// [`historical_component_es`] averages the tail and is the more stable choice. `pnl` is
/// row-major (scenario s, position i at `s·positions + i`); `order` is scratch (it grows to
/// the number of scenarios once). Returns
/// the total. References: W. G. Hallerbach, "Decomposing portfolio value-at-risk: a general
/// analysis", *Journal of Risk* 5 (2003); C. Gourieroux, J. P. Laurent and O. Scaillet,
/// "Sensitivity analysis of values at risk", *Journal of Empirical Finance* 7 (2000).
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`], [`RiskError::TooShort`] for no position or scenario,
/// [`RiskError::LengthMismatch`] for a matrix that is not `scenarios × positions` or an `out`
/// not of length `positions`, [`RiskError::NonFinite`]; [`RiskError::Overflow`].
///
/// ```
/// // 4 scenarios × 2 positions; portfolio losses 1, 3, −2, 5; VaR_0.75 = 3rd smallest = 3.
/// let pnl = [-0.5, -0.5, -1.0, -2.0, 1.0, 1.0, -4.0, -1.0];
/// let mut out = [0.0; 2];
/// let total = derisk::risk::historical_component_var(&pnl, 2, 0.75, &mut Vec::new(), &mut out)?;
/// assert_eq!((total, out), (3.0, [1.0, 2.0]));
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn historical_component_var(
    pnl: &[f64],
    positions: usize,
    confidence: f64,
    order: &mut Vec<(f64, usize)>,
    out: &mut [f64],
) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    let n = check_matrix(pnl, positions)?;
    check_out(out, positions)?;
    // ⌈nα⌉-th smallest loss = the (n − ⌈nα⌉ + 1)-th largest (0-based n − ⌈nα⌉).
    let k = (snap(n as f64 * alpha).ceil() as usize).clamp(1, n);
    select_loss(pnl, positions, n - k, order);
    let s = order[n - k].1;
    let row = &pnl[s * positions..(s + 1) * positions];
    for (o, &p) in out.iter_mut().zip(row) {
        *o = -p;
    }
    finite("component var", sum(out.iter().copied()))
}

/// x snapped to the nearest integer when within 1e-9 relative (as the historical estimators).
fn snap(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= 1e-9 * r.abs().max(1.0) {
        r
    } else {
        x
    }
}

/// Historical component ES by position: each position's mean loss over the tail scenarios,
/// with the Acerbi–Tasche weights of [`historical_es`](super::historical_es).
///
/// ```text
/// m = n(1 − α), k = ⌊m⌋, s_1, s_2, … the scenarios by portfolio loss, largest first
/// C_i = −( Σ_{j≤k} pnl[s_j][i] + (m − k)·pnl[s_{k+1}][i] ) / m,    Σ_i C_i = ES_α
/// ```
///
/// The Euler allocation of ES (Tasche 1999); the sum equals the historical ES up to rounding.
/// Returns the total (the sum of the components). Reference: D. Tasche, "Risk contributions and
/// performance measurement" (1999); Acerbi and Tasche (2002).
///
/// # Errors
///
/// As [`historical_component_var`].
///
/// ```
/// let pnl = [-0.5, -0.5, -1.0, -2.0, 1.0, 1.0, -4.0, -1.0];   // losses 1, 3, −2, 5
/// let mut out = [0.0; 2];
/// let es = derisk::risk::historical_component_es(&pnl, 2, 0.5, &mut Vec::new(), &mut out)?;
/// assert_eq!((es, out), (4.0, [2.5, 1.5]));                 // mean of the worst two
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn historical_component_es(
    pnl: &[f64],
    positions: usize,
    confidence: f64,
    order: &mut Vec<(f64, usize)>,
    out: &mut [f64],
) -> Result<f64, RiskError> {
    let alpha = check_confidence(confidence)?;
    let n = check_matrix(pnl, positions)?;
    check_out(out, positions)?;
    let m = snap(n as f64 * (1.0 - alpha)).max(1.0).min(n as f64);
    let k = m.floor() as usize;
    let frac = m - k as f64;
    select_loss(pnl, positions, k.min(n - 1), order);
    for (i, o) in out.iter_mut().enumerate() {
        let tail = order[..k].iter().map(|&(_, s)| pnl[s * positions + i]);
        let edge = (frac > 0.0 && k < n).then(|| frac * pnl[order[k].1 * positions + i]);
        *o = -sum(tail.chain(edge)) / m;
    }
    finite("component es", sum(out.iter().copied()))
}

/// Parametric (normal, zero-mean) component VaR and ES: the Euler allocation of σ_p.
///
/// ```text
/// σ_p = √(wᵀΣw),  C_i = w_i (Σw)_i / σ_p · c,   Σ_i C_i = σ_p · c
/// c = z_α (VaR) or φ(z_α)/(1 − α) (ES)
/// ```
///
/// `exposures` w are position values (P&L per unit return), `covariance` Σ row-major n × n
/// (returns per period). Returns (total VaR, total ES); `var_out` and `es_out` get the
/// components. Reference: Jorion, *Value at Risk* (2007), §7.2 (component VaR).
///
/// # Errors
///
/// [`RiskError::InvalidConfidence`]; [`RiskError::LengthMismatch`] for a covariance not n × n
/// or outputs not of length n; [`RiskError::TooShort`] for no exposure;
/// [`RiskError::NonFinite`]; [`RiskError::Undefined`] for wᵀΣw ≤ 0 (no risk to allocate, or
/// a covariance that is not positive semi-definite).
///
/// ```
/// // Two uncorrelated positions of variance 9 and 16: σ_p = 5, shares 9/25 and 16/25.
/// let (mut v, mut e) = ([0.0; 2], [0.0; 2]);
/// let (var, _) = derisk::risk::normal_component_var(&[1.0, 1.0], &[9.0, 0.0, 0.0, 16.0],
///     0.99, &mut v, &mut e)?;
/// assert!((v[0] / var - 0.36).abs() < 1e-15 && (v[1] / var - 0.64).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn normal_component_var(
    exposures: &[f64],
    covariance: &[f64],
    confidence: f64,
    var_out: &mut [f64],
    es_out: &mut [f64],
) -> Result<(f64, f64), RiskError> {
    let alpha = check_confidence(confidence)?;
    let n = exposures.len();
    check_series("exposures", exposures, 1)?;
    if covariance.len() != n * n {
        return Err(RiskError::LengthMismatch {
            left_name: "covariance",
            left: covariance.len(),
            right_name: "exposures squared",
            right: n * n,
        });
    }
    check_series("covariance", covariance, 1)?;
    check_out(var_out, n)?;
    check_out(es_out, n)?;
    // (Σw)_i into var_out first, then scaled in place.
    for (i, o) in var_out.iter_mut().enumerate() {
        let row = &covariance[i * n..(i + 1) * n];
        *o = sum(row.iter().zip(exposures).map(|(c, w)| c * w));
    }
    let variance = sum(exposures.iter().zip(var_out.iter()).map(|(w, s)| w * s));
    if !(variance > 0.0 && variance.is_finite()) {
        return Err(RiskError::Undefined {
            statistic: "component var",
            reason: "the portfolio variance w'Σw is not positive",
        });
    }
    let sigma = variance.sqrt();
    let (z, tail) = (normal_var(0.0, 1.0, alpha)?, normal_es(0.0, 1.0, alpha)?);
    for ((v, e), w) in var_out.iter_mut().zip(es_out.iter_mut()).zip(exposures) {
        let share = w * *v / sigma;
        *v = finite("component var", share * z)?;
        *e = finite("component es", share * tail)?;
    }
    Ok((sigma * z, sigma * tail))
}

/// Incremental risk by position: the measure of the book minus the measure without the
/// position.
///
/// ```text
/// I_i = ρ(Σ_j pnl[·][j]) − ρ(Σ_{j≠i} pnl[·][j])     (ρ any RiskMeasure: VaR, ES, …)
/// ```
///
/// `scratch` holds one P&L path (it grows to the number of scenarios once); returns ρ of the
/// whole book. Reference: Jorion, *Value at Risk* (2007), §7.2.2 (incremental VaR).
///
/// # Errors
///
/// As [`historical_component_var`] for the shapes, and the measure's errors.
///
/// ```
/// use derisk::risk::{incremental_risk, ValueAtRisk};
/// let pnl = [-0.5, -0.5, -1.0, -2.0, 1.0, 1.0, -4.0, -1.0];   // losses 1, 3, −2, 5
/// let mut out = [0.0; 2];
/// let var = ValueAtRisk::historical(0.5)?;
/// let total = incremental_risk(&pnl, 2, &var, &mut Vec::new(), &mut out)?;
/// assert_eq!(total, 2.0);                       // median of 1, 3, −2, 5 (linear)
/// assert_eq!(out, [1.25, 1.25]);               // either alone: median loss 0.75
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn incremental_risk<M: RiskMeasure + ?Sized>(
    pnl: &[f64],
    positions: usize,
    measure: &M,
    scratch: &mut Vec<f64>,
    out: &mut [f64],
) -> Result<f64, RiskError> {
    let n = check_matrix(pnl, positions)?;
    check_out(out, positions)?;
    let fill = |skip: Option<usize>, buf: &mut Vec<f64>| {
        buf.clear();
        buf.extend((0..n).map(|s| {
            let row = &pnl[s * positions..(s + 1) * positions];
            sum(row
                .iter()
                .enumerate()
                .filter(|&(j, _)| Some(j) != skip)
                .map(|(_, &x)| x))
        }));
    };
    fill(None, scratch);
    let total = measure.evaluate(scratch)?;
    for (i, o) in out.iter_mut().enumerate() {
        fill(Some(i), scratch);
        *o = finite("incremental risk", total - measure.evaluate(scratch)?)?;
    }
    Ok(total)
}

/// The P&L of every position of a book under each scenario, by full revaluation: a
/// scenarios × positions matrix (row-major) for the component and incremental functions.
///
/// ```text
/// pnl[s][i] = V_i(scenario_s(base)) − V_i(base)    in `currency`, gain positive
/// ```
///
/// Each position is valued by [`Book::values`] and converted at the scenario's own FX rates, as
/// [`Book::value`] does; a row sums to [`book_pnl`](super::book_pnl)'s P&L up to rounding.
/// Returns the position ids (the column order) and the matrix.
///
/// # Errors
///
/// [`RiskError::Portfolio`] if the base does not value; [`RiskError::Scenario`] with the index
/// of the first scenario that does not apply or value; [`RiskError::Overflow`].
///
/// ```
/// use derisk::market::{Currency, DayCount, ForwardCurve, Instant, MarketState, Shock};
/// use derisk::portfolio::{Book, Contract, Position};
/// let m = MarketState::builder(Instant::EPOCH, DayCount::Act365Fixed)
///     .underlying(Currency::BTC, ForwardCurve::new(100_000.0, &[])?)
///     .underlying(Currency::ETH, ForwardCurve::new(4_000.0, &[])?)
///     .build()?;
/// let mut book = Book::new();
/// book.insert(Position::new(Contract::spot(Currency::BTC), 1.0, 0.0)?);
/// book.insert(Position::new(Contract::spot(Currency::ETH), 10.0, 0.0)?);
/// let shocks = [Shock::spot_relative(Currency::BTC, -0.1)];
/// let (ids, pnl) = derisk::risk::position_pnl(&book, &m, &shocks, Currency::USD)?;
/// assert_eq!(ids.len(), 2);
/// assert!((pnl[0] + 10_000.0).abs() < 1e-9 && pnl[1] == 0.0);
/// # Ok::<(), derisk::Error>(())
/// ```
pub fn position_pnl<I: Instrument, S: Scenario>(
    book: &Book<I>,
    base: &MarketState,
    scenarios: &[S],
    currency: Currency,
) -> Result<(Vec<PositionId>, Vec<f64>), RiskError> {
    let in_currency = |m: &MarketState| -> Result<Vec<(PositionId, f64)>, PortfolioError> {
        book.values(m)?
            .into_iter()
            .map(|v| Ok((v.id, m.convert(v.value, currency)?.amount)))
            .collect()
    };
    let v0 = in_currency(base)?;
    let mut out = Vec::with_capacity(scenarios.len() * v0.len());
    for (index, s) in scenarios.iter().enumerate() {
        let row = s
            .apply(base)
            .map_err(PortfolioError::from)
            .and_then(|m| in_currency(&m))
            .map_err(|source| RiskError::Scenario { index, source })?;
        for ((_, v), (_, b)) in row.iter().zip(&v0) {
            out.push(finite("position pnl", v - b)?);
        }
    }
    Ok((v0.into_iter().map(|(id, _)| id).collect(), out))
}
