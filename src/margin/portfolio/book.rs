//! What every portfolio-margin method does first: keep the positions that settle in the margin
//! currency (segregated margin) and refuse expired ones.

use crate::market::{Currency, MarketState};
use crate::portfolio::{Book, Contract, Instrument, PositionId};

use super::super::MarginError;

/// The positions of `book` settling in `currency`, as a new book, with their ids in `book`.
pub(crate) fn segregate(
    book: &Book<Contract>,
    market: &MarketState,
    currency: Currency,
) -> Result<(Book<Contract>, Vec<PositionId>), MarginError> {
    let mut out = Book::new();
    let mut ids = Vec::new();
    for (id, p) in book.iter() {
        if p.instrument.settlement() != currency {
            continue;
        }
        if let Some(expiry) = p.instrument.expiry()
            && expiry <= market.valuation()
        {
            return Err(MarginError::ExpiredPosition {
                id,
                expiry,
                valuation: market.valuation(),
            });
        }
        out.insert(p.clone());
        ids.push(id);
    }
    Ok((out, ids))
}

/// The book without position `skip`.
pub(crate) fn without(book: &Book<Contract>, skip: PositionId) -> Book<Contract> {
    let mut out = Book::new();
    for (id, p) in book.iter() {
        if id != skip {
            out.insert(p.clone());
        }
    }
    out
}

/// The book holding only position `keep`.
pub(crate) fn only(book: &Book<Contract>, keep: PositionId) -> Book<Contract> {
    let mut out = Book::new();
    for (id, p) in book.iter() {
        if id == keep {
            out.insert(p.clone());
        }
    }
    out
}
