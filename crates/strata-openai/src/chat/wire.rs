//! Serde types for the Chat Completions wire format (`POST /chat/completions`).
//!
//! Requests serialize exactly what is set; responses and stream chunks deserialize leniently
//! (absent, `null` and unknown fields are accepted), because compatible servers differ.
//!
//! ```
//! use strata_openai::chat::wire::{ChatChunk, ChatResponse};
//!
//! let response: ChatResponse = serde_json::from_str(r#"{
//!     "id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o",
//!     "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}]
//! }"#)?;
//! assert_eq!(response.choices[0].message.content.as_deref(), Some("Hi!"));
//!
//! let chunk: ChatChunk = serde_json::from_str(r#"{"id": "chatcmpl-1", "choices": [{"index": 0, "delta": {"content": "H"}}]}"#)?;
//! assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("H"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A Chat Completions request body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatRequest {
    /// The model id.
    pub model: String,
    /// The conversation.
    pub messages: Vec<ChatMessage>,
    /// Output-token limit (older models and most compatible servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Output-token limit including reasoning tokens (reasoning models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Frequency penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Presence penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Sampling seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Stop sequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Vec<String>>,
    /// JSON output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Function tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ChatTool>>,
    /// How the model must use the tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ChatToolChoice>,
    /// Whether several tool calls may come at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Reasoning effort (`minimal`, `low`, `medium`, `high`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Whether OpenAI stores the completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<bool>,
    /// Request metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Service tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Stream the response as server-sent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Streaming options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
}

/// `stream_options` of a streaming request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamOptions {
    /// Send a last chunk carrying the usage.
    pub include_usage: bool,
}

impl StreamOptions {
    /// `{"include_usage": true}`.
    pub fn include_usage() -> Self {
        Self {
            include_usage: true,
        }
    }
}

/// One message of a request, tagged by `role`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
#[non_exhaustive]
pub enum ChatMessage {
    /// Instructions (non-reasoning models).
    System {
        /// The instructions.
        content: String,
    },
    /// Instructions (reasoning models).
    Developer {
        /// The instructions.
        content: String,
    },
    /// A user turn.
    User {
        /// Text, or text and media parts.
        content: UserContent,
    },
    /// An assistant turn.
    Assistant {
        /// The text (`null` when the turn is only tool calls).
        content: Option<String>,
        /// The tool calls.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool_calls: Option<Vec<ChatToolCall>>,
    },
    /// A tool result.
    Tool {
        /// The call this answers.
        tool_call_id: String,
        /// The result, as text.
        content: String,
    },
}

/// The content of a user message: a plain string when it is a single text part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum UserContent {
    /// Plain text.
    Text(String),
    /// Text and media parts.
    Parts(Vec<UserPart>),
}

/// One part of a user message, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserPart {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// An image by URL or `data:` URL.
    ImageUrl {
        /// The image.
        image_url: ImageUrl,
    },
    /// Base64 audio.
    InputAudio {
        /// The audio.
        input_audio: InputAudio,
    },
    /// A file (PDF) as a `data:` URL.
    File {
        /// The file.
        file: InputFile,
    },
}

/// An image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageUrl {
    /// An `https:` or `data:` URL.
    pub url: String,
    /// `low`, `high` or `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Base64 audio input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputAudio {
    /// The base64 audio.
    pub data: String,
    /// `wav` or `mp3`.
    pub format: String,
}

/// A file input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputFile {
    /// The file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The file as a `data:` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_data: Option<String>,
    /// A file uploaded earlier (`file-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
}

/// A tool call in an assistant message or a response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatToolCall {
    /// The call id.
    pub id: String,
    /// Always `function`.
    #[serde(rename = "type", default = "function_type")]
    pub kind: String,
    /// The function and its arguments.
    pub function: FunctionCall,
}

impl ChatToolCall {
    /// A function call.
    pub fn function(
        id: impl Into<String>,
        name: impl Into<String>,
        arguments: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            kind: function_type(),
            function: FunctionCall {
                name: name.into(),
                arguments: arguments.into(),
            },
        }
    }
}

fn function_type() -> String {
    String::from("function")
}

/// A function name and its JSON arguments as a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCall {
    /// The function name.
    pub name: String,
    /// The arguments, a JSON document as text.
    #[serde(default)]
    pub arguments: String,
}

/// A function tool offered to the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatTool {
    /// Always `function`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The function.
    pub function: FunctionDefinition,
}

/// A function's name, description and parameter schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDefinition {
    /// The name.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON schema of the arguments.
    pub parameters: Value,
    /// Enforce the schema strictly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// `tool_choice`: a mode or one named function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ChatToolChoice {
    /// `"auto"`, `"none"` or `"required"`.
    Mode(ToolChoiceMode),
    /// `{"type": "function", "function": {"name": …}}`.
    Named(NamedToolChoice),
}

/// A tool-choice mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ToolChoiceMode {
    /// The model decides.
    Auto,
    /// No tool calls.
    None,
    /// At least one tool call.
    Required,
}

/// A forced function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedToolChoice {
    /// Always `function`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The function.
    pub function: FunctionName,
}

/// A function name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionName {
    /// The name.
    pub name: String,
}

/// `response_format`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResponseFormat {
    /// Free text.
    Text,
    /// Any JSON object.
    JsonObject,
    /// JSON following a schema.
    JsonSchema {
        /// The schema and its name.
        json_schema: JsonSchema,
    },
}

/// A named JSON schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JsonSchema {
    /// The name (`[a-zA-Z0-9_-]`, up to 64 characters).
    pub name: String,
    /// What the output is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The schema.
    pub schema: Value,
    /// Enforce the schema strictly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// A Chat Completions response body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatResponse {
    /// The completion id.
    #[serde(default)]
    pub id: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: Option<i64>,
    /// The model that answered.
    #[serde(default)]
    pub model: Option<String>,
    /// The choices (one unless `n` was set).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub choices: Vec<ChatChoice>,
    /// Token usage.
    #[serde(default)]
    pub usage: Option<ChatUsage>,
    /// Backend configuration fingerprint.
    #[serde(default)]
    pub system_fingerprint: Option<String>,
    /// The service tier used.
    #[serde(default)]
    pub service_tier: Option<String>,
}

/// One choice of a response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatChoice {
    /// The choice index.
    #[serde(default)]
    pub index: u32,
    /// The generated message.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub message: ResponseMessage,
    /// Why generation stopped.
    #[serde(default)]
    pub finish_reason: Option<String>,
}

/// The assistant message of a response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseMessage {
    /// The text.
    #[serde(default)]
    pub content: Option<String>,
    /// Reasoning text (DeepSeek, vLLM, Bedrock mantle and others).
    #[serde(default)]
    pub reasoning_content: Option<String>,
    /// Reasoning text under the name some servers use instead.
    #[serde(default)]
    pub reasoning: Option<String>,
    /// A refusal message.
    #[serde(default)]
    pub refusal: Option<String>,
    /// Tool calls.
    #[serde(default)]
    pub tool_calls: Option<Vec<ChatToolCall>>,
    /// Citations.
    #[serde(default)]
    pub annotations: Option<Vec<Annotation>>,
}

/// A message annotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Annotation {
    /// A web citation.
    UrlCitation {
        /// The cited page.
        url_citation: UrlCitation,
    },
    /// Any other annotation.
    #[serde(other)]
    Other,
}

/// A cited URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UrlCitation {
    /// The URL.
    #[serde(default)]
    pub url: String,
    /// The page title.
    #[serde(default)]
    pub title: Option<String>,
}

/// Token usage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatUsage {
    /// Prompt tokens.
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    /// Generated tokens (including reasoning).
    #[serde(default)]
    pub completion_tokens: Option<u64>,
    /// Both.
    #[serde(default)]
    pub total_tokens: Option<u64>,
    /// Prompt-token details.
    #[serde(default)]
    pub prompt_tokens_details: Option<PromptTokensDetails>,
    /// Completion-token details.
    #[serde(default)]
    pub completion_tokens_details: Option<CompletionTokensDetails>,
}

/// Prompt-token details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PromptTokensDetails {
    /// Tokens read from the prompt cache.
    #[serde(default)]
    pub cached_tokens: Option<u64>,
}

/// Completion-token details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionTokensDetails {
    /// Reasoning tokens.
    #[serde(default)]
    pub reasoning_tokens: Option<u64>,
    /// Predicted-output tokens that were used.
    #[serde(default)]
    pub accepted_prediction_tokens: Option<u64>,
    /// Predicted-output tokens that were not.
    #[serde(default)]
    pub rejected_prediction_tokens: Option<u64>,
}

/// One streamed chunk (`chat.completion.chunk`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatChunk {
    /// The completion id.
    #[serde(default)]
    pub id: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: Option<i64>,
    /// The model.
    #[serde(default)]
    pub model: Option<String>,
    /// Deltas per choice (empty in the usage chunk).
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub choices: Vec<ChunkChoice>,
    /// Usage, in the last chunk when `stream_options.include_usage` was set.
    #[serde(default)]
    pub usage: Option<ChatUsage>,
    /// The service tier used.
    #[serde(default)]
    pub service_tier: Option<String>,
    /// An error the server reports in place of a chunk.
    #[serde(default)]
    pub error: Option<crate::error::ErrorObject>,
}

/// The delta of one choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// The choice index.
    #[serde(default)]
    pub index: u32,
    /// What was added.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_default")]
    pub delta: ChunkDelta,
    /// Why generation stopped, in the choice's last chunk.
    #[serde(default)]
    pub finish_reason: Option<String>,
}

/// What one chunk adds to a choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkDelta {
    /// Text.
    #[serde(default)]
    pub content: Option<String>,
    /// Reasoning text.
    #[serde(default)]
    pub reasoning_content: Option<String>,
    /// Reasoning text, under the other name.
    #[serde(default)]
    pub reasoning: Option<String>,
    /// Refusal text.
    #[serde(default)]
    pub refusal: Option<String>,
    /// Tool-call fragments.
    #[serde(default)]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// Citations.
    #[serde(default)]
    pub annotations: Option<Vec<Annotation>>,
}

/// A fragment of a tool call; fragments with the same `index` form one call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallDelta {
    /// Which call this fragment belongs to.
    pub index: u32,
    /// The call id (first fragment).
    #[serde(default)]
    pub id: Option<String>,
    /// The function name and an arguments fragment.
    #[serde(default)]
    pub function: Option<FunctionDelta>,
}

/// A function-call fragment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDelta {
    /// The name (first fragment).
    #[serde(default)]
    pub name: Option<String>,
    /// A piece of the arguments text.
    #[serde(default)]
    pub arguments: Option<String>,
}
