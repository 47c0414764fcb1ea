//! Event-stream responses: frames encoded with `aws-smithy-eventstream`, sent one chunk at a
//! time (see [`body::play`]).

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use http::StatusCode;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::body::{self, BodyAborted, ResponseBody};
use crate::faults::Fault;

/// The content type of event-stream responses.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

fn encode(headers: [(&'static str, String); 3], payload: &Value) -> Result<Bytes, ApiError> {
    let mut message = Message::new(Bytes::from(payload.to_string()));
    for (name, value) in headers {
        message = message.add_header(Header::new(name, HeaderValue::String(value.into())));
    }
    let mut buffer = Vec::new();
    // Writing to a Vec only fails beyond the format's limits (e.g. a 16 MiB payload).
    write_message_to(&message, &mut buffer).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerException",
            format!("The emulator could not encode an event-stream frame: {e}"),
        )
    })?;
    Ok(Bytes::from(buffer))
}

/// An `event` frame with a JSON payload.
pub(crate) fn event_frame(event_type: &str, payload: &Value) -> Result<Bytes, ApiError> {
    encode(
        [
            (":event-type", event_type.to_owned()),
            (":content-type", "application/json".to_owned()),
            (":message-type", "event".to_owned()),
        ],
        payload,
    )
}

/// An `exception` frame (a modeled stream exception such as `modelStreamErrorException`).
pub(crate) fn exception_frame(exception_type: &str, payload: &Value) -> Result<Bytes, ApiError> {
    encode(
        [
            (":exception-type", exception_type.to_owned()),
            (":content-type", "application/json".to_owned()),
            (":message-type", "exception".to_owned()),
        ],
        payload,
    )
}

/// A body that sends `frames` one chunk each, applying `fault` if it is a stream fault.
pub(crate) fn stream_body(frames: Vec<Bytes>, fault: Option<Fault>) -> ResponseBody {
    body::play(frames, fault, |_, exception, message| {
        let payload = serde_json::json!({ "message": message });
        // The exception type was checked when the fault was queued.
        exception_frame(exception, &payload).map_err(|_| BodyAborted)
    })
}

#[cfg(test)]
mod tests {
    use aws_smithy_eventstream::frame::read_message_from;
    use serde_json::json;

    use super::*;

    fn header(message: &Message, name: &str) -> String {
        let header = message
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .unwrap();
        header.value().as_string().unwrap().as_str().to_owned()
    }

    #[test]
    fn event_frames_carry_the_bedrock_headers() {
        let frame = event_frame("messageStart", &json!({"role": "assistant"})).unwrap();
        let message = read_message_from(frame).unwrap();
        assert_eq!(header(&message, ":event-type"), "messageStart");
        assert_eq!(header(&message, ":content-type"), "application/json");
        assert_eq!(header(&message, ":message-type"), "event");
        assert_eq!(&message.payload()[..], br#"{"role":"assistant"}"#);
    }

    #[test]
    fn exception_frames_carry_the_exception_type() {
        let frame =
            exception_frame("throttlingException", &json!({"message": "slow down"})).unwrap();
        let message = read_message_from(frame).unwrap();
        assert_eq!(header(&message, ":exception-type"), "throttlingException");
        assert_eq!(header(&message, ":message-type"), "exception");
    }
}
