//! Gaussian and Student-t copulas, and several GARCH margins simulated jointly through one.

use nalgebra::{Cholesky, DMatrix};
use rand::Rng;

use super::draws::{chi_square, normal};
use super::error::{positive, steps, SimError};
use super::gbm::check_len;
use super::traits::PathGenerator;
use crate::garch::{t_cdf, GarchFit, Innovation, PathState, SimulationStart};
use crate::math::norm_cdf;

/// Symmetry tolerance of a correlation matrix (absolute, per pair).
const SYMMETRY_TOL: f64 = 1e-12;

/// A validated correlation matrix, stored as its lower Cholesky factor L (R = L·Lᵀ).
///
/// ```text
/// R = Rᵀ, R_ii = 1, |R_ij| ≤ 1, R positive definite;   R = L Lᵀ, L lower triangular
/// ```
///
/// Reference: G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), §4.2
/// (Cholesky); the factorisation is nalgebra's.
///
/// ```
/// use derisk::sim::Correlation;
/// let r = Correlation::new(2, &[1.0, 0.6, 0.6, 1.0])?;
/// let l = r.cholesky();
/// assert!((l[3] - (1.0f64 - 0.36).sqrt()).abs() < 1e-15);   // L₁₁ = √(1 − ρ²)
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    dim: usize,
    lower: Vec<f64>,
}

impl Correlation {
    /// Validates the `dim` × `dim` row-major matrix `entries` and factorises it.
    ///
    /// ```text
    /// accepted: finite, |R_ij − R_ji| ≤ 1e-12, R_ii = 1, |R_ij| ≤ 1, Cholesky succeeds
    /// ```
    ///
    /// Reference: Golub and Van Loan (2013), §4.2.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] for dim = 0; [`SimError::BufferLength`] unless
    /// `entries.len() == dim²`; [`SimError::InvalidCorrelation`] for a bad entry;
    /// [`SimError::NotPositiveDefinite`].
    ///
    /// ```
    /// use derisk::sim::{Correlation, SimError};
    /// let e = Correlation::new(2, &[1.0, 1.2, 1.2, 1.0]).unwrap_err();
    /// assert!(matches!(e, SimError::InvalidCorrelation { row: 0, col: 1, .. }));
    /// ```
    pub fn new(dim: usize, entries: &[f64]) -> Result<Self, SimError> {
        if dim == 0 {
            return Err(SimError::InvalidParameter {
                name: "dim",
                value: 0.0,
                reason: "a correlation matrix needs at least one asset",
            });
        }
        if dim.checked_mul(dim) != Some(entries.len()) {
            return Err(SimError::BufferLength {
                name: "correlation entries",
                len: entries.len(),
                expected: dim.saturating_mul(dim),
            });
        }
        for row in 0..dim {
            for col in 0..dim {
                let v = entries[row * dim + col];
                let bad = |reason| SimError::InvalidCorrelation {
                    row,
                    col,
                    value: v,
                    reason,
                };
                if !v.is_finite() {
                    return Err(bad("not finite"));
                }
                if row == col && v != 1.0 {
                    return Err(bad("a diagonal entry must be 1"));
                }
                if v.abs() > 1.0 {
                    return Err(bad("a correlation lies in [-1, 1]"));
                }
                if (v - entries[col * dim + row]).abs() > SYMMETRY_TOL {
                    return Err(bad("the matrix is not symmetric"));
                }
            }
        }
        let m = DMatrix::from_row_slice(dim, dim, entries);
        let chol = Cholesky::new(m).ok_or(SimError::NotPositiveDefinite { dim })?;
        let l = chol.l();
        let mut lower = vec![0.0; dim * dim];
        for row in 0..dim {
            for col in 0..=row {
                lower[row * dim + col] = l[(row, col)];
            }
        }
        if lower.iter().any(|x| !x.is_finite()) || (0..dim).any(|i| lower[i * dim + i] <= 0.0) {
            return Err(SimError::NotPositiveDefinite { dim });
        }
        Ok(Self { dim, lower })
    }

    /// Number of assets.
    ///
    /// ```text
    /// d, R ∈ ℝ^{d×d}
    /// ```
    ///
    /// ```
    /// assert_eq!(derisk::sim::Correlation::new(1, &[1.0])?.dim(), 1);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The lower Cholesky factor L, row-major d × d (zeros above the diagonal).
    ///
    /// ```text
    /// R = L Lᵀ
    /// ```
    ///
    /// ```
    /// let r = derisk::sim::Correlation::new(2, &[1.0, -0.5, -0.5, 1.0])?;
    /// assert_eq!(r.cholesky()[..3], [1.0, 0.0, -0.5]);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn cholesky(&self) -> &[f64] {
        &self.lower
    }

    /// x ← L·x in place (rows from the last, so each row reads inputs not yet overwritten).
    fn correlate(&self, x: &mut [f64]) {
        let d = self.dim;
        for i in (0..d).rev() {
            let row = &self.lower[i * d..i * d + i + 1];
            x[i] = row.iter().zip(&x[..=i]).map(|(l, z)| l * z).sum();
        }
    }
}

/// The copula family.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Gaussian,
    StudentT(f64),
}

/// A Gaussian or Student-t copula with a given correlation matrix: draws of d dependent
/// uniforms.
///
/// ```text
/// Gaussian:  x = L z,  z ~ N(0, I_d);                    uᵢ = Φ(xᵢ)
/// Student-t: x = L z / √(W/ν),  W ~ χ²_ν independent;    uᵢ = t_ν(xᵢ)
/// Kendall's τ of a pair = (2/π)·asin(ρ) for both (elliptical copulas)
/// ```
///
/// Reference: P. Embrechts, F. Lindskog and A. McNeil, "Modelling dependence with copulas and
/// applications to risk management", in *Handbook of Heavy Tailed Distributions in Finance*
/// (2003), §5 and Algorithms 5.1–5.2; A. McNeil, R. Frey and P. Embrechts, *Quantitative Risk
/// Management* (2015), §7.3.
///
/// ```
/// use derisk::sim::{Copula, Correlation};
/// use rand::SeedableRng;
/// let c = Copula::student_t(Correlation::new(2, &[1.0, 0.5, 0.5, 1.0])?, 4.0)?;
/// let mut u = [0.0; 2];
/// c.sample(&mut rand_chacha::ChaCha20Rng::seed_from_u64(1), &mut u)?;
/// assert!(u.iter().all(|&x| x > 0.0 && x < 1.0));
/// # Ok::<(), derisk::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    corr: Correlation,
    family: Family,
}

impl Copula {
    /// The Gaussian copula of `corr`.
    ///
    /// ```text
    /// C(u) = Φ_R(Φ⁻¹(u₁), …, Φ⁻¹(u_d))
    /// ```
    ///
    /// Reference: McNeil, Frey and Embrechts (2015), §7.1.
    ///
    /// ```
    /// let c = derisk::sim::Copula::gaussian(derisk::sim::Correlation::new(1, &[1.0])?);
    /// assert_eq!(c.dim(), 1);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn gaussian(corr: Correlation) -> Self {
        Self {
            corr,
            family: Family::Gaussian,
        }
    }

    /// The Student-t copula of `corr` with ν > 0 degrees of freedom (tail dependent).
    ///
    /// ```text
    /// C(u) = t_{ν,R}(t_ν⁻¹(u₁), …, t_ν⁻¹(u_d))
    /// ```
    ///
    /// Reference: McNeil, Frey and Embrechts (2015), §7.1.
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] unless ν is finite and positive.
    ///
    /// ```
    /// use derisk::sim::{Copula, Correlation};
    /// assert!(Copula::student_t(Correlation::new(1, &[1.0])?, 0.0).is_err());
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn student_t(corr: Correlation, nu: f64) -> Result<Self, SimError> {
        Ok(Self {
            corr,
            family: Family::StudentT(positive("nu", nu)?),
        })
    }

    /// Number of assets.
    ///
    /// ```text
    /// d
    /// ```
    ///
    /// ```
    /// let r = derisk::sim::Correlation::new(2, &[1.0, 0.0, 0.0, 1.0])?;
    /// assert_eq!(derisk::sim::Copula::gaussian(r).dim(), 2);
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn dim(&self) -> usize {
        self.corr.dim
    }

    /// Writes one draw of d dependent uniforms into `out` (length d), each in (0, 1).
    ///
    /// ```text
    /// u = Φ(L z)  or  t_ν(L z / √(W/ν)),  clamped into [2⁻¹⁰²², 1 − 2⁻⁵³]
    /// ```
    ///
    /// Reference: Embrechts, Lindskog and McNeil (2003), Algorithms 5.1–5.2.
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] unless `out.len() == dim()`.
    ///
    /// ```
    /// use derisk::sim::{Copula, Correlation};
    /// use rand::SeedableRng;
    /// let c = Copula::gaussian(Correlation::new(2, &[1.0, 0.999, 0.999, 1.0])?);
    /// let mut u = [0.0; 2];
    /// c.sample(&mut rand_chacha::ChaCha20Rng::seed_from_u64(9), &mut u)?;
    /// assert!((u[0] - u[1]).abs() < 0.2);     // ρ = 0.999: nearly comonotone
    /// # Ok::<(), derisk::sim::SimError>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        check_len(out.len(), self.dim())?;
        self.sample_unchecked(rng, out);
        Ok(())
    }

    fn sample_unchecked<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        for z in out.iter_mut() {
            *z = normal(rng);
        }
        self.corr.correlate(out);
        const HI: f64 = 1.0 - f64::EPSILON / 2.0;
        match self.family {
            Family::Gaussian => {
                for x in out.iter_mut() {
                    *x = norm_cdf(*x).clamp(f64::MIN_POSITIVE, HI);
                }
            }
            Family::StudentT(nu) => {
                let s = (nu / chi_square(nu, rng)).sqrt();
                for x in out.iter_mut() {
                    *x = t_cdf(*x * s, nu).clamp(f64::MIN_POSITIVE, HI);
                }
            }
        }
    }
}

/// Several assets simulated together: each asset a GARCH-driven path from its own fit's last
/// state, their innovations tied by a copula (BTC and ETH with GARCH margins and a t copula).
///
/// ```text
/// (u₁ₜ, …, u_dₜ) ~ copula;  z_aₜ = F_a⁻¹(u_aₜ) (asset a's fitted innovation quantile)
/// ε_aₜ = σ_aₜ z_aₜ,  y_aₜ = mean_a + ε_aₜ,  σ²_a from a's fitted recursion;  out[t·d + a] = scale·y_aₜ
/// ```
///
/// Reference: McNeil, Frey and Embrechts (2015), §7.5 (copula-GARCH); E. Jondeau and M. Rockinger,
/// "The copula-GARCH model of conditional dependencies", *J. Int. Money and Finance* 25 (2006).
///
/// ```
/// use derisk::garch::GarchModel;
/// use derisk::sim::{Copula, CopulaGarch, Correlation, PathGenerator};
/// use rand::SeedableRng;
/// let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
/// let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
/// let cop = Copula::gaussian(Correlation::new(2, &[1.0, 0.7, 0.7, 1.0])?);
/// let joint = CopulaGarch::new(cop, &[fit.clone(), fit], 3)?;
/// let mut path = vec![0.0; joint.path_len()];
/// joint.fill(&mut rand_chacha::ChaCha20Rng::seed_from_u64(1), &mut path)?;
/// assert_eq!((joint.assets(), path.len()), (2, 6));
/// # Ok::<(), derisk::Error>(())
/// ```
#[derive(Clone)]
pub struct CopulaGarch {
    copula: Copula,
    margins: Vec<PathState>,
    steps: usize,
    scale: f64,
}

impl std::fmt::Debug for CopulaGarch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopulaGarch")
            .field("copula", &self.copula)
            .field("steps", &self.steps)
            .field("scale", &self.scale)
            .finish_non_exhaustive()
    }
}

impl CopulaGarch {
    /// Joint paths of `steps` steps: asset a follows `fits[a]` from its fitted state, the
    /// copula ties the innovations.
    ///
    /// ```text
    /// fits.len() = copula.dim()
    /// ```
    ///
    /// Reference: McNeil, Frey and Embrechts (2015), §7.5.
    ///
    /// # Errors
    ///
    /// [`SimError::BufferLength`] if the number of fits differs from the copula's dimension;
    /// [`SimError::InvalidParameter`] for steps = 0 or above [`MAX_STEPS`](super::MAX_STEPS).
    ///
    /// ```
    /// # use derisk::garch::GarchModel;
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::sim::{Copula, CopulaGarch, Correlation};
    /// let cop = Copula::gaussian(Correlation::new(2, &[1.0, 0.7, 0.7, 1.0])?);
    /// assert!(CopulaGarch::new(cop, &[fit], 3).is_err());   // two assets, one fit
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn new(copula: Copula, fits: &[GarchFit], n_steps: usize) -> Result<Self, SimError> {
        if fits.len() != copula.dim() {
            return Err(SimError::BufferLength {
                name: "fits",
                len: fits.len(),
                expected: copula.dim(),
            });
        }
        Ok(Self {
            copula,
            margins: fits
                .iter()
                .map(|f| f.path_state(SimulationStart::FittedState))
                .collect(),
            steps: steps(n_steps)?,
            scale: 1.0,
        })
    }

    /// The same paths multiplied by `scale` (0.01 turns percent returns into decimals).
    ///
    /// ```text
    /// out[t·d + a] = scale · y_aₜ
    /// ```
    ///
    /// Reference: `arch` documentation (rescaling, 8.0, 2025).
    ///
    /// # Errors
    ///
    /// [`SimError::InvalidParameter`] unless scale is finite and positive.
    ///
    /// ```
    /// # use derisk::garch::GarchModel;
    /// # let y: Vec<f64> = (0..300).map(|i| ((i * 37 % 101) as f64 - 50.0) / 20.0).collect();
    /// # let fit = GarchModel::garch11_t().evaluate(&y, &[0.1, 0.2, 0.1, 0.8, 6.0])?;
    /// use derisk::sim::{Copula, CopulaGarch, Correlation};
    /// let cop = Copula::gaussian(Correlation::new(1, &[1.0])?);
    /// assert!(CopulaGarch::new(cop, &[fit], 3)?.scaled(-1.0).is_err());
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn scaled(mut self, scale: f64) -> Result<Self, SimError> {
        self.scale = positive("scale", scale)?;
        Ok(self)
    }

    /// One path with the margins' states in `states` (reset here; reused across paths).
    fn fill_with<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        states: &mut [PathState],
        out: &mut [f64],
    ) -> Result<(), SimError> {
        check_len(out.len(), self.path_len())?;
        states.copy_from_slice(&self.margins);
        let d = self.copula.dim();
        for (t, row) in out.chunks_exact_mut(d).enumerate() {
            self.copula.sample_unchecked(rng, row);
            for (x, s) in row.iter_mut().zip(states.iter_mut()) {
                let z = s.innovation().quantile(*x)?;
                *x = self.scale * s.step(z, t)?.0;
            }
        }
        Ok(())
    }
}

impl PathGenerator for CopulaGarch {
    fn steps(&self) -> usize {
        self.steps
    }

    fn assets(&self) -> usize {
        self.copula.dim()
    }

    /// One joint path (copies the d margin states once per call; [`PathGenerator::fill_many`]
    /// copies them once for all its paths).
    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<(), SimError> {
        let mut states = self.margins.clone();
        self.fill_with(rng, &mut states, out)
    }

    fn fill_many<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) -> Result<usize, SimError> {
        let len = self.path_len();
        if out.is_empty() || !out.len().is_multiple_of(len) {
            return Err(SimError::BufferLength {
                name: "paths",
                len: out.len(),
                expected: len,
            });
        }
        let mut states = self.margins.clone();
        for path in out.chunks_exact_mut(len) {
            self.fill_with(rng, &mut states, path)?;
        }
        Ok(out.len() / len)
    }
}
