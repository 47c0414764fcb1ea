//! Native chat bodies for InvokeModel: each is converted to a Converse-shaped request, answered
//! by the chat rule, and rendered in the family's own response and stream-chunk shapes.

mod anthropic;
mod others;

use bytes::Bytes;
use serde_json::{Value, json};

use super::ModelError;
use super::catalog::{Family, ModelInfo};
use super::chat::{self, PromptCache, Turn};

/// The error for a body that is not a JSON object.
pub(crate) fn malformed_json() -> ModelError {
    ModelError::malformed("#: the body is not a valid JSON object")
}

/// Parses `body` as a JSON object.
pub(crate) fn parse_object(body: &[u8]) -> Result<Value, ModelError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(malformed_json()),
    }
}

/// Converts a native chat body for `model` into a Converse-shaped request.
pub(crate) fn to_converse(model: &ModelInfo, body: &[u8]) -> Result<Value, ModelError> {
    let body = parse_object(body)?;
    match model.family {
        Family::Anthropic => anthropic::to_converse(&body),
        Family::Nova => others::nova_to_converse(&body),
        Family::Llama => others::llama_to_converse(&body),
        Family::Mistral => others::mistral_to_converse(&body),
        Family::OpenAi => crate::openai::native_to_converse(model, &body),
        _ => Err(ModelError::validation(format!(
            "The provided model {} doesn't support counting tokens.",
            model.id
        ))),
    }
}

fn answer(
    model: &ModelInfo,
    body: &[u8],
    cache: Option<&mut PromptCache>,
) -> Result<Turn, ModelError> {
    let converse = to_converse(model, body)?;
    chat::turn(model, &converse, cache)
}

/// The InvokeModel response body for a chat model.
pub(crate) fn respond(
    model: &ModelInfo,
    body: &[u8],
    cache: Option<&mut PromptCache>,
) -> Result<Value, ModelError> {
    let turn = answer(model, body, cache)?;
    Ok(match model.family {
        Family::Anthropic => anthropic::response(model, &turn),
        Family::Nova => others::nova_response(&turn),
        Family::Llama => others::llama_response(&turn),
        Family::OpenAi => crate::openai::native_completion(model, &turn),
        _ => others::mistral_response(&turn),
    })
}

/// The InvokeModelWithResponseStream chunk payloads for a chat model.
pub(crate) fn stream(
    model: &ModelInfo,
    body: &[u8],
    cache: Option<&mut PromptCache>,
) -> Result<Vec<Bytes>, ModelError> {
    let turn = answer(model, body, cache)?;
    Ok(match model.family {
        Family::Anthropic => anthropic::stream(model, &turn),
        Family::Nova => others::nova_stream(model, &turn),
        Family::Llama => others::llama_stream(&turn),
        Family::OpenAi => crate::openai::native_chunks(model, &turn),
        _ => others::mistral_stream(&turn),
    })
}

/// `amazon-bedrock-invocationMetrics` of the last chunk.
pub(crate) fn invocation_metrics(turn: &Turn) -> Value {
    json!({
        "inputTokenCount": turn.usage.input,
        "outputTokenCount": turn.usage.output,
        "invocationLatency": turn.latency_ms,
        "firstByteLatency": turn.latency_ms / 2
    })
}

pub(crate) fn to_bytes(value: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

#[cfg(test)]
mod tests;
