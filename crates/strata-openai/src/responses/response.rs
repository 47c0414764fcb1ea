//! A Responses API response → [`GenerateResult`].
//!
//! Output items map in order: `reasoning` → one reasoning content per summary (an empty one
//! when there is none) carrying `openai.itemId` and `openai.reasoningEncryptedContent` so it
//! can be sent back; `message` → text (with `openai.itemId`) and URL citations as sources;
//! `function_call` → a tool call (input parsed as JSON). Other items (built-in tool calls) are
//! skipped. The finish reason comes from `status` and `incomplete_details`; a `failed`
//! response is an API error.
//!
//! ```
//! use http::HeaderMap;
//! use strata_core::FinishReason;
//! use strata_openai::responses::response::convert_response;
//!
//! let body = br#"{"id": "resp_1", "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"},
//!   "output": [{"type": "message", "id": "msg_1", "role": "assistant",
//!               "content": [{"type": "output_text", "text": "The sky is blue be", "annotations": []}]}],
//!   "usage": {"input_tokens": 12, "output_tokens": 16, "total_tokens": 28}}"#;
//! let result = convert_response(body, &HeaderMap::new())?;
//! assert_eq!(result.text(), "The sky is blue be");
//! assert_eq!(result.finish_reason, FinishReason::Length);
//! assert_eq!(result.raw_finish_reason.as_deref(), Some("max_output_tokens"));
//! # Ok::<(), strata_core::Error>(())
//! ```

use http::HeaderMap;
use strata_core::content::{ReasoningContent, Source, TextContent};
use strata_core::{
    ApiError, Content, Error, FinishReason, GenerateResult, ProviderMetadata, Usage,
};

use super::wire::{
    OutputAnnotation, OutputContent, OutputItem, ResponseError, ResponsesResponse, ResponsesUsage,
};
use crate::chat::response::{response_metadata, split_usage};
use crate::error::request_id;
use crate::options::PROVIDER;
use crate::tool_call::tool_call;

/// Parses and converts a response body; `headers` are the response headers.
pub fn convert_response(body: &[u8], headers: &HeaderMap) -> Result<GenerateResult, Error> {
    let response: ResponsesResponse = serde_json::from_slice(body).map_err(|e| {
        Error::invalid_response(format!("Responses API response is not valid: {e}"))
            .with_source(e)
            .with_excerpt(body)
    })?;
    let request_id = request_id(headers);
    if response.status.as_deref() == Some("failed") {
        return Err(failed_error(response.error.as_ref(), request_id.as_deref()));
    }
    let mut result = GenerateResult::default();
    result.response = response_metadata(
        response.id.clone(),
        response.model.clone(),
        response.created_at,
    );
    result.response.headers = headers.clone();
    result.response.request_id = request_id;

    let Some(output) = response.output else {
        return Err(Error::invalid_response(
            "the body is not a Responses API response: it has no `output`",
        )
        .with_excerpt(body));
    };
    let mut sources = 0;
    let mut has_calls = false;
    for item in output {
        match item {
            OutputItem::Reasoning {
                id,
                summary,
                encrypted_content,
            } => {
                let metadata = reasoning_metadata(&id, encrypted_content.as_deref());
                if summary.is_empty() {
                    result.content.push(
                        ReasoningContent::new("")
                            .with_provider_metadata(metadata.clone())
                            .into(),
                    );
                }
                for part in summary {
                    result.content.push(
                        ReasoningContent::new(part.text)
                            .with_provider_metadata(metadata.clone())
                            .into(),
                    );
                }
            }
            OutputItem::Message { id, content } => {
                for part in content {
                    if let OutputContent::OutputText { text, annotations } = part {
                        result.content.push(
                            TextContent::new(text)
                                .with_provider_metadata(item_metadata(&id))
                                .into(),
                        );
                        for annotation in annotations {
                            if let Some(source) = source(sources, annotation) {
                                sources += 1;
                                result.content.push(Content::Source(source));
                            }
                        }
                    }
                }
            }
            OutputItem::FunctionCall {
                id,
                call_id,
                name,
                arguments,
            } => {
                has_calls = true;
                let (call, warning) = tool_call(call_id, name, &arguments, item_metadata(&id));
                result.warnings.extend(warning);
                result.content.push(call.into());
            }
            _ => {}
        }
    }
    let (reason, raw) = map_finish_reason(
        response.status.as_deref(),
        response
            .incomplete_details
            .as_ref()
            .and_then(|d| d.reason.as_deref()),
        has_calls,
    );
    result.finish_reason = reason;
    result.raw_finish_reason = raw;
    if let Some(usage) = &response.usage {
        result.usage = convert_usage(usage);
    }
    if let Some(tier) = response.service_tier {
        result
            .provider_metadata
            .insert(PROVIDER, "serviceTier", tier);
    }
    if let Some(id) = response.id {
        result.provider_metadata.insert(PROVIDER, "responseId", id);
    }
    Ok(result)
}

/// Maps `status` and `incomplete_details.reason`: `max_output_tokens` → length,
/// `content_filter` → content filter, `failed` → error, completed with function calls → tool
/// calls, completed → stop. The raw value is the incomplete reason, else the status.
pub fn map_finish_reason(
    status: Option<&str>,
    incomplete_reason: Option<&str>,
    has_tool_calls: bool,
) -> (FinishReason, Option<String>) {
    let reason = match (status, incomplete_reason) {
        (_, Some("max_output_tokens")) => FinishReason::Length,
        (_, Some("content_filter")) => FinishReason::ContentFilter,
        (_, Some(_)) => FinishReason::Other,
        (Some("failed"), None) => FinishReason::Error,
        (Some("completed") | None, None) if has_tool_calls => FinishReason::ToolCalls,
        (Some("completed") | None, None) => FinishReason::Stop,
        _ => FinishReason::Other,
    };
    (reason, incomplete_reason.or(status).map(str::to_owned))
}

/// Maps usage: input total and cache reads (the rest is `no_cache`), output total and
/// reasoning tokens (the rest is text).
pub fn convert_usage(usage: &ResponsesUsage) -> Usage {
    split_usage(
        usage.input_tokens,
        usage
            .input_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens),
        usage.output_tokens,
        usage
            .output_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens),
    )
}

/// The error of a `failed` response (or an `error` event).
pub(crate) fn failed_error(error: Option<&ResponseError>, request_id: Option<&str>) -> Error {
    let mut api = match error {
        Some(error) => {
            let mut api = ApiError::new(error.message.clone());
            if let Some(code) = &error.code {
                api = api.with_code(code.clone());
            }
            api.retryable = matches!(
                error.code.as_deref(),
                Some("server_error" | "rate_limit_exceeded")
            );
            api
        }
        None => ApiError::new("the response failed without an error message"),
    };
    if let Some(id) = request_id {
        api = api.with_request_id(id);
    }
    Error::api(api)
}

pub(crate) fn item_metadata(item_id: &str) -> ProviderMetadata {
    ProviderMetadata::new().with(PROVIDER, "itemId", item_id)
}

pub(crate) fn reasoning_metadata(item_id: &str, encrypted: Option<&str>) -> ProviderMetadata {
    let mut metadata = item_metadata(item_id);
    if let Some(encrypted) = encrypted {
        metadata.insert(PROVIDER, "reasoningEncryptedContent", encrypted);
    }
    metadata
}

pub(crate) fn source(n: usize, annotation: OutputAnnotation) -> Option<Source> {
    match annotation {
        OutputAnnotation::UrlCitation { url, title } => {
            let mut source = Source::url(format!("source-{n}"), url);
            if let Source::Url { title: slot, .. } = &mut source {
                *slot = title;
            }
            Some(source)
        }
        _ => None,
    }
}
