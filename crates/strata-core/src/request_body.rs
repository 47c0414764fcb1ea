//! [`RequestBody`]: the exact bytes of a request that was sent, kept for debugging.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The body a provider sent, as the very bytes on the wire.
///
/// Providers serialize a request once; this shares that buffer (a reference-count bump), so
/// keeping it costs no second serialization. Parse it with [`json`](Self::json) when needed.
/// It serializes as the JSON it holds.
///
/// ```
/// use strata_core::result::RequestBody;
///
/// let body = RequestBody::new(r#"{"messages":[]}"#);
/// assert_eq!(&body.as_bytes()[..], br#"{"messages":[]}"#);
/// assert_eq!(body.json()?["messages"], serde_json::json!([]));
/// assert_eq!(&RequestBody::from(serde_json::json!({"k": 1})).as_bytes()[..], br#"{"k":1}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestBody(Bytes);

impl RequestBody {
    /// A body of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self(bytes.into())
    }

    /// `value` serialized as JSON, once: send [`as_bytes`](Self::as_bytes) and keep `self`.
    ///
    /// # Errors
    /// An invalid-argument error (argument `request`) when `value` cannot be serialized.
    pub fn json_of(value: &impl Serialize) -> Result<Self, crate::Error> {
        serde_json::to_vec(value)
            .map(|bytes| Self(Bytes::from(bytes)))
            .map_err(|e| {
                crate::Error::invalid_argument("request", "the request body cannot be encoded")
                    .with_source(e)
            })
    }

    /// The bytes that were sent.
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    /// The body is not JSON.
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.0)
    }
}

impl From<Value> for RequestBody {
    fn from(value: Value) -> Self {
        // Serializing a `Value` cannot fail: its keys are strings.
        Self(Bytes::from(serde_json::to_vec(&value).unwrap_or_default()))
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.0) {
            Ok(text) => f.debug_tuple("RequestBody").field(&text).finish(),
            Err(_) => f
                .debug_struct("RequestBody")
                .field("len", &self.0.len())
                .finish(),
        }
    }
}

impl Serialize for RequestBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RequestBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from)
    }
}
