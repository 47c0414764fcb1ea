//! strata prompt → Chat Completions `messages`.
//!
//! - System messages become `system` or `developer` messages (or are left out, with a
//!   warning), per [`SystemMessageMode`].
//! - A user message that is one text part is sent as a string; otherwise as parts: text,
//!   images (`image_url` with the part's URL or a `data:` URL, and the part option
//!   `imageDetail`), wav/mp3 audio (`input_audio`, bytes only) and PDF (`file` with a `data:`
//!   URL, bytes only).
//! - Assistant text parts are joined; tool calls become `tool_calls` with the input as JSON
//!   text. Reasoning parts are not sent back (Chat Completions has no field for them), nor are
//!   provider-executed tool calls and results.
//! - Every tool result becomes its own `tool` message: text as is, JSON as JSON text, content
//!   as its joined text.
//!
//! ```
//! use serde_json::json;
//! use strata_core::prompt::{ToolCallPart, ToolResultOutput, ToolResultPart};
//! use strata_core::Message;
//! use strata_openai::chat::convert::convert_messages;
//! use strata_openai::options::SystemMessageMode;
//!
//! let prompt = vec![
//!     Message::system("Be brief."),
//!     Message::user_text("Weather in Paris?"),
//!     Message::assistant(vec![ToolCallPart::new("call_1", "weather", json!({"city": "Paris"})).into()]),
//!     Message::tool(vec![ToolResultPart::new("call_1", "weather", ToolResultOutput::json(json!({"temp": 21})))]),
//! ];
//! let converted = convert_messages(&prompt, SystemMessageMode::System)?;
//! assert_eq!(serde_json::to_value(&converted.messages).unwrap(), json!([
//!     {"role": "system", "content": "Be brief."},
//!     {"role": "user", "content": "Weather in Paris?"},
//!     {"role": "assistant", "content": null, "tool_calls": [
//!         {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}
//!     ]},
//!     {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\":21}"}
//! ]));
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::prompt::{FilePart, ToolResultContent, ToolResultOutput};
use strata_core::{Error, Message, Part, Role, Warning};

use super::wire::{
    ChatMessage, ChatToolCall, ImageUrl, InputAudio, InputFile, UserContent, UserPart,
};
use crate::media::{self, MediaKind};
use crate::options::{PartOptions, SystemMessageMode};

/// The converted prompt.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ConvertedMessages {
    /// The request's `messages`.
    pub messages: Vec<ChatMessage>,
    /// What was left out.
    pub warnings: Vec<Warning>,
}

/// Converts a prompt; parts the API cannot take are unsupported-functionality errors.
pub fn convert_messages(
    prompt: &[Message],
    system: SystemMessageMode,
) -> Result<ConvertedMessages, Error> {
    strata_core::prompt::validate(prompt)?;
    let mut out = ConvertedMessages::default();
    for message in prompt {
        match message.role {
            Role::System => {
                let content = message.text();
                match system {
                    SystemMessageMode::System => out.messages.push(ChatMessage::System { content }),
                    SystemMessageMode::Developer => {
                        out.messages.push(ChatMessage::Developer { content })
                    }
                    _ => out
                        .warnings
                        .push(Warning::other("system messages are removed for this model")),
                }
            }
            Role::User => out.messages.push(user_message(&message.content)?),
            Role::Assistant => out.messages.push(assistant_message(&message.content)),
            Role::Tool => {
                for part in &message.content {
                    if let Part::ToolResult(result) = part {
                        out.messages.push(ChatMessage::Tool {
                            tool_call_id: result.tool_call_id.clone(),
                            content: tool_output_text(&result.output)?,
                        });
                    }
                }
            }
            _ => return Err(Error::unsupported(format!("{:?} messages", message.role))),
        }
    }
    Ok(out)
}

fn user_message(parts: &[Part]) -> Result<ChatMessage, Error> {
    if let [Part::Text(text)] = parts {
        return Ok(ChatMessage::User {
            content: UserContent::Text(text.text.clone()),
        });
    }
    let parts = parts
        .iter()
        .filter_map(|part| match part {
            Part::Text(text) => Some(Ok(UserPart::Text {
                text: text.text.clone(),
            })),
            Part::File(file) => Some(file_part(file)),
            _ => None,
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ChatMessage::User {
        content: UserContent::Parts(parts),
    })
}

fn file_part(file: &FilePart) -> Result<UserPart, Error> {
    Ok(match media::kind(file)? {
        MediaKind::Image => UserPart::ImageUrl {
            image_url: ImageUrl {
                url: media::url(file),
                detail: PartOptions::from_provider_options(&file.provider_options)?.image_detail,
            },
        },
        MediaKind::Audio(format) => UserPart::InputAudio {
            input_audio: InputAudio {
                data: media::base64(file, "audio")?,
                format: format.to_owned(),
            },
        },
        MediaKind::Pdf => {
            if media::is_url(file) {
                return Err(Error::unsupported("PDF files given by URL"));
            }
            UserPart::File {
                file: InputFile {
                    filename: Some(
                        file.filename
                            .clone()
                            .unwrap_or_else(|| String::from("document.pdf")),
                    ),
                    file_data: Some(media::url(file)),
                    file_id: None,
                },
            }
        }
    })
}

fn assistant_message(parts: &[Part]) -> ChatMessage {
    let mut text: Option<String> = None;
    let mut calls = Vec::new();
    for part in parts {
        match part {
            Part::Text(part) => text.get_or_insert_with(String::new).push_str(&part.text),
            Part::ToolCall(call) if !call.provider_executed => calls.push(ChatToolCall::function(
                call.tool_call_id.clone(),
                call.tool_name.clone(),
                call.input.to_string(),
            )),
            _ => {}
        }
    }
    ChatMessage::Assistant {
        content: text,
        tool_calls: (!calls.is_empty()).then_some(calls),
    }
}

/// A tool result as the text of a `tool` message (or a Responses `function_call_output`).
pub(crate) fn tool_output_text(output: &ToolResultOutput) -> Result<String, Error> {
    Ok(match output {
        ToolResultOutput::Text(text) | ToolResultOutput::ErrorText(text) => text.clone(),
        ToolResultOutput::Json(value) | ToolResultOutput::ErrorJson(value) => value.to_string(),
        ToolResultOutput::Content(content) => {
            let mut text = String::new();
            for item in content {
                match item {
                    ToolResultContent::Text(part) => text.push_str(&part.text),
                    _ => return Err(Error::unsupported("files in OpenAI tool results")),
                }
            }
            text
        }
        _ => return Err(Error::unsupported("this kind of tool result output")),
    })
}
