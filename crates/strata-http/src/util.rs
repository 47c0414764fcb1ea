//! Small crate-private service adapters.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;
use tower_service::Service;

use crate::error::{BoxError, Error};

/// Turns an inner service's error into [`Error`] (unwrapping one that already is).
#[derive(Debug, Clone)]
pub(crate) struct ErrInto<S> {
    inner: S,
}

impl<S> ErrInto<S> {
    pub(crate) fn new(inner: S) -> Self {
        Self { inner }
    }

    pub(crate) fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, R> Service<R> for ErrInto<S>
where
    S: Service<R>,
    S::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = Error;
    type Future = ErrIntoFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, request: R) -> Self::Future {
        ErrIntoFuture {
            inner: self.inner.call(request),
        }
    }
}

pin_project! {
    /// The future of [`ErrInto`].
    #[derive(Debug)]
    pub(crate) struct ErrIntoFuture<F> {
        #[pin]
        inner: F,
    }
}

impl<F, T, E> Future for ErrIntoFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: Into<BoxError>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx).map_err(into_error)
    }
}

/// Converts any error into [`Error`], unwrapping one that already is.
pub(crate) fn into_error(error: impl Into<BoxError>) -> Error {
    Error::from_boxed(error.into())
}
