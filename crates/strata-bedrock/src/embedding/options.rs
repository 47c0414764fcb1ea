//! Typed embedding options, read from `provider_options["bedrock"]` of
//! [`EmbedOptions`](strata_core::EmbedOptions).

use serde::{Deserialize, Serialize};
use strata_core::{Error, ProviderOptions};

/// Bedrock embedding options. Each model takes only some of them; the others are refused
/// before anything is sent (see [`EmbeddingFamily`](super::EmbeddingFamily)).
///
/// ```
/// use strata_bedrock::embedding::{CohereInputType, EmbeddingOptions};
/// use strata_core::EmbedOptions;
///
/// let mut bedrock = EmbeddingOptions::default();
/// bedrock.input_type = Some(CohereInputType::SearchDocument);
/// bedrock.output_dimension = Some(512);
/// let options = EmbedOptions::default().with_provider_options(bedrock.to_provider_options());
/// assert_eq!(EmbeddingOptions::from_provider_options(&options.provider_options)?, bedrock);
/// # Ok::<(), strata_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct EmbeddingOptions {
    /// Titan v2: the vector length, 256, 512 or 1,024 (default 1,024).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// Titan v2: whether vectors are scaled to unit length (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalize: Option<bool>,
    /// Cohere: what the texts are for (default `search_query`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_type: Option<CohereInputType>,
    /// Cohere: how texts longer than the model's limit are cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncate: Option<CohereTruncate>,
    /// Titan v2 (`float`, `binary`) and Cohere (all): the vector types to return. The first
    /// is returned as the embeddings; all are kept in the provider metadata under
    /// `embeddings_by_type` when more than one is asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedding_types: Vec<EmbeddingType>,
    /// Cohere v4: the vector length, 256, 512, 1,024 or 1,536 (default 1,536).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_dimension: Option<u32>,
}

impl EmbeddingOptions {
    /// Reads `provider_options["bedrock"]`; missing means all defaults.
    ///
    /// # Errors
    /// An invalid-argument error naming `provider_options.bedrock` for unknown keys or values
    /// of the wrong shape.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        crate::options::parse_provider_options(options)
    }

    /// These options as `{"bedrock": {...}}`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        crate::options::to_provider_options(self)
    }

    /// The names of the options that are set, in declaration order.
    pub(crate) fn set_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.dimensions.is_some() {
            names.push("dimensions");
        }
        if self.normalize.is_some() {
            names.push("normalize");
        }
        if self.input_type.is_some() {
            names.push("input_type");
        }
        if self.truncate.is_some() {
            names.push("truncate");
        }
        if !self.embedding_types.is_empty() {
            names.push("embedding_types");
        }
        if self.output_dimension.is_some() {
            names.push("output_dimension");
        }
        names
    }
}

/// Cohere `input_type`: what the texts will be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CohereInputType {
    /// Documents stored in a search index.
    SearchDocument,
    /// Queries run against such an index (the default).
    #[default]
    SearchQuery,
    /// Texts given to a classifier.
    Classification,
    /// Texts to be clustered.
    Clustering,
}

impl CohereInputType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SearchDocument => "search_document",
            Self::SearchQuery => "search_query",
            Self::Classification => "classification",
            Self::Clustering => "clustering",
        }
    }
}

/// Cohere `truncate`: how texts longer than the model's limit are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum CohereTruncate {
    /// Refuse long texts.
    None,
    /// Drop the start.
    Start,
    /// Drop the end.
    End,
}

impl CohereTruncate {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Start => "START",
            Self::End => "END",
        }
    }
}

/// A vector type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EmbeddingType {
    /// 32-bit floats.
    Float,
    /// Signed bytes (Cohere).
    Int8,
    /// Unsigned bytes (Cohere).
    Uint8,
    /// Packed bits as signed bytes (Cohere), or one 0/1 per dimension (Titan v2).
    Binary,
    /// Packed bits as unsigned bytes (Cohere).
    Ubinary,
}

impl EmbeddingType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Float => "float",
            Self::Int8 => "int8",
            Self::Uint8 => "uint8",
            Self::Binary => "binary",
            Self::Ubinary => "ubinary",
        }
    }
}
