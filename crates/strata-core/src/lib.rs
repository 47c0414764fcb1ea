//! The strata provider spec: the traits every model provider implements and every application
//! programs against, with the prompt, option, content, stream-part and error types they share.
//!
//! - [`LanguageModel`]: `generate` and `stream` from a [`CallOptions`] prompt.
//! - [`EmbeddingModel`]: `embed` values into vectors; [`embed_many`] batches large inputs.
//! - [`ImageModel`]: generate images.
//! - [`RerankModel`]: rank documents against a query.
//! - [`Provider`] hands out models by id; a [`Registry`] resolves `"prefix:model-id"`.
//!
//! The design follows the Vercel AI SDK provider specification in Rust terms: traits are object
//! safe, `Send + Sync`, and return boxed futures, so `Arc<dyn LanguageModel>` works and one
//! `Vec` can mix providers. There is no HTTP client and no AWS code here.
//!
//! ```
//! # #[cfg(feature = "testing")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_core::Error> {
//! use std::sync::Arc;
//!
//! use futures_util::StreamExt as _;
//! use strata_core::testing::MockLanguageModel;
//! use strata_core::{CallOptions, Content, FinishReason, GenerateResult, LanguageModel, Message, StreamPart};
//!
//! // Any provider's model; here a test double that answers "Hi there!".
//! let model: Arc<dyn LanguageModel> = Arc::new(MockLanguageModel::new("mock", "greeter").with_result(
//!     GenerateResult::new(vec![Content::text("Hi there!")], FinishReason::Stop),
//! ));
//!
//! let options = CallOptions::new(vec![
//!     Message::system("You are friendly."),
//!     Message::user_text("Hello!"),
//! ])
//! .with_max_output_tokens(100);
//!
//! let result = model.generate(options.clone()).await?;
//! assert_eq!(result.text(), "Hi there!");
//!
//! let mut stream = model.stream(options).await?.stream;
//! let mut text = String::new();
//! while let Some(part) = stream.next().await {
//!     if let StreamPart::TextDelta { delta, .. } = part {
//!         text.push_str(&delta);
//!     }
//! }
//! assert_eq!(text, "Hi there!");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "testing"))]
//! # fn main() {}
//! ```
#![doc(test(attr(deny(warnings))))]

mod collect;
pub mod content;
pub mod embedding;
pub mod error;
pub mod image;
mod language_model;
pub mod options;
pub mod prompt;
pub mod provider;
pub mod provider_options;
mod request_body;
pub mod rerank;
pub mod result;
mod serde_util;
pub mod stream;
pub mod stream_machine;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tool;

pub use collect::Collector;
pub use content::Content;
pub use embedding::{EmbedManyResult, EmbedOptions, EmbedResult, EmbeddingModel, embed_many};
pub use error::{ApiError, Error};
pub use image::{ImageModel, ImageOptions, ImageResult};
pub use language_model::{BoxFuture, LanguageModel};
pub use options::CallOptions;
pub use prompt::{Message, Part, Prompt, Role};
pub use provider::{ModelKind, Provider, Registry};
pub use provider_options::{ProviderMetadata, ProviderOptions};
pub use rerank::{RerankModel, RerankOptions, RerankResult};
pub use result::{FinishReason, GenerateResult, ResponseMetadata, Usage, Warning};
pub use stream::{PartStream, StreamPart, StreamResult};
pub use tool::{Tool, ToolChoice};
