//! Correlation of two samples: Pearson, Kendall's τ-b (Knight's O(n log n) algorithm) and
//! Spearman; average ranks and pseudo-observations.

use std::cmp::Ordering;

use crate::risk::error::RiskError;
use crate::risk::stats::{check_series, sum, Neumaier};

/// Checks a pair of samples of equal length ≥ `min`, finite.
pub(super) fn check_pair(x: &[f64], y: &[f64], min: usize) -> Result<(), RiskError> {
    if x.len() != y.len() {
        return Err(RiskError::LengthMismatch {
            left_name: "x",
            left: x.len(),
            right_name: "y",
            right: y.len(),
        });
    }
    check_series("x", x, min)?;
    check_series("y", y, min)
}

fn constant(statistic: &'static str) -> RiskError {
    RiskError::Undefined {
        statistic,
        reason: "a sample is constant (zero variance or every pair tied)",
    }
}

/// Pearson's r of two finite samples of equal length, two-pass with compensated sums.
fn pearson_unchecked(x: &[f64], y: &[f64], statistic: &'static str) -> Result<f64, RiskError> {
    let n = x.len() as f64;
    let (mx, my) = (sum(x.iter().copied()) / n, sum(y.iter().copied()) / n);
    let (mut sxy, mut sxx, mut syy) = (
        Neumaier::default(),
        Neumaier::default(),
        Neumaier::default(),
    );
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy.add(dx * dy);
        sxx.add(dx * dx);
        syy.add(dy * dy);
    }
    let (sxx, syy) = (sxx.value(), syy.value());
    if !(sxx > 0.0 && syy > 0.0 && sxx.is_finite() && syy.is_finite()) {
        return Err(if sxx.is_finite() && syy.is_finite() {
            constant(statistic)
        } else {
            RiskError::Overflow {
                name: statistic,
                value: f64::INFINITY,
            }
        });
    }
    // √sxx·√syy rather than √(sxx·syy): no overflow or underflow of the product.
    Ok((sxy.value() / sxx.sqrt() / syy.sqrt()).clamp(-1.0, 1.0))
}

/// Pearson's product-moment correlation of two samples.
///
/// ```text
/// r = Σ (x_i − x̄)(y_i − ȳ) / √(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)   in [−1, 1]
/// ```
///
/// Two passes with compensated (Neumaier) sums. Reference: K. Pearson, "Mathematical
/// contributions to the theory of evolution. III", *Phil. Trans. R. Soc. A* 187 (1896);
/// matches `scipy.stats.pearsonr`.
///
/// # Errors
///
/// [`RiskError::LengthMismatch`], [`RiskError::TooShort`] below 2 values,
/// [`RiskError::NonFinite`], [`RiskError::Undefined`] for a constant sample,
/// [`RiskError::Overflow`] for values near f64::MAX.
///
/// ```
/// let r = derisk::risk::pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 9.0])?;
/// assert!((r - 0.964_763_821_237_732_2).abs() < 1e-15); // scipy.stats.pearsonr
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> Result<f64, RiskError> {
    check_pair(x, y, 2)?;
    pearson_unchecked(x, y, "pearson correlation")
}

/// Average ranks (1-based; tied values share the mean of their ranks), as
/// `scipy.stats.rankdata(method="average")`.
///
/// ```text
/// rank_i = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1)/2
/// ```
///
/// Reference: M. G. Kendall, *Rank Correlation Methods* (1948), ch. 3 (mid-ranks).
///
/// # Errors
///
/// [`RiskError::TooShort`] for an empty sample, [`RiskError::NonFinite`].
///
/// ```
/// assert_eq!(derisk::risk::ranks(&[3.0, 1.0, 3.0, 2.0])?, vec![3.5, 1.0, 3.5, 2.0]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn ranks(x: &[f64]) -> Result<Vec<f64>, RiskError> {
    check_series("x", x, 1)?;
    Ok(average_ranks(x))
}

/// Average ranks of a finite sample.
pub(super) fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; x.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == x[order[start]] {
            end += 1;
        }
        // ranks start+1 … end share their mean (start + 1 + end)/2.
        let r = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = r;
        }
        start = end;
    }
    out
}

/// Pseudo-observations of a sample: its average ranks scaled into (0, 1).
///
/// ```text
/// u_i = rank_i / (n + 1)
/// ```
///
/// The empirical copula's margins, the input of a copula fit (Genest, Ghoudi and Rivest,
/// "A semiparametric estimation procedure of dependence parameters in multivariate families of
/// distributions", *Biometrika* 82, 1995).
///
/// # Errors
///
/// As [`ranks`].
///
/// ```
/// let u = derisk::risk::pseudo_observations(&[0.3, -0.1, 0.2])?;
/// assert_eq!(u, vec![0.75, 0.25, 0.5]);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn pseudo_observations(x: &[f64]) -> Result<Vec<f64>, RiskError> {
    let scale = 1.0 / (x.len() as f64 + 1.0);
    let mut r = ranks(x)?;
    for v in &mut r {
        *v *= scale;
    }
    Ok(r)
}

/// Spearman's rank correlation: Pearson's r of the average ranks.
///
/// ```text
/// ρ_S = r(rank(x), rank(y))
/// ```
///
/// Ties take average ranks, as `scipy.stats.spearmanr`. Reference: C. Spearman, "The proof and
/// measurement of association between two things", *Am. J. Psychology* 15 (1904).
///
/// # Errors
///
/// As [`pearson`] (a sample with every value tied is [`RiskError::Undefined`]).
///
/// ```
/// let r = derisk::risk::spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 8.0, 27.0, 64.0])?;
/// assert_eq!(r, 1.0); // monotone
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Result<f64, RiskError> {
    check_pair(x, y, 2)?;
    pearson_unchecked(&average_ranks(x), &average_ranks(y), "spearman correlation")
}

/// Counts the inversions of `v` (pairs i < j with v_i > v_j) while merge-sorting it.
fn sort_count_inversions(v: &mut [f64], buf: &mut [f64]) -> u64 {
    let n = v.len();
    let mut swaps = 0u64;
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                if v[i] <= v[j] {
                    buf[k] = v[i];
                    i += 1;
                } else {
                    // v[j] jumps over the mid − i values left in the left run.
                    buf[k] = v[j];
                    swaps += (mid - i) as u64;
                    j += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buf[k..k + hi - j].copy_from_slice(&v[j..hi]);
            lo = hi;
        }
        v.copy_from_slice(buf);
        width *= 2;
    }
    swaps
}

/// Σ over runs of equal adjacent values of m(m − 1)/2, for a sorted sequence.
fn tied_pairs<T: PartialEq>(sorted: impl Iterator<Item = T>) -> u64 {
    let (mut total, mut run, mut last) = (0u64, 0u64, None);
    for v in sorted {
        if last.as_ref() == Some(&v) {
            run += 1;
        } else {
            total += run * run.saturating_sub(1) / 2;
            run = 1;
            last = Some(v);
        }
    }
    total + run * run.saturating_sub(1) / 2
}

/// Kendall's τ-b rank correlation, in O(n log n) by Knight's algorithm.
///
/// ```text
/// τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)),   n₀ = n(n−1)/2
/// n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2·swaps
/// ```
///
/// n₁, n₂: pairs tied in x, in y; n₃: pairs tied in both; swaps: the exchanges a merge sort
/// makes on y once the pairs are sorted by (x, y). Ties are handled as
/// `scipy.stats.kendalltau(variant="b")`. Reference: W. R. Knight, "A computer method for
/// calculating Kendall's tau with ungrouped data", *JASA* 61 (1966); M. G. Kendall, "The
/// treatment of ties in ranking problems", *Biometrika* 33 (1945).
///
/// # Errors
///
/// [`RiskError::LengthMismatch`], [`RiskError::TooShort`] below 2 values,
/// [`RiskError::NonFinite`], [`RiskError::Undefined`] when every pair is tied in x or in y.
///
/// ```
/// let t = derisk::risk::kendall_tau(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0])?;
/// assert!((t - 4.0 / 6.0).abs() < 1e-15); // 5 concordant, 1 discordant pair
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn kendall_tau(x: &[f64], y: &[f64]) -> Result<f64, RiskError> {
    check_pair(x, y, 2)?;
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    // −0.0 and 0.0 are one value: + 0.0 maps −0.0 to 0.0 before the total order sees it.
    order.sort_unstable_by(|&a, &b| match (x[a] + 0.0).total_cmp(&(x[b] + 0.0)) {
        Ordering::Equal => (y[a] + 0.0).total_cmp(&(y[b] + 0.0)),
        other => other,
    });
    let xt = tied_pairs(order.iter().map(|&i| x[i] + 0.0));
    let joint = tied_pairs(order.iter().map(|&i| (x[i] + 0.0, y[i] + 0.0)));
    let mut ys: Vec<f64> = order.iter().map(|&i| y[i] + 0.0).collect();
    let mut buf = vec![0.0; n];
    let swaps = sort_count_inversions(&mut ys, &mut buf);
    let yt = tied_pairs(ys.iter().copied());
    let total = (n as u64) * (n as u64 - 1) / 2;
    if xt == total || yt == total {
        return Err(constant("kendall tau"));
    }
    let numerator = total as i128 - xt as i128 - yt as i128 + joint as i128 - 2 * swaps as i128;
    let tau = numerator as f64 / ((total - xt) as f64).sqrt() / ((total - yt) as f64).sqrt();
    Ok(tau.clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merge sort counts exactly the pairs i < j with v_i > v_j (ties are not inversions).
    #[test]
    fn inversions_match_brute_force() {
        let v = [3.0, 1.0, 2.0, 2.0, 5.0, 0.0, 3.0, 1.0, 4.0];
        let brute = (0..v.len())
            .flat_map(|i| (i + 1..v.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| v[i] > v[j])
            .count() as u64;
        let (mut w, mut buf) = (v.to_vec(), vec![0.0; v.len()]);
        assert_eq!(sort_count_inversions(&mut w, &mut buf), brute);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
        assert_eq!(tied_pairs(w.iter().copied()), 3); // 1,1 · 2,2 · 3,3
    }
}
