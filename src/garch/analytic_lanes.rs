//! Several parameter points in one pass over the data: the EGARCH(1, 0, 1)/(1, 1, 1) kernel of
//! src/garch/analytic.rs run for [`LANES`] points side by side, for the evaluations whose points
//! are all known in advance (the starting grid's values, the forward differences of the
//! gradient behind the optimiser's first Hessian and the standard errors).
//!
//! ```text
//! per lane j and observation t (the scalar kernel's arithmetic, operation for operation):
//!   hⱼ,ₜ = (ωⱼ + βⱼ hⱼ,ₜ₋₁) + αⱼ(|eⱼ,ₜ₋₁| − √(2/π)) + γⱼ eⱼ,ₜ₋₁,   eⱼ,ₜ = εⱼ,ₜ e^(−hⱼ,ₜ/2)
//! ```
//!
//! Why: the chain hₜ → e^(−hₜ/2) → eₜ → hₜ₊₁ is latency-bound (an `exp` waits on the previous
//! one), so one pass leaves the core mostly idle; the lanes' chains are independent and fill
//! it. Each lane performs exactly the scalar kernel's floating-point operations in the same
//! order, so its value and gradient equal a separate pass bit for bit (tested below).
//! Reference: D. B. Nelson, Econometrica 59 (1991) (EGARCH); the scalar kernel is the one
//! validated against `arch` 8.0.

use super::analytic::{self, H_MAX};
use super::analytic_density::{GradDensity, NormalGrad, SkewTGrad, StudentGrad};
use super::innovation::InnovationFamily;
use super::kernel::{Layout, MAX_PARAMS};
use super::mean::MeanModel;
use super::variance::{Volatility, SQRT_2_OVER_PI};

/// Parameter points per pass.
pub(crate) const LANES: usize = 4;

/// ℓ at every point of `points` and, with `GRAD`, its gradient in `grads[i][..k]`; `None` where
/// ℓ is undefined. Equal, point by point and bit for bit, to [`Layout::value`] (without `GRAD`)
/// or [`Layout::value_and_gradient`] (with it): models the lanes do not cover go through them.
pub(crate) fn evaluate_many<const GRAD: bool>(
    l: &Layout,
    points: &[&[f64]],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]],
    out: &mut [Option<f64>],
) {
    let k = l.k();
    let lanes = covered(l);
    let mut i = 0;
    while i < points.len() {
        // Full chunks only: four lanes cost 1.6–3.3 scalar passes (more with a heavier
        // density), so a shorter remainder is cheaper point by point.
        if lanes && points.len() - i >= LANES {
            let th: [&[f64]; LANES] = std::array::from_fn(|j| points[i + j]);
            let mut g = [[0.0; MAX_PARAMS]; LANES];
            let v = by_density::<GRAD>(l, th, y, backcast, &mut g);
            out[i..i + LANES].copy_from_slice(&v);
            grads[i..i + LANES].copy_from_slice(&g);
            i += LANES;
        } else {
            let p = points[i];
            out[i] = if GRAD {
                l.value_and_gradient(p, y, backcast, &mut grads[i][..k])
            } else {
                l.value(p, y, backcast)
            };
            i += 1;
        }
    }
}

/// Whether the lanes cover this model: EGARCH(1, 0, 1) or (1, 1, 1), zero or constant mean.
fn covered(l: &Layout) -> bool {
    matches!(l.vol, Volatility::Egarch(_))
        && matches!(l.vol.orders(), (1, 0, 1) | (1, 1, 1))
        && matches!(l.mean, MeanModel::Zero | MeanModel::Constant)
        && analytic::applies(l)
}

fn by_density<const GRAD: bool>(
    l: &Layout,
    th: [&[f64]; LANES],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; LANES],
) -> [Option<f64>; LANES] {
    match l.dist {
        InnovationFamily::Normal => by_order::<GRAD, NormalGrad>(l, th, y, backcast, grads),
        InnovationFamily::StudentT => by_order::<GRAD, StudentGrad>(l, th, y, backcast, grads),
        InnovationFamily::SkewT => by_order::<GRAD, SkewTGrad>(l, th, y, backcast, grads),
    }
}

fn by_order<const GRAD: bool, D: GradDensity>(
    l: &Layout,
    th: [&[f64]; LANES],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; LANES],
) -> [Option<f64>; LANES] {
    let k = l.k();
    match (l.vol.orders(), l.k_mean()) {
        ((1, 0, 1), 0) => lanes::<0, 0, 3, GRAD, D>(th, k, y, backcast, grads),
        ((1, 0, 1), _) => lanes::<0, 1, 4, GRAD, D>(th, k, y, backcast, grads),
        ((1, 1, 1), 0) => lanes::<1, 0, 4, GRAD, D>(th, k, y, backcast, grads),
        _ => lanes::<1, 1, 5, GRAD, D>(th, k, y, backcast, grads),
    }
}

/// The scalar `egarch11` kernel (src/garch/analytic.rs) for [`LANES`] points: `O` asymmetry
/// terms, `M` mean parameters, `N` = mean + variance parameters.
#[inline(always)]
fn lanes<const O: usize, const M: usize, const N: usize, const GRAD: bool, D: GradDensity>(
    th: [&[f64]; LANES],
    k: usize,
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; LANES],
) -> [Option<f64>; LANES] {
    let mu: [f64; LANES] = std::array::from_fn(|j| if M == 1 { th[j][0] } else { 0.0 });
    let omega: [f64; LANES] = std::array::from_fn(|j| th[j][M]);
    let alpha: [f64; LANES] = std::array::from_fn(|j| th[j][M + 1]);
    let gamma: [f64; LANES] = std::array::from_fn(|j| if O == 1 { th[j][M + 2] } else { 0.0 });
    let beta: [f64; LANES] = std::array::from_fn(|j| th[j][M + 2 + O]);
    let mut dens: [D; LANES] = std::array::from_fn(|j| D::new(&th[j][N..k]));
    let (mut a, mut e, mut hp) = ([0.0; LANES], [0.0; LANES], [backcast; LANES]);
    let mut dh = [[0.0; N]; LANES];
    let (mut carry, mut kick) = ([0.0; LANES], [0.0; LANES]);
    let mut g = [[0.0; N]; LANES];
    let mut h_sum = [0.0; LANES];
    let mut alive = [true; LANES];
    let k0: [f64; LANES] = std::array::from_fn(|j| -0.5 * (omega[j] - alpha[j] * SQRT_2_OVER_PI));
    let mut xp: [f64; LANES] = [-0.5 * backcast; LANES];
    let mut isd_p = [1.0; LANES];
    let mut m: [f64; LANES] = std::array::from_fn(|j| -0.5 * (alpha[j] * SQRT_2_OVER_PI));
    // Zero and constant means hold no observation back.
    for &yi in y {
        for j in 0..LANES {
            let x = (k0[j] + beta[j] * xp[j]) + m[j] * isd_p[j];
            let h = -2.0 * x;
            // A lane whose variance left the range is dead (its ℓ is undefined); the others
            // go on, and its own arithmetic cannot touch theirs.
            alive[j] &= h > -H_MAX && h < H_MAX;
            let isd = x.exp();
            let eps = yi - mu[j];
            if GRAD {
                let mut dn = [0.0; N];
                for c in 0..N {
                    dn[c] = carry[j] * dh[j][c];
                }
                if M == 1 {
                    dn[0] -= kick[j];
                }
                dn[M] += 1.0;
                dn[M + 1] += a[j];
                if O == 1 {
                    dn[M + 2] += e[j];
                }
                dn[M + 2 + O] += hp[j];
                dh[j] = dn;
            }
            h_sum[j] += h;
            let (dl_dh, dl_de) = dens[j].step(eps, isd, isd * isd, None);
            if GRAD {
                for c in 0..N {
                    g[j][c] += dl_dh * dh[j][c];
                }
                if M == 1 {
                    g[j][0] -= dl_de;
                }
            }
            let en = eps * isd;
            if GRAD {
                let sign = f64::from(u8::from(en > 0.0)) - f64::from(u8::from(en < 0.0));
                let slope = if O == 1 {
                    alpha[j] * sign + gamma[j]
                } else {
                    alpha[j] * sign
                };
                carry[j] = beta[j] - 0.5 * en * slope;
                kick[j] = slope * isd;
            }
            a[j] = en.abs() - SQRT_2_OVER_PI;
            e[j] = en;
            hp[j] = h;
            m[j] = if O == 1 {
                -0.5 * (alpha[j] * eps.abs() + gamma[j] * eps)
            } else {
                -0.5 * (alpha[j] * eps.abs())
            };
            (xp[j], isd_p[j]) = (x, isd);
        }
    }
    let n = y.len() as f64;
    std::array::from_fn(|j| {
        let value = dens[j].finish(n, h_sum[j], &mut grads[j][N..k]);
        grads[j][..N].copy_from_slice(&g[j]);
        (alive[j] && value.is_finite()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::garch::Egarch;

    /// Every covered (mean, order, density) and one uncovered model, at nine points (two chunks
    /// of four and one point alone), one of them with an exploding variance: each
    /// value and gradient equals a separate scalar pass bit for bit, and the undefined point is
    /// `None` in both.
    #[test]
    fn lanes_equal_separate_passes_bit_for_bit() {
        let y: Vec<f64> = (0..500)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
            .collect();
        for (p, o, q) in [(1, 0, 1), (1, 1, 1), (2, 1, 1)] {
            for mean in [MeanModel::Zero, MeanModel::Constant] {
                for (dist, shape) in [
                    (InnovationFamily::Normal, vec![]),
                    (InnovationFamily::StudentT, vec![5.5]),
                    (InnovationFamily::SkewT, vec![4.5, -0.2]),
                ] {
                    let vol = Volatility::Egarch(Egarch::new(p, o, q).unwrap());
                    let l = Layout { mean, vol, dist };
                    let mut base: Vec<f64> = vec![0.1; l.k_mean()];
                    base.push(0.03);
                    base.extend(vec![0.15 / p as f64; p]);
                    base.extend(vec![-0.08; o]);
                    base.extend(vec![0.93; q]);
                    base.extend(&shape);
                    let mut pts: Vec<Vec<f64>> = (0..9)
                        .map(|i| base.iter().map(|v| v * (1.0 + 0.01 * i as f64)).collect())
                        .collect();
                    // β far above 1 with a large ω: h leaves the range.
                    pts[5][l.k_mean()] = 50.0;
                    pts[5][l.k_mean() + p + o] = 1.5;
                    let refs: Vec<&[f64]> = pts.iter().map(|v| v.as_slice()).collect();
                    let k = l.k();
                    for grad in [false, true] {
                        let mut grads = vec![[0.0; MAX_PARAMS]; 9];
                        let mut out = vec![None; 9];
                        if grad {
                            evaluate_many::<true>(&l, &refs, &y, 0.4, &mut grads, &mut out);
                        } else {
                            evaluate_many::<false>(&l, &refs, &y, 0.4, &mut grads, &mut out);
                        }
                        for (i, x) in pts.iter().enumerate() {
                            let mut g1 = vec![0.0; k];
                            let want = if grad {
                                l.value_and_gradient(x, &y, 0.4, &mut g1)
                            } else {
                                l.value(x, &y, 0.4)
                            };
                            assert_eq!(out[i].map(f64::to_bits), want.map(f64::to_bits));
                            if grad && want.is_some() {
                                assert_eq!(&grads[i][..k], &g1[..], "{l:?} point {i}");
                            }
                        }
                        assert!(out[5].is_none() && out[4].is_some());
                    }
                }
            }
        }
    }
}
