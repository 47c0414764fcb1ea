//! A Chat Completions response → [`GenerateResult`].
//!
//! Content comes out in the order reasoning (`reasoning_content` or `reasoning`, where the
//! server returns it), text, URL citations (as sources), tool calls. Tool-call arguments are
//! parsed as JSON (empty arguments are `{}`); arguments that are not JSON are kept as a JSON
//! string, marked and with a warning (see [`tool_call`](crate::tool_call)). Finish reasons are mapped with the raw value kept; usage includes
//! cached and reasoning tokens. The first choice is used; a response without choices is an
//! invalid-response error.
//!
//! ```
//! use http::HeaderMap;
//! use strata_core::FinishReason;
//! use strata_openai::chat::response::convert_response;
//!
//! let body = br#"{"id": "chatcmpl-9", "created": 1741569952, "model": "gpt-4o-2024-08-06",
//!   "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour"}, "finish_reason": "stop"}],
//!   "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}}"#;
//! let result = convert_response(body, &HeaderMap::new())?;
//! assert_eq!(result.text(), "Bonjour");
//! assert_eq!(result.finish_reason, FinishReason::Stop);
//! assert_eq!(result.raw_finish_reason.as_deref(), Some("stop"));
//! assert_eq!(result.usage.total_tokens(), Some(11));
//! assert_eq!(result.response.id.as_deref(), Some("chatcmpl-9"));
//! # Ok::<(), strata_core::Error>(())
//! ```

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use strata_core::content::Source;
use strata_core::result::ResponseMetadata;
use strata_core::{Content, Error, FinishReason, GenerateResult, ProviderMetadata, Usage};

use super::wire::{Annotation, ChatResponse, ChatUsage};
use crate::error::request_id;
use crate::options::PROVIDER;
use crate::tool_call::tool_call;

/// Parses and converts a response body; `headers` are the response headers.
pub fn convert_response(body: &[u8], headers: &HeaderMap) -> Result<GenerateResult, Error> {
    let response: ChatResponse = serde_json::from_slice(body).map_err(|e| {
        Error::invalid_response(format!("Chat Completions response is not valid: {e}"))
            .with_source(e)
            .with_excerpt(body)
    })?;
    let mut result = GenerateResult::default();
    result.response = response_metadata(
        response.id.clone(),
        response.model.clone(),
        response.created,
    );
    result.response.headers = headers.clone();
    result.response.request_id = request_id(headers);

    let Some(choice) = response.choices.into_iter().next() else {
        return Err(
            Error::invalid_response("Chat Completions response has no choices").with_excerpt(body),
        );
    };
    let message = choice.message;
    if let Some(reasoning) = message
        .reasoning_content
        .or(message.reasoning)
        .filter(|r| !r.is_empty())
    {
        result.content.push(Content::reasoning(reasoning));
    }
    if let Some(text) = message.content.filter(|t| !t.is_empty()) {
        result.content.push(Content::text(text));
    }
    for (n, annotation) in message.annotations.into_iter().flatten().enumerate() {
        if let Some(source) = source(n, annotation) {
            result.content.push(Content::Source(source));
        }
    }
    for call in message.tool_calls.into_iter().flatten() {
        let (call, warning) = tool_call(
            call.id,
            call.function.name,
            &call.function.arguments,
            ProviderMetadata::new(),
        );
        result.warnings.extend(warning);
        result.content.push(call.into());
    }
    result.finish_reason = map_finish_reason(choice.finish_reason.as_deref());
    result.raw_finish_reason = choice.finish_reason;
    if let Some(usage) = &response.usage {
        result.usage = convert_usage(usage);
    }
    result.provider_metadata = provider_metadata(
        response.usage.as_ref(),
        response.service_tier,
        message.refusal,
    );
    Ok(result)
}

/// Maps a `finish_reason`: `stop`, `length`, `content_filter`, `tool_calls` (and the legacy
/// `function_call`); anything else, or none, is [`FinishReason::Other`].
pub fn map_finish_reason(reason: Option<&str>) -> FinishReason {
    match reason {
        Some("stop") => FinishReason::Stop,
        Some("length") => FinishReason::Length,
        Some("content_filter") => FinishReason::ContentFilter,
        Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
        _ => FinishReason::Other,
    }
}

/// Maps usage: input total and cache reads (the rest is `no_cache`), output total and
/// reasoning tokens (the rest is text).
pub fn convert_usage(usage: &ChatUsage) -> Usage {
    split_usage(
        usage.prompt_tokens,
        usage
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens),
        usage.completion_tokens,
        usage
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens),
    )
}

/// Usage from input and output totals and the cached and reasoning parts of them (both APIs
/// report the same four counts under different names).
pub(crate) fn split_usage(
    input: Option<u64>,
    cached: Option<u64>,
    output: Option<u64>,
    reasoning: Option<u64>,
) -> Usage {
    let mut usage = Usage::from_totals(input, output);
    usage.input_tokens.cache_read = cached;
    usage.input_tokens.no_cache = input.map(|total| total.saturating_sub(cached.unwrap_or(0)));
    usage.output_tokens.reasoning = reasoning;
    usage.output_tokens.text = output.map(|total| total.saturating_sub(reasoning.unwrap_or(0)));
    usage
}

/// Response metadata from the id, model and `created` seconds.
pub(crate) fn response_metadata(
    id: Option<String>,
    model: Option<String>,
    created: Option<i64>,
) -> ResponseMetadata {
    let mut metadata = ResponseMetadata::default();
    metadata.id = id;
    metadata.model_id = model;
    metadata.timestamp = created
        .and_then(|s| u64::try_from(s).ok())
        .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));
    metadata
}

pub(crate) fn source(n: usize, annotation: Annotation) -> Option<Source> {
    match annotation {
        Annotation::UrlCitation { url_citation } => {
            let mut source = Source::url(format!("source-{n}"), url_citation.url);
            if let Source::Url { title, .. } = &mut source {
                *title = url_citation.title;
            }
            Some(source)
        }
        _ => None,
    }
}

/// `openai` provider metadata: prediction token counts, service tier and refusal, when present.
pub(crate) fn provider_metadata(
    usage: Option<&ChatUsage>,
    service_tier: Option<String>,
    refusal: Option<String>,
) -> ProviderMetadata {
    let mut metadata = ProviderMetadata::new();
    if let Some(details) = usage.and_then(|u| u.completion_tokens_details.as_ref()) {
        if let Some(n) = details.accepted_prediction_tokens {
            metadata.insert(PROVIDER, "acceptedPredictionTokens", n);
        }
        if let Some(n) = details.rejected_prediction_tokens {
            metadata.insert(PROVIDER, "rejectedPredictionTokens", n);
        }
    }
    if let Some(tier) = service_tier {
        metadata.insert(PROVIDER, "serviceTier", tier);
    }
    if let Some(refusal) = refusal {
        metadata.insert(PROVIDER, "refusal", refusal);
    }
    metadata
}
