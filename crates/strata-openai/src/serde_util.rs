//! Lenient deserialization helpers for wire types.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` (as some compatible servers send for empty values) as the default.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
