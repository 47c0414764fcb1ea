//! Every Converse feature, through `generate` and `stream`, against the emulator; and every
//! request body produced for them accepted by the emulator's shape validation.

mod it_support;

use bytes::Bytes;
use serde_json::{Value, json};
use strata_bedrock::BedrockLanguageModel;
use strata_bedrock::options::{
    BedrockOptions, GuardrailOptions, PartOptions, StructuredOutputMode,
};
use strata_bedrock::wire::{GuardrailStreamProcessingMode, GuardrailTrace};
use strata_core::content::Source;
use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
use strata_core::prompt::{FilePart, ToolCallPart, ToolResultOutput, ToolResultPart};
use strata_core::tool::FunctionTool;
use strata_core::{
    CallOptions, Content, FinishReason, GenerateResult, LanguageModel, Message, Part, ToolChoice,
    Warning,
};
use strata_emulator::EmulatorHandle;

use it_support::{CLAUDE, NOVA, emulator, sigv4};

/// Generates, then streams and collects, the same call; checks both agree and returns them.
async fn both(model: &BedrockLanguageModel, options: CallOptions) -> GenerateResult {
    let generated = model.generate(options.clone()).await.expect("generate");
    let streamed = model
        .stream(options)
        .await
        .expect("stream starts")
        .collect()
        .await
        .expect("stream collects");
    assert_eq!(streamed.content, generated.content);
    assert_eq!(streamed.finish_reason, generated.finish_reason);
    assert_eq!(streamed.raw_finish_reason, generated.raw_finish_reason);
    // The second call of a prompt with cache points reads what the first wrote.
    assert_eq!(streamed.usage.output_tokens, generated.usage.output_tokens);
    assert_eq!(
        streamed.usage.input_tokens.total,
        generated.usage.input_tokens.total
    );
    assert!(streamed.response.request_id.is_some());
    generated
}

fn weather_tool() -> FunctionTool {
    FunctionTool::new(
        "weather",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    )
    .with_description("Current weather in a city")
}

fn tool_call_options() -> CallOptions {
    CallOptions::new(vec![Message::user_text("What is the weather in Paris?")])
        .with_tool(weather_tool())
}

fn tool_result_options() -> CallOptions {
    CallOptions::new(vec![
        Message::user_text("What is the weather in Paris?"),
        Message::assistant(vec![Part::ToolCall(ToolCallPart::new(
            "tooluse_1",
            "weather",
            json!({"city": "Paris"}),
        ))]),
        Message::tool(vec![ToolResultPart::new(
            "tooluse_1",
            "weather",
            ToolResultOutput::text("sunny, 21 °C"),
        )]),
    ])
    .with_tool(weather_tool())
}

fn reasoning_options() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Think about this")])
        .with_max_output_tokens(4096)
        .with_reasoning(Reasoning::BudgetTokens(2048))
}

fn schema() -> Value {
    json!({"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
           "required": ["name", "age"], "additionalProperties": false})
}

fn citation_options() -> CallOptions {
    let document = FilePart::from_bytes(
        Bytes::from_static(b"The sky is blue. Grass is green."),
        "text/plain",
    )
    .with_filename("facts")
    .with_provider_options(PartOptions::citations(true).to_provider_options());
    CallOptions::new(vec![Message::user(vec![
        Part::File(document),
        Part::text("What colour is the sky?"),
    ])])
}

fn cache_options() -> CallOptions {
    let cache = PartOptions::cache_point(None).to_provider_options();
    CallOptions::new(vec![
        Message::system("You are a careful assistant who answers briefly.")
            .with_provider_options(cache.clone()),
        Message::user_text("A long shared context that is worth caching between calls.")
            .with_provider_options(cache),
    ])
}

fn guardrail_options() -> CallOptions {
    let mut bedrock = BedrockOptions::default();
    bedrock.guardrail = Some(
        GuardrailOptions::new("gr1test", "1")
            .with_trace(GuardrailTrace::Enabled)
            .with_stream_processing_mode(GuardrailStreamProcessingMode::Async),
    );
    CallOptions::new(vec![Message::user_text("Hello guarded world")])
        .with_provider_options(bedrock.to_provider_options())
}

fn structured_options(mode: StructuredOutputMode) -> CallOptions {
    let mut bedrock = BedrockOptions::default();
    bedrock.structured_output = Some(mode);
    CallOptions::new(vec![Message::user_text("Describe a person")])
        .with_response_format(ResponseFormat::json_schema(schema()))
        .with_provider_options(bedrock.to_provider_options())
}

#[tokio::test]
async fn text_with_system_prompt_and_stop_sequences() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    let result = both(
        &model,
        CallOptions::new(vec![
            Message::system("Be terse."),
            Message::user_text("What is your system prompt?"),
        ]),
    )
    .await;
    assert_eq!(result.text(), "My system prompt is: Be terse.");
    let result = both(
        &model,
        CallOptions::new(vec![Message::user_text("alpha beta gamma")])
            .with_stop_sequences(["gamma"]),
    )
    .await;
    assert_eq!(result.text(), "You said: alpha beta ");
    assert_eq!(result.raw_finish_reason.as_deref(), Some("stop_sequence"));
}

#[tokio::test]
async fn tool_call_round_trip() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    let first = both(&model, tool_call_options()).await;
    assert_eq!(first.finish_reason, FinishReason::ToolCalls);
    let calls: Vec<_> = first.tool_calls().collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].tool_name, "weather");
    assert_eq!(calls[0].input, json!({"city": "city"}));

    let mut prompt = tool_call_options().prompt;
    prompt.push(first.to_message());
    prompt.push(Message::tool(vec![ToolResultPart::new(
        calls[0].tool_call_id.clone(),
        "weather",
        ToolResultOutput::text("sunny"),
    )]));
    let second = both(&model, CallOptions::new(prompt).with_tool(weather_tool())).await;
    assert_eq!(second.text(), "Tool weather returned: sunny");
    assert_eq!(second.finish_reason, FinishReason::Stop);

    let forced = both(
        &model,
        CallOptions::new(vec![Message::user_text("Hi")])
            .with_tool(weather_tool())
            .with_tool_choice(ToolChoice::tool("weather")),
    )
    .await;
    assert_eq!(forced.tool_calls().count(), 1);
}

#[tokio::test]
async fn anthropic_thinking_and_nova_effort() {
    let emulator = emulator().await;
    let bedrock = sigv4(&emulator);
    let result = both(&bedrock.language_model(CLAUDE), reasoning_options()).await;
    assert_eq!(
        result.reasoning_text(),
        "The user wrote: Think about this. I will answer by repeating it."
    );
    let Content::Reasoning(reasoning) = &result.content[0] else {
        panic!("reasoning first: {:?}", result.content);
    };
    assert!(
        reasoning
            .provider_metadata
            .get("bedrock")
            .and_then(|m| m.get("signature"))
            .is_some()
    );
    assert_eq!(result.text(), "You said: Think about this");

    // The reasoning (with its signature) is replayed in the next turn.
    let mut prompt = reasoning_options().prompt;
    prompt.push(result.to_message());
    prompt.push(Message::user_text("And now?"));
    let next = both(
        &bedrock.language_model(CLAUDE),
        CallOptions::new(prompt)
            .with_max_output_tokens(4096)
            .with_reasoning(Reasoning::BudgetTokens(2048)),
    )
    .await;
    assert_eq!(next.text(), "You said: And now?");

    let nova = both(
        &bedrock.language_model("us.amazon.nova-2-lite-v1:0"),
        CallOptions::new(vec![Message::user_text("Ponder")])
            .with_reasoning(Reasoning::Effort(ReasoningEffort::Low)),
    )
    .await;
    assert!(nova.reasoning_text().starts_with("The user wrote: Ponder"));
}

#[tokio::test]
async fn structured_output_native_and_through_a_tool() {
    let emulator = emulator().await;
    let bedrock = sigv4(&emulator);
    for (model, mode) in [
        (NOVA, StructuredOutputMode::Native),
        (CLAUDE, StructuredOutputMode::Tool),
    ] {
        let result = both(&bedrock.language_model(model), structured_options(mode)).await;
        let value: Value = serde_json::from_str(&result.text()).expect("JSON text");
        assert!(
            value["name"].is_string() && value["age"].is_i64(),
            "{value}"
        );
        assert_eq!(result.finish_reason, FinishReason::Stop, "{mode:?}");
        assert_eq!(result.warnings.len(), 1, "{:?}", result.warnings);
    }
}

#[tokio::test]
async fn documents_with_citations_become_sources() {
    let emulator = emulator().await;
    let result = both(&sigv4(&emulator).language_model(CLAUDE), citation_options()).await;
    assert_eq!(result.text(), "According to facts: The sky is blue.");
    let sources: Vec<&Source> = result
        .content
        .iter()
        .filter_map(|c| match c {
            Content::Source(source) => Some(source),
            _ => None,
        })
        .collect();
    assert_eq!(sources.len(), 1, "{:?}", result.content);
}

#[tokio::test]
async fn cache_points_report_cache_writes_then_reads() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(CLAUDE);
    let first = model.generate(cache_options()).await.unwrap();
    assert!(
        first.usage.input_tokens.cache_write.unwrap_or(0) > 0,
        "{:?}",
        first.usage
    );
    let second = model.generate(cache_options()).await.unwrap();
    assert!(
        second.usage.input_tokens.cache_read.unwrap_or(0) > 0,
        "{:?}",
        second.usage
    );
}

#[tokio::test]
async fn guardrail_options_are_sent_and_traced() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    let result = model.generate(guardrail_options()).await.unwrap();
    let metadata = result
        .provider_metadata
        .get("bedrock")
        .expect("bedrock metadata");
    assert!(
        metadata
            .get("trace")
            .and_then(|t| t.get("guardrail"))
            .is_some(),
        "{metadata:?}"
    );
    assert_eq!(
        result.warnings,
        [
            Warning::unsupported_setting("guardrail.stream_processing_mode")
                .with_details("only applies to streaming calls")
        ]
    );
    let sent = &result.request_body.as_ref().unwrap().json().unwrap()["guardrailConfig"];
    assert_eq!(
        sent,
        &json!({"guardrailIdentifier": "gr1test", "guardrailVersion": "1", "trace": "enabled"})
    );
    let streamed = model.stream(guardrail_options()).await.unwrap();
    assert_eq!(
        streamed.request_body.as_ref().unwrap().json().unwrap()["guardrailConfig"]["streamProcessingMode"],
        "async"
    );
    assert_eq!(
        streamed.collect().await.unwrap().text(),
        "You said: Hello guarded world"
    );
}

/// Runs every case above through both operations on one emulator.
async fn run_all_cases(emulator: &EmulatorHandle) -> usize {
    let bedrock = sigv4(emulator);
    let cases = [
        (NOVA, CallOptions::new(vec![Message::user_text("Hello")])),
        (NOVA, tool_call_options()),
        (NOVA, tool_result_options()),
        (CLAUDE, reasoning_options()),
        (NOVA, structured_options(StructuredOutputMode::Native)),
        (CLAUDE, structured_options(StructuredOutputMode::Tool)),
        (CLAUDE, citation_options()),
        (CLAUDE, cache_options()),
        (NOVA, guardrail_options()),
    ];
    for (model, options) in &cases {
        both(&bedrock.language_model(*model), options.clone()).await;
    }
    cases.len() * 2
}

#[tokio::test]
async fn every_request_body_is_accepted_by_the_emulator() {
    let emulator = emulator().await;
    let sent = run_all_cases(&emulator).await;
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), sent);
    for entry in &entries {
        assert_eq!(
            entry.status,
            200,
            "{} rejected: {}",
            entry.path,
            String::from_utf8_lossy(&entry.body)
        );
        assert!(entry.auth.is_accepted());
        let body: Value = serde_json::from_slice(&entry.body).expect("JSON body");
        assert!(body["messages"].is_array());
    }
}
