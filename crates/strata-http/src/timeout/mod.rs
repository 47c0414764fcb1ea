//! Timeouts: per attempt until response headers, and between response body frames.
//!
//! [`Timeout`] fails an attempt that has no response headers after the configured time with
//! an error for which [`Error::is_timeout`](crate::Error::is_timeout) holds (retryable, at the
//! budget's timeout cost). It stops at the headers: a long streamed body is not cut short.
//! For bodies, [`IdleTimeout`] wraps the response body in an [`IdleTimeoutBody`], which fails
//! with [`Error::is_idle_timeout`](crate::Error::is_idle_timeout) when no frame arrives for the
//! configured time and drops the inner body (and with it the connection).
//!
//! # Order
//!
//! Put [`Timeout`] inside [`Retry`](crate::retry::Retry), so each attempt gets its own
//! deadline; see the [crate docs](crate).
//!
//! ```
//! use std::time::Duration;
//!
//! use http::{Request, Response};
//! use strata_http::timeout::{IdleTimeoutLayer, TimeoutLayer};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
//! # let slow = tower::service_fn(|_req: Request<()>| async {
//! #     tokio::time::sleep(Duration::from_secs(60)).await;
//! #     Ok::<_, std::convert::Infallible>(Response::new(String::new()))
//! # });
//! let service = ServiceBuilder::new()
//!     .layer(IdleTimeoutLayer::new(Duration::from_secs(30)))
//!     .layer(TimeoutLayer::new(Duration::from_secs(10)))
//!     .service(slow);
//! let error = service.oneshot(Request::new(())).await.unwrap_err();
//! assert!(error.is_timeout());
//! # }
//! ```

pub mod future;
mod idle;

use std::task::{Context, Poll};
use std::time::Duration;

use tower_layer::Layer;
use tower_service::Service;

pub use idle::{IdleTimeout, IdleTimeoutBody, IdleTimeoutLayer};

use crate::error::{BoxError, Error};
use crate::util::into_error;

/// A [`Layer`] producing [`Timeout`] services.
#[derive(Debug, Clone, Copy)]
pub struct TimeoutLayer {
    timeout: Duration,
}

impl TimeoutLayer {
    /// Fails an attempt without response headers after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        Self { timeout }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Timeout<S> {
        Timeout::new(inner, self.timeout)
    }
}

/// Fails a call that has not produced a response within the timeout; see the
/// [module docs](self).
#[derive(Debug, Clone)]
pub struct Timeout<S> {
    inner: S,
    timeout: Duration,
}

impl<S> Timeout<S> {
    /// Wraps `inner` with `timeout`.
    pub fn new(inner: S, timeout: Duration) -> Self {
        Self { inner, timeout }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, Request> Service<Request> for Timeout<S>
where
    S: Service<Request>,
    S::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = Error;
    type Future = future::ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        future::ResponseFuture::new(self.inner.call(request), self.timeout)
    }
}

#[cfg(test)]
mod tests;
