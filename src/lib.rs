//! # strata
//!
//! Provider-agnostic traits for generative-AI models — [`LanguageModel`], [`EmbeddingModel`],
//! [`ImageModel`] and [`RerankModel`] — over a composable `tower` stack.
//!
//! This facade re-exports the provider spec from `strata-core` and, behind one feature each,
//! the providers.
#![doc(test(attr(deny(warnings))))]

pub use strata_core::*;

/// The Amazon Bedrock provider (feature `bedrock`).
#[cfg(feature = "bedrock")]
pub use strata_bedrock as bedrock;

/// The OpenAI-compatible provider, including Bedrock's mantle endpoint (feature `openai`).
#[cfg(feature = "openai")]
pub use strata_openai as openai;

/// The local Bedrock-compatible server (feature `emulator`).
#[cfg(feature = "emulator")]
pub use strata_emulator as emulator;
