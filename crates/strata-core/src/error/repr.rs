//! The private error kinds and the serialized form of [`Error`].

use http::StatusCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ApiError, Error, Inner};

/// What went wrong. Private so kinds can grow without breaking users.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Kind {
    #[error("{api}")]
    Api { api: ApiError },
    #[error("invalid argument `{argument}`: {message}")]
    InvalidArgument { argument: String, message: String },
    #[error("invalid prompt: {message}")]
    InvalidPrompt { message: String },
    #[error("unsupported functionality: {functionality}")]
    Unsupported { functionality: String },
    #[error("could not decode the response: {message}")]
    InvalidResponse { message: String },
    #[error("transport failure")]
    Transport,
    #[error("timed out: {message}")]
    Timeout { message: String },
    #[error("could not load credentials for {provider}: {message}")]
    Credentials { provider: String, message: String },
    #[error("provider `{provider}` has no model `{model_id}`")]
    UnknownModel { provider: String, model_id: String },
    #[error("no provider is registered under `{prefix}`")]
    UnknownProvider { prefix: String },
    #[error("invalid configuration: {message}")]
    Config { message: String },
    #[error("stream ended early: {message}")]
    StreamEnded { message: String },
    #[error("{message}")]
    Other { message: String },
}

/// A source error that was read back from JSON: only its message survives.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct RemoteSource(String);

#[derive(Serialize, Deserialize)]
struct ErrorRepr {
    #[serde(flatten)]
    kind: Kind,
    #[serde(
        default,
        with = "crate::serde_util::opt_status",
        skip_serializing_if = "Option::is_none"
    )]
    status: Option<StatusCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    excerpt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retryable: Option<bool>,
    /// The message of the whole source chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

/// Serializes as `{"kind": "...", <details>, "message": <display>, "source": <chain>}`.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = &self.inner;
        let source = std::error::Error::source(self).map(|first| {
            let mut text = first.to_string();
            let mut next = first.source();
            while let Some(source) = next {
                text.push_str(": ");
                text.push_str(&source.to_string());
                next = source.source();
            }
            text
        });
        ErrorRepr {
            kind: inner.kind.clone(),
            status: inner.status,
            request_id: inner.request_id.clone(),
            excerpt: inner.excerpt.clone(),
            retryable: inner.retryable,
            source,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Error {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = ErrorRepr::deserialize(deserializer)?;
        Ok(Error {
            inner: Box::new(Inner {
                kind: repr.kind,
                status: repr.status,
                request_id: repr.request_id,
                excerpt: repr.excerpt,
                retryable: repr.retryable,
                source: repr
                    .source
                    .map(|message| std::sync::Arc::new(RemoteSource(message)) as super::Source),
            }),
        })
    }
}
