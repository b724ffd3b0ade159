//! `serde` support (feature `serde`): every validated GARCH type deserialises through its
//! constructor (`#[serde(try_from = ...)]`), so a document cannot build a value the
//! constructors would reject; the error is the constructor's [`FitError`], as text.

use serde::{Deserialize, Serialize};

use super::error::FitError;
use super::ewma::Ewma;
use super::fit::{Convergence, GarchModel};
use super::innovation::{InnovationFamily, SkewT, StudentT};
use super::mean::MeanModel;
use super::result::GarchFit;
use super::variance::{Egarch, Garch, Volatility};

/// The orders of a [`Garch`] or [`Egarch`] as written.
#[derive(Serialize, Deserialize)]
pub(crate) struct OrdersRaw {
    p: usize,
    o: usize,
    q: usize,
}

impl TryFrom<OrdersRaw> for Garch {
    type Error = FitError;
    fn try_from(r: OrdersRaw) -> Result<Self, FitError> {
        Garch::new(r.p, r.o, r.q)
    }
}

impl TryFrom<OrdersRaw> for Egarch {
    type Error = FitError;
    fn try_from(r: OrdersRaw) -> Result<Self, FitError> {
        Egarch::new(r.p, r.o, r.q)
    }
}

/// A [`StudentT`] as written.
#[derive(Serialize, Deserialize)]
pub(crate) struct StudentTRaw {
    nu: f64,
}

impl TryFrom<StudentTRaw> for StudentT {
    type Error = FitError;
    fn try_from(r: StudentTRaw) -> Result<Self, FitError> {
        StudentT::new(r.nu)
    }
}

/// A [`SkewT`] as written.
#[derive(Serialize, Deserialize)]
pub(crate) struct SkewTRaw {
    eta: f64,
    lambda: f64,
}

impl TryFrom<SkewTRaw> for SkewT {
    type Error = FitError;
    fn try_from(r: SkewTRaw) -> Result<Self, FitError> {
        SkewT::new(r.eta, r.lambda)
    }
}

/// An [`Ewma`] as written.
#[derive(Serialize, Deserialize)]
pub(crate) struct EwmaRaw {
    lambda: f64,
}

impl TryFrom<EwmaRaw> for Ewma {
    type Error = FitError;
    fn try_from(r: EwmaRaw) -> Result<Self, FitError> {
        Ewma::new(r.lambda)
    }
}

/// A [`GarchModel`] as written: its three parts.
#[derive(Serialize, Deserialize)]
pub(crate) struct GarchModelRaw {
    mean: MeanModel,
    volatility: Volatility,
    innovation: InnovationFamily,
}

impl TryFrom<GarchModelRaw> for GarchModel {
    type Error = FitError;
    fn try_from(r: GarchModelRaw) -> Result<Self, FitError> {
        GarchModel::new(r.mean, r.volatility, r.innovation)
    }
}

impl From<GarchModel> for GarchModelRaw {
    fn from(m: GarchModel) -> Self {
        Self {
            mean: m.mean(),
            volatility: m.volatility(),
            innovation: m.innovation(),
        }
    }
}

/// A [`GarchFit`] as written.
#[derive(Serialize, Deserialize)]
pub(crate) struct GarchFitRaw {
    model: GarchModel,
    params: Vec<f64>,
    loglik: f64,
    backcast: f64,
    residuals: Vec<f64>,
    variance: Vec<f64>,
    cov_classic: Option<Vec<f64>>,
    cov_robust: Option<Vec<f64>>,
    convergence: Option<Convergence>,
    last_y: f64,
}

impl From<GarchFit> for GarchFitRaw {
    fn from(f: GarchFit) -> Self {
        Self {
            model: f.model,
            params: f.params,
            loglik: f.loglik,
            backcast: f.backcast,
            residuals: f.residuals,
            variance: f.variance,
            cov_classic: f.cov_classic,
            cov_robust: f.cov_robust,
            convergence: f.convergence,
            last_y: f.last_y,
        }
    }
}

impl TryFrom<GarchFitRaw> for GarchFit {
    type Error = FitError;
    /// The checks a fit's own values pass: admissible parameters, finite ℓ and backcast,
    /// residuals and variances of one length (≥ 1), finite, variances positive, covariances
    /// k × k and finite.
    fn try_from(r: GarchFitRaw) -> Result<Self, FitError> {
        r.model.check_params(&r.params)?;
        let setting = |name, value: f64| FitError::InvalidSetting { name, value };
        if !r.loglik.is_finite() {
            return Err(setting("loglik", r.loglik));
        }
        if !r.backcast.is_finite() || (!r.model.volatility().is_egarch() && r.backcast <= 0.0) {
            return Err(setting("backcast", r.backcast));
        }
        if !r.last_y.is_finite() {
            return Err(setting("last_y", r.last_y));
        }
        if r.residuals.is_empty() || r.residuals.len() != r.variance.len() {
            return Err(FitError::ParameterCount {
                expected: r.residuals.len(),
                got: r.variance.len(),
            });
        }
        if let Some((index, &value)) = r.residuals.iter().enumerate().find(|(_, v)| !v.is_finite())
        {
            return Err(FitError::NonFinite { index, value });
        }
        if let Some((index, &variance)) = r
            .variance
            .iter()
            .enumerate()
            .find(|(_, v)| !(**v > 0.0 && v.is_finite()))
        {
            return Err(FitError::UndefinedLikelihood { index, variance });
        }
        let k = r.params.len();
        for c in [&r.cov_classic, &r.cov_robust].into_iter().flatten() {
            if c.len() != k * k {
                return Err(FitError::ParameterCount {
                    expected: k * k,
                    got: c.len(),
                });
            }
            if let Some(&v) = c.iter().find(|v| !v.is_finite()) {
                return Err(setting("covariance", v));
            }
        }
        Ok(GarchFit {
            model: r.model,
            params: r.params,
            loglik: r.loglik,
            backcast: r.backcast,
            residuals: r.residuals,
            variance: r.variance,
            cov_classic: r.cov_classic,
            cov_robust: r.cov_robust,
            convergence: r.convergence,
            last_y: r.last_y,
        })
    }
}
