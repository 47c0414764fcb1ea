//! Decodes a recorded-shape ConverseStream body (2,000 text deltas) from encoded bytes into
//! stream parts: strata-aws's frame decoder, the delta JSON and the state machine.

use std::hint::black_box;

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::BytesMut;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strata_aws::event_stream::FrameDecoder;
use strata_bedrock::request::ResponseContext;
use strata_bedrock::stream::ConverseStreamState;

const DELTAS: usize = 2000;

/// Encodes one event frame with the three string headers Bedrock sends (aws-smithy-eventstream's
/// encoder).
fn frame(event_type: &'static str, payload: &str) -> Vec<u8> {
    let string = |value: &'static str| HeaderValue::String(value.into());
    let message = Message::new(payload.to_owned())
        .add_header(Header::new(":event-type", string(event_type)))
        .add_header(Header::new(":content-type", string("application/json")))
        .add_header(Header::new(":message-type", string("event")));
    let mut out = Vec::new();
    write_message_to(&message, &mut out).expect("the frame encodes");
    out
}

fn body() -> Vec<u8> {
    let mut body = frame(
        "messageStart",
        r#"{"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012","role":"assistant"}"#,
    );
    for i in 0..DELTAS {
        let payload = format!(
            r#"{{"contentBlockIndex":0,"delta":{{"text":" word{i} and"}},"p":"abcdefghijklmnopqrstuvwx"}}"#
        );
        body.extend(frame("contentBlockDelta", &payload));
    }
    body.extend(frame(
        "contentBlockStop",
        r#"{"contentBlockIndex":0,"p":"ab"}"#,
    ));
    body.extend(frame(
        "messageStop",
        r#"{"p":"abcdefghijklmnopqrstuvw","stopReason":"end_turn"}"#,
    ));
    body.extend(frame(
        "metadata",
        r#"{"metrics":{"latencyMs":1000},"p":"abc","usage":{"inputTokens":12,"outputTokens":4000,"totalTokens":4012}}"#,
    ));
    body
}

fn run(body: &[u8]) -> usize {
    let mut buf = BytesMut::from(body);
    let mut decoder = FrameDecoder::new();
    let mut state = ConverseStreamState::new(ResponseContext::new("anthropic.claude-sonnet-4-5"));
    let mut parts = Vec::with_capacity(8);
    let mut count = 0;
    while let Some(message) = decoder.decode(&mut buf).expect("valid frame") {
        state.on_event(
            message.event_type().unwrap_or_default(),
            message.payload_bytes(),
            &mut parts,
        );
        count += parts.len();
        for part in parts.drain(..) {
            black_box(part);
        }
    }
    state.end(&mut parts);
    count + parts.len()
}

/// Frame decoding alone, for comparison.
fn frames_only(body: &[u8]) -> usize {
    let mut buf = BytesMut::from(body);
    let mut decoder = FrameDecoder::new();
    let mut count = 0;
    while let Some(message) = decoder.decode(&mut buf).expect("valid frame") {
        count += black_box(message.payload_bytes()).len();
    }
    count
}

/// Frame decoding plus the delta JSON, without the state machine.
fn frames_and_json(body: &[u8]) -> usize {
    let mut buf = BytesMut::from(body);
    let mut decoder = FrameDecoder::new();
    let mut count = 0;
    while let Some(message) = decoder.decode(&mut buf).expect("valid frame") {
        let event = strata_bedrock::wire::ConverseStreamEvent::from_payload(
            message.event_type().unwrap_or_default(),
            message.payload_bytes(),
        );
        count += usize::from(black_box(event).is_ok());
    }
    count
}

fn bench(c: &mut Criterion) {
    let body = body();
    assert_eq!(run(&body), DELTAS + 5, "every delta becomes a part");
    let mut group = c.benchmark_group("converse_stream");
    group.throughput(Throughput::Elements(DELTAS as u64));
    group.bench_function("decode_2000_text_deltas", |b| {
        b.iter(|| run(black_box(&body)))
    });
    group.bench_function("frames_only", |b| b.iter(|| frames_only(black_box(&body))));
    group.bench_function("frames_and_json", |b| {
        b.iter(|| frames_and_json(black_box(&body)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
