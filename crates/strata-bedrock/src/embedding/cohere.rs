//! Cohere Embed v3 / v4 bodies: `{"texts", "input_type", "truncate", "embedding_types",
//! "output_dimension"}` → `{"id", "embeddings": [[…]] | {"<type>": [[…]]}, "response_type"}`.

use serde_json::{Map, Value, json};
use strata_core::Error;

use super::convert::{Plan, vector};
use super::{CohereInputType, EmbeddingType};

/// The request body for a batch of texts.
pub(super) fn body(plan: &Plan, texts: &[String]) -> Value {
    let mut body = Map::new();
    body.insert("texts".into(), json!(texts));
    let input_type = plan
        .options
        .input_type
        .unwrap_or(CohereInputType::SearchQuery);
    body.insert("input_type".into(), json!(input_type.as_str()));
    if let Some(truncate) = plan.options.truncate {
        body.insert("truncate".into(), json!(truncate.as_str()));
    }
    if !plan.options.embedding_types.is_empty() {
        body.insert("embedding_types".into(), json!([plan.kind.as_str()]));
    }
    if let Some(dimension) = plan.options.output_dimension {
        body.insert("output_dimension".into(), json!(dimension));
    }
    Value::Object(body)
}

/// The vectors and the response id of an answer.
pub(super) fn parse(
    kind: EmbeddingType,
    body: &Value,
) -> Result<(Vec<Vec<f32>>, Option<String>), Error> {
    let id = body.get("id").and_then(Value::as_str).map(str::to_owned);
    let rows = match body.get("embeddings") {
        Some(Value::Array(rows)) if kind == EmbeddingType::Float => rows,
        Some(Value::Object(by_type)) => match by_type.get(kind.as_str()) {
            Some(Value::Array(rows)) => rows,
            _ => {
                return Err(Error::invalid_response(format!(
                    "the Cohere answer has no `{}` embeddings",
                    kind.as_str()
                )));
            }
        },
        _ => {
            return Err(Error::invalid_response(format!(
                "the Cohere answer has no `{}` embeddings",
                kind.as_str()
            )));
        }
    };
    let vectors = rows
        .iter()
        .enumerate()
        .map(|(i, row)| vector(row, &format!("embeddings[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok((vectors, id))
}
