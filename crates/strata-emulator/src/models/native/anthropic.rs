//! Anthropic Messages bodies on Bedrock (`anthropic_version: bedrock-2023-05-31`).

use bytes::Bytes;
use serde_json::{Value, json};

use super::{invocation_metrics, to_bytes};
use crate::models::ModelError;
use crate::models::catalog::ModelInfo;
use crate::models::chat::stream::{TOKENS_PER_DELTA, split_chars};
use crate::models::chat::{Block, Citation, Turn};
use crate::models::hash::{alphanumeric, fnv1a_parts};
use crate::models::tokens::chunk;

const ALLOWED: &[&str] = &[
    "anthropic_version",
    "anthropic_beta",
    "max_tokens",
    "messages",
    "system",
    "stop_sequences",
    "temperature",
    "top_p",
    "top_k",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
];

/// Converts an Anthropic Messages body into a Converse-shaped request.
pub(super) fn to_converse(body: &Value) -> Result<Value, ModelError> {
    let obj = body
        .as_object()
        .ok_or_else(|| ModelError::malformed("#: expected type: JSONObject, found: other"))?;
    if let Some(extra) = obj.keys().find(|k| !ALLOWED.contains(&k.as_str())) {
        return Err(ModelError::malformed(format!(
            "#: extraneous key [{extra}] is not permitted"
        )));
    }
    for key in ["anthropic_version", "max_tokens", "messages"] {
        if !obj.contains_key(key) {
            return Err(ModelError::malformed(format!(
                "#: required key [{key}] not found"
            )));
        }
    }
    if obj["anthropic_version"] != "bedrock-2023-05-31" {
        return Err(ModelError::malformed(format!(
            "#/anthropic_version: {} is not a valid enum value",
            obj["anthropic_version"]
        )));
    }
    let max_tokens = obj["max_tokens"]
        .as_u64()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ModelError::malformed("#/max_tokens: expected a positive integer"))?;
    let messages = obj["messages"]
        .as_array()
        .ok_or_else(|| ModelError::malformed("#/messages: expected type: JSONArray"))?;

    let mut converse = json!({"inferenceConfig": {"maxTokens": max_tokens}});
    converse["messages"] = Value::Array(
        messages
            .iter()
            .map(|m| json!({"role": m.get("role").cloned().unwrap_or(Value::Null), "content": content(m.get("content"))}))
            .collect(),
    );
    match obj.get("system") {
        Some(Value::String(text)) => converse["system"] = json!([{ "text": text }]),
        Some(list @ Value::Array(_)) => converse["system"] = Value::Array(content(Some(list))),
        _ => {}
    }
    if let Some(stops) = obj.get("stop_sequences") {
        converse["inferenceConfig"]["stopSequences"] = stops.clone();
    }
    if let Some(Value::Array(tools)) = obj.get("tools") {
        let mut specs = Vec::new();
        for tool in tools {
            let mut spec = json!({"name": tool.get("name").cloned().unwrap_or(Value::Null),
                "inputSchema": {"json": tool.get("input_schema").cloned().unwrap_or(json!({}))}});
            if let Some(description) = tool.get("description") {
                spec["description"] = description.clone();
            }
            specs.push(json!({ "toolSpec": spec }));
            if tool.get("cache_control").is_some() {
                specs.push(json!({"cachePoint": {"type": "default"}}));
            }
        }
        converse["toolConfig"] = json!({ "tools": specs });
        if let Some(choice) = obj.get("tool_choice") {
            converse["toolConfig"]["toolChoice"] = match choice.get("type").and_then(Value::as_str)
            {
                Some("any") => json!({"any": {}}),
                Some("tool") => {
                    json!({"tool": {"name": choice.get("name").cloned().unwrap_or(Value::Null)}})
                }
                Some("none") => json!({"none": {}}),
                _ => json!({"auto": {}}),
            };
        }
    }
    if let Some(thinking) = obj.get("thinking") {
        converse["additionalModelRequestFields"] = json!({ "thinking": thinking });
    }
    Ok(converse)
}

/// Anthropic content (string or block list) as Converse blocks.
fn content(value: Option<&Value>) -> Vec<Value> {
    let blocks = match value {
        Some(Value::String(text)) => return vec![json!({ "text": text })],
        Some(Value::Array(blocks)) => blocks,
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for block in blocks {
        let get = |k: &str| block.get(k).cloned().unwrap_or(Value::Null);
        let converted = match block.get("type").and_then(Value::as_str) {
            Some("text") => json!({"text": get("text")}),
            Some("image") => {
                let source = get("source");
                let format = source
                    .get("media_type")
                    .and_then(Value::as_str)
                    .and_then(|m| m.strip_prefix("image/"))
                    .unwrap_or("png")
                    .to_owned();
                json!({"image": {"format": format, "source": {"bytes": source.get("data").cloned().unwrap_or(Value::Null)}}})
            }
            Some("document") => document(block),
            Some("tool_use") => {
                json!({"toolUse": {"toolUseId": get("id"), "name": get("name"), "input": get("input")}})
            }
            Some("tool_result") => {
                let mut result = json!({"toolUseId": get("tool_use_id"), "content": content(block.get("content"))});
                if block.get("is_error").and_then(Value::as_bool) == Some(true) {
                    result["status"] = json!("error");
                }
                json!({ "toolResult": result })
            }
            Some("thinking") => {
                json!({"reasoningContent": {"reasoningText": {"text": get("thinking"), "signature": get("signature")}}})
            }
            _ => json!({"text": serde_json::to_string(block).unwrap_or_default()}),
        };
        out.push(converted);
        if block.get("cache_control").is_some() {
            out.push(json!({"cachePoint": {"type": "default"}}));
        }
    }
    out
}

fn document(block: &Value) -> Value {
    let source = block.get("source").cloned().unwrap_or(Value::Null);
    let name = block
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("document");
    let (format, converse_source) = match source.get("type").and_then(Value::as_str) {
        Some("text") => (
            "txt",
            json!({"text": source.get("data").cloned().unwrap_or(Value::Null)}),
        ),
        Some("content") => ("txt", json!({"content": content(source.get("content"))})),
        _ => (
            "pdf",
            json!({"bytes": source.get("data").cloned().unwrap_or(Value::Null)}),
        ),
    };
    let mut doc = json!({"format": format, "name": name, "source": converse_source});
    if let Some(citations) = block.get("citations") {
        doc["citations"] = citations.clone();
    }
    json!({ "document": doc })
}

fn tool_id(id: &str) -> String {
    format!("toolu_bdrk_01{}", id.strip_prefix("tooluse_").unwrap_or(id))
}

fn citation(citation: &Citation) -> Value {
    let mut out = json!({"cited_text": citation.quoted, "document_index": citation.document_index, "document_title": citation.title});
    let (kind, start, end) = match citation.location {
        "documentPage" => ("page_location", "start_page_number", "end_page_number"),
        "documentChunk" => (
            "content_block_location",
            "start_block_index",
            "end_block_index",
        ),
        _ => ("char_location", "start_char_index", "end_char_index"),
    };
    out["type"] = json!(kind);
    out[start] = json!(citation.start);
    out[end] = json!(citation.end);
    out
}

fn block(block: &Block) -> Value {
    match block {
        Block::Reasoning { text, signature } => {
            json!({"type": "thinking", "thinking": text, "signature": signature})
        }
        Block::Text(text) => json!({"type": "text", "text": text}),
        Block::Cited { text, citation: c } => {
            json!({"type": "text", "text": text, "citations": [citation(c)]})
        }
        Block::ToolUse { id, name, input } => {
            json!({"type": "tool_use", "id": tool_id(id), "name": name, "input": input})
        }
    }
}

fn message_id(model: &ModelInfo, turn: &Turn) -> String {
    let blocks: Vec<Value> = turn.blocks.iter().map(block).collect();
    let content = serde_json::to_vec(&blocks).unwrap_or_default();
    let seed = fnv1a_parts(&[model.id.as_bytes(), &content]);
    format!("msg_bdrk_01{}", alphanumeric(seed, 22))
}

fn usage(turn: &Turn, output: u64) -> Value {
    json!({
        "input_tokens": turn.usage.input,
        "cache_creation_input_tokens": turn.usage.cache_write,
        "cache_read_input_tokens": turn.usage.cache_read,
        "output_tokens": output
    })
}

/// The InvokeModel response body.
pub(super) fn response(model: &ModelInfo, turn: &Turn) -> Value {
    json!({
        "id": message_id(model, turn),
        "type": "message",
        "role": "assistant",
        "model": model.id,
        "content": turn.blocks.iter().map(block).collect::<Vec<_>>(),
        "stop_reason": turn.stop_reason,
        "stop_sequence": turn.stop_sequence,
        "usage": usage(turn, turn.usage.output)
    })
}

/// The InvokeModelWithResponseStream chunk payloads.
pub(super) fn stream(model: &ModelInfo, turn: &Turn) -> Vec<Bytes> {
    let mut chunks = vec![json!({"type": "message_start", "message": {
        "id": message_id(model, turn), "type": "message", "role": "assistant", "model": model.id,
        "content": [], "stop_reason": null, "stop_sequence": null, "usage": usage(turn, 1)
    }})];
    for (index, b) in turn.blocks.iter().enumerate() {
        let delta =
            |delta: Value| json!({"type": "content_block_delta", "index": index, "delta": delta});
        let start = match b {
            Block::Reasoning { .. } => json!({"type": "thinking", "thinking": "", "signature": ""}),
            Block::Text(_) => json!({"type": "text", "text": ""}),
            Block::Cited { .. } => json!({"type": "text", "text": "", "citations": []}),
            Block::ToolUse { id, name, .. } => {
                json!({"type": "tool_use", "id": tool_id(id), "name": name, "input": {}})
            }
        };
        chunks.push(json!({"type": "content_block_start", "index": index, "content_block": start}));
        match b {
            Block::Reasoning { text, signature } => {
                chunks.extend(
                    chunk(text, TOKENS_PER_DELTA)
                        .into_iter()
                        .map(|t| delta(json!({"type": "thinking_delta", "thinking": t}))),
                );
                chunks.push(delta(
                    json!({"type": "signature_delta", "signature": signature}),
                ));
            }
            Block::Text(text) => {
                chunks.extend(
                    chunk(text, TOKENS_PER_DELTA)
                        .into_iter()
                        .map(|t| delta(json!({"type": "text_delta", "text": t}))),
                );
            }
            Block::Cited { text, citation: c } => {
                chunks.push(delta(
                    json!({"type": "citations_delta", "citation": citation(c)}),
                ));
                chunks.extend(
                    chunk(text, TOKENS_PER_DELTA)
                        .into_iter()
                        .map(|t| delta(json!({"type": "text_delta", "text": t}))),
                );
            }
            Block::ToolUse { input, .. } => {
                let json = serde_json::to_string(input).unwrap_or_default();
                chunks.extend(
                    split_chars(&json, 3)
                        .into_iter()
                        .map(|p| delta(json!({"type": "input_json_delta", "partial_json": p}))),
                );
            }
        }
        chunks.push(json!({"type": "content_block_stop", "index": index}));
    }
    chunks.push(json!({"type": "message_delta",
        "delta": {"stop_reason": turn.stop_reason, "stop_sequence": turn.stop_sequence},
        "usage": {"output_tokens": turn.usage.output}}));
    chunks.push(json!({"type": "message_stop", "amazon-bedrock-invocationMetrics": invocation_metrics(turn)}));
    chunks.iter().map(to_bytes).collect()
}
