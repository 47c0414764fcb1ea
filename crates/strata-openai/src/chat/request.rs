//! [`CallOptions`] → a Chat Completions [`ChatRequest`].
//!
//! - The output-token limit goes to `max_completion_tokens` for OpenAI reasoning models
//!   ([`is_reasoning_model`]) and to `max_tokens` otherwise, unless the `maxTokensField`
//!   option says which.
//! - Temperature, top-p, penalties, seed and stop sequences are sent as given, except to
//!   reasoning models, which reject sampling settings: those are dropped with warnings. Top-k
//!   has no field and is dropped with a warning.
//! - A JSON response format with a schema becomes `json_schema` (name `response` unless
//!   given, `strict` from the `strictJsonSchema` option); without a schema, `json_object`.
//! - Reasoning effort goes to `reasoning_effort`; a token budget and "disabled" have no Chat
//!   Completions field and give warnings.
//! - Streaming sets `stream` and `stream_options.include_usage`.
//!
//! ```
//! use serde_json::json;
//! use strata_core::options::{Reasoning, ReasoningEffort};
//! use strata_core::{CallOptions, Message, Warning};
//! use strata_openai::chat::request::build_chat_request;
//!
//! let options = CallOptions::new(vec![Message::system("Be brief."), Message::user_text("Hi")])
//!     .with_max_output_tokens(200)
//!     .with_temperature(0.3)
//!     .with_reasoning(Reasoning::Effort(ReasoningEffort::Low));
//! let prepared = build_chat_request("o4-mini", &options, true)?;
//! assert_eq!(serde_json::to_value(&prepared.body).unwrap(), json!({
//!     "model": "o4-mini",
//!     "messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
//!     "max_completion_tokens": 200,
//!     "reasoning_effort": "low",
//!     "stream": true,
//!     "stream_options": {"include_usage": true}
//! }));
//! assert_eq!(prepared.warnings, vec![Warning::unsupported_setting("temperature")
//!     .with_details("reasoning models do not support temperature")]);
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::options::{Reasoning, ResponseFormat as CoreFormat};
use strata_core::{CallOptions, Error, Warning};

use super::convert::convert_messages;
use super::tools::prepare_tools;
use super::wire::{ChatRequest, JsonSchema, ResponseFormat, StreamOptions};
use crate::options::{MaxTokensField, OpenAiOptions, is_reasoning_model};

/// A request body and the warnings building it produced.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PreparedChatRequest {
    /// The body to send.
    pub body: ChatRequest,
    /// Settings and tools that were not sent.
    pub warnings: Vec<Warning>,
}

/// Builds the request for `model_id`; `stream` asks for a streamed response.
pub fn build_chat_request(
    model_id: &str,
    options: &CallOptions,
    stream: bool,
) -> Result<PreparedChatRequest, Error> {
    let openai = OpenAiOptions::from_provider_options(&options.provider_options)?;
    let reasoning_model = is_reasoning_model(model_id);
    let mut warnings = Vec::new();

    let converted = convert_messages(&options.prompt, openai.system_mode(reasoning_model))?;
    warnings.extend(converted.warnings);
    let tools = prepare_tools(&options.tools, options.tool_choice.as_ref())?;
    warnings.extend(tools.warnings);

    let mut body = ChatRequest {
        model: model_id.to_owned(),
        messages: converted.messages,
        tools: tools.tools,
        tool_choice: tools.tool_choice,
        parallel_tool_calls: openai.parallel_tool_calls,
        user: openai.user,
        store: openai.store,
        metadata: openai.metadata,
        service_tier: openai.service_tier,
        seed: options.seed,
        stop: (!options.stop_sequences.is_empty()).then(|| options.stop_sequences.clone()),
        ..ChatRequest::default()
    };

    let field = openai.max_tokens_field.unwrap_or(if reasoning_model {
        MaxTokensField::MaxCompletionTokens
    } else {
        MaxTokensField::MaxTokens
    });
    match field {
        MaxTokensField::MaxCompletionTokens => {
            body.max_completion_tokens = options.max_output_tokens
        }
        _ => body.max_tokens = options.max_output_tokens,
    }

    let sampling = [
        ("temperature", options.temperature, &mut body.temperature),
        ("top_p", options.top_p, &mut body.top_p),
        (
            "frequency_penalty",
            options.frequency_penalty,
            &mut body.frequency_penalty,
        ),
        (
            "presence_penalty",
            options.presence_penalty,
            &mut body.presence_penalty,
        ),
    ];
    for (name, value, slot) in sampling {
        if value.is_some() && reasoning_model {
            warnings.push(
                Warning::unsupported_setting(name)
                    .with_details(format!("reasoning models do not support {name}")),
            );
        } else {
            *slot = value;
        }
    }
    if options.top_k.is_some() {
        warnings.push(
            Warning::unsupported_setting("top_k")
                .with_details("Chat Completions has no top-k setting"),
        );
    }

    body.response_format =
        response_format(options.response_format.as_ref(), openai.strict_json_schema);
    body.reasoning_effort = match (openai.reasoning_effort, options.reasoning) {
        (Some(effort), _) => Some(effort),
        (None, Some(Reasoning::Effort(effort))) => Some(effort.as_str().to_owned()),
        (None, Some(Reasoning::BudgetTokens(_))) => {
            warnings.push(
                Warning::unsupported_setting("reasoning")
                    .with_details("OpenAI takes a reasoning effort, not a token budget"),
            );
            None
        }
        (None, Some(_)) => {
            warnings.push(Warning::unsupported_setting("reasoning").with_details(
                "reasoning cannot be disabled through Chat Completions; set the `reasoningEffort` option",
            ));
            None
        }
        (None, None) => None,
    };

    if stream {
        body.stream = Some(true);
        body.stream_options = Some(StreamOptions::include_usage());
    }
    Ok(PreparedChatRequest { body, warnings })
}

/// The call's response format as `response_format`.
pub(crate) fn response_format(
    format: Option<&CoreFormat>,
    strict: Option<bool>,
) -> Option<ResponseFormat> {
    match format? {
        CoreFormat::Json {
            schema: Some(schema),
            name,
            description,
        } => Some(ResponseFormat::JsonSchema {
            json_schema: JsonSchema {
                name: name.clone().unwrap_or_else(|| String::from("response")),
                description: description.clone(),
                schema: schema.clone(),
                strict,
            },
        }),
        CoreFormat::Json { schema: None, .. } => Some(ResponseFormat::JsonObject),
        _ => None,
    }
}
