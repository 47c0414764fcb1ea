//! InvokeModelWithResponseStream: the payload of each `chunk` event, decoded from its base64
//! `bytes` member; service exceptions and decoding failures as typed errors (mapped as for
//! ConverseStream, see [`stream_error`](crate::stream_error)).
//!
//! [`ChunkDecoder`] is the pure part (one event in, one payload out); [`InvokeStream`] runs it
//! over an event-stream response body.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use strata_bedrock::invoke::stream::InvokeStream;
//! # use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
//! # fn frame(headers: &[(&'static str, &'static str)], payload: &str) -> Vec<u8> {
//! #     let mut message = Message::new(payload.to_owned());
//! #     for &(name, value) in headers {
//! #         message = message.add_header(Header::new(name, HeaderValue::String(value.into())));
//! #     }
//! #     let mut out = Vec::new();
//! #     aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
//! #     out
//! # }
//! # let mut wire = frame(&[(":message-type", "event"), (":event-type", "chunk")], r#"{"bytes":"eyJhIjoxfQ=="}"#);
//! # wire.extend(frame(&[(":message-type", "exception"), (":exception-type", "throttlingException")], r#"{"message":"Slow down"}"#));
//! # let body = http_body_util::Full::new(bytes::Bytes::from(wire));
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! // `body` is the event-stream body of an InvokeModelWithResponseStream answer.
//! let mut chunks = InvokeStream::new(body);
//! assert_eq!(&chunks.next().await.unwrap()?[..], br#"{"a":1}"#);
//! let error = chunks.next().await.unwrap().unwrap_err();
//! assert!(error.is_retryable());
//! assert_eq!(error.api_error().unwrap().code.as_deref(), Some("ThrottlingException"));
//! assert!(chunks.next().await.is_none());
//! # Ok::<(), strata_core::Error>(())
//! # }).unwrap();
//! ```

use std::error::Error as StdError;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use base64::Engine as _;
use bytes::Bytes;
use futures_core::Stream;
use pin_project_lite::pin_project;
use serde::Deserialize;
use strata_aws::event_stream::EventStream;
use strata_core::Error;

use crate::stream_error::event_stream_error;

/// Decodes the events of a response stream, one at a time.
#[derive(Debug, Clone, Default)]
pub struct ChunkDecoder {
    chunks: usize,
}

#[derive(Deserialize)]
struct PayloadPart {
    bytes: Option<String>,
}

impl ChunkDecoder {
    /// A decoder that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many chunks were decoded.
    pub fn chunks(&self) -> usize {
        self.chunks
    }

    /// Decodes one event: a `chunk` gives its payload; other event types (which this
    /// version does not know) give `None`.
    ///
    /// # Errors
    /// An invalid-response error, with an excerpt, when a chunk is not `{"bytes": "<base64>"}`.
    ///
    /// ```
    /// use strata_bedrock::invoke::stream::ChunkDecoder;
    ///
    /// let mut decoder = ChunkDecoder::new();
    /// let payload = decoder.on_event("chunk", br#"{"bytes":"aGk=","p":"abc"}"#)?;
    /// assert_eq!(payload.as_deref(), Some(&b"hi"[..]));
    /// assert!(decoder.on_event("chunk", br#"{"bytes":"%%"}"#).unwrap_err().is_invalid_response());
    /// # Ok::<(), strata_core::Error>(())
    /// ```
    pub fn on_event(&mut self, event_type: &str, payload: &[u8]) -> Result<Option<Bytes>, Error> {
        if event_type != "chunk" {
            return Ok(None);
        }
        let bad = |message: String| Error::invalid_response(message).with_excerpt(payload);
        let part: PayloadPart = serde_json::from_slice(payload)
            .map_err(|e| bad(format!("a `chunk` event is not a JSON object: {e}")))?;
        let encoded = part
            .bytes
            .ok_or_else(|| bad("a `chunk` event has no `bytes` member".to_owned()))?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .map_err(|e| bad(format!("a `chunk` event's `bytes` is not base64: {e}")))?;
        self.chunks += 1;
        Ok(Some(Bytes::from(decoded)))
    }
}

pin_project! {
    /// The chunks of an InvokeModelWithResponseStream body, in order.
    ///
    /// Each item is one `chunk` payload. The first error (a service exception, a bad frame,
    /// a transport failure) is the last item. Dropping the stream drops the body, which
    /// cancels the request.
    pub struct InvokeStream<B> {
        #[pin]
        events: EventStream<B>,
        decoder: ChunkDecoder,
        request_id: Option<String>,
        done: bool,
    }
}

impl<B> InvokeStream<B> {
    /// Decodes `body`.
    pub fn new(body: B) -> Self {
        Self {
            events: EventStream::new(body),
            decoder: ChunkDecoder::new(),
            request_id: None,
            done: false,
        }
    }

    /// Adds this request id to every error the stream yields.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// How many chunks were yielded so far.
    pub fn chunk_count(&self) -> usize {
        self.decoder.chunks()
    }
}

impl<B> std::fmt::Debug for InvokeStream<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvokeStream")
            .field("chunks", &self.decoder.chunks())
            .field("done", &self.done)
            .finish()
    }
}

impl<B> Stream for InvokeStream<B>
where
    B: http_body::Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            if *this.done {
                return Poll::Ready(None);
            }
            let item = match ready!(this.events.as_mut().poll_next(cx)) {
                None => None,
                Some(Err(error)) => Some(Err(event_stream_error(error))),
                Some(Ok(event)) => match this
                    .decoder
                    .on_event(event.event_type(), event.payload_bytes())
                {
                    Ok(Some(chunk)) => Some(Ok(chunk)),
                    Ok(None) => continue,
                    Err(error) => Some(Err(error)),
                },
            };
            if !matches!(item, Some(Ok(_))) {
                *this.done = true;
            }
            let item = match (item, this.request_id.as_deref()) {
                (Some(Err(error)), Some(id)) if error.request_id().is_none() => {
                    Some(Err(error.with_request_id(id)))
                }
                (item, _) => item,
            };
            return Poll::Ready(item);
        }
    }
}
