//! [`BedrockClient`]: the transport every Bedrock model uses.
//!
//! It holds the resolved [`BedrockEndpoints`] and the provider's
//! [`Runtime`] — the one stack every provider shares (see
//! [`strata_http::runtime`]) — and sends requests through it. Failures come back as
//! [`strata_core::Error`]s: AWS error responses (after the stack's retries) as API errors with
//! status, code, message, request id, retryable flag and a bounded body excerpt; timeouts,
//! transport, credential and signing failures as their own kinds.
//!
//! - [`post_json`](BedrockClient::post_json): a JSON POST whose whole (checked, 2xx) response
//!   body is read into [`Bytes`];
//! - [`post_stream`](BedrockClient::post_stream): a POST whose checked (2xx) response body is
//!   handed back unread, for event streams; dropping it closes the connection;
//! - [`send`](BedrockClient::send): any request, unchecked.
//!
//! [`BedrockClient::from_service`] (and [`Bedrock::from_service`](crate::Bedrock::from_service))
//! put a stack you built yourself under the models.
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
//!     .env([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
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
//! assert!(strata_http::runtime::request_id(response.extensions()).is_some());
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use strata_aws::endpoint::{Endpoint, EndpointOptions, Service};
use strata_aws::error::{AwsClassifier, REQUEST_ID_HEADER, api_error};
use strata_aws::region::Region;
use strata_aws::sign::encode_path_segment;
use strata_core::Error;
use strata_http::body::ReplayableBody;
use strata_http::env::Env;
use strata_http::runtime::{BuildError, Protocol, Runtime};
use strata_http::service::{HttpService, ResponseBody};

/// Which Bedrock endpoint a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// Bedrock Runtime: Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream.
    Runtime,
    /// Bedrock Agent Runtime: Rerank.
    AgentRuntime,
}

/// Where Bedrock requests go: the region and the runtime and agent-runtime endpoints.
///
/// ```
/// use strata_bedrock::client::BedrockEndpoints;
///
/// let endpoints = BedrockEndpoints::new("us-west-2", "http://127.0.0.1:4000/", None)?;
/// assert_eq!(endpoints.runtime_url(), "http://127.0.0.1:4000");
/// assert_eq!(endpoints.agent_runtime_url(), "http://127.0.0.1:4000");
/// assert!(BedrockEndpoints::new("us-west-2", "ftp://x", None).unwrap_err().is_endpoint());
/// # Ok::<(), strata_http::runtime::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct BedrockEndpoints {
    region: Region,
    runtime: Endpoint,
    agent_runtime: Endpoint,
}

impl BedrockEndpoints {
    /// Explicit endpoints: `runtime_url` for Bedrock Runtime, `agent_runtime_url` (else
    /// `runtime_url`) for the Agent Runtime.
    ///
    /// # Errors
    /// An invalid region or URL.
    pub fn new(
        region: &str,
        runtime_url: &str,
        agent_runtime_url: Option<&str>,
    ) -> Result<Self, BuildError> {
        let region = Region::new(region).map_err(|e| BuildError::region().with_source(e))?;
        let mut options = EndpointOptions::default();
        options.url = Some(runtime_url.to_owned());
        let mut agent_options = EndpointOptions::default();
        agent_options.url = Some(agent_runtime_url.unwrap_or(runtime_url).to_owned());
        Self::resolve(&region, &options, &agent_options, &Env::default())
    }

    /// Resolves both endpoints for `region` (see [`Endpoint::resolve`]).
    pub(crate) fn resolve(
        region: &Region,
        runtime: &EndpointOptions,
        agent_runtime: &EndpointOptions,
        env: &Env,
    ) -> Result<Self, BuildError> {
        let runtime = Endpoint::resolve(&Service::BEDROCK_RUNTIME, region, runtime, env)
            .map_err(|e| BuildError::endpoint("Bedrock Runtime").with_source(e))?;
        let agent_runtime =
            Endpoint::resolve(&Service::BEDROCK_AGENT_RUNTIME, region, agent_runtime, env)
                .map_err(|e| BuildError::endpoint("Bedrock Agent Runtime").with_source(e))?;
        Ok(Self {
            region: region.clone(),
            runtime,
            agent_runtime,
        })
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The Bedrock Runtime endpoint, without a trailing `/`.
    pub fn runtime_url(&self) -> &str {
        self.runtime.url()
    }

    /// The Bedrock Agent Runtime endpoint, without a trailing `/`.
    pub fn agent_runtime_url(&self) -> &str {
        self.agent_runtime.url()
    }
}

/// The Bedrock transport: resolved endpoints plus the runtime. Cheap to clone.
#[derive(Clone)]
pub struct BedrockClient {
    inner: Arc<Inner>,
}

struct Inner {
    runtime: Runtime,
    endpoints: BedrockEndpoints,
}

impl fmt::Debug for BedrockClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockClient")
            .field("region", &self.region())
            .field("runtime", &self.runtime_url())
            .field("agent_runtime", &self.agent_runtime_url())
            .field("stack", &self.inner.runtime)
            .finish()
    }
}

/// How Bedrock answers: AWS JSON errors, `x-amzn-RequestId`, the AWS retry classifier.
pub(crate) fn protocol() -> Protocol {
    Protocol::new(
        concat!("strata-bedrock/", env!("CARGO_PKG_VERSION")),
        REQUEST_ID_HEADER,
        api_error,
    )
    .with_classifier(AwsClassifier::new())
}

impl BedrockClient {
    pub(crate) fn new(runtime: Runtime, endpoints: BedrockEndpoints) -> Self {
        Self {
            inner: Arc::new(Inner { runtime, endpoints }),
        }
    }

    /// A client over a stack you built (e.g. with
    /// [`RuntimeBuilder::build_service`](strata_http::runtime::RuntimeBuilder::build_service)
    /// and strata-aws's SigV4 [`AwsAuth`](strata_aws::auth::AwsAuth)): it must authenticate
    /// requests itself. Responses are read as Bedrock's.
    pub fn from_service(service: HttpService, endpoints: BedrockEndpoints) -> Self {
        Self::new(Runtime::from_service(service, protocol()), endpoints)
    }

    /// The runtime requests go through.
    pub fn runtime(&self) -> &Runtime {
        &self.inner.runtime
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        self.inner.endpoints.region.as_str()
    }

    /// The Bedrock Runtime endpoint, without a trailing `/`.
    pub fn runtime_url(&self) -> &str {
        self.inner.endpoints.runtime_url()
    }

    /// The Bedrock Agent Runtime endpoint, without a trailing `/`.
    pub fn agent_runtime_url(&self) -> &str {
        self.inner.endpoints.agent_runtime_url()
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

    /// A JSON POST request to `path` on `target` with the default headers and `headers`
    /// (which win over the defaults).
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
        let url = format!("{}{path}", self.url(target));
        self.runtime()
            .json_request(&url, ReplayableBody::new(body), None, headers)
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
        self.runtime().send(request).await
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
        self.runtime().send_checked(request).await
    }

    /// POSTs a JSON body to `path` on `target` and reads the whole checked response.
    ///
    /// # Errors
    /// As [`send_checked`](Self::send_checked), plus a failure while reading the body, or a
    /// body larger than the runtime's limit.
    pub async fn post_json(
        &self,
        target: Target,
        path: &str,
        body: impl Into<Bytes>,
        headers: HeaderMap,
    ) -> Result<Response<Bytes>, Error> {
        let url = format!("{}{path}", self.url(target));
        self.runtime()
            .post_json(&url, ReplayableBody::new(body), headers)
            .await
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
        let url = format!("{}{path}", self.url(target));
        self.runtime()
            .post_stream(&url, ReplayableBody::new(body), None, headers)
            .await
    }
}
