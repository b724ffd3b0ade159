//! The likelihood kernel, generic over the number type: one pass over the data gives the
//! log-likelihood and, with dual numbers, its exact gradient and per-observation scores.
//! Allocation-free: the recursion state lives in fixed-size arrays on the stack.

use super::analytic::Rows;
use super::dual::{Dual, Scalar};
use super::innovation::{DensityConsts, InnovationFamily, LN_2PI};
use super::mean::MeanModel;
use super::variance::{Lags, Volatility};

/// Largest number of parameters (mean + variance + shape) the fitter supports.
///
/// ```
/// assert_eq!(derisk::garch::MAX_PARAMS, 16);
/// ```
pub const MAX_PARAMS: usize = 16;

/// A full model: mean, variance recursion and innovation density.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    pub mean: MeanModel,
    pub vol: Volatility,
    pub dist: InnovationFamily,
}

impl Layout {
    pub fn k_mean(&self) -> usize {
        self.mean.num_params()
    }
    pub fn k_vol(&self) -> usize {
        self.vol.num_params()
    }
    pub fn k(&self) -> usize {
        self.k_mean() + self.k_vol() + self.dist.num_params()
    }

    /// Σₜ ln f(εₜ | σ²ₜ), calling `each(t, ln fₜ, σ²ₜ, εₜ)` for every observation; Err((t, σ²ₜ))
    /// where a variance is not positive and finite. `backcast` is on the recursion's scale.
    #[inline(always)]
    pub fn log_likelihood<S: Scalar, F: FnMut(usize, S, S, S)>(
        &self,
        th: &[S],
        y: &[f64],
        backcast: f64,
        mut each: F,
    ) -> Result<S, (usize, f64)> {
        let (km, kv) = (self.k_mean(), self.k_vol());
        let (tm, tv, td) = (&th[..km], &th[km..km + kv], &th[km + kv..]);
        let dens = DensityConsts::new(self.dist, td);
        let mut lags = Lags::<S>::new(&self.vol, backcast);
        let mut total = S::cst(0.0);
        for (t, i) in (self.mean.hold_back()..y.len()).enumerate() {
            let (s2, ln_s2) = lags.variance(&self.vol, tv);
            if !(s2.val() > 0.0 && s2.val().is_finite()) {
                return Err((t, s2.val()));
            }
            let eps = self.mean.residual(tm, y, i);
            let l = dens.ln_density(eps, s2, ln_s2);
            each(t, l, s2, eps);
            total = total + l;
            lags.push(&self.vol, eps, s2, ln_s2);
        }
        if total.val().is_finite() {
            Ok(total)
        } else {
            Err((0, f64::NAN))
        }
    }

    /// The sum Σₜ ln fₜ alone, fast: the logarithms of σ²ₜ and of the t kernels are deferred
    /// (their values summed as logarithms of running products, their gradients as ∇x/x), so an
    /// observation costs no `ln`. Equal to [`Layout::log_likelihood`] to rounding.
    #[inline(always)]
    pub fn sum_log_likelihood<S: Scalar>(&self, th: &[S], y: &[f64], backcast: f64) -> Option<S> {
        let (km, kv) = (self.k_mean(), self.k_vol());
        let (tm, tv, td) = (&th[..km], &th[km..km + kv], &th[km + kv..]);
        let dens = DensityConsts::new(self.dist, td);
        let egarch = self.vol.is_egarch();
        let mut lags = Lags::<S>::new(&self.vol, backcast);
        let mut ln_s2 = LogSum::<S>::new();
        let mut h_sum = S::cst(0.0);
        let mut quad = S::cst(0.0);
        let mut kern = LogSum::<S>::new();
        let hold = self.mean.hold_back();
        for i in hold..y.len() {
            let x = lags.raw(&self.vol, tv);
            let (s2, h) = if egarch {
                h_sum = h_sum + x;
                (x.exp(), x)
            } else {
                ln_s2.add(x);
                (x, x)
            };
            if !(s2.val() > 0.0 && s2.val() < f64::INFINITY) {
                return None;
            }
            let eps = self.mean.residual(tm, y, i);
            match dens {
                DensityConsts::Normal => quad = quad + eps * eps / s2,
                DensityConsts::T { inv_nu2, .. } => kern.add(eps * eps / s2 * inv_nu2 + 1.0),
                DensityConsts::SkewT {
                    a,
                    b,
                    threshold,
                    lo,
                    hi,
                    inv_eta2,
                    ..
                } => {
                    let z = eps / s2.sqrt();
                    let side = if z.val() < threshold { lo } else { hi };
                    let u = (b * z + a) / side;
                    kern.add(u * u * inv_eta2 + 1.0);
                }
            }
            lags.push(&self.vol, eps, s2, h);
        }
        let n = (y.len() - hold) as f64;
        let a = if egarch { h_sum } else { ln_s2.total() };
        let total = match dens {
            DensityConsts::Normal => (a + quad + n * LN_2PI) * -0.5,
            DensityConsts::T { k, half_nu1, .. } => k * n - a * 0.5 - half_nu1 * kern.total(),
            DensityConsts::SkewT { k, half_eta1, .. } => k * n - a * 0.5 - half_eta1 * kern.total(),
        };
        total.val().is_finite().then_some(total)
    }

    /// Log-likelihood alone, by the fastest path for the model.
    pub fn value(&self, th: &[f64], y: &[f64], backcast: f64) -> Option<f64> {
        if super::analytic::applies(self) {
            super::analytic::value(self, th, y, backcast)
        } else {
            self.sum_log_likelihood::<f64>(th, y, backcast)
        }
    }

    /// Log-likelihood and its gradient (written to `grad`): hand-derived (src/garch/analytic.rs)
    /// for every model `analytic::applies` to, dual numbers otherwise (and as the reference).
    pub fn value_and_gradient(
        &self,
        th: &[f64],
        y: &[f64],
        backcast: f64,
        grad: &mut [f64],
    ) -> Option<f64> {
        if super::analytic::applies(self) {
            super::analytic::value_and_gradient(self, th, y, backcast, grad, None)
        } else {
            self.dual_value_and_gradient(th, y, backcast, grad)
        }
    }

    /// Log-likelihood and its gradient by forward-mode dual numbers (any model).
    pub fn dual_value_and_gradient(
        &self,
        th: &[f64],
        y: &[f64],
        backcast: f64,
        grad: &mut [f64],
    ) -> Option<f64> {
        match self.k() {
            0..=2 => vg::<2>(self, th, y, backcast, grad),
            3 => vg::<3>(self, th, y, backcast, grad),
            4 => vg::<4>(self, th, y, backcast, grad),
            5 => vg::<5>(self, th, y, backcast, grad),
            6 => vg::<6>(self, th, y, backcast, grad),
            7 => vg::<7>(self, th, y, backcast, grad),
            8 => vg::<8>(self, th, y, backcast, grad),
            _ => vg::<MAX_PARAMS>(self, th, y, backcast, grad),
        }
    }

    /// Per-observation scores ∂ln fₜ/∂θ, row-major n × k, with ℓ (returned) and the scores'
    /// sum ∂ℓ/∂θ (written to `grad`) from the same pass: ℓ equals [`Layout::value`]'s. The
    /// analytic kernels also record σ²ₜ (`Rows::variance`); the dual-number path leaves it
    /// empty.
    pub fn scores(
        &self,
        th: &[f64],
        y: &[f64],
        backcast: f64,
        grad: &mut [f64],
    ) -> Option<(f64, Rows)> {
        if super::analytic::applies(self) {
            let mut out = Rows {
                scores: Vec::with_capacity(y.len() * th.len()),
                variance: Vec::with_capacity(y.len()),
            };
            let v =
                super::analytic::value_and_gradient(self, th, y, backcast, grad, Some(&mut out))?;
            return Some((v, out));
        }
        let v = self.dual_value_and_gradient(th, y, backcast, grad)?;
        let scores = self.dual_scores(th, y, backcast)?;
        Some((
            v,
            Rows {
                scores,
                variance: Vec::new(),
            },
        ))
    }

    /// Per-observation scores by dual numbers (any model).
    pub fn dual_scores(&self, th: &[f64], y: &[f64], backcast: f64) -> Option<Vec<f64>> {
        match self.k() {
            0..=4 => scores::<4>(self, th, y, backcast),
            5..=8 => scores::<8>(self, th, y, backcast),
            _ => scores::<MAX_PARAMS>(self, th, y, backcast),
        }
    }
}

fn duals<const N: usize>(th: &[f64]) -> [Dual<N>; MAX_PARAMS] {
    let mut d = [Dual::<N>::cst(0.0); MAX_PARAMS];
    for (i, &v) in th.iter().enumerate().take(N) {
        d[i] = Dual::var(v, i);
    }
    d
}

fn vg<const N: usize>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
) -> Option<f64> {
    let d = duals::<N>(th);
    let total = l.sum_log_likelihood(&d[..th.len()], y, backcast)?;
    for (g, v) in grad.iter_mut().zip(total.d) {
        *g = v;
    }
    Some(total.v)
}

fn scores<const N: usize>(l: &Layout, th: &[f64], y: &[f64], backcast: f64) -> Option<Vec<f64>> {
    let d = duals::<N>(th);
    let k = th.len();
    let mut out = Vec::with_capacity(y.len() * k);
    l.log_likelihood(&d[..k], y, backcast, |_, lt, _, _| {
        out.extend_from_slice(&lt.d[..k])
    })
    .ok()?;
    Some(out)
}

/// Σ ln xᵢ with the logarithm deferred: the value as ln of running products (renormalised before
/// they leave [1e-150, 1e150]), the gradient as Σ ∇xᵢ/xᵢ.
#[derive(Clone, Copy)]
pub(crate) struct LogSum<S> {
    prod: f64,
    logs: f64,
    d: S,
}

impl<S: Scalar> LogSum<S> {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Self {
            prod: 1.0,
            logs: 0.0,
            d: S::cst(0.0),
        }
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, x: S) {
        let v = x.val();
        self.d = self.d + x.dlog();
        let p = self.prod * v;
        if p > 1e-150 && p < 1e150 {
            self.prod = p;
        } else {
            self.logs += self.prod.ln() + v.ln();
            self.prod = 1.0;
        }
    }

    #[inline(always)]
    pub(crate) fn total(&self) -> S {
        self.d + (self.logs + self.prod.ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::garch::{Egarch, Garch};

    #[test]
    fn fast_sum_equals_the_per_observation_likelihood() {
        let y: Vec<f64> = (0..700)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
            .collect();
        let cases = [
            (
                MeanModel::Constant,
                Volatility::Garch(Garch::new(1, 1, 1).unwrap()),
                InnovationFamily::SkewT,
                vec![0.1, 0.2, 0.05, 0.1, 0.8, 6.0, -0.1],
            ),
            (
                MeanModel::Ar1,
                Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
                InnovationFamily::StudentT,
                vec![0.1, 0.05, 0.02, 0.2, -0.05, 0.9, 5.0],
            ),
            (
                MeanModel::Zero,
                Volatility::Garch(Garch::new(2, 0, 1).unwrap()),
                InnovationFamily::Normal,
                vec![0.3, 0.05, 0.05, 0.8],
            ),
        ];
        for (mean, vol, dist, th) in cases {
            let l = Layout { mean, vol, dist };
            let bc = if vol.is_egarch() { 0.5 } else { 1.6 };
            let slow = l.log_likelihood(&th, &y, bc, |_, _, _, _| {}).unwrap();
            let fast: f64 = l.sum_log_likelihood(&th, &y, bc).unwrap();
            assert!(((fast - slow) / slow).abs() < 1e-13, "{fast} vs {slow}");
            // The gradient of the fast sum equals the summed per-observation scores.
            let (mut g, mut g_sc) = (vec![0.0; th.len()], vec![0.0; th.len()]);
            l.value_and_gradient(&th, &y, bc, &mut g).unwrap();
            let (v_sc, rows) = l.scores(&th, &y, bc, &mut g_sc).unwrap();
            let sc = rows.scores;
            assert_eq!(v_sc.to_bits(), l.value(&th, &y, bc).unwrap().to_bits());
            assert_eq!(
                g, g_sc,
                "the scores pass gives the same gradient, bit for bit"
            );
            for (j, gj) in g.iter().enumerate() {
                let s: f64 = sc.iter().skip(j).step_by(th.len()).sum();
                assert!(
                    (gj - s).abs() < 1e-9 * s.abs().max(1.0),
                    "grad {j}: {gj} vs {s}"
                );
            }
        }
    }
}
