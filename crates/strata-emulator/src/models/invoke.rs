//! InvokeModel and InvokeModelWithResponseStream: native request bodies by model family.
//!
//! | family | request | response |
//! |---|---|---|
//! | Anthropic | Messages API (`anthropic_version: bedrock-2023-05-31`, `max_tokens`, `messages`, `system`, `tools`, `thinking`, …) | `{"id", "type": "message", "content", "stop_reason", "usage", …}`; stream chunks `message_start` … `message_stop` with `amazon-bedrock-invocationMetrics` |
//! | Nova | `messages`, `system`, `inferenceConfig` (`max_new_tokens`, `stopSequences`), `toolConfig` | `{"output": {"message"}, "stopReason", "usage"}`; stream chunks `{"messageStart": …}` … `{"metadata": …}` |
//! | Llama | `prompt`, `max_gen_len` | `{"generation", "prompt_token_count", "generation_token_count", "stop_reason"}` |
//! | Mistral | `prompt`, `max_tokens`, `stop` | `{"outputs": [{"text", "stop_reason"}]}` |
//! | OpenAI (gpt-oss) | Chat Completions (`messages`, `max_completion_tokens`, `tools`, `reasoning_effort`, …) | `chat.completion`; stream chunks are `chat.completion.chunk`s, the last with `usage` (see [`crate::openai`]) |
//! | Titan / Cohere embeddings | see [`crate::models::embeddings`] | |
//! | Nova Canvas / Titan Image | see [`crate::models::images`] | |
//! | Amazon Rerank | `query`, `documents`, `num_results` | `{"results": [{"index", "relevance_score"}]}` |
//! | Cohere Rerank | `query`, `documents`, `top_n`, `api_version` | `{"id", "results": [{"index", "relevance_score"}]}` |
//!
//! Chat replies follow [`crate::models::chat`]; [`invoke_cached`] and [`invoke_stream_cached`]
//! report repeated cache prefixes as cache reads. Only chat models stream; others get
//! Bedrock's `ValidationException`.
//!
//! ```
//! use strata_emulator::models::{catalog, invoke};
//!
//! let model = catalog::resolve("anthropic.claude-3-haiku-20240307-v1:0").unwrap();
//! let body = br#"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
//!                 "messages": [{"role": "user", "content": "Hi"}]}"#;
//! let out = invoke::invoke(&model, body).unwrap();
//! assert_eq!(out.content_type, "application/json");
//! let json: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
//! assert_eq!(json["content"][0]["text"], "You said: Hi");
//!
//! let chunks = invoke::invoke_stream(&model, body).unwrap();
//! let last: serde_json::Value = serde_json::from_slice(chunks.last().unwrap()).unwrap();
//! assert_eq!(last["type"], "message_stop");
//! ```

use bytes::Bytes;
use serde_json::{Value, json};

use super::ModelError;
use super::catalog::{Family, Kind, ModelInfo};
use super::chat::PromptCache;
use super::hash::{fnv1a, hex};
use super::native::{self, parse_object};
use super::{embeddings, images, rerank};

/// An InvokeModel response: the `Content-Type` header value and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvokeOutput {
    /// The response content type (`application/json`).
    pub content_type: String,
    /// The response body.
    pub body: Bytes,
}

/// Answers an InvokeModel `body` for `model` (see the [module docs](self)).
///
/// # Errors
/// A `ValidationException` when the body does not match the model's native schema.
pub fn invoke(model: &ModelInfo, body: &[u8]) -> Result<InvokeOutput, ModelError> {
    invoke_with(model, body, None)
}

/// [`invoke`] with a [`PromptCache`], so that repeated cache prefixes of chat bodies (Anthropic
/// `cache_control`, Nova `cachePoint`) are reported as cache reads.
///
/// # Errors
/// As [`invoke`].
pub fn invoke_cached(
    model: &ModelInfo,
    body: &[u8],
    cache: &mut PromptCache,
) -> Result<InvokeOutput, ModelError> {
    invoke_with(model, body, Some(cache))
}

fn invoke_with(
    model: &ModelInfo,
    body: &[u8],
    cache: Option<&mut PromptCache>,
) -> Result<InvokeOutput, ModelError> {
    let value = match model.kind {
        Kind::Chat => native::respond(model, body, cache)?,
        _ => {
            let parsed = parse_object(body)?;
            let map = parsed.as_object().ok_or_else(native::malformed_json)?;
            match model.family {
                Family::TitanEmbed => embeddings::titan(model, map)?,
                Family::CohereEmbed => embeddings::cohere(model, map)?,
                Family::NovaCanvas | Family::TitanImage => images::generate(model, map)?,
                Family::AmazonRerank => native_rerank(&parsed, "num_results", false)?,
                _ => native_rerank(&parsed, "top_n", true)?,
            }
        }
    };
    Ok(InvokeOutput {
        content_type: "application/json".to_owned(),
        body: native::to_bytes(&value),
    })
}

/// Answers an InvokeModelWithResponseStream `body`: the payload of each `chunk` event, in order.
///
/// # Errors
/// As [`invoke`]; non-chat models get `The model is unsupported for streaming.`
pub fn invoke_stream(model: &ModelInfo, body: &[u8]) -> Result<Vec<Bytes>, ModelError> {
    invoke_stream_with(model, body, None)
}

/// [`invoke_stream`] with a [`PromptCache`].
///
/// # Errors
/// As [`invoke_stream`].
pub fn invoke_stream_cached(
    model: &ModelInfo,
    body: &[u8],
    cache: &mut PromptCache,
) -> Result<Vec<Bytes>, ModelError> {
    invoke_stream_with(model, body, Some(cache))
}

fn invoke_stream_with(
    model: &ModelInfo,
    body: &[u8],
    cache: Option<&mut PromptCache>,
) -> Result<Vec<Bytes>, ModelError> {
    if model.kind != Kind::Chat {
        return Err(ModelError::validation(
            "The model is unsupported for streaming.",
        ));
    }
    native::stream(model, body, cache)
}

/// Amazon Rerank (`num_results`) and Cohere Rerank (`top_n`) native bodies.
fn native_rerank(body: &Value, limit_key: &str, with_id: bool) -> Result<Value, ModelError> {
    let query = match body.get("query") {
        Some(Value::String(q)) => q.as_str(),
        _ => return Err(ModelError::malformed("#: required key [query] not found")),
    };
    let documents = match body.get("documents") {
        Some(Value::Array(docs)) if !docs.is_empty() => docs,
        _ => {
            return Err(ModelError::malformed(
                "#: required key [documents] not found",
            ));
        }
    };
    let texts: Vec<String> = documents
        .iter()
        .map(|d| {
            d.as_str().map_or_else(
                || serde_json::to_string(d).unwrap_or_default(),
                str::to_owned,
            )
        })
        .collect();
    let limit = match body.get(limit_key) {
        None => documents.len(),
        Some(n) => match n.as_u64() {
            Some(n) if n >= 1 => n as usize,
            _ => {
                return Err(ModelError::malformed(format!(
                    "#/{limit_key}: {n} is not greater or equal to 1"
                )));
            }
        },
    };
    let results: Vec<Value> = rerank::rank(query, &texts)
        .into_iter()
        .take(limit)
        .map(|(index, score)| json!({"index": index, "relevance_score": score}))
        .collect();
    let mut out = json!({ "results": results });
    if with_id {
        out["id"] = json!(hex(fnv1a(query.as_bytes()), 32));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::catalog::resolve;

    fn call(id: &str, body: Value) -> Result<Value, ModelError> {
        let out = invoke(&resolve(id).unwrap(), body.to_string().as_bytes())?;
        assert_eq!(out.content_type, "application/json");
        Ok(serde_json::from_slice(&out.body).unwrap())
    }

    #[test]
    fn amazon_and_cohere_rerank_bodies() {
        let body = json!({"query": "red apples", "documents": ["green pears", "red apples and red cherries", {"fruit": "apples"}], "num_results": 2});
        assert_eq!(
            call("amazon.rerank-v1:0", body).unwrap(),
            json!({"results": [{"index": 1, "relevance_score": 1.0}, {"index": 2, "relevance_score": 0.5}]})
        );
        let cohere = call(
            "cohere.rerank-v3-5:0",
            json!({"query": "q", "documents": ["a", "q"], "top_n": 1, "api_version": 2}),
        )
        .unwrap();
        assert_eq!(
            cohere["results"],
            json!([{"index": 1, "relevance_score": 1.0}])
        );
        assert_eq!(cohere["id"].as_str().unwrap().len(), 32);
        assert!(
            call("amazon.rerank-v1:0", json!({"documents": ["a"]}))
                .unwrap_err()
                .message()
                .contains("[query]")
        );
        assert!(
            call(
                "amazon.rerank-v1:0",
                json!({"query": "a", "documents": ["a"], "num_results": 0})
            )
            .is_err()
        );
    }

    #[test]
    fn bodies_must_be_json_objects() {
        let model = resolve("amazon.titan-embed-text-v1").unwrap();
        for body in [&b"not json"[..], b"[1]", b""] {
            let err = invoke(&model, body).unwrap_err();
            assert_eq!(
                err.message(),
                "Malformed input request: #: the body is not a valid JSON object, please reformat your input and try again."
            );
        }
    }

    #[test]
    fn only_chat_models_stream() {
        let err =
            invoke_stream(&resolve("amazon.titan-embed-text-v2:0").unwrap(), b"{}").unwrap_err();
        assert_eq!(err.message(), "The model is unsupported for streaming.");
    }
}
