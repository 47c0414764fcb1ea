//! The one error type of strata.
//!
//! [`Error`] is an opaque struct: ask it what happened with the `is_*()` predicates and the
//! accessors, follow [`source()`](std::error::Error::source) for the cause, and print the whole
//! chain with [`Error::report`]. Provider crates build errors with the public constructors.
//!
//! ```
//! use strata_core::Error;
//!
//! let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection reset");
//! let err = Error::transport(io).with_request_id("req-7");
//! assert!(err.is_transport() && err.is_retryable());
//! assert_eq!(err.request_id(), Some("req-7"));
//! assert_eq!(err.report().to_string(), "transport failure (request id req-7): connection reset");
//!
//! let err = Error::invalid_argument("temperature", "must be between 0 and 2");
//! assert_eq!(err.argument(), Some("temperature"));
//! assert!(!err.is_retryable());
//! ```

mod api;
mod repr;

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use http::StatusCode;

pub use api::{ApiError, EXCERPT_LIMIT, body_excerpt};
use repr::Kind;

type Source = Arc<dyn StdError + Send + Sync + 'static>;

/// The error of every strata operation.
///
/// Errors are cheap to clone (the source is shared), compare equal when their kind, details
/// and source messages match, and serialize to JSON (the source becomes its message).
///
/// Errors are shown to users and written to logs: never put credentials, tokens or signed
/// URLs in a message, excerpt or source.
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: Kind,
    status: Option<StatusCode>,
    request_id: Option<String>,
    excerpt: Option<String>,
    retryable: Option<bool>,
    source: Option<Source>,
}

impl Error {
    fn from_kind(kind: Kind) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                status: None,
                request_id: None,
                excerpt: None,
                retryable: None,
                source: None,
            }),
        }
    }

    /// The provider's API refused or failed the request.
    pub fn api(error: ApiError) -> Self {
        Self::from_kind(Kind::Api { api: error })
    }

    /// An argument is invalid; `argument` names it (e.g. `"temperature"`, `"tools[2].name"`).
    pub fn invalid_argument(argument: impl Into<String>, message: impl Into<String>) -> Self {
        Self::from_kind(Kind::InvalidArgument {
            argument: argument.into(),
            message: message.into(),
        })
    }

    /// The prompt cannot be sent (e.g. a part the role does not allow, an empty prompt).
    pub fn invalid_prompt(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::InvalidPrompt {
            message: message.into(),
        })
    }

    /// The provider or model does not support something the call asked for.
    pub fn unsupported(functionality: impl Into<String>) -> Self {
        Self::from_kind(Kind::Unsupported {
            functionality: functionality.into(),
        })
    }

    /// A response (or a stream frame) could not be decoded. Add the body with
    /// [`with_excerpt`](Self::with_excerpt) and the cause with [`with_source`](Self::with_source).
    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::InvalidResponse {
            message: message.into(),
        })
    }

    /// Sending the request or reading the response failed below HTTP (connect, TLS, I/O).
    pub fn transport(source: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        Self::from_kind(Kind::Transport).with_source(source)
    }

    /// The call or a stream took longer than allowed; `message` says which limit.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Timeout {
            message: message.into(),
        })
    }

    /// Credentials for `provider` could not be loaded or are not usable.
    pub fn credentials(provider: impl Into<String>, message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Credentials {
            provider: provider.into(),
            message: message.into(),
        })
    }

    /// `provider` has no model called `model_id` (of the kind asked for).
    pub fn unknown_model(provider: impl Into<String>, model_id: impl Into<String>) -> Self {
        Self::from_kind(Kind::UnknownModel {
            provider: provider.into(),
            model_id: model_id.into(),
        })
    }

    /// A [`Registry`](crate::Registry) has no provider under `prefix`.
    pub fn unknown_provider(prefix: impl Into<String>) -> Self {
        Self::from_kind(Kind::UnknownProvider {
            prefix: prefix.into(),
        })
    }

    /// A client or model was configured wrongly (e.g. missing region, ambiguous credentials).
    pub fn config(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Config {
            message: message.into(),
        })
    }

    /// A stream ended before it was complete (no finish part, a cut frame).
    pub fn stream_ended(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::StreamEnded {
            message: message.into(),
        })
    }

    /// Anything else, e.g. a test double with nothing left to return.
    pub fn other(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Other {
            message: message.into(),
        })
    }

    /// Sets the underlying cause, returned by `source()`.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        self.inner.source = Some(Arc::from(source.into()));
        self
    }

    /// Sets the HTTP status (for API errors, the [`ApiError::status`]).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        match &mut self.inner.kind {
            Kind::Api { api } => api.status = Some(status),
            _ => self.inner.status = Some(status),
        }
        self
    }

    /// Sets the request id (for API errors, the [`ApiError::request_id`]).
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        match &mut self.inner.kind {
            Kind::Api { api } => api.request_id = Some(request_id.into()),
            _ => self.inner.request_id = Some(request_id.into()),
        }
        self
    }

    /// Keeps a bounded excerpt of a body (see [`body_excerpt`]).
    pub fn with_excerpt(mut self, body: &[u8]) -> Self {
        let excerpt = body_excerpt(body);
        match &mut self.inner.kind {
            Kind::Api { api } => api.body_excerpt = Some(excerpt),
            _ => self.inner.excerpt = Some(excerpt),
        }
        self
    }

    /// Overrides whether the error is retryable.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        match &mut self.inner.kind {
            Kind::Api { api } => api.retryable = retryable,
            _ => self.inner.retryable = Some(retryable),
        }
        self
    }

    /// Whether the same request may succeed if sent again: API errors flagged retryable,
    /// transport failures and timeouts, unless overridden with
    /// [`with_retryable`](Self::with_retryable).
    pub fn is_retryable(&self) -> bool {
        match &self.inner.kind {
            Kind::Api { api } => api.retryable,
            Kind::Transport | Kind::Timeout { .. } => self.inner.retryable.unwrap_or(true),
            _ => self.inner.retryable.unwrap_or(false),
        }
    }

    /// Whether the provider's API returned an error (see [`api_error`](Self::api_error)).
    pub fn is_api(&self) -> bool {
        matches!(self.inner.kind, Kind::Api { .. })
    }

    /// Whether an argument was invalid (see [`argument`](Self::argument)).
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self.inner.kind, Kind::InvalidArgument { .. })
    }

    /// Whether the prompt was invalid.
    pub fn is_invalid_prompt(&self) -> bool {
        matches!(self.inner.kind, Kind::InvalidPrompt { .. })
    }

    /// Whether something asked for is not supported.
    pub fn is_unsupported(&self) -> bool {
        matches!(self.inner.kind, Kind::Unsupported { .. })
    }

    /// Whether a response could not be decoded.
    pub fn is_invalid_response(&self) -> bool {
        matches!(self.inner.kind, Kind::InvalidResponse { .. })
    }

    /// Whether the transport failed.
    pub fn is_transport(&self) -> bool {
        matches!(self.inner.kind, Kind::Transport)
    }

    /// Whether a time limit was hit.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, Kind::Timeout { .. })
    }

    /// Whether credentials could not be loaded.
    pub fn is_credentials(&self) -> bool {
        matches!(self.inner.kind, Kind::Credentials { .. })
    }

    /// Whether a model id was not known.
    pub fn is_unknown_model(&self) -> bool {
        matches!(self.inner.kind, Kind::UnknownModel { .. })
    }

    /// Whether a registry prefix was not known.
    pub fn is_unknown_provider(&self) -> bool {
        matches!(self.inner.kind, Kind::UnknownProvider { .. })
    }

    /// Whether the configuration was invalid.
    pub fn is_config(&self) -> bool {
        matches!(self.inner.kind, Kind::Config { .. })
    }

    /// Whether a stream ended early.
    pub fn is_stream_ended(&self) -> bool {
        matches!(self.inner.kind, Kind::StreamEnded { .. })
    }

    /// The API error details, for API errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.inner.kind {
            Kind::Api { api } => Some(api),
            _ => None,
        }
    }

    /// The HTTP status, when known.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.inner.kind {
            Kind::Api { api } => api.status,
            _ => self.inner.status,
        }
    }

    /// The provider's request id, when known.
    pub fn request_id(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Api { api } => api.request_id.as_deref(),
            _ => self.inner.request_id.as_deref(),
        }
    }

    /// The bounded body excerpt, when one was kept.
    pub fn excerpt(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Api { api } => api.body_excerpt.as_deref(),
            _ => self.inner.excerpt.as_deref(),
        }
    }

    /// The name of the invalid argument, for invalid-argument errors.
    pub fn argument(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::InvalidArgument { argument, .. } => Some(argument),
            _ => None,
        }
    }

    /// The provider named by credential and unknown-model errors.
    pub fn provider(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Credentials { provider, .. } | Kind::UnknownModel { provider, .. } => {
                Some(provider)
            }
            _ => None,
        }
    }

    /// The model id named by unknown-model errors.
    pub fn model_id(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::UnknownModel { model_id, .. } => Some(model_id),
            _ => None,
        }
    }

    /// Displays the error followed by each `source()` in turn, separated by `": "`.
    pub fn report(&self) -> impl fmt::Display + '_ {
        Report(self)
    }
}

struct Report<'a>(&'a Error);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = StdError::source(self.0);
        while let Some(source) = next {
            write!(f, ": {source}")?;
            next = source.source();
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.kind)?;
        if matches!(self.inner.kind, Kind::Api { .. }) {
            return Ok(());
        }
        let mut details = Vec::new();
        if let Some(status) = self.inner.status {
            details.push(format!("status {}", status.as_u16()));
        }
        if let Some(id) = &self.inner.request_id {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Error");
        s.field("kind", &self.inner.kind);
        if let Some(status) = self.inner.status {
            s.field("status", &status);
        }
        if let Some(id) = &self.inner.request_id {
            s.field("request_id", id);
        }
        if let Some(excerpt) = &self.inner.excerpt {
            s.field("excerpt", excerpt);
        }
        if let Some(retryable) = self.inner.retryable {
            s.field("retryable", &retryable);
        }
        if let Some(source) = &self.inner.source {
            s.field("source", source);
        }
        s.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// Errors are equal when kind, details and the messages of their sources match.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.inner, &other.inner);
        a.kind == b.kind
            && a.status == b.status
            && a.request_id == b.request_id
            && a.excerpt == b.excerpt
            && a.retryable == b.retryable
            && a.source.as_ref().map(ToString::to_string)
                == b.source.as_ref().map(ToString::to_string)
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Self::api(error)
    }
}

#[cfg(test)]
mod tests;
