//! Embeddings (`POST /embeddings`): request and response.
//!
//! One call embeds at most [`MAX_EMBEDDINGS_PER_CALL`] values (OpenAI's limit);
//! [`strata_core::embed_many`] splits larger inputs. The `openai` provider options take
//! `dimensions` and `user`. Responses are checked: every input gets exactly one embedding,
//! matched by `index`; base64 embeddings (little-endian `f32`) are decoded too.
//!
//! ```
//! use http::HeaderMap;
//! use strata_core::EmbedOptions;
//! use strata_openai::embeddings::{build_embeddings_request, convert_response};
//!
//! let values = vec!["red".to_owned(), "green".to_owned()];
//! let body = build_embeddings_request("text-embedding-3-small", &values, &EmbedOptions::default())?;
//! assert_eq!(serde_json::to_string(&body).unwrap(),
//!     r#"{"model":"text-embedding-3-small","input":["red","green"],"encoding_format":"float"}"#);
//!
//! let reply = br#"{"object": "list", "model": "text-embedding-3-small",
//!   "data": [{"object": "embedding", "index": 1, "embedding": [0.5, -0.25]},
//!            {"object": "embedding", "index": 0, "embedding": [0.125, 1.0]}],
//!   "usage": {"prompt_tokens": 2, "total_tokens": 2}}"#;
//! let result = convert_response(reply, &HeaderMap::new(), values.len())?;
//! assert_eq!(result.embeddings, vec![vec![0.125, 1.0], vec![0.5, -0.25]]);
//! assert_eq!(result.usage.tokens, Some(2));
//! # Ok::<(), strata_core::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use strata_core::embedding::{Embedding, EmbeddingUsage};
use strata_core::{EmbedOptions, EmbedResult, Error};

use crate::error::request_id;
use crate::options::PROVIDER;

/// The most values one `/embeddings` call takes.
pub const MAX_EMBEDDINGS_PER_CALL: usize = 2048;

/// An `/embeddings` request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingsRequest {
    /// The model id.
    pub model: String,
    /// The values to embed.
    pub input: Vec<String>,
    /// `float` (what strata asks for) or `base64`.
    pub encoding_format: String,
    /// Output dimensions (text-embedding-3 models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// The `openai` provider options of an embedding call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct EmbeddingOptions {
    /// Output dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Builds the request; no values, or more than [`MAX_EMBEDDINGS_PER_CALL`], is an
/// invalid-argument error, as are bad `openai` options.
pub fn build_embeddings_request(
    model_id: &str,
    values: &[String],
    options: &EmbedOptions,
) -> Result<EmbeddingsRequest, Error> {
    if values.is_empty() {
        return Err(Error::invalid_argument(
            "values",
            "there is nothing to embed",
        ));
    }
    if values.len() > MAX_EMBEDDINGS_PER_CALL {
        return Err(Error::invalid_argument(
            "values",
            format!(
                "{} values exceed the limit of {MAX_EMBEDDINGS_PER_CALL} per call; use embed_many",
                values.len()
            ),
        ));
    }
    let openai: EmbeddingOptions = options
        .provider_options
        .parse(PROVIDER)?
        .unwrap_or_default();
    Ok(EmbeddingsRequest {
        model: model_id.to_owned(),
        input: values.to_vec(),
        encoding_format: String::from("float"),
        dimensions: openai.dimensions,
        user: openai.user,
    })
}

/// An `/embeddings` response body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingsResponse {
    /// One entry per input.
    pub data: Vec<EmbeddingData>,
    /// The model.
    #[serde(default)]
    pub model: Option<String>,
    /// Token usage.
    #[serde(default)]
    pub usage: Option<EmbeddingsUsage>,
}

/// One embedding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingData {
    /// The input it belongs to.
    pub index: usize,
    /// The vector.
    pub embedding: EmbeddingVector,
}

/// A vector as floats or as base64 little-endian `f32`s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EmbeddingVector {
    /// `encoding_format: float`.
    Float(Vec<f32>),
    /// `encoding_format: base64`.
    Base64(String),
}

/// Embedding usage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingsUsage {
    /// Input tokens.
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    /// Total tokens.
    #[serde(default)]
    pub total_tokens: Option<u64>,
}

/// Parses a response to a request of `expected` values.
pub fn convert_response(
    body: &[u8],
    headers: &HeaderMap,
    expected: usize,
) -> Result<EmbedResult, Error> {
    let invalid = |message: String| Error::invalid_response(message).with_excerpt(body);
    let response: EmbeddingsResponse = serde_json::from_slice(body)
        .map_err(|e| invalid(format!("embeddings response is not valid: {e}")).with_source(e))?;
    if response.data.len() != expected {
        return Err(invalid(format!(
            "{} embeddings returned for {expected} values",
            response.data.len()
        )));
    }
    let mut slots: Vec<Option<Embedding>> = vec![None; expected];
    for data in response.data {
        let slot = slots
            .get_mut(data.index)
            .ok_or_else(|| invalid(format!("embedding index {} is out of range", data.index)))?;
        if slot.is_some() {
            return Err(invalid(format!(
                "embedding index {} appears twice",
                data.index
            )));
        }
        *slot = Some(match data.embedding {
            EmbeddingVector::Float(vector) => vector,
            EmbeddingVector::Base64(text) => decode_base64(&text).map_err(invalid)?,
        });
    }
    let mut result = EmbedResult::new(slots.into_iter().flatten().collect());
    result.usage = EmbeddingUsage::new(
        response
            .usage
            .and_then(|u| u.prompt_tokens.or(u.total_tokens)),
    );
    result.response.model_id = response.model;
    result.response.headers = headers.clone();
    result.response.request_id = request_id(headers);
    Ok(result)
}

fn decode_base64(text: &str) -> Result<Embedding, String> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| format!("a base64 embedding is not valid base64: {e}"))?;
    if bytes.len() % 4 != 0 {
        return Err(format!(
            "a base64 embedding has {} bytes, not a multiple of 4",
            bytes.len()
        ));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use strata_core::ProviderOptions;

    use super::*;

    #[test]
    fn request_options_and_limits() {
        let options = EmbedOptions::default().with_provider_options(
            ProviderOptions::new()
                .with("openai", "dimensions", 256)
                .with("openai", "user", "u"),
        );
        let body =
            build_embeddings_request("text-embedding-3-large", &["a".into()], &options).unwrap();
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"model": "text-embedding-3-large", "input": ["a"], "encoding_format": "float", "dimensions": 256, "user": "u"})
        );
        let too_many = vec![String::from("x"); MAX_EMBEDDINGS_PER_CALL + 1];
        let error = build_embeddings_request("m", &too_many, &EmbedOptions::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid argument `values`: 2049 values exceed the limit of 2048 per call; use embed_many"
        );
        assert!(
            build_embeddings_request("m", &vec![String::new(); 2048], &EmbedOptions::default())
                .is_ok()
        );
        assert!(build_embeddings_request("m", &[], &EmbedOptions::default()).is_err());
        let bad = EmbedOptions::default()
            .with_provider_options(ProviderOptions::new().with("openai", "dims", 3));
        assert_eq!(
            build_embeddings_request("m", &["a".into()], &bad)
                .unwrap_err()
                .argument(),
            Some("provider_options.openai")
        );
    }

    #[test]
    fn base64_vectors_request_id_and_mismatches() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req_e".parse().unwrap());
        // 1.0f32 and -2.0f32, little-endian.
        let body = br#"{"data":[{"index":0,"embedding":"AACAPwAAAMA="}],"usage":{"prompt_tokens":1,"total_tokens":1}}"#;
        let result = convert_response(body, &headers, 1).unwrap();
        assert_eq!(result.embeddings, vec![vec![1.0, -2.0]]);
        assert_eq!(result.response.request_id.as_deref(), Some("req_e"));
        for (body, expected, message) in [
            (
                &br#"{"data":[]}"#[..],
                1,
                "could not decode the response: 0 embeddings returned for 1 values",
            ),
            (
                br#"{"data":[{"index":3,"embedding":[1]}]}"#,
                1,
                "could not decode the response: embedding index 3 is out of range",
            ),
            (
                br#"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}"#,
                2,
                "could not decode the response: embedding index 0 appears twice",
            ),
            (
                br#"{"data":[{"index":0,"embedding":"AAA="}]}"#,
                1,
                "could not decode the response: a base64 embedding has 2 bytes, not a multiple of 4",
            ),
        ] {
            assert_eq!(
                convert_response(body, &HeaderMap::new(), expected)
                    .unwrap_err()
                    .to_string(),
                message
            );
        }
    }
}
