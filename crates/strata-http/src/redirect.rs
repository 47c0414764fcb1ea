//! Redirect refusal: a 3xx response becomes an error and is never followed.
//!
//! A signed or authorized request must not be re-sent to another place: following a redirect
//! could hand an `Authorization` header or a signature to whoever the `Location` names.
//! [`RefuseRedirects`] turns every redirect response (3xx except `304 Not Modified`) into an
//! error for which [`Error::is_redirect`] holds, carrying the status and the `Location`; the
//! response body is dropped unread.
//!
//! # Order
//!
//! Place it inside [`Retry`](crate::retry::Retry) (a redirect is not retried) and outside the
//! client; see the [crate docs](crate).
//!
//! ```
//! use http::{Request, Response, StatusCode};
//! use strata_http::redirect::RefuseRedirectsLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|_req: Request<()>| async {
//! #     Ok::<_, std::convert::Infallible>(Response::builder()
//! #         .status(307).header("location", "https://attacker.example/").body(()).unwrap())
//! # });
//! let service = ServiceBuilder::new().layer(RefuseRedirectsLayer::new()).service(backend);
//! let error = service.oneshot(Request::new(())).await.unwrap_err();
//! assert!(error.is_redirect());
//! assert_eq!(error.status(), Some(StatusCode::TEMPORARY_REDIRECT));
//! assert_eq!(error.location().unwrap(), "https://attacker.example/");
//! # }
//! ```

use std::task::{Context, Poll};

use http::{Request, Response, StatusCode, header};
use tower_layer::Layer;
use tower_service::Service;

use crate::error::{BoxError, Error, Kind};
use crate::util::into_error;

/// A [`Layer`] producing [`RefuseRedirects`] services.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefuseRedirectsLayer;

impl RefuseRedirectsLayer {
    /// The layer.
    pub fn new() -> Self {
        Self
    }
}

impl<S> Layer<S> for RefuseRedirectsLayer {
    type Service = RefuseRedirects<S>;

    fn layer(&self, inner: S) -> RefuseRedirects<S> {
        RefuseRedirects::new(inner)
    }
}

/// Turns redirect responses into errors; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct RefuseRedirects<S> {
    inner: S,
}

impl<S> RefuseRedirects<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RefuseRedirects<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<ResBody>;
    type Error = Error;
    type Future = future::ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        future::ResponseFuture::new(self.inner.call(request))
    }
}

/// Whether `status` is a redirect that would have to be followed.
fn is_redirect(status: StatusCode) -> bool {
    status.is_redirection() && status != StatusCode::NOT_MODIFIED
}

fn refuse<B>(response: Response<B>) -> Result<Response<B>, Error> {
    if !is_redirect(response.status()) {
        return Ok(response);
    }
    let location = response.headers().get(header::LOCATION).cloned();
    Err(Error::new(Kind::Redirect {
        status: response.status(),
        location,
    }))
}

pub mod future {
    //! The future of [`RefuseRedirects`](super::RefuseRedirects).

    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use http::Response;
    use pin_project_lite::pin_project;

    use crate::error::{BoxError, Error};
    use crate::util::into_error;

    pin_project! {
        /// Response future of [`RefuseRedirects`](super::RefuseRedirects).
        #[derive(Debug)]
        pub struct ResponseFuture<F> {
            #[pin]
            inner: F,
        }
    }

    impl<F> ResponseFuture<F> {
        pub(super) fn new(inner: F) -> Self {
            Self { inner }
        }
    }

    impl<F, B, E> Future for ResponseFuture<F>
    where
        F: Future<Output = Result<Response<B>, E>>,
        E: Into<BoxError>,
    {
        type Output = Result<Response<B>, Error>;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let response = ready!(self.project().inner.poll(cx)).map_err(into_error)?;
            Poll::Ready(super::refuse(response))
        }
    }
}

#[cfg(test)]
mod tests {
    use tower::ServiceExt;

    use super::*;

    async fn respond(status: u16, location: Option<&'static str>) -> Result<Response<()>, Error> {
        let backend = tower::service_fn(move |_req: Request<()>| async move {
            let mut builder = Response::builder().status(status);
            if let Some(location) = location {
                builder = builder.header(header::LOCATION, location);
            }
            Ok::<_, std::convert::Infallible>(builder.body(()).unwrap())
        });
        RefuseRedirects::new(backend)
            .oneshot(Request::new(()))
            .await
    }

    #[tokio::test]
    async fn every_redirect_status_is_refused() {
        for code in [300, 301, 302, 303, 305, 307, 308] {
            let error = respond(code, Some("/elsewhere")).await.unwrap_err();
            assert!(error.is_redirect(), "{code}");
            assert_eq!(error.status().unwrap().as_u16(), code);
            assert_eq!(error.location().unwrap(), "/elsewhere");
        }
    }

    #[tokio::test]
    async fn redirect_without_location_is_still_refused() {
        let error = respond(302, None).await.unwrap_err();
        assert_eq!(error.location(), None);
        assert_eq!(
            error.to_string(),
            "refused to follow a redirect (302 Found) without a location"
        );
    }

    #[tokio::test]
    async fn other_statuses_pass_through() {
        for code in [200, 204, 304, 404, 500] {
            assert_eq!(respond(code, None).await.unwrap().status().as_u16(), code);
        }
    }
}
