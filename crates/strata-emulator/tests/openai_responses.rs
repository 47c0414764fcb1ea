//! The Responses API over HTTP: text, tools, reasoning summaries, JSON schema output, limits
//! and the SSE event stream, with SigV4 (`bedrock-mantle`) and bearer auth.

mod common;

use common::{Signer, bearer, client, parse_sse, send};
use http::Method;
use serde_json::{Value, json};
use strata_emulator::{Emulator, EmulatorHandle};

const TOKEN: &str = "responses-token";
const OSS: &str = "openai.gpt-oss-20b-1:0";

async fn start() -> EmulatorHandle {
    Emulator::builder()
        .bearer_token(TOKEN)
        .start()
        .await
        .expect("emulator starts")
}

fn url(emulator: &EmulatorHandle) -> String {
    format!("{}/openai/v1/responses", emulator.url())
}

fn weather_tool() -> Value {
    json!({"type": "function", "name": "get_weather", "description": "Current weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}})
}

async fn respond(emulator: &EmulatorHandle, body: Value, sigv4: bool) -> Value {
    let request = if sigv4 {
        Signer::mantle().post(&url(emulator), body.to_string())
    } else {
        bearer(Method::POST, &url(emulator), TOKEN, body.to_string())
    };
    let received = send(&client(), request).await;
    assert_eq!(
        received.status,
        200,
        "{}",
        String::from_utf8_lossy(&received.body)
    );
    received.json()
}

#[tokio::test]
async fn text_response_with_instructions() {
    let emulator = start().await;
    let answer = respond(
        &emulator,
        json!({"model": OSS, "instructions": "Be brief.", "input": "Hello emulator"}),
        true,
    )
    .await;
    assert_eq!(answer["object"], "response");
    assert!(answer["id"].as_str().unwrap().starts_with("resp_"));
    assert_eq!(answer["status"], "completed");
    assert_eq!(answer["model"], OSS);
    assert_eq!(answer["instructions"], "Be brief.");
    assert_eq!(answer["incomplete_details"], Value::Null);
    let output = answer["output"].as_array().unwrap();
    assert_eq!(output.len(), 1);
    assert_eq!(output[0]["type"], "message");
    assert_eq!(output[0]["role"], "assistant");
    assert_eq!(output[0]["status"], "completed");
    assert!(output[0]["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(
        output[0]["content"],
        json!([{"type": "output_text", "text": "You said: Hello emulator", "annotations": [], "logprobs": []}])
    );
    assert_eq!(
        answer["usage"],
        json!({
            "input_tokens": 5, "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 10
        })
    );
    let again = respond(
        &emulator,
        json!({"model": OSS, "instructions": "Be brief.", "input": "Hello emulator"}),
        false,
    )
    .await;
    assert_eq!(again["usage"]["input_tokens_details"]["cached_tokens"], 3);
}

#[tokio::test]
async fn function_call_round_trip() {
    let emulator = start().await;
    let mut input = vec![json!({"role": "user", "content": "Call get_weather for Paris"})];
    let first = respond(
        &emulator,
        json!({"model": OSS, "input": input, "tools": [weather_tool()]}),
        false,
    )
    .await;
    let call = &first["output"][0];
    assert_eq!(call["type"], "function_call");
    assert_eq!(call["name"], "get_weather");
    assert_eq!(call["arguments"], r#"{"city":"city"}"#);
    assert_eq!(call["status"], "completed");
    assert!(call["id"].as_str().unwrap().starts_with("fc_"));
    let call_id = call["call_id"].as_str().unwrap();
    assert!(call_id.starts_with("call_"));
    input.push(call.clone());
    input.push(
        json!({"type": "function_call_output", "call_id": call_id, "output": "18C and sunny"}),
    );
    let second = respond(
        &emulator,
        json!({"model": OSS, "input": input, "tools": [weather_tool()]}),
        true,
    )
    .await;
    assert_eq!(
        second["output"][0]["content"][0]["text"],
        "Tool get_weather returned: 18C and sunny"
    );
}

#[tokio::test]
async fn reasoning_items_carry_a_summary() {
    let emulator = start().await;
    let answer = respond(
        &emulator,
        json!({"model": OSS, "input": "Hello emulator", "reasoning": {"effort": "low", "summary": "auto"},
               "include": ["reasoning.encrypted_content"]}),
        false,
    )
    .await;
    let reasoning = &answer["output"][0];
    assert_eq!(reasoning["type"], "reasoning");
    assert!(reasoning["id"].as_str().unwrap().starts_with("rs_"));
    assert_eq!(
        reasoning["summary"],
        json!([{"type": "summary_text", "text": "The user wrote: Hello emulator. I will answer by repeating it."}])
    );
    assert!(
        reasoning["encrypted_content"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(answer["output"][1]["type"], "message");
    assert_eq!(
        answer["reasoning"],
        json!({"effort": "low", "summary": "auto"})
    );
    assert_eq!(answer["usage"]["output_tokens"], 19);
    assert_eq!(
        answer["usage"]["output_tokens_details"]["reasoning_tokens"],
        14
    );
}

#[tokio::test]
async fn json_schema_text_format_and_token_limit() {
    let emulator = start().await;
    let answer = respond(
        &emulator,
        json!({"model": OSS, "input": "Who?", "text": {"format": {"type": "json_schema", "name": "who",
               "schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}}),
        false,
    )
    .await;
    assert_eq!(
        answer["output"][0]["content"][0]["text"],
        r#"{"name":"name"}"#
    );
    let cut = respond(
        &emulator,
        json!({"model": OSS, "input": "Hello emulator", "max_output_tokens": 2}),
        false,
    )
    .await;
    assert_eq!(cut["status"], "incomplete");
    assert_eq!(
        cut["incomplete_details"],
        json!({"reason": "max_output_tokens"})
    );
    assert_eq!(cut["output"][0]["content"][0]["text"], "You said");
    assert_eq!(cut["output"][0]["status"], "incomplete");
}

async fn stream_events(emulator: &EmulatorHandle, body: Value) -> Vec<(String, Value)> {
    use http_body_util::BodyExt;
    let request = Signer::mantle().post(&url(emulator), body.to_string());
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
    let events = parse_sse(&chunks.concat());
    assert_eq!(chunks.len(), events.len(), "one event per chunk");
    events
        .iter()
        .enumerate()
        .map(|(n, event)| {
            let name = event.event.clone().expect("named event");
            let data = event.json();
            assert_eq!(data["type"], name.as_str());
            assert_eq!(data["sequence_number"], n);
            (name, data)
        })
        .collect()
}

#[tokio::test]
async fn streamed_text_and_reasoning_events() {
    let emulator = start().await;
    let events = stream_events(
        &emulator,
        json!({"model": OSS, "stream": true, "input": "Hello emulator one two three",
               "reasoning": {"effort": "high"}}),
    )
    .await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    let count = |name: &str| names.iter().filter(|n| **n == name).count();
    assert_eq!(
        &names[..3],
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added"
        ]
    );
    assert_eq!(events[0].1["response"]["status"], "in_progress");
    assert_eq!(events[2].1["item"]["type"], "reasoning");
    assert_eq!(count("response.output_item.added"), 2);
    assert_eq!(count("response.output_item.done"), 2);
    assert!(count("response.output_text.delta") >= 2);
    assert!(count("response.reasoning_summary_text.delta") >= 2);
    let text: String = events
        .iter()
        .filter(|(n, _)| n == "response.output_text.delta")
        .map(|(_, d)| d["delta"].as_str().unwrap())
        .collect();
    assert_eq!(text, "You said: Hello emulator one two three");
    let summary: String = events
        .iter()
        .filter(|(n, _)| n == "response.reasoning_summary_text.delta")
        .map(|(_, d)| d["delta"].as_str().unwrap())
        .collect();
    assert_eq!(
        summary,
        "The user wrote: Hello emulator one two three. I will answer by repeating it."
    );
    let (last, done) = events.last().unwrap();
    assert_eq!(last, "response.completed");
    assert_eq!(done["response"]["status"], "completed");
    assert_eq!(
        done["response"]["output"][1]["content"][0]["text"],
        text.as_str()
    );
    assert_eq!(
        done["response"]["usage"]["output_tokens_details"]["reasoning_tokens"],
        17
    );
}

#[tokio::test]
async fn streamed_function_call_arguments() {
    let emulator = start().await;
    let events = stream_events(
        &emulator,
        json!({"model": OSS, "stream": true, "input": "Call get_weather", "tools": [weather_tool()],
               "tool_choice": "required"}),
    )
    .await;
    let added = &events[2].1;
    assert_eq!(added["item"]["type"], "function_call");
    assert_eq!(added["item"]["arguments"], "");
    assert_eq!(added["item"]["status"], "in_progress");
    let item_id = added["item"]["id"].as_str().unwrap();
    let deltas: Vec<&Value> = events
        .iter()
        .filter(|(n, _)| n == "response.function_call_arguments.delta")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(deltas.len(), 3);
    assert!(
        deltas
            .iter()
            .all(|d| d["item_id"] == item_id && d["output_index"] == 0)
    );
    let arguments: String = deltas
        .iter()
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    assert_eq!(arguments, r#"{"city":"city"}"#);
    let done = events
        .iter()
        .find(|(n, _)| n == "response.output_item.done")
        .unwrap();
    assert_eq!(done.1["item"]["arguments"], arguments.as_str());
    assert_eq!(events.last().unwrap().0, "response.completed");
}

#[tokio::test]
async fn a_cut_stream_ends_with_response_incomplete() {
    let emulator = start().await;
    let events = stream_events(
        &emulator,
        json!({"model": OSS, "stream": true, "input": "Hello emulator", "max_output_tokens": 1}),
    )
    .await;
    let (last, data) = events.last().unwrap();
    assert_eq!(last, "response.incomplete");
    assert_eq!(
        data["response"]["incomplete_details"]["reason"],
        "max_output_tokens"
    );
}
