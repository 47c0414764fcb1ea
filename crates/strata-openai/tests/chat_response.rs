//! Chat Completions responses and streams → results and stream parts, from fixtures.

mod common;

use std::time::{Duration, SystemTime};

use common::{collect, fixture, sse_events};
use http::HeaderMap;
use serde_json::json;
use strata_core::content::ToolCall;
use strata_core::{Content, FinishReason, ProviderMetadata, StreamPart, Usage, Warning};
use strata_http::sse::{SseError, SseEvent};
use strata_openai::chat::response::convert_response;
use strata_openai::chat::stream::ChatStreamState;

fn headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req_6f8b7c2e".parse().unwrap());
    headers.insert("openai-processing-ms", "412".parse().unwrap());
    headers
}

fn usage(input: u64, cached: u64, output: u64, reasoning: u64) -> Usage {
    let mut usage = Usage::from_totals(Some(input), Some(output));
    usage.input_tokens.cache_read = Some(cached);
    usage.input_tokens.no_cache = Some(input - cached);
    usage.output_tokens.reasoning = Some(reasoning);
    usage.output_tokens.text = Some(output - reasoning);
    usage
}

#[test]
fn text_response_with_cached_tokens_and_metadata() {
    let result = convert_response(&fixture("chat/response_text.json"), &headers()).unwrap();
    assert_eq!(
        result.content,
        vec![Content::text("The capital of France is Paris.")]
    );
    assert_eq!(result.finish_reason, FinishReason::Stop);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("stop"));
    assert_eq!(result.usage, usage(1117, 1024, 46, 0));
    assert_eq!(
        result.response.id.as_deref(),
        Some("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG")
    );
    assert_eq!(
        result.response.model_id.as_deref(),
        Some("gpt-4o-2024-08-06")
    );
    assert_eq!(
        result.response.timestamp,
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1741570283))
    );
    assert_eq!(result.response.request_id.as_deref(), Some("req_6f8b7c2e"));
    assert_eq!(result.response.headers["openai-processing-ms"], "412");
    assert_eq!(
        result.provider_metadata,
        ProviderMetadata::new()
            .with("openai", "acceptedPredictionTokens", 0)
            .with("openai", "rejectedPredictionTokens", 0)
            .with("openai", "serviceTier", "default")
    );
    assert!(result.warnings.is_empty());
}

#[test]
fn tool_call_response() {
    let result =
        convert_response(&fixture("chat/response_tool_calls.json"), &HeaderMap::new()).unwrap();
    assert_eq!(
        result.content,
        vec![
            ToolCall::new(
                "call_3kdQ7mG2Yt0sWZ8fH1xLpA9b",
                "get_weather",
                json!({"city": "Paris", "unit": "celsius"})
            )
            .into(),
            ToolCall::new("call_8Hn2LqP4cV6bX1zR7tY0wS5e", "get_time", json!({})).into(),
        ]
    );
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
    assert_eq!(result.usage, usage(82, 0, 41, 0));
    assert_eq!(result.response.request_id, None);
}

#[test]
fn reasoning_content_is_returned_first() {
    let result =
        convert_response(&fixture("chat/response_reasoning.json"), &HeaderMap::new()).unwrap();
    assert_eq!(
        result.content,
        vec![
            Content::reasoning("The user asks for 17 * 23. 17 * 23 = 391."),
            Content::text("17 × 23 = 391.")
        ]
    );
    assert_eq!(result.finish_reason, FinishReason::Length);
    let mut expected = Usage::from_totals(Some(31), Some(64));
    expected.input_tokens.no_cache = Some(31);
    expected.output_tokens.reasoning = Some(52);
    expected.output_tokens.text = Some(12);
    assert_eq!(result.usage, expected);
}

#[test]
fn finish_reasons_map_with_raw_kept() {
    for (raw, expected) in [
        ("stop", FinishReason::Stop),
        ("length", FinishReason::Length),
        ("content_filter", FinishReason::ContentFilter),
        ("tool_calls", FinishReason::ToolCalls),
        ("function_call", FinishReason::ToolCalls),
        ("eos", FinishReason::Other),
    ] {
        let body = format!(
            r#"{{"choices":[{{"index":0,"message":{{"content":"x"}},"finish_reason":"{raw}"}}]}}"#
        );
        let result = convert_response(body.as_bytes(), &HeaderMap::new()).unwrap();
        assert_eq!(
            (result.finish_reason, result.raw_finish_reason.as_deref()),
            (expected, Some(raw))
        );
    }
    let result = convert_response(
        br#"{"choices":[{"message":{"content":"x"}}]}"#,
        &HeaderMap::new(),
    )
    .unwrap();
    assert_eq!(
        (result.finish_reason, result.raw_finish_reason),
        (FinishReason::Other, None)
    );
    assert_eq!(result.usage, Usage::default());
}

#[test]
fn invalid_arguments_citations_and_refusals() {
    let body = br#"{"choices":[{"index":0,"finish_reason":"tool_calls","message":{
        "content":"See sources.","refusal":"I can't share that.",
        "annotations":[{"type":"url_citation","url_citation":{"url":"https://example.org/a","title":"A","start_index":0,"end_index":3}},{"type":"file_citation"}],
        "tool_calls":[{"id":"call_x","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]}}]}"#;
    let result = convert_response(body, &HeaderMap::new()).unwrap();
    let mut source = strata_core::content::Source::url("source-0", "https://example.org/a");
    if let strata_core::content::Source::Url { title, .. } = &mut source {
        *title = Some("A".into());
    }
    assert_eq!(
        result.content,
        vec![
            Content::text("See sources."),
            Content::Source(source),
            ToolCall::new("call_x", "f", json!("{\"a\":"))
                .with_provider_metadata(ProviderMetadata::new().with(
                    "openai",
                    "invalidInput",
                    "EOF while parsing a value at line 1 column 5"
                ))
                .into()
        ]
    );
    assert_eq!(
        result.warnings,
        vec![Warning::other(
            "the arguments of tool call `call_x` are not valid JSON (EOF while parsing a value at line 1 column 5); they are passed on as a string"
        )]
    );
    assert_eq!(
        result.provider_metadata.value("openai", "refusal"),
        Some(&json!("I can't share that."))
    );
}

#[test]
fn malformed_responses_are_invalid_response_errors() {
    let error = convert_response(b"<html>oops</html>", &HeaderMap::new()).unwrap_err();
    assert!(error.is_invalid_response());
    assert_eq!(error.excerpt(), Some("<html>oops</html>"));
    let error = convert_response(br#"{"id":"x","choices":[]}"#, &HeaderMap::new()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not decode the response: Chat Completions response has no choices"
    );
    let error = convert_response(
        br#"{"choices":[{"message":{"content":7}}]}"#,
        &HeaderMap::new(),
    )
    .unwrap_err();
    assert!(error.is_invalid_response());
}

fn run(wire: &[u8], chunk: usize, include_raw: bool) -> Vec<StreamPart> {
    let mut state = ChatStreamState::new(include_raw).with_request_id(Some("req_s1".into()));
    let mut parts = Vec::new();
    state.start(vec![Warning::unsupported_setting("top_k")], &mut parts);
    for event in sse_events(wire, chunk) {
        state.on_event(&event, &mut parts);
    }
    state.end(&mut parts);
    assert!(state.is_done());
    parts
}

#[test]
fn streamed_tool_calls_are_assembled_by_index() {
    let wire = fixture("chat/stream_tool_calls.sse");
    let parts = run(&wire, usize::MAX, false);
    let mut metadata = strata_core::ResponseMetadata::default()
        .with_id("chatcmpl-BnE5x2mQ9")
        .with_model_id("gpt-4.1-2025-04-14")
        .with_timestamp(SystemTime::UNIX_EPOCH + Duration::from_secs(1751042200));
    metadata.request_id = Some("req_s1".into());
    let (weather, time) = (
        "call_3kdQ7mG2Yt0sWZ8fH1xLpA9b",
        "call_8Hn2LqP4cV6bX1zR7tY0wS5e",
    );
    assert_eq!(
        parts,
        vec![
            StreamPart::stream_start(vec![Warning::unsupported_setting("top_k")]),
            StreamPart::ResponseMetadata(metadata),
            StreamPart::text_start("text-0"),
            StreamPart::text_delta("text-0", "Let me check"),
            StreamPart::text_delta("text-0", " both."),
            StreamPart::tool_input_start(weather, "get_weather"),
            StreamPart::tool_input_delta(weather, "{\"ci"),
            StreamPart::tool_input_delta(weather, "ty\":\"Par"),
            StreamPart::tool_input_start(time, "get_time"),
            StreamPart::tool_input_delta(weather, "is\"}"),
            StreamPart::tool_input_delta(time, "{\"tz\":\"Europe/Paris\"}"),
            StreamPart::text_end("text-0"),
            StreamPart::tool_input_end(weather),
            StreamPart::ToolCall(ToolCall::new(
                weather,
                "get_weather",
                json!({"city": "Paris"})
            )),
            StreamPart::tool_input_end(time),
            StreamPart::ToolCall(ToolCall::new(
                time,
                "get_time",
                json!({"tz": "Europe/Paris"})
            )),
            StreamPart::Finish {
                finish_reason: FinishReason::ToolCalls,
                raw_finish_reason: Some("tool_calls".into()),
                usage: usage(82, 64, 41, 0),
                provider_metadata: ProviderMetadata::new()
                    .with("openai", "acceptedPredictionTokens", 0)
                    .with("openai", "rejectedPredictionTokens", 0)
                    .with("openai", "serviceTier", "default"),
            },
        ]
    );
    // Any chunking gives the same parts, and the parts collect into a consistent result.
    assert_eq!(run(&wire, 17, false), parts);
    assert_eq!(run(&wire, 1, false), parts);
    let result = collect(parts).unwrap();
    assert_eq!(result.text(), "Let me check both.");
    assert_eq!(result.tool_calls().count(), 2);
}

#[test]
fn streamed_reasoning_then_text() {
    let parts = run(&fixture("chat/stream_reasoning.sse"), 64, false);
    assert_eq!(
        parts[2..],
        [
            StreamPart::reasoning_start("reasoning-0"),
            StreamPart::reasoning_delta("reasoning-0", "User wants a"),
            StreamPart::reasoning_delta("reasoning-0", " haiku."),
            StreamPart::reasoning_end("reasoning-0"),
            StreamPart::text_start("text-1"),
            StreamPart::text_delta("text-1", "Autumn moonlight—"),
            StreamPart::text_delta("text-1", "\na worm digs silently"),
            StreamPart::text_delta("text-1", "\ninto the chestnut."),
            StreamPart::text_end("text-1"),
            StreamPart::finish(FinishReason::Stop, {
                let mut u = usage(12, 0, 30, 9);
                u.input_tokens.cache_read = Some(0);
                u
            })
            .with_raw("stop"),
        ]
    );
}

trait WithRaw {
    fn with_raw(self, raw: &str) -> Self;
}

impl WithRaw for StreamPart {
    fn with_raw(mut self, raw: &str) -> Self {
        if let StreamPart::Finish {
            raw_finish_reason, ..
        } = &mut self
        {
            *raw_finish_reason = Some(raw.into());
        }
        self
    }
}

#[test]
fn raw_chunks_are_included_when_asked() {
    let parts = run(&fixture("chat/stream_reasoning.sse"), 1024, true);
    let raws = parts
        .iter()
        .filter(|p| matches!(p, StreamPart::Raw { .. }))
        .count();
    assert_eq!(raws, 7);
    assert!(
        matches!(&parts[1], StreamPart::Raw { raw_value } if raw_value["model"] == "deepseek-reasoner")
    );
}

fn feed(events: &[&str]) -> Vec<StreamPart> {
    let mut state = ChatStreamState::new(false).with_request_id(Some("req_e".into()));
    let mut parts = Vec::new();
    for data in events {
        state.on_event(&SseEvent::new(*data), &mut parts);
    }
    state.end(&mut parts);
    parts
}

fn only_error(parts: &[StreamPart]) -> &strata_core::Error {
    let errors: Vec<_> = parts
        .iter()
        .filter_map(|p| match p {
            StreamPart::Error(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 1, "{parts:?}");
    assert!(
        matches!(parts.last(), Some(StreamPart::Error(_))),
        "the error is the last part"
    );
    errors[0]
}

#[test]
fn a_stream_ending_early_is_an_error_part() {
    let parts = feed(&[r#"{"id":"c","choices":[{"index":0,"delta":{"content":"Hel"}}]}"#]);
    let error = only_error(&parts);
    assert!(error.is_stream_ended());
    assert_eq!(error.request_id(), Some("req_e"));
    assert!(collect(parts).is_err());
}

#[test]
fn invalid_streamed_arguments_are_marked_on_the_call_and_the_stream_goes_on() {
    let parts = feed(&[
        r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","function":{"name":"f","arguments":"{\"x\": 1"}},{"index":1,"id":"call_b","function":{"name":"g","arguments":"{}"}}]}}]}"#,
        r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"]"}}]}}]}"#,
        r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        "[DONE]",
    ]);
    let calls: Vec<&ToolCall> = parts
        .iter()
        .filter_map(|p| match p {
            StreamPart::ToolCall(call) => Some(call),
            _ => None,
        })
        .collect();
    let marked = ToolCall::new("call_a", "f", json!("{\"x\": 1]")).with_provider_metadata(
        ProviderMetadata::new().with(
            "openai",
            "invalidInput",
            "expected `,` or `}` at line 1 column 8",
        ),
    );
    assert_eq!(calls, [&marked, &ToolCall::new("call_b", "g", json!({}))]);
    assert_eq!(
        strata_openai::tool_call::input_error(calls[0]),
        Some("expected `,` or `}` at line 1 column 8")
    );
    assert!(matches!(
        parts.last(),
        Some(StreamPart::Finish {
            finish_reason: FinishReason::ToolCalls,
            ..
        })
    ));
    let result = collect(parts).unwrap();
    assert_eq!(result.tool_calls().next(), Some(&marked));
}

#[test]
fn a_finish_reason_without_done_still_finishes() {
    let parts =
        feed(&[r#"{"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}"#]);
    assert!(matches!(
        parts.last(),
        Some(StreamPart::Finish {
            finish_reason: FinishReason::Stop,
            ..
        })
    ));
    assert_eq!(collect(parts).unwrap().text(), "ok");
}

#[test]
fn done_without_finish_reason_finishes_as_other_and_later_events_are_ignored() {
    let parts = feed(&[
        "[DONE]",
        r#"{"choices":[{"index":0,"delta":{"content":"late"}}]}"#,
    ]);
    assert_eq!(
        parts,
        vec![StreamPart::finish(FinishReason::Other, Usage::default())]
    );
}

#[test]
fn error_events_bad_json_and_bad_fragments_are_error_parts() {
    let parts = feed(&[
        r#"{"choices":[{"index":0,"delta":{"content":"a"}}]}"#,
        r#"{"error":{"message":"The model is overloaded.","type":"server_error","code":"server_error"}}"#,
        r#"{"choices":[{"index":0,"delta":{"content":"b"}}]}"#,
    ]);
    let error = only_error(&parts);
    assert_eq!(
        error.to_string(),
        "API error (code server_error, request id req_e): The model is overloaded."
    );
    assert!(error.is_retryable());

    let error = only_error(&feed(&["{not json"])).clone();
    assert!(error.is_invalid_response());
    assert_eq!(error.excerpt(), Some("{not json"));

    let parts = feed(&[
        r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"#,
    ]);
    assert_eq!(
        only_error(&parts).to_string(),
        "could not decode the response: the first fragment of tool call 0 has no id or function name (request id req_e)"
    );
}

#[test]
fn transport_and_decoding_failures_are_error_parts() {
    let mut state = ChatStreamState::new(false);
    let mut parts = Vec::new();
    let mut decoder = strata_http::sse::SseDecoder::with_max_event_size(4);
    let mut buf = bytes::BytesMut::from(&b"data: too long\n\n"[..]);
    let failure: SseError = decoder.decode(&mut buf).unwrap_err();
    state.on_failure(failure, &mut parts);
    state.end(&mut parts);
    assert_eq!(parts.len(), 1);
    let error = only_error(&parts);
    assert!(error.is_invalid_response());
    assert_eq!(
        error.to_string(),
        "could not decode the response: server-sent event exceeds the 4-byte limit"
    );
}

#[test]
fn null_values_from_compatible_servers_are_accepted() {
    let parts = feed(&[
        r#"{"id":"c","choices":[{"index":0,"delta":{"content":"ok"}}]}"#,
        r#"{"id":"c","choices":[{"index":0,"delta":null,"finish_reason":"stop"}]}"#,
        r#"{"id":"c","choices":null,"usage":null}"#,
        "[DONE]",
    ]);
    assert!(
        matches!(
            parts.last(),
            Some(StreamPart::Finish {
                finish_reason: FinishReason::Stop,
                ..
            })
        ),
        "{parts:?}"
    );
    let result = convert_response(
        br#"{"choices":[{"index":0,"message":{"content":"x"},"finish_reason":"stop"}],"usage":null}"#,
        &HeaderMap::new(),
    )
    .unwrap();
    assert_eq!(result.text(), "x");
    let error = convert_response(br#"{"choices":null}"#, &HeaderMap::new()).unwrap_err();
    assert!(error.is_invalid_response());
}
