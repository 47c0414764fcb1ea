//! # strata-http
//!
//! Generic `tower` middleware over `http` 1.x for strata's request path: replayable bodies,
//! retry with backoff and a shared budget, redirect refusal, bearer auth, timeouts, user agent
//! and tracing, and the HTTP client. Nothing here knows about AWS. Every piece is a `Layer` +
//! `Service` pair usable on its own in any `ServiceBuilder`; all fail with the one
//! [`Error`] type.
//!
//! # Order
//!
//! With `ServiceBuilder`, the first layer added is the outermost. The stack strata builds,
//! outermost first:
//!
//! 1. [`trace::TraceLayer`] — one span per call, covering every attempt;
//! 2. [`user_agent::UserAgentLayer`];
//! 3. [`body::ReplayBodyLayer`] — any request body becomes a
//!    [`ReplayableBody`](body::ReplayableBody), or is refused before anything is sent;
//! 4. [`retry::RetryLayer`] — everything below runs again on every attempt;
//! 5. credentials: [`bearer::BearerAuthLayer`] (or SigV4 signing from strata-aws);
//! 6. [`redirect::RefuseRedirectsLayer`];
//! 7. [`timeout::TimeoutLayer`] (per attempt) and [`timeout::IdleTimeoutLayer`] (response
//!    body);
//! 8. [`client::Client`].
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
