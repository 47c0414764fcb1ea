//! The future of the [`BearerAuth`](super::BearerAuth) service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::Request;
use pin_project_lite::pin_project;
use tower_service::Service;

use super::TokenFuture;
use crate::error::{BoxError, Error};
use crate::util::into_error;

pin_project! {
    /// Response future of [`BearerAuth`](super::BearerAuth): waits for the token, then calls
    /// the inner service.
    pub struct ResponseFuture<S, B>
    where
        S: Service<Request<B>>,
    {
        #[pin]
        state: State<S, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S, B>
    where
        S: Service<Request<B>>,
    {
        Failed { error: Option<Error> },
        Fetching { token: TokenFuture, request: Option<Request<B>>, service: Option<S> },
        Called { #[pin] future: S::Future },
    }
}

impl<S, B> ResponseFuture<S, B>
where
    S: Service<Request<B>>,
{
    pub(super) fn failed(error: Error) -> Self {
        Self {
            state: State::Failed { error: Some(error) },
        }
    }

    pub(super) fn called(future: S::Future) -> Self {
        Self {
            state: State::Called { future },
        }
    }

    pub(super) fn fetching(token: TokenFuture, request: Request<B>, service: S) -> Self {
        Self {
            state: State::Fetching {
                token,
                request: Some(request),
                service: Some(service),
            },
        }
    }
}

impl<S, B> Future for ResponseFuture<S, B>
where
    S: Service<Request<B>>,
    S::Error: Into<BoxError>,
{
    type Output = Result<S::Response, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProj::Failed { error } => {
                    return Poll::Ready(Err(error
                        .take()
                        .expect("ResponseFuture polled after completion")));
                }
                StateProj::Fetching {
                    token,
                    request,
                    service,
                } => {
                    let token = match ready!(Pin::new(token).poll(cx)) {
                        Ok(token) => token,
                        Err(error) => {
                            this.state.set(State::Failed { error: Some(error) });
                            continue;
                        }
                    };
                    let (Some(mut request), Some(mut service)) = (request.take(), service.take())
                    else {
                        unreachable!("Fetching holds its request and service until it ends")
                    };
                    super::authorize(&mut request, &token);
                    let future = service.call(request);
                    this.state.set(State::Called { future });
                }
                StateProj::Called { future } => return future.poll(cx).map_err(into_error),
            }
        }
    }
}

impl<S, B> fmt::Debug for ResponseFuture<S, B>
where
    S: Service<Request<B>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
