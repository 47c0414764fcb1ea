//! SSE decoding throughput: 2,000 Chat Completions chunk events plus `[DONE]`, fed whole, in
//! 4 KiB chunks and in 17-byte chunks, through `SseDecoder` and through `SseStream`.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use http_body::{Body, Frame};
use strata_http::sse::{SseDecoder, SseStream};

const EVENTS: usize = 2_000;

fn wire() -> Bytes {
    let mut out = String::new();
    for i in 0..EVENTS {
        out.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\
             \"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_4d14df7a46\",\
             \"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" token{i}\"}},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n"
        ));
    }
    out.push_str("data: [DONE]\n\n");
    Bytes::from(out)
}

/// A body handing out pre-split chunks, always ready.
struct Chunks(std::vec::IntoIter<Bytes>);

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.next().map(|c| Ok(Frame::data(c))))
    }
}

fn split(wire: &Bytes, size: usize) -> Vec<Bytes> {
    (0..wire.len())
        .step_by(size)
        .map(|start| wire.slice(start..(start + size).min(wire.len())))
        .collect()
}

fn sse(c: &mut Criterion) {
    let wire = wire();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("sse");
    group.throughput(Throughput::Bytes(wire.len() as u64));
    for (name, size) in [("whole", wire.len()), ("4KiB", 4096), ("17B", 17)] {
        let chunks = split(&wire, size);
        group.bench_function(format!("decoder/{name}"), |b| {
            b.iter_batched(
                || chunks.clone(),
                |chunks| {
                    let mut decoder = SseDecoder::new();
                    let mut buf = BytesMut::new();
                    let mut count = 0;
                    for chunk in chunks {
                        buf.extend_from_slice(&chunk);
                        while let Some(event) = decoder.decode(&mut buf).unwrap() {
                            count += usize::from(!event.data().is_empty());
                        }
                    }
                    assert_eq!(count, EVENTS + 1);
                },
                BatchSize::SmallInput,
            );
        });
        group.bench_function(format!("stream/{name}"), |b| {
            b.iter_batched(
                || chunks.clone(),
                |chunks| {
                    runtime.block_on(async {
                        let mut events = SseStream::new(Chunks(chunks.into_iter()));
                        let mut count = 0;
                        while let Some(event) = events.next().await {
                            count += usize::from(!event.unwrap().data().is_empty());
                        }
                        assert_eq!(count, EVENTS + 1);
                    });
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, sse);
criterion_main!(benches);
