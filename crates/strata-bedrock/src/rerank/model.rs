//! [`BedrockRerankModel`]: [`RerankModel`] over the agent runtime's Rerank operation.

use std::fmt;

use strata_core::{BoxFuture, Error, RerankModel, RerankOptions, RerankResult};

use super::{build_request, model_arn, parse_response};
use crate::client::{BedrockClient, Target};
use crate::options::PROVIDER;

/// A rerank model on Bedrock (Amazon Rerank v1, Cohere Rerank v3.5). Made by the provider's
/// `rerank_model`; cheap to clone.
///
/// ```
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::rerank::BedrockRerankModel;
/// use strata_core::rerank::RerankDocuments;
/// use strata_core::{RerankModel, RerankOptions};
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
/// let model = BedrockRerankModel::new(bedrock.client().clone(), "amazon.rerank-v1:0");
/// assert!(model.model_arn().ends_with("::foundation-model/amazon.rerank-v1:0"));
/// let documents = RerankDocuments::texts(["green pears", "red apples", "apples and pears"]);
/// let result = model.rerank(RerankOptions::new("red apples", documents).with_top_n(2)).await?;
/// let order: Vec<usize> = result.ranking.iter().map(|r| r.index).collect();
/// assert_eq!(order, [1, 2]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct BedrockRerankModel {
    client: BedrockClient,
    model_id: String,
    model_arn: String,
}

impl fmt::Debug for BedrockRerankModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockRerankModel")
            .field("model_id", &self.model_id)
            .field("model_arn", &self.model_arn)
            .field("client", &self.client)
            .finish()
    }
}

impl BedrockRerankModel {
    /// The model with this id in the client's region, or this ARN.
    pub fn new(client: BedrockClient, model_id: impl Into<String>) -> Self {
        let model_id = model_id.into();
        Self {
            model_arn: model_arn(client.region(), &model_id),
            client,
            model_id,
        }
    }

    /// The model ARN sent in `modelConfiguration.modelArn`.
    pub fn model_arn(&self) -> &str {
        &self.model_arn
    }

    async fn rerank_inner(&self, options: RerankOptions) -> Result<RerankResult, Error> {
        let body = build_request(&self.model_arn, &options)?;
        let response = self
            .client
            .post_json(
                Target::AgentRuntime,
                "/rerank",
                body.to_string(),
                options.headers.clone(),
            )
            .await?;
        let mut result =
            parse_response(options.documents.len(), response.headers(), response.body())?;
        result.response.model_id = Some(self.model_id.clone());
        Ok(result)
    }
}

impl RerankModel for BedrockRerankModel {
    fn provider(&self) -> &str {
        PROVIDER
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn rerank(&self, options: RerankOptions) -> BoxFuture<'_, Result<RerankResult, Error>> {
        Box::pin(self.rerank_inner(options))
    }
}
