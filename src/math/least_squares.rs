//! Small optimisers for calibration: a box-bounded Levenberg–Marquardt on nalgebra and a
//! box-bounded Nelder–Mead for two-dimensional outer problems.
//!
//! Levenberg–Marquardt: K. Levenberg (1944), D. Marquardt (1963), with the damping update of
//! H. B. Nielsen, "Damping parameter in Marquardt's method" (IMM-REP-1999-05) and Marquardt's
//! diagonal scaling; bounds by projection of each step onto the box. Nelder–Mead: J. A. Nelder and
//! R. Mead, Computer Journal 7 (1965), standard coefficients (1, 2, ½, ½), vertices projected onto
//! the box.

#![allow(clippy::needless_range_loop)] // index loops mirror the algorithms' notation

use nalgebra::allocator::Allocator;
use nalgebra::{Const, DMatrix, DVector, DefaultAllocator, Dim, OMatrix, OVector};

/// How an optimiser stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Gradient, step or relative reduction under its tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// The objective could not be evaluated at the start.
    InvalidStart,
}

/// Options of [`levenberg_marquardt`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmOptions {
    pub max_iterations: u32,
    /// Relative reduction of the cost below which an accepted step ends the iteration.
    pub ftol: f64,
    /// Relative step size below which the iteration ends.
    pub xtol: f64,
    /// Infinity norm of the gradient below which the iteration ends.
    pub gtol: f64,
    /// Initial damping μ, relative to each diagonal element of JᵀJ (Marquardt scaling).
    pub tau: f64,
}

impl Default for LmOptions {
    fn default() -> Self {
        Self {
            max_iterations: 200,
            ftol: 1e-10,
            xtol: 1e-10,
            gtol: 1e-14,
            tau: 1e-3,
        }
    }
}

/// What [`levenberg_marquardt`] reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmReport {
    pub iterations: u32,
    pub cost: f64,
    pub stop: Stop,
}

/// A least-squares problem: residuals r(x) and, optionally, their Jacobian.
pub(crate) trait Problem {
    /// Fills r; false where r is undefined (the step is then rejected).
    fn residuals(&mut self, x: &[f64], r: &mut [f64]) -> bool;
    /// Fills the Jacobian ∂rᵢ/∂xⱼ analytically and returns true, or returns false for a
    /// forward difference.
    fn jacobian(&mut self, _x: &[f64], _jac: &mut DMatrix<f64>) -> bool {
        false
    }
}

/// A problem from a residual closure (Jacobian by forward differences).
struct ClosureProblem<F>(F);

impl<F: FnMut(&[f64], &mut [f64]) -> bool> Problem for ClosureProblem<F> {
    fn residuals(&mut self, x: &[f64], r: &mut [f64]) -> bool {
        (self.0)(x, r)
    }
}

/// Minimises ½‖r(x)‖² over the box lower ≤ x ≤ upper; `x` holds the start and receives the
/// result. `residuals(x, r)` fills r (length `m`) and returns false where r is undefined (the
/// step is then rejected). The Jacobian is a forward difference (backward at an upper bound).
pub(crate) fn levenberg_marquardt<F>(
    residuals: F,
    x: &mut [f64],
    lower: &[f64],
    upper: &[f64],
    m: usize,
    options: &LmOptions,
) -> LmReport
where
    F: FnMut(&[f64], &mut [f64]) -> bool,
{
    minimise(&mut ClosureProblem(residuals), x, lower, upper, m, options)
}

/// [`levenberg_marquardt`] on a [`Problem`], with its analytic Jacobian where it has one.
pub(crate) fn minimise<P: Problem>(
    problem: &mut P,
    x: &mut [f64],
    lower: &[f64],
    upper: &[f64],
    m: usize,
    options: &LmOptions,
) -> LmReport {
    let n = x.len();
    for i in 0..n {
        x[i] = x[i].clamp(lower[i], upper[i]);
    }
    let mut r = DVector::<f64>::zeros(m);
    let mut r_try = DVector::<f64>::zeros(m);
    let mut jac = DMatrix::<f64>::zeros(m, n);
    let mut x_try = x.to_vec();
    if !problem.residuals(x, r.as_mut_slice()) || !r.iter().all(|v| v.is_finite()) {
        return LmReport {
            iterations: 0,
            cost: f64::INFINITY,
            stop: Stop::InvalidStart,
        };
    }
    let mut cost = 0.5 * r.norm_squared();
    let jacobian = |problem: &mut P,
                    x: &[f64],
                    r: &DVector<f64>,
                    jac: &mut DMatrix<f64>,
                    x_try: &mut [f64],
                    r_try: &mut DVector<f64>| {
        if problem.jacobian(x, jac) {
            return;
        }
        x_try.copy_from_slice(x);
        for j in 0..n {
            let h0 = 1.5e-8 * x[j].abs().max(1e-4);
            let h = if x[j] + h0 > upper[j] { -h0 } else { h0 };
            x_try[j] = x[j] + h;
            let ok = problem.residuals(x_try, r_try.as_mut_slice());
            let step = x_try[j] - x[j];
            for i in 0..m {
                jac[(i, j)] = if ok { (r_try[i] - r[i]) / step } else { 0.0 };
            }
            x_try[j] = x[j];
        }
    };
    jacobian(problem, x, &r, &mut jac, &mut x_try, &mut r_try);
    let mut a = jac.tr_mul(&jac);
    let mut g = jac.tr_mul(&r);
    let mut damped = a.clone();
    let mut ah = DVector::<f64>::zeros(n);
    let mut h = DVector::<f64>::zeros(n);
    // Marquardt scaling damps each direction relative to its own curvature: μ is dimensionless.
    let mut mu = options.tau;
    let mut nu = 2.0;
    let mut iterations = 0;
    while iterations < options.max_iterations {
        iterations += 1;
        if g.amax() <= options.gtol {
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        damped.copy_from(&a);
        for i in 0..n {
            damped[(i, i)] += mu * a[(i, i)].max(1e-12);
        }
        let Some(chol) = damped.clone().cholesky() else {
            mu *= nu;
            nu *= 2.0;
            continue;
        };
        h.copy_from(&g);
        h.neg_mut();
        chol.solve_mut(&mut h);
        let mut x_norm = 0.0_f64;
        for i in 0..n {
            x_try[i] = (x[i] + h[i]).clamp(lower[i], upper[i]);
            h[i] = x_try[i] - x[i];
            x_norm = x_norm.max(x[i].abs());
        }
        if h.amax() <= options.xtol * (x_norm + options.xtol) {
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        a.mul_to(&h, &mut ah);
        let predicted = -(g.dot(&h) + 0.5 * h.dot(&ah));
        if predicted <= options.ftol * cost && mu <= options.tau {
            // The (nearly undamped) Gauss–Newton model promises a relative reduction under the
            // tolerance that would stop the iteration after the trial anyway: converged without
            // paying for the trial evaluation.
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        let ok =
            problem.residuals(&x_try, r_try.as_mut_slice()) && r_try.iter().all(|v| v.is_finite());
        let cost_try = if ok {
            0.5 * r_try.norm_squared()
        } else {
            f64::INFINITY
        };
        let actual = cost - cost_try;
        if ok && actual > 0.0 && predicted > 0.0 {
            let rho = actual / predicted;
            x.copy_from_slice(&x_try);
            std::mem::swap(&mut r, &mut r_try);
            let previous = cost;
            cost = cost_try;
            if actual <= options.ftol * previous {
                return LmReport {
                    iterations,
                    cost,
                    stop: Stop::Converged,
                };
            }
            jacobian(problem, x, &r, &mut jac, &mut x_try, &mut r_try);
            jac.tr_mul_to(&jac, &mut a);
            jac.tr_mul_to(&r, &mut g);
            mu *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
            nu = 2.0;
        } else {
            mu *= nu;
            nu *= 2.0;
            if !mu.is_finite() || mu > 1e300 {
                return LmReport {
                    iterations,
                    cost,
                    stop: Stop::Converged,
                };
            }
        }
    }
    LmReport {
        iterations,
        cost,
        stop: Stop::MaxIterations,
    }
}

/// What [`nelder_mead_2d`] reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NmReport {
    pub x: [f64; 2],
    #[allow(dead_code)]
    pub value: f64,
    pub evaluations: u32,
    pub stop: Stop,
}

/// Minimises f over the box [lower, upper] ⊂ ℝ² from `start`, with an initial simplex of
/// sides `scale`. Stops when the simplex is smaller than `xtol` (relative to `scale`) in both
/// coordinates and the values differ by less than `ftol` (absolute), or after `max_evaluations`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn nelder_mead_2d<F>(
    mut f: F,
    start: [f64; 2],
    scale: [f64; 2],
    lower: [f64; 2],
    upper: [f64; 2],
    xtol: f64,
    ftol: f64,
    max_evaluations: u32,
) -> NmReport
where
    F: FnMut([f64; 2]) -> f64,
{
    let clamp = |p: [f64; 2]| {
        [
            p[0].clamp(lower[0], upper[0]),
            p[1].clamp(lower[1], upper[1]),
        ]
    };
    let mut evaluations = 0_u32;
    let mut eval = |p: [f64; 2], evaluations: &mut u32| {
        *evaluations += 1;
        let v = f(p);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
    let p0 = clamp(start);
    let mut p1 = clamp([p0[0] + scale[0], p0[1]]);
    if p1 == p0 {
        p1 = clamp([p0[0] - scale[0], p0[1]]);
    }
    let mut p2 = clamp([p0[0], p0[1] + scale[1]]);
    if p2 == p0 {
        p2 = clamp([p0[0], p0[1] - scale[1]]);
    }
    let mut s = [
        (p0, eval(p0, &mut evaluations)),
        (p1, eval(p1, &mut evaluations)),
        (p2, eval(p2, &mut evaluations)),
    ];
    let mut stop = Stop::MaxIterations;
    while evaluations < max_evaluations {
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
        let spread_x = (0..2).all(|d| {
            let lo = s.iter().map(|v| v.0[d]).fold(f64::INFINITY, f64::min);
            let hi = s.iter().map(|v| v.0[d]).fold(f64::NEG_INFINITY, f64::max);
            hi - lo <= xtol * scale[d]
        });
        if spread_x && (s[2].1 - s[0].1).abs() <= ftol {
            stop = Stop::Converged;
            break;
        }
        let c = [0.5 * (s[0].0[0] + s[1].0[0]), 0.5 * (s[0].0[1] + s[1].0[1])];
        let along = |t: f64| clamp([c[0] + t * (s[2].0[0] - c[0]), c[1] + t * (s[2].0[1] - c[1])]);
        let xr = along(-1.0);
        let fr = eval(xr, &mut evaluations);
        if fr < s[0].1 {
            let xe = along(-2.0);
            let fe = eval(xe, &mut evaluations);
            s[2] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < s[1].1 {
            s[2] = (xr, fr);
        } else {
            let (xc, fc) = if fr < s[2].1 {
                let xc = along(-0.5);
                (xc, eval(xc, &mut evaluations))
            } else {
                let xc = along(0.5);
                (xc, eval(xc, &mut evaluations))
            };
            if fc < s[2].1.min(fr) {
                s[2] = (xc, fc);
            } else {
                let best = s[0].0;
                for v in s.iter_mut().skip(1) {
                    let p = [0.5 * (best[0] + v.0[0]), 0.5 * (best[1] + v.0[1])];
                    *v = (p, eval(p, &mut evaluations));
                }
            }
        }
    }
    s.sort_by(|a, b| a.1.total_cmp(&b.1));
    NmReport {
        x: s[0].0,
        value: s[0].1,
        evaluations,
        stop,
    }
}

/// A least-squares problem that accumulates its own normal equations: for few parameters and
/// many residuals (or a Jacobian with structure) this avoids storing the Jacobian. `D` is the
/// number of parameters, fixed (`Const<N>`, allocation-free) or dynamic (`Dyn`).
pub(crate) trait NormalProblem<D: Dim>
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    /// ½‖r(x)‖² with JᵀJ and Jᵀr written into the outputs (which hold stale values), or `None`
    /// where r is undefined.
    fn normal_equations(
        &mut self,
        x: &OVector<f64, D>,
        jtj: &mut OMatrix<f64, D, D>,
        jtr: &mut OVector<f64, D>,
    ) -> Option<f64>;
}

/// [`minimise`] for a [`NormalProblem`]: the same box-bounded Levenberg–Marquardt, with one
/// pass per trial step giving the trial cost and, if the step is accepted, the next normal
/// equations. `x` holds the start and receives the result.
pub(crate) fn minimise_normal<D: Dim, P: NormalProblem<D>>(
    problem: &mut P,
    x: &mut OVector<f64, D>,
    lower: &OVector<f64, D>,
    upper: &OVector<f64, D>,
    options: &LmOptions,
) -> LmReport
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    let n = x.len();
    for i in 0..n {
        x[i] = x[i].clamp(lower[i], upper[i]);
    }
    let (rows, cols) = (x.shape_generic().0, Const::<1>);
    let mut a = OMatrix::<f64, D, D>::zeros_generic(rows, rows);
    let mut g = OVector::<f64, D>::zeros_generic(rows, cols);
    let Some(mut cost) = problem.normal_equations(x, &mut a, &mut g) else {
        return LmReport {
            iterations: 0,
            cost: f64::INFINITY,
            stop: Stop::InvalidStart,
        };
    };
    let mut a_new = a.clone();
    let mut g_new = g.clone();
    let mut damped = a.clone();
    let mut h = g.clone();
    let mut ah = g.clone();
    let mut x_try = x.clone();
    // Marquardt scaling damps each direction relative to its own curvature: μ is dimensionless.
    let mut mu = options.tau;
    let mut nu = 2.0;
    let mut iterations = 0;
    while iterations < options.max_iterations {
        iterations += 1;
        if g.amax() <= options.gtol {
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        damped.copy_from(&a);
        for i in 0..n {
            damped[(i, i)] += mu * a[(i, i)].max(1e-12);
        }
        h.copy_from(&g);
        h.neg_mut();
        if !ldlt_solve(&mut damped, &mut h) {
            mu *= nu;
            nu *= 2.0;
            continue;
        }
        let mut x_norm = 0.0_f64;
        for i in 0..n {
            x_try[i] = (x[i] + h[i]).clamp(lower[i], upper[i]);
            h[i] = x_try[i] - x[i];
            x_norm = x_norm.max(x[i].abs());
        }
        if h.amax() <= options.xtol * (x_norm + options.xtol) {
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        a.mul_to(&h, &mut ah);
        let predicted = -(g.dot(&h) + 0.5 * h.dot(&ah));
        if predicted <= options.ftol * cost && mu <= options.tau {
            // As in `minimise`: the model promises nothing worth a trial evaluation.
            return LmReport {
                iterations,
                cost,
                stop: Stop::Converged,
            };
        }
        let cost_try = problem
            .normal_equations(&x_try, &mut a_new, &mut g_new)
            .unwrap_or(f64::INFINITY);
        let actual = cost - cost_try;
        if cost_try.is_finite() && actual > 0.0 && predicted > 0.0 {
            let rho = actual / predicted;
            x.copy_from(&x_try);
            let previous = cost;
            cost = cost_try;
            std::mem::swap(&mut a, &mut a_new);
            std::mem::swap(&mut g, &mut g_new);
            if actual <= options.ftol * previous {
                return LmReport {
                    iterations,
                    cost,
                    stop: Stop::Converged,
                };
            }
            mu *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
            nu = 2.0;
        } else {
            mu *= nu;
            nu *= 2.0;
            if !mu.is_finite() || mu > 1e300 {
                return LmReport {
                    iterations,
                    cost,
                    stop: Stop::Converged,
                };
            }
        }
    }
    LmReport {
        iterations,
        cost,
        stop: Stop::MaxIterations,
    }
}

/// Solves A·x = b in place for a symmetric positive definite A by A = L·D·Lᵀ (unit lower L
/// overwrites A's strict lower triangle, D its diagonal): plain loops, and no square roots in
/// the serial chain, which for the few parameters here beats a general factorisation object.
/// False if A is not positive definite.
fn ldlt_solve<D: Dim>(a: &mut OMatrix<f64, D, D>, b: &mut OVector<f64, D>) -> bool
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    let n = b.len();
    for j in 0..n {
        let mut pivot = a[(j, j)];
        for k in 0..j {
            pivot -= a[(j, k)] * a[(j, k)] * a[(k, k)];
        }
        if pivot.is_nan() || pivot <= 0.0 {
            return false;
        }
        a[(j, j)] = pivot;
        let inverse = 1.0 / pivot;
        for i in j + 1..n {
            let mut s = a[(i, j)];
            for k in 0..j {
                s -= a[(i, k)] * a[(j, k)] * a[(k, k)];
            }
            a[(i, j)] = s * inverse;
        }
    }
    // L·y = b, D·z = y, Lᵀ·x = z.
    for i in 0..n {
        for k in 0..i {
            b[i] -= a[(i, k)] * b[k];
        }
    }
    for i in 0..n {
        b[i] /= a[(i, i)];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            b[i] -= a[(k, i)] * b[k];
        }
    }
    b.iter().all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lm_fits_an_exponential_decay() {
        // y = 2·e^{−0.5 t} exactly: the minimum is (2, 0.5) with zero cost.
        let t: Vec<f64> = (0..10).map(f64::from).collect();
        let y: Vec<f64> = t.iter().map(|t| 2.0 * (-0.5 * t).exp()).collect();
        let mut x = [1.0, 0.1];
        let report = levenberg_marquardt(
            |p, r| {
                for i in 0..t.len() {
                    r[i] = p[0] * (-p[1] * t[i]).exp() - y[i];
                }
                true
            },
            &mut x,
            &[0.0, 0.0],
            &[10.0, 10.0],
            t.len(),
            &LmOptions::default(),
        );
        assert_eq!(report.stop, Stop::Converged);
        assert!((x[0] - 2.0).abs() < 1e-8 && (x[1] - 0.5).abs() < 1e-8);
    }

    #[test]
    fn ldlt_solves_positive_definite_systems_only() {
        // A = [[4, 2], [2, 3]], b = A·(1, −2) = (0, −4).
        let mut a = nalgebra::Matrix2::new(4.0, 2.0, 2.0, 3.0);
        let mut b = nalgebra::Vector2::new(0.0, -4.0);
        assert!(ldlt_solve(&mut a, &mut b));
        assert!((b[0] - 1.0).abs() < 1e-15 && (b[1] + 2.0).abs() < 1e-15);
        let mut indefinite = nalgebra::Matrix2::new(1.0, 2.0, 2.0, 1.0);
        assert!(!ldlt_solve(&mut indefinite, &mut b));
    }

    #[test]
    fn nelder_mead_finds_a_bounded_minimum() {
        // (x − 3)² + (y + 1)² on [0, 2] × [−5, 5]: the minimum is at (2, −1).
        let r = nelder_mead_2d(
            |p| (p[0] - 3.0).powi(2) + (p[1] + 1.0).powi(2),
            [0.5, 0.5],
            [0.5, 0.5],
            [0.0, -5.0],
            [2.0, 5.0],
            1e-9,
            1e-14,
            2000,
        );
        assert!((r.x[0] - 2.0).abs() < 1e-7 && (r.x[1] + 1.0).abs() < 1e-7);
    }
}
