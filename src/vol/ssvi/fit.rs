//! SSVI calibration: Levenberg–Marquardt on [ρ, φ parameters, θ increments] over every quote
//! of every expiry at once, with the normal equations assembled per slice.

#![allow(clippy::needless_range_loop)] // index loops mirror the algorithms' notation

use super::surface::{conditions, ssvi_w};
use super::{Ssvi, SsviPhi};
use crate::math::least_squares::{minimise_normal, LmOptions, NormalProblem};
use crate::math::Termination;
use crate::vol::calibration::ErrorSums;
use crate::vol::{Calibrate, Calibrated, CalibrationError, CalibrationOptions, SliceQuotes};
use nalgebra::{DMatrix, DVector, Dyn};

/// Parameter layout of the fit: [ρ, φ params…, θ₁, θ₂ − θ₁, …] (increments ≥ 0 keep θ
/// increasing, Theorem 4.1's first condition).
fn unpack(x: &[f64], family: &SsviPhi, thetas: &mut [f64]) -> (f64, SsviPhi) {
    let np = family.params().len();
    let phi = family.with_params(&x[1..1 + np]);
    let mut acc = 0.0;
    for (i, th) in thetas.iter_mut().enumerate() {
        acc += x[1 + np + i];
        *th = acc;
    }
    (x[0], phi)
}

/// ATM total variance of a slice: linear interpolation of the quotes' w at k = 0.
fn atm_total_variance(q: &SliceQuotes) -> f64 {
    let t = q.expiry();
    let qs = q.quotes();
    let w = |i: usize| qs[i].volatility * qs[i].volatility * t;
    let j = qs.partition_point(|v| v.log_moneyness < 0.0);
    if j == 0 {
        w(0)
    } else if j == qs.len() {
        w(qs.len() - 1)
    } else {
        let (k0, k1) = (qs[j - 1].log_moneyness, qs[j].log_moneyness);
        w(j - 1) + (w(j) - w(j - 1)) * (0.0 - k0) / (k1 - k0)
    }
}

fn validate(quotes: &[SliceQuotes], parameters: usize) -> Result<usize, CalibrationError> {
    let mut previous = 0.0;
    for (index, q) in quotes.iter().enumerate() {
        if index > 0 && q.expiry() <= previous {
            return Err(CalibrationError::NonIncreasingExpiries {
                index,
                previous,
                expiry: q.expiry(),
            });
        }
        previous = q.expiry();
        // Each expiry's θ needs at least one quote of its own.
        if q.quotes().is_empty() {
            return Err(CalibrationError::TooFewQuotes {
                quotes: 0,
                parameters: 1,
            });
        }
    }
    let n: usize = quotes.iter().map(|q| q.quotes().len()).sum();
    if quotes.is_empty() || n < parameters {
        return Err(CalibrationError::TooFewQuotes {
            quotes: n,
            parameters,
        });
    }
    Ok(n)
}

impl Ssvi {
    /// Fits SSVI with the φ family of `family` (its parameter values are the starting point)
    /// to the slices, all expiries at once: Levenberg–Marquardt on [ρ, φ params, θ increments]
    /// against Σ wᵢ²(σ_model − σᵢ)² over every quote. With `options.no_arbitrage`, steps that
    /// break Theorems 4.1–4.2 at the fitted θ are rejected (the start is made feasible first).
    ///
    /// # Errors
    ///
    /// [`CalibrationError::NonIncreasingExpiries`] unless the slices' expiries increase
    /// strictly; [`CalibrationError::TooFewQuotes`] with fewer quotes than parameters
    /// (expiries + 1 + φ's parameters).
    ///
    /// ```
    /// use derisk::vol::{CalibrationOptions, SliceQuotes, Ssvi, SsviPhi, VolSurface};
    /// let truth = Ssvi::new(-0.4, SsviPhi::PowerLaw { eta: 0.8, gamma: 0.45 }, vec![0.25, 1.0], vec![0.01, 0.045])?;
    /// let ks: Vec<f64> = (0..9).map(|i| -0.4 + 0.1 * f64::from(i)).collect();
    /// let slices = [0.25, 1.0].map(|t| {
    ///     let vols: Vec<f64> = ks.iter().map(|&k| truth.implied_vol(t, k).unwrap()).collect();
    ///     let strikes: Vec<f64> = ks.iter().map(|k| 100.0 * k.exp()).collect();
    ///     SliceQuotes::from_strikes(t, 100.0, &strikes, &vols)
    /// });
    /// let slices = [slices[0].clone()?, slices[1].clone()?];
    /// let fit = Ssvi::calibrate_with(&slices, SsviPhi::PowerLaw { eta: 1.0, gamma: 0.3 }, &CalibrationOptions::default())?;
    /// assert!((fit.model.rho() + 0.4).abs() < 1e-6);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn calibrate_with(
        quotes: &[SliceQuotes],
        family: SsviPhi,
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        options.validate()?;
        let np = family.params().len();
        validate(quotes, quotes.len() + 1 + np)?;
        family.check()?;
        let mut thetas: Vec<f64> = quotes.iter().map(atm_total_variance).collect();
        for i in 1..thetas.len() {
            thetas[i] = thetas[i].max(thetas[i - 1] * 1.0001);
        }
        let mut best: Option<(Self, f64, u32, Termination)> = None;
        let mut iterations = 0_u32;
        for rho in [-0.4, 0.0, 0.4] {
            let start = Self {
                rho,
                phi: family,
                expiries: quotes.iter().map(SliceQuotes::expiry).collect(),
                thetas: thetas.clone(),
            };
            if let Some(fit) = fit_from(&start, quotes, options, 1e-3) {
                iterations = iterations.saturating_add(fit.2);
                if best.as_ref().is_none_or(|b| fit.1 < b.1) {
                    best = Some(fit);
                }
            }
        }
        finish(best, quotes, iterations, 3)
    }
}

fn fit_from(
    start: &Ssvi,
    quotes: &[SliceQuotes],
    options: &CalibrationOptions,
    tau: f64,
) -> Option<(Ssvi, f64, u32, Termination)> {
    let family = start.phi;
    let np = family.params().len();
    let ne = quotes.len();
    let mut x = Vec::with_capacity(1 + np + ne);
    x.push(start.rho);
    x.extend(family.params());
    let mut previous = 0.0;
    for &th in &start.thetas {
        x.push((th - previous).max(1e-8));
        previous = th;
    }
    let (mut lower, mut upper) = family.bounds();
    lower.insert(0, -0.999);
    upper.insert(0, 0.999);
    lower.extend(std::iter::repeat_n(0.0, ne));
    lower[1 + np] = 1e-8;
    upper.extend(std::iter::repeat_n(10.0, ne));
    let mut thetas = vec![0.0; ne];
    if options.no_arbitrage {
        // A feasible start: shrink φ until Theorems 4.1–4.2 hold.
        for _ in 0..60 {
            let (rho, phi) = unpack(&x, &family, &mut thetas);
            let c = conditions(rho, &phi, &thetas);
            if c.calendar && c.butterfly {
                break;
            }
            x[1] *= match family {
                SsviPhi::Heston { .. } => 1.5,
                SsviPhi::PowerLaw { .. } => 0.7,
            };
            x[0] *= 0.9;
        }
    }
    let mut x = DVector::from_vec(x);
    let report = minimise_normal(
        &mut SsviProblem {
            quotes,
            family,
            no_arbitrage: options.no_arbitrage,
            thetas: vec![0.0; ne],
        },
        &mut x,
        &DVector::from_vec(lower),
        &DVector::from_vec(upper),
        &LmOptions {
            max_iterations: options.max_iterations,
            tau,
            ..LmOptions::default()
        },
    );
    if report.termination == Termination::InvalidStart {
        return None;
    }
    let (rho, phi) = unpack(x.as_slice(), &family, &mut thetas);
    let model = Ssvi::new(rho, phi, start.expiries.clone(), thetas).ok()?;
    Some((model, report.cost, report.iterations, report.termination))
}

/// The SSVI least-squares problem over all slices, with its analytic normal equations.
struct SsviProblem<'a> {
    quotes: &'a [SliceQuotes],
    family: SsviPhi,
    no_arbitrage: bool,
    thetas: Vec<f64>,
}

impl SsviPhi {
    /// φ(θ), ∂φ/∂θ and ∂φ/∂(its parameters).
    fn with_derivatives(&self, theta: f64) -> (f64, f64, [f64; 2]) {
        let f = self.value(theta);
        match *self {
            Self::PowerLaw { eta, gamma } => (
                f,
                f * (-gamma / theta - (1.0 - gamma) / (1.0 + theta)),
                [f / eta, f * ((1.0 + theta).ln() - theta.ln())],
            ),
            Self::Heston { lambda } => {
                let h = 1e-6 * theta;
                let dtheta = (self.value(theta + h) - self.value(theta - h)) / (2.0 * h);
                let hl = 1e-6 * lambda;
                let up = Self::Heston {
                    lambda: lambda + hl,
                }
                .value(theta);
                let down = Self::Heston {
                    lambda: lambda - hl,
                }
                .value(theta);
                (f, dtheta, [(up - down) / (2.0 * hl), 0.0])
            }
        }
    }
}

/// One slice's share of the normal equations in the slice's own coordinates
/// u = (∂/∂ρ, ∂/∂φ params (zero-padded to two), ∂/∂θ of this slice).
#[derive(Default)]
struct SliceSums {
    normal: [[f64; 4]; 4],
    gradient: [f64; 4],
    squares: f64,
}

impl SliceSums {
    /// The sums over `q`'s quotes at ATM total variance θ, ρ and φ.
    fn new(q: &SliceQuotes, theta: f64, rho: f64, phi: &SsviPhi) -> Option<Self> {
        let t = q.expiry();
        let (f, df_dtheta, df_dp) = phi.with_derivatives(theta);
        let mut sums = Self::default();
        for v in q.quotes() {
            let k = v.log_moneyness;
            let x = f * k;
            let big_r = ((x + rho) * (x + rho) + 1.0 - rho * rho).sqrt();
            let w = 0.5 * theta * (1.0 + rho * x + big_r);
            let vol = (w / t).sqrt();
            let residual = v.weight * (vol - v.volatility);
            let dr_dw = v.weight / (2.0 * (w * t).max(1e-300).sqrt());
            let dw_dphi = 0.5 * theta * k * (rho + (x + rho) / big_r);
            let dw_dtheta = 0.5 * (1.0 + rho * x + big_r) + dw_dphi * df_dtheta;
            let u = [
                dr_dw * 0.5 * theta * (x + x / big_r),
                dr_dw * dw_dphi * df_dp[0],
                dr_dw * dw_dphi * df_dp[1],
                dr_dw * dw_dtheta,
            ];
            for i in 0..4 {
                for j in 0..4 {
                    sums.normal[i][j] += u[i] * u[j];
                }
                sums.gradient[i] += u[i] * residual;
            }
            sums.squares += residual * residual;
        }
        sums.squares.is_finite().then_some(sums)
    }
}

impl NormalProblem<Dyn> for SsviProblem<'_> {
    /// The θ-increment columns are cumulative (θₛ = Σ_{l ≤ s} incₗ): slice s's ∂/∂θₛ enters
    /// every increment l ≤ s, so JᵀJ is assembled from per-slice 4 × 4 sums and suffix sums
    /// over the slices instead of from the full Jacobian.
    fn normal_equations(
        &mut self,
        p: &DVector<f64>,
        jtj: &mut DMatrix<f64>,
        jtr: &mut DVector<f64>,
    ) -> Option<f64> {
        let (rho, phi) = unpack(p.as_slice(), &self.family, &mut self.thetas);
        if self.no_arbitrage {
            let c = conditions(rho, &phi, &self.thetas);
            if !(c.calendar && c.butterfly) {
                return None;
            }
        }
        let global = 1 + self.family.params().len();
        jtj.fill(0.0);
        jtr.fill(0.0);
        // Suffix sums over slices s ≥ l of the θ column against itself, the globals and r.
        let mut theta_theta = 0.0;
        let mut theta_global = [0.0; 3];
        let mut theta_residual = 0.0;
        let mut squares = 0.0;
        for l in (0..self.quotes.len()).rev() {
            let sums = SliceSums::new(&self.quotes[l], self.thetas[l], rho, &phi)?;
            squares += sums.squares;
            for i in 0..global {
                for j in 0..global {
                    jtj[(i, j)] += sums.normal[i][j];
                }
                jtr[i] += sums.gradient[i];
                theta_global[i] += sums.normal[i][3];
            }
            theta_theta += sums.normal[3][3];
            theta_residual += sums.gradient[3];
            let col = global + l;
            for i in 0..global {
                jtj[(i, col)] = theta_global[i];
                jtj[(col, i)] = theta_global[i];
            }
            // (JᵀJ) between increments l and l' ≥ l sums over slices s ≥ l'.
            jtj[(col, col)] = theta_theta;
            for later in col + 1..global + self.quotes.len() {
                let shared = jtj[(later, later)];
                jtj[(col, later)] = shared;
                jtj[(later, col)] = shared;
            }
            jtr[col] = theta_residual;
        }
        Some(0.5 * squares)
    }
}

fn finish(
    best: Option<(Ssvi, f64, u32, Termination)>,
    quotes: &[SliceQuotes],
    iterations: u32,
    starts: usize,
) -> Result<Calibrated<Ssvi>, CalibrationError> {
    let (model, _, _, termination) = best.ok_or(CalibrationError::NoValidStart {
        model: "SSVI",
        starts,
    })?;
    let mut sums = ErrorSums::default();
    // The errors by blocks, then their sums: the square roots of successive quotes overlap.
    let mut errors = [0.0; 32];
    for (q, &theta) in quotes.iter().zip(&model.thetas) {
        // θ and φ(θ) once per slice (the fitted expiries are the slices').
        let f = model.phi.value(theta);
        let t = q.expiry();
        for block in q.quotes().chunks(errors.len()) {
            for (e, v) in errors.iter_mut().zip(block) {
                *e = (ssvi_w(theta, f, model.rho, v.log_moneyness) / t).sqrt() - v.volatility;
            }
            for &e in &errors[..block.len()] {
                sums.add(e);
            }
        }
    }
    Ok(Calibrated {
        diagnostics: sums.diagnostics(iterations, termination),
        model,
    })
}

impl Calibrate for Ssvi {
    type Quotes = [SliceQuotes];

    /// [`Ssvi::calibrate_with`] the power law φ from η = 1, γ = 0.4.
    fn calibrate(
        quotes: &[SliceQuotes],
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        Self::calibrate_with(
            quotes,
            SsviPhi::PowerLaw {
                eta: 1.0,
                gamma: 0.4,
            },
            options,
        )
    }

    /// One Levenberg–Marquardt run from the previous surface (its φ family and values, ρ and
    /// θ); the slices must have as many expiries as the previous fit.
    fn recalibrate(
        &self,
        quotes: &[SliceQuotes],
        options: &CalibrationOptions,
    ) -> Result<Calibrated<Self>, CalibrationError> {
        options.validate()?;
        let np = self.phi.params().len();
        validate(quotes, quotes.len() + 1 + np)?;
        if quotes.len() != self.expiries.len() {
            return Self::calibrate_with(quotes, self.phi, options);
        }
        let start = Self {
            expiries: quotes.iter().map(SliceQuotes::expiry).collect(),
            ..self.clone()
        };
        // A warm start is near the optimum: begin close to Gauss–Newton.
        let fit = fit_from(&start, quotes, options, 1e-6);
        let iterations = fit.as_ref().map_or(0, |f| f.2);
        finish(fit, quotes, iterations, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vol::{VolQuote, VolSurface};

    /// The quotes of benches/surface.rs: 8 expiries × 30 strikes of a power-law SSVI with a
    /// ±0.1-point wiggle; `shift` moves ρ and the ATM level.
    fn bench_quotes(shift: f64) -> Vec<SliceQuotes> {
        let expiries = [0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0];
        let thetas = expiries
            .iter()
            .map(|t| (0.36 + shift) * t * (1.0 + 0.1 * t))
            .collect();
        let phi = SsviPhi::PowerLaw {
            eta: 0.9,
            gamma: 0.4,
        };
        let truth = Ssvi::new(-0.35 + shift, phi, expiries.to_vec(), thetas).unwrap();
        expiries
            .iter()
            .map(|&t| {
                let width = 4.0 * (0.36 * t).sqrt();
                let quotes = (0..30)
                    .map(|i| {
                        let k = -width + 2.0 * width * f64::from(i) / 29.0;
                        let noise = 0.001 * (7.0 * f64::from(i) + 3.0 * t).sin();
                        VolQuote {
                            log_moneyness: k,
                            volatility: truth.implied_vol(t, k).unwrap() + noise,
                            weight: 1.0,
                        }
                    })
                    .collect();
                SliceQuotes::new(t, 90_000.0, quotes).unwrap()
            })
            .collect()
    }

    /// [ρ, φ params, θ increments], the fit's parameter layout.
    fn parameters(s: &Ssvi) -> DVector<f64> {
        let mut x = vec![s.rho()];
        x.extend(s.phi().params());
        let mut previous = 0.0;
        for &theta in s.thetas() {
            x.push(theta - previous);
            previous = theta;
        }
        DVector::from_vec(x)
    }

    #[test]
    fn warm_and_cold_fits_agree_on_the_bench_quotes() {
        let options = CalibrationOptions::default();
        let moved = bench_quotes(0.01);
        let previous = Ssvi::calibrate(&bench_quotes(0.0), &options).unwrap().model;
        let cold = Ssvi::calibrate(&moved, &options).unwrap();
        let warm = previous.recalibrate(&moved, &options).unwrap();
        assert_eq!(warm.diagnostics.termination, Termination::Converged);
        // As for SVI (svi_fit.rs): each fit ends within about ftol·cost (ftol = 1e-10) of the
        // minimum, allow ten times that; ½δᵀJᵀJδ ≤ excess bounds |δᵢ| by
        // √(2·excess·((JᵀJ)⁻¹)ᵢᵢ), and two such fits differ by at most twice that.
        let x = parameters(&cold.model);
        let n = x.len();
        let (mut jtj, mut jtr) = (DMatrix::zeros(n, n), DVector::zeros(n));
        let mut problem = SsviProblem {
            quotes: &moved,
            family: cold.model.phi(),
            no_arbitrage: false,
            thetas: vec![0.0; moved.len()],
        };
        let cost = problem.normal_equations(&x, &mut jtj, &mut jtr).unwrap();
        let excess = 10.0 * LmOptions::default().ftol * cost;
        let inverse = jtj.try_inverse().unwrap();
        let y = parameters(&warm.model);
        for i in 0..n {
            let tolerance = 2.0 * (2.0 * excess * inverse[(i, i)]).sqrt();
            let difference = (x[i] - y[i]).abs();
            eprintln!("SSVI parameter {i}: |warm − cold| {difference:.1e} ≤ {tolerance:.1e}");
            assert!(
                difference <= tolerance,
                "{:?} vs {:?}",
                cold.model,
                warm.model
            );
        }
        let (rc, rw) = (
            cold.diagnostics.rmse_vol_points,
            warm.diagnostics.rmse_vol_points,
        );
        eprintln!("SSVI RMSE: cold {rc:.12} warm {rw:.12} vol points");
        assert!((rc - rw).abs() <= excess / cost * rc);
    }
}
