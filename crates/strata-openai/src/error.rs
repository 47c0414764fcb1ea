//! OpenAI-shaped error bodies → strata [`Error`]s.
//!
//! OpenAI and compatible servers answer failures with
//! `{"error": {"message": …, "type": …, "code": …, "param": …}}`; streams send the same object
//! as an event. [`api_error`] turns a failed response into an [`Error::api`] carrying the
//! status, the `code` (or else the `type`), the request id from `x-request-id` and a bounded
//! body excerpt. A body that is not of that shape still gives an API error, with the status
//! and the excerpt.
//!
//! ```
//! use http::{HeaderMap, StatusCode};
//! use strata_openai::error::api_error;
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("x-request-id", "req_8a3c".parse().unwrap());
//! let body = br#"{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;
//! let error = api_error(StatusCode::TOO_MANY_REQUESTS, &headers, body);
//! let api = error.api_error().unwrap();
//! assert_eq!(api.message, "Rate limit reached for gpt-4o");
//! assert_eq!(api.code.as_deref(), Some("rate_limit_exceeded"));
//! assert_eq!(error.request_id(), Some("req_8a3c"));
//! assert!(error.is_retryable());
//! ```

use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use strata_core::{ApiError, Error};
use strata_http::sse::SseError;

/// The header OpenAI puts the request id in.
pub const REQUEST_ID_HEADER: http::HeaderName = http::HeaderName::from_static("x-request-id");

/// The body of an OpenAI error response: `{"error": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorObject,
}

/// The `error` object of an OpenAI error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorObject {
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// The error type, e.g. `"invalid_request_error"`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The error code, e.g. `"rate_limit_exceeded"` (a string or a number on the wire).
    #[serde(
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    /// The request parameter at fault, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
}

impl ErrorObject {
    /// The error as an [`ApiError`] (no status): message with the parameter appended, and the
    /// code or else the type.
    pub fn to_api_error(&self) -> ApiError {
        let message = match &self.param {
            Some(param) if !param.is_empty() => format!("{} (param: {param})", self.message),
            _ => self.message.clone(),
        };
        let mut api = ApiError::new(message);
        if let Some(code) = self.code.as_ref().or(self.kind.as_ref()) {
            api = api.with_code(code.clone());
        }
        api
    }
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// The request id of a response (`x-request-id`), if present and printable.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The error for a response with a non-success `status`.
///
/// Retryable when the status is (408, 429, most 5xx), except for the 429 code
/// `insufficient_quota`, which waiting does not fix.
pub fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let mut api = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) => parsed.error.to_api_error(),
        Err(_) => ApiError::new(
            format!(
                "HTTP {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_owned(),
        ),
    };
    let retryable =
        ApiError::retryable_status(status) && api.code.as_deref() != Some("insufficient_quota");
    api = api
        .with_status(status)
        .with_retryable(retryable)
        .with_body(body);
    if let Some(id) = request_id(headers) {
        api = api.with_request_id(id);
    }
    Error::api(api)
}

/// The error for a failure of an SSE body: a transport failure as the stack's error would be
/// (a timeout, a transport error…), a body that ends mid-event as a
/// [stream-ended](Error::is_stream_ended) error, anything else as an invalid response.
pub fn sse_failure(error: SseError) -> Error {
    let error = match error.into_transport() {
        Ok(body_failure) => return strata_http::runtime::body_error(body_failure),
        Err(error) => error,
    };
    if error.is_truncated() {
        Error::stream_ended(error.to_string()).with_source(error)
    } else {
        Error::invalid_response(error.to_string()).with_source(error)
    }
}

/// The error for an `{"error": {...}}` object received inside a stream (no status).
pub fn stream_error(error: &ErrorObject, request_id: Option<&str>) -> Error {
    let mut api = error.to_api_error();
    api.retryable = matches!(
        api.code.as_deref(),
        Some("server_error" | "rate_limit_exceeded" | "overloaded_error")
    );
    if let Some(id) = request_id {
        api = api.with_request_id(id);
    }
    Error::api(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(id: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, id.parse().unwrap());
        headers
    }

    #[test]
    fn invalid_request_with_param() {
        let body = br#"{"error":{"message":"Invalid value for 'temperature': must be <= 2.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}"#;
        let error = api_error(StatusCode::BAD_REQUEST, &headers("req_1"), body);
        assert_eq!(
            error.to_string(),
            "API error (status 400, code invalid_value, request id req_1): Invalid value for 'temperature': must be <= 2. (param: temperature)"
        );
        assert!(!error.is_retryable());
        assert_eq!(error.excerpt(), Some(std::str::from_utf8(body).unwrap()));
    }

    #[test]
    fn type_stands_in_for_a_missing_code_and_numbers_are_codes() {
        let body = br#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":null,"param":null}}"#;
        let error = api_error(StatusCode::UNAUTHORIZED, &HeaderMap::new(), body);
        assert_eq!(
            error.api_error().unwrap().code.as_deref(),
            Some("invalid_request_error")
        );
        assert_eq!(error.request_id(), None);
        let body = br#"{"error":{"message":"model not loaded","code":503}}"#;
        let error = api_error(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new(), body);
        assert_eq!(error.api_error().unwrap().code.as_deref(), Some("503"));
        assert!(error.is_retryable());
    }

    #[test]
    fn insufficient_quota_is_not_retryable() {
        let body = br#"{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
        let error = api_error(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), body);
        assert!(!error.is_retryable());
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    }

    #[test]
    fn non_json_bodies_keep_status_and_excerpt() {
        let error = api_error(
            StatusCode::BAD_GATEWAY,
            &headers("gw-9"),
            b"<html>Bad Gateway</html>",
        );
        assert_eq!(
            error.to_string(),
            "API error (status 502, request id gw-9): HTTP 502 Bad Gateway"
        );
        assert_eq!(error.excerpt(), Some("<html>Bad Gateway</html>"));
        assert!(error.is_retryable());
        let error = api_error(StatusCode::from_u16(599).unwrap(), &HeaderMap::new(), b"");
        assert_eq!(error.api_error().unwrap().message, "HTTP 599");
    }

    #[test]
    fn stream_errors() {
        let object: ErrorBody = serde_json::from_str(
            r#"{"error":{"message":"The server had an error while processing your request.","type":"server_error","code":"server_error"}}"#,
        )
        .unwrap();
        let error = stream_error(&object.error, Some("req_2"));
        assert!(error.is_retryable());
        assert_eq!(error.request_id(), Some("req_2"));
        assert_eq!(error.status(), None);
    }
}
