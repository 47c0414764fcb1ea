//! Decoding of AWS event streams (`application/vnd.amazon.eventstream`), the response body of
//! Bedrock's streaming operations (ConverseStream, InvokeModelWithResponseStream).
//!
//! An event stream is a sequence of binary frames: a 12-byte prelude (total length, headers
//! length, CRC32 of both), typed headers, a payload and a CRC32 of the whole frame. The
//! decoder here is zero-copy: body chunks are appended to one [`bytes::BytesMut`], each complete
//! frame is split off it as a reference-counted [`Bytes`](bytes::Bytes), headers are read in
//! place and payloads are slices of the frame.
//!
//! - [`EventStream`] turns an [`http_body::Body`] into a `Stream` of [`Event`]s;
//!   `exception` and `error` messages from the service become [`EventStreamError`]s carrying a
//!   [`ServiceException`] or [`ServiceError`].
//! - [`MessageStream`] is the untyped layer below: a `Stream` of [`Message`]s.
//! - [`FrameDecoder`] decodes frames from a buffer you fill yourself; [`Message::decode`]
//!   decodes one complete frame.
//!
//! Duplicate header names are accepted (as by the AWS SDKs for Rust, Go and C); lookups
//! return the first. Frames larger than [`DEFAULT_MAX_FRAME_SIZE`] (configurable) are refused
//! from their prelude alone.
//!
//! # Example
//!
//! ```
//! use futures_util::StreamExt;
//! use strata_aws::event_stream::EventStream;
//! use tower::{ServiceExt, service_fn};
//! # use aws_smithy_eventstream::frame::write_message_to;
//! # use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
//! # fn frame(message_type: &str, kind: (&str, &'static str), payload: &'static str) -> Vec<u8> {
//! #     let message = Message::new(payload)
//! #         .add_header(Header::new(":message-type", HeaderValue::String(message_type.to_owned().into())))
//! #         .add_header(Header::new(kind.0.to_owned(), HeaderValue::String(kind.1.into())))
//! #         .add_header(Header::new(":content-type", HeaderValue::String("application/json".into())));
//! #     let mut out = Vec::new();
//! #     write_message_to(&message, &mut out).unwrap();
//! #     out
//! # }
//! # let mut wire = frame("event", (":event-type", "contentBlockDelta"), r#"{"delta":{"text":"Hi"}}"#);
//! # wire.extend(frame("exception", (":exception-type", "throttlingException"), r#"{"message":"Slow down"}"#));
//! # let wire = bytes::Bytes::from(wire);
//! # let client = service_fn(move |_req: http::Request<()>| {
//! #     let body = http_body_util::Full::new(wire.clone());
//! #     async move { Ok::<_, std::convert::Infallible>(http::Response::new(body)) }
//! # });
//! # tokio::runtime::Builder::new_current_thread().build()?.block_on(async move {
//! // `client` is any tower service answering with an event-stream body.
//! let response = client.oneshot(http::Request::new(())).await?;
//! let mut events = EventStream::new(response.into_body());
//!
//! let event = events.next().await.expect("an item")?;
//! assert_eq!(event.event_type(), "contentBlockDelta");
//! assert_eq!(event.content_type(), Some("application/json"));
//! assert_eq!(&event.payload()[..], br#"{"delta":{"text":"Hi"}}"#);
//!
//! let error = events.next().await.expect("an item").unwrap_err();
//! let exception = error.service_exception().expect("a service exception");
//! assert_eq!(exception.exception_type(), "throttlingException");
//! assert_eq!(exception.message(), Some("Slow down"));
//!
//! assert!(events.next().await.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod body;
mod error;
mod frame;
mod header;
mod layout;
mod message;
mod typed;

pub use body::MessageStream;
pub use error::EventStreamError;
pub use frame::{DEFAULT_MAX_FRAME_SIZE, FrameDecoder};
pub use header::{Header, HeaderValue, Headers};
pub use message::Message;
pub use typed::{Event, EventStream, ServiceError, ServiceException, classify};
