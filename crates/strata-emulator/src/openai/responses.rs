//! The Responses API: the request (`input` items, `instructions`, function tools, `text.format`,
//! `reasoning`) read into a Converse request, the answer rendered as a `response` object.

use serde_json::{Map, Value, json};

use super::chat::json_schema_output;
use super::convert::{
    Answer, Conversation, ConverseParts, EFFORTS, Function, Params, Usage, check_function_name,
    document_block, image_block, output_config, params, reasoning_fields, tool_choice_mode,
    tool_choice_named,
};
use super::error::OpenAiError;
use crate::models::catalog::ModelInfo;

const KNOWN: &[&str] = &[
    "model",
    "input",
    "instructions",
    "max_output_tokens",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "text",
    "reasoning",
    "stream",
    "temperature",
    "top_p",
    "store",
    "metadata",
    "user",
    "include",
    "service_tier",
    "truncation",
    "prompt_cache_key",
    "safety_identifier",
    "previous_response_id",
    "max_tool_calls",
    "top_logprobs",
];

/// A read Responses request.
#[derive(Debug, Clone)]
pub(crate) struct ResponsesCall {
    /// The equivalent Converse request.
    pub(crate) converse: Value,
    pub(crate) stream: bool,
    /// The request's settings as the response object echoes them.
    pub(crate) echo: Map<String, Value>,
    /// Whether reasoning items carry `encrypted_content` (`include`).
    pub(crate) encrypted_reasoning: bool,
}

/// Reads `body` for `model` (already resolved from `body.model`).
pub(crate) fn parse(model: &ModelInfo, body: &Value) -> Result<ResponsesCall, OpenAiError> {
    let p = params(body, "")?;
    p.only(KNOWN)?;
    p.number_in("temperature", 0.0, 2.0)?;
    p.number_in("top_p", 0.0, 1.0)?;
    if p.get("previous_response_id").is_some() {
        return Err(OpenAiError::invalid_param(
            "unsupported_parameter",
            "previous_response_id",
            "Unsupported parameter: 'previous_response_id': the emulator stores no responses; send the whole conversation in 'input'.",
        ));
    }
    let stream = p.bool("stream")?.unwrap_or(false);
    let mut conversation = match p.get("input") {
        None => return Err(OpenAiError::missing("input")),
        Some(Value::String(text)) => {
            let mut conversation = Conversation::default();
            conversation.push("user", vec![json!({ "text": text })]);
            conversation
        }
        Some(Value::Array(items)) => input_items(items)?,
        Some(other) => {
            return Err(OpenAiError::invalid_type(
                "input",
                "a string or an array",
                other,
            ));
        }
    };
    if let Some(instructions) = p.str("instructions")? {
        conversation.system.insert(0, instructions.to_owned());
    }
    let mut parts = ConverseParts::new(conversation);
    parts.max_tokens = p.positive("max_output_tokens")?;
    let functions = functions(p.array("tools")?)?;
    parts.tools = functions.iter().map(Function::tool_spec).collect();
    parts.tool_choice = tool_choice(p.get("tool_choice"), &functions)?;
    let mut reasoning_echo = json!({"effort": null, "summary": null});
    if let Some(reasoning) = p.object("reasoning")? {
        reasoning.only(&["effort", "summary", "generate_summary"])?;
        let summary = reasoning.one_of("summary", &["auto", "concise", "detailed"])?;
        if let Some(effort) = reasoning.one_of("effort", EFFORTS)? {
            parts.reasoning = reasoning_fields(model, effort, "reasoning.effort")?;
            reasoning_echo = json!({"effort": effort, "summary": summary});
        }
    }
    if let Some(text) = p.object("text")? {
        text.only(&["format", "verbosity"])?;
        if let Some(format) = text.object("format")? {
            parts.output = text_format(&format)?;
        }
    }
    let include = p.array("include")?.cloned().unwrap_or_default();
    let encrypted_reasoning = include
        .iter()
        .any(|i| i.as_str() == Some("reasoning.encrypted_content"));
    let mut echo = Map::new();
    for (key, default) in [
        ("instructions", Value::Null),
        ("max_output_tokens", Value::Null),
        ("tools", json!([])),
        ("tool_choice", json!("auto")),
        ("text", json!({"format": {"type": "text"}})),
        ("parallel_tool_calls", json!(true)),
        ("temperature", json!(1.0)),
        ("top_p", json!(1.0)),
        ("metadata", json!({})),
        ("store", json!(true)),
        ("truncation", json!("disabled")),
        ("user", Value::Null),
    ] {
        echo.insert(key.to_owned(), p.get(key).cloned().unwrap_or(default));
    }
    echo.insert("reasoning".to_owned(), reasoning_echo);
    Ok(ResponsesCall {
        converse: parts.into_request(model),
        stream,
        echo,
        encrypted_reasoning,
    })
}

/// `input` items → Converse conversation.
fn input_items(items: &[Value]) -> Result<Conversation, OpenAiError> {
    if items.is_empty() {
        return Err(OpenAiError::invalid_param(
            "empty_array",
            "input",
            "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        ));
    }
    let mut conversation = Conversation::default();
    for (i, item) in items.iter().enumerate() {
        let path = format!("input[{i}]");
        let it = params(item, &path)?;
        let kind = match it.str("type")? {
            Some(kind) => kind,
            None if it.get("role").is_some() => "message",
            None => return Err(OpenAiError::missing(&it.name("type"))),
        };
        match kind {
            "message" => message(&it, &mut conversation)?,
            "function_call" => {
                let id = it.required_str("call_id")?;
                let name = it.required_str("name")?;
                let arguments = it.str("arguments")?.unwrap_or_default();
                let param = it.name("arguments");
                let block = Conversation::tool_use(id, name, arguments, &param)?;
                conversation.push("assistant", vec![block]);
            }
            "function_call_output" => {
                let id = it.required_str("call_id")?;
                let output = match it.get("output") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Array(parts)) => parts
                        .iter()
                        .filter_map(|p| p.get("text").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    Some(other) => {
                        return Err(OpenAiError::invalid_type(
                            &it.name("output"),
                            "a string or an array",
                            other,
                        ));
                    }
                    None => return Err(OpenAiError::missing(&it.name("output"))),
                };
                conversation.push("user", vec![Conversation::tool_result(id, &output)]);
            }
            // Earlier reasoning is not sent back to the model.
            "reasoning" => {}
            other => {
                return Err(OpenAiError::invalid_param(
                    "invalid_value",
                    it.name("type"),
                    format!(
                        "Invalid value for '{}': '{other}'. Supported values are: 'message', 'function_call', 'function_call_output', 'reasoning'.",
                        it.name("type")
                    ),
                ));
            }
        }
    }
    Ok(conversation)
}

fn message(it: &Params<'_>, conversation: &mut Conversation) -> Result<(), OpenAiError> {
    let role = it
        .one_of("role", &["user", "assistant", "system", "developer"])?
        .ok_or_else(|| OpenAiError::missing(&it.name("role")))?;
    let parts = match it.get("content") {
        None => return Err(OpenAiError::missing(&it.name("content"))),
        Some(Value::String(text)) => vec![json!({"type": "input_text", "text": text})],
        Some(Value::Array(parts)) => parts.clone(),
        Some(other) => {
            return Err(OpenAiError::invalid_type(
                &it.name("content"),
                "a string or an array",
                other,
            ));
        }
    };
    let mut blocks = Vec::new();
    let mut texts = Vec::new();
    for (j, part) in parts.iter().enumerate() {
        let part = params(part, &it.name(&format!("content[{j}]")))?;
        let kind = part
            .one_of(
                "type",
                &[
                    "input_text",
                    "output_text",
                    "refusal",
                    "input_image",
                    "input_file",
                ],
            )?
            .ok_or_else(|| OpenAiError::missing(&part.name("type")))?;
        match kind {
            "input_text" | "output_text" => {
                let text = part.required_str("text")?;
                texts.push(text.to_owned());
                blocks.push(json!({ "text": text }));
            }
            "refusal" => texts.push(part.str("refusal")?.unwrap_or_default().to_owned()),
            "input_image" => blocks.push(image_block(part.str("image_url")?.unwrap_or_default())),
            _ => blocks.push(document_block(
                part.str("file_data")?,
                part.str("filename")?,
            )),
        }
    }
    match role {
        "system" | "developer" => conversation.system.push(texts.join("\n")),
        "assistant" => {
            let blocks = blocks
                .into_iter()
                .filter(|b| {
                    b.get("text")
                        .and_then(Value::as_str)
                        .is_none_or(|t| !t.trim().is_empty())
                })
                .collect();
            conversation.push("assistant", blocks);
        }
        _ => conversation.push("user", blocks),
    }
    Ok(())
}

fn functions(tools: Option<&Vec<Value>>) -> Result<Vec<Function<'_>>, OpenAiError> {
    let mut out = Vec::new();
    for (i, tool) in tools.into_iter().flatten().enumerate() {
        let t = params(tool, &format!("tools[{i}]"))?;
        t.one_of("type", &["function"])?
            .ok_or_else(|| OpenAiError::missing(&t.name("type")))?;
        let name = t.required_str("name")?;
        check_function_name(name, &t.name("name"))?;
        t.bool("strict")?;
        out.push(Function {
            name,
            description: t.str("description")?,
            parameters: t.get("parameters"),
        });
    }
    Ok(out)
}

fn tool_choice(
    choice: Option<&Value>,
    functions: &[Function<'_>],
) -> Result<Option<Value>, OpenAiError> {
    match choice {
        None => Ok(None),
        Some(Value::String(mode)) if ["none", "auto", "required"].contains(&mode.as_str()) => {
            Ok((!functions.is_empty()).then(|| tool_choice_mode(mode)))
        }
        Some(object @ Value::Object(_)) => {
            let c = params(object, "tool_choice")?;
            c.one_of("type", &["function"])?;
            let name = c.required_str("name")?;
            tool_choice_named(name, functions, "tool_choice.name").map(Some)
        }
        Some(other) => Err(OpenAiError::invalid_param(
            "invalid_value",
            "tool_choice",
            format!(
                "Invalid value for 'tool_choice': {other}. Supported values are: 'none', 'auto', 'required' or a function."
            ),
        )),
    }
}

fn text_format(format: &Params<'_>) -> Result<Option<Value>, OpenAiError> {
    let kind = format
        .one_of("type", &["text", "json_object", "json_schema"])?
        .ok_or_else(|| OpenAiError::missing(&format.name("type")))?;
    match kind {
        "text" => Ok(None),
        "json_object" => Ok(Some(output_config(
            "json_object",
            &json!({"type": "object"}),
        ))),
        _ => json_schema_output(format),
    }
}

/// Ids of one response and its items, derived from the request body.
#[derive(Debug, Clone)]
pub(crate) struct Ids {
    pub(crate) response: String,
    pub(crate) reasoning: String,
    pub(crate) message: String,
    /// Item id per function call.
    pub(crate) calls: Vec<String>,
}

impl Ids {
    pub(crate) fn new(body: &[u8], calls: usize) -> Self {
        use super::convert::id;
        Self {
            response: id("resp_", body, "response", 32),
            reasoning: id("rs_", body, "reasoning", 32),
            message: id("msg_", body, "message", 32),
            calls: (0..calls)
                .map(|n| id("fc_", body, &format!("call{n}"), 32))
                .collect(),
        }
    }
}

/// The `usage` object.
pub(crate) fn usage_json(usage: &Usage) -> Value {
    json!({
        "input_tokens": usage.input,
        "input_tokens_details": {"cached_tokens": usage.cached},
        "output_tokens": usage.output,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning},
        "total_tokens": usage.input + usage.output,
    })
}

/// The response's output items, complete.
pub(crate) fn output_items(call: &ResponsesCall, ids: &Ids, answer: &Answer) -> Vec<Value> {
    let mut items = Vec::new();
    if let Some(reasoning) = &answer.reasoning {
        items.push(reasoning_item(call, ids, answer, reasoning));
    }
    if let Some(text) = &answer.text {
        items.push(message_item(ids, answer, text));
    }
    for ((call_id, name, arguments), item_id) in answer.calls.iter().zip(&ids.calls) {
        items.push(json!({
            "type": "function_call",
            "id": item_id,
            "call_id": call_id,
            "name": name,
            "arguments": arguments,
            "status": "completed",
        }));
    }
    items
}

pub(crate) fn reasoning_item(
    call: &ResponsesCall,
    ids: &Ids,
    answer: &Answer,
    summary: &str,
) -> Value {
    let mut item = json!({
        "type": "reasoning",
        "id": ids.reasoning,
        "summary": [{"type": "summary_text", "text": summary}],
    });
    if call.encrypted_reasoning {
        item["encrypted_content"] = json!(answer.signature);
    }
    item
}

pub(crate) fn message_item(ids: &Ids, answer: &Answer, text: &str) -> Value {
    json!({
        "type": "message",
        "id": ids.message,
        "status": if answer.is_cut() { "incomplete" } else { "completed" },
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
    })
}

/// The `response` object: `in_progress` without output when `answer` is `None`.
pub(crate) fn response_object(
    call: &ResponsesCall,
    ids: &Ids,
    created: u64,
    model: &str,
    answer: Option<&Answer>,
) -> Value {
    let mut out = json!({
        "id": ids.response,
        "object": "response",
        "created_at": created,
        "status": "in_progress",
        "error": null,
        "incomplete_details": null,
        "model": model,
        "output": [],
        "usage": null,
    });
    for (key, value) in &call.echo {
        out[key] = value.clone();
    }
    if let Some(answer) = answer {
        out["output"] = Value::Array(output_items(call, ids, answer));
        out["usage"] = usage_json(&answer.usage);
        if answer.is_cut() {
            out["status"] = json!("incomplete");
            out["incomplete_details"] = json!({"reason": "max_output_tokens"});
        } else {
            out["status"] = json!("completed");
        }
    }
    out
}
