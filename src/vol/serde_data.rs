//! The serialised forms of the validated vol types: `Deserialize` builds one of these plain
//! mirrors and converts it through the type's constructor (`#[serde(try_from = …)]`), so that
//! deserialising checks exactly what constructing checks and fails with the same typed error.

use super::error::VolError;
use super::{
    CalibrationError, FlatVol, InterpolatedSmile, Sabr, SliceQuotes, SliceSurface, Smile, Ssvi,
    SsviPhi, Svi, SviJw, VolQuote,
};

#[derive(serde::Deserialize)]
pub(crate) struct FlatVolData {
    volatility: f64,
}

impl TryFrom<FlatVolData> for FlatVol {
    type Error = VolError;
    fn try_from(d: FlatVolData) -> Result<Self, VolError> {
        Self::new(d.volatility)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SviData {
    a: f64,
    b: f64,
    rho: f64,
    m: f64,
    sigma: f64,
}

impl TryFrom<SviData> for Svi {
    type Error = VolError;
    fn try_from(d: SviData) -> Result<Self, VolError> {
        Self::new(d.a, d.b, d.rho, d.m, d.sigma)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SviJwData {
    expiry: f64,
    v: f64,
    psi: f64,
    p: f64,
    c: f64,
    v_tilde: f64,
}

impl TryFrom<SviJwData> for SviJw {
    type Error = VolError;
    /// Accepted if it is the reading of a valid raw SVI slice ([`SviJw::to_raw`] succeeds).
    fn try_from(d: SviJwData) -> Result<Self, VolError> {
        let jw = Self {
            expiry: d.expiry,
            v: d.v,
            psi: d.psi,
            p: d.p,
            c: d.c,
            v_tilde: d.v_tilde,
        };
        jw.to_raw()?;
        Ok(jw)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SabrData {
    forward: f64,
    expiry: f64,
    alpha: f64,
    beta: f64,
    rho: f64,
    nu: f64,
}

impl TryFrom<SabrData> for Sabr {
    type Error = VolError;
    fn try_from(d: SabrData) -> Result<Self, VolError> {
        Self::new(d.forward, d.expiry, d.alpha, d.beta, d.rho, d.nu)
    }
}

#[derive(serde::Deserialize)]
pub(crate) enum SsviPhiData {
    Heston { lambda: f64 },
    PowerLaw { eta: f64, gamma: f64 },
}

impl TryFrom<SsviPhiData> for SsviPhi {
    type Error = VolError;
    fn try_from(d: SsviPhiData) -> Result<Self, VolError> {
        let phi = match d {
            SsviPhiData::Heston { lambda } => Self::Heston { lambda },
            SsviPhiData::PowerLaw { eta, gamma } => Self::PowerLaw { eta, gamma },
        };
        phi.check()?;
        Ok(phi)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SsviData {
    rho: f64,
    phi: SsviPhi,
    expiries: Vec<f64>,
    thetas: Vec<f64>,
}

impl TryFrom<SsviData> for Ssvi {
    type Error = VolError;
    fn try_from(d: SsviData) -> Result<Self, VolError> {
        Self::new(d.rho, d.phi, d.expiries, d.thetas)
    }
}

/// The slopes are derived data: they are recomputed from the knots, never trusted.
#[derive(serde::Deserialize)]
pub(crate) struct InterpolatedSmileData {
    ks: Vec<f64>,
    ws: Vec<f64>,
}

impl TryFrom<InterpolatedSmileData> for InterpolatedSmile {
    type Error = CalibrationError;
    fn try_from(d: InterpolatedSmileData) -> Result<Self, CalibrationError> {
        Self::new(&d.ks, &d.ws)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SliceQuotesData {
    expiry: f64,
    forward: f64,
    quotes: Vec<VolQuote>,
}

impl TryFrom<SliceQuotesData> for SliceQuotes {
    type Error = CalibrationError;
    fn try_from(d: SliceQuotesData) -> Result<Self, CalibrationError> {
        Self::new(d.expiry, d.forward, d.quotes)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct SliceSurfaceData<S> {
    expiries: Vec<f64>,
    smiles: Vec<S>,
    wings: Option<(f64, f64)>,
}

impl<S: Smile> TryFrom<SliceSurfaceData<S>> for SliceSurface<S> {
    type Error = CalibrationError;
    fn try_from(d: SliceSurfaceData<S>) -> Result<Self, CalibrationError> {
        if d.expiries.len() != d.smiles.len() {
            return Err(CalibrationError::LengthMismatch {
                name: "smiles",
                found: d.smiles.len(),
                expected: d.expiries.len(),
                per: "expiry",
            });
        }
        let surface = Self::new(d.expiries.into_iter().zip(d.smiles).collect())?;
        Ok(match d.wings {
            None => surface,
            Some((lo, hi)) => {
                for (name, value) in [("wings.0", lo), ("wings.1", hi)] {
                    if !value.is_finite() {
                        return Err(CalibrationError::InvalidInput {
                            name,
                            value,
                            requirement: "must be finite",
                        });
                    }
                }
                surface.with_wings(lo, hi)
            }
        })
    }
}
