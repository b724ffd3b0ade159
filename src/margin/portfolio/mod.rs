//! Portfolio margin of option books: Deribit's risk matrix, SPAN, scenario VaR, and the
//! requirement under stress. Every method revalues the whole book under its scenarios with
//! [`Book::revalue_many`](crate::portfolio::Book::revalue_many) and the market's
//! [`Shock`](crate::market::Shock)s, in the book's settlement currency (segregated margin).

mod account;
mod book;
mod deribit;
mod matrix;
mod scenario_var;
mod span;
mod stress;

pub use self::account::PortfolioAccount;
pub use self::deribit::{DeribitMargin, DeribitPortfolioMargin, PositionEffect};
pub use self::matrix::{MatrixCell, RiskMatrix, VolScenario};
pub use self::scenario_var::{ScenarioVarMargin, ScenarioVarResult};
pub use self::span::{
    span_margin, RiskArray, SpanMargin, SpanModel, SpanParams, SpanPosition, SpanRates,
    SpanScenario, SPAN_SCENARIOS,
};
pub use self::stress::{
    distance_to_margin_call, margin_under_stress, MarginCallDistance, StressedMargin,
};
