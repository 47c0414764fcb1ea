//! Prompts, options, results and stream parts survive a JSON round trip.

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use strata_core::content::{FileContent, ReasoningContent, Source, ToolCall, ToolResult};
use strata_core::embedding::{EmbedResult, EmbeddingUsage};
use strata_core::image::{AspectRatio, GeneratedImage, ImageSize};
use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
use strata_core::prompt::{
    FilePart, Message, Part, ReasoningPart, Role, TextPart, ToolCallPart, ToolResultContent,
    ToolResultOutput, ToolResultPart,
};
use strata_core::rerank::{RankedDocument, RerankDocuments};
use strata_core::result::ResponseMetadata;
use strata_core::tool::{FunctionTool, ProviderDefinedTool, ToolChoice};
use strata_core::{
    ApiError, CallOptions, Content, Error, FinishReason, GenerateResult, ImageOptions, ImageResult,
    ProviderOptions, RerankOptions, RerankResult, StreamPart, Usage, Warning,
};

/// Serializes, deserializes, compares with the original and returns the JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> Value {
    let json = serde_json::to_value(value).unwrap();
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "{text}");
    json
}

fn cache_point() -> ProviderOptions {
    ProviderOptions::new().with("bedrock", "cachePoint", json!({"type": "default"}))
}

fn prompt() -> Vec<Message> {
    vec![
        Message::system("Be brief.").with_provider_options(cache_point()),
        Message::user(vec![
            TextPart::new("Summarise these.")
                .with_provider_options(cache_point())
                .into(),
            FilePart::from_bytes(&b"%PDF-1.7\x00\xff"[..], "application/pdf")
                .with_filename("report.pdf")
                .with_provider_options(ProviderOptions::new().with(
                    "bedrock",
                    "citations",
                    json!({"enabled": true}),
                ))
                .into(),
            FilePart::from_url("s3://bucket/photo.jpg", "image/jpeg").into(),
        ]),
        Message::assistant(vec![
            ReasoningPart::new("Look at the PDF first.")
                .with_provider_options(ProviderOptions::new().with("bedrock", "signature", "c2ln"))
                .into(),
            Part::text("Calling tools."),
            ToolCallPart::new("c1", "lookup", json!({"ids": [1, 2], "deep": {"x": null}})).into(),
        ]),
        Message::tool(vec![
            ToolResultPart::new("c1", "lookup", ToolResultOutput::json(json!({"found": 2}))),
            ToolResultPart::new(
                "c2",
                "render",
                ToolResultOutput::Content(vec![
                    ToolResultContent::Text(TextPart::new("rendered")),
                    ToolResultContent::File(FilePart::from_bytes(&b"png"[..], "image/png")),
                ]),
            ),
            ToolResultPart::new("c3", "fail", ToolResultOutput::error_text("boom")),
            ToolResultPart::new(
                "c4",
                "fail",
                ToolResultOutput::ErrorJson(json!({"code": 7})),
            ),
            ToolResultPart::new("c5", "say", ToolResultOutput::text("hi")),
        ]),
        Message::new(Role::Assistant, vec![Part::text("Done.")]),
    ]
}

#[test]
fn prompt_round_trips() {
    let prompt = prompt();
    strata_core::prompt::validate(&prompt).unwrap();
    let json = round_trip(&prompt);
    assert_eq!(
        json[1]["content"][1]["data"],
        json!({"bytes": "JVBERi0xLjcA/w=="})
    );
    assert_eq!(
        json[1]["content"][2]["data"],
        json!({"url": "s3://bucket/photo.jpg"})
    );
    assert_eq!(json[3]["content"][1]["output"]["type"], "content");
}

#[test]
fn call_options_round_trip_without_sensitive_headers() {
    let mut options = CallOptions::new(prompt())
        .with_max_output_tokens(512)
        .with_temperature(0.7)
        .with_top_p(0.9)
        .with_top_k(40)
        .with_stop_sequences(["END", "STOP"])
        .with_presence_penalty(0.5)
        .with_frequency_penalty(-0.25)
        .with_seed(u64::MAX)
        .with_response_format(ResponseFormat::Json {
            schema: Some(json!({"type": "object"})),
            name: Some("answer".into()),
            description: Some("The answer".into()),
        })
        .with_tool(
            FunctionTool::new("lookup", json!({"type": "object"}))
                .with_description("Look up")
                .with_strict(true),
        )
        .with_tool(
            ProviderDefinedTool::new("bedrock.web_grounding", "web").with_arg("region", "eu"),
        )
        .with_tool_choice(ToolChoice::tool("lookup"))
        .with_reasoning(Reasoning::Effort(ReasoningEffort::Medium))
        .with_header("x-custom", "1")
        .unwrap()
        .with_provider_options(ProviderOptions::new().with(
            "bedrock",
            "guardrail",
            json!({"id": "g"}),
        ))
        .with_raw_chunks(true);
    round_trip(&options);

    let mut secret = HeaderValue::from_static("Bearer sk-secret");
    secret.set_sensitive(true);
    options.headers.insert("authorization", secret);
    let text = serde_json::to_string(&options).unwrap();
    assert!(!text.contains("sk-secret"), "{text}");
    assert!(!format!("{options:?}").contains("sk-secret"));
    let back: CallOptions = serde_json::from_str(&text).unwrap();
    assert!(back.headers.get("authorization").is_none());
    assert_eq!(back.headers["x-custom"], "1");

    for reasoning in [
        Reasoning::Disabled,
        Reasoning::BudgetTokens(2048),
        Reasoning::Effort(ReasoningEffort::Minimal),
    ] {
        round_trip(&CallOptions::default().with_reasoning(reasoning));
    }
    for choice in [ToolChoice::Auto, ToolChoice::None, ToolChoice::Required] {
        round_trip(&CallOptions::default().with_tool_choice(choice));
    }
    round_trip(&CallOptions::default().with_response_format(ResponseFormat::Text));
}

fn response_metadata() -> ResponseMetadata {
    let mut headers = HeaderMap::new();
    headers.append("x-amzn-requestid", HeaderValue::from_static("req-1"));
    headers.append("x-multi", HeaderValue::from_static("a"));
    headers.append("x-multi", HeaderValue::from_static("b"));
    ResponseMetadata::default()
        .with_id("resp-1")
        .with_model_id("model")
        .with_timestamp(SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789))
        .with_headers(headers)
        .with_request_id("req-1")
}

fn full_usage() -> Usage {
    let mut usage = Usage::from_totals(Some(10), Some(20));
    usage.input_tokens.no_cache = Some(1);
    usage.input_tokens.cache_read = Some(2);
    usage.input_tokens.cache_write = Some(7);
    usage.output_tokens.text = Some(15);
    usage.output_tokens.reasoning = Some(5);
    usage
}

fn warnings() -> Vec<Warning> {
    vec![
        Warning::unsupported_setting("top_k").with_details("not supported"),
        Warning::unsupported_tool("web"),
        Warning::compatibility("tool choice").with_details("emulated"),
        Warning::other("note"),
    ]
}

#[test]
fn generate_result_round_trips() {
    let mut doc = Source::document("d1", "application/pdf", "Report");
    if let Source::Document { filename, .. } = &mut doc {
        *filename = Some("report.pdf".into());
    }
    let mut result =
        GenerateResult::new(
            vec![
                Content::Reasoning(ReasoningContent::new("hm").with_provider_metadata(
                    ProviderOptions::new().with("bedrock", "signature", "s"),
                )),
                Content::text("Answer"),
                FileContent::new(&b"\x00\x01"[..], "image/png").into(),
                Source::url("s1", "https://example.com").into(),
                doc.into(),
                ToolCall::new("c", "t", json!({"a": [1.5, -2]}))
                    .with_provider_executed(true)
                    .into(),
                ToolResult::new("c", "t", json!({"ok": false}))
                    .with_error(true)
                    .into(),
            ],
            FinishReason::ContentFilter,
        );
    result.raw_finish_reason = Some("guardrail_intervened".into());
    result.usage = full_usage();
    result.warnings = warnings();
    result.request_body = Some(json!({"inferenceConfig": {"maxTokens": 5}}).into());
    result.response = response_metadata();
    result.provider_metadata = ProviderOptions::new().with("bedrock", "trace", json!({}));
    let json = round_trip(&result);
    assert_eq!(json["finish_reason"], "content-filter");
    assert_eq!(
        json["usage"]["input_tokens"],
        json!({"total": 10, "no_cache": 1, "cache_read": 2, "cache_write": 7})
    );
    assert_eq!(
        json["response"]["headers"],
        json!([
            ["x-amzn-requestid", "req-1"],
            ["x-multi", "a"],
            ["x-multi", "b"]
        ])
    );
    for reason in [
        FinishReason::Stop,
        FinishReason::Length,
        FinishReason::ToolCalls,
        FinishReason::Error,
        FinishReason::Other,
    ] {
        round_trip(&GenerateResult::new(vec![], reason));
    }
}

#[test]
fn every_stream_part_round_trips() {
    let meta = ProviderOptions::new().with("bedrock", "signature", "sig");
    let parts = vec![
        StreamPart::stream_start(warnings()),
        StreamPart::ResponseMetadata(response_metadata()),
        StreamPart::text_start("t"),
        StreamPart::text_delta("t", "he said \"hi\" ✓"),
        StreamPart::text_end("t").with_provider_metadata(meta.clone()),
        StreamPart::reasoning_start("r"),
        StreamPart::reasoning_delta("r", "").with_provider_metadata(meta.clone()),
        StreamPart::reasoning_end("r"),
        StreamPart::ToolInputStart {
            id: "c".into(),
            tool_name: "t".into(),
            provider_executed: true,
            provider_metadata: meta.clone(),
        },
        StreamPart::tool_input_delta("c", "{\"a\":"),
        StreamPart::tool_input_end("c"),
        StreamPart::ToolCall(ToolCall::new("c", "t", json!({"a": 1}))),
        StreamPart::ToolResult(ToolResult::new("c", "t", json!("ok"))),
        StreamPart::Source(Source::url("s", "https://e.example")),
        StreamPart::File(FileContent::new(&b"gif"[..], "image/gif")),
        StreamPart::Finish {
            finish_reason: FinishReason::Length,
            raw_finish_reason: Some("max_tokens".into()),
            usage: full_usage(),
            provider_metadata: meta,
        },
        StreamPart::Error(Error::api(
            ApiError::from_status(StatusCode::SERVICE_UNAVAILABLE, "overloaded")
                .with_code("ServiceUnavailableException")
                .with_request_id("r")
                .with_body(b"{\"message\":\"overloaded\"}"),
        )),
        StreamPart::Error(Error::stream_ended("cut").with_source(std::io::Error::other("eof"))),
        StreamPart::Raw {
            raw_value: json!({"contentBlockDelta": {"delta": {"text": "x"}}}),
        },
    ];
    let json = round_trip(&parts);
    let types: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "stream-start",
            "response-metadata",
            "text-start",
            "text-delta",
            "text-end",
            "reasoning-start",
            "reasoning-delta",
            "reasoning-end",
            "tool-input-start",
            "tool-input-delta",
            "tool-input-end",
            "tool-call",
            "tool-result",
            "source",
            "file",
            "finish",
            "error",
            "error",
            "raw"
        ]
    );
    assert_eq!(json[16]["kind"], "api");
    assert_eq!(json[17]["source"], "eof");
}

#[test]
fn other_model_results_round_trip() {
    let mut embed = EmbedResult::new(vec![vec![0.1, -0.25, 3.0e-8], vec![]]);
    embed.usage = EmbeddingUsage::new(Some(9));
    embed.warnings = warnings();
    embed.response = response_metadata();
    round_trip(&embed);

    let mut image = ImageResult::new(vec![GeneratedImage::new(&b"\x89PNG"[..], "image/png")]);
    image.provider_metadata = ProviderOptions::new().with("bedrock", "seeds", json!([1]));
    round_trip(&image);
    let options = ImageOptions::new("sky")
        .with_n(3)
        .with_size(ImageSize::new(1024, 512))
        .with_aspect_ratio(AspectRatio::new(2, 1))
        .with_seed(1)
        .with_mask(FilePart::from_bytes(&b"mask"[..], "image/png"));
    round_trip(&options);

    let mut rerank = RerankResult::new(vec![
        RankedDocument::new(2, 0.875),
        RankedDocument::new(0, 0.125),
    ]);
    rerank.warnings = vec![Warning::other("x")];
    round_trip(&rerank);
    round_trip(&RerankOptions::new("q", RerankDocuments::texts(["a", "b"])).with_top_n(1));
    let json = round_trip(&RerankOptions::new(
        "q",
        RerankDocuments::Json(vec![json!({"t": 1})]),
    ));
    assert_eq!(
        json["documents"],
        json!({"type": "json", "values": [{"t": 1}]})
    );
}
