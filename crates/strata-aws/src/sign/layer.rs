use std::sync::Arc;

use tower_layer::Layer;

use super::SigV4Signer;
use super::config::SigV4LayerBuilder;
use super::signer::Shared;

/// Applies [`SigV4Signer`] to a service. Services made by one layer share its learned clock
/// skew.
#[derive(Debug, Clone)]
pub struct SigV4Layer {
    shared: Arc<Shared>,
}

impl SigV4Layer {
    /// A builder; signing name and region are required.
    pub fn builder() -> SigV4LayerBuilder {
        SigV4LayerBuilder::default()
    }

    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// The clock offset learned from the service so far, in milliseconds (service time minus
    /// local time; 0 until a clock-skew error taught otherwise).
    pub fn clock_offset_ms(&self) -> i64 {
        self.shared.skew.offset_ms()
    }
}

impl<S> Layer<S> for SigV4Layer {
    type Service = SigV4Signer<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SigV4Signer::from_shared(inner, self.shared.clone())
    }
}
