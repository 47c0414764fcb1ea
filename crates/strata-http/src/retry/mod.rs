//! Retry with full-jitter exponential backoff, server hints and a shared budget.
//!
//! [`Retry`] re-sends a `Request<ReplayableBody>` (a cheap clone per attempt) when a
//! [`Classifier`] says the response or error is worth it:
//!
//! - it waits a random delay in `[0, min(max_delay, base_delay · 2ⁿ)]` before retry `n`
//!   (full jitter), unless the response carries `retry-after-ms`, `x-amz-retry-after` or
//!   `Retry-After` (seconds or an HTTP date), which is honoured up to
//!   [`RetryConfig::max_retry_after`];
//! - every retry draws on a [`RetryBudget`] shared by all clones, so a failing upstream is not
//!   stormed; when it runs dry the failure is returned as is (an error is wrapped in one for
//!   which [`Error::is_budget_exhausted`](crate::Error::is_budget_exhausted) holds);
//! - it retries only until response headers arrive: a response body that fails later is the
//!   caller's to handle and is never replayed;
//! - it puts the number of attempts in the response extensions as [`Attempts`] and emits a
//!   `tracing` event (`"retrying request"`, with `reason` and `delay_ms`) per retry.
//!
//! # Order
//!
//! Put `Retry` outside the layers that must run again on every attempt (credentials, signing,
//! bearer auth) and inside tracing; see the [crate docs](crate) for the whole stack.
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::time::Duration;
//!
//! use http::{Request, Response, StatusCode};
//! use strata_http::body::ReplayableBody;
//! use strata_http::retry::{Attempts, RetryConfig, RetryLayer};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let calls = Arc::new(AtomicU32::new(0));
//! # let counter = calls.clone();
//! # let backend = tower::service_fn(move |_req: Request<ReplayableBody>| {
//! #     let status = if counter.fetch_add(1, Ordering::SeqCst) == 0 { 503 } else { 200 };
//! #     async move { Ok::<_, std::convert::Infallible>(Response::builder().status(status).body(()).unwrap()) }
//! # });
//! let config = RetryConfig::default().with_base_delay(Duration::from_millis(5));
//! let service = ServiceBuilder::new().layer(RetryLayer::new(config)).service(backend);
//!
//! let response = service.oneshot(Request::new(ReplayableBody::from("{}"))).await.unwrap();
//! assert_eq!(response.status(), StatusCode::OK);
//! assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
//! assert_eq!(calls.load(Ordering::SeqCst), 2);
//! # }
//! ```

mod backoff;
mod budget;
mod classify;
pub mod future;
mod layer;
mod policy;

use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tower_service::Service;

pub use budget::RetryBudget;
pub use classify::{Classifier, HttpClassifier, RetryClass};
pub use layer::RetryLayer;

use self::future::ResponseFuture;
use self::policy::Policy;
use crate::body::ReplayableBody;
use crate::error::{BoxError, Error};
use crate::util::ErrInto;

/// How many attempts a request took, found in the response extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attempts(pub u32);

/// Attempts and delays of a [`RetryLayer`].
///
/// The defaults are the AWS SDK standard mode's: 3 attempts, 1 s base delay, 20 s cap; a
/// server's retry hint is honoured up to 20 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// The most attempts per request, the first included; 0 and 1 both mean no retries.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles for every later retry.
    pub base_delay: Duration,
    /// The backoff ceiling never exceeds this.
    pub max_delay: Duration,
    /// A server's `Retry-After`-style hint is followed up to this long.
    pub max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// Sets [`max_attempts`](Self::max_attempts).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets [`base_delay`](Self::base_delay).
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets [`max_delay`](Self::max_delay).
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }
}

/// Retries requests whose response or error its [`Classifier`] deems retryable; see the
/// [module docs](self).
#[derive(Clone, Debug)]
pub struct Retry<S> {
    inner: tower::retry::Retry<Policy, ErrInto<S>>,
    budget: RetryBudget,
}

impl<S> Retry<S> {
    /// Wraps `inner` with the defaults of [`RetryLayer::default`].
    pub fn new(inner: S) -> Self {
        tower_layer::Layer::layer(&RetryLayer::default(), inner)
    }

    pub(crate) fn from_policy(policy: Policy, inner: S) -> Self {
        Self {
            budget: policy.shared().budget.clone(),
            inner: tower::retry::Retry::new(policy, ErrInto::new(inner)),
        }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        self.inner.get_ref().get_ref()
    }

    /// The budget retries draw on.
    pub fn budget(&self) -> &RetryBudget {
        &self.budget
    }
}

impl<S, B> Service<Request<ReplayableBody>> for Retry<S>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>> + Clone,
    S::Error: Into<BoxError>,
{
    type Response = Response<B>;
    type Error = Error;
    type Future = ResponseFuture<S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReplayableBody>) -> Self::Future {
        ResponseFuture::new(self.inner.call(request))
    }
}

#[cfg(test)]
mod tests;
