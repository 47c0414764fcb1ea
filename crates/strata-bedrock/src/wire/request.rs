//! The Converse / ConverseStream request body (`ConverseRequest`, `ConverseStreamRequest`).
//!
//! The two operations share one body shape; the model id travels in the URI, not the body.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::content::{CachePointBlock, Message, SystemContentBlock};
use super::macros::{wire_enum, wire_union};

/// The JSON body of `POST /model/{modelId}/converse` and `/converse-stream`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConverseRequest {
    /// The conversation.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// The system prompt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system: Vec<SystemContentBlock>,
    /// Inference parameters every model understands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_config: Option<InferenceConfiguration>,
    /// The tools the model may call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_config: Option<ToolConfiguration>,
    /// The guardrail to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrail_config: Option<GuardrailConfiguration>,
    /// Model-specific request fields, passed through as-is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_model_request_fields: Option<Map<String, Value>>,
    /// Values for the variables of a prompt-management prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_variables: Option<BTreeMap<String, PromptVariableValues>>,
    /// JSON pointers of model-specific response fields to return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_model_response_field_paths: Vec<String>,
    /// Key/value pairs recorded with the invocation logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_metadata: Option<BTreeMap<String, String>>,
    /// The latency profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance_config: Option<PerformanceConfiguration>,
    /// The processing tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<ServiceTier>,
    /// Structured output and effort settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
}

/// `InferenceConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InferenceConfiguration {
    /// The most tokens to generate (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Sampling temperature, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    /// Nucleus sampling, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f32>,
    /// Sequences that stop generation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_sequences: Vec<String>,
}

impl InferenceConfiguration {
    /// Whether no member is set (the block is then omitted).
    pub fn is_empty(&self) -> bool {
        self.max_tokens.is_none()
            && self.temperature.is_none()
            && self.top_p.is_none()
            && self.stop_sequences.is_empty()
    }
}

/// `ToolConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolConfiguration {
    /// The tools (at least one).
    pub tools: Vec<Tool>,
    /// How the model must choose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
}

wire_union! {
    /// `Tool`.
    Tool {
        /// `toolSpec`: a function tool.
        ToolSpec(ToolSpecification) = "toolSpec",
        /// `systemTool`: a tool run by Bedrock.
        SystemTool(SystemTool) = "systemTool",
        /// `cachePoint`: caches the tool definitions before this point.
        CachePoint(CachePointBlock) = "cachePoint",
    }
}

/// `ToolSpecification`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolSpecification {
    /// The tool name (`[a-zA-Z0-9_-]{1,64}`).
    pub name: String,
    /// What the tool does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The input schema.
    pub input_schema: ToolInputSchema,
    /// Whether the model must follow the schema strictly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

wire_union! {
    /// `ToolInputSchema`.
    ToolInputSchema {
        /// `json`: a JSON schema document.
        Json(Value) = "json",
    }
}

/// `SystemTool`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemTool {
    /// The tool name.
    pub name: String,
}

/// `AutoToolChoice` and `AnyToolChoice`: members-less structures, `{}` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EmptyStruct {}

/// `SpecificToolChoice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecificToolChoice {
    /// The tool the model must call.
    pub name: String,
}

wire_union! {
    /// `ToolChoice`.
    ToolChoice {
        /// `auto`: the model decides.
        Auto(EmptyStruct) = "auto",
        /// `any`: the model must call some tool.
        Any(EmptyStruct) = "any",
        /// `tool`: the model must call this tool.
        Tool(SpecificToolChoice) = "tool",
    }
}

wire_enum! {
    /// `GuardrailTrace`.
    GuardrailTrace {
        /// `enabled`
        Enabled = "enabled",
        /// `disabled`
        Disabled = "disabled",
        /// `enabled_full`
        EnabledFull = "enabled_full",
    }
}

wire_enum! {
    /// `GuardrailStreamProcessingMode` (ConverseStream only).
    GuardrailStreamProcessingMode {
        /// `sync`
        Sync = "sync",
        /// `async`
        Async = "async",
    }
}

/// `GuardrailConfiguration` / `GuardrailStreamConfiguration` (the latter adds
/// `streamProcessingMode`, which must stay unset for Converse).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GuardrailConfiguration {
    /// The guardrail id or ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrail_identifier: Option<String>,
    /// The guardrail version (`DRAFT` or a number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardrail_version: Option<String>,
    /// Whether the guardrail trace is returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<GuardrailTrace>,
    /// How streamed output is checked (ConverseStream only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_processing_mode: Option<GuardrailStreamProcessingMode>,
}

wire_enum! {
    /// `PerformanceConfigLatency`.
    PerformanceConfigLatency {
        /// `standard`
        Standard = "standard",
        /// `optimized`
        Optimized = "optimized",
    }
}

/// `PerformanceConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceConfiguration {
    /// The latency profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<PerformanceConfigLatency>,
}

wire_enum! {
    /// `ServiceTierType`.
    ServiceTierType {
        /// `priority`
        Priority = "priority",
        /// `default`
        Default = "default",
        /// `flex`
        Flex = "flex",
        /// `reserved`
        Reserved = "reserved",
    }
}

/// `ServiceTier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceTier {
    /// The tier.
    pub r#type: ServiceTierType,
}

wire_enum! {
    /// `OutputFormatType`.
    OutputFormatType {
        /// `json_schema`
        JsonSchema = "json_schema",
    }
}

/// `JsonSchemaDefinition`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonSchemaDefinition {
    /// The JSON schema, serialized as a string.
    pub schema: String,
    /// The schema name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the schema describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

wire_union! {
    /// `OutputFormatStructure`.
    OutputFormatStructure {
        /// `jsonSchema`
        JsonSchema(JsonSchemaDefinition) = "jsonSchema",
    }
}

/// `OutputFormat`: native structured output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputFormat {
    /// The format type.
    pub r#type: OutputFormatType,
    /// The structure the text must follow.
    pub structure: OutputFormatStructure,
}

/// `OutputConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutputConfig {
    /// Structured output for the text response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_format: Option<OutputFormat>,
    /// The effort level (`low`, `medium`, `high`, `xhigh`, `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
}

wire_union! {
    /// `PromptVariableValues`.
    PromptVariableValues {
        /// `text`
        Text(String) = "text",
    }
}
