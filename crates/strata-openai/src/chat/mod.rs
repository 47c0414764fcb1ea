//! Chat Completions (`POST /chat/completions`): the pure half.
//!
//! - [`wire`]: request, response and chunk types;
//! - [`convert`]: prompt → `messages`;
//! - [`tools`]: tools and tool choice;
//! - [`request`]: [`CallOptions`](strata_core::CallOptions) → request body;
//! - [`response`]: response body → [`GenerateResult`](strata_core::GenerateResult);
//! - [`stream`]: the SSE stream state machine → [`StreamPart`](strata_core::StreamPart)s.
//!
//! ```
//! use http::HeaderMap;
//! use strata_core::{CallOptions, Message};
//! use strata_openai::chat::{request::build_chat_request, response::convert_response};
//!
//! let options = CallOptions::new(vec![Message::user_text("Hi")]);
//! let request = build_chat_request("gpt-4o", &options, false)?;
//! assert_eq!(serde_json::to_string(&request.body).unwrap(),
//!     r#"{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"#);
//! let reply = br#"{"choices":[{"index":0,"message":{"content":"Hello!"},"finish_reason":"stop"}]}"#;
//! assert_eq!(convert_response(reply, &HeaderMap::new())?.text(), "Hello!");
//! # Ok::<(), strata_core::Error>(())
//! ```

pub mod convert;
pub mod request;
pub mod response;
pub mod stream;
pub mod tools;
pub mod wire;
