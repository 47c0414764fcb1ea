//! The provider runtime: the one stack every provider stands on, and the calls through it.
//!
//! A provider is conversion code plus a choice of endpoint and auth; it does not assemble a
//! stack. It embeds a [`RuntimeBuilder`] (forwarding its setters under the same names with
//! [`runtime_settings!`](crate::runtime_settings)), picks an [`Auth`] step and a
//! [`Protocol`], and calls [`RuntimeBuilder::build`]. Its models then send through the
//! [`Runtime`]: [`request`](Runtime::request) merges the default headers,
//! [`send_checked`](Runtime::send_checked) turns a non-success status into the provider's API
//! error, [`read_all`](Runtime::read_all) reads a body within the size limit; every failure is
//! a [`strata_core::Error`].
//!
//! # Order
//!
//! Outermost first. The first layer added at an insertion point is the outermost there, as
//! with tower's `ServiceBuilder`.
//!
//! ```text
//! layers              RuntimeBuilder::layer: once per call (rate limits, caching)
//!   trace, user agent one span per call; strata/<version> plus the provider's token
//!     retry           the classifier, RetryConfig and budget (retry_classifier, retry, retry_budget)
//!       attempt layers  RuntimeBuilder::attempt_layer: every attempt, before it is signed
//!         auth          credentials → SigV4 signing, or a bearer token ([`Auth`])
//!           redirect refusal, idle timeout, per-attempt timeout
//!             transport layers  RuntimeBuilder::transport_layer: the signed request
//!               transport       the built-in client, or RuntimeBuilder::http_client
//! ```
//!
//! Every seam is an [`HttpService`], failing with the typed [`Error`](crate::Error).
//!
//! ```
//! use std::sync::{Arc, Mutex};
//!
//! use http::{HeaderMap, HeaderName, Method, Request, Response, StatusCode};
//! use strata_http::body::ReplayableBody;
//! use strata_http::retry::RetryConfig;
//! use strata_http::runtime::{Auth, Protocol, Runtime};
//!
//! # fn api_error(status: StatusCode, _: &HeaderMap, _: &[u8]) -> strata_core::Error {
//! #     strata_core::Error::api(strata_core::error::ApiError::from_status(status, "failed"))
//! # }
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let attempts = Arc::new(Mutex::new(Vec::new()));
//! let seen = attempts.clone();
//! # let server = tower::service_fn(|request: Request<ReplayableBody>| async move {
//! #     let status = if request.headers().contains_key("x-retry") { 200 } else { 503 };
//! #     Ok::<_, std::convert::Infallible>(Response::builder().status(status).header("x-request-id", "r-1")
//! #         .body(http_body_util::Full::new(bytes::Bytes::from_static(b"{}"))).unwrap())
//! # });
//! let runtime = Runtime::builder()
//!     .retry(RetryConfig::default().with_base_delay(std::time::Duration::from_millis(1)))
//!     .default_header("x-team", "search")
//!     .attempt_layer(tower::layer::layer_fn(move |inner| {
//!         let seen = seen.clone();
//!         tower::ServiceBuilder::new()
//!             .map_request(move |mut request: Request<ReplayableBody>| {
//!                 let mut seen = seen.lock().unwrap();
//!                 seen.push(request.uri().path().to_owned());
//!                 if seen.len() > 1 {
//!                     request.headers_mut().insert("x-retry", "1".parse().unwrap());
//!                 }
//!                 request
//!             })
//!             .service(inner)
//!     }))
//!     .http_client(server) // a fake server here; the built-in client by default
//!     .build(
//!         &Auth::none(),
//!         Protocol::new("my-provider/1.0", HeaderName::from_static("x-request-id"), api_error),
//!         &["https://api.example"],
//!     )?;
//! let request = runtime.request(Method::POST, "https://api.example/v1/echo", "{}", HeaderMap::new())?;
//! let response = runtime.read_all(runtime.send_checked(request).await?).await?;
//! assert_eq!(&response.body()[..], b"{}");
//! assert_eq!(strata_http::runtime::request_id(response.extensions()), Some("r-1"));
//! assert_eq!(*attempts.lock().unwrap(), ["/v1/echo", "/v1/echo"]);
//! # Ok(()) }
//! ```

mod build_error;
mod builder;
mod protocol;
mod settings;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{Extensions, HeaderMap, HeaderValue, Method, Request, Response};
use http_body_util::BodyExt as _;
use strata_core::{Error, ResponseMetadata};
use tower::ServiceExt as _;

pub use build_error::BuildError;
pub use builder::{
    Auth, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, RuntimeBuilder,
};
pub use protocol::{ApiErrorFn, Protocol, RequestId};

use crate::body::{ReplayableBody, read_prefix};
use crate::error::BoxError;
use crate::service::{HttpService, ResponseBody};

/// The most bytes of an error response body read to build the error.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The built stack plus what reading its responses needs: default headers, the response size
/// limit and the provider's [`Protocol`]. Cheap to clone; clones share the connection pool,
/// the credentials cache and the retry budget.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    service: HttpService,
    protocol: Protocol,
    headers: HeaderMap,
    max_response_bytes: usize,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("protocol", &self.inner.protocol)
            .field(
                "default_headers",
                &self.inner.headers.keys().collect::<Vec<_>>(),
            )
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A builder with every setting at its default.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// A runtime over a stack you built (with [`RuntimeBuilder::build_service`] or by hand):
    /// no default headers, the default response size limit.
    pub fn from_service(service: HttpService, protocol: Protocol) -> Self {
        Self::assembled(
            service,
            protocol,
            HeaderMap::new(),
            DEFAULT_MAX_RESPONSE_BYTES,
        )
    }

    pub(crate) fn assembled(
        service: HttpService,
        protocol: Protocol,
        headers: HeaderMap,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                service,
                protocol,
                headers,
                max_response_bytes,
            }),
        }
    }

    /// The stack.
    pub fn service(&self) -> &HttpService {
        &self.inner.service
    }

    /// The provider's protocol.
    pub fn protocol(&self) -> &Protocol {
        &self.inner.protocol
    }

    /// A request to `url` with the default headers, then `headers` (a call's own, which
    /// replace defaults of the same name; repeated values are kept).
    ///
    /// # Errors
    /// `url` is not a valid URI.
    pub fn request(
        &self,
        method: Method,
        url: &str,
        body: impl Into<ReplayableBody>,
        headers: HeaderMap,
    ) -> Result<Request<ReplayableBody>, Error> {
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .body(body.into())
            .map_err(|e| {
                Error::invalid_argument("path", format!("`{url}` is not a valid URL"))
                    .with_source(e)
            })?;
        let all = request.headers_mut();
        for (name, value) in &self.inner.headers {
            all.insert(name, value.clone());
        }
        let mut last = None;
        for (name, value) in headers {
            match name {
                Some(name) => {
                    all.insert(&name, value);
                    last = Some(name);
                }
                None => {
                    if let Some(name) = &last {
                        all.append(name, value);
                    }
                }
            }
        }
        Ok(request)
    }

    /// A JSON `POST` of `body` to `url` (accepting `accept`, if given), with the default and
    /// the call's headers (see [`request`](Self::request)), which may override both.
    ///
    /// # Errors
    /// As [`request`](Self::request).
    pub fn json_request(
        &self,
        url: &str,
        body: impl Into<ReplayableBody>,
        accept: Option<HeaderValue>,
        mut headers: HeaderMap,
    ) -> Result<Request<ReplayableBody>, Error> {
        let fixed = [(CONTENT_TYPE, Some(JSON)), (ACCEPT, accept)];
        for (name, value) in fixed.into_iter().filter_map(|(n, v)| Some((n, v?))) {
            if !self.inner.headers.contains_key(&name) {
                headers.entry(name).or_insert(value);
            }
        }
        self.request(Method::POST, url, body, headers)
    }

    /// Sends `request` through the stack and returns the response unchecked (any status),
    /// with its [`RequestId`] in the extensions.
    ///
    /// # Errors
    /// The stack failed without a response (timeout, transport, credentials, signing, a
    /// refused redirect), as the stack error's provider-independent kind.
    pub async fn send(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        let mut response = self.inner.service.clone().oneshot(request).await?;
        if let Some(id) = self.inner.protocol.request_id(response.headers()) {
            let id = RequestId(id.to_owned());
            response.extensions_mut().insert(id);
        }
        Ok(response)
    }

    /// Sends `request` and checks the status: a non-2xx answer is read (up to
    /// [`MAX_ERROR_BODY_BYTES`]) into the provider's API error; a 2xx response is returned
    /// with its body unread.
    ///
    /// # Errors
    /// As [`send`](Self::send), plus API errors.
    pub async fn send_checked(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        let response = self.send(request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let body = read_prefix(body, MAX_ERROR_BODY_BYTES).await;
        Err(self
            .inner
            .protocol
            .api_error(parts.status, &parts.headers, &body))
    }

    /// Reads a whole response body into memory, within the size limit.
    ///
    /// # Errors
    /// The body failed (its stack error, with the request id), or it is larger than the
    /// limit: an invalid-response error with the status, request id and an excerpt, never a
    /// truncated body.
    pub async fn read_all(
        &self,
        response: Response<ResponseBody>,
    ) -> Result<Response<Bytes>, Error> {
        let (parts, mut body) = response.into_parts();
        let with_id = |error: Error| match request_id(&parts.extensions) {
            Some(id) if error.request_id().is_none() => error.with_request_id(id),
            _ => error,
        };
        let limit = self.inner.max_response_bytes;
        let mut buffer = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| with_id(e.into()))?;
            if let Ok(data) = frame.into_data() {
                if buffer.len() + data.len() > limit {
                    let error = Error::from(crate::Error::response_too_large(limit))
                        .with_status(parts.status)
                        .with_excerpt(&buffer);
                    return Err(with_id(error));
                }
                buffer.extend_from_slice(&data);
            }
        }
        Ok(Response::from_parts(parts, buffer.freeze()))
    }

    /// [`json_request`](Self::json_request) accepting JSON, sent checked and read whole.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked) and [`read_all`](Self::read_all).
    pub async fn post_json(
        &self,
        url: &str,
        body: impl Into<ReplayableBody>,
        headers: HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        let request = self.json_request(url, body, Some(JSON), headers)?;
        self.read_all(self.send_checked(request).await?).await
    }

    /// [`json_request`](Self::json_request) (accepting `accept`, such as an event stream), sent
    /// checked; the body is returned unread. The idle timeout applies between its chunks;
    /// dropping it closes the connection.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked).
    pub async fn post_stream(
        &self,
        url: &str,
        body: impl Into<ReplayableBody>,
        accept: Option<HeaderValue>,
        headers: HeaderMap,
    ) -> Result<Response<ResponseBody>, Error> {
        let request = self.json_request(url, body, accept, headers)?;
        self.send_checked(request).await
    }

    /// A `GET` of `url` accepting JSON, sent checked and read whole.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked) and [`read_all`](Self::read_all).
    pub async fn get_json(
        &self,
        url: &str,
        mut headers: HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        headers.entry(ACCEPT).or_insert(JSON);
        let request = self.request(Method::GET, url, ReplayableBody::empty(), headers)?;
        self.read_all(self.send_checked(request).await?).await
    }
}

/// The [`RequestId`] that [`Runtime::send`] kept in a response's extensions.
pub fn request_id(extensions: &Extensions) -> Option<&str> {
    extensions.get::<RequestId>().map(RequestId::as_str)
}

/// Response metadata for a response the runtime sent: its headers (moved, not copied) and
/// its request id.
pub fn response_metadata(headers: HeaderMap, extensions: &Extensions) -> ResponseMetadata {
    let mut metadata = ResponseMetadata::default().with_headers(headers);
    metadata.request_id = request_id(extensions).map(str::to_owned);
    metadata
}

/// The provider-independent error for a failure of a response body as a decoder saw it (the
/// boxed body error a decoder wraps): the stack error it carries keeps its kind, so an idle
/// timeout stays a timeout.
pub fn body_error(error: BoxError) -> Error {
    crate::Error::from_boxed(error).into()
}
