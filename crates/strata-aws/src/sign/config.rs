//! Configuration of the SigV4 signing layer.

use std::fmt;
use std::sync::Arc;

use super::clock::{Clock, ClockSkew, SystemClock};
use super::layer::SigV4Layer;
use super::signer::Shared;

/// How the request body enters the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PayloadMode {
    /// The SHA-256 of the body is part of the signature (the default).
    #[default]
    Signed,
    /// The literal `UNSIGNED-PAYLOAD` replaces the body hash (no hashing cost; the body is
    /// protected by TLS only).
    Unsigned,
}

/// Builds a [`SigV4Layer`]; validated once, at [`build`](Self::build).
pub struct SigV4LayerBuilder {
    signing_name: Option<String>,
    region: Option<String>,
    payload: PayloadMode,
    content_sha256_header: bool,
    clock: Arc<dyn Clock>,
}

impl Default for SigV4LayerBuilder {
    fn default() -> Self {
        Self {
            signing_name: None,
            region: None,
            payload: PayloadMode::Signed,
            content_sha256_header: false,
            clock: Arc::new(SystemClock),
        }
    }
}

impl fmt::Debug for SigV4LayerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4LayerBuilder")
            .field("signing_name", &self.signing_name)
            .field("region", &self.region)
            .field("payload", &self.payload)
            .field("content_sha256_header", &self.content_sha256_header)
            .field("clock", &self.clock)
            .finish()
    }
}

impl SigV4LayerBuilder {
    /// The SigV4 signing name, e.g. `bedrock` (Bedrock runtime and control plane) or
    /// `bedrock-mantle`. Required.
    pub fn signing_name(mut self, name: impl Into<String>) -> Self {
        self.signing_name = Some(name.into());
        self
    }

    /// The region to sign for, e.g. `us-east-1`. Required.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// How the body enters the signature (default [`PayloadMode::Signed`]).
    pub fn payload_mode(mut self, mode: PayloadMode) -> Self {
        self.payload = mode;
        self
    }

    /// Whether to send the payload hash as an `x-amz-content-sha256` header (default `false`).
    pub fn content_sha256_header(mut self, enabled: bool) -> Self {
        self.content_sha256_header = enabled;
        self
    }

    /// The clock to sign with (default [`SystemClock`]); the learned clock skew is added to it.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Validates the configuration.
    ///
    /// # Errors
    /// A missing or empty signing name or region, or one holding characters other than ASCII
    /// letters, digits, `-`, `_` and `.`.
    pub fn build(self) -> Result<SigV4Layer, ConfigError> {
        let signing_name = validate("signing name", self.signing_name)?;
        let region = validate("region", self.region)?;
        Ok(SigV4Layer::from_shared(Arc::new(Shared {
            signing_name,
            region,
            payload: self.payload,
            content_sha256_header: self.content_sha256_header,
            clock: self.clock,
            skew: ClockSkew::default(),
        })))
    }
}

fn validate(what: &'static str, value: Option<String>) -> Result<String, ConfigError> {
    let value = value.ok_or(ConfigError::Missing(what))?;
    if value.is_empty() {
        return Err(ConfigError::Missing(what));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(ConfigError::Invalid(what, value));
    }
    Ok(value)
}

/// The SigV4 layer's configuration is incomplete or invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting was not given (or was empty).
    #[error("SigV4 {0} is required")]
    Missing(&'static str),
    /// A setting holds characters that cannot appear in a credential scope.
    #[error("SigV4 {0} `{1}` may only hold ASCII letters, digits, `-`, `_` and `.`")]
    Invalid(&'static str, String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_names_what_is_missing_or_invalid() {
        let err = SigV4Layer::builder()
            .region("us-east-1")
            .build()
            .unwrap_err();
        assert_eq!(err, ConfigError::Missing("signing name"));
        assert_eq!(err.to_string(), "SigV4 signing name is required");
        let err = SigV4Layer::builder()
            .signing_name("bedrock")
            .region("")
            .build()
            .unwrap_err();
        assert_eq!(err, ConfigError::Missing("region"));
        let err = SigV4Layer::builder()
            .signing_name("bedrock")
            .region("us-east-1/x")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "SigV4 region `us-east-1/x` may only hold ASCII letters, digits, `-`, `_` and `.`"
        );
    }
}
