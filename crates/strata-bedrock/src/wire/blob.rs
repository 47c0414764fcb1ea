//! Smithy `blob` members: raw bytes that travel as standard base64 strings in JSON.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;

/// Binary data carried as a base64 string on the wire (image, document and video bytes,
/// redacted reasoning).
///
/// `Debug` prints only the length: blobs can be large and may hold user data.
///
/// ```
/// use strata_bedrock::wire::Blob;
///
/// let blob = Blob::from(&b"hi"[..]);
/// assert_eq!(serde_json::to_string(&blob).unwrap(), r#""aGk=""#);
/// let back: Blob = serde_json::from_str(r#""aGk=""#).unwrap();
/// assert_eq!(back.as_bytes(), b"hi");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Blob(Bytes);

impl Blob {
    /// Wraps raw bytes.
    pub fn new(bytes: Bytes) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the blob, returning its bytes.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The bytes encoded as standard, padded base64.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// Decodes standard base64 (padded or not).
    ///
    /// # Errors
    /// Returns the decoder's error when `text` is not base64.
    pub fn from_base64(text: &str) -> Result<Self, base64::DecodeError> {
        let trimmed = text.trim_end_matches('=');
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(trimmed)
            .map(|v| Self(Bytes::from(v)))
    }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Bytes> for Blob {
    fn from(bytes: Bytes) -> Self {
        Self(bytes)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self(Bytes::from(bytes))
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self(Bytes::copy_from_slice(bytes))
    }
}

impl serde::Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> serde::Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = super::macros::CowStr::deserialize(deserializer)?;
        Self::from_base64(&text.0)
            .map_err(|e| serde::de::Error::custom(format_args!("invalid base64 blob: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_bad_base64() {
        let blob: Blob = serde_json::from_str(r#""AAEC/w==""#).unwrap();
        assert_eq!(blob.as_bytes(), &[0, 1, 2, 255]);
        assert_eq!(serde_json::to_string(&blob).unwrap(), r#""AAEC/w==""#);
        let unpadded: Blob = serde_json::from_str(r#""AAEC/w""#).unwrap();
        assert_eq!(unpadded, blob);
        let err = serde_json::from_str::<Blob>(r#""not base64!""#).unwrap_err();
        assert!(err.to_string().starts_with("invalid base64 blob"), "{err}");
        assert_eq!(format!("{blob:?}"), "Blob(4 bytes)");
    }
}
