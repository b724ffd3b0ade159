//! The two-sample Kolmogorov–Smirnov test with its asymptotic p-value.

use super::error::MathError;

/// The outcome of a two-sample Kolmogorov–Smirnov test.
///
/// ```text
/// statistic = D = sup_x |F_a(x) − F_b(x)|,   p_value = Q_K(√(n m/(n + m)) · D)
/// ```
///
/// Reference: N. Smirnov, "Table for estimating the goodness of fit of empirical
/// distributions", *Ann. Math. Stat.* 19 (1948).
///
/// ```
/// let t = derisk::math::ks_two_sample(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?;
/// assert_eq!((t.statistic, t.p_value), (0.0, 1.0));
/// # Ok::<(), derisk::math::MathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KsTest {
    /// D, the largest distance between the two empirical distribution functions, in [0, 1].
    pub statistic: f64,
    /// The asymptotic two-sided p-value: the chance of a D at least this large if both samples
    /// come from one continuous distribution.
    pub p_value: f64,
}

/// Two-sample Kolmogorov–Smirnov test of `a` against `b`, with the p-value of Kolmogorov's
/// limiting distribution (scipy's `special.kolmogorov`; scipy's `ks_2samp(method="asymp")` uses
/// the finite-n law at n = nm/(n + m), which tends to it for large samples).
///
/// ```text
/// D = max over the pooled sample of |F_a − F_b| (ties stepped together)
/// λ = √(n m/(n + m)) · D
/// Q_K(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}                      (λ ≥ 1.18)
///        = 1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)}           (λ < 1.18, the same function)
/// ```
///
/// Sorts copies of both samples (allocates n + m values). References: Smirnov (1948); A. N.
/// Kolmogorov (1933); W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007), §6.14.12 and
/// §14.3.3.
///
/// # Errors
///
/// [`MathError::EmptySample`] if a sample is empty; [`MathError::NonFiniteSample`] for NaN or ±∞.
///
/// ```
/// // D = 0.5 (scipy.stats.ks_2samp); λ = 0.5·√(12/7);
/// // scipy.special.kolmogorov(λ) = 0.784769805922802 (scipy 1.14.1)
/// let t = derisk::math::ks_two_sample(&[0.1, 0.4, 0.7], &[0.2, 0.5, 0.8, 0.9])?;
/// assert_eq!(t.statistic, 0.5);
/// assert!((t.p_value - 0.784_769_805_922_802).abs() < 1e-13);
/// # Ok::<(), derisk::math::MathError>(())
/// ```
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> Result<KsTest, MathError> {
    let mut x = checked_sorted("a", a)?;
    let mut y = checked_sorted("b", b)?;
    x.sort_unstable_by(f64::total_cmp);
    y.sort_unstable_by(f64::total_cmp);
    let (n, m) = (x.len(), y.len());
    let (mut i, mut j, mut d) = (0usize, 0usize, 0.0f64);
    while i < n && j < m {
        let v = x[i].min(y[j]);
        while i < n && x[i] <= v {
            i += 1;
        }
        while j < m && y[j] <= v {
            j += 1;
        }
        d = d.max((i as f64 / n as f64 - j as f64 / m as f64).abs());
    }
    let (nf, mf) = (n as f64, m as f64);
    let lambda = (nf * mf / (nf + mf)).sqrt() * d;
    Ok(KsTest {
        statistic: d,
        p_value: kolmogorov_q(lambda),
    })
}

/// A copy of a non-empty, finite sample.
fn checked_sorted(name: &'static str, xs: &[f64]) -> Result<Vec<f64>, MathError> {
    if xs.is_empty() {
        return Err(MathError::EmptySample { name });
    }
    if let Some((index, &value)) = xs.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(MathError::NonFiniteSample { name, index, value });
    }
    Ok(xs.to_vec())
}

/// Q_K(λ) = P(K > λ) of Kolmogorov's limiting distribution, in [0, 1].
pub(crate) fn kolmogorov_q(lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    let q = if lambda < 1.18 {
        let c = std::f64::consts::PI * std::f64::consts::PI / (8.0 * lambda * lambda);
        let s: f64 = (1..=20)
            .map(|k| {
                let o = (2 * k - 1) as f64;
                (-o * o * c).exp()
            })
            .sum();
        1.0 - (2.0 * std::f64::consts::PI).sqrt() / lambda * s
    } else {
        let l2 = lambda * lambda;
        2.0 * (1..=100)
            .map(|k| {
                let kf = k as f64;
                let sign = if k % 2 == 1 { 1.0 } else { -1.0 };
                sign * (-2.0 * kf * kf * l2).exp()
            })
            .sum::<f64>()
    };
    q.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::kolmogorov_q;

    /// scipy.special.kolmogorov (scipy 1.14.1) on both sides of the series switch.
    #[test]
    fn kolmogorov_tail_matches_scipy() {
        for (lam, want) in [
            (0.3, 0.999_990_694_198_665_5),
            (0.8, 0.544_142_411_574_198_1),
            (1.0, 0.269_999_671_677_354_56),
            (1.18, 0.123_453_809_429_765_7),
            (1.2, 0.112_249_666_670_724_97),
            (1.6, 0.011_952_043_239_196_616),
            (2.5, 7.453_306_344_157_342e-6),
        ] {
            let got = kolmogorov_q(lam);
            assert!(
                ((got - want) / want).abs() < 1e-12,
                "{lam}: {got} vs {want}"
            );
        }
    }
}
