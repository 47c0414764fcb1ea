//! The Chat Completions stream state machine: SSE events → [`StreamPart`]s.
//!
//! Feed it every [`SseEvent`] of the response body with [`on_event`](ChatStreamState::on_event),
//! a decoding or transport failure with [`on_failure`](ChatStreamState::on_failure), and call
//! [`end`](ChatStreamState::end) when the body ends.
//!
//! - The first chunk gives a response-metadata part (id, model, created, request id).
//! - `reasoning_content` / `reasoning` deltas become a reasoning block, `content` deltas a
//!   text block.
//! - Tool-call fragments are assembled by `index`: the first fragment (with id and name)
//!   starts a tool input, `arguments` fragments are input deltas, and when the choice
//!   finishes each call ends and is emitted whole, its input parsed as JSON (arguments that
//!   are not JSON are marked on the call, see [`tool_call`](crate::tool_call); the stream
//!   goes on).
//! - The usage chunk (`stream_options.include_usage`) and `[DONE]` lead to the finish part.
//! - An `{"error": …}` event, a chunk that is not JSON, or a body that ends before a finish
//!   reason or `[DONE]` gives an error part, and nothing more.
//!
//! ```
//! use strata_core::{FinishReason, StreamPart};
//! use strata_http::sse::SseEvent;
//! use strata_openai::chat::stream::ChatStreamState;
//!
//! let mut state = ChatStreamState::new(false);
//! let mut parts = Vec::new();
//! state.start(Vec::new(), &mut parts);
//! for data in [
//!     r#"{"id":"chatcmpl-1","model":"gpt-4o","created":1741570283,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}"#,
//!     r#"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
//!     r#"{"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}"#,
//!     "[DONE]",
//! ] {
//!     state.on_event(&SseEvent::new(data), &mut parts);
//! }
//! assert!(state.is_done());
//! assert!(matches!(&parts[2], StreamPart::TextStart { id, .. } if id == "text-0"));
//! assert!(matches!(&parts[3], StreamPart::TextDelta { delta, .. } if delta == "Hi"));
//! assert!(matches!(parts.last(), Some(StreamPart::Finish { finish_reason: FinishReason::Stop, .. })));
//! ```

use strata_core::{Error, ProviderMetadata, StreamPart, Warning};
use strata_http::sse::{SseError, SseEvent};

use super::response::{
    convert_usage, map_finish_reason, provider_metadata, response_metadata, source,
};
use super::wire::{ChatChunk, ChatUsage, ChunkDelta, ToolCallDelta};
use crate::error::{sse_failure, stream_error};
use crate::stream_core::{Phase, StreamCore};
use crate::tool_call::tool_call;

/// Turns a Chat Completions SSE stream into stream parts.
#[derive(Debug)]
pub struct ChatStreamState {
    core: StreamCore,
    metadata_sent: bool,
    blocks: usize,
    sources: usize,
    text: Option<String>,
    reasoning: Option<String>,
    tool_calls: Vec<PendingCall>,
    finish_reason: Option<String>,
    usage: Option<ChatUsage>,
    service_tier: Option<String>,
    refusal: Option<String>,
}

#[derive(Debug)]
struct PendingCall {
    index: u32,
    id: String,
    name: String,
    arguments: String,
    ended: bool,
}

impl ChatStreamState {
    /// A state machine; `include_raw` adds a raw part per chunk.
    pub fn new(include_raw: bool) -> Self {
        Self {
            core: StreamCore::new(include_raw),
            metadata_sent: false,
            blocks: 0,
            sources: 0,
            text: None,
            reasoning: None,
            tool_calls: Vec::new(),
            finish_reason: None,
            usage: None,
            service_tier: None,
            refusal: None,
        }
    }

    /// Sets the request id reported with the metadata and errors.
    #[must_use]
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.core.request_id = request_id;
        self
    }

    /// Whether the stream finished or failed; later events are ignored.
    pub fn is_done(&self) -> bool {
        self.core.is_done()
    }

    /// Emits the stream-start part with the request's warnings.
    pub fn start(&mut self, warnings: Vec<Warning>, out: &mut Vec<StreamPart>) {
        out.push(StreamPart::stream_start(warnings));
    }

    /// Handles one SSE event.
    pub fn on_event(&mut self, event: &SseEvent, out: &mut Vec<StreamPart>) {
        if self.is_done() {
            return;
        }
        if event.is_done() {
            self.finish(out);
            return;
        }
        match self.core.parse::<ChatChunk>(event, out) {
            Ok(chunk) => self.on_chunk(chunk, out),
            Err(e) => {
                let error =
                    Error::invalid_response(format!("Chat Completions chunk is not valid: {e}"))
                        .with_source(e)
                        .with_excerpt(event.data().as_bytes());
                self.core.fail(error, out);
            }
        }
    }

    /// Handles a failure to read or decode the body (see [`sse_failure`]).
    pub fn on_failure(&mut self, error: SseError, out: &mut Vec<StreamPart>) {
        self.core.on_error(sse_failure(error), out);
    }

    /// Ends the stream with an error part (unless it already ended).
    pub fn on_error(&mut self, error: Error, out: &mut Vec<StreamPart>) {
        self.core.on_error(error, out);
    }

    /// Handles the end of the body: finishes if a finish reason was seen, else an error part.
    pub fn end(&mut self, out: &mut Vec<StreamPart>) {
        if self.is_done() {
            return;
        }
        if self.finish_reason.is_some() {
            self.finish(out);
        } else {
            self.core.fail(
                Error::stream_ended(
                    "the Chat Completions stream ended before a finish reason or [DONE]",
                ),
                out,
            );
        }
    }

    fn on_chunk(&mut self, chunk: ChatChunk, out: &mut Vec<StreamPart>) {
        if let Some(error) = &chunk.error {
            let error = stream_error(error, self.core.request_id.as_deref());
            self.core.fail(error, out);
            return;
        }
        if !self.metadata_sent {
            self.metadata_sent = true;
            let mut metadata = response_metadata(chunk.id, chunk.model, chunk.created);
            metadata.request_id = self.core.request_id.clone();
            out.push(StreamPart::ResponseMetadata(metadata));
        }
        if chunk.usage.is_some() {
            self.usage = chunk.usage;
        }
        if chunk.service_tier.is_some() {
            self.service_tier = chunk.service_tier;
        }
        let Some(choice) = chunk.choices.into_iter().find(|c| c.index == 0) else {
            return;
        };
        if let Err(error) = self.on_delta(choice.delta, out) {
            self.core.fail(error, out);
            return;
        }
        if let Some(reason) = choice.finish_reason {
            self.finish_reason = Some(reason);
            self.close_blocks(out);
        }
    }

    fn on_delta(&mut self, delta: ChunkDelta, out: &mut Vec<StreamPart>) -> Result<(), Error> {
        if let Some(reasoning) = delta
            .reasoning_content
            .or(delta.reasoning)
            .filter(|r| !r.is_empty())
        {
            let id = match &self.reasoning {
                Some(id) => id.clone(),
                None => {
                    let id = self.next_id("reasoning");
                    out.push(StreamPart::reasoning_start(id.clone()));
                    self.reasoning = Some(id.clone());
                    id
                }
            };
            out.push(StreamPart::reasoning_delta(id, reasoning));
        }
        if let Some(text) = delta.content.filter(|t| !t.is_empty()) {
            if let Some(id) = self.reasoning.take() {
                out.push(StreamPart::reasoning_end(id));
            }
            let id = match &self.text {
                Some(id) => id.clone(),
                None => {
                    let id = self.next_id("text");
                    out.push(StreamPart::text_start(id.clone()));
                    self.text = Some(id.clone());
                    id
                }
            };
            out.push(StreamPart::text_delta(id, text));
        }
        if let Some(refusal) = delta.refusal {
            self.refusal
                .get_or_insert_with(String::new)
                .push_str(&refusal);
        }
        for annotation in delta.annotations.into_iter().flatten() {
            if let Some(source) = source(self.sources, annotation) {
                self.sources += 1;
                out.push(StreamPart::Source(source));
            }
        }
        for fragment in delta.tool_calls.into_iter().flatten() {
            self.on_tool_fragment(fragment, out)?;
        }
        Ok(())
    }

    fn on_tool_fragment(
        &mut self,
        fragment: ToolCallDelta,
        out: &mut Vec<StreamPart>,
    ) -> Result<(), Error> {
        let (name, arguments) = fragment
            .function
            .map(|f| (f.name, f.arguments))
            .unwrap_or_default();
        let arguments = arguments.unwrap_or_default();
        if let Some(call) = self
            .tool_calls
            .iter_mut()
            .find(|c| c.index == fragment.index)
        {
            if call.ended {
                return Err(Error::invalid_response(format!(
                    "tool call fragment for index {} after the call ended",
                    fragment.index
                )));
            }
            if !arguments.is_empty() {
                call.arguments.push_str(&arguments);
                out.push(StreamPart::tool_input_delta(call.id.clone(), arguments));
            }
            return Ok(());
        }
        let (Some(id), Some(name)) = (fragment.id, name) else {
            return Err(Error::invalid_response(format!(
                "the first fragment of tool call {} has no id or function name",
                fragment.index
            )));
        };
        out.push(StreamPart::tool_input_start(id.clone(), name.clone()));
        if !arguments.is_empty() {
            out.push(StreamPart::tool_input_delta(id.clone(), arguments.clone()));
        }
        self.tool_calls.push(PendingCall {
            index: fragment.index,
            id,
            name,
            arguments,
            ended: false,
        });
        Ok(())
    }

    fn next_id(&mut self, kind: &str) -> String {
        let id = format!("{kind}-{}", self.blocks);
        self.blocks += 1;
        id
    }

    fn close_blocks(&mut self, out: &mut Vec<StreamPart>) {
        if let Some(id) = self.reasoning.take() {
            out.push(StreamPart::reasoning_end(id));
        }
        if let Some(id) = self.text.take() {
            out.push(StreamPart::text_end(id));
        }
        for call in self.tool_calls.iter_mut().filter(|c| !c.ended) {
            call.ended = true;
            out.push(StreamPart::tool_input_end(call.id.clone()));
            // Invalid JSON is passed on as a string and marked on the call (see `tool_call`).
            let (call, _) = tool_call(
                call.id.clone(),
                call.name.clone(),
                &call.arguments,
                ProviderMetadata::new(),
            );
            out.push(StreamPart::ToolCall(call));
        }
    }

    fn finish(&mut self, out: &mut Vec<StreamPart>) {
        self.close_blocks(out);
        self.core.phase = Phase::Done;
        let raw = self.finish_reason.take();
        let usage = self.usage.as_ref().map(convert_usage).unwrap_or_default();
        let metadata = provider_metadata(
            self.usage.as_ref(),
            self.service_tier.take(),
            self.refusal.take(),
        );
        out.push(StreamPart::Finish {
            finish_reason: map_finish_reason(raw.as_deref()),
            raw_finish_reason: raw,
            usage,
            provider_metadata: metadata,
        });
    }
}
