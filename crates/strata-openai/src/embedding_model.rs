//! [`OpenAiEmbeddingModel`]: `/embeddings` through the provider's stack.
//!
//! ```
//! use http::{Request, Response};
//! use strata_core::{EmbedOptions, EmbeddingModel};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = tower::service_fn(|_request: Request<ReplayableBody>| async move {
//!     let body = r#"{"data":[{"index":0,"embedding":[0.5,0.25]}],"usage":{"prompt_tokens":1,"total_tokens":1}}"#;
//!     Ok::<_, std::convert::Infallible>(Response::new(http_body_util::Full::new(bytes::Bytes::from(body))))
//! });
//! let openai = OpenAi::builder().api_key("sk-test").http_client(client).build()?;
//! let model = openai.embedding_model("text-embedding-3-small");
//! assert_eq!(model.max_embeddings_per_call(), Some(2048));
//! let result = model.embed(vec!["hello".into()], EmbedOptions::default()).await?;
//! assert_eq!(result.embeddings, vec![vec![0.5, 0.25]]);
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use strata_core::result::RequestBody;
use strata_core::{BoxFuture, EmbedOptions, EmbedResult, EmbeddingModel, Error};

use crate::client::OpenAiClient;
use crate::embeddings::{MAX_EMBEDDINGS_PER_CALL, build_embeddings_request, convert_response};

/// An embedding model over `/embeddings`.
#[derive(Debug, Clone)]
pub struct OpenAiEmbeddingModel {
    provider: Arc<str>,
    model_id: String,
    client: OpenAiClient,
}

impl OpenAiEmbeddingModel {
    pub(crate) fn new(provider: Arc<str>, model_id: &str, client: OpenAiClient) -> Self {
        Self {
            provider,
            model_id: model_id.to_owned(),
            client,
        }
    }
}

impl EmbeddingModel for OpenAiEmbeddingModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn max_embeddings_per_call(&self) -> Option<usize> {
        Some(MAX_EMBEDDINGS_PER_CALL)
    }

    fn supports_parallel_calls(&self) -> bool {
        true
    }

    fn embed(
        &self,
        values: Vec<String>,
        options: EmbedOptions,
    ) -> BoxFuture<'_, Result<EmbedResult, Error>> {
        Box::pin(async move {
            let request = build_embeddings_request(&self.model_id, &values, &options)?;
            let body = RequestBody::json_of(&request)?;
            let response = self
                .client
                .post_json("/embeddings", body.as_bytes().clone(), options.headers)
                .await?;
            convert_response(response.body(), response.headers(), values.len())
        })
    }
}
