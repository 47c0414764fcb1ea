//! SigV4 signing as a tower layer.
//!
//! [`SigV4Signer`] signs every request at the last moment, on every attempt, with the current
//! time (corrected by any clock skew the service reported) and the [`Credentials`](crate::credentials::Credentials) found in the
//! request extensions, where a [`CredentialsLayer`](crate::credentials::CredentialsLayer) put
//! them. Before signing it removes `authorization`, `x-amz-date`, `x-amz-security-token` and
//! `x-amz-content-sha256` left from an earlier attempt; a request whose *caller* set
//! `Authorization` is refused. It fails with [`strata_http::Error`]: a request without
//! credentials as [`ErrorKind::Credentials`](strata_http::ErrorKind::Credentials) (provider
//! `sigv4`), any other refusal as [`ErrorKind::Signing`](strata_http::ErrorKind::Signing), with
//! the [`SigningError`] as its source. The `authorization` and `x-amz-security-token` headers
//! it sets are marked sensitive, so no log or layer prints them.
//!
//! Paths are signed as AWS expects for every service but S3: the wire path (with model ids and
//! ARNs built by [`encode_path_segment`], so `:` is `%3A`) is percent-encoded once more in the
//! canonical request.
//!
//! When a response reports a skewed clock or an expired signature (`x-amzn-ErrorType` one of
//! `RequestTimeTooSkewed`, `RequestExpired`, `RequestInTheFuture`, `InvalidSignatureException`,
//! `SignatureDoesNotMatch`, `AuthFailure`) and its `Date` is more than a minute away from our
//! corrected clock, the layer adopts the service's time for later signatures and marks the
//! response with the [`CLOCK_SKEW_CORRECTED`] header, which
//! [`AwsClassifier`](crate::error::AwsClassifier) treats as retryable.
//!
//! # Order
//! Put the credentials layer outside (before) this one, and retries outside both, so every
//! attempt is signed afresh.
//!
//! ```
//! use aws_credential_types::Credentials;
//! use http::{Request, Response};
//! use strata_aws::sign::{SigV4Layer, encode_path_segment};
//! use strata_http::body::ReplayableBody;
//! use tower::{Layer, ServiceExt, service_fn};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let layer = SigV4Layer::builder()
//!     .signing_name("bedrock")
//!     .region("us-east-1")
//!     .build()
//!     .unwrap();
//! # let client = service_fn(|req: Request<ReplayableBody>| async move {
//! #     let auth = req.headers()["authorization"].to_str().unwrap().to_owned();
//! #     assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
//! #     Ok::<_, std::convert::Infallible>(Response::new(()))
//! # });
//! let signer = layer.layer(client);
//!
//! let path = format!("/model/{}/converse", encode_path_segment("anthropic.claude-v2:1"));
//! let mut request = Request::post(format!("https://bedrock-runtime.us-east-1.amazonaws.com{path}"))
//!     .body(ReplayableBody::from("{\"messages\":[]}"))
//!     .unwrap();
//! // Normally the credentials layer does this.
//! request.extensions_mut().insert(Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"));
//! let response = signer.oneshot(request).await.unwrap();
//! # let _ = response;
//! # }
//! ```

mod clock;
mod config;
mod error;
pub mod future;
mod layer;
mod path;
mod signer;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use strata_http::BoxError;
use strata_http::body::ReplayableBody;
use tower_service::Service;

pub use clock::{Clock, SystemClock};
pub use config::{ConfigError, PayloadMode, SigV4LayerBuilder};
pub use error::SigningError;
pub use layer::SigV4Layer;
pub use path::encode_path_segment;
pub use signer::CLOCK_SKEW_CORRECTED;

use self::future::ResponseFuture;
use self::signer::Shared;

/// Signs each request with SigV4 before handing it to the inner service. Made by
/// [`SigV4Layer`].
#[derive(Debug, Clone)]
pub struct SigV4Signer<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> SigV4Signer<S> {
    pub(crate) fn from_shared(inner: S, shared: Arc<Shared>) -> Self {
        Self { inner, shared }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The inner service, consuming the signer.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, B> Service<Request<ReplayableBody>> for SigV4Signer<S>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<B>;
    type Error = strata_http::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner
            .poll_ready(cx)
            .map_err(|e| strata_http::Error::from_boxed(e.into()))
    }

    fn call(&mut self, mut request: Request<ReplayableBody>) -> Self::Future {
        match self.shared.sign(&mut request) {
            Ok(()) => ResponseFuture::called(self.inner.call(request), self.shared.clone()),
            Err(error) => ResponseFuture::failed(error),
        }
    }
}
