//! The mock image and rerank models, and a mock provider.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Script, lock};
use crate::image::{ImageModel, ImageOptions, ImageResult};
use crate::provider::{ModelKind, Provider};
use crate::rerank::{RerankModel, RerankOptions, RerankResult};
use crate::{BoxFuture, EmbeddingModel, Error, LanguageModel};

/// A scripted [`ImageModel`] that records every [`ImageOptions`] it receives.
#[derive(Debug)]
pub struct MockImageModel {
    provider: String,
    model_id: String,
    max_images_per_call: Option<usize>,
    results: Script<Result<ImageResult, Error>>,
    calls: Mutex<Vec<ImageOptions>>,
}

impl MockImageModel {
    /// A mock with nothing scripted and no per-call limit.
    pub fn new(provider: impl Into<String>, model_id: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            model_id: model_id.into(),
            max_images_per_call: None,
            results: Script::new(),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Sets the per-call limit.
    pub fn with_max_images_per_call(mut self, max: usize) -> Self {
        self.max_images_per_call = Some(max);
        self
    }

    /// Scripts one call's outcome.
    pub fn with_result(self, outcome: Result<ImageResult, Error>) -> Self {
        self.results.push(outcome);
        self
    }

    /// The options of every call so far.
    pub fn calls(&self) -> Vec<ImageOptions> {
        lock(&self.calls).clone()
    }
}

impl ImageModel for MockImageModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn max_images_per_call(&self) -> Option<usize> {
        self.max_images_per_call
    }

    fn generate(&self, options: ImageOptions) -> BoxFuture<'_, Result<ImageResult, Error>> {
        lock(&self.calls).push(options);
        let outcome = self
            .results
            .next(|| format!("mock image model `{}`", self.model_id))
            .and_then(|o| o);
        Box::pin(async move { outcome })
    }
}

/// A scripted [`RerankModel`] that records every [`RerankOptions`] it receives.
#[derive(Debug)]
pub struct MockRerankModel {
    provider: String,
    model_id: String,
    results: Script<Result<RerankResult, Error>>,
    calls: Mutex<Vec<RerankOptions>>,
}

impl MockRerankModel {
    /// A mock with nothing scripted.
    pub fn new(provider: impl Into<String>, model_id: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            model_id: model_id.into(),
            results: Script::new(),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Scripts one call's outcome.
    pub fn with_result(self, outcome: Result<RerankResult, Error>) -> Self {
        self.results.push(outcome);
        self
    }

    /// The options of every call so far.
    pub fn calls(&self) -> Vec<RerankOptions> {
        lock(&self.calls).clone()
    }
}

impl RerankModel for MockRerankModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn rerank(&self, options: RerankOptions) -> BoxFuture<'_, Result<RerankResult, Error>> {
        lock(&self.calls).push(options);
        let outcome = self
            .results
            .next(|| format!("mock rerank model `{}`", self.model_id))
            .and_then(|o| o);
        Box::pin(async move { outcome })
    }
}

/// A [`Provider`] serving the models it was given, by their model ids.
///
/// An id it does not hold is an unknown-model error; a kind it holds no model of is an
/// unsupported error.
#[derive(Default)]
pub struct MockProvider {
    name: String,
    language: HashMap<String, Arc<dyn LanguageModel>>,
    embedding: HashMap<String, Arc<dyn EmbeddingModel>>,
    image: HashMap<String, Arc<dyn ImageModel>>,
    rerank: HashMap<String, Arc<dyn RerankModel>>,
}

impl std::fmt::Debug for MockProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockProvider")
            .field("name", &self.name)
            .field("language", &self.language.keys().collect::<Vec<_>>())
            .field("embedding", &self.embedding.keys().collect::<Vec<_>>())
            .field("image", &self.image.keys().collect::<Vec<_>>())
            .field("rerank", &self.rerank.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl MockProvider {
    /// A provider without models.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Serves a language model under its model id.
    pub fn with_language_model(mut self, model: Arc<dyn LanguageModel>) -> Self {
        self.language.insert(model.model_id().to_owned(), model);
        self
    }

    /// Serves an embedding model under its model id.
    pub fn with_embedding_model(mut self, model: Arc<dyn EmbeddingModel>) -> Self {
        self.embedding.insert(model.model_id().to_owned(), model);
        self
    }

    /// Serves an image model under its model id.
    pub fn with_image_model(mut self, model: Arc<dyn ImageModel>) -> Self {
        self.image.insert(model.model_id().to_owned(), model);
        self
    }

    /// Serves a rerank model under its model id.
    pub fn with_rerank_model(mut self, model: Arc<dyn RerankModel>) -> Self {
        self.rerank.insert(model.model_id().to_owned(), model);
        self
    }

    fn find<T: ?Sized>(
        &self,
        models: &HashMap<String, Arc<T>>,
        kind: ModelKind,
        id: &str,
    ) -> Result<Arc<T>, Error> {
        if models.is_empty() {
            return Err(Error::unsupported_model_kind(&self.name, kind));
        }
        models
            .get(id)
            .cloned()
            .ok_or_else(|| Error::unknown_model(&self.name, id))
    }
}

impl Provider for MockProvider {
    fn name(&self) -> &str {
        &self.name
    }

    fn language_model(&self, model_id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        self.find(&self.language, ModelKind::Language, model_id)
    }

    fn embedding_model(&self, model_id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        self.find(&self.embedding, ModelKind::Embedding, model_id)
    }

    fn image_model(&self, model_id: &str) -> Result<Arc<dyn ImageModel>, Error> {
        self.find(&self.image, ModelKind::Image, model_id)
    }

    fn rerank_model(&self, model_id: &str) -> Result<Arc<dyn RerankModel>, Error> {
        self.find(&self.rerank, ModelKind::Rerank, model_id)
    }
}
