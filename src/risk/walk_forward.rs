//! Walk-forward (rolling recalibration) VaR/ES backtests: a GARCH model refitted every k days
//! on a rolling or expanding window and warm-started from the previous fit, historical
//! simulation and RiskMetrics EWMA, each forecasting day t from the returns before t only, then
//! backtested with the existing tests. The maths is in docs/risk.md.

use super::backtest::{
    basel_traffic_light, christoffersen_independence, conditional_coverage, exceptions, kupiec_pof,
    TrafficLight,
};
use super::error::RiskError;
use super::measures::{
    historical_es, historical_var, normal_es, normal_var, student_t_es, student_t_var,
    QuantileMethod,
};
use super::returns::ewma_volatility;
use super::stats::{check_confidence, check_series};
use super::traits::TestOutcome;
use crate::garch::{
    Convergence, FitError, FitOptions, GarchFit, GarchModel, InnovationFamily, MeanModel,
};
use crate::math::Termination;

/// The fewest returns before the first forecast: the EWMA start (`arch`'s backcast) averages
/// the first 75 squared returns, so no forecast may come before them (no look-ahead).
pub const MIN_FIRST_DAY: usize = 75;

/// The estimation window of each GARCH refit.
///
/// ```text
/// Rolling(n):  fit on r[t−n .. t)      Expanding:  fit on r[0 .. t)      (t = the refit day)
/// ```
///
/// ```
/// use derisk::risk::Window;
/// assert_ne!(Window::Rolling(500), Window::Expanding);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Window {
    /// The last n returns before the refit day.
    Rolling(usize),
    /// Every return before the refit day.
    Expanding,
}

/// The three forecasting models of a walk-forward run.
///
/// ```
/// use derisk::risk::ForecastModel;
/// assert_ne!(ForecastModel::Garch, ForecastModel::Ewma);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ForecastModel {
    /// The configured GARCH model, refitted every k days.
    Garch,
    /// Historical simulation on a rolling window (type-7 quantile, Acerbi–Tasche ES).
    Historical,
    /// RiskMetrics EWMA volatility with zero mean and normal returns.
    Ewma,
}

/// Settings of a walk-forward backtest over a return series (see [`WalkForward::run`]).
///
/// ```text
/// day t (t ≥ first_day) is forecast from r_0 … r_{t−1}; GARCH refits on days first_day + j·k
/// first_day = max(n (rolling) or min_window (expanding), hs_window, 75)
/// ```
///
/// Defaults: warm start on, historical window = the GARCH window (rolling) or the minimum
/// window (expanding, 250 by default), EWMA λ = 0.94, GARCH fitted on returns × 100 (percent, as
/// `arch` expects), forecasts reported in the caller's units.
/// Reference: P. F. Christoffersen, *Elements of Financial Risk Management*, 2nd ed. (2012),
/// ch. 13 (backtesting with a moving estimation window).
///
/// ```
/// use derisk::garch::GarchModel;
/// use derisk::risk::{WalkForward, Window};
/// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(500), &[0.99, 0.975])?;
/// assert_eq!(wf.first_day(), 500);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WalkForward {
    model: GarchModel,
    refit_every: usize,
    window: Window,
    min_window: usize,
    confidences: Vec<f64>,
    warm_start: bool,
    hs_window: usize,
    ewma_lambda: f64,
    scale: f64,
}

/// One GARCH refit: where its window was and what it found (the parameter path).
///
/// ```
/// use derisk::risk::Refit;
/// let r = Refit { day: 500, window_start: 0, params: vec![0.1, 0.2, 0.1, 0.8, 5.0],
///     loglik: -1000.0, convergence: None, warm_started: false };
/// assert_eq!(r.day - r.window_start, 500);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Refit {
    /// The first day forecast with these parameters (the window is r[window_start .. day)).
    pub day: usize,
    /// The first return of the estimation window.
    pub window_start: usize,
    /// The fitted parameters in `arch`'s order, on the scaled (percent) returns.
    pub params: Vec<f64>,
    /// The maximised log-likelihood (of the scaled returns).
    pub loglik: f64,
    /// How the optimiser ended.
    pub convergence: Option<Convergence>,
    /// Whether the fit kept is the one started from the previous refit's parameters (false for
    /// the first refit, with warm start off, where the previous parameters were not admissible
    /// for the new window, or where the warm fit did not converge and the grid-search fit
    /// reached a higher likelihood).
    pub warm_started: bool,
}

/// The backtest of one model's VaR forecasts at one confidence level.
///
/// ```text
/// exceptions = #{t : −r_t > VaR_t},   expected = (1 − α)·observations
/// ```
///
/// ```
/// use derisk::risk::level_backtest;
/// let b = level_backtest(&[1.0; 4], &[-2.0, 0.5, 0.1, -0.2], 0.9, 10)?;
/// assert_eq!((b.exceptions, b.exception_days.clone()), (1, vec![10]));
/// assert!((b.expected - 0.4).abs() < 1e-15);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LevelBacktest {
    /// The VaR confidence α.
    pub confidence: f64,
    /// Days the loss exceeded the VaR forecast.
    pub exceptions: usize,
    /// (1 − α) × observations.
    pub expected: f64,
    /// Days tested.
    pub observations: usize,
    /// The exception days (indices into the return series).
    pub exception_days: Vec<usize>,
    /// Kupiec's proportion-of-failures test.
    pub kupiec: TestOutcome,
    /// Christoffersen's independence test; `None` where the statistic is undefined (no day
    /// after an exception, or no exception at all).
    pub christoffersen: Option<TestOutcome>,
    /// Christoffersen's conditional coverage; `None` where independence is undefined.
    pub conditional_coverage: Option<TestOutcome>,
    /// The Basel traffic light of the exception count.
    pub traffic_light: TrafficLight,
}

/// One model's per-day forecasts and their backtests.
///
/// `var[l][i]` and `es[l][i]` are the VaR and ES at `confidences[l]` for day `first_day + i`, in
/// the caller's units, losses positive. The ES paths are the input of ES backtests (for
/// instance Acerbi–Székely's Z2, which needs the per-day ES and the exception days).
///
/// ```
/// use derisk::risk::{ForecastModel, ModelForecasts};
/// let m = ModelForecasts { model: ForecastModel::Ewma, var: vec![], es: vec![], backtests: vec![] };
/// assert!(m.var.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModelForecasts {
    /// Which model.
    pub model: ForecastModel,
    /// VaR forecasts, one path per confidence level.
    pub var: Vec<Vec<f64>>,
    /// ES forecasts, one path per confidence level.
    pub es: Vec<Vec<f64>>,
    /// The backtest of each level's VaR path.
    pub backtests: Vec<LevelBacktest>,
}

/// The result of [`WalkForward::run`].
///
/// ```
/// # use derisk::garch::GarchModel;
/// # use derisk::risk::{WalkForward, Window};
/// # let r: Vec<f64> = (0..160).map(|i| ((i * 37 % 101) as f64 - 50.0) / 2000.0).collect();
/// # let rep = WalkForward::new(GarchModel::garch11_t(), 30, Window::Rolling(100), &[0.95])?.run(&r)?;
/// assert_eq!(rep.realised.len(), rep.garch.var[0].len());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WalkForwardReport {
    /// The first day forecast (index into the return series).
    pub first_day: usize,
    /// The confidence levels, in the order of every per-level vector.
    pub confidences: Vec<f64>,
    /// The realised returns r[first_day ..] the forecasts are tested against.
    pub realised: Vec<f64>,
    /// The GARCH conditional mean μ of each day (caller's units).
    pub garch_mean: Vec<f64>,
    /// The GARCH conditional volatility σ_t of each day (caller's units).
    pub garch_volatility: Vec<f64>,
    /// GARCH forecasts and backtests.
    pub garch: ModelForecasts,
    /// Historical-simulation forecasts and backtests.
    pub historical: ModelForecasts,
    /// EWMA forecasts and backtests.
    pub ewma: ModelForecasts,
    /// The parameter path: one entry per refit.
    pub refits: Vec<Refit>,
}

fn invalid(name: &'static str, value: f64, reason: &'static str) -> RiskError {
    RiskError::InvalidParameter {
        name,
        value,
        reason,
    }
}

fn garch_error(day: usize) -> impl FnOnce(FitError) -> RiskError {
    move |source| RiskError::Garch { day, source }
}

impl WalkForward {
    /// A walk-forward run of `model` refitted every `refit_every` days on `window`, forecasting
    /// VaR and ES at each of `confidences`.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for `refit_every` = 0, a rolling window of fewer than 2
    /// returns, a mean model other than zero or constant, or an innovation other than normal or
    /// Student-t (ES needs their closed forms); [`RiskError::TooShort`] for no confidence;
    /// [`RiskError::InvalidConfidence`].
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// use derisk::risk::{RiskError, WalkForward, Window};
    /// let bad = WalkForward::new(GarchModel::garch11_t(), 0, Window::Expanding, &[0.99]);
    /// assert!(matches!(bad, Err(RiskError::InvalidParameter { name: "refit_every", .. })));
    /// ```
    pub fn new(
        model: GarchModel,
        refit_every: usize,
        window: Window,
        confidences: &[f64],
    ) -> Result<Self, RiskError> {
        if refit_every == 0 {
            return Err(invalid(
                "refit_every",
                0.0,
                "refit at least every day (k >= 1)",
            ));
        }
        if let Window::Rolling(n) = window
            && n < 2
        {
            return Err(invalid(
                "window",
                n as f64,
                "a rolling window needs >= 2 returns",
            ));
        }
        if !matches!(model.mean(), MeanModel::Zero | MeanModel::Constant) {
            return Err(invalid(
                "mean model",
                model.mean().num_params() as f64,
                "walk-forward supports the zero and constant means only",
            ));
        }
        if !matches!(
            model.innovation(),
            InnovationFamily::Normal | InnovationFamily::StudentT
        ) {
            return Err(invalid(
                "innovation",
                model.innovation().num_params() as f64,
                "walk-forward needs a closed-form ES: normal or student-t innovations",
            ));
        }
        if confidences.is_empty() {
            return Err(RiskError::TooShort {
                name: "confidences",
                len: 0,
                min: 1,
            });
        }
        for &c in confidences {
            check_confidence(c)?;
        }
        let min_window = match window {
            Window::Rolling(n) => n,
            Window::Expanding => 250,
        };
        Ok(Self {
            model,
            refit_every,
            window,
            min_window,
            confidences: confidences.to_vec(),
            warm_start: true,
            hs_window: min_window,
            ewma_lambda: 0.94,
            scale: 100.0,
        })
    }

    /// The same run with the fewest returns of an expanding window's first fit (ignored for a
    /// rolling window, whose first fit has n returns).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for fewer than 2.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Expanding, &[0.99])?
    ///     .with_min_window(300)?;
    /// assert_eq!(wf.first_day(), 300);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_min_window(mut self, min_window: usize) -> Result<Self, RiskError> {
        if min_window < 2 {
            return Err(invalid(
                "min_window",
                min_window as f64,
                "at least 2 returns",
            ));
        }
        if self.window == Window::Expanding {
            self.min_window = min_window;
        }
        Ok(self)
    }

    /// The same run with warm starts on or off.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(300), &[0.99])?;
    /// assert!(wf.warm_start() && !wf.with_warm_start(false).warm_start());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_warm_start(mut self, on: bool) -> Self {
        self.warm_start = on;
        self
    }

    /// The same run with another historical-simulation window.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for a window of 0.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(300), &[0.99])?
    ///     .with_hs_window(500)?;
    /// assert_eq!(wf.first_day(), 500);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_hs_window(mut self, window: usize) -> Result<Self, RiskError> {
        if window == 0 {
            return Err(invalid("hs_window", 0.0, "at least one return"));
        }
        self.hs_window = window;
        Ok(self)
    }

    /// The same run with another EWMA decay λ.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] unless 0 < λ < 1.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(300), &[0.99])?;
    /// assert!(wf.with_ewma_lambda(1.0).is_err());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_ewma_lambda(mut self, lambda: f64) -> Result<Self, RiskError> {
        if !(lambda > 0.0 && lambda < 1.0) {
            return Err(invalid(
                "lambda",
                lambda,
                "the decay must lie strictly between 0 and 1",
            ));
        }
        self.ewma_lambda = lambda;
        Ok(self)
    }

    /// The same run with another scale of the returns given to the GARCH fit (100 by default:
    /// percent returns, as `arch` advises; 1 fits the returns as given).
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] unless the scale is positive and finite.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(300), &[0.99])?;
    /// assert!(wf.with_scale(0.0).is_err());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn with_scale(mut self, scale: f64) -> Result<Self, RiskError> {
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(invalid("scale", scale, "must be positive and finite"));
        }
        self.scale = scale;
        Ok(self)
    }

    /// Whether refits start from the previous parameters.
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(300), &[0.99])?;
    /// assert!(wf.warm_start());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn warm_start(&self) -> bool {
        self.warm_start
    }

    /// The first day forecast: every model has its full window (and the EWMA start) behind it.
    ///
    /// ```text
    /// first_day = max(n or min_window, hs_window, 75)
    /// ```
    ///
    /// ```
    /// use derisk::{garch::GarchModel, risk::{WalkForward, Window}};
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 21, Window::Rolling(20), &[0.99])?;
    /// assert_eq!(wf.first_day(), 75);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn first_day(&self) -> usize {
        self.min_window.max(self.hs_window).max(MIN_FIRST_DAY)
    }

    /// Runs the walk-forward over `returns` (log returns in the caller's units: the P&L of one
    /// unit of value held a day), forecasting every day from `first_day` to the end.
    ///
    /// ```text
    /// GARCH       VaR_t = −μ + σ_t·q_α,  ES_t = −μ + σ_t·ES_z(α)   (q, ES_z of the standardised
    ///             innovation: normal, or t_ν scaled by √((ν−2)/ν)); σ_t from the last refit's
    ///             parameters run through r up to t−1 (the fit's backcast), μ, σ_t ÷ scale
    /// historical  VaR_t = Q_L(α) type 7, ES_t Acerbi–Tasche, on r[t−hs .. t)
    /// EWMA        VaR_t = σ_t·z_α, ES_t = σ_t·φ(z_α)/(1−α),  σ²_{t+1} = λσ²_t + (1−λ)r²_t
    /// ```
    ///
    /// Each refit is a maximum-likelihood fit ([`GarchModel::fit_with`]) started at the previous
    /// parameters when warm start is on and they are admissible for the new window; where that
    /// fit does not end [`Termination::Converged`] (or warm start is off, or for the first
    /// refit) a 3-start grid search runs and the higher likelihood is kept. Backtests: exceptions, Kupiec, Christoffersen independence and
    /// conditional coverage, Basel traffic light, per model and level.
    /// References: Hull, *Risk Management and Financial Institutions*, 5th ed. (2018), §13.3;
    /// J.P. Morgan/Reuters, *RiskMetrics — Technical Document* (1996).
    ///
    /// # Errors
    ///
    /// [`RiskError::TooShort`] for fewer than `first_day + 1` returns, [`RiskError::NonFinite`];
    /// [`RiskError::Garch`] with the refit day where a fit or a variance forecast fails; the
    /// errors of the measures and backtests.
    ///
    /// ```
    /// use derisk::garch::GarchModel;
    /// use derisk::risk::{WalkForward, Window};
    /// let r: Vec<f64> = (0..200).map(|i| ((i * 37 % 101) as f64 - 50.0) / 2000.0).collect();
    /// let wf = WalkForward::new(GarchModel::garch11_t(), 50, Window::Rolling(100), &[0.95])?;
    /// let rep = wf.run(&r)?;
    /// assert_eq!((rep.first_day, rep.realised.len(), rep.refits.len()), (100, 100, 2));
    /// assert!(rep.garch.es[0].iter().zip(&rep.garch.var[0]).all(|(e, v)| e > v));
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn run(&self, returns: &[f64]) -> Result<WalkForwardReport, RiskError> {
        let first = self.first_day();
        check_series("returns", returns, first + 1)?;
        let days = returns.len() - first;
        let levels = self.confidences.len();
        let realised = returns[first..].to_vec();
        let (mean, vol, refits) = self.garch_path(returns, first)?;
        let mut garch = empty_forecasts(ForecastModel::Garch, levels, days);
        let mut historical = empty_forecasts(ForecastModel::Historical, levels, days);
        let mut ewma = empty_forecasts(ForecastModel::Ewma, levels, days);
        let nu = |day: usize| -> Option<f64> {
            let r = refits.iter().rev().find(|r| r.day <= day)?;
            (self.model.innovation() == InnovationFamily::StudentT)
                .then(|| r.params[r.params.len() - 1])
        };
        let sigma_ewma = ewma_volatility(&returns[..returns.len() - 1], self.ewma_lambda)?;
        let mut scratch = Vec::with_capacity(self.hs_window);
        for i in 0..days {
            let t = first + i;
            let hs = &returns[t - self.hs_window..t];
            for (l, &a) in self.confidences.iter().enumerate() {
                let (v, e) = match nu(t) {
                    Some(n) => (
                        student_t_var(mean[i], vol[i], n, a)?,
                        student_t_es(mean[i], vol[i], n, a)?,
                    ),
                    None => (
                        normal_var(mean[i], vol[i], a)?,
                        normal_es(mean[i], vol[i], a)?,
                    ),
                };
                garch.var[l].push(v);
                garch.es[l].push(e);
                historical.var[l].push(historical_var(
                    hs,
                    a,
                    QuantileMethod::Linear,
                    &mut scratch,
                )?);
                historical.es[l].push(historical_es(hs, a, &mut scratch)?);
                ewma.var[l].push(normal_var(0.0, sigma_ewma[t], a)?);
                ewma.es[l].push(normal_es(0.0, sigma_ewma[t], a)?);
            }
        }
        for m in [&mut garch, &mut historical, &mut ewma] {
            for (l, &a) in self.confidences.iter().enumerate() {
                let b = level_backtest(&m.var[l], &realised, a, first)?;
                m.backtests.push(b);
            }
        }
        Ok(WalkForwardReport {
            first_day: first,
            confidences: self.confidences.clone(),
            realised,
            garch_mean: mean,
            garch_volatility: vol,
            garch,
            historical,
            ewma,
            refits,
        })
    }

    /// The GARCH mean and volatility of each forecast day (caller's units) and the refits.
    #[allow(clippy::type_complexity)]
    fn garch_path(
        &self,
        returns: &[f64],
        first: usize,
    ) -> Result<(Vec<f64>, Vec<f64>, Vec<Refit>), RiskError> {
        let y: Vec<f64> = returns.iter().map(|r| r * self.scale).collect();
        let km = self.model.mean().num_params();
        let kv = self.model.volatility().num_params();
        let vol_model = self.model.volatility();
        let (mut mean, mut sigma) = (Vec::new(), Vec::new());
        let mut refits: Vec<Refit> = Vec::new();
        let mut day = first;
        while day < returns.len() {
            let start = match self.window {
                Window::Rolling(n) => day - n,
                Window::Expanding => 0,
            };
            let sample = &y[start..day];
            let prev = refits.last().filter(|_| self.warm_start);
            let warm = prev.and_then(|p| {
                let o = FitOptions {
                    start: Some(p.params.clone()),
                    ..FitOptions::default()
                };
                self.model.fit_with(sample, &o).ok()
            });
            // A warm start that did not end Converged (typically stalled with ω on its bound and
            // α + β = 1: 2 of 150 refits of the BTC/ETH 2019–2025 run) is checked against the
            // 3-start grid search; the higher likelihood is kept.
            let converged = |f: &GarchFit| {
                f.convergence()
                    .is_some_and(|c| c.termination == Termination::Converged)
            };
            let (fit, warm_started) = match warm {
                Some(w) if converged(&w) => (w, true),
                warm => {
                    let cold = self.model.fit_with(
                        sample,
                        &FitOptions {
                            starts: Some(3),
                            ..FitOptions::default()
                        },
                    );
                    match (warm, cold) {
                        (Some(w), Ok(c)) if c.loglik() > w.loglik() => (c, false),
                        (Some(w), _) => (w, true),
                        (None, c) => (c.map_err(garch_error(day))?, false),
                    }
                }
            };
            let params = fit.params().to_vec();
            let mu = if km == 1 { params[0] } else { 0.0 };
            let theta = &params[km..km + kv];
            let mut lags = fit.end_state();
            let end = (day + self.refit_every).min(returns.len());
            for (step, &yt) in y[day..end].iter().enumerate() {
                let (s2, ln_s2) = lags.variance(&vol_model, theta);
                if !(s2 > 0.0 && s2.is_finite()) {
                    return Err(RiskError::Garch {
                        day: day + step,
                        source: FitError::UndefinedForecast {
                            step: step + 1,
                            variance: s2,
                        },
                    });
                }
                mean.push(mu / self.scale);
                sigma.push(s2.sqrt() / self.scale);
                lags.push(&vol_model, yt - mu, s2, ln_s2);
            }
            refits.push(Refit {
                day,
                window_start: start,
                loglik: fit.loglik(),
                convergence: fit.convergence(),
                params,
                warm_started,
            });
            day = end;
        }
        Ok((mean, sigma, refits))
    }
}

fn empty_forecasts(model: ForecastModel, levels: usize, days: usize) -> ModelForecasts {
    ModelForecasts {
        model,
        var: vec![Vec::with_capacity(days); levels],
        es: vec![Vec::with_capacity(days); levels],
        backtests: Vec::with_capacity(levels),
    }
}

/// Backtests one path of VaR forecasts: exceptions, Kupiec, Christoffersen independence and
/// conditional coverage, Basel traffic light. `first_day` numbers the exception days.
///
/// ```text
/// I_t = 1[−realised_t > var_t];  x = Σ I_t;  expected = (1 − α)·n
/// ```
///
/// Reference: Christoffersen (1998); Basel Committee (1996), Table 2.
///
/// # Errors
///
/// As [`exceptions`] and [`kupiec_pof`] (length mismatch, empty or non-finite input, invalid
/// confidence). An undefined independence statistic is reported as `None`, not an error.
///
/// ```
/// use derisk::risk::{level_backtest, Zone};
/// let b = level_backtest(&[1.0; 250], &[0.0; 250], 0.99, 0)?;
/// assert_eq!((b.exceptions, b.traffic_light.zone), (0, Zone::Green));
/// assert!(b.christoffersen.is_none());
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn level_backtest(
    var: &[f64],
    realised: &[f64],
    confidence: f64,
    first_day: usize,
) -> Result<LevelBacktest, RiskError> {
    let hits = exceptions(var, realised)?;
    let n = hits.len();
    let x = hits.iter().filter(|&&h| h).count();
    Ok(LevelBacktest {
        confidence,
        exceptions: x,
        expected: (1.0 - confidence) * n as f64,
        observations: n,
        exception_days: (0..n).filter(|&i| hits[i]).map(|i| first_day + i).collect(),
        kupiec: kupiec_pof(n, x, confidence)?,
        christoffersen: christoffersen_independence(&hits).ok(),
        conditional_coverage: conditional_coverage(&hits, confidence).ok(),
        traffic_light: basel_traffic_light(n, x, confidence)?,
    })
}
