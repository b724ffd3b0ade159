//! SVI calibration: the quasi-explicit method (Zeliade 2009) polished by Levenberg–Marquardt in
//! implied volatility, warm restarts, and the no-butterfly-arbitrage constrained fit.
//!
//! For fixed (m, σ), with y = (k − m)/σ, raw SVI is linear in (a, d, c) = (a, ρbσ, bσ):
//! w = a + d·y + c·√(y² + 1). The weighted least-squares problem in w, weighted so that it is
//! the first-order expansion of the least squares in implied volatility (δσ ≈ δw/(2σT)), is a
//! 3-D quadratic programme on the box-and-diamond domain
//!
//! ```text
//! a + c − |d| ≥ 0,  a ≤ max wᵢ,  |d| ≤ c,  |d| ≤ 2σ − c      (w ≥ 0, b ≥ 0, |ρ| ≤ 1, Lee: b(1 + |ρ|) ≤ 2)
//! ```
//!
//! (Zeliade's a ≥ 0 is replaced by a + c − |d| ≥ 0, which admits the negative a of real
//! smiles and still implies min w = a + √(c² − d²) ≥ 0), solved exactly by enumerating the
//! active sets (at most three of seven constraints). The outer problem in (m, σ) is solved by a
//! bounded Nelder–Mead (at most 20 evaluations; `max_iterations` if the polish that follows does
//! not converge) from the best point of a coarse 3 × 3 grid. Reference: Zeliade
//! Systems, "Quasi-explicit calibration of Gatheral's SVI model", white paper ZWP-0005 (2009).
//! Then all five raw parameters are polished by Levenberg–Marquardt on the exact implied-vol
//! residuals, so that the fit minimises Σ wᵢ²(σ_model(kᵢ) − σᵢ)².

#![allow(clippy::needless_range_loop)] // index loops mirror the algorithms' notation

use super::jw::SviJw;
use super::raw::{durrleman, Svi};
use crate::math::least_squares::{
    least_squares, minimise_normal, nelder_mead_2d, LmOptions, NormalProblem, Problem,
};
use crate::math::Termination;
use crate::vol::arbitrage::{butterfly_min_g, butterfly_violated_on};
use crate::vol::calibration::ErrorSums;
use crate::vol::{
    Calibrate, Calibrated, CalibrationError, CalibrationOptions, FitDiagnostics, SliceQuotes,
    Smile, VolQuote,
};
use nalgebra::{Const, DMatrix, SMatrix, SVector};

/// Weighted sums for the inner problem at fixed (m, σ).
#[derive(Clone, Copy, Default)]
struct Inner {
    h: [[f64; 3]; 3],
    f: [f64; 3],
    c0: f64,
}

/// Solves n ≤ 6 linear equations by Gaussian elimination with partial pivoting; false if
/// singular.
fn solve_small(n: usize, a: &mut [[f64; 6]; 6], b: &mut [f64; 6]) -> bool {
    for col in 0..n {
        let mut p = col;
        for r in col + 1..n {
            if a[r][col].abs() > a[p][col].abs() {
                p = r;
            }
        }
        if a[p][col].abs() < 1e-300 {
            return false;
        }
        a.swap(col, p);
        b.swap(col, p);
        for r in col + 1..n {
            let factor = a[r][col] / a[col][col];
            if factor != 0.0 {
                for c in col..n {
                    a[r][c] -= factor * a[col][c];
                }
                b[r] -= factor * b[col];
            }
        }
    }
    for col in (0..n).rev() {
        let mut s = b[col];
        for c in col + 1..n {
            s -= a[col][c] * b[c];
        }
        b[col] = s / a[col][col];
    }
    b.iter().take(n).all(|v| v.is_finite())
}

/// Per-quote data in total variance: k, w, and the squared weight.
pub(crate) struct WQuotes {
    k: Vec<f64>,
    w: Vec<f64>,
    weight2: Vec<f64>,
    w_max: f64,
}

impl WQuotes {
    fn new(q: &SliceQuotes) -> Self {
        let t = q.expiry();
        let mut out = Self {
            k: Vec::with_capacity(q.quotes().len()),
            w: Vec::with_capacity(q.quotes().len()),
            weight2: Vec::with_capacity(q.quotes().len()),
            w_max: 0.0,
        };
        for v in q.quotes() {
            let w = v.volatility * v.volatility * t;
            let scale = v.weight / (2.0 * v.volatility * t);
            out.k.push(v.log_moneyness);
            out.w.push(w);
            out.weight2.push(scale * scale);
            out.w_max = out.w_max.max(w);
        }
        out
    }

    fn inner(&self, m: f64, sigma: f64) -> Inner {
        let mut sums = Inner::default();
        for i in 0..self.k.len() {
            sums.add((self.k[i] - m) / sigma, self.w[i], self.weight2[i]);
        }
        sums.symmetrise();
        sums
    }
}

impl Inner {
    /// The sums at (m, σ) straight from the quotes, and max wᵢ: one solve needs no
    /// [`WQuotes`].
    fn from_quotes(q: &SliceQuotes, m: f64, sigma: f64) -> (Self, f64) {
        let t = q.expiry();
        let mut sums = Self::default();
        let mut w_max = 0.0_f64;
        let inverse_sigma = 1.0 / sigma;
        for v in q.quotes() {
            let w = v.volatility * v.volatility * t;
            let scale = v.weight / (2.0 * v.volatility * t);
            sums.add((v.log_moneyness - m) * inverse_sigma, w, scale * scale);
            w_max = w_max.max(w);
        }
        sums.symmetrise();
        (sums, w_max)
    }

    /// Adds a quote at y = (k − m)/σ with total variance w and squared weight q (upper
    /// triangle of h only).
    fn add(&mut self, y: f64, w: f64, q: f64) {
        let z = [1.0, y, (y * y + 1.0).sqrt()];
        for r in 0..3 {
            for c in r..3 {
                self.h[r][c] += q * z[r] * z[c];
            }
            self.f[r] += q * z[r] * w;
        }
        self.c0 += q * w * w;
    }

    fn symmetrise(&mut self) {
        for r in 0..3 {
            for c in 0..r {
                self.h[r][c] = self.h[c][r];
            }
        }
    }
}

/// [`solve_qp`] on the sums of `wq` at (m, σ).
fn solve_inner(wq: &WQuotes, m: f64, sigma: f64) -> ([f64; 3], f64) {
    solve_qp(&wq.inner(m, sigma), wq.w_max, sigma)
}

/// The exact solution of the inner quadratic programme at σ with the sums `inner` taken at
/// (m, σ): ((a, d, c), objective).
fn solve_qp(inner: &Inner, w_max: f64, sigma: f64) -> ([f64; 3], f64) {
    let Inner { h, f, c0 } = *inner;
    // Constraints g·x ≤ e on x = (a, d, c).
    let s2 = 2.0 * sigma;
    // Rows 0–1: a + c ∓ d ≥ 0, a linear sufficient condition for min w = a + √(c² − d²) ≥ 0
    // (√(c² − d²) ≥ c − |d| when |d| ≤ c); row 2: a ≤ max wᵢ; rows 3–6: the diamond.
    let g: [[f64; 3]; 7] = [
        [-1.0, 1.0, -1.0],
        [-1.0, -1.0, -1.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, -1.0],
        [0.0, -1.0, -1.0],
        [0.0, 1.0, 1.0],
        [0.0, -1.0, 1.0],
    ];
    let e = [0.0, 0.0, w_max, 0.0, 0.0, s2, s2];
    let objective = |x: &[f64; 3]| {
        let mut v = c0;
        for r in 0..3 {
            v -= 2.0 * f[r] * x[r];
            for c in 0..3 {
                v += x[r] * h[r][c] * x[c];
            }
        }
        v.max(0.0)
    };
    let feasible = |x: &[f64; 3]| {
        (0..7).all(|j| {
            let lhs = g[j][0] * x[0] + g[j][1] * x[1] + g[j][2] * x[2];
            lhs <= e[j] + 1e-12 * (1.0 + e[j].abs())
        })
    };
    // KKT: H·x + Gₛᵀ·ν = f, Gₛ·x = eₛ; a feasible x with ν ≥ 0 is the optimum of the convex
    // programme, so the enumeration (by growing active sets) stops at the first one.
    let try_set = |set: &[usize]| -> Option<([f64; 3], f64)> {
        let n = 3 + set.len();
        let mut a = [[0.0; 6]; 6];
        let mut b = [0.0; 6];
        for r in 0..3 {
            a[r][..3].copy_from_slice(&h[r]);
            b[r] = f[r];
        }
        for (i, &j) in set.iter().enumerate() {
            for c in 0..3 {
                a[3 + i][c] = g[j][c];
                a[c][3 + i] = g[j][c];
            }
            b[3 + i] = e[j];
        }
        if !solve_small(n, &mut a, &mut b) {
            return None;
        }
        let x = [b[0], b[1], b[2]];
        let multipliers_ok = b[3..n].iter().all(|&nu| nu >= -1e-14);
        (multipliers_ok && feasible(&x)).then(|| (x, objective(&x)))
    };
    if let Some(found) = try_set(&[]) {
        return found;
    }
    for i in 0..7 {
        if let Some(found) = try_set(&[i]) {
            return found;
        }
    }
    for i in 0..7 {
        for j in i + 1..7 {
            if let Some(found) = try_set(&[i, j]) {
                return found;
            }
        }
    }
    for i in 0..7 {
        for j in i + 1..7 {
            for l in j + 1..7 {
                if let Some(found) = try_set(&[i, j, l]) {
                    return found;
                }
            }
        }
    }
    // Degenerate data (singular systems everywhere): the origin is always feasible.
    ([0.0; 3], c0)
}

/// Raw SVI from the inner solution at (m, σ), if it is a valid smile.
fn raw_from_inner(x: [f64; 3], m: f64, sigma: f64) -> Option<Svi> {
    let [a, d, c] = x;
    let b = c / sigma;
    let rho = if c > 0.0 {
        (d / c).clamp(-0.999_999, 0.999_999)
    } else {
        0.0
    };
    Svi::new(a, b, rho, m, sigma).ok()
}

/// The quasi-explicit fit: the exact inner solution on a 3 × 3 grid in (m, σ), then, when
/// `refine`, Nelder–Mead from its best point; returns (smile, outer evaluations, stop).
fn quasi_explicit(
    wq: &WQuotes,
    max_evaluations: u32,
    refine: bool,
) -> Option<(Svi, u32, Termination)> {
    let (k_lo, k_hi) = (wq.k[0], wq.k[wq.k.len() - 1]);
    let span = (k_hi - k_lo).max(1e-3);
    let lower = [k_lo - span, 1e-4 * span];
    let upper = [k_hi + span, 2.0 * span.max(0.5)];
    let mut start = [0.5 * (k_lo + k_hi), 0.2 * span];
    let mut best = f64::INFINITY;
    let mut evaluations = 0;
    for i in 0..3 {
        let m = k_lo + span * (0.2 + 0.3 * f64::from(i));
        for sigma in [0.05, 0.2, 0.8] {
            let sigma = sigma * span;
            let v = solve_inner(wq, m, sigma).1;
            evaluations += 1;
            if v < best {
                best = v;
                start = [m, sigma];
            }
        }
    }
    let mut stop = Termination::Converged;
    if refine {
        let r = nelder_mead_2d(
            |p| solve_inner(wq, p[0], p[1]).1,
            start,
            [0.1 * span, 0.5 * start[1]],
            lower,
            upper,
            1e-3,
            f64::INFINITY,
            max_evaluations,
        );
        evaluations += r.evaluations;
        start = r.x;
        stop = r.termination;
    }
    let (x, _) = solve_inner(wq, start[0], start[1]);
    raw_from_inner(x, start[0], start[1]).map(|s| (s, evaluations, stop))
}

/// The arbitrage grid of the constrained fit: 201 points on [−L, L], L = 3·max|kᵢ| (≥ 1.5).
fn arbitrage_grid(q: &SliceQuotes) -> Vec<f64> {
    let k_max = q
        .quotes()
        .iter()
        .map(|v| v.log_moneyness.abs())
        .fold(0.5, f64::max);
    let l = 3.0 * k_max;
    (0..=200)
        .map(|i| -l + 2.0 * l * f64::from(i) / 200.0)
        .collect()
}

/// How the no-arbitrage constraint enters [`polish`].
#[derive(Clone, Copy)]
enum Constraint<'a> {
    /// Unconstrained (besides the SVI domain and Lee's bound).
    None,
    /// Steps with min g < 0 on the grid's range are rejected.
    Reject(&'a [f64]),
    /// Residuals √λ·max(0, margin − g(kⱼ)) on the grid are added.
    Penalty(&'a [f64], f64, f64),
}

/// The SVI least-squares problem in implied volatility, with its analytic Jacobian.
struct SviProblem<'a> {
    q: &'a SliceQuotes,
    constraint: Constraint<'a>,
    /// Scratch of the normal equations, set up once per fit rather than once per pass.
    block: Block,
}

impl<'a> SviProblem<'a> {
    fn new(q: &'a SliceQuotes, constraint: Constraint<'a>) -> Self {
        Self {
            q,
            constraint,
            block: Block {
                columns: [[0.0; BLOCK]; 5],
                residuals: [0.0; BLOCK],
            },
        }
    }

    fn smile(&mut self, p: &[f64]) -> Option<Svi> {
        let s = Svi::new(p[0], p[1], p[2], p[3], p[4]).ok()?;
        (s.b() * (1.0 + s.rho().abs()) <= 2.0).then_some(s)
    }
}

impl Problem for SviProblem<'_> {
    fn residuals(&mut self, p: &[f64], r: &mut [f64]) -> bool {
        let Some(s) = self.smile(p) else {
            return false;
        };
        let quotes = self.q.quotes();
        match self.constraint {
            Constraint::None => {}
            Constraint::Reject(grid) => {
                let g = butterfly_min_g(&s, grid);
                if g.is_nan() || g < 0.0 {
                    return false;
                }
            }
            Constraint::Penalty(grid, lambda, margin) => {
                let root = lambda.sqrt();
                for (ri, &k) in r[quotes.len()..].iter_mut().zip(grid) {
                    let g = durrleman(k, s.total_variance_derivatives(k));
                    *ri = root * (margin - g).max(0.0);
                }
            }
        }
        let t = self.q.expiry();
        for (ri, v) in r.iter_mut().zip(quotes) {
            let w = s.total_variance(v.log_moneyness);
            if w.is_nan() || w <= 0.0 {
                return false;
            }
            *ri = v.weight * ((w / t).sqrt() - v.volatility);
        }
        true
    }

    fn jacobian(&mut self, p: &[f64], jac: &mut DMatrix<f64>) -> bool {
        if matches!(self.constraint, Constraint::Penalty(..)) {
            return false;
        }
        let [a, b, rho, m, sigma] = [p[0], p[1], p[2], p[3], p[4]];
        let t = self.q.expiry();
        for (i, v) in self.q.quotes().iter().enumerate() {
            let x = v.log_moneyness - m;
            let r = (x * x + sigma * sigma).sqrt();
            let w = a + b * (rho * x + r);
            // ∂σ/∂w = 1/(2σT) with σ = √(w/T).
            let scale = v.weight / (2.0 * (w * t).max(1e-300).sqrt());
            jac[(i, 0)] = scale;
            jac[(i, 1)] = scale * (rho * x + r);
            jac[(i, 2)] = scale * b * x;
            jac[(i, 3)] = -scale * b * (rho + x / r);
            jac[(i, 4)] = scale * b * sigma / r;
        }
        true
    }
}

/// Quotes per block of [`SviProblem::normal_equations`].
const BLOCK: usize = 32;

/// One block of quotes' Jacobian columns and residuals, stored by column.
struct Block {
    columns: [[f64; BLOCK]; 5],
    residuals: [f64; BLOCK],
}

impl Block {
    /// Fills the Jacobian rows and residuals of `quotes` (at most [`BLOCK`]) at raw SVI
    /// `p`, zeros after them; false where w ≤ 0. The loop holds no sums, so the square roots and divisions of
    /// successive quotes overlap.
    fn fill(&mut self, quotes: &[VolQuote], p: [f64; 5], t: f64) -> bool {
        let [a, b, rho, m, sigma] = p;
        let inverse_t = 1.0 / t;
        let mut valid = true;
        for (i, v) in quotes.iter().enumerate() {
            let y = v.log_moneyness - m;
            let r = (y * y + sigma * sigma).sqrt();
            let w = a + b * (rho * y + r);
            valid &= w > 0.0;
            let vol = (w * inverse_t).sqrt();
            // ∂σ/∂w = 1/(2σT); one division gives both it and the 1/r of ∂w/∂m, ∂w/∂σ.
            let inverse = 1.0 / (2.0 * vol * t * r);
            let scale = v.weight * r * inverse;
            let slope = v.weight * b * inverse;
            self.residuals[i] = v.weight * (vol - v.volatility);
            self.columns[0][i] = scale;
            self.columns[1][i] = scale * (rho * y + r);
            self.columns[2][i] = scale * b * y;
            self.columns[3][i] = -scale * b * rho - slope * y;
            self.columns[4][i] = slope * sigma;
        }
        // Rows past the quotes count for nothing in the sums.
        for column in self.columns.iter_mut().chain([&mut self.residuals]) {
            column[quotes.len()..].fill(0.0);
        }
        valid
    }

    /// Adds this block's rows to JᵀJ (upper triangle) and Jᵀr; returns their Σr².
    fn accumulate(&self, normal: &mut [[f64; 5]; 5], gradient: &mut [f64; 5]) -> f64 {
        for i in 0..5 {
            for j in i..5 {
                normal[i][j] += dot(&self.columns[i], &self.columns[j]);
            }
            gradient[i] += dot(&self.columns[i], &self.residuals);
        }
        dot(&self.residuals, &self.residuals)
    }
}

/// x·y over a whole block, with four partial sums so that the products vectorise.
fn dot(x: &[f64; BLOCK], y: &[f64; BLOCK]) -> f64 {
    let mut partial = [0.0; 4];
    for (xs, ys) in x.chunks_exact(4).zip(y.chunks_exact(4)) {
        for l in 0..4 {
            partial[l] += xs[l] * ys[l];
        }
    }
    (partial[0] + partial[1]) + (partial[2] + partial[3])
}

impl NormalProblem<Const<5>> for SviProblem<'_> {
    fn normal_equations(
        &mut self,
        x: &SVector<f64, 5>,
        jtj: &mut SMatrix<f64, 5, 5>,
        jtr: &mut SVector<f64, 5>,
    ) -> Option<f64> {
        let p = [x[0], x[1], x[2], x[3], x[4]];
        self.smile(&p)?;
        let t = self.q.expiry();
        let block = &mut self.block;
        let mut normal = [[0.0; 5]; 5];
        let mut gradient = [0.0; 5];
        let mut sum = 0.0;
        for quotes in self.q.quotes().chunks(BLOCK) {
            if !block.fill(quotes, p, t) {
                return None;
            }
            sum += block.accumulate(&mut normal, &mut gradient);
        }
        *jtj = SMatrix::from_fn(|i, j| normal[i.min(j)][i.max(j)]);
        *jtr = SVector::from(gradient);
        Some(0.5 * sum)
    }
}

/// LM on (a, b, ρ, m, σ) against the implied-vol residuals; steps that leave the valid SVI
/// domain or break Lee's bound are rejected, and the butterfly constraint enters as `constraint`.
fn polish(
    start: &Svi,
    q: &SliceQuotes,
    constraint: Constraint<'_>,
    max_iterations: u32,
) -> (Svi, u32, Termination) {
    let quotes = q.quotes();
    let mut x = start.to_array();
    let lower = [-10.0, 0.0, -0.999_999, -10.0, 1e-6];
    let upper = [10.0, 2.0, 0.999_999, 10.0, 10.0];
    let extra = match constraint {
        Constraint::Penalty(grid, _, _) => grid.len(),
        _ => 0,
    };
    let lm = LmOptions {
        max_iterations,
        // The starts are near the optimum: begin close to Gauss–Newton.
        tau: 1e-6,
        ..LmOptions::default()
    };
    let mut problem = SviProblem::new(q, constraint);
    let report = if matches!(constraint, Constraint::None) {
        // Allocation-free fixed-size LM, the normal equations accumulated by blocks of quotes.
        let mut xv = SVector::from(x);
        let report = minimise_normal(
            &mut problem,
            &mut xv,
            &SVector::from(lower),
            &SVector::from(upper),
            &lm,
        );
        x = xv.into();
        report
    } else {
        // Residuals and their Jacobian (analytic, or a forward difference for the penalty).
        least_squares(
            &mut problem,
            &mut x,
            lower,
            upper,
            quotes.len() + extra,
            &lm,
        )
    };
    match (report.termination, Svi::new(x[0], x[1], x[2], x[3], x[4])) {
        (Termination::InvalidStart, _) | (_, Err(_)) => (*start, 0, Termination::InvalidStart),
        (termination, Ok(s)) => {
            // The domain constraints that reject steps (Lee's bound b(1 + |ρ|) ≤ 2, min w ≥ 0)
            // act as bounds: a fit that converged against one ended on a bound.
            let lee = s.b() * (1.0 + s.rho().abs());
            let min_w = s.a() + s.b() * s.sigma() * (1.0 - s.rho() * s.rho()).sqrt();
            let on_constraint = lee >= 2.0 * (1.0 - 1e-8) || min_w <= 1e-10 * s.b() * s.sigma();
            let termination = if termination == Termination::Converged && on_constraint {
                Termination::AtBound
            } else {
                termination
            };
            (s, report.iterations, termination)
        }
    }
}

/// The constrained fit: penalties of growing weight from the unconstrained fit, keeping the best
/// slice with min g ≥ 0; failing that, the rejection method from Gatheral–Jacquier's repair.
fn constrained(
    fit: &Svi,
    q: &SliceQuotes,
    grid: &[f64],
    max_iterations: u32,
) -> Option<(Svi, u32, Termination)> {
    let mut current = *fit;
    let mut iterations = 0_u32;
    let mut best: Option<(Svi, f64, Termination)> = None;
    // The penalty acts on a grid four times denser than the check, so that g cannot dip
    // between its points by more than the margin.
    let (lo, hi) = (grid[0], grid[grid.len() - 1]);
    let dense: Vec<f64> = (0..=800)
        .map(|i| lo + (hi - lo) * f64::from(i) / 800.0)
        .collect();
    let objective = |s: &Svi| {
        q.quotes()
            .iter()
            .map(|v| {
                let vol = s
                    .implied_vol(q.expiry(), v.log_moneyness)
                    .unwrap_or(f64::INFINITY);
                (v.weight * (vol - v.volatility)).powi(2)
            })
            .sum::<f64>()
    };
    for lambda in [1e2, 1e4, 1e6, 1e8] {
        let (s, it, stop) = polish(
            &current,
            q,
            Constraint::Penalty(&dense, lambda, 1e-4),
            max_iterations,
        );
        iterations = iterations.saturating_add(it);
        current = s;
        if butterfly_min_g(&s, grid) >= 0.0 {
            let v = objective(&s);
            if best.as_ref().is_none_or(|b| v < b.1) {
                best = Some((s, v, stop));
            }
            break;
        }
    }
    if best.is_none()
        && let Some(start) = repaired(fit, q.expiry()).filter(|s| butterfly_min_g(s, grid) >= 0.0)
    {
        let (s, it, stop) = polish(&start, q, Constraint::Reject(grid), max_iterations);
        iterations = iterations.saturating_add(it);
        best = Some((s, objective(&s), stop));
    }
    best.map(|(s, _, stop)| (s, iterations, stop))
}

/// Gatheral–Jacquier's arbitrage-free repair of a slice (§5.2): keep v, ψ, p; set the call
/// wing c' = p + 2ψ and the minimum variance ṽ' = 4pc'·v/(p + c')².
fn repaired(s: &Svi, t: f64) -> Option<Svi> {
    let jw = s.to_jw(t).ok()?;
    let c = jw.p + 2.0 * jw.psi;
    if c < 0.0 {
        return None;
    }
    let v_tilde = jw.v * 4.0 * jw.p * c / ((jw.p + c) * (jw.p + c));
    SviJw { c, v_tilde, ..jw }.to_raw().ok()
}

/// The shared tail of cold and warm fits: optional constrained refit, then diagnostics.
fn finish(
    fit: Svi,
    q: &SliceQuotes,
    options: &CalibrationOptions,
    mut iterations: u32,
    mut stop: Termination,
) -> Result<Calibrated<Svi>, CalibrationError> {
    let mut model = fit;
    if options.no_arbitrage {
        let grid = arbitrage_grid(q);
        if (butterfly_violated_on(&model, &grid) || butterfly_min_g(&model, &grid) < 0.0)
            && let Some((s, it, st)) = constrained(&model, q, &grid, options.max_iterations)
        {
            model = s;
            iterations = iterations.saturating_add(it);
            stop = st;
        }
    }
    Ok(Calibrated {
        diagnostics: diagnose_svi(&model, q, iterations, stop),
        model,
    })
}

/// `calibrate::diagnose` for raw SVI, whose w is never NaN and T > 0: the errors by blocks
/// with branch-free arithmetic (the same values as [`Smile::implied_vol`]), so that they
/// vectorise.
fn diagnose_svi(
    s: &Svi,
    q: &SliceQuotes,
    iterations: u32,
    termination: Termination,
) -> FitDiagnostics {
    let [a, b, rho, m, sigma] = s.to_array();
    let t = q.expiry();
    let mut sums = ErrorSums::default();
    let mut errors = [0.0; BLOCK];
    for quotes in q.quotes().chunks(BLOCK) {
        for (e, v) in errors.iter_mut().zip(quotes) {
            let y = v.log_moneyness - m;
            let w = a + b * (rho * y + (y * y + sigma * sigma).sqrt());
            *e = (w.max(0.0) / t).sqrt() - v.volatility;
        }
        for &e in &errors[..quotes.len()] {
            sums.add(e);
        }
    }
    sums.diagnostics(iterations, termination)
}

/// Σ wᵢ²(σ_model − σᵢ)².
fn objective(s: &Svi, q: &SliceQuotes) -> f64 {
    q.quotes()
        .iter()
        .map(|v| {
            let vol = s
                .implied_vol(q.expiry(), v.log_moneyness)
                .unwrap_or(f64::INFINITY);
            (v.weight * (vol - v.volatility)).powi(2)
        })
        .sum()
}

/// Σ wᵢ²(σ_model − σᵢ)² of two warm-start candidates: the models' w without the checks of
/// [`Smile::implied_vol`] (NaN where w < 0, which no valid smile has), both in one loop so that
/// their square roots pair up.
fn start_costs(candidates: [&Svi; 2], q: &SliceQuotes) -> [f64; 2] {
    let p = candidates.map(Svi::to_array);
    let t = q.expiry();
    let mut costs = [0.0; 2];
    for v in q.quotes() {
        for (cost, [a, b, rho, m, sigma]) in costs.iter_mut().zip(p) {
            let y = v.log_moneyness - m;
            let w = a + b * (rho * y + (y * y + sigma * sigma).sqrt());
            let e = v.weight * ((w / t).sqrt() - v.volatility);
            *cost += e * e;
        }
    }
    costs
}

fn check_count(q: &SliceQuotes) -> Result<(), CalibrationError> {
    if q.quotes().len() < 5 {
        return Err(CalibrationError::TooFewQuotes {
            quotes: q.quotes().len(),
            parameters: 5,
        });
    }
    Ok(())
}

impl Calibrate for Svi {
    type Quotes = SliceQuotes;

    /// Quasi-explicit fit (four Nelder–Mead starts in (m, σ)), polished by Levenberg–Marquardt
    /// in implied volatility; with `no_arbitrage`, a slice with g < 0 on the arbitrage grid is
    /// replaced by Gatheral–Jacquier's repaired slice and refitted under g ≥ 0 on the grid.
    fn calibrate(
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        options.validate()?;
        check_count(quotes)?;
        let wq = WQuotes::new(quotes);
        // Grid → Levenberg–Marquardt; if that ends worse than the refined quasi-explicit
        // start would allow (its stop is not convergence), Nelder–Mead refines the outer problem.
        let too_few = CalibrationError::TooFewQuotes {
            quotes: quotes.quotes().len(),
            parameters: 5,
        };
        let (start, _, _) = quasi_explicit(&wq, 20, true).ok_or(too_few)?;
        let (mut fit, mut it, mut stop) =
            polish(&start, quotes, Constraint::None, options.max_iterations);
        if stop != Termination::Converged {
            // A longer outer search, and its polish replaces the first if it converged or fits
            // better. The reported termination is the kept polish's: the Nelder–Mead start
            // only seeds it.
            let (start, _, _) =
                quasi_explicit(&wq, options.max_iterations.max(50), true).ok_or(too_few)?;
            let (f2, it2, stop2) = polish(&start, quotes, Constraint::None, options.max_iterations);
            it = it.saturating_add(it2);
            if stop2 == Termination::Converged || objective(&f2, quotes) < objective(&fit, quotes) {
                fit = f2;
                stop = stop2;
            }
        }
        finish(fit, quotes, options, it, stop)
    }

    /// Levenberg–Marquardt from the previous parameters, or from the exact inner solution at
    /// the previous (m, σ) when that fits the new quotes better (no outer search).
    fn recalibrate(
        &self,
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        options.validate()?;
        check_count(quotes)?;
        // Re-solve the inner problem exactly at the previous (m, σ): a, b, ρ jump to the new
        // quotes at the cost of one evaluation, and LM starts from the better of the two.
        let (inner, w_max) = Inner::from_quotes(quotes, self.m(), self.sigma());
        let (x, _) = solve_qp(&inner, w_max, self.sigma());
        let start = match raw_from_inner(x, self.m(), self.sigma()) {
            Some(s) => match start_costs([&s, self], quotes) {
                [inner, previous] if inner < previous => s,
                _ => *self,
            },
            None => *self,
        };
        let (fit, it, stop) = polish(&start, quotes, Constraint::None, options.max_iterations);
        finish(fit, quotes, options, it, stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vol::VolQuote;

    /// The quotes of benches/surface.rs: the 27MAR26 BTC slice of tests/data/vol_reference.json,
    /// and the same with every vol up 0.3 points and the skew steeper by 1 point per unit k.
    fn bench_quotes() -> (SliceQuotes, SliceQuotes) {
        let text = include_str!("../../../tests/data/vol_reference.json");
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let s = &v["slices"][1];
        let floats = |x: &serde_json::Value| -> Vec<f64> {
            x.as_array()
                .unwrap()
                .iter()
                .map(|y| y.as_f64().unwrap())
                .collect()
        };
        let q = SliceQuotes::from_strikes(
            s["expiry"].as_f64().unwrap(),
            s["forward"].as_f64().unwrap(),
            &floats(&s["strikes"]),
            &floats(&s["vols"]),
        )
        .unwrap();
        let moved = q
            .quotes()
            .iter()
            .map(|v| VolQuote {
                volatility: v.volatility + 0.003 - 0.01 * v.log_moneyness,
                ..*v
            })
            .collect();
        let moved = SliceQuotes::new(q.expiry(), q.forward(), moved).unwrap();
        (q, moved)
    }

    #[test]
    fn warm_and_cold_fits_agree_on_the_bench_quotes() {
        let options = CalibrationOptions::default();
        let (q, moved) = bench_quotes();
        let previous = Svi::calibrate(&q, &options).unwrap().model;
        let cold = Svi::calibrate(&moved, &options).unwrap();
        let warm = previous.recalibrate(&moved, &options).unwrap();
        assert_eq!(warm.diagnostics.termination, Termination::Converged);
        // Both fits stop once Levenberg–Marquardt's model promises (or a step achieves) a
        // relative cost reduction under ftol = 1e-10, so each ends within about ftol·cost of
        // the minimum; allow ten times that. On the quadratic model ½δᵀJᵀJδ ≤ excess,
        // |δᵢ| ≤ √(2·excess·((JᵀJ)⁻¹)ᵢᵢ), and two such fits differ by at most twice that.
        let x = SVector::from(cold.model.to_array());
        let (mut jtj, mut jtr) = (SMatrix::zeros(), SVector::zeros());
        let mut problem = SviProblem::new(&moved, Constraint::None);
        let cost = problem.normal_equations(&x, &mut jtj, &mut jtr).unwrap();
        let excess = 10.0 * LmOptions::default().ftol * cost;
        let inverse = jtj.try_inverse().unwrap();
        let (c, w) = (cold.model.to_array(), warm.model.to_array());
        for i in 0..5 {
            let tolerance = 2.0 * (2.0 * excess * inverse[(i, i)]).sqrt();
            eprintln!(
                "SVI parameter {i}: |warm − cold| {:.1e} ≤ {tolerance:.1e}",
                (c[i] - w[i]).abs()
            );
            assert!((c[i] - w[i]).abs() <= tolerance, "{c:?} vs {w:?}");
        }
        // The RMSE is √(2·cost/n) for unit weights: relative differences halve.
        let (rc, rw) = (
            cold.diagnostics.rmse_vol_points,
            warm.diagnostics.rmse_vol_points,
        );
        eprintln!("SVI RMSE: cold {rc:.12} warm {rw:.12} vol points");
        assert!((rc - rw).abs() <= excess / cost * rc);
    }
}
