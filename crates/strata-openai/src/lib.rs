//! The OpenAI-compatible provider for strata: the pure half.
//!
//! Each concern is its own module with no I/O, tested from fixtures:
//! - [`config`]: base URL, API key, organization, project and default headers, resolved once
//!   from arguments and an explicit environment;
//! - [`chat`]: Chat Completions (`/chat/completions`) — wire types, prompt conversion, tools,
//!   request building, response conversion and the stream state machine;
//! - [`responses`]: the same for the Responses API (`/responses`);
//! - [`embeddings`]: `/embeddings` requests and responses;
//! - [`error`]: OpenAI-shaped error bodies → [`strata_core::Error`];
//! - [`options`]: typed `provider_options["openai"]`.
//!
//! Streams are server-sent events, decoded by [`strata_http::sse`].
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
pub mod stack;

mod media;
mod serde_util;

pub use client::OpenAiClient;
pub use embedding_model::OpenAiEmbeddingModel;
pub use language_model::{OpenAiChatModel, OpenAiResponsesModel};
pub use provider::{LanguageApi, OpenAi, OpenAiBuilder};
