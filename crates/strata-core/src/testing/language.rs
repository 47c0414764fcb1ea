//! The mock language model, and the stream parts a result streams as.

use std::sync::Mutex;

use futures_util::stream;

use super::{Script, lock};
use crate::content::Content;
use crate::result::ResponseMetadata;
use crate::{
    BoxFuture, CallOptions, Error, GenerateResult, LanguageModel, StreamPart, StreamResult,
};

/// How many characters each delta of [`stream_parts`] carries.
const DELTA_CHARS: usize = 4;

/// A scripted [`LanguageModel`] that records every [`CallOptions`] it receives.
#[derive(Debug)]
pub struct MockLanguageModel {
    provider: String,
    model_id: String,
    generate: Script<Result<GenerateResult, Error>>,
    stream: Script<Result<ScriptedStream, Error>>,
    calls: Mutex<Vec<CallOptions>>,
}

#[derive(Clone, Debug)]
struct ScriptedStream {
    parts: Vec<StreamPart>,
    response: ResponseMetadata,
    request_body: Option<crate::result::RequestBody>,
}

impl MockLanguageModel {
    /// A mock with nothing scripted.
    pub fn new(provider: impl Into<String>, model_id: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            model_id: model_id.into(),
            generate: Script::new(),
            stream: Script::new(),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Scripts `result` for `generate`, and for `stream` the parts [`stream_parts`] derives
    /// from it, so a collected stream equals the generated result.
    pub fn with_result(self, result: GenerateResult) -> Self {
        let response = ResponseMetadata::default().with_headers(result.response.headers.clone());
        let response = match &result.response.request_id {
            Some(id) => response.with_request_id(id.clone()),
            None => response,
        };
        self.stream.push(Ok(ScriptedStream {
            parts: stream_parts(&result),
            response,
            request_body: result.request_body.clone(),
        }));
        self.generate.push(Ok(result));
        self
    }

    /// Scripts one `generate` outcome.
    pub fn with_generate(self, outcome: Result<GenerateResult, Error>) -> Self {
        self.generate.push(outcome);
        self
    }

    /// Scripts one `stream` call that yields `parts`.
    pub fn with_stream(self, parts: Vec<StreamPart>) -> Self {
        self.stream.push(Ok(ScriptedStream {
            parts,
            response: ResponseMetadata::default(),
            request_body: None,
        }));
        self
    }

    /// Scripts one `stream` call that fails before any part.
    pub fn with_stream_error(self, error: Error) -> Self {
        self.stream.push(Err(error));
        self
    }

    /// The options of every call so far, `generate` and `stream` alike, in order.
    pub fn calls(&self) -> Vec<CallOptions> {
        lock(&self.calls).clone()
    }

    fn record(&self, options: CallOptions) {
        lock(&self.calls).push(options);
    }

    fn name(&self, method: &str) -> String {
        format!("mock language model `{}` ({method})", self.model_id)
    }
}

impl LanguageModel for MockLanguageModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
        self.record(options);
        let outcome = self
            .generate
            .next(|| self.name("generate"))
            .and_then(|outcome| outcome);
        Box::pin(async move { outcome })
    }

    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
        self.record(options);
        let outcome = self
            .stream
            .next(|| self.name("stream"))
            .and_then(|outcome| outcome);
        Box::pin(async move {
            let scripted = outcome?;
            let mut result =
                StreamResult::new(stream::iter(scripted.parts)).with_response(scripted.response);
            result.request_body = scripted.request_body;
            Ok(result)
        })
    }
}

fn chunks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(DELTA_CHARS)
        .map(|chunk| chunk.iter().collect())
        .collect()
}

/// The stream parts a provider would send for `result`: stream-start with the warnings,
/// response metadata, text and reasoning as start / deltas / end (metadata on the end part),
/// tool calls as tool-input start / deltas / end *without* a tool-call part (so collecting
/// assembles the input from the deltas), other content as single parts, and finish.
pub fn stream_parts(result: &GenerateResult) -> Vec<StreamPart> {
    let mut parts = vec![StreamPart::stream_start(result.warnings.clone())];
    let metadata = &result.response;
    if metadata.id.is_some() || metadata.model_id.is_some() || metadata.timestamp.is_some() {
        let early = ResponseMetadata {
            id: metadata.id.clone(),
            model_id: metadata.model_id.clone(),
            timestamp: metadata.timestamp,
            ..ResponseMetadata::default()
        };
        parts.push(StreamPart::ResponseMetadata(early));
    }
    for (index, content) in result.content.iter().enumerate() {
        match content {
            Content::Text(text) => {
                let id = format!("text-{index}");
                parts.push(StreamPart::text_start(&id));
                parts.extend(
                    chunks(&text.text)
                        .into_iter()
                        .map(|delta| StreamPart::text_delta(&id, delta)),
                );
                parts.push(
                    StreamPart::text_end(&id)
                        .with_provider_metadata(text.provider_metadata.clone()),
                );
            }
            Content::Reasoning(reasoning) => {
                let id = format!("reasoning-{index}");
                parts.push(StreamPart::reasoning_start(&id));
                parts.extend(
                    chunks(&reasoning.text)
                        .into_iter()
                        .map(|delta| StreamPart::reasoning_delta(&id, delta)),
                );
                parts.push(
                    StreamPart::reasoning_end(&id)
                        .with_provider_metadata(reasoning.provider_metadata.clone()),
                );
            }
            Content::ToolCall(call) => {
                let id = &call.tool_call_id;
                parts.push(StreamPart::ToolInputStart {
                    id: id.clone(),
                    tool_name: call.tool_name.clone(),
                    provider_executed: call.provider_executed,
                    provider_metadata: Default::default(),
                });
                let json = call.input.to_string();
                parts.extend(
                    chunks(&json)
                        .into_iter()
                        .map(|delta| StreamPart::tool_input_delta(id, delta)),
                );
                parts.push(
                    StreamPart::tool_input_end(id)
                        .with_provider_metadata(call.provider_metadata.clone()),
                );
            }
            Content::ToolResult(tool_result) => {
                parts.push(StreamPart::ToolResult(tool_result.clone()))
            }
            Content::Source(source) => parts.push(StreamPart::Source(source.clone())),
            Content::File(file) => parts.push(StreamPart::File(file.clone())),
        }
    }
    parts.push(StreamPart::Finish {
        finish_reason: result.finish_reason,
        raw_finish_reason: result.raw_finish_reason.clone(),
        usage: result.usage,
        provider_metadata: result.provider_metadata.clone(),
    });
    parts
}
