//! Providers hand out models by id; a [`Registry`] resolves `"prefix:model-id"` strings.
//!
//! ```
//! # #[cfg(feature = "testing")]
//! # fn main() -> Result<(), strata_core::Error> {
//! use std::sync::Arc;
//! use strata_core::Registry;
//! use strata_core::testing::{MockLanguageModel, MockProvider};
//!
//! let provider = MockProvider::new("mock")
//!     .with_language_model(Arc::new(MockLanguageModel::new("mock", "fast-v1:0")));
//! let registry = Registry::new().with_provider("local", Arc::new(provider));
//!
//! // Model ids may contain the separator: only the first one splits.
//! let model = registry.language_model("local:fast-v1:0")?;
//! assert_eq!(model.model_id(), "fast-v1:0");
//! assert!(registry.language_model("cloud:fast-v1:0").unwrap_err().is_unknown_provider());
//! assert!(registry.image_model("local:anything").unwrap_err().is_unsupported());
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "testing"))]
//! # fn main() {}
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::{EmbeddingModel, Error, ImageModel, LanguageModel, RerankModel};

/// The four kinds of model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ModelKind {
    /// [`LanguageModel`].
    Language,
    /// [`EmbeddingModel`].
    Embedding,
    /// [`ImageModel`].
    Image,
    /// [`RerankModel`].
    Rerank,
}

impl ModelKind {
    /// The kind's name (`"language"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Language => "language",
            ModelKind::Embedding => "embedding",
            ModelKind::Image => "image",
            ModelKind::Rerank => "rerank",
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// `provider` does not offer models of this kind (an [unsupported](Error::is_unsupported)
    /// error).
    pub fn unsupported_model_kind(provider: &str, kind: ModelKind) -> Self {
        Error::unsupported(format!("provider `{provider}` has no {kind} models"))
    }
}

/// A source of models. Each method returns the model with that id, an
/// [unknown-model](Error::is_unknown_model) error, or, by default, an
/// [unsupported](Error::is_unsupported) error for kinds the provider does not offer.
pub trait Provider: Send + Sync {
    /// The provider's name, e.g. `"bedrock"`.
    fn name(&self) -> &str;

    /// A language model.
    fn language_model(&self, model_id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        let _ = model_id;
        Err(Error::unsupported_model_kind(
            self.name(),
            ModelKind::Language,
        ))
    }

    /// An embedding model.
    fn embedding_model(&self, model_id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        let _ = model_id;
        Err(Error::unsupported_model_kind(
            self.name(),
            ModelKind::Embedding,
        ))
    }

    /// An image model.
    fn image_model(&self, model_id: &str) -> Result<Arc<dyn ImageModel>, Error> {
        let _ = model_id;
        Err(Error::unsupported_model_kind(self.name(), ModelKind::Image))
    }

    /// A rerank model.
    fn rerank_model(&self, model_id: &str) -> Result<Arc<dyn RerankModel>, Error> {
        let _ = model_id;
        Err(Error::unsupported_model_kind(
            self.name(),
            ModelKind::Rerank,
        ))
    }
}

impl fmt::Debug for dyn Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider")
            .field("name", &self.name())
            .finish()
    }
}

impl<P: Provider + ?Sized> Provider for Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn language_model(&self, model_id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        (**self).language_model(model_id)
    }
    fn embedding_model(&self, model_id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        (**self).embedding_model(model_id)
    }
    fn image_model(&self, model_id: &str) -> Result<Arc<dyn ImageModel>, Error> {
        (**self).image_model(model_id)
    }
    fn rerank_model(&self, model_id: &str) -> Result<Arc<dyn RerankModel>, Error> {
        (**self).rerank_model(model_id)
    }
}

/// Providers by prefix, resolving ids like `"bedrock:amazon.nova-pro-v1:0"`.
///
/// The id is split at the *first* separator (`:` unless changed), so model ids may contain it.
#[derive(Clone)]
pub struct Registry {
    providers: BTreeMap<String, Arc<dyn Provider>>,
    separator: char,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// An empty registry with `:` as separator.
    pub fn new() -> Self {
        Self {
            providers: BTreeMap::new(),
            separator: ':',
        }
    }

    /// Uses another separator between prefix and model id.
    pub fn with_separator(mut self, separator: char) -> Self {
        self.separator = separator;
        self
    }

    /// Registers a provider under `prefix` (chainable).
    pub fn with_provider(mut self, prefix: impl Into<String>, provider: Arc<dyn Provider>) -> Self {
        self.register(prefix, provider);
        self
    }

    /// Registers a provider under `prefix`, returning the one it replaced.
    pub fn register(
        &mut self,
        prefix: impl Into<String>,
        provider: Arc<dyn Provider>,
    ) -> Option<Arc<dyn Provider>> {
        self.providers.insert(prefix.into(), provider)
    }

    /// The provider under `prefix`.
    pub fn provider(&self, prefix: &str) -> Option<&Arc<dyn Provider>> {
        self.providers.get(prefix)
    }

    /// The registered prefixes, sorted.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }

    fn resolve<'a>(&self, id: &'a str) -> Result<(&Arc<dyn Provider>, &'a str), Error> {
        let separator = self.separator;
        let (prefix, model_id) = id
            .split_once(separator)
            .filter(|(prefix, model_id)| !prefix.is_empty() && !model_id.is_empty())
            .ok_or_else(|| {
                Error::invalid_argument(
                    "model id",
                    format!("`{id}` is not of the form `provider{separator}model-id`"),
                )
            })?;
        let provider = self
            .providers
            .get(prefix)
            .ok_or_else(|| Error::unknown_provider(prefix))?;
        Ok((provider, model_id))
    }

    /// The language model for `"prefix:model-id"`.
    pub fn language_model(&self, id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        let (provider, model_id) = self.resolve(id)?;
        provider.language_model(model_id)
    }

    /// The embedding model for `"prefix:model-id"`.
    pub fn embedding_model(&self, id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        let (provider, model_id) = self.resolve(id)?;
        provider.embedding_model(model_id)
    }

    /// The image model for `"prefix:model-id"`.
    pub fn image_model(&self, id: &str) -> Result<Arc<dyn ImageModel>, Error> {
        let (provider, model_id) = self.resolve(id)?;
        provider.image_model(model_id)
    }

    /// The rerank model for `"prefix:model-id"`.
    pub fn rerank_model(&self, id: &str) -> Result<Arc<dyn RerankModel>, Error> {
        let (provider, model_id) = self.resolve(id)?;
        provider.rerank_model(model_id)
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("prefixes", &self.providers.keys().collect::<Vec<_>>())
            .field("separator", &self.separator)
            .finish()
    }
}
