//! The Amazon Bedrock provider for strata.
//!
//! [`Bedrock`] is a [`Provider`](strata_core::Provider): configure it once with
//! [`Bedrock::builder`] (credentials, region, endpoints, retries, timeouts — see [`config`]),
//! then ask it for models. [`BedrockLanguageModel`] implements
//! [`LanguageModel`](strata_core::LanguageModel) over Converse and ConverseStream. Every
//! request goes through the tower [`stack`] (tracing, retries, SigV4 or bearer auth, timeouts)
//! via the [`client::BedrockClient`] transport.
//!
//! ```
//! use strata_bedrock::Bedrock;
//! use strata_core::{CallOptions, LanguageModel, Message};
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
//! let model = bedrock.language_model("us.amazon.nova-lite-v1:0");
//! let result = model.generate(CallOptions::new(vec![Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "You said: Hello");
//! # Ok(())
//! # }
//! ```
//!
//! The I/O modules: [`provider`], [`config`], [`stack`], [`client`], [`language_model`].
//! The pure modules have no I/O, so they can be tested from fixtures:
//! - [`wire`]: serde types for the Converse / ConverseStream wire format;
//! - [`convert_prompt`]: strata prompt → `system` and `messages`;
//! - [`prepare_tools`]: tools and tool choice → `toolConfig`;
//! - [`options`]: typed `provider_options["bedrock"]`;
//! - [`request`]: [`CallOptions`](strata_core::CallOptions) → [`wire::ConverseRequest`];
//! - [`response`]: Converse response body → [`GenerateResult`](strata_core::GenerateResult);
//! - [`finish_reason`] and [`usage`]: the small mappings both paths share;
//! - [`stream`]: the ConverseStream state machine, events → [`StreamPart`](strata_core::StreamPart)s.
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
pub mod stack;
pub mod stream;
pub mod stream_error;
pub mod usage;
pub mod wire;

pub use client::BedrockClient;
pub use config::{BedrockBuilder, BuildError};
pub use language_model::BedrockLanguageModel;
pub use provider::Bedrock;
