//! Chat Completions: the request read into a Converse request, the answer rendered as a
//! `chat.completion` or as `chat.completion.chunk`s.

use serde_json::{Value, json};

use super::convert::{
    Answer, Conversation, ConverseParts, EFFORTS, Function, Params, Usage, check_function_name,
    document_block, image_block, output_config, params, reasoning_fields, tool_choice_mode,
    tool_choice_named,
};
use super::error::OpenAiError;
use crate::models::catalog::ModelInfo;
use crate::models::chat::stream::{TOKENS_PER_DELTA, split_chars};
use crate::models::tokens::chunk;

/// The parameters the route accepts (sampling and bookkeeping ones are checked, then ignored).
const KNOWN: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "temperature",
    "top_p",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "reasoning_effort",
    "stream",
    "stream_options",
    "n",
    "user",
    "metadata",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "store",
    "service_tier",
    "prompt_cache_key",
    "safety_identifier",
    "verbosity",
];

/// A read Chat Completions request.
#[derive(Debug, Clone)]
pub(crate) struct ChatCall {
    /// The equivalent Converse request.
    pub(crate) converse: Value,
    pub(crate) stream: bool,
    pub(crate) include_usage: bool,
}

/// Reads `body` for `model` (already resolved from `body.model`).
pub(crate) fn parse(model: &ModelInfo, body: &Value) -> Result<ChatCall, OpenAiError> {
    let p = params(body, "")?;
    p.only(KNOWN)?;
    p.number_in("temperature", 0.0, 2.0)?;
    p.number_in("top_p", 0.0, 1.0)?;
    p.number_in("frequency_penalty", -2.0, 2.0)?;
    p.number_in("presence_penalty", -2.0, 2.0)?;
    p.bool("parallel_tool_calls")?;
    if p.positive("n")?.is_some_and(|n| n != 1) {
        return Err(OpenAiError::invalid_param(
            "invalid_value",
            "n",
            "Invalid 'n': the emulator answers with one choice; expected 1.",
        ));
    }
    let stream = p.bool("stream")?.unwrap_or(false);
    let include_usage = match p.object("stream_options")? {
        Some(_) if !stream => {
            return Err(OpenAiError::invalid_param(
                "invalid_value",
                "stream_options",
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            ));
        }
        Some(options) => options.bool("include_usage")?.unwrap_or(false),
        None => false,
    };
    let messages = p
        .array("messages")?
        .ok_or_else(|| OpenAiError::missing("messages"))?;
    let mut parts = ConverseParts::new(conversation(messages)?);
    parts.max_tokens = match p.positive("max_completion_tokens")? {
        Some(n) => Some(n),
        None => p.positive("max_tokens")?,
    };
    parts.stop = stop_sequences(p.get("stop"))?;
    let functions = functions(p.array("tools")?)?;
    parts.tools = functions.iter().map(Function::tool_spec).collect();
    parts.tool_choice = tool_choice(p.get("tool_choice"), &functions)?;
    if let Some(effort) = p.one_of("reasoning_effort", EFFORTS)? {
        parts.reasoning = reasoning_fields(model, effort, "reasoning_effort")?;
    }
    parts.output = response_format(p.object("response_format")?)?;
    Ok(ChatCall {
        converse: parts.into_request(model),
        stream,
        include_usage,
    })
}

/// OpenAI messages → Converse conversation.
pub(crate) fn conversation(messages: &[Value]) -> Result<Conversation, OpenAiError> {
    if messages.is_empty() {
        return Err(OpenAiError::invalid_param(
            "empty_array",
            "messages",
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        ));
    }
    let mut conversation = Conversation::default();
    for (i, message) in messages.iter().enumerate() {
        let path = format!("messages[{i}]");
        let m = params(message, &path)?;
        let role = m.one_of(
            "role",
            &["system", "developer", "user", "assistant", "tool"],
        )?;
        match role.ok_or_else(|| OpenAiError::missing(&m.name("role")))? {
            "system" | "developer" => conversation.system.push(text_content(&m)?),
            "user" => conversation.push("user", user_content(&m)?),
            "assistant" => conversation.push("assistant", assistant_content(&m)?),
            _ => {
                let id = m.required_str("tool_call_id")?;
                conversation.push(
                    "user",
                    vec![Conversation::tool_result(id, &text_content(&m)?)],
                );
            }
        }
    }
    Ok(conversation)
}

/// `content` as text: a string or text parts (joined by newlines).
fn text_content(m: &Params<'_>) -> Result<String, OpenAiError> {
    match m.get("content") {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(parts)) => {
            let mut texts = Vec::new();
            for (j, part) in parts.iter().enumerate() {
                let path = m.name(&format!("content[{j}]"));
                let part = params(part, &path)?;
                part.one_of("type", &["text", "refusal"])?;
                texts.push(
                    part.str("text")?
                        .or(part.str("refusal")?)
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
            Ok(texts.join("\n"))
        }
        Some(other) => Err(OpenAiError::invalid_type(
            &m.name("content"),
            "a string or an array",
            other,
        )),
    }
}

fn user_content(m: &Params<'_>) -> Result<Vec<Value>, OpenAiError> {
    let parts = match m.get("content") {
        None => return Err(OpenAiError::missing(&m.name("content"))),
        Some(Value::String(s)) => return Ok(vec![json!({ "text": s })]),
        Some(Value::Array(parts)) => parts,
        Some(other) => {
            return Err(OpenAiError::invalid_type(
                &m.name("content"),
                "a string or an array",
                other,
            ));
        }
    };
    let mut blocks = Vec::new();
    for (j, part) in parts.iter().enumerate() {
        let path = m.name(&format!("content[{j}]"));
        let part = params(part, &path)?;
        let kind = part.one_of("type", &["text", "image_url", "input_audio", "file"])?;
        blocks.push(
            match kind.ok_or_else(|| OpenAiError::missing(&part.name("type")))? {
                "text" => json!({ "text": part.required_str("text")? }),
                "image_url" => {
                    let image = part
                        .object("image_url")?
                        .ok_or_else(|| OpenAiError::missing(&part.name("image_url")))?;
                    image_block(image.required_str("url")?)
                }
                "input_audio" => {
                    let audio = part
                        .object("input_audio")?
                        .ok_or_else(|| OpenAiError::missing(&part.name("input_audio")))?;
                    json!({"audio": {
                        "format": audio.str("format")?.unwrap_or("wav"),
                        "source": {"bytes": audio.str("data")?.unwrap_or_default()}
                    }})
                }
                _ => {
                    let file = part
                        .object("file")?
                        .ok_or_else(|| OpenAiError::missing(&part.name("file")))?;
                    document_block(file.str("file_data")?, file.str("filename")?)
                }
            },
        );
    }
    Ok(blocks)
}

fn assistant_content(m: &Params<'_>) -> Result<Vec<Value>, OpenAiError> {
    let mut blocks: Vec<Value> = Conversation::text(&text_content(m)?).into_iter().collect();
    for (k, call) in m.array("tool_calls")?.into_iter().flatten().enumerate() {
        let path = m.name(&format!("tool_calls[{k}]"));
        let c = params(call, &path)?;
        let id = c.required_str("id")?;
        let function = c
            .object("function")?
            .ok_or_else(|| OpenAiError::missing(&c.name("function")))?;
        let name = function.required_str("name")?;
        let arguments = function.str("arguments")?.unwrap_or_default();
        let param = format!("{path}.function.arguments");
        blocks.push(Conversation::tool_use(id, name, arguments, &param)?);
    }
    Ok(blocks)
}

fn stop_sequences(stop: Option<&Value>) -> Result<Vec<String>, OpenAiError> {
    let list = match stop {
        None => return Ok(Vec::new()),
        Some(Value::String(s)) => return Ok(vec![s.clone()]),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(OpenAiError::invalid_type(
                "stop",
                "a string or an array",
                other,
            ));
        }
    };
    if list.len() > 4 {
        return Err(OpenAiError::invalid_param(
            "array_above_max_length",
            "stop",
            format!(
                "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length {} instead.",
                list.len()
            ),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, s)| match s {
            Value::String(s) if !s.is_empty() => Ok(s.clone()),
            other => Err(OpenAiError::invalid_type(
                &format!("stop[{i}]"),
                "a non-empty string",
                other,
            )),
        })
        .collect()
}

fn functions(tools: Option<&Vec<Value>>) -> Result<Vec<Function<'_>>, OpenAiError> {
    let mut out = Vec::new();
    for (i, tool) in tools.into_iter().flatten().enumerate() {
        let path = format!("tools[{i}]");
        let t = params(tool, &path)?;
        t.one_of("type", &["function"])?;
        let f = t
            .object("function")?
            .ok_or_else(|| OpenAiError::missing(&t.name("function")))?;
        let name = f.required_str("name")?;
        check_function_name(name, &format!("{path}.function.name"))?;
        out.push(Function {
            name,
            description: f.str("description")?,
            parameters: f.get("parameters"),
        });
    }
    Ok(out)
}

fn tool_choice(
    choice: Option<&Value>,
    functions: &[Function<'_>],
) -> Result<Option<Value>, OpenAiError> {
    let Some(choice) = choice else {
        return Ok(None);
    };
    if functions.is_empty() {
        return Err(OpenAiError::invalid_param(
            "invalid_value",
            "tool_choice",
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        ));
    }
    match choice {
        Value::String(mode) if ["none", "auto", "required"].contains(&mode.as_str()) => {
            Ok(Some(tool_choice_mode(mode)))
        }
        Value::Object(_) => {
            let name = choice
                .get("function")
                .and_then(|f| f.get("name"))
                .and_then(Value::as_str)
                .ok_or_else(|| OpenAiError::missing("tool_choice.function.name"))?;
            tool_choice_named(name, functions, "tool_choice.function.name").map(Some)
        }
        other => Err(OpenAiError::invalid_param(
            "invalid_value",
            "tool_choice",
            format!(
                "Invalid value for 'tool_choice': {other}. Supported values are: 'none', 'auto', 'required' or a named function."
            ),
        )),
    }
}

fn response_format(format: Option<Params<'_>>) -> Result<Option<Value>, OpenAiError> {
    let Some(format) = format else {
        return Ok(None);
    };
    let kind = format
        .one_of("type", &["text", "json_object", "json_schema"])?
        .ok_or_else(|| OpenAiError::missing(&format.name("type")))?;
    match kind {
        "text" => Ok(None),
        "json_object" => Ok(Some(output_config(
            "json_object",
            &json!({"type": "object"}),
        ))),
        _ => {
            let schema = format
                .object("json_schema")?
                .ok_or_else(|| OpenAiError::missing(&format.name("json_schema")))?;
            json_schema_output(&schema)
        }
    }
}

/// The output config for a `{name, schema, strict, description}` format object.
pub(crate) fn json_schema_output(format: &Params<'_>) -> Result<Option<Value>, OpenAiError> {
    let name = format.required_str("name")?;
    format.bool("strict")?;
    match format.get("schema") {
        None => Ok(Some(output_config(name, &json!({"type": "object"})))),
        Some(schema @ Value::Object(_)) => Ok(Some(output_config(name, schema))),
        Some(other) => Err(OpenAiError::invalid_type(
            &format.name("schema"),
            "an object",
            other,
        )),
    }
}

/// The `usage` object.
pub(crate) fn usage_json(usage: &Usage) -> Value {
    json!({
        "prompt_tokens": usage.input,
        "completion_tokens": usage.output,
        "total_tokens": usage.input + usage.output,
        "prompt_tokens_details": {"cached_tokens": usage.cached},
        "completion_tokens_details": {"reasoning_tokens": usage.reasoning}
    })
}

fn tool_calls_json(answer: &Answer) -> Value {
    Value::Array(
        answer
            .calls
            .iter()
            .map(|(id, name, arguments)| {
                json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}})
            })
            .collect(),
    )
}

/// Identity of one completion: its id, creation time and the model id as requested.
#[derive(Debug, Clone)]
pub(crate) struct Meta<'a> {
    pub(crate) id: &'a str,
    pub(crate) created: u64,
    pub(crate) model: &'a str,
}

/// The `chat.completion` object.
pub(crate) fn completion(meta: &Meta<'_>, answer: &Answer) -> Value {
    let mut message = json!({
        "role": "assistant",
        "content": answer.text,
        "refusal": null,
        "annotations": [],
    });
    if let Some(reasoning) = &answer.reasoning {
        message["reasoning_content"] = json!(reasoning);
    }
    if !answer.calls.is_empty() {
        message["tool_calls"] = tool_calls_json(answer);
    }
    json!({
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": answer.finish_reason(),
        }],
        "usage": usage_json(&answer.usage),
    })
}

/// The `chat.completion.chunk` objects: role, reasoning deltas, content deltas (3 tokens
/// each), per tool call a delta with index, id and name then 3 argument pieces, the
/// `finish_reason`, and with `include_usage` a last chunk with no choices and the usage (every
/// earlier chunk then carries `"usage": null`).
pub(crate) fn chunks(meta: &Meta<'_>, answer: &Answer, include_usage: bool) -> Vec<Value> {
    let chunk_of = |delta: Value, finish: Option<&str>| {
        let mut out = json!({
            "id": meta.id,
            "object": "chat.completion.chunk",
            "created": meta.created,
            "model": meta.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
        });
        if include_usage {
            out["usage"] = Value::Null;
        }
        out
    };
    let mut out = vec![chunk_of(
        json!({"role": "assistant", "content": "", "refusal": null}),
        None,
    )];
    if let Some(reasoning) = &answer.reasoning {
        for piece in chunk(reasoning, TOKENS_PER_DELTA) {
            out.push(chunk_of(json!({ "reasoning_content": piece }), None));
        }
    }
    if let Some(text) = &answer.text {
        for piece in chunk(text, TOKENS_PER_DELTA) {
            out.push(chunk_of(json!({ "content": piece }), None));
        }
    }
    for (index, (id, name, arguments)) in answer.calls.iter().enumerate() {
        out.push(chunk_of(
            json!({"tool_calls": [{"index": index, "id": id, "type": "function",
                                   "function": {"name": name, "arguments": ""}}]}),
            None,
        ));
        for piece in split_chars(arguments, 3) {
            out.push(chunk_of(
                json!({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}),
                None,
            ));
        }
    }
    out.push(chunk_of(json!({}), Some(answer.finish_reason())));
    if include_usage {
        let mut last = chunk_of(json!({}), None);
        last["choices"] = json!([]);
        last["usage"] = usage_json(&answer.usage);
        out.push(last);
    }
    out
}
