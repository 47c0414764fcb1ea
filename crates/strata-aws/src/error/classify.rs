//! Retry classification of AWS errors, as the AWS SDKs' standard retry mode does it.

use http::{HeaderMap, StatusCode};
use strata_http::retry::{Classifier, HttpClassifier, RetryClass};

use crate::sign::CLOCK_SKEW_CORRECTED;

/// Error codes the AWS SDKs treat as throttling (botocore standard mode's list).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes retried as transient: botocore's list plus Bedrock's `ModelNotReadyException`,
/// which the service model marks `retryable` (not throttling).
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "ModelNotReadyException",
];

/// Error codes that mean the request's signing time was off (the AWS SDKs' clock-skew list).
const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// How an AWS error should be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AwsRetryKind {
    /// The service asks us to slow down: retry with throttling back-off.
    Throttling,
    /// A transient condition (timeout, model not ready): retry.
    Transient,
    /// A server-side failure (HTTP 500, 502, 503, 504): retry.
    ServerError,
    /// The signature was rejected for its time: retryable once the signer corrected its
    /// clock (see [`CLOCK_SKEW_CORRECTED`](crate::sign::CLOCK_SKEW_CORRECTED)).
    ClockSkew,
    /// Validation, access, missing resources, quotas and other client errors: do not retry.
    NotRetryable,
}

/// Whether `code` is one of the AWS SDKs' clock-skew error codes.
pub fn is_clock_skew_code(code: &str) -> bool {
    CLOCK_SKEW_CODES.contains(&code)
}

/// Classifies an AWS error response by status and (sanitized) error code.
///
/// In order: a throttling code, a transient code, a clock-skew code; then HTTP 429 with any
/// other code (or none) is throttling, and HTTP 500/502/503/504 are server errors. All else is
/// not retryable.
pub fn classify(status: StatusCode, code: Option<&str>) -> AwsRetryKind {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return AwsRetryKind::Throttling;
        }
        if TRANSIENT_CODES.contains(&code) {
            return AwsRetryKind::Transient;
        }
        if is_clock_skew_code(code) {
            return AwsRetryKind::ClockSkew;
        }
    }
    match status.as_u16() {
        429 => AwsRetryKind::Throttling,
        500 | 502 | 503 | 504 => AwsRetryKind::ServerError,
        _ => AwsRetryKind::NotRetryable,
    }
}

/// The retry classifier for AWS services, for strata-http's retry layer.
///
/// Responses: the error code from `x-amzn-ErrorType`, then [`classify`]; a clock-skew error is
/// retryable (as transient) only when the signer marked the response with
/// [`CLOCK_SKEW_CORRECTED`], which it does only when it corrected its clock, so such an error
/// is retried once. Errors are classified by their kind as [`HttpClassifier`] does: timeouts,
/// failed connects and lost connections are retried; credentials and signing failures are not.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsClassifier {
    _private: (),
}

impl AwsClassifier {
    /// A classifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The kind of retry a response calls for (before the clock-skew marker is considered).
    pub fn classify_parts(&self, status: StatusCode, headers: &HeaderMap) -> AwsRetryKind {
        if status.is_success() {
            return AwsRetryKind::NotRetryable;
        }
        classify(status, super::error_code_from_headers(headers))
    }
}

impl Classifier for AwsClassifier {
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass {
        match self.classify_parts(status, headers) {
            AwsRetryKind::Throttling => RetryClass::Throttling,
            AwsRetryKind::Transient => RetryClass::Transient,
            AwsRetryKind::ServerError => RetryClass::ServerError,
            AwsRetryKind::ClockSkew if headers.contains_key(CLOCK_SKEW_CORRECTED) => {
                RetryClass::Transient
            }
            AwsRetryKind::ClockSkew | AwsRetryKind::NotRetryable => RetryClass::NotRetryable,
        }
    }

    fn classify_error(&self, error: &strata_http::Error) -> RetryClass {
        HttpClassifier.classify_error(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_statuses() {
        let s = |n| StatusCode::from_u16(n).unwrap();
        assert_eq!(
            classify(s(400), Some("ThrottlingException")),
            AwsRetryKind::Throttling
        );
        assert_eq!(classify(s(503), Some("SlowDown")), AwsRetryKind::Throttling);
        assert_eq!(
            classify(s(429), Some("ModelNotReadyException")),
            AwsRetryKind::Transient
        );
        assert_eq!(classify(s(429), None), AwsRetryKind::Throttling);
        assert_eq!(
            classify(s(429), Some("SomethingElse")),
            AwsRetryKind::Throttling
        );
        assert_eq!(
            classify(s(408), Some("ModelTimeoutException")),
            AwsRetryKind::NotRetryable
        );
        assert_eq!(
            classify(s(408), Some("RequestTimeout")),
            AwsRetryKind::Transient
        );
        assert_eq!(
            classify(s(403), Some("InvalidSignatureException")),
            AwsRetryKind::ClockSkew
        );
        for n in [500, 502, 503, 504] {
            assert_eq!(classify(s(n), None), AwsRetryKind::ServerError);
        }
        for n in [400, 401, 403, 404, 409, 424, 501, 509] {
            assert_eq!(classify(s(n), None), AwsRetryKind::NotRetryable, "{n}");
        }
    }

    #[test]
    fn clock_skew_is_retryable_only_when_corrected() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amzn-errortype",
            http::HeaderValue::from_static("SignatureDoesNotMatch"),
        );
        let c = AwsClassifier::new();
        assert_eq!(
            c.classify_response(StatusCode::FORBIDDEN, &headers),
            RetryClass::NotRetryable
        );
        headers.insert(CLOCK_SKEW_CORRECTED, http::HeaderValue::from_static("true"));
        assert_eq!(
            c.classify_response(StatusCode::FORBIDDEN, &headers),
            RetryClass::Transient
        );
    }

    #[test]
    fn signing_and_credentials_errors_are_not_retried_transport_errors_are() {
        use crate::credentials::CredentialsError;
        use crate::sign::SigningError;

        let c = AwsClassifier::new();
        let creds =
            strata_http::Error::from(CredentialsError::not_configured("environment", "no keys"));
        assert_eq!(c.classify_error(&creds), RetryClass::NotRetryable);
        let reset = strata_http::Error::from_boxed(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert_eq!(c.classify_error(&reset), RetryClass::Transient);
        let signing = strata_http::Error::from(SigningError::caller_authorization());
        assert_eq!(c.classify_error(&signing), RetryClass::NotRetryable);
    }
}
