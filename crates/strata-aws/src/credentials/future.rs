//! The response future of [`CredentialsService`](super::CredentialsService).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use aws_credential_types::Credentials;
use http::Request;
use pin_project_lite::pin_project;
use strata_http::body::ReplayableBody;
use tower_service::Service;

use strata_http::{BoxError, Error};

use super::error::CredentialsError;

type Resolve = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send>>;

pin_project! {
    /// Resolves credentials (only when the cache has none ready), then calls the inner service.
    pub struct ResponseFuture<S>
    where
        S: Service<Request<ReplayableBody>>,
    {
        #[pin]
        state: State<S>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S>
    where
        S: Service<Request<ReplayableBody>>,
    {
        Resolving { resolve: Resolve, inner: Option<S>, request: Option<Request<ReplayableBody>> },
        Calling { #[pin] future: S::Future },
    }
}

impl<S> ResponseFuture<S>
where
    S: Service<Request<ReplayableBody>>,
{
    pub(crate) fn calling(future: S::Future) -> Self {
        Self {
            state: State::Calling { future },
        }
    }

    pub(crate) fn resolving(resolve: Resolve, inner: S, request: Request<ReplayableBody>) -> Self {
        Self {
            state: State::Resolving {
                resolve,
                inner: Some(inner),
                request: Some(request),
            },
        }
    }
}

impl<S> std::fmt::Debug for ResponseFuture<S>
where
    S: Service<Request<ReplayableBody>>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<S> Future for ResponseFuture<S>
where
    S: Service<Request<ReplayableBody>>,
    S::Error: Into<BoxError>,
{
    type Output = Result<S::Response, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            let mut this = self.as_mut().project();
            match this.state.as_mut().project() {
                StateProj::Resolving {
                    resolve,
                    inner,
                    request,
                } => {
                    let credentials = ready!(resolve.as_mut().poll(cx)).map_err(Error::from)?;
                    let mut inner = inner.take().expect("polled after completion");
                    let mut request = request.take().expect("polled after completion");
                    request.extensions_mut().insert(credentials);
                    let future = inner.call(request);
                    this.state.set(State::Calling { future });
                }
                StateProj::Calling { future } => {
                    return future.poll(cx).map_err(|e| Error::from_boxed(e.into()));
                }
            }
        }
    }
}
