//! Typed `provider_options["openai"]` for calls and prompt parts.
//!
//! Every model of this crate reads the `"openai"` namespace, whatever its provider's name:
//! OpenAI, a compatible server renamed with [`OpenAiBuilder::name`](crate::OpenAiBuilder::name)
//! (`"vllm"`), and Bedrock mantle models (provider name `"bedrock-mantle"`) alike. Other
//! namespaces — `"bedrock-mantle"`, or `"bedrock"` meant for Converse models — are ignored, so
//! one set of options can go to models of several providers. Provider metadata comes back
//! under `"openai"` too.
//!
//! ```
//! use serde_json::json;
//! use strata_openai::options::{OpenAiOptions, ReasoningSummary};
//!
//! let mut options = OpenAiOptions::default();
//! options.user = Some("user-1234".into());
//! options.reasoning_summary = Some(ReasoningSummary::Auto);
//! let provider_options = options.to_provider_options();
//! assert_eq!(provider_options.value("openai", "reasoningSummary"), Some(&json!("auto")));
//! assert_eq!(OpenAiOptions::from_provider_options(&provider_options)?, options);
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use strata_core::{Error, ProviderOptions};

/// The provider-options namespace of this crate: `"openai"`.
pub const PROVIDER: &str = "openai";

/// Options for one call, read from `provider_options["openai"]` (camelCase keys).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct OpenAiOptions {
    /// An end-user id for abuse monitoring (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Whether the model may call several tools at once (`parallel_tool_calls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Whether OpenAI stores the completion or response (`store`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<bool>,
    /// Request metadata (`metadata`), string keys and values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// The service tier (`service_tier`), e.g. `"flex"` or `"priority"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// A raw `reasoning_effort` / `reasoning.effort`, overriding the call's reasoning setting
    /// (for levels strata has no name for, such as `"none"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
    /// Reasoning summaries to ask the Responses API for (`reasoning.summary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_summary: Option<ReasoningSummary>,
    /// The `strict` flag of a JSON-schema response format (left out when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict_json_schema: Option<bool>,
    /// How system messages are sent; by default `developer` for reasoning models, `system`
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_message_mode: Option<SystemMessageMode>,
    /// Which field carries the output-token limit in Chat Completions; by default
    /// `max_completion_tokens` for reasoning models, `max_tokens` otherwise (what most
    /// compatible servers understand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens_field: Option<MaxTokensField>,
    /// Responses API: continue from a stored response (`previous_response_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_response_id: Option<String>,
    /// Responses API: extra output to include (`include`), e.g.
    /// `"reasoning.encrypted_content"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
}

impl OpenAiOptions {
    /// Reads the options from `provider_options["openai"]`; unknown keys and wrong types are
    /// invalid-argument errors naming `provider_options.openai`.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        Ok(options.parse(PROVIDER)?.unwrap_or_default())
    }

    /// The system message mode: the option, else `developer` for reasoning models and
    /// `system` otherwise.
    pub(crate) fn system_mode(&self, reasoning_model: bool) -> SystemMessageMode {
        self.system_message_mode.unwrap_or(if reasoning_model {
            SystemMessageMode::Developer
        } else {
            SystemMessageMode::System
        })
    }

    /// The options as `provider_options["openai"]`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        let mut options = ProviderOptions::new();
        if let Ok(Value::Object(fields)) = serde_json::to_value(self) {
            options.entry(PROVIDER).extend(fields);
        }
        options
    }
}

/// Which reasoning summaries the Responses API returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ReasoningSummary {
    /// The most detailed summary the model supports.
    Auto,
    /// A short summary.
    Concise,
    /// A detailed summary.
    Detailed,
}

/// How system messages are sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SystemMessageMode {
    /// As `system` messages.
    System,
    /// As `developer` messages (OpenAI reasoning models).
    Developer,
    /// Left out, with a warning.
    Remove,
}

/// Which request field carries the output-token limit in Chat Completions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MaxTokensField {
    /// `max_tokens` (older OpenAI models and most compatible servers).
    MaxTokens,
    /// `max_completion_tokens` (required by OpenAI reasoning models).
    MaxCompletionTokens,
}

/// Options of one prompt part, from the part's `provider_options["openai"]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PartOptions {
    /// The `detail` of an image: `"low"`, `"high"` or `"auto"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_detail: Option<String>,
    /// The Responses API item id this part came from (`msg_…`, `rs_…`, `fc_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// Encrypted reasoning content to send back with a reasoning item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_encrypted_content: Option<String>,
}

impl PartOptions {
    /// Reads the options of a part; other keys are ignored, since parts carry back the
    /// provider metadata of earlier results.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        Ok(options.parse(PROVIDER)?.unwrap_or_default())
    }
}

/// Whether `model_id` names an OpenAI reasoning model (o1, o3, o4 and gpt-5 families), which
/// take `max_completion_tokens` and `developer` messages and ignore sampling settings.
pub fn is_reasoning_model(model_id: &str) -> bool {
    let id = model_id.rsplit('/').next().unwrap_or(model_id);
    ["o1", "o3", "o4"]
        .iter()
        .any(|family| id == *family || id.starts_with(&format!("{family}-")))
        || (id.starts_with("gpt-5") && !id.starts_with("gpt-5-chat"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reasoning_models() {
        for id in [
            "o1",
            "o1-mini",
            "o3-2025-04-16",
            "o4-mini",
            "gpt-5",
            "gpt-5-mini",
            "openai/gpt-5.1",
        ] {
            assert!(is_reasoning_model(id), "{id}");
        }
        for id in [
            "gpt-4o",
            "gpt-4.1-mini",
            "gpt-5-chat-latest",
            "o10",
            "llama3.1",
            "omni",
        ] {
            assert!(!is_reasoning_model(id), "{id}");
        }
    }

    #[test]
    fn unknown_and_mistyped_keys_are_named_errors() {
        let options = ProviderOptions::new().with(PROVIDER, "usr", "x");
        let error = OpenAiOptions::from_provider_options(&options).unwrap_err();
        assert!(error.is_invalid_argument());
        assert_eq!(error.argument(), Some("provider_options.openai"));
        let options = ProviderOptions::new().with(PROVIDER, "store", "yes");
        assert!(OpenAiOptions::from_provider_options(&options).is_err());
        let options = ProviderOptions::new()
            .with(PROVIDER, "imageDetail", "low")
            .with(PROVIDER, "somethingElse", json!(1));
        assert_eq!(
            PartOptions::from_provider_options(&options)
                .unwrap()
                .image_detail
                .as_deref(),
            Some("low")
        );
    }
}
