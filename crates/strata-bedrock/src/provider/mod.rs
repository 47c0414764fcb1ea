//! [`Bedrock`]: the provider that hands out Bedrock models.
//!
//! Build one with [`Bedrock::builder`] (see [`config`](crate::config) for every setting) or
//! [`Bedrock::from_env`]. Model ids may be foundation model ids
//! (`amazon.nova-pro-v1:0`), inference-profile ids (`us.`, `eu.`, `apac.`, `global.` …) or
//! ARNs; they are sent percent-encoded as one path segment.
//!
//! ```
//! use std::sync::Arc;
//!
//! use strata_bedrock::Bedrock;
//! use strata_core::Registry;
//!
//! let bedrock = Bedrock::builder()
//!     .env_vars([("AWS_REGION", "us-west-2")])
//!     .api_key("bedrock-api-key-example")
//!     .build()?;
//! let registry = Registry::new().with_provider("bedrock", Arc::new(bedrock));
//! let model = registry.language_model("bedrock:global.anthropic.claude-sonnet-4-5-20250929-v1:0")?;
//! assert_eq!(model.provider(), "bedrock");
//! assert_eq!(model.model_id(), "global.anthropic.claude-sonnet-4-5-20250929-v1:0");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use strata_core::{EmbeddingModel, Error, ImageModel, LanguageModel, Provider, RerankModel};

use crate::client::BedrockClient;
use crate::config::{BedrockBuilder, BuildError};
use crate::language_model::BedrockLanguageModel;
use crate::options::PROVIDER;

/// The Amazon Bedrock provider. Cheap to clone: clones share the connection pool, the
/// credentials cache and the retry budget.
#[derive(Clone, Debug)]
pub struct Bedrock {
    client: BedrockClient,
}

impl Bedrock {
    /// A builder; see [`config`](crate::config).
    pub fn builder() -> BedrockBuilder {
        BedrockBuilder::default()
    }

    /// A provider configured from the process environment and the shared AWS files alone.
    ///
    /// # Errors
    /// As [`BedrockBuilder::build`].
    pub fn from_env() -> Result<Self, BuildError> {
        Self::builder().build()
    }

    pub(crate) fn from_client(client: BedrockClient) -> Self {
        Self { client }
    }

    /// The transport the provider's models send through.
    pub fn client(&self) -> &BedrockClient {
        &self.client
    }

    /// The language model with this id (no request is made).
    pub fn language_model(&self, model_id: impl Into<String>) -> BedrockLanguageModel {
        BedrockLanguageModel::new(self.client.clone(), model_id)
    }
}

/// Refuses ids that cannot name a model.
fn check_model_id(model_id: &str) -> Result<(), Error> {
    if model_id.trim().is_empty() {
        return Err(Error::invalid_argument(
            "model_id",
            "a Bedrock model id must not be empty",
        ));
    }
    Ok(())
}

impl Provider for Bedrock {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn language_model(&self, model_id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        check_model_id(model_id)?;
        Ok(Arc::new(Bedrock::language_model(self, model_id)))
    }

    fn embedding_model(&self, model_id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        check_model_id(model_id)?;
        let model = crate::embedding::BedrockEmbeddingModel::new(self.client.clone(), model_id)?;
        Ok(Arc::new(model))
    }

    fn image_model(&self, model_id: &str) -> Result<Arc<dyn ImageModel>, Error> {
        check_model_id(model_id)?;
        let model = crate::image::BedrockImageModel::new(self.client.clone(), model_id)?;
        Ok(Arc::new(model))
    }

    fn rerank_model(&self, model_id: &str) -> Result<Arc<dyn RerankModel>, Error> {
        check_model_id(model_id)?;
        let model = crate::rerank::BedrockRerankModel::new(self.client.clone(), model_id);
        Ok(Arc::new(model))
    }
}
