//! The one bracketed root finder of the crate: Brent's method (inverse quadratic interpolation
//! and secant steps, safeguarded by bisection), on x or on ln x for positive arguments.
//!
//! Brent, R. P. (1973), *Algorithms for Minimization without Derivatives*, ch. 4 (the `zeroin`
//! algorithm): the bracket [a, b] with f(a)·f(b) ≤ 0 shrinks at every step, at worst as fast as
//! bisection every few steps, so the number of evaluations is bounded whatever the function does
//! inside it (flat stretches, jumps, kinks).

use super::Termination;

/// Stopping rules of [`brent`] and [`brent_log`].
///
/// The search stops with [`Termination::Converged`] when f is exactly zero at the best point, or
/// when the bracket is narrower than
///
/// ```text
/// 2·tol,   tol = 2·ε·|b| + absolute_tolerance/2         b = the best point, ε = f64::EPSILON
/// ```
///
/// (in the variable searched: x for [`brent`], u = ln x for [`brent_log`], where it is a relative
/// tolerance on x); and with [`Termination::MaxIterations`] after `max_iterations` evaluations
/// inside the bracket.
///
/// ```
/// let o = derisk::math::RootOptions::default();
/// assert_eq!((o.absolute_tolerance, o.max_iterations), (0.0, 200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RootOptions {
    /// Absolute width below which the bracket counts as converged (0 = as tight as f64 allows).
    pub absolute_tolerance: f64,
    /// Maximum number of evaluations of f inside the bracket (the two ends are not counted).
    pub max_iterations: usize,
}

impl Default for RootOptions {
    /// As tight as f64 allows, at most 200 evaluations (Brent's worst case on a bracket of
    /// f64 range is about 4 × 64 bisections; typical smooth roots take under 15).
    fn default() -> Self {
        Self {
            absolute_tolerance: 0.0,
            max_iterations: 200,
        }
    }
}

/// A root of f in a bracket, with how the search ended.
///
/// `x` is the end of the final `bracket` where |f| is smaller, and `fx` = f(x); the bracket
/// `[lo, hi]` still holds a sign change of f (or an exact zero at `x`). For a discontinuous f
/// the search converges on the jump, where `fx` need not be small: check `fx` when that matters.
/// With [`Termination::InvalidStart`] nothing was iterated and `x`, `fx` are NaN.
///
/// ```
/// use derisk::math::{brent, RootOptions, Termination};
/// let r = brent(|x| x * x - 2.0, 0.0, 2.0, &RootOptions::default());
/// assert_eq!(r.termination, Termination::Converged);
/// assert!((r.x - std::f64::consts::SQRT_2).abs() <= 2.0 * f64::EPSILON);
/// assert!(r.bracket[0] <= r.x && r.x <= r.bracket[1]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Root {
    /// The best point (NaN for [`Termination::InvalidStart`]).
    pub x: f64,
    /// f at `x` (NaN for [`Termination::InvalidStart`]).
    pub fx: f64,
    /// The final bracket `[lo, hi]`, lo ≤ hi, with a sign change of f (or f = 0 at `x`).
    pub bracket: [f64; 2],
    /// Evaluations of f inside the bracket.
    pub iterations: usize,
    /// [`Termination::Converged`], [`Termination::MaxIterations`] or
    /// [`Termination::InvalidStart`].
    pub termination: Termination,
}

impl Root {
    /// The root if the search converged, else `None`.
    ///
    /// ```
    /// use derisk::math::{brent, RootOptions};
    /// // no sign change on [1, 2]: not a bracket
    /// assert_eq!(brent(|x| x * x + 1.0, 1.0, 2.0, &RootOptions::default()).converged(), None);
    /// ```
    #[must_use]
    pub fn converged(&self) -> Option<f64> {
        self.termination.is_converged().then_some(self.x)
    }

    fn invalid(lo: f64, hi: f64) -> Self {
        Self {
            x: f64::NAN,
            fx: f64::NAN,
            bracket: [lo, hi],
            iterations: 0,
            termination: Termination::InvalidStart,
        }
    }
}

/// Brent's root of `f` in the bracket `[lo, hi]` (either order).
///
/// ```text
/// find x in [lo, hi] with f(x) = 0, given f(lo)·f(hi) ≤ 0
/// ```
///
/// Reports [`Termination::InvalidStart`] (nothing iterated) when an end is not finite, f is NaN
/// at an end (±∞ counts as a sign), or f has the same strict sign at both ends. If f is NaN at a trial point inside, the finder
/// probes up to seven evenly spaced points of the current bracket for one where f has a sign; if
/// f is NaN at all of them it stops with [`Termination::InvalidStart`], the bracket it reached
/// and its best end (f is undefined where the root must be sought). The number of evaluations
/// is at most `max_iterations` (+ 7 per NaN probe).
///
/// ```
/// use derisk::math::{brent, RootOptions, Termination};
/// // cos x = x: 0.739085133215160641655312087673873404013411758900757464965680635...
/// let r = brent(|x| x.cos() - x, 0.0, 1.0, &RootOptions::default());
/// assert_eq!(r.termination, Termination::Converged);
/// assert!((r.x - 0.739_085_133_215_160_6).abs() <= 2.0 * f64::EPSILON);
/// // a jump from −1 to +1 at 0.3: the bracket closes on the jump
/// let r = brent(|x| if x < 0.3 { -1.0 } else { 1.0 }, 0.0, 1.0, &RootOptions::default());
/// assert!((r.x - 0.3).abs() < 1e-15);
/// ```
pub fn brent<F: FnMut(f64) -> f64>(mut f: F, lo: f64, hi: f64, options: &RootOptions) -> Root {
    if !(lo.is_finite() && hi.is_finite()) {
        return Root::invalid(lo, hi);
    }
    search(&mut f, lo, hi, options, |u| u)
}

/// Brent's root of `f` over positive x in `[lo, hi]` (either order), searched in u = ln x: the
/// tolerance is then relative in x, and a bracket spanning many decades (a price from 1e-300 to
/// 1e300) takes as many steps as one spanning a few.
///
/// # Reports
///
/// As [`brent`]; [`Termination::InvalidStart`] also when an end is not strictly positive.
///
/// ```
/// use derisk::math::{brent_log, RootOptions, Termination};
/// // x³ = 1e-240 → x = 1e-80, found from a bracket over 600 decades
/// let r = brent_log(|x| (x.ln() * 3.0 + 240.0 * std::f64::consts::LN_10), 1e-300, 1e300, &RootOptions::default());
/// assert_eq!(r.termination, Termination::Converged);
/// assert!((r.x / 1e-80 - 1.0).abs() < 1e-13);
/// ```
pub fn brent_log<F: FnMut(f64) -> f64>(mut f: F, lo: f64, hi: f64, options: &RootOptions) -> Root {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > 0.0) {
        return Root::invalid(lo, hi);
    }
    let (ul, uh) = (lo.ln(), hi.ln());
    // The ends are evaluated at the caller's x exactly, not at exp(ln x).
    let to_x = |u: f64| {
        if u == ul {
            lo
        } else if u == uh {
            hi
        } else {
            u.exp()
        }
    };
    let mut r = search(&mut f, ul, uh, options, to_x);
    if !r.x.is_nan() {
        r.x = to_x(r.x);
    }
    r.bracket = [to_x(r.bracket[0]), to_x(r.bracket[1])];
    r
}

/// zeroin on u, f evaluated at `to_x(u)`; the report is in u.
fn search<F: FnMut(f64) -> f64, G: Fn(f64) -> f64>(
    f: &mut F,
    lo: f64,
    hi: f64,
    options: &RootOptions,
    to_x: G,
) -> Root {
    let mut g = |u: f64| f(to_x(u));
    let (mut a, mut b) = (lo, hi);
    let (mut fa, mut fb) = (g(a), g(b));
    if fa.is_nan() || fb.is_nan() || (fa > 0.0 && fb > 0.0) || (fa < 0.0 && fb < 0.0) {
        return Root::invalid(lo, hi);
    }
    let done = |x: f64, fx: f64, other: f64, iterations: usize, termination| Root {
        x,
        fx,
        bracket: [x.min(other), x.max(other)],
        iterations,
        termination,
    };
    if fa == 0.0 {
        return done(a, fa, a, 0, Termination::Converged);
    }
    if fb == 0.0 {
        return done(b, fb, b, 0, Termination::Converged);
    }
    // c is the previous b (or a), with f(b)·f(c) < 0; b is the best point.
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut e = d;
    let abs_tol = if options.absolute_tolerance.is_finite() {
        options.absolute_tolerance.max(0.0)
    } else {
        0.0
    };
    let mut iterations = 0_usize;
    loop {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * abs_tol;
        let m = 0.5 * (c - b);
        if fb == 0.0 || m.abs() <= tol {
            return done(b, fb, c, iterations, Termination::Converged);
        }
        if iterations >= options.max_iterations {
            return done(b, fb, c, iterations, Termination::MaxIterations);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() && fa.is_finite() && fb.is_finite() {
            // Interpolate: secant when a = c, inverse quadratic otherwise.
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p.is_finite()
                && q.is_finite()
                && 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs())
            {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = g(b);
        iterations += 1;
        if fb.is_nan() {
            // Undefined here: look for a point of the bracket [a, c] where f has a sign.
            let mut probed = None;
            for k in [4.0, 2.0, 6.0, 1.0, 3.0, 5.0, 7.0] {
                let t = a + (c - a) * k / 8.0;
                let ft = g(t);
                iterations += 1;
                if !ft.is_nan() {
                    probed = Some((t, ft));
                    break;
                }
            }
            match probed {
                Some((t, ft)) => {
                    b = t;
                    fb = ft;
                    d = b - a;
                    e = d;
                }
                None => {
                    let (x, fx, other) = if fa.abs() <= fc.abs() {
                        (a, fa, c)
                    } else {
                        (c, fc, a)
                    };
                    return done(x, fx, other, iterations, Termination::InvalidStart);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> RootOptions {
        RootOptions::default()
    }

    #[test]
    fn smooth_roots_to_the_ulp() {
        // x³ − 2x − 5 = 0 (Wallis's equation): 2.0945514815423265914823865405793029638573...
        let r = brent(|x| x * x * x - 2.0 * x - 5.0, 2.0, 3.0, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x - 2.094_551_481_542_326_5).abs() <= 4.0 * f64::EPSILON);
        assert!(r.iterations < 15, "{}", r.iterations);
        // reversed bracket
        let r = brent(|x| x * x * x - 2.0 * x - 5.0, 3.0, 2.0, &opts());
        assert!((r.x - 2.094_551_481_542_326_5).abs() <= 4.0 * f64::EPSILON);
    }

    #[test]
    fn exact_zero_at_an_end() {
        let r = brent(|x| x - 1.0, 1.0, 5.0, &opts());
        assert_eq!(
            (r.x, r.iterations, r.termination),
            (1.0, 0, Termination::Converged)
        );
    }

    #[test]
    fn not_a_bracket_or_not_finite_is_an_invalid_start() {
        for (lo, hi) in [(1.0, 2.0), (f64::NAN, 2.0), (0.0, f64::INFINITY)] {
            let r = brent(|x| x * x + 1.0, lo, hi, &opts());
            assert_eq!(r.termination, Termination::InvalidStart);
            assert!(r.x.is_nan() && r.converged().is_none());
        }
        let r = brent(|_| f64::NAN, 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::InvalidStart);
        let r = brent_log(|x| x - 1.0, 0.0, 2.0, &opts());
        assert_eq!(r.termination, Termination::InvalidStart);
        let r = brent_log(|x| x - 1.0, -1.0, 2.0, &opts());
        assert_eq!(r.termination, Termination::InvalidStart);
    }

    #[test]
    fn flat_stretches_and_flat_functions() {
        // zero on a whole interval [0.4, 0.6]: any point of it is a root
        let f = |x: f64| {
            if x < 0.4 {
                x - 0.4
            } else if x > 0.6 {
                x - 0.6
            } else {
                0.0
            }
        };
        let r = brent(f, 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((0.4..=0.6).contains(&r.x) && r.fx == 0.0);
        // flat away from a late jump: bisection safeguard still closes on it
        let g = |x: f64| if x < 0.999_999 { -1.0 } else { 1.0 };
        let r = brent(g, 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x - 0.999_999).abs() < 1e-15, "{}", r.x);
        assert!(r.iterations <= 200);
        // a constant non-zero function has no sign change
        assert_eq!(
            brent(|_| 3.0, 0.0, 1.0, &opts()).termination,
            Termination::InvalidStart
        );
    }

    #[test]
    fn discontinuous_and_singular() {
        // 1/(x − 0.5) changes sign through a pole: converges on the pole, |fx| is large
        let r = brent(|x| 1.0 / (x - 0.5), 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x - 0.5).abs() < 1e-15 && r.fx.abs() > 1e10);
        // ±∞ at the ends counts as a sign
        let r = brent(|x| (x - 0.25) / (x * (1.0 - x)), 0.0, 1.0, &opts());
        assert!((r.x - 0.25).abs() <= 2.0 * f64::EPSILON);
    }

    #[test]
    fn nan_inside_the_bracket() {
        // NaN on (0.45, 0.55) only; the root 0.8 is found through the probes
        let f = |x: f64| {
            if x > 0.45 && x < 0.55 {
                f64::NAN
            } else {
                x - 0.8
            }
        };
        let r = brent(f, 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x - 0.8).abs() <= 2.0 * f64::EPSILON);
        // NaN everywhere inside: reported, bracket kept, not a panic or a hang
        let g = |x: f64| {
            if x == 0.0 {
                -1.0
            } else if x == 1.0 {
                1.0
            } else {
                f64::NAN
            }
        };
        let r = brent(g, 0.0, 1.0, &opts());
        assert_eq!(r.termination, Termination::InvalidStart);
        assert_eq!(r.bracket, [0.0, 1.0]);
        assert!(r.iterations <= 8);
    }

    #[test]
    fn iteration_cap_is_reported() {
        let r = brent(
            |x| x - 0.123_456_789,
            0.0,
            1.0,
            &RootOptions {
                absolute_tolerance: 0.0,
                max_iterations: 0,
            },
        );
        assert_eq!(r.termination, Termination::MaxIterations);
        assert!(r.bracket[0] <= 0.123_456_789 && 0.123_456_789 <= r.bracket[1]);
    }

    #[test]
    fn absolute_tolerance_stops_early() {
        let o = RootOptions {
            absolute_tolerance: 1e-3,
            max_iterations: 200,
        };
        let r = brent(|x: f64| x.powi(3) - 0.001, -1.0, 1.0, &o);
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x - 0.1).abs() < 1e-3);
    }

    #[test]
    fn log_space_over_the_whole_range() {
        // 1/x − 1e250 = 0 → x = 1e-250 (relative accuracy in x)
        let r = brent_log(|x| 1.0 / x - 1e250, 1e-300, 1e300, &opts());
        assert_eq!(r.termination, Termination::Converged);
        assert!((r.x / 1e-250 - 1.0).abs() < 1e-12, "{}", r.x);
        assert!(r.iterations < 100);
        // ends are used exactly
        let r = brent_log(|x| x - 3.0, 3.0, 7.0, &opts());
        assert_eq!(r.x, 3.0);
    }
}
