//! The OpenAI-compatible provider for strata: Chat Completions, the Responses API and
//! embeddings, for OpenAI and any compatible server (vLLM, Ollama, a LiteLLM proxy), and —
//! with the `mantle` feature (on by default) — Amazon Bedrock's OpenAI-compatible endpoint
//! with SigV4 or bearer auth.
//!
//! - [`OpenAi`] is the [`Provider`](strata_core::Provider): [`OpenAi::builder`] for
//!   OpenAI-style servers, `OpenAi::bedrock_mantle` (see [`mantle`]) for Bedrock. Its
//!   models ([`OpenAiChatModel`], [`OpenAiResponsesModel`], [`OpenAiEmbeddingModel`]) share
//!   the one stack every provider stands on ([`strata_http::runtime`]): retry, bearer auth or
//!   SigV4, redirect refusal, timeouts, client, and your layers at every insertion point.
//! - The pure half, each concern its own module with no I/O, tested from fixtures:
//!   [`config`] (base URL, API key, organization, project, default headers, resolved once),
//!   [`chat`] and [`responses`] (wire types, prompt conversion, tools, request building,
//!   response conversion, stream state machines), [`tool_call`] (arguments that are not JSON
//!   are marked on the call, not fatal), [`embeddings`], [`error`] (OpenAI-shaped error
//!   bodies) and [`options`] (typed `provider_options["openai"]`, read by every model, mantle
//!   included).
//!
//! Streams are server-sent events, decoded by [`strata_http::sse`].
//!
//! ```
//! use futures_util::StreamExt as _;
//! use http::{Request, Response};
//! use strata_core::{CallOptions, LanguageModel, Message, StreamPart};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = tower::service_fn(|_request: Request<ReplayableBody>| async move {
//! #     let sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Bonjour\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
//! #     Ok::<_, std::convert::Infallible>(Response::new(http_body_util::Full::new(bytes::Bytes::from(sse))))
//! # });
//! let openai = OpenAi::builder()
//!     .base_url("http://localhost:11434/v1") // e.g. Ollama; no key needed
//!     .http_client(server) // a fake server here; strata-http's client by default
//!     .build()?;
//! let model = openai.chat_model("llama3.1");
//! let mut parts = model.stream(CallOptions::new(vec![Message::user_text("Say hello in French")])).await?.stream;
//! let mut text = String::new();
//! while let Some(part) = parts.next().await {
//!     if let StreamPart::TextDelta { delta, .. } = part {
//!         text.push_str(&delta);
//!     }
//! }
//! assert_eq!(text, "Bonjour");
//! # Ok(())
//! # }
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod chat;
pub mod client;
pub mod config;
pub mod embedding_model;
pub mod embeddings;
pub mod error;
pub mod language_model;
#[cfg(feature = "mantle")]
pub mod mantle;
pub mod options;
pub mod provider;
pub mod responses;
pub mod tool_call;

mod media;
mod serde_util;
mod stream_core;

pub use client::OpenAiClient;
pub use embedding_model::OpenAiEmbeddingModel;
pub use language_model::{OpenAiChatModel, OpenAiResponsesModel};
pub use provider::{LanguageApi, OpenAi, OpenAiBuilder};
pub use strata_http::runtime::BuildError;
