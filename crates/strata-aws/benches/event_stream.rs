//! Event-stream decoding: a ConverseStream-shaped body of 2,000 `contentBlockDelta` events
//! (~80-byte JSON payloads, three string headers each) through strata's body adapter,
//! delivered whole, in 4 KiB chunks and in 17-byte chunks, against aws-smithy-eventstream's
//! `MessageFrameDecoder` in the same run.
//!
//! `cargo bench -p strata-aws --bench event_stream -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder, write_message_to};
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_core::Stream;
use http_body::{Body, Frame};
use strata_aws::event_stream::{EventStream, MessageStream};

const EVENTS: usize = 2_000;

fn converse_stream_body() -> Bytes {
    let mut out = Vec::new();
    for i in 0..EVENTS {
        let payload = format!(
            r#"{{"contentBlockIndex":0,"delta":{{"text":"token {i:05} "}},"p":"abcdefghijklmnopqrstuvwx"}}"#
        );
        let string = |s: &str| HeaderValue::String(s.to_owned().into());
        let message = Message::new(payload.into_bytes())
            .add_header(Header::new(":event-type", string("contentBlockDelta")))
            .add_header(Header::new(":content-type", string("application/json")))
            .add_header(Header::new(":message-type", string("event")));
        write_message_to(&message, &mut out).unwrap();
    }
    Bytes::from(out)
}

/// A body handing out pre-split chunks, always ready.
struct Chunks(std::vec::IntoIter<Bytes>);

impl Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.next().map(|c| Ok(Frame::data(c))))
    }
}

fn chunks(body: &Bytes, size: usize) -> Vec<Bytes> {
    (0..body.len())
        .step_by(size)
        .map(|at| body.slice(at..body.len().min(at + size)))
        .collect()
}

/// Drains a stream over an always-ready body; returns the payload bytes seen.
fn drain<S, T, E>(stream: S, payload_len: impl Fn(&T) -> usize) -> usize
where
    S: Stream<Item = Result<T, E>>,
    E: std::fmt::Debug,
{
    let mut stream = std::pin::pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    let mut total = 0;
    while let Poll::Ready(Some(item)) = stream.as_mut().poll_next(&mut cx) {
        total += payload_len(&item.unwrap());
    }
    total
}

fn smithy(chunks: &[Bytes]) -> usize {
    let mut decoder = MessageFrameDecoder::new();
    let mut buf = BytesMut::new();
    let mut total = 0;
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        while let DecodedFrame::Complete(message) = decoder.decode_frame(&mut buf).unwrap() {
            total += message.payload().len();
        }
    }
    total
}

fn bench(c: &mut Criterion) {
    let body = converse_stream_body();
    let expected = drain(
        MessageStream::new(Chunks(vec![body.clone()].into_iter())),
        |m| m.payload_bytes().len(),
    );
    assert_eq!(smithy(std::slice::from_ref(&body)), expected);

    let mut group = c.benchmark_group("event_stream_decode");
    group.throughput(Throughput::Elements(EVENTS as u64));
    for (label, size) in [("whole", body.len()), ("4KiB", 4096), ("17B", 17)] {
        let pieces = chunks(&body, size);
        group.bench_with_input(BenchmarkId::new("strata", label), &pieces, |b, pieces| {
            b.iter_batched(
                || Chunks(pieces.clone().into_iter()),
                |body| {
                    let n = drain(MessageStream::new(body), |m| m.payload_bytes().len());
                    assert_eq!(n, expected);
                    black_box(n)
                },
                BatchSize::SmallInput,
            );
        });
        group.bench_with_input(
            BenchmarkId::new("strata_typed", label),
            &pieces,
            |b, pieces| {
                b.iter_batched(
                    || Chunks(pieces.clone().into_iter()),
                    |body| black_box(drain(EventStream::new(body), |e| e.payload_bytes().len())),
                    BatchSize::SmallInput,
                );
            },
        );
        group.bench_with_input(BenchmarkId::new("smithy", label), &pieces, |b, pieces| {
            b.iter(|| {
                let n = smithy(pieces);
                assert_eq!(n, expected);
                black_box(n)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
