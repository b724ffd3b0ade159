//! The likelihood kernel, generic over the number type: one pass over the data gives the
//! log-likelihood and, with dual numbers, its exact gradient and per-observation scores.
//! Allocation-free: the recursion state lives in fixed-size arrays on the stack.

use super::dual::{Dual, Scalar};
use super::innovation::{DensityConsts, InnovationFamily};
use super::mean::MeanModel;
use super::variance::{Lags, Volatility};

/// Largest number of parameters (mean + variance + shape) the fitter supports.
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

    /// Log-likelihood and its gradient (written to `grad`).
    pub fn value_and_gradient(
        &self,
        th: &[f64],
        y: &[f64],
        backcast: f64,
        grad: &mut [f64],
    ) -> Option<f64> {
        match self.k() {
            0..=4 => vg::<4>(self, th, y, backcast, grad),
            5..=8 => vg::<8>(self, th, y, backcast, grad),
            _ => vg::<MAX_PARAMS>(self, th, y, backcast, grad),
        }
    }

    /// Per-observation scores ∂ln fₜ/∂θ, row-major n × k.
    pub fn scores(&self, th: &[f64], y: &[f64], backcast: f64) -> Option<Vec<f64>> {
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
    let total = l
        .log_likelihood(&d[..th.len()], y, backcast, |_, _, _, _| {})
        .ok()?;
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
