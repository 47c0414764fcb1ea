//! One boxed service type for a whole provider stack.
//!
//! Providers assemble their default stack from the layers in this crate and hand users a
//! seam at both ends: a user's own HTTP client goes in at the bottom, user layers wrap the
//! top. [`HttpService`] is the single type at both seams, and [`boxed`] turns any cloneable
//! `Service<Request<ReplayableBody>>` into it, boxing its response body as [`ResponseBody`].
//!
//! ```
//! use bytes::Bytes;
//! use http::{Request, Response};
//! use http_body_util::{BodyExt, Full};
//! use strata_http::body::ReplayableBody;
//! use strata_http::service::{boxed, HttpService};
//! use tower::ServiceExt;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let echo = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     let body = request.into_body().into_bytes();
//!     Ok::<_, std::convert::Infallible>(Response::new(Full::new(body)))
//! });
//! let service: HttpService = boxed(echo);
//! let response = service.oneshot(Request::new(ReplayableBody::from("ping"))).await.unwrap();
//! let body = response.into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, Bytes::from_static(b"ping"));
//! # }
//! ```

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use tower::ServiceBuilder;
use tower::util::BoxCloneSyncService;
use tower_service::Service;

use crate::body::ReplayableBody;
use crate::error::{BoxError, Error};
use crate::util::into_error;

/// A response body as a boxed stack hands it out: sendable, failing with a typed [`Error`].
pub type ResponseBody = UnsyncBoxBody<Bytes, Error>;

/// The service type at every seam of a provider stack: what a user's HTTP client is boxed
/// into, what user layers wrap, and what the models call. It fails with the typed [`Error`].
pub type HttpService = BoxCloneSyncService<Request<ReplayableBody>, Response<ResponseBody>, Error>;

/// Any cloneable HTTP service that can be boxed into an [`HttpService`] (see [`boxed`]): what the runtime's
/// builder takes as an HTTP client and what a user layer must produce.
pub trait IntoHttpService: Clone + Send + Sync + 'static {
    /// Boxes `self` (see [`boxed`]).
    fn into_http_service(self) -> HttpService;
}

impl<S, B, E> IntoHttpService for S
where
    S: Service<Request<ReplayableBody>, Response = Response<B>, Error = E>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
    E: Into<BoxError> + 'static,
{
    fn into_http_service(self) -> HttpService {
        BoxCloneSyncService::new(
            ServiceBuilder::new()
                .map_err(into_error)
                .map_response(|response: Response<B>| {
                    response.map(|body| body.map_err(into_error).boxed_unsync())
                })
                .service(self),
        )
    }
}

/// Boxes any cloneable HTTP service into an [`HttpService`], typing its errors (and its
/// response body's) once with [`Error::from_boxed`]: an [`Error`] passes through unchanged.
pub fn boxed(service: impl IntoHttpService) -> HttpService {
    service.into_http_service()
}
