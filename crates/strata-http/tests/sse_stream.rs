//! `SseStream`: decoding a body chunk by chunk, transport errors, truncation, termination,
//! trailers, pending bodies and dropping.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::error::Error as _;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::FusedStream;
use futures_util::StreamExt;
use http::HeaderMap;
use http_body::{Body, Frame};
use http_body_util::Full;
use strata_http::sse::{SseEvent, SseStream};

/// A body that hands out scripted frames, always ready, and records when it is dropped.
struct ScriptBody {
    frames: VecDeque<Result<Frame<Bytes>, io::Error>>,
    dropped: Arc<AtomicBool>,
}

impl ScriptBody {
    fn new(
        frames: impl IntoIterator<Item = Result<Frame<Bytes>, io::Error>>,
    ) -> (Self, Arc<AtomicBool>) {
        let dropped = Arc::new(AtomicBool::new(false));
        let body = Self {
            frames: frames.into_iter().collect(),
            dropped: dropped.clone(),
        };
        (body, dropped)
    }

    fn data(chunks: &[&'static str]) -> Self {
        Self::new(
            chunks
                .iter()
                .map(|c| Ok(Frame::data(Bytes::from_static(c.as_bytes())))),
        )
        .0
    }
}

impl Drop for ScriptBody {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

impl Body for ScriptBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        Poll::Ready(self.frames.pop_front())
    }
}

async fn collect<B>(stream: SseStream<B>) -> Vec<Result<SseEvent, String>>
where
    B: Body,
    B::Error: Into<strata_http::BoxError>,
{
    stream
        .map(|item| item.map_err(|e| e.to_string()))
        .collect()
        .await
}

#[tokio::test]
async fn decodes_events_split_across_frames() {
    let body = ScriptBody::data(&[
        "data: {\"a\"",
        ":1}\n",
        "\ndata: line one\r\ndata: line two\r\n",
        "\r\n: ping\n\nevent: done\ndata: [DONE]\n\n",
    ]);
    assert_eq!(
        collect(SseStream::new(body)).await,
        vec![
            Ok(SseEvent::new("{\"a\":1}")),
            Ok(SseEvent::new("line one\nline two")),
            Ok(SseEvent::new("[DONE]").with_event("done")),
        ]
    );
}

#[tokio::test]
async fn a_body_ending_mid_event_is_a_truncation_error() {
    let mut stream = SseStream::new(ScriptBody::data(&["data: a\n\ndata: {\"par"]));
    assert_eq!(stream.next().await.unwrap().unwrap(), SseEvent::new("a"));
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.is_truncated());
    assert!(stream.is_terminated());
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_transport_error_is_typed_with_its_source_and_ends_the_stream() {
    let (body, _) = ScriptBody::new([
        Ok(Frame::data(Bytes::from_static(b"data: a\n\ndata: b\n"))),
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection reset by peer",
        )),
        Ok(Frame::data(Bytes::from_static(b"\n"))),
    ]);
    let mut stream = SseStream::new(body);
    assert_eq!(stream.next().await.unwrap().unwrap(), SseEvent::new("a"));
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.is_transport());
    assert!(!error.is_truncated());
    assert_eq!(
        error.to_string(),
        "reading the server-sent event stream failed"
    );
    let source = error.source().unwrap().downcast_ref::<io::Error>().unwrap();
    assert_eq!(source.kind(), io::ErrorKind::ConnectionReset);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_decoding_error_ends_the_stream() {
    let body = ScriptBody::data(&["data: 0123456789\n\n", "data: ok\n\n"]);
    let items = collect(SseStream::with_max_event_size(body, 8)).await;
    assert_eq!(
        items,
        vec![Err(String::from(
            "server-sent event exceeds the 8-byte limit"
        ))]
    );
}

#[tokio::test]
async fn trailers_are_ignored() {
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", "0".parse().unwrap());
    let (body, _) = ScriptBody::new([
        Ok(Frame::data(Bytes::from_static(b"data: x\n\n"))),
        Ok(Frame::trailers(trailers)),
    ]);
    assert_eq!(
        collect(SseStream::new(body)).await,
        vec![Ok(SseEvent::new("x"))]
    );
}

#[tokio::test]
async fn an_empty_body_is_an_empty_stream() {
    let stream = SseStream::new(Full::new(Bytes::new()));
    assert!(!stream.is_terminated());
    assert_eq!(collect(stream).await, vec![]);
}

#[tokio::test]
async fn a_pending_body_leaves_the_stream_pending() {
    let (mut sender, body) = http_body_util::Channel::<Bytes, Infallible>::new(4);
    let mut stream = SseStream::new(body);
    sender
        .send_data(Bytes::from_static(b"data: early"))
        .await
        .unwrap();
    let waker = futures_util::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(stream.poll_next_unpin(&mut cx).is_pending());
    sender.send_data(Bytes::from_static(b"\n\n")).await.unwrap();
    drop(sender);
    assert_eq!(collect(stream).await, vec![Ok(SseEvent::new("early"))]);
}

#[tokio::test]
async fn dropping_the_stream_drops_the_body() {
    let (body, dropped) = ScriptBody::new([Ok(Frame::data(Bytes::from_static(b"data: a\n\n")))]);
    let mut stream = SseStream::new(body);
    assert_eq!(stream.next().await.unwrap().unwrap(), SseEvent::new("a"));
    assert!(!dropped.load(Ordering::SeqCst));
    assert!(format!("{stream:?}").starts_with("SseStream { buffered: 0"));
    assert_eq!(stream.decoder().last_event_id(), None);
    drop(stream);
    assert!(dropped.load(Ordering::SeqCst));
}
