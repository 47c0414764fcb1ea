//! Fixture loading and SSE helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use bytes::BytesMut;
use strata_core::StreamPart;
use strata_http::sse::{SseDecoder, SseEvent};
use strata_openai::{OpenAi, OpenAiBuilder};

/// `OpenAi::builder()` reading no environment variables, so the machine's cannot leak in.
pub fn openai() -> OpenAiBuilder {
    OpenAi::builder().env(std::iter::empty::<(String, String)>())
}

/// The bytes of `tests/fixtures/<name>`; panics with the path when it is missing.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"))
}

/// Decodes a complete SSE body fed in `chunk`-byte pieces; panics on a decoding error.
pub fn sse_events(wire: &[u8], chunk: usize) -> Vec<SseEvent> {
    let mut decoder = SseDecoder::new();
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    for piece in wire.chunks(chunk.max(1)) {
        buf.extend_from_slice(piece);
        while let Some(event) = decoder.decode(&mut buf).unwrap() {
            events.push(event);
        }
    }
    while let Some(event) = decoder.decode_eof(&mut buf).unwrap() {
        events.push(event);
    }
    events
}

/// Collects parts into a result with strata-core's collector.
pub fn collect(parts: Vec<StreamPart>) -> Result<strata_core::GenerateResult, strata_core::Error> {
    let mut collector = strata_core::Collector::new();
    for part in parts {
        collector.push(part)?;
    }
    collector.finish()
}
