//! What the Chat Completions and Responses API stream state machines share: the request id,
//! whether the stream is still going, raw chunks, and ending with an error part.

use serde::de::DeserializeOwned;
use strata_core::{Error, StreamPart};
use strata_http::sse::SseEvent;

/// Where a stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Streaming,
    Done,
    Failed,
}

/// The state both machines keep besides their content.
#[derive(Debug)]
pub(crate) struct StreamCore {
    include_raw: bool,
    pub(crate) request_id: Option<String>,
    pub(crate) phase: Phase,
}

impl StreamCore {
    pub(crate) fn new(include_raw: bool) -> Self {
        Self {
            include_raw,
            request_id: None,
            phase: Phase::Streaming,
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.phase != Phase::Streaming
    }

    /// Parses the event's data, adding it as a raw part first when raw chunks were asked for.
    pub(crate) fn parse<T: DeserializeOwned>(
        &self,
        event: &SseEvent,
        out: &mut Vec<StreamPart>,
    ) -> Result<T, serde_json::Error> {
        if !self.include_raw {
            return serde_json::from_str(event.data());
        }
        let raw: serde_json::Value = serde_json::from_str(event.data())?;
        out.push(StreamPart::Raw {
            raw_value: raw.clone(),
        });
        serde_json::from_value(raw)
    }

    /// Ends the stream with an error part, adding the request id when the error has none.
    pub(crate) fn fail(&mut self, mut error: Error, out: &mut Vec<StreamPart>) {
        if let (Some(id), None) = (&self.request_id, error.request_id()) {
            error = error.with_request_id(id.clone());
        }
        self.phase = Phase::Failed;
        out.push(StreamPart::Error(error));
    }

    /// Like [`fail`](Self::fail), unless the stream already ended.
    pub(crate) fn on_error(&mut self, error: Error, out: &mut Vec<StreamPart>) {
        if !self.is_done() {
            self.fail(error, out);
        }
    }
}
