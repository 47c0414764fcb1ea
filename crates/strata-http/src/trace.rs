//! One `tracing` span per call, and sensitive headers hidden.
//!
//! [`Trace`] opens an `http.request` span (target `strata_http::trace`) for every call with
//! `method`, `host` and `path`, and records `status`, `attempts` (from
//! [`Attempts`], when a retry layer runs inside) and `latency_ms` when
//! the response headers arrive, or `error` when the call fails. Before calling on, it marks
//! the request's (and the response's) [`SENSITIVE_HEADERS`] sensitive so no layer or log prints them. The query
//! string is never recorded.
//!
//! # Order
//!
//! Put it outermost, so the span covers every attempt; see the [crate docs](crate).
//!
//! ```
//! use http::{Request, Response};
//! use strata_http::trace::TraceLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|req: Request<()>| async move {
//! #     Ok::<_, std::convert::Infallible>(Response::new(req.headers()["x-api-key"].is_sensitive()))
//! # });
//! let service = ServiceBuilder::new().layer(TraceLayer::new()).service(backend);
//! let request = Request::get("https://api.example/v1/models?key=x")
//!     .header("x-api-key", "secret")
//!     .body(())
//!     .unwrap();
//! let response = service.oneshot(request).await.unwrap();
//! assert!(response.into_body(), "the key is marked sensitive");
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use http::{HeaderMap, HeaderName, Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;
use tracing::Span;

use crate::error::{BoxError, Error};
use crate::retry::Attempts;
use crate::util::into_error;

/// Headers that carry credentials; their values are marked sensitive.
pub const SENSITIVE_HEADERS: [HeaderName; 8] = [
    http::header::AUTHORIZATION,
    http::header::PROXY_AUTHORIZATION,
    http::header::COOKIE,
    http::header::SET_COOKIE,
    HeaderName::from_static("x-amz-security-token"),
    HeaderName::from_static("x-api-key"),
    HeaderName::from_static("api-key"),
    HeaderName::from_static("x-auth-token"),
];

/// Marks every value of the [`SENSITIVE_HEADERS`] in `headers` sensitive.
pub fn mark_sensitive(headers: &mut HeaderMap) {
    for name in &SENSITIVE_HEADERS {
        if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

/// A [`Layer`] producing [`Trace`] services.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceLayer;

impl TraceLayer {
    /// The layer.
    pub fn new() -> Self {
        Self
    }
}

impl<S> Layer<S> for TraceLayer {
    type Service = Trace<S>;

    fn layer(&self, inner: S) -> Trace<S> {
        Trace { inner }
    }
}

/// Wraps every call in a span; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct Trace<S> {
    inner: S,
}

impl<S> Trace<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Trace<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<ResBody>;
    type Error = Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        mark_sensitive(request.headers_mut());
        let uri = request.uri();
        let span = tracing::debug_span!(
            target: "strata_http::trace",
            "http.request",
            method = %request.method(),
            host = uri.host().unwrap_or(""),
            path = uri.path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let inner = span.in_scope(|| self.inner.call(request));
        ResponseFuture {
            inner,
            span,
            started: Instant::now(),
        }
    }
}

pin_project! {
    /// Response future of [`Trace`]: polls the inner future inside the span.
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        span: Span,
        started: Instant,
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let mut result = ready!(this.inner.poll(cx)).map_err(into_error);
        let latency = u64::try_from(this.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        this.span.record("latency_ms", latency);
        match &mut result {
            Ok(response) => {
                mark_sensitive(response.headers_mut());
                this.span.record("status", response.status().as_u16());
                if let Some(Attempts(attempts)) = response.extensions().get::<Attempts>() {
                    this.span.record("attempts", attempts);
                }
            }
            Err(error) => {
                this.span.record("error", tracing::field::display(error));
            }
        }
        Poll::Ready(result)
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use tower::ServiceExt;

    use super::*;
    use crate::test_util_tracing::Recorder;

    #[tokio::test]
    async fn one_span_per_call_with_request_and_response_fields() {
        let recorder = Recorder::default();
        let _guard = tracing::subscriber::set_default(recorder.clone());
        let backend = tower::service_fn(|req: Request<()>| async move {
            assert!(req.headers()["authorization"].is_sensitive());
            assert!(req.headers()["x-amz-security-token"].is_sensitive());
            assert!(!req.headers()["content-type"].is_sensitive());
            let mut response = Response::builder().status(429).body(()).unwrap();
            response.extensions_mut().insert(Attempts(3));
            Ok::<_, Infallible>(response)
        });
        let request = Request::post("https://bedrock.example:443/model/m/invoke?secret=1")
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKID")
            .header("x-amz-security-token", "session")
            .header("content-type", "application/json")
            .body(())
            .unwrap();
        TraceLayer::new()
            .layer(backend)
            .oneshot(request)
            .await
            .unwrap();
        let spans = recorder.spans.lock().unwrap();
        assert_eq!(spans.len(), 1);
        let span = &spans[0];
        assert_eq!(span.name, "http.request");
        assert_eq!(span.field("method"), Some("POST"));
        assert_eq!(span.field("host"), Some("bedrock.example"));
        assert_eq!(span.field("path"), Some("/model/m/invoke"));
        assert_eq!(span.field("status"), Some("429"));
        assert_eq!(span.field("attempts"), Some("3"));
        assert!(span.field("latency_ms").is_some());
        let printed = format!("{spans:?}");
        assert!(
            !printed.contains("AKID")
                && !printed.contains("session")
                && !printed.contains("secret=1")
        );
    }

    #[tokio::test]
    async fn errors_are_recorded_on_the_span() {
        let recorder = Recorder::default();
        let _guard = tracing::subscriber::set_default(recorder.clone());
        let backend = tower::service_fn(|_req: Request<()>| async {
            Err::<Response<()>, _>(std::io::Error::other("refused"))
        });
        let error = TraceLayer::new()
            .layer(backend)
            .oneshot(Request::new(()))
            .await
            .unwrap_err();
        assert!(error.is_service());
        let spans = recorder.spans.lock().unwrap();
        assert_eq!(spans[0].field("error"), Some("inner service failed"));
    }
}
