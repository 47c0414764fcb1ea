//! What a response or an error means for retrying.

use std::sync::Arc;

use http::{HeaderMap, StatusCode};

use crate::error::{Error, ErrorKind};

/// What kind of failure a response or error is, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryClass {
    /// The server asked us to slow down (429, a throttling error code).
    Throttling,
    /// A failure that is likely to go away: a refused or reset connection, a 408.
    Transient,
    /// The server failed (500, 502, 503, 504).
    ServerError,
    /// No answer in time; costs more of the retry budget.
    Timeout,
    /// Success, or a failure that retrying will not fix.
    NotRetryable,
}

impl RetryClass {
    /// Whether this class is worth another attempt.
    pub fn is_retryable(self) -> bool {
        !matches!(self, Self::NotRetryable)
    }

    /// A short lowercase name, as used in tracing events.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Throttling => "throttling",
            Self::Transient => "transient",
            Self::ServerError => "server_error",
            Self::Timeout => "timeout",
            Self::NotRetryable => "not_retryable",
        }
    }
}

/// Decides the [`RetryClass`] of a response (from its status and headers, before the body is
/// read) or of an error. Object safe: providers plug in their own as `Arc<dyn Classifier>`.
pub trait Classifier: Send + Sync + 'static {
    /// The class of a response with this status and these headers.
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass;

    /// The class of an error from the inner service, by its [`ErrorKind`] (typed where the
    /// failure arose; see [`crate::error`]).
    fn classify_error(&self, error: &Error) -> RetryClass;
}

impl<C: Classifier + ?Sized> Classifier for Arc<C> {
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass {
        (**self).classify_response(status, headers)
    }

    fn classify_error(&self, error: &Error) -> RetryClass {
        (**self).classify_error(error)
    }
}

impl<C: Classifier + ?Sized> Classifier for Box<C> {
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass {
        (**self).classify_response(status, headers)
    }

    fn classify_error(&self, error: &Error) -> RetryClass {
        (**self).classify_error(error)
    }
}

/// The default classifier for plain HTTP.
///
/// Responses: 429 is [`Throttling`](RetryClass::Throttling), 408 is
/// [`Transient`](RetryClass::Transient), 500, 502, 503 and 504 are
/// [`ServerError`](RetryClass::ServerError); everything else is not retryable.
///
/// Errors, by kind: a [timeout](ErrorKind::Timeout) is [`Timeout`](RetryClass::Timeout); a
/// [failed connect](ErrorKind::Connect) or a [connection lost](ErrorKind::ConnectionLost)
/// before the response is transient; every other kind (a refused redirect, a refused request
/// body, credentials, signing or token failures, an idle timeout, a protocol error, a foreign
/// failure) is not retryable.
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpClassifier;

impl Classifier for HttpClassifier {
    fn classify_response(&self, status: StatusCode, _headers: &HeaderMap) -> RetryClass {
        match status.as_u16() {
            429 => RetryClass::Throttling,
            408 => RetryClass::Transient,
            500 | 502 | 503 | 504 => RetryClass::ServerError,
            _ => RetryClass::NotRetryable,
        }
    }

    fn classify_error(&self, error: &Error) -> RetryClass {
        match error.kind() {
            ErrorKind::Timeout => RetryClass::Timeout,
            ErrorKind::Connect | ErrorKind::ConnectionLost => RetryClass::Transient,
            _ => RetryClass::NotRetryable,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn statuses() {
        let classify = |code: u16| {
            HttpClassifier.classify_response(StatusCode::from_u16(code).unwrap(), &HeaderMap::new())
        };
        assert_eq!(classify(429), RetryClass::Throttling);
        assert_eq!(classify(408), RetryClass::Transient);
        for code in [500, 502, 503, 504] {
            assert_eq!(classify(code), RetryClass::ServerError);
        }
        for code in [200, 204, 301, 400, 401, 403, 404, 409, 413, 501, 505] {
            assert_eq!(classify(code), RetryClass::NotRetryable, "{code}");
        }
    }

    #[test]
    fn errors_by_kind() {
        use crate::error::Kind;
        let classify = |e: &Error| HttpClassifier.classify_error(e);
        assert_eq!(
            classify(&Error::new(Kind::Timeout(Some(Duration::from_secs(1))))),
            RetryClass::Timeout
        );
        assert_eq!(classify(&Error::new(Kind::Connect)), RetryClass::Transient);
        assert_eq!(
            classify(&Error::new(Kind::ConnectionLost)),
            RetryClass::Transient
        );
        for kind in [
            Kind::Transport,
            Kind::Service(None),
            Kind::IdleTimeout(Duration::from_secs(1)),
            Kind::Signing,
            Kind::Auth("no token"),
            Kind::BodyNotReplayable("streaming"),
        ] {
            let error = Error::new(kind);
            assert_eq!(classify(&error), RetryClass::NotRetryable, "{error:?}");
        }
        let credentials = Error::credentials("environment", std::io::Error::other("no keys"));
        assert_eq!(classify(&credentials), RetryClass::NotRetryable);
    }

    #[test]
    fn classifier_is_object_safe() {
        let boxed: Box<dyn Classifier> = Box::new(HttpClassifier);
        let shared: Arc<dyn Classifier> = Arc::new(boxed);
        assert_eq!(
            shared.classify_response(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new()),
            RetryClass::Throttling
        );
        assert_eq!(RetryClass::ServerError.as_str(), "server_error");
        assert!(!RetryClass::NotRetryable.is_retryable());
    }
}
