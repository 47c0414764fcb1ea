//! # strata-http
//!
//! The provider [`runtime`] — the one stack every provider stands on, with insertion points for
//! your layers around the call, around each attempt and above the transport — and the generic
//! `tower` middleware over `http` 1.x it is made of: replayable bodies, retry with backoff and
//! a shared budget, redirect refusal, bearer auth, timeouts, user agent and tracing, and the
//! HTTP client. Nothing here knows about AWS. Every piece is a `Layer` + `Service` pair usable
//! on its own in any `ServiceBuilder`; all fail with the one typed [`Error`] ([`ErrorKind`]).
//!
//! # Order
//!
//! With `ServiceBuilder`, the first layer added is the outermost. The stack the [`runtime`]
//! builds, outermost first (requests are already [`ReplayableBody`](body::ReplayableBody)s, so
//! no [`body::ReplayBodyLayer`] is needed; put one in front of a stack that takes other
//! bodies):
//!
//! 1. your call layers ([`RuntimeBuilder::layer`](runtime::RuntimeBuilder::layer));
//! 2. [`trace::TraceLayer`] — one span per call, covering every attempt — and
//!    [`user_agent::UserAgentLayer`];
//! 3. [`retry::RetryLayer`] — everything below runs again on every attempt;
//! 4. your attempt layers ([`RuntimeBuilder::attempt_layer`](runtime::RuntimeBuilder::attempt_layer));
//! 5. credentials: [`bearer::BearerAuthLayer`] (or credentials and SigV4 signing from strata-aws);
//! 6. [`redirect::RefuseRedirectsLayer`];
//! 7. [`timeout::IdleTimeoutLayer`] (response body) and [`timeout::TimeoutLayer`] (per attempt);
//! 8. your transport layers ([`RuntimeBuilder::transport_layer`](runtime::RuntimeBuilder::transport_layer));
//! 9. [`client::Client`], or your own.
//!
//! ```
//! use std::time::Duration;
//!
//! use http::{Request, Response};
//! use strata_http::bearer::BearerAuthLayer;
//! use strata_http::body::{ReplayBodyLayer, ReplayableBody};
//! use strata_http::redirect::RefuseRedirectsLayer;
//! use strata_http::retry::{Attempts, RetryConfig, RetryLayer};
//! use strata_http::timeout::TimeoutLayer;
//! use strata_http::trace::TraceLayer;
//! use strata_http::user_agent::UserAgentLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), strata_http::Error> {
//! # let client = tower::service_fn(|req: Request<ReplayableBody>| async move {
//! #     assert_eq!(req.headers()["authorization"], "Bearer sk-test");
//! #     Ok::<_, std::convert::Infallible>(Response::new(req.into_body()))
//! # });
//! let service = ServiceBuilder::new()
//!     .layer(TraceLayer::new())
//!     .layer(UserAgentLayer::new())
//!     .layer(ReplayBodyLayer::strict())
//!     .layer(RetryLayer::new(RetryConfig::default()))
//!     .layer(BearerAuthLayer::from_static("sk-test")?)
//!     .layer(RefuseRedirectsLayer::new())
//!     .layer(TimeoutLayer::new(Duration::from_secs(30)))
//!     .service(client); // strata_http::client::Client::builder().build()? in real use
//! let response = service.oneshot(Request::new(String::from("{}"))).await?;
//! assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
//! # Ok(()) }
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod bearer;
pub mod body;
pub mod client;
pub mod env;
pub mod error;
pub mod redirect;
pub mod retry;
pub mod runtime;
pub mod service;
pub mod sse;
pub mod timeout;
pub mod trace;
pub mod user_agent;
mod util;

#[cfg(test)]
mod test_util;
#[cfg(test)]
mod test_util_tracing;

pub use error::{BoxError, Error, ErrorKind};

#[doc(hidden)]
pub mod __private {
    //! What [`runtime_settings!`](crate::runtime_settings) expands to.
    pub use tower_layer::Layer;
}
