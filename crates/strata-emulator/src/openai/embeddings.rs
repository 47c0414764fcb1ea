//! `/embeddings` and `/models`: catalog embedding models answered with the deterministic
//! vectors of [`crate::models::embeddings`], and the model list.

use base64::Engine as _;
use serde_json::{Value, json};

use super::convert::params;
use super::error::OpenAiError;
use crate::models::catalog::{self, Kind, ModelInfo};
use crate::models::embeddings::vector;
use crate::models::tokens::count_text;

const KNOWN: &[&str] = &["model", "input", "dimensions", "encoding_format", "user"];
/// The most inputs one request may carry (OpenAI's limit).
const MAX_INPUTS: usize = 2048;
/// `created` of every listed model (2025-01-01T00:00:00Z): the catalog keeps no dates.
const CREATED: u64 = 1_735_689_600;

/// The default and the accepted `dimensions` of an embedding model.
fn dimensions(model: &ModelInfo) -> (u64, &'static [u64]) {
    match model.id {
        "amazon.titan-embed-text-v2:0" => (1024, &[256, 512, 1024]),
        "cohere.embed-v4:0" => (1536, &[256, 512, 1024, 1536]),
        "cohere.embed-english-v3" | "cohere.embed-multilingual-v3" => (1024, &[1024]),
        _ => (1536, &[1536]),
    }
}

/// The `/embeddings` answer for `body`: one unit-length vector per input, as floats or as
/// base64 of little-endian `f32`s.
pub(crate) fn embed(model: &ModelInfo, body: &Value) -> Result<Value, OpenAiError> {
    let p = params(body, "")?;
    p.only(KNOWN)?;
    if model.kind != Kind::Embedding {
        return Err(OpenAiError::invalid_param(
            "model_not_supported",
            "model",
            format!(
                "The model `{}` does not support embeddings.",
                model.requested
            ),
        ));
    }
    let inputs = inputs(p.get("input"))?;
    let (default, allowed) = dimensions(model);
    let dims = match p.positive("dimensions")? {
        None => default,
        Some(n) if allowed.contains(&n) => n,
        Some(n) => {
            let list: Vec<String> = allowed.iter().map(u64::to_string).collect();
            return Err(OpenAiError::invalid_param(
                "invalid_value",
                "dimensions",
                format!(
                    "Invalid 'dimensions': {n}. The model `{}` supports: {}.",
                    model.requested,
                    list.join(", ")
                ),
            ));
        }
    };
    let base64 = p.one_of("encoding_format", &["float", "base64"])? == Some("base64");
    let mut tokens = 0;
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| {
            tokens += count_text(text);
            let v = vector(text, dims as usize, true);
            let embedding = if base64 {
                let bytes: Vec<u8> = v.iter().flat_map(|x| (*x as f32).to_le_bytes()).collect();
                json!(base64::engine::general_purpose::STANDARD.encode(bytes))
            } else {
                json!(v)
            };
            json!({"object": "embedding", "index": index, "embedding": embedding})
        })
        .collect();
    Ok(json!({
        "object": "list",
        "data": data,
        "model": model.requested,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }))
}

fn inputs(input: Option<&Value>) -> Result<Vec<&str>, OpenAiError> {
    let list: Vec<&Value> = match input {
        None => return Err(OpenAiError::missing("input")),
        Some(text @ Value::String(_)) => vec![text],
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => {
            return Err(OpenAiError::invalid_type(
                "input",
                "a string or an array of strings",
                other,
            ));
        }
    };
    if list.is_empty() || list.len() > MAX_INPUTS {
        return Err(OpenAiError::invalid_param(
            "invalid_value",
            "input",
            format!(
                "Invalid 'input': expected between 1 and {MAX_INPUTS} inputs, got {}.",
                list.len()
            ),
        ));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) if !s.is_empty() => Ok(s.as_str()),
            Value::String(_) => Err(OpenAiError::invalid_param(
                "invalid_value",
                format!("input[{i}]"),
                format!("Invalid 'input[{i}]': empty string. Expected a non-empty string."),
            )),
            Value::Number(_) | Value::Array(_) => Err(OpenAiError::invalid_param(
                "unsupported_value",
                format!("input[{i}]"),
                "Token arrays are not supported by the emulator; send text.",
            )),
            other => Err(OpenAiError::invalid_type(
                &format!("input[{i}]"),
                "a string",
                other,
            )),
        })
        .collect()
}

/// Ids listed by `/models`: chat and embedding models, by base id when Bedrock serves them on
/// demand, else by their `us.` inference profile.
fn listed() -> impl Iterator<Item = String> {
    catalog::model_ids()
        .filter(|id| matches!(catalog::kind_of(id), Some(Kind::Chat | Kind::Embedding)))
        .map(|id| {
            if catalog::on_demand(id) {
                id.to_owned()
            } else {
                format!("us.{id}")
            }
        })
}

fn model_object(id: &str, base: &str) -> Value {
    let owner = base.split('.').next().unwrap_or(base);
    json!({"id": id, "object": "model", "created": CREATED, "owned_by": owner})
}

/// The `/models` list.
pub(crate) fn list() -> Value {
    let data: Vec<Value> = listed()
        .filter_map(|id| {
            let info = catalog::resolve(&id).ok()?;
            Some(model_object(&id, info.id))
        })
        .collect();
    json!({"object": "list", "data": data})
}

/// `/models/{id}` for any id the catalog resolves.
pub(crate) fn model(id: &str) -> Result<Value, OpenAiError> {
    let info = catalog::lookup(id).map_err(|_| OpenAiError::model_not_found(id))?;
    Ok(model_object(id, info.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_are_unit_vectors_of_the_asked_size() {
        let model = catalog::resolve("amazon.titan-embed-text-v2:0").unwrap();
        let out = embed(
            &model,
            &json!({"model": "amazon.titan-embed-text-v2:0", "input": ["hello world", "hi"], "dimensions": 256}),
        )
        .unwrap();
        assert_eq!(out["data"].as_array().unwrap().len(), 2);
        let v: Vec<f64> = serde_json::from_value(out["data"][0]["embedding"].clone()).unwrap();
        assert_eq!(v.len(), 256);
        assert!((v.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-6);
        assert_eq!(out["usage"], json!({"prompt_tokens": 3, "total_tokens": 3}));
    }

    #[test]
    fn base64_encoding_is_little_endian_f32() {
        let model = catalog::resolve("cohere.embed-english-v3").unwrap();
        let body = json!({"model": "m", "input": "abc", "encoding_format": "base64"});
        let out = embed(&model, &body).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(out["data"][0]["embedding"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes.len(), 1024 * 4);
        let first = f32::from_le_bytes(bytes[..4].try_into().unwrap());
        assert_eq!(first, vector("abc", 1024, true)[0] as f32);
    }

    #[test]
    fn bad_inputs_are_named() {
        let model = catalog::resolve("cohere.embed-v4:0").unwrap();
        for (body, param) in [
            (json!({"input": ""}), "input[0]"),
            (json!({"input": []}), "input"),
            (json!({"input": [[1, 2]]}), "input[0]"),
            (json!({"input": "x", "dimensions": 100}), "dimensions"),
            (json!({}), "input"),
        ] {
            let err = embed(&model, &body).unwrap_err();
            assert_eq!(err.to_json()["error"]["param"], param, "{body}");
        }
        let chat = catalog::resolve("amazon.nova-lite-v1:0").unwrap();
        let err = embed(&chat, &json!({"input": "x"})).unwrap_err();
        assert_eq!(err.code(), Some("model_not_supported"));
    }

    #[test]
    fn the_list_holds_usable_ids() {
        let list = list();
        let ids: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"openai.gpt-oss-120b-1:0"));
        assert!(ids.contains(&"us.anthropic.claude-sonnet-4-20250514-v1:0"));
        assert!(ids.contains(&"amazon.titan-embed-text-v2:0"));
        assert!(!ids.contains(&"amazon.nova-canvas-v1:0"));
        assert_eq!(
            model("openai.gpt-oss-20b-1:0").unwrap(),
            json!({"id": "openai.gpt-oss-20b-1:0", "object": "model", "created": CREATED, "owned_by": "openai"})
        );
        assert_eq!(model("nope").unwrap_err().code(), Some("model_not_found"));
    }
}
