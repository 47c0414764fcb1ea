//! The language models: [`OpenAiChatModel`] (`/chat/completions`) and
//! [`OpenAiResponsesModel`] (`/responses`).
//!
//! Both build the request with the pure modules, send it through the provider's
//! [`OpenAiClient`], and convert the response or drive the SSE stream through the matching
//! state machine. Call headers ([`CallOptions::headers`]) are sent with the request and win
//! over the provider's default headers.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use http::{Request, Response};
//! use strata_core::{CallOptions, LanguageModel, Message, StreamPart};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert_eq!(request.uri().path(), "/v1/responses");
//!     let sse = concat!(
//!         "event: response.output_text.delta\n",
//!         "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi!\"}\n\n",
//!         "event: response.completed\n",
//!         "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[]}}\n\n",
//!     );
//!     Ok::<_, std::convert::Infallible>(Response::new(http_body_util::Full::new(bytes::Bytes::from(sse))))
//! });
//! let openai = OpenAi::builder().api_key("sk-test").http_client(client).build()?;
//! let model = openai.responses_model("gpt-4.1");
//! let mut stream = model.stream(CallOptions::new(vec![Message::user_text("Hello")])).await?.stream;
//! let mut text = String::new();
//! while let Some(part) = stream.next().await {
//!     if let StreamPart::TextDelta { delta, .. } = part {
//!         text.push_str(&delta);
//!     }
//! }
//! assert_eq!(text, "Hi!");
//! # Ok(())
//! # }
//! ```

mod stream;

use std::sync::Arc;

use http::HeaderMap;
use serde::Serialize;
use strata_core::{
    BoxFuture, CallOptions, Error, GenerateResult, LanguageModel, StreamResult, Warning,
};

use crate::chat::request::build_chat_request;
use crate::chat::stream::ChatStreamState;
use crate::client::OpenAiClient;
use crate::responses::request::build_responses_request;
use crate::responses::stream::ResponsesStreamState;
use strata_core::result::RequestBody;
use strata_core::stream_machine::MachineStream;
use strata_http::runtime::response_metadata;
use strata_http::sse::SseStream;

/// A language model over Chat Completions.
#[derive(Debug, Clone)]
pub struct OpenAiChatModel {
    provider: Arc<str>,
    model_id: String,
    client: OpenAiClient,
}

/// A language model over the Responses API.
#[derive(Debug, Clone)]
pub struct OpenAiResponsesModel {
    provider: Arc<str>,
    model_id: String,
    client: OpenAiClient,
}

impl OpenAiChatModel {
    pub(crate) fn new(provider: Arc<str>, model_id: &str, client: OpenAiClient) -> Self {
        Self {
            provider,
            model_id: model_id.to_owned(),
            client,
        }
    }
}

impl OpenAiResponsesModel {
    pub(crate) fn new(provider: Arc<str>, model_id: &str, client: OpenAiClient) -> Self {
        Self {
            provider,
            model_id: model_id.to_owned(),
            client,
        }
    }
}

/// What differs between the two APIs; the calls themselves are shared.
trait Api {
    /// The path under the base URL.
    const PATH: &'static str;
    /// The stream state machine.
    type Machine: stream::Machine;

    /// The request body, and the warnings building it produced.
    fn prepare(
        model_id: &str,
        options: &CallOptions,
        stream: bool,
    ) -> Result<(impl Serialize, Vec<Warning>), Error>;

    /// Converts a response body.
    fn convert(body: &[u8], headers: &HeaderMap) -> Result<GenerateResult, Error>;

    /// A state machine for one stream.
    fn machine(include_raw: bool, request_id: Option<String>) -> Self::Machine;
}

/// Chat Completions.
struct Chat;

impl Api for Chat {
    const PATH: &'static str = "/chat/completions";
    type Machine = ChatStreamState;

    fn prepare(
        model_id: &str,
        options: &CallOptions,
        stream: bool,
    ) -> Result<(impl Serialize, Vec<Warning>), Error> {
        let prepared = build_chat_request(model_id, options, stream)?;
        Ok((prepared.body, prepared.warnings))
    }

    fn convert(body: &[u8], headers: &HeaderMap) -> Result<GenerateResult, Error> {
        crate::chat::response::convert_response(body, headers)
    }

    fn machine(include_raw: bool, request_id: Option<String>) -> ChatStreamState {
        ChatStreamState::new(include_raw).with_request_id(request_id)
    }
}

/// The Responses API.
struct Responses;

impl Api for Responses {
    const PATH: &'static str = "/responses";
    type Machine = ResponsesStreamState;

    fn prepare(
        model_id: &str,
        options: &CallOptions,
        stream: bool,
    ) -> Result<(impl Serialize, Vec<Warning>), Error> {
        let prepared = build_responses_request(model_id, options, stream)?;
        Ok((prepared.body, prepared.warnings))
    }

    fn convert(body: &[u8], headers: &HeaderMap) -> Result<GenerateResult, Error> {
        crate::responses::response::convert_response(body, headers)
    }

    fn machine(include_raw: bool, request_id: Option<String>) -> ResponsesStreamState {
        ResponsesStreamState::new(include_raw).with_request_id(request_id)
    }
}

/// Sends a non-streaming request and converts the response.
async fn generate<A: Api>(
    client: &OpenAiClient,
    model_id: &str,
    mut options: CallOptions,
) -> Result<GenerateResult, Error> {
    let headers = std::mem::take(&mut options.headers);
    let (body, warnings) = A::prepare(model_id, &options, false)?;
    let body = RequestBody::json_of(&body)?;
    let bytes = body.as_bytes().clone();
    let response = client.post_json(A::PATH, bytes, headers).await?;
    let request_id = strata_http::runtime::request_id(response.extensions());
    let mut result = A::convert(response.body(), response.headers()).map_err(|error| {
        match (request_id, error.request_id()) {
            (Some(id), None) => error.with_request_id(id),
            _ => error,
        }
    })?;
    result.warnings.splice(0..0, warnings);
    result.request_body = Some(body);
    Ok(result)
}

/// Sends a streaming request and wraps the body in the state machine.
async fn stream<A: Api>(
    client: &OpenAiClient,
    model_id: &str,
    mut options: CallOptions,
) -> Result<StreamResult, Error> {
    let headers = std::mem::take(&mut options.headers);
    let (body, warnings) = A::prepare(model_id, &options, true)?;
    let body = RequestBody::json_of(&body)?;
    let bytes = body.as_bytes().clone();
    let response = client.post_stream(A::PATH, bytes, headers).await?;
    let (parts, body_stream) = response.into_parts();
    let metadata = response_metadata(parts.headers, &parts.extensions);
    let id = metadata.request_id.clone();
    let mut machine = A::machine(options.include_raw_chunks, id.clone());
    let mut first = Vec::new();
    stream::Machine::start(&mut machine, warnings, &mut first);
    let parts = MachineStream::new(SseStream::new(body_stream), machine)
        .with_first_parts(first)
        .with_request_id(id);
    Ok(StreamResult::new(parts)
        .with_response(metadata)
        .with_request_body(body))
}

impl LanguageModel for OpenAiChatModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
        Box::pin(generate::<Chat>(&self.client, &self.model_id, options))
    }

    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
        Box::pin(stream::<Chat>(&self.client, &self.model_id, options))
    }
}

impl LanguageModel for OpenAiResponsesModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
        Box::pin(generate::<Responses>(&self.client, &self.model_id, options))
    }

    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
        Box::pin(stream::<Responses>(&self.client, &self.model_id, options))
    }
}
