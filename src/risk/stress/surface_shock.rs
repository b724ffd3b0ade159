//! A volatility-surface shock measured between two real option chains (calm and stressed).

use crate::market::{Currency, DayCount, Instant, Shock, VolAdjustment};
use crate::risk::error::RiskError;

/// The quotes of one expiry of a chain: implied vols by strike on one forward.
///
/// ```text
/// k_j = ln(K_j / F),   w_j = σ_j²·τ       (τ in years, σ decimal per √year)
/// ```
///
/// ```
/// let s = derisk::risk::ExpiryQuotes::new(0.1, 100.0, vec![90.0, 110.0], vec![0.6, 0.5])?;
/// assert_eq!(s.time_to_expiry(), 0.1);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExpiryQuotes {
    tau: f64,
    forward: f64,
    strikes: Vec<f64>,
    vols: Vec<f64>,
}

fn positive(name: &'static str, value: f64) -> Result<f64, RiskError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(RiskError::InvalidParameter {
            name,
            value,
            reason: "must be finite and positive",
        })
    }
}

impl ExpiryQuotes {
    /// Quotes at time to expiry `tau` (years) on forward `forward`: strikes strictly
    /// increasing, one implied vol each.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] for a τ, forward, strike or vol that is not finite and
    /// positive, or strikes that do not increase; [`RiskError::LengthMismatch`];
    /// [`RiskError::TooShort`] with fewer than 2 strikes.
    ///
    /// ```
    /// assert!(derisk::risk::ExpiryQuotes::new(-0.1, 100.0, vec![90.0, 110.0], vec![0.6, 0.5]).is_err());
    /// ```
    pub fn new(
        tau: f64,
        forward: f64,
        strikes: Vec<f64>,
        vols: Vec<f64>,
    ) -> Result<Self, RiskError> {
        positive("time to expiry", tau)?;
        positive("forward", forward)?;
        if strikes.len() != vols.len() {
            return Err(RiskError::LengthMismatch {
                left_name: "strikes",
                left: strikes.len(),
                right_name: "vols",
                right: vols.len(),
            });
        }
        if strikes.len() < 2 {
            return Err(RiskError::TooShort {
                name: "strikes",
                len: strikes.len(),
                min: 2,
            });
        }
        for (&k, &v) in strikes.iter().zip(&vols) {
            positive("strike", k)?;
            positive("implied vol", v)?;
        }
        if let Some(w) = strikes.windows(2).find(|w| w[1] <= w[0]) {
            return Err(RiskError::InvalidParameter {
                name: "strike",
                value: w[1],
                reason: "strikes must increase strictly",
            });
        }
        Ok(Self {
            tau,
            forward,
            strikes,
            vols,
        })
    }

    /// Time to expiry in years.
    ///
    /// ```
    /// let s = derisk::risk::ExpiryQuotes::new(0.5, 100.0, vec![90.0, 110.0], vec![0.6, 0.5])?;
    /// assert_eq!(s.time_to_expiry(), 0.5);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    #[must_use]
    pub fn time_to_expiry(&self) -> f64 {
        self.tau
    }

    /// The implied vol at log-moneyness k, linear in total variance between the two nearest
    /// quoted strikes (no model is fitted: the quotes themselves, joined).
    ///
    /// ```text
    /// k_j ≤ k ≤ k_{j+1}:  w(k) = w_j + (k − k_j)/(k_{j+1} − k_j)·(w_{j+1} − w_j),  σ(k) = √(w(k)/τ)
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidParameter`] if k lies outside the quoted strikes' range.
    ///
    /// ```
    /// let s = derisk::risk::ExpiryQuotes::new(1.0, 100.0, vec![100.0, 200.0], vec![0.3, 0.4])?;
    /// assert_eq!(s.vol_at(0.0)?, 0.3);
    /// assert!(s.vol_at(-0.1).is_err());
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn vol_at(&self, k: f64) -> Result<f64, RiskError> {
        let ks = |j: usize| (self.strikes[j] / self.forward).ln();
        let n = self.strikes.len();
        let j = (0..n - 1).find(|&j| ks(j) <= k && k <= ks(j + 1));
        let Some(j) = j else {
            return Err(RiskError::InvalidParameter {
                name: "log-moneyness",
                value: k,
                reason: "outside the quoted strikes of the expiry",
            });
        };
        let (k0, k1) = (ks(j), ks(j + 1));
        let (w0, w1) = (
            self.vols[j] * self.vols[j] * self.tau,
            self.vols[j + 1] * self.vols[j + 1] * self.tau,
        );
        let w = w0 + (k - k0) / (k1 - k0) * (w1 - w0);
        Ok((w / self.tau).sqrt())
    }

    /// ATM vol σ(0) and the skew slope (σ(+h) − σ(−h))/(2h) at half-width h in log-moneyness.
    ///
    /// # Errors
    ///
    /// As [`ExpiryQuotes::vol_at`]; [`RiskError::InvalidParameter`] unless h > 0.
    ///
    /// ```
    /// let s = derisk::risk::ExpiryQuotes::new(1.0, 100.0, vec![80.0, 100.0, 125.0], vec![0.5, 0.4, 0.4])?;
    /// let (atm, skew) = s.atm_and_skew(0.05)?;
    /// assert_eq!(atm, 0.4);
    /// assert!(skew < 0.0);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn atm_and_skew(&self, half_width: f64) -> Result<(f64, f64), RiskError> {
        let h = positive("skew half-width", half_width)?;
        let atm = self.vol_at(0.0)?;
        let skew = (self.vol_at(h)? - self.vol_at(-h)?) / (2.0 * h);
        Ok((atm, skew))
    }
}

/// ATM vol and skew of one chain at a term bucket.
///
/// ```
/// let p = derisk::risk::TermPoint { days: 30.0, atm_vol: 0.4, skew: -0.2 };
/// assert_eq!(p.days, 30.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TermPoint {
    /// The bucket's time to expiry in days.
    pub days: f64,
    /// ATM implied vol (decimal per √year).
    pub atm_vol: f64,
    /// Skew dσ/dk near the money (per unit of log-moneyness; negative when puts are dearer).
    pub skew: f64,
}

/// ATM vol and skew of a chain at each bucket of `days`, interpolated across expiries.
///
/// ```text
/// per expiry i:  (τ_i, a_i, s_i) = (τ, σ(0), (σ(+h) − σ(−h))/(2h))        (ExpiryQuotes::atm_and_skew)
/// bucket τ_b = days·86,400 / seconds per year of `day_count`
/// τ_i ≤ τ_b ≤ τ_{i+1}:  a(τ_b)²·τ_b = a_i²τ_i + x·(a_{i+1}²τ_{i+1} − a_i²τ_i),   s = s_i + x·(s_{i+1} − s_i)
///                       x = (τ_b − τ_i)/(τ_{i+1} − τ_i)
/// beyond the first or last expiry: that expiry's a and s (flat)
/// ```
///
/// Linear in ATM total variance along time is the interpolation of
/// [`SliceSurface`](crate::vol::SliceSurface) (Gatheral, *The Volatility Surface*, 2006, ch. 3).
///
/// # Errors
///
/// [`RiskError::TooShort`] for no expiry; [`RiskError::InvalidParameter`] for expiries that do
/// not increase, a bucket that is not finite and positive, or as [`ExpiryQuotes::atm_and_skew`].
///
/// ```
/// use derisk::market::DayCount;
/// use derisk::risk::{term_structure, ExpiryQuotes};
/// let q = |t: f64, v: f64| ExpiryQuotes::new(t, 100.0, vec![90.0, 110.0], vec![v, v]);
/// let t = term_structure(&[q(0.1, 0.5)?, q(0.2, 0.4)?], &[36.525], DayCount::Act365_25, 0.05)?;
/// assert!((t[0].atm_vol - 0.5).abs() < 1e-15 && t[0].skew.abs() < 1e-12);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn term_structure(
    expiries: &[ExpiryQuotes],
    bucket_days: &[f64],
    day_count: DayCount,
    skew_half_width: f64,
) -> Result<Vec<TermPoint>, RiskError> {
    if expiries.is_empty() {
        return Err(RiskError::TooShort {
            name: "expiries",
            len: 0,
            min: 1,
        });
    }
    if let Some(w) = expiries.windows(2).find(|w| w[1].tau <= w[0].tau) {
        return Err(RiskError::InvalidParameter {
            name: "time to expiry",
            value: w[1].tau,
            reason: "expiries must increase strictly",
        });
    }
    let per = expiries
        .iter()
        .map(|e| Ok((e.tau, e.atm_and_skew(skew_half_width)?)))
        .collect::<Result<Vec<_>, RiskError>>()?;
    let year = day_count.seconds_per_year() / 86_400.0;
    bucket_days
        .iter()
        .map(|&days| {
            let tb = positive("bucket days", days)? / year;
            let (first, last) = (per[0], per[per.len() - 1]);
            let (atm_vol, skew) = if tb <= first.0 {
                first.1
            } else if tb >= last.0 {
                last.1
            } else {
                let i = per.partition_point(|p| p.0 <= tb) - 1;
                let ((t0, (a0, s0)), (t1, (a1, s1))) = (per[i], per[i + 1]);
                let x = (tb - t0) / (t1 - t0);
                let w = a0 * a0 * t0 + x * (a1 * a1 * t1 - a0 * a0 * t0);
                ((w / tb).sqrt(), s0 + x * (s1 - s0))
            };
            Ok(TermPoint {
                days,
                atm_vol,
                skew,
            })
        })
        .collect()
}

/// The change of a volatility surface between a calm and a stressed chain, by term bucket.
///
/// ```text
/// per bucket b:  ΔATM_b = a_stressed(τ_b) − a_calm(τ_b),   Δskew_b = s_stressed(τ_b) − s_calm(τ_b)
/// term-structure change = the profile of ΔATM_b across b (e.g. +66 points at 7 d, +13 at 180 d)
/// ```
///
/// ```
/// use derisk::risk::{SurfaceShock, TermPoint};
/// let s = SurfaceShock {
///     calm: vec![TermPoint { days: 30.0, atm_vol: 0.4, skew: -0.2 }],
///     stressed: vec![TermPoint { days: 30.0, atm_vol: 0.8, skew: -0.7 }],
/// };
/// assert!((s.atm_changes()[0].1 - 0.4).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SurfaceShock {
    /// The calm chain's term points.
    pub calm: Vec<TermPoint>,
    /// The stressed chain's term points (same buckets).
    pub stressed: Vec<TermPoint>,
}

impl SurfaceShock {
    /// Measures the shock from two chains at the same buckets ([`term_structure`] of each).
    ///
    /// # Errors
    ///
    /// As [`term_structure`]; [`RiskError::TooShort`] for no bucket.
    ///
    /// ```
    /// use derisk::market::DayCount;
    /// use derisk::risk::{ExpiryQuotes, SurfaceShock};
    /// let q = |v: f64| ExpiryQuotes::new(0.1, 100.0, vec![90.0, 110.0], vec![v, v]);
    /// let s = SurfaceShock::from_chains(&[q(0.4)?], &[q(0.9)?], &[30.0], DayCount::Act365_25, 0.05)?;
    /// assert!((s.atm_changes()[0].1 - 0.5).abs() < 1e-15);
    /// # Ok::<(), derisk::risk::RiskError>(())
    /// ```
    pub fn from_chains(
        calm: &[ExpiryQuotes],
        stressed: &[ExpiryQuotes],
        bucket_days: &[f64],
        day_count: DayCount,
        skew_half_width: f64,
    ) -> Result<Self, RiskError> {
        if bucket_days.is_empty() {
            return Err(RiskError::TooShort {
                name: "bucket days",
                len: 0,
                min: 1,
            });
        }
        Ok(Self {
            calm: term_structure(calm, bucket_days, day_count, skew_half_width)?,
            stressed: term_structure(stressed, bucket_days, day_count, skew_half_width)?,
        })
    }

    /// (bucket days, ΔATM) for every bucket.
    ///
    /// ```
    /// assert!(derisk::risk::SurfaceShock { calm: vec![], stressed: vec![] }.atm_changes().is_empty());
    /// ```
    #[must_use]
    pub fn atm_changes(&self) -> Vec<(f64, f64)> {
        self.calm
            .iter()
            .zip(&self.stressed)
            .map(|(c, s)| (c.days, s.atm_vol - c.atm_vol))
            .collect()
    }

    /// (bucket days, Δskew) for every bucket.
    ///
    /// ```
    /// assert!(derisk::risk::SurfaceShock { calm: vec![], stressed: vec![] }.skew_changes().is_empty());
    /// ```
    #[must_use]
    pub fn skew_changes(&self) -> Vec<(f64, f64)> {
        self.calm
            .iter()
            .zip(&self.stressed)
            .map(|(c, s)| (c.days, s.skew - c.skew))
            .collect()
    }

    /// The ATM and skew changes as one vol shock of a market valued at `valuation`: at each
    /// bucket's expiry valuation + days, ΔATM added at the money and Δskew per unit of
    /// log-moneyness, both linear in time between buckets and flat beyond
    /// (`VolAdjustment::SkewByExpiry`).
    ///
    /// ```text
    /// σ'(E, K) = σ(E, K) + ΔATM(E) + Δskew(E)·k,   k = ln(K / F_s(E))     (F_s: the surface's forward)
    /// so at a bucket:  σ'(k = 0) − σ(0) = ΔATM_b,   [σ'(+h) − σ'(−h)]/(2h) − [σ(+h) − σ(−h)]/(2h) = Δskew_b
    /// ```
    ///
    /// The shocked surface keeps the calm surface's own smile and adds the stressed chain's change
    /// of level and slope near the money (a first-order smile move, Gatheral, *The Volatility
    /// Surface*, 2006, ch. 7); far wings get the linear skew change extended, which a large
    /// skew change can drive to a vol ≤ 0: the market state then reports
    /// `MarketError::InvalidVolatility` for that strike rather than clamping.
    ///
    /// # Errors
    ///
    /// [`RiskError::TooShort`] with no bucket; [`RiskError::LengthMismatch`] if the calm and
    /// stressed points differ in number; [`RiskError::InvalidParameter`] for buckets that differ
    /// between the two chains or do not increase strictly, or a non-finite ATM or skew change;
    /// [`RiskError::Market`] if an instant leaves the representable range.
    ///
    /// ```
    /// use derisk::market::{Instant, Shock, VolAdjustment};
    /// use derisk::risk::{SurfaceShock, TermPoint};
    /// let p = |v, s| vec![TermPoint { days: 30.0, atm_vol: v, skew: s }];
    /// let s = SurfaceShock { calm: p(0.4, -0.1), stressed: p(0.6, -0.5) }.shock(None, Instant::EPOCH)?;
    /// let Shock::Vol { adjustment: VolAdjustment::SkewByExpiry(pts), .. } = s else { panic!() };
    /// assert_eq!(pts, vec![(Instant::EPOCH.plus_days(30.0)?, 0.6 - 0.4, -0.5 - -0.1)]);
    /// # Ok::<(), derisk::Error>(())
    /// ```
    pub fn shock(&self, asset: Option<Currency>, valuation: Instant) -> Result<Shock, RiskError> {
        if self.calm.len() != self.stressed.len() {
            return Err(RiskError::LengthMismatch {
                left_name: "calm term points",
                left: self.calm.len(),
                right_name: "stressed term points",
                right: self.stressed.len(),
            });
        }
        if self.calm.is_empty() {
            return Err(RiskError::TooShort {
                name: "surface shock buckets",
                len: 0,
                min: 1,
            });
        }
        let invalid = |name, value, reason| RiskError::InvalidParameter {
            name,
            value,
            reason,
        };
        if let Some(p) = self
            .calm
            .iter()
            .chain(&self.stressed)
            .find(|p| !p.days.is_finite())
        {
            return Err(invalid("bucket days", p.days, "must be finite"));
        }
        if let Some((_, s)) = self
            .calm
            .iter()
            .zip(&self.stressed)
            .find(|(c, s)| c.days != s.days)
        {
            return Err(invalid(
                "bucket days",
                s.days,
                "the stressed chain's buckets differ from the calm chain's",
            ));
        }
        if let Some(w) = self.calm.windows(2).find(|w| w[1].days <= w[0].days) {
            return Err(invalid(
                "bucket days",
                w[1].days,
                "buckets must increase strictly",
            ));
        }
        let points = self
            .calm
            .iter()
            .zip(&self.stressed)
            .map(|(c, s)| {
                let (da, ds) = (s.atm_vol - c.atm_vol, s.skew - c.skew);
                if !da.is_finite() {
                    return Err(invalid("atm vol change", da, "must be finite"));
                }
                if !ds.is_finite() {
                    return Err(invalid("skew change", ds, "must be finite"));
                }
                Ok((valuation.plus_days(c.days)?, da, ds))
            })
            .collect::<Result<Vec<_>, RiskError>>()?;
        Ok(Shock::Vol {
            asset,
            adjustment: VolAdjustment::SkewByExpiry(points),
        })
    }
}
