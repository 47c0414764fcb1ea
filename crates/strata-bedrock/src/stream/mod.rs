//! The ConverseStream state machine: decoded events in, [`StreamPart`]s out.
//!
//! Feed it what the event-stream decoder yields — [`on_event`](ConverseStreamState::on_event)
//! for `:message-type: event` frames (event type and JSON payload bytes),
//! [`on_exception`](ConverseStreamState::on_exception) for modeled exceptions,
//! [`on_error`](ConverseStreamState::on_error) for `error` frames,
//! [`on_failure`](ConverseStreamState::on_failure) for transport or framing failures — and call
//! [`end`](ConverseStreamState::end) when the body ends.
//!
//! What comes out:
//! - `stream-start` (with the request's warnings) and `response-metadata` (the model id) first;
//! - per content block index: text, reasoning (text, signature and redacted deltas) or tool input
//!   start / delta / end; a tool call is emitted when its block stops, with its assembled input
//!   (`{}` when empty). With structured output through a forced tool, that tool's input streams
//!   as text;
//! - citations as `source` parts;
//! - `finish` (finish reason from `messageStop`, usage and metadata from `metadata`) once both
//!   have arrived, or at the end of the body if `metadata` never came;
//! - an `error` part for an exception, an undecodable event, or a body that ends before
//!   `messageStop` — never a clean finish. Nothing is emitted after an error.
//!
//! ```
//! use strata_bedrock::request::ResponseContext;
//! use strata_bedrock::stream::ConverseStreamState;
//! use strata_core::{Collector, StreamPart};
//!
//! let mut state = ConverseStreamState::new(ResponseContext::new("amazon.nova-lite-v1:0"));
//! let mut parts = Vec::new();
//! state.on_event("messageStart", br#"{"role":"assistant"}"#, &mut parts);
//! state.on_event("contentBlockDelta", br#"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#, &mut parts);
//! state.on_event("contentBlockStop", br#"{"contentBlockIndex":0}"#, &mut parts);
//! state.on_event("messageStop", br#"{"stopReason":"end_turn"}"#, &mut parts);
//! state.on_event("metadata", br#"{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":9}}"#, &mut parts);
//! state.end(&mut parts);
//! assert!(matches!(parts.last(), Some(StreamPart::Finish { .. })));
//!
//! let mut collector = Collector::new();
//! for part in parts {
//!     collector.push(part)?;
//! }
//! assert_eq!(collector.finish()?.text(), "Hi");
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde_json::Value;
use strata_core::content::ToolCall;
use strata_core::{Error, ProviderMetadata, ResponseMetadata, StreamPart};

use crate::options::PROVIDER;
use crate::request::ResponseContext;
use crate::response::{ResponseParts, SourceIds, finish_reason, response_metadata};
use crate::stream_error::{error_frame_error, exception_error};
use crate::usage::convert_usage;
use crate::wire::{
    ContentBlockDelta, ContentBlockDeltaEvent, ContentBlockStart, ContentBlockStartEvent,
    ContentBlockStopEvent, ConverseStreamMetadataEvent, MessageStopEvent,
    ReasoningContentBlockDelta, ToolUseType,
};

/// One open content block.
#[derive(Debug)]
enum Block {
    Text {
        id: String,
    },
    Reasoning {
        id: String,
    },
    Tool {
        id: String,
        name: String,
        input: String,
        executed: bool,
    },
    JsonText {
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    New,
    Running,
    Done,
}

/// Turns ConverseStream events into stream parts (see the module docs).
#[derive(Debug)]
pub struct ConverseStreamState {
    context: ResponseContext,
    /// The content blocks seen, by their index, in the order they appeared. A list, not a
    /// vector indexed by block index: the index comes from the network.
    blocks: Vec<(u32, Option<Block>)>,
    sources: SourceIds,
    stop: Option<MessageStopEvent>,
    metadata: Option<ConverseStreamMetadataEvent>,
    phase: Phase,
}

impl ConverseStreamState {
    /// A state machine for a response to the request that produced `context`.
    pub fn new(context: ResponseContext) -> Self {
        Self {
            context,
            blocks: Vec::new(),
            sources: SourceIds::default(),
            stop: None,
            metadata: None,
            phase: Phase::New,
        }
    }

    /// Whether the stream is over (finished or failed); later input is ignored.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Emits `stream-start` and `response-metadata` if that has not happened yet.
    pub fn start(&mut self, out: &mut Vec<StreamPart>) {
        if self.phase == Phase::New {
            self.phase = Phase::Running;
            out.push(StreamPart::stream_start(self.context.warnings.clone()));
            let metadata = ResponseMetadata::default().with_model_id(self.context.model_id.clone());
            out.push(StreamPart::ResponseMetadata(metadata));
        }
    }

    /// Handles an event frame: its `:event-type` and JSON payload.
    pub fn on_event(&mut self, event_type: &str, payload: &[u8], out: &mut Vec<StreamPart>) {
        self.start(out);
        if self.is_done() {
            return;
        }
        if self.context.include_raw_chunks {
            let value = serde_json::from_slice::<Value>(payload).unwrap_or(Value::Null);
            out.push(StreamPart::Raw {
                raw_value: serde_json::json!({ event_type: value }),
            });
        }
        let result = match event_type {
            "contentBlockDelta" => ContentBlockDeltaEvent::from_payload(payload)
                .map_err(|e| decode_error(event_type, e))
                .and_then(|e| self.delta(e, out)),
            "contentBlockStart" => {
                decode(event_type, payload).and_then(|e| self.block_start(e, out))
            }
            "contentBlockStop" => decode(event_type, payload).and_then(|e| self.block_stop(e, out)),
            "messageStop" => decode(event_type, payload).map(|e| {
                self.stop = Some(e);
                self.maybe_finish(out);
            }),
            "metadata" => decode(event_type, payload).map(|e| {
                self.metadata = Some(e);
                self.maybe_finish(out);
            }),
            // `messageStart` carries only the role; unknown events are skipped.
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.fail(error.with_excerpt(payload), out);
        }
    }

    /// Handles a modeled exception frame (`:message-type: exception`): an error part, see
    /// [`exception_error`].
    pub fn on_exception(
        &mut self,
        exception_type: &str,
        payload: &[u8],
        out: &mut Vec<StreamPart>,
    ) {
        self.on_failure(exception_error(exception_type, payload), out);
    }

    /// Handles an `error` frame (`:error-code`, `:error-message`): an error part, see
    /// [`error_frame_error`].
    pub fn on_error(&mut self, code: &str, message: Option<&str>, out: &mut Vec<StreamPart>) {
        self.on_failure(error_frame_error(code, message), out);
    }

    /// Reports a failure below the events (transport, framing, idle timeout) as an error part.
    pub fn on_failure(&mut self, error: Error, out: &mut Vec<StreamPart>) {
        self.start(out);
        self.fail(error, out);
    }

    /// The body ended: finishes if `messageStop` arrived, else emits a stream-ended error part.
    pub fn end(&mut self, out: &mut Vec<StreamPart>) {
        self.start(out);
        if self.is_done() {
            return;
        }
        if self.stop.is_some() {
            self.finish(out);
        } else {
            self.fail(
                Error::stream_ended(
                    "the ConverseStream response ended before its messageStop event",
                ),
                out,
            );
        }
    }

    fn fail(&mut self, error: Error, out: &mut Vec<StreamPart>) {
        if !self.is_done() {
            self.phase = Phase::Done;
            out.push(StreamPart::Error(error));
        }
    }

    fn slot(&mut self, index: u32) -> &mut Option<Block> {
        // The block being streamed is nearly always the last one seen.
        let position = match self.blocks.iter().rposition(|(i, _)| *i == index) {
            Some(position) => position,
            None => {
                self.blocks.push((index, None));
                self.blocks.len() - 1
            }
        };
        &mut self.blocks[position].1
    }

    fn block_start(
        &mut self,
        event: ContentBlockStartEvent,
        out: &mut Vec<StreamPart>,
    ) -> Result<(), Error> {
        let index = event.content_block_index;
        let ContentBlockStart::ToolUse(tool) = event.start else {
            return Ok(());
        };
        let json_tool = self.context.json_tool.as_deref() == Some(tool.name.as_str());
        let block = if json_tool {
            let id = index.to_string();
            out.push(StreamPart::text_start(id.clone()));
            Block::JsonText { id }
        } else {
            let executed = tool.r#type == Some(ToolUseType::ServerToolUse);
            let mut part =
                StreamPart::tool_input_start(tool.tool_use_id.clone(), tool.name.clone());
            if let StreamPart::ToolInputStart {
                provider_executed, ..
            } = &mut part
            {
                *provider_executed = executed;
            }
            out.push(part);
            Block::Tool {
                id: tool.tool_use_id,
                name: tool.name,
                input: String::new(),
                executed,
            }
        };
        let slot = self.slot(index);
        if slot.is_some() {
            return Err(Error::invalid_response(format!(
                "content block {index} started twice"
            )));
        }
        *slot = Some(block);
        Ok(())
    }

    fn delta(
        &mut self,
        event: ContentBlockDeltaEvent<'_>,
        out: &mut Vec<StreamPart>,
    ) -> Result<(), Error> {
        let index = event.content_block_index;
        match event.delta {
            ContentBlockDelta::Text(text) => {
                let id = self.text_id(index, out)?;
                out.push(StreamPart::TextDelta {
                    id,
                    delta: text.into_owned(),
                    provider_metadata: ProviderMetadata::default(),
                });
            }
            ContentBlockDelta::ReasoningContent(reasoning) => {
                let id = self.reasoning_id(index, out)?;
                let (delta, metadata) = match reasoning {
                    ReasoningContentBlockDelta::Text(text) => {
                        (text.into_owned(), ProviderMetadata::default())
                    }
                    ReasoningContentBlockDelta::Signature(signature) => (
                        String::new(),
                        ProviderMetadata::new().with(PROVIDER, "signature", signature.into_owned()),
                    ),
                    ReasoningContentBlockDelta::RedactedContent(blob) => (
                        String::new(),
                        ProviderMetadata::new().with(PROVIDER, "redacted_data", blob.to_base64()),
                    ),
                    _ => return Ok(()),
                };
                out.push(StreamPart::ReasoningDelta {
                    id,
                    delta,
                    provider_metadata: metadata,
                });
            }
            ContentBlockDelta::ToolUse(tool) => match self.slot(index) {
                Some(Block::Tool { id, input, .. }) => {
                    input.push_str(&tool.input);
                    out.push(StreamPart::tool_input_delta(
                        id.clone(),
                        tool.input.into_owned(),
                    ));
                }
                Some(Block::JsonText { id }) => {
                    out.push(StreamPart::text_delta(id.clone(), tool.input.into_owned()))
                }
                _ => {
                    return Err(Error::invalid_response(format!(
                        "tool input for content block {index}, which is not a started tool use"
                    )));
                }
            },
            ContentBlockDelta::Citation(citation) => {
                let source = self.sources.source(&citation, &self.context);
                out.push(StreamPart::Source(source));
            }
            // Tool-result, image and unknown deltas carry nothing strata streams yet.
            _ => {}
        }
        Ok(())
    }

    fn text_id(&mut self, index: u32, out: &mut Vec<StreamPart>) -> Result<String, Error> {
        let slot = self.slot(index);
        match slot {
            Some(Block::Text { id }) => Ok(id.clone()),
            None => {
                let id = index.to_string();
                out.push(StreamPart::text_start(id.clone()));
                *slot = Some(Block::Text { id: id.clone() });
                Ok(id)
            }
            Some(_) => Err(Error::invalid_response(format!(
                "text for content block {index}, which is not text"
            ))),
        }
    }

    fn reasoning_id(&mut self, index: u32, out: &mut Vec<StreamPart>) -> Result<String, Error> {
        let slot = self.slot(index);
        match slot {
            Some(Block::Reasoning { id }) => Ok(id.clone()),
            None => {
                let id = index.to_string();
                out.push(StreamPart::reasoning_start(id.clone()));
                *slot = Some(Block::Reasoning { id: id.clone() });
                Ok(id)
            }
            Some(_) => Err(Error::invalid_response(format!(
                "reasoning for content block {index}, which is not reasoning"
            ))),
        }
    }

    fn block_stop(
        &mut self,
        event: ContentBlockStopEvent,
        out: &mut Vec<StreamPart>,
    ) -> Result<(), Error> {
        match self.slot(event.content_block_index).take() {
            Some(block) => close(block, out),
            None => Ok(()),
        }
    }

    fn maybe_finish(&mut self, out: &mut Vec<StreamPart>) {
        if self.stop.is_some() && self.metadata.is_some() {
            self.finish(out);
        }
    }

    fn finish(&mut self, out: &mut Vec<StreamPart>) {
        let mut blocks = std::mem::take(&mut self.blocks);
        blocks.sort_unstable_by_key(|(index, _)| *index);
        for block in blocks.into_iter().filter_map(|(_, block)| block) {
            if let Err(error) = close(block, out) {
                self.fail(error, out);
                return;
            }
        }
        let Some(stop) = self.stop.take() else { return };
        let metadata = self.metadata.take();
        let usage = metadata
            .as_ref()
            .map(|m| convert_usage(&m.usage))
            .unwrap_or_default();
        let provider_metadata = response_metadata(&ResponseParts {
            additional_fields: stop.additional_model_response_fields.as_ref(),
            trace: metadata.as_ref().and_then(|m| m.trace.as_ref()),
            metrics: metadata.as_ref().map(|m| &m.metrics),
            performance: metadata
                .as_ref()
                .and_then(|m| m.performance_config.as_ref()),
            service_tier: metadata.as_ref().and_then(|m| m.service_tier.as_ref()),
            usage: metadata.as_ref().map(|m| &m.usage),
        });
        out.push(StreamPart::Finish {
            finish_reason: finish_reason(&stop.stop_reason, &self.context),
            raw_finish_reason: Some(stop.stop_reason.as_str().to_owned()),
            usage,
            provider_metadata,
        });
        self.phase = Phase::Done;
    }
}

fn decode<'a, T: serde::Deserialize<'a>>(event_type: &str, payload: &'a [u8]) -> Result<T, Error> {
    serde_json::from_slice(payload).map_err(|e| decode_error(event_type, e))
}

fn decode_error(event_type: &str, error: serde_json::Error) -> Error {
    Error::invalid_response(format!(
        "the `{event_type}` event could not be decoded: {error}"
    ))
    .with_source(error)
}

fn close(block: Block, out: &mut Vec<StreamPart>) -> Result<(), Error> {
    match block {
        Block::Text { id } | Block::JsonText { id } => out.push(StreamPart::text_end(id)),
        Block::Reasoning { id } => out.push(StreamPart::reasoning_end(id)),
        Block::Tool {
            id,
            name,
            input,
            executed,
        } => {
            let value = if input.trim().is_empty() {
                Value::Object(serde_json::Map::new())
            } else {
                serde_json::from_str(&input).map_err(|e| {
                    Error::invalid_response(format!(
                        "the input of tool call `{id}` is not valid JSON"
                    ))
                    .with_excerpt(input.as_bytes())
                    .with_source(e)
                })?
            };
            out.push(StreamPart::tool_input_end(id.clone()));
            out.push(StreamPart::ToolCall(
                ToolCall::new(id, name, value).with_provider_executed(executed),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
