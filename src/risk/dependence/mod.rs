//! Dependence between return series: Pearson, Kendall and Spearman correlation, the EWMA
//! covariance matrix, pseudo-observations and the Student-t copula (log-likelihood, tail
//! dependence, fit of ν). The maths is in docs/risk.md. Copula sampling lives in `sim`.

mod copula;
mod correlation;
mod ewma;

pub use self::copula::{
    fit_t_copula, kendall_correlation, t_copula_log_likelihood, t_copula_tail_dependence,
    CopulaFit, T_COPULA_NU_BOUNDS,
};
pub use self::correlation::{kendall_tau, pearson, pseudo_observations, ranks, spearman};
pub use self::ewma::ewma_covariance;
