//! The Amazon Bedrock provider for strata: the pure half of the Converse language model.
//!
//! Each concern is its own module with no I/O, so it can be tested from fixtures:
//! - [`wire`]: serde types for the Converse / ConverseStream wire format;
//! - [`convert_prompt`]: strata prompt → `system` and `messages`;
//! - [`prepare_tools`]: tools and tool choice → `toolConfig`;
//! - [`options`]: typed `provider_options["bedrock"]`;
//! - [`request`]: [`CallOptions`](strata_core::CallOptions) → [`wire::ConverseRequest`];
//! - [`response`]: Converse response body → [`GenerateResult`](strata_core::GenerateResult);
//! - [`finish_reason`] and [`usage`]: the small mappings both paths share;
//! - [`stream`]: the ConverseStream state machine, events → [`StreamPart`](strata_core::StreamPart)s.
#![doc(test(attr(deny(warnings))))]

pub mod convert_prompt;
pub mod embedding;
pub mod finish_reason;
pub mod invoke;
pub mod options;
pub mod prepare_tools;
pub mod request;
pub mod response;
pub mod stream;
pub mod usage;
pub mod wire;
