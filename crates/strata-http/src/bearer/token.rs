//! Bearer tokens and where they come from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::HeaderValue;

use crate::error::{BoxError, Error, Kind};

/// A bearer token, held as a ready `Authorization: Bearer …` header value marked sensitive.
///
/// `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    header: HeaderValue,
}

impl Token {
    /// A token from its secret. Fails (without echoing the secret) if it is empty or holds
    /// characters that cannot appear in a header.
    pub fn new(secret: impl AsRef<str>) -> Result<Self, Error> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(Error::new(Kind::Auth("the bearer token is empty")));
        }
        let mut header = HeaderValue::try_from(format!("Bearer {secret}")).map_err(|_| {
            Error::new(Kind::Auth(
                "the bearer token holds characters not allowed in a header",
            ))
        })?;
        header.set_sensitive(true);
        Ok(Self { header })
    }

    /// The `Authorization` header value (`Bearer …`), marked sensitive.
    pub fn header_value(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(** redacted **)")
    }
}

/// The future of [`TokenProvider::token`]: ready at once for a static token, boxed for an
/// async provider.
pub struct TokenFuture {
    inner: Inner,
}

enum Inner {
    Ready(Option<Result<Token, Error>>),
    Boxed(Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + 'static>>),
}

impl TokenFuture {
    /// A future that is ready with `result`, without allocating.
    pub fn ready(result: Result<Token, Error>) -> Self {
        Self {
            inner: Inner::Ready(Some(result)),
        }
    }

    /// A future that runs `future`.
    pub fn new(future: impl Future<Output = Result<Token, Error>> + Send + 'static) -> Self {
        Self {
            inner: Inner::Boxed(Box::pin(future)),
        }
    }

    /// The result, if it was ready from the start.
    pub(crate) fn take_ready(&mut self) -> Option<Result<Token, Error>> {
        match &mut self.inner {
            Inner::Ready(result) => result.take(),
            Inner::Boxed(_) => None,
        }
    }
}

impl Future for TokenFuture {
    type Output = Result<Token, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().inner {
            Inner::Ready(result) => {
                Poll::Ready(result.take().expect("TokenFuture polled after completion"))
            }
            Inner::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for TokenFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.inner {
            Inner::Ready(_) => "ready",
            Inner::Boxed(_) => "pending",
        };
        f.debug_tuple("TokenFuture").field(&state).finish()
    }
}

/// Hands out the bearer token for each attempt. Object safe; called before every attempt, so
/// a provider that caches and refreshes its token keeps requests fresh.
pub trait TokenProvider: Send + Sync + 'static {
    /// The token to send now.
    fn token(&self) -> TokenFuture;
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture {
        (**self).token()
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Box<P> {
    fn token(&self) -> TokenFuture {
        (**self).token()
    }
}

/// A token that never changes, such as an API key.
#[derive(Clone, Debug)]
pub struct StaticToken {
    token: Token,
}

impl StaticToken {
    /// A provider of `secret`; fails as [`Token::new`] does.
    pub fn new(secret: impl AsRef<str>) -> Result<Self, Error> {
        Token::new(secret).map(|token| Self { token })
    }
}

impl From<Token> for StaticToken {
    fn from(token: Token) -> Self {
        Self { token }
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture {
        TokenFuture::ready(Ok(self.token.clone()))
    }
}

/// A [`TokenProvider`] from an async function; see [`token_fn`].
#[derive(Clone)]
pub struct TokenFn<F> {
    f: F,
}

/// A [`TokenProvider`] calling `f` for every attempt.
///
/// An error from `f` becomes an [`Error`] for which [`Error::is_auth`] holds, with the
/// original as its source (a strata-http [`Error`] is passed through).
pub fn token_fn<F, Fut, E>(f: F) -> TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, E>> + Send + 'static,
    E: Into<BoxError>,
{
    TokenFn { f }
}

impl<F, Fut, E> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture {
        let future = (self.f)();
        TokenFuture::new(async move {
            future
                .await
                .map_err(|error| match error.into().downcast::<Error>() {
                    Ok(error) => *error,
                    Err(other) => {
                        Error::with_source(Kind::Auth("the token provider failed"), other)
                    }
                })
        })
    }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenFn").finish_non_exhaustive()
    }
}
