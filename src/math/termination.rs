//! How an iterative routine ended: the one report type of every solver, optimiser and fit.

/// How an iterative routine (root finder, least squares, quasi-Newton, a model fit) ended.
///
/// Every iterative routine of the crate reports one of these beside its result, so a caller can
/// tell a converged answer from the best point found when the iterations ran out, stopped at a
/// parameter bound, or could not start.
///
/// ```
/// use derisk::math::{minimize_bounded, MinimizeOptions, Termination};
/// // The objective is undefined at the start: reported, not a panic.
/// let m = minimize_bounded(|_, _| None, &[1.0], &[0.0], &[2.0], &[], None, &MinimizeOptions::default());
/// assert_eq!(m.termination, Termination::InvalidStart);
/// assert!(!m.termination.is_converged());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Termination {
    /// The routine's convergence test passed (step, gradient, decrement or residual under its
    /// tolerance) at an interior point.
    Converged,
    /// The iteration limit was reached first; the best point so far is returned.
    MaxIterations,
    /// The routine stopped with a parameter at one of its bounds (an explicit or a documented
    /// internal one): the answer is the constrained optimum, which may not be the model's.
    AtBound,
    /// No step along the search direction decreased the objective although the convergence test
    /// had not passed (the objective is flat to rounding there, or the curvature model is poor).
    LineSearchFailed,
    /// The objective or residuals are not defined at the starting point, or it violates a
    /// constraint; nothing was iterated.
    InvalidStart,
}

impl Termination {
    /// `true` only for [`Termination::Converged`].
    ///
    /// ```
    /// use derisk::math::Termination;
    /// assert!(Termination::Converged.is_converged());
    /// assert!(!Termination::AtBound.is_converged());
    /// ```
    #[inline]
    #[must_use]
    pub const fn is_converged(self) -> bool {
        matches!(self, Self::Converged)
    }
}
