//! One decoded server-sent event.

use std::time::Duration;

/// The `data` of the sentinel event OpenAI-compatible servers send last: `data: [DONE]`.
pub const DONE: &str = "[DONE]";

/// One dispatched server-sent event.
///
/// Built by [`SseDecoder`](super::SseDecoder) from the `data`, `event`, `id` and `retry` fields
/// of one event block, as the WHATWG HTML specification ("Server-sent events", *interpreting an
/// event stream*) describes: several `data` lines are joined with `\n`, the last event id
/// persists across events, and an absent event type means `message`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    event: Option<String>,
    data: String,
    id: Option<String>,
    retry: Option<Duration>,
}

impl SseEvent {
    /// An event of the default type (`message`) carrying `data`.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            ..Self::default()
        }
    }

    /// Sets the event type (the `event` field).
    #[must_use]
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// Sets the last event id (the `id` field).
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the reconnection time (the `retry` field).
    #[must_use]
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }

    pub(crate) fn from_parts(
        event: Option<String>,
        data: String,
        id: Option<String>,
        retry: Option<Duration>,
    ) -> Self {
        Self {
            event,
            data,
            id,
            retry,
        }
    }

    /// The `event` field, if the block had a non-empty one.
    pub fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// The event type: the `event` field, or `message` when there was none.
    pub fn event_type(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }

    /// The data: every `data` line of the block, joined with `\n`.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// Takes the data out of the event.
    pub fn into_data(self) -> String {
        self.data
    }

    /// The last event id set by an `id` field in this or an earlier block of the stream.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The reconnection time from a `retry` field seen since the previous event.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Whether this is the `[DONE]` sentinel that ends OpenAI-style streams: data exactly
    /// [`DONE`]. The decoder surfaces it like any event; the protocol layer decides what it
    /// means.
    pub fn is_done(&self) -> bool {
        self.data == DONE
    }
}
