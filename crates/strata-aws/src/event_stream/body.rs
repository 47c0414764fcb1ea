//! The body adapter: an `http_body::Body` of event-stream bytes as a `Stream` of messages.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{BufMut, BytesMut};
use futures_core::{FusedStream, Stream};
use http_body::Body;
use pin_project_lite::pin_project;

use super::error::EventStreamError;
use super::frame::FrameDecoder;
use super::message::Message;
use super::typed::EventStream;

/// Initial receive-buffer capacity; it grows to the largest frame (plus one chunk) seen.
const INITIAL_CAPACITY: usize = 8 * 1024;

pin_project! {
    /// A [`Stream`] of [`Message`]s decoded from an [`http_body::Body`] of
    /// `application/vnd.amazon.eventstream` bytes.
    ///
    /// Body chunks are appended to one [`BytesMut`] buffer and complete frames are split off
    /// its front, so a frame split across any number of chunks, and any number of frames in
    /// one chunk, decode the same way. Trailers are ignored.
    ///
    /// The stream yields an error — and then ends — on a malformed frame, a frame larger than
    /// the maximum frame size, a body error (the error is the
    /// [`source`](std::error::Error::source)), or a body that ends in the middle of a frame.
    /// The body is dropped as soon as the stream ends, and with the stream.
    ///
    /// For events, service exceptions and service errors as types, use
    /// [`into_events`](Self::into_events).
    pub struct MessageStream<B> {
        #[pin]
        body: Option<B>,
        buf: BytesMut,
        decoder: FrameDecoder,
        body_done: bool,
    }
}

impl<B> MessageStream<B> {
    /// Decodes `body` with the default maximum frame size,
    /// [`DEFAULT_MAX_FRAME_SIZE`](super::DEFAULT_MAX_FRAME_SIZE).
    pub fn new(body: B) -> Self {
        Self::with_decoder(body, FrameDecoder::new())
    }

    /// Decodes `body`, refusing frames larger than `max_frame_size` bytes.
    pub fn with_max_frame_size(body: B, max_frame_size: usize) -> Self {
        Self::with_decoder(body, FrameDecoder::with_max_frame_size(max_frame_size))
    }

    fn with_decoder(body: B, decoder: FrameDecoder) -> Self {
        Self {
            body: Some(body),
            buf: BytesMut::with_capacity(INITIAL_CAPACITY),
            decoder,
            body_done: false,
        }
    }

    /// A typed view of this stream: events, with service exceptions and errors as errors.
    pub fn into_events(self) -> EventStream<B> {
        EventStream::from_messages(self)
    }

    /// Ends the stream: drops the body and the buffered bytes; later polls return `None`.
    pub(crate) fn terminate(self: Pin<&mut Self>) {
        let mut this = self.project();
        this.body.set(None);
        *this.buf = BytesMut::new();
    }
}

impl<B> Stream for MessageStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = Result<Message, EventStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let this = self.as_mut().project();
            let Some(body) = this.body.as_pin_mut() else {
                return Poll::Ready(None);
            };
            let error = match this.decoder.decode(this.buf) {
                Ok(Some(message)) => return Poll::Ready(Some(Ok(message))),
                Ok(None) if !*this.body_done => None,
                Ok(None) if this.buf.is_empty() => None,
                Ok(None) => Some(EventStreamError::truncated(
                    this.buf.len(),
                    this.decoder.pending_frame_len(),
                )),
                Err(error) => Some(error),
            };
            if *this.body_done || error.is_some() {
                self.as_mut().terminate();
                return Poll::Ready(error.map(Err));
            }
            match ready!(body.poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.as_mut().project().buf.put(data);
                    }
                }
                Some(Err(error)) => {
                    self.as_mut().terminate();
                    let error = EventStreamError::transport(error.into());
                    return Poll::Ready(Some(Err(error)));
                }
                None => *self.as_mut().project().body_done = true,
            }
        }
    }
}

impl<B> FusedStream for MessageStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    fn is_terminated(&self) -> bool {
        self.body.is_none()
    }
}

impl<B> fmt::Debug for MessageStream<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageStream")
            .field("buffered", &self.buf.len())
            .field("decoder", &self.decoder)
            .field("body_done", &self.body_done)
            .field("terminated", &self.body.is_none())
            .finish()
    }
}
