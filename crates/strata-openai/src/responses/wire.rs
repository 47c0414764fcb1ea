//! Serde types for the Responses API wire format (`POST /responses`).
//!
//! Requests serialize exactly what is set. Responses and stream events deserialize leniently:
//! unknown output items, content, annotations and event types become `Other` variants, so
//! new server features do not break old clients.
//!
//! ```
//! use strata_openai::responses::wire::{OutputItem, ResponsesResponse, StreamEvent};
//!
//! let response: ResponsesResponse = serde_json::from_str(r#"{"id": "resp_1", "status": "completed",
//!   "output": [{"type": "web_search_call", "id": "ws_1"}, {"type": "message", "id": "msg_1",
//!   "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}]}"#)?;
//! assert!(matches!(response.output.unwrap()[0], OutputItem::Other));
//! let event: StreamEvent = serde_json::from_str(
//!     r#"{"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": "H"}"#)?;
//! assert!(matches!(event, StreamEvent::OutputTextDelta { ref delta, .. } if delta == "H"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A Responses API request body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponsesRequest {
    /// The model id.
    pub model: String,
    /// The conversation as input items.
    pub input: Vec<InputItem>,
    /// Output-token limit (including reasoning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    /// How the model must use the tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    /// Whether several tool calls may come at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextConfig>,
    /// Reasoning effort and summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<ReasoningConfig>,
    /// Whether OpenAI stores the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<bool>,
    /// Request metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Service tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Continue from a stored response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_response_id: Option<String>,
    /// Extra output to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<String>>,
    /// Stream the response as server-sent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
}

/// One input item, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputItem {
    /// A message.
    Message {
        /// `system`, `developer`, `user` or `assistant`.
        role: String,
        /// The content.
        content: MessageContent,
    },
    /// A function call the model made earlier.
    FunctionCall {
        /// The call id.
        call_id: String,
        /// The function.
        name: String,
        /// The arguments as JSON text.
        arguments: String,
    },
    /// The result of a function call.
    FunctionCallOutput {
        /// The call id.
        call_id: String,
        /// The result as text.
        output: String,
    },
    /// A reasoning item returned earlier.
    Reasoning {
        /// The item id (`rs_…`).
        id: String,
        /// The summaries.
        summary: Vec<SummaryText>,
        /// Encrypted reasoning, when the response included it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        encrypted_content: Option<String>,
    },
}

/// Message content: a string or parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// Parts.
    Parts(Vec<InputContent>),
}

/// One part of an input message, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputContent {
    /// User text.
    InputText {
        /// The text.
        text: String,
    },
    /// An image by URL or `data:` URL.
    InputImage {
        /// The image.
        image_url: String,
        /// `low`, `high` or `auto`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A file (PDF).
    InputFile {
        /// The file name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
        /// The file as a `data:` URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file_data: Option<String>,
        /// The file by URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file_url: Option<String>,
    },
    /// Assistant text from an earlier turn.
    OutputText {
        /// The text.
        text: String,
    },
}

/// A reasoning summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SummaryText {
    /// Always `summary_text`.
    #[serde(rename = "type", default = "summary_text")]
    pub kind: String,
    /// The summary.
    #[serde(default)]
    pub text: String,
}

impl SummaryText {
    /// A `summary_text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            kind: summary_text(),
            text: text.into(),
        }
    }
}

fn summary_text() -> String {
    String::from("summary_text")
}

/// `text` of a request: the output format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextConfig {
    /// The format.
    pub format: TextFormat,
}

/// `text.format`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextFormat {
    /// Free text.
    Text,
    /// Any JSON object.
    JsonObject,
    /// JSON following a schema.
    JsonSchema {
        /// The name.
        name: String,
        /// What the output is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// The schema.
        schema: Value,
        /// Enforce the schema strictly.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strict: Option<bool>,
    },
}

/// `reasoning` of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningConfig {
    /// The effort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// Which summaries to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A Responses API response body (also inside `response.*` stream events).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponsesResponse {
    /// The response id (`resp_…`).
    #[serde(default)]
    pub id: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: Option<i64>,
    /// The model that answered.
    #[serde(default)]
    pub model: Option<String>,
    /// `completed`, `incomplete`, `failed`, `in_progress`…
    #[serde(default)]
    pub status: Option<String>,
    /// The output items (always present in a complete response).
    #[serde(default)]
    pub output: Option<Vec<OutputItem>>,
    /// Token usage.
    #[serde(default)]
    pub usage: Option<ResponsesUsage>,
    /// Why an incomplete response stopped.
    #[serde(default)]
    pub incomplete_details: Option<IncompleteDetails>,
    /// Why a failed response failed.
    #[serde(default)]
    pub error: Option<ResponseError>,
    /// The service tier used.
    #[serde(default)]
    pub service_tier: Option<String>,
}

/// `incomplete_details`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IncompleteDetails {
    /// `max_output_tokens` or `content_filter`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The `error` of a failed response, or an `error` stream event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseError {
    /// The error code.
    #[serde(default)]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// The parameter at fault.
    #[serde(default)]
    pub param: Option<String>,
}

/// One output item, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutputItem {
    /// An assistant message.
    Message {
        /// The item id (`msg_…`).
        #[serde(default)]
        id: String,
        /// The content.
        #[serde(default)]
        content: Vec<OutputContent>,
    },
    /// A function call.
    FunctionCall {
        /// The item id (`fc_…`).
        #[serde(default)]
        id: String,
        /// The call id (`call_…`), used to send the result back.
        call_id: String,
        /// The function.
        name: String,
        /// The arguments as JSON text.
        #[serde(default)]
        arguments: String,
    },
    /// Reasoning.
    Reasoning {
        /// The item id (`rs_…`).
        #[serde(default)]
        id: String,
        /// The summaries.
        #[serde(default)]
        summary: Vec<SummaryText>,
        /// Encrypted reasoning, when asked for with `include`.
        #[serde(default)]
        encrypted_content: Option<String>,
    },
    /// Any other item (built-in tool calls and the like).
    #[serde(other)]
    Other,
}

/// Content of an output message, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutputContent {
    /// Text.
    OutputText {
        /// The text.
        #[serde(default)]
        text: String,
        /// Citations.
        #[serde(default)]
        annotations: Vec<OutputAnnotation>,
    },
    /// A refusal.
    Refusal {
        /// The refusal message.
        #[serde(default)]
        refusal: String,
    },
    /// Anything else.
    #[serde(other)]
    Other,
}

/// A text annotation, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutputAnnotation {
    /// A web citation.
    UrlCitation {
        /// The URL.
        #[serde(default)]
        url: String,
        /// The page title.
        #[serde(default)]
        title: Option<String>,
    },
    /// Anything else.
    #[serde(other)]
    Other,
}

/// Token usage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponsesUsage {
    /// Input tokens.
    #[serde(default)]
    pub input_tokens: Option<u64>,
    /// Input-token details.
    #[serde(default)]
    pub input_tokens_details: Option<InputTokensDetails>,
    /// Output tokens (including reasoning).
    #[serde(default)]
    pub output_tokens: Option<u64>,
    /// Output-token details.
    #[serde(default)]
    pub output_tokens_details: Option<OutputTokensDetails>,
    /// Both.
    #[serde(default)]
    pub total_tokens: Option<u64>,
}

/// Input-token details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputTokensDetails {
    /// Tokens read from the prompt cache.
    #[serde(default)]
    pub cached_tokens: Option<u64>,
}

/// Output-token details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutputTokensDetails {
    /// Reasoning tokens.
    #[serde(default)]
    pub reasoning_tokens: Option<u64>,
}

/// One streaming event, tagged by `type` (the same as the SSE `event` field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum StreamEvent {
    /// The response was created.
    #[serde(rename = "response.created")]
    Created {
        /// The response so far.
        response: ResponsesResponse,
    },
    /// An output item started.
    #[serde(rename = "response.output_item.added")]
    OutputItemAdded {
        /// The item so far.
        item: OutputItem,
    },
    /// An output item is complete.
    #[serde(rename = "response.output_item.done")]
    OutputItemDone {
        /// The complete item.
        item: OutputItem,
    },
    /// Text was added to a message.
    #[serde(rename = "response.output_text.delta")]
    OutputTextDelta {
        /// The message item.
        item_id: String,
        /// The text added.
        delta: String,
    },
    /// A citation was added to a message.
    #[serde(rename = "response.output_text.annotation.added")]
    AnnotationAdded {
        /// The message item.
        item_id: String,
        /// The citation.
        annotation: OutputAnnotation,
    },
    /// Arguments were added to a function call.
    #[serde(rename = "response.function_call_arguments.delta")]
    FunctionCallArgumentsDelta {
        /// The function-call item.
        item_id: String,
        /// The arguments text added.
        delta: String,
    },
    /// A reasoning summary started.
    #[serde(rename = "response.reasoning_summary_part.added")]
    ReasoningSummaryPartAdded {
        /// The reasoning item.
        item_id: String,
        /// Which summary.
        summary_index: u32,
    },
    /// Summary text was added.
    #[serde(rename = "response.reasoning_summary_text.delta")]
    ReasoningSummaryTextDelta {
        /// The reasoning item.
        item_id: String,
        /// Which summary.
        summary_index: u32,
        /// The text added.
        delta: String,
    },
    /// The response completed.
    #[serde(rename = "response.completed")]
    Completed {
        /// The final response.
        response: ResponsesResponse,
    },
    /// The response stopped early (token limit, content filter).
    #[serde(rename = "response.incomplete")]
    Incomplete {
        /// The final response.
        response: ResponsesResponse,
    },
    /// The response failed.
    #[serde(rename = "response.failed")]
    Failed {
        /// The final response, with its `error`.
        response: ResponsesResponse,
    },
    /// A stream error.
    #[serde(rename = "error")]
    Error {
        /// The error code.
        #[serde(default)]
        code: Option<String>,
        /// What went wrong.
        #[serde(default)]
        message: String,
        /// The parameter at fault.
        #[serde(default)]
        param: Option<String>,
    },
    /// Any other event (progress, `*.done` events whose content came as deltas).
    #[serde(other)]
    Other,
}
