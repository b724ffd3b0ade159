//! The book-and-market spine: properties, bad input and the independent 50-digit reference
//! (tools/gen_book_reference.py) of a mixed book on the real Deribit chain.

mod adversarial;
mod bad_input;
mod common;
mod properties;
mod reference;
mod serde;
