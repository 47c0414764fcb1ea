//! [`BedrockEmbeddingModel`]: [`EmbeddingModel`] over InvokeModel.

use std::fmt;

use strata_core::{BoxFuture, EmbedOptions, EmbedResult, EmbeddingModel, Error};

use super::{EmbeddingFamily, build_request};
use crate::client::BedrockClient;
use crate::invoke::invoke_model;
use crate::options::PROVIDER;

/// A Titan or Cohere embedding model on Bedrock. Made by the provider's `embedding_model`;
/// cheap to clone.
///
/// ```
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::embedding::BedrockEmbeddingModel;
/// use strata_core::{EmbedOptions, EmbeddingModel, embed_many};
/// use strata_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::builder().start().await?;
/// let bedrock = Bedrock::builder()
///     .env([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
///     .region(emulator.region())
///     .endpoint_url(emulator.url())
///     .build()?;
/// let model = BedrockEmbeddingModel::new(bedrock.client().clone(), "amazon.titan-embed-text-v2:0")?;
/// assert_eq!(model.max_embeddings_per_call(), Some(1));
/// let values = vec!["sunny day".to_owned(), "rainy night".to_owned()];
/// let result = embed_many(&model, values, EmbedOptions::default(), 4).await?;
/// assert_eq!(result.embeddings.len(), 2);
/// assert_eq!(result.embeddings[0].len(), 1024);
/// assert_eq!(result.usage.tokens, Some(4));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct BedrockEmbeddingModel {
    client: BedrockClient,
    model_id: String,
    family: EmbeddingFamily,
}

impl fmt::Debug for BedrockEmbeddingModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockEmbeddingModel")
            .field("model_id", &self.model_id)
            .field("family", &self.family)
            .field("client", &self.client)
            .finish()
    }
}

impl BedrockEmbeddingModel {
    /// The model with this id (foundation model id, inference-profile id or ARN naming the
    /// model) on `client`.
    ///
    /// # Errors
    /// An unknown-model error when the id names no Titan or Cohere embedding model; use
    /// [`with_family`](Self::with_family) for ARNs that do not name the model.
    pub fn new(client: BedrockClient, model_id: impl Into<String>) -> Result<Self, Error> {
        let model_id = model_id.into();
        let family = EmbeddingFamily::of(&model_id)
            .ok_or_else(|| Error::unknown_model(PROVIDER, model_id.clone()))?;
        Ok(Self::with_family(client, model_id, family))
    }

    /// The model with this id, read as `family` (for provisioned-throughput or custom-model
    /// ARNs).
    pub fn with_family(
        client: BedrockClient,
        model_id: impl Into<String>,
        family: EmbeddingFamily,
    ) -> Self {
        Self {
            client,
            model_id: model_id.into(),
            family,
        }
    }

    /// The model family.
    pub fn family(&self) -> EmbeddingFamily {
        self.family
    }

    async fn embed_inner(
        &self,
        values: Vec<String>,
        options: EmbedOptions,
    ) -> Result<EmbedResult, Error> {
        let prepared = build_request(&self.model_id, self.family, &values, &options)?;
        let response = invoke_model(&self.client, &prepared.request).await?;
        prepared.context.parse_response(&response)
    }
}

impl EmbeddingModel for BedrockEmbeddingModel {
    fn provider(&self) -> &str {
        PROVIDER
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn max_embeddings_per_call(&self) -> Option<usize> {
        Some(self.family.max_embeddings_per_call())
    }

    fn supports_parallel_calls(&self) -> bool {
        true
    }

    fn embed(
        &self,
        values: Vec<String>,
        options: EmbedOptions,
    ) -> BoxFuture<'_, Result<EmbedResult, Error>> {
        Box::pin(self.embed_inner(values, options))
    }
}
