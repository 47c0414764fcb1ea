use tower_layer::Layer;

use super::CredentialsService;
use super::cache::CredentialsCache;

/// Applies [`CredentialsService`] to a service: every request gets the cache's current
/// credentials in its extensions.
#[derive(Debug, Clone)]
pub struct CredentialsLayer {
    cache: CredentialsCache,
}

impl CredentialsLayer {
    /// A layer drawing credentials from `cache`.
    pub fn new(cache: CredentialsCache) -> Self {
        Self { cache }
    }

    /// The cache this layer draws from.
    pub fn cache(&self) -> &CredentialsCache {
        &self.cache
    }
}

impl<S> Layer<S> for CredentialsLayer {
    type Service = CredentialsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CredentialsService {
            inner,
            cache: self.cache.clone(),
        }
    }
}
