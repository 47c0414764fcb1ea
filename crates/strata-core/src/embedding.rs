//! Embedding models, and [`embed_many`] for inputs larger than one call.
//!
//! ```
//! # #[cfg(feature = "testing")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_core::Error> {
//! use strata_core::testing::MockEmbeddingModel;
//! use strata_core::{EmbedOptions, embed_many};
//!
//! // At most 2 values per call, calls may run in parallel.
//! let model = MockEmbeddingModel::new("mock", "embed").with_max_embeddings_per_call(2);
//! let values: Vec<String> = ["a", "bb", "ccc", "dddd", "eeeee"].map(String::from).into();
//! let result = embed_many(&model, values, EmbedOptions::default(), 2).await?;
//! assert_eq!(result.embeddings.len(), 5);
//! assert_eq!(result.embeddings[4][0], 5.0); // the mock embeds a value as [length, ...]
//! assert_eq!(model.batch_sizes(), vec![2, 2, 1]);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "testing"))]
//! # fn main() {}
//! ```

use std::sync::Arc;

use futures_util::StreamExt as _;
use http::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::result::{ResponseMetadata, Warning};
use crate::{BoxFuture, Error, ProviderMetadata, ProviderOptions};

/// One embedding vector.
pub type Embedding = Vec<f32>;

/// A model that turns text into vectors.
pub trait EmbeddingModel: Send + Sync {
    /// The provider's name.
    fn provider(&self) -> &str;

    /// The model id.
    fn model_id(&self) -> &str;

    /// The most values one [`embed`](Self::embed) call accepts; `None` for no limit.
    fn max_embeddings_per_call(&self) -> Option<usize>;

    /// Whether several `embed` calls may run at the same time.
    fn supports_parallel_calls(&self) -> bool;

    /// Embeds `values`, returning one embedding per value, in order.
    fn embed(
        &self,
        values: Vec<String>,
        options: EmbedOptions,
    ) -> BoxFuture<'_, Result<EmbedResult, Error>>;
}

impl std::fmt::Debug for dyn EmbeddingModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddingModel")
            .field("provider", &self.provider())
            .field("model_id", &self.model_id())
            .finish()
    }
}

macro_rules! forward_embedding_model {
    ($($ptr:ty),*) => {$(
        impl<M: EmbeddingModel + ?Sized> EmbeddingModel for $ptr {
            fn provider(&self) -> &str {
                (**self).provider()
            }
            fn model_id(&self) -> &str {
                (**self).model_id()
            }
            fn max_embeddings_per_call(&self) -> Option<usize> {
                (**self).max_embeddings_per_call()
            }
            fn supports_parallel_calls(&self) -> bool {
                (**self).supports_parallel_calls()
            }
            fn embed(&self, values: Vec<String>, options: EmbedOptions) -> BoxFuture<'_, Result<EmbedResult, Error>> {
                (**self).embed(values, options)
            }
        }
    )*};
}
forward_embedding_model!(Arc<M>, Box<M>, &M);

/// Settings of an embedding call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedOptions {
    /// Extra HTTP headers.
    #[serde(
        default,
        with = "crate::serde_util::header_map",
        skip_serializing_if = "crate::serde_util::header_map::is_empty"
    )]
    pub headers: HeaderMap,
    /// Provider-specific options (dimensions, normalization...).
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl EmbedOptions {
    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// Tokens an embedding call consumed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingUsage {
    /// Input tokens, when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u64>,
}

impl EmbeddingUsage {
    /// Usage of `tokens` tokens.
    pub fn new(tokens: Option<u64>) -> Self {
        Self { tokens }
    }
}

/// What [`EmbeddingModel::embed`] returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedResult {
    /// One embedding per value, in the order of the values.
    pub embeddings: Vec<Embedding>,
    /// Token usage.
    #[serde(default)]
    pub usage: EmbeddingUsage,
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

impl EmbedResult {
    /// A result with these embeddings.
    pub fn new(embeddings: Vec<Embedding>) -> Self {
        Self {
            embeddings,
            ..Self::default()
        }
    }
}

/// What [`embed_many`] returns: every batch's results, joined in input order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedManyResult {
    /// One embedding per input value, in input order.
    pub embeddings: Vec<Embedding>,
    /// Usage summed over the batches (`None` when no batch reported it).
    #[serde(default)]
    pub usage: EmbeddingUsage,
    /// The warnings of every batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Each batch's response metadata, in batch order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseMetadata>,
    /// The batches' provider metadata, merged (later batches win on conflicts).
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

/// Embeds any number of values: splits them into batches of at most
/// [`max_embeddings_per_call`](EmbeddingModel::max_embeddings_per_call), runs up to
/// `max_concurrency` batches at once when the model
/// [`supports_parallel_calls`](EmbeddingModel::supports_parallel_calls) (one at a time
/// otherwise), and returns the embeddings in input order.
///
/// The first failing batch's error is returned and the other batches are dropped (cancelled).
/// A batch that returns a different number of embeddings than values is an invalid-response
/// error. `max_concurrency == 0` is an invalid-argument error; no values means no call.
pub async fn embed_many<M>(
    model: &M,
    values: Vec<String>,
    options: EmbedOptions,
    max_concurrency: usize,
) -> Result<EmbedManyResult, Error>
where
    M: EmbeddingModel + ?Sized,
{
    if max_concurrency == 0 {
        return Err(Error::invalid_argument(
            "max_concurrency",
            "must be at least 1",
        ));
    }
    let mut out = EmbedManyResult::default();
    if values.is_empty() {
        return Ok(out);
    }
    let batch_size = match model.max_embeddings_per_call() {
        None => values.len(),
        Some(0) => {
            return Err(Error::invalid_argument(
                "max_embeddings_per_call",
                format!(
                    "model `{}` reports a limit of 0 values per call",
                    model.model_id()
                ),
            ));
        }
        Some(limit) => limit,
    };
    let concurrency = if model.supports_parallel_calls() {
        max_concurrency
    } else {
        1
    };
    out.embeddings.reserve(values.len());

    let mut values = values.into_iter();
    let batches = std::iter::from_fn(move || {
        let batch: Vec<String> = values.by_ref().take(batch_size).collect();
        (!batch.is_empty()).then_some(batch)
    });
    let mut results = futures_util::stream::iter(batches.map(|batch| {
        let expected = batch.len();
        let call = model.embed(batch, options.clone());
        async move { (expected, call.await) }
    }))
    .buffered(concurrency);

    while let Some((expected, result)) = results.next().await {
        let result = result?;
        if result.embeddings.len() != expected {
            return Err(Error::invalid_response(format!(
                "model `{}` returned {} embeddings for {} values",
                model.model_id(),
                result.embeddings.len(),
                expected
            )));
        }
        out.embeddings.extend(result.embeddings);
        out.usage.tokens = match (out.usage.tokens, result.usage.tokens) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        out.warnings.extend(result.warnings);
        out.responses.push(result.response);
        out.provider_metadata.merge(result.provider_metadata);
    }
    Ok(out)
}
