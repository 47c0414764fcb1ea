//! The result of a language-model call and the pieces results share: finish reason, usage,
//! warnings and response metadata.
//!
//! ```
//! use strata_core::{Content, FinishReason, GenerateResult, Usage, Warning};
//!
//! let mut result = GenerateResult::new(vec![Content::text("Hello"), Content::text(", world")], FinishReason::Stop);
//! result.usage = Usage::from_totals(Some(12), Some(3));
//! result.warnings.push(Warning::unsupported_setting("seed").with_details("ignored by this model"));
//! assert_eq!(result.text(), "Hello, world");
//! assert_eq!(result.usage.total_tokens(), Some(15));
//! assert_eq!(result.warnings[0].to_string(), "unsupported setting `seed`: ignored by this model");
//! ```

use std::fmt;
use std::ops::{Add, AddAssign};
use std::time::SystemTime;

use http::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::ProviderMetadata;
use crate::content::{Content, ToolCall};
use crate::prompt::{Message, Role};
pub use crate::request_body::RequestBody;

/// What [`LanguageModel::generate`](crate::LanguageModel::generate) returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenerateResult {
    /// The generated content, in order.
    pub content: Vec<Content>,
    /// Why generation stopped.
    pub finish_reason: FinishReason,
    /// The provider's own finish reason, e.g. `"end_turn"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_finish_reason: Option<String>,
    /// Token usage.
    #[serde(default)]
    pub usage: Usage,
    /// Settings or tools the provider ignored, and similar notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The request body that was sent, for debugging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    /// Response id, model, headers...
    #[serde(default)]
    pub response: ResponseMetadata,
    /// Provider-specific metadata for the whole response.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl GenerateResult {
    /// A result with this content and finish reason; everything else empty.
    pub fn new(content: Vec<Content>, finish_reason: FinishReason) -> Self {
        Self {
            content,
            finish_reason,
            ..Self::default()
        }
    }

    /// All text content, joined.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|c| match c {
                Content::Text(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// All reasoning text, joined.
    pub fn reasoning_text(&self) -> String {
        self.content
            .iter()
            .filter_map(|c| match c {
                Content::Reasoning(r) => Some(r.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The tool calls, in order.
    pub fn tool_calls(&self) -> impl Iterator<Item = &ToolCall> {
        self.content.iter().filter_map(|c| match c {
            Content::ToolCall(call) => Some(call),
            _ => None,
        })
    }

    /// The assistant message that continues the conversation with this result
    /// (see [`Content::to_part`]).
    pub fn to_message(&self) -> Message {
        Message::new(
            Role::Assistant,
            self.content.iter().filter_map(Content::to_part).collect(),
        )
    }
}

/// Why the model stopped generating, unified across providers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FinishReason {
    /// The model finished, or hit a stop sequence.
    Stop,
    /// The output-token limit was reached.
    Length,
    /// A content filter stopped the output.
    ContentFilter,
    /// The model called tools.
    ToolCalls,
    /// The model stopped because of an error.
    Error,
    /// Any other reason (the raw value says which).
    #[default]
    Other,
}

impl FinishReason {
    /// The reason's kebab-case name (`"tool-calls"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stop => "stop",
            Self::Length => "length",
            Self::ContentFilter => "content-filter",
            Self::ToolCalls => "tool-calls",
            Self::Error => "error",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for FinishReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Token usage. Every count is optional: providers report what they know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Prompt tokens.
    #[serde(default)]
    pub input_tokens: InputTokens,
    /// Generated tokens.
    #[serde(default)]
    pub output_tokens: OutputTokens,
}

/// Prompt-token counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputTokens {
    /// All prompt tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Prompt tokens neither read from nor written to a cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_cache: Option<u64>,
    /// Prompt tokens read from a cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read: Option<u64>,
    /// Prompt tokens written to a cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_write: Option<u64>,
}

/// Generated-token counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutputTokens {
    /// All generated tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Generated text tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<u64>,
    /// Generated reasoning tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<u64>,
}

impl Usage {
    /// Usage with only the input and output totals.
    pub fn from_totals(input: Option<u64>, output: Option<u64>) -> Self {
        let mut usage = Self::default();
        usage.input_tokens.total = input;
        usage.output_tokens.total = output;
        usage
    }

    /// Input plus output totals, when both are known.
    pub fn total_tokens(&self) -> Option<u64> {
        Some(
            self.input_tokens
                .total?
                .saturating_add(self.output_tokens.total?),
        )
    }
}

fn add_counts(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b)),
        (a, b) => a.or(b),
    }
}

/// Adds counts field by field; a count known on one side only is kept.
impl Add for Usage {
    type Output = Usage;

    fn add(self, rhs: Usage) -> Usage {
        let (i, j) = (self.input_tokens, rhs.input_tokens);
        let (o, p) = (self.output_tokens, rhs.output_tokens);
        Usage {
            input_tokens: InputTokens {
                total: add_counts(i.total, j.total),
                no_cache: add_counts(i.no_cache, j.no_cache),
                cache_read: add_counts(i.cache_read, j.cache_read),
                cache_write: add_counts(i.cache_write, j.cache_write),
            },
            output_tokens: OutputTokens {
                total: add_counts(o.total, p.total),
                text: add_counts(o.text, p.text),
                reasoning: add_counts(o.reasoning, p.reasoning),
            },
        }
    }
}

impl AddAssign for Usage {
    fn add_assign(&mut self, rhs: Usage) {
        *self = *self + rhs;
    }
}

/// Something the provider could not do as asked; the call still went ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Warning {
    /// A call setting was ignored.
    UnsupportedSetting {
        /// The setting's name, e.g. `"top_k"`.
        setting: String,
        /// Why, or what was done instead.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<String>,
    },
    /// A tool was not sent.
    UnsupportedTool {
        /// The tool's name.
        tool_name: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<String>,
    },
    /// A feature runs in a compatibility mode that may behave differently.
    Compatibility {
        /// The feature.
        feature: String,
        /// How it differs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<String>,
    },
    /// Anything else.
    Other {
        /// The warning.
        message: String,
    },
}

impl Warning {
    /// A setting was ignored.
    pub fn unsupported_setting(setting: impl Into<String>) -> Self {
        Warning::UnsupportedSetting {
            setting: setting.into(),
            details: None,
        }
    }

    /// A tool was not sent.
    pub fn unsupported_tool(tool_name: impl Into<String>) -> Self {
        Warning::UnsupportedTool {
            tool_name: tool_name.into(),
            details: None,
        }
    }

    /// A feature runs in a compatibility mode.
    pub fn compatibility(feature: impl Into<String>) -> Self {
        Warning::Compatibility {
            feature: feature.into(),
            details: None,
        }
    }

    /// Any other warning.
    pub fn other(message: impl Into<String>) -> Self {
        Warning::Other {
            message: message.into(),
        }
    }

    /// Sets the details (no effect on [`Warning::Other`]).
    pub fn with_details(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Warning::UnsupportedSetting { details, .. }
            | Warning::UnsupportedTool { details, .. }
            | Warning::Compatibility { details, .. } => *details = Some(text.into()),
            Warning::Other { .. } => {}
        }
        self
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, details) = match self {
            Warning::UnsupportedSetting { setting, details } => {
                (format!("unsupported setting `{setting}`"), details)
            }
            Warning::UnsupportedTool { tool_name, details } => {
                (format!("unsupported tool `{tool_name}`"), details)
            }
            Warning::Compatibility { feature, details } => {
                (format!("compatibility mode for {feature}"), details)
            }
            Warning::Other { message } => return f.write_str(message),
        };
        f.write_str(&what)?;
        match details {
            Some(details) => write!(f, ": {details}"),
            None => Ok(()),
        }
    }
}

/// What the provider said about its response.
///
/// Serializes for logging and replay; header values marked sensitive are left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseMetadata {
    /// The response id the provider assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The model that answered, as the provider names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    /// When the response was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<SystemTime>,
    /// The response headers.
    #[serde(
        default,
        with = "crate::serde_util::header_map",
        skip_serializing_if = "crate::serde_util::header_map::is_empty"
    )]
    pub headers: HeaderMap,
    /// The request id (e.g. `x-amzn-requestid`), for support cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ResponseMetadata {
    /// Sets the response id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the model id.
    pub fn with_model_id(mut self, model_id: impl Into<String>) -> Self {
        self.model_id = Some(model_id.into());
        self
    }

    /// Sets the timestamp.
    pub fn with_timestamp(mut self, timestamp: SystemTime) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Sets the headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Takes every field `other` has; headers are appended.
    pub fn merge(&mut self, other: ResponseMetadata) {
        self.id = other.id.or(self.id.take());
        self.model_id = other.model_id.or(self.model_id.take());
        self.timestamp = other.timestamp.or(self.timestamp);
        self.request_id = other.request_id.or(self.request_id.take());
        for (name, value) in other.headers.iter() {
            self.headers.append(name, value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn usage_adds_known_counts() {
        let mut a = Usage::from_totals(Some(10), None);
        a.input_tokens.cache_read = Some(4);
        let b = Usage::from_totals(Some(5), Some(7));
        let sum = a + b;
        assert_eq!(sum.input_tokens.total, Some(15));
        assert_eq!(sum.input_tokens.cache_read, Some(4));
        assert_eq!(sum.output_tokens.total, Some(7));
        assert_eq!(sum.input_tokens.cache_write, None);
        assert_eq!(Usage::default().total_tokens(), None);
    }

    #[test]
    fn json_shapes() {
        assert_eq!(
            serde_json::to_value(FinishReason::ToolCalls).unwrap(),
            json!("tool-calls")
        );
        assert_eq!(
            serde_json::to_value(Warning::unsupported_tool("x").with_details("why")).unwrap(),
            json!({"type": "unsupported-tool", "tool_name": "x", "details": "why"})
        );
        assert_eq!(
            Warning::other("careful")
                .with_details("ignored")
                .to_string(),
            "careful"
        );
    }

    #[test]
    fn metadata_merge_prefers_the_newer_fields() {
        let mut a = ResponseMetadata::default()
            .with_id("a")
            .with_request_id("r");
        a.merge(ResponseMetadata::default().with_id("b").with_model_id("m"));
        assert_eq!(
            a,
            ResponseMetadata::default()
                .with_id("b")
                .with_model_id("m")
                .with_request_id("r")
        );
    }
}
