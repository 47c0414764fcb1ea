//! ConverseStream event payloads (`ConverseStreamOutput` members).
//!
//! On the wire each event is one event-stream frame: the member name travels in the
//! `:event-type` (or `:exception-type`) header and the payload is the JSON object of the
//! event's members, plus Bedrock's random-length padding member `"p"`, which is ignored.
//! Text, tool-input and reasoning deltas borrow their strings from the payload bytes when
//! they contain no escapes.

use std::borrow::Cow;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::Blob;
use super::content::{
    Citation, ConversationRole, ErrorBlock, ImageFormat, ImageSource, ToolResultStatus, ToolUseType,
};
use super::macros::{CowStr, wire_union};
use super::request::{PerformanceConfiguration, ServiceTier};
use super::response::{ConverseMetrics, ConverseTrace, StopReason, TokenUsage};

/// `MessageStartEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageStartEvent {
    /// The role of the message being generated (`assistant`).
    pub role: ConversationRole,
}

/// `ToolUseBlockStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolUseBlockStart {
    /// The call id.
    pub tool_use_id: String,
    /// The tool name.
    pub name: String,
    /// Set for server-side tool use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ToolUseType>,
}

/// `ToolResultBlockStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResultBlockStart {
    /// The id of the call this answers.
    pub tool_use_id: String,
    /// The result type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The result status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ToolResultStatus>,
}

/// `ImageBlockStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageBlockStart {
    /// The format of the streamed image.
    pub format: ImageFormat,
}

wire_union! {
    /// `ContentBlockStart`.
    ContentBlockStart {
        /// `toolUse`
        ToolUse(ToolUseBlockStart) = "toolUse",
        /// `toolResult`
        ToolResult(ToolResultBlockStart) = "toolResult",
        /// `image`
        Image(ImageBlockStart) = "image",
    }
}

/// `ContentBlockStartEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentBlockStartEvent {
    /// What the block is.
    pub start: ContentBlockStart,
    /// The block index within the message.
    pub content_block_index: u32,
}

/// `ContentBlockDeltaEvent`, borrowing from the payload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentBlockDeltaEvent<'a> {
    /// The increment.
    #[serde(borrow)]
    pub delta: ContentBlockDelta<'a>,
    /// The block index within the message.
    pub content_block_index: u32,
}

impl<'a> ContentBlockDeltaEvent<'a> {
    /// Decodes a `contentBlockDelta` payload. Text deltas without escapes — the bulk of a
    /// stream — are read by a small scanner that borrows the text; everything else goes
    /// through serde, with the same result.
    ///
    /// # Errors
    /// The JSON error when the payload does not match the event's shape.
    ///
    /// ```
    /// use strata_bedrock::wire::{ContentBlockDelta, ContentBlockDeltaEvent};
    ///
    /// let event = ContentBlockDeltaEvent::from_payload(br#"{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abc"}"#)?;
    /// assert_eq!((event.content_block_index, event.delta), (0, ContentBlockDelta::Text("Hi".into())));
    /// assert!(ContentBlockDeltaEvent::from_payload(br#"{"delta":{}}"#).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_payload(payload: &'a [u8]) -> Result<Self, serde_json::Error> {
        match super::text_delta::text_delta(payload) {
            Some(event) => Ok(event),
            None => serde_json::from_slice(payload),
        }
    }
}

/// `ToolUseBlockDelta`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ToolUseBlockDelta<'a> {
    /// A fragment of the tool input JSON text.
    #[serde(borrow)]
    pub input: Cow<'a, str>,
}

wire_union! {
    /// `ToolResultBlockDelta`.
    ToolResultBlockDelta {
        /// `text`
        Text(String) = "text",
        /// `json`
        Json(Value) = "json",
    }
}

/// `ImageBlockDelta`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ImageBlockDelta {
    /// The image data.
    #[serde(default)]
    pub source: Option<ImageSource>,
    /// Why the image failed.
    #[serde(default)]
    pub error: Option<ErrorBlock>,
}

/// `ReasoningContentBlockDelta`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReasoningContentBlockDelta<'a> {
    /// `text`: a fragment of reasoning text.
    Text(Cow<'a, str>),
    /// `redactedContent`: encrypted reasoning.
    RedactedContent(Blob),
    /// `signature`: the signature of the reasoning block.
    Signature(Cow<'a, str>),
    /// A member this version does not know; holds its name.
    Unknown(String),
}

/// `ContentBlockDelta`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContentBlockDelta<'a> {
    /// `text`: a fragment of text.
    Text(Cow<'a, str>),
    /// `toolUse`: a fragment of tool input.
    ToolUse(ToolUseBlockDelta<'a>),
    /// `toolResult`: tool result fragments (server tools).
    ToolResult(Vec<ToolResultBlockDelta>),
    /// `reasoningContent`: a reasoning fragment.
    ReasoningContent(ReasoningContentBlockDelta<'a>),
    /// `citation`: a citation for the block (`CitationsDelta`).
    Citation(Citation),
    /// `image`: streamed image data.
    Image(ImageBlockDelta),
    /// A member this version does not know; holds its name.
    Unknown(String),
}

/// Visits a union object, calling `member` for each non-null member and keeping the first
/// unknown member name.
fn visit_union<'de, A, T>(
    mut map: A,
    name: &'static str,
    mut member: impl FnMut(&str, &mut A) -> Result<Option<Option<T>>, A::Error>,
    unknown: impl FnOnce(String) -> T,
) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
{
    let mut known: Option<T> = None;
    let mut other: Option<String> = None;
    while let Some(key) = map.next_key::<CowStr<'de>>()? {
        match member(&key.0, &mut map)? {
            Some(Some(value)) => {
                if known.is_some() {
                    return Err(A::Error::custom(format_args!(
                        "{name} has more than one member set"
                    )));
                }
                known = Some(value);
            }
            Some(None) => {}
            None => {
                let value = map.next_value::<Value>()?;
                if !value.is_null() && other.is_none() {
                    other = Some(key.0.into_owned());
                }
            }
        }
    }
    known
        .or_else(|| other.map(unknown))
        .ok_or_else(|| A::Error::custom(format_args!("{name} has no member set")))
}

fn cow<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    Ok(map.next_value::<Option<CowStr<'de>>>()?.map(|s| s.0))
}

impl<'de: 'a, 'a> Deserialize<'de> for ReasoningContentBlockDelta<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ReasoningContentBlockDelta<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a ReasoningContentBlockDelta union object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                visit_union(
                    map,
                    "ReasoningContentBlockDelta",
                    |key, map| {
                        Ok(Some(match key {
                            "text" => cow(map)?.map(ReasoningContentBlockDelta::Text),
                            "signature" => cow(map)?.map(ReasoningContentBlockDelta::Signature),
                            "redactedContent" => map
                                .next_value::<Option<Blob>>()?
                                .map(ReasoningContentBlockDelta::RedactedContent),
                            _ => return Ok(None),
                        }))
                    },
                    ReasoningContentBlockDelta::Unknown,
                )
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ContentBlockDelta<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ContentBlockDelta<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a ContentBlockDelta union object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                visit_union(
                    map,
                    "ContentBlockDelta",
                    |key, map| {
                        Ok(Some(match key {
                            "text" => cow(map)?.map(ContentBlockDelta::Text),
                            "toolUse" => map
                                .next_value::<Option<ToolUseBlockDelta<'de>>>()?
                                .map(ContentBlockDelta::ToolUse),
                            "toolResult" => map
                                .next_value::<Option<Vec<ToolResultBlockDelta>>>()?
                                .map(ContentBlockDelta::ToolResult),
                            "reasoningContent" => map
                                .next_value::<Option<ReasoningContentBlockDelta<'de>>>()?
                                .map(ContentBlockDelta::ReasoningContent),
                            "citation" => map
                                .next_value::<Option<Citation>>()?
                                .map(ContentBlockDelta::Citation),
                            "image" => map
                                .next_value::<Option<ImageBlockDelta>>()?
                                .map(ContentBlockDelta::Image),
                            _ => return Ok(None),
                        }))
                    },
                    ContentBlockDelta::Unknown,
                )
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// `ContentBlockStopEvent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentBlockStopEvent {
    /// The block index within the message.
    pub content_block_index: u32,
}

/// `MessageStopEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageStopEvent {
    /// Why generation stopped.
    pub stop_reason: StopReason,
    /// The model-specific fields asked for with `additionalModelResponseFieldPaths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_model_response_fields: Option<Value>,
}

/// `ConverseStreamMetadataEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConverseStreamMetadataEvent {
    /// Token counts.
    #[serde(default)]
    pub usage: TokenUsage,
    /// Stream metrics.
    #[serde(default)]
    pub metrics: ConverseMetrics,
    /// Guardrail and prompt-router traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<ConverseTrace>,
    /// The latency profile used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance_config: Option<PerformanceConfiguration>,
    /// The processing tier used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<ServiceTier>,
}

/// The payload of a modeled stream exception (`internalServerException`,
/// `modelStreamErrorException`, `validationException`, `throttlingException`,
/// `serviceUnavailableException`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StreamException {
    /// The error message (also read from `Message`).
    #[serde(default, alias = "Message", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The status the model returned (`modelStreamErrorException`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_status_code: Option<u16>,
    /// The message the model returned (`modelStreamErrorException`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_message: Option<String>,
}

/// One decoded `ConverseStreamOutput` event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConverseStreamEvent<'a> {
    /// `messageStart`
    MessageStart(MessageStartEvent),
    /// `contentBlockStart`
    ContentBlockStart(ContentBlockStartEvent),
    /// `contentBlockDelta`
    ContentBlockDelta(ContentBlockDeltaEvent<'a>),
    /// `contentBlockStop`
    ContentBlockStop(ContentBlockStopEvent),
    /// `messageStop`
    MessageStop(MessageStopEvent),
    /// `metadata`
    Metadata(ConverseStreamMetadataEvent),
    /// An event type this version does not know; holds its name.
    Unknown(String),
}

impl<'a> ConverseStreamEvent<'a> {
    /// Decodes the payload of an event frame whose `:event-type` header is `event_type`.
    ///
    /// # Errors
    /// The JSON error when the payload does not match the event's shape.
    ///
    /// ```
    /// use strata_bedrock::wire::{ContentBlockDelta, ConverseStreamEvent};
    ///
    /// let payload = br#"{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abc"}"#;
    /// let event = ConverseStreamEvent::from_payload("contentBlockDelta", payload).unwrap();
    /// let ConverseStreamEvent::ContentBlockDelta(delta) = event else { panic!() };
    /// assert_eq!(delta.delta, ContentBlockDelta::Text("Hi".into()));
    /// ```
    pub fn from_payload(event_type: &str, payload: &'a [u8]) -> Result<Self, serde_json::Error> {
        Ok(match event_type {
            "contentBlockDelta" => {
                Self::ContentBlockDelta(ContentBlockDeltaEvent::from_payload(payload)?)
            }
            "messageStart" => Self::MessageStart(serde_json::from_slice(payload)?),
            "contentBlockStart" => Self::ContentBlockStart(serde_json::from_slice(payload)?),
            "contentBlockStop" => Self::ContentBlockStop(serde_json::from_slice(payload)?),
            "messageStop" => Self::MessageStop(serde_json::from_slice(payload)?),
            "metadata" => Self::Metadata(serde_json::from_slice(payload)?),
            other => Self::Unknown(other.to_owned()),
        })
    }
}
