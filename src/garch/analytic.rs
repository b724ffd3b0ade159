//! Hand-derived gradient of the GARCH/GJR log-likelihood with Normal or Student-t innovations:
//! the hot path of a fit (the dual-number kernel covers every other model and checks this one).
//!
//! ```text
//! σ²ₜ = ω + Σαᵢ Aₜ₋ᵢ + Σγⱼ Bₜ₋ⱼ + Σβₖ σ²ₜ₋ₖ,   A = ε², B = ε²·1[ε<0]
//! ∂σ²ₜ/∂θ = (∂ω-, ∂α-, ∂γ-, ∂β-terms: 1, Aₜ₋ᵢ, Bₜ₋ⱼ, σ²ₜ₋ₖ) + Σαᵢ ∂Aₜ₋ᵢ/∂θ + Σγⱼ ∂Bₜ₋ⱼ/∂θ + Σβₖ ∂σ²ₜ₋ₖ/∂θ
//! ∂Aₛ/∂θ = 2εₛ ∂εₛ/∂θ (mean parameters only; pre-sample values are constants)
//! Normal:  ∂ℓₜ/∂σ² = ½(ε²/σ² − 1)/σ²,            ∂ℓₜ/∂ε = −ε/σ²
//! t(ν):    z = ε²/(σ²(ν−2)),  h = (ν+1)/2
//!          ∂ℓₜ/∂σ² = (−½ + h·z/(1+z))/σ²,  ∂ℓₜ/∂ε = −2hε/(σ²(ν−2)(1+z))
//!          ∂ℓ/∂ν = n·K′(ν) − ½Σln(1+z) + h/(ν−2)·Σ z/(1+z),  K′ = ½ψ((ν+1)/2) − ½ψ(ν/2) − ½/(ν−2)
//! ```

use super::innovation::{InnovationFamily, LN_2PI};
use super::kernel::{Layout, LogSum, MAX_PARAMS};
use super::mean::MeanModel;
use super::student::{digamma_half_diff, ln_gamma_half_ratio};
use super::variance::{Volatility, MAX_ORDER};

/// Mean + variance parameters at most (2 + 1 + 3·MAX_ORDER).
const R: usize = 16;

/// Whether [`value_and_gradient`] handles this model.
pub(crate) fn applies(l: &Layout) -> bool {
    matches!(l.vol, Volatility::Garch(_))
        && matches!(
            l.dist,
            InnovationFamily::Normal | InnovationFamily::StudentT
        )
}

/// ℓ(θ) and ∂ℓ/∂θ for a GARCH/GJR model with Normal or Student-t innovations; with `scores`,
/// also every observation's ∂ℓₜ/∂θ (row-major n × k).
pub(crate) fn value_and_gradient(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Vec<f64>>,
) -> Option<f64> {
    dispatch::<true>(l, th, y, backcast, grad, scores)
}

/// ℓ(θ) alone for a GARCH/GJR model with Normal or Student-t innovations (no gradient work).
pub(crate) fn value(l: &Layout, th: &[f64], y: &[f64], backcast: f64) -> Option<f64> {
    let mut grad = [0.0; MAX_PARAMS];
    dispatch::<false>(l, th, y, backcast, &mut grad[..th.len()], None)
}

#[inline(always)]
fn dispatch<const GRAD: bool>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    scores: Option<&mut Vec<f64>>,
) -> Option<f64> {
    // Fixed orders for the common models, so that the compiler unrolls the lag loops.
    match (l.vol.orders(), l.k_mean()) {
        ((1, 0, 1), 0) => run::<1, 0, 1, 0, GRAD>(l, th, y, backcast, grad, scores),
        ((1, 0, 1), 1) => run::<1, 0, 1, 1, GRAD>(l, th, y, backcast, grad, scores),
        ((1, 1, 1), 0) => run::<1, 1, 1, 0, GRAD>(l, th, y, backcast, grad, scores),
        ((1, 1, 1), 1) => run::<1, 1, 1, 1, GRAD>(l, th, y, backcast, grad, scores),
        _ => run::<0, 0, 0, 9, GRAD>(l, th, y, backcast, grad, scores),
    }
}

/// The loop; `M = 9` means "orders and mean read at run time".
#[inline(always)]
fn run<const P: usize, const O: usize, const Q: usize, const M: usize, const GRAD: bool>(
    l: &Layout,
    th: &[f64],
    y: &[f64],
    backcast: f64,
    grad: &mut [f64],
    mut scores: Option<&mut Vec<f64>>,
) -> Option<f64> {
    let (p, o, q, m) = if M == 9 {
        let (p, o, q) = l.vol.orders();
        (p, o, q, l.k_mean())
    } else {
        (P, O, Q, M)
    };
    let r = m + l.k_vol();
    let (tm, tv) = (&th[..m], &th[m..r]);
    let (omega, alpha, gamma, beta) = (
        tv[0],
        &tv[1..1 + p],
        &tv[1 + p..1 + p + o],
        &tv[1 + p + o..],
    );
    let student = l.dist == InnovationFamily::StudentT;
    let (nu, h, inv_nu2) = if student {
        let nu = th[r];
        (nu, 0.5 * (nu + 1.0), 1.0 / (nu - 2.0))
    } else {
        (0.0, 0.0, 0.0)
    };
    let mut a = [backcast; MAX_ORDER];
    let mut b = [0.5 * backcast; MAX_ORDER];
    let mut s = [backcast; MAX_ORDER];
    let mut da = [[0.0; 2]; MAX_ORDER];
    let mut db = [[0.0; 2]; MAX_ORDER];
    let mut ds = [[0.0; R]; MAX_ORDER];
    let mut g = [0.0; R];
    let k_all = th.len();
    let (dk, k_const) = if student {
        (
            0.5 * digamma_half_diff(0.5 * nu) - 0.5 * inv_nu2,
            ln_gamma_half_ratio(0.5 * nu) - 0.5 * (std::f64::consts::PI * (nu - 2.0)).ln(),
        )
    } else {
        (0.0, 0.0)
    };
    let mut ln_s2 = LogSum::<f64>::new();
    let mut ln_k = LogSum::<f64>::new();
    let (mut quad, mut frac) = (0.0, 0.0);
    let hold = l.mean.hold_back();
    for i in hold..y.len() {
        let mut s2 = omega;
        for j in 0..p {
            s2 += alpha[j] * a[j];
        }
        for j in 0..o {
            s2 += gamma[j] * b[j];
        }
        for j in 0..q {
            s2 += beta[j] * s[j];
        }
        if !(s2 > 0.0 && s2 < f64::INFINITY) {
            return None;
        }
        let mut dsn = [0.0; R];
        for (c, d) in dsn.iter_mut().enumerate().take(if GRAD { m } else { 0 }) {
            let mut v = 0.0;
            for j in 0..p {
                v += alpha[j] * da[j][c];
            }
            for j in 0..o {
                v += gamma[j] * db[j][c];
            }
            *d = v;
        }
        if GRAD {
            dsn[m] = 1.0;
            dsn[m + 1..m + 1 + p].copy_from_slice(&a[..p]);
            dsn[m + 1 + p..m + 1 + p + o].copy_from_slice(&b[..o]);
            dsn[m + 1 + p + o..r].copy_from_slice(&s[..q]);
            for (k, bk) in beta.iter().enumerate() {
                for c in 0..r {
                    dsn[c] += bk * ds[k][c];
                }
            }
        }
        let (eps, de) = match l.mean {
            MeanModel::Zero => (y[i], [0.0, 0.0]),
            MeanModel::Constant => (y[i] - tm[0], [-1.0, 0.0]),
            MeanModel::Ar1 => (y[i] - tm[0] - tm[1] * y[i - 1], [-1.0, -y[i - 1]]),
        };
        let inv = 1.0 / s2;
        let e2 = eps * eps;
        ln_s2.add(s2);
        let (dl_ds2, dl_de) = if student {
            let z = e2 * inv * inv_nu2;
            let w = 1.0 / (1.0 + z);
            ln_k.add(1.0 + z);
            frac += z * w;
            ((h * z * w - 0.5) * inv, -2.0 * h * eps * inv * inv_nu2 * w)
        } else {
            quad += e2 * inv;
            (0.5 * (e2 * inv - 1.0) * inv, -eps * inv)
        };
        if GRAD {
            for c in 0..r {
                g[c] += dl_ds2 * dsn[c];
            }
            for c in 0..m {
                g[c] += dl_de * de[c];
            }
        }
        if let Some(out) = scores.as_deref_mut() {
            let start = out.len();
            out.resize(start + k_all, 0.0);
            let row = &mut out[start..];
            for c in 0..r {
                row[c] = dl_ds2 * dsn[c];
            }
            for c in 0..m {
                row[c] += dl_de * de[c];
            }
            if student {
                let z = e2 * inv * inv_nu2;
                row[r] = dk - 0.5 * z.ln_1p() + h * inv_nu2 * z / (1.0 + z);
            }
        }
        // Shift the lags.
        let dnew = [2.0 * eps * de[0], 2.0 * eps * de[1]];
        for j in (1..p).rev() {
            a[j] = a[j - 1];
            da[j] = da[j - 1];
        }
        if p > 0 {
            a[0] = e2;
            da[0] = dnew;
        }
        for j in (1..o).rev() {
            b[j] = b[j - 1];
            db[j] = db[j - 1];
        }
        if o > 0 {
            let neg = eps < 0.0;
            b[0] = if neg { e2 } else { 0.0 };
            db[0] = if neg { dnew } else { [0.0, 0.0] };
        }
        for j in (1..q).rev() {
            s[j] = s[j - 1];
            ds[j] = ds[j - 1];
        }
        if q > 0 {
            s[0] = s2;
            ds[0] = dsn;
        }
    }
    let n = (y.len() - hold) as f64;
    let sum_ln_s2 = ln_s2.total();
    let value = if student {
        let sum_ln_k = ln_k.total();
        grad[r] = n * dk - 0.5 * sum_ln_k + h * inv_nu2 * frac;
        n * k_const - 0.5 * sum_ln_s2 - h * sum_ln_k
    } else {
        -0.5 * (n * LN_2PI + sum_ln_s2 + quad)
    };
    grad[..r].copy_from_slice(&g[..r]);
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::garch::Garch;

    #[test]
    fn matches_the_dual_number_gradient() {
        let y: Vec<f64> = (0..600)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0)
            .collect();
        let cases = [
            (
                MeanModel::Constant,
                Garch::new(1, 0, 1).unwrap(),
                InnovationFamily::StudentT,
                vec![0.1, 0.2, 0.1, 0.8, 6.0],
            ),
            (
                MeanModel::Ar1,
                Garch::new(1, 1, 1).unwrap(),
                InnovationFamily::Normal,
                vec![0.1, 0.05, 0.2, 0.05, 0.1, 0.7],
            ),
            (
                MeanModel::Zero,
                Garch::new(2, 1, 2).unwrap(),
                InnovationFamily::StudentT,
                vec![0.3, 0.05, 0.05, 0.04, 0.4, 0.4, 4.5],
            ),
        ];
        for (mean, g, dist, th) in cases {
            let l = Layout {
                mean,
                vol: Volatility::Garch(g),
                dist,
            };
            let (mut ga, mut gd) = (vec![0.0; th.len()], vec![0.0; th.len()]);
            let mut sc = Vec::new();
            let va = value_and_gradient(&l, &th, &y, 1.7, &mut ga, Some(&mut sc)).unwrap();
            let sd = l.dual_scores(&th, &y, 1.7).unwrap();
            for (x, z) in sc.iter().zip(&sd) {
                assert!((x - z).abs() < 1e-10 * z.abs().max(1.0), "score {x} vs {z}");
            }
            assert_eq!(sc.len(), sd.len());
            let vd = l.dual_value_and_gradient(&th, &y, 1.7, &mut gd).unwrap();
            assert!(((va - vd) / vd).abs() < 1e-13, "{va} vs {vd}");
            for (x, z) in ga.iter().zip(&gd) {
                assert!((x - z).abs() < 1e-10 * z.abs().max(1.0), "{ga:?} vs {gd:?}");
            }
        }
    }
}
