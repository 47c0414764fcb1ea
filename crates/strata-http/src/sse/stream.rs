//! The body adapter: any [`http_body::Body`] as a `Stream` of server-sent events.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{BufMut, BytesMut};
use futures_core::{FusedStream, Stream};
use http_body::Body;
use pin_project_lite::pin_project;

use super::{SseDecoder, SseError, SseEvent};
use crate::error::BoxError;

pin_project! {
    /// A `Stream` of [`SseEvent`]s decoded from a response body.
    ///
    /// Body chunks are appended to one [`BytesMut`] and decoded in place by an
    /// [`SseDecoder`]. A body error is an [`SseError`] that [is a transport
    /// error](SseError::is_transport) with the body's error as its source; a body that ends
    /// in the middle of an event is a [truncation](SseError::is_truncated) error. After the
    /// first error the stream ends. Trailers are ignored. Dropping the stream drops the body.
    pub struct SseStream<B> {
        #[pin]
        body: B,
        buf: BytesMut,
        decoder: SseDecoder,
        state: State,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    BodyEnded,
    Done,
}

impl<B> SseStream<B> {
    /// Decodes `body` with the [default event size limit](super::DEFAULT_MAX_EVENT_SIZE).
    pub fn new(body: B) -> Self {
        Self::with_decoder(body, SseDecoder::new())
    }

    /// Decodes `body`, refusing events larger than `max_event_size` bytes.
    pub fn with_max_event_size(body: B, max_event_size: usize) -> Self {
        Self::with_decoder(body, SseDecoder::with_max_event_size(max_event_size))
    }

    /// Decodes `body` with a configured decoder.
    pub fn with_decoder(body: B, decoder: SseDecoder) -> Self {
        Self {
            body,
            buf: BytesMut::new(),
            decoder,
            state: State::Reading,
        }
    }

    /// The decoder (for example to read the [last event id](SseDecoder::last_event_id)).
    pub fn decoder(&self) -> &SseDecoder {
        &self.decoder
    }

    /// The body being decoded.
    pub fn get_ref(&self) -> &B {
        &self.body
    }
}

impl<B> Stream for SseStream<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    type Item = Result<SseEvent, SseError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            let decoded = match *this.state {
                State::Done => return Poll::Ready(None),
                State::Reading => this.decoder.decode(this.buf),
                State::BodyEnded => this.decoder.decode_eof(this.buf),
            };
            match decoded {
                Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                Ok(None) if *this.state == State::BodyEnded => {
                    *this.state = State::Done;
                    return Poll::Ready(None);
                }
                Ok(None) => {}
                Err(error) => {
                    *this.state = State::Done;
                    return Poll::Ready(Some(Err(error)));
                }
            }
            match ready!(this.body.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.buf.put(data);
                    }
                }
                Some(Err(error)) => {
                    *this.state = State::Done;
                    return Poll::Ready(Some(Err(SseError::transport(error.into()))));
                }
                None => *this.state = State::BodyEnded,
            }
        }
    }
}

impl<B> FusedStream for SseStream<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    fn is_terminated(&self) -> bool {
        self.state == State::Done
    }
}

impl<B> fmt::Debug for SseStream<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseStream")
            .field("buffered", &self.buf.len())
            .field("decoder", &self.decoder)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
