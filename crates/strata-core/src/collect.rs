//! Assembling stream parts into a [`GenerateResult`].

use std::collections::HashMap;

use serde_json::Value;

use crate::content::{Content, ReasoningContent, TextContent, ToolCall};
use crate::result::{GenerateResult, ResponseMetadata};
use crate::stream::StreamPart;
use crate::{Error, ProviderMetadata};

/// Builds a [`GenerateResult`] from [`StreamPart`]s, one at a time.
///
/// - Content keeps the order in which blocks *started*.
/// - Text and reasoning deltas are appended to their block; provider metadata from a block's
///   start, deltas and end is merged into its content (this keeps reasoning signatures).
/// - A tool call's input is assembled from its deltas. A [`StreamPart::ToolCall`] with the same
///   id replaces the assembled call; without one, the assembled text is parsed as JSON when the
///   stream finishes (empty input is `{}`; invalid JSON is an invalid-response error).
/// - Deltas or ends for an id that is not open are invalid-response errors; an error part is
///   returned as the error; raw parts are skipped.
///
/// ```
/// use strata_core::{Collector, FinishReason, StreamPart, Usage};
///
/// let mut collector = Collector::new();
/// for part in [
///     StreamPart::tool_input_start("call-1", "weather"),
///     StreamPart::tool_input_delta("call-1", r#"{"city":"#),
///     StreamPart::tool_input_delta("call-1", r#""Paris"}"#),
///     StreamPart::tool_input_end("call-1"),
///     StreamPart::finish(FinishReason::ToolCalls, Usage::default()),
/// ] {
///     collector.push(part)?;
/// }
/// let result = collector.finish()?;
/// let call = result.tool_calls().next().unwrap();
/// assert_eq!(call.input, serde_json::json!({"city": "Paris"}));
/// # Ok::<(), strata_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Collector {
    result: GenerateResult,
    /// Content slots; `None` while a tool call's input is still being assembled.
    slots: Vec<Option<Content>>,
    open_text: HashMap<String, usize>,
    open_reasoning: HashMap<String, usize>,
    tool_inputs: HashMap<String, ToolInput>,
    finished: bool,
}

#[derive(Debug)]
struct ToolInput {
    slot: usize,
    tool_name: String,
    json: String,
    provider_executed: bool,
    provider_metadata: ProviderMetadata,
}

impl Collector {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts from response metadata known before the first part (headers, request id).
    pub fn with_response(mut self, response: ResponseMetadata) -> Self {
        self.result.response = response;
        self
    }

    /// Records the request body.
    pub fn with_request_body(mut self, body: impl Into<crate::result::RequestBody>) -> Self {
        self.result.request_body = Some(body.into());
        self
    }

    /// Adds one part.
    pub fn push(&mut self, part: StreamPart) -> Result<(), Error> {
        match part {
            StreamPart::StreamStart { warnings } => self.result.warnings.extend(warnings),
            StreamPart::ResponseMetadata(metadata) => self.result.response.merge(metadata),
            StreamPart::TextStart {
                id,
                provider_metadata,
            } => {
                let content = TextContent::new("").with_provider_metadata(provider_metadata);
                let slot = self.slots.len();
                open(&mut self.open_text, "text", id, slot)?;
                self.push_slot(Content::Text(content));
            }
            StreamPart::TextDelta {
                id,
                delta,
                provider_metadata,
            } => {
                let content = self.open_slot(Block::Text, &id, "text-delta")?;
                if let Content::Text(text) = content {
                    text.text.push_str(&delta);
                }
                content.provider_metadata_mut().merge(provider_metadata);
            }
            StreamPart::TextEnd {
                id,
                provider_metadata,
            } => {
                self.open_slot(Block::Text, &id, "text-end")?
                    .provider_metadata_mut()
                    .merge(provider_metadata);
                self.open_text.remove(&id);
            }
            StreamPart::ReasoningStart {
                id,
                provider_metadata,
            } => {
                let content = ReasoningContent::new("").with_provider_metadata(provider_metadata);
                let slot = self.slots.len();
                open(&mut self.open_reasoning, "reasoning", id, slot)?;
                self.push_slot(Content::Reasoning(content));
            }
            StreamPart::ReasoningDelta {
                id,
                delta,
                provider_metadata,
            } => {
                let content = self.open_slot(Block::Reasoning, &id, "reasoning-delta")?;
                if let Content::Reasoning(reasoning) = content {
                    reasoning.text.push_str(&delta);
                }
                content.provider_metadata_mut().merge(provider_metadata);
            }
            StreamPart::ReasoningEnd {
                id,
                provider_metadata,
            } => {
                self.open_slot(Block::Reasoning, &id, "reasoning-end")?
                    .provider_metadata_mut()
                    .merge(provider_metadata);
                self.open_reasoning.remove(&id);
            }
            StreamPart::ToolInputStart {
                id,
                tool_name,
                provider_executed,
                provider_metadata,
            } => {
                if self.tool_inputs.contains_key(&id) {
                    return Err(Error::invalid_response(format!(
                        "tool input `{id}` started twice"
                    )));
                }
                self.slots.push(None);
                let slot = self.slots.len() - 1;
                let input = ToolInput {
                    slot,
                    tool_name,
                    json: String::new(),
                    provider_executed,
                    provider_metadata,
                };
                self.tool_inputs.insert(id, input);
            }
            StreamPart::ToolInputDelta { id, delta } => self
                .tool_input(&id, "tool-input-delta")?
                .json
                .push_str(&delta),
            StreamPart::ToolInputEnd {
                id,
                provider_metadata,
            } => {
                self.tool_input(&id, "tool-input-end")?
                    .provider_metadata
                    .merge(provider_metadata);
            }
            StreamPart::ToolCall(call) => match self.tool_inputs.remove(&call.tool_call_id) {
                Some(input) => self.slots[input.slot] = Some(Content::ToolCall(call)),
                None => {
                    self.push_slot(Content::ToolCall(call));
                }
            },
            StreamPart::ToolResult(result) => {
                self.push_slot(Content::ToolResult(result));
            }
            StreamPart::Source(source) => {
                self.push_slot(Content::Source(source));
            }
            StreamPart::File(file) => {
                self.push_slot(Content::File(file));
            }
            StreamPart::Finish {
                finish_reason,
                raw_finish_reason,
                usage,
                provider_metadata,
            } => {
                self.result.finish_reason = finish_reason;
                self.result.raw_finish_reason = raw_finish_reason;
                self.result.usage = usage;
                self.result.provider_metadata.merge(provider_metadata);
                self.finished = true;
            }
            StreamPart::Error(error) => return Err(error),
            StreamPart::Raw { .. } => {}
        }
        Ok(())
    }

    /// The result, once the finish part has been pushed.
    pub fn finish(mut self) -> Result<GenerateResult, Error> {
        if !self.finished {
            return Err(Error::stream_ended(
                "the stream ended without a finish part",
            ));
        }
        for (id, input) in self.tool_inputs.drain() {
            let value = if input.json.trim().is_empty() {
                Value::Object(Default::default())
            } else {
                serde_json::from_str(&input.json).map_err(|e| {
                    Error::invalid_response(format!(
                        "the input of tool call `{id}` is not valid JSON"
                    ))
                    .with_excerpt(input.json.as_bytes())
                    .with_source(e)
                })?
            };
            let call = ToolCall::new(id, input.tool_name, value)
                .with_provider_executed(input.provider_executed)
                .with_provider_metadata(input.provider_metadata);
            self.slots[input.slot] = Some(Content::ToolCall(call));
        }
        self.result.content = self.slots.into_iter().flatten().collect();
        Ok(self.result)
    }

    fn push_slot(&mut self, content: Content) -> usize {
        self.slots.push(Some(content));
        self.slots.len() - 1
    }

    fn open_slot(&mut self, block: Block, id: &str, part: &str) -> Result<&mut Content, Error> {
        let open = match block {
            Block::Text => &self.open_text,
            Block::Reasoning => &self.open_reasoning,
        };
        open.get(id)
            .and_then(|&slot| self.slots[slot].as_mut())
            .ok_or_else(|| Error::invalid_response(format!("{part} for `{id}`, which is not open")))
    }

    fn tool_input(&mut self, id: &str, part: &str) -> Result<&mut ToolInput, Error> {
        self.tool_inputs
            .get_mut(id)
            .ok_or_else(|| Error::invalid_response(format!("{part} for `{id}`, which is not open")))
    }
}

#[derive(Clone, Copy)]
enum Block {
    Text,
    Reasoning,
}

fn open(
    map: &mut HashMap<String, usize>,
    kind: &str,
    id: String,
    slot: usize,
) -> Result<(), Error> {
    if map.contains_key(&id) {
        return Err(Error::invalid_response(format!(
            "{kind} block `{id}` started twice"
        )));
    }
    map.insert(id, slot);
    Ok(())
}
