//! The one error type of strata-http's layers.
//!
//! Every layer in this crate fails with [`Error`]: an opaque struct whose kind is asked with
//! `is_*()` predicates and whose cause is reachable through [`std::error::Error::source`].
//! Layers that wrap a service with some other error type box that error into an [`Error`]
//! (see [`Error::from_boxed`]); an [`Error`] coming back from an inner strata-http layer is
//! passed through unchanged, so stacks of these layers compose without nesting.
//!
//! ```
//! use http::{Request, Response, StatusCode};
//! use strata_http::body::ReplayableBody;
//! use strata_http::redirect::RefuseRedirectsLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|_req: Request<ReplayableBody>| async {
//! #     Ok::<_, std::convert::Infallible>(
//! #         Response::builder().status(301).header("location", "https://elsewhere.example/").body(()).unwrap())
//! # });
//! let service = ServiceBuilder::new().layer(RefuseRedirectsLayer::new()).service(backend);
//! let error = service.oneshot(Request::new(ReplayableBody::empty())).await.unwrap_err();
//! assert!(error.is_redirect());
//! assert_eq!(error.status(), Some(StatusCode::MOVED_PERMANENTLY));
//! assert_eq!(error.location().unwrap(), "https://elsewhere.example/");
//! # }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::{HeaderValue, StatusCode};

/// A boxed, thread-safe error: what generic inner services fail with before it is wrapped
/// into an [`Error`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The error of strata-http's layers and client.
///
/// Opaque: ask what happened with the `is_*()` predicates, and walk
/// [`source()`](std::error::Error::source) for the cause. Nothing secret (tokens, header
/// values other than a redirect's `Location`) is kept in it.
pub struct Error {
    kind: Kind,
    source: Option<BoxError>,
}

#[derive(Debug)]
pub(crate) enum Kind {
    /// No response headers within the per-attempt timeout.
    Timeout(Duration),
    /// Connecting to the server failed (DNS, TCP, TLS, connect timeout).
    Connect,
    /// The server answered with a redirect, which strata never follows.
    Redirect {
        status: StatusCode,
        location: Option<HeaderValue>,
    },
    /// A request body that cannot be sent more than once was refused.
    BodyNotReplayable(&'static str),
    /// A request body exceeded the buffering limit.
    BodyTooLarge { limit: usize },
    /// Reading the request body failed.
    RequestBody,
    /// The retry budget was exhausted, so a retryable failure was not retried.
    BudgetExhausted,
    /// No response body frame arrived within the idle timeout.
    IdleTimeout(Duration),
    /// A token could not be obtained or used, or the request already carried credentials.
    Auth(&'static str),
    /// A builder or constructor was given an invalid value.
    InvalidConfig(&'static str),
    /// The HTTP exchange failed after connecting (protocol error, connection reset, ...).
    Transport,
    /// An inner service failed with an error that is not a strata-http error.
    Service,
}

impl Error {
    pub(crate) fn new(kind: Kind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(kind: Kind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// Wraps any boxed error; an [`Error`] inside the box is unwrapped instead of nested.
    pub fn from_boxed(error: BoxError) -> Self {
        match error.downcast::<Self>() {
            Ok(error) => *error,
            Err(other) => Self::with_source(Kind::Service, other),
        }
    }

    /// The error as the failing service produced it: the wrapped error for a foreign inner
    /// service's failure, `self` otherwise. This is what retry classifiers are shown.
    pub fn original(&self) -> &(dyn StdError + 'static) {
        match (&self.kind, &self.source) {
            (Kind::Service, Some(source)) => &**source,
            _ => self,
        }
    }

    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }

    /// Whether an attempt got no response headers in time ([`crate::timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, Kind::Timeout(_))
    }

    /// Whether connecting to the server failed (including a connect timeout).
    pub fn is_connect(&self) -> bool {
        matches!(self.kind, Kind::Connect)
    }

    /// Whether the server answered with a redirect, which is refused ([`crate::redirect`]).
    pub fn is_redirect(&self) -> bool {
        matches!(self.kind, Kind::Redirect { .. })
    }

    /// Whether a request body that cannot be replayed was refused before sending.
    pub fn is_body_not_replayable(&self) -> bool {
        matches!(self.kind, Kind::BodyNotReplayable(_))
    }

    /// Whether a request body was larger than the buffering limit.
    pub fn is_body_too_large(&self) -> bool {
        matches!(self.kind, Kind::BodyTooLarge { .. })
    }

    /// Whether reading the request body failed.
    pub fn is_request_body(&self) -> bool {
        matches!(self.kind, Kind::RequestBody)
    }

    /// Whether a retryable failure was not retried because the retry budget was spent.
    /// The failure itself is the [`source`](std::error::Error::source).
    pub fn is_budget_exhausted(&self) -> bool {
        matches!(self.kind, Kind::BudgetExhausted)
    }

    /// Whether a response body stalled longer than the idle timeout.
    pub fn is_idle_timeout(&self) -> bool {
        matches!(self.kind, Kind::IdleTimeout(_))
    }

    /// Whether obtaining or attaching credentials failed ([`crate::bearer`]).
    pub fn is_auth(&self) -> bool {
        matches!(self.kind, Kind::Auth(_))
    }

    /// Whether a constructor or builder was given an invalid value.
    pub fn is_invalid_config(&self) -> bool {
        matches!(self.kind, Kind::InvalidConfig(_))
    }

    /// Whether the HTTP exchange failed after the connection was made.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Transport)
    }

    /// Whether this wraps the failure of an inner service that is not a strata-http layer.
    pub fn is_service(&self) -> bool {
        matches!(self.kind, Kind::Service)
    }

    /// The status of a refused redirect.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            Kind::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `Location` of a refused redirect, if the server sent one.
    pub fn location(&self) -> Option<&HeaderValue> {
        match &self.kind {
            Kind::Redirect { location, .. } => location.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("strata_http::Error");
        debug.field("kind", &self.kind);
        if let Some(source) = &self.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Timeout(after) => write!(f, "no response headers within {after:?}"),
            Kind::Connect => f.write_str("failed to connect to the server"),
            Kind::Redirect { status, location } => {
                write!(f, "refused to follow a redirect ({status})")?;
                match location.as_ref().map(HeaderValue::to_str) {
                    Some(Ok(location)) => write!(f, " to {location}"),
                    Some(Err(_)) => f.write_str(" to a non-ASCII location"),
                    None => f.write_str(" without a location"),
                }
            }
            Kind::BodyNotReplayable(why) => {
                write!(f, "request body cannot be replayed: {why}")
            }
            Kind::BodyTooLarge { limit } => {
                write!(f, "request body is larger than the {limit}-byte limit")
            }
            Kind::RequestBody => f.write_str("failed to read the request body"),
            Kind::BudgetExhausted => f.write_str("retry budget exhausted; not retrying"),
            Kind::IdleTimeout(after) => {
                write!(f, "response body sent nothing for {after:?}")
            }
            Kind::Auth(why) => write!(f, "authentication failed: {why}"),
            Kind::InvalidConfig(why) => write!(f, "invalid configuration: {why}"),
            Kind::Transport => f.write_str("HTTP exchange failed"),
            Kind::Service => f.write_str("inner service failed"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("backend broke")]
    struct Backend;

    #[test]
    fn from_boxed_unwraps_own_errors_and_wraps_others() {
        let own = Error::from_boxed(Box::new(Error::new(Kind::Connect)));
        assert!(own.is_connect());
        assert!(own.source().is_none());

        let foreign = Error::from_boxed(Box::new(Backend));
        assert!(foreign.is_service());
        assert_eq!(foreign.source().unwrap().to_string(), "backend broke");
        assert!(foreign.original().is::<Backend>());
        assert!(own.original().is::<Error>());
    }

    #[test]
    fn redirect_reports_status_and_location() {
        let error = Error::new(Kind::Redirect {
            status: StatusCode::FOUND,
            location: Some(HeaderValue::from_static("https://b.example/x")),
        });
        assert_eq!(
            error.to_string(),
            "refused to follow a redirect (302 Found) to https://b.example/x"
        );
        assert_eq!(error.status(), Some(StatusCode::FOUND));
        assert!(!error.is_timeout());
    }

    #[test]
    fn error_is_send_sync_and_boxable() {
        fn assert_bounds<T: StdError + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
        let boxed: BoxError = Error::new(Kind::BudgetExhausted).into();
        assert!(Error::from_boxed(boxed).is_budget_exhausted());
    }
}
