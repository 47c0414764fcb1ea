//! The Amazon Bedrock provider for strata.
//!
//! [`Bedrock`] is a [`Provider`](strata_core::Provider): configure it once with
//! [`Bedrock::builder`] (credentials, region, endpoints, retries, timeouts — see [`config`]),
//! then ask it for language, embedding, image and rerank models. Every request goes through
//! the one stack every provider shares ([`strata_http::runtime`]: tracing, retries, SigV4 or
//! bearer auth, timeouts, your layers at every insertion point) via the [`BedrockClient`]
//! transport.
//!
//! ```
//! use strata_bedrock::Bedrock;
//! use strata_core::rerank::RerankDocuments;
//! use strata_core::{CallOptions, LanguageModel, Message, Provider, RerankOptions};
//! use strata_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A local Bedrock stand-in; with real AWS, leave out `endpoint_url` and the keys.
//! let emulator = Emulator::builder().start().await?;
//! let bedrock = Bedrock::builder()
//!     .region(emulator.region())
//!     .endpoint_url(emulator.url())
//!     .access_key_id("AKIDEXAMPLE")
//!     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .build()?;
//!
//! let model = bedrock.language_model("us.amazon.nova-lite-v1:0");
//! let result = model.generate(CallOptions::new(vec![Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "You said: Hello");
//!
//! let embedder = bedrock.embedding_model("amazon.titan-embed-text-v2:0")?;
//! let embedded = embedder.embed(vec!["Hello".into()], Default::default()).await?;
//! assert_eq!(embedded.embeddings[0].len(), 1024);
//!
//! let reranker = bedrock.rerank_model("amazon.rerank-v1:0")?;
//! let documents = RerankDocuments::texts(["green pears", "red apples"]);
//! let ranked = reranker.rerank(RerankOptions::new("red apples", documents)).await?;
//! assert_eq!(ranked.ranking[0].index, 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Modules
//!
//! Setting up and sending:
//! - [`provider`]: [`Bedrock`], which hands out models by id;
//! - [`config`]: [`BedrockBuilder`] — authentication, region, endpoints, transport settings,
//!   all resolved and validated at build time ([`BuildError`]);
//! - [`client`]: [`BedrockClient`], the runtime plus the resolved endpoints, and
//!   [`Bedrock::from_service`] for a stack you built.
//!
//! Models (each over InvokeModel, Converse or the agent runtime, through the client):
//! - [`language_model`]: [`BedrockLanguageModel`], Converse and ConverseStream;
//! - [`embedding`]: Titan Text Embeddings v1 / v2 and Cohere Embed v3 / v4;
//! - [`image`]: Nova Canvas and Titan Image Generator v2, every task type;
//! - [`rerank`]: Amazon Rerank v1 and Cohere Rerank v3.5 (agent runtime `POST /rerank`);
//! - [`invoke`]: raw InvokeModel and InvokeModelWithResponseStream, bytes in and bytes out;
//! - [`count_tokens`]: CountTokens for Converse- and InvokeModel-shaped input.
//!
//! Pure conversions, without I/O, tested from fixtures:
//! - [`wire`]: serde types for the Converse / ConverseStream wire format;
//! - [`convert_prompt`]: strata prompt → `system` and `messages`;
//! - [`prepare_tools`]: tools and tool choice → `toolConfig`;
//! - [`options`]: typed `provider_options["bedrock"]`;
//! - [`request`]: [`CallOptions`](strata_core::CallOptions) → [`wire::ConverseRequest`];
//! - [`response`]: Converse response body → [`GenerateResult`](strata_core::GenerateResult);
//! - [`finish_reason`] and [`usage`]: the small mappings both paths share;
//! - [`stream`]: the ConverseStream state machine, events → [`StreamPart`](strata_core::StreamPart)s;
//! - [`stream_error`]: exceptions and failures of event-stream responses → strata errors.
//!
//! # Features
//!
//! - `aws-config` (off by default): when the built-in default credentials chain (environment
//!   keys, the profile's keys or `credential_process`) finds nothing, use `aws-config`'s chain
//!   — SSO, assume-role, web identity, containers, IMDS — built lazily at the first request.
#![doc(test(attr(deny(warnings))))]

pub mod client;
pub mod config;
pub mod convert_prompt;
pub mod count_tokens;
pub mod embedding;
pub mod finish_reason;
pub mod image;
pub mod invoke;
pub mod language_model;
pub mod options;
pub mod prepare_tools;
pub mod provider;
pub mod request;
pub mod rerank;
pub mod response;
pub mod stream;
pub mod stream_error;
pub mod usage;
pub mod wire;

pub use client::BedrockClient;
pub use config::BedrockBuilder;
pub use language_model::BedrockLanguageModel;
pub use provider::Bedrock;
pub use strata_http::runtime::BuildError;
