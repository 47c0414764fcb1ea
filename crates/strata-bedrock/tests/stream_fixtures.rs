//! Runs the shared ConverseStream fixtures through the state machine, and checks that
//! collecting the stream equals converting the equivalent Converse response.

mod common;

use std::collections::BTreeMap;

use base64::Engine as _;
use bytes::BytesMut;
use serde_json::{Value, json};
use strata_aws::event_stream::FrameDecoder;
use strata_bedrock::request::ResponseContext;
use strata_bedrock::response::convert_response;
use strata_bedrock::stream::ConverseStreamState;
use strata_core::{Collector, FinishReason, GenerateResult, StreamPart, Warning};

const MODEL: &str = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

fn context() -> ResponseContext {
    let mut context = ResponseContext::new(MODEL);
    context.warnings = vec![Warning::unsupported_setting("seed")];
    context
}

fn stream_parts(events: &[(String, Vec<u8>)]) -> Vec<StreamPart> {
    let mut state = ConverseStreamState::new(context());
    let mut parts = Vec::new();
    for (event_type, payload) in events {
        state.on_event(event_type, payload, &mut parts);
    }
    state.end(&mut parts);
    parts
}

fn collect(parts: Vec<StreamPart>) -> GenerateResult {
    let mut collector = Collector::new();
    for part in parts {
        collector.push(part).unwrap();
    }
    collector.finish().unwrap()
}

/// An independent aggregation of the events into the Converse response they stand for.
fn equivalent_response(events: &[(String, Vec<u8>)]) -> Value {
    let mut blocks: BTreeMap<u64, Value> = BTreeMap::new();
    let mut tool_inputs: BTreeMap<u64, String> = BTreeMap::new();
    let mut response = json!({});
    for (event_type, payload) in events {
        let payload: Value = serde_json::from_slice(payload).unwrap();
        let index = payload["contentBlockIndex"].as_u64();
        match event_type.as_str() {
            "contentBlockStart" => {
                let tool = &payload["start"]["toolUse"];
                blocks.insert(
                    index.unwrap(),
                    json!({"toolUse": {"toolUseId": tool["toolUseId"], "name": tool["name"]}}),
                );
            }
            "contentBlockDelta" => {
                let delta = &payload["delta"];
                let block = blocks.entry(index.unwrap()).or_insert(Value::Null);
                if let Some(text) = delta["text"].as_str() {
                    let so_far = block["text"].as_str().unwrap_or("").to_owned();
                    *block = json!({"text": so_far + text});
                } else if let Some(input) = delta["toolUse"]["input"].as_str() {
                    tool_inputs
                        .entry(index.unwrap())
                        .or_default()
                        .push_str(input);
                } else if let Some(reasoning) = delta.get("reasoningContent") {
                    let current = block["reasoningContent"]["reasoningText"].clone();
                    let mut text = current["text"].as_str().unwrap_or("").to_owned();
                    let mut signature = current["signature"].clone();
                    if let Some(t) = reasoning["text"].as_str() {
                        text.push_str(t);
                    }
                    if let Some(s) = reasoning.get("signature") {
                        signature = s.clone();
                    }
                    let mut reasoning_text = json!({"text": text});
                    if !signature.is_null() {
                        reasoning_text["signature"] = signature;
                    }
                    *block = json!({"reasoningContent": {"reasoningText": reasoning_text}});
                }
            }
            "messageStop" => {
                response["stopReason"] = payload["stopReason"].clone();
                if let Some(fields) = payload.get("additionalModelResponseFields") {
                    response["additionalModelResponseFields"] = fields.clone();
                }
            }
            "metadata" => {
                response["usage"] = payload["usage"].clone();
                response["metrics"] = payload["metrics"].clone();
            }
            _ => {}
        }
    }
    for (index, input) in tool_inputs {
        blocks.get_mut(&index).unwrap()["toolUse"]["input"] = serde_json::from_str(&input).unwrap();
    }
    response["output"] = json!({"message": {"role": "assistant", "content": blocks.into_values().collect::<Vec<_>>()}});
    response
}

fn check_fixture(name: &str) -> GenerateResult {
    let events = common::chunk_events(name);
    let parts = stream_parts(&events);
    assert_eq!(
        parts[0],
        StreamPart::stream_start(vec![Warning::unsupported_setting("seed")]),
        "{name}"
    );
    let streamed = collect(parts);
    let body = equivalent_response(&events).to_string();
    let generated = convert_response(body.as_bytes(), &context()).unwrap();
    assert_eq!(streamed.content, generated.content, "{name}");
    assert_eq!(streamed.finish_reason, generated.finish_reason, "{name}");
    assert_eq!(
        streamed.raw_finish_reason, generated.raw_finish_reason,
        "{name}"
    );
    assert_eq!(streamed.usage, generated.usage, "{name}");
    assert_eq!(
        streamed.provider_metadata, generated.provider_metadata,
        "{name}"
    );
    assert_eq!(streamed.response, generated.response, "{name}");
    assert_eq!(streamed.warnings, generated.warnings, "{name}");
    streamed
}

#[test]
fn text_fixture() {
    let result = check_fixture("amazon-bedrock-text.chunks.txt");
    assert_eq!(
        result.text(),
        "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r's in \"strawberry.\""
    );
    assert_eq!(result.finish_reason, FinishReason::Stop);
    assert_eq!(result.usage.input_tokens.total, Some(22));
    assert_eq!(result.usage.output_tokens.total, Some(55));
    assert_eq!(
        result.provider_metadata.value("bedrock", "latency_ms"),
        Some(&json!(2040))
    );
}

#[test]
fn reasoning_fixture() {
    let result = check_fixture("amazon-bedrock-reasoning.chunks.txt");
    assert!(result.reasoning_text().ends_with("So there are 3 r's."));
    let strata_core::Content::Reasoning(reasoning) = &result.content[0] else {
        panic!("{:?}", result.content)
    };
    let signature = reasoning
        .provider_metadata
        .value("bedrock", "signature")
        .unwrap()
        .as_str()
        .unwrap();
    assert!(signature.starts_with("Ep0CCkgICxABGAIqQOWPB6"));
}

#[test]
fn tool_call_fixture() {
    let result = check_fixture("amazon-bedrock-tool-call.1.chunks.txt");
    let call = result.tool_calls().next().unwrap();
    assert_eq!(
        (call.tool_call_id.as_str(), call.tool_name.as_str()),
        ("tool-use-id", "test-tool")
    );
    assert_eq!(call.input, json!({"value": "Sparkle Day"}));
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
}

#[test]
fn tool_call_parts_in_order() {
    let parts = stream_parts(&common::chunk_events(
        "amazon-bedrock-tool-call.1.chunks.txt",
    ));
    assert_eq!(
        &parts[2..7],
        &[
            StreamPart::tool_input_start("tool-use-id", "test-tool"),
            StreamPart::tool_input_delta("tool-use-id", "{\"value\":"),
            StreamPart::tool_input_delta("tool-use-id", "\"Sparkle Day\"}"),
            StreamPart::tool_input_end("tool-use-id"),
            StreamPart::ToolCall(strata_core::content::ToolCall::new(
                "tool-use-id",
                "test-tool",
                json!({"value": "Sparkle Day"})
            )),
        ]
    );
    assert!(matches!(
        parts[7],
        StreamPart::Finish {
            finish_reason: FinishReason::ToolCalls,
            ..
        }
    ));
    assert_eq!(parts.len(), 8);
}

#[test]
fn max_tokens_fixture() {
    let result = check_fixture("issue-17523-converse-stream.chunks.txt");
    assert_eq!(result.text(), "Hello! How can I assist you today? If");
    assert_eq!(result.finish_reason, FinishReason::Length);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("max_tokens"));
}

fn eventstream_fixture(name: &str) -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/eventstream/vercel-ai/"
    );
    let path = std::path::Path::new(path).join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("shared fixture {} is missing: {e}", path.display()))
}

/// Feeds an encoded event-stream body through strata-aws's frame decoder and the state machine.
fn run_encoded(body: &[u8]) -> Vec<StreamPart> {
    let mut buf = BytesMut::from(body);
    let mut decoder = FrameDecoder::new();
    let mut state =
        ConverseStreamState::new(ResponseContext::new("eu.anthropic.claude-sonnet-4-6"));
    let mut parts = Vec::new();
    while let Some(message) = decoder.decode(&mut buf).unwrap() {
        match message.message_type() {
            Some("event") => state.on_event(
                message.event_type().unwrap(),
                message.payload_bytes(),
                &mut parts,
            ),
            Some("exception") => state.on_exception(
                message.exception_type().unwrap(),
                message.payload_bytes(),
                &mut parts,
            ),
            other => panic!("unexpected message type {other:?}"),
        }
    }
    state.end(&mut parts);
    parts
}

#[test]
fn live_binary_capture() {
    let capture: Value = serde_json::from_slice(&eventstream_fixture(
        "issue-18994-live-converse-stream.json",
    ))
    .unwrap();
    let body = base64::engine::general_purpose::STANDARD
        .decode(capture["response"]["bodyBase64"].as_str().unwrap())
        .unwrap();
    let result = collect(run_encoded(&body));
    assert_eq!(result.text(), "OK.");
    assert_eq!(result.finish_reason, FinishReason::Stop);
    assert_eq!(result.usage.input_tokens.no_cache, Some(12));
    assert_eq!(result.usage.output_tokens.total, Some(5));
    assert_eq!(
        result.response.model_id.as_deref(),
        Some("eu.anthropic.claude-sonnet-4-6")
    );
}

#[test]
fn encoded_exception_frame() {
    let text = String::from_utf8(eventstream_fixture(
        "model-stream-error-exception.eventstream.base64.txt",
    ))
    .unwrap();
    let body = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    let parts = run_encoded(&body);
    let Some(StreamPart::Error(err)) = parts.last() else {
        panic!("{parts:?}")
    };
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("ModelStreamErrorException"));
    assert_eq!(
        api.message,
        "Model Stream Error (the model returned status 500: The model stream failed.)"
    );
    assert_eq!(parts.len(), 3);
}
