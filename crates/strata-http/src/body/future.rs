//! The future of the [`ReplayBody`](super::ReplayBody) service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::Request;
use http::request::Parts;
use http_body::Body;
use pin_project_lite::pin_project;
use tower_service::Service;

use super::ReplayableBody;
use super::replay::Collector;
use crate::error::{BoxError, Error};

pin_project! {
    /// Response future of [`ReplayBody`](super::ReplayBody): reads the body if it must, then
    /// calls the inner service.
    pub struct ResponseFuture<S, B>
    where
        S: Service<Request<ReplayableBody>>,
    {
        #[pin]
        state: State<S, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S, B>
    where
        S: Service<Request<ReplayableBody>>,
    {
        Failed { error: Option<Error> },
        Collecting {
            #[pin]
            body: B,
            collector: Collector,
            parts: Option<Parts>,
            service: Option<S>,
        },
        Called { #[pin] future: S::Future },
    }
}

impl<S, B> ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>>,
{
    pub(super) fn called(future: S::Future) -> Self {
        Self {
            state: State::Called { future },
        }
    }

    pub(super) fn failed(error: Error) -> Self {
        Self {
            state: State::Failed { error: Some(error) },
        }
    }

    pub(super) fn collecting(body: B, collector: Collector, parts: Parts, service: S) -> Self {
        Self {
            state: State::Collecting {
                body,
                collector,
                parts: Some(parts),
                service: Some(service),
            },
        }
    }
}

impl<S, B> Future for ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
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
                StateProj::Collecting {
                    body,
                    collector,
                    parts,
                    service,
                } => {
                    let bytes = match ready!(collector.poll_collect(body, cx)) {
                        Ok(bytes) => bytes,
                        Err(error) => {
                            this.state.set(State::Failed { error: Some(error) });
                            continue;
                        }
                    };
                    let (Some(parts), Some(mut service)) = (parts.take(), service.take()) else {
                        unreachable!("Collecting holds its parts and service until it ends")
                    };
                    let future =
                        service.call(Request::from_parts(parts, ReplayableBody::new(bytes)));
                    this.state.set(State::Called { future });
                }
                StateProj::Called { future } => {
                    return future.poll(cx).map_err(|e| Error::from_boxed(e.into()));
                }
            }
        }
    }
}

impl<S, B> fmt::Debug for ResponseFuture<S, B>
where
    S: Service<Request<ReplayableBody>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
