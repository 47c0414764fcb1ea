//! Tools and tool choice → Chat Completions `tools` and `tool_choice`.
//!
//! Function tools become `{"type": "function", "function": {…}}`; provider-defined tools are
//! not sent and get a warning. A tool choice naming a tool that is not offered is an
//! invalid-argument error; without tools, no `tool_choice` is sent.
//!
//! ```
//! use serde_json::json;
//! use strata_core::tool::{FunctionTool, ToolChoice};
//! use strata_openai::chat::tools::prepare_tools;
//!
//! let tools = vec![FunctionTool::new("weather", json!({"type": "object"})).with_strict(true).into()];
//! let prepared = prepare_tools(&tools, Some(&ToolChoice::tool("weather")))?;
//! assert_eq!(serde_json::to_value(&prepared.tools).unwrap(), json!([
//!     {"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}, "strict": true}}
//! ]));
//! assert_eq!(serde_json::to_value(&prepared.tool_choice).unwrap(),
//!     json!({"type": "function", "function": {"name": "weather"}}));
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::tool::{Tool, ToolChoice};
use strata_core::{Error, Warning};

use super::wire::{
    ChatTool, ChatToolChoice, FunctionDefinition, FunctionName, NamedToolChoice, ToolChoiceMode,
};

/// The prepared `tools` and `tool_choice`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PreparedTools {
    /// `tools`, `None` when there are none to send.
    pub tools: Option<Vec<ChatTool>>,
    /// `tool_choice`.
    pub tool_choice: Option<ChatToolChoice>,
    /// Tools that were not sent.
    pub warnings: Vec<Warning>,
}

/// Prepares the call's tools.
pub fn prepare_tools(tools: &[Tool], choice: Option<&ToolChoice>) -> Result<PreparedTools, Error> {
    let mut prepared = PreparedTools::default();
    let mut functions = Vec::new();
    for tool in tools {
        match tool {
            Tool::Function(function) => functions.push(ChatTool {
                kind: String::from("function"),
                function: FunctionDefinition {
                    name: function.name.clone(),
                    description: function.description.clone(),
                    parameters: function.input_schema.clone(),
                    strict: function.strict,
                },
            }),
            other => prepared.warnings.push(
                Warning::unsupported_tool(other.name())
                    .with_details("provider-defined tools are not available in Chat Completions"),
            ),
        }
    }
    if functions.is_empty() {
        return Ok(prepared);
    }
    prepared.tool_choice = match choice {
        None => None,
        Some(ToolChoice::Auto) => Some(ChatToolChoice::Mode(ToolChoiceMode::Auto)),
        Some(ToolChoice::None) => Some(ChatToolChoice::Mode(ToolChoiceMode::None)),
        Some(ToolChoice::Required) => Some(ChatToolChoice::Mode(ToolChoiceMode::Required)),
        Some(ToolChoice::Tool { name }) => {
            if !functions.iter().any(|t| &t.function.name == name) {
                return Err(Error::invalid_argument(
                    "tool_choice",
                    format!("tool `{name}` is not among the call's function tools"),
                ));
            }
            Some(ChatToolChoice::Named(NamedToolChoice {
                kind: String::from("function"),
                function: FunctionName { name: name.clone() },
            }))
        }
        Some(_) => return Err(Error::unsupported("this tool choice")),
    };
    prepared.tools = Some(functions);
    Ok(prepared)
}
