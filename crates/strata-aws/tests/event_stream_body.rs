//! The body adapters (`MessageStream`, `EventStream`): chunking, truncation, transport errors,
//! termination, dropping, the typed view.

use std::collections::VecDeque;
use std::error::Error as _;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{
    Header, HeaderValue as SmithyValue, Message as SmithyMessage,
};
use bytes::Bytes;
use futures_core::{FusedStream, Stream};
use http::HeaderMap;
use http_body::{Body, Frame};
use strata_aws::event_stream::{EventStream, EventStreamError, HeaderValue, MessageStream};

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

    fn data(chunks: impl IntoIterator<Item = Vec<u8>>) -> Self {
        Self::new(chunks.into_iter().map(|c| Ok(Frame::data(Bytes::from(c))))).0
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
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        Poll::Ready(self.frames.pop_front())
    }
}

fn poll<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    match Pin::new(stream).poll_next(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(item) => item,
        Poll::Pending => panic!("pending on an always-ready body"),
    }
}

fn encode(headers: &[(&str, &str)], payload: &'static [u8]) -> Vec<u8> {
    let mut message = SmithyMessage::new(payload);
    for (name, value) in headers {
        let value = SmithyValue::String((*value).to_owned().into());
        message = message.add_header(Header::new((*name).to_owned(), value));
    }
    let mut out = Vec::new();
    write_message_to(&message, &mut out).unwrap();
    out
}

fn event(event_type: &str, payload: &'static [u8]) -> Vec<u8> {
    encode(
        &[
            (":message-type", "event"),
            (":event-type", event_type),
            (":content-type", "application/json"),
        ],
        payload,
    )
}

#[test]
fn many_frames_in_one_chunk_and_one_frame_in_many_chunks() {
    let mut wire = event("a", b"1");
    wire.extend(event("b", b"22"));
    wire.extend(event("c", b"333"));
    let pieces = vec![
        wire[..5].to_vec(),
        wire[5..90].to_vec(),
        Vec::new(),
        wire[90..].to_vec(),
    ];
    let mut stream = MessageStream::new(ScriptBody::data(pieces));
    for (t, p) in [("a", &b"1"[..]), ("b", b"22"), ("c", b"333")] {
        let m = poll(&mut stream).unwrap().unwrap();
        assert_eq!((m.event_type(), m.payload_bytes()), (Some(t), p));
    }
    assert!(poll(&mut stream).is_none());
    assert!(stream.is_terminated());
    assert!(poll(&mut stream).is_none());
}

#[test]
fn frames_within_a_chunk_are_not_copied() {
    let mut wire = event("a", b"1");
    let first = wire.len();
    wire.extend(event("b", b"2"));
    let wire = Bytes::from(wire);
    let frames = [
        Ok(Frame::data(wire.slice(..first + 5))),
        Ok(Frame::data(wire.slice(first + 5..))),
    ];
    let mut stream = MessageStream::new(ScriptBody::new(frames).0);
    let a = poll(&mut stream).unwrap().unwrap();
    assert_eq!(a.frame().as_ptr(), wire.as_ptr(), "split off the chunk");
    let b = poll(&mut stream).unwrap().unwrap();
    assert_eq!(b.frame(), &wire.slice(first..), "assembled across chunks");
    assert!(poll(&mut stream).is_none());
}

#[test]
fn empty_body_is_a_clean_end() {
    let mut stream = MessageStream::new(ScriptBody::data([]));
    assert!(poll(&mut stream).is_none());
}

#[test]
fn body_ending_mid_prelude_is_truncation() {
    let mut wire = event("a", b"1");
    wire.extend(&event("b", b"2")[..7]);
    let mut stream = MessageStream::new(ScriptBody::data([wire]));
    assert!(poll(&mut stream).unwrap().is_ok());
    let err = poll(&mut stream).unwrap().unwrap_err();
    assert!(err.is_truncated());
    assert_eq!(
        err.to_string(),
        "event-stream body ended in the middle of a frame: 7 bytes of an incomplete prelude received"
    );
    assert!(poll(&mut stream).is_none());
}

#[test]
fn body_ending_mid_frame_is_truncation() {
    let wire = event("a", b"1");
    let len = wire.len();
    let mut stream = MessageStream::new(ScriptBody::data([wire[..len - 1].to_vec()]));
    let err = poll(&mut stream).unwrap().unwrap_err();
    assert!(err.is_truncated() && !err.is_transport());
    assert_eq!(
        err.to_string(),
        format!(
            "event-stream body ended in the middle of a frame: {} of its {len} bytes received",
            len - 1
        )
    );
    assert!(poll(&mut stream).is_none());
}

#[test]
fn transport_error_chains_its_source_and_ends_the_stream() {
    let frames = [
        Ok(Frame::data(Bytes::from(event("a", b"1")))),
        Err(io::Error::other("connection reset")),
    ];
    let (body, dropped) = ScriptBody::new(frames);
    let mut stream = MessageStream::new(body);
    assert!(poll(&mut stream).unwrap().is_ok());
    let err = poll(&mut stream).unwrap().unwrap_err();
    assert!(err.is_transport());
    assert_eq!(err.to_string(), "event-stream body failed");
    let source = err.source().unwrap().downcast_ref::<io::Error>().unwrap();
    assert_eq!(source.to_string(), "connection reset");
    assert!(
        dropped.load(Ordering::SeqCst),
        "the body is released as soon as the stream ends"
    );
    assert!(poll(&mut stream).is_none());
    assert!(stream.is_terminated());
}

#[test]
fn decode_error_releases_the_body_and_ends_the_stream() {
    let mut wire = event("a", b"1");
    wire[20] ^= 1;
    let (body, dropped) = ScriptBody::new([
        Ok(Frame::data(Bytes::from(wire.clone()))),
        Ok(Frame::data(Bytes::from(wire))),
    ]);
    let mut stream = MessageStream::new(body);
    assert!(
        poll(&mut stream)
            .unwrap()
            .unwrap_err()
            .is_message_checksum_mismatch()
    );
    assert!(dropped.load(Ordering::SeqCst));
    assert!(poll(&mut stream).is_none());
}

#[test]
fn dropping_the_stream_drops_the_body() {
    let (body, dropped) = ScriptBody::new([Ok(Frame::data(Bytes::from(event("a", b"1"))))]);
    let mut stream = EventStream::new(body);
    assert!(poll(&mut stream).unwrap().is_ok());
    assert!(!dropped.load(Ordering::SeqCst));
    drop(stream);
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn trailers_are_ignored() {
    let frames = [
        Ok(Frame::data(Bytes::from(event("a", b"1")))),
        Ok(Frame::trailers(HeaderMap::new())),
    ];
    let mut stream = MessageStream::new(ScriptBody::new(frames).0);
    assert!(poll(&mut stream).unwrap().is_ok());
    assert!(poll(&mut stream).is_none());
}

#[test]
fn configured_maximum_frame_size() {
    let wire = event("a", b"1");
    let len = wire.len();
    let ok = MessageStream::with_max_frame_size(ScriptBody::data([wire.clone()]), len);
    assert_eq!(collect_ok(ok), 1);
    let mut small = EventStream::with_max_frame_size(ScriptBody::data([wire]), len - 1);
    let err = poll(&mut small).unwrap().unwrap_err();
    assert!(err.is_frame_too_large());
    assert!(poll(&mut small).is_none());
}

fn collect_ok<S: Stream<Item = Result<M, EventStreamError>> + Unpin, M>(mut s: S) -> usize {
    let mut n = 0;
    while let Some(item) = poll(&mut s) {
        item.unwrap();
        n += 1;
    }
    n
}

#[test]
fn typed_view_passes_unknown_event_types_through() {
    let mut stream = MessageStream::new(ScriptBody::data([event("someFutureEvent", b"{\"x\":1}")]))
        .into_events();
    let e = poll(&mut stream).unwrap().unwrap();
    assert_eq!(e.event_type(), "someFutureEvent");
    assert_eq!(e.content_type(), Some("application/json"));
    assert_eq!(e.payload(), Bytes::from_static(b"{\"x\":1}"));
    assert_eq!(
        e.message().header(":message-type"),
        Some(HeaderValue::String("event"))
    );
    assert_eq!(
        format!("{e:?}"),
        r#"Event { event_type: "someFutureEvent", content_type: Some("application/json"), payload_len: 7 }"#
    );
    assert_eq!(e.into_message().event_type(), Some("someFutureEvent"));
}

fn typed_error(headers: &[(&str, &str)], payload: &'static [u8]) -> EventStreamError {
    let mut stream = EventStream::new(ScriptBody::data([
        encode(headers, payload),
        event("a", b""),
    ]));
    let err = poll(&mut stream).unwrap().unwrap_err();
    assert!(
        poll(&mut stream).is_none(),
        "the typed stream ends after an error"
    );
    err
}

#[test]
fn typed_view_rejects_messages_it_cannot_classify() {
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[(":event-type", "x")],
            "invalid event-stream message: no :message-type string header",
        ),
        (
            &[(":message-type", "event")],
            "invalid event-stream message: event without an :event-type string header",
        ),
        (
            &[(":message-type", "exception")],
            "invalid event-stream message: exception without an :exception-type string header",
        ),
        (
            &[(":message-type", "error")],
            "invalid event-stream message: error without an :error-code string header",
        ),
        (
            &[(":message-type", "gossip")],
            "invalid event-stream message: unknown :message-type `gossip`",
        ),
    ];
    for (headers, text) in cases {
        let err = typed_error(headers, b"");
        assert!(err.is_invalid_message(), "{text}");
        assert_eq!(err.to_string(), text);
    }
}

#[test]
fn exceptions_take_their_message_from_the_json_payload() {
    let headers = [
        (":message-type", "exception"),
        (":exception-type", "throttlingException"),
    ];
    let err = typed_error(&headers, br#"{"Message":"Too many requests"}"#);
    let e = err.service_exception().unwrap();
    assert_eq!(
        (e.exception_type(), e.message()),
        ("throttlingException", Some("Too many requests"))
    );
    assert!(err.service_error().is_none());

    let err = typed_error(&headers, b"not json");
    let e = err.service_exception().unwrap();
    assert_eq!(e.message(), None);
    assert_eq!(e.payload(), &Bytes::from_static(b"not json"));
    assert_eq!(err.to_string(), "service exception `throttlingException`");
}

#[test]
fn errors_carry_code_and_optional_message() {
    let err = typed_error(
        &[
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
        ],
        b"",
    );
    let e = err.service_error().unwrap();
    assert_eq!((e.code(), e.message()), ("InternalFailure", None));
    assert_eq!(err.to_string(), "service error `InternalFailure`");
}

#[test]
fn streams_and_errors_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<EventStreamError>();
    send_sync::<MessageStream<http_body_util::Full<Bytes>>>();
    send_sync::<EventStream<http_body_util::Full<Bytes>>>();
}

#[tokio::test]
async fn pending_body_wakes_the_stream() {
    use futures_util::StreamExt;
    use http_body_util::StreamBody;
    use tokio::sync::mpsc;

    let (tx, mut rx) = mpsc::channel::<Result<Frame<Bytes>, io::Error>>(1);
    let frames = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut stream = EventStream::new(StreamBody::new(frames));
    let wire = event("late", b"{}");
    let sender = tokio::spawn(async move {
        for byte in wire {
            tx.send(Ok(Frame::data(Bytes::from(vec![byte]))))
                .await
                .unwrap();
            tokio::task::yield_now().await;
        }
    });
    let e = stream.next().await.unwrap().unwrap();
    assert_eq!(e.event_type(), "late");
    sender.await.unwrap();
    assert!(stream.next().await.is_none());
}
