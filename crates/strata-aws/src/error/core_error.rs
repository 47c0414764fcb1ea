//! Conversions into strata-core's error type.

use strata_core::Error;
use strata_core::error::ApiError;

use super::{AwsError, AwsRetryKind};
use crate::credentials::CredentialsError;

impl AwsError {
    /// This error as strata-core's [`ApiError`]: status, code, message (the code, or
    /// `HTTP <status>`, when the service sent none), request id, body excerpt, and whether
    /// retrying may help (throttling, transient and server errors; a clock-skew error only
    /// through the signer's correction, so not here).
    pub fn to_api_error(&self) -> ApiError {
        let message = self
            .message()
            .or(self.code())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("HTTP {}", self.status().as_u16()));
        let retryable = matches!(
            self.retry_kind(),
            AwsRetryKind::Throttling | AwsRetryKind::Transient | AwsRetryKind::ServerError
        );
        let mut api = ApiError::new(message)
            .with_status(self.status())
            .with_retryable(retryable);
        if let Some(code) = self.code() {
            api = api.with_code(code);
        }
        if let Some(id) = self.request_id() {
            api = api.with_request_id(id);
        }
        api.body_excerpt = self.body_excerpt().map(str::to_owned);
        api
    }
}

/// The core error for an AWS error response: status, code, message, request id, whether a
/// retry may help, and a bounded excerpt of the body. The
/// [`ApiErrorFn`](strata_http::runtime::ApiErrorFn) of AWS JSON services.
pub fn api_error(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Error {
    let mut error = Error::api(AwsError::parse(status, headers, body).to_api_error());
    if !body.is_empty() {
        error = error.with_excerpt(body);
    }
    error
}

impl From<AwsError> for ApiError {
    fn from(error: AwsError) -> Self {
        error.to_api_error()
    }
}

impl From<AwsError> for Error {
    fn from(error: AwsError) -> Self {
        Error::api(error.to_api_error())
    }
}

impl From<CredentialsError> for Error {
    fn from(error: CredentialsError) -> Self {
        let message = match std::error::Error::source(&error) {
            Some(source) => format!("{error}: {source}"),
            None => error.to_string(),
        };
        Error::credentials(error.provider().to_owned(), message).with_source(error)
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, StatusCode};

    use super::*;

    #[test]
    fn aws_error_becomes_an_api_error() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static("ThrottlingException"),
        );
        headers.insert("x-amzn-requestid", HeaderValue::from_static("req-9"));
        let aws = AwsError::parse(
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            br#"{"message":"slow"}"#,
        );
        let err = Error::from(aws);
        assert!(err.is_api() && err.is_retryable());
        let api = err.api_error().unwrap();
        assert_eq!(api.status, Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(api.code.as_deref(), Some("ThrottlingException"));
        assert_eq!(api.message, "slow");
        assert_eq!(api.request_id.as_deref(), Some("req-9"));

        let aws = AwsError::parse(StatusCode::BAD_REQUEST, &HeaderMap::new(), b"<html>");
        let api = aws.to_api_error();
        assert_eq!((api.message.as_str(), api.retryable), ("HTTP 400", false));
        assert_eq!(api.body_excerpt.as_deref(), Some("<html>"));

        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static("ValidationException"),
        );
        let api = AwsError::parse(StatusCode::BAD_REQUEST, &headers, b"{}").to_api_error();
        assert_eq!(
            (api.message.as_str(), api.retryable),
            ("ValidationException", false)
        );
    }

    #[test]
    fn credentials_error_becomes_a_credentials_error_naming_the_provider() {
        let err = Error::from(CredentialsError::not_configured("environment", "no keys"));
        assert!(err.is_credentials());
        let text = err.to_string();
        assert!(
            text.contains("environment") && text.contains("no keys"),
            "{text}"
        );
    }
}
