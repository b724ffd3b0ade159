//! Errors of the math kernels.

/// Why a math kernel rejected its input.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MathError {
    /// A probability outside the open interval (0, 1) was passed where a quantile is asked for.
    #[error("probability {probability} is outside the open interval (0, 1)")]
    ProbabilityOutOfRange {
        /// The offending probability.
        probability: f64,
    },
    /// A statistic asked of an empty sample.
    #[error("sample {name} is empty")]
    EmptySample {
        /// Which sample.
        name: &'static str,
    },
    /// A NaN or ±∞ inside a sample.
    #[error("sample {name}[{index}] is not finite: {value}")]
    NonFiniteSample {
        /// Which sample.
        name: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
}
