//! The future of the [`Retry`](super::Retry) service.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_service::Service;

use super::policy::Policy;
use crate::body::ReplayableBody;
use crate::error::{BoxError, Error};
use crate::util::ErrInto;

type Inner<S> = tower::retry::future::ResponseFuture<Policy, ErrInto<S>, Request<ReplayableBody>>;

pin_project! {
    /// Response future of [`Retry`](super::Retry): one attempt after another until a response
    /// or error that is not retried.
    pub struct ResponseFuture<S, B>
    where
        S: Service<Request<ReplayableBody>, Response = Response<B>>,
        S::Error: Into<BoxError>,
    {
        #[pin]
        inner: Inner<S>,
    }
}

impl<S, B> ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>>,
    S::Error: Into<BoxError>,
{
    pub(super) fn new(inner: Inner<S>) -> Self {
        Self { inner }
    }
}

impl<S, B> Future for ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>> + Clone,
    S::Error: Into<BoxError>,
{
    type Output = Result<Response<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx)
    }
}

impl<S, B> std::fmt::Debug for ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>>,
    S::Error: Into<BoxError>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
