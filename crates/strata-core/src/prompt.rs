//! The prompt: messages with roles, made of parts.
//!
//! Each role allows some parts (checked by [`validate`]): system messages hold text; user
//! messages text and files; assistant messages text, files, reasoning, tool calls and
//! provider-executed tool results; tool messages tool results. Every part and message can carry
//! [`ProviderOptions`], which is how provider features such as Bedrock cache points are asked for.
//!
//! ```
//! use serde_json::json;
//! use strata_core::prompt::{self, FilePart, Message, Part, ToolCallPart, ToolResultOutput, ToolResultPart};
//!
//! let prompt = vec![
//!     Message::system("You are terse."),
//!     Message::user(vec![
//!         Part::text("What is in this picture?"),
//!         FilePart::from_bytes(&b"\x89PNG"[..], "image/png").into(),
//!     ]),
//!     Message::assistant(vec![ToolCallPart::new("call-1", "describe", json!({"detail": "low"})).into()]),
//!     Message::tool(vec![ToolResultPart::new("call-1", "describe", ToolResultOutput::text("a cat"))]),
//! ];
//! prompt::validate(&prompt)?;
//! # Ok::<(), strata_core::Error>(())
//! ```

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, ProviderOptions};

/// A conversation: the messages sent to a language model, oldest first.
pub type Prompt = Vec<Message>;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The user.
    User,
    /// The model.
    Assistant,
    /// Results of tool calls the assistant asked for.
    Tool,
}

impl Role {
    /// The role's lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }
}

/// One message of a [`Prompt`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// Its parts, in order.
    pub content: Vec<Part>,
    /// Provider-specific options for the whole message.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl Message {
    /// A message with any role and parts.
    pub fn new(role: Role, content: Vec<Part>) -> Self {
        Self {
            role,
            content,
            provider_options: ProviderOptions::default(),
        }
    }

    /// A system message with one text part.
    pub fn system(text: impl Into<String>) -> Self {
        Self::new(Role::System, vec![Part::text(text)])
    }

    /// A user message with these parts.
    pub fn user(content: Vec<Part>) -> Self {
        Self::new(Role::User, content)
    }

    /// A user message with one text part.
    pub fn user_text(text: impl Into<String>) -> Self {
        Self::user(vec![Part::text(text)])
    }

    /// An assistant message with these parts.
    pub fn assistant(content: Vec<Part>) -> Self {
        Self::new(Role::Assistant, content)
    }

    /// An assistant message with one text part.
    pub fn assistant_text(text: impl Into<String>) -> Self {
        Self::assistant(vec![Part::text(text)])
    }

    /// A tool message carrying tool results.
    pub fn tool(results: Vec<ToolResultPart>) -> Self {
        Self::new(
            Role::Tool,
            results.into_iter().map(Part::ToolResult).collect(),
        )
    }

    /// Sets the message's provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }

    /// Checks that every part is allowed for the role and that the message is not empty.
    pub fn validate(&self) -> Result<(), Error> {
        if self.content.is_empty() {
            return Err(Error::invalid_prompt(format!(
                "a {} message has no parts",
                self.role.as_str()
            )));
        }
        for part in &self.content {
            let allowed = match self.role {
                Role::System => matches!(part, Part::Text(_)),
                Role::User => matches!(part, Part::Text(_) | Part::File(_)),
                Role::Assistant => true,
                Role::Tool => matches!(part, Part::ToolResult(_)),
            };
            if !allowed {
                return Err(Error::invalid_prompt(format!(
                    "a {} part is not allowed in a {} message",
                    part.kind(),
                    self.role.as_str()
                )));
            }
        }
        Ok(())
    }

    /// The message's text parts joined together.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|part| match part {
                Part::Text(text) => Some(text.text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Checks a whole prompt: not empty, and every message valid (see [`Message::validate`]).
pub fn validate(prompt: &[Message]) -> Result<(), Error> {
    if prompt.is_empty() {
        return Err(Error::invalid_prompt("the prompt has no messages"));
    }
    prompt.iter().try_for_each(Message::validate)
}

/// One part of a [`Message`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Part {
    /// Text.
    Text(TextPart),
    /// A file: an image, a document, audio...
    File(FilePart),
    /// Reasoning the model produced earlier (assistant messages only).
    Reasoning(ReasoningPart),
    /// A tool call the model made earlier (assistant messages only).
    ToolCall(ToolCallPart),
    /// The result of a tool call.
    ToolResult(ToolResultPart),
}

impl Part {
    /// A text part.
    pub fn text(text: impl Into<String>) -> Self {
        Part::Text(TextPart::new(text))
    }

    /// The part's kind, as in its serialized `type` (`"text"`, `"tool-call"`...).
    pub fn kind(&self) -> &'static str {
        match self {
            Part::Text(_) => "text",
            Part::File(_) => "file",
            Part::Reasoning(_) => "reasoning",
            Part::ToolCall(_) => "tool-call",
            Part::ToolResult(_) => "tool-result",
        }
    }

    /// The part's provider options.
    pub fn provider_options(&self) -> &ProviderOptions {
        match self {
            Part::Text(p) => &p.provider_options,
            Part::File(p) => &p.provider_options,
            Part::Reasoning(p) => &p.provider_options,
            Part::ToolCall(p) => &p.provider_options,
            Part::ToolResult(p) => &p.provider_options,
        }
    }
}

macro_rules! part_from {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for Part {
            fn from(part: $ty) -> Self {
                Part::$variant(part)
            }
        }
    )*};
}
part_from!(
    Text(TextPart),
    File(FilePart),
    Reasoning(ReasoningPart),
    ToolCall(ToolCallPart),
    ToolResult(ToolResultPart)
);

/// A text part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextPart {
    /// The text.
    pub text: String,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl TextPart {
    /// A text part.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// Where a file's content is: inline bytes (serialized as base64) or a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileData {
    /// The bytes themselves.
    Bytes(#[serde(with = "crate::serde_util::base64_bytes")] Bytes),
    /// A URL the provider fetches (`https://...`, `s3://...`).
    Url(String),
}

/// A file part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FilePart {
    /// The content.
    pub data: FileData,
    /// The IANA media type, e.g. `image/png`, `application/pdf`.
    pub media_type: String,
    /// The file name, when known (some providers require one for documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl FilePart {
    /// A file given by its bytes.
    pub fn from_bytes(data: impl Into<Bytes>, media_type: impl Into<String>) -> Self {
        Self::new(FileData::Bytes(data.into()), media_type)
    }

    /// A file given by a URL.
    pub fn from_url(url: impl Into<String>, media_type: impl Into<String>) -> Self {
        Self::new(FileData::Url(url.into()), media_type)
    }

    fn new(data: FileData, media_type: impl Into<String>) -> Self {
        Self {
            data,
            media_type: media_type.into(),
            filename: None,
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the file name.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// Reasoning sent back to the model. Signatures and redacted data travel in the provider
/// options (e.g. `{"bedrock": {"signature": "..."}}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningPart {
    /// The reasoning text (empty for redacted reasoning).
    pub text: String,
    /// Provider-specific options, such as the signature.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl ReasoningPart {
    /// A reasoning part.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// A tool call the model made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallPart {
    /// The call's id, matched by the [`ToolResultPart`].
    pub tool_call_id: String,
    /// The tool's name.
    pub tool_name: String,
    /// The arguments, as JSON.
    pub input: Value,
    /// Whether the provider ran the tool itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provider_executed: bool,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl ToolCallPart {
    /// A tool call.
    pub fn new(
        tool_call_id: impl Into<String>,
        tool_name: impl Into<String>,
        input: Value,
    ) -> Self {
        Self {
            tool_call_id: tool_call_id.into(),
            tool_name: tool_name.into(),
            input,
            provider_executed: false,
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// The result of a tool call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolResultPart {
    /// The id of the call this answers.
    pub tool_call_id: String,
    /// The tool's name.
    pub tool_name: String,
    /// What the tool returned.
    pub output: ToolResultOutput,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl ToolResultPart {
    /// A tool result.
    pub fn new(
        tool_call_id: impl Into<String>,
        tool_name: impl Into<String>,
        output: ToolResultOutput,
    ) -> Self {
        Self {
            tool_call_id: tool_call_id.into(),
            tool_name: tool_name.into(),
            output,
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// What a tool returned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ToolResultOutput {
    /// Text.
    Text(String),
    /// JSON.
    Json(Value),
    /// Text and files (e.g. a screenshot).
    Content(Vec<ToolResultContent>),
    /// The tool failed; the error as text.
    ErrorText(String),
    /// The tool failed; the error as JSON.
    ErrorJson(Value),
}

impl ToolResultOutput {
    /// A text output.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A JSON output.
    pub fn json(value: Value) -> Self {
        Self::Json(value)
    }

    /// A text error.
    pub fn error_text(text: impl Into<String>) -> Self {
        Self::ErrorText(text.into())
    }

    /// Whether the output reports a failure.
    pub fn is_error(&self) -> bool {
        matches!(self, Self::ErrorText(_) | Self::ErrorJson(_))
    }
}

/// One item of a [`ToolResultOutput::Content`] output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ToolResultContent {
    /// Text.
    Text(TextPart),
    /// A file.
    File(FilePart),
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn validate_rejects_parts_the_role_does_not_allow() {
        let err = Message::user(vec![ReasoningPart::new("hm").into()])
            .validate()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid prompt: a reasoning part is not allowed in a user message"
        );
        let err = Message::new(Role::System, vec![]).validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid prompt: a system message has no parts"
        );
        assert!(validate(&[]).unwrap_err().is_invalid_prompt());
        let err = Message::new(Role::Tool, vec![Part::text("x")])
            .validate()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("a text part is not allowed in a tool message")
        );
    }

    #[test]
    fn json_shape() {
        let message = Message::user(vec![
            Part::text("hi"),
            FilePart::from_bytes(&b"ab"[..], "image/png")
                .with_filename("a.png")
                .into(),
        ]);
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            json!({"role": "user", "content": [
                {"type": "text", "text": "hi"},
                {"type": "file", "data": {"bytes": "YWI="}, "media_type": "image/png", "filename": "a.png"}
            ]})
        );
        let output = ToolResultOutput::error_text("boom");
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            json!({"type": "error-text", "value": "boom"})
        );
        assert_eq!(message.text(), "hi");
    }
}
