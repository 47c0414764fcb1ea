//! Server-sent-event bodies: one event per chunk, stream faults played by [`body::play`].

use bytes::Bytes;
use http::HeaderValue;
use serde_json::{Value, json};

use crate::body::{self, ResponseBody};
use crate::faults::Fault;

/// The content type of SSE responses.
pub(crate) const CONTENT_TYPE: &str = "text/event-stream; charset=utf-8";

/// The last event of a Chat Completions stream.
pub(crate) const DONE: &[u8] = b"data: [DONE]\n\n";

/// An unnamed event (`data: <json>`), as Chat Completions streams send them.
pub(crate) fn data(value: &Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}

/// A named event (`event: <name>` then `data: <json>`), as the Responses API sends them.
pub(crate) fn event(name: &str, value: &Value) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {value}\n\n"))
}

/// Which API a stream belongs to, which decides the shape of an injected error event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `data: {"error": {"message", "type": "server_error", "param": null, "code"}}`.
    Chat,
    /// `event: error` with `{"type": "error", "code", "message", "param": null,
    /// "sequence_number"}`.
    Responses,
}

/// The error event a [`Fault::StreamException`] sends in place of event `index`.
pub(crate) fn error_event(flavor: Flavor, index: usize, code: &str, message: &str) -> Bytes {
    match flavor {
        Flavor::Chat => data(&json!({"error": {
            "message": message,
            "type": "server_error",
            "param": null,
            "code": code,
        }})),
        Flavor::Responses => event(
            "error",
            &json!({
                "type": "error",
                "code": code,
                "message": message,
                "param": null,
                "sequence_number": index,
            }),
        ),
    }
}

/// A `200` SSE response sending `events` one chunk each, with `fault` played.
pub(crate) fn response(
    events: Vec<Bytes>,
    fault: Option<Fault>,
    flavor: Flavor,
) -> http::Response<ResponseBody> {
    let body = body::play(events, fault, move |index, code, message| {
        Ok(error_event(flavor, index, code, message))
    });
    let mut response = http::Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(CONTENT_TYPE),
    );
    headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_framed_as_sse() {
        assert_eq!(&data(&json!({"a": 1}))[..], b"data: {\"a\":1}\n\n");
        assert_eq!(
            &event("response.created", &json!({"b": true}))[..],
            b"event: response.created\ndata: {\"b\":true}\n\n"
        );
    }

    #[test]
    fn error_events_have_each_api_shape() {
        assert_eq!(
            &error_event(Flavor::Chat, 3, "modelStreamErrorException", "boom")[..],
            br#"data: {"error":{"code":"modelStreamErrorException","message":"boom","param":null,"type":"server_error"}}

"#
        );
        assert_eq!(
            &error_event(Flavor::Responses, 3, "x", "boom")[..],
            br#"event: error
data: {"code":"x","message":"boom","param":null,"sequence_number":3,"type":"error"}

"#
        );
    }
}
