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
//!     .env([("AWS_REGION", "us-west-2")])
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

use strata_http::runtime::BuildError;
use strata_http::service::HttpService;

use crate::client::{BedrockClient, BedrockEndpoints};
use crate::config::BedrockBuilder;
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

    /// A provider over a stack you built: `service` must authenticate requests itself (build
    /// it with [`RuntimeBuilder::build_service`](strata_http::runtime::RuntimeBuilder::build_service)
    /// and [`AwsAuth::into_auth`](strata_aws::auth::AwsAuth::into_auth), or by hand), and
    /// `endpoints` says where requests go. Responses are read, and errors typed, as for a
    /// built provider.
    ///
    /// ```
    /// use strata_aws::auth::AwsSettings;
    /// use strata_aws::region::Region;
    /// use strata_bedrock::Bedrock;
    /// use strata_bedrock::client::BedrockEndpoints;
    /// use strata_http::env::Env;
    /// use strata_http::runtime::RuntimeBuilder;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let region = Region::new("us-east-1")?;
    /// let auth = AwsSettings::default()
    ///     .access_key_id("AKIDEXAMPLE")
    ///     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    ///     .resolve(&Env::default(), Some(&region))?
    ///     .into_auth("bedrock", Some(&region))?;
    /// let service = RuntimeBuilder::default()
    ///     .retry_classifier(strata_aws::error::AwsClassifier::new())
    ///     .build_service(&auth)?;
    /// let endpoints = BedrockEndpoints::new("us-east-1", "https://bedrock-runtime.us-east-1.amazonaws.com", None)?;
    /// let bedrock = Bedrock::from_service(service, endpoints);
    /// assert_eq!(bedrock.client().region(), "us-east-1");
    /// # Ok(()) }
    /// ```
    pub fn from_service(service: HttpService, endpoints: BedrockEndpoints) -> Self {
        Self::from_client(BedrockClient::from_service(service, endpoints))
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
