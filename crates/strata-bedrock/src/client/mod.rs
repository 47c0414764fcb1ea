//! [`BedrockClient`]: the transport every Bedrock model uses.
//!
//! It holds the resolved endpoints, the default headers and the assembled stack
//! ([`HttpService`]), and sends requests through it. Failures come
//! back as [`strata_core::Error`]s: AWS error responses (after the stack's retries) as API errors with
//! status, code, message, request id, retryable flag and a bounded body excerpt; timeouts,
//! transport, credential and signing failures as their own kinds.
//!
//! - [`post_json`](BedrockClient::post_json): a JSON POST whose whole (checked, 2xx) response
//!   body is read into [`Bytes`];
//! - [`post_stream`](BedrockClient::post_stream): a POST whose checked (2xx) response body is
//!   handed back unread, for event streams; dropping it closes the connection;
//! - [`send`](BedrockClient::send): any request, unchecked.
//!
//! ```
//! use http::HeaderMap;
//! use strata_bedrock::Bedrock;
//! use strata_bedrock::client::{BedrockClient, Target};
//! use strata_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::builder().start().await?;
//! let bedrock = Bedrock::builder()
//!     .env_vars([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
//!     .region(emulator.region())
//!     .endpoint_url(emulator.url())
//!     .build()?;
//! let client: &BedrockClient = bedrock.client();
//! let path = BedrockClient::model_path("amazon.titan-embed-text-v2:0", "invoke");
//! let response = client
//!     .post_json(Target::Runtime, &path, r#"{"inputText":"hello"}"#, HeaderMap::new())
//!     .await?;
//! let body: serde_json::Value = serde_json::from_slice(response.body())?;
//! assert_eq!(body["embedding"].as_array().map(Vec::len), Some(1024));
//! assert!(BedrockClient::response_metadata(response.headers()).request_id.is_some());
//! # Ok(())
//! # }
//! ```

mod error;

use std::fmt;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use http_body_util::BodyExt as _;
use strata_aws::endpoint::Endpoint;
use strata_aws::region::Region;
use strata_aws::sign::encode_path_segment;
use strata_core::{Error, ResponseMetadata};
use strata_http::body::ReplayableBody;
use strata_http::user_agent::UserAgentLayer;
use tower::ServiceExt as _;

use crate::config::{Auth, BuildError, Config};
use crate::stack::{self, AssembleError, AuthLayers, HttpService, ResponseBody, StackSettings};

pub(crate) use error::{api_error, stack_error};

/// The most bytes of a successful response body [`BedrockClient::post_json`] reads.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;
/// The most bytes of an error response body read to build the error.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// The header carrying AWS request ids.
const REQUEST_ID: &str = "x-amzn-requestid";

/// Which Bedrock endpoint a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// Bedrock Runtime: Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream.
    Runtime,
    /// Bedrock Agent Runtime: Rerank.
    AgentRuntime,
}

/// The Bedrock transport: resolved endpoints plus the assembled stack. Cheap to clone.
#[derive(Clone)]
pub struct BedrockClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: HttpService,
    region: Region,
    runtime: Endpoint,
    agent_runtime: Endpoint,
    headers: HeaderMap,
}

impl fmt::Debug for BedrockClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockClient")
            .field("region", &self.inner.region.as_str())
            .field("runtime", &self.inner.runtime.url())
            .field("agent_runtime", &self.inner.agent_runtime.url())
            .field(
                "default_headers",
                &self.inner.headers.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl BedrockClient {
    pub(crate) fn from_config(config: Config) -> Result<Self, BuildError> {
        let auth = match config.auth {
            Auth::SigV4 { cache, .. } => AuthLayers::SigV4 {
                credentials: cache,
                region: config.region.clone(),
            },
            Auth::Bearer(provider) => AuthLayers::Bearer(provider),
        };
        let user_agent = UserAgentLayer::new()
            .with_suffix(concat!("strata-bedrock/", env!("CARGO_PKG_VERSION")))
            .map_err(|e| BuildError::setting("the user-agent", e))?;
        let user_agent = match &config.user_agent_suffix {
            Some(suffix) => user_agent
                .with_suffix(suffix)
                .map_err(|e| BuildError::setting("the user-agent suffix", e))?,
            None => user_agent,
        };
        let service = stack::assemble(StackSettings {
            auth,
            retry: config.retry,
            timeout: config.timeout,
            idle_timeout: config.idle_timeout,
            connect_timeout: config.connect_timeout,
            user_agent,
            client: config.http_client,
            layers: config.layers,
        })
        .map_err(|e| match e {
            AssembleError::Client(e) => BuildError::setting("the HTTP client", e),
            AssembleError::Signer(e) => BuildError::setting("the SigV4 signer", e),
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                region: config.region,
                runtime: config.runtime,
                agent_runtime: config.agent_runtime,
                headers: config.headers,
            }),
        })
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        self.inner.region.as_str()
    }

    /// The Bedrock Runtime endpoint, without a trailing `/`.
    pub fn runtime_url(&self) -> &str {
        self.inner.runtime.url()
    }

    /// The Bedrock Agent Runtime endpoint, without a trailing `/`.
    pub fn agent_runtime_url(&self) -> &str {
        self.inner.agent_runtime.url()
    }

    /// The endpoint URL of `target`.
    pub fn url(&self, target: Target) -> &str {
        match target {
            Target::Runtime => self.runtime_url(),
            Target::AgentRuntime => self.agent_runtime_url(),
        }
    }

    /// `/model/{model_id}/{operation}` with the model id (foundation id, inference-profile id
    /// or ARN) percent-encoded as one path segment.
    ///
    /// ```
    /// use strata_bedrock::client::BedrockClient;
    ///
    /// assert_eq!(
    ///     BedrockClient::model_path("us.amazon.nova-lite-v1:0", "converse"),
    ///     "/model/us.amazon.nova-lite-v1%3A0/converse"
    /// );
    /// ```
    pub fn model_path(model_id: &str, operation: &str) -> String {
        format!("/model/{}/{operation}", encode_path_segment(model_id))
    }

    /// Response metadata from response headers: all headers and `x-amzn-RequestId`.
    pub fn response_metadata(headers: &HeaderMap) -> ResponseMetadata {
        let mut metadata = ResponseMetadata::default().with_headers(headers.clone());
        if let Some(id) = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()) {
            metadata = metadata.with_request_id(id);
        }
        metadata
    }

    /// A POST request to `path` on `target` with a JSON body, the default headers and
    /// `headers` (which win over the defaults).
    ///
    /// # Errors
    /// `path` does not make a valid URI with the endpoint.
    pub fn json_request(
        &self,
        target: Target,
        path: &str,
        body: impl Into<Bytes>,
        headers: HeaderMap,
    ) -> Result<Request<ReplayableBody>, Error> {
        let uri = format!("{}{path}", self.url(target));
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .body(ReplayableBody::new(body))
            .map_err(|e| Error::invalid_argument("path", e.to_string()))?;
        let all = request.headers_mut();
        all.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (name, value) in &self.inner.headers {
            all.insert(name, value.clone());
        }
        // The caller's headers replace defaults of the same name; repeated values are kept.
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

    /// Sends any request through the stack and returns the response unchecked (any status).
    ///
    /// # Errors
    /// The stack failed without a response (timeout, transport, credentials, signing, refused
    /// redirect).
    pub async fn send(
        &self,
        request: Request<ReplayableBody>,
    ) -> Result<Response<ResponseBody>, Error> {
        self.inner
            .service
            .clone()
            .oneshot(request)
            .await
            .map_err(stack_error)
    }

    /// Sends `request` and checks the status: a non-2xx answer is read (up to 64 KiB) into an
    /// API error; a 2xx response is returned with its body unread.
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
        let body = strata_http::body::read_prefix(body, MAX_ERROR_BYTES).await;
        Err(api_error(parts.status, &parts.headers, &body))
    }

    /// POSTs a JSON body to `path` on `target` and reads the whole checked response.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked), plus a failure while reading the body, or a
    /// body larger than [`MAX_RESPONSE_BYTES`].
    pub async fn post_json(
        &self,
        target: Target,
        path: &str,
        body: impl Into<Bytes>,
        headers: HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        let mut request = self.json_request(target, path, body, headers)?;
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let response = self.send_checked(request).await?;
        read_all(response).await
    }

    /// POSTs a JSON body to `path` on `target` and returns the checked response with its body
    /// unread (e.g. an event stream). The stack's idle timeout applies between chunks;
    /// dropping the body closes the connection.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked).
    pub async fn post_stream(
        &self,
        target: Target,
        path: &str,
        body: impl Into<Bytes>,
        headers: HeaderMap,
    ) -> Result<Response<ResponseBody>, Error> {
        let request = self.json_request(target, path, body, headers)?;
        self.send_checked(request).await
    }
}

/// Reads a whole response body, bounded by [`MAX_RESPONSE_BYTES`].
async fn read_all(response: Response<ResponseBody>) -> Result<Response<Bytes>, Error> {
    let (parts, mut body) = response.into_parts();
    let request_id = parts
        .headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let with_id = |error: Error| match &request_id {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_headers_replace_defaults_and_keep_repeated_values() {
        let bedrock = crate::Bedrock::builder()
            .env_vars([("AWS_REGION", "us-east-1")])
            .api_key("k")
            .default_header("x-team", "default")
            .default_header("x-other", "kept")
            .build()
            .unwrap();
        let mut headers = HeaderMap::new();
        headers.append("x-team", HeaderValue::from_static("a"));
        headers.append("x-team", HeaderValue::from_static("b"));
        let request = bedrock
            .client()
            .json_request(Target::AgentRuntime, "/rerank", "{}", headers)
            .unwrap();
        assert_eq!(
            request.uri(),
            "https://bedrock-agent-runtime.us-east-1.amazonaws.com/rerank"
        );
        let teams: Vec<_> = request.headers().get_all("x-team").iter().collect();
        assert_eq!(teams, ["a", "b"]);
        assert_eq!(request.headers()["x-other"], "kept");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.body().bytes(), "{}");
    }
}
