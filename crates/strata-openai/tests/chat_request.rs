//! Chat Completions request building: exact JSON bodies for every mapping.

use serde_json::json;
use strata_core::options::{Reasoning, ReasoningEffort, ResponseFormat};
use strata_core::prompt::{
    FilePart, ReasoningPart, TextPart, ToolCallPart, ToolResultContent, ToolResultOutput,
    ToolResultPart,
};
use strata_core::tool::{FunctionTool, ProviderDefinedTool, ToolChoice};
use strata_core::{CallOptions, Message, Part, ProviderOptions, Warning};
use strata_openai::chat::request::build_chat_request;

fn body(model: &str, options: &CallOptions, stream: bool) -> serde_json::Value {
    serde_json::to_value(build_chat_request(model, options, stream).unwrap().body).unwrap()
}

#[test]
fn every_setting_for_a_non_reasoning_model() {
    let options = CallOptions::new(vec![
        Message::system("You are terse."),
        Message::user_text("Hi"),
    ])
    .with_max_output_tokens(512)
    .with_temperature(0.7)
    .with_top_p(0.9)
    .with_frequency_penalty(0.5)
    .with_presence_penalty(-0.5)
    .with_seed(42)
    .with_stop_sequences(["END", "\n\n"])
    .with_reasoning(Reasoning::Effort(ReasoningEffort::High))
    .with_provider_options(
        ProviderOptions::new()
            .with("openai", "user", "user-7")
            .with("openai", "parallelToolCalls", false)
            .with("openai", "store", true)
            .with("openai", "metadata", json!({"session": "s1"}))
            .with("openai", "serviceTier", "flex"),
    );
    let prepared = build_chat_request("gpt-4o", &options, false).unwrap();
    assert!(prepared.warnings.is_empty());
    assert_eq!(
        serde_json::to_value(prepared.body).unwrap(),
        json!({
            "model": "gpt-4o",
            "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Hi"}
            ],
            "max_tokens": 512,
            "temperature": 0.7,
            "top_p": 0.9,
            "frequency_penalty": 0.5,
            "presence_penalty": -0.5,
            "seed": 42,
            "stop": ["END", "\n\n"],
            "parallel_tool_calls": false,
            "reasoning_effort": "high",
            "user": "user-7",
            "store": true,
            "metadata": {"session": "s1"},
            "service_tier": "flex"
        })
    );
}

#[test]
fn reasoning_models_drop_sampling_settings_with_warnings() {
    let options = CallOptions::new(vec![Message::user_text("Hi")])
        .with_temperature(1.0)
        .with_top_p(0.5)
        .with_presence_penalty(0.1)
        .with_frequency_penalty(0.2)
        .with_top_k(5)
        .with_max_output_tokens(1000);
    let prepared = build_chat_request("gpt-5-mini", &options, false).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body).unwrap(),
        json!({"model": "gpt-5-mini", "messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 1000})
    );
    let names: Vec<String> = prepared.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "unsupported setting `temperature`: reasoning models do not support temperature",
            "unsupported setting `top_p`: reasoning models do not support top_p",
            "unsupported setting `frequency_penalty`: reasoning models do not support frequency_penalty",
            "unsupported setting `presence_penalty`: reasoning models do not support presence_penalty",
            "unsupported setting `top_k`: Chat Completions has no top-k setting",
        ]
    );
}

#[test]
fn max_tokens_field_and_system_mode_can_be_chosen() {
    let options = CallOptions::new(vec![Message::system("S"), Message::user_text("U")])
        .with_max_output_tokens(9)
        .with_provider_options(
            ProviderOptions::new()
                .with("openai", "maxTokensField", "max_completion_tokens")
                .with("openai", "systemMessageMode", "developer"),
        );
    assert_eq!(
        body("llama3.1", &options, false),
        json!({"model": "llama3.1", "messages": [{"role": "developer", "content": "S"}, {"role": "user", "content": "U"}],
               "max_completion_tokens": 9})
    );
    let options = options.with_provider_options(
        ProviderOptions::new()
            .with("openai", "maxTokensField", "max_tokens")
            .with("openai", "systemMessageMode", "remove"),
    );
    let prepared = build_chat_request("o3", &options, false).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body).unwrap(),
        json!({"model": "o3", "messages": [{"role": "user", "content": "U"}], "max_tokens": 9})
    );
    assert_eq!(
        prepared.warnings,
        vec![Warning::other("system messages are removed for this model")]
    );
}

#[test]
fn streaming_asks_for_usage() {
    let options = CallOptions::new(vec![Message::user_text("Hi")]);
    assert_eq!(
        body("gpt-4o-mini", &options, true),
        json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
               "stream": true, "stream_options": {"include_usage": true}})
    );
}

#[test]
fn response_formats() {
    let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"], "additionalProperties": false});
    let options = CallOptions::new(vec![Message::user_text("Name?")]).with_response_format(
        ResponseFormat::Json {
            schema: Some(schema.clone()),
            name: Some("person".into()),
            description: Some("A person".into()),
        },
    );
    let options = options.with_provider_options(ProviderOptions::new().with(
        "openai",
        "strictJsonSchema",
        true,
    ));
    assert_eq!(
        body("gpt-4o", &options, false)["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "person", "description": "A person", "schema": schema, "strict": true}})
    );
    let options = CallOptions::new(vec![Message::user_text("x")])
        .with_response_format(ResponseFormat::json_schema(json!({"type": "array"})));
    assert_eq!(
        body("gpt-4o", &options, false)["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "response", "schema": {"type": "array"}}})
    );
    let options = CallOptions::new(vec![Message::user_text("x")])
        .with_response_format(ResponseFormat::json());
    assert_eq!(
        body("gpt-4o", &options, false)["response_format"],
        json!({"type": "json_object"})
    );
    let options =
        CallOptions::new(vec![Message::user_text("x")]).with_response_format(ResponseFormat::Text);
    assert_eq!(body("gpt-4o", &options, false).get("response_format"), None);
}

#[test]
fn reasoning_settings_without_a_chat_field_warn() {
    let options = CallOptions::new(vec![Message::user_text("x")])
        .with_reasoning(Reasoning::BudgetTokens(2048));
    let prepared = build_chat_request("o4-mini", &options, false).unwrap();
    assert_eq!(prepared.body.reasoning_effort, None);
    assert_eq!(
        prepared.warnings[0].to_string(),
        "unsupported setting `reasoning`: OpenAI takes a reasoning effort, not a token budget"
    );
    let options =
        CallOptions::new(vec![Message::user_text("x")]).with_reasoning(Reasoning::Disabled);
    assert_eq!(
        build_chat_request("o4-mini", &options, false)
            .unwrap()
            .warnings
            .len(),
        1
    );
    let options = options.with_provider_options(ProviderOptions::new().with(
        "openai",
        "reasoningEffort",
        "none",
    ));
    let prepared = build_chat_request("gpt-5.1", &options, false).unwrap();
    assert_eq!(prepared.body.reasoning_effort.as_deref(), Some("none"));
    assert!(prepared.warnings.is_empty());
}

#[test]
fn user_media_parts() {
    let options = CallOptions::new(vec![Message::user(vec![
        Part::text("Describe these."),
        FilePart::from_bytes(&b"\x89PNG\r\n"[..], "image/png")
            .with_provider_options(ProviderOptions::new().with("openai", "imageDetail", "low"))
            .into(),
        FilePart::from_url("https://upload.wikimedia.org/cat.jpg", "image/jpeg").into(),
        FilePart::from_bytes(&b"RIFF"[..], "audio/wav").into(),
        FilePart::from_bytes(&b"ID3"[..], "audio/mpeg").into(),
        FilePart::from_bytes(&b"%PDF-1.7"[..], "application/pdf")
            .with_filename("report.pdf")
            .into(),
        FilePart::from_bytes(&b"%PDF"[..], "application/pdf").into(),
    ])]);
    assert_eq!(
        body("gpt-4o", &options, false)["messages"],
        json!([{"role": "user", "content": [
            {"type": "text", "text": "Describe these."},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K", "detail": "low"}},
            {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/cat.jpg"}},
            {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
            {"type": "input_audio", "input_audio": {"data": "SUQz", "format": "mp3"}},
            {"type": "file", "file": {"filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERi0xLjc="}},
            {"type": "file", "file": {"filename": "document.pdf", "file_data": "data:application/pdf;base64,JVBERg=="}}
        ]}])
    );
}

#[test]
fn unsupported_media_is_an_error() {
    for (part, message) in [
        (
            FilePart::from_url("https://x.example/a.wav", "audio/wav"),
            "unsupported functionality: audio given by URL",
        ),
        (
            FilePart::from_url("https://x.example/a.pdf", "application/pdf"),
            "unsupported functionality: PDF files given by URL",
        ),
        (
            FilePart::from_bytes(&b"a,b"[..], "text/csv"),
            "unsupported functionality: file parts of media type `text/csv` (OpenAI takes images, wav/mp3 audio and PDF)",
        ),
    ] {
        let options = CallOptions::new(vec![Message::user(vec![Part::text("x"), part.into()])]);
        let error = build_chat_request("gpt-4o", &options, false).unwrap_err();
        assert!(error.is_unsupported());
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn assistant_turns_tool_results_and_tools() {
    let options = CallOptions::new(vec![
        Message::user_text("Weather and time in Paris?"),
        Message::assistant(vec![
            ReasoningPart::new("I need two tools.").into(),
            Part::text("Checking "),
            Part::text("now."),
            ToolCallPart::new("call_1", "get_weather", json!({"city": "Paris"})).into(),
            ToolCallPart::new("call_2", "get_time", json!({})).into(),
        ]),
        Message::tool(vec![
            ToolResultPart::new(
                "call_1",
                "get_weather",
                ToolResultOutput::json(json!({"temp": 21, "sky": "clear"})),
            ),
            ToolResultPart::new("call_2", "get_time", ToolResultOutput::text("14:05")),
        ]),
        Message::tool(vec![
            ToolResultPart::new(
                "call_3",
                "lookup",
                ToolResultOutput::error_text("not found"),
            ),
            ToolResultPart::new(
                "call_4",
                "lookup",
                ToolResultOutput::Content(vec![
                    ToolResultContent::Text(TextPart::new("part one, ")),
                    ToolResultContent::Text(TextPart::new("part two")),
                ]),
            ),
        ]),
    ])
    .with_tool(
        FunctionTool::new(
            "get_weather",
            json!({"type": "object", "properties": {"city": {"type": "string"}}}),
        )
        .with_description("Weather now"),
    )
    .with_tool(FunctionTool::new("get_time", json!({"type": "object"})).with_strict(false))
    .with_tool(ProviderDefinedTool::new("openai.web_search", "web_search"))
    .with_tool_choice(ToolChoice::Required);
    let prepared = build_chat_request("gpt-4.1", &options, false).unwrap();
    assert_eq!(
        serde_json::to_value(&prepared.body).unwrap(),
        json!({
            "model": "gpt-4.1",
            "messages": [
                {"role": "user", "content": "Weather and time in Paris?"},
                {"role": "assistant", "content": "Checking now.", "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                    {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "{\"sky\":\"clear\",\"temp\":21}"},
                {"role": "tool", "tool_call_id": "call_2", "content": "14:05"},
                {"role": "tool", "tool_call_id": "call_3", "content": "not found"},
                {"role": "tool", "tool_call_id": "call_4", "content": "part one, part two"}
            ],
            "tools": [
                {"type": "function", "function": {"name": "get_weather", "description": "Weather now",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
                {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}, "strict": false}}
            ],
            "tool_choice": "required"
        })
    );
    assert_eq!(
        prepared.warnings,
        vec![
            Warning::unsupported_tool("web_search")
                .with_details("provider-defined tools are not available in Chat Completions")
        ]
    );
}

#[test]
fn tool_choice_modes_and_unknown_names() {
    let base = CallOptions::new(vec![Message::user_text("x")])
        .with_tool(FunctionTool::new("f", json!({"type": "object"})));
    for (choice, expected) in [
        (ToolChoice::Auto, json!("auto")),
        (ToolChoice::None, json!("none")),
        (ToolChoice::Required, json!("required")),
        (
            ToolChoice::tool("f"),
            json!({"type": "function", "function": {"name": "f"}}),
        ),
    ] {
        assert_eq!(
            body("gpt-4o", &base.clone().with_tool_choice(choice), false)["tool_choice"],
            expected
        );
    }
    let error = build_chat_request(
        "gpt-4o",
        &base.with_tool_choice(ToolChoice::tool("g")),
        false,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `tool_choice`: tool `g` is not among the call's function tools"
    );
    // No tools: neither tools nor tool_choice are sent.
    let options =
        CallOptions::new(vec![Message::user_text("x")]).with_tool_choice(ToolChoice::Required);
    assert_eq!(
        body("gpt-4o", &options, false),
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})
    );
}

#[test]
fn invalid_prompts_and_options_are_errors() {
    let error = build_chat_request("gpt-4o", &CallOptions::new(vec![]), false).unwrap_err();
    assert!(error.is_invalid_prompt());
    let options = CallOptions::new(vec![Message::user_text("x")])
        .with_provider_options(ProviderOptions::new().with("openai", "maxTokensField", "tokens"));
    let error = build_chat_request("gpt-4o", &options, false).unwrap_err();
    assert_eq!(error.argument(), Some("provider_options.openai"));
}
