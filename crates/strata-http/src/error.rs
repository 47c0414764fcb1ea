//! The one error type of strata's tower stack.
//!
//! Every layer in this crate, strata-aws's credentials and signing layers, and the
//! [`HttpService`](crate::service::HttpService) that a provider stack is boxed into fail with
//! [`Error`]: an opaque struct whose [`kind`](Error::kind) is a typed [`ErrorKind`], set where
//! the failure arose and kept unchanged through every layer above. Retry classifiers
//! ([`Classifier`](crate::retry::Classifier)) and the conversion into
//! [`strata_core::Error`] read that kind; nothing re-guesses it later.
//!
//! A failure of a foreign service (your HTTP client, a tower layer with its own error type)
//! enters the stack through [`Error::from_boxed`], which types it once: an [`Error`] inside
//! the box is taken back as it is, a [`strata_core::Error`] from a custom layer is kept for
//! the caller, and any other error is classified by what it is (a failed connect, a connection
//! lost before the response, a timeout) or else counts as [`ErrorKind::Service`].
//!
//! ```
//! use http::{Request, Response, StatusCode};
//! use strata_http::body::ReplayableBody;
//! use strata_http::error::ErrorKind;
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
//! assert_eq!(error.kind(), ErrorKind::Redirect);
//! assert_eq!(error.status(), Some(StatusCode::MOVED_PERMANENTLY));
//! assert_eq!(error.location().unwrap(), "https://elsewhere.example/");
//!
//! // Into the provider-independent error every model returns:
//! let core = strata_core::Error::from(error);
//! assert!(core.is_invalid_response());
//! assert_eq!(core.status(), Some(StatusCode::MOVED_PERMANENTLY));
//! # }
//! ```

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use http::{HeaderValue, StatusCode};

/// A boxed, thread-safe error: what generic inner services fail with before it is wrapped
/// into an [`Error`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What kind of failure an [`Error`] is. Set where the failure arose, never re-guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No response headers within the per-attempt timeout ([`crate::timeout`]), or a foreign
    /// transport's own timeout.
    Timeout,
    /// A response body sent nothing for longer than the idle timeout.
    IdleTimeout,
    /// Connecting to the server failed (DNS, TCP, TLS, connect timeout).
    Connect,
    /// The connection closed, reset or broke before the response was complete.
    ConnectionLost,
    /// The HTTP exchange failed in another way (a protocol error).
    Transport,
    /// The server answered with a redirect, which is never followed ([`crate::redirect`]).
    Redirect,
    /// A request body that cannot be sent more than once was refused before sending.
    BodyNotReplayable,
    /// A request body exceeded the buffering limit.
    BodyTooLarge,
    /// Reading the request body failed.
    RequestBody,
    /// A response body exceeded the limit of what is read into memory.
    ResponseTooLarge,
    /// No credentials could be had for the request (strata-aws's credentials layer).
    Credentials,
    /// The request could not be signed (strata-aws's SigV4 layer).
    Signing,
    /// A bearer token could not be obtained or used, or the request already carried
    /// credentials ([`crate::bearer`]).
    Auth,
    /// A builder or constructor was given an invalid value.
    InvalidConfig,
    /// A foreign service (a user layer or client) failed in a way strata does not know; the
    /// cause is the [`source`](StdError::source).
    Service,
}

/// The error of strata's stack; see the [module docs](self).
///
/// Ask what happened with [`kind`](Self::kind) or the `is_*()` predicates, and walk
/// [`source()`](std::error::Error::source) for the cause. Nothing secret (tokens, header values
/// other than a redirect's `Location`) is kept in it.
pub struct Error {
    kind: Kind,
    source: Option<BoxError>,
    budget_exhausted: bool,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Timeout(Option<Duration>),
    IdleTimeout(Duration),
    Connect,
    ConnectionLost,
    Transport,
    Redirect {
        status: StatusCode,
        location: Option<HeaderValue>,
    },
    BodyNotReplayable(&'static str),
    BodyTooLarge {
        limit: usize,
    },
    RequestBody,
    ResponseTooLarge {
        limit: usize,
    },
    Credentials {
        provider: Cow<'static, str>,
    },
    Signing,
    Auth(&'static str),
    InvalidConfig(&'static str),
    /// A foreign failure; a `strata_core::Error` from a custom layer is kept typed.
    Service(Option<strata_core::Error>),
}

impl Error {
    pub(crate) fn new(kind: Kind) -> Self {
        Self {
            kind,
            source: None,
            budget_exhausted: false,
        }
    }

    pub(crate) fn with_source(kind: Kind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
            budget_exhausted: false,
        }
    }

    /// No credentials could be had from `provider` (named in messages), because of `source`.
    /// For credentials layers such as strata-aws's.
    pub fn credentials(
        provider: impl Into<Cow<'static, str>>,
        source: impl Into<BoxError>,
    ) -> Self {
        Self::with_source(
            Kind::Credentials {
                provider: provider.into(),
            },
            source,
        )
    }

    /// The request could not be signed, because of `source`. For signing layers such as
    /// strata-aws's.
    pub fn signing(source: impl Into<BoxError>) -> Self {
        Self::with_source(Kind::Signing, source)
    }

    /// A response body was larger than `limit` bytes.
    pub fn response_too_large(limit: usize) -> Self {
        Self::new(Kind::ResponseTooLarge { limit })
    }

    /// Types a boxed error once, as it enters the stack (see the [module docs](self)): an
    /// [`Error`] in the box is returned as it is; anything else is classified by what it is.
    pub fn from_boxed(error: BoxError) -> Self {
        let error = match error.downcast::<Self>() {
            Ok(error) => return *error,
            Err(other) => other,
        };
        let error = match error.downcast::<strata_core::Error>() {
            Ok(core) => return Self::new(Kind::Service(Some(*core))),
            Err(other) => other,
        };
        Self::with_source(foreign_kind(&*error), error)
    }

    /// Marks a retryable failure that was not retried because the retry budget ran dry.
    pub(crate) fn mark_budget_exhausted(&mut self) {
        self.budget_exhausted = true;
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.kind {
            Kind::Timeout(_) => ErrorKind::Timeout,
            Kind::IdleTimeout(_) => ErrorKind::IdleTimeout,
            Kind::Connect => ErrorKind::Connect,
            Kind::ConnectionLost => ErrorKind::ConnectionLost,
            Kind::Transport => ErrorKind::Transport,
            Kind::Redirect { .. } => ErrorKind::Redirect,
            Kind::BodyNotReplayable(_) => ErrorKind::BodyNotReplayable,
            Kind::BodyTooLarge { .. } => ErrorKind::BodyTooLarge,
            Kind::RequestBody => ErrorKind::RequestBody,
            Kind::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Kind::Credentials { .. } => ErrorKind::Credentials,
            Kind::Signing => ErrorKind::Signing,
            Kind::Auth(_) => ErrorKind::Auth,
            Kind::InvalidConfig(_) => ErrorKind::InvalidConfig,
            Kind::Service(_) => ErrorKind::Service,
        }
    }

    /// Whether an attempt got no response headers in time ([`ErrorKind::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// Whether connecting to the server failed ([`ErrorKind::Connect`]).
    pub fn is_connect(&self) -> bool {
        self.kind() == ErrorKind::Connect
    }

    /// Whether the connection was lost before the response was complete
    /// ([`ErrorKind::ConnectionLost`]).
    pub fn is_connection_lost(&self) -> bool {
        self.kind() == ErrorKind::ConnectionLost
    }

    /// Whether the server answered with a redirect, which is refused ([`crate::redirect`]).
    pub fn is_redirect(&self) -> bool {
        self.kind() == ErrorKind::Redirect
    }

    /// Whether a request body that cannot be replayed was refused before sending.
    pub fn is_body_not_replayable(&self) -> bool {
        self.kind() == ErrorKind::BodyNotReplayable
    }

    /// Whether a request body was larger than the buffering limit.
    pub fn is_body_too_large(&self) -> bool {
        self.kind() == ErrorKind::BodyTooLarge
    }

    /// Whether reading the request body failed.
    pub fn is_request_body(&self) -> bool {
        self.kind() == ErrorKind::RequestBody
    }

    /// Whether a response body was larger than the limit of what is read into memory.
    pub fn is_response_too_large(&self) -> bool {
        self.kind() == ErrorKind::ResponseTooLarge
    }

    /// Whether this retryable failure was not retried because the retry budget was spent.
    /// The kind stays that of the failure itself.
    pub fn is_budget_exhausted(&self) -> bool {
        self.budget_exhausted
    }

    /// Whether a response body stalled longer than the idle timeout.
    pub fn is_idle_timeout(&self) -> bool {
        self.kind() == ErrorKind::IdleTimeout
    }

    /// Whether no credentials could be had ([`ErrorKind::Credentials`]).
    pub fn is_credentials(&self) -> bool {
        self.kind() == ErrorKind::Credentials
    }

    /// Whether the request could not be signed ([`ErrorKind::Signing`]).
    pub fn is_signing(&self) -> bool {
        self.kind() == ErrorKind::Signing
    }

    /// Whether obtaining or attaching a bearer token failed ([`crate::bearer`]).
    pub fn is_auth(&self) -> bool {
        self.kind() == ErrorKind::Auth
    }

    /// Whether a constructor or builder was given an invalid value.
    pub fn is_invalid_config(&self) -> bool {
        self.kind() == ErrorKind::InvalidConfig
    }

    /// Whether the HTTP exchange failed after the connection was made, the connection lost
    /// included.
    pub fn is_transport(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Transport | ErrorKind::ConnectionLost
        )
    }

    /// Whether this wraps the failure of a foreign service that strata does not know.
    pub fn is_service(&self) -> bool {
        self.kind() == ErrorKind::Service
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

    /// The credentials provider that failed, for [`ErrorKind::Credentials`].
    pub fn credentials_provider(&self) -> Option<&str> {
        match &self.kind {
            Kind::Credentials { provider } => Some(provider),
            _ => None,
        }
    }

    /// The [`strata_core::Error`] a custom layer failed with, kept as it was.
    pub fn core_error(&self) -> Option<&strata_core::Error> {
        match &self.kind {
            Kind::Service(core) => core.as_ref(),
            _ => None,
        }
    }

    /// This error and its sources, joined with `": "`.
    fn chain(&self) -> String {
        let mut message = self.to_string();
        let mut next = StdError::source(self);
        while let Some(source) = next {
            message.push_str(": ");
            message.push_str(&source.to_string());
            next = source.source();
        }
        message
    }
}

/// The kind of a foreign error, judged once from what it and its sources are: a failed
/// connect, a connection lost or a timeout wherever it sits in the chain; else a failure of
/// hyper's exchange is [`Kind::Transport`] and anything else [`Kind::Service`].
pub(crate) fn foreign_kind(error: &(dyn StdError + 'static)) -> Kind {
    let mut fallback = Kind::Service(None);
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(error) = error.downcast_ref::<hyper_util::client::legacy::Error>() {
            if error.is_connect() {
                return Kind::Connect;
            }
            fallback = Kind::Transport;
        } else if let Some(error) = error.downcast_ref::<hyper::Error>() {
            if error.is_timeout() {
                return Kind::Timeout(None);
            }
            if error.is_incomplete_message() || error.is_canceled() {
                return Kind::ConnectionLost;
            }
            fallback = Kind::Transport;
        } else if let Some(error) = error.downcast_ref::<io::Error>() {
            match error.kind() {
                io::ErrorKind::TimedOut => return Kind::Timeout(None),
                io::ErrorKind::ConnectionRefused => return Kind::Connect,
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::NotConnected
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof => return Kind::ConnectionLost,
                _ => {}
            }
        }
        next = error.source();
    }
    fallback
}

impl From<std::convert::Infallible> for Error {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<BoxError> for Error {
    fn from(error: BoxError) -> Self {
        Self::from_boxed(error)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("strata_http::Error");
        debug.field("kind", &self.kind);
        if let Some(source) = &self.source {
            debug.field("source", source);
        }
        if self.budget_exhausted {
            debug.field("budget_exhausted", &true);
        }
        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Timeout(Some(after)) => write!(f, "no response headers within {after:?}"),
            Kind::Timeout(None) => f.write_str("the HTTP exchange timed out"),
            Kind::Connect => f.write_str("failed to connect to the server"),
            Kind::ConnectionLost => {
                f.write_str("the connection was lost before the response was complete")
            }
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
            Kind::ResponseTooLarge { limit } => {
                write!(f, "the response body is larger than {limit} bytes")
            }
            Kind::IdleTimeout(after) => {
                write!(f, "response body sent nothing for {after:?}")
            }
            Kind::Credentials { provider } => {
                write!(
                    f,
                    "no credentials from `{provider}`; the request was not sent"
                )
            }
            Kind::Signing => f.write_str("the request could not be signed and was not sent"),
            Kind::Auth(why) => write!(f, "authentication failed: {why}"),
            Kind::InvalidConfig(why) => write!(f, "invalid configuration: {why}"),
            Kind::Transport => f.write_str("HTTP exchange failed"),
            Kind::Service(Some(core)) => fmt::Display::fmt(core, f),
            Kind::Service(None) => f.write_str("inner service failed"),
        }?;
        if self.budget_exhausted {
            f.write_str(" (not retried: retry budget exhausted)")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        if let Kind::Service(Some(core)) = &self.kind {
            return Some(core);
        }
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The provider-independent error for a failure of the stack (no usable response).
///
/// Timeouts and idle timeouts become [timeouts](strata_core::Error::is_timeout); connect,
/// transport and foreign failures [transport errors](strata_core::Error::is_transport); a
/// refused redirect an invalid response with its status; credentials, signing-time credential
/// and bearer failures [credentials errors](strata_core::Error::is_credentials) naming the
/// provider; refused request bodies and unsignable requests invalid arguments; an oversized
/// response an invalid response; a [`strata_core::Error`] from a custom layer itself. The
/// stack error stays reachable as the source.
impl From<Error> for strata_core::Error {
    fn from(error: Error) -> Self {
        use strata_core::Error as Core;
        match error.kind() {
            ErrorKind::Timeout | ErrorKind::IdleTimeout => {
                Core::timeout(error.to_string()).with_source(error)
            }
            ErrorKind::Connect
            | ErrorKind::ConnectionLost
            | ErrorKind::Transport
            | ErrorKind::Service => match error.core_error() {
                Some(core) => core.clone(),
                None => Core::transport(error),
            },
            ErrorKind::Redirect => {
                let status = error.status();
                let mut core = Core::invalid_response(error.to_string());
                if let Some(status) = status {
                    core = core.with_status(status);
                }
                core.with_source(error)
            }
            ErrorKind::Credentials => {
                let provider = error.credentials_provider().unwrap_or_default().to_owned();
                Core::credentials(provider, error.chain()).with_source(error)
            }
            ErrorKind::Auth => {
                Core::credentials("bearer token", error.to_string()).with_source(error)
            }
            ErrorKind::BodyNotReplayable
            | ErrorKind::BodyTooLarge
            | ErrorKind::RequestBody
            | ErrorKind::Signing => {
                Core::invalid_argument("request", error.chain()).with_source(error)
            }
            ErrorKind::ResponseTooLarge => {
                Core::invalid_response(error.to_string()).with_source(error)
            }
            ErrorKind::InvalidConfig => Core::config(error.chain()).with_source(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("backend broke")]
    struct Backend;

    #[test]
    fn from_boxed_unwraps_own_errors_and_types_foreign_ones_once() {
        let own = Error::from_boxed(Box::new(Error::new(Kind::Connect)));
        assert_eq!(own.kind(), ErrorKind::Connect);
        assert!(own.source().is_none());

        let foreign = Error::from_boxed(Box::new(Backend));
        assert_eq!(foreign.kind(), ErrorKind::Service);
        assert_eq!(foreign.source().unwrap().to_string(), "backend broke");

        let reset = Error::from_boxed(Box::new(io::Error::from(io::ErrorKind::ConnectionReset)));
        assert_eq!(reset.kind(), ErrorKind::ConnectionLost);
        let refused =
            Error::from_boxed(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)));
        assert_eq!(refused.kind(), ErrorKind::Connect);
        let timed_out = Error::from_boxed(Box::new(io::Error::from(io::ErrorKind::TimedOut)));
        assert_eq!(timed_out.kind(), ErrorKind::Timeout);
        assert_eq!(timed_out.to_string(), "the HTTP exchange timed out");
        let other = Error::from_boxed(Box::new(io::Error::other("weird")));
        assert_eq!(other.kind(), ErrorKind::Service);
    }

    #[test]
    fn core_errors_from_custom_layers_are_kept() {
        let core = strata_core::Error::invalid_argument("x", "no");
        let error = Error::from_boxed(Box::new(core.clone()));
        assert_eq!(error.kind(), ErrorKind::Service);
        assert_eq!(error.core_error(), Some(&core));
        assert_eq!(error.to_string(), core.to_string());
        assert_eq!(strata_core::Error::from(error), core);
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
    fn budget_exhaustion_keeps_the_kind_of_the_failure() {
        let mut error = Error::new(Kind::Timeout(Some(Duration::from_secs(2))));
        error.mark_budget_exhausted();
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert!(error.is_budget_exhausted());
        assert_eq!(
            error.to_string(),
            "no response headers within 2s (not retried: retry budget exhausted)"
        );
    }

    /// Every kind, as the stack produces it, maps to one provider-independent kind.
    #[test]
    fn each_kind_becomes_one_core_kind() {
        let core = |error: Error| strata_core::Error::from(error);
        let timeout = core(Error::new(Kind::Timeout(Some(Duration::from_secs(1)))));
        assert!(timeout.is_timeout());
        assert_eq!(
            timeout.to_string(),
            "timed out: no response headers within 1s"
        );
        assert!(core(Error::new(Kind::IdleTimeout(Duration::from_secs(1)))).is_timeout());
        for kind in [Kind::Connect, Kind::ConnectionLost, Kind::Transport] {
            let error = core(Error::new(kind));
            assert!(error.is_transport() && error.is_retryable(), "{error:?}");
        }
        let redirect = core(Error::new(Kind::Redirect {
            status: StatusCode::FOUND,
            location: None,
        }));
        assert!(redirect.is_invalid_response());
        assert_eq!(redirect.status(), Some(StatusCode::FOUND));
        let credentials = core(Error::credentials("environment", Backend));
        assert!(credentials.is_credentials());
        assert_eq!(credentials.provider(), Some("environment"));
        assert!(
            credentials.to_string().contains("backend broke"),
            "{credentials}"
        );
        let bearer = core(Error::new(Kind::Auth("the bearer token is empty")));
        assert_eq!(bearer.provider(), Some("bearer token"));
        for kind in [
            Kind::BodyNotReplayable("streaming"),
            Kind::BodyTooLarge { limit: 1 },
            Kind::RequestBody,
            Kind::Signing,
        ] {
            let error = core(Error::new(kind));
            assert_eq!(error.argument(), Some("request"), "{error:?}");
        }
        let too_large = core(Error::response_too_large(64));
        assert!(too_large.is_invalid_response());
        assert_eq!(
            too_large.to_string(),
            "could not decode the response: the response body is larger than 64 bytes"
        );
        assert!(core(Error::new(Kind::InvalidConfig("zero timeout"))).is_config());
        let foreign = core(Error::from_boxed(Box::new(Backend)));
        assert!(foreign.is_transport());
        assert_eq!(
            foreign.report().to_string(),
            "transport failure: inner service failed: backend broke"
        );
    }

    #[test]
    fn error_is_send_sync_and_boxable() {
        fn assert_bounds<T: StdError + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
        let boxed: BoxError = Error::new(Kind::Connect).into();
        assert!(Error::from_boxed(boxed).is_connect());
    }
}
