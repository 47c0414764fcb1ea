//! The Responses API (`POST /responses`): the pure half.
//!
//! - [`wire`]: request, response and stream-event types;
//! - [`convert`]: prompt → `input` items;
//! - [`tools`]: function and built-in tools, tool choice;
//! - [`request`]: [`CallOptions`](strata_core::CallOptions) → request body;
//! - [`response`]: response body → [`GenerateResult`](strata_core::GenerateResult);
//! - [`stream`]: the SSE stream state machine → [`StreamPart`](strata_core::StreamPart)s.
//!
//! ```
//! use http::HeaderMap;
//! use strata_core::{CallOptions, Message};
//! use strata_openai::responses::{request::build_responses_request, response::convert_response};
//!
//! let options = CallOptions::new(vec![Message::user_text("Hi")]);
//! let request = build_responses_request("gpt-4.1", &options, false)?;
//! assert_eq!(serde_json::to_string(&request.body).unwrap(),
//!     r#"{"model":"gpt-4.1","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}]}"#);
//! let reply = br#"{"status":"completed","output":[{"type":"message","id":"msg_1","content":[{"type":"output_text","text":"Hello!"}]}]}"#;
//! assert_eq!(convert_response(reply, &HeaderMap::new())?.text(), "Hello!");
//! # Ok::<(), strata_core::Error>(())
//! ```

pub mod convert;
pub mod request;
pub mod response;
pub mod stream;
pub mod tools;
pub mod wire;
