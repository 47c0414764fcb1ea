//! The Converse response body (`ConverseResponse`) and the members it shares with the stream.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::content::{CacheTtl, Message};
use super::macros::{wire_enum, wire_union};
use super::request::{PerformanceConfiguration, ServiceTier};

/// The JSON body of a successful Converse call.
///
/// `output` is required by the service model but kept optional here so that a response
/// without it can be reported as a typed error rather than a decoding failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConverseResponse {
    /// The generated message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<ConverseOutput>,
    /// Why generation stopped.
    pub stop_reason: StopReason,
    /// Token counts.
    #[serde(default)]
    pub usage: TokenUsage,
    /// Call metrics.
    #[serde(default)]
    pub metrics: ConverseMetrics,
    /// The model-specific fields asked for with `additionalModelResponseFieldPaths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_model_response_fields: Option<Value>,
    /// Guardrail and prompt-router traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<ConverseTrace>,
    /// The latency profile used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance_config: Option<PerformanceConfiguration>,
    /// The processing tier used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<ServiceTier>,
}

wire_union! {
    /// `ConverseOutput`.
    ConverseOutput {
        /// `message`: the assistant message.
        Message(Message) = "message",
    }
}

wire_enum! {
    /// `StopReason`.
    StopReason {
        /// `end_turn`
        EndTurn = "end_turn",
        /// `tool_use`
        ToolUse = "tool_use",
        /// `max_tokens`
        MaxTokens = "max_tokens",
        /// `stop_sequence`
        StopSequence = "stop_sequence",
        /// `guardrail_intervened`
        GuardrailIntervened = "guardrail_intervened",
        /// `content_filtered`
        ContentFiltered = "content_filtered",
        /// `malformed_model_output`
        MalformedModelOutput = "malformed_model_output",
        /// `malformed_tool_use`
        MalformedToolUse = "malformed_tool_use",
        /// `model_context_window_exceeded`
        ModelContextWindowExceeded = "model_context_window_exceeded",
    }
}

/// `CacheDetail`: input tokens written to the cache with one TTL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheDetail {
    /// The TTL.
    pub ttl: CacheTtl,
    /// Tokens written with that TTL.
    pub input_tokens: u32,
}

/// `TokenUsage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenUsage {
    /// Input tokens not read from or written to the cache.
    #[serde(default)]
    pub input_tokens: u32,
    /// Generated tokens.
    #[serde(default)]
    pub output_tokens: u32,
    /// Input plus output tokens.
    #[serde(default)]
    pub total_tokens: u32,
    /// Input tokens read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u32>,
    /// Input tokens written to the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_write_input_tokens: Option<u32>,
    /// Cache writes per TTL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_details: Vec<CacheDetail>,
}

/// `ConverseMetrics` / `ConverseStreamMetrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ConverseMetrics {
    /// Latency of the call in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
}

/// `PromptRouterTrace`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PromptRouterTrace {
    /// The model the router chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoked_model_id: Option<String>,
}

/// `ConverseTrace` / `ConverseStreamTrace`.
///
/// The guardrail assessment (`GuardrailTraceAssessment`, a deep tree) is kept as JSON and
/// handed to the caller unchanged in the provider metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ConverseTrace {
    /// The guardrail trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrail: Option<Value>,
    /// The prompt-router trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_router: Option<PromptRouterTrace>,
}
