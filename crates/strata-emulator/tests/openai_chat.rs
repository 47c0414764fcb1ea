//! Chat Completions over HTTP: SigV4 (`bedrock-mantle` and `bedrock`) and bearer auth, text,
//! tools, reasoning, JSON schema output, cached tokens, limits and SSE streams.

mod common;

use common::{Signer, bearer, client, parse_sse, send};
use http::Method;
use serde_json::{Value, json};
use strata_emulator::{AuthOutcome, Emulator, EmulatorHandle};

const TOKEN: &str = "test-bearer-token";
const OSS: &str = "openai.gpt-oss-120b-1:0";

async fn start() -> EmulatorHandle {
    Emulator::builder()
        .bearer_token(TOKEN)
        .start()
        .await
        .expect("emulator starts")
}

fn url(emulator: &EmulatorHandle) -> String {
    format!("{}/openai/v1/chat/completions", emulator.url())
}

fn weather_tool() -> Value {
    json!({"type": "function", "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    }})
}

async fn chat_bearer(emulator: &EmulatorHandle, body: Value) -> Value {
    let received = send(
        &client(),
        bearer(Method::POST, &url(emulator), TOKEN, body.to_string()),
    )
    .await;
    assert_eq!(
        received.status,
        200,
        "{}",
        String::from_utf8_lossy(&received.body)
    );
    assert_eq!(received.header("content-type"), "application/json");
    assert_eq!(
        received.header("x-request-id"),
        received.header("x-amzn-requestid")
    );
    received.json()
}

#[tokio::test]
async fn mantle_sigv4_chat_answers_like_converse_and_caches_the_system_prefix() {
    let emulator = start().await;
    let body = json!({"model": OSS, "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello emulator"}
    ]});
    let first = send(
        &client(),
        Signer::mantle().post(&url(&emulator), body.to_string()),
    )
    .await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let answer = first.json();
    assert_eq!(answer["object"], "chat.completion");
    assert_eq!(answer["model"], OSS);
    assert!(answer["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert!(answer["created"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(
        answer["choices"],
        json!([{
            "index": 0,
            "message": {"role": "assistant", "content": "You said: Hello emulator", "refusal": null, "annotations": []},
            "logprobs": null,
            "finish_reason": "stop"
        }])
    );
    assert_eq!(
        answer["usage"],
        json!({
            "prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0}
        })
    );
    let again = send(
        &client(),
        Signer::mantle().post(&url(&emulator), body.to_string()),
    )
    .await;
    assert_eq!(
        again.json()["usage"]["prompt_tokens_details"]["cached_tokens"],
        3
    );
    assert_eq!(again.json()["usage"]["prompt_tokens"], 5);

    let entry = emulator.journal().last().unwrap();
    assert_eq!(
        entry.auth,
        AuthOutcome::SigV4 {
            access_key_id: "AKIDEXAMPLE".into()
        }
    );
    assert_eq!(entry.signing_name.as_deref(), Some("bedrock-mantle"));
    assert!(entry.signed_headers.contains(&"x-amz-date".to_owned()));
    assert!(entry.amz_date.is_some() && entry.signature.is_some());
    assert_eq!(entry.path, "/openai/v1/chat/completions");
}

#[tokio::test]
async fn bedrock_runtime_signing_name_is_accepted_too() {
    let emulator = start().await;
    let body = json!({"model": "us.amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": "Hi"}]});
    let received = send(
        &client(),
        Signer::default().post(&url(&emulator), body.to_string()),
    )
    .await;
    assert_eq!(received.status, 200);
    assert_eq!(
        received.json()["choices"][0]["message"]["content"],
        "You said: Hi"
    );
    assert_eq!(
        emulator.journal().last().unwrap().signing_name.as_deref(),
        Some("bedrock")
    );
}

#[tokio::test]
async fn tool_round_trip_with_bearer() {
    let emulator = start().await;
    let mut messages = vec![json!({"role": "user", "content": "Call get_weather for Paris"})];
    let first = chat_bearer(
        &emulator,
        json!({"model": OSS, "messages": messages, "tools": [weather_tool()]}),
    )
    .await;
    let choice = &first["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], Value::Null);
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["type"], "function");
    assert_eq!(call["function"]["name"], "get_weather");
    assert_eq!(call["function"]["arguments"], r#"{"city":"city"}"#);
    let call_id = call["id"].as_str().unwrap();
    assert!(call_id.starts_with("call_"), "{call_id}");
    assert_eq!(first["usage"]["completion_tokens"], 9);

    messages.push(choice["message"].clone());
    messages.push(json!({"role": "tool", "tool_call_id": call_id, "content": "18C and sunny"}));
    let second = chat_bearer(
        &emulator,
        json!({"model": OSS, "messages": messages, "tools": [weather_tool()]}),
    )
    .await;
    assert_eq!(
        second["choices"][0]["message"]["content"],
        "Tool get_weather returned: 18C and sunny"
    );
    assert_eq!(second["choices"][0]["finish_reason"], "stop");
    assert_eq!(emulator.journal().last().unwrap().auth, AuthOutcome::Bearer);
}

#[tokio::test]
async fn tool_choice_forces_a_named_tool_and_none_forbids_it() {
    let emulator = start().await;
    let forced = chat_bearer(
        &emulator,
        json!({"model": OSS, "messages": [{"role": "user", "content": "Hi"}], "tools": [weather_tool()],
               "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
    )
    .await;
    assert_eq!(forced["choices"][0]["finish_reason"], "tool_calls");
    let none = chat_bearer(
        &emulator,
        json!({"model": OSS, "messages": [{"role": "user", "content": "Call get_weather"}],
               "tools": [weather_tool()], "tool_choice": "none"}),
    )
    .await;
    assert_eq!(none["choices"][0]["finish_reason"], "stop");
    assert_eq!(
        none["choices"][0]["message"]["content"],
        "You said: Call get_weather"
    );
}

#[tokio::test]
async fn reasoning_effort_adds_reasoning_content_and_tokens() {
    let emulator = start().await;
    let answer = chat_bearer(
        &emulator,
        json!({"model": OSS, "reasoning_effort": "low", "messages": [{"role": "user", "content": "Hello emulator"}]}),
    )
    .await;
    let message = &answer["choices"][0]["message"];
    assert_eq!(
        message["reasoning_content"],
        "The user wrote: Hello emulator. I will answer by repeating it."
    );
    assert_eq!(message["content"], "You said: Hello emulator");
    assert_eq!(answer["usage"]["completion_tokens"], 19);
    assert_eq!(
        answer["usage"]["completion_tokens_details"]["reasoning_tokens"],
        14
    );

    let claude = chat_bearer(
        &emulator,
        json!({"model": "us.anthropic.claude-sonnet-4-20250514-v1:0", "reasoning_effort": "high",
               "max_completion_tokens": 8000, "messages": [{"role": "user", "content": "Hi"}]}),
    )
    .await;
    assert_eq!(
        claude["choices"][0]["message"]["reasoning_content"],
        "The user wrote: Hi. I will answer by repeating it."
    );
}

#[tokio::test]
async fn json_schema_response_format_yields_matching_json() {
    let emulator = start().await;
    let answer = chat_bearer(
        &emulator,
        json!({"model": OSS, "messages": [{"role": "user", "content": "Describe someone"}],
               "response_format": {"type": "json_schema", "json_schema": {"name": "person", "strict": true, "schema": {
                   "type": "object", "required": ["name", "age"],
                   "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 3}}}}}}),
    )
    .await;
    let content: Value =
        serde_json::from_str(answer["choices"][0]["message"]["content"].as_str().unwrap()).unwrap();
    assert_eq!(content, json!({"name": "name", "age": 3}));
}

#[tokio::test]
async fn max_tokens_and_stop_set_the_finish_reason() {
    let emulator = start().await;
    let cut = chat_bearer(
        &emulator,
        json!({"model": OSS, "max_tokens": 2, "messages": [{"role": "user", "content": "Hello emulator"}]}),
    )
    .await;
    assert_eq!(cut["choices"][0]["message"]["content"], "You said");
    assert_eq!(cut["choices"][0]["finish_reason"], "length");
    let stopped = chat_bearer(
        &emulator,
        json!({"model": OSS, "stop": "emu", "messages": [{"role": "user", "content": "Hello emulator"}]}),
    )
    .await;
    assert_eq!(
        stopped["choices"][0]["message"]["content"],
        "You said: Hello "
    );
    assert_eq!(stopped["choices"][0]["finish_reason"], "stop");
}

/// Sends a streaming request and returns the HTTP data chunks.
async fn stream_chunks(
    request: http::Request<http_body_util::Full<bytes::Bytes>>,
) -> Vec<bytes::Bytes> {
    use http_body_util::BodyExt;
    let response = client().request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    let mut body = response.into_body();
    let mut chunks = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("frame").into_data() {
            chunks.push(data);
        }
    }
    chunks
}

#[tokio::test]
async fn streamed_text_arrives_in_several_chunks_then_done() {
    let emulator = start().await;
    let body = json!({"model": OSS, "stream": true,
                      "messages": [{"role": "user", "content": "Hello emulator one two three four"}]});
    let chunks = stream_chunks(Signer::mantle().post(&url(&emulator), body.to_string())).await;
    let all: Vec<u8> = chunks.concat();
    let events = parse_sse(&all);
    assert_eq!(chunks.len(), events.len(), "one event per chunk");
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|e| e.json())
        .collect();
    assert!(
        chunks
            .iter()
            .all(|c| c["object"] == "chat.completion.chunk")
    );
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let pieces: Vec<&str> = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(
        pieces,
        ["You said:", " Hello emulator one", " two three four"]
    );
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    assert_eq!(last["choices"][0]["delta"], json!({}));
}

#[tokio::test]
async fn streamed_tool_calls_and_usage() {
    let emulator = start().await;
    let body = json!({"model": OSS, "stream": true, "stream_options": {"include_usage": true},
                      "reasoning_effort": "medium", "tools": [weather_tool()],
                      "messages": [{"role": "user", "content": "Call get_weather"}]});
    let chunks = stream_chunks(bearer(
        Method::POST,
        &url(&emulator),
        TOKEN,
        body.to_string(),
    ))
    .await;
    let events = parse_sse(&chunks.concat());
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|e| e.json())
        .collect();
    let reasoning: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["reasoning_content"].as_str())
        .collect();
    assert_eq!(
        reasoning,
        "The user wrote: Call get_weather. I will answer by repeating it."
    );
    let calls: Vec<&Value> = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"].get("tool_calls"))
        .collect();
    assert_eq!(calls.len(), 4);
    let head = &calls[0][0];
    assert_eq!(head["index"], 0);
    assert!(head["id"].as_str().unwrap().starts_with("call_"));
    assert_eq!(
        head["function"],
        json!({"name": "get_weather", "arguments": ""})
    );
    let arguments: String = calls[1..]
        .iter()
        .map(|c| {
            assert_eq!(c[0]["index"], 0);
            assert!(c[0].get("id").is_none());
            c[0]["function"]["arguments"].as_str().unwrap()
        })
        .collect();
    assert_eq!(arguments, r#"{"city":"city"}"#);
    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(finish["usage"], Value::Null);
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(
        usage["usage"]["completion_tokens_details"]["reasoning_tokens"],
        16
    );
    // "Call get_weather" is 4 tokens; the tool's name, description and compact schema 47.
    assert_eq!(usage["usage"]["prompt_tokens"], 4 + 47);
}
