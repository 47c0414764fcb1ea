//! The Bedrock operations the emulator serves, and the glue from HTTP to the deterministic
//! models: parse, validate against the service shapes, resolve the model, answer.

use std::sync::{Mutex, PoisonError};

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::body::ResponseBody;
use crate::eventstream;
use crate::faults::{BodyKind, Fault};
use crate::models::{catalog, chat, invoke, rerank, tokens};
use crate::shapes;

/// Per-server model state.
#[derive(Debug, Default)]
pub(crate) struct State {
    prompt_cache: Mutex<chat::PromptCache>,
}

impl State {
    /// The chat answer for a Converse-shaped `request`, with this server's prompt cache;
    /// `streaming` applies Bedrock's refusal of streamed tool use on some families.
    pub(crate) fn turn(
        &self,
        model: &catalog::ModelInfo,
        request: &Value,
        streaming: bool,
    ) -> Result<chat::Turn, crate::models::ModelError> {
        if streaming {
            chat::check_stream_tools(model, request)?;
        }
        let mut cache = self
            .prompt_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        chat::turn(model, request, Some(&mut cache))
    }
}

/// An operation and its model id (URL-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Converse(String),
    ConverseStream(String),
    InvokeModel(String),
    InvokeModelWithResponseStream(String),
    CountTokens(String),
    Rerank,
}

impl Route {
    pub(crate) fn parse(method: &Method, path: &str) -> Result<Self, ApiError> {
        if method != Method::POST {
            return Err(ApiError::unknown_operation());
        }
        if path == "/rerank" {
            return Ok(Self::Rerank);
        }
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let ["model", model_id, operation] = segments[..] else {
            return Err(ApiError::unknown_operation());
        };
        if model_id.is_empty() {
            return Err(ApiError::unknown_operation());
        }
        let model_id = percent_decode(model_id)?;
        Ok(match operation {
            "converse" => Self::Converse(model_id),
            "converse-stream" => Self::ConverseStream(model_id),
            "invoke" => Self::InvokeModel(model_id),
            "invoke-with-response-stream" => Self::InvokeModelWithResponseStream(model_id),
            "count-tokens" => Self::CountTokens(model_id),
            _ => return Err(ApiError::unknown_operation()),
        })
    }

    /// The kind of body the answer has (which decides the faults that apply).
    pub(crate) fn body_kind(&self) -> BodyKind {
        match self {
            Self::ConverseStream(_) | Self::InvokeModelWithResponseStream(_) => {
                BodyKind::EventStream
            }
            _ => BodyKind::Plain,
        }
    }
}

/// Decodes `%XX` escapes; a malformed escape or non-UTF-8 result is a validation error.
pub(crate) fn percent_decode(segment: &str) -> Result<String, ApiError> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    ApiError::validation(
                        "The model identifier contains a malformed percent-escape.",
                    )
                })?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| ApiError::validation("The model identifier is not valid UTF-8 once decoded."))
}

/// Answers an authenticated, fault-free (or stream-faulted) request.
pub(crate) fn dispatch(
    state: &State,
    route: &Route,
    body: &Bytes,
    stream_fault: Option<Fault>,
) -> Result<http::Response<ResponseBody>, ApiError> {
    match route {
        Route::Converse(model_id) => {
            let request = json_body(body)?;
            validate(shapes::runtime(), "Converse", &request)?;
            let model = catalog::resolve(model_id)?;
            let mut cache = state
                .prompt_cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let answer = chat::converse_cached(&model, &request, &mut cache)?;
            Ok(json_response(&answer))
        }
        Route::ConverseStream(model_id) => {
            let request = json_body(body)?;
            validate(shapes::runtime(), "ConverseStream", &request)?;
            let model = catalog::resolve(model_id)?;
            let events = {
                let mut cache = state
                    .prompt_cache
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                chat::converse_stream_cached(&model, &request, &mut cache)?
            };
            let frames = events
                .iter()
                .map(|event| eventstream::event_frame(event.event_type, &event.payload))
                .collect::<Result<_, _>>()?;
            Ok(stream_response(frames, stream_fault))
        }
        Route::InvokeModel(model_id) => {
            let model = catalog::resolve(model_id)?;
            let output = invoke::invoke(&model, body)?;
            let mut response = http::Response::new(ResponseBody::full(output.body));
            let content_type = HeaderValue::from_str(&output.content_type)
                .unwrap_or(HeaderValue::from_static("application/json"));
            response
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, content_type);
            Ok(response)
        }
        Route::InvokeModelWithResponseStream(model_id) => {
            let model = catalog::resolve(model_id)?;
            let chunks = invoke::invoke_stream(&model, body)?;
            let engine = base64::engine::general_purpose::STANDARD;
            let frames = chunks
                .iter()
                .map(|chunk| {
                    eventstream::event_frame("chunk", &json!({"bytes": engine.encode(chunk)}))
                })
                .collect::<Result<_, _>>()?;
            Ok(stream_response(frames, stream_fault))
        }
        Route::CountTokens(model_id) => {
            let request = json_body(body)?;
            validate(shapes::runtime(), "CountTokens", &request)?;
            let model = catalog::resolve(model_id)?;
            Ok(json_response(&tokens::count_tokens(&model, &request)?))
        }
        Route::Rerank => {
            let request = json_body(body)?;
            validate(shapes::agent_runtime(), "Rerank", &request)?;
            Ok(json_response(&rerank::rerank(&request)?))
        }
    }
}

fn json_body(body: &Bytes) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            format!("The request body is not valid JSON: {e}"),
        )
    })
}

fn validate(
    shapes: &shapes::ServiceShapes,
    operation: &str,
    request: &Value,
) -> Result<(), ApiError> {
    shapes
        .validate_input(operation, request)
        .map_err(|e| ApiError::validation(e.message()))
}

fn json_response(value: &Value) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(ResponseBody::full(Bytes::from(value.to_string())));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn stream_response(frames: Vec<Bytes>, fault: Option<Fault>) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(eventstream::stream_body(frames, fault));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(eventstream::CONTENT_TYPE),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_decode_the_model_id() {
        let route = Route::parse(
            &Method::POST,
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-lite-v1%3A0/converse",
        )
        .unwrap();
        assert_eq!(
            route,
            Route::Converse(
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0"
                    .into()
            )
        );
        assert_eq!(
            Route::parse(&Method::POST, "/model/m/invoke-with-response-stream").unwrap(),
            Route::InvokeModelWithResponseStream("m".into())
        );
        assert_eq!(
            Route::parse(&Method::POST, "/model/m/converse-stream")
                .unwrap()
                .body_kind(),
            BodyKind::EventStream
        );
        assert_eq!(
            Route::parse(&Method::POST, "/rerank").unwrap(),
            Route::Rerank
        );
    }

    #[test]
    fn unknown_paths_and_methods_are_unknown_operations() {
        for (method, path) in [
            (Method::GET, "/model/m/converse"),
            (Method::POST, "/model/m/chat"),
            (Method::POST, "/model//converse"),
            (Method::POST, "/model/a/b/converse"),
            (Method::POST, "/"),
        ] {
            let err = Route::parse(&method, path).unwrap_err();
            assert_eq!(err.code(), "UnknownOperationException", "{method} {path}");
            assert_eq!(err.status(), 404);
        }
        let err = Route::parse(&Method::POST, "/model/bad%2/converse").unwrap_err();
        assert_eq!(err.code(), "ValidationException");
    }
}
