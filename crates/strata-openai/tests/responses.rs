//! Responses API: request bodies, response conversion and the stream state machine.

mod common;

use common::{collect, fixture, sse_events};
use http::HeaderMap;
use serde_json::json;
use strata_core::content::{ReasoningContent, Source, TextContent, ToolCall};
use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
use strata_core::prompt::{
    FilePart, ReasoningPart, ToolCallPart, ToolResultOutput, ToolResultPart,
};
use strata_core::tool::{FunctionTool, ProviderDefinedTool, ToolChoice};
use strata_core::{
    CallOptions, Content, FinishReason, Message, Part, ProviderMetadata, ProviderOptions,
    StreamPart, Usage,
};
use strata_http::sse::SseEvent;
use strata_openai::responses::request::build_responses_request;
use strata_openai::responses::response::convert_response;
use strata_openai::responses::stream::ResponsesStreamState;

fn meta(pairs: &[(&str, &str)]) -> ProviderMetadata {
    pairs.iter().fold(ProviderMetadata::new(), |m, (k, v)| {
        m.with("openai", *k, *v)
    })
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
fn request_with_every_mapping() {
    let reasoning_meta = meta(&[("itemId", "rs_1"), ("reasoningEncryptedContent", "enc==")]);
    let options = CallOptions::new(vec![
        Message::system("Use metric units."),
        Message::user(vec![
            Part::text("Weather here?"),
            FilePart::from_bytes(&b"\xFF\xD8"[..], "image/jpeg")
                .with_provider_options(ProviderOptions::new().with("openai", "imageDetail", "high"))
                .into(),
            FilePart::from_url("https://example.com/r.pdf", "application/pdf").into(),
            FilePart::from_bytes(&b"%PDF"[..], "application/pdf")
                .with_filename("a.pdf")
                .into(),
        ]),
        Message::assistant(vec![
            ReasoningPart::new("Need the tool.")
                .with_provider_options(reasoning_meta.clone())
                .into(),
            ReasoningPart::new("Then answer.")
                .with_provider_options(meta(&[("itemId", "rs_1")]))
                .into(),
            ReasoningPart::new("No id.").into(),
            Part::text("Checking."),
            ToolCallPart::new("call_1", "get_weather", json!({"city": "Paris"})).into(),
        ]),
        Message::tool(vec![ToolResultPart::new(
            "call_1",
            "get_weather",
            ToolResultOutput::json(json!({"c": 21})),
        )]),
    ])
    .with_max_output_tokens(800)
    .with_temperature(0.2)
    .with_top_p(0.8)
    .with_top_k(3)
    .with_seed(1)
    .with_stop_sequences(["x"])
    .with_presence_penalty(0.1)
    .with_frequency_penalty(0.1)
    .with_response_format(ResponseFormat::json_schema(json!({"type": "object"})))
    .with_reasoning(Reasoning::Effort(ReasoningEffort::Minimal))
    .with_tool(
        FunctionTool::new("get_weather", json!({"type": "object"}))
            .with_description("Weather")
            .with_strict(true),
    )
    .with_tool(ProviderDefinedTool::new("openai.web_search", "web_search"))
    .with_tool(ProviderDefinedTool::new("bedrock.cache_point", "cache"))
    .with_tool_choice(ToolChoice::tool("web_search"))
    .with_provider_options(
        ProviderOptions::new()
            .with("openai", "store", false)
            .with("openai", "user", "u1")
            .with("openai", "previousResponseId", "resp_prev")
            .with("openai", "include", json!(["reasoning.encrypted_content"]))
            .with("openai", "reasoningSummary", "detailed")
            .with("openai", "strictJsonSchema", false)
            .with("openai", "parallelToolCalls", true),
    );
    let prepared = build_responses_request("gpt-4.1", &options, true).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body).unwrap(),
        json!({
            "model": "gpt-4.1",
            "input": [
                {"type": "message", "role": "system", "content": "Use metric units."},
                {"type": "message", "role": "user", "content": [
                    {"type": "input_text", "text": "Weather here?"},
                    {"type": "input_image", "image_url": "data:image/jpeg;base64,/9g=", "detail": "high"},
                    {"type": "input_file", "file_url": "https://example.com/r.pdf"},
                    {"type": "input_file", "filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERg=="}
                ]},
                {"type": "reasoning", "id": "rs_1", "summary": [
                    {"type": "summary_text", "text": "Need the tool."},
                    {"type": "summary_text", "text": "Then answer."}
                ], "encrypted_content": "enc=="},
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Checking."}]},
                {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                {"type": "function_call_output", "call_id": "call_1", "output": "{\"c\":21}"}
            ],
            "max_output_tokens": 800,
            "temperature": 0.2,
            "top_p": 0.8,
            "tools": [
                {"type": "function", "name": "get_weather", "description": "Weather", "parameters": {"type": "object"}, "strict": true},
                {"type": "web_search"}
            ],
            "tool_choice": {"type": "web_search"},
            "parallel_tool_calls": true,
            "text": {"format": {"type": "json_schema", "name": "response", "schema": {"type": "object"}, "strict": false}},
            "reasoning": {"effort": "minimal", "summary": "detailed"},
            "store": false,
            "user": "u1",
            "previous_response_id": "resp_prev",
            "include": ["reasoning.encrypted_content"],
            "stream": true
        })
    );
    let warnings: Vec<String> = prepared.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "reasoning without an OpenAI item id cannot be sent to the Responses API; it was left out",
            "unsupported tool `cache`: only function tools and `openai.*` built-in tools are sent",
            "unsupported setting `top_k`: the Responses API has no such setting",
            "unsupported setting `presence_penalty`: the Responses API has no such setting",
            "unsupported setting `frequency_penalty`: the Responses API has no such setting",
            "unsupported setting `seed`: the Responses API has no such setting",
            "unsupported setting `stop_sequences`: the Responses API has no such setting",
        ]
    );
}

#[test]
fn request_edge_cases() {
    let options = CallOptions::new(vec![Message::user_text("x")])
        .with_response_format(ResponseFormat::json())
        .with_temperature(0.5)
        .with_tool(FunctionTool::new("f", json!({})))
        .with_tool_choice(ToolChoice::tool("f"));
    let body =
        serde_json::to_value(build_responses_request("o3", &options, false).unwrap().body).unwrap();
    assert_eq!(body["text"], json!({"format": {"type": "json_object"}}));
    assert_eq!(
        body["tool_choice"],
        json!({"type": "function", "name": "f"})
    );
    assert_eq!(body.get("temperature"), None);
    let error = build_responses_request(
        "o3",
        &options.with_tool_choice(ToolChoice::tool("g")),
        false,
    )
    .unwrap_err();
    assert!(error.is_invalid_argument());
    let audio = CallOptions::new(vec![Message::user(vec![
        FilePart::from_bytes(&b"RIFF"[..], "audio/wav").into(),
    ])]);
    assert!(
        build_responses_request("gpt-4o", &audio, false)
            .unwrap_err()
            .is_unsupported()
    );
}

#[test]
fn response_with_reasoning_text_citation_and_tool_call() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req_r1".parse().unwrap());
    let result = convert_response(
        &fixture("responses/response_reasoning_tools.json"),
        &headers,
    )
    .unwrap();
    let rs = meta(&[
        (
            "itemId",
            "rs_67ccd3b0e5b481908cc7a4f2e6a1c0d404becb25c45c1d41",
        ),
        ("reasoningEncryptedContent", "gAAAAABoXq3F-encrypted-blob=="),
    ]);
    let mut source = Source::url("source-0", "https://weather.example/paris");
    if let Source::Url { title, .. } = &mut source {
        *title = Some("Paris forecast".into());
    }
    assert_eq!(
        result.content,
        vec![
            ReasoningContent::new(
                "**Planning the lookup**\n\nThe user wants Paris weather; call get_weather."
            )
            .with_provider_metadata(rs.clone())
            .into(),
            ReasoningContent::new("**Answer format**\n\nKeep it short.")
                .with_provider_metadata(rs)
                .into(),
            TextContent::new("Let me check the weather in Paris.")
                .with_provider_metadata(meta(&[(
                    "itemId",
                    "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41"
                )]))
                .into(),
            Content::Source(source),
            ToolCall::new(
                "call_12345xyz",
                "get_weather",
                json!({"location": "Paris, France"})
            )
            .with_provider_metadata(meta(&[(
                "itemId",
                "fc_67ccd3b7a7f881908dd3c0b5c0e2d9a804becb25c45c1d41"
            )]))
            .into(),
        ]
    );
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("completed"));
    assert_eq!(result.usage, usage(328, 256, 148, 128));
    assert_eq!(
        result.response.model_id.as_deref(),
        Some("o4-mini-2025-04-16")
    );
    assert_eq!(result.response.request_id.as_deref(), Some("req_r1"));
    assert_eq!(
        result.provider_metadata,
        meta(&[
            ("serviceTier", "default"),
            (
                "responseId",
                "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41"
            )
        ])
    );
    // The result goes back into the next request as reasoning, message and function-call items.
    let next = CallOptions::new(vec![Message::user_text("Paris?"), result.to_message()]);
    let body = serde_json::to_value(
        build_responses_request("o4-mini", &next, false)
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(body["input"][1]["type"], "reasoning");
    assert_eq!(body["input"][1]["summary"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["input"][1]["encrypted_content"],
        "gAAAAABoXq3F-encrypted-blob=="
    );
    assert_eq!(body["input"][3]["type"], "function_call");
}

#[test]
fn failed_and_malformed_responses_are_errors() {
    let error = convert_response(
        &fixture("responses/response_failed.json"),
        &HeaderMap::new(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "API error (code server_error): The model produced invalid content."
    );
    assert!(error.is_retryable());
    for body in [&b"[]"[..], br#"{"object":"list","data":[]}"#] {
        let error = convert_response(body, &HeaderMap::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not decode the response: the body is not a Responses API response: it has no `output`"
        );
    }
    assert!(
        convert_response(b"{", &HeaderMap::new())
            .unwrap_err()
            .is_invalid_response()
    );
}

#[test]
fn finish_reason_mapping() {
    use strata_openai::responses::response::map_finish_reason;
    assert_eq!(
        map_finish_reason(Some("completed"), None, false),
        (FinishReason::Stop, Some("completed".into()))
    );
    assert_eq!(
        map_finish_reason(Some("completed"), None, true).0,
        FinishReason::ToolCalls
    );
    assert_eq!(
        map_finish_reason(Some("incomplete"), Some("max_output_tokens"), true),
        (FinishReason::Length, Some("max_output_tokens".into()))
    );
    assert_eq!(
        map_finish_reason(Some("incomplete"), Some("content_filter"), false).0,
        FinishReason::ContentFilter
    );
    assert_eq!(
        map_finish_reason(Some("failed"), None, false).0,
        FinishReason::Error
    );
    assert_eq!(
        map_finish_reason(Some("cancelled"), None, false).0,
        FinishReason::Other
    );
}

fn run(wire: &[u8], chunk: usize) -> Vec<StreamPart> {
    let mut state = ResponsesStreamState::new(false).with_request_id(Some("req_s".into()));
    let mut parts = Vec::new();
    state.start(vec![], &mut parts);
    for event in sse_events(wire, chunk) {
        state.on_event(&event, &mut parts);
    }
    state.end(&mut parts);
    parts
}

#[test]
fn streamed_reasoning_summaries_and_text() {
    let wire = fixture("responses/stream_reasoning_text.sse");
    let parts = run(&wire, 4096);
    let rs = meta(&[("itemId", "rs_68a1r")]);
    let msg = meta(&[("itemId", "msg_68a1m")]);
    assert_eq!(
        parts[2..],
        [
            StreamPart::reasoning_start("rs_68a1r:0").with_provider_metadata(rs.clone()),
            StreamPart::reasoning_delta("rs_68a1r:0", "**Thinking**"),
            StreamPart::reasoning_delta("rs_68a1r:0", " about rain."),
            StreamPart::reasoning_end("rs_68a1r:0"),
            StreamPart::reasoning_start("rs_68a1r:1").with_provider_metadata(rs),
            StreamPart::reasoning_delta("rs_68a1r:1", "Answer briefly."),
            StreamPart::reasoning_end("rs_68a1r:1").with_provider_metadata(meta(&[
                ("itemId", "rs_68a1r"),
                ("reasoningEncryptedContent", "gAAAAB-enc")
            ])),
            StreamPart::text_start("msg_68a1m").with_provider_metadata(msg),
            StreamPart::text_delta("msg_68a1m", "Rain is"),
            StreamPart::text_delta("msg_68a1m", " condensed water."),
            StreamPart::text_end("msg_68a1m"),
            StreamPart::Finish {
                finish_reason: FinishReason::Stop,
                raw_finish_reason: Some("completed".into()),
                usage: usage(20, 0, 90, 64),
                provider_metadata: meta(&[("responseId", "resp_68a1"), ("serviceTier", "default")]),
            },
        ]
    );
    assert!(
        matches!(&parts[1], StreamPart::ResponseMetadata(m) if m.id.as_deref() == Some("resp_68a1") && m.request_id.as_deref() == Some("req_s"))
    );
    assert_eq!(run(&wire, 7), parts);
    let result = collect(parts).unwrap();
    assert_eq!(
        result.reasoning_text(),
        "**Thinking** about rain.Answer briefly."
    );
    assert_eq!(result.text(), "Rain is condensed water.");
}

#[test]
fn streamed_function_call() {
    let parts = run(&fixture("responses/stream_function_call.sse"), 1);
    let fc = meta(&[("itemId", "fc_1")]);
    assert_eq!(
        parts[2..],
        [
            StreamPart::tool_input_start("call_w", "get_weather")
                .with_provider_metadata(fc.clone()),
            StreamPart::tool_input_delta("call_w", "{\"location\":"),
            StreamPart::tool_input_delta("call_w", "\"Paris\"}"),
            StreamPart::tool_input_end("call_w"),
            StreamPart::ToolCall(
                ToolCall::new("call_w", "get_weather", json!({"location": "Paris"}))
                    .with_provider_metadata(fc)
            ),
            StreamPart::Finish {
                finish_reason: FinishReason::ToolCalls,
                raw_finish_reason: Some("completed".into()),
                usage: usage(50, 0, 18, 0),
                provider_metadata: meta(&[("responseId", "resp_68b2")]),
            },
        ]
    );
}

#[test]
fn invalid_streamed_arguments_are_marked_on_the_call_and_the_stream_goes_on() {
    let parts = feed(&[
        r#"{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":""}}"#,
        r#"{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":"{\"city\": Paris"}"#,
        r#"{"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":""}}"#,
        r#"{"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":3,"output_tokens":5}}}"#,
    ]);
    let marked =
        ToolCall::new("call_1", "f", json!("{\"city\": Paris")).with_provider_metadata(meta(&[
            ("itemId", "fc_1"),
            ("invalidInput", "expected value at line 1 column 10"),
        ]));
    assert_eq!(parts[3], StreamPart::ToolCall(marked.clone()));
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

fn feed(events: &[&str]) -> Vec<StreamPart> {
    let mut state = ResponsesStreamState::new(false);
    let mut parts = Vec::new();
    for data in events {
        state.on_event(&SseEvent::new(*data), &mut parts);
    }
    state.end(&mut parts);
    parts
}

fn last_error(parts: &[StreamPart]) -> String {
    match parts.last() {
        Some(StreamPart::Error(error)) => error.to_string(),
        other => panic!("expected an error part last, got {other:?}"),
    }
}

#[test]
fn stream_failures_are_error_parts() {
    assert_eq!(
        last_error(&feed(&[
            r#"{"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"x"}"#
        ])),
        "stream ended early: the Responses API stream ended before response.completed"
    );
    assert_eq!(
        last_error(&feed(&[
            r#"{"type":"error","code":"rate_limit_exceeded","message":"Slow down","param":null}"#
        ])),
        "API error (code rate_limit_exceeded): Slow down"
    );
    assert_eq!(
        last_error(&feed(&[
            r#"{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"boom"}}}"#
        ])),
        "API error (code server_error): boom"
    );
    assert_eq!(
        last_error(&feed(&[
            r#"{"type":"response.function_call_arguments.delta","item_id":"fc_9","output_index":0,"delta":"{"}"#
        ])),
        "could not decode the response: function call arguments for item `fc_9`, which was never added"
    );
    assert!(last_error(&feed(&[r#"{"type":"response.output_text.delta"}"#])).starts_with(
        "could not decode the response: Responses API event `message` is not valid: missing field `item_id`"
    ));
    assert_eq!(
        last_error(&feed(&[
            r#"{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_2","call_id":"call_2","name":"f","arguments":""}}"#,
            r#"{"type":"response.completed","response":{"status":"completed","output":[]}}"#,
        ])),
        "could not decode the response: function call `call_2` was never completed"
    );
    // An incomplete response finishes; unknown events are ignored; nothing follows the finish.
    let parts = feed(&[
        r#"{"type":"response.queued","response":{}}"#,
        r#"{"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]}}"#,
        r#"{"type":"error","message":"late"}"#,
    ]);
    assert_eq!(parts.len(), 1);
    assert!(matches!(
        &parts[0],
        StreamPart::Finish {
            finish_reason: FinishReason::Length,
            ..
        }
    ));
}
