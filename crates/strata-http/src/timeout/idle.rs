//! The idle timeout for response bodies.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http::Response;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};
use tower_layer::Layer;
use tower_service::Service;

use crate::error::{BoxError, Error, Kind};
use crate::util::into_error;

/// A [`Layer`] producing [`IdleTimeout`] services.
#[derive(Debug, Clone, Copy)]
pub struct IdleTimeoutLayer {
    idle: Duration,
}

impl IdleTimeoutLayer {
    /// Fails a response body that sends no frame for `idle`.
    pub fn new(idle: Duration) -> Self {
        Self { idle }
    }
}

impl<S> Layer<S> for IdleTimeoutLayer {
    type Service = IdleTimeout<S>;

    fn layer(&self, inner: S) -> IdleTimeout<S> {
        IdleTimeout::new(inner, self.idle)
    }
}

/// Wraps every response body in an [`IdleTimeoutBody`].
#[derive(Debug, Clone)]
pub struct IdleTimeout<S> {
    inner: S,
    idle: Duration,
}

impl<S> IdleTimeout<S> {
    /// Wraps `inner`'s response bodies with an idle timeout of `idle`.
    pub fn new(inner: S, idle: Duration) -> Self {
        Self { inner, idle }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, Request, B> Service<Request> for IdleTimeout<S>
where
    S: Service<Request, Response = Response<B>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<IdleTimeoutBody<B>>;
    type Error = Error;
    type Future = IdleTimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        IdleTimeoutFuture {
            inner: self.inner.call(request),
            idle: self.idle,
        }
    }
}

pin_project! {
    /// Response future of [`IdleTimeout`].
    #[derive(Debug)]
    pub struct IdleTimeoutFuture<F> {
        #[pin]
        inner: F,
        idle: Duration,
    }
}

impl<F, B, E> Future for IdleTimeoutFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<IdleTimeoutBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = ready!(this.inner.poll(cx)).map_err(into_error)?;
        let idle = *this.idle;
        Poll::Ready(Ok(response.map(|body| IdleTimeoutBody::new(body, idle))))
    }
}

pin_project! {
    /// A response body that fails when no frame arrives for a while.
    ///
    /// The clock starts when the body is created and restarts at every frame. When it runs
    /// out, the body yields an error for which [`Error::is_idle_timeout`] holds, drops the
    /// inner body (closing its connection) and ends. Errors of the inner body are passed on
    /// as [`Error`]s.
    #[derive(Debug)]
    pub struct IdleTimeoutBody<B> {
        #[pin]
        inner: Option<B>,
        // Boxed so the body is `Unpin` whenever `B` is, like hyper's `Incoming`.
        sleep: Pin<Box<Sleep>>,
        idle: Duration,
    }
}

impl<B> IdleTimeoutBody<B> {
    /// Wraps `inner`, failing after `idle` without a frame.
    pub fn new(inner: B, idle: Duration) -> Self {
        Self {
            inner: Some(inner),
            sleep: Box::pin(tokio::time::sleep(idle)),
            idle,
        }
    }
}

impl<B> Body for IdleTimeoutBody<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    type Data = B::Data;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, Error>>> {
        let mut this = self.project();
        let Some(inner) = this.inner.as_mut().as_pin_mut() else {
            return Poll::Ready(None);
        };
        match inner.poll_frame(cx) {
            Poll::Ready(frame) => {
                this.sleep.as_mut().reset(Instant::now() + *this.idle);
                if frame.is_none() {
                    this.inner.set(None);
                }
                Poll::Ready(frame.map(|frame| frame.map_err(into_error)))
            }
            Poll::Pending => {
                ready!(this.sleep.as_mut().poll(cx));
                this.inner.set(None);
                Poll::Ready(Some(Err(Error::new(Kind::IdleTimeout(*this.idle)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}
