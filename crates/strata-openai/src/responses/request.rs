//! [`CallOptions`] → a Responses API [`ResponsesRequest`].
//!
//! - `max_output_tokens`, `temperature` and `top_p` map directly (sampling settings are
//!   dropped with warnings for reasoning models). The API has no top-k, penalties, seed or stop
//!   sequences: each gives a warning.
//! - A JSON response format goes to `text.format` (`json_schema` with name `response` unless
//!   given, or `json_object`).
//! - Reasoning effort goes to `reasoning.effort`, the `reasoningSummary` option to
//!   `reasoning.summary`; a token budget or "disabled" gives a warning.
//! - The `openai` options add `user`, `store`, `metadata`, `service_tier`,
//!   `parallel_tool_calls`, `previous_response_id` and `include`.
//!
//! ```
//! use serde_json::json;
//! use strata_core::options::{Reasoning, ReasoningEffort};
//! use strata_core::{CallOptions, Message, ProviderOptions};
//! use strata_openai::responses::request::build_responses_request;
//!
//! let options = CallOptions::new(vec![Message::user_text("Why is the sky blue?")])
//!     .with_max_output_tokens(2000)
//!     .with_reasoning(Reasoning::Effort(ReasoningEffort::Medium))
//!     .with_provider_options(ProviderOptions::new().with("openai", "reasoningSummary", "auto"));
//! let prepared = build_responses_request("o4-mini", &options, false)?;
//! assert_eq!(serde_json::to_value(&prepared.body).unwrap(), json!({
//!     "model": "o4-mini",
//!     "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Why is the sky blue?"}]}],
//!     "max_output_tokens": 2000,
//!     "reasoning": {"effort": "medium", "summary": "auto"}
//! }));
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::options::{Reasoning, ResponseFormat as CoreFormat};
use strata_core::{CallOptions, Error, Warning};

use super::convert::convert_input;
use super::tools::prepare_tools;
use super::wire::{ReasoningConfig, ResponsesRequest, TextConfig, TextFormat};
use crate::options::{OpenAiOptions, ReasoningSummary, is_reasoning_model};

/// A request body and the warnings building it produced.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PreparedResponsesRequest {
    /// The body to send.
    pub body: ResponsesRequest,
    /// Settings and tools that were not sent.
    pub warnings: Vec<Warning>,
}

/// Builds the request for `model_id`; `stream` asks for a streamed response.
pub fn build_responses_request(
    model_id: &str,
    options: &CallOptions,
    stream: bool,
) -> Result<PreparedResponsesRequest, Error> {
    let openai = OpenAiOptions::from_provider_options(&options.provider_options)?;
    let reasoning_model = is_reasoning_model(model_id);
    let mut warnings = Vec::new();
    let converted = convert_input(&options.prompt, openai.system_mode(reasoning_model))?;
    warnings.extend(converted.warnings);
    let tools = prepare_tools(&options.tools, options.tool_choice.as_ref())?;
    warnings.extend(tools.warnings);

    let mut body = ResponsesRequest {
        model: model_id.to_owned(),
        input: converted.input,
        max_output_tokens: options.max_output_tokens,
        tools: tools.tools,
        tool_choice: tools.tool_choice,
        parallel_tool_calls: openai.parallel_tool_calls,
        store: openai.store,
        metadata: openai.metadata,
        user: openai.user,
        service_tier: openai.service_tier,
        previous_response_id: openai.previous_response_id,
        include: openai.include,
        stream: stream.then_some(true),
        ..ResponsesRequest::default()
    };
    for (name, value, slot) in [
        ("temperature", options.temperature, &mut body.temperature),
        ("top_p", options.top_p, &mut body.top_p),
    ] {
        if value.is_some() && reasoning_model {
            warnings.push(
                Warning::unsupported_setting(name)
                    .with_details(format!("reasoning models do not support {name}")),
            );
        } else {
            *slot = value;
        }
    }
    let unsupported = [
        ("top_k", options.top_k.is_some()),
        ("presence_penalty", options.presence_penalty.is_some()),
        ("frequency_penalty", options.frequency_penalty.is_some()),
        ("seed", options.seed.is_some()),
        ("stop_sequences", !options.stop_sequences.is_empty()),
    ];
    for (name, set) in unsupported {
        if set {
            warnings.push(
                Warning::unsupported_setting(name)
                    .with_details("the Responses API has no such setting"),
            );
        }
    }

    body.text = match options.response_format.as_ref() {
        Some(CoreFormat::Json {
            schema: Some(schema),
            name,
            description,
        }) => Some(TextFormat::JsonSchema {
            name: name.clone().unwrap_or_else(|| String::from("response")),
            description: description.clone(),
            schema: schema.clone(),
            strict: openai.strict_json_schema,
        }),
        Some(CoreFormat::Json { schema: None, .. }) => Some(TextFormat::JsonObject),
        _ => None,
    }
    .map(|format| TextConfig { format });

    let effort = match (openai.reasoning_effort, options.reasoning) {
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
                "reasoning cannot be disabled as such; set the `reasoningEffort` option",
            ));
            None
        }
        (None, None) => None,
    };
    let summary = openai.reasoning_summary.map(|s| {
        match s {
            ReasoningSummary::Auto => "auto",
            ReasoningSummary::Concise => "concise",
            _ => "detailed",
        }
        .to_owned()
    });
    if effort.is_some() || summary.is_some() {
        body.reasoning = Some(ReasoningConfig { effort, summary });
    }
    Ok(PreparedResponsesRequest { body, warnings })
}
