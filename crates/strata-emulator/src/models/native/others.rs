//! Nova (`messages` + `inferenceConfig`), Llama (`prompt` + `max_gen_len`) and Mistral
//! (`prompt` + `max_tokens`) native bodies.

use bytes::Bytes;
use serde_json::{Value, json};

use super::{invocation_metrics, to_bytes};
use crate::models::ModelError;
use crate::models::catalog::ModelInfo;
use crate::models::chat::stream::TOKENS_PER_DELTA;
use crate::models::chat::{self, Block, Turn};
use crate::models::tokens::chunk;

/// A Nova native body is Converse-shaped except for `inferenceConfig` (`max_new_tokens`) and
/// `schemaVersion`.
pub(super) fn nova_to_converse(body: &Value) -> Result<Value, ModelError> {
    let mut converse = json!({});
    for key in ["messages", "system", "toolConfig"] {
        if let Some(v) = body.get(key) {
            converse[key] = v.clone();
        }
    }
    if body.get("messages").is_none() {
        return Err(ModelError::malformed(
            "#: required key [messages] not found",
        ));
    }
    if let Some(config) = body.get("inferenceConfig") {
        let mut out = json!({});
        if let Some(max) = config
            .get("max_new_tokens")
            .or_else(|| config.get("maxTokens"))
        {
            out["maxTokens"] = max.clone();
        }
        if let Some(stops) = config.get("stopSequences") {
            out["stopSequences"] = stops.clone();
        }
        converse["inferenceConfig"] = out;
    }
    if let Some(reasoning) = body.get("reasoningConfig") {
        converse["additionalModelRequestFields"] = json!({ "reasoningConfig": reasoning });
    }
    Ok(converse)
}

pub(super) fn nova_response(turn: &Turn) -> Value {
    json!({
        "output": {"message": {"role": "assistant", "content": turn.blocks.iter().map(chat::block_json).collect::<Vec<_>>()}},
        "stopReason": turn.stop_reason,
        "usage": {
            "inputTokens": turn.usage.input,
            "outputTokens": turn.usage.output,
            "totalTokens": turn.usage.input + turn.usage.output + turn.usage.cache_read + turn.usage.cache_write,
            "cacheReadInputTokenCount": turn.usage.cache_read,
            "cacheWriteInputTokenCount": turn.usage.cache_write
        }
    })
}

/// Nova chunks are the ConverseStream events wrapped as `{"<eventType>": payload}` (without
/// the padding member), the last carrying the invocation metrics.
pub(super) fn nova_stream(model: &ModelInfo, turn: &Turn) -> Vec<Bytes> {
    let events = chat::stream::events(model, &json!({}), turn);
    events
        .into_iter()
        .map(|event| {
            let mut payload = event.payload;
            if let Some(map) = payload.as_object_mut() {
                map.remove("p");
            }
            if event.event_type == "metadata" {
                let usage =
                    json!({"inputTokens": turn.usage.input, "outputTokens": turn.usage.output});
                return to_bytes(&json!({
                    "metadata": {"usage": usage, "metrics": {}, "trace": {}},
                    "amazon-bedrock-invocationMetrics": invocation_metrics(turn)
                }));
            }
            to_bytes(&json!({ event.event_type: payload }))
        })
        .collect()
}

/// The last `marker` … `end` segment of `prompt`, if the marker occurs.
fn segment<'a>(prompt: &'a str, marker: &str, end: &str) -> Option<&'a str> {
    let start = prompt.rfind(marker)? + marker.len();
    let rest = &prompt[start..];
    Some(rest.find(end).map_or(rest, |i| &rest[..i]).trim())
}

fn prompt_to_converse(
    body: &Value,
    max_key: &str,
    user: Option<&str>,
    system: Option<&str>,
) -> Result<Value, ModelError> {
    let prompt = body
        .get("prompt")
        .and_then(Value::as_str)
        .ok_or_else(|| ModelError::malformed("#: required key [prompt] not found"))?;
    let text = user.unwrap_or(prompt.trim());
    let mut converse = json!({"messages": [{"role": "user", "content": [{"text": text}]}]});
    if let Some(system) = system.filter(|s| !s.is_empty()) {
        converse["system"] = json!([{ "text": system }]);
    }
    if let Some(max) = body.get(max_key) {
        converse["inferenceConfig"] = json!({ "maxTokens": max });
    }
    if let Some(stops) = body.get("stop") {
        converse["inferenceConfig"]["stopSequences"] = stops.clone();
    }
    Ok(converse)
}

/// Llama: the last user turn of a Llama 3 chat template (or of `[INST]` markers), else the
/// whole prompt.
pub(super) fn llama_to_converse(body: &Value) -> Result<Value, ModelError> {
    let prompt = body
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let user = segment(
        prompt,
        "<|start_header_id|>user<|end_header_id|>",
        "<|eot_id|>",
    )
    .or_else(|| segment(prompt, "[INST]", "[/INST]"));
    let system = segment(
        prompt,
        "<|start_header_id|>system<|end_header_id|>",
        "<|eot_id|>",
    );
    prompt_to_converse(body, "max_gen_len", user, system)
}

/// Mistral: the last `[INST]` … `[/INST]` segment, else the whole prompt.
pub(super) fn mistral_to_converse(body: &Value) -> Result<Value, ModelError> {
    let prompt = body
        .get("prompt")
        .and_then(Value::as_str)
        .unwrap_or_default();
    prompt_to_converse(
        body,
        "max_tokens",
        segment(prompt, "[INST]", "[/INST]"),
        None,
    )
}

fn text_of(turn: &Turn) -> String {
    turn.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) | Block::Cited { text: t, .. } => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn finish(turn: &Turn) -> &'static str {
    if turn.stop_reason == "max_tokens" {
        "length"
    } else {
        "stop"
    }
}

pub(super) fn llama_response(turn: &Turn) -> Value {
    json!({
        "generation": text_of(turn),
        "prompt_token_count": turn.usage.input,
        "generation_token_count": turn.usage.output,
        "stop_reason": finish(turn)
    })
}

pub(super) fn llama_stream(turn: &Turn) -> Vec<Bytes> {
    let text = text_of(turn);
    let pieces = chunk(&text, TOKENS_PER_DELTA);
    let last = pieces.len() - 1;
    let mut generated = 0;
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            generated += crate::models::tokens::count_text(piece);
            let mut chunk = json!({
                "generation": piece,
                "prompt_token_count": if i == 0 { json!(turn.usage.input) } else { Value::Null },
                "generation_token_count": generated,
                "stop_reason": Value::Null
            });
            if i == last {
                chunk["stop_reason"] = json!(finish(turn));
                chunk["amazon-bedrock-invocationMetrics"] = invocation_metrics(turn);
            }
            to_bytes(&chunk)
        })
        .collect()
}

pub(super) fn mistral_response(turn: &Turn) -> Value {
    json!({"outputs": [{"text": text_of(turn), "stop_reason": finish(turn)}]})
}

pub(super) fn mistral_stream(turn: &Turn) -> Vec<Bytes> {
    let text = text_of(turn);
    let pieces = chunk(&text, TOKENS_PER_DELTA);
    let last = pieces.len() - 1;
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let mut chunk = json!({"outputs": [{"text": piece, "stop_reason": Value::Null}]});
            if i == last {
                chunk["outputs"][0]["stop_reason"] = json!(finish(turn));
                chunk["amazon-bedrock-invocationMetrics"] = invocation_metrics(turn);
            }
            to_bytes(&chunk)
        })
        .collect()
}
