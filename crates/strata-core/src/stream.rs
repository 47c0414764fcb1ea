//! Streaming: the parts a stream yields and the [`StreamResult`] that carries them.
//!
//! Text, reasoning and tool inputs arrive as start / delta / end triples tied together by an
//! id; [`StreamResult::collect`] (or a [`Collector`] fed part by part)
//! assembles them into the [`GenerateResult`] `generate` would return.
//!
//! ```
//! use futures_util::stream;
//! use strata_core::{FinishReason, StreamPart, StreamResult, Usage};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_core::Error> {
//! let parts = vec![
//!     StreamPart::text_start("t0"),
//!     StreamPart::text_delta("t0", "Hel"),
//!     StreamPart::text_delta("t0", "lo"),
//!     StreamPart::text_end("t0"),
//!     StreamPart::finish(FinishReason::Stop, Usage::from_totals(Some(3), Some(2))),
//! ];
//! let result = StreamResult::new(stream::iter(parts)).collect().await?;
//! assert_eq!(result.text(), "Hello");
//! assert_eq!(result.finish_reason, FinishReason::Stop);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::pin::Pin;

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::collect::Collector;
use crate::content::{FileContent, Source, ToolCall, ToolResult};
use crate::result::{FinishReason, GenerateResult, ResponseMetadata, Usage, Warning};
use crate::{Error, ProviderMetadata};

/// A boxed, sendable stream of [`StreamPart`]s.
pub type PartStream = Pin<Box<dyn Stream<Item = StreamPart> + Send + 'static>>;

/// One event of a streamed language-model response.
///
/// A failure after the stream started is an [`StreamPart::Error`] part, never a silent end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum StreamPart {
    /// The first part: warnings about the call.
    StreamStart {
        /// Settings or tools the provider ignored.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<Warning>,
    },
    /// Response id, model and timestamp, once known.
    ResponseMetadata(ResponseMetadata),
    /// A text block starts.
    TextStart {
        /// The block's id.
        id: String,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// More text for a block.
    TextDelta {
        /// The block's id.
        id: String,
        /// The new text.
        delta: String,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// A text block ends.
    TextEnd {
        /// The block's id.
        id: String,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// A reasoning block starts.
    ReasoningStart {
        /// The block's id.
        id: String,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// More reasoning for a block; a signature may arrive as metadata with an empty delta.
    ReasoningDelta {
        /// The block's id.
        id: String,
        /// The new text.
        delta: String,
        /// Provider-specific metadata (signature, redacted data).
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// A reasoning block ends.
    ReasoningEnd {
        /// The block's id.
        id: String,
        /// Provider-specific metadata (signature, redacted data).
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// The input of a tool call starts; the id is the tool call id.
    ToolInputStart {
        /// The tool call id.
        id: String,
        /// The tool's name.
        tool_name: String,
        /// Whether the provider runs the tool.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        provider_executed: bool,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// More JSON text of a tool call's input.
    ToolInputDelta {
        /// The tool call id.
        id: String,
        /// The next piece of the JSON input.
        delta: String,
    },
    /// A tool call's input is complete.
    ToolInputEnd {
        /// The tool call id.
        id: String,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// A complete tool call (after its input parts, when those were streamed).
    ToolCall(ToolCall),
    /// The result of a tool the provider ran.
    ToolResult(ToolResult),
    /// A source the answer cites.
    Source(Source),
    /// A generated file.
    File(FileContent),
    /// The last part: why generation stopped, and usage.
    Finish {
        /// Why generation stopped.
        finish_reason: FinishReason,
        /// The provider's own finish reason.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raw_finish_reason: Option<String>,
        /// Token usage.
        #[serde(default)]
        usage: Usage,
        /// Provider-specific metadata for the whole response.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// The stream failed.
    Error(Error),
    /// A raw provider chunk, when [`CallOptions::include_raw_chunks`](crate::CallOptions) is set.
    Raw {
        /// The chunk as JSON.
        raw_value: Value,
    },
}

impl StreamPart {
    /// A stream-start part.
    pub fn stream_start(warnings: Vec<Warning>) -> Self {
        StreamPart::StreamStart { warnings }
    }

    /// A text-start part.
    pub fn text_start(id: impl Into<String>) -> Self {
        StreamPart::TextStart {
            id: id.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A text-delta part.
    pub fn text_delta(id: impl Into<String>, delta: impl Into<String>) -> Self {
        StreamPart::TextDelta {
            id: id.into(),
            delta: delta.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A text-end part.
    pub fn text_end(id: impl Into<String>) -> Self {
        StreamPart::TextEnd {
            id: id.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A reasoning-start part.
    pub fn reasoning_start(id: impl Into<String>) -> Self {
        StreamPart::ReasoningStart {
            id: id.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A reasoning-delta part.
    pub fn reasoning_delta(id: impl Into<String>, delta: impl Into<String>) -> Self {
        StreamPart::ReasoningDelta {
            id: id.into(),
            delta: delta.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A reasoning-end part.
    pub fn reasoning_end(id: impl Into<String>) -> Self {
        StreamPart::ReasoningEnd {
            id: id.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A tool-input-start part.
    pub fn tool_input_start(id: impl Into<String>, tool_name: impl Into<String>) -> Self {
        StreamPart::ToolInputStart {
            id: id.into(),
            tool_name: tool_name.into(),
            provider_executed: false,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A tool-input-delta part.
    pub fn tool_input_delta(id: impl Into<String>, delta: impl Into<String>) -> Self {
        StreamPart::ToolInputDelta {
            id: id.into(),
            delta: delta.into(),
        }
    }

    /// A tool-input-end part.
    pub fn tool_input_end(id: impl Into<String>) -> Self {
        StreamPart::ToolInputEnd {
            id: id.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A finish part without raw reason or metadata.
    pub fn finish(finish_reason: FinishReason, usage: Usage) -> Self {
        StreamPart::Finish {
            finish_reason,
            raw_finish_reason: None,
            usage,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// Sets the provider metadata of parts that carry it (text, reasoning, tool input, finish,
    /// tool call, tool result, file); other parts are returned unchanged.
    pub fn with_provider_metadata(mut self, metadata: ProviderMetadata) -> Self {
        match &mut self {
            StreamPart::TextStart {
                provider_metadata, ..
            }
            | StreamPart::TextDelta {
                provider_metadata, ..
            }
            | StreamPart::TextEnd {
                provider_metadata, ..
            }
            | StreamPart::ReasoningStart {
                provider_metadata, ..
            }
            | StreamPart::ReasoningDelta {
                provider_metadata, ..
            }
            | StreamPart::ReasoningEnd {
                provider_metadata, ..
            }
            | StreamPart::ToolInputStart {
                provider_metadata, ..
            }
            | StreamPart::ToolInputEnd {
                provider_metadata, ..
            }
            | StreamPart::Finish {
                provider_metadata, ..
            } => *provider_metadata = metadata,
            StreamPart::ToolCall(call) => call.provider_metadata = metadata,
            StreamPart::ToolResult(result) => result.provider_metadata = metadata,
            StreamPart::File(file) => file.provider_metadata = metadata,
            _ => {}
        }
        self
    }
}

/// What [`LanguageModel::stream`](crate::LanguageModel::stream) returns: the parts, plus what
/// was known before the first part arrived.
///
/// Dropping the stream cancels the request.
#[non_exhaustive]
pub struct StreamResult {
    /// The parts.
    pub stream: PartStream,
    /// Metadata known when the response started (headers, request id).
    pub response: ResponseMetadata,
    /// The request body that was sent, for debugging.
    pub request_body: Option<crate::result::RequestBody>,
}

impl StreamResult {
    /// A stream result with empty metadata.
    pub fn new(stream: impl Stream<Item = StreamPart> + Send + 'static) -> Self {
        Self {
            stream: Box::pin(stream),
            response: ResponseMetadata::default(),
            request_body: None,
        }
    }

    /// Sets the response metadata.
    pub fn with_response(mut self, response: ResponseMetadata) -> Self {
        self.response = response;
        self
    }

    /// Sets the request body.
    pub fn with_request_body(mut self, body: impl Into<crate::result::RequestBody>) -> Self {
        self.request_body = Some(body.into());
        self
    }

    /// Reads the whole stream into the [`GenerateResult`] `generate` would have returned.
    ///
    /// An error part ends collection with that error; a stream without a finish part is a
    /// [`stream_ended`](Error::is_stream_ended) error. See [`Collector`] for the rules.
    pub async fn collect(self) -> Result<GenerateResult, Error> {
        use futures_util::StreamExt as _;

        let mut collector = Collector::new().with_response(self.response);
        if let Some(body) = self.request_body {
            collector = collector.with_request_body(body);
        }
        let mut stream = self.stream;
        while let Some(part) = stream.next().await {
            collector.push(part)?;
        }
        collector.finish()
    }
}

impl fmt::Debug for StreamResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamResult")
            .field("stream", &"<stream>")
            .field("response", &self.response)
            .field("request_body", &self.request_body)
            .finish()
    }
}
