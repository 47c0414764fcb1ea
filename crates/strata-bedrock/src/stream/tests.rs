use serde_json::json;
use strata_core::{FinishReason, StreamPart};

use super::*;

fn run(context: ResponseContext, events: &[(&str, &str)], end: bool) -> Vec<StreamPart> {
    let mut state = ConverseStreamState::new(context);
    let mut out = Vec::new();
    for (event_type, payload) in events {
        state.on_event(event_type, payload.as_bytes(), &mut out);
    }
    if end {
        state.end(&mut out);
    }
    out
}

fn ctx() -> ResponseContext {
    ResponseContext::new("m")
}

fn error(parts: &[StreamPart]) -> &Error {
    match parts.last() {
        Some(StreamPart::Error(e)) => e,
        other => panic!("expected an error part, got {other:?}"),
    }
}

#[test]
fn starts_with_warnings_and_metadata() {
    let mut context = ctx();
    context.warnings = vec![strata_core::Warning::unsupported_setting("seed")];
    let mut state = ConverseStreamState::new(context);
    let mut parts = Vec::new();
    state.start(&mut parts);
    state.start(&mut parts);
    assert_eq!(
        parts,
        vec![
            StreamPart::stream_start(vec![strata_core::Warning::unsupported_setting("seed")]),
            StreamPart::ResponseMetadata(ResponseMetadata::default().with_model_id("m")),
        ]
    );
}

#[test]
fn missing_message_stop_is_an_error_not_a_finish() {
    let parts = run(
        ctx(),
        &[(
            "contentBlockDelta",
            r#"{"contentBlockIndex":0,"delta":{"text":"Hel"}}"#,
        )],
        true,
    );
    let err = error(&parts);
    assert!(err.is_stream_ended());
    assert!(!parts.iter().any(|p| matches!(p, StreamPart::Finish { .. })));
}

#[test]
fn stop_without_metadata_finishes_at_the_end_closing_open_blocks() {
    let parts = run(
        ctx(),
        &[
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":0,"delta":{"text":"a"}}"#,
            ),
            ("messageStop", r#"{"stopReason":"max_tokens"}"#),
        ],
        true,
    );
    assert_eq!(parts[4], StreamPart::text_end("0"));
    let StreamPart::Finish {
        finish_reason,
        raw_finish_reason,
        usage,
        ..
    } = &parts[5]
    else {
        panic!("{:?}", parts[5])
    };
    assert_eq!(*finish_reason, FinishReason::Length);
    assert_eq!(raw_finish_reason.as_deref(), Some("max_tokens"));
    assert_eq!(*usage, strata_core::Usage::default());
    assert_eq!(parts.len(), 6);
}

#[test]
fn exceptions_become_api_error_parts_and_stop_the_stream() {
    let mut state = ConverseStreamState::new(ctx());
    let mut out = Vec::new();
    state.on_event(
        "contentBlockDelta",
        br#"{"contentBlockIndex":0,"delta":{"text":"a"}}"#,
        &mut out,
    );
    state.on_exception(
        "modelStreamErrorException",
        br#"{"message":"Model failed","originalStatusCode":500,"originalMessage":"boom"}"#,
        &mut out,
    );
    state.on_event(
        "contentBlockDelta",
        br#"{"contentBlockIndex":0,"delta":{"text":"b"}}"#,
        &mut out,
    );
    state.end(&mut out);
    assert!(state.is_done());
    assert_eq!(out.len(), 5);
    let err = error(&out);
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("ModelStreamErrorException"));
    assert_eq!(
        api.message,
        "Model failed (the model returned status 500: boom)"
    );
    assert_eq!(api.status.map(|s| s.as_u16()), Some(424));
    assert!(!api.retryable);

    let mut state = ConverseStreamState::new(ctx());
    let mut out = Vec::new();
    state.on_exception(
        "throttlingException",
        br#"{"message":"Too many tokens"}"#,
        &mut out,
    );
    let err = error(&out);
    assert!(err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.api_error().unwrap().code.as_deref(),
        Some("ThrottlingException")
    );

    let mut state = ConverseStreamState::new(ctx());
    let mut out = Vec::new();
    state.on_error("InternalFailure", Some("oops"), &mut out);
    assert_eq!(error(&out).api_error().unwrap().message, "oops");
}

#[test]
fn undecodable_and_inconsistent_events_are_errors() {
    let parts = run(
        ctx(),
        &[("contentBlockDelta", r#"{"contentBlockIndex":"zero"}"#)],
        true,
    );
    let err = error(&parts);
    assert!(err.is_invalid_response());
    assert!(
        err.to_string()
            .contains("the `contentBlockDelta` event could not be decoded"),
        "{err}"
    );
    assert_eq!(err.excerpt(), Some(r#"{"contentBlockIndex":"zero"}"#));

    let parts = run(
        ctx(),
        &[(
            "contentBlockDelta",
            r#"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{"}}}"#,
        )],
        false,
    );
    assert!(error(&parts).to_string().contains("not a started tool use"));

    let parts = run(
        ctx(),
        &[
            (
                "contentBlockStart",
                r#"{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t","name":"f"}}}"#,
            ),
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"a\":"}}}"#,
            ),
            ("contentBlockStop", r#"{"contentBlockIndex":0}"#),
        ],
        false,
    );
    let err = error(&parts);
    assert_eq!(
        err.to_string(),
        "could not decode the response: the input of tool call `t` is not valid JSON"
    );
}

#[test]
fn empty_tool_input_is_an_empty_object_and_json_tool_streams_text() {
    let parts = run(
        ctx(),
        &[
            (
                "contentBlockStart",
                r#"{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t","name":"now","type":"server_tool_use"}}}"#,
            ),
            ("contentBlockStop", r#"{"contentBlockIndex":1}"#),
        ],
        false,
    );
    assert_eq!(
        parts[4],
        StreamPart::ToolCall(ToolCall::new("t", "now", json!({})).with_provider_executed(true))
    );
    let parts = run(
        ctx().with_json_tool("json"),
        &[
            (
                "contentBlockStart",
                r#"{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t","name":"json"}}}"#,
            ),
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"a\":1}"}}}"#,
            ),
            ("contentBlockStop", r#"{"contentBlockIndex":0}"#),
            ("messageStop", r#"{"stopReason":"tool_use"}"#),
            (
                "metadata",
                r#"{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}"#,
            ),
        ],
        false,
    );
    assert_eq!(
        &parts[2..5],
        &[
            StreamPart::text_start("0"),
            StreamPart::text_delta("0", r#"{"a":1}"#),
            StreamPart::text_end("0")
        ]
    );
    assert!(matches!(
        parts[5],
        StreamPart::Finish {
            finish_reason: FinishReason::Stop,
            ..
        }
    ));
}

#[test]
fn raw_chunks_when_asked() {
    let mut context = ctx();
    context.include_raw_chunks = true;
    let parts = run(
        context,
        &[("messageStart", r#"{"role":"assistant","p":"ab"}"#)],
        false,
    );
    assert_eq!(
        parts[2],
        StreamPart::Raw {
            raw_value: json!({"messageStart": {"role": "assistant", "p": "ab"}})
        }
    );
}

#[test]
fn block_indices_from_the_network_are_keys_not_allocation_sizes() {
    // A huge index costs nothing, and blocks left open close in index order at the finish.
    let parts = run(
        ctx(),
        &[
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":4294967295,"delta":{"text":"late"}}"#,
            ),
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":2,"delta":{"text":"early"}}"#,
            ),
            (
                "contentBlockDelta",
                r#"{"contentBlockIndex":4294967295,"delta":{"text":"!"}}"#,
            ),
            ("messageStop", r#"{"stopReason":"end_turn"}"#),
            (
                "metadata",
                r#"{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":1}}"#,
            ),
        ],
        true,
    );
    let texts: Vec<String> = parts[2..parts.len() - 1]
        .iter()
        .map(|part| match part {
            StreamPart::TextStart { id, .. } => format!("start {id}"),
            StreamPart::TextDelta { id, delta, .. } => format!("delta {id} {delta}"),
            StreamPart::TextEnd { id, .. } => format!("end {id}"),
            other => panic!("unexpected part {other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        [
            "start 4294967295",
            "delta 4294967295 late",
            "start 2",
            "delta 2 early",
            "delta 4294967295 !",
            "end 2",
            "end 4294967295",
        ]
    );
    assert!(matches!(parts.last(), Some(StreamPart::Finish { .. })));
}
