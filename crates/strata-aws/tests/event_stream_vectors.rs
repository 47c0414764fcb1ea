//! Every event-stream test vector under `shared/testdata/eventstream/` (see its SOURCE.md):
//! positives decode to exactly their expected headers and payload, negatives to the matching
//! error kind, and the live Bedrock ConverseStream capture to its six events.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fs;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::Frame;
use http_body_util::StreamBody;
use serde_json::{Value, json};
use strata_aws::event_stream::{
    Event, EventStream, EventStreamError, FrameDecoder, HeaderValue, Message, MessageStream,
};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/eventstream"
);

fn data(rel: &str) -> PathBuf {
    let path = Path::new(DATA).join(rel);
    assert!(
        path.exists(),
        "missing shared test data {} (expected /work/shared/testdata/eventstream beside the checkout)",
        path.display()
    );
    path
}

fn read(rel: &str) -> Vec<u8> {
    fs::read(data(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

fn read_json(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).unwrap_or_else(|e| panic!("parsing {rel}: {e}"))
}

/// File names in a vector folder, sorted; panics if the folder is empty.
fn names(rel: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(data(rel))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no vectors in {rel}");
    names
}

fn b64(s: &str) -> Vec<u8> {
    B64.decode(s).unwrap()
}

/// Drives a stream whose body is always ready; `Pending` would mean a hang.
fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    let mut items = Vec::new();
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(item)) => items.push(item),
            Poll::Ready(None) => return items,
            Poll::Pending => panic!("stream pending on an always-ready body"),
        }
    }
}

type ChunkBody =
    StreamBody<futures_util::stream::Iter<std::vec::IntoIter<Result<Frame<Bytes>, Infallible>>>>;

fn body(chunks: Vec<Bytes>) -> ChunkBody {
    let frames: Vec<_> = chunks.into_iter().map(|c| Ok(Frame::data(c))).collect();
    StreamBody::new(futures_util::stream::iter(frames))
}

fn decode_all(bytes: &[u8], chunk: usize) -> Vec<Result<Message, EventStreamError>> {
    let chunks = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
    collect(MessageStream::new(body(chunks)))
}

/// Decodes one vector that must be exactly one valid message, in one chunk and byte by byte.
fn decode_one(bytes: &[u8]) -> Message {
    let whole = Message::decode(Bytes::copy_from_slice(bytes)).unwrap();
    for chunk in [bytes.len().max(1), 1] {
        let items = decode_all(bytes, chunk);
        assert_eq!(items.len(), 1, "chunk size {chunk}");
        assert_eq!(items[0].as_ref().unwrap(), &whole);
    }
    whole
}

fn decode_err(bytes: &[u8]) -> EventStreamError {
    let mut items = decode_all(bytes, bytes.len().max(1));
    assert_eq!(items.len(), 1, "one error, then the end: {items:?}");
    let err = items.pop().unwrap().unwrap_err();
    let mut byte_by_byte = decode_all(bytes, 1);
    assert_eq!(byte_by_byte.len(), 1);
    let err1 = byte_by_byte.pop().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        err1.to_string(),
        "same error in 1-byte chunks"
    );
    err
}

fn prelude_fields(m: &Message) -> (u64, u64, u64, u64) {
    let f = m.frame();
    let word = |at: usize| u64::from(u32::from_be_bytes(f[at..at + 4].try_into().unwrap()));
    (word(0), word(4), word(8), word(f.len() - 4))
}

/// A header value as `(wire type, JSON)` in aws-sdk-go's and smithy-rs's expectation format.
fn typed(v: HeaderValue<'_>, strings_base64: bool) -> (u8, Value) {
    let json = match v {
        HeaderValue::Bool(b) => json!(b),
        HeaderValue::Byte(n) => json!(n),
        HeaderValue::Int16(n) => json!(n),
        HeaderValue::Int32(n) => json!(n),
        HeaderValue::Int64(n) | HeaderValue::Timestamp(n) => json!(n),
        HeaderValue::ByteArray(b) => json!(B64.encode(b)),
        HeaderValue::Uuid(u) => json!(B64.encode(u)),
        HeaderValue::String(s) if strings_base64 => json!(B64.encode(s)),
        HeaderValue::String(s) => json!(s),
        other => panic!("unexpected value {other:?}"),
    };
    (v.wire_type(), json)
}

fn typed_headers(m: &Message, strings_base64: bool) -> Vec<Value> {
    m.headers()
        .map(|h| {
            let (ty, value) = typed(h.value(), strings_base64);
            json!({"name": h.name(), "type": ty, "value": value})
        })
        .collect()
}

#[test]
fn aws_sdk_go_positive_vectors() {
    for name in names("aws-sdk-go/encoded/positive") {
        let m = decode_one(&read(&format!("aws-sdk-go/encoded/positive/{name}")));
        let want = read_json(&format!("aws-sdk-go/decoded/positive/{name}"));
        let crc = |k: &str| u64::from(want[k].as_i64().unwrap() as i32 as u32);
        let lengths = (
            want["total_length"].as_u64().unwrap(),
            want["headers_length"].as_u64().unwrap(),
        );
        let (total, headers, prelude_crc, message_crc) = prelude_fields(&m);
        assert_eq!((total, headers), lengths, "{name}");
        assert_eq!(
            (prelude_crc, message_crc),
            (crc("prelude_crc"), crc("message_crc")),
            "{name}"
        );
        assert_eq!(
            Value::from(typed_headers(&m, true)),
            want["headers"],
            "{name}"
        );
        assert_eq!(
            m.payload_bytes(),
            b64(want["payload"].as_str().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn aws_sdk_go_negative_vectors() {
    for name in names("aws-sdk-go/encoded/negative") {
        let err = decode_err(&read(&format!("aws-sdk-go/encoded/negative/{name}")));
        let want = String::from_utf8(read(&format!("aws-sdk-go/decoded/negative/{name}"))).unwrap();
        match want.trim() {
            "Prelude checksum mismatch" => {
                assert!(err.is_prelude_checksum_mismatch(), "{name}: {err}")
            }
            "Message checksum mismatch" => {
                assert!(err.is_message_checksum_mismatch(), "{name}: {err}")
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

/// A header value in botocore's untyped expectation format.
fn untyped(v: HeaderValue<'_>) -> Value {
    match v {
        HeaderValue::ByteArray(b) => json!({"$bytes_base64": B64.encode(b)}),
        HeaderValue::Uuid(u) => json!({"$bytes_base64": B64.encode(u)}),
        other => typed(other, false).1,
    }
}

fn untyped_headers(m: &Message) -> BTreeMap<String, Value> {
    let map: BTreeMap<_, _> = m
        .headers()
        .map(|h| (h.name().to_owned(), untyped(h.value())))
        .collect();
    assert_eq!(
        map.len(),
        m.headers().count(),
        "no duplicate names expected"
    );
    map
}

fn json_map(v: &Value) -> BTreeMap<String, Value> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn botocore_positive_vectors() {
    for name in names("botocore/encoded/positive") {
        let bytes = read(&format!("botocore/encoded/positive/{name}"));
        let want = read_json(&format!("botocore/decoded/positive/{name}.json"));
        let m = match want.get("chunk_lengths") {
            // Fed in the pieces the upstream test uses.
            Some(lengths) => {
                let mut rest = Bytes::from(bytes);
                let chunks = lengths
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| rest.split_to(n.as_u64().unwrap() as usize))
                    .collect();
                assert!(rest.is_empty(), "{name}: chunks cover the message");
                let mut items = collect(MessageStream::new(body(chunks)));
                assert_eq!(items.len(), 1, "{name}");
                items.pop().unwrap().unwrap()
            }
            None => {
                let m = decode_one(&bytes);
                let field = |k: &str| want[k].as_u64().unwrap();
                let expected = (
                    field("total_length"),
                    field("headers_length"),
                    field("prelude_crc"),
                    field("message_crc"),
                );
                assert_eq!(prelude_fields(&m), expected, "{name}");
                m
            }
        };
        assert_eq!(untyped_headers(&m), json_map(&want["headers"]), "{name}");
        assert_eq!(
            m.payload_bytes(),
            b64(want["payload_base64"].as_str().unwrap()),
            "{name}"
        );
    }
}

fn invalid_payload_length_recipe() -> Vec<u8> {
    let r = read_json("botocore/encoded/negative/invalid_payload_length.recipe.json");
    let hex = |k: &str| {
        let s = r[k].as_str().unwrap();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    let mut bytes = hex("prelude_hex");
    let fill = hex("fill_byte_hex")[0];
    bytes.resize(bytes.len() + r["fill_len"].as_u64().unwrap() as usize, fill);
    bytes.extend(hex("message_crc_hex"));
    assert_eq!(bytes.len() as u64, r["total_length"].as_u64().unwrap());
    bytes
}

#[test]
fn botocore_negative_vectors() {
    for file in names("botocore/encoded/negative") {
        let name = file.trim_end_matches(".recipe.json");
        let want = String::from_utf8(read(&format!("botocore/decoded/negative/{name}"))).unwrap();
        let bytes = if file.ends_with(".recipe.json") {
            invalid_payload_length_recipe()
        } else {
            read(&format!("botocore/encoded/negative/{file}"))
        };
        match (name, want.trim()) {
            ("corrupted_length" | "corrupted_header_length", "ChecksumMismatch") => {
                assert!(decode_err(&bytes).is_prelude_checksum_mismatch(), "{name}");
            }
            ("corrupted_payload" | "corrupted_headers", "ChecksumMismatch") => {
                assert!(decode_err(&bytes).is_message_checksum_mismatch(), "{name}");
            }
            ("invalid_headers_length", "InvalidHeadersLength") => {
                let err = decode_err(&bytes);
                assert!(err.is_invalid_length(), "{name}: {err}");
                assert_eq!(
                    err.to_string(),
                    "invalid event-stream frame lengths: total length 61, headers length 4278190338 (a frame is at least 16 bytes and its headers must fit in it)"
                );
            }
            // Not a wire-format rule: our limit is the configurable maximum frame size, which
            // (16 MiB by default) refuses this 24 MiB frame from its prelude alone.
            ("invalid_payload_length", "InvalidPayloadLength") => {
                let err = collect(MessageStream::new(body(vec![Bytes::copy_from_slice(
                    &bytes[..12],
                )])));
                assert!(err[0].as_ref().unwrap_err().is_frame_too_large(), "{name}");
                assert_eq!(err.len(), 1);
                // With a higher limit the frame is awaited; the recipe's bytes end 16 short
                // of its declared length (0x01800021), so the body is truncated.
                let mut decoder = FrameDecoder::with_max_frame_size(32 << 20);
                let mut buf = BytesMut::from(&bytes[..]);
                assert!(decoder.decode(&mut buf).unwrap().is_none());
                assert_eq!(decoder.pending_frame_len(), Some(0x0180_0021));
            }
            // Not a wire-format rule either: like the AWS SDKs for Rust, Go and C we accept
            // duplicate names; lookups return the first.
            ("duplicate_header", "DuplicateHeader") => {
                let m = decode_one(&bytes);
                let headers: Vec<_> = m.headers().map(|h| (h.name(), h.value())).collect();
                let asdf = HeaderValue::Int32(i32::from_be_bytes(*b"asdf"));
                assert_eq!(headers, [("test", asdf); 2]);
                assert_eq!(m.header("test"), Some(asdf));
            }
            other => panic!("unexpected botocore negative vector {other:?}"),
        }
    }
}

#[test]
fn smithy_rs_vectors() {
    let expected = read_json("smithy-rs/expected.json");
    let all = &expected["positive"]["valid_with_all_headers_and_payload"];
    let mut stream = Vec::new();
    for name in [
        "valid_with_all_headers_and_payload",
        "valid_empty_payload",
        "valid_no_headers",
    ] {
        let bytes = read(&format!("smithy-rs/test_data/{name}"));
        let m = decode_one(&bytes);
        let reference = aws_smithy_eventstream::frame::read_message_from(&bytes[..]).unwrap();
        let reference_headers: Vec<_> = reference
            .headers()
            .iter()
            .map(|h| h.name().as_str().to_owned())
            .collect();
        let ours: Vec<_> = m.headers().map(|h| h.name().to_owned()).collect();
        assert_eq!(ours, reference_headers, "{name}");
        assert_eq!(m.payload(), reference.payload().clone(), "{name}");
        if name == "valid_with_all_headers_and_payload" {
            assert_eq!(Value::from(typed_headers(&m, false)), all["headers"]);
            assert_eq!(
                m.payload_bytes(),
                b64(all["payload_base64"].as_str().unwrap())
            );
        }
        stream.extend(bytes);
    }
    for chunk in 1..=11 {
        let items = decode_all(&stream, chunk);
        assert_eq!(items.len(), 3, "chunk size {chunk}");
        assert!(items.iter().all(Result::is_ok), "chunk size {chunk}");
    }
    let negative = expected["negative"].as_object().unwrap();
    let files: Vec<_> = names("smithy-rs/test_data")
        .into_iter()
        .filter(|n| n.starts_with("invalid_"))
        .collect();
    assert_eq!(files, negative.keys().cloned().collect::<Vec<_>>());
    for (name, want) in negative {
        let err = decode_err(&read(&format!("smithy-rs/test_data/{name}")));
        let crc = |k: &str| {
            u32::from_str_radix(want[k].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
        };
        match want["error_kind"].as_str().unwrap() {
            "InvalidHeaderValue" | "InvalidHeaderNameLength" | "InvalidUtf8String" => {
                assert!(err.is_invalid_header(), "{name}: {err}");
            }
            "InvalidHeaderValueType" => {
                assert!(err.is_invalid_header(), "{name}");
                assert!(err.to_string().ends_with("unknown value type 96"), "{err}");
            }
            "InvalidHeadersLength" => assert!(err.is_invalid_length(), "{name}: {err}"),
            "PreludeChecksumMismatch" => {
                assert!(err.is_prelude_checksum_mismatch(), "{name}");
                let text = format!(
                    "declares {:#010x}, computed {:#010x}",
                    crc("actual_crc"),
                    crc("expected_crc")
                );
                assert!(err.to_string().ends_with(&text), "{err}");
            }
            "MessageChecksumMismatch" => {
                assert!(err.is_message_checksum_mismatch(), "{name}");
                let text = format!(
                    "declares {:#010x}, computed {:#010x}",
                    crc("actual_crc"),
                    crc("expected_crc")
                );
                assert!(err.to_string().ends_with(&text), "{err}");
            }
            other => panic!("{name}: unknown smithy error kind {other}"),
        }
    }
}

fn live_capture() -> (Vec<u8>, Value) {
    let capture = read_json("vercel-ai/issue-18994-live-converse-stream.json");
    (
        b64(capture["response"]["bodyBase64"].as_str().unwrap()),
        capture["observed"].clone(),
    )
}

fn check_live_events(events: &[Event], observed: &Value) {
    let types: Vec<_> = events.iter().map(Event::event_type).collect();
    assert_eq!(
        types,
        [
            "messageStart",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockStop",
            "messageStop",
            "metadata"
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e.content_type() == Some("application/json"))
    );
    let payloads: Vec<Value> = events
        .iter()
        .map(|e| serde_json::from_slice(e.payload_bytes()).unwrap())
        .collect();
    assert_eq!(payloads[0]["role"], "assistant");
    let text: String = payloads[1..3]
        .iter()
        .map(|p| p["delta"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(text, observed["text"].as_str().unwrap());
    assert_eq!(payloads[4]["stopReason"], "end_turn");
    assert_eq!(payloads[5]["usage"]["inputTokens"], observed["inputTokens"]);
    assert_eq!(
        payloads[5]["usage"]["outputTokens"],
        observed["outputTokens"]
    );
}

#[test]
fn live_bedrock_converse_stream_capture_decodes_to_six_events() {
    let (bytes, observed) = live_capture();
    for chunk in [bytes.len(), 4096, 17, 1] {
        let chunks = bytes.chunks(chunk).map(Bytes::copy_from_slice).collect();
        let events: Vec<Event> = collect(EventStream::new(body(chunks)))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        check_live_events(&events, &observed);
    }
}

#[test]
fn vercel_model_stream_error_exception() {
    let text = String::from_utf8(read(
        "vercel-ai/model-stream-error-exception.eventstream.base64.txt",
    ))
    .unwrap();
    let bytes = Bytes::from(b64(text.trim()));
    let items = collect(EventStream::new(body(vec![bytes.clone(), bytes])));
    assert_eq!(items.len(), 1, "the stream ends after the exception");
    let err = items.into_iter().next().unwrap().unwrap_err();
    assert!(err.is_service_exception());
    let exception = err.service_exception().unwrap();
    assert_eq!(exception.exception_type(), "modelStreamErrorException");
    assert_eq!(exception.message(), Some("Model Stream Error"));
    let payload: Value = serde_json::from_slice(exception.payload()).unwrap();
    assert_eq!(payload["originalStatusCode"], 500);
    assert_eq!(
        err.to_string(),
        "service exception `modelStreamErrorException`: Model Stream Error"
    );
}

#[test]
fn botocore_error_event_is_a_typed_service_error() {
    let bytes = read("botocore/encoded/positive/error_event_message");
    let items = collect(EventStream::new(body(vec![Bytes::from(bytes)])));
    let err = items.into_iter().next().unwrap().unwrap_err();
    assert!(err.is_service_error() && !err.is_service_exception());
    let e = err.service_error().unwrap();
    assert_eq!((e.code(), e.message()), ("code", Some("message")));
    assert_eq!(err.to_string(), "service error `code`: message");
}
