//! The response body: a whole buffer, or frames pushed one by one from a task that also plays
//! the stream faults.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;

use crate::faults::Fault;

/// Why a streamed body stopped early; hyper then drops the connection without a clean end.
#[derive(Debug, thiserror::Error)]
#[error("the emulator aborted the response body")]
pub(crate) struct BodyAborted;

/// One item of a streamed body: a chunk, or an abort.
pub(crate) type Chunk = Result<Bytes, BodyAborted>;

/// A response body: either one buffer or chunks received from a channel, each chunk written
/// as its own data frame.
#[derive(Debug)]
pub(crate) struct ResponseBody {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Full(Option<Bytes>),
    Channel(mpsc::Receiver<Chunk>),
}

impl ResponseBody {
    pub(crate) fn full(bytes: Bytes) -> Self {
        let bytes = if bytes.is_empty() { None } else { Some(bytes) };
        Self {
            inner: Inner::Full(bytes),
        }
    }

    pub(crate) fn empty() -> Self {
        Self {
            inner: Inner::Full(None),
        }
    }

    pub(crate) fn channel(receiver: mpsc::Receiver<Chunk>) -> Self {
        Self {
            inner: Inner::Channel(receiver),
        }
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = BodyAborted;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyAborted>>> {
        match &mut self.get_mut().inner {
            Inner::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Inner::Channel(receiver) => receiver
                .poll_recv(cx)
                .map(|item| item.map(|chunk| chunk.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.inner, Inner::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Inner::Channel(_) => SizeHint::default(),
        }
    }
}

/// A body that sends `frames` one chunk each, applying `fault` if it is a stream fault.
/// `exception` builds the frame a [`Fault::StreamException`] sends in place of frame `index`
/// (given the index, the exception type and the message); the body ends after it.
pub(crate) fn play<F>(frames: Vec<Bytes>, fault: Option<Fault>, exception: F) -> ResponseBody
where
    F: FnOnce(usize, &str, &str) -> Chunk + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        let mut exception = Some(exception);
        for (index, mut frame) in frames.into_iter().enumerate() {
            match &fault {
                Some(Fault::Stall {
                    after_frames,
                    duration,
                }) if *after_frames == index => {
                    tokio::time::sleep(*duration).await;
                }
                Some(Fault::StreamException {
                    after_frames,
                    exception: kind,
                    message,
                }) if *after_frames == index => {
                    if let Some(build) = exception.take() {
                        let _ = sender.send(build(index, kind, message)).await;
                    }
                    return;
                }
                Some(Fault::CorruptCrc { frame: target }) if *target == index => {
                    let mut bytes = frame.to_vec();
                    if let Some(last) = bytes.last_mut() {
                        *last ^= 0x01;
                    }
                    frame = Bytes::from(bytes);
                }
                Some(Fault::Truncate { frame: target }) if *target == index => {
                    let half = frame.slice(..frame.len() / 2);
                    let _ = sender.send(Ok(half)).await;
                    return;
                }
                _ => {}
            }
            if sender.send(Ok(frame)).await.is_err() {
                return; // the client went away
            }
        }
    });
    ResponseBody::channel(receiver)
}
