//! The response future of [`SigV4Signer`](super::SigV4Signer).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http::Response;
use pin_project_lite::pin_project;

use strata_http::{BoxError, Error};

use super::error::SigningError;
use super::signer::Shared;

pin_project! {
    /// Resolves to the inner service's response, after learning any clock skew it reports.
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F> {
        Called { #[pin] future: F, shared: Arc<Shared> },
        Failed { error: Option<SigningError> },
    }
}

impl<F> ResponseFuture<F> {
    pub(crate) fn called(future: F, shared: Arc<Shared>) -> Self {
        Self {
            state: State::Called { future, shared },
        }
    }

    pub(crate) fn failed(error: SigningError) -> Self {
        Self {
            state: State::Failed { error: Some(error) },
        }
    }
}

impl<F> std::fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Called { future, shared } => {
                let mut response =
                    ready!(future.poll(cx)).map_err(|e| Error::from_boxed(e.into()))?;
                shared.observe(&mut response);
                Poll::Ready(Ok(response))
            }
            StateProj::Failed { error } => Poll::Ready(Err(error
                .take()
                .expect("ResponseFuture polled after completion")
                .into())),
        }
    }
}
