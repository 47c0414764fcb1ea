//! # strata
//!
//! Provider-agnostic traits for generative-AI models — [`LanguageModel`], [`EmbeddingModel`],
//! [`ImageModel`] and [`RerankModel`] — over a composable `tower` stack.
//!
//! This facade re-exports the provider spec from `strata-core`, the stack every provider
//! stands on ([`http`]: the runtime builder, its insertion points, retry, bodies, bearer
//! tokens, timeouts), the AWS pieces ([`aws`]: SigV4, credentials, AWS authentication) and,
//! behind one feature each, the providers — everything a custom stack needs, without a direct
//! dependency on an internal crate.
//!
//! ```
//! use strata::http::retry::{RetryBudget, RetryConfig};
//! use strata::http::runtime::{Auth, RuntimeBuilder};
//!
//! // One budget, shared by every provider built with a clone of it.
//! let budget = RetryBudget::standard();
//! let service = RuntimeBuilder::default()
//!     .retry(RetryConfig::default().with_max_attempts(4))
//!     .retry_budget(budget.clone())
//!     .build_service(&Auth::none())?;
//! # let _ = service;
//! # Ok::<(), strata::http::runtime::BuildError>(())
//! ```
#![doc(test(attr(deny(warnings))))]

pub use strata_core::*;

/// The provider runtime and its tower middleware: [`RuntimeBuilder`](http::runtime::RuntimeBuilder),
/// [`ReplayableBody`](http::body::ReplayableBody), [`RetryConfig`](http::retry::RetryConfig),
/// [`Attempts`](http::retry::Attempts), token providers and every layer.
pub use strata_http as http;

/// AWS pieces: SigV4 signing, credentials, AWS authentication settings, event streams
/// (features `bedrock` or `openai`).
#[cfg(any(feature = "bedrock", feature = "openai"))]
pub use strata_aws as aws;

/// The Amazon Bedrock provider (feature `bedrock`).
#[cfg(feature = "bedrock")]
pub use strata_bedrock as bedrock;

/// The OpenAI-compatible provider, including Bedrock's mantle endpoint (feature `openai`).
#[cfg(feature = "openai")]
pub use strata_openai as openai;

/// The local Bedrock-compatible server (feature `emulator`).
#[cfg(feature = "emulator")]
pub use strata_emulator as emulator;

/// The README's Rust blocks, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
