//! Builds the Converse request body from [`CallOptions`].
//!
//! - `max_output_tokens`, `temperature`, `top_p` and `stop_sequences` go to `inferenceConfig`.
//! - `top_k` goes to `additionalModelRequestFields` for the families that take it (Anthropic
//!   `top_k`, Amazon Nova `inferenceConfig.topK`); elsewhere it is dropped with a warning, like
//!   the presence and frequency penalties and the seed, which Converse has no place for.
//! - A JSON response format with a schema uses native structured output
//!   (`outputConfig.textFormat`), or — when asked for with
//!   [`StructuredOutputMode::Tool`], or without a
//!   schema — a forced tool whose input the response returns as the text. A warning says which.
//! - Reasoning is mapped per model family (see [`reasoning`]).
//! - The call's [`BedrockOptions`] add guardrails, passthrough fields, `anthropic_beta`,
//!   performance config, service tier, request metadata and response field paths.
//!
//! ```
//! use serde_json::json;
//! use strata_bedrock::request::build_request;
//! use strata_core::{CallOptions, Message, Warning};
//!
//! let options = CallOptions::new(vec![Message::user_text("Hi")])
//!     .with_max_output_tokens(100)
//!     .with_top_k(40)
//!     .with_seed(7);
//! let prepared = build_request("us.anthropic.claude-sonnet-4-5-20250929-v1:0", &options, false)?;
//! assert_eq!(
//!     serde_json::to_value(&prepared.body).unwrap(),
//!     json!({
//!         "messages": [{"role": "user", "content": [{"text": "Hi"}]}],
//!         "inferenceConfig": {"maxTokens": 100},
//!         "additionalModelRequestFields": {"top_k": 40}
//!     })
//! );
//! assert_eq!(prepared.context.warnings, vec![Warning::unsupported_setting("seed")
//!     .with_details("Bedrock Converse has no seed setting")]);
//! # Ok::<(), strata_core::Error>(())
//! ```

pub mod reasoning;

use serde_json::{Map, Value, json};
use strata_core::options::ResponseFormat;
use strata_core::tool::FunctionTool;
use strata_core::{CallOptions, Error, Tool, ToolChoice, Warning};

use crate::convert_prompt::{DocumentInfo, convert_prompt};
use crate::options::{BedrockOptions, StructuredOutputMode};
use crate::prepare_tools::prepare_tools;
use crate::wire::{
    ConverseRequest, GuardrailConfiguration, InferenceConfiguration, JsonSchemaDefinition,
    OutputConfig, OutputFormat, OutputFormatStructure, OutputFormatType, PerformanceConfiguration,
    ServiceTier,
};

/// The name of the tool used for JSON output in [`StructuredOutputMode::Tool`].
pub const JSON_TOOL_NAME: &str = "json";

/// The model family, which decides where family-specific settings go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelFamily {
    /// Anthropic Claude (`anthropic.`).
    Anthropic,
    /// Amazon Nova (`amazon.nova`).
    Nova,
    /// OpenAI open-weight models (`openai.`).
    OpenAi,
    /// Anything else, including ARNs that do not name the model.
    Other,
}

impl ModelFamily {
    /// The family of a model id, inference-profile id (`us.`, `eu.`, `apac.`, `global.`) or ARN.
    pub fn of(model_id: &str) -> Self {
        let id = model_id.rsplit('/').next().unwrap_or(model_id);
        if id.contains("anthropic.") {
            Self::Anthropic
        } else if id.contains("amazon.nova") {
            Self::Nova
        } else if id.contains("openai.") {
            Self::OpenAi
        } else {
            Self::Other
        }
    }
}

/// What the response and stream converters need to know about the request.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ResponseContext {
    /// The model id, reported as the response's model.
    pub model_id: String,
    /// The forced JSON tool whose input is the text, when structured output uses a tool.
    pub json_tool: Option<String>,
    /// The documents sent, for naming citation sources.
    pub documents: Vec<crate::convert_prompt::DocumentInfo>,
    /// Whether streams add raw chunk parts.
    pub include_raw_chunks: bool,
    /// Settings that could not be honoured as asked; reported with the result (or in the
    /// stream-start part).
    pub warnings: Vec<Warning>,
}

impl ResponseContext {
    /// A context for a model, with nothing else set.
    pub fn new(model_id: impl Into<String>) -> Self {
        Self {
            model_id: model_id.into(),
            ..Self::default()
        }
    }

    /// Sets the JSON tool name.
    pub fn with_json_tool(mut self, name: impl Into<String>) -> Self {
        self.json_tool = Some(name.into());
        self
    }

    /// Sets the documents sent.
    pub fn with_documents(mut self, documents: Vec<DocumentInfo>) -> Self {
        self.documents = documents;
        self
    }
}

/// A request body ready to send, with the context to read its response (which holds the
/// warnings).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PreparedRequest {
    /// The JSON body (the model id goes in the URI).
    pub body: ConverseRequest,
    /// What the response converters need, including the warnings.
    pub context: ResponseContext,
}

/// Builds the Converse (`streaming == false`) or ConverseStream body for `model_id`.
///
/// # Errors
/// Errors from prompt conversion and tool preparation, and invalid-argument errors for
/// malformed `provider_options.bedrock`.
pub fn build_request(
    model_id: &str,
    options: &CallOptions,
    streaming: bool,
) -> Result<PreparedRequest, Error> {
    let family = ModelFamily::of(model_id);
    let bedrock = BedrockOptions::from_provider_options(&options.provider_options)?;
    let prompt = convert_prompt(&options.prompt)?;
    let mut warnings = Vec::new();
    let mut body = ConverseRequest::default();
    let mut fields = Map::new();

    let drop = |warnings: &mut Vec<Warning>, setting: &str, details: &str| {
        warnings.push(Warning::unsupported_setting(setting).with_details(details));
    };
    if options.presence_penalty.is_some() {
        drop(
            &mut warnings,
            "presence_penalty",
            "Bedrock Converse has no presence penalty setting",
        );
    }
    if options.frequency_penalty.is_some() {
        drop(
            &mut warnings,
            "frequency_penalty",
            "Bedrock Converse has no frequency penalty setting",
        );
    }
    if options.seed.is_some() {
        drop(
            &mut warnings,
            "seed",
            "Bedrock Converse has no seed setting",
        );
    }

    let mut inference = InferenceConfiguration {
        max_tokens: options.max_output_tokens,
        temperature: options.temperature.map(|t| t as f32),
        top_p: options.top_p.map(|p| p as f32),
        stop_sequences: options.stop_sequences.clone(),
    };
    let mut top_k = options.top_k;

    reasoning::apply(
        family,
        &bedrock,
        options.reasoning,
        &mut inference,
        &mut top_k,
        &mut fields,
        &mut warnings,
    );

    if let Some(k) = top_k {
        match family {
            ModelFamily::Anthropic => {
                fields.insert("top_k".into(), json!(k));
            }
            ModelFamily::Nova => {
                let config = fields.entry("inferenceConfig").or_insert_with(|| json!({}));
                if let Value::Object(config) = config {
                    config.insert("topK".into(), json!(k));
                }
            }
            _ => drop(
                &mut warnings,
                "top_k",
                "top-k is only sent for Anthropic and Amazon Nova models; set it through additional_model_request_fields for others",
            ),
        }
    }

    let mut tools: Vec<Tool> = options.tools.clone();
    let mut tool_choice = options.tool_choice.clone();
    let mut json_tool = None;
    if let Some(ResponseFormat::Json {
        schema,
        name,
        description,
    }) = &options.response_format
    {
        let mode = bedrock.structured_output.unwrap_or_default();
        match (schema, mode) {
            (Some(schema), StructuredOutputMode::Native) => {
                let mut output = body.output_config.take().unwrap_or_default();
                output.text_format = Some(OutputFormat {
                    r#type: OutputFormatType::JsonSchema,
                    structure: OutputFormatStructure::JsonSchema(JsonSchemaDefinition {
                        schema: schema.to_string(),
                        name: name.clone(),
                        description: description.clone(),
                    }),
                });
                body.output_config = Some(output);
                warnings.push(Warning::compatibility("response_format").with_details(
                    "JSON output uses Bedrock's native structured output (outputConfig.textFormat)",
                ));
            }
            _ => {
                if tools.iter().any(|t| t.name() == JSON_TOOL_NAME) {
                    return Err(Error::invalid_argument(
                        "tools",
                        format!(
                            "a tool named `{JSON_TOOL_NAME}` clashes with the JSON response format tool"
                        ),
                    ));
                }
                let schema = schema.clone().unwrap_or_else(|| json!({"type": "object"}));
                let description = description
                    .clone()
                    .unwrap_or_else(|| "Respond with a JSON object.".into());
                tools.push(
                    FunctionTool::new(JSON_TOOL_NAME, schema)
                        .with_description(description)
                        .into(),
                );
                tool_choice = Some(if options.tools.is_empty() {
                    ToolChoice::tool(JSON_TOOL_NAME)
                } else {
                    ToolChoice::Required
                });
                json_tool = Some(JSON_TOOL_NAME.to_owned());
                warnings.push(Warning::compatibility("response_format").with_details(format!(
                    "JSON output uses a forced tool `{JSON_TOOL_NAME}` whose input is returned as the text"
                )));
            }
        }
    }

    let prepared_tools = prepare_tools(&tools, tool_choice.as_ref())?;
    warnings.extend(prepared_tools.warnings);
    body.tool_config = prepared_tools.tool_config;

    if let Some(guardrail) = &bedrock.guardrail {
        let mut config = GuardrailConfiguration {
            guardrail_identifier: Some(guardrail.identifier.clone()),
            guardrail_version: Some(guardrail.version.clone()),
            trace: guardrail.trace.clone(),
            stream_processing_mode: None,
        };
        if streaming {
            config.stream_processing_mode = guardrail.stream_processing_mode.clone();
        } else if guardrail.stream_processing_mode.is_some() {
            drop(
                &mut warnings,
                "guardrail.stream_processing_mode",
                "only applies to streaming calls",
            );
        }
        body.guardrail_config = Some(config);
    }

    if !bedrock.anthropic_beta.is_empty() {
        let betas = fields.entry("anthropic_beta").or_insert_with(|| json!([]));
        if let Value::Array(betas) = betas {
            for beta in &bedrock.anthropic_beta {
                if !betas.iter().any(|b| b.as_str() == Some(beta)) {
                    betas.push(json!(beta));
                }
            }
        }
    }
    if let Some(extra) = &bedrock.additional_model_request_fields {
        for (key, value) in extra {
            fields.insert(key.clone(), value.clone());
        }
    }

    body.system = prompt.system;
    body.messages = prompt.messages;
    body.inference_config = (!inference.is_empty()).then_some(inference);
    body.additional_model_request_fields = (!fields.is_empty()).then_some(fields);
    body.additional_model_response_field_paths =
        bedrock.additional_model_response_field_paths.clone();
    body.request_metadata = bedrock.request_metadata.clone();
    body.performance_config =
        bedrock
            .performance_latency
            .clone()
            .map(|latency| PerformanceConfiguration {
                latency: Some(latency),
            });
    body.service_tier = bedrock
        .service_tier
        .clone()
        .map(|r#type| ServiceTier { r#type });
    if body.output_config == Some(OutputConfig::default()) {
        body.output_config = None;
    }

    let mut context = ResponseContext::new(model_id).with_documents(prompt.documents);
    context.json_tool = json_tool;
    context.include_raw_chunks = options.include_raw_chunks;
    context.warnings = warnings;
    Ok(PreparedRequest { body, context })
}

#[cfg(test)]
mod tests;
