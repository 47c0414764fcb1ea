//! Converts a strata prompt into Converse `system` blocks and `messages`.
//!
//! - System messages must come first; their text becomes `system` blocks.
//! - User and tool messages become `user` messages, assistant messages `assistant` messages;
//!   consecutive messages that map to the same role are merged, as Bedrock requires.
//! - File parts become image, document or video blocks (bytes, base64 `data:` URLs or `s3://`
//!   locations); other media types and web URLs are typed errors before anything is sent.
//! - Reasoning parts are replayed with their `signature`, or as redacted content when they carry
//!   `redacted_data` (both read from `provider_options["bedrock"]`, where results put them).
//! - A `cache_point` option on a message or part adds a cache point after it.
//!
//! ```
//! use strata_bedrock::convert_prompt::convert_prompt;
//! use strata_bedrock::wire::{ContentBlock, ConversationRole, SystemContentBlock};
//! use strata_core::Message;
//!
//! let prompt = vec![
//!     Message::system("Be brief."),
//!     Message::user_text("Hi"),
//!     Message::user_text("Still there?"),
//! ];
//! let converted = convert_prompt(&prompt)?;
//! assert_eq!(converted.system, vec![SystemContentBlock::Text("Be brief.".into())]);
//! assert_eq!(converted.messages.len(), 1);
//! assert_eq!(converted.messages[0].role, ConversationRole::User);
//! assert_eq!(
//!     converted.messages[0].content,
//!     vec![ContentBlock::Text("Hi".into()), ContentBlock::Text("Still there?".into())]
//! );
//! # Ok::<(), strata_core::Error>(())
//! ```

mod media;

use base64::Engine as _;
use strata_core::prompt::{Part, ToolResultContent, ToolResultOutput, ToolResultPart};
use strata_core::{Error, Message, ProviderOptions, Role};

pub use media::{DocumentInfo, sanitize_document_name};
use media::{DocumentNamer, convert_file};

use crate::options::PartOptions;
use crate::wire::{
    self, Blob, CachePointBlock, ContentBlock, ConversationRole, ReasoningContentBlock,
    ReasoningTextBlock, SystemContentBlock, ToolResultBlock, ToolResultContentBlock,
    ToolResultStatus, ToolUseBlock,
};

/// The converted prompt.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ConvertedPrompt {
    /// The `system` blocks.
    pub system: Vec<SystemContentBlock>,
    /// The `messages`, alternating roles.
    pub messages: Vec<wire::Message>,
    /// The documents sent, in order (citations refer to them by index).
    pub documents: Vec<DocumentInfo>,
}

/// Converts a prompt.
///
/// # Errors
/// - invalid-prompt when a system message follows other messages, a message is empty, or a
///   part is not allowed in its role;
/// - unsupported for media types Bedrock cannot take and for web URLs;
/// - invalid-argument for malformed provider options or `data:` URLs.
pub fn convert_prompt(prompt: &[Message]) -> Result<ConvertedPrompt, Error> {
    let mut out = ConvertedPrompt::default();
    let mut namer = DocumentNamer::default();
    let mut seen_conversation = false;
    for (i, message) in prompt.iter().enumerate() {
        message.validate()?;
        let message_options = part_options(&message.provider_options, &format!("prompt[{i}]"))?;
        if message.role == Role::System {
            if seen_conversation {
                return Err(Error::invalid_prompt(format!(
                    "prompt[{i}]: system messages must come before user, assistant and tool messages"
                )));
            }
            for part in &message.content {
                if let Part::Text(text) = part {
                    out.system.push(SystemContentBlock::Text(text.text.clone()));
                    if let Some(cache) =
                        part_options(&text.provider_options, &format!("prompt[{i}]"))?.cache_point
                    {
                        out.system
                            .push(SystemContentBlock::CachePoint(CachePointBlock::new(
                                cache.ttl,
                            )));
                    }
                }
            }
            if let Some(cache) = message_options.cache_point {
                out.system
                    .push(SystemContentBlock::CachePoint(CachePointBlock::new(
                        cache.ttl,
                    )));
            }
            continue;
        }
        seen_conversation = true;
        let role = match message.role {
            Role::Assistant => ConversationRole::Assistant,
            _ => ConversationRole::User,
        };
        let mut blocks = Vec::with_capacity(message.content.len() + 1);
        for (j, part) in message.content.iter().enumerate() {
            let path = format!("prompt[{i}].content[{j}]");
            convert_part(part, &path, &mut namer, &mut blocks)?;
        }
        if let Some(cache) = message_options.cache_point {
            blocks.push(ContentBlock::CachePoint(CachePointBlock::new(cache.ttl)));
        }
        match out.messages.last_mut() {
            Some(last) if last.role == role => last.content.extend(blocks),
            _ => out.messages.push(wire::Message {
                role,
                content: blocks,
            }),
        }
    }
    trim_final_assistant_text(&mut out.messages);
    out.messages.retain(|m| !m.content.is_empty());
    out.documents = namer.documents;
    Ok(out)
}

fn part_options(options: &ProviderOptions, path: &str) -> Result<PartOptions, Error> {
    PartOptions::from_provider_options(options).map_err(|e| {
        Error::invalid_argument(format!("{path}.provider_options.bedrock"), e.to_string())
            .with_source(e)
    })
}

fn convert_part(
    part: &Part,
    path: &str,
    namer: &mut DocumentNamer,
    blocks: &mut Vec<ContentBlock>,
) -> Result<(), Error> {
    let options = part_options(part.provider_options(), path)?;
    match part {
        Part::Text(text) => {
            // Bedrock rejects blank text blocks.
            if !text.text.trim().is_empty() {
                blocks.push(ContentBlock::Text(text.text.clone()));
            }
        }
        Part::File(file) => blocks.push(convert_file(file, &options, namer, path)?),
        Part::Reasoning(reasoning) => {
            blocks.push(convert_reasoning(&reasoning.text, &options, path)?)
        }
        Part::ToolCall(call) => blocks.push(ContentBlock::ToolUse(ToolUseBlock {
            tool_use_id: call.tool_call_id.clone(),
            name: call.tool_name.clone(),
            input: call.input.clone(),
            r#type: None,
        })),
        Part::ToolResult(result) => blocks.push(convert_tool_result(result, namer, path)?),
        other => {
            return Err(Error::unsupported(format!(
                "{path}: a {} part",
                other.kind()
            )));
        }
    }
    if let Some(cache) = options.cache_point {
        blocks.push(ContentBlock::CachePoint(CachePointBlock::new(cache.ttl)));
    }
    Ok(())
}

fn convert_reasoning(text: &str, options: &PartOptions, path: &str) -> Result<ContentBlock, Error> {
    if let Some(data) = &options.redacted_data {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| {
                Error::invalid_argument(
                    format!("{path}.provider_options.bedrock.redacted_data"),
                    "not valid base64",
                )
                .with_source(e)
            })?;
        return Ok(ContentBlock::ReasoningContent(
            ReasoningContentBlock::RedactedContent(Blob::from(bytes)),
        ));
    }
    Ok(ContentBlock::ReasoningContent(
        ReasoningContentBlock::ReasoningText(ReasoningTextBlock {
            text: text.to_owned(),
            signature: options.signature.clone(),
        }),
    ))
}

fn convert_tool_result(
    result: &ToolResultPart,
    namer: &mut DocumentNamer,
    path: &str,
) -> Result<ContentBlock, Error> {
    let (content, status) = match &result.output {
        ToolResultOutput::Text(text) => (vec![ToolResultContentBlock::Text(text.clone())], None),
        ToolResultOutput::Json(value) => (vec![ToolResultContentBlock::Json(value.clone())], None),
        ToolResultOutput::ErrorText(text) => (
            vec![ToolResultContentBlock::Text(text.clone())],
            Some(ToolResultStatus::Error),
        ),
        ToolResultOutput::ErrorJson(value) => (
            vec![ToolResultContentBlock::Json(value.clone())],
            Some(ToolResultStatus::Error),
        ),
        ToolResultOutput::Content(items) => {
            let mut blocks = Vec::with_capacity(items.len());
            for (k, item) in items.iter().enumerate() {
                let item_path = format!("{path}.output[{k}]");
                blocks.push(match item {
                    ToolResultContent::Text(text) => {
                        ToolResultContentBlock::Text(text.text.clone())
                    }
                    ToolResultContent::File(file) => {
                        let options = part_options(&file.provider_options, &item_path)?;
                        match convert_file(file, &options, namer, &item_path)? {
                            ContentBlock::Image(b) => ToolResultContentBlock::Image(b),
                            ContentBlock::Document(b) => ToolResultContentBlock::Document(b),
                            ContentBlock::Video(b) => ToolResultContentBlock::Video(b),
                            _ => {
                                return Err(Error::unsupported(format!(
                                    "{item_path}: this file in a tool result"
                                )));
                            }
                        }
                    }
                    _ => {
                        return Err(Error::unsupported(format!(
                            "{item_path}: this tool result content"
                        )));
                    }
                });
            }
            (blocks, None)
        }
        _ => {
            return Err(Error::unsupported(format!(
                "{path}: this tool result output"
            )));
        }
    };
    Ok(ContentBlock::ToolResult(ToolResultBlock {
        tool_use_id: result.tool_call_id.clone(),
        content,
        status,
        r#type: None,
    }))
}

/// Bedrock rejects a final assistant message whose text ends in whitespace (a prefill).
fn trim_final_assistant_text(messages: &mut [wire::Message]) {
    let Some(last) = messages.last_mut() else {
        return;
    };
    if last.role != ConversationRole::Assistant {
        return;
    }
    if let Some(ContentBlock::Text(text)) = last
        .content
        .iter_mut()
        .rev()
        .find(|b| !matches!(b, ContentBlock::CachePoint(_)))
    {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
    }
    last.content
        .retain(|b| !matches!(b, ContentBlock::Text(t) if t.is_empty()));
}

#[cfg(test)]
mod tests;
