//! Embedding models through InvokeModel: Amazon Titan Text Embeddings v1 / v2 and Cohere Embed
//! v3 (English, multilingual) / v4.
//!
//! - **Titan** embeds one text per call, so its `max_embeddings_per_call` is 1 and
//!   [`embed_many`](strata_core::embed_many) fans the values out over parallel calls. v1 gives
//!   1,536 dimensions and takes no options; v2 takes `dimensions` (256 / 512 / 1,024),
//!   `normalize` and `embedding_types` (`float` or `binary`). Usage comes from
//!   `inputTextTokenCount`.
//! - **Cohere** embeds up to 96 texts per call, with `input_type` (default `search_query`),
//!   `truncate`, `embedding_types` and, on v4, `output_dimension`. Usage comes from the
//!   `X-Amzn-Bedrock-Input-Token-Count` header when Bedrock sends it.
//!
//! Options travel in `provider_options["bedrock"]` ([`EmbeddingOptions`]). No values, too many
//! values, an empty text, and an option the model does not take are invalid-argument errors
//! raised before anything is sent.
//!
//! ```
//! use bytes::Bytes;
//! use serde_json::json;
//! use strata_bedrock::embedding::{EmbeddingFamily, EmbeddingOptions, build_request};
//! use strata_bedrock::invoke::InvokeResponse;
//! use strata_core::EmbedOptions;
//!
//! let family = EmbeddingFamily::of("amazon.titan-embed-text-v2:0").unwrap();
//! let mut bedrock = EmbeddingOptions::default();
//! bedrock.dimensions = Some(256);
//! let options = EmbedOptions::default().with_provider_options(bedrock.to_provider_options());
//!
//! let prepared = build_request("amazon.titan-embed-text-v2:0", family, &["hello".into()], &options)?;
//! assert_eq!(&prepared.request.body[..], br#"{"dimensions":256,"inputText":"hello"}"#);
//!
//! // The answer, as Bedrock sends it.
//! let body = Bytes::from(json!({"embedding": [0.5, -0.5], "inputTextTokenCount": 1}).to_string());
//! let result = prepared.context.parse_response(&InvokeResponse::from_parts(http::HeaderMap::new(), body))?;
//! assert_eq!(result.embeddings, vec![vec![0.5, -0.5]]);
//! assert_eq!(result.usage.tokens, Some(1));
//!
//! // Titan v1 takes no options: refused before sending.
//! let v1 = EmbeddingFamily::of("amazon.titan-embed-text-v1").unwrap();
//! let err = build_request("amazon.titan-embed-text-v1", v1, &["hi".into()], &options).unwrap_err();
//! assert_eq!(err.argument(), Some("provider_options.bedrock.dimensions"));
//! # Ok::<(), strata_core::Error>(())
//! ```

mod cohere;
mod convert;
mod model;
mod options;
mod titan;

pub use convert::{COHERE_V3_MAX_CHARS, EmbeddingContext, PreparedEmbedding, build_request};
pub use model::BedrockEmbeddingModel;
pub use options::{CohereInputType, CohereTruncate, EmbeddingOptions, EmbeddingType};

/// The embedding model families Bedrock serves through InvokeModel.
///
/// ```
/// use strata_bedrock::embedding::EmbeddingFamily;
///
/// assert_eq!(EmbeddingFamily::of("us.cohere.embed-v4:0"), Some(EmbeddingFamily::CohereV4));
/// assert_eq!(EmbeddingFamily::of("cohere.embed-multilingual-v3"), Some(EmbeddingFamily::CohereV3));
/// assert_eq!(EmbeddingFamily::of("amazon.nova-lite-v1:0"), None);
/// assert_eq!(EmbeddingFamily::CohereV3.max_embeddings_per_call(), 96);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EmbeddingFamily {
    /// Amazon Titan Text Embeddings v1 (`amazon.titan-embed-text-v1`).
    TitanV1,
    /// Amazon Titan Text Embeddings v2 (`amazon.titan-embed-text-v2:0`).
    TitanV2,
    /// Cohere Embed v3 (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`).
    CohereV3,
    /// Cohere Embed v4 (`cohere.embed-v4:0`).
    CohereV4,
}

impl EmbeddingFamily {
    /// The family of a model id, inference-profile id or ARN; `None` when it names no known
    /// embedding model.
    pub fn of(model_id: &str) -> Option<Self> {
        let id = model_id.rsplit('/').next().unwrap_or(model_id);
        if id.contains("amazon.titan-embed-text-v2") {
            Some(Self::TitanV2)
        } else if id.contains("amazon.titan-embed-text-v1")
            || id.contains("amazon.titan-embed-g1-text")
        {
            Some(Self::TitanV1)
        } else if id.contains("cohere.embed-v4") {
            Some(Self::CohereV4)
        } else if id.contains("cohere.embed-english-v3")
            || id.contains("cohere.embed-multilingual-v3")
        {
            Some(Self::CohereV3)
        } else {
            None
        }
    }

    /// The most values one call takes: 1 for Titan, 96 for Cohere.
    pub fn max_embeddings_per_call(self) -> usize {
        if self.is_titan() { 1 } else { 96 }
    }

    /// Whether this is a Titan model.
    pub fn is_titan(self) -> bool {
        matches!(self, Self::TitanV1 | Self::TitanV2)
    }

    /// A readable name, e.g. `Titan Text Embeddings v2`.
    pub fn name(self) -> &'static str {
        match self {
            Self::TitanV1 => "Titan Text Embeddings v1",
            Self::TitanV2 => "Titan Text Embeddings v2",
            Self::CohereV3 => "Cohere Embed v3",
            Self::CohereV4 => "Cohere Embed v4",
        }
    }

    /// The [`EmbeddingOptions`] fields the family takes.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Self::TitanV1 => &[],
            Self::TitanV2 => &["dimensions", "normalize", "embedding_types"],
            Self::CohereV3 => &["input_type", "truncate", "embedding_types"],
            Self::CohereV4 => &[
                "input_type",
                "truncate",
                "embedding_types",
                "output_dimension",
            ],
        }
    }
}

#[cfg(test)]
mod tests;
