//! The OpenAI-compatible surface, as Bedrock's mantle endpoint
//! (`https://bedrock-mantle.{region}.api.aws/openai/v1`) and bedrock-runtime's
//! `/openai/v1/chat/completions` serve it.
//!
//! | route | answer |
//! |---|---|
//! | `POST /openai/v1/chat/completions` | `chat.completion`, or with `"stream": true` SSE `chat.completion.chunk`s then `data: [DONE]` |
//! | `POST /openai/v1/responses` | a `response` object, or with `"stream": true` SSE `response.*` events |
//! | `POST /openai/v1/embeddings` | `{"object": "list", "data": [{"object": "embedding", …}], "usage"}` |
//! | `GET /openai/v1/models` | `{"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}]}` |
//! | `GET /openai/v1/models/{id}` | one model object |
//!
//! **Same answers as Converse.** A chat or Responses request is read into a Converse request
//! (messages and `input` items with tool calls and results, system/developer messages and
//! `instructions`, `max_tokens`/`max_completion_tokens`/`max_output_tokens`, `stop`, function
//! tools and `tool_choice`, `response_format`/`text.format` JSON schemas, `reasoning_effort` /
//! `reasoning.effort`), answered by [`crate::models::chat`], and rendered back: text, tool calls
//! whose arguments satisfy the tool's schema (ids `call_…`), reasoning as `reasoning_content`
//! (chat) or a `reasoning` item with a `summary_text` (Responses; with `include:
//! ["reasoning.encrypted_content"]` also the signature as `encrypted_content`), finish reasons
//! `stop`, `length` and `tool_calls` (Responses: status `incomplete` with reason
//! `max_output_tokens`), and usage with `prompt_tokens_details.cached_tokens` and
//! `completion_tokens_details.reasoning_tokens` (Responses: `input_tokens_details`,
//! `output_tokens_details`). On models with prompt caching the tools and system messages form
//! an implicit cache prefix, so a repeated prefix is reported as cached tokens. Effort maps to
//! Anthropic `thinking` budgets (1024 for `minimal`/`low`, 2048 `medium`, 4096 `high`) or
//! `reasoningConfig`; models without reasoning refuse it. Ids (`chatcmpl-…`, `resp_…`,
//! `msg_…`, `rs_…`, `fc_…`) derive from the request body; `created` is the server clock.
//!
//! **Models** resolve through [`crate::models::catalog`] (foundation ids such as
//! `openai.gpt-oss-120b-1:0`, profile ids, ARNs); an unknown id is 404 `model_not_found`.
//!
//! **Errors** are `{"error": {"message", "type", "param", "code"}}`: 400
//! `invalid_request_error` for validation (unknown parameters, wrong types, bad values — `param`
//! names the field), 401 `invalid_request_error` for authentication, 404 for unknown models and
//! URLs, 429 `rate_limit_exceeded`, 5xx `server_error`. Every response carries the request id in
//! both `x-request-id` and `x-amzn-RequestId`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use bytes::Bytes;
//! use http_body_util::{BodyExt, Full};
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use strata_emulator::Emulator;
//!
//! let emulator = Emulator::builder().bearer_token("test-key").start().await?;
//! let body = r#"{"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "user", "content": "Hi"}]}"#;
//! let request = http::Request::post(format!("{}/openai/v1/chat/completions", emulator.url()))
//!     .header("authorization", "Bearer test-key")
//!     .header("content-type", "application/json")
//!     .body(Full::new(Bytes::from(body)))?;
//! let client = Client::builder(TokioExecutor::new()).build_http();
//! let response = client.request(request).await?;
//! assert_eq!(response.status(), 200);
//! let answer: serde_json::Value = serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
//! assert_eq!(answer["choices"][0]["message"]["content"], "You said: Hi");
//! assert_eq!(answer["choices"][0]["finish_reason"], "stop");
//! # Ok(())
//! # }
//! ```

mod chat;
mod convert;
mod embeddings;
pub(crate) mod error;
mod params;
mod responses;
mod responses_stream;
#[cfg(test)]
mod robustness;
mod sse;

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderValue, Method};
use serde_json::Value;

use self::convert::{Answer, id, params};
use self::error::OpenAiError;
use crate::body::ResponseBody;
use crate::faults::{BodyKind, Fault};
use crate::models::ModelError;
use crate::models::catalog::{self, Kind, ModelInfo, Unresolved};
use crate::models::chat::Turn;
use crate::routes;
use crate::server::{self, Shared, Surface};

/// The path prefix of OpenAI-compatible routes.
pub(crate) const PREFIX: &str = "/openai/";

/// An OpenAI-compatible operation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    ChatCompletions,
    Responses,
    Embeddings,
    ListModels,
    GetModel(String),
}

impl Route {
    fn parse(method: &Method, path: &str) -> Result<Self, OpenAiError> {
        let unknown = || OpenAiError::unknown_url(method, path);
        let rest = path.strip_prefix("/openai/v1/").ok_or_else(unknown)?;
        let route = match (method, rest) {
            (&Method::POST, "chat/completions") => Self::ChatCompletions,
            (&Method::POST, "responses") => Self::Responses,
            (&Method::POST, "embeddings") => Self::Embeddings,
            (&Method::GET, "models") => Self::ListModels,
            (&Method::GET, _) => match rest.strip_prefix("models/") {
                Some(id) if !id.is_empty() && !id.contains('/') => {
                    let id = routes::percent_decode(id).map_err(|_| unknown())?;
                    Self::GetModel(id)
                }
                _ => return Err(unknown()),
            },
            _ => return Err(unknown()),
        };
        Ok(route)
    }

    /// Whether the route can answer with an SSE stream.
    fn streams(&self) -> bool {
        matches!(self, Self::ChatCompletions | Self::Responses)
    }
}

/// Answers an authenticated request on an OpenAI-compatible route.
pub(crate) async fn serve(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &Bytes,
) -> http::Response<ResponseBody> {
    let route = match Route::parse(&parts.method, parts.uri.path()) {
        Ok(route) => route,
        Err(error) => return error.into_response(),
    };
    let kind = if route.streams() && wants_stream(body) {
        BodyKind::Sse
    } else {
        BodyKind::Plain
    };
    let fault = match server::before_answer(Surface::OpenAi, shared.faults.take(kind)).await {
        Ok(fault) => fault,
        Err(response) => return response,
    };
    let created = unix_seconds(shared.faults.now());
    match answer(&shared.routes, &route, body, fault, created) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

/// Whether the body asks for a stream (read leniently: validation comes later).
fn wants_stream(body: &Bytes) -> bool {
    serde_json::from_slice::<Value>(body)
        .is_ok_and(|v| v.get("stream").and_then(Value::as_bool) == Some(true))
}

fn answer(
    state: &routes::State,
    route: &Route,
    body: &Bytes,
    fault: Option<Fault>,
    created: u64,
) -> Result<http::Response<ResponseBody>, OpenAiError> {
    match route {
        Route::ListModels => return Ok(json_response(&embeddings::list())),
        Route::GetModel(id) => return Ok(json_response(&embeddings::model(id)?)),
        _ => {}
    }
    let request: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(OpenAiError::bad_json)?
    };
    let model = resolve(params(&request, "")?.required_str("model")?)?;
    match route {
        Route::ChatCompletions => {
            require_chat(&model)?;
            let call = chat::parse(&model, &request)?;
            let turn = state.turn(&model, &call.converse, call.stream)?;
            let answer = Answer::from_turn(&turn);
            let id = id("chatcmpl-", body, "chat", 29);
            let meta = chat::Meta {
                id: &id,
                created,
                model: &model.requested,
            };
            if !call.stream {
                return Ok(json_response(&chat::completion(&meta, &answer)));
            }
            let mut events: Vec<Bytes> = chat::chunks(&meta, &answer, call.include_usage)
                .iter()
                .map(sse::data)
                .collect();
            events.push(Bytes::from_static(sse::DONE));
            Ok(sse::response(events, fault, sse::Flavor::Chat))
        }
        Route::Responses => {
            require_chat(&model)?;
            let call = responses::parse(&model, &request)?;
            let turn = state.turn(&model, &call.converse, call.stream)?;
            let answer = Answer::from_turn(&turn);
            let ids = responses::Ids::new(body, answer.calls.len());
            let model_id = &model.requested;
            if !call.stream {
                let object =
                    responses::response_object(&call, &ids, created, model_id, Some(&answer));
                return Ok(json_response(&object));
            }
            let events = responses_stream::events(&call, &ids, created, model_id, &answer)
                .iter()
                .map(|(name, payload)| sse::event(name, payload))
                .collect();
            Ok(sse::response(events, fault, sse::Flavor::Responses))
        }
        _ => Ok(json_response(&embeddings::embed(&model, &request)?)),
    }
}

fn resolve(model_id: &str) -> Result<ModelInfo, OpenAiError> {
    catalog::lookup(model_id).map_err(|unresolved| match unresolved {
        Unresolved::Unknown => OpenAiError::model_not_found(model_id),
        Unresolved::ProfileOnly(base) => OpenAiError::invalid_param(
            "model_not_supported",
            "model",
            format!(
                "The model `{base}` is served only through inference profiles; use a profile id such as `us.{base}`."
            ),
        ),
    })
}

fn require_chat(model: &ModelInfo) -> Result<(), OpenAiError> {
    if model.kind == Kind::Chat {
        Ok(())
    } else {
        Err(OpenAiError::invalid_param(
            "model_not_supported",
            "model",
            format!("The model `{}` is not a chat model.", model.requested),
        ))
    }
}

fn json_response(value: &Value) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(ResponseBody::full(Bytes::from(value.to_string())));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// InvokeModel bodies of OpenAI-family models (gpt-oss) are Chat Completions requests: the
/// equivalent Converse request.
pub(crate) fn native_to_converse(model: &ModelInfo, body: &Value) -> Result<Value, ModelError> {
    chat::parse(model, body)
        .map(|call| call.converse)
        .map_err(|e| ModelError::validation(e.message()))
}

fn native_meta_id(turn: &Turn) -> String {
    id(
        "chatcmpl-",
        format!("{:?}", turn.blocks).as_bytes(),
        "native",
        29,
    )
}

/// The InvokeModel response of an OpenAI-family model: a `chat.completion`.
pub(crate) fn native_completion(model: &ModelInfo, turn: &Turn) -> Value {
    let id = native_meta_id(turn);
    let meta = chat::Meta {
        id: &id,
        created: unix_seconds(SystemTime::now()),
        model: &model.requested,
    };
    chat::completion(&meta, &Answer::from_turn(turn))
}

/// The InvokeModelWithResponseStream chunks of an OpenAI-family model: the
/// `chat.completion.chunk` objects (with usage).
pub(crate) fn native_chunks(model: &ModelInfo, turn: &Turn) -> Vec<Bytes> {
    let id = native_meta_id(turn);
    let meta = chat::Meta {
        id: &id,
        created: unix_seconds(SystemTime::now()),
        model: &model.requested,
    };
    chat::chunks(&meta, &Answer::from_turn(turn), true)
        .iter()
        .map(|chunk| Bytes::from(chunk.to_string()))
        .collect()
}

/// Seconds since the epoch of `time` (0 before it).
fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse_by_method_and_path() {
        let post = Method::POST;
        let get = Method::GET;
        assert_eq!(
            Route::parse(&post, "/openai/v1/chat/completions").unwrap(),
            Route::ChatCompletions
        );
        assert_eq!(
            Route::parse(&post, "/openai/v1/responses").unwrap(),
            Route::Responses
        );
        assert_eq!(
            Route::parse(&post, "/openai/v1/embeddings").unwrap(),
            Route::Embeddings
        );
        assert_eq!(
            Route::parse(&get, "/openai/v1/models").unwrap(),
            Route::ListModels
        );
        assert_eq!(
            Route::parse(&get, "/openai/v1/models/openai.gpt-oss-20b-1%3A0").unwrap(),
            Route::GetModel("openai.gpt-oss-20b-1:0".into())
        );
        for (method, path) in [
            (&get, "/openai/v1/chat/completions"),
            (&post, "/openai/v1/models"),
            (&post, "/openai/v2/responses"),
            (&get, "/openai/v1/models/"),
            (&get, "/openai/v1/models/a/b"),
        ] {
            let err = Route::parse(method, path).unwrap_err();
            assert_eq!(err.code(), Some("unknown_url"), "{method} {path}");
            assert_eq!(
                err.to_json()["error"]["message"],
                format!("Invalid URL ({method} {path})")
            );
        }
    }

    #[test]
    fn gpt_oss_invoke_model_bodies_are_chat_completions() {
        use crate::models::invoke;
        let model = catalog::resolve("openai.gpt-oss-20b-1:0").unwrap();
        let body = br#"{"messages": [{"role": "user", "content": "Hello there"}], "max_completion_tokens": 50}"#;
        let out = invoke::invoke(&model, body).unwrap();
        let answer: Value = serde_json::from_slice(&out.body).unwrap();
        assert_eq!(answer["object"], "chat.completion");
        assert_eq!(answer["model"], "openai.gpt-oss-20b-1:0");
        assert_eq!(
            answer["choices"][0]["message"]["content"],
            "You said: Hello there"
        );
        assert_eq!(answer["usage"]["prompt_tokens"], 2);

        let chunks = invoke::invoke_stream(&model, body).unwrap();
        let last: Value = serde_json::from_slice(chunks.last().unwrap()).unwrap();
        assert_eq!(last["object"], "chat.completion.chunk");
        assert_eq!(last["usage"]["completion_tokens"], 5);
        let text: String = chunks
            .iter()
            .map(|c| serde_json::from_slice::<Value>(c).unwrap())
            .filter_map(|c| {
                c["choices"][0]["delta"]["content"]
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        assert_eq!(text, "You said: Hello there");

        let err = invoke::invoke(&model, br#"{"messages": [], "bogus": 1}"#).unwrap_err();
        assert!(err.is_validation());
        assert_eq!(err.message(), "Unknown parameter: 'bogus'.");
    }

    #[test]
    fn streaming_is_read_leniently() {
        assert!(wants_stream(&Bytes::from_static(br#"{"stream": true}"#)));
        assert!(!wants_stream(&Bytes::from_static(br#"{"stream": "yes"}"#)));
        assert!(!wants_stream(&Bytes::from_static(b"not json")));
    }
}
