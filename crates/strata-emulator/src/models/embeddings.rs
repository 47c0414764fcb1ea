//! Deterministic text embeddings: Titan Text Embeddings v1/v2 and Cohere Embed v3/v4 bodies.
//!
//! **Vectors.** Each lowercased word token of the text (see [`crate::models::tokens`]) adds
//! ±1 to four dimensions chosen by an FNV-1a hash of the word, and a small dense component
//! (amplitude 0.01) derived from the hash of the whole text fills every dimension. So equal texts
//! give equal vectors, texts sharing words have a positive cosine similarity, and no vector is
//! zero. The float vector is scaled to unit length when normalisation applies (Titan v2 by
//! default; Cohere always); Titan v1 is left unscaled.
//!
//! **Quantised types.** `int8`: each value × 127 / max |value|, rounded; `uint8`: `int8` + 128;
//! `ubinary`: one bit per dimension (1 when > 0), packed most-significant-bit first into bytes;
//! `binary` (Cohere): `ubinary` − 128; `binary` (Titan v2): one 0/1 entry per dimension.
//!
//! **Shapes.** Titan v1 `{"inputText"}` → `{"embedding", "inputTextTokenCount"}` (1536 dims);
//! Titan v2 adds `dimensions` (256/512/1024, default 1024), `normalize` (default true),
//! `embeddingTypes` (`float`/`binary`) and always answers `embeddingsByType`. Cohere v3
//! (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`, 1024 dims) answers
//! `embeddings_floats` without `embedding_types` and `embeddings_by_type` with it; Cohere v4
//! (`output_dimension` 256/512/1024/1536, default 1536) always answers `embeddings_by_type`.
//! Both take at most 96 texts, and v3 at most 2048 characters per text unless `truncate` is set.
//! `images` (data URIs; one per call on v3) are embedded from their text like texts, and the
//! response's `texts` is then empty.
//!
//! ```
//! use strata_emulator::models::{catalog, invoke};
//!
//! let model = catalog::resolve("amazon.titan-embed-text-v2:0").unwrap();
//! let out = invoke::invoke(&model, br#"{"inputText": "hello world", "dimensions": 256}"#).unwrap();
//! let body: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
//! assert_eq!(body["embedding"].as_array().unwrap().len(), 256);
//! assert_eq!(body["inputTextTokenCount"], 2);
//! ```

use serde_json::{Map, Value, json};

use super::ModelError;
use super::catalog::ModelInfo;
use super::hash::{SplitMix64, fnv1a, fnv1a_parts, hex};
use super::tokens::{count_text, token_spans};

/// The deterministic float vector for `text` (see the module docs), values rounded to 8
/// decimals.
pub fn vector(text: &str, dims: usize, normalize: bool) -> Vec<f64> {
    let mut v = vec![0f64; dims];
    if dims == 0 {
        return Vec::new();
    }
    let mut noise = SplitMix64::new(fnv1a(text.as_bytes()));
    for x in v.iter_mut() {
        *x = noise.next_signed_unit() * 0.01;
    }
    for (start, end) in token_spans(text) {
        let word = text[start..end].to_lowercase();
        for k in 0u8..4 {
            let h = fnv1a_parts(&[word.as_bytes(), &[k]]);
            let sign = if h >> 63 == 1 { -1.0 } else { 1.0 };
            v[(h % dims as u64) as usize] += sign;
        }
    }
    if normalize {
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
    }
    v.into_iter().map(|x| (x * 1e8).round() / 1e8).collect()
}

fn int8(v: &[f64]) -> Vec<i64> {
    let max = v.iter().fold(0f64, |m, x| m.max(x.abs()));
    v.iter()
        .map(|x| {
            if max == 0.0 {
                0
            } else {
                (x * 127.0 / max).round() as i64
            }
        })
        .collect()
}

fn ubinary(v: &[f64]) -> Vec<i64> {
    v.chunks(8)
        .map(|bits| {
            bits.iter()
                .enumerate()
                .fold(0i64, |byte, (i, x)| byte | (i64::from(*x > 0.0) << (7 - i)))
        })
        .collect()
}

fn malformed(detail: impl std::fmt::Display) -> ModelError {
    ModelError::malformed(detail)
}

fn check_keys(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), ModelError> {
    match body.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(malformed(format!(
            "#: extraneous key [{extra}] is not permitted"
        ))),
        None => Ok(()),
    }
}

/// Titan Text Embeddings v1 / v2.
pub(crate) fn titan(model: &ModelInfo, body: &Map<String, Value>) -> Result<Value, ModelError> {
    let v2 = model.id == "amazon.titan-embed-text-v2:0";
    let allowed: &[&str] = if v2 {
        &["inputText", "dimensions", "normalize", "embeddingTypes"]
    } else {
        &["inputText"]
    };
    check_keys(body, allowed)?;
    let text = match body.get("inputText") {
        Some(Value::String(t)) => t,
        Some(other) => {
            return Err(malformed(format!(
                "#/inputText: expected type: String, found: {}",
                type_name(other)
            )));
        }
        None => return Err(malformed("#: required key [inputText] not found")),
    };
    let tokens = count_text(text);
    if !v2 {
        return Ok(json!({"embedding": vector(text, 1536, false), "inputTextTokenCount": tokens}));
    }
    let dims = match body.get("dimensions") {
        None => 1024,
        Some(d) => match d.as_u64() {
            Some(n @ (256 | 512 | 1024)) => n as usize,
            _ => {
                return Err(malformed(format!(
                    "#/dimensions: {d} is not a valid enum value"
                )));
            }
        },
    };
    let normalize = match body.get("normalize") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(malformed(format!(
                "#/normalize: expected type: Boolean, found: {}",
                type_name(other)
            )));
        }
    };
    let types = string_list(
        body.get("embeddingTypes"),
        "embeddingTypes",
        &["float", "binary"],
    )?;
    let float = vector(text, dims, normalize);
    let mut by_type = Map::new();
    for kind in types.as_deref().unwrap_or(&["float".to_owned()]) {
        let value = if kind == "float" {
            json!(float)
        } else {
            json!(
                float
                    .iter()
                    .map(|x| i64::from(*x > 0.0))
                    .collect::<Vec<_>>()
            )
        };
        by_type.insert(kind.clone(), value);
    }
    Ok(json!({"embedding": float, "inputTextTokenCount": tokens, "embeddingsByType": by_type}))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}

fn string_list(
    value: Option<&Value>,
    key: &str,
    allowed: &[&str],
) -> Result<Option<Vec<String>>, ModelError> {
    let Some(value) = value else { return Ok(None) };
    let list = value.as_array().ok_or_else(|| {
        malformed(format!(
            "#/{key}: expected type: JSONArray, found: {}",
            type_name(value)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_str() {
            Some(s) if allowed.contains(&s) => out.push(s.to_owned()),
            _ => {
                return Err(malformed(format!(
                    "#/{key}/{i}: {item} is not a valid enum value"
                )));
            }
        }
    }
    if out.is_empty() {
        return Err(malformed(format!(
            "#/{key}: expected minimum item count: 1, found: 0"
        )));
    }
    Ok(Some(out))
}

const COHERE_TYPES: &[&str] = &["float", "int8", "uint8", "binary", "ubinary"];
const INPUT_TYPES: &[&str] = &[
    "search_document",
    "search_query",
    "classification",
    "clustering",
    "image",
];

/// Cohere Embed v3 / v4.
pub(crate) fn cohere(model: &ModelInfo, body: &Map<String, Value>) -> Result<Value, ModelError> {
    let v4 = model.id == "cohere.embed-v4:0";
    let mut allowed = vec![
        "texts",
        "images",
        "input_type",
        "truncate",
        "embedding_types",
    ];
    if v4 {
        allowed.extend(["inputs", "output_dimension", "max_tokens"]);
    }
    check_keys(body, &allowed)?;
    match body.get("input_type").and_then(Value::as_str) {
        Some(t) if INPUT_TYPES.contains(&t) => {}
        Some(_) => {
            return Err(malformed(format!(
                "#/input_type: {} is not a valid enum value",
                body["input_type"]
            )));
        }
        None => return Err(malformed("#: required key [input_type] not found")),
    }
    let strings = |key: &str, list: &[Value]| {
        list.iter()
            .map(|t| t.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| malformed(format!("#/{key}: expected type: String")))
    };
    // Image inputs (data URIs) are embedded from their text like texts; `texts` echoes [].
    let (texts, echoed) = match (body.get("texts"), body.get("images")) {
        (Some(_), Some(_)) => return Err(malformed("#: only one of [texts, images] may be set")),
        (Some(Value::Array(list)), None) => {
            let texts = strings("texts", list)?;
            (texts.clone(), texts)
        }
        (None, Some(Value::Array(list))) => {
            if !v4 && list.len() > 1 {
                return Err(malformed(format!(
                    "#/images: expected maximum item count: 1, found: {}",
                    list.len()
                )));
            }
            (strings("images", list)?, Vec::new())
        }
        (Some(_), None) => return Err(malformed("#/texts: expected type: JSONArray")),
        (None, Some(_)) => return Err(malformed("#/images: expected type: JSONArray")),
        (None, None) if v4 => {
            let texts = inputs_texts(body.get("inputs"))?;
            (texts.clone(), texts)
        }
        (None, None) => return Err(malformed("#: required key [texts] not found")),
    };
    if texts.len() > 96 {
        return Err(malformed(format!(
            "#/texts: expected maximum item count: 96, found: {}",
            texts.len()
        )));
    }
    let truncate = body
        .get("truncate")
        .and_then(Value::as_str)
        .unwrap_or("NONE");
    if !v4
        && truncate == "NONE"
        && let Some((i, t)) = texts
            .iter()
            .enumerate()
            .find(|(_, t)| t.chars().count() > 2048)
    {
        return Err(malformed(format!(
            "#/texts/{i}: expected maxLength: 2048, actual: {}",
            t.chars().count()
        )));
    }
    let dims = if v4 {
        match body.get("output_dimension") {
            None => 1536,
            Some(d) => match d.as_u64() {
                Some(n @ (256 | 512 | 1024 | 1536)) => n as usize,
                _ => {
                    return Err(malformed(format!(
                        "#/output_dimension: {d} is not a valid enum value"
                    )));
                }
            },
        }
    } else {
        1024
    };
    let types = string_list(body.get("embedding_types"), "embedding_types", COHERE_TYPES)?;
    let floats: Vec<Vec<f64>> = texts.iter().map(|t| vector(t, dims, true)).collect();
    let seed = fnv1a_parts(&[
        b"cohere",
        model.id.as_bytes(),
        texts.join("\u{0}").as_bytes(),
    ]);
    let digits = hex(seed, 32);
    let id = format!(
        "{}-{}-{}-{}-{}",
        &digits[..8],
        &digits[8..12],
        &digits[12..16],
        &digits[16..20],
        &digits[20..]
    );
    let (embeddings, response_type) = match (types, v4) {
        (None, false) => (json!(floats), "embeddings_floats"),
        (types, _) => {
            let mut by_type = Map::new();
            for kind in types.unwrap_or_else(|| vec!["float".to_owned()]) {
                let rows: Vec<Value> = floats
                    .iter()
                    .map(|v| match kind.as_str() {
                        "float" => json!(v),
                        "int8" => json!(int8(v)),
                        "uint8" => json!(int8(v).iter().map(|x| x + 128).collect::<Vec<_>>()),
                        "ubinary" => json!(ubinary(v)),
                        _ => json!(ubinary(v).iter().map(|x| x - 128).collect::<Vec<_>>()),
                    })
                    .collect();
                by_type.insert(kind, Value::Array(rows));
            }
            (Value::Object(by_type), "embeddings_by_type")
        }
    };
    Ok(json!({"id": id, "embeddings": embeddings, "response_type": response_type, "texts": echoed}))
}

/// The text of v4 `inputs` (`[{"content": [{"type": "text", "text": …}, …]}]`), one per input.
fn inputs_texts(inputs: Option<&Value>) -> Result<Vec<String>, ModelError> {
    let list = inputs
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("#: one of [texts, images, inputs] is required"))?;
    Ok(list
        .iter()
        .map(|input| {
            input
                .get("content")
                .and_then(Value::as_array)
                .map(|parts| {
                    parts
                        .iter()
                        .filter_map(|p| p.get("text").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default()
        })
        .collect())
}

#[cfg(test)]
mod tests;
