//! Fuzzes the server-sent events decoder: any input, delivered in chunks of any size and with
//! any maximum event size, must decode without panicking or hanging, and to the same events
//! and the same error as the same input delivered whole, through `SseDecoder` and through
//! `SseStream` alike. Decoded events never hold more than the input, and re-encoding them
//! decodes to the same events. The first two input bytes choose the chunk size and the limit.
#![no_main]

use std::convert::Infallible;
use std::fmt::Write as _;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body, Frame};
use libfuzzer_sys::fuzz_target;
use strata_http::sse::{DEFAULT_MAX_EVENT_SIZE, SseDecoder, SseEvent, SseStream};

/// A body handing out fixed-size chunks of the input, always ready.
struct Chunks {
    data: Bytes,
    size: usize,
}

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.size.min(self.data.len());
        let chunk = self.data.split_to(n);
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }
}

/// The events, and the error (as its message) that ended decoding, if any.
type Outcome = (Vec<SseEvent>, Option<String>);

/// Feeds `data` to a decoder `size` bytes at a time, then ends it; every call must make
/// progress or ask for more input.
fn decode(data: &[u8], size: usize, max: usize) -> Outcome {
    let mut decoder = SseDecoder::with_max_event_size(max);
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    let mut calls = 0;
    let step = |calls: &mut usize| {
        *calls += 1;
        assert!(
            *calls <= 2 * data.len() + 4,
            "the decoder makes no progress"
        );
    };
    for chunk in data.chunks(size) {
        buf.extend_from_slice(chunk);
        loop {
            step(&mut calls);
            match decoder.decode(&mut buf) {
                Ok(Some(event)) => events.push(event),
                Ok(None) => break,
                Err(error) => return (events, Some(error.to_string())),
            }
        }
    }
    loop {
        step(&mut calls);
        match decoder.decode_eof(&mut buf) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => break,
            Err(error) => return (events, Some(error.to_string())),
        }
    }
    // The end is sticky.
    assert!(matches!(decoder.decode_eof(&mut buf), Ok(None)));
    (events, None)
}

/// Drains an `SseStream` over an always-ready body, checking that it never returns `Pending`
/// and ends after an error.
fn drain(stream: SseStream<Chunks>) -> Outcome {
    let mut stream = std::pin::pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = Vec::new();
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(event))) => events.push(event),
            Poll::Ready(Some(Err(error))) => {
                assert!(matches!(
                    stream.as_mut().poll_next(&mut cx),
                    Poll::Ready(None)
                ));
                return (events, Some(error.to_string()));
            }
            Poll::Ready(None) => return (events, None),
            Poll::Pending => panic!("pending on an always-ready body"),
        }
    }
}

/// Writes events back as an event stream.
fn encode(events: &[SseEvent]) -> String {
    let mut wire = String::new();
    for event in events {
        if let Some(kind) = event.event() {
            writeln!(wire, "event: {kind}").unwrap();
        }
        if let Some(id) = event.id() {
            writeln!(wire, "id: {id}").unwrap();
        }
        if let Some(retry) = event.retry() {
            writeln!(wire, "retry: {}", retry.as_millis()).unwrap();
        }
        for line in event.data().split('\n') {
            writeln!(wire, "data: {line}").unwrap();
        }
        wire.push('\n');
    }
    wire
}

fuzz_target!(|input: &[u8]| {
    let Some((&[chunk, limit], data)) = input.split_first_chunk::<2>() else {
        return;
    };
    let size = usize::from(chunk).max(1);
    // Mostly the default limit; sometimes a small one, so the size check is exercised.
    let max = if limit < 200 {
        usize::from(limit) * 4
    } else {
        DEFAULT_MAX_EVENT_SIZE
    };

    let whole = decode(data, data.len().max(1), max);
    let chunked = decode(data, size, max);
    assert_eq!(whole, chunked, "chunk size {size} changed the result");
    let bytes = Bytes::copy_from_slice(data);
    let streamed = drain(SseStream::with_max_event_size(
        Chunks { data: bytes, size },
        max,
    ));
    assert_eq!(whole, streamed, "SseStream differs from SseDecoder");

    let (events, _) = whole;
    let held: usize = events
        .iter()
        .map(|e| e.data().len() + e.event().map_or(0, str::len))
        .sum();
    assert!(
        held <= data.len(),
        "{held} bytes of events from {} bytes",
        data.len()
    );
    for event in &events {
        assert!(event.data().len() + event.event().map_or(0, str::len) <= max);
        assert_eq!(event.is_done(), event.data() == "[DONE]");
    }
    let again = decode(encode(&events).as_bytes(), size, usize::MAX);
    assert_eq!(
        again,
        (events, None),
        "re-encoded events decode differently"
    );
});
