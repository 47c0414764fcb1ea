//! Failures of Bedrock's event-stream responses as strata errors — one mapping shared by
//! ConverseStream ([`stream`](crate::stream)) and InvokeModelWithResponseStream
//! ([`invoke::stream`](crate::invoke::stream)).
//!
//! - A modeled exception frame (`:message-type: exception`) becomes an API error with the
//!   exception's code (capitalised, as in HTTP errors), its status, whether it may be retried
//!   and the payload as body: [`exception_error`].
//! - An `error` frame (`:error-code`, `:error-message`) becomes an API error with that code:
//!   [`error_frame_error`].
//! - Below the events, a stream cut inside a frame is a stream-ended error, a transport failure
//!   keeps the kind the stack gave it (an idle timeout stays a timeout), anything else
//!   (checksums, lengths, headers) is an invalid response.
//!
//! ```
//! use strata_bedrock::stream_error::exception_error;
//!
//! let error = exception_error(
//!     "modelStreamErrorException",
//!     br#"{"message":"boom","originalStatusCode":500,"originalMessage":"oops"}"#,
//! );
//! assert_eq!(error.status().map(|s| s.as_u16()), Some(424));
//! assert_eq!(error.api_error().unwrap().code.as_deref(), Some("ModelStreamErrorException"));
//! assert_eq!(error.api_error().unwrap().message, "boom (the model returned status 500: oops)");
//! assert!(!error.is_retryable());
//! ```

use std::fmt::Write as _;

use http::StatusCode;
use strata_aws::event_stream::EventStreamError;
use strata_core::Error;
use strata_core::error::ApiError;
use strata_http::runtime::body_error;

use crate::wire::StreamException;

/// The error for an exception frame (`throttlingException`, `modelStreamErrorException`, …).
///
/// Throttling, internal-server and service-unavailable exceptions are retryable (a caller may
/// start the call again; the stream itself is never replayed). A payload that is not the
/// modeled JSON still gives an error naming the exception type.
pub fn exception_error(exception_type: &str, payload: &[u8]) -> Error {
    let exception: StreamException = serde_json::from_slice(payload).unwrap_or_default();
    let mut message = exception
        .message
        .unwrap_or_else(|| format!("the stream failed with {exception_type}"));
    if let Some(status) = exception.original_status_code {
        let _ = write!(message, " (the model returned status {status}");
        if let Some(original) = &exception.original_message {
            let _ = write!(message, ": {original}");
        }
        message.push(')');
    }
    let (status, retryable) = match exception_type {
        "throttlingException" => (Some(StatusCode::TOO_MANY_REQUESTS), true),
        "internalServerException" => (Some(StatusCode::INTERNAL_SERVER_ERROR), true),
        "serviceUnavailableException" => (Some(StatusCode::SERVICE_UNAVAILABLE), true),
        "validationException" => (Some(StatusCode::BAD_REQUEST), false),
        "modelStreamErrorException" => (Some(StatusCode::FAILED_DEPENDENCY), false),
        "modelTimeoutException" => (Some(StatusCode::REQUEST_TIMEOUT), false),
        _ => (None, false),
    };
    let mut code = exception_type.to_owned();
    if let Some(first) = code.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mut api = ApiError::new(message)
        .with_code(code)
        .with_retryable(retryable)
        .with_body(payload);
    if let Some(status) = status {
        api = api.with_status(status);
    }
    Error::api(api)
}

/// The error for an `error` frame: an API error with its code and message.
pub fn error_frame_error(code: &str, message: Option<&str>) -> Error {
    let message = message.unwrap_or("the stream failed").to_owned();
    Error::api(ApiError::new(message).with_code(code))
}

/// The error for any event-stream failure (see the [module docs](self)).
pub(crate) fn event_stream_error(error: EventStreamError) -> Error {
    if let Some(exception) = error.service_exception() {
        return exception_error(exception.exception_type(), exception.payload());
    }
    if let Some(service) = error.service_error() {
        return error_frame_error(service.code(), service.message());
    }
    let error = match error.into_transport() {
        // The body's own failure (the stack's idle timeout, a lost connection…) keeps its kind.
        Ok(body_failure) => return body_error(body_failure),
        Err(error) => error,
    };
    // The decoder's message names the problem (e.g. a checksum mismatch at some offset).
    let message = error.to_string();
    if error.is_truncated() {
        Error::stream_ended(message).with_source(error)
    } else {
        Error::invalid_response(message).with_source(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_map_to_codes_statuses_and_retryability() {
        for (kind, status, retryable) in [
            ("throttlingException", Some(429), true),
            ("internalServerException", Some(500), true),
            ("serviceUnavailableException", Some(503), true),
            ("validationException", Some(400), false),
            ("modelStreamErrorException", Some(424), false),
            ("modelTimeoutException", Some(408), false),
            ("brandNewException", None, false),
        ] {
            let err = exception_error(kind, br#"{"message":"m"}"#);
            let api = err.api_error().unwrap();
            assert_eq!(api.status.map(|s| s.as_u16()), status, "{kind}");
            assert_eq!(err.is_retryable(), retryable, "{kind}");
            assert_eq!(api.message, "m");
            let mut code = kind.to_owned();
            code[..1].make_ascii_uppercase();
            assert_eq!(api.code.as_deref(), Some(code.as_str()));
            assert_eq!(api.body_excerpt.as_deref(), Some(r#"{"message":"m"}"#));
        }
        let err = exception_error("throttlingException", br#"{"Message":"capital"}"#);
        assert_eq!(err.api_error().unwrap().message, "capital");
        let err = exception_error("throttlingException", b"not json");
        assert_eq!(
            err.api_error().unwrap().message,
            "the stream failed with throttlingException"
        );
    }

    #[test]
    fn error_frames_keep_code_and_message() {
        let err = error_frame_error("InternalFailure", Some("oops"));
        let api = err.api_error().unwrap();
        assert_eq!(
            (api.code.as_deref(), api.message.as_str()),
            (Some("InternalFailure"), "oops")
        );
        assert!(!err.is_retryable());
        let err = error_frame_error("InternalFailure", None);
        assert_eq!(err.api_error().unwrap().message, "the stream failed");
    }
}
