//! Reranking models: order documents by relevance to a query.
//!
//! ```
//! use serde_json::json;
//! use strata_core::RerankOptions;
//! use strata_core::rerank::RerankDocuments;
//!
//! let options = RerankOptions::new("capital of France", RerankDocuments::texts(["Paris is...", "Berlin is..."]))
//!     .with_top_n(1);
//! assert_eq!(options.documents.len(), 2);
//! let json_docs = RerankDocuments::Json(vec![json!({"title": "Paris"})]);
//! assert_eq!(json_docs.len(), 1);
//! ```

use std::sync::Arc;

use http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::result::{ResponseMetadata, Warning};
use crate::{BoxFuture, Error, ProviderMetadata, ProviderOptions};

/// A model that ranks documents against a query.
pub trait RerankModel: Send + Sync {
    /// The provider's name.
    fn provider(&self) -> &str;

    /// The model id.
    fn model_id(&self) -> &str;

    /// Ranks the documents, most relevant first.
    fn rerank(&self, options: RerankOptions) -> BoxFuture<'_, Result<RerankResult, Error>>;
}

impl std::fmt::Debug for dyn RerankModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RerankModel")
            .field("provider", &self.provider())
            .field("model_id", &self.model_id())
            .finish()
    }
}

macro_rules! forward_rerank_model {
    ($($ptr:ty),*) => {$(
        impl<M: RerankModel + ?Sized> RerankModel for $ptr {
            fn provider(&self) -> &str {
                (**self).provider()
            }
            fn model_id(&self) -> &str {
                (**self).model_id()
            }
            fn rerank(&self, options: RerankOptions) -> BoxFuture<'_, Result<RerankResult, Error>> {
                (**self).rerank(options)
            }
        }
    )*};
}
forward_rerank_model!(Arc<M>, Box<M>, &M);

/// The documents to rank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RerankDocuments {
    /// Plain-text documents.
    Text(Vec<String>),
    /// JSON documents.
    Json(Vec<Value>),
}

impl RerankDocuments {
    /// Text documents from anything string-like.
    pub fn texts<I, S>(texts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        RerankDocuments::Text(texts.into_iter().map(Into::into).collect())
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        match self {
            RerankDocuments::Text(docs) => docs.len(),
            RerankDocuments::Json(docs) => docs.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Settings of a rerank call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RerankOptions {
    /// The query.
    pub query: String,
    /// The documents.
    pub documents: RerankDocuments,
    /// Return only the best N; `None` for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_n: Option<usize>,
    /// Extra HTTP headers.
    #[serde(
        default,
        with = "crate::serde_util::header_map",
        skip_serializing_if = "crate::serde_util::header_map::is_empty"
    )]
    pub headers: HeaderMap,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl RerankOptions {
    /// Options for a query and documents.
    pub fn new(query: impl Into<String>, documents: RerankDocuments) -> Self {
        Self {
            query: query.into(),
            documents,
            top_n: None,
            headers: HeaderMap::new(),
            provider_options: ProviderOptions::default(),
        }
    }

    /// Returns only the best `n`.
    pub fn with_top_n(mut self, n: usize) -> Self {
        self.top_n = Some(n);
        self
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// One ranked document.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RankedDocument {
    /// The document's index in [`RerankOptions::documents`].
    pub index: usize,
    /// How relevant it is; higher is more relevant.
    pub relevance_score: f64,
}

impl RankedDocument {
    /// A ranked document.
    pub fn new(index: usize, relevance_score: f64) -> Self {
        Self {
            index,
            relevance_score,
        }
    }
}

/// What [`RerankModel::rerank`] returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RerankResult {
    /// The documents, most relevant first.
    pub ranking: Vec<RankedDocument>,
    /// Settings the provider ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Response metadata.
    #[serde(default)]
    pub response: ResponseMetadata,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl RerankResult {
    /// A result with this ranking.
    pub fn new(ranking: Vec<RankedDocument>) -> Self {
        Self {
            ranking,
            ..Self::default()
        }
    }
}
