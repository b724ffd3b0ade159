//! Errors of the GARCH domain.

/// Why a GARCH model could not be built, evaluated or fitted.
///
/// Every variant says what was wrong and carries the offending values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FitError {
    /// The series is too short for the model (more observations than parameters are needed).
    #[error("{observations} observations are too few: this model needs at least {required}")]
    TooFewObservations {
        /// Observations supplied (after the mean model's lags).
        observations: usize,
        /// Minimum required.
        required: usize,
    },
    /// Every observation is the same: there is no variance to model.
    #[error("the series is constant ({value}): there is no variance to model")]
    ConstantSeries {
        /// The repeated value.
        value: f64,
    },
    /// An observation is NaN or infinite.
    #[error("observation {index} is {value}: every observation must be finite")]
    NonFinite {
        /// Zero-based index of the first offending observation.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// A parameter vector has the wrong length.
    #[error("{got} parameters were given but the model has {expected}")]
    ParameterCount {
        /// Parameters the model has.
        expected: usize,
        /// Parameters given.
        got: usize,
    },
    /// A parameter lies outside its bounds or violates a constraint.
    #[error("parameter {name} = {value} violates the constraint {constraint}")]
    OutsideConstraints {
        /// Name of the parameter (or of the constraint's sum, e.g. `"persistence"`).
        name: String,
        /// Its value.
        value: f64,
        /// The constraint, in words.
        constraint: &'static str,
    },
    /// A model order is invalid (zero or too large).
    #[error("invalid model order: {reason}")]
    InvalidOrder {
        /// What is wrong.
        reason: &'static str,
    },
    /// The model has more parameters than the fitter supports.
    #[error("the model has {count} parameters; at most {max} are supported")]
    TooManyParameters {
        /// Parameters of the model.
        count: usize,
        /// The supported maximum.
        max: usize,
    },
    /// The likelihood is not defined at these parameters (a variance is not positive and finite).
    #[error("the likelihood is not defined at these parameters (variance at observation {index} is {variance})")]
    UndefinedLikelihood {
        /// Observation where the variance failed.
        index: usize,
        /// The variance there.
        variance: f64,
    },
    /// The Hessian of the log-likelihood is singular or not negative definite at the estimate,
    /// so standard errors do not exist there.
    #[error("the Hessian is singular at the estimate: standard errors are undefined")]
    SingularHessian,
    /// A forecast of the variance left (0, ∞): the parameters drive the recursion to an
    /// overflow or an underflow (e.g. an EGARCH log-variance below −745 after an outlier).
    #[error("the variance forecast at step {step} is {variance}: the model's recursion leaves (0, inf) there")]
    UndefinedForecast {
        /// Steps ahead (1 = the next period).
        step: usize,
        /// The variance there.
        variance: f64,
    },
    /// A horizon, path count or length above its documented maximum, or another invalid setting.
    #[error("invalid setting {name} = {value}")]
    InvalidSetting {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: f64,
    },
}
