//! The risk matrix: a book's P&L over a grid of price moves × volatility scenarios.

use std::fmt;

use crate::market::Currency;

/// Which way implied volatilities are shocked in one column of a risk matrix.
///
/// ```
/// use derisk::margin::VolScenario;
/// assert_eq!(VolScenario::ALL.len(), 3);
/// assert_eq!(VolScenario::Up.to_string(), "vol up");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VolScenario {
    /// Volatilities up by the venue's range.
    Up,
    /// Volatilities unchanged.
    Unchanged,
    /// Volatilities down by the venue's range.
    Down,
}

impl VolScenario {
    /// The three columns in the order Deribit lists them: up, unchanged, down.
    pub const ALL: [Self; 3] = [Self::Up, Self::Unchanged, Self::Down];
}

impl fmt::Display for VolScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Up => "vol up",
            Self::Unchanged => "vol same",
            Self::Down => "vol down",
        })
    }
}

/// One cell of a [`RiskMatrix`].
///
/// ```
/// use derisk::margin::{MatrixCell, VolScenario};
/// let c = MatrixCell { price_move: -0.16, vol: VolScenario::Down, pnl: -0.2 };
/// assert_eq!(c.loss(), 0.2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MatrixCell {
    /// Relative move of the underlying (−0.16 = a 16 % fall).
    pub price_move: f64,
    /// The volatility column.
    pub vol: VolScenario,
    /// The book's P&L in the matrix currency (gain positive).
    pub pnl: f64,
}

impl MatrixCell {
    /// The loss of the cell, max(0, −pnl).
    #[must_use]
    pub fn loss(&self) -> f64 {
        (-self.pnl).max(0.0)
    }
}

/// A book's P&L by full revaluation over price moves (rows) × volatility scenarios (columns),
/// in one currency:
///
/// ```text
/// pnl[i][j] = V(market shocked by price move mᵢ and vol scenario j) − V(market)
/// worst loss = max(0, −min_ij pnl[i][j])
/// ```
///
/// Built by [`DeribitPortfolioMargin`](super::DeribitPortfolioMargin) (the venue's risk matrix,
/// Deribit support article 25944756247837 "Portfolio Margin", read 2026-12-04).
///
/// ```
/// use derisk::margin::{RiskMatrix, VolScenario};
/// use derisk::market::Currency;
/// let m = RiskMatrix::new(Currency::BTC, vec![-0.1, 0.0, 0.1], vec![VolScenario::Unchanged],
///     vec![-0.5, 0.0, 0.4])?;
/// assert_eq!(m.worst().loss(), 0.5);
/// assert_eq!(m.worst().price_move, -0.1);
/// # Ok::<(), derisk::margin::MarginError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskMatrix {
    currency: Currency,
    price_moves: Vec<f64>,
    vols: Vec<VolScenario>,
    pnl: Vec<f64>,
}

impl RiskMatrix {
    /// A matrix from its rows (price moves), columns (vol scenarios) and P&L, row-major.
    ///
    /// # Errors
    ///
    /// [`MarginError::EmptyScenarioGrid`](super::super::MarginError::EmptyScenarioGrid) without
    /// rows or columns; [`MarginError::IndexOutOfRange`](super::super::MarginError::IndexOutOfRange)
    /// if `pnl` is not rows × columns long; [`MarginError::OutOfRange`](super::super::MarginError::OutOfRange)
    /// for a P&L that is not finite.
    pub fn new(
        currency: Currency,
        price_moves: Vec<f64>,
        vols: Vec<VolScenario>,
        pnl: Vec<f64>,
    ) -> Result<Self, super::super::MarginError> {
        use super::super::MarginError;
        if price_moves.is_empty() {
            return Err(MarginError::EmptyScenarioGrid {
                what: "price moves",
            });
        }
        if vols.is_empty() {
            return Err(MarginError::EmptyScenarioGrid {
                what: "volatility scenarios",
            });
        }
        if pnl.len() != price_moves.len() * vols.len() {
            return Err(MarginError::IndexOutOfRange {
                index: pnl.len(),
                len: price_moves.len() * vols.len(),
            });
        }
        for &x in &pnl {
            super::super::error::check_finite("risk matrix pnl", x)?;
        }
        Ok(Self {
            currency,
            price_moves,
            vols,
            pnl,
        })
    }

    /// The currency of every P&L.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The price moves (rows), increasing.
    #[must_use]
    pub fn price_moves(&self) -> &[f64] {
        &self.price_moves
    }

    /// The volatility scenarios (columns).
    #[must_use]
    pub fn vols(&self) -> &[VolScenario] {
        &self.vols
    }

    /// The P&L of row `row`, column `col` (`None` out of range).
    #[must_use]
    pub fn pnl(&self, row: usize, col: usize) -> Option<f64> {
        (row < self.price_moves.len() && col < self.vols.len())
            .then(|| self.pnl[row * self.vols.len() + col])
    }

    /// Every cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = MatrixCell> + '_ {
        self.pnl.iter().enumerate().map(|(k, &pnl)| MatrixCell {
            price_move: self.price_moves[k / self.vols.len()],
            vol: self.vols[k % self.vols.len()],
            pnl,
        })
    }

    /// The cell of lowest P&L (the first one on ties).
    #[must_use]
    pub fn worst(&self) -> MatrixCell {
        let mut best = 0;
        for (k, &x) in self.pnl.iter().enumerate() {
            if x < self.pnl[best] {
                best = k;
            }
        }
        MatrixCell {
            price_move: self.price_moves[best / self.vols.len()],
            vol: self.vols[best % self.vols.len()],
            pnl: self.pnl[best],
        }
    }
}

impl fmt::Display for RiskMatrix {
    /// One line per price move, one column per vol scenario, P&L in the matrix currency.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>8}", "move")?;
        for v in &self.vols {
            write!(f, " {:>14}", v.to_string())?;
        }
        writeln!(f, "   ({})", self.currency)?;
        for (i, m) in self.price_moves.iter().enumerate() {
            write!(f, "{:>+7.1}%", m * 100.0)?;
            for j in 0..self.vols.len() {
                write!(f, " {:>14.6}", self.pnl[i * self.vols.len() + j])?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
