use base64::Engine as _;
use serde_json::{Value, json};

use crate::models::catalog::resolve;
use crate::models::invoke::{invoke, invoke_stream};
use crate::models::tokens::count_tokens;

fn call(id: &str, body: &Value) -> Result<Value, String> {
    invoke(&resolve(id).unwrap(), body.to_string().as_bytes())
        .map(|out| serde_json::from_slice(&out.body).unwrap())
        .map_err(|e| e.message().to_owned())
}

fn chunks(id: &str, body: &Value) -> Vec<Value> {
    invoke_stream(&resolve(id).unwrap(), body.to_string().as_bytes())
        .unwrap()
        .iter()
        .map(|c| serde_json::from_slice(c).unwrap())
        .collect()
}

const HAIKU: &str = "anthropic.claude-3-5-haiku-20241022-v1:0";

fn anthropic(messages: Value) -> Value {
    json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200, "messages": messages})
}

#[test]
fn anthropic_text_response() {
    let body =
        anthropic(json!([{"role": "user", "content": [{"type": "text", "text": "Hello Claude"}]}]));
    let response = call(HAIKU, &body).unwrap();
    let id = response["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("msg_bdrk_01") && id.len() == 33, "{id}");
    assert_eq!(
        response,
        json!({
            "id": id,
            "type": "message",
            "role": "assistant",
            "model": HAIKU,
            "content": [{"type": "text", "text": "You said: Hello Claude"}],
            "stop_reason": "end_turn",
            "stop_sequence": null,
            "usage": {"input_tokens": 2, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 5}
        })
    );
}

#[test]
fn anthropic_stream_chunks() {
    let mut body = anthropic(json!([{"role": "user", "content": "one two three four"}]));
    body["system"] = json!("Be nice");
    let chunks = chunks(HAIKU, &body);
    let types: Vec<&str> = chunks.iter().map(|c| c["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    assert_eq!(chunks[0]["message"]["usage"]["input_tokens"], 6);
    assert_eq!(
        chunks[1]["content_block"],
        json!({"type": "text", "text": ""})
    );
    let text: String = chunks
        .iter()
        .filter_map(|c| c["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "You said: one two three four");
    assert_eq!(
        chunks[6]["delta"],
        json!({"stop_reason": "end_turn", "stop_sequence": null})
    );
    assert_eq!(chunks[6]["usage"], json!({"output_tokens": 7}));
    assert_eq!(
        chunks[7]["amazon-bedrock-invocationMetrics"],
        json!({"inputTokenCount": 6, "outputTokenCount": 7, "invocationLatency": 107, "firstByteLatency": 53})
    );
}

#[test]
fn anthropic_tools_thinking_and_citations() {
    let mut body = anthropic(json!([{"role": "user", "content": "call lookup please"}]));
    body["tools"] = json!([{"name": "lookup", "description": "Find", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}}]);
    let response = call(HAIKU, &body).unwrap();
    assert_eq!(response["stop_reason"], "tool_use");
    let tool = &response["content"][0];
    assert_eq!(tool["type"], "tool_use");
    assert_eq!(tool["input"], json!({"q": "q"}));
    assert!(tool["id"].as_str().unwrap().starts_with("toolu_bdrk_01"));
    let streamed = chunks(HAIKU, &body);
    let partial: String = streamed
        .iter()
        .filter_map(|c| c["delta"]["partial_json"].as_str())
        .collect();
    assert_eq!(partial, "{\"q\":\"q\"}");

    // The tool result round trip, in Anthropic's shapes.
    let follow_up = anthropic(json!([
        {"role": "user", "content": "call lookup please"},
        {"role": "assistant", "content": [tool]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool["id"], "content": "42"}]}
    ]));
    let mut follow_up = follow_up;
    follow_up["tools"] = body["tools"].clone();
    assert_eq!(
        call(HAIKU, &follow_up).unwrap()["content"][0]["text"],
        "Tool lookup returned: 42"
    );

    let mut thinking = anthropic(json!([{"role": "user", "content": "hmm"}]));
    thinking["max_tokens"] = json!(4000);
    thinking["thinking"] = json!({"type": "enabled", "budget_tokens": 2000});
    let sonnet = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    let response = call(sonnet, &thinking).unwrap();
    assert_eq!(response["content"][0]["type"], "thinking");
    assert!(response["content"][0]["signature"].as_str().unwrap().len() > 20);
    let streamed = chunks(sonnet, &thinking);
    assert!(
        streamed
            .iter()
            .any(|c| c["delta"]["type"] == "signature_delta")
    );

    let cited = anthropic(json!([{"role": "user", "content": [
        {"type": "document", "title": "Doc", "source": {"type": "text", "media_type": "text/plain", "data": "Sky is blue. Grass is green."}, "citations": {"enabled": true}},
        {"type": "text", "text": "colour?"}
    ]}]));
    let response = call(HAIKU, &cited).unwrap();
    assert_eq!(
        response["content"][0],
        json!({"type": "text", "text": "According to Doc: Sky is blue.", "citations": [{
            "type": "char_location", "cited_text": "Sky is blue.", "document_index": 0,
            "document_title": "Doc", "start_char_index": 0, "end_char_index": 12
        }]})
    );
}

#[test]
fn anthropic_cache_control_reads_with_a_cache() {
    let mut body = anthropic(json!([{"role": "user", "content": "hi"}]));
    body["system"] = json!([{"type": "text", "text": "A long shared preamble", "cache_control": {"type": "ephemeral"}}]);
    let model = resolve(HAIKU).unwrap();
    let bytes = body.to_string();
    let mut cache = crate::models::chat::PromptCache::new();
    let usage = |out: crate::models::invoke::InvokeOutput| {
        serde_json::from_slice::<Value>(&out.body).unwrap()["usage"].clone()
    };
    let first =
        usage(crate::models::invoke::invoke_cached(&model, bytes.as_bytes(), &mut cache).unwrap());
    assert_eq!(
        first,
        json!({"input_tokens": 1, "cache_creation_input_tokens": 4, "cache_read_input_tokens": 0, "output_tokens": 4})
    );
    let second =
        usage(crate::models::invoke::invoke_cached(&model, bytes.as_bytes(), &mut cache).unwrap());
    assert_eq!(
        second,
        json!({"input_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 4, "output_tokens": 4})
    );
    let streamed =
        crate::models::invoke::invoke_stream_cached(&model, bytes.as_bytes(), &mut cache).unwrap();
    let start: Value = serde_json::from_slice(&streamed[0]).unwrap();
    assert_eq!(start["message"]["usage"]["cache_read_input_tokens"], 4);
}

#[test]
fn anthropic_validation() {
    let no_max = json!({"anthropic_version": "bedrock-2023-05-31", "messages": []});
    assert_eq!(
        call(HAIKU, &no_max).unwrap_err(),
        "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again."
    );
    let mut extra = anthropic(json!([{"role": "user", "content": "x"}]));
    extra["model"] = json!("claude");
    assert!(
        call(HAIKU, &extra)
            .unwrap_err()
            .contains("#: extraneous key [model] is not permitted")
    );
    let mut version = anthropic(json!([{"role": "user", "content": "x"}]));
    version["anthropic_version"] = json!("2023-06-01");
    assert!(
        call(HAIKU, &version)
            .unwrap_err()
            .contains("#/anthropic_version: \"2023-06-01\" is not a valid enum value")
    );
    let mut stop = anthropic(json!([{"role": "user", "content": "a b HALT c"}]));
    stop["stop_sequences"] = json!(["HALT"]);
    let response = call(HAIKU, &stop).unwrap();
    assert_eq!(
        (
            response["stop_reason"].as_str(),
            response["stop_sequence"].as_str()
        ),
        (Some("stop_sequence"), Some("HALT"))
    );
}

#[test]
fn nova_native() {
    let body = json!({"schemaVersion": "messages-v1", "system": [{"text": "sys"}],
        "messages": [{"role": "user", "content": [{"text": "alpha beta gamma"}]}],
        "inferenceConfig": {"max_new_tokens": 3}});
    let response = call("amazon.nova-micro-v1:0", &body).unwrap();
    assert_eq!(
        response,
        json!({
            "output": {"message": {"role": "assistant", "content": [{"text": "You said:"}]}},
            "stopReason": "max_tokens",
            "usage": {"inputTokens": 4, "outputTokens": 3, "totalTokens": 7, "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0}
        })
    );
    let streamed = chunks("amazon.nova-micro-v1:0", &body);
    assert_eq!(streamed[0], json!({"messageStart": {"role": "assistant"}}));
    assert_eq!(
        streamed[1],
        json!({"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "You said:"}}})
    );
    let last = streamed.last().unwrap();
    assert_eq!(
        last["metadata"]["usage"],
        json!({"inputTokens": 4, "outputTokens": 3})
    );
    assert_eq!(
        last["amazon-bedrock-invocationMetrics"]["outputTokenCount"],
        3
    );
    assert!(
        call("amazon.nova-micro-v1:0", &json!({"inferenceConfig": {}}))
            .unwrap_err()
            .contains("[messages]")
    );
}

#[test]
fn llama_and_mistral_native() {
    let prompt = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi llama<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
    let body = json!({"prompt": prompt, "max_gen_len": 512});
    assert_eq!(
        call("meta.llama3-8b-instruct-v1:0", &body).unwrap(),
        json!({"generation": "You said: Hi llama", "prompt_token_count": 4, "generation_token_count": 5, "stop_reason": "stop"})
    );
    let streamed = chunks("meta.llama3-8b-instruct-v1:0", &body);
    assert_eq!(streamed.len(), 2);
    assert_eq!(streamed[0]["prompt_token_count"], 4);
    assert_eq!(streamed[1]["prompt_token_count"], Value::Null);
    assert_eq!(streamed[1]["generation_token_count"], 5);
    assert_eq!(streamed[1]["stop_reason"], "stop");
    assert!(streamed[1]["amazon-bedrock-invocationMetrics"].is_object());
    let short = json!({"prompt": "plain words here", "max_gen_len": 2});
    assert_eq!(
        call("meta.llama3-8b-instruct-v1:0", &short).unwrap()["stop_reason"],
        "length"
    );

    let mistral = json!({"prompt": "<s>[INST] Bonjour [/INST]", "max_tokens": 50});
    assert_eq!(
        call("mistral.mistral-7b-instruct-v0:2", &mistral).unwrap(),
        json!({"outputs": [{"text": "You said: Bonjour", "stop_reason": "stop"}]})
    );
    let streamed = chunks("mistral.mistral-7b-instruct-v0:2", &mistral);
    assert_eq!(
        streamed.last().unwrap()["outputs"][0]["stop_reason"],
        "stop"
    );
}

#[test]
fn count_tokens_of_native_bodies_matches_usage() {
    let body = anthropic(json!([{"role": "user", "content": "count these five words"}]));
    let usage = call(HAIKU, &body).unwrap()["usage"]["input_tokens"].clone();
    let encoded = base64::engine::general_purpose::STANDARD.encode(body.to_string());
    let counted = count_tokens(
        &resolve(HAIKU).unwrap(),
        &json!({"input": {"invokeModel": {"body": encoded}}}),
    )
    .unwrap();
    assert_eq!(counted, json!({"inputTokens": usage}));
    let model = resolve(HAIKU).unwrap();
    assert!(
        count_tokens(&model, &json!({"input": {"invokeModel": {"body": "%%%"}}}))
            .unwrap_err()
            .message()
            .contains("not valid base64")
    );
    assert!(count_tokens(&model, &json!({"input": {}})).is_err());
    let embed = resolve("amazon.titan-embed-text-v2:0").unwrap();
    assert!(
        count_tokens(&embed, &json!({"input": {"converse": {}}}))
            .unwrap_err()
            .message()
            .contains("doesn't support counting tokens")
    );
}
