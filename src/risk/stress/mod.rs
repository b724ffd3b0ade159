//! Stress testing (issue 14): historical scenarios derived from real crisis data, a volatility-
//! surface shock measured between two real option chains, hypothetical grids and shocks, a
//! user-extensible scenario library, and reverse stress tests. The maths is in docs/stress.md.

mod historical;
mod hypothetical;
mod library;
mod reverse;
mod surface_shock;

pub use self::historical::{
    peak_to_trough, worst_intraday_move, worst_log_move, AssetHistory, CrisisWindow, WorstMove,
};
pub use self::hypothetical::{
    correlated_move, correlation_breakdown, funding_spike_pnl, spot_vol_grid, term_vol_shock,
    PnlGrid,
};
pub use self::library::{historical_scenarios, ScenarioLibrary, StressScenario};
pub use self::reverse::{
    reverse_stress_account, reverse_stress_book, ReverseStress, StressDirection,
};
pub use self::surface_shock::{term_structure, ExpiryQuotes, SurfaceShock, TermPoint};
