//! Reading a Converse request body into the parts the reply rule needs, with input-token
//! accounting and prompt-cache prefixes.

use serde_json::Value;

use super::super::ModelError;
use super::super::catalog::{Family, ModelInfo};
use super::super::hash::{fnv1a, fnv1a_with};
use super::super::tokens::count_text;
use base64::Engine as _;

/// Tokens charged for an image, video or audio block, or a document whose text is unknown.
pub(crate) const MEDIA_TOKENS: u64 = 100;

/// A tool offered in `toolConfig.tools`.
#[derive(Debug, Clone)]
pub(crate) struct ToolSpec {
    pub(crate) name: String,
    pub(crate) schema: Value,
}

/// `toolConfig.toolChoice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ToolChoice {
    Auto,
    Any,
    Tool(String),
    None,
}

/// A prefix ending at a `cachePoint`: its content hash and token count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CachePrefix {
    pub(crate) hash: u64,
    pub(crate) tokens: u64,
}

/// The parts of a Converse request the reply rule uses.
#[derive(Debug, Clone)]
pub(crate) struct ChatRequest {
    pub(crate) system: Vec<String>,
    pub(crate) messages: Vec<Value>,
    pub(crate) max_tokens: Option<u64>,
    pub(crate) stop_sequences: Vec<String>,
    pub(crate) tools: Vec<ToolSpec>,
    pub(crate) choice: ToolChoice,
    /// Reasoning requested, with its token budget when one was given.
    pub(crate) reasoning: Option<Option<u64>>,
    pub(crate) output_schema: Option<Value>,
    pub(crate) input_tokens: u64,
    pub(crate) cache_prefixes: Vec<CachePrefix>,
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

fn bad(message: impl Into<String>) -> ModelError {
    ModelError::validation(message)
}

/// Reads and validates `request` (a Converse / ConverseStream / CountTokens `converse` body).
pub(crate) fn parse(model: &ModelInfo, request: &Value) -> Result<ChatRequest, ModelError> {
    if !request.is_object() {
        return Err(bad("The request body must be a JSON object."));
    }
    let messages = match field(request, "messages") {
        Some(Value::Array(list)) => list.clone(),
        Some(_) => return Err(bad("messages must be a list.")),
        None => Vec::new(),
    };
    check_roles(&messages)?;
    let system = system_texts(field(request, "system"))?;
    let (max_tokens, stop_sequences) = inference_config(model, field(request, "inferenceConfig"))?;
    let (tools, choice) = tool_config(model, field(request, "toolConfig"))?;
    let reasoning = reasoning(
        model,
        field(request, "additionalModelRequestFields"),
        max_tokens,
    )?;
    let output_schema = output_schema(field(request, "outputConfig"))?;
    let mut counter = Counter::default();
    counter.tools(field(request, "toolConfig"));
    counter.system(field(request, "system"));
    for message in &messages {
        if let Some(Value::Array(blocks)) = message.get("content") {
            for block in blocks {
                counter.block(block);
            }
        }
    }
    Ok(ChatRequest {
        system,
        messages,
        max_tokens,
        stop_sequences,
        tools,
        choice,
        reasoning,
        output_schema,
        input_tokens: counter.tokens,
        cache_prefixes: counter.prefixes,
    })
}

fn check_roles(messages: &[Value]) -> Result<(), ModelError> {
    let role = |m: &Value| m.get("role").and_then(Value::as_str).map(str::to_owned);
    if messages.first().and_then(role).as_deref() != Some("user") {
        return Err(bad(
            "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
        ));
    }
    for pair in messages.windows(2) {
        if role(&pair[0]) == role(&pair[1]) {
            return Err(bad(
                "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
            ));
        }
    }
    let mut pending: Vec<&str> = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let Some(Value::Array(blocks)) = message.get("content") else {
            return Err(bad("Each message must have a content list."));
        };
        if blocks.is_empty() {
            return Err(bad(format!(
                "The content field in the Message object at messages.{i} is empty. Add a ContentBlock object to the content field and try again."
            )));
        }
        for (j, block) in blocks.iter().enumerate() {
            if block
                .get("text")
                .and_then(Value::as_str)
                .is_some_and(|t| t.trim().is_empty())
            {
                return Err(bad(format!(
                    "The text field in the ContentBlock object at messages.{i}.content.{j} is blank. Add text to the text field, and try again."
                )));
            }
        }
        let ids = |key: &str, id: &str| -> Vec<&str> {
            blocks
                .iter()
                .filter_map(|b| b.get(key)?.get(id)?.as_str())
                .collect()
        };
        let results = ids("toolResult", "toolUseId");
        if results.len() > pending.len() {
            return Err(bad(format!(
                "The number of toolResult blocks at messages.{i}.content exceeds the number of toolUse blocks of previous turn."
            )));
        }
        let missing: Vec<&str> = pending
            .iter()
            .copied()
            .filter(|id| !results.contains(id))
            .collect();
        if !missing.is_empty() {
            return Err(bad(format!(
                "Expected toolResult blocks at messages.{i}.content for the following Ids: {}",
                missing.join(", ")
            )));
        }
        pending = ids("toolUse", "toolUseId");
    }
    Ok(())
}

fn system_texts(system: Option<&Value>) -> Result<Vec<String>, ModelError> {
    let Some(system) = system else {
        return Ok(Vec::new());
    };
    let blocks = system
        .as_array()
        .ok_or_else(|| bad("system must be a list."))?;
    Ok(blocks
        .iter()
        .filter_map(|b| b.get("text").and_then(Value::as_str).map(str::to_owned))
        .collect())
}

fn inference_config(
    model: &ModelInfo,
    config: Option<&Value>,
) -> Result<(Option<u64>, Vec<String>), ModelError> {
    let Some(config) = config else {
        return Ok((None, Vec::new()));
    };
    let max_tokens = match field(config, "maxTokens") {
        None => None,
        Some(v) => {
            let n = v
                .as_u64()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad("inferenceConfig.maxTokens must be a positive integer."))?;
            if n > model.max_output_tokens {
                let limit = model.max_output_tokens;
                return Err(bad(format!(
                    "The maximum tokens you requested exceeds the model limit of {limit}. Try again with a maximum tokens value that is lower than {limit}."
                )));
            }
            Some(n)
        }
    };
    let stops = match field(config, "stopSequences") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|s| s.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                bad("inferenceConfig.stopSequences must be a list of non-empty strings.")
            })?,
        Some(_) => return Err(bad("inferenceConfig.stopSequences must be a list.")),
    };
    Ok((max_tokens, stops))
}

fn tool_config(
    model: &ModelInfo,
    config: Option<&Value>,
) -> Result<(Vec<ToolSpec>, ToolChoice), ModelError> {
    let Some(config) = config else {
        return Ok((Vec::new(), ToolChoice::None));
    };
    if !model.capabilities.tools {
        return Err(bad("This model doesn't support tool use."));
    }
    let tools: Vec<ToolSpec> = config
        .get("tools")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|t| t.get("toolSpec"))
                .filter_map(|spec| {
                    let name = spec.get("name")?.as_str()?.to_owned();
                    let schema = spec
                        .get("inputSchema")
                        .and_then(|s| s.get("json"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    Some(ToolSpec { name, schema })
                })
                .collect()
        })
        .unwrap_or_default();
    if tools.is_empty() {
        return Err(bad("toolConfig.tools must contain at least one toolSpec."));
    }
    let choice = match field(config, "toolChoice") {
        None => ToolChoice::Auto,
        Some(c) if c.get("any").is_some() => ToolChoice::Any,
        Some(c) if c.get("auto").is_some() => ToolChoice::Auto,
        // Not a Converse member: native Anthropic bodies with `tool_choice: {"type": "none"}`.
        Some(c) if c.get("none").is_some() => ToolChoice::None,
        Some(c) => {
            let name = c
                .get("tool")
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !tools.iter().any(|t| t.name == name) {
                return Err(bad(format!(
                    "The tool {name} in toolChoice is not one of the tools in toolConfig."
                )));
            }
            ToolChoice::Tool(name.to_owned())
        }
    };
    Ok((tools, choice))
}

/// `Some(budget)` when the request asks for reasoning (Anthropic `thinking`, Nova
/// `reasoningConfig`).
fn reasoning(
    model: &ModelInfo,
    fields: Option<&Value>,
    max_tokens: Option<u64>,
) -> Result<Option<Option<u64>>, ModelError> {
    let Some(fields) = fields else {
        return Ok(None);
    };
    let (key, config) = match (field(fields, "thinking"), field(fields, "reasoningConfig")) {
        (Some(c), _) => ("thinking", c),
        (None, Some(c)) => ("reasoningConfig", c),
        (None, None) => return Ok(None),
    };
    let kind = config
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("enabled");
    if kind == "disabled" {
        return Ok(None);
    }
    if !model.capabilities.reasoning {
        return Err(bad(format!(
            "The model returned the following errors: {key}: Extra inputs are not permitted"
        )));
    }
    if model.family != Family::Anthropic {
        return Ok(Some(None));
    }
    let budget = config
        .get("budget_tokens")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("The model returned the following errors: thinking.enabled.budget_tokens: Field required"))?;
    if budget < 1024 {
        return Err(bad(
            "The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
        ));
    }
    if max_tokens.is_some_and(|max| max <= budget) {
        return Err(bad(
            "The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`.",
        ));
    }
    Ok(Some(Some(budget)))
}

fn output_schema(config: Option<&Value>) -> Result<Option<Value>, ModelError> {
    let Some(schema) = config
        .and_then(|c| c.get("textFormat"))
        .and_then(|f| f.get("structure"))
        .and_then(|s| s.get("jsonSchema"))
    else {
        return Ok(None);
    };
    let text = schema
        .get("schema")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            bad("outputConfig.textFormat.structure.jsonSchema.schema must be a string.")
        })?;
    serde_json::from_str(text).map(Some).map_err(|e| {
        bad(format!(
            "outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON: {e}"
        ))
    })
}

/// The text of a document block, when it has one (text / content sources, or UTF-8 bytes of a
/// text format).
pub(crate) fn document_text(document: &Value) -> Option<String> {
    let source = document.get("source")?;
    if let Some(text) = source.get("text").and_then(Value::as_str) {
        return Some(text.to_owned());
    }
    if let Some(Value::Array(parts)) = source.get("content") {
        let texts: Vec<&str> = parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect();
        return Some(texts.join("\n"));
    }
    let format = document
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("txt");
    if matches!(format, "txt" | "md" | "csv" | "html") {
        let bytes = source.get("bytes").and_then(Value::as_str)?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(bytes)
            .ok()?;
        return String::from_utf8(decoded).ok();
    }
    None
}

/// The input-token counter: walks tools, system and messages in order, noting a prefix at
/// every `cachePoint`.
#[derive(Debug, Default)]
struct Counter {
    tokens: u64,
    hash: u64,
    prefixes: Vec<CachePrefix>,
}

impl Counter {
    fn add(&mut self, tokens: u64, content: &Value) {
        self.tokens += tokens;
        let bytes = serde_json::to_vec(content).unwrap_or_default();
        self.hash = fnv1a_with(self.hash ^ fnv1a(b"strata"), &bytes);
    }

    fn cache_point(&mut self) {
        self.prefixes.push(CachePrefix {
            hash: self.hash,
            tokens: self.tokens,
        });
    }

    fn tools(&mut self, config: Option<&Value>) {
        let Some(Value::Array(tools)) = config.and_then(|c| c.get("tools")) else {
            return;
        };
        for tool in tools {
            if tool.get("cachePoint").is_some() {
                self.cache_point();
            } else if let Some(spec) = tool.get("toolSpec") {
                let text = |k: &str| {
                    spec.get(k)
                        .and_then(Value::as_str)
                        .map(count_text)
                        .unwrap_or(0)
                };
                let schema = spec
                    .get("inputSchema")
                    .and_then(|s| s.get("json"))
                    .map(compact_tokens)
                    .unwrap_or(0);
                self.add(text("name") + text("description") + schema, tool);
            } else if let Some(name) = tool
                .get("systemTool")
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
            {
                self.add(count_text(name), tool);
            }
        }
    }

    fn system(&mut self, system: Option<&Value>) {
        let Some(Value::Array(blocks)) = system else {
            return;
        };
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Value) {
        if block.get("cachePoint").is_some() {
            self.cache_point();
        } else {
            self.add(block_tokens(block), block);
        }
    }
}

fn compact_tokens(value: &Value) -> u64 {
    count_text(&serde_json::to_string(value).unwrap_or_default())
}

/// Input tokens of one content block (see [`crate::models::tokens`] for the rule).
pub(crate) fn block_tokens(block: &Value) -> u64 {
    let Some(map) = block.as_object() else {
        return 0;
    };
    let text_of = |v: &Value| v.as_str().map(count_text).unwrap_or(0);
    let (key, inner) = match map.iter().next() {
        Some(first) => first,
        None => return 0,
    };
    match key.as_str() {
        "text" => text_of(inner),
        "image" | "video" | "audio" => MEDIA_TOKENS,
        "document" => document_text(inner)
            .map(|t| count_text(&t))
            .unwrap_or(MEDIA_TOKENS),
        "toolUse" => {
            inner.get("name").map(text_of).unwrap_or(0)
                + inner.get("input").map(compact_tokens).unwrap_or(0)
        }
        "toolResult" => inner
            .get("content")
            .and_then(Value::as_array)
            .map(|parts| {
                parts
                    .iter()
                    .map(|p| match p.get("json") {
                        Some(json) => compact_tokens(json),
                        None => block_tokens(p),
                    })
                    .sum()
            })
            .unwrap_or(0),
        "reasoningContent" => inner
            .get("reasoningText")
            .and_then(|r| r.get("text"))
            .map(text_of)
            .unwrap_or(0),
        "citationsContent" => inner
            .get("content")
            .and_then(Value::as_array)
            .map(|parts| parts.iter().map(block_tokens).sum())
            .unwrap_or(0),
        "guardContent" => inner
            .get("text")
            .and_then(|t| t.get("text"))
            .map(text_of)
            .unwrap_or(0),
        _ => compact_tokens(inner),
    }
}

/// A content block's `text`, for blocks that have one.
pub(crate) fn block_text(block: &Value) -> Option<&str> {
    block.get("text").and_then(Value::as_str)
}
