//! `SseDecoder`: the WHATWG specification's examples and field rules, line endings, the
//! byte-order mark, limits and errors.

use std::error::Error as _;
use std::time::Duration;

use bytes::BytesMut;
use strata_http::sse::{SseDecoder, SseError, SseEvent};

/// Feeds `chunks` one after the other, then ends the stream; returns the events and the
/// error that stopped decoding, if any.
fn decode_chunks(decoder: &mut SseDecoder, chunks: &[&[u8]]) -> (Vec<SseEvent>, Option<SseError>) {
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&mut buf) {
                Ok(Some(event)) => events.push(event),
                Ok(None) => break,
                Err(error) => return (events, Some(error)),
            }
        }
    }
    loop {
        match decoder.decode_eof(&mut buf) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(error) => return (events, Some(error)),
        }
    }
}

fn decode(wire: &str) -> (Vec<SseEvent>, Option<SseError>) {
    decode_chunks(&mut SseDecoder::new(), &[wire.as_bytes()])
}

fn decode_ok(wire: &str) -> Vec<SseEvent> {
    let (events, error) = decode(wire);
    assert!(error.is_none(), "unexpected error {error:?} for {wire:?}");
    events
}

#[test]
fn spec_example_stock_ticker_joins_data_lines() {
    let events = decode_ok("data: YHOO\ndata: +2\ndata: 10\n\n");
    assert_eq!(events, vec![SseEvent::new("YHOO\n+2\n10")]);
    assert_eq!(events[0].event_type(), "message");
    assert_eq!(events[0].event(), None);
}

#[test]
fn spec_example_ids_and_leading_space() {
    let wire = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
    assert_eq!(
        decode_ok(wire),
        vec![
            SseEvent::new("first event").with_id("1"),
            SseEvent::new("second event").with_id(""),
            SseEvent::new(" third event").with_id(""),
        ]
    );
}

#[test]
fn spec_example_empty_data_and_unfinished_last_event() {
    let (events, error) = decode("data\n\ndata\ndata\n\ndata:");
    assert_eq!(events, vec![SseEvent::new(""), SseEvent::new("\n")]);
    let error = error.expect("the last block never ends");
    assert!(error.is_truncated());
    assert_eq!(
        error.to_string(),
        "server-sent event stream ended in the middle of an event"
    );
}

#[test]
fn spec_example_one_space_after_colon_is_optional() {
    assert_eq!(
        decode_ok("data:test\n\ndata: test\n\n"),
        vec![SseEvent::new("test"), SseEvent::new("test")]
    );
}

#[test]
fn event_type_applies_to_one_event_only() {
    let events = decode_ok("event: add\ndata: 73857293\n\ndata: plain\n\n");
    assert_eq!(
        events,
        vec![
            SseEvent::new("73857293").with_event("add"),
            SseEvent::new("plain")
        ]
    );
    assert_eq!(events[0].event_type(), "add");
    assert_eq!(events[1].event_type(), "message");
}

#[test]
fn block_without_data_dispatches_nothing_and_resets_event_type() {
    assert_eq!(
        decode_ok("event: ping\n\ndata: x\n\n"),
        vec![SseEvent::new("x")]
    );
}

#[test]
fn last_event_id_persists_and_nul_ids_are_ignored() {
    let mut decoder = SseDecoder::new();
    let (events, error) = decode_chunks(
        &mut decoder,
        &[b"id: 7\ndata: a\n\ndata: b\n\nid: bad\0id\ndata: c\n\n"],
    );
    assert!(error.is_none());
    assert_eq!(
        events,
        vec![
            SseEvent::new("a").with_id("7"),
            SseEvent::new("b").with_id("7"),
            SseEvent::new("c").with_id("7"),
        ]
    );
    assert_eq!(decoder.last_event_id(), Some("7"));
}

#[test]
fn retry_takes_only_ascii_digits() {
    assert_eq!(
        decode_ok(
            "retry: 2500\ndata: a\n\nretry: 1.5\ndata: b\n\nretry: -1\ndata: c\n\nretry:\ndata: d\n\n"
        ),
        vec![
            SseEvent::new("a").with_retry(Duration::from_millis(2500)),
            SseEvent::new("b"),
            SseEvent::new("c"),
            SseEvent::new("d"),
        ]
    );
    // Too large for u64: ignored, not an error.
    assert_eq!(
        decode_ok("retry: 99999999999999999999999\ndata: e\n\n"),
        vec![SseEvent::new("e")]
    );
}

#[test]
fn comments_and_unknown_fields_are_ignored() {
    assert_eq!(
        decode_ok(":ok\n: keep-alive\nfoo: bar\nDATA: shouted\ndata : spaced\ndata: kept\n\n"),
        vec![SseEvent::new("kept")]
    );
}

#[test]
fn colons_after_the_first_belong_to_the_value() {
    assert_eq!(
        decode_ok("data: {\"a\":\"b:c\"}\n\n"),
        vec![SseEvent::new("{\"a\":\"b:c\"}")]
    );
}

#[test]
fn cr_lf_and_crlf_line_endings_mix() {
    let expected = vec![SseEvent::new("one\ntwo"), SseEvent::new("three")];
    assert_eq!(
        decode_ok("data: one\rdata: two\r\rdata: three\r\r"),
        expected
    );
    assert_eq!(
        decode_ok("data: one\r\ndata: two\r\n\r\ndata: three\r\n\r\n"),
        expected
    );
    assert_eq!(
        decode_ok("data: one\r\ndata: two\n\rdata: three\r\n\n"),
        expected
    );
}

#[test]
fn crlf_split_across_chunks_is_one_line_ending() {
    let (events, error) = decode_chunks(
        &mut SseDecoder::new(),
        &[b"data: a\r", b"\n", b"\r", b"\ndata: b\r", b"\r", b"\n"],
    );
    assert!(error.is_none());
    // `\r` `\n` → one ending; `\r` `\n` → the blank line; then `\r` (end) and `\r\n` (blank).
    assert_eq!(events, vec![SseEvent::new("a"), SseEvent::new("b")]);
}

#[test]
fn leading_bom_is_skipped_once_even_when_split() {
    let expected = vec![SseEvent::new("x")];
    assert_eq!(decode_ok("\u{feff}data: x\n\n"), expected);
    let (events, error) = decode_chunks(
        &mut SseDecoder::new(),
        &[b"\xEF", b"\xBB", b"\xBFdata: x\n\n"],
    );
    assert!(error.is_none());
    assert_eq!(events, expected);
    // A second BOM is part of the field name, which is then unknown.
    assert_eq!(
        decode_ok("\u{feff}\u{feff}data: y\n\ndata: z\n\n"),
        vec![SseEvent::new("z")]
    );
}

#[test]
fn done_sentinel_is_surfaced_as_a_typed_marker() {
    let events = decode_ok("data: {\"x\":1}\n\ndata: [DONE]\n\n");
    assert_eq!(events.len(), 2);
    assert!(!events[0].is_done());
    assert!(events[1].is_done());
    assert_eq!(events[1].data(), strata_http::sse::DONE);
    assert!(!SseEvent::new(" [DONE]").is_done());
}

#[test]
fn clean_ends() {
    assert_eq!(decode_ok(""), vec![]);
    assert_eq!(decode_ok("\n\n\n"), vec![]);
    assert_eq!(decode_ok(": only a comment\n"), vec![]);
    // An unterminated comment at the very end carries no event.
    assert_eq!(decode_ok("data: a\n\n: bye"), vec![SseEvent::new("a")]);
    // A block of only an unknown field is not an event.
    assert_eq!(decode_ok("data: a\n\nfoo: bar\n"), vec![SseEvent::new("a")]);
}

#[test]
fn truncated_ends() {
    for wire in [
        "data: a\n\ndata: b",
        "data: a\n\ndata: b\n",
        "data: a\n\nevent: x\n",
        "data: a\n\nid: 3\n",
        "data: a\n\nretry: 3\n",
        "data: a\n\nda",
        "\u{feff}data: a\n\ndata: b\r",
    ] {
        let (events, error) = decode(wire);
        assert_eq!(events, vec![SseEvent::new("a")], "{wire:?}");
        assert!(error.expect(wire).is_truncated(), "{wire:?}");
    }
    let (events, error) = decode_chunks(&mut SseDecoder::new(), &[b"\xEF\xBB"]);
    assert!(events.is_empty());
    assert!(error.unwrap().is_truncated());
}

#[test]
fn invalid_utf8_is_an_error_naming_the_field() {
    let (events, error) =
        decode_chunks(&mut SseDecoder::new(), &[b"data: ok\n\ndata: \xFF\xFE\n\n"]);
    assert_eq!(events, vec![SseEvent::new("ok")]);
    let error = error.unwrap();
    assert!(error.is_invalid_utf8());
    assert!(!error.is_truncated());
    assert_eq!(
        error.to_string(),
        "server-sent event field `data` is not valid UTF-8"
    );
    assert!(error.source().unwrap().is::<std::str::Utf8Error>());

    let (_, error) = decode_chunks(&mut SseDecoder::new(), &[b"event: \xC3\n"]);
    assert_eq!(
        error.unwrap().to_string(),
        "server-sent event field `event` is not valid UTF-8"
    );
    // Invalid bytes in a comment or an unknown field are ignored with the line.
    assert_eq!(
        decode_chunks(&mut SseDecoder::new(), &[b": \xFF\nx\xFF: 1\ndata: y\n\n"]).0,
        vec![SseEvent::new("y")]
    );
}

#[test]
fn multibyte_characters_split_across_chunks() {
    let wire = "data: héllo → wörld 🎉\n\n".as_bytes();
    for cut in 0..wire.len() {
        let (events, error) = decode_chunks(&mut SseDecoder::new(), &[&wire[..cut], &wire[cut..]]);
        assert!(error.is_none());
        assert_eq!(events, vec![SseEvent::new("héllo → wörld 🎉")]);
    }
}

#[test]
fn events_at_the_limit_pass_and_above_it_fail() {
    // data "abcd" counts 5 bytes (value plus its joining newline).
    let mut decoder = SseDecoder::with_max_event_size(10);
    assert_eq!(decoder.max_event_size(), 10);
    let (events, error) = decode_chunks(&mut decoder, &[b"data: abcd\n\n"]);
    assert!(error.is_none());
    assert_eq!(events, vec![SseEvent::new("abcd")]);

    let (events, error) = decode_chunks(
        &mut SseDecoder::with_max_event_size(10),
        &[b"data: abc\ndata: abcdef\n\n"],
    );
    assert!(events.is_empty());
    let error = error.unwrap();
    assert!(error.is_too_large());
    assert_eq!(error.limit(), Some(10));
    assert_eq!(
        error.to_string(),
        "server-sent event exceeds the 10-byte limit"
    );
}

#[test]
fn an_endless_line_fails_at_the_limit_without_a_terminator() {
    let mut decoder = SseDecoder::with_max_event_size(64);
    let mut buf = BytesMut::new();
    let mut fed = 0;
    let error = loop {
        buf.extend_from_slice(b": aaaaaaaaaaaaaaaa");
        fed += 18;
        match decoder.decode(&mut buf) {
            Ok(None) => assert!(fed <= 64, "accepted {fed} bytes"),
            Ok(Some(event)) => panic!("unexpected {event:?}"),
            Err(error) => break error,
        }
    };
    assert!(error.is_too_large());
    assert_eq!(fed, 72);
}

#[test]
fn event_accessors_and_default() {
    let event = SseEvent::new("d")
        .with_event("e")
        .with_id("i")
        .with_retry(Duration::from_secs(1));
    assert_eq!(event.event(), Some("e"));
    assert_eq!(event.data(), "d");
    assert_eq!(event.id(), Some("i"));
    assert_eq!(event.retry(), Some(Duration::from_secs(1)));
    assert_eq!(event.into_data(), "d");
    assert_eq!(
        SseDecoder::default().max_event_size(),
        strata_http::sse::DEFAULT_MAX_EVENT_SIZE
    );
}
