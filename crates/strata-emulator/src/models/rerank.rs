//! Deterministic reranking: the agent-runtime Rerank operation.
//!
//! **Score.** The query's distinct lowercased word tokens (letters/digits runs, see
//! [`crate::models::tokens`]) are `Q`, a document's are `D`; the relevance score is
//! `|Q ∩ D| / |Q|` (0 when the query has no words). Results are sorted by score, highest
//! first, ties by source index, and limited to `numberOfResults` (default: all sources). JSON
//! documents are scored on their compact JSON text. Each result echoes its `document`.
//!
//! **Validation.** Exactly one `TEXT` query; 1–1000 `INLINE` sources, each a `TEXT` document
//! with `textDocument.text` or a `JSON` document with `jsonDocument`;
//! `rerankingConfiguration.type` `BEDROCK_RERANKING_MODEL`; `modelArn` naming a rerank model
//! (resolved like model ids, so plain ids and foundation-model ARNs work); `numberOfResults`
//! 1–1000. `nextToken` is accepted; every answer fits one page, so none is returned.
//!
//! ```
//! use strata_emulator::models::rerank;
//! use serde_json::json;
//!
//! let request = json!({
//!     "queries": [{"type": "TEXT", "textQuery": {"text": "red apple"}}],
//!     "sources": [
//!         {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "a green pear"}}},
//!         {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "one red apple"}}}
//!     ],
//!     "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
//!         "numberOfResults": 1,
//!         "modelConfiguration": {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"}
//!     }}
//! });
//! let response = rerank::rerank(&request).unwrap();
//! assert_eq!(response["results"][0]["index"], 1);
//! assert_eq!(response["results"][0]["relevanceScore"], 1.0);
//! ```

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::ModelError;
use super::catalog::{self, Kind};
use super::tokens::token_spans;

fn words(text: &str) -> BTreeSet<String> {
    token_spans(text)
        .into_iter()
        .map(|(s, e)| &text[s..e])
        .filter(|w| w.chars().all(char::is_alphanumeric))
        .map(str::to_lowercase)
        .collect()
}

/// `(index, score)` (rounded to 6 decimals) for every document, sorted by score (highest first), ties by index.
pub fn rank(query: &str, documents: &[String]) -> Vec<(usize, f64)> {
    let q = words(query);
    let mut scored: Vec<(usize, f64)> = documents
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let d = words(doc);
            let score = if q.is_empty() {
                0.0
            } else {
                q.intersection(&d).count() as f64 / q.len() as f64
            };
            let score = (score * 1e6).round() / 1e6;
            (i, score)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

fn bad(message: impl Into<String>) -> ModelError {
    ModelError::validation(message)
}

/// The Rerank operation (see the [module docs](self)).
///
/// # Errors
/// A `ValidationException` naming the first invalid member.
pub fn rerank(request: &Value) -> Result<Value, ModelError> {
    let queries = request
        .get("queries")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("queries is required."))?;
    if queries.len() != 1 {
        return Err(bad(format!(
            "queries must contain exactly 1 query, found {}.",
            queries.len()
        )));
    }
    let query = queries[0]
        .get("textQuery")
        .and_then(|q| q.get("text"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("queries[0].textQuery.text is required."))?;
    let sources = request
        .get("sources")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("sources is required."))?;
    if sources.is_empty() || sources.len() > 1000 {
        return Err(bad(format!(
            "sources must contain between 1 and 1000 items, found {}.",
            sources.len()
        )));
    }
    let mut documents = Vec::with_capacity(sources.len());
    let mut texts = Vec::with_capacity(sources.len());
    for (i, source) in sources.iter().enumerate() {
        let doc = source
            .get("inlineDocumentSource")
            .ok_or_else(|| bad(format!("sources[{i}].inlineDocumentSource is required.")))?;
        let text = match doc.get("type").and_then(Value::as_str) {
            Some("TEXT") => doc.get("textDocument").and_then(|t| t.get("text")).and_then(Value::as_str).map(str::to_owned),
            Some("JSON") => doc.get("jsonDocument").map(|j| serde_json::to_string(j).unwrap_or_default()),
            _ => None,
        }
        .ok_or_else(|| bad(format!("sources[{i}].inlineDocumentSource must be a TEXT document with textDocument.text or a JSON document with jsonDocument.")))?;
        documents.push(doc.clone());
        texts.push(text);
    }
    let config = request
        .get("rerankingConfiguration")
        .and_then(|c| c.get("bedrockRerankingConfiguration"))
        .ok_or_else(|| bad("rerankingConfiguration.bedrockRerankingConfiguration is required."))?;
    let arn = config
        .get("modelConfiguration")
        .and_then(|m| m.get("modelArn"))
        .and_then(Value::as_str)
        .ok_or_else(|| bad("rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn is required."))?;
    let model = catalog::resolve(arn)?;
    if model.kind != Kind::Rerank {
        return Err(bad(format!(
            "The model {} does not support reranking.",
            model.id
        )));
    }
    let limit = match config.get("numberOfResults") {
        None => texts.len(),
        Some(n) => match n.as_u64() {
            Some(n @ 1..=1000) => n as usize,
            _ => {
                return Err(bad(format!(
                    "numberOfResults must be between 1 and 1000, found {n}."
                )));
            }
        },
    };
    let results: Vec<Value> = rank(query, &texts)
        .into_iter()
        .take(limit)
        .map(|(index, score)| json!({"index": index, "relevanceScore": score, "document": documents[index]}))
        .collect();
    Ok(json!({ "results": results }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, docs: &[Value], n: Option<u64>, arn: &str) -> Value {
        let sources: Vec<Value> = docs
            .iter()
            .map(|d| json!({"type": "INLINE", "inlineDocumentSource": d}))
            .collect();
        let mut config = json!({"modelConfiguration": {"modelArn": arn}});
        if let Some(n) = n {
            config["numberOfResults"] = json!(n);
        }
        json!({
            "queries": [{"type": "TEXT", "textQuery": {"text": query}}],
            "sources": sources,
            "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": config}
        })
    }

    fn text(t: &str) -> Value {
        json!({"type": "TEXT", "textDocument": {"text": t}})
    }

    #[test]
    fn scores_sort_and_limit() {
        let docs = [
            text("nothing here"),
            text("The QUICK fox"),
            json!({"type": "JSON", "jsonDocument": {"animal": "quick brown fox"}}),
            text("fox"),
        ];
        let response = rerank(&request(
            "quick brown fox",
            &docs,
            Some(3),
            "cohere.rerank-v3-5:0",
        ))
        .unwrap();
        assert_eq!(
            response,
            json!({"results": [
                {"index": 2, "relevanceScore": 1.0, "document": docs[2]},
                {"index": 1, "relevanceScore": 0.666667, "document": docs[1]},
                {"index": 3, "relevanceScore": 0.333333, "document": docs[3]}
            ]})
        );
        let all = rerank(&request("zzz", &docs, None, "amazon.rerank-v1:0")).unwrap();
        let order: Vec<u64> = all["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["index"].as_u64().unwrap())
            .collect();
        assert_eq!(order, [0, 1, 2, 3]);
    }

    #[test]
    fn validation_errors() {
        let docs = [text("a")];
        let cases = [
            (
                request("a", &docs, Some(0), "amazon.rerank-v1:0"),
                "numberOfResults must be between 1 and 1000, found 0.",
            ),
            (
                request("a", &[], None, "amazon.rerank-v1:0"),
                "sources must contain between 1 and 1000 items, found 0.",
            ),
            (
                request("a", &docs, None, "amazon.nova-lite-v1:0"),
                "The model amazon.nova-lite-v1:0 does not support reranking.",
            ),
            (
                request("a", &docs, None, "nope"),
                "The provided model identifier is invalid.",
            ),
            (
                request("", &docs, None, "amazon.rerank-v1:0"),
                "queries[0].textQuery.text is required.",
            ),
            (
                request("a", &[json!({"type": "TEXT"})], None, "amazon.rerank-v1:0"),
                "sources[0].inlineDocumentSource must be a TEXT document with textDocument.text or a JSON document with jsonDocument.",
            ),
        ];
        for (req, message) in cases {
            let err = rerank(&req).unwrap_err();
            assert_eq!(err.message(), message);
            assert_eq!(err.code(), "ValidationException");
        }
    }
}
