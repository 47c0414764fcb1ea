use std::sync::Arc;

use tower_layer::Layer;

use super::policy::{Policy, Shared};
use super::{Classifier, HttpClassifier, Retry, RetryBudget, RetryConfig};

/// A [`Layer`] producing [`Retry`] services.
///
/// Every service the layer builds, and every clone of those, draws on the same
/// [`RetryBudget`].
#[derive(Clone, Debug)]
pub struct RetryLayer {
    policy: Policy,
}

impl RetryLayer {
    /// A layer with this configuration, the [`HttpClassifier`] and a fresh
    /// [standard](RetryBudget::standard) budget.
    pub fn new(config: RetryConfig) -> Self {
        Self::build(config, RetryBudget::standard(), Arc::new(HttpClassifier))
    }

    /// Uses `classifier` to decide what is retried.
    pub fn with_classifier(self, classifier: impl Classifier) -> Self {
        let shared = self.policy.shared();
        Self::build(shared.config, shared.budget.clone(), Arc::new(classifier))
    }

    /// Uses a shared `classifier` (no second `Arc` around it).
    pub fn with_shared_classifier(self, classifier: Arc<dyn Classifier>) -> Self {
        let shared = self.policy.shared();
        Self::build(shared.config, shared.budget.clone(), classifier)
    }

    /// Draws on `budget`, which may be shared with other layers.
    pub fn with_budget(self, budget: RetryBudget) -> Self {
        let shared = self.policy.shared();
        Self::build(shared.config, budget, shared.classifier.clone())
    }

    /// The budget retries draw on.
    pub fn budget(&self) -> &RetryBudget {
        &self.policy.shared().budget
    }

    fn build(config: RetryConfig, budget: RetryBudget, classifier: Arc<dyn Classifier>) -> Self {
        Self {
            policy: Policy::new(Arc::new(Shared {
                config,
                budget,
                classifier,
            })),
        }
    }
}

impl Default for RetryLayer {
    fn default() -> Self {
        Self::new(RetryConfig::default())
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry::from_policy(self.policy.clone(), inner)
    }
}
