//! Converts a Converse response body into a [`GenerateResult`].
//!
//! Responses are checked, not trusted: a body that is not the expected JSON, a 200 without
//! `output`, or a message with no content is an invalid-response error carrying a bounded
//! excerpt of the body.
//!
//! Provider metadata (`provider_metadata["bedrock"]`):
//! - on the result: `stop_sequence` (the matched stop sequence, when the model reports it),
//!   `additional_model_response_fields`, `trace` (guardrail and prompt-router traces),
//!   `latency_ms`, `performance_latency`, `service_tier`, `cache_details`;
//! - on reasoning content: `signature`, or `redacted_data` (base64) — replayed by
//!   [`convert_prompt`](crate::convert_prompt) when the content is sent back;
//! - on sources: `location` and `source_content` of the citation.
//!
//! The HTTP layer adds the response headers and request id to `result.response`.
//!
//! ```
//! use strata_bedrock::request::ResponseContext;
//! use strata_bedrock::response::convert_response;
//! use strata_core::FinishReason;
//!
//! let body = br#"{"output":{"message":{"role":"assistant","content":[{"text":"Hi!"}]}},
//!   "stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},
//!   "metrics":{"latencyMs":40}}"#;
//! let result = convert_response(body, &ResponseContext::new("amazon.nova-lite-v1:0"))?;
//! assert_eq!(result.text(), "Hi!");
//! assert_eq!(result.finish_reason, FinishReason::Stop);
//! assert_eq!(result.raw_finish_reason.as_deref(), Some("end_turn"));
//! assert_eq!(result.usage.output_tokens.total, Some(2));
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde_json::{Value, json};
use strata_core::content::{FileContent, ReasoningContent, Source, TextContent, ToolCall};
use strata_core::{Content, Error, FinishReason, GenerateResult, ProviderMetadata};

use crate::finish_reason::map_finish_reason;
use crate::options::PROVIDER;
use crate::request::ResponseContext;
use crate::usage::convert_usage;
use crate::wire::{
    Citation, CitationLocation, CitationText, ContentBlock, ConverseMetrics, ConverseOutput,
    ConverseResponse, ConverseTrace, ImageSource, PerformanceConfiguration, ReasoningContentBlock,
    ServiceTier, StopReason, TokenUsage, ToolUseBlock, ToolUseType,
};

/// Parses and converts a Converse response body.
///
/// # Errors
/// Invalid-response errors (with a body excerpt) for malformed JSON, a missing `output`, or a
/// message without content.
pub fn convert_response(body: &[u8], context: &ResponseContext) -> Result<GenerateResult, Error> {
    let response: ConverseResponse = serde_json::from_slice(body).map_err(|e| {
        Error::invalid_response(format!("the Converse response body is not valid: {e}"))
            .with_excerpt(body)
            .with_source(e)
    })?;
    let message = match &response.output {
        Some(ConverseOutput::Message(message)) => message,
        Some(ConverseOutput::Unknown(member)) => {
            return Err(Error::invalid_response(format!(
                "the Converse response output has an unknown member `{member}`"
            ))
            .with_excerpt(body));
        }
        _ => {
            return Err(
                Error::invalid_response("the Converse response has no `output`").with_excerpt(body),
            );
        }
    };
    if message.content.is_empty() {
        return Err(
            Error::invalid_response("the Converse response message has no content")
                .with_excerpt(body),
        );
    }

    let mut content = Vec::with_capacity(message.content.len());
    let mut sources = SourceIds::default();
    for block in &message.content {
        match block {
            ContentBlock::Text(text) => content.push(Content::text(text.clone())),
            ContentBlock::ReasoningContent(reasoning) => content.push(reasoning_content(reasoning)),
            ContentBlock::ToolUse(tool) => content.push(tool_content(tool, context)),
            ContentBlock::CitationsContent(cited) => {
                let text: String = cited.content.iter().filter_map(citation_text).collect();
                if !text.is_empty() {
                    content.push(Content::text(text));
                }
                for citation in &cited.citations {
                    content.push(Content::Source(sources.source(citation, context)));
                }
            }
            ContentBlock::Image(image) => {
                if let ImageSource::Bytes(bytes) = &image.source {
                    let media_type = format!("image/{}", image.format.as_str());
                    content.push(Content::File(FileContent::new(
                        bytes.clone().into_bytes(),
                        media_type,
                    )));
                }
            }
            _ => {}
        }
    }

    let mut result = GenerateResult::new(content, finish_reason(&response.stop_reason, context));
    result.raw_finish_reason = Some(response.stop_reason.as_str().to_owned());
    result.usage = convert_usage(&response.usage);
    result.warnings = context.warnings.clone();
    result.response.model_id = Some(context.model_id.clone());
    result.provider_metadata = response_metadata(&ResponseParts {
        additional_fields: response.additional_model_response_fields.as_ref(),
        trace: response.trace.as_ref(),
        metrics: Some(&response.metrics),
        performance: response.performance_config.as_ref(),
        service_tier: response.service_tier.as_ref(),
        usage: Some(&response.usage),
    });
    Ok(result)
}

/// The finish reason, with a forced JSON tool's `tool_use` counting as a normal stop.
pub(crate) fn finish_reason(reason: &StopReason, context: &ResponseContext) -> FinishReason {
    if context.json_tool.is_some() && *reason == StopReason::ToolUse {
        FinishReason::Stop
    } else {
        map_finish_reason(reason)
    }
}

fn citation_text(text: &CitationText) -> Option<&str> {
    match text {
        CitationText::Text(t) => Some(t),
        _ => None,
    }
}

fn reasoning_content(reasoning: &ReasoningContentBlock) -> Content {
    let mut metadata = ProviderMetadata::new();
    let text = match reasoning {
        ReasoningContentBlock::ReasoningText(block) => {
            if let Some(signature) = &block.signature {
                metadata.insert(PROVIDER, "signature", signature.clone());
            }
            block.text.clone()
        }
        ReasoningContentBlock::RedactedContent(blob) => {
            metadata.insert(PROVIDER, "redacted_data", blob.to_base64());
            String::new()
        }
        _ => String::new(),
    };
    Content::Reasoning(ReasoningContent::new(text).with_provider_metadata(metadata))
}

fn tool_content(tool: &ToolUseBlock, context: &ResponseContext) -> Content {
    if context.json_tool.as_deref() == Some(tool.name.as_str()) {
        return Content::Text(TextContent::new(tool.input.to_string()));
    }
    let executed = tool.r#type == Some(ToolUseType::ServerToolUse);
    Content::ToolCall(
        ToolCall::new(
            tool.tool_use_id.clone(),
            tool.name.clone(),
            tool.input.clone(),
        )
        .with_provider_executed(executed),
    )
}

/// Hands out source ids (`source-0`, `source-1`, …) and builds sources from citations.
#[derive(Debug, Default)]
pub(crate) struct SourceIds {
    next: usize,
}

impl SourceIds {
    pub(crate) fn source(&mut self, citation: &Citation, context: &ResponseContext) -> Source {
        let id = format!("source-{}", self.next);
        self.next += 1;
        let mut metadata = ProviderMetadata::new();
        if let Some(location) = &citation.location
            && let Ok(value) = serde_json::to_value(location)
        {
            metadata.insert(PROVIDER, "location", value);
        }
        let quotes: Vec<&str> = citation
            .source_content
            .iter()
            .filter_map(citation_text)
            .collect();
        if !quotes.is_empty() {
            metadata.insert(PROVIDER, "source_content", json!(quotes));
        }
        let mut source = match &citation.location {
            Some(CitationLocation::Web(web)) if web.url.is_some() => {
                let mut source = Source::url(id, web.url.clone().unwrap_or_default());
                if let Source::Url { title, .. } = &mut source {
                    *title = citation.title.clone();
                }
                source
            }
            location => {
                let index = match location {
                    Some(
                        CitationLocation::DocumentChar(l)
                        | CitationLocation::DocumentPage(l)
                        | CitationLocation::DocumentChunk(l),
                    ) => l.document_index,
                    _ => None,
                };
                let document = index.and_then(|i| context.documents.get(i as usize));
                let media_type =
                    document.map_or("application/octet-stream", |d| d.media_type.as_str());
                let title = citation
                    .title
                    .clone()
                    .or_else(|| document.map(|d| d.name.clone()))
                    .or_else(|| citation.source.clone())
                    .unwrap_or_else(|| "document".to_owned());
                let mut source = Source::document(id, media_type, title);
                if let Source::Document { filename, .. } = &mut source {
                    *filename = document.and_then(|d| d.filename.clone());
                }
                source
            }
        };
        match &mut source {
            Source::Url {
                provider_metadata, ..
            }
            | Source::Document {
                provider_metadata, ..
            } => {
                *provider_metadata = metadata;
            }
            _ => {}
        }
        source
    }
}

/// The response-level pieces that go into the provider metadata.
#[derive(Debug, Default)]
pub(crate) struct ResponseParts<'a> {
    pub(crate) additional_fields: Option<&'a Value>,
    pub(crate) trace: Option<&'a ConverseTrace>,
    pub(crate) metrics: Option<&'a ConverseMetrics>,
    pub(crate) performance: Option<&'a PerformanceConfiguration>,
    pub(crate) service_tier: Option<&'a ServiceTier>,
    pub(crate) usage: Option<&'a TokenUsage>,
}

/// The `bedrock` provider metadata of a response (or a stream's finish part).
pub(crate) fn response_metadata(parts: &ResponseParts<'_>) -> ProviderMetadata {
    let mut metadata = ProviderMetadata::new();
    if let Some(fields) = parts.additional_fields {
        if let Some(stop) = fields
            .pointer("/delta/stop_sequence")
            .or_else(|| fields.get("stop_sequence"))
            && let Some(stop) = stop.as_str()
        {
            metadata.insert(PROVIDER, "stop_sequence", stop);
        }
        metadata.insert(PROVIDER, "additional_model_response_fields", fields.clone());
    }
    if let Some(trace) = parts.trace
        && let Ok(value) = serde_json::to_value(trace)
    {
        metadata.insert(PROVIDER, "trace", value);
    }
    if let Some(metrics) = parts.metrics {
        metadata.insert(PROVIDER, "latency_ms", metrics.latency_ms);
    }
    if let Some(latency) = parts.performance.and_then(|p| p.latency.as_ref()) {
        metadata.insert(PROVIDER, "performance_latency", latency.as_str());
    }
    if let Some(tier) = parts.service_tier {
        metadata.insert(PROVIDER, "service_tier", tier.r#type.as_str());
    }
    if let Some(usage) = parts.usage.filter(|u| !u.cache_details.is_empty())
        && let Ok(value) = serde_json::to_value(&usage.cache_details)
    {
        metadata.insert(PROVIDER, "cache_details", value);
    }
    metadata
}

#[cfg(test)]
mod tests;
