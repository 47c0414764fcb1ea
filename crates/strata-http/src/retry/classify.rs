//! What a response or an error means for retrying.

use std::error::Error as StdError;
use std::io;
use std::sync::Arc;

use http::{HeaderMap, StatusCode};

use crate::error::{Error, Kind};

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

    /// The class of an error from the inner service, as that service produced it (see
    /// [`Error::original`]): a strata-http [`Error`] from this crate's layers and client, or
    /// the inner service's own error type. Walk [`source`](StdError::source) to look deeper.
    fn classify_error(&self, error: &(dyn StdError + 'static)) -> RetryClass;
}

impl<C: Classifier + ?Sized> Classifier for Arc<C> {
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass {
        (**self).classify_response(status, headers)
    }

    fn classify_error(&self, error: &(dyn StdError + 'static)) -> RetryClass {
        (**self).classify_error(error)
    }
}

impl<C: Classifier + ?Sized> Classifier for Box<C> {
    fn classify_response(&self, status: StatusCode, headers: &HeaderMap) -> RetryClass {
        (**self).classify_response(status, headers)
    }

    fn classify_error(&self, error: &(dyn StdError + 'static)) -> RetryClass {
        (**self).classify_error(error)
    }
}

/// The default classifier for plain HTTP.
///
/// Responses: 429 is [`Throttling`](RetryClass::Throttling), 408 is
/// [`Transient`](RetryClass::Transient), 500, 502, 503 and 504 are
/// [`ServerError`](RetryClass::ServerError); everything else is not retryable.
///
/// Errors, looked up along the `source()` chain: a strata-http timeout is
/// [`Timeout`](RetryClass::Timeout); a connect failure or a transport failure (connection
/// closed or reset before a response) is transient, as are `io::Error`s of those kinds and
/// hyper's "incomplete message" and "canceled"; a refused redirect, a refused or failed request
/// body, an auth failure, an exhausted budget or an idle timeout is not retryable.
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

    fn classify_error(&self, error: &(dyn StdError + 'static)) -> RetryClass {
        let mut next = Some(error);
        while let Some(error) = next {
            if let Some(class) = classify_one(error) {
                return class;
            }
            next = error.source();
        }
        RetryClass::NotRetryable
    }
}

/// The class of one link of an error chain, or `None` to look at its source.
fn classify_one(error: &(dyn StdError + 'static)) -> Option<RetryClass> {
    if let Some(error) = error.downcast_ref::<Error>() {
        return match error.kind() {
            Kind::Timeout(_) => Some(RetryClass::Timeout),
            Kind::Connect => Some(RetryClass::Transient),
            Kind::Transport | Kind::Service => None,
            _ => Some(RetryClass::NotRetryable),
        };
    }
    if let Some(error) = error.downcast_ref::<hyper_util::client::legacy::Error>() {
        return error.is_connect().then_some(RetryClass::Transient);
    }
    if let Some(error) = error.downcast_ref::<hyper::Error>() {
        if error.is_timeout() {
            return Some(RetryClass::Timeout);
        }
        if error.is_incomplete_message() || error.is_canceled() {
            return Some(RetryClass::Transient);
        }
        return None;
    }
    if let Some(error) = error.downcast_ref::<io::Error>() {
        return match error.kind() {
            io::ErrorKind::TimedOut => Some(RetryClass::Timeout),
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::NotConnected
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof => Some(RetryClass::Transient),
            _ => None,
        };
    }
    None
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
    fn errors_by_kind_and_source_chain() {
        let classify = |e: &Error| HttpClassifier.classify_error(e);
        assert_eq!(
            classify(&Error::new(Kind::Timeout(Duration::from_secs(1)))),
            RetryClass::Timeout
        );
        assert_eq!(classify(&Error::new(Kind::Connect)), RetryClass::Transient);
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(
            classify(&Error::with_source(Kind::Transport, reset)),
            RetryClass::Transient
        );
        let other = io::Error::other("weird");
        assert_eq!(
            classify(&Error::with_source(Kind::Transport, other)),
            RetryClass::NotRetryable
        );
        assert_eq!(
            classify(&Error::new(Kind::BudgetExhausted)),
            RetryClass::NotRetryable
        );
        assert_eq!(
            classify(&Error::new(Kind::IdleTimeout(Duration::from_secs(1)))),
            RetryClass::NotRetryable
        );
        let timed_out = io::Error::from(io::ErrorKind::TimedOut);
        assert_eq!(
            HttpClassifier.classify_error(&timed_out),
            RetryClass::Timeout
        );
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
