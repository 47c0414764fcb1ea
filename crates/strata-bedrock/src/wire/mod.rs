//! Serde types for the Converse and ConverseStream wire format, per the `bedrock-runtime`
//! service model (2023-09-30).
//!
//! Names follow the model (`ConverseRequest`, `ContentBlock`, `StopReason`, …) and members are
//! camelCase on the wire. Decoding is tolerant the way AWS SDKs are: unknown members are
//! ignored, unknown enum values and union members become `Unknown(..)`. Blobs travel as
//! base64 strings ([`Blob`]).
//!
//! ```
//! use strata_bedrock::wire::{ContentBlock, ConverseOutput, ConverseResponse, StopReason};
//!
//! let body = br#"{
//!   "output": {"message": {"role": "assistant", "content": [{"text": "Hi"}]}},
//!   "stopReason": "end_turn",
//!   "usage": {"inputTokens": 3, "outputTokens": 1, "totalTokens": 4},
//!   "metrics": {"latencyMs": 12}
//! }"#;
//! let response: ConverseResponse = serde_json::from_slice(body).unwrap();
//! assert_eq!(response.stop_reason, StopReason::EndTurn);
//! let Some(ConverseOutput::Message(message)) = response.output else { panic!() };
//! assert_eq!(message.content, vec![ContentBlock::Text("Hi".into())]);
//! ```

pub(crate) mod macros;

mod blob;
mod content;
mod request;
mod response;
mod stream;
mod text_delta;

pub use blob::Blob;
pub use content::*;
pub use request::*;
pub use response::*;
pub use stream::*;
