//! [`BedrockImageModel`]: [`ImageModel`] over InvokeModel.

use std::fmt;

use strata_core::{BoxFuture, Error, ImageModel, ImageOptions, ImageResult};

use super::{ImageFamily, MAX_IMAGES_PER_CALL, build_requests, parse_response};
use crate::client::BedrockClient;
use crate::invoke::invoke_model;
use crate::options::PROVIDER;

/// A Nova Canvas or Titan Image Generator v2 model on Bedrock. Made by the provider's
/// `image_model`; cheap to clone.
///
/// `generate` sends one InvokeModel call per batch of up to five images, one after the other,
/// and returns every image in order; the first failing call fails the whole generation.
///
/// ```
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::image::BedrockImageModel;
/// use strata_core::image::ImageSize;
/// use strata_core::{ImageModel, ImageOptions};
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
/// let model = BedrockImageModel::new(bedrock.client().clone(), "amazon.nova-canvas-v1:0")?;
/// let options = ImageOptions::new("a lighthouse at dusk").with_size(ImageSize::new(512, 320)).with_n(2);
/// let result = model.generate(options).await?;
/// assert_eq!(result.images.len(), 2);
/// assert_eq!(result.images[0].media_type, "image/png");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct BedrockImageModel {
    client: BedrockClient,
    model_id: String,
    family: ImageFamily,
}

impl fmt::Debug for BedrockImageModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockImageModel")
            .field("model_id", &self.model_id)
            .field("family", &self.family)
            .field("client", &self.client)
            .finish()
    }
}

impl BedrockImageModel {
    /// The model with this id (foundation model id, inference-profile id or ARN naming the
    /// model) on `client`.
    ///
    /// # Errors
    /// An unknown-model error when the id names neither Nova Canvas nor Titan Image Generator
    /// v2; use [`with_family`](Self::with_family) for ARNs that do not name the model.
    pub fn new(client: BedrockClient, model_id: impl Into<String>) -> Result<Self, Error> {
        let model_id = model_id.into();
        let family = ImageFamily::of(&model_id)
            .ok_or_else(|| Error::unknown_model(PROVIDER, model_id.clone()))?;
        Ok(Self::with_family(client, model_id, family))
    }

    /// The model with this id, read as `family`.
    pub fn with_family(
        client: BedrockClient,
        model_id: impl Into<String>,
        family: ImageFamily,
    ) -> Self {
        Self {
            client,
            model_id: model_id.into(),
            family,
        }
    }

    /// The model family.
    pub fn family(&self) -> ImageFamily {
        self.family
    }

    async fn generate_inner(&self, options: ImageOptions) -> Result<ImageResult, Error> {
        let prepared = build_requests(&self.model_id, self.family, &options)?;
        let mut result = ImageResult::default();
        result.warnings = prepared.warnings;
        for (request, count) in &prepared.calls {
            let response = invoke_model(&self.client, request).await?;
            let (images, warnings) = parse_response(&response, *count)?;
            result.images.extend(images);
            result.warnings.extend(warnings);
            result.response = response.metadata(&self.model_id);
        }
        result
            .provider_metadata
            .insert(PROVIDER, "task_type", prepared.task.as_str());
        Ok(result)
    }
}

impl ImageModel for BedrockImageModel {
    fn provider(&self) -> &str {
        PROVIDER
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn max_images_per_call(&self) -> Option<usize> {
        Some(MAX_IMAGES_PER_CALL as usize)
    }

    fn generate(&self, options: ImageOptions) -> BoxFuture<'_, Result<ImageResult, Error>> {
        Box::pin(self.generate_inner(options))
    }
}
