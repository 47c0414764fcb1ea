//! Pieces both language APIs share: the conversation builder that turns
//! OpenAI messages into Converse messages, tools, tool choice, reasoning effort, JSON-schema
//! output, and the answer's usage and finish reason.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::error::OpenAiError;
pub(crate) use super::params::{Params, params};
use crate::models::catalog::{Family, ModelInfo};
use crate::models::chat::{Block, Turn};
use crate::models::hash::{alphanumeric, fnv1a_parts};
use crate::models::tokens::count_text;

/// Converse messages built from OpenAI messages: consecutive messages of one role are merged,
/// as Converse requires alternating roles; system and developer text goes to `system`.
#[derive(Debug, Default)]
pub(crate) struct Conversation {
    pub(crate) system: Vec<String>,
    pub(crate) messages: Vec<Value>,
}

impl Conversation {
    pub(crate) fn push(&mut self, role: &str, blocks: Vec<Value>) {
        if blocks.is_empty() {
            return;
        }
        if let Some(last) = self.messages.last_mut()
            && last["role"] == role
            && let Some(content) = last["content"].as_array_mut()
        {
            content.extend(blocks);
            return;
        }
        self.messages.push(json!({"role": role, "content": blocks}));
    }

    /// A Converse text block, or nothing for empty text (OpenAI allows it, Converse does not).
    pub(crate) fn text(text: &str) -> Option<Value> {
        (!text.trim().is_empty()).then(|| json!({ "text": text }))
    }

    /// An assistant `toolUse` block from a call's id, name and JSON `arguments` string.
    pub(crate) fn tool_use(
        id: &str,
        name: &str,
        arguments: &str,
        param: &str,
    ) -> Result<Value, OpenAiError> {
        let input: Value = if arguments.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str(arguments).map_err(|e| {
                OpenAiError::invalid_param(
                    "invalid_value",
                    param,
                    format!("Invalid '{param}': the arguments are not valid JSON ({e})."),
                )
            })?
        };
        Ok(json!({"toolUse": {"toolUseId": id, "name": name, "input": input}}))
    }

    /// A user `toolResult` block.
    pub(crate) fn tool_result(id: &str, output: &str) -> Value {
        let content = if output.is_empty() { " " } else { output };
        json!({"toolResult": {"toolUseId": id, "content": [{"text": content}]}})
    }
}

/// A Converse image block from an image URL (`data:` URLs keep their bytes and format).
pub(crate) fn image_block(url: &str) -> Value {
    let (format, bytes) = match data_url(url) {
        Some((mime, data)) => (
            mime.strip_prefix("image/").unwrap_or("png").to_owned(),
            data,
        ),
        None => ("png".to_owned(), String::new()),
    };
    let format = if format == "jpg" {
        "jpeg".to_owned()
    } else {
        format
    };
    json!({"image": {"format": format, "source": {"bytes": bytes}}})
}

/// A Converse document block from a file part's base64 `data:` URL and file name.
pub(crate) fn document_block(file_data: Option<&str>, filename: Option<&str>) -> Value {
    let name = filename.unwrap_or("document");
    let (mime, bytes) = file_data.and_then(data_url).unwrap_or_default();
    let format = match mime.as_str() {
        "application/pdf" => "pdf",
        "text/markdown" => "md",
        "text/csv" => "csv",
        "text/html" => "html",
        _ if name.ends_with(".pdf") => "pdf",
        _ => "txt",
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    json!({"document": {"format": format, "name": stem, "source": {"bytes": bytes}}})
}

/// `(mime type, base64 data)` of a `data:<mime>;base64,<data>` URL.
fn data_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let mime = meta.strip_suffix(";base64")?;
    let valid = base64::engine::general_purpose::STANDARD
        .decode(data)
        .is_ok();
    valid.then(|| (mime.to_owned(), data.to_owned()))
}

/// One function tool: its name, description and parameter schema.
#[derive(Debug, Clone)]
pub(crate) struct Function<'a> {
    pub(crate) name: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) parameters: Option<&'a Value>,
}

impl Function<'_> {
    /// The Converse `toolSpec` (a missing schema is an object without properties).
    pub(crate) fn tool_spec(&self) -> Value {
        let schema = self
            .parameters
            .cloned()
            .unwrap_or_else(|| json!({"type": "object", "properties": {}}));
        let mut spec = json!({"name": self.name, "inputSchema": {"json": schema}});
        if let Some(description) = self.description {
            spec["description"] = json!(description);
        }
        json!({ "toolSpec": spec })
    }
}

/// A function's name must be 1-64 letters, digits, `_` or `-`.
pub(crate) fn check_function_name(name: &str, param: &str) -> Result<(), OpenAiError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(OpenAiError::invalid_param(
            "invalid_value",
            param,
            format!(
                "Invalid '{param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{{1,64}}$'."
            ),
        ))
    }
}

/// The Converse `toolChoice` for an OpenAI tool choice given as a string.
pub(crate) fn tool_choice_mode(mode: &str) -> Value {
    match mode {
        "none" => json!({"none": {}}),
        "required" => json!({"any": {}}),
        _ => json!({"auto": {}}),
    }
}

/// The Converse `toolChoice` naming one tool, which must be among `functions`.
pub(crate) fn tool_choice_named(
    name: &str,
    functions: &[Function<'_>],
    param: &str,
) -> Result<Value, OpenAiError> {
    if functions.iter().any(|f| f.name == name) {
        Ok(json!({"tool": {"name": name}}))
    } else {
        Err(OpenAiError::invalid_param(
            "invalid_value",
            param,
            format!(
                "Invalid value for '{param}': no function named '{name}' was specified in the 'tools' parameter."
            ),
        ))
    }
}

/// Reasoning efforts the APIs accept; `none` turns reasoning off.
pub(crate) const EFFORTS: &[&str] = &["none", "minimal", "low", "medium", "high"];

/// `additionalModelRequestFields` for a reasoning effort: Anthropic models get `thinking` with
/// a budget (1024 tokens for `minimal`/`low`, 2048 for `medium`, 4096 for `high`), others
/// `reasoningConfig` with the effort. Models without reasoning refuse the parameter.
pub(crate) fn reasoning_fields(
    model: &ModelInfo,
    effort: &str,
    param: &str,
) -> Result<Option<Value>, OpenAiError> {
    if effort == "none" {
        return Ok(None);
    }
    if !model.capabilities.reasoning {
        return Err(OpenAiError::invalid_param(
            "unsupported_parameter",
            param,
            format!("Unsupported parameter: '{param}' is not supported with this model."),
        ));
    }
    Ok(Some(if model.family == Family::Anthropic {
        let budget = match effort {
            "high" => 4096,
            "medium" => 2048,
            _ => 1024,
        };
        json!({"thinking": {"type": "enabled", "budget_tokens": budget}})
    } else {
        json!({"reasoningConfig": {"type": "enabled", "maxReasoningEffort": effort}})
    }))
}

/// The Converse `outputConfig` asking for JSON that satisfies `schema`.
pub(crate) fn output_config(name: &str, schema: &Value) -> Value {
    json!({"textFormat": {"type": "json", "structure": {"jsonSchema": {
        "name": name,
        "schema": schema.to_string()
    }}}})
}

/// Assembles the Converse request. With `cache_system` the tools and system texts form an
/// implicit cache prefix (OpenAI caches prompt prefixes without being asked).
pub(crate) struct ConverseParts {
    pub(crate) conversation: Conversation,
    pub(crate) max_tokens: Option<u64>,
    pub(crate) stop: Vec<String>,
    pub(crate) tools: Vec<Value>,
    pub(crate) tool_choice: Option<Value>,
    pub(crate) reasoning: Option<Value>,
    pub(crate) output: Option<Value>,
}

impl ConverseParts {
    pub(crate) fn new(conversation: Conversation) -> Self {
        Self {
            conversation,
            max_tokens: None,
            stop: Vec::new(),
            tools: Vec::new(),
            tool_choice: None,
            reasoning: None,
            output: None,
        }
    }

    pub(crate) fn into_request(self, model: &ModelInfo) -> Value {
        let mut system: Vec<Value> = self
            .conversation
            .system
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| json!({ "text": t }))
            .collect();
        if !system.is_empty() && model.capabilities.prompt_cache {
            system.push(json!({"cachePoint": {"type": "default"}}));
        }
        let mut request = json!({ "messages": self.conversation.messages, "system": system });
        let mut inference = Map::new();
        if let Some(max) = self.max_tokens {
            inference.insert("maxTokens".into(), json!(max));
        }
        if !self.stop.is_empty() {
            inference.insert("stopSequences".into(), json!(self.stop));
        }
        if !inference.is_empty() {
            request["inferenceConfig"] = Value::Object(inference);
        }
        if !self.tools.is_empty() {
            request["toolConfig"] = json!({ "tools": self.tools });
            if let Some(choice) = self.tool_choice {
                request["toolConfig"]["toolChoice"] = choice;
            }
        }
        if let Some(fields) = self.reasoning {
            request["additionalModelRequestFields"] = fields;
        }
        if let Some(output) = self.output {
            request["outputConfig"] = output;
        }
        request
    }
}

/// The parts of an answer both APIs render.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub(crate) reasoning: Option<String>,
    /// The reasoning signature (Responses' `encrypted_content`, when asked for).
    pub(crate) signature: Option<String>,
    pub(crate) text: Option<String>,
    /// `(call id, name, arguments JSON)`.
    pub(crate) calls: Vec<(String, String, String)>,
    pub(crate) stop_reason: &'static str,
    pub(crate) usage: Usage,
}

/// Token usage in OpenAI's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Usage {
    pub(crate) input: u64,
    pub(crate) cached: u64,
    pub(crate) output: u64,
    pub(crate) reasoning: u64,
}

impl Answer {
    pub(crate) fn from_turn(turn: &Turn) -> Self {
        let mut answer = Self {
            reasoning: None,
            signature: None,
            text: None,
            calls: Vec::new(),
            stop_reason: turn.stop_reason,
            usage: Usage {
                input: turn.usage.input + turn.usage.cache_read + turn.usage.cache_write,
                cached: turn.usage.cache_read,
                output: turn.usage.output,
                reasoning: 0,
            },
        };
        for block in &turn.blocks {
            match block {
                Block::Reasoning { text, signature } => {
                    answer.usage.reasoning += count_text(text);
                    answer.reasoning = Some(text.clone());
                    answer.signature = Some(signature.clone());
                }
                Block::Text(text) | Block::Cited { text, .. } => answer.text = Some(text.clone()),
                Block::ToolUse { id, name, input } => {
                    let suffix = id.strip_prefix("tooluse_").unwrap_or(id);
                    answer
                        .calls
                        .push((format!("call_{suffix}"), name.clone(), input.to_string()));
                }
            }
        }
        answer
    }

    /// Chat Completions' `finish_reason`.
    pub(crate) fn finish_reason(&self) -> &'static str {
        match self.stop_reason {
            "tool_use" => "tool_calls",
            "max_tokens" => "length",
            _ => "stop",
        }
    }

    /// Whether the output was cut at the token limit.
    pub(crate) fn is_cut(&self) -> bool {
        self.stop_reason == "max_tokens"
    }
}

/// A deterministic id: `prefix` and `len` letters/digits derived from the request body and a
/// salt (so one request's items get distinct ids).
pub(crate) fn id(prefix: &str, body: &[u8], salt: &str, len: usize) -> String {
    format!(
        "{prefix}{}",
        alphanumeric(fnv1a_parts(&[body, salt.as_bytes()]), len)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::catalog;

    #[test]
    fn conversation_merges_roles_and_skips_empty_blocks() {
        let mut conversation = Conversation::default();
        conversation.push("user", vec![json!({"text": "a"})]);
        conversation.push("user", vec![json!({"text": "b"})]);
        conversation.push("assistant", Vec::new());
        assert_eq!(
            conversation.messages,
            vec![json!({"role": "user", "content": [{"text": "a"}, {"text": "b"}]})]
        );
        assert_eq!(Conversation::text("  "), None);
    }

    #[test]
    fn tool_arguments_must_be_json() {
        let err = Conversation::tool_use(
            "c",
            "f",
            "{oops",
            "messages[1].tool_calls[0].function.arguments",
        )
        .unwrap_err();
        assert_eq!(err.status(), 400);
        assert_eq!(
            err.to_json()["error"]["param"],
            "messages[1].tool_calls[0].function.arguments"
        );
        assert_eq!(
            Conversation::tool_use("c", "f", "", "p").unwrap(),
            json!({"toolUse": {"toolUseId": "c", "name": "f", "input": {}}})
        );
    }

    #[test]
    fn data_urls_keep_format_and_bytes() {
        assert_eq!(
            image_block("data:image/jpeg;base64,AAAA"),
            json!({"image": {"format": "jpeg", "source": {"bytes": "AAAA"}}})
        );
        assert_eq!(
            image_block("https://example.com/cat.png"),
            json!({"image": {"format": "png", "source": {"bytes": ""}}})
        );
        assert_eq!(
            document_block(Some("data:text/plain;base64,aGk="), Some("notes.txt")),
            json!({"document": {"format": "txt", "name": "notes", "source": {"bytes": "aGk="}}})
        );
    }

    #[test]
    fn reasoning_effort_maps_by_family() {
        let claude = catalog::resolve("us.anthropic.claude-sonnet-4-20250514-v1:0").unwrap();
        assert_eq!(
            reasoning_fields(&claude, "medium", "reasoning_effort").unwrap(),
            Some(json!({"thinking": {"type": "enabled", "budget_tokens": 2048}}))
        );
        let oss = catalog::resolve("openai.gpt-oss-20b-1:0").unwrap();
        assert_eq!(
            reasoning_fields(&oss, "low", "reasoning_effort").unwrap(),
            Some(json!({"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"}}))
        );
        assert_eq!(
            reasoning_fields(&oss, "none", "reasoning_effort").unwrap(),
            None
        );
        let haiku = catalog::resolve("anthropic.claude-3-5-haiku-20241022-v1:0").unwrap();
        let err = reasoning_fields(&haiku, "low", "reasoning_effort").unwrap_err();
        assert_eq!(err.code(), Some("unsupported_parameter"));
    }
}
