//! The settings of one language-model call.
//!
//! ```
//! use serde_json::json;
//! use strata_core::{CallOptions, Message, ProviderOptions};
//! use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
//!
//! let options = CallOptions::new(vec![Message::user_text("List three colours as JSON.")])
//!     .with_max_output_tokens(256)
//!     .with_temperature(0.2)
//!     .with_stop_sequences(["\n\n"])
//!     .with_response_format(ResponseFormat::json_schema(json!({"type": "array"})))
//!     .with_reasoning(Reasoning::Effort(ReasoningEffort::Low))
//!     .with_header("x-trace", "abc")?
//!     .with_provider_options(ProviderOptions::new().with("bedrock", "performanceConfig", json!({"latency": "optimized"})));
//! assert_eq!(options.max_output_tokens, Some(256));
//! assert_eq!(options.headers["x-trace"], "abc");
//! # Ok::<(), strata_core::Error>(())
//! ```

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::tool::{Tool, ToolChoice};
use crate::{Error, Message, ProviderOptions};

/// Everything a [`LanguageModel`](crate::LanguageModel) call takes.
///
/// Settings left `None` use the provider's defaults. A provider that cannot honour a setting
/// ignores it and reports a [`Warning`](crate::Warning).
///
/// Serializes for logging and replay; header values marked sensitive are left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallOptions {
    /// The conversation.
    pub prompt: Vec<Message>,
    /// The most tokens to generate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Sample only from the top K tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Stop generating at any of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_sequences: Vec<String>,
    /// Presence penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Seed for deterministic sampling, where supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Text (default) or JSON output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Tools the model may call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// How the model must use the tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// How much the model should reason before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<Reasoning>,
    /// Extra HTTP headers sent with the request.
    #[serde(
        default,
        with = "crate::serde_util::header_map",
        skip_serializing_if = "crate::serde_util::header_map::is_empty"
    )]
    pub headers: HeaderMap,
    /// Provider-specific options, namespaced by provider name.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
    /// Add [`StreamPart::Raw`](crate::StreamPart::Raw) parts with the provider's raw chunks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub include_raw_chunks: bool,
}

impl CallOptions {
    /// Options with this prompt and every setting at its default.
    pub fn new(prompt: Vec<Message>) -> Self {
        Self {
            prompt,
            ..Self::default()
        }
    }

    /// Sets the most tokens to generate.
    pub fn with_max_output_tokens(mut self, tokens: u32) -> Self {
        self.max_output_tokens = Some(tokens);
        self
    }

    /// Sets the temperature.
    pub fn with_temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets top-p.
    pub fn with_top_p(mut self, top_p: f64) -> Self {
        self.top_p = Some(top_p);
        self
    }

    /// Sets top-k.
    pub fn with_top_k(mut self, top_k: u32) -> Self {
        self.top_k = Some(top_k);
        self
    }

    /// Sets the stop sequences.
    pub fn with_stop_sequences<I, S>(mut self, stops: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stop_sequences = stops.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the presence penalty.
    pub fn with_presence_penalty(mut self, penalty: f64) -> Self {
        self.presence_penalty = Some(penalty);
        self
    }

    /// Sets the frequency penalty.
    pub fn with_frequency_penalty(mut self, penalty: f64) -> Self {
        self.frequency_penalty = Some(penalty);
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets the response format.
    pub fn with_response_format(mut self, format: ResponseFormat) -> Self {
        self.response_format = Some(format);
        self
    }

    /// Adds a tool.
    pub fn with_tool(mut self, tool: impl Into<Tool>) -> Self {
        self.tools.push(tool.into());
        self
    }

    /// Sets the tool choice.
    pub fn with_tool_choice(mut self, choice: ToolChoice) -> Self {
        self.tool_choice = Some(choice);
        self
    }

    /// Sets the reasoning setting.
    pub fn with_reasoning(mut self, reasoning: Reasoning) -> Self {
        self.reasoning = Some(reasoning);
        self
    }

    /// Adds an HTTP header; an invalid name or value is an invalid-argument error.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
            Error::invalid_argument("headers", format!("invalid header name `{name}`"))
                .with_source(e)
        })?;
        let header_value = HeaderValue::from_str(value).map_err(|e| {
            Error::invalid_argument("headers", format!("invalid value for header `{name}`"))
                .with_source(e)
        })?;
        self.headers.append(header_name, header_value);
        Ok(self)
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }

    /// Asks for raw chunks in streams.
    pub fn with_raw_chunks(mut self, include: bool) -> Self {
        self.include_raw_chunks = include;
        self
    }
}

/// The shape of the model's output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ResponseFormat {
    /// Free text (the default).
    #[default]
    Text,
    /// JSON, optionally following a schema.
    Json {
        /// The JSON schema the output must follow.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schema: Option<Value>,
        /// A name for the output, for providers that use one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// A description of the output, for providers that use one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
}

impl ResponseFormat {
    /// JSON output without a schema.
    pub fn json() -> Self {
        ResponseFormat::Json {
            schema: None,
            name: None,
            description: None,
        }
    }

    /// JSON output following `schema`.
    pub fn json_schema(schema: Value) -> Self {
        ResponseFormat::Json {
            schema: Some(schema),
            name: None,
            description: None,
        }
    }
}

/// How much the model should reason before answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reasoning {
    /// No reasoning, for models where it can be turned off.
    Disabled,
    /// A coarse effort level.
    Effort(ReasoningEffort),
    /// At most this many tokens of reasoning.
    BudgetTokens(u32),
}

/// A coarse reasoning effort level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReasoningEffort {
    /// As little as the model allows.
    Minimal,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

impl ReasoningEffort {
    /// The level's lower-case name (`"low"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Minimal => "minimal",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bad_header_names_the_argument() {
        let err = CallOptions::default()
            .with_header("bad name", "v")
            .unwrap_err();
        assert_eq!(err.argument(), Some("headers"));
        assert_eq!(
            err.to_string(),
            "invalid argument `headers`: invalid header name `bad name`"
        );
        assert!(
            CallOptions::default()
                .with_header("x", "line\nbreak")
                .is_err()
        );
    }

    #[test]
    fn json_shape_skips_defaults() {
        let options = CallOptions::new(vec![Message::user_text("hi")])
            .with_reasoning(Reasoning::BudgetTokens(1024))
            .with_response_format(ResponseFormat::json());
        assert_eq!(
            serde_json::to_value(&options).unwrap(),
            json!({
                "prompt": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
                "response_format": {"type": "json"},
                "reasoning": {"budget_tokens": 1024}
            })
        );
        assert_eq!(
            serde_json::to_value(Reasoning::Effort(ReasoningEffort::High)).unwrap(),
            json!({"effort": "high"})
        );
        assert_eq!(
            serde_json::to_value(Reasoning::Disabled).unwrap(),
            json!("disabled")
        );
    }
}
