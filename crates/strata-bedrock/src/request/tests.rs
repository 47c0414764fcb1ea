use serde_json::json;
use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
use strata_core::tool::FunctionTool;
use strata_core::{CallOptions, Message, ToolChoice, Warning};

use super::*;
use crate::options::{BedrockOptions, GuardrailOptions, ReasoningConfig, StructuredOutputMode};
use crate::wire::{
    GuardrailStreamProcessingMode, GuardrailTrace, PerformanceConfigLatency, ServiceTierType,
};

const CLAUDE: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA: &str = "amazon.nova-2-lite-v1:0";

fn hi() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Hi")])
}

fn build(model: &str, options: &CallOptions) -> (serde_json::Value, Vec<Warning>) {
    let prepared = build_request(model, options, false).unwrap();
    (
        serde_json::to_value(&prepared.body).unwrap(),
        prepared.context.warnings,
    )
}

#[test]
fn families() {
    assert_eq!(ModelFamily::of(CLAUDE), ModelFamily::Anthropic);
    assert_eq!(
        ModelFamily::of("global.anthropic.claude-opus-4-1"),
        ModelFamily::Anthropic
    );
    assert_eq!(
        ModelFamily::of("eu.amazon.nova-pro-v1:0"),
        ModelFamily::Nova
    );
    assert_eq!(
        ModelFamily::of("openai.gpt-oss-120b-1:0"),
        ModelFamily::OpenAi
    );
    assert_eq!(
        ModelFamily::of("meta.llama3-70b-instruct-v1:0"),
        ModelFamily::Other
    );
    assert_eq!(
        ModelFamily::of(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
        ),
        ModelFamily::Anthropic
    );
    assert_eq!(
        ModelFamily::of(
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"
        ),
        ModelFamily::Other
    );
}

#[test]
fn sampling_settings_and_dropped_ones() {
    let options = hi()
        .with_max_output_tokens(50)
        .with_temperature(0.25)
        .with_top_p(0.5)
        .with_stop_sequences(["STOP"])
        .with_presence_penalty(0.1)
        .with_frequency_penalty(0.2)
        .with_top_k(3);
    let (body, warnings) = build("meta.llama3-70b-instruct-v1:0", &options);
    assert_eq!(
        body["inferenceConfig"],
        json!({"maxTokens": 50, "temperature": 0.25, "topP": 0.5, "stopSequences": ["STOP"]})
    );
    assert_eq!(body.get("additionalModelRequestFields"), None);
    let settings: Vec<String> = warnings
        .iter()
        .map(|w| match w {
            Warning::UnsupportedSetting { setting, .. } => setting.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(settings, ["presence_penalty", "frequency_penalty", "top_k"]);

    let (body, warnings) = build(NOVA, &hi().with_top_k(7));
    assert_eq!(
        body["additionalModelRequestFields"],
        json!({"inferenceConfig": {"topK": 7}})
    );
    assert!(warnings.is_empty());
}

#[test]
fn native_structured_output() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let options = hi().with_response_format(ResponseFormat::Json {
        schema: Some(schema.clone()),
        name: Some("answer".into()),
        description: None,
    });
    let prepared = build_request(CLAUDE, &options, false).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body.output_config).unwrap(),
        json!({"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": schema.to_string(), "name": "answer"}}}})
    );
    assert_eq!(prepared.body.tool_config, None);
    assert_eq!(prepared.context.json_tool, None);
    assert_eq!(
        prepared.context.warnings,
        vec![Warning::compatibility("response_format").with_details(
            "JSON output uses Bedrock's native structured output (outputConfig.textFormat)"
        )]
    );
}

#[test]
fn tool_structured_output() {
    let bedrock = BedrockOptions {
        structured_output: Some(StructuredOutputMode::Tool),
        ..BedrockOptions::default()
    };
    let options = hi()
        .with_response_format(ResponseFormat::json_schema(json!({"type": "object"})))
        .with_provider_options(bedrock.to_provider_options());
    let prepared = build_request(CLAUDE, &options, true).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body.tool_config).unwrap(),
        json!({"tools": [{"toolSpec": {"name": "json", "description": "Respond with a JSON object.",
            "inputSchema": {"json": {"type": "object"}}}}], "toolChoice": {"tool": {"name": "json"}}})
    );
    assert_eq!(prepared.body.output_config, None);
    assert_eq!(prepared.context.json_tool.as_deref(), Some("json"));
    assert_eq!(
        prepared.context.warnings,
        vec![Warning::compatibility("response_format").with_details(
            "JSON output uses a forced tool `json` whose input is returned as the text"
        )]
    );
    // With the caller's own tools, the model must call one of them or the JSON tool.
    let options = hi()
        .with_response_format(ResponseFormat::json())
        .with_tool(FunctionTool::new("lookup", json!({"type": "object"})));
    let prepared = build_request(CLAUDE, &options, false).unwrap();
    let config = serde_json::to_value(prepared.body.tool_config.unwrap()).unwrap();
    assert_eq!(config["toolChoice"], json!({"any": {}}));
    assert_eq!(config["tools"][1]["toolSpec"]["name"], json!("json"));
    let clash = hi()
        .with_response_format(ResponseFormat::json())
        .with_tool(FunctionTool::new("json", json!({})));
    assert_eq!(
        build_request(CLAUDE, &clash, false).unwrap_err().argument(),
        Some("tools")
    );
}

#[test]
fn anthropic_thinking() {
    let options = hi()
        .with_temperature(0.5)
        .with_top_p(0.9)
        .with_top_k(10)
        .with_reasoning(Reasoning::BudgetTokens(500));
    let (body, warnings) = build(CLAUDE, &options);
    assert_eq!(body["inferenceConfig"], json!({"maxTokens": 4096 + 1024}));
    assert_eq!(
        body["additionalModelRequestFields"],
        json!({"thinking": {"type": "enabled", "budget_tokens": 1024}})
    );
    let why = "not supported while Anthropic thinking is enabled";
    assert_eq!(
        warnings,
        vec![
            Warning::unsupported_setting("reasoning")
                .with_details("the thinking budget was raised from 500 to the minimum of 1024"),
            Warning::unsupported_setting("temperature").with_details(why),
            Warning::unsupported_setting("top_p").with_details(why),
            Warning::unsupported_setting("top_k").with_details(why),
        ]
    );
    let (body, _) = build(
        CLAUDE,
        &hi()
            .with_max_output_tokens(100)
            .with_reasoning(Reasoning::Effort(ReasoningEffort::Medium)),
    );
    assert_eq!(body["inferenceConfig"]["maxTokens"], json!(100 + 10240));
    assert_eq!(
        body["additionalModelRequestFields"]["thinking"]["budget_tokens"],
        json!(10240)
    );
    let (body, warnings) = build(CLAUDE, &hi().with_reasoning(Reasoning::Disabled));
    assert_eq!(body.get("additionalModelRequestFields"), None);
    assert!(warnings.is_empty());
}

#[test]
fn nova_and_openai_effort() {
    let (body, warnings) = build(
        NOVA,
        &hi()
            .with_temperature(0.3)
            .with_max_output_tokens(10)
            .with_reasoning(Reasoning::Effort(ReasoningEffort::High)),
    );
    assert_eq!(
        body["additionalModelRequestFields"],
        json!({"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "high"}})
    );
    assert_eq!(body.get("inferenceConfig"), None);
    assert_eq!(warnings.len(), 2);
    let (body, warnings) = build(NOVA, &hi().with_reasoning(Reasoning::BudgetTokens(8000)));
    assert_eq!(
        body["additionalModelRequestFields"]["reasoningConfig"]["maxReasoningEffort"],
        json!("medium")
    );
    assert_eq!(
        warnings,
        vec![Warning::compatibility("reasoning").with_details(
            "Amazon Nova takes an effort level, not a budget; 8000 tokens was sent as `medium`"
        )]
    );
    let (body, _) = build(NOVA, &hi().with_reasoning(Reasoning::Disabled));
    assert_eq!(
        body["additionalModelRequestFields"],
        json!({"reasoningConfig": {"type": "disabled"}})
    );
    let (body, _) = build(
        "openai.gpt-oss-20b-1:0",
        &hi().with_reasoning(Reasoning::Effort(ReasoningEffort::Low)),
    );
    assert_eq!(
        body["additionalModelRequestFields"],
        json!({"reasoning_effort": "low"})
    );
    let (_, warnings) = build(
        "mistral.mistral-large-2407-v1:0",
        &hi().with_reasoning(Reasoning::Effort(ReasoningEffort::Low)),
    );
    assert!(
        matches!(&warnings[..], [Warning::UnsupportedSetting { setting, .. }] if setting == "reasoning")
    );

    // The explicit Bedrock reasoning config wins over the generic setting.
    let bedrock = BedrockOptions {
        reasoning_config: Some(ReasoningConfig::effort("low")),
        ..BedrockOptions::default()
    };
    let options = hi()
        .with_reasoning(Reasoning::Effort(ReasoningEffort::High))
        .with_provider_options(bedrock.to_provider_options());
    let (body, _) = build(NOVA, &options);
    assert_eq!(
        body["additionalModelRequestFields"]["reasoningConfig"]["maxReasoningEffort"],
        json!("low")
    );
}

#[test]
fn bedrock_options_reach_the_body() {
    let bedrock = BedrockOptions {
        guardrail: Some(
            GuardrailOptions::new("gr-1", "3")
                .with_trace(GuardrailTrace::Enabled)
                .with_stream_processing_mode(GuardrailStreamProcessingMode::Async),
        ),
        additional_model_request_fields: Some(
            json!({"top_k": 99, "custom": true})
                .as_object()
                .unwrap()
                .clone(),
        ),
        anthropic_beta: vec!["context-1m-2025-08-07".into()],
        performance_latency: Some(PerformanceConfigLatency::Optimized),
        service_tier: Some(ServiceTierType::Flex),
        request_metadata: Some([("team".to_owned(), "search".to_owned())].into()),
        additional_model_response_field_paths: vec!["/stop_sequence".into()],
        ..BedrockOptions::default()
    };
    let options = hi()
        .with_top_k(5)
        .with_provider_options(bedrock.to_provider_options());

    let stream = build_request(CLAUDE, &options, true).unwrap();
    let body = serde_json::to_value(&stream.body).unwrap();
    assert_eq!(
        body,
        json!({
            "messages": [{"role": "user", "content": [{"text": "Hi"}]}],
            "guardrailConfig": {"guardrailIdentifier": "gr-1", "guardrailVersion": "3", "trace": "enabled", "streamProcessingMode": "async"},
            "additionalModelRequestFields": {"top_k": 99, "anthropic_beta": ["context-1m-2025-08-07"], "custom": true},
            "additionalModelResponseFieldPaths": ["/stop_sequence"],
            "requestMetadata": {"team": "search"},
            "performanceConfig": {"latency": "optimized"},
            "serviceTier": {"type": "flex"}
        })
    );
    assert!(stream.context.warnings.is_empty());

    let plain = build_request(CLAUDE, &options, false).unwrap();
    assert_eq!(
        plain.body.guardrail_config.unwrap().stream_processing_mode,
        None
    );
    assert_eq!(
        plain.context.warnings,
        vec![
            Warning::unsupported_setting("guardrail.stream_processing_mode")
                .with_details("only applies to streaming calls")
        ]
    );
}

#[test]
fn tools_and_context() {
    let options = hi()
        .with_tool(FunctionTool::new("weather", json!({"type": "object"})))
        .with_tool_choice(ToolChoice::None)
        .with_raw_chunks(true);
    let prepared = build_request(CLAUDE, &options, false).unwrap();
    assert_eq!(prepared.body.tool_config, None);
    assert_eq!(prepared.context.model_id, CLAUDE);
    assert!(prepared.context.include_raw_chunks);
    let bad = hi().with_provider_options(strata_core::ProviderOptions::new().with(
        "bedrock",
        "service_tier",
        5,
    ));
    let err = build_request(CLAUDE, &bad, false).unwrap_err();
    assert_eq!(err.argument(), Some("provider_options.bedrock"));
}
