//! Group 1 capital: 1a takes the treatment of the traditional asset it tokenises, 1b that of the
//! claim on the redeemer or the reserve assets, each with the infrastructure risk add-on
//! (BCBS SCO60, Basel Framework in force 1 January 2026).

use crate::risk::RiskError;

/// The infrastructure risk add-on that SCO60 sets for Group 1 exposures, as a risk weight added
/// to the exposure's own.
///
/// ```text
/// add-on = 0 %   (authorities may raise it for observed weaknesses of a DLT network)
/// ```
///
/// Source: BCBS "Prudential treatment of cryptoasset exposures" (d545, December 2022),
/// "Changes relative to the proposal in the second consultation: infrastructure risk add-on":
/// the 2.5 % of exposure value proposed in June 2022 was replaced by an add-on initially set at
/// zero; the July 2024 amendments (d579) did not change it.
///
/// ```
/// assert_eq!(derisk::risk::capital::INFRASTRUCTURE_ADD_ON, 0.0);
/// ```
pub const INFRASTRUCTURE_ADD_ON: f64 = 0.0;

/// Risk-weighted assets of a Group 1a or 1b exposure.
///
/// ```text
/// RWA = E · (RW + add-on)
/// E       exposure value (currency units, ≥ 0)
/// RW      risk weight of the underlying traditional asset (1a), or of the claim on the
///         redeemer / the reserve assets (1b), as the existing Basel Framework sets it
///         (decimal, 0 ≤ RW ≤ 12.5)
/// add-on  infrastructure risk add-on set by the authority (≥ 0; [`INFRASTRUCTURE_ADD_ON`])
/// ```
///
/// Source: BCBS SCO60, "Group 1a" and "Group 1b" credit-risk sections and the infrastructure
/// risk add-on (Basel Framework, in force 1 January 2026).
///
/// # Errors
///
/// [`RiskError::InvalidAmount`] for a negative or non-finite exposure or add-on;
/// [`RiskError::InvalidParameter`] for a risk weight outside [0, 12.5].
///
/// ```
/// use derisk::risk::capital::{group1_rwa, INFRASTRUCTURE_ADD_ON};
/// // a tokenised corporate bond with a 100 % risk weight: RWA = exposure
/// assert_eq!(group1_rwa(1_000.0, 1.0, INFRASTRUCTURE_ADD_ON)?, 1_000.0);
/// # Ok::<(), derisk::risk::RiskError>(())
/// ```
pub fn group1_rwa(exposure: f64, risk_weight: f64, add_on: f64) -> Result<f64, RiskError> {
    for (name, value) in [("exposure", exposure), ("infrastructure add-on", add_on)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(RiskError::InvalidAmount { name, value });
        }
    }
    if !(risk_weight.is_finite() && (0.0..=12.5).contains(&risk_weight)) {
        return Err(RiskError::InvalidParameter {
            name: "risk weight",
            value: risk_weight,
            reason: "must lie in [0, 12.5] (0 % to 1,250 %)",
        });
    }
    let rwa = exposure * (risk_weight + add_on);
    if rwa.is_finite() {
        Ok(rwa)
    } else {
        Err(RiskError::Overflow {
            name: "group 1 risk-weighted assets",
            value: rwa,
        })
    }
}
