//! Turning what the stack fails with, and AWS error responses, into [`strata_core::Error`]s.

use std::error::Error as StdError;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use strata_aws::credentials::CredentialsError;
use strata_aws::error::AwsError;
use strata_aws::sign::SigningError;
use strata_core::Error;
use strata_http::BoxError;

/// The core error for an AWS error response: status, code, message, request id, whether a
/// retry may help, and a bounded excerpt of the body.
pub(crate) fn api_error(status: StatusCode, headers: &HeaderMap, body: &Bytes) -> Error {
    let aws = AwsError::parse(status, headers, body);
    let mut error = Error::api(aws.to_api_error());
    if !body.is_empty() {
        error = error.with_excerpt(body);
    }
    error
}

/// The core error for a failure of the stack (no usable response).
///
/// Looks along the `source()` chain for the first failure it knows — a strata-http kind, a
/// credentials or signing failure, a strata-core error from a custom layer — and keeps the
/// whole chain as the source.
pub(crate) fn stack_error(error: BoxError) -> Error {
    let converted = classify(&*error);
    match converted {
        Converted::Core(core) => core,
        Converted::Timeout(message) => Error::timeout(message).with_source(error),
        Converted::Transport => Error::transport(error),
        Converted::Credentials(provider, message) => {
            Error::credentials(provider, message).with_source(error)
        }
        Converted::Redirect(status, message) => Error::invalid_response(message)
            .with_status(status)
            .with_source(error),
        Converted::Request(message) => {
            Error::invalid_argument("request", message).with_source(error)
        }
        Converted::Config(message) => Error::config(message).with_source(error),
    }
}

enum Converted {
    Core(Error),
    Timeout(String),
    Transport,
    Credentials(String, String),
    Redirect(StatusCode, String),
    Request(String),
    Config(String),
}

fn classify(error: &(dyn StdError + 'static)) -> Converted {
    let mut next = Some(error);
    while let Some(link) = next {
        if let Some(found) = classify_one(link) {
            return found;
        }
        next = link.source();
    }
    Converted::Transport
}

fn classify_one(link: &(dyn StdError + 'static)) -> Option<Converted> {
    if let Some(core) = link.downcast_ref::<Error>() {
        return Some(Converted::Core(core.clone()));
    }
    if let Some(credentials) = link.downcast_ref::<CredentialsError>() {
        let message = match credentials.source() {
            Some(source) => format!("{credentials}: {source}"),
            None => credentials.to_string(),
        };
        return Some(Converted::Credentials(
            credentials.provider().to_owned(),
            message,
        ));
    }
    if let Some(signing) = link.downcast_ref::<SigningError>() {
        return Some(if signing.is_missing_credentials() {
            Converted::Credentials("sigv4".to_owned(), signing.to_string())
        } else {
            Converted::Request(signing.to_string())
        });
    }
    let http = link.downcast_ref::<strata_http::Error>()?;
    let message = http.to_string();
    if http.is_timeout() || http.is_idle_timeout() {
        Some(Converted::Timeout(message))
    } else if http.is_connect() || http.is_transport() {
        Some(Converted::Transport)
    } else if let Some(status) = http.status().filter(|_| http.is_redirect()) {
        Some(Converted::Redirect(status, message))
    } else if http.is_auth() {
        Some(Converted::Credentials("bearer token".to_owned(), message))
    } else if http.is_body_not_replayable() || http.is_body_too_large() || http.is_request_body() {
        Some(Converted::Request(message))
    } else if http.is_invalid_config() {
        Some(Converted::Config(message))
    } else {
        // Budget exhausted, or a foreign inner failure: the cause is further down.
        None
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::HeaderValue;

    use super::*;

    #[test]
    fn aws_error_responses_keep_every_detail() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static("ValidationException"),
        );
        headers.insert("x-amzn-requestid", HeaderValue::from_static("req-1"));
        let body = Bytes::from_static(br#"{"message":"bad model"}"#);
        let error = api_error(StatusCode::BAD_REQUEST, &headers, &body);
        let api = error.api_error().unwrap();
        assert_eq!(api.status, Some(StatusCode::BAD_REQUEST));
        assert_eq!(api.code.as_deref(), Some("ValidationException"));
        assert_eq!(api.message, "bad model");
        assert_eq!(api.request_id.as_deref(), Some("req-1"));
        assert_eq!(
            api.body_excerpt.as_deref(),
            Some(r#"{"message":"bad model"}"#)
        );
        assert!(!error.is_retryable());
    }

    #[test]
    fn unknown_failures_are_transport_errors_with_their_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let error = stack_error(Box::new(io));
        assert!(error.is_transport() && error.is_retryable());
        assert_eq!(
            error.report().to_string(),
            "transport failure: reset by peer"
        );
    }

    #[test]
    fn core_errors_from_custom_layers_pass_through() {
        let core = Error::invalid_argument("x", "no");
        assert_eq!(stack_error(Box::new(core.clone())), core);
    }

    #[tokio::test(start_paused = true)]
    async fn timeouts_become_timeout_errors() {
        use strata_http::timeout::TimeoutLayer;
        use tower::{Layer as _, ServiceExt as _};

        let slow = tower::service_fn(|_req: http::Request<()>| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok::<_, std::convert::Infallible>(())
        });
        let failure = TimeoutLayer::new(Duration::from_secs(1))
            .layer(slow)
            .oneshot(http::Request::new(()))
            .await
            .unwrap_err();
        let error = stack_error(Box::new(failure));
        assert!(error.is_timeout());
        assert_eq!(
            error.to_string(),
            "timed out: no response headers within 1s"
        );
    }
}
