//! The HTTP client: hyper-util's pooled client over rustls, as a `tower` service.
//!
//! [`Client`] is a `Service<http::Request<ReplayableBody>>` answering
//! `http::Response<hyper::body::Incoming>`. It speaks HTTP/1.1 and HTTP/2 (chosen by ALPN on
//! TLS; plain `http://` uses HTTP/1.1), pools connections, sets `TCP_NODELAY`, and verifies
//! servers with rustls and the `ring` provider (no OpenSSL). Roots come from the
//! `native-roots` feature (the operating system's store) when enabled, else from the
//! `webpki-roots` feature (Mozilla's roots compiled in, the default); with neither, every
//! `https://` server fails verification.
//!
//! Errors: a failed connection (DNS, TCP, TLS or the connect timeout) satisfies
//! [`Error::is_connect`](crate::Error::is_connect); any later failure of the exchange
//! satisfies [`Error::is_transport`](crate::Error::is_transport). Dropping the response future
//! or the body cancels the exchange and closes its connection.
//!
//! # Order
//!
//! The client is the innermost service of a stack; see the [crate docs](crate).
//!
//! ```
//! use std::time::Duration;
//!
//! use http::Request;
//! use strata_http::body::ReplayableBody;
//! use strata_http::client::Client;
//! use tower::ServiceExt;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let client = Client::builder()
//!     .connect_timeout(Duration::from_secs(5))
//!     .pool_idle_timeout(Duration::from_secs(60))
//!     .build()
//!     .unwrap();
//! // Nothing listens on port 9 (discard) of the loopback interface.
//! let request = Request::get("http://127.0.0.1:9/").body(ReplayableBody::empty()).unwrap();
//! let error = client.oneshot(request).await.unwrap_err();
//! assert!(error.is_connect());
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http::{Request, Response};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use pin_project_lite::pin_project;
use tower_service::Service;

use crate::body::ReplayableBody;
use crate::error::{Error, Kind};

type Connector = HttpsConnector<HttpConnector>;

/// The HTTP client service; cheap to clone (clones share the connection pool).
#[derive(Clone, Debug)]
pub struct Client {
    inner: hyper_util::client::legacy::Client<Connector, ReplayableBody>,
}

impl Client {
    /// A builder with the defaults: 10 s connect timeout, 90 s pool idle timeout, no limit on
    /// idle connections per host.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Configures and builds a [`Client`]; validated once, at [`build`](Self::build).
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    https_only: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            pool_max_idle_per_host: usize::MAX,
            https_only: false,
        }
    }
}

impl ClientBuilder {
    /// Gives up connecting (DNS and TCP) after `timeout`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Closes pooled connections idle for longer than `timeout`.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// Keeps at most `max` idle connections per host (0 disables pooling).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Refuses `http://` URLs (they fail as connect errors); off by default, since local
    /// servers and emulators speak plain HTTP.
    pub fn https_only(mut self, https_only: bool) -> Self {
        self.https_only = https_only;
        self
    }

    /// Builds the client; fails if the TLS configuration cannot be made (for example, no
    /// native root certificate could be loaded).
    pub fn build(self) -> Result<Client, Error> {
        if self.connect_timeout == Some(Duration::ZERO) {
            return Err(Error::new(Kind::InvalidConfig(
                "the connect timeout must be longer than zero",
            )));
        }
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(self.connect_timeout);
        let tls = tls_builder()?;
        let tls = if self.https_only {
            tls.https_only()
        } else {
            tls.https_or_http()
        };
        let connector = tls.enable_http1().enable_http2().wrap_connector(http);
        let mut builder = hyper_util::client::legacy::Client::builder(TokioExecutor::new());
        builder
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host);
        Ok(Client {
            inner: builder.build(connector),
        })
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn invalid_tls(source: impl Into<crate::BoxError>) -> Error {
    Error::with_source(
        Kind::InvalidConfig("cannot build the TLS configuration"),
        source,
    )
}

type TlsBuilder = hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>;

#[cfg(feature = "native-roots")]
fn tls_builder() -> Result<TlsBuilder, Error> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider())
        .map_err(invalid_tls)
}

#[cfg(all(feature = "webpki-roots", not(feature = "native-roots")))]
fn tls_builder() -> Result<TlsBuilder, Error> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(provider())
        .map_err(invalid_tls)
}

#[cfg(not(any(feature = "webpki-roots", feature = "native-roots")))]
fn tls_builder() -> Result<TlsBuilder, Error> {
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(invalid_tls)?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    Ok(hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config))
}

impl Service<Request<ReplayableBody>> for Client {
    type Response = Response<Incoming>;
    type Error = Error;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<ReplayableBody>) -> ResponseFuture {
        ResponseFuture {
            inner: self.inner.request(request),
        }
    }
}

pin_project! {
    /// Response future of [`Client`].
    #[derive(Debug)]
    pub struct ResponseFuture {
        #[pin]
        inner: hyper_util::client::legacy::ResponseFuture,
    }
}

impl Future for ResponseFuture {
    type Output = Result<Response<Incoming>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = ready!(self.project().inner.poll(cx));
        Poll::Ready(
            result.map_err(|error| Error::with_source(crate::error::foreign_kind(&error), error)),
        )
    }
}
