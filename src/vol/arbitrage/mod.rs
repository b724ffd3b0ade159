//! Static-arbitrage checks: butterfly (Durrleman's g), calendar, Lee's wing bound.

mod butterfly_report;
mod calendar_violation;
mod checks;
mod interval;

pub use self::butterfly_report::ButterflyReport;
pub use self::calendar_violation::CalendarViolation;
pub(crate) use self::checks::{butterfly_min_g, butterfly_violated_on};
pub use self::checks::{
    check_butterfly, check_calendar, durrleman_g, lee_wing_slopes, MAX_GRID_POINTS,
};
pub use self::interval::Interval;
