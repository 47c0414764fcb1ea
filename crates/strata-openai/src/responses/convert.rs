//! strata prompt → Responses API `input` items.
//!
//! - System messages become `system` or `developer` messages (or are left out, with a
//!   warning).
//! - User messages become `input_text`, `input_image` (URL or `data:` URL, `imageDetail`
//!   option) and `input_file` (PDF as a `data:` URL or by URL) parts; audio is unsupported.
//! - Assistant text becomes an assistant message of `output_text` parts; tool calls become
//!   `function_call` items; reasoning parts carrying an `itemId` option (as results from this
//!   API do) become `reasoning` items, their summaries and encrypted content merged per item.
//!   Reasoning without an item id cannot be sent back and gets a warning.
//! - Tool results become `function_call_output` items.
//!
//! ```
//! use serde_json::json;
//! use strata_core::prompt::{ToolCallPart, ToolResultOutput, ToolResultPart};
//! use strata_core::Message;
//! use strata_openai::options::SystemMessageMode;
//! use strata_openai::responses::convert::convert_input;
//!
//! let prompt = vec![
//!     Message::system("Be brief."),
//!     Message::user_text("Weather in Paris?"),
//!     Message::assistant(vec![ToolCallPart::new("call_1", "weather", json!({"city": "Paris"})).into()]),
//!     Message::tool(vec![ToolResultPart::new("call_1", "weather", ToolResultOutput::text("21°C"))]),
//! ];
//! let converted = convert_input(&prompt, SystemMessageMode::Developer)?;
//! assert_eq!(serde_json::to_value(&converted.input).unwrap(), json!([
//!     {"type": "message", "role": "developer", "content": "Be brief."},
//!     {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"}]},
//!     {"type": "function_call", "call_id": "call_1", "name": "weather", "arguments": "{\"city\":\"Paris\"}"},
//!     {"type": "function_call_output", "call_id": "call_1", "output": "21°C"}
//! ]));
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::prompt::FilePart;
use strata_core::{Error, Message, Part, Role, Warning};

use super::wire::{InputContent, InputItem, MessageContent, SummaryText};
use crate::chat::convert::tool_output_text;
use crate::media::{self, MediaKind};
use crate::options::{PartOptions, SystemMessageMode};

/// The converted prompt.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ConvertedInput {
    /// The request's `input`.
    pub input: Vec<InputItem>,
    /// What was left out.
    pub warnings: Vec<Warning>,
}

/// Converts a prompt; parts the API cannot take are unsupported-functionality errors.
pub fn convert_input(
    prompt: &[Message],
    system: SystemMessageMode,
) -> Result<ConvertedInput, Error> {
    strata_core::prompt::validate(prompt)?;
    let mut out = ConvertedInput::default();
    for message in prompt {
        match message.role {
            Role::System => {
                let role = match system {
                    SystemMessageMode::System => "system",
                    SystemMessageMode::Developer => "developer",
                    _ => {
                        out.warnings
                            .push(Warning::other("system messages are removed for this model"));
                        continue;
                    }
                };
                out.input.push(InputItem::Message {
                    role: role.to_owned(),
                    content: MessageContent::Text(message.text()),
                });
            }
            Role::User => {
                let parts = message
                    .content
                    .iter()
                    .filter_map(|part| match part {
                        Part::Text(text) => Some(Ok(InputContent::InputText {
                            text: text.text.clone(),
                        })),
                        Part::File(file) => Some(file_content(file)),
                        _ => None,
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                out.input.push(InputItem::Message {
                    role: String::from("user"),
                    content: MessageContent::Parts(parts),
                });
            }
            Role::Assistant => assistant_items(&message.content, &mut out)?,
            Role::Tool => {
                for part in &message.content {
                    if let Part::ToolResult(result) = part {
                        out.input.push(InputItem::FunctionCallOutput {
                            call_id: result.tool_call_id.clone(),
                            output: tool_output_text(&result.output)?,
                        });
                    }
                }
            }
            _ => return Err(Error::unsupported(format!("{:?} messages", message.role))),
        }
    }
    Ok(out)
}

fn file_content(file: &FilePart) -> Result<InputContent, Error> {
    Ok(match media::kind(file)? {
        MediaKind::Image => InputContent::InputImage {
            image_url: media::url(file),
            detail: PartOptions::from_provider_options(&file.provider_options)?.image_detail,
        },
        MediaKind::Pdf if media::is_url(file) => InputContent::InputFile {
            filename: None,
            file_data: None,
            file_url: Some(media::url(file)),
        },
        MediaKind::Pdf => InputContent::InputFile {
            filename: Some(
                file.filename
                    .clone()
                    .unwrap_or_else(|| String::from("document.pdf")),
            ),
            file_data: Some(media::url(file)),
            file_url: None,
        },
        MediaKind::Audio(_) => return Err(Error::unsupported("audio input in the Responses API")),
    })
}

fn assistant_items(parts: &[Part], out: &mut ConvertedInput) -> Result<(), Error> {
    let mut text: Vec<InputContent> = Vec::new();
    let flush = |text: &mut Vec<InputContent>, input: &mut Vec<InputItem>| {
        if !text.is_empty() {
            input.push(InputItem::Message {
                role: String::from("assistant"),
                content: MessageContent::Parts(std::mem::take(text)),
            });
        }
    };
    for part in parts {
        match part {
            Part::Text(part) => text.push(InputContent::OutputText {
                text: part.text.clone(),
            }),
            Part::ToolCall(call) if !call.provider_executed => {
                flush(&mut text, &mut out.input);
                out.input.push(InputItem::FunctionCall {
                    call_id: call.tool_call_id.clone(),
                    name: call.tool_name.clone(),
                    arguments: call.input.to_string(),
                });
            }
            Part::Reasoning(reasoning) => {
                let options = PartOptions::from_provider_options(&reasoning.provider_options)?;
                let Some(item_id) = options.item_id else {
                    out.warnings.push(Warning::other(
                        "reasoning without an OpenAI item id cannot be sent to the Responses API; it was left out",
                    ));
                    continue;
                };
                flush(&mut text, &mut out.input);
                let existing = out.input.iter_mut().rev().find_map(|item| match item {
                    InputItem::Reasoning {
                        id,
                        summary,
                        encrypted_content,
                    } if *id == item_id => Some((summary, encrypted_content)),
                    _ => None,
                });
                match existing {
                    Some((summary, encrypted)) => {
                        if !reasoning.text.is_empty() {
                            summary.push(SummaryText::new(reasoning.text.clone()));
                        }
                        if encrypted.is_none() {
                            *encrypted = options.reasoning_encrypted_content;
                        }
                    }
                    None => out.input.push(InputItem::Reasoning {
                        id: item_id,
                        summary: if reasoning.text.is_empty() {
                            Vec::new()
                        } else {
                            vec![SummaryText::new(reasoning.text.clone())]
                        },
                        encrypted_content: options.reasoning_encrypted_content,
                    }),
                }
            }
            _ => {}
        }
    }
    flush(&mut text, &mut out.input);
    Ok(())
}
