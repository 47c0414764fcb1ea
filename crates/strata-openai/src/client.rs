//! [`OpenAiClient`]: the transport every model of an [`OpenAi`](crate::OpenAi) provider uses.
//!
//! It holds the validated [`OpenAiConfig`] and the assembled [stack](crate::stack), and sends
//! requests through it. Error responses (after the stack's retries) become API errors with
//! status, code, message, request id (`x-request-id`) and a bounded body excerpt; timeouts,
//! transport, token and redirect failures become their own kinds.
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
//! let response = openai.client().get_json("/models", &HeaderMap::new()).await?;
//! assert_eq!(&response.body()[..], br#"{"data":[]}"#);
//! # Ok(())
//! # }
//! ```

use std::error::Error as StdError;
use std::fmt;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use http_body_util::BodyExt as _;
use strata_core::Error;
use strata_http::BoxError;
use strata_http::body::ReplayableBody;
use tower::ServiceExt as _;

use crate::config::OpenAiConfig;
use crate::error::{api_error, request_id};
use crate::stack::{HttpService, ResponseBody};

/// The largest response body read into memory: 64 MiB.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Sends requests to an OpenAI-compatible server through the provider's stack. Cheap to clone.
#[derive(Clone)]
pub struct OpenAiClient {
    service: HttpService,
    config: OpenAiConfig,
}

impl fmt::Debug for OpenAiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiClient")
            .field("base_url", &self.config.base_url())
            .field(
                "default_headers",
                &self.config.headers().keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl OpenAiClient {
    pub(crate) fn new(service: HttpService, config: OpenAiConfig) -> Self {
        Self { service, config }
    }

    /// The configuration.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// A request to `path` with the default headers, then `headers` (which win).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
        headers: &HeaderMap,
    ) -> Result<Request<ReplayableBody>, Error> {
        let mut request = Request::builder()
            .method(method)
            .uri(self.config.url(path))
            .body(ReplayableBody::new(body))
            .map_err(|e| {
                Error::invalid_argument("path", format!("`{path}` does not make a valid URL"))
                    .with_source(e)
            })?;
        let all = request.headers_mut();
        all.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (name, value) in self.config.headers() {
            all.insert(name, value.clone());
        }
        for name in headers.keys() {
            all.remove(name);
        }
        for (name, value) in headers {
            all.append(name, value.clone());
        }
        Ok(request)
    }

    /// Sends a request and returns any response, unchecked.
    pub async fn send(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        self.service
            .clone()
            .oneshot(request)
            .await
            .map_err(stack_error)
    }

    /// Sends a request; a non-2xx response becomes an API error, a 2xx one is returned with its
    /// body unread.
    pub async fn send_checked(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        let response = self.send(request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let body = strata_http::body::read_prefix(body, MAX_ERROR_BYTES).await;
        Err(api_error(parts.status, &parts.headers, &body))
    }

    /// POSTs a JSON body and reads the whole checked response.
    pub async fn post_json(
        &self,
        path: &str,
        body: Bytes,
        headers: &HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        let mut request = self.request(Method::POST, path, body, headers)?;
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        read_all(self.send_checked(request).await?).await
    }

    /// GETs `path` and reads the whole checked response.
    pub async fn get_json(
        &self,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        let mut request = self.request(Method::GET, path, Bytes::new(), headers)?;
        request.headers_mut().remove(CONTENT_TYPE);
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        read_all(self.send_checked(request).await?).await
    }

    /// POSTs a JSON body asking for server-sent events; returns the checked response with its
    /// body unread. Dropping the body closes the connection.
    pub async fn post_stream(
        &self,
        path: &str,
        body: Bytes,
        headers: &HeaderMap,
    ) -> Result<Response<ResponseBody>, Error> {
        let mut request = self.request(Method::POST, path, body, headers)?;
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        self.send_checked(request).await
    }
}

/// Converts what the stack fails with into a [`strata_core::Error`].
pub fn stack_error(error: BoxError) -> Error {
    let mut next: Option<&(dyn StdError + 'static)> = Some(&*error);
    while let Some(link) = next {
        if let Some(core) = link.downcast_ref::<Error>() {
            return core.clone();
        }
        #[cfg(feature = "mantle")]
        if let Some(credentials) = link.downcast_ref::<strata_aws::credentials::CredentialsError>()
        {
            let message = match credentials.source() {
                Some(source) => format!("{credentials}: {source}"),
                None => credentials.to_string(),
            };
            return Error::credentials(credentials.provider().to_owned(), message)
                .with_source(error);
        }
        #[cfg(feature = "mantle")]
        if let Some(signing) = link.downcast_ref::<strata_aws::sign::SigningError>() {
            let message = signing.to_string();
            return if signing.is_missing_credentials() {
                Error::credentials("sigv4", message).with_source(error)
            } else {
                Error::invalid_argument("request", message).with_source(error)
            };
        }
        if let Some(http) = link.downcast_ref::<strata_http::Error>() {
            let message = http.to_string();
            if http.is_timeout() || http.is_idle_timeout() {
                return Error::timeout(message).with_source(error);
            }
            if http.is_connect() || http.is_transport() {
                return Error::transport(error);
            }
            if let Some(status) = http.status().filter(|_| http.is_redirect()) {
                return Error::invalid_response(message)
                    .with_status(status)
                    .with_source(error);
            }
            if http.is_auth() {
                return Error::credentials("bearer token", message).with_source(error);
            }
            if http.is_body_not_replayable() || http.is_body_too_large() || http.is_request_body() {
                return Error::invalid_argument("request", message).with_source(error);
            }
            if http.is_invalid_config() {
                return Error::config(message).with_source(error);
            }
        }
        next = link.source();
    }
    Error::transport(error)
}

async fn read_all(response: Response<ResponseBody>) -> Result<Response<Bytes>, Error> {
    let (parts, mut body) = response.into_parts();
    let id = request_id(&parts.headers);
    let with_id = |error: Error| match &id {
        Some(id) => error.with_request_id(id.clone()),
        None => error,
    };
    let mut buffer = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| with_id(stack_error(e)))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > MAX_RESPONSE_BYTES {
                return Err(with_id(
                    Error::invalid_response(format!(
                        "the response body is larger than {MAX_RESPONSE_BYTES} bytes"
                    ))
                    .with_status(parts.status)
                    .with_excerpt(&buffer),
                ));
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(Response::from_parts(parts, buffer.freeze()))
}
