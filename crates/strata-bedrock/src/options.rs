//! Typed Bedrock provider options, read from and written to `provider_options["bedrock"]`.
//!
//! Three levels carry options:
//! - the call ([`BedrockOptions`], on `CallOptions::provider_options`): guardrails,
//!   additional model request fields, `anthropic_beta`, performance config, service tier,
//!   request metadata, additional response field paths, reasoning config, structured-output mode;
//! - messages and parts ([`PartOptions`]): a cache point after the message or part, citations on
//!   documents, and (on reasoning parts) the `signature` / `redacted_data` a response returned;
//! - function tools ([`PartOptions::cache_point`]): a cache point after the tool definition.
//!
//! Keys are snake_case, like the rest of strata's JSON.
//!
//! ```
//! use strata_bedrock::options::{BedrockOptions, GuardrailOptions, PartOptions};
//! use strata_bedrock::wire::{CacheTtl, GuardrailTrace};
//! use strata_core::{CallOptions, Message};
//!
//! let mut bedrock = BedrockOptions::default();
//! bedrock.guardrail = Some(GuardrailOptions::new("gr-1", "DRAFT").with_trace(GuardrailTrace::Enabled));
//! bedrock.anthropic_beta = vec!["context-1m-2025-08-07".into()];
//!
//! let system = Message::system("You are terse.")
//!     .with_provider_options(PartOptions::cache_point(Some(CacheTtl::OneHour)).to_provider_options());
//! let options = CallOptions::new(vec![system, Message::user_text("Hi")])
//!     .with_provider_options(bedrock.to_provider_options());
//! let back = BedrockOptions::from_provider_options(&options.provider_options).unwrap();
//! assert_eq!(back.anthropic_beta, ["context-1m-2025-08-07"]);
//! ```

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use strata_core::{Error, ProviderOptions};

use crate::wire::{
    CacheTtl, CitationsConfig, GuardrailStreamProcessingMode, GuardrailTrace,
    PerformanceConfigLatency, ServiceTierType,
};

/// The provider name options and metadata are stored under.
pub const PROVIDER: &str = "bedrock";

/// Reads `provider_options["bedrock"]` as `T`; missing means `T::default()`.
pub(crate) fn parse_provider_options<T>(options: &ProviderOptions) -> Result<T, Error>
where
    T: DeserializeOwned + Default,
{
    Ok(options.parse::<T>(PROVIDER)?.unwrap_or_default())
}

/// `options` as `{"bedrock": {...}}` (fields left out when unset, as `T` serializes them).
pub(crate) fn to_provider_options<T: Serialize>(options: &T) -> ProviderOptions {
    let mut out = ProviderOptions::new();
    if let Ok(Value::Object(fields)) = serde_json::to_value(options) {
        out.entry(PROVIDER).extend(fields);
    }
    out
}

/// Call-level Bedrock options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BedrockOptions {
    /// The guardrail to apply (`guardrailConfig`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardrail: Option<GuardrailOptions>,
    /// Model-specific request fields, merged into `additionalModelRequestFields` (these win
    /// over fields strata computes, e.g. `top_k` or `thinking`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_model_request_fields: Option<Map<String, Value>>,
    /// Anthropic beta flags (e.g. `context-1m-2025-08-07`), sent as
    /// `additionalModelRequestFields.anthropic_beta`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub anthropic_beta: Vec<String>,
    /// The latency profile (`performanceConfig.latency`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance_latency: Option<PerformanceConfigLatency>,
    /// The processing tier (`serviceTier.type`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<ServiceTierType>,
    /// Key/value pairs recorded with the invocation logs (`requestMetadata`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_metadata: Option<BTreeMap<String, String>>,
    /// JSON pointers of model-specific response fields to return
    /// (`additionalModelResponseFieldPaths`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_model_response_field_paths: Vec<String>,
    /// Explicit reasoning configuration; takes precedence over `CallOptions::reasoning`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_config: Option<ReasoningConfig>,
    /// How a JSON response format with a schema is implemented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_output: Option<StructuredOutputMode>,
}

impl BedrockOptions {
    /// Reads `provider_options["bedrock"]`; missing means all defaults.
    ///
    /// # Errors
    /// An invalid-argument error naming `provider_options.bedrock` when the object does not
    /// match.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        parse_provider_options(options)
    }

    /// These options as `{"bedrock": {...}}`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        to_provider_options(self)
    }
}

/// Guardrail options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GuardrailOptions {
    /// The guardrail id or ARN.
    pub identifier: String,
    /// The guardrail version (`DRAFT` or a number).
    pub version: String,
    /// Whether the trace is returned (it lands in the provider metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<GuardrailTrace>,
    /// How streamed output is checked; ignored (with a warning) for non-streaming calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_processing_mode: Option<GuardrailStreamProcessingMode>,
}

impl GuardrailOptions {
    /// A guardrail by id and version.
    pub fn new(identifier: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            identifier: identifier.into(),
            version: version.into(),
            trace: None,
            stream_processing_mode: None,
        }
    }

    /// Sets the trace mode.
    pub fn with_trace(mut self, trace: GuardrailTrace) -> Self {
        self.trace = Some(trace);
        self
    }

    /// Sets the stream processing mode.
    pub fn with_stream_processing_mode(mut self, mode: GuardrailStreamProcessingMode) -> Self {
        self.stream_processing_mode = Some(mode);
        self
    }
}

/// Whether reasoning is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReasoningType {
    /// Reasoning on.
    Enabled,
    /// Reasoning off.
    Disabled,
}

/// Explicit reasoning configuration, mapped per model family (Anthropic `thinking`, Nova
/// `reasoningConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningConfig {
    /// On or off.
    pub r#type: ReasoningType,
    /// The thinking budget (Anthropic; at least 1,024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_tokens: Option<u32>,
    /// The most reasoning effort (`low`, `medium`, `high`; Amazon Nova).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reasoning_effort: Option<String>,
}

impl ReasoningConfig {
    /// Reasoning on, with a token budget.
    pub fn budget(tokens: u32) -> Self {
        Self {
            r#type: ReasoningType::Enabled,
            budget_tokens: Some(tokens),
            max_reasoning_effort: None,
        }
    }

    /// Reasoning on, with a maximum effort.
    pub fn effort(effort: impl Into<String>) -> Self {
        Self {
            r#type: ReasoningType::Enabled,
            budget_tokens: None,
            max_reasoning_effort: Some(effort.into()),
        }
    }
}

/// How a JSON response format with a schema is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StructuredOutputMode {
    /// Bedrock's native structured output (`outputConfig.textFormat`), the default.
    #[default]
    Native,
    /// A forced tool whose input is returned as the text, for models without native support.
    Tool,
}

/// A cache point request: `{"cache_point": {"ttl": "1h"}}` (the TTL is optional).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CachePointOption {
    /// An extended time to live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<CacheTtl>,
}

/// Options on a message, a part or a function tool.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PartOptions {
    /// Put a cache point after this message, part or tool definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_point: Option<CachePointOption>,
    /// Citations for a document file part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
    /// Extra context for a document file part (`DocumentBlock.context`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The reasoning signature to replay (set from response metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Redacted reasoning to replay, base64 (set from response metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redacted_data: Option<String>,
}

impl PartOptions {
    /// Options asking for a cache point with an optional TTL.
    pub fn cache_point(ttl: Option<CacheTtl>) -> Self {
        Self {
            cache_point: Some(CachePointOption { ttl }),
            ..Self::default()
        }
    }

    /// Options enabling citations on a document.
    pub fn citations(enabled: bool) -> Self {
        Self {
            citations: Some(CitationsConfig { enabled }),
            ..Self::default()
        }
    }

    /// Reads `provider_options["bedrock"]` of a message, part or tool; missing means defaults.
    ///
    /// # Errors
    /// An invalid-argument error naming `provider_options.bedrock` when the object does not
    /// match.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        if options.get(PROVIDER).is_none_or(Map::is_empty) {
            return Ok(Self::default());
        }
        parse_provider_options(options)
    }

    /// These options as `{"bedrock": {...}}`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        to_provider_options(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_shapes() {
        let options = PartOptions::cache_point(Some(CacheTtl::FiveMinutes)).to_provider_options();
        assert_eq!(
            serde_json::to_value(&options).unwrap(),
            json!({"bedrock": {"cache_point": {"ttl": "5m"}}})
        );
        let call = BedrockOptions {
            performance_latency: Some(PerformanceConfigLatency::Optimized),
            reasoning_config: Some(ReasoningConfig::budget(2048)),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(call.to_provider_options()).unwrap(),
            json!({"bedrock": {"performance_latency": "optimized",
                "reasoning_config": {"type": "enabled", "budget_tokens": 2048}}})
        );
    }

    #[test]
    fn bad_options_name_the_provider() {
        let options = ProviderOptions::new().with(PROVIDER, "anthropic_beta", "not-a-list");
        let err = BedrockOptions::from_provider_options(&options).unwrap_err();
        assert!(err.is_invalid_argument());
        assert_eq!(err.argument(), Some("provider_options.bedrock"));
        assert_eq!(
            BedrockOptions::from_provider_options(&ProviderOptions::new()).unwrap(),
            BedrockOptions::default()
        );
    }
}
