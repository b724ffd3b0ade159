//! Small optimisers for calibration: the one box-bounded Levenberg–Marquardt of the crate and a
//! box-bounded Nelder–Mead for two-dimensional outer problems.
//!
//! Levenberg–Marquardt: K. Levenberg (1944), D. Marquardt (1963), with the damping update of
//! H. B. Nielsen, "Damping parameter in Marquardt's method" (IMM-REP-1999-05) and Marquardt's
//! diagonal scaling; bounds by projection of each step onto the box. Nelder–Mead: J. A. Nelder and
//! R. Mead, Computer Journal 7 (1965), standard coefficients (1, 2, ½, ½), vertices projected onto
//! the box.
//!
//! There is one Levenberg–Marquardt loop, [`minimise_normal`], on the normal equations JᵀJ, Jᵀr
//! with the parameter dimension generic (`Const<N>`: allocation-free; `Dyn`): a problem either
//! accumulates its normal equations itself ([`NormalProblem`], the fast path of the SVI and SSVI
//! fits) or gives residuals and, optionally, a Jacobian ([`Problem`], adapted by
//! [`least_squares`], which forms JᵀJ from them).

#![allow(clippy::needless_range_loop)] // index loops mirror the algorithms' notation

use super::Termination;
use nalgebra::allocator::Allocator;
use nalgebra::{Const, DMatrix, DVector, DefaultAllocator, Dim, OMatrix, OVector};

/// Options of [`minimise_normal`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmOptions {
    /// Iteration limit: damped normal-equation solves (trial steps, accepted or rejected).
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

/// What [`minimise_normal`] reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmReport {
    /// Damped normal-equation solves (trial steps, accepted or rejected); 0 for an invalid start.
    pub iterations: u32,
    /// ½‖r‖² at the returned point.
    pub cost: f64,
    /// How the loop ended. `AtBound` replaces `Converged` when a parameter ends on a bound that
    /// the gradient pushes against (the unconstrained optimum lies outside the box).
    pub termination: Termination,
}

/// A least-squares problem that accumulates its own normal equations: for few parameters and
/// many residuals (or a Jacobian with structure) this avoids storing the Jacobian. `D` is the
/// number of parameters, fixed (`Const<N>`, allocation-free) or dynamic (`Dyn`).
pub(crate) trait NormalProblem<D: Dim>
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    /// Whether a trial step is evaluated by [`NormalProblem::cost`] alone, the normal equations
    /// being formed only once the step is accepted: for problems whose normal equations cost
    /// several residual passes (finite-difference Jacobians). When false, one pass gives the
    /// trial cost and, if the step is accepted, the next normal equations.
    const DEFERRED: bool = false;

    /// ½‖r(x)‖² with JᵀJ and Jᵀr written into the outputs (which hold stale values), or `None`
    /// where r is undefined or not finite.
    fn normal_equations(
        &mut self,
        x: &OVector<f64, D>,
        jtj: &mut OMatrix<f64, D, D>,
        jtr: &mut OVector<f64, D>,
    ) -> Option<f64>;

    /// ½‖r(x)‖² alone, or `None` where r is undefined; only called when `DEFERRED`.
    fn cost(&mut self, _x: &OVector<f64, D>) -> Option<f64> {
        None
    }
}

/// The box-bounded Levenberg–Marquardt on a [`NormalProblem`]; `x` holds the start and
/// receives the result (projected onto the box first).
///
/// Ends `Converged` when the gradient's infinity norm, the projected step (relative to x), the
/// predicted reduction of the nearly undamped model, or an accepted step's reduction falls under
/// its tolerance (`AtBound` instead if a parameter then sits on a bound the gradient pushes
/// against); `MaxIterations` after `max_iterations` trial steps; `LineSearchFailed` when the
/// damping grows past 10³⁰⁰ with no step decreasing the cost; `InvalidStart` when the problem is
/// undefined at the start.
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
        x[i] = x[i].max(lower[i]).min(upper[i]);
    }
    let (rows, cols) = (x.shape_generic().0, Const::<1>);
    let mut a = OMatrix::<f64, D, D>::zeros_generic(rows, rows);
    let mut g = OVector::<f64, D>::zeros_generic(rows, cols);
    let start = problem.normal_equations(x, &mut a, &mut g);
    let Some(mut cost) = start.filter(|c| c.is_finite()) else {
        return LmReport {
            iterations: 0,
            cost: f64::INFINITY,
            termination: Termination::InvalidStart,
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
    // A parameter on a bound that the gradient pushes against is held there (its row and
    // column of the system decoupled): projecting an unconstrained step instead would give
    // the free parameters a step computed as if it moved, and the iteration would crawl.
    let held = |x: &OVector<f64, D>, g: &OVector<f64, D>, i: usize| {
        (x[i] <= lower[i] && g[i] > 0.0) || (x[i] >= upper[i] && g[i] < 0.0)
    };
    let termination = loop {
        let projected = (0..n)
            .filter(|&i| !held(x, &g, i))
            .fold(0.0_f64, |m, i| m.max(g[i].abs()));
        if projected <= options.gtol {
            break Termination::Converged;
        }
        if iterations >= options.max_iterations {
            break Termination::MaxIterations;
        }
        iterations += 1;
        damped.copy_from(&a);
        for i in 0..n {
            damped[(i, i)] += mu * a[(i, i)].max(1e-12);
        }
        h.copy_from(&g);
        h.neg_mut();
        for i in 0..n {
            if held(x, &g, i) {
                for j in 0..n {
                    damped[(i, j)] = 0.0;
                    damped[(j, i)] = 0.0;
                }
                damped[(i, i)] = 1.0;
                h[i] = 0.0;
            }
        }
        if !ldlt_solve(&mut damped, &mut h) {
            mu *= nu;
            nu *= 2.0;
            if !mu.is_finite() || mu > 1e300 {
                break Termination::LineSearchFailed;
            }
            continue;
        }
        let mut x_norm = 0.0_f64;
        for i in 0..n {
            x_try[i] = (x[i] + h[i]).max(lower[i]).min(upper[i]);
            h[i] = x_try[i] - x[i];
            x_norm = x_norm.max(x[i].abs());
        }
        if h.amax() <= options.xtol * (x_norm + options.xtol) {
            break Termination::Converged;
        }
        a.mul_to(&h, &mut ah);
        let predicted = -(g.dot(&h) + 0.5 * h.dot(&ah));
        // A step cut by the box can promise no reduction (predicted ≤ 0): that is no evidence
        // of convergence, so it is tried like any other step.
        if predicted > 0.0 && predicted <= options.ftol * cost && mu <= options.tau {
            // The (nearly undamped) Gauss–Newton model promises a relative reduction under the
            // tolerance that would stop the iteration after the trial anyway: converged without
            // paying for the trial evaluation.
            break Termination::Converged;
        }
        let cost_try = if P::DEFERRED {
            problem.cost(&x_try)
        } else {
            problem.normal_equations(&x_try, &mut a_new, &mut g_new)
        }
        .filter(|c| c.is_finite())
        .unwrap_or(f64::INFINITY);
        let actual = cost - cost_try;
        if cost_try.is_finite() && actual > 0.0 {
            if P::DEFERRED {
                match problem.normal_equations(&x_try, &mut a_new, &mut g_new) {
                    Some(c) if c.is_finite() => {}
                    // The cost was defined there but its normal equations are not: stop on the
                    // last good point.
                    _ => break Termination::LineSearchFailed,
                }
            }
            // Gain ratio; a cut step whose model promised nothing leaves μ as it is (ρ = ½).
            let rho = if predicted > 0.0 {
                actual / predicted
            } else {
                0.5
            };
            x.copy_from(&x_try);
            let previous = cost;
            cost = cost_try;
            std::mem::swap(&mut a, &mut a_new);
            std::mem::swap(&mut g, &mut g_new);
            if actual <= options.ftol * previous {
                break Termination::Converged;
            }
            mu *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
            nu = 2.0;
        } else {
            mu *= nu;
            nu *= 2.0;
            if !mu.is_finite() || mu > 1e300 {
                break Termination::LineSearchFailed;
            }
        }
    };
    let at_bound = (0..n).any(|i| held(x, &g, i) && g[i].abs() > options.gtol);
    LmReport {
        iterations,
        cost,
        termination: if termination == Termination::Converged && at_bound {
            Termination::AtBound
        } else {
            termination
        },
    }
}

/// A least-squares problem given by its residuals r(x) and, optionally, their Jacobian.
pub(crate) trait Problem {
    /// Fills r; false where r is undefined (the step is then rejected).
    fn residuals(&mut self, x: &[f64], r: &mut [f64]) -> bool;
    /// Fills the Jacobian ∂rᵢ/∂xⱼ analytically and returns true, or returns false for a
    /// forward difference.
    fn jacobian(&mut self, _x: &[f64], _jac: &mut DMatrix<f64>) -> bool {
        false
    }
}

/// A [`Problem`] seen as a [`NormalProblem`]: residuals, the Jacobian (analytic or a forward
/// difference, backward at an upper bound), then JᵀJ and Jᵀr. Trial steps cost one residual
/// pass; the residuals of an accepted trial are reused for its Jacobian.
struct Residuals<'a, P> {
    problem: &'a mut P,
    upper: Vec<f64>,
    r: DVector<f64>,
    r_step: DVector<f64>,
    jac: DMatrix<f64>,
    x_step: Vec<f64>,
    /// The point whose residuals `r` holds, if any.
    at: Option<Vec<f64>>,
}

impl<P: Problem> Residuals<'_, P> {
    /// Residuals at x into `r`; ½‖r‖² or `None`.
    fn evaluate(&mut self, x: &[f64]) -> Option<f64> {
        self.at = None;
        let ok = self.problem.residuals(x, self.r.as_mut_slice());
        let cost = 0.5 * self.r.norm_squared();
        (ok && cost.is_finite()).then(|| {
            self.at = Some(x.to_vec());
            cost
        })
    }
}

impl<D: Dim, P: Problem> NormalProblem<D> for Residuals<'_, P>
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    const DEFERRED: bool = true;

    fn normal_equations(
        &mut self,
        x: &OVector<f64, D>,
        jtj: &mut OMatrix<f64, D, D>,
        jtr: &mut OVector<f64, D>,
    ) -> Option<f64> {
        let xs = x.as_slice();
        let cost = if self.at.as_deref() == Some(xs) {
            0.5 * self.r.norm_squared()
        } else {
            self.evaluate(xs)?
        };
        let (m, n) = self.jac.shape();
        if !self.problem.jacobian(xs, &mut self.jac) {
            self.x_step.copy_from_slice(xs);
            for j in 0..n {
                let h0 = 1.5e-8 * xs[j].abs().max(1e-4);
                let h = if xs[j] + h0 > self.upper[j] { -h0 } else { h0 };
                self.x_step[j] = xs[j] + h;
                let ok = self
                    .problem
                    .residuals(&self.x_step, self.r_step.as_mut_slice());
                let step = self.x_step[j] - xs[j];
                for i in 0..m {
                    self.jac[(i, j)] = if ok {
                        (self.r_step[i] - self.r[i]) / step
                    } else {
                        0.0
                    };
                }
                self.x_step[j] = xs[j];
            }
        }
        for i in 0..n {
            for j in i..n {
                let v = self.jac.column(i).dot(&self.jac.column(j));
                jtj[(i, j)] = v;
                jtj[(j, i)] = v;
            }
            jtr[i] = self.jac.column(i).dot(&self.r);
        }
        (jtj.iter().all(|v| v.is_finite()) && jtr.iter().all(|v| v.is_finite())).then_some(cost)
    }

    fn cost(&mut self, x: &OVector<f64, D>) -> Option<f64> {
        self.evaluate(x.as_slice())
    }
}

/// [`minimise_normal`] for a [`Problem`] with `N` parameters and `m` residuals over the box
/// lower ≤ x ≤ upper; `x` holds the start and receives the result.
pub(crate) fn least_squares<const N: usize, P: Problem>(
    problem: &mut P,
    x: &mut [f64; N],
    lower: [f64; N],
    upper: [f64; N],
    m: usize,
    options: &LmOptions,
) -> LmReport {
    let mut adapter = Residuals {
        problem,
        upper: upper.to_vec(),
        r: DVector::zeros(m),
        r_step: DVector::zeros(m),
        jac: DMatrix::zeros(m, N),
        x_step: vec![0.0; N],
        at: None,
    };
    let mut xv = OVector::<f64, Const<N>>::from(*x);
    let report = minimise_normal(
        &mut adapter,
        &mut xv,
        &OVector::<f64, Const<N>>::from(lower),
        &OVector::<f64, Const<N>>::from(upper),
        options,
    );
    *x = xv.into();
    report
}

/// A problem from a residual closure (Jacobian by forward differences), for tests.
#[cfg(test)]
pub(crate) struct ClosureProblem<F>(pub F);

#[cfg(test)]
impl<F: FnMut(&[f64], &mut [f64]) -> bool> Problem for ClosureProblem<F> {
    fn residuals(&mut self, x: &[f64], r: &mut [f64]) -> bool {
        (self.0)(x, r)
    }
}

/// What [`nelder_mead_2d`] reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NmReport {
    pub x: [f64; 2],
    #[allow(dead_code)]
    pub value: f64,
    pub evaluations: u32,
    pub termination: Termination,
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
    let mut termination = Termination::MaxIterations;
    while evaluations < max_evaluations {
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
        let spread_x = (0..2).all(|d| {
            let lo = s.iter().map(|v| v.0[d]).fold(f64::INFINITY, f64::min);
            let hi = s.iter().map(|v| v.0[d]).fold(f64::NEG_INFINITY, f64::max);
            hi - lo <= xtol * scale[d]
        });
        if spread_x && (s[2].1 - s[0].1).abs() <= ftol {
            termination = Termination::Converged;
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
        termination,
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
        let report = least_squares(
            &mut ClosureProblem(|p: &[f64], r: &mut [f64]| {
                for i in 0..t.len() {
                    r[i] = p[0] * (-p[1] * t[i]).exp() - y[i];
                }
                true
            }),
            &mut x,
            [0.0, 0.0],
            [10.0, 10.0],
            t.len(),
            &LmOptions::default(),
        );
        assert_eq!(report.termination, Termination::Converged);
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

    /// y = 2·e^{−0.5 t} on t = 0…9 as a closure problem.
    fn decay() -> ClosureProblem<impl FnMut(&[f64], &mut [f64]) -> bool> {
        ClosureProblem(|p: &[f64], r: &mut [f64]| {
            for (i, ri) in r.iter_mut().enumerate() {
                let t = i as f64;
                *ri = p[0] * (-p[1] * t).exp() - 2.0 * (-0.5 * t).exp();
            }
            true
        })
    }

    #[test]
    fn each_termination_is_reported() {
        let run = |x0: [f64; 2], upper: [f64; 2], max_iterations: u32| {
            let mut x = x0;
            let o = LmOptions {
                max_iterations,
                ..LmOptions::default()
            };
            (
                least_squares(&mut decay(), &mut x, [0.0, 0.0], upper, 10, &o),
                x,
            )
        };
        let (r, _) = run([1.0, 0.1], [10.0, 10.0], 200);
        assert_eq!(r.termination, Termination::Converged);
        // One trial step from far away cannot converge.
        let (r, _) = run([1.0, 0.1], [10.0, 10.0], 1);
        assert_eq!(
            (r.termination, r.iterations),
            (Termination::MaxIterations, 1)
        );
        // The amplitude capped at 1.5 < 2: the fit ends on the bound, pushing against it.
        let (r, x) = run([1.0, 0.1], [1.5, 10.0], 200);
        assert_eq!(r.termination, Termination::AtBound);
        assert_eq!(x[0], 1.5);
        // Undefined residuals at the start.
        let mut x = [1.0];
        let r = least_squares(
            &mut ClosureProblem(|_: &[f64], _: &mut [f64]| false),
            &mut x,
            [0.0],
            [2.0],
            1,
            &LmOptions::default(),
        );
        assert_eq!(
            (r.termination, r.iterations),
            (Termination::InvalidStart, 0)
        );
    }

    /// Normal equations no damping makes positive definite: JᵀJ = −10³⁰⁰.
    struct Indefinite;
    impl NormalProblem<Const<1>> for Indefinite {
        fn normal_equations(
            &mut self,
            x: &OVector<f64, Const<1>>,
            jtj: &mut OMatrix<f64, Const<1>, Const<1>>,
            jtr: &mut OVector<f64, Const<1>>,
        ) -> Option<f64> {
            jtj[(0, 0)] = -1e300;
            jtr[0] = 1.0;
            Some(x[0] * x[0])
        }
    }

    #[test]
    fn a_search_that_finds_no_step_says_so() {
        let mut x = nalgebra::Vector1::new(1.0);
        let bound = nalgebra::Vector1::new(1e9);
        let r = minimise_normal(
            &mut Indefinite,
            &mut x,
            &(-bound),
            &bound,
            &LmOptions::default(),
        );
        assert_eq!(r.termination, Termination::LineSearchFailed);
        assert_eq!(x[0], 1.0);
    }
}
