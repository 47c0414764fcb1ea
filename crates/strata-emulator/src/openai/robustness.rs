//! Random, mostly-malformed OpenAI requests through every translator and renderer: each must
//! answer `Ok` or a typed error, never panic.

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::{answer, chat, embeddings, responses};
use crate::models::catalog;
use crate::models::hash::SplitMix64;
use crate::routes;

const KEYS: &[&str] = &[
    "model",
    "messages",
    "role",
    "content",
    "type",
    "text",
    "tool_calls",
    "id",
    "function",
    "name",
    "arguments",
    "tool_call_id",
    "tools",
    "parameters",
    "tool_choice",
    "stream",
    "stream_options",
    "include_usage",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "reasoning_effort",
    "response_format",
    "json_schema",
    "schema",
    "input",
    "instructions",
    "call_id",
    "output",
    "reasoning",
    "effort",
    "summary",
    "format",
    "max_output_tokens",
    "image_url",
    "url",
    "file",
    "file_data",
    "dimensions",
    "encoding_format",
    "include",
];
const STRINGS: &[&str] = &[
    "user",
    "assistant",
    "system",
    "developer",
    "tool",
    "function",
    "text",
    "image_url",
    "input_text",
    "function_call",
    "function_call_output",
    "message",
    "json_schema",
    "json_object",
    "low",
    "high",
    "none",
    "auto",
    "required",
    "base64",
    "",
    " ",
    "{",
    "{\"a\":1}",
    "data:image/png;base64,AAAA",
    "openai.gpt-oss-20b-1:0",
];

fn value(rng: &mut SplitMix64, depth: u32) -> Value {
    let pick = |rng: &mut SplitMix64, n: usize| (rng.next_u64() % n as u64) as usize;
    match pick(rng, if depth == 0 { 4 } else { 7 }) {
        0 => Value::Null,
        1 => json!(pick(rng, 3) == 0),
        2 => json!(pick(rng, 5000) as i64 - 10),
        3 => json!(STRINGS[pick(rng, STRINGS.len())]),
        4 | 5 => {
            let mut map = Map::new();
            for _ in 0..pick(rng, 5) {
                map.insert(
                    KEYS[pick(rng, KEYS.len())].to_owned(),
                    value(rng, depth - 1),
                );
            }
            Value::Object(map)
        }
        _ => Value::Array((0..pick(rng, 4)).map(|_| value(rng, depth - 1)).collect()),
    }
}

/// A well-formed chat (`chat`) or Responses request with one random member replaced.
fn near_valid(rng: &mut SplitMix64, chat: bool) -> Value {
    let mut request = if chat {
        json!({
            "model": "openai.gpt-oss-20b-1:0",
            "messages": [{"role": "user", "content": "Call get_weather"}],
            "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
            "stream": true,
        })
    } else {
        json!({
            "model": "openai.gpt-oss-20b-1:0",
            "input": [{"role": "user", "content": "Call get_weather"}],
            "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}],
            "stream": true,
        })
    };
    let keys: Vec<String> = request.as_object().unwrap().keys().cloned().collect();
    let key = &keys[(rng.next_u64() % keys.len() as u64) as usize];
    request[key] = value(rng, 3);
    request
}

#[tokio::test]
async fn random_requests_never_panic() {
    let state = routes::State::default();
    let models: Vec<_> = [
        "openai.gpt-oss-20b-1:0",
        "us.anthropic.claude-sonnet-4-20250514-v1:0",
        "meta.llama3-8b-instruct-v1:0",
        "amazon.titan-embed-text-v2:0",
    ]
    .iter()
    .map(|id| catalog::resolve(id).unwrap())
    .collect();
    let mut rng = SplitMix64::new(7);
    let mut answered = 0;
    for round in 0..3000 {
        let request = match round % 3 {
            0 => near_valid(&mut rng, true),
            1 => near_valid(&mut rng, false),
            _ => value(&mut rng, 4),
        };
        for model in &models {
            let _ = chat::parse(model, &request);
            let _ = responses::parse(model, &request);
            let _ = embeddings::embed(model, &request);
        }
        let body = Bytes::from(request.to_string());
        for route in [super::Route::ChatCompletions, super::Route::Responses] {
            answered += usize::from(answer(&state, &route, &body, None, 0).is_ok());
        }
    }
    // The near-valid requests must reach the renderers, not only the validators.
    assert!(answered > 200, "{answered}");
}
