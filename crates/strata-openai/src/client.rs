//! [`OpenAiClient`]: the transport every model of an [`OpenAi`](crate::OpenAi) provider uses.
//!
//! It holds the validated [`OpenAiConfig`] and the provider's
//! [`Runtime`] — the one stack every provider shares (see
//! [`strata_http::runtime`]) — and sends requests through it. Error responses (after the
//! stack's retries) become API errors with status, code, message, request id (`x-request-id`)
//! and a bounded body excerpt; timeouts, transport, token and redirect failures become their
//! own kinds.
//!
//! ```
//! use http::{HeaderMap, Request, Response};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert_eq!(request.uri(), "http://127.0.0.1:8000/v1/models");
//!     Ok::<_, std::convert::Infallible>(Response::new(http_body_util::Full::new(bytes::Bytes::from(r#"{"data":[]}"#))))
//! });
//! let openai = OpenAi::builder().base_url("http://127.0.0.1:8000/v1").http_client(client).build()?;
//! let response = openai.client().get_json("/models", HeaderMap::new()).await?;
//! assert_eq!(&response.body()[..], br#"{"data":[]}"#);
//! # Ok(())
//! # }
//! ```

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use strata_core::Error;
use strata_http::body::ReplayableBody;
use strata_http::runtime::{Protocol, Runtime};
use strata_http::service::ResponseBody;

use crate::config::OpenAiConfig;
use crate::error::{REQUEST_ID_HEADER, api_error};

const EVENT_STREAM: HeaderValue = HeaderValue::from_static("text/event-stream");

/// How OpenAI-compatible servers answer: `{"error": …}` bodies and `x-request-id`.
pub(crate) fn protocol() -> Protocol {
    Protocol::new(
        concat!("strata-openai/", env!("CARGO_PKG_VERSION")),
        REQUEST_ID_HEADER,
        api_error,
    )
}

/// Sends requests to an OpenAI-compatible server through the provider's runtime. Cheap to
/// clone.
#[derive(Clone)]
pub struct OpenAiClient {
    runtime: Runtime,
    config: OpenAiConfig,
}

impl fmt::Debug for OpenAiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiClient")
            .field("base_url", &self.config.base_url())
            .field("stack", &self.runtime)
            .finish()
    }
}

impl OpenAiClient {
    pub(crate) fn new(runtime: Runtime, config: OpenAiConfig) -> Self {
        Self { runtime, config }
    }

    /// The configuration.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// The runtime requests go through.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// A request to `path` with the default headers, then `headers` (which win).
    ///
    /// # Errors
    /// `path` does not make a valid URL with the base URL.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
        headers: HeaderMap,
    ) -> Result<Request<ReplayableBody>, Error> {
        self.runtime
            .request(method, &self.config.url(path), body, headers)
    }

    /// Sends a request and returns any response, unchecked.
    ///
    /// # Errors
    /// The stack failed without a response.
    pub async fn send(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        self.runtime.send(request).await
    }

    /// Sends a request; a non-2xx response becomes an API error, a 2xx one is returned with its
    /// body unread.
    ///
    /// # Errors
    /// As [`send`](Self::send), plus API errors.
    pub async fn send_checked(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        self.runtime.send_checked(request).await
    }

    /// POSTs a JSON body and reads the whole checked response.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked), plus body failures and oversized bodies.
    pub async fn post_json(
        &self,
        path: &str,
        body: Bytes,
        headers: HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        self.runtime
            .post_json(&self.config.url(path), body, headers)
            .await
    }

    /// GETs `path` and reads the whole checked response.
    ///
    /// # Errors
    /// As [`post_json`](Self::post_json).
    pub async fn get_json(&self, path: &str, headers: HeaderMap) -> Result<Response<Bytes>, Error> {
        self.runtime.get_json(&self.config.url(path), headers).await
    }

    /// POSTs a JSON body asking for server-sent events; returns the checked response with its
    /// body unread. Dropping the body closes the connection.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked).
    pub async fn post_stream(
        &self,
        path: &str,
        body: Bytes,
        headers: HeaderMap,
    ) -> Result<Response<ResponseBody>, Error> {
        self.runtime
            .post_stream(&self.config.url(path), body, Some(EVENT_STREAM), headers)
            .await
    }
}
