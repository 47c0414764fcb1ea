//! Random, mostly-malformed requests against every model and operation: each must answer
//! `Ok` or a typed error, never panic.

use serde_json::{Map, Value, json};

use super::hash::SplitMix64;
use super::{catalog, chat, invoke, rerank, tokens};

const KEYS: &[&str] = &[
    "messages",
    "role",
    "content",
    "text",
    "system",
    "inferenceConfig",
    "maxTokens",
    "stopSequences",
    "toolConfig",
    "tools",
    "toolSpec",
    "name",
    "inputSchema",
    "json",
    "toolChoice",
    "any",
    "tool",
    "auto",
    "toolUse",
    "toolResult",
    "toolUseId",
    "input",
    "document",
    "source",
    "citations",
    "enabled",
    "image",
    "cachePoint",
    "additionalModelRequestFields",
    "thinking",
    "budget_tokens",
    "reasoningConfig",
    "type",
    "outputConfig",
    "textFormat",
    "structure",
    "jsonSchema",
    "schema",
    "guardrailConfig",
    "trace",
    "anthropic_version",
    "max_tokens",
    "prompt",
    "max_gen_len",
    "inputText",
    "dimensions",
    "normalize",
    "embeddingTypes",
    "texts",
    "images",
    "input_type",
    "embedding_types",
    "output_dimension",
    "taskType",
    "textToImageParams",
    "imageGenerationConfig",
    "width",
    "height",
    "numberOfImages",
    "queries",
    "sources",
    "textQuery",
    "inlineDocumentSource",
    "textDocument",
    "rerankingConfiguration",
    "properties",
    "required",
    "items",
    "$ref",
    "enum",
    "query",
    "documents",
    "input",
    "converse",
    "invokeModel",
    "body",
];
const STRINGS: &[&str] = &[
    "user",
    "assistant",
    "hello tool world",
    "",
    "TEXT_IMAGE",
    "bedrock-2023-05-31",
    "object",
    "string",
    "array",
    "#",
    "#/$defs/x",
    "enabled",
    "search_document",
    "float",
    "int8",
    "binary",
    "INLINE",
    "TEXT",
    "amazon.rerank-v1:0",
    "eyJ9",
    "default",
    "enabled_full",
    "INPAINTING",
    "BACKGROUND_REMOVAL",
];

fn value(rng: &mut SplitMix64, depth: u32) -> Value {
    let pick = |rng: &mut SplitMix64, n: usize| (rng.next_u64() % n as u64) as usize;
    match (pick(rng, if depth > 4 { 4 } else { 7 }), depth) {
        (0, _) => Value::Null,
        (1, _) => json!(rng.next_u64() % 5000),
        (2, _) => json!(STRINGS[pick(rng, STRINGS.len())]),
        (3, _) => json!(rng.next_u64().is_multiple_of(2)),
        (4 | 5, _) => {
            let mut map = Map::new();
            for _ in 0..pick(rng, 5) {
                map.insert(
                    KEYS[pick(rng, KEYS.len())].to_owned(),
                    value(rng, depth + 1),
                );
            }
            Value::Object(map)
        }
        _ => Value::Array((0..pick(rng, 4)).map(|_| value(rng, depth + 1)).collect()),
    }
}

/// Replaces one random node of `v` with a random value.
fn mutate(v: &mut Value, rng: &mut SplitMix64) {
    let children = match v {
        Value::Object(map) => map.len(),
        Value::Array(list) => list.len(),
        _ => 0,
    };
    if children == 0 || rng.next_u64().is_multiple_of(4) {
        *v = value(rng, 3);
        return;
    }
    let i = (rng.next_u64() % children as u64) as usize;
    match v {
        Value::Object(map) => mutate(map.values_mut().nth(i).unwrap(), rng),
        Value::Array(list) => mutate(&mut list[i], rng),
        _ => {}
    }
}

fn templates() -> Vec<Value> {
    let schema = json!({"type": "object", "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/x"}}},
        "required": ["a"], "$defs": {"x": {"type": "string", "minLength": 3}}});
    vec![
        json!({"messages": [
            {"role": "user", "content": [{"text": "use t"}, {"document": {"format": "txt", "name": "d",
                "source": {"text": "One. Two."}, "citations": {"enabled": true}}}, {"cachePoint": {"type": "default"}}]},
            {"role": "assistant", "content": [{"toolUse": {"toolUseId": "x", "name": "t", "input": {}}}]},
            {"role": "user", "content": [{"toolResult": {"toolUseId": "x", "content": [{"json": {"k": 1}}]}}]}],
          "system": [{"text": "s"}, {"cachePoint": {"type": "default"}}],
          "inferenceConfig": {"maxTokens": 2000, "stopSequences": ["x"]},
          "toolConfig": {"tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": schema}}}], "toolChoice": {"any": {}}},
          "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}},
          "outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": schema.to_string()}}}},
          "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1", "trace": "enabled"}}),
        json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "system": [{"type": "text", "text": "s", "cache_control": {}}],
          "messages": [{"role": "user", "content": [{"type": "text", "text": "hi t"},
            {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "c"}]}, "citations": {"enabled": true}}]}],
          "tools": [{"name": "t", "input_schema": schema}], "tool_choice": {"type": "tool", "name": "t"}}),
        json!({"prompt": "<|start_header_id|>user<|end_header_id|>hi<|eot_id|>", "max_gen_len": 10}),
        json!({"inputText": "x", "dimensions": 256, "embeddingTypes": ["binary"]}),
        json!({"texts": ["a"], "input_type": "clustering", "embedding_types": ["int8", "ubinary"], "output_dimension": 256}),
        json!({"taskType": "COLOR_GUIDED_GENERATION", "colorGuidedGenerationParams": {"colors": ["#000000"], "text": "t"},
          "imageGenerationConfig": {"width": 320, "height": 320, "numberOfImages": 1}}),
        json!({"queries": [{"type": "TEXT", "textQuery": {"text": "q"}}],
          "sources": [{"type": "INLINE", "inlineDocumentSource": {"type": "JSON", "jsonDocument": {"q": 1}}}],
          "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
            "numberOfResults": 1, "modelConfiguration": {"modelArn": "amazon.rerank-v1:0"}}}}),
    ]
}

fn exercise(models: &[catalog::ModelInfo], request: &Value) {
    let body = serde_json::to_vec(request).unwrap();
    let _ = rerank::rerank(request);
    for model in models {
        let _ = chat::converse(model, request);
        let _ = chat::converse_stream(model, request);
        let _ = tokens::count_tokens(model, &json!({"input": {"converse": request}}));
        let _ = invoke::invoke(model, &body);
        let _ = invoke::invoke_stream(model, &body);
    }
}

#[test]
fn mutated_requests_never_panic() {
    let models: Vec<_> = [
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "us.anthropic.claude-sonnet-4-20250514-v1:0",
        "amazon.nova-lite-v1:0",
        "meta.llama3-8b-instruct-v1:0",
        "amazon.titan-embed-text-v2:0",
        "cohere.embed-v4:0",
        "amazon.nova-canvas-v1:0",
        "cohere.rerank-v3-5:0",
    ]
    .iter()
    .map(|id| catalog::resolve(id).unwrap())
    .collect();
    let mut rng = SplitMix64::new(7);
    for template in templates() {
        exercise(&models, &template);
        for _ in 0..150 {
            let mut request = template.clone();
            mutate(&mut request, &mut rng);
            mutate(&mut request, &mut rng);
            exercise(&models, &request);
        }
    }
}

#[test]
fn random_requests_never_panic() {
    let models: Vec<_> = catalog::model_ids()
        .filter_map(|id| {
            catalog::resolve(id)
                .or_else(|_| catalog::resolve(&format!("us.{id}")))
                .ok()
        })
        .collect();
    let mut rng = SplitMix64::new(2024);
    for _ in 0..400 {
        let request = value(&mut rng, 0);
        let body = serde_json::to_vec(&request).unwrap();
        let _ = rerank::rerank(&request);
        for model in &models {
            let _ = chat::converse(model, &request);
            let _ = chat::converse_stream(model, &request);
            let _ = tokens::count_tokens(model, &request);
            let _ = invoke::invoke(model, &body);
            let _ = invoke::invoke_stream(model, &body);
        }
    }
}
