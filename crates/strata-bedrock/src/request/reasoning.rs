//! Reasoning settings, mapped per model family.
//!
//! The explicit [`ReasoningConfig`] in the Bedrock options wins over
//! `CallOptions::reasoning`.
//!
//! - **Anthropic**: `thinking: {type: "enabled", budget_tokens}` in
//!   `additionalModelRequestFields`. The budget is at least 1,024 tokens; `maxTokens` becomes
//!   the requested maximum (4,096 when unset) plus the budget; temperature, top-p and top-k are
//!   removed with warnings, since Anthropic rejects them while thinking. A generic effort maps
//!   to a budget: minimal 1,024, low 4,096, medium 10,240, high 32,768.
//! - **Amazon Nova**: `reasoningConfig: {type: "enabled", maxReasoningEffort}`; a budget maps
//!   to an effort (≤ 4,096 low, ≤ 16,384 medium, else high) with a warning. With `high` effort,
//!   temperature, top-p and max tokens are removed with warnings.
//! - **OpenAI open-weight models**: `reasoning_effort` (`low`, `medium`, `high`).
//! - Other families: a warning; set the model's own fields through
//!   `additional_model_request_fields`.
//!
//! ```
//! use serde_json::json;
//! use strata_bedrock::request::build_request;
//! use strata_core::options::Reasoning;
//! use strata_core::{CallOptions, Message};
//!
//! let options = CallOptions::new(vec![Message::user_text("Why?")])
//!     .with_max_output_tokens(1000)
//!     .with_reasoning(Reasoning::BudgetTokens(2000));
//! let body = build_request("anthropic.claude-3-7-sonnet-20250219-v1:0", &options, false)?.body;
//! assert_eq!(body.inference_config.unwrap().max_tokens, Some(3000));
//! assert_eq!(
//!     body.additional_model_request_fields.unwrap()["thinking"],
//!     json!({"type": "enabled", "budget_tokens": 2000})
//! );
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde_json::{Map, Value, json};
use strata_core::Warning;
use strata_core::options::{Reasoning, ReasoningEffort};

use super::ModelFamily;
use crate::options::{BedrockOptions, ReasoningConfig, ReasoningType};
use crate::wire::InferenceConfiguration;

/// The smallest thinking budget Anthropic accepts.
pub const MIN_THINKING_BUDGET: u32 = 1024;

/// `maxTokens` assumed when thinking is on and no maximum was given.
pub const DEFAULT_MAX_TOKENS: u32 = 4096;

/// The Anthropic thinking budget for a generic effort level.
pub fn effort_budget(effort: ReasoningEffort) -> u32 {
    match effort {
        ReasoningEffort::Minimal => 1024,
        ReasoningEffort::Low => 4096,
        ReasoningEffort::Medium => 10240,
        _ => 32768,
    }
}

fn effort_name(effort: ReasoningEffort) -> &'static str {
    match effort {
        ReasoningEffort::Minimal | ReasoningEffort::Low => "low",
        ReasoningEffort::Medium => "medium",
        _ => "high",
    }
}

fn budget_effort(budget: u32) -> &'static str {
    match budget {
        0..=4096 => "low",
        4097..=16384 => "medium",
        _ => "high",
    }
}

/// The resolved request: off, a budget, or an effort name.
enum Want {
    Off,
    Budget(u32),
    Effort(String),
}

fn resolve(bedrock: &BedrockOptions, generic: Option<Reasoning>) -> Option<Want> {
    if let Some(ReasoningConfig {
        r#type,
        budget_tokens,
        max_reasoning_effort,
        ..
    }) = &bedrock.reasoning_config
    {
        return Some(match (r#type, budget_tokens, max_reasoning_effort) {
            (ReasoningType::Disabled, _, _) => Want::Off,
            (_, Some(budget), _) => Want::Budget(*budget),
            (_, None, Some(effort)) => Want::Effort(effort.clone()),
            (_, None, None) => Want::Budget(MIN_THINKING_BUDGET),
        });
    }
    Some(match generic? {
        Reasoning::Disabled => Want::Off,
        Reasoning::BudgetTokens(budget) => Want::Budget(budget),
        Reasoning::Effort(effort) => Want::Effort(effort_name(effort).to_owned()),
        _ => return None,
    })
}

fn removed(warnings: &mut Vec<Warning>, setting: &str, why: &str) {
    warnings.push(Warning::unsupported_setting(setting).with_details(why.to_owned()));
}

/// Applies the reasoning settings to the request being built.
pub(crate) fn apply(
    family: ModelFamily,
    bedrock: &BedrockOptions,
    generic: Option<Reasoning>,
    inference: &mut InferenceConfiguration,
    top_k: &mut Option<u32>,
    fields: &mut Map<String, Value>,
    warnings: &mut Vec<Warning>,
) {
    let Some(want) = resolve(bedrock, generic) else {
        return;
    };
    match family {
        ModelFamily::Anthropic => {
            let budget = match want {
                Want::Off => return,
                Want::Budget(b) => b,
                Want::Effort(e) => match e.as_str() {
                    "low" => effort_budget(ReasoningEffort::Low),
                    "medium" => effort_budget(ReasoningEffort::Medium),
                    _ => effort_budget(ReasoningEffort::High),
                },
            };
            let budget = if budget < MIN_THINKING_BUDGET {
                warnings.push(
                    Warning::unsupported_setting("reasoning").with_details(format!(
                        "the thinking budget was raised from {budget} to the minimum of 1024"
                    )),
                );
                MIN_THINKING_BUDGET
            } else {
                budget
            };
            fields.insert(
                "thinking".into(),
                json!({"type": "enabled", "budget_tokens": budget}),
            );
            inference.max_tokens = Some(
                inference
                    .max_tokens
                    .unwrap_or(DEFAULT_MAX_TOKENS)
                    .saturating_add(budget),
            );
            let why = "not supported while Anthropic thinking is enabled";
            if inference.temperature.take().is_some() {
                removed(warnings, "temperature", why);
            }
            if inference.top_p.take().is_some() {
                removed(warnings, "top_p", why);
            }
            if top_k.take().is_some() {
                removed(warnings, "top_k", why);
            }
        }
        ModelFamily::Nova => {
            let effort = match want {
                Want::Off => {
                    fields.insert("reasoningConfig".into(), json!({"type": "disabled"}));
                    return;
                }
                Want::Effort(e) => e,
                Want::Budget(b) => {
                    let effort = budget_effort(b);
                    warnings.push(Warning::compatibility("reasoning").with_details(format!(
                        "Amazon Nova takes an effort level, not a budget; {b} tokens was sent as `{effort}`"
                    )));
                    effort.to_owned()
                }
            };
            if effort == "high" {
                let why = "not supported with Amazon Nova `high` reasoning effort";
                if inference.temperature.take().is_some() {
                    removed(warnings, "temperature", why);
                }
                if inference.top_p.take().is_some() {
                    removed(warnings, "top_p", why);
                }
                if inference.max_tokens.take().is_some() {
                    removed(warnings, "max_output_tokens", why);
                }
            }
            fields.insert(
                "reasoningConfig".into(),
                json!({"type": "enabled", "maxReasoningEffort": effort}),
            );
        }
        ModelFamily::OpenAi => match want {
            Want::Off => {}
            Want::Effort(e) => {
                fields.insert("reasoning_effort".into(), json!(e));
            }
            Want::Budget(b) => {
                let effort = budget_effort(b);
                warnings.push(Warning::compatibility("reasoning").with_details(format!(
                    "this model takes an effort level, not a budget; {b} tokens was sent as `{effort}`"
                )));
                fields.insert("reasoning_effort".into(), json!(effort));
            }
        },
        _ => {
            if !matches!(want, Want::Off) {
                warnings.push(Warning::unsupported_setting("reasoning").with_details(
                    "no reasoning mapping is known for this model; use additional_model_request_fields",
                ));
            }
        }
    }
}
