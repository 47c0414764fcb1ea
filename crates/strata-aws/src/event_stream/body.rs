//! The body adapter: an `http_body::Body` of event-stream bytes as a `Stream` of messages.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::{FusedStream, Stream};
use http_body::Body;
use pin_project_lite::pin_project;

use super::error::EventStreamError;
use super::frame::{FrameDecoder, PRELUDE_LEN};
use super::message::Message;
use super::typed::EventStream;

pin_project! {
    /// A [`Stream`] of [`Message`]s decoded from an [`http_body::Body`] of
    /// `application/vnd.amazon.eventstream` bytes.
    ///
    /// Frames that lie whole in a body chunk are split off it without a copy; only a frame
    /// that straddles chunks is assembled in a [`BytesMut`] buffer (grown to that frame, no
    /// further). A frame split across any number of chunks, and any number of frames in one
    /// chunk, decode the same way. Trailers are ignored.
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
        // Received bytes not yet decoded; empty whenever the body is polled.
        chunk: Bytes,
        // The part of a frame that straddles chunks, assembled; empty between such frames.
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
            chunk: Bytes::new(),
            buf: BytesMut::new(),
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
        *this.chunk = Bytes::new();
        *this.buf = BytesMut::new();
    }
}

impl<B> MessageStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    /// Polls for the next message and returns `then(message)`, built in place; an `Err` from
    /// `then` ends the stream like a decoding error. The typed view passes
    /// [`classify`](super::classify), so that no message is moved between the two layers.
    #[inline]
    pub(crate) fn poll_then<T>(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        then: impl FnOnce(Message) -> Result<T, EventStreamError>,
    ) -> Poll<Option<Result<T, EventStreamError>>> {
        loop {
            let this = self.as_mut().project();
            let Some(body) = this.body.as_pin_mut() else {
                return Poll::Ready(None);
            };
            let next = if this.buf.is_empty() {
                // Frames that lie whole in the chunk are split off it: a reference count, no
                // copy. The message is built right here, where it is returned.
                match this.decoder.next_frame(this.chunk) {
                    Ok(Some((len, layout))) => {
                        let item = then(Message::new(this.chunk.split_to(len), layout));
                        if item.is_err() {
                            self.as_mut().terminate();
                        }
                        return Poll::Ready(Some(item));
                    }
                    Ok(None) => {
                        stash(this.decoder, this.buf, this.chunk);
                        Ok(None)
                    }
                    Err(error) => Err(error),
                }
            } else {
                assemble(this.decoder, this.buf, this.chunk)
            };
            let error = match next {
                Ok(Some(message)) => {
                    let item = then(message);
                    if item.is_err() {
                        self.as_mut().terminate();
                    }
                    return Poll::Ready(Some(item));
                }
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
                    if let Ok(mut data) = frame.into_data() {
                        // Zero-copy when the body's data is `Bytes`.
                        *self.as_mut().project().chunk = data.copy_to_bytes(data.remaining());
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

impl<B> Stream for MessageStream<B>
where
    B: Body,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = Result<Message, EventStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_then(cx, Ok)
    }
}

/// Moves the start of a frame that straddles chunks from `chunk` into `buf`, which has room
/// for the whole frame as soon as its (checked) prelude gives its length: no regrowth.
fn stash(decoder: &FrameDecoder, buf: &mut BytesMut, chunk: &mut Bytes) {
    buf.reserve(decoder.pending_frame_len().unwrap_or(0).max(chunk.len()));
    buf.extend_from_slice(chunk);
    *chunk = Bytes::new();
}

/// Completes the frame being assembled in `buf`, moving from `chunk` only the bytes it still
/// needs. Returns `Ok(None)` with `chunk` empty when more data is needed.
fn assemble(
    decoder: &mut FrameDecoder,
    buf: &mut BytesMut,
    chunk: &mut Bytes,
) -> Result<Option<Message>, EventStreamError> {
    loop {
        let wanted = decoder.pending_frame_len().unwrap_or(PRELUDE_LEN);
        let missing = wanted.saturating_sub(buf.len());
        let n = missing.min(chunk.len());
        buf.reserve(missing);
        buf.extend_from_slice(&chunk[..n]);
        chunk.advance(n);
        if n < missing {
            // `chunk` is used up and the frame (or its prelude) is still incomplete.
            return Ok(None);
        }
        if let Some(message) = decoder.decode(buf)? {
            return Ok(Some(message));
        }
        if chunk.is_empty() {
            return Ok(None);
        }
        // The prelude has just been completed: take the rest of its frame.
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
            .field("buffered", &(self.chunk.len() + self.buf.len()))
            .field("decoder", &self.decoder)
            .field("body_done", &self.body_done)
            .field("terminated", &self.body.is_none())
            .finish()
    }
}
