//! AWS-shaped error responses: status, `x-amzn-ErrorType`, a JSON `{"message": …}` body.

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use serde_json::json;

use crate::body::ResponseBody;
use crate::models::ModelError;

/// An error the emulator answers with, in the shape Bedrock's rest-json protocol uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The JSON member carrying the message: `message` for most errors, `Message` for the
    /// bearer-token front door, which answers that way.
    message_key: &'static str,
    retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            message_key: "message",
            retry_after: None,
        }
    }

    /// 400 `ValidationException`.
    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ValidationException", message)
    }

    /// 403 `InvalidSignatureException`.
    pub(crate) fn invalid_signature(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "InvalidSignatureException", message)
    }

    /// 403 `IncompleteSignatureException`.
    pub(crate) fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "IncompleteSignatureException",
            message,
        )
    }

    /// 403 `UnrecognizedClientException`, AWS's answer to an unknown key or session token.
    pub(crate) fn unrecognized_client() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    }

    /// 403 `AccessDeniedException` with the message under `Message`, as Bedrock's front door
    /// answers requests without (or with a bad) `Authorization` header.
    pub(crate) fn access_denied_front_door(message: impl Into<String>) -> Self {
        Self {
            message_key: "Message",
            ..Self::new(StatusCode::FORBIDDEN, "AccessDeniedException", message)
        }
    }

    /// 404 for a path that matches no operation.
    pub(crate) fn unknown_operation() -> Self {
        Self::new(StatusCode::NOT_FOUND, "UnknownOperationException", "")
    }

    /// 429 `ThrottlingException`.
    pub(crate) fn throttling() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        )
    }

    pub(crate) fn with_retry_after(mut self, seconds: Option<u64>) -> Self {
        self.retry_after = seconds;
        self
    }

    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The response, without the request id (added for every response by the server).
    pub(crate) fn into_response(self) -> http::Response<ResponseBody> {
        let body = if self.message.is_empty() && self.status == StatusCode::NOT_FOUND {
            json!({})
        } else {
            json!({ self.message_key: self.message })
        };
        let mut response = http::Response::new(ResponseBody::full(Bytes::from(body.to_string())));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.code));
        if let Some(seconds) = self.retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<ModelError> for ApiError {
    fn from(error: ModelError) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::new(status, error.code(), error.message())
    }
}

/// A fresh UUID-shaped (version 4 layout) request id.
pub(crate) fn request_id() -> String {
    let hi = fastrand::u64(..);
    let lo = fastrand::u64(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0x0fff,
        0x8000 | ((lo >> 48) & 0x3fff),
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped() {
        let id = request_id();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_ne!(id, request_id());
    }

    #[test]
    fn error_response_has_type_header_and_message() {
        let response = ApiError::throttling()
            .with_retry_after(Some(2))
            .into_response();
        assert_eq!(response.status(), 429);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "ThrottlingException"
        );
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(response.headers()["content-type"], "application/json");
    }
}
