//! Raw InvokeModel and InvokeModelWithResponseStream: any model-native body, bytes in and bytes
//! out.
//!
//! An [`InvokeRequest`] is the body plus the operation's HTTP bindings: `Content-Type`,
//! `Accept` (`X-Amzn-Bedrock-Accept` when streaming), trace, guardrail, performance-config
//! latency, service tier and request metadata headers. [`InvokeRequest::path`] and
//! [`InvokeRequest::http_headers`] give what goes on the wire; [`InvokeResponse::from_parts`]
//! reads an InvokeModel answer, and [`stream`] turns an InvokeModelWithResponseStream body into
//! the payloads of its `chunk` events.
//!
//! The embedding and image models build their requests as `InvokeRequest`s too.
//!
//! ```
//! use serde_json::json;
//! use strata_bedrock::invoke::{InvokeRequest, InvokeResponse, Trace};
//! use strata_bedrock::wire::PerformanceConfigLatency;
//!
//! let request = InvokeRequest::json("anthropic.claude-3-haiku-20240307-v1:0", &json!({"max_tokens": 10}))
//!     .with_guardrail("gr-1", "DRAFT")
//!     .with_trace(Trace::Enabled)
//!     .with_performance_latency(PerformanceConfigLatency::Optimized);
//! assert_eq!(request.path(false), "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
//! let headers = request.http_headers(false)?;
//! assert_eq!(headers["content-type"], "application/json");
//! assert_eq!(headers["x-amzn-bedrock-guardrailidentifier"], "gr-1");
//! assert_eq!(headers["x-amzn-bedrock-performanceconfig-latency"], "optimized");
//!
//! // The answer: bytes plus the headers Bedrock sets.
//! let mut response_headers = http::HeaderMap::new();
//! response_headers.insert("content-type", "application/json".parse().unwrap());
//! response_headers.insert("x-amzn-bedrock-input-token-count", "12".parse().unwrap());
//! let response = InvokeResponse::from_parts(response_headers.clone(), bytes::Bytes::from_static(b"{}"));
//! assert_eq!(response.content_type.as_deref(), Some("application/json"));
//! assert_eq!(response.input_tokens, Some(12));
//! # Ok::<(), strata_core::Error>(())
//! ```

mod client;
pub mod stream;

pub use client::{
    ChunkStream, InvokeStreamResponse, invoke_model, invoke_model_with_response_stream,
};

use std::collections::BTreeMap;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use strata_aws::sign::encode_path_segment;
use strata_core::{Error, ResponseMetadata};

use crate::wire::{PerformanceConfigLatency, ServiceTierType};

/// `X-Amzn-Bedrock-Accept`: the `Accept` of InvokeModelWithResponseStream.
pub const STREAM_ACCEPT: &str = "x-amzn-bedrock-accept";
/// `X-Amzn-Bedrock-Trace`.
pub const TRACE: &str = "x-amzn-bedrock-trace";
/// `X-Amzn-Bedrock-GuardrailIdentifier`.
pub const GUARDRAIL_IDENTIFIER: &str = "x-amzn-bedrock-guardrailidentifier";
/// `X-Amzn-Bedrock-GuardrailVersion`.
pub const GUARDRAIL_VERSION: &str = "x-amzn-bedrock-guardrailversion";
/// `X-Amzn-Bedrock-PerformanceConfig-Latency` (request and response).
pub const PERFORMANCE_LATENCY: &str = "x-amzn-bedrock-performanceconfig-latency";
/// `X-Amzn-Bedrock-Service-Tier` (request and response).
pub const SERVICE_TIER: &str = "x-amzn-bedrock-service-tier";
/// `X-Amzn-Bedrock-Request-Metadata`: a JSON object, marked sensitive.
pub const REQUEST_METADATA: &str = "x-amzn-bedrock-request-metadata";
/// `X-Amzn-Bedrock-Content-Type`: the payload type of a response stream.
pub const STREAM_CONTENT_TYPE: &str = "x-amzn-bedrock-content-type";
/// `X-Amzn-Bedrock-Input-Token-Count`, set on InvokeModel answers.
pub const INPUT_TOKEN_COUNT: &str = "x-amzn-bedrock-input-token-count";
/// `X-Amzn-Bedrock-Output-Token-Count`, set on InvokeModel answers.
pub const OUTPUT_TOKEN_COUNT: &str = "x-amzn-bedrock-output-token-count";
/// `X-Amzn-Bedrock-Invocation-Latency` (milliseconds), set on InvokeModel answers.
pub const INVOCATION_LATENCY: &str = "x-amzn-bedrock-invocation-latency";

const JSON: &str = "application/json";

/// Whether the model's trace is returned (`X-Amzn-Bedrock-Trace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Trace {
    /// `ENABLED`
    Enabled,
    /// `DISABLED`
    Disabled,
    /// `ENABLED_FULL`
    EnabledFull,
}

impl Trace {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
            Self::EnabledFull => "ENABLED_FULL",
        }
    }
}

/// One InvokeModel / InvokeModelWithResponseStream request: a model-native body and the
/// operation's header bindings.
///
/// ```
/// use strata_bedrock::invoke::InvokeRequest;
///
/// let request = InvokeRequest::new("amazon.titan-embed-text-v2:0", &b"{\"inputText\":\"hi\"}"[..])
///     .with_accept("application/json");
/// assert_eq!(request.path(true), "/model/amazon.titan-embed-text-v2%3A0/invoke-with-response-stream");
/// assert_eq!(request.http_headers(true)?["x-amzn-bedrock-accept"], "application/json");
/// # Ok::<(), strata_core::Error>(())
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct InvokeRequest {
    /// The model id, inference-profile id or ARN.
    pub model_id: String,
    /// The model-native body.
    pub body: Bytes,
    /// The body's media type (default `application/json`).
    pub content_type: Option<String>,
    /// The media type wanted back (default `application/json`).
    pub accept: Option<String>,
    /// Whether the trace is returned.
    pub trace: Option<Trace>,
    /// The guardrail id or ARN, and its version.
    pub guardrail: Option<(String, String)>,
    /// The latency profile.
    pub performance_latency: Option<PerformanceConfigLatency>,
    /// The processing tier.
    pub service_tier: Option<ServiceTierType>,
    /// Key/value pairs recorded with the invocation logs (sent as a sensitive header).
    pub request_metadata: Option<BTreeMap<String, String>>,
    /// Extra headers, added last.
    pub headers: HeaderMap,
}

impl std::fmt::Debug for InvokeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body and the metadata may hold user data; show their size only.
        f.debug_struct("InvokeRequest")
            .field("model_id", &self.model_id)
            .field("body_len", &self.body.len())
            .field("content_type", &self.content_type)
            .field("accept", &self.accept)
            .field("trace", &self.trace)
            .field("guardrail", &self.guardrail)
            .field("performance_latency", &self.performance_latency)
            .field("service_tier", &self.service_tier)
            .field(
                "request_metadata",
                &self.request_metadata.as_ref().map(|m| m.len()),
            )
            .finish_non_exhaustive()
    }
}

impl InvokeRequest {
    /// A request with this body and every header at its default.
    pub fn new(model_id: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Self {
            model_id: model_id.into(),
            body: body.into(),
            content_type: None,
            accept: None,
            trace: None,
            guardrail: None,
            performance_latency: None,
            service_tier: None,
            request_metadata: None,
            headers: HeaderMap::new(),
        }
    }

    /// A request whose body is `value` as compact JSON.
    pub fn json(model_id: impl Into<String>, value: &serde_json::Value) -> Self {
        Self::new(model_id, Bytes::from(value.to_string()))
    }

    /// Sets the body's media type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Sets the media type wanted back.
    pub fn with_accept(mut self, accept: impl Into<String>) -> Self {
        self.accept = Some(accept.into());
        self
    }

    /// Sets the trace mode.
    pub fn with_trace(mut self, trace: Trace) -> Self {
        self.trace = Some(trace);
        self
    }

    /// Applies a guardrail (id or ARN, and version).
    pub fn with_guardrail(
        mut self,
        identifier: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        self.guardrail = Some((identifier.into(), version.into()));
        self
    }

    /// Sets the latency profile.
    pub fn with_performance_latency(mut self, latency: PerformanceConfigLatency) -> Self {
        self.performance_latency = Some(latency);
        self
    }

    /// Sets the processing tier.
    pub fn with_service_tier(mut self, tier: ServiceTierType) -> Self {
        self.service_tier = Some(tier);
        self
    }

    /// Sets the request metadata.
    pub fn with_request_metadata(mut self, metadata: BTreeMap<String, String>) -> Self {
        self.request_metadata = Some(metadata);
        self
    }

    /// Adds extra headers (they replace computed headers of the same name).
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }

    /// The request path: `/model/{modelId}/invoke` or `/invoke-with-response-stream`, with the
    /// model id percent-encoded as one segment.
    pub fn path(&self, streaming: bool) -> String {
        let operation = if streaming {
            "invoke-with-response-stream"
        } else {
            "invoke"
        };
        format!("/model/{}/{operation}", encode_path_segment(&self.model_id))
    }

    /// The HTTP headers of the request.
    ///
    /// # Errors
    /// An invalid-argument error when the model id is empty, a guardrail half is empty, or a
    /// value cannot be a header value.
    pub fn http_headers(&self, streaming: bool) -> Result<HeaderMap, Error> {
        if self.model_id.is_empty() {
            return Err(Error::invalid_argument("model_id", "must not be empty"));
        }
        let mut headers = HeaderMap::new();
        let mut put = |name: HeaderName, argument: &str, value: &str| -> Result<(), Error> {
            let value = HeaderValue::from_str(value).map_err(|e| {
                Error::invalid_argument(argument, format!("`{value}` is not a valid header value"))
                    .with_source(e)
            })?;
            headers.insert(name, value);
            Ok(())
        };
        put(
            CONTENT_TYPE,
            "content_type",
            self.content_type.as_deref().unwrap_or(JSON),
        )?;
        let accept = if streaming {
            HeaderName::from_static(STREAM_ACCEPT)
        } else {
            ACCEPT
        };
        put(accept, "accept", self.accept.as_deref().unwrap_or(JSON))?;
        if let Some(trace) = self.trace {
            put(HeaderName::from_static(TRACE), "trace", trace.as_str())?;
        }
        if let Some((identifier, version)) = &self.guardrail {
            if identifier.is_empty() || version.is_empty() {
                return Err(Error::invalid_argument(
                    "guardrail",
                    "both the identifier and the version must be non-empty",
                ));
            }
            put(
                HeaderName::from_static(GUARDRAIL_IDENTIFIER),
                "guardrail.identifier",
                identifier,
            )?;
            put(
                HeaderName::from_static(GUARDRAIL_VERSION),
                "guardrail.version",
                version,
            )?;
        }
        if let Some(latency) = &self.performance_latency {
            put(
                HeaderName::from_static(PERFORMANCE_LATENCY),
                "performance_latency",
                latency.as_str(),
            )?;
        }
        if let Some(tier) = &self.service_tier {
            put(
                HeaderName::from_static(SERVICE_TIER),
                "service_tier",
                tier.as_str(),
            )?;
        }
        if let Some(metadata) = &self.request_metadata {
            let json = serde_json::to_string(metadata).unwrap_or_default();
            let mut value = HeaderValue::from_str(&json).map_err(|e| {
                Error::invalid_argument(
                    "request_metadata",
                    "a key or value holds a character that cannot travel in a header",
                )
                .with_source(e)
            })?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static(REQUEST_METADATA), value);
        }
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(headers)
    }
}

/// An InvokeModel answer: the body and what Bedrock's response headers say about it.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct InvokeResponse {
    /// The model-native response body.
    pub body: Bytes,
    /// The body's media type (`Content-Type`).
    pub content_type: Option<String>,
    /// Input tokens, from `X-Amzn-Bedrock-Input-Token-Count`.
    pub input_tokens: Option<u64>,
    /// Output tokens, from `X-Amzn-Bedrock-Output-Token-Count`.
    pub output_tokens: Option<u64>,
    /// The latency in milliseconds, from `X-Amzn-Bedrock-Invocation-Latency`.
    pub invocation_latency_ms: Option<u64>,
    /// The latency profile that served the request.
    pub performance_latency: Option<PerformanceConfigLatency>,
    /// The processing tier that served the request.
    pub service_tier: Option<ServiceTierType>,
    /// The request id (`x-amzn-RequestId`).
    pub request_id: Option<String>,
    /// All response headers.
    pub headers: HeaderMap,
}

impl std::fmt::Debug for InvokeResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvokeResponse")
            .field("body_len", &self.body.len())
            .field("content_type", &self.content_type)
            .field("input_tokens", &self.input_tokens)
            .field("output_tokens", &self.output_tokens)
            .field("invocation_latency_ms", &self.invocation_latency_ms)
            .field("performance_latency", &self.performance_latency)
            .field("service_tier", &self.service_tier)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl InvokeResponse {
    /// Reads a successful answer's headers and body. Header values that are missing or do not
    /// parse are `None`.
    pub fn from_parts(headers: HeaderMap, body: Bytes) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let number = |name: &str| text(name).and_then(|v| v.trim().parse::<u64>().ok());
        Self {
            body,
            content_type: text(CONTENT_TYPE.as_str()),
            input_tokens: number(INPUT_TOKEN_COUNT),
            output_tokens: number(OUTPUT_TOKEN_COUNT),
            invocation_latency_ms: number(INVOCATION_LATENCY),
            performance_latency: text(PERFORMANCE_LATENCY)
                .map(|v| PerformanceConfigLatency::from_wire(&v)),
            service_tier: text(SERVICE_TIER).map(|v| ServiceTierType::from_wire(&v)),
            request_id: text("x-amzn-requestid"),
            headers,
        }
    }

    /// Response metadata for a result: the model id, the headers and the request id.
    pub fn metadata(&self, model_id: &str) -> ResponseMetadata {
        let mut metadata = ResponseMetadata::default().with_model_id(model_id);
        metadata.headers = self.headers.clone();
        metadata.request_id = self.request_id.clone();
        metadata
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    /// An invalid-response error with a body excerpt when it is not JSON.
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let mut error =
                Error::invalid_response(format!("the InvokeModel body is not JSON: {e}"))
                    .with_excerpt(&self.body)
                    .with_source(e);
            if let Some(id) = &self.request_id {
                error = error.with_request_id(id.clone());
            }
            error
        })
    }
}

#[cfg(test)]
mod tests;
