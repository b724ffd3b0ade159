//! Several parameter points in one pass over the data: the EGARCH(1, 0, 1)/(1, 1, 1) kernel of
//! src/garch/analytic.rs run for up to [`LANES`] points side by side, for the evaluations whose
//! points are all known in advance (the starting grid's values; the start and the forward
//! differences of the gradient behind the optimiser's first Hessian; the standard errors).
//!
//! ```text
//! per lane j and observation t (the scalar kernel's arithmetic, operation for operation):
//!   hⱼ,ₜ = (ωⱼ + βⱼ hⱼ,ₜ₋₁) + αⱼ(|eⱼ,ₜ₋₁| − √(2/π)) + γⱼ eⱼ,ₜ₋₁,   eⱼ,ₜ = εⱼ,ₜ e^(−hⱼ,ₜ/2)
//! ```
//!
//! Why: the chain hₜ → e^(−hₜ/2) → eₜ → hₜ₊₁ is latency-bound (an `exp` waits on the previous
//! one), so one pass leaves the core mostly idle; the lanes' chains are independent and fill
//! it. Each lane performs exactly the scalar kernel's floating-point operations in the same
//! order, so its value and gradient equal a separate pass bit for bit (tested below). The
//! derivative state is held parameter-major (`[c][j]`, one vector of lanes per parameter): held
//! lane-major, its updates needed transposes and spills, and four lanes cost 2.2 scalar passes
//! instead of 1.4 (issue 17, eighth step).
//! Reference: D. B. Nelson, Econometrica 59 (1991) (EGARCH); the scalar kernel is the one
//! validated against `arch` 8.0.

use super::analytic::{self, H_MAX};
use super::analytic_density::{GradDensity, NormalGrad, SkewTGrad, StudentGrad};
use super::innovation::InnovationFamily;
use super::kernel::{Layout, MAX_PARAMS};
use super::mean::MeanModel;
use super::variance::{Volatility, SQRT_2_OVER_PI};
use crate::math::exp_of_madd;
use crate::math::simd::{dispatch_scalar, LaneJob};
use std::marker::PhantomData;

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
        // Up to four points per pass; a single point takes the scalar kernel. (Three points in
        // four lanes, one repeated, were tried: faster for Normal and t innovations, 40 against
        // 85 µs on BTC, but slower for skew-t, 190 against 136 µs; only skew-t fits have three
        // left over, so the widths stay as they are. Issue 17, eighth step.)
        let rest = points.len() - i;
        let width = if lanes { rest.min(LANES) } else { 1 };
        let (p, g, o) = (&points[i..i + width], &mut grads[i..], &mut out[i..]);
        match width {
            4 => chunk_of::<GRAD, 4>(l, p, y, backcast, g, o),
            3 => chunk_of::<GRAD, 3>(l, p, y, backcast, g, o),
            2 => chunk_of::<GRAD, 2>(l, p, y, backcast, g, o),
            _ => {
                o[0] = if GRAD {
                    l.value_and_gradient(p[0], y, backcast, &mut g[0][..k])
                } else {
                    l.value(p[0], y, backcast)
                };
            }
        }
        i += width;
    }
}

/// The first `L` of `points` in one pass of `L` lanes.
fn chunk_of<const GRAD: bool, const L: usize>(
    l: &Layout,
    points: &[&[f64]],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]],
    out: &mut [Option<f64>],
) {
    let th: [&[f64]; L] = std::array::from_fn(|j| points[j]);
    let mut g = [[0.0; MAX_PARAMS]; L];
    let v = by_density::<GRAD, L>(l, th, y, backcast, &mut g);
    out[..L].copy_from_slice(&v);
    grads[..L].copy_from_slice(&g);
}

/// Whether the lanes cover this model: EGARCH(1, 0, 1) or (1, 1, 1), zero or constant mean.
pub(crate) fn covered(l: &Layout) -> bool {
    matches!(l.vol, Volatility::Egarch(_))
        && matches!(l.vol.orders(), (1, 0, 1) | (1, 1, 1))
        && matches!(l.mean, MeanModel::Zero | MeanModel::Constant)
        && analytic::applies(l)
}

fn by_density<const GRAD: bool, const L: usize>(
    l: &Layout,
    th: [&[f64]; L],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; L],
) -> [Option<f64>; L] {
    match l.dist {
        InnovationFamily::Normal => by_order::<GRAD, L, NormalGrad>(l, th, y, backcast, grads),
        InnovationFamily::StudentT => by_order::<GRAD, L, StudentGrad>(l, th, y, backcast, grads),
        InnovationFamily::SkewT => by_order::<GRAD, L, SkewTGrad>(l, th, y, backcast, grads),
    }
}

fn by_order<const GRAD: bool, const L: usize, D: GradDensity>(
    l: &Layout,
    th: [&[f64]; L],
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; L],
) -> [Option<f64>; L] {
    let k = l.k();
    match (l.vol.orders(), l.k_mean()) {
        ((1, 0, 1), 0) => run::<0, 0, 3, GRAD, L, D>(th, k, y, backcast, grads),
        ((1, 0, 1), _) => run::<0, 1, 4, GRAD, L, D>(th, k, y, backcast, grads),
        ((1, 1, 1), 0) => run::<1, 0, 4, GRAD, L, D>(th, k, y, backcast, grads),
        _ => run::<1, 1, 5, GRAD, L, D>(th, k, y, backcast, grads),
    }
}

/// [`lanes`] through `math::simd::dispatch_scalar`, as the scalar kernel runs (the same
/// instruction set and fused operations, so that each lane equals a separate pass bit for bit).
fn run<const O: usize, const M: usize, const N: usize, const GRAD: bool, const L: usize, D>(
    th: [&[f64]; L],
    k: usize,
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; L],
) -> [Option<f64>; L]
where
    D: GradDensity,
{
    dispatch_scalar(LanesJob::<O, M, N, GRAD, L, D> {
        th,
        k,
        y,
        backcast,
        grads,
        density: PhantomData,
    })
}

/// The arguments of [`lanes`] as a job for `math::simd::dispatch_scalar`.
struct LanesJob<
    'a,
    const O: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const L: usize,
    D,
> {
    th: [&'a [f64]; L],
    k: usize,
    y: &'a [f64],
    backcast: f64,
    grads: &'a mut [[f64; MAX_PARAMS]; L],
    density: PhantomData<D>,
}

impl<const O: usize, const M: usize, const N: usize, const GRAD: bool, const L: usize, D> LaneJob
    for LanesJob<'_, O, M, N, GRAD, L, D>
where
    D: GradDensity,
{
    type Output = [Option<f64>; L];

    #[inline(always)]
    fn run<const FUSED: bool>(self) -> [Option<f64>; L] {
        lanes::<O, M, N, GRAD, L, D, FUSED>(self.th, self.k, self.y, self.backcast, self.grads)
    }
}

/// The scalar `egarch11` kernel (src/garch/analytic.rs) for `L` points: `O` asymmetry terms,
/// `M` mean parameters, `N` = mean + variance parameters.
#[inline(always)]
fn lanes<
    const O: usize,
    const M: usize,
    const N: usize,
    const GRAD: bool,
    const L: usize,
    D: GradDensity,
    const FUSED: bool,
>(
    th: [&[f64]; L],
    k: usize,
    y: &[f64],
    backcast: f64,
    grads: &mut [[f64; MAX_PARAMS]; L],
) -> [Option<f64>; L] {
    let mu: [f64; L] = std::array::from_fn(|j| if M == 1 { th[j][0] } else { 0.0 });
    let omega: [f64; L] = std::array::from_fn(|j| th[j][M]);
    let alpha: [f64; L] = std::array::from_fn(|j| th[j][M + 1]);
    let gamma: [f64; L] = std::array::from_fn(|j| if O == 1 { th[j][M + 2] } else { 0.0 });
    let beta: [f64; L] = std::array::from_fn(|j| th[j][M + 2 + O]);
    let mut dens: [D; L] = std::array::from_fn(|j| D::new(&th[j][N..k]));
    let (mut a, mut e, mut hp) = ([0.0; L], [0.0; L], [backcast; L]);
    // Parameter-major ([c][j]): each row is one vector of L lanes, so that the derivative
    // updates need no transposes (lane-major rows cost shuffles and spills, issue 17).
    let mut dh = [[0.0; L]; N];
    let (mut carry, mut kick) = ([0.0; L], [0.0; L]);
    let mut g = [[0.0; L]; N];
    let mut h_sum = [0.0; L];
    let mut alive = [true; L];
    let k0: [f64; L] = std::array::from_fn(|j| -0.5 * (omega[j] - alpha[j] * SQRT_2_OVER_PI));
    let mut xp: [f64; L] = [-0.5 * backcast; L];
    let mut isd_p = [1.0; L];
    let mut m: [f64; L] = std::array::from_fn(|j| -0.5 * (alpha[j] * SQRT_2_OVER_PI));
    // Zero and constant means hold no observation back.
    for &yi in y {
        for j in 0..L {
            // A dead lane's x may be outside exp_of_madd's range: its result is then wrong but
            // never a panic, and the lane's value is discarded.
            let (x, isd) = exp_of_madd::<FUSED>(m[j], isd_p[j], k0[j] + beta[j] * xp[j]);
            let h = -2.0 * x;
            // A lane whose variance left the range is dead (its ℓ is undefined); the others
            // go on, and its own arithmetic cannot touch theirs.
            alive[j] &= h > -H_MAX && h < H_MAX;
            let eps = yi - mu[j];
            if GRAD {
                for row in dh.iter_mut() {
                    row[j] *= carry[j];
                }
                if M == 1 {
                    dh[0][j] -= kick[j];
                }
                dh[M][j] += 1.0;
                dh[M + 1][j] += a[j];
                if O == 1 {
                    dh[M + 2][j] += e[j];
                }
                dh[M + 2 + O][j] += hp[j];
            }
            h_sum[j] += h;
            let (dl_dh, dl_de) = dens[j].step(eps, isd, isd * isd, None);
            if GRAD {
                for (gc, dc) in g.iter_mut().zip(&dh) {
                    gc[j] += dl_dh * dc[j];
                }
                if M == 1 {
                    g[0][j] -= dl_de;
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
        for (out, gc) in grads[j][..N].iter_mut().zip(&g) {
            *out = gc[j];
        }
        (alive[j] && value.is_finite()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::garch::Egarch;

    /// Every covered (mean, order, density) and one uncovered model, at nine, seven and six
    /// points (passes of four, four and one; four and three; four and two), one of them with
    /// an exploding variance: each value and gradient equals a separate scalar pass bit for
    /// bit, and the undefined point is `None` in both.
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
                    let k = l.k();
                    for (count, grad) in [9, 7, 6].into_iter().flat_map(|c| [(c, false), (c, true)])
                    {
                        let refs: Vec<&[f64]> = pts[..count].iter().map(|v| v.as_slice()).collect();
                        let mut grads = vec![[0.0; MAX_PARAMS]; count];
                        let mut out = vec![None; count];
                        if grad {
                            evaluate_many::<true>(&l, &refs, &y, 0.4, &mut grads, &mut out);
                        } else {
                            evaluate_many::<false>(&l, &refs, &y, 0.4, &mut grads, &mut out);
                        }
                        for (i, x) in pts[..count].iter().enumerate() {
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
#[cfg(test)]
mod timing_tmp {
    use super::*;
    use crate::garch::Egarch;
    #[test]
    #[ignore]
    fn time_widths() {
        let closes: Vec<f64> = include_str!("../../examples/data/btc_daily_close.csv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(1)?.trim().parse().ok())
            .collect();
        let y: Vec<f64> = closes
            .windows(2)
            .map(|w| 100.0 * (w[1] / w[0]).ln())
            .collect();
        for (dist, shape) in [
            (InnovationFamily::Normal, vec![]),
            (InnovationFamily::StudentT, vec![5.0]),
            (InnovationFamily::SkewT, vec![5.0, -0.1]),
        ] {
            let l = Layout {
                mean: MeanModel::Zero,
                vol: Volatility::Egarch(Egarch::new(1, 1, 1).unwrap()),
                dist,
            };
            let pts: Vec<Vec<f64>> = (0..8)
                .map(|i| {
                    let mut v = vec![0.05 * (1.0 + 0.01 * i as f64), 0.15, -0.03, 0.95];
                    v.extend(&shape);
                    v
                })
                .collect();
            let refs: Vec<&[f64]> = pts.iter().map(|v| v.as_slice()).collect();
            let reps = 1000;
            macro_rules! t {
                ($L:literal) => {{
                    let mut best = f64::MAX;
                    for _ in 0..5 {
                        let t0 = std::time::Instant::now();
                        for _ in 0..reps {
                            let mut g = [[0.0; MAX_PARAMS]; 8];
                            let mut o = [None; 8];
                            chunk_of::<true, $L>(
                                &l,
                                std::hint::black_box(&refs[..$L]),
                                &y,
                                0.4,
                                &mut g,
                                &mut o,
                            );
                            std::hint::black_box(&o);
                        }
                        best = best.min(t0.elapsed().as_secs_f64() / reps as f64 * 1e6);
                    }
                    print!("L={} {:.1} us  ", $L, best);
                }};
            }
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t0 = std::time::Instant::now();
                for _ in 0..reps {
                    let mut g = [0.0; 7];
                    std::hint::black_box(l.value_and_gradient(
                        std::hint::black_box(refs[0]),
                        &y,
                        0.4,
                        &mut g[..l.k()],
                    ));
                }
                best = best.min(t0.elapsed().as_secs_f64() / reps as f64 * 1e6);
            }
            print!("{:?} scalar {:.1} us  ", dist, best);
            t!(2);
            t!(3);
            t!(4);
            println!();
        }
    }
}
