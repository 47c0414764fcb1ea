//! Both language APIs, streaming and not, with a tool round trip, and embeddings, against the
//! emulator's OpenAI-compatible surface — with SigV4 (`bedrock-mantle`) and with bearer auth.
#![cfg(feature = "mantle")]

use std::time::Duration;

use serde_json::json;
use strata_core::prompt::{ToolResultOutput, ToolResultPart};
use strata_core::tool::FunctionTool;
use strata_core::{
    CallOptions, EmbedOptions, EmbeddingModel, FinishReason, LanguageModel, Message,
};
use strata_emulator::{Emulator, EmulatorHandle, Fault};
use strata_http::retry::RetryConfig;
use strata_openai::OpenAi;

const TOKEN: &str = "emulator-bearer-token";
const OSS: &str = "openai.gpt-oss-120b-1:0";

async fn start() -> EmulatorHandle {
    Emulator::builder()
        .bearer_token(TOKEN)
        .start()
        .await
        .expect("the emulator starts")
}

fn sigv4(emulator: &EmulatorHandle) -> OpenAi {
    OpenAi::bedrock_mantle()
        .env([("HOME", "/nonexistent")])
        .region(emulator.region())
        .base_url(format!("{}/openai/v1", emulator.url()))
        .credentials_provider(emulator.credentials().clone())
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(10)))
        .build()
        .expect("a SigV4 provider")
}

fn bearer(emulator: &EmulatorHandle) -> OpenAi {
    OpenAi::bedrock_mantle()
        .env([
            ("HOME", "/nonexistent"),
            ("AWS_BEARER_TOKEN_BEDROCK", TOKEN),
        ])
        .base_url(format!("{}/openai/v1", emulator.url()))
        .build()
        .expect("a bearer provider")
}

fn weather() -> FunctionTool {
    FunctionTool::new(
        "get_weather",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    )
    .with_description("Current weather for a city")
}

/// Asks for the weather, answers the tool call, and returns the final text.
async fn tool_round_trip(model: &dyn LanguageModel, stream: bool) -> String {
    let question = Message::user_text("Use get_weather for Paris, please.");
    let options = CallOptions::new(vec![question.clone()]).with_tool(weather());
    let first = if stream {
        model
            .stream(options)
            .await
            .unwrap()
            .collect()
            .await
            .unwrap()
    } else {
        model.generate(options).await.unwrap()
    };
    assert_eq!(first.finish_reason, FinishReason::ToolCalls, "{first:?}");
    let call = first.tool_calls().next().expect("a tool call").clone();
    assert_eq!(call.tool_name, "get_weather");
    assert!(call.input["city"].is_string(), "{:?}", call.input);
    let answer = Message::tool(vec![ToolResultPart::new(
        call.tool_call_id.clone(),
        "get_weather",
        ToolResultOutput::text("21°C and sunny"),
    )]);
    let options = CallOptions::new(vec![question, first.to_message(), answer]).with_tool(weather());
    let second = if stream {
        model
            .stream(options)
            .await
            .unwrap()
            .collect()
            .await
            .unwrap()
    } else {
        model.generate(options).await.unwrap()
    };
    assert_eq!(second.finish_reason, FinishReason::Stop);
    assert!(second.usage.input_tokens.total.unwrap() > 0);
    assert!(second.response.request_id.is_some());
    second.text()
}

#[tokio::test]
async fn chat_and_responses_with_tools_over_sigv4_and_bearer() {
    let emulator = start().await;
    for openai in [sigv4(&emulator), bearer(&emulator)] {
        for stream in [false, true] {
            let chat = openai.chat_model(OSS);
            assert_eq!(
                tool_round_trip(&chat, stream).await,
                "Tool get_weather returned: 21°C and sunny"
            );
            let responses = openai.responses_model(OSS);
            assert_eq!(
                tool_round_trip(&responses, stream).await,
                "Tool get_weather returned: 21°C and sunny"
            );
        }
    }
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), 16);
    assert!(
        entries
            .iter()
            .all(|e| e.auth.is_accepted() && e.status == 200)
    );
    assert!(
        entries[..8]
            .iter()
            .all(|e| e.signing_name.as_deref() == Some("bedrock-mantle"))
    );
    assert!(entries[8..].iter().all(|e| e.signature.is_none()));
}

#[tokio::test]
async fn a_retried_server_error_is_re_signed() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::ServerError {
                status: 503,
                retry_after: Some(1),
            },
            1,
        )
        .unwrap();
    let result = sigv4(&emulator)
        .chat_model(OSS)
        .generate(CallOptions::new(vec![Message::user_text("Hello")]))
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
    let entries = emulator.journal().entries();
    assert_eq!(
        entries.iter().map(|e| e.status).collect::<Vec<_>>(),
        [503, 200]
    );
    assert!(entries.iter().all(|e| e.auth.is_accepted()));
    assert_ne!(entries[0].amz_date, entries[1].amz_date);
    assert_ne!(entries[0].signature, entries[1].signature);
}

#[tokio::test]
async fn a_throttled_call_is_retried_with_a_valid_signature() {
    let emulator = start().await;
    emulator.faults().push(Fault::Throttle, 1).unwrap();
    let result = sigv4(&emulator)
        .chat_model(OSS)
        .generate(CallOptions::new(vec![Message::user_text("Hello")]))
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
    let entries = emulator.journal().entries();
    assert_eq!(
        entries.iter().map(|e| e.status).collect::<Vec<_>>(),
        [429, 200]
    );
    // Both attempts carry a valid SigV4 signature. A throttle's jittered backoff may be shorter
    // than the one-second resolution of `x-amz-date`, so two correct signatures can coincide;
    // `a_retried_server_error_is_re_signed` waits out `Retry-After: 1` to show they differ.
    assert!(entries.iter().all(|e| e.auth.is_accepted()));
    assert!(
        entries
            .iter()
            .all(|e| e.signing_name.as_deref() == Some("bedrock-mantle"))
    );
}

#[tokio::test]
async fn errors_truncated_streams_and_embeddings() {
    let emulator = start().await;
    let openai = bearer(&emulator);
    let error = openai
        .chat_model("gpt-9")
        .generate(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.api_error().unwrap().code.as_deref(),
        Some("model_not_found")
    );
    assert!(error.request_id().is_some());

    emulator
        .faults()
        .push(Fault::Truncate { frame: 1 }, 1)
        .unwrap();
    let result = openai
        .chat_model(OSS)
        .stream(CallOptions::new(vec![Message::user_text("Hello there")]))
        .await
        .unwrap();
    let error = result.collect().await.unwrap_err();
    assert!(error.is_stream_ended(), "{error:?}");

    let model = openai.embedding_model("amazon.titan-embed-text-v2:0");
    let result = model
        .embed(
            vec!["hello world".into(), "hello there".into()],
            EmbedOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(result.embeddings.len(), 2);
    assert_eq!(result.embeddings[0].len(), 1024);
    assert!(result.usage.tokens.unwrap() > 0);
}
