//! Amazon Titan Text Embeddings v1 / v2 bodies: `{"inputText", "dimensions", "normalize",
//! "embeddingTypes"}` → `{"embedding", "inputTextTokenCount", "embeddingsByType"}`.

use serde_json::{Map, Value, json};
use strata_core::Error;

use super::EmbeddingType;
use super::convert::{Plan, vector};

/// The request body for one text.
pub(super) fn body(plan: &Plan, text: &str) -> Value {
    let mut body = Map::new();
    body.insert("inputText".into(), json!(text));
    if let Some(dimensions) = plan.options.dimensions {
        body.insert("dimensions".into(), json!(dimensions));
    }
    if let Some(normalize) = plan.options.normalize {
        body.insert("normalize".into(), json!(normalize));
    }
    if !plan.options.embedding_types.is_empty() {
        body.insert("embeddingTypes".into(), json!([plan.kind.as_str()]));
    }
    Value::Object(body)
}

/// The vector and token count of an answer.
pub(super) fn parse(kind: EmbeddingType, body: &Value) -> Result<(Vec<f32>, Option<u64>), Error> {
    let tokens = body.get("inputTextTokenCount").and_then(Value::as_u64);
    let found = body
        .get("embeddingsByType")
        .and_then(|by_type| by_type.get(kind.as_str()))
        .or_else(|| {
            (kind == EmbeddingType::Float)
                .then(|| body.get("embedding"))
                .flatten()
        });
    let Some(found) = found else {
        return Err(Error::invalid_response(format!(
            "the Titan answer has no `{}` embedding",
            kind.as_str()
        )));
    };
    Ok((vector(found, "embedding")?, tokens))
}
