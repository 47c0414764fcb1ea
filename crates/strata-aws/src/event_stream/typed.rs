//! The typed view: `:message-type` `event` / `exception` / `error`.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::{FusedStream, Stream};
use http_body::Body;
use pin_project_lite::pin_project;
use serde::Deserialize;

use super::body::MessageStream;
use super::error::EventStreamError;
use super::message::Message;

/// An event: a message with `:message-type: event`.
///
/// Every `:event-type` is accepted, so event types added by a service later reach the caller
/// instead of failing the stream; match on [`event_type`](Self::event_type).
#[derive(Clone, PartialEq, Eq)]
pub struct Event {
    message: Message,
}

impl Event {
    /// The `:event-type` header, e.g. `contentBlockDelta`.
    #[inline]
    pub fn event_type(&self) -> &str {
        // Present and a string: checked by `classify`.
        self.message.event_type().unwrap_or_default()
    }

    /// The `:content-type` header, e.g. `application/json`, if present.
    #[inline]
    pub fn content_type(&self) -> Option<&str> {
        self.message.content_type()
    }

    /// The payload, as a slice of the frame (no copy).
    #[inline]
    pub fn payload(&self) -> Bytes {
        self.message.payload()
    }

    /// The payload, borrowed.
    #[inline]
    pub fn payload_bytes(&self) -> &[u8] {
        self.message.payload_bytes()
    }

    /// The underlying message, with all its headers.
    #[inline]
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// Unwraps the underlying message.
    #[inline]
    pub fn into_message(self) -> Message {
        self.message
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("event_type", &self.event_type())
            .field("content_type", &self.content_type())
            .field("payload_len", &self.payload_bytes().len())
            .finish()
    }
}

/// An exception sent by the service: a message with `:message-type: exception`, e.g.
/// `throttlingException` or `modelStreamErrorException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceException {
    exception_type: String,
    message: Option<String>,
    payload: Bytes,
}

impl ServiceException {
    /// The `:exception-type` header, e.g. `throttlingException`.
    pub fn exception_type(&self) -> &str {
        &self.exception_type
    }

    /// The `message` (or `Message`) member of the JSON payload, if there is one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The raw payload, for members beyond the message (e.g. `originalStatusCode`).
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }
}

impl fmt::Display for ServiceException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service exception `{}`", self.exception_type)?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None => Ok(()),
        }
    }
}

/// An error sent by the service: a message with `:message-type: error`, carrying
/// `:error-code` and `:error-message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: String,
    message: Option<String>,
}

impl ServiceError {
    /// The `:error-code` header.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `:error-message` header, if present.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error `{}`", self.code)?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None => Ok(()),
        }
    }
}

#[derive(Deserialize)]
struct ExceptionPayload {
    #[serde(alias = "Message")]
    message: Option<String>,
}

/// Classifies a message by its `:message-type`.
///
/// `event` → `Ok(Event)`; `exception` → an error for which
/// [`is_service_exception`](EventStreamError::is_service_exception) holds; `error` → one for
/// which [`is_service_error`](EventStreamError::is_service_error) holds.
///
/// # Errors
///
/// Besides service exceptions and errors,
/// [`is_invalid_message`](EventStreamError::is_invalid_message) when `:message-type` is
/// missing or unknown, or the header its type needs (`:event-type`, `:exception-type`,
/// `:error-code`) is missing.
#[inline]
pub fn classify(message: Message) -> Result<Event, EventStreamError> {
    if message.message_type_bytes() == Some(&b"event"[..]) && message.has_event_type() {
        return Ok(Event { message });
    }
    Err(not_an_event(&message))
}

/// The error for a message that [`classify`] does not turn into an event.
#[cold]
fn not_an_event(message: &Message) -> EventStreamError {
    match message.message_type_bytes() {
        Some(b"event") => {
            EventStreamError::invalid_message("event without an :event-type string header")
        }
        Some(b"exception") => exception(message),
        Some(b"error") => service_error(message),
        Some(_) => {
            EventStreamError::unknown_message_type(message.message_type().unwrap_or_default())
        }
        None => EventStreamError::invalid_message("no :message-type string header"),
    }
}

#[cold]
fn exception(message: &Message) -> EventStreamError {
    let Some(exception_type) = message.exception_type() else {
        return EventStreamError::invalid_message(
            "exception without an :exception-type string header",
        );
    };
    let payload = message.payload();
    let text = serde_json::from_slice::<ExceptionPayload>(&payload)
        .ok()
        .and_then(|p| p.message);
    EventStreamError::exception(ServiceException {
        exception_type: exception_type.to_owned(),
        message: text,
        payload,
    })
}

#[cold]
fn service_error(message: &Message) -> EventStreamError {
    let Some(code) = message.error_code() else {
        return EventStreamError::invalid_message("error without an :error-code string header");
    };
    EventStreamError::service(ServiceError {
        code: code.to_owned(),
        message: message.error_message().map(str::to_owned),
    })
}

impl TryFrom<Message> for Event {
    type Error = EventStreamError;

    fn try_from(message: Message) -> Result<Self, EventStreamError> {
        classify(message)
    }
}

pin_project! {
    /// A [`Stream`] of [`Event`]s decoded from an [`http_body::Body`]; see [`classify`].
    ///
    /// Service exceptions and errors arrive as an `Err` item (after which the stream ends,
    /// as the service closes the stream after sending one), like decoding and transport
    /// errors of the underlying [`MessageStream`].
    pub struct EventStream<B> {
        #[pin]
        messages: MessageStream<B>,
    }
}

impl<B> EventStream<B> {
    /// Decodes `body` with the default maximum frame size.
    pub fn new(body: B) -> Self {
        Self::from_messages(MessageStream::new(body))
    }

    /// Decodes `body`, refusing frames larger than `max_frame_size` bytes.
    pub fn with_max_frame_size(body: B, max_frame_size: usize) -> Self {
        Self::from_messages(MessageStream::with_max_frame_size(body, max_frame_size))
    }

    pub(crate) fn from_messages(messages: MessageStream<B>) -> Self {
        Self { messages }
    }
}

impl<B> Stream for EventStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = Result<Event, EventStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project().messages.poll_then(cx, classify)
    }
}

impl<B> FusedStream for EventStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    fn is_terminated(&self) -> bool {
        self.messages.is_terminated()
    }
}

impl<B> fmt::Debug for EventStream<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("messages", &self.messages)
            .finish()
    }
}
