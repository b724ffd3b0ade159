//! How an optimiser ended.

/// How an optimiser ended.
///
/// ```
/// use derisk::vol::Termination;
/// assert_ne!(Termination::Converged, Termination::MaxIterations);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Termination {
    /// The step, gradient or relative improvement fell under its tolerance.
    Converged,
    /// The iteration limit was reached first; the best point so far is returned.
    MaxIterations,
}
