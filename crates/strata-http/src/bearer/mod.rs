//! Bearer authentication: `Authorization: Bearer …` from a token provider, on every attempt.
//!
//! [`BearerAuth`] asks its [`TokenProvider`] for a token before every call and sets the
//! `Authorization` header, marked sensitive so no log prints it. A request that already
//! carries `Authorization` is refused with an error for which
//! [`Error::is_auth`](crate::Error::is_auth) holds: credentials are never silently replaced.
//! Tokens come from a [`StaticToken`] (an API key) or from an async function via [`token_fn`]
//! (a refreshable token).
//!
//! # Order
//!
//! Put it inside [`Retry`](crate::retry::Retry), so every attempt asks for a fresh token; see
//! the [crate docs](crate).
//!
//! ```
//! use http::{Request, header};
//! use strata_http::bearer::{BearerAuthLayer, Token, token_fn};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|req: Request<()>| async move {
//! #     Ok::<_, std::convert::Infallible>(req.headers()[header::AUTHORIZATION].clone())
//! # });
//! let provider = token_fn(|| async { Token::new("fresh-token") });
//! let service = ServiceBuilder::new().layer(BearerAuthLayer::new(provider)).service(backend);
//! let sent = service.oneshot(Request::new(())).await.unwrap();
//! assert_eq!(sent, "Bearer fresh-token");
//! assert!(sent.is_sensitive());
//! # }
//! ```

pub mod future;
mod token;

use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, header};
use tower_layer::Layer;
use tower_service::Service;

pub use token::{StaticToken, Token, TokenFn, TokenFuture, TokenProvider, token_fn};

use self::future::ResponseFuture;
use crate::error::{BoxError, Error, Kind};
use crate::util::into_error;

/// A [`Layer`] producing [`BearerAuth`] services.
#[derive(Clone)]
pub struct BearerAuthLayer {
    provider: Arc<dyn TokenProvider>,
}

impl BearerAuthLayer {
    /// Asks `provider` for the token of every call.
    pub fn new(provider: impl TokenProvider) -> Self {
        Self {
            provider: Arc::new(provider),
        }
    }

    /// Sends the fixed token `secret`; fails (without echoing it) if it is not a valid token.
    pub fn from_static(secret: impl AsRef<str>) -> Result<Self, Error> {
        StaticToken::new(secret).map(Self::new)
    }
}

impl fmt::Debug for BearerAuthLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerAuthLayer").finish_non_exhaustive()
    }
}

impl<S> Layer<S> for BearerAuthLayer {
    type Service = BearerAuth<S>;

    fn layer(&self, inner: S) -> BearerAuth<S> {
        BearerAuth {
            inner,
            provider: self.provider.clone(),
        }
    }
}

/// Sets `Authorization: Bearer …` on every request; see the [module docs](self).
#[derive(Clone)]
pub struct BearerAuth<S> {
    inner: S,
    provider: Arc<dyn TokenProvider>,
}

impl<S> BearerAuth<S> {
    /// Wraps `inner`, asking `provider` for every call's token.
    pub fn new(inner: S, provider: impl TokenProvider) -> Self {
        BearerAuthLayer::new(provider).layer(inner)
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: fmt::Debug> fmt::Debug for BearerAuth<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerAuth")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, B> Service<Request<B>> for BearerAuth<S>
where
    S: Service<Request<B>> + Clone,
    S::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = Error;
    type Future = ResponseFuture<S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(into_error)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        if request.headers().contains_key(header::AUTHORIZATION) {
            return ResponseFuture::failed(Error::new(Kind::Auth(
                "the request already carries an Authorization header",
            )));
        }
        let mut token = self.provider.token();
        match token.take_ready() {
            Some(Ok(token)) => {
                authorize(&mut request, &token);
                ResponseFuture::called(self.inner.call(request))
            }
            Some(Err(error)) => ResponseFuture::failed(error),
            None => {
                let ready = self.inner.clone();
                let inner = std::mem::replace(&mut self.inner, ready);
                ResponseFuture::fetching(token, request, inner)
            }
        }
    }
}

fn authorize<B>(request: &mut Request<B>, token: &Token) {
    request
        .headers_mut()
        .insert(header::AUTHORIZATION, token.header_value().clone());
}

#[cfg(test)]
mod tests;
