//! The `user-agent` header: `strata/<version>`, appended to the caller's value.
//!
//! [`UserAgent`] sets `user-agent: strata/<version>` (plus an optional suffix naming the
//! application or framework). A caller's own `user-agent` is kept, with strata's value
//! appended after a space.
//!
//! ```
//! use http::{Request, header};
//! use strata_http::user_agent::UserAgentLayer;
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|req: Request<()>| async move {
//! #     Ok::<_, std::convert::Infallible>(req.headers()[header::USER_AGENT].clone())
//! # });
//! let layer = UserAgentLayer::new().with_suffix("my-app/2.1").unwrap();
//! let service = ServiceBuilder::new().layer(layer).service(backend);
//! let request = Request::builder().header("user-agent", "curl/8").body(()).unwrap();
//! let sent = service.oneshot(request).await.unwrap();
//! assert_eq!(sent, concat!("curl/8 strata/", env!("CARGO_PKG_VERSION"), " my-app/2.1"));
//! # }
//! ```

use std::task::{Context, Poll};

use http::{HeaderValue, Request, header};
use tower_layer::Layer;
use tower_service::Service;

use crate::error::{Error, Kind};

/// strata's own product token, `strata/<version>`.
pub const STRATA_USER_AGENT: &str = concat!("strata/", env!("CARGO_PKG_VERSION"));

/// A [`Layer`] producing [`UserAgent`] services.
#[derive(Debug, Clone)]
pub struct UserAgentLayer {
    value: HeaderValue,
}

impl UserAgentLayer {
    /// Sends [`STRATA_USER_AGENT`].
    pub fn new() -> Self {
        Self {
            value: HeaderValue::from_static(STRATA_USER_AGENT),
        }
    }

    /// Appends `suffix` (such as `my-app/2.1`) after strata's token; fails if it cannot be
    /// part of a header value.
    pub fn with_suffix(self, suffix: &str) -> Result<Self, Error> {
        let mut bytes = self.value.as_bytes().to_vec();
        bytes.push(b' ');
        bytes.extend_from_slice(suffix.as_bytes());
        let value = HeaderValue::from_bytes(&bytes).map_err(|_| {
            Error::new(Kind::InvalidConfig(
                "the user-agent suffix holds characters not allowed in a header",
            ))
        })?;
        Ok(Self { value })
    }

    /// The value appended to every request's `user-agent`.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

impl Default for UserAgentLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for UserAgentLayer {
    type Service = UserAgent<S>;

    fn layer(&self, inner: S) -> UserAgent<S> {
        UserAgent {
            inner,
            value: self.value.clone(),
        }
    }
}

/// Sets or extends the `user-agent` header; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct UserAgent<S> {
    inner: S,
    value: HeaderValue,
}

impl<S> UserAgent<S> {
    /// Wraps `inner`, sending [`STRATA_USER_AGENT`].
    pub fn new(inner: S) -> Self {
        UserAgentLayer::new().layer(inner)
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, B> Service<Request<B>> for UserAgent<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        let headers = request.headers_mut();
        let value = match headers.get(header::USER_AGENT) {
            None => Some(self.value.clone()),
            Some(existing) => {
                let mut bytes = existing.as_bytes().to_vec();
                bytes.push(b' ');
                bytes.extend_from_slice(self.value.as_bytes());
                // Both parts are valid header bytes, so their join is too; if not, the
                // caller's value is kept as it is.
                HeaderValue::from_bytes(&bytes).ok()
            }
        };
        if let Some(value) = value {
            headers.insert(header::USER_AGENT, value);
        }
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use tower::ServiceExt;

    use super::*;

    async fn sent(layer: UserAgentLayer, request: Request<()>) -> HeaderValue {
        let echo = tower::service_fn(|req: Request<()>| async move {
            Ok::<_, Infallible>(req.headers()[header::USER_AGENT].clone())
        });
        layer.layer(echo).oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn sets_strata_token_when_absent() {
        let value = sent(UserAgentLayer::new(), Request::new(())).await;
        assert_eq!(value, STRATA_USER_AGENT);
        assert_eq!(STRATA_USER_AGENT, "strata/0.1.0");
    }

    #[tokio::test]
    async fn appends_to_the_callers_value() {
        let request = Request::builder()
            .header("user-agent", "app/1 (linux)")
            .body(())
            .unwrap();
        let value = sent(UserAgentLayer::new().with_suffix("fw/3").unwrap(), request).await;
        assert_eq!(value, "app/1 (linux) strata/0.1.0 fw/3");
    }

    #[test]
    fn invalid_suffix_is_an_error() {
        let error = UserAgentLayer::new()
            .with_suffix("bad\r\nheader")
            .unwrap_err();
        assert!(error.is_invalid_config());
    }
}
