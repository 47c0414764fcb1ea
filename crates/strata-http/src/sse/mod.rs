//! Decoding of server-sent events (`text/event-stream`), the streaming body of
//! OpenAI-compatible APIs.
//!
//! - [`SseStream`] turns any [`http_body::Body`] into a `Stream` of [`SseEvent`]s; a body that
//!   fails or ends in the middle of an event yields a typed [`SseError`].
//! - [`SseDecoder`] is the incremental decoder below it, driven from a [`bytes::BytesMut`]
//!   you fill yourself.
//!
//! Decoding follows the WHATWG HTML specification (multi-line `data`, `event`, `id`, `retry`,
//! comments, CR/LF/CRLF line endings, a leading byte-order mark) with a size limit per event.
//! The `data: [DONE]` sentinel of OpenAI-style streams is an ordinary event for which
//! [`SseEvent::is_done`] is true; the protocol layer decides what it means.
//!
//! # Example
//!
//! ```
//! use futures_util::StreamExt;
//! use strata_http::sse::SseStream;
//! use tower::{ServiceExt, service_fn};
//!
//! # tokio::runtime::Builder::new_current_thread().build()?.block_on(async move {
//! # let client = service_fn(|_req: http::Request<()>| async {
//! #     let wire = ": keep-alive\n\nevent: delta\ndata: {\"text\":\"Hi\"}\n\ndata: [DONE]\n\n";
//! #     Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Full::new(bytes::Bytes::from(wire))))
//! # });
//! // `client` is any tower service answering with a `text/event-stream` body.
//! let response = client.oneshot(http::Request::new(())).await?;
//! let mut events = SseStream::new(response.into_body());
//!
//! let event = events.next().await.expect("an event")?;
//! assert_eq!(event.event_type(), "delta");
//! assert_eq!(event.data(), r#"{"text":"Hi"}"#);
//!
//! let done = events.next().await.expect("an event")?;
//! assert!(done.is_done());
//! assert!(events.next().await.is_none());
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

mod decoder;
mod error;
mod event;
mod stream;

pub use decoder::{DEFAULT_MAX_EVENT_SIZE, SseDecoder};
pub use error::SseError;
pub use event::{DONE, SseEvent};
pub use stream::SseStream;
