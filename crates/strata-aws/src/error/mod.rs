//! AWS JSON error responses and their retry classification.
//!
//! [`AwsError::parse`] reads what botocore's REST-JSON parser reads: the code from the
//! `x-amzn-ErrorType` header, else the body's `code`, `Code` or `__type` (cut at the first `:`
//! and after the last `#`), the message from `message` or `Message`, and the request id from
//! `x-amzn-RequestId`. [`classify`] maps status and code to an [`AwsRetryKind`] following the
//! AWS SDKs' standard retry mode.
//!
//! ```
//! use http::{HeaderMap, HeaderValue, StatusCode};
//! use strata_aws::error::{AwsError, AwsRetryKind};
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("x-amzn-ErrorType", HeaderValue::from_static("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
//! headers.insert("x-amzn-RequestId", HeaderValue::from_static("7d1b6c3e"));
//! let body = br#"{"message":"Too many requests, please wait before trying again."}"#;
//!
//! let error = AwsError::parse(StatusCode::TOO_MANY_REQUESTS, &headers, body);
//! assert_eq!(error.code(), Some("ThrottlingException"));
//! assert_eq!(error.message(), Some("Too many requests, please wait before trying again."));
//! assert_eq!(error.request_id(), Some("7d1b6c3e"));
//! assert_eq!(error.retry_kind(), AwsRetryKind::Throttling);
//! ```

mod classify;
mod core_error;

use std::fmt;

use http::{HeaderMap, StatusCode};

pub use classify::{AwsClassifier, AwsRetryKind, classify, is_clock_skew_code};
pub use core_error::api_error;

const ERROR_TYPE: &str = "x-amzn-errortype";
const REQUEST_ID: &str = "x-amzn-requestid";

/// The header AWS services put the request id in.
pub const REQUEST_ID_HEADER: http::HeaderName = http::HeaderName::from_static(REQUEST_ID);

/// An error response from an AWS service, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    status: StatusCode,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    body_excerpt: Option<String>,
}

impl AwsError {
    /// Parses an error response. Never fails: what cannot be read is left `None`, and a body
    /// that is not a JSON object is kept as a bounded [`body_excerpt`](Self::body_excerpt).
    pub fn parse(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let json = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| match v {
                serde_json::Value::Object(map) => Some(map),
                _ => None,
            });
        let body_str = |keys: &[&str]| -> Option<String> {
            let map = json.as_ref()?;
            keys.iter()
                .find_map(|k| map.get(*k).and_then(serde_json::Value::as_str))
                .map(str::to_owned)
        };
        let code = error_code_from_headers(headers)
            .map(str::to_owned)
            .or_else(|| {
                body_str(&["code", "Code", "__type"]).map(|c| sanitize_error_code(&c).to_owned())
            })
            .filter(|c| !c.is_empty());
        let message = body_str(&["message", "Message"]);
        let request_id = headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body_excerpt = if json.is_none() && !body.is_empty() {
            Some(strata_core::error::body_excerpt(body))
        } else {
            None
        };
        Self {
            status,
            code,
            message,
            request_id,
            body_excerpt,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The error code, e.g. `ThrottlingException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The service's message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `x-amzn-RequestId` of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of a body that was not a JSON object, cut as
    /// [`strata_core::error::body_excerpt`] cuts it.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.body_excerpt.as_deref()
    }

    /// How the AWS SDKs would retry this error.
    pub fn retry_kind(&self) -> AwsRetryKind {
        classify(self.status, self.code())
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code().unwrap_or("unknown AWS error"))?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP {}", self.status.as_u16())?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for AwsError {}

/// The error code in `x-amzn-ErrorType`, sanitized (see [`sanitize_error_code`]).
pub fn error_code_from_headers(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(ERROR_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
}

/// Cuts an AWS error code at the first `:` and after the last `#`:
/// `aws.protocoltests#FooError:http://…` becomes `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

#[cfg(test)]
mod tests;
