//! SABR calibration: Levenberg–Marquardt on (α, ρ, ν) at fixed β, in implied volatility.

use super::hagan::hagan;
use super::Sabr;
use crate::math::least_squares::{least_squares, LmOptions, Problem};
use crate::math::Termination;
use crate::vol::calibration::diagnose;
use crate::vol::{Calibrate, Calibrated, CalibrationError, CalibrationOptions, SliceQuotes};

/// The box of the fit in (α, ρ, ν). α is bounded through its backbone volatility α·F^{β−1}
/// (the ATM lognormal level it implies), so that the bound means the same for every β and
/// forward.
struct Bounds {
    lower: [f64; 3],
    upper: [f64; 3],
}

impl Bounds {
    fn new(quotes: &SliceQuotes, beta: f64, options: &CalibrationOptions) -> Self {
        let scale = quotes.forward().powf(1.0 - beta);
        Self {
            lower: [1e-8 * scale, -0.9999, 0.0],
            upper: [
                options.sabr_max_alpha_vol * scale,
                0.9999,
                options.sabr_max_nu,
            ],
        }
    }
}

/// Σ wᵢ²(σ_B(kᵢ) − σᵢ)² at fixed β; undefined where Hagan's σ_B is not positive and finite
/// (a trial step there is rejected).
struct SabrProblem<'a> {
    quotes: &'a SliceQuotes,
    beta: f64,
}

impl Problem for SabrProblem<'_> {
    fn residuals(&mut self, p: &[f64], r: &mut [f64]) -> bool {
        let (f, t) = (self.quotes.forward(), self.quotes.expiry());
        for (ri, q) in r.iter_mut().zip(self.quotes.quotes()) {
            let v = hagan(f, f * q.log_moneyness.exp(), t, p[0], self.beta, p[1], p[2]);
            if !(v.is_finite() && v > 0.0) {
                return false;
            }
            *ri = q.weight * (v - q.volatility);
        }
        true
    }
}

/// One Levenberg–Marquardt run from `start` = (α, ρ, ν); `None` if the start is invalid.
fn fit_from(
    start: [f64; 3],
    beta: f64,
    quotes: &SliceQuotes,
    bounds: &Bounds,
    max_iterations: u32,
) -> Option<(Sabr, f64, u32, Termination)> {
    let mut x = start;
    let report = least_squares(
        &mut SabrProblem { quotes, beta },
        &mut x,
        bounds.lower,
        bounds.upper,
        quotes.quotes().len(),
        &LmOptions {
            max_iterations,
            ..LmOptions::default()
        },
    );
    if report.termination == Termination::InvalidStart {
        return None;
    }
    let model = Sabr::new(quotes.forward(), quotes.expiry(), x[0], beta, x[1], x[2]).ok()?;
    Some((model, report.cost, report.iterations, report.termination))
}

/// β and the bounds, checked.
fn sabr_inputs(
    quotes: &SliceQuotes,
    options: &CalibrationOptions,
) -> Result<(f64, Bounds), CalibrationError> {
    options.validate()?;
    if quotes.quotes().len() < 3 {
        return Err(CalibrationError::TooFewQuotes {
            quotes: quotes.quotes().len(),
            parameters: 3,
        });
    }
    let beta = options.sabr_beta;
    Ok((beta, Bounds::new(quotes, beta, options)))
}

impl Calibrate for Sabr {
    type Quotes = SliceQuotes;

    /// Levenberg–Marquardt on (α, ρ, ν) with β = `options.sabr_beta` fixed, from six starts
    /// (ρ ∈ {−0.5, 0, 0.5}, ν ∈ {0.3, 1.5}, α from the ATM volatility), weighted by the quotes'
    /// weights in implied volatility, inside the box
    ///
    /// ```text
    /// 1e-8 ≤ α·F^{β−1} ≤ options.sabr_max_alpha_vol,  |ρ| ≤ 0.9999,  0 ≤ ν ≤ options.sabr_max_nu
    /// ```
    ///
    /// The best start is kept; its termination is reported ([`Termination::AtBound`] when it
    /// ends on a bound of the box the fit pushes against) and `iterations` sums the
    /// Levenberg–Marquardt iterations of all six starts.
    fn calibrate(
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let (beta, bounds) = sabr_inputs(quotes, options)?;
        // ATM volatility: the quote nearest k = 0; α ≈ σ_ATM·F^{1−β}.
        let atm = quotes
            .quotes()
            .iter()
            .min_by(|a, b| a.log_moneyness.abs().total_cmp(&b.log_moneyness.abs()))
            .map_or(0.5, |q| q.volatility);
        let alpha0 = atm * quotes.forward().powf(1.0 - beta);
        let mut best: Option<(Sabr, f64, u32, Termination)> = None;
        let mut iterations = 0_u32;
        for rho in [-0.5, 0.0, 0.5] {
            for nu in [0.3_f64, 1.5] {
                let start = [alpha0, rho, nu.min(options.sabr_max_nu)];
                if let Some(fit) = fit_from(start, beta, quotes, &bounds, options.max_iterations) {
                    iterations = iterations.saturating_add(fit.2);
                    if best.as_ref().is_none_or(|b| fit.1 < b.1) {
                        best = Some(fit);
                    }
                }
            }
        }
        let (model, _, _, termination) = best.ok_or(CalibrationError::NoValidStart {
            model: "SABR",
            starts: 6,
        })?;
        Ok(Calibrated {
            diagnostics: diagnose(&model, quotes, iterations, termination)?,
            model,
        })
    }

    /// Levenberg–Marquardt from the previous (α, ρ, ν), β and bounds as in `options`.
    fn recalibrate(
        &self,
        quotes: &SliceQuotes,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        let (beta, bounds) = sabr_inputs(quotes, options)?;
        let [alpha, _, rho, nu] = self.parameters();
        let (model, _, iterations, termination) = fit_from(
            [alpha, rho, nu],
            beta,
            quotes,
            &bounds,
            options.max_iterations,
        )
        .ok_or(CalibrationError::NoValidStart {
            model: "SABR",
            starts: 1,
        })?;
        Ok(Calibrated {
            diagnostics: diagnose(&model, quotes, iterations, termination)?,
            model,
        })
    }
}
