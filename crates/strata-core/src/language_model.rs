//! The [`LanguageModel`] trait.
//!
//! ```
//! # #[cfg(feature = "testing")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_core::Error> {
//! use std::sync::Arc;
//! use strata_core::{CallOptions, Content, FinishReason, GenerateResult, LanguageModel, Message};
//! use strata_core::testing::MockLanguageModel;
//!
//! let model: Arc<dyn LanguageModel> = Arc::new(MockLanguageModel::new("mock", "echo").with_result(
//!     GenerateResult::new(vec![Content::text("Bonjour")], FinishReason::Stop),
//! ));
//! let options = CallOptions::new(vec![Message::user_text("Say hello in French")]);
//! let streamed = model.stream(options.clone()).await?.collect().await?;
//! let generated = model.generate(options).await?;
//! assert_eq!(generated.text(), "Bonjour");
//! assert_eq!(streamed, generated);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "testing"))]
//! # fn main() {}
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::{CallOptions, Error, GenerateResult, StreamResult};

/// A boxed, sendable future: what the object-safe model traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A model that generates text (and reasoning, tool calls, files...) from a prompt.
///
/// Object safe: hold models as `Arc<dyn LanguageModel>` and mix providers freely.
pub trait LanguageModel: Send + Sync {
    /// The provider's name, e.g. `"bedrock"`; the namespace of its provider options.
    fn provider(&self) -> &str;

    /// The model id, e.g. `"anthropic.claude-sonnet-4-20250514-v1:0"`.
    fn model_id(&self) -> &str;

    /// Generates a complete response.
    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>>;

    /// Starts a streamed response. The future resolves once the response has started (headers
    /// received); failures after that arrive as [`StreamPart::Error`](crate::StreamPart::Error).
    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>>;
}

impl std::fmt::Debug for dyn LanguageModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageModel")
            .field("provider", &self.provider())
            .field("model_id", &self.model_id())
            .finish()
    }
}

macro_rules! forward_language_model {
    ($($ptr:ty),*) => {$(
        impl<M: LanguageModel + ?Sized> LanguageModel for $ptr {
            fn provider(&self) -> &str {
                (**self).provider()
            }
            fn model_id(&self) -> &str {
                (**self).model_id()
            }
            fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
                (**self).generate(options)
            }
            fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
                (**self).stream(options)
            }
        }
    )*};
}
forward_language_model!(Arc<M>, Box<M>, &M);
