//! The Responses API stream state machine: SSE events → [`StreamPart`]s.
//!
//! - `response.created` gives the response metadata.
//! - `response.output_item.added` starts a text block (id: the message item id), a tool
//!   input (id: the call id) or a reasoning block (id: `<item id>:<summary index>`);
//!   `response.output_item.done` ends it, a function call being emitted whole with its input
//!   parsed as JSON (arguments that are not JSON are marked on the call, see
//!   [`tool_call`](crate::tool_call); the stream goes on), and a reasoning block carrying its
//!   item id and encrypted content.
//! - `response.output_text.delta`, `response.function_call_arguments.delta` and
//!   `response.reasoning_summary_text.delta` are deltas; a new
//!   `response.reasoning_summary_part.added` index starts a new reasoning block.
//! - `response.completed` and `response.incomplete` give the finish part (usage, finish
//!   reason); `response.failed` and `error` events give an error part; so do unparsable
//!   events and a body that ends before the response finished.
//!
//! ```
//! use strata_core::{FinishReason, StreamPart};
//! use strata_http::sse::SseEvent;
//! use strata_openai::responses::stream::ResponsesStreamState;
//!
//! let mut state = ResponsesStreamState::new(false);
//! let mut parts = Vec::new();
//! for data in [
//!     r#"{"type":"response.output_item.added","output_index":0,"item":{"type":"message","id":"msg_1","role":"assistant","content":[]}}"#,
//!     r#"{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}"#,
//!     r#"{"type":"response.output_item.done","output_index":0,"item":{"type":"message","id":"msg_1","role":"assistant","content":[]}}"#,
//!     r#"{"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":3,"output_tokens":1}}}"#,
//! ] {
//!     state.on_event(&SseEvent::new(data), &mut parts);
//! }
//! assert!(state.is_done());
//! assert!(matches!(&parts[1], StreamPart::TextDelta { id, delta, .. } if id == "msg_1" && delta == "Hi"));
//! assert!(matches!(parts.last(), Some(StreamPart::Finish { finish_reason: FinishReason::Stop, .. })));
//! ```

use strata_core::{Error, ProviderMetadata, StreamPart, Warning};
use strata_http::sse::{SseError, SseEvent};

use super::response::{
    convert_usage, failed_error, item_metadata, map_finish_reason, reasoning_metadata, source,
};
use super::wire::{OutputItem, ResponseError, ResponsesResponse, StreamEvent};
use crate::chat::response::response_metadata;
use crate::error::sse_failure;
use crate::options::PROVIDER;
use crate::stream_core::{Phase, StreamCore};
use crate::tool_call::tool_call;

/// Turns a Responses API SSE stream into stream parts.
#[derive(Debug)]
pub struct ResponsesStreamState {
    core: StreamCore,
    texts: Vec<String>,
    reasoning: Vec<(String, u32)>,
    calls: Vec<PendingCall>,
    has_calls: bool,
    sources: usize,
}

#[derive(Debug)]
struct PendingCall {
    item_id: String,
    call_id: String,
    arguments: String,
}

impl ResponsesStreamState {
    /// A state machine; `include_raw` adds a raw part per event.
    pub fn new(include_raw: bool) -> Self {
        Self {
            core: StreamCore::new(include_raw),
            texts: Vec::new(),
            reasoning: Vec::new(),
            calls: Vec::new(),
            has_calls: false,
            sources: 0,
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
            self.end(out);
            return;
        }
        match self.core.parse::<StreamEvent>(event, out) {
            Ok(parsed) => self.on_stream_event(parsed, out),
            Err(e) => {
                let error = Error::invalid_response(format!(
                    "Responses API event `{}` is not valid: {e}",
                    event.event_type()
                ))
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

    /// Handles the end of the body: an error part unless the response finished.
    pub fn end(&mut self, out: &mut Vec<StreamPart>) {
        self.core.on_error(
            Error::stream_ended("the Responses API stream ended before response.completed"),
            out,
        );
    }

    fn on_stream_event(&mut self, event: StreamEvent, out: &mut Vec<StreamPart>) {
        match event {
            StreamEvent::Created { response } => {
                let mut metadata =
                    response_metadata(response.id, response.model, response.created_at);
                metadata.request_id = self.core.request_id.clone();
                out.push(StreamPart::ResponseMetadata(metadata));
            }
            StreamEvent::OutputItemAdded { item } => self.on_item_added(item, out),
            StreamEvent::OutputItemDone { item } => self.on_item_done(item, out),
            StreamEvent::OutputTextDelta { item_id, delta } => {
                self.open_text(&item_id, out);
                out.push(StreamPart::text_delta(item_id, delta));
            }
            StreamEvent::AnnotationAdded { annotation, .. } => {
                if let Some(source) = source(self.sources, annotation) {
                    self.sources += 1;
                    out.push(StreamPart::Source(source));
                }
            }
            StreamEvent::FunctionCallArgumentsDelta { item_id, delta } => {
                match self.calls.iter_mut().find(|c| c.item_id == item_id) {
                    Some(call) => {
                        call.arguments.push_str(&delta);
                        out.push(StreamPart::tool_input_delta(call.call_id.clone(), delta));
                    }
                    None => self.core.fail(
                        Error::invalid_response(format!(
                            "function call arguments for item `{item_id}`, which was never added"
                        )),
                        out,
                    ),
                }
            }
            StreamEvent::ReasoningSummaryPartAdded {
                item_id,
                summary_index,
            } => {
                self.open_reasoning(&item_id, summary_index, out);
            }
            StreamEvent::ReasoningSummaryTextDelta {
                item_id,
                summary_index,
                delta,
            } => {
                self.open_reasoning(&item_id, summary_index, out);
                out.push(StreamPart::reasoning_delta(
                    format!("{item_id}:{summary_index}"),
                    delta,
                ));
            }
            StreamEvent::Completed { response } | StreamEvent::Incomplete { response } => {
                self.finish(response, out);
            }
            StreamEvent::Failed { response } => {
                let error = failed_error(response.error.as_ref(), self.core.request_id.as_deref());
                self.core.fail(error, out);
            }
            StreamEvent::Error {
                code,
                message,
                param,
            } => {
                let error = failed_error(
                    Some(&ResponseError {
                        code,
                        message,
                        param,
                    }),
                    self.core.request_id.as_deref(),
                );
                self.core.fail(error, out);
            }
            _ => {}
        }
    }

    fn on_item_added(&mut self, item: OutputItem, out: &mut Vec<StreamPart>) {
        match item {
            OutputItem::Message { id, .. } => self.open_text(&id, out),
            OutputItem::FunctionCall {
                id,
                call_id,
                name,
                arguments,
            } => {
                out.push(
                    StreamPart::tool_input_start(call_id.clone(), name)
                        .with_provider_metadata(item_metadata(&id)),
                );
                if !arguments.is_empty() {
                    out.push(StreamPart::tool_input_delta(
                        call_id.clone(),
                        arguments.clone(),
                    ));
                }
                self.calls.push(PendingCall {
                    item_id: id,
                    call_id,
                    arguments,
                });
            }
            OutputItem::Reasoning { id, .. } => self.open_reasoning(&id, 0, out),
            _ => {}
        }
    }

    fn on_item_done(&mut self, item: OutputItem, out: &mut Vec<StreamPart>) {
        match item {
            OutputItem::Message { id, .. } => {
                if let Some(at) = self.texts.iter().position(|t| *t == id) {
                    self.texts.remove(at);
                    out.push(StreamPart::text_end(id));
                }
            }
            OutputItem::FunctionCall {
                id,
                call_id,
                name,
                arguments,
            } => {
                self.has_calls = true;
                let streamed = self
                    .calls
                    .iter()
                    .position(|c| c.item_id == id)
                    .map(|at| self.calls.remove(at));
                let arguments = match (&streamed, arguments.is_empty()) {
                    (Some(call), true) => call.arguments.clone(),
                    _ => arguments,
                };
                if streamed.is_some() {
                    out.push(StreamPart::tool_input_end(call_id.clone()));
                }
                let (call, _) = tool_call(call_id, name, &arguments, item_metadata(&id));
                out.push(StreamPart::ToolCall(call));
            }
            OutputItem::Reasoning {
                id,
                encrypted_content,
                ..
            } => {
                if let Some(at) = self.reasoning.iter().position(|(r, _)| *r == id) {
                    let (_, index) = self.reasoning.remove(at);
                    out.push(
                        StreamPart::reasoning_end(format!("{id}:{index}")).with_provider_metadata(
                            reasoning_metadata(&id, encrypted_content.as_deref()),
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    fn open_text(&mut self, item_id: &str, out: &mut Vec<StreamPart>) {
        if !self.texts.iter().any(|t| t == item_id) {
            self.texts.push(item_id.to_owned());
            out.push(
                StreamPart::text_start(item_id).with_provider_metadata(item_metadata(item_id)),
            );
        }
    }

    fn open_reasoning(&mut self, item_id: &str, index: u32, out: &mut Vec<StreamPart>) {
        let metadata = item_metadata(item_id);
        match self.reasoning.iter_mut().find(|(r, _)| r == item_id) {
            Some((_, current)) if *current >= index => {}
            Some((_, current)) => {
                out.push(StreamPart::reasoning_end(format!("{item_id}:{current}")));
                *current = index;
                out.push(
                    StreamPart::reasoning_start(format!("{item_id}:{index}"))
                        .with_provider_metadata(metadata),
                );
            }
            None => {
                self.reasoning.push((item_id.to_owned(), index));
                out.push(
                    StreamPart::reasoning_start(format!("{item_id}:{index}"))
                        .with_provider_metadata(metadata),
                );
            }
        }
    }

    fn finish(&mut self, response: ResponsesResponse, out: &mut Vec<StreamPart>) {
        for id in self.texts.drain(..) {
            out.push(StreamPart::text_end(id));
        }
        for (id, index) in self.reasoning.drain(..) {
            out.push(StreamPart::reasoning_end(format!("{id}:{index}")));
        }
        if let Some(call) = self.calls.first() {
            let error = Error::invalid_response(format!(
                "function call `{}` was never completed",
                call.call_id
            ));
            self.core.fail(error, out);
            return;
        }
        self.core.phase = Phase::Done;
        let has_calls = self.has_calls
            || response
                .output
                .iter()
                .flatten()
                .any(|item| matches!(item, OutputItem::FunctionCall { .. }));
        let (finish_reason, raw) = map_finish_reason(
            response.status.as_deref(),
            response
                .incomplete_details
                .as_ref()
                .and_then(|d| d.reason.as_deref()),
            has_calls,
        );
        let mut metadata = ProviderMetadata::new();
        if let Some(id) = response.id {
            metadata.insert(PROVIDER, "responseId", id);
        }
        if let Some(tier) = response.service_tier {
            metadata.insert(PROVIDER, "serviceTier", tier);
        }
        out.push(StreamPart::Finish {
            finish_reason,
            raw_finish_reason: raw,
            usage: response
                .usage
                .as_ref()
                .map(convert_usage)
                .unwrap_or_default(),
            provider_metadata: metadata,
        });
    }
}
