//! Serde of an upper bound that may be +∞ (a last cap, "no cap"): JSON has no infinity, so +∞
//! is written as `null` and `null` reads back as +∞.

use serde::{Deserialize, Deserializer, Serializer};

pub(crate) fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if *value == f64::INFINITY {
        serializer.serialize_none()
    } else {
        serializer.serialize_some(value)
    }
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::INFINITY))
}
