//! Messages and content blocks shared by Converse requests and responses.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Blob;
use super::macros::{wire_enum, wire_union};

wire_enum! {
    /// `ConversationRole`: who wrote a message.
    ConversationRole {
        /// `user`
        User = "user",
        /// `assistant`
        Assistant = "assistant",
        /// `system`
        System = "system",
    }
}

/// `Message`: one turn of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The author of the message.
    pub role: ConversationRole,
    /// The content blocks, in order.
    #[serde(default)]
    pub content: Vec<ContentBlock>,
}

wire_union! {
    /// `SystemContentBlock`: one part of the system prompt.
    SystemContentBlock {
        /// `text`: system text.
        Text(String) = "text",
        /// `guardContent`: content a guardrail evaluates.
        GuardContent(GuardrailConverseContentBlock) = "guardContent",
        /// `cachePoint`: caches everything before this point.
        CachePoint(CachePointBlock) = "cachePoint",
    }
}

wire_union! {
    /// `ContentBlock`: one block of a message.
    ContentBlock {
        /// `text`
        Text(String) = "text",
        /// `image`
        Image(ImageBlock) = "image",
        /// `document`
        Document(DocumentBlock) = "document",
        /// `video`
        Video(VideoBlock) = "video",
        /// `audio`
        Audio(AudioBlock) = "audio",
        /// `toolUse`: a tool call made by the model.
        ToolUse(ToolUseBlock) = "toolUse",
        /// `toolResult`: the result of a tool call.
        ToolResult(ToolResultBlock) = "toolResult",
        /// `guardContent`: content a guardrail evaluates.
        GuardContent(GuardrailConverseContentBlock) = "guardContent",
        /// `cachePoint`: caches everything before this point.
        CachePoint(CachePointBlock) = "cachePoint",
        /// `reasoningContent`: the model's reasoning.
        ReasoningContent(ReasoningContentBlock) = "reasoningContent",
        /// `citationsContent`: generated text with its citations.
        CitationsContent(CitationsContentBlock) = "citationsContent",
        /// `searchResult`
        SearchResult(SearchResultBlock) = "searchResult",
        /// `toolAddition`
        ToolAddition(ToolChangeBlock) = "toolAddition",
        /// `toolRemoval`
        ToolRemoval(ToolChangeBlock) = "toolRemoval",
    }
}

wire_enum! {
    /// `CachePointType`.
    CachePointType {
        /// `default`
        Default = "default",
    }
}

wire_enum! {
    /// `CacheTTL`: how long a cache entry lives.
    CacheTtl {
        /// `5m`
        FiveMinutes = "5m",
        /// `1h`
        OneHour = "1h",
    }
}

/// `CachePointBlock`: marks the end of a cacheable prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachePointBlock {
    /// The cache point type (always `default` today).
    pub r#type: CachePointType,
    /// An extended time to live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<CacheTtl>,
}

impl CachePointBlock {
    /// A `default` cache point with an optional TTL.
    pub fn new(ttl: Option<CacheTtl>) -> Self {
        Self {
            r#type: CachePointType::Default,
            ttl,
        }
    }
}

/// `S3Location`: an object in Amazon S3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Location {
    /// The `s3://bucket/key` URI.
    pub uri: String,
    /// The account that owns the bucket, when it is not the caller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_owner: Option<String>,
}

/// `ErrorBlock`: why a media block could not be processed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ErrorBlock {
    /// The error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

wire_enum! {
    /// `ImageFormat`.
    ImageFormat {
        /// `png`
        Png = "png",
        /// `jpeg`
        Jpeg = "jpeg",
        /// `gif`
        Gif = "gif",
        /// `webp`
        Webp = "webp",
    }
}

wire_union! {
    /// `ImageSource`.
    ImageSource {
        /// `bytes`: the image bytes.
        Bytes(Blob) = "bytes",
        /// `s3Location`: an image in S3.
        S3Location(S3Location) = "s3Location",
    }
}

/// `ImageBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageBlock {
    /// The image format.
    pub format: ImageFormat,
    /// Where the image comes from.
    pub source: ImageSource,
    /// Set on responses when the image could not be produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBlock>,
}

wire_enum! {
    /// `DocumentFormat`.
    DocumentFormat {
        /// `pdf`
        Pdf = "pdf",
        /// `csv`
        Csv = "csv",
        /// `doc`
        Doc = "doc",
        /// `docx`
        Docx = "docx",
        /// `xls`
        Xls = "xls",
        /// `xlsx`
        Xlsx = "xlsx",
        /// `html`
        Html = "html",
        /// `txt`
        Txt = "txt",
        /// `md`
        Md = "md",
    }
}

wire_union! {
    /// `DocumentContentBlock`.
    DocumentContentBlock {
        /// `text`
        Text(String) = "text",
    }
}

wire_union! {
    /// `DocumentSource`.
    DocumentSource {
        /// `bytes`: the document bytes.
        Bytes(Blob) = "bytes",
        /// `s3Location`: a document in S3.
        S3Location(S3Location) = "s3Location",
        /// `text`: the document as text.
        Text(String) = "text",
        /// `content`: the document as content blocks.
        Content(Vec<DocumentContentBlock>) = "content",
    }
}

/// `CitationsConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationsConfig {
    /// Whether the model cites this document.
    pub enabled: bool,
}

/// `DocumentBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentBlock {
    /// The document format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<DocumentFormat>,
    /// The document name (see [`crate::convert_prompt::sanitize_document_name`]).
    pub name: String,
    /// Where the document comes from.
    pub source: DocumentSource,
    /// Extra context about the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Whether citations are enabled for this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
}

wire_enum! {
    /// `VideoFormat`.
    VideoFormat {
        /// `mkv`
        Mkv = "mkv",
        /// `mov`
        Mov = "mov",
        /// `mp4`
        Mp4 = "mp4",
        /// `webm`
        Webm = "webm",
        /// `flv`
        Flv = "flv",
        /// `mpeg`
        Mpeg = "mpeg",
        /// `mpg`
        Mpg = "mpg",
        /// `wmv`
        Wmv = "wmv",
        /// `three_gp`
        ThreeGp = "three_gp",
    }
}

wire_union! {
    /// `VideoSource` (also used for `AudioSource`, which has the same members).
    MediaSource {
        /// `bytes`
        Bytes(Blob) = "bytes",
        /// `s3Location`
        S3Location(S3Location) = "s3Location",
    }
}

/// `VideoBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoBlock {
    /// The video format.
    pub format: VideoFormat,
    /// Where the video comes from.
    pub source: MediaSource,
}

/// `AudioBlock`. The format is kept as its wire string (`mp3`, `wav`, `flac`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioBlock {
    /// The `AudioFormat` value.
    pub format: String,
    /// Where the audio comes from.
    pub source: MediaSource,
    /// Set on responses when the audio could not be produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBlock>,
}

wire_enum! {
    /// `ToolUseType`.
    ToolUseType {
        /// `server_tool_use`
        ServerToolUse = "server_tool_use",
    }
}

/// `ToolUseBlock`: a tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolUseBlock {
    /// The call id.
    pub tool_use_id: String,
    /// The tool name.
    pub name: String,
    /// The tool input (a JSON document).
    #[serde(default)]
    pub input: Value,
    /// Set for server-side tool use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ToolUseType>,
}

wire_enum! {
    /// `ToolResultStatus`.
    ToolResultStatus {
        /// `success`
        Success = "success",
        /// `error`
        Error = "error",
    }
}

wire_union! {
    /// `ToolResultContentBlock`.
    ToolResultContentBlock {
        /// `json`
        Json(Value) = "json",
        /// `text`
        Text(String) = "text",
        /// `image`
        Image(ImageBlock) = "image",
        /// `document`
        Document(DocumentBlock) = "document",
        /// `video`
        Video(VideoBlock) = "video",
        /// `searchResult`
        SearchResult(SearchResultBlock) = "searchResult",
    }
}

/// `ToolResultBlock`: the result of a tool call, sent back in a user message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResultBlock {
    /// The id of the call this answers.
    pub tool_use_id: String,
    /// The result content.
    #[serde(default)]
    pub content: Vec<ToolResultContentBlock>,
    /// `error` when the tool failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ToolResultStatus>,
    /// The result type (server tools).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

wire_enum! {
    /// `GuardrailConverseContentQualifier`.
    GuardrailContentQualifier {
        /// `grounding_source`
        GroundingSource = "grounding_source",
        /// `query`
        Query = "query",
        /// `guard_content`
        GuardContent = "guard_content",
    }
}

/// `GuardrailConverseTextBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardrailConverseTextBlock {
    /// The text to guard.
    pub text: String,
    /// How the guardrail treats the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<GuardrailContentQualifier>,
}

wire_union! {
    /// `GuardrailConverseImageSource`.
    GuardrailImageSource {
        /// `bytes`
        Bytes(Blob) = "bytes",
    }
}

/// `GuardrailConverseImageBlock`; `format` is `png` or `jpeg`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardrailConverseImageBlock {
    /// The image format.
    pub format: ImageFormat,
    /// The image bytes.
    pub source: GuardrailImageSource,
}

wire_union! {
    /// `GuardrailConverseContentBlock`.
    GuardrailConverseContentBlock {
        /// `text`
        Text(GuardrailConverseTextBlock) = "text",
        /// `image`
        Image(GuardrailConverseImageBlock) = "image",
    }
}

/// `ReasoningTextBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasoningTextBlock {
    /// The reasoning text.
    pub text: String,
    /// The signature that must be replayed with the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

wire_union! {
    /// `ReasoningContentBlock`.
    ReasoningContentBlock {
        /// `reasoningText`
        ReasoningText(ReasoningTextBlock) = "reasoningText",
        /// `redactedContent`: encrypted reasoning.
        RedactedContent(Blob) = "redactedContent",
    }
}

wire_union! {
    /// `CitationGeneratedContent` and `CitationSourceContent` (both only have `text`).
    CitationText {
        /// `text`
        Text(String) = "text",
    }
}

/// `WebLocation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WebLocation {
    /// The URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// `DocumentCharLocation`, `DocumentPageLocation` and `DocumentChunkLocation` (same members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DocumentLocation {
    /// The index of the cited document in the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_index: Option<u32>,
    /// The start (character, page or chunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// The end (character, page or chunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
}

/// `SearchResultLocation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchResultLocation {
    /// The index of the cited search result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_result_index: Option<u32>,
    /// The first cited content block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// The last cited content block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
}

wire_union! {
    /// `CitationLocation`.
    CitationLocation {
        /// `web`
        Web(WebLocation) = "web",
        /// `documentChar`
        DocumentChar(DocumentLocation) = "documentChar",
        /// `documentPage`
        DocumentPage(DocumentLocation) = "documentPage",
        /// `documentChunk`
        DocumentChunk(DocumentLocation) = "documentChunk",
        /// `searchResultLocation`
        SearchResultLocation(SearchResultLocation) = "searchResultLocation",
    }
}

/// `Citation` (and the streamed `CitationsDelta`, which has the same members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Citation {
    /// The title of the cited source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The source identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The cited passages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_content: Vec<CitationText>,
    /// Where in the source the passage is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<CitationLocation>,
}

/// `CitationsContentBlock`: generated text with the citations supporting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CitationsContentBlock {
    /// The generated text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<CitationText>,
    /// The citations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
}

/// `SearchResultContentBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResultContentBlock {
    /// The text.
    pub text: String,
}

/// `SearchResultBlock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResultBlock {
    /// The source of the result.
    pub source: String,
    /// The title of the result.
    pub title: String,
    /// The result content.
    #[serde(default)]
    pub content: Vec<SearchResultContentBlock>,
    /// Whether citations are enabled for the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
}

/// `ToolReference`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ToolReference {
    /// The tool type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The tool name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The server that provides the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
}

/// `ToolAdditionBlock` and `ToolRemovalBlock` (same members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolChangeBlock {
    /// The tool added or removed.
    pub tool: ToolReference,
}
