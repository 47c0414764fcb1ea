//! Credentials: a tower layer that puts the current identity in each request's extensions,
//! a refresh-ahead single-flight cache, and the built-in providers.
//!
//! Any [`ProvideCredentials`] plugs in, the AWS SDK's included. Built in:
//! [`StaticCredentials`], [`EnvironmentCredentials`], [`ProfileCredentials`] (shared config and
//! credentials files, with `credential_process`), [`default_provider`] (environment, then
//! profile; [`default_cache`] puts it behind a cache), and with the `aws-config` feature,
//! `aws_config_default_chain`.
//!
//! # Order
//! Outside (before) the [`SigV4Layer`](crate::sign::SigV4Layer), inside the retry layer.
//!
//! ```
//! use aws_credential_types::Credentials;
//! use http::{Request, Response};
//! use strata_aws::credentials::{CredentialsCache, CredentialsLayer, StaticCredentials};
//! use strata_http::body::ReplayableBody;
//! use tower::{Layer, ServiceExt, service_fn};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let provider = StaticCredentials::builder()
//!     .access_key_id("AKIDEXAMPLE")
//!     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .build()
//!     .unwrap();
//! let layer = CredentialsLayer::new(CredentialsCache::new(provider));
//! # let signer = service_fn(|req: Request<ReplayableBody>| async move {
//! #     let credentials = req.extensions().get::<Credentials>().unwrap();
//! #     assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
//! #     Ok::<_, std::convert::Infallible>(Response::new(()))
//! # });
//! let service = layer.layer(signer);
//! let request = Request::post("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
//!     .body(ReplayableBody::empty())
//!     .unwrap();
//! service.oneshot(request).await.unwrap();
//! # }
//! ```

mod cache;
mod chain;
mod environment;
mod error;
pub mod future;
mod layer;
mod process;
mod profile;
mod static_keys;
#[cfg(test)]
mod tests;
#[cfg(feature = "aws-config")]
mod with_aws_config;

use std::task::{Context, Poll};

use http::Request;
use strata_http::body::ReplayableBody;
use tower_service::Service;

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use cache::{CredentialsCache, CredentialsCacheBuilder, EXPIRY_BUFFER};
pub use chain::{DefaultProvider, default_cache, default_provider};
pub use environment::EnvironmentCredentials;
pub use error::CredentialsError;
pub use layer::CredentialsLayer;
pub use process::CredentialProcess;
pub use profile::ProfileCredentials;
pub use static_keys::{StaticCredentials, StaticCredentialsBuilder, StaticKeysError};
#[cfg(feature = "aws-config")]
pub use with_aws_config::aws_config_default_chain;

use self::cache::CredentialsCache as Cache;
use self::future::ResponseFuture;

/// Puts the cache's current [`Credentials`] in each request's extensions, waiting for the
/// provider only when nothing valid is cached. Made by [`CredentialsLayer`].
///
/// When no credentials can be had it fails with [`strata_http::Error`] of kind
/// [`Credentials`](strata_http::ErrorKind::Credentials), naming the provider, with the
/// [`CredentialsError`] as its source; the request is not sent.
#[derive(Debug, Clone)]
pub struct CredentialsService<S> {
    inner: S,
    cache: Cache,
}

impl<S> CredentialsService<S> {
    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, consuming this one.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> Service<Request<ReplayableBody>> for CredentialsService<S>
where
    S: Service<Request<ReplayableBody>> + Clone,
    S::Error: Into<strata_http::BoxError>,
{
    type Response = S::Response;
    type Error = strata_http::Error;
    type Future = ResponseFuture<S>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner
            .poll_ready(cx)
            .map_err(|e| strata_http::Error::from_boxed(e.into()))
    }

    fn call(&mut self, mut request: Request<ReplayableBody>) -> Self::Future {
        if let Some(credentials) = self.cache.cached() {
            request.extensions_mut().insert(credentials);
            return ResponseFuture::calling(self.inner.call(request));
        }
        // Keep the service that was polled ready; leave a fresh clone in its place.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let cache = self.cache.clone();
        ResponseFuture::resolving(
            Box::pin(async move { cache.credentials().await }),
            inner,
            request,
        )
    }
}
