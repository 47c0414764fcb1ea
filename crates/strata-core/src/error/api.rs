//! The data an API error carries, and the bounded body excerpt.

use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize};

/// The most bytes of a response body kept in an error (see [`body_excerpt`]).
pub const EXCERPT_LIMIT: usize = 1024;

/// Returns at most [`EXCERPT_LIMIT`] bytes of `body` as text, cut on a character boundary.
///
/// Bytes that are not UTF-8 become `U+FFFD`. When the body is longer than the limit, the
/// excerpt ends with `…` so a reader can tell it was cut.
///
/// ```
/// use strata_core::error::{EXCERPT_LIMIT, body_excerpt};
///
/// assert_eq!(body_excerpt(b"{\"message\":\"bad\"}"), "{\"message\":\"bad\"}");
/// let long = "é".repeat(EXCERPT_LIMIT);
/// let excerpt = body_excerpt(long.as_bytes());
/// assert!(excerpt.len() <= EXCERPT_LIMIT + '…'.len_utf8());
/// assert!(excerpt.ends_with("é…"));
/// ```
pub fn body_excerpt(body: &[u8]) -> String {
    let truncated = body.len() > EXCERPT_LIMIT;
    let head = &body[..body.len().min(EXCERPT_LIMIT)];
    let mut out = String::with_capacity(head.len() + 3);
    let mut chunks = head.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        out.push_str(chunk.valid());
        let invalid = chunk.invalid();
        // A multi-byte character cut by the limit is dropped, not replaced.
        let cut_by_limit = truncated && chunks.peek().is_none();
        if !invalid.is_empty() && !cut_by_limit {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    if truncated {
        out.push('…');
    }
    out
}

/// What a provider's API said when it refused or failed a request.
///
/// Build one with [`ApiError::new`] or [`ApiError::from_status`] and the `with_*` setters,
/// then wrap it with [`Error::api`](crate::Error::api).
///
/// ```
/// use http::StatusCode;
/// use strata_core::{Error, error::ApiError};
///
/// let err = Error::api(
///     ApiError::from_status(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
///         .with_code("ThrottlingException")
///         .with_request_id("req-1")
///         .with_body(br#"{"message":"Too many requests"}"#),
/// );
/// assert!(err.is_api() && err.is_retryable());
/// assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
/// assert_eq!(err.request_id(), Some("req-1"));
/// assert_eq!(err.api_error().unwrap().code.as_deref(), Some("ThrottlingException"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status, when the error came with one (errors inside a stream may not).
    #[serde(
        default,
        with = "crate::serde_util::opt_status",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<StatusCode>,
    /// The provider's error code or exception name, e.g. `ThrottlingException`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The provider's error message.
    pub message: String,
    /// The request id the provider assigned, for support cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Whether sending the same request again may succeed.
    #[serde(default)]
    pub retryable: bool,
    /// The start of the response body (see [`body_excerpt`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_excerpt: Option<String>,
}

impl ApiError {
    /// An API error with this message, no status and not retryable.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }

    /// An API error for an HTTP status, retryable when the status is
    /// [`retryable_status`](Self::retryable_status).
    pub fn from_status(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            retryable: Self::retryable_status(status),
            ..Self::new(message)
        }
    }

    /// Whether a status usually means "try again": 408, 429 and 5xx except 501 and 505.
    pub fn retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 408 | 429)
            || (status.is_server_error()
                && status != StatusCode::NOT_IMPLEMENTED
                && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED)
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the provider's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets whether the request may be retried.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Keeps a bounded excerpt of the response body (see [`body_excerpt`]).
    pub fn with_body(mut self, body: &[u8]) -> Self {
        self.body_excerpt = Some(body_excerpt(body));
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("API error")?;
        let mut details = Vec::new();
        if let Some(status) = self.status {
            details.push(format!("status {}", status.as_u16()));
        }
        if let Some(code) = &self.code {
            details.push(format!("code {code}"));
        }
        if let Some(id) = &self.request_id {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_keeps_short_bodies_whole() {
        assert_eq!(body_excerpt(b""), "");
        assert_eq!(body_excerpt(b"abc\xffdef"), "abc\u{fffd}def");
        let exact = "a".repeat(EXCERPT_LIMIT);
        assert_eq!(body_excerpt(exact.as_bytes()), exact);
    }

    #[test]
    fn excerpt_cuts_on_a_char_boundary() {
        // 1023 ASCII bytes then a 2-byte char straddling the limit.
        let body = format!("{}é tail", "a".repeat(EXCERPT_LIMIT - 1));
        let excerpt = body_excerpt(body.as_bytes());
        assert_eq!(excerpt, format!("{}…", "a".repeat(EXCERPT_LIMIT - 1)));
    }

    #[test]
    fn retryable_statuses() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                ApiError::retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
        for code in [400, 401, 403, 404, 501, 505] {
            assert!(
                !ApiError::retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
    }

    #[test]
    fn display_lists_the_details() {
        let err = ApiError::from_status(StatusCode::BAD_REQUEST, "bad input")
            .with_code("ValidationException")
            .with_request_id("r-1");
        assert_eq!(
            err.to_string(),
            "API error (status 400, code ValidationException, request id r-1): bad input"
        );
        assert_eq!(ApiError::new("boom").to_string(), "API error: boom");
    }
}
