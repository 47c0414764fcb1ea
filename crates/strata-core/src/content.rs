//! What a model generated: text, reasoning, files, sources, tool calls and tool results.
//!
//! ```
//! use serde_json::json;
//! use strata_core::content::{Content, Source, ToolCall};
//!
//! let content = vec![
//!     Content::text("It is sunny in Paris."),
//!     Content::Source(Source::url("src-1", "https://weather.example/paris")),
//!     ToolCall::new("call-1", "weather", json!({"city": "Paris"})).into(),
//! ];
//! let parts: Vec<_> = content.iter().filter_map(Content::to_part).collect();
//! assert_eq!(parts.len(), 2); // sources are not sent back to the model
//! ```

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ProviderMetadata;
use crate::prompt::{
    FilePart, Part, ReasoningPart, TextPart, ToolCallPart, ToolResultOutput, ToolResultPart,
};

/// One piece of generated content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Content {
    /// Text.
    Text(TextContent),
    /// Reasoning; signatures and redacted data are in its provider metadata.
    Reasoning(ReasoningContent),
    /// A generated file.
    File(FileContent),
    /// A source the answer cites.
    Source(Source),
    /// A tool call.
    ToolCall(ToolCall),
    /// The result of a tool the provider ran.
    ToolResult(ToolResult),
}

impl Content {
    /// Text content.
    pub fn text(text: impl Into<String>) -> Self {
        Content::Text(TextContent::new(text))
    }

    /// Reasoning content.
    pub fn reasoning(text: impl Into<String>) -> Self {
        Content::Reasoning(ReasoningContent::new(text))
    }

    /// This content as a prompt part for the next turn of the conversation, keeping provider
    /// metadata (such as reasoning signatures) as provider options. Sources have no prompt
    /// form and give `None`.
    pub fn to_part(&self) -> Option<Part> {
        Some(match self {
            Content::Text(c) => TextPart::new(c.text.clone())
                .with_provider_options(c.provider_metadata.clone())
                .into(),
            Content::Reasoning(c) => ReasoningPart::new(c.text.clone())
                .with_provider_options(c.provider_metadata.clone())
                .into(),
            Content::File(c) => FilePart::from_bytes(c.data.clone(), c.media_type.clone())
                .with_provider_options(c.provider_metadata.clone())
                .into(),
            Content::Source(_) => return None,
            Content::ToolCall(c) => {
                let mut part =
                    ToolCallPart::new(c.tool_call_id.clone(), c.tool_name.clone(), c.input.clone())
                        .with_provider_options(c.provider_metadata.clone());
                part.provider_executed = c.provider_executed;
                part.into()
            }
            Content::ToolResult(c) => {
                let output = if c.is_error {
                    ToolResultOutput::ErrorJson(c.result.clone())
                } else {
                    ToolResultOutput::Json(c.result.clone())
                };
                ToolResultPart::new(c.tool_call_id.clone(), c.tool_name.clone(), output)
                    .with_provider_options(c.provider_metadata.clone())
                    .into()
            }
        })
    }

    /// The provider metadata of this content, whatever its kind.
    pub fn provider_metadata(&self) -> &ProviderMetadata {
        match self {
            Content::Text(c) => &c.provider_metadata,
            Content::Reasoning(c) => &c.provider_metadata,
            Content::File(c) => &c.provider_metadata,
            Content::Source(Source::Url {
                provider_metadata, ..
            })
            | Content::Source(Source::Document {
                provider_metadata, ..
            }) => provider_metadata,
            Content::ToolCall(c) => &c.provider_metadata,
            Content::ToolResult(c) => &c.provider_metadata,
        }
    }

    /// The provider metadata of this content, mutably.
    pub fn provider_metadata_mut(&mut self) -> &mut ProviderMetadata {
        match self {
            Content::Text(c) => &mut c.provider_metadata,
            Content::Reasoning(c) => &mut c.provider_metadata,
            Content::File(c) => &mut c.provider_metadata,
            Content::Source(Source::Url {
                provider_metadata, ..
            })
            | Content::Source(Source::Document {
                provider_metadata, ..
            }) => provider_metadata,
            Content::ToolCall(c) => &mut c.provider_metadata,
            Content::ToolResult(c) => &mut c.provider_metadata,
        }
    }
}

macro_rules! content_from {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for Content {
            fn from(content: $ty) -> Self {
                Content::$variant(content)
            }
        }
    )*};
}
content_from!(
    Text(TextContent),
    Reasoning(ReasoningContent),
    File(FileContent),
    Source(Source),
    ToolCall(ToolCall),
    ToolResult(ToolResult)
);

/// Generated text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextContent {
    /// The text.
    pub text: String,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl TextContent {
    /// Text content.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// Sets the provider metadata.
    pub fn with_provider_metadata(mut self, metadata: ProviderMetadata) -> Self {
        self.provider_metadata = metadata;
        self
    }
}

/// Generated reasoning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningContent {
    /// The reasoning text (empty when redacted).
    pub text: String,
    /// Provider-specific metadata: the signature or the redacted data.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl ReasoningContent {
    /// Reasoning content.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// Sets the provider metadata.
    pub fn with_provider_metadata(mut self, metadata: ProviderMetadata) -> Self {
        self.provider_metadata = metadata;
        self
    }
}

/// A generated file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileContent {
    /// The bytes (serialized as base64).
    #[serde(with = "crate::serde_util::base64_bytes")]
    pub data: Bytes,
    /// The IANA media type.
    pub media_type: String,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl FileContent {
    /// A generated file.
    pub fn new(data: impl Into<Bytes>, media_type: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            media_type: media_type.into(),
            provider_metadata: ProviderMetadata::default(),
        }
    }
}

/// A source (citation) the answer draws on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source_type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Source {
    /// A web page.
    Url {
        /// The source's id within the response.
        id: String,
        /// The URL.
        url: String,
        /// The page title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// Provider-specific metadata.
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
    /// A document from the prompt or a knowledge base.
    Document {
        /// The source's id within the response.
        id: String,
        /// The document's media type.
        media_type: String,
        /// The document's title.
        title: String,
        /// The document's file name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
        /// Provider-specific metadata (e.g. the cited span).
        #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
        provider_metadata: ProviderMetadata,
    },
}

impl Source {
    /// A URL source without title.
    pub fn url(id: impl Into<String>, url: impl Into<String>) -> Self {
        Source::Url {
            id: id.into(),
            url: url.into(),
            title: None,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// A document source.
    pub fn document(
        id: impl Into<String>,
        media_type: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        Source::Document {
            id: id.into(),
            media_type: media_type.into(),
            title: title.into(),
            filename: None,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// The source's id.
    pub fn id(&self) -> &str {
        match self {
            Source::Url { id, .. } | Source::Document { id, .. } => id,
        }
    }
}

/// A tool call the model made, with its complete input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCall {
    /// The call's id.
    pub tool_call_id: String,
    /// The tool's name.
    pub tool_name: String,
    /// The input, as JSON.
    pub input: Value,
    /// Whether the provider runs the tool itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provider_executed: bool,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl ToolCall {
    /// A tool call.
    pub fn new(
        tool_call_id: impl Into<String>,
        tool_name: impl Into<String>,
        input: Value,
    ) -> Self {
        Self {
            tool_call_id: tool_call_id.into(),
            tool_name: tool_name.into(),
            input,
            provider_executed: false,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// Marks the call as run by the provider.
    pub fn with_provider_executed(mut self, executed: bool) -> Self {
        self.provider_executed = executed;
        self
    }

    /// Sets the provider metadata.
    pub fn with_provider_metadata(mut self, metadata: ProviderMetadata) -> Self {
        self.provider_metadata = metadata;
        self
    }
}

/// The result of a tool the provider ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolResult {
    /// The id of the call.
    pub tool_call_id: String,
    /// The tool's name.
    pub tool_name: String,
    /// The result, as JSON.
    pub result: Value,
    /// Whether the tool failed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_error: bool,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl ToolResult {
    /// A successful tool result.
    pub fn new(
        tool_call_id: impl Into<String>,
        tool_name: impl Into<String>,
        result: Value,
    ) -> Self {
        Self {
            tool_call_id: tool_call_id.into(),
            tool_name: tool_name.into(),
            result,
            is_error: false,
            provider_metadata: ProviderMetadata::default(),
        }
    }

    /// Marks the result as a failure.
    pub fn with_error(mut self, is_error: bool) -> Self {
        self.is_error = is_error;
        self
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_shape() {
        assert_eq!(
            serde_json::to_value(Content::Source(Source::url("s", "https://a"))).unwrap(),
            json!({"type": "source", "source_type": "url", "id": "s", "url": "https://a"})
        );
        assert_eq!(
            serde_json::to_value(Content::File(FileContent::new(&b"x"[..], "image/png"))).unwrap(),
            json!({"type": "file", "data": "eA==", "media_type": "image/png"})
        );
    }

    #[test]
    fn to_part_keeps_metadata_and_execution_flags() {
        let metadata = ProviderMetadata::new().with("bedrock", "signature", "sig");
        let reasoning = Content::Reasoning(
            ReasoningContent::new("think").with_provider_metadata(metadata.clone()),
        );
        let Some(Part::Reasoning(part)) = reasoning.to_part() else {
            panic!("not reasoning")
        };
        assert_eq!(part.provider_options, metadata);

        let call =
            Content::from(ToolCall::new("c", "search", json!({})).with_provider_executed(true));
        let Some(Part::ToolCall(part)) = call.to_part() else {
            panic!("not a tool call")
        };
        assert!(part.provider_executed);

        let result = Content::from(ToolResult::new("c", "search", json!("no")).with_error(true));
        let Some(Part::ToolResult(part)) = result.to_part() else {
            panic!("not a tool result")
        };
        assert_eq!(part.output, ToolResultOutput::ErrorJson(json!("no")));
    }
}
