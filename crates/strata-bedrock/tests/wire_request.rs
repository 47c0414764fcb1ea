//! The request wire types serialize to the exact JSON the service model describes.

use serde_json::json;
use strata_bedrock::wire::*;

#[test]
fn full_request_serializes_exactly() {
    let mut request = ConverseRequest::default();
    request.system = vec![
        SystemContentBlock::Text("Be brief.".into()),
        SystemContentBlock::CachePoint(CachePointBlock::new(Some(CacheTtl::OneHour))),
    ];
    request.messages = vec![
        Message {
            role: ConversationRole::User,
            content: vec![
                ContentBlock::Text("Look:".into()),
                ContentBlock::Image(ImageBlock {
                    format: ImageFormat::Png,
                    source: ImageSource::Bytes(Blob::from(&b"\x89PNG"[..])),
                    error: None,
                }),
                ContentBlock::Document(DocumentBlock {
                    format: Some(DocumentFormat::Pdf),
                    name: "report".into(),
                    source: DocumentSource::S3Location(S3Location {
                        uri: "s3://bucket/report.pdf".into(),
                        bucket_owner: Some("123456789012".into()),
                    }),
                    context: None,
                    citations: Some(CitationsConfig { enabled: true }),
                }),
                ContentBlock::Video(VideoBlock {
                    format: VideoFormat::ThreeGp,
                    source: MediaSource::Bytes(Blob::from(&b"v"[..])),
                }),
                ContentBlock::CachePoint(CachePointBlock::new(None)),
            ],
        },
        Message {
            role: ConversationRole::Assistant,
            content: vec![
                ContentBlock::ReasoningContent(ReasoningContentBlock::ReasoningText(
                    ReasoningTextBlock {
                        text: "hmm".into(),
                        signature: Some("sig".into()),
                    },
                )),
                ContentBlock::ReasoningContent(ReasoningContentBlock::RedactedContent(Blob::from(
                    &b"r"[..],
                ))),
                ContentBlock::ToolUse(ToolUseBlock {
                    tool_use_id: "t1".into(),
                    name: "weather".into(),
                    input: json!({"city": "Paris"}),
                    r#type: None,
                }),
            ],
        },
        Message {
            role: ConversationRole::User,
            content: vec![ContentBlock::ToolResult(ToolResultBlock {
                tool_use_id: "t1".into(),
                content: vec![ToolResultContentBlock::Json(json!({"temp": 21}))],
                status: Some(ToolResultStatus::Error),
                r#type: None,
            })],
        },
    ];
    let mut inference = InferenceConfiguration::default();
    inference.max_tokens = Some(100);
    inference.temperature = Some(0.5);
    inference.stop_sequences = vec!["END".into()];
    request.inference_config = Some(inference);
    request.tool_config = Some(ToolConfiguration {
        tools: vec![
            Tool::ToolSpec(ToolSpecification {
                name: "weather".into(),
                description: Some("Weather".into()),
                input_schema: ToolInputSchema::Json(json!({"type": "object"})),
                strict: None,
            }),
            Tool::CachePoint(CachePointBlock::new(None)),
        ],
        tool_choice: Some(ToolChoice::Any(EmptyStruct {})),
    });
    let mut guardrail = GuardrailConfiguration::default();
    guardrail.guardrail_identifier = Some("gr1".into());
    guardrail.guardrail_version = Some("DRAFT".into());
    guardrail.trace = Some(GuardrailTrace::EnabledFull);
    guardrail.stream_processing_mode = Some(GuardrailStreamProcessingMode::Async);
    request.guardrail_config = Some(guardrail);
    request.additional_model_request_fields =
        Some(json!({"top_k": 5}).as_object().unwrap().clone());
    request.additional_model_response_field_paths = vec!["/stop_sequence".into()];
    request.request_metadata = Some([("team".to_owned(), "a".to_owned())].into());
    request.performance_config = Some(PerformanceConfiguration {
        latency: Some(PerformanceConfigLatency::Optimized),
    });
    request.service_tier = Some(ServiceTier {
        r#type: ServiceTierType::Priority,
    });
    let mut output = OutputConfig::default();
    output.text_format = Some(OutputFormat {
        r#type: OutputFormatType::JsonSchema,
        structure: OutputFormatStructure::JsonSchema(JsonSchemaDefinition {
            schema: r#"{"type":"object"}"#.into(),
            name: Some("answer".into()),
            description: None,
        }),
    });
    request.output_config = Some(output);
    request.prompt_variables = Some(
        [(
            "topic".to_owned(),
            PromptVariableValues::Text("cats".into()),
        )]
        .into(),
    );

    let expected = json!({
        "messages": [
            {"role": "user", "content": [
                {"text": "Look:"},
                {"image": {"format": "png", "source": {"bytes": "iVBORw=="}}},
                {"document": {"format": "pdf", "name": "report",
                    "source": {"s3Location": {"uri": "s3://bucket/report.pdf", "bucketOwner": "123456789012"}},
                    "citations": {"enabled": true}}},
                {"video": {"format": "three_gp", "source": {"bytes": "dg=="}}},
                {"cachePoint": {"type": "default"}}
            ]},
            {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
                {"reasoningContent": {"redactedContent": "cg=="}},
                {"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Paris"}}}
            ]},
            {"role": "user", "content": [
                {"toolResult": {"toolUseId": "t1", "content": [{"json": {"temp": 21}}], "status": "error"}}
            ]}
        ],
        "system": [{"text": "Be brief."}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
        "inferenceConfig": {"maxTokens": 100, "temperature": 0.5, "stopSequences": ["END"]},
        "toolConfig": {
            "tools": [
                {"toolSpec": {"name": "weather", "description": "Weather", "inputSchema": {"json": {"type": "object"}}}},
                {"cachePoint": {"type": "default"}}
            ],
            "toolChoice": {"any": {}}
        },
        "guardrailConfig": {"guardrailIdentifier": "gr1", "guardrailVersion": "DRAFT",
            "trace": "enabled_full", "streamProcessingMode": "async"},
        "additionalModelRequestFields": {"top_k": 5},
        "promptVariables": {"topic": {"text": "cats"}},
        "additionalModelResponseFieldPaths": ["/stop_sequence"],
        "requestMetadata": {"team": "a"},
        "performanceConfig": {"latency": "optimized"},
        "serviceTier": {"type": "priority"},
        "outputConfig": {"textFormat": {"type": "json_schema",
            "structure": {"jsonSchema": {"schema": "{\"type\":\"object\"}", "name": "answer"}}}}
    });
    let actual = serde_json::to_value(&request).unwrap();
    assert_eq!(actual, expected);
    // And back.
    let back: ConverseRequest = serde_json::from_value(expected).unwrap();
    assert_eq!(back, request);
}

#[test]
fn empty_request_is_just_messages() {
    assert_eq!(
        serde_json::to_string(&ConverseRequest::default()).unwrap(),
        r#"{"messages":[]}"#
    );
}
