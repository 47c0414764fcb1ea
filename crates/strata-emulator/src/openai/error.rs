//! OpenAI-shaped errors: `{"error": {"message", "type", "param", "code"}}` with the status the
//! OpenAI API uses for the problem.

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use serde_json::json;

use crate::api_error::ApiError;
use crate::body::ResponseBody;
use crate::models::ModelError;

/// An error answered on an OpenAI-compatible route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenAiError {
    status: StatusCode,
    kind: &'static str,
    code: Option<&'static str>,
    message: String,
    param: Option<String>,
    retry_after: Option<u64>,
}

impl OpenAiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            code: None,
            message: message.into(),
            param: None,
            retry_after: None,
        }
    }

    /// 400 `invalid_request_error`.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
    }

    /// 400 `invalid_request_error` about one parameter.
    pub(crate) fn invalid_param(
        code: &'static str,
        param: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::invalid(message).with_code(code).with_param(param)
    }

    /// 400 for a parameter of the wrong JSON type.
    pub(crate) fn invalid_type(param: &str, expected: &str, got: &serde_json::Value) -> Self {
        let got = match got {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        };
        Self::invalid_param(
            "invalid_type",
            param,
            format!("Invalid type for '{param}': expected {expected}, but got {got} instead."),
        )
    }

    /// 400 for a missing required parameter.
    pub(crate) fn missing(param: &str) -> Self {
        Self::invalid_param(
            "missing_required_parameter",
            param,
            format!("Missing required parameter: '{param}'."),
        )
    }

    /// 400 for a parameter the route does not know.
    pub(crate) fn unknown_param(param: &str) -> Self {
        Self::invalid_param(
            "unknown_parameter",
            param,
            format!("Unknown parameter: '{param}'."),
        )
    }

    /// 400 for a body that is not JSON.
    pub(crate) fn bad_json(detail: impl std::fmt::Display) -> Self {
        Self::invalid(format!(
            "We could not parse the JSON body of your request: {detail}. The OpenAI API expects \
             a JSON payload."
        ))
    }

    /// 404 `model_not_found`.
    pub(crate) fn model_not_found(model: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!("The model `{model}` does not exist or you do not have access to it."),
        )
        .with_code("model_not_found")
        .with_param("model")
    }

    /// 404 for a path or method no route serves.
    pub(crate) fn unknown_url(method: &http::Method, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!("Invalid URL ({method} {path})"),
        )
        .with_code("unknown_url")
    }

    /// 413 for a body over the emulator's limit.
    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request_error",
            format!("The request body exceeds the emulator's limit of {limit} bytes."),
        )
        .with_code("request_too_large")
    }

    /// 429, type `requests` (as OpenAI answers a request-rate limit), code `rate_limit_exceeded`.
    pub(crate) fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "requests",
            "Too many requests, please wait before trying again.",
        )
        .with_code("rate_limit_exceeded")
    }

    /// A 5xx `server_error` (502, 503 and 504 get their own code; others `internal_error`).
    pub(crate) fn server(status: u16) -> Self {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(StatusCode::is_server_error)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, message) = match status.as_u16() {
            502 => ("bad_gateway", "Bad gateway."),
            503 => (
                "service_unavailable",
                "Service unavailable. Please try again later.",
            ),
            504 => ("gateway_timeout", "Gateway timeout."),
            _ => (
                "internal_error",
                "The server had an error while processing your request.",
            ),
        };
        Self::new(status, "server_error", message).with_code(code)
    }

    /// A 401 `invalid_request_error` for a request the auth check refused; the code names the
    /// problem (`missing_authorization`, `invalid_api_key`, `invalid_signature`,
    /// `incomplete_signature`, `unrecognized_client`) and the message is AWS's.
    pub(crate) fn unauthorized(error: &ApiError) -> Self {
        let code = match error.code() {
            "AccessDeniedException" if error.message() == "Authorization header is missing" => {
                "missing_authorization"
            }
            "AccessDeniedException" => "invalid_api_key",
            "InvalidSignatureException" => "invalid_signature",
            "IncompleteSignatureException" => "incomplete_signature",
            "UnrecognizedClientException" => "unrecognized_client",
            _ => "authentication_failed",
        };
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            error.message(),
        )
        .with_code(code)
    }

    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub(crate) fn with_retry_after(mut self, seconds: Option<u64>) -> Self {
        self.retry_after = seconds;
        self
    }

    /// The `error.code`, when there is one.
    pub(crate) fn code(&self) -> Option<&'static str> {
        self.code
    }

    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The JSON body `{"error": {…}}`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        json!({"error": {
            "message": self.message,
            "type": self.kind,
            "param": self.param,
            "code": self.code,
        }})
    }

    /// The response, without the request-id headers (the server adds them).
    pub(crate) fn into_response(self) -> http::Response<ResponseBody> {
        let body = Bytes::from(self.to_json().to_string());
        let mut response = http::Response::new(ResponseBody::full(body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<ModelError> for OpenAiError {
    /// A model's validation error becomes a 400 `invalid_request_error` with its message.
    fn from(error: ModelError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
        let kind = if status.is_server_error() {
            "server_error"
        } else {
            "invalid_request_error"
        };
        Self::new(status, kind, error.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_the_openai_shape() {
        let response = OpenAiError::rate_limited()
            .with_retry_after(Some(2))
            .into_response();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(
            OpenAiError::rate_limited().to_json(),
            json!({"error": {
                "message": "Too many requests, please wait before trying again.",
                "type": "requests",
                "param": null,
                "code": "rate_limit_exceeded"
            }})
        );
        assert_eq!(
            OpenAiError::model_not_found("m").to_json()["error"]["param"],
            "model"
        );
    }

    #[test]
    fn auth_errors_are_401_with_a_specific_code() {
        let cases = [
            (
                ApiError::access_denied_front_door("Authorization header is missing"),
                "missing_authorization",
            ),
            (
                ApiError::access_denied_front_door("Authentication failed"),
                "invalid_api_key",
            ),
            (ApiError::invalid_signature("x"), "invalid_signature"),
            (ApiError::incomplete_signature("x"), "incomplete_signature"),
            (ApiError::unrecognized_client(), "unrecognized_client"),
        ];
        for (error, code) in cases {
            let converted = OpenAiError::unauthorized(&error);
            assert_eq!(converted.status(), 401);
            assert_eq!(converted.code(), Some(code));
            assert_eq!(converted.message(), error.message());
        }
    }

    #[test]
    fn server_statuses_outside_5xx_fall_back_to_500() {
        assert_eq!(OpenAiError::server(503).code(), Some("service_unavailable"));
        assert_eq!(OpenAiError::server(404).status(), 500);
    }
}
