//! Deterministic chat: Converse and ConverseStream answers.
//!
//! **The reply** is derived from the last user message, first rule that applies:
//! 1. it carries `toolResult` blocks → text `Tool <name> returned: <content>` per result
//!    (`reported an error` when `status` is `error`; the name comes from the matching `toolUse`);
//! 2. a tool is selected (see [`tools`]: `toolChoice` `tool`/`any`, or the message mentions a
//!    tool's name) → one `toolUse` block whose `input` satisfies the tool's JSON schema, stop
//!    reason `tool_use`;
//! 3. `outputConfig.textFormat` has a JSON schema → text: compact JSON generated from it;
//! 4. a document in it has `citations.enabled` and the model supports citations → a
//!    `citationsContent` block `According to <name>: <first sentence>` citing that sentence
//!    (`documentChar` for text, `documentChunk` for content sources, `documentPage` otherwise);
//! 5. the text mentions "system prompt" → `My system prompt is: <system texts joined by spaces>`
//!    (or `I have no system prompt.`);
//! 6. otherwise `You said: <text>` (the message's text blocks joined by newlines, `nothing`
//!    without text), followed by ` (attached: 1 image, 2 documents)` when media are attached.
//!
//! **Reasoning** (Anthropic `additionalModelRequestFields.thinking` with `budget_tokens`, Nova
//! `reasoningConfig`) puts a `reasoningContent` block first: `The user wrote: <text>. I will
//! answer by repeating it.` (cut at the budget) with a signature derived from it.
//!
//! **Limits.** Stop sequences cut the reply text before the earliest occurrence (stop reason
//! `stop_sequence`); `inferenceConfig.maxTokens` caps all output tokens — reasoning first, the
//! reply text gets the rest and is cut at a token boundary (stop reason `max_tokens`). Tool
//! calls are never cut.
//!
//! **Usage** counts tokens by the rule in [`crate::models::tokens`]. With `cachePoint` blocks the
//! prefix up to the last cache point is reported as `cacheWriteInputTokens` (or, with a
//! [`PromptCache`] that has seen a prefix, the longest seen prefix as `cacheReadInputTokens`);
//! `inputTokens` is the rest and `totalTokens` the sum of all. `metrics.latencyMs` is
//! `100 + outputTokens`.
//!
//! **Echoes.** `performanceConfig` and `serviceTier` are echoed; `guardrailConfig` with `trace`
//! `enabled`/`enabled_full` adds `trace.guardrail` assessments; Anthropic models answer
//! `additionalModelResponseFieldPaths: ["/stop_sequence"]` with `{"stop_sequence": …}`.
//!
//! ```
//! use strata_emulator::models::{catalog, chat};
//! use serde_json::json;
//!
//! let model = catalog::resolve("amazon.nova-pro-v1:0").unwrap();
//! let request = json!({
//!     "messages": [{"role": "user", "content": [{"text": "What is the weather in Paris?"}]}],
//!     "toolConfig": {"tools": [{"toolSpec": {
//!         "name": "weather",
//!         "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
//!     }}]}
//! });
//! let response = chat::converse(&model, &request).unwrap();
//! assert_eq!(response["stopReason"], "tool_use");
//! assert_eq!(response["output"]["message"]["content"][0]["toolUse"]["input"], json!({"city": "city"}));
//!
//! let events = chat::converse_stream(&model, &request).unwrap();
//! assert_eq!(events.first().unwrap().event_type, "messageStart");
//! assert_eq!(events.last().unwrap().event_type, "metadata");
//! ```

mod reply;
pub(crate) mod request;
pub(crate) mod stream;
pub mod tools;

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::ModelError;
use super::catalog::{Family, Kind, ModelInfo};

pub use stream::StreamEvent;

/// Remembers prompt prefixes (by content hash) so that a repeated prefix ending at a
/// `cachePoint` is reported as a cache read. Keep one per emulator instance.
#[derive(Debug, Clone, Default)]
pub struct PromptCache {
    seen: HashSet<u64>,
}

impl PromptCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn contains(&self, hash: u64) -> bool {
        self.seen.contains(&hash)
    }

    fn insert(&mut self, hash: u64) {
        self.seen.insert(hash);
    }
}

/// One generated content block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Reasoning {
        text: String,
        signature: String,
    },
    Text(String),
    Cited {
        text: String,
        citation: Citation,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
}

/// A citation into a request document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Citation {
    pub(crate) title: String,
    pub(crate) document_index: usize,
    /// `documentChar`, `documentChunk` or `documentPage`.
    pub(crate) location: &'static str,
    pub(crate) start: u64,
    pub(crate) end: u64,
    pub(crate) quoted: String,
}

/// Token usage of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Usage {
    pub(crate) input: u64,
    pub(crate) output: u64,
    pub(crate) cache_read: u64,
    pub(crate) cache_write: u64,
    /// Whether the request had cache points (then cache fields are reported).
    pub(crate) cache_points: bool,
}

/// A complete deterministic answer, rendered by Converse, ConverseStream and native bodies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Turn {
    pub(crate) blocks: Vec<Block>,
    pub(crate) stop_reason: &'static str,
    pub(crate) stop_sequence: Option<String>,
    pub(crate) usage: Usage,
    pub(crate) latency_ms: u64,
}

/// Checks the model can chat, parses the request and builds the answer.
pub(crate) fn turn(
    model: &ModelInfo,
    request: &Value,
    cache: Option<&mut PromptCache>,
) -> Result<Turn, ModelError> {
    require_chat(model)?;
    let parsed = request::parse(model, request)?;
    Ok(reply::answer(model, &parsed, cache))
}

fn require_chat(model: &ModelInfo) -> Result<(), ModelError> {
    if model.kind == Kind::Chat {
        Ok(())
    } else {
        Err(ModelError::validation(
            "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
        ))
    }
}

/// Input tokens of a Converse-shaped request (before cache accounting), as CountTokens reports.
pub(crate) fn count_input_tokens(model: &ModelInfo, request: &Value) -> Result<u64, ModelError> {
    require_chat(model)?;
    Ok(request::parse(model, request)?.input_tokens)
}

/// The Converse response for `request` (see the [module docs](self) for the rule). Cache
/// points are reported as cache writes; use [`converse_cached`] to also report reads.
///
/// # Errors
/// A `ValidationException` for non-chat models and invalid requests (conversation order, tool
/// use on a model without tools, reasoning settings, `maxTokens` above the model's limit, …).
pub fn converse(model: &ModelInfo, request: &Value) -> Result<Value, ModelError> {
    Ok(render(model, request, &turn(model, request, None)?))
}

/// [`converse`] with a [`PromptCache`] that turns repeated cache prefixes into cache reads.
///
/// # Errors
/// As [`converse`].
pub fn converse_cached(
    model: &ModelInfo,
    request: &Value,
    cache: &mut PromptCache,
) -> Result<Value, ModelError> {
    Ok(render(model, request, &turn(model, request, Some(cache))?))
}

/// The ConverseStream events for `request`: the same content as [`converse`], split into
/// deltas (see [`StreamEvent`]).
///
/// # Errors
/// As [`converse`], plus Bedrock's refusal of tool use in streaming mode for Llama and
/// Mistral models.
pub fn converse_stream(model: &ModelInfo, request: &Value) -> Result<Vec<StreamEvent>, ModelError> {
    check_stream_tools(model, request)?;
    Ok(stream::events(model, request, &turn(model, request, None)?))
}

/// [`converse_stream`] with a [`PromptCache`].
///
/// # Errors
/// As [`converse_stream`].
pub fn converse_stream_cached(
    model: &ModelInfo,
    request: &Value,
    cache: &mut PromptCache,
) -> Result<Vec<StreamEvent>, ModelError> {
    check_stream_tools(model, request)?;
    Ok(stream::events(
        model,
        request,
        &turn(model, request, Some(cache))?,
    ))
}

pub(crate) fn check_stream_tools(model: &ModelInfo, request: &Value) -> Result<(), ModelError> {
    let streams_tools = !matches!(model.family, Family::Llama | Family::Mistral);
    if !streams_tools
        && model.capabilities.tools
        && request.get("toolConfig").is_some_and(|c| !c.is_null())
    {
        return Err(ModelError::validation(
            "This model doesn't support tool use in streaming mode.",
        ));
    }
    Ok(())
}

/// A Converse content block.
pub(crate) fn block_json(block: &Block) -> Value {
    match block {
        Block::Reasoning { text, signature } => {
            json!({"reasoningContent": {"reasoningText": {"text": text, "signature": signature}}})
        }
        Block::Text(text) => json!({ "text": text }),
        Block::Cited { text, citation } => json!({"citationsContent": {
            "content": [{"text": text}],
            "citations": [citation_json(citation)]
        }}),
        Block::ToolUse { id, name, input } => {
            json!({"toolUse": {"toolUseId": id, "name": name, "input": input}})
        }
    }
}

/// A Converse `Citation` (also the body of a stream `citation` delta).
pub(crate) fn citation_json(citation: &Citation) -> Value {
    json!({
        "title": citation.title,
        "sourceContent": [{"text": citation.quoted}],
        "location": {citation.location: {
            "documentIndex": citation.document_index,
            "start": citation.start,
            "end": citation.end
        }}
    })
}

/// Converse `TokenUsage`.
pub(crate) fn usage_json(usage: &Usage) -> Value {
    let mut out = json!({
        "inputTokens": usage.input,
        "outputTokens": usage.output,
        "totalTokens": usage.input + usage.output + usage.cache_read + usage.cache_write,
    });
    if usage.cache_points {
        out["cacheReadInputTokens"] = json!(usage.cache_read);
        out["cacheWriteInputTokens"] = json!(usage.cache_write);
    }
    out
}

/// `additionalModelResponseFields` for the requested paths, if any.
pub(crate) fn additional_fields(model: &ModelInfo, request: &Value, turn: &Turn) -> Option<Value> {
    let paths = request
        .get("additionalModelResponseFieldPaths")?
        .as_array()?;
    let mut out = Map::new();
    if model.family == Family::Anthropic
        && paths.iter().any(|p| p.as_str() == Some("/stop_sequence"))
    {
        out.insert("stop_sequence".into(), json!(turn.stop_sequence));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// `trace` when `guardrailConfig.trace` is `enabled` or `enabled_full`.
pub(crate) fn guardrail_trace(request: &Value, turn: &Turn) -> Option<Value> {
    let config = request.get("guardrailConfig")?;
    if !matches!(
        config.get("trace").and_then(Value::as_str),
        Some("enabled" | "enabled_full")
    ) {
        return None;
    }
    let id = config
        .get("guardrailIdentifier")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let output_chars: usize = turn
        .blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) | Block::Cited { text: t, .. } => t.chars().count(),
            _ => 0,
        })
        .sum();
    let input_chars = request
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.last())
        .and_then(|m| m.get("content"))
        .and_then(Value::as_array)
        .map(|blocks| {
            blocks
                .iter()
                .filter_map(request::block_text)
                .map(|t| t.chars().count())
                .sum()
        })
        .unwrap_or(0usize);
    let assessment = |chars: usize| {
        let units = chars.div_ceil(1000).max(1);
        json!({"invocationMetrics": {
            "guardrailProcessingLatency": 10,
            "usage": {
                "topicPolicyUnits": units,
                "contentPolicyUnits": units,
                "wordPolicyUnits": units,
                "sensitiveInformationPolicyUnits": units,
                "sensitiveInformationPolicyFreeUnits": 0,
                "contextualGroundingPolicyUnits": 0
            },
            "guardrailCoverage": {"textCharacters": {"guarded": chars, "total": chars}}
        }})
    };
    Some(json!({"guardrail": {
        "inputAssessment": {id: assessment(input_chars)},
        "outputAssessments": {id: [assessment(output_chars)]}
    }}))
}

fn render(model: &ModelInfo, request: &Value, turn: &Turn) -> Value {
    let content: Vec<Value> = turn.blocks.iter().map(block_json).collect();
    let mut out = json!({
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": turn.stop_reason,
        "usage": usage_json(&turn.usage),
        "metrics": {"latencyMs": turn.latency_ms},
    });
    if let Some(fields) = additional_fields(model, request, turn) {
        out["additionalModelResponseFields"] = fields;
    }
    if let Some(trace) = guardrail_trace(request, turn) {
        out["trace"] = trace;
    }
    for key in ["performanceConfig", "serviceTier"] {
        if let Some(v) = request.get(key).filter(|v| !v.is_null()) {
            out[key] = v.clone();
        }
    }
    out
}
