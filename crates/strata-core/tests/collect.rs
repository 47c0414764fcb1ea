//! Collecting a stream gives the result `generate` would return.

use std::time::{Duration, SystemTime};

use futures_util::stream;
use http::{HeaderMap, HeaderValue};
use serde_json::json;
use strata_core::content::{
    FileContent, ReasoningContent, Source, TextContent, ToolCall, ToolResult,
};
use strata_core::result::ResponseMetadata;
use strata_core::testing::{MockLanguageModel, stream_parts};
use strata_core::{
    CallOptions, Collector, Content, Error, FinishReason, GenerateResult, LanguageModel, Message,
    ProviderMetadata, StreamPart, StreamResult, Usage, Warning,
};

fn full_result() -> GenerateResult {
    let signature = ProviderMetadata::new().with("bedrock", "signature", "c2lnbmF0dXJl");
    let mut usage = Usage::from_totals(Some(120), Some(48));
    usage.input_tokens.cache_read = Some(100);
    usage.input_tokens.no_cache = Some(20);
    usage.output_tokens.reasoning = Some(30);
    usage.output_tokens.text = Some(18);
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-requestid", HeaderValue::from_static("req-42"));
    let mut result = GenerateResult::new(
        vec![
            Content::Reasoning(
                ReasoningContent::new("The user wants weather; call the tool.")
                    .with_provider_metadata(signature),
            ),
            Content::Reasoning(ReasoningContent::new("").with_provider_metadata(
                ProviderMetadata::new().with("bedrock", "redactedData", "AAEC"),
            )),
            Content::text("Let me check the weather in Zürich 🌦."),
            ToolCall::new(
                "call-1",
                "weather",
                json!({"city": "Zürich", "units": ["c", "f"], "days": 3}),
            )
            .into(),
            ToolCall::new("call-2", "clock", json!({})).into(),
            ToolCall::new("search-1", "web_search", json!({"q": "weather"}))
                .with_provider_executed(true)
                .into(),
            ToolResult::new(
                "search-1",
                "web_search",
                json!([{"url": "https://w.example"}]),
            )
            .into(),
            Source::url("src-1", "https://w.example").into(),
            FileContent::new(&b"\x89PNG"[..], "image/png").into(),
            Content::Text(
                TextContent::new("Done.")
                    .with_provider_metadata(ProviderMetadata::new().with("x", "y", 1)),
            ),
        ],
        FinishReason::ToolCalls,
    );
    result.raw_finish_reason = Some("tool_use".into());
    result.usage = usage;
    result.warnings = vec![Warning::unsupported_setting("top_k")];
    result.request_body = Some(json!({"messages": []}).into());
    result.response = ResponseMetadata::default()
        .with_id("resp-1")
        .with_model_id("claude")
        .with_timestamp(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .with_headers(headers)
        .with_request_id("req-42");
    result.provider_metadata =
        ProviderMetadata::new().with("bedrock", "trace", json!({"latencyMs": 12}));
    result
}

#[tokio::test]
async fn collected_stream_equals_generate_result() {
    let expected = full_result();
    let model = MockLanguageModel::new("mock", "m").with_result(expected.clone());
    let options = CallOptions::new(vec![Message::user_text("weather?")]);
    let generated = model.generate(options.clone()).await.unwrap();
    let collected = model
        .stream(options)
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(collected, generated);
    assert_eq!(collected, expected);
    // The inputs really were streamed as deltas, without a tool-call part.
    let parts = stream_parts(&expected);
    assert!(!parts.iter().any(|p| matches!(p, StreamPart::ToolCall(_))));
    let deltas = parts
        .iter()
        .filter(|p| matches!(p, StreamPart::ToolInputDelta { id, .. } if id == "call-1"))
        .count();
    assert!(deltas > 5, "{deltas}");
}

async fn collect(parts: Vec<StreamPart>) -> Result<GenerateResult, Error> {
    StreamResult::new(stream::iter(parts)).collect().await
}

#[tokio::test]
async fn interleaved_blocks_keep_start_order_and_merge_metadata() {
    let sig = |k: &str, v: &str| ProviderMetadata::new().with("bedrock", k, v);
    let parts = vec![
        StreamPart::stream_start(vec![Warning::other("w")]),
        StreamPart::reasoning_start("r"),
        StreamPart::text_start("t"),
        StreamPart::tool_input_start("c", "f"),
        StreamPart::reasoning_delta("r", "thin"),
        StreamPart::text_delta("t", "Hel"),
        StreamPart::tool_input_delta("c", "{\"a\""),
        StreamPart::reasoning_delta("r", "king"),
        StreamPart::reasoning_delta("r", "").with_provider_metadata(sig("signature", "s1")),
        StreamPart::tool_input_delta("c", ":1}"),
        StreamPart::text_delta("t", "lo"),
        StreamPart::reasoning_end("r"),
        StreamPart::Raw {
            raw_value: json!({"chunk": 1}),
        },
        StreamPart::text_end("t"),
        StreamPart::tool_input_end("c").with_provider_metadata(sig("k", "v")),
        StreamPart::ResponseMetadata(ResponseMetadata::default().with_id("resp")),
        StreamPart::finish(
            FinishReason::ToolCalls,
            Usage::from_totals(Some(1), Some(2)),
        ),
    ];
    let result = collect(parts).await.unwrap();
    assert_eq!(
        result.content,
        vec![
            Content::Reasoning(
                ReasoningContent::new("thinking").with_provider_metadata(sig("signature", "s1"))
            ),
            Content::text("Hello"),
            ToolCall::new("c", "f", json!({"a": 1}))
                .with_provider_metadata(sig("k", "v"))
                .into(),
        ]
    );
    assert_eq!(result.warnings, vec![Warning::other("w")]);
    assert_eq!(result.response.id.as_deref(), Some("resp"));
    assert_eq!(result.usage, Usage::from_totals(Some(1), Some(2)));
}

#[tokio::test]
async fn a_tool_call_part_replaces_the_assembled_input_in_place() {
    let parts = vec![
        StreamPart::tool_input_start("c", "f"),
        StreamPart::tool_input_delta("c", "{\"partial"),
        StreamPart::tool_input_end("c"),
        StreamPart::text_start("t"),
        StreamPart::text_delta("t", "after"),
        StreamPart::text_end("t"),
        StreamPart::ToolCall(ToolCall::new("c", "f", json!({"final": true}))),
        StreamPart::ToolCall(ToolCall::new("d", "g", json!(null))),
        StreamPart::tool_input_start("e", "h"),
        StreamPart::tool_input_end("e"),
        StreamPart::finish(FinishReason::ToolCalls, Usage::default()),
    ];
    let result = collect(parts).await.unwrap();
    assert_eq!(
        result.content,
        vec![
            ToolCall::new("c", "f", json!({"final": true})).into(),
            Content::text("after"),
            ToolCall::new("d", "g", json!(null)).into(),
            ToolCall::new("e", "h", json!({})).into(),
        ]
    );
}

#[tokio::test]
async fn broken_streams_are_typed_errors() {
    let err = collect(vec![
        StreamPart::text_start("t"),
        StreamPart::text_delta("t", "x"),
    ])
    .await
    .unwrap_err();
    assert!(err.is_stream_ended());
    assert_eq!(
        err.to_string(),
        "stream ended early: the stream ended without a finish part"
    );

    let err = collect(vec![StreamPart::text_delta("nope", "x")])
        .await
        .unwrap_err();
    assert!(err.is_invalid_response());
    assert_eq!(
        err.to_string(),
        "could not decode the response: text-delta for `nope`, which is not open"
    );

    let err = collect(vec![
        StreamPart::reasoning_start("r"),
        StreamPart::reasoning_end("r"),
        StreamPart::reasoning_end("r"),
    ])
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response: reasoning-end for `r`, which is not open"
    );

    let err = collect(vec![
        StreamPart::text_start("t"),
        StreamPart::text_start("t"),
    ])
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response: text block `t` started twice"
    );

    let err = collect(vec![
        StreamPart::tool_input_start("c", "f"),
        StreamPart::tool_input_delta("c", "{not json"),
        StreamPart::finish(FinishReason::ToolCalls, Usage::default()),
    ])
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response: the input of tool call `c` is not valid JSON"
    );
    assert_eq!(err.excerpt(), Some("{not json"));
    assert!(std::error::Error::source(&err).is_some());

    let api = Error::api(strata_core::ApiError::new("throttled").with_retryable(true));
    let err = collect(vec![
        StreamPart::text_start("t"),
        StreamPart::Error(api.clone()),
    ])
    .await
    .unwrap_err();
    assert_eq!(err, api);
}

#[test]
fn collector_starts_from_early_metadata() {
    let mut collector = Collector::new()
        .with_response(ResponseMetadata::default().with_request_id("r-1"))
        .with_request_body(json!({"k": 1}));
    collector
        .push(StreamPart::ResponseMetadata(
            ResponseMetadata::default().with_model_id("m"),
        ))
        .unwrap();
    collector
        .push(StreamPart::finish(FinishReason::Stop, Usage::default()))
        .unwrap();
    let result = collector.finish().unwrap();
    assert_eq!(
        result.response,
        ResponseMetadata::default()
            .with_model_id("m")
            .with_request_id("r-1")
    );
    assert_eq!(result.request_body, Some(json!({"k": 1}).into()));
    assert!(result.content.is_empty());
}
