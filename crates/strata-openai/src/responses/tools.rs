//! Tools and tool choice → Responses API `tools` and `tool_choice`.
//!
//! Function tools become `{"type": "function", "name", "description", "parameters",
//! "strict"}`. Provider-defined tools with an `openai.` id are OpenAI's built-in tools and are
//! sent as `{"type": <name after the dot>, …args}` (e.g. `openai.web_search` with
//! `search_context_size`); other providers' tools get a warning. A tool choice naming a tool
//! that is not offered is an invalid-argument error.
//!
//! ```
//! use serde_json::json;
//! use strata_core::tool::{FunctionTool, ProviderDefinedTool, ToolChoice};
//! use strata_openai::responses::tools::prepare_tools;
//!
//! let tools = vec![
//!     FunctionTool::new("weather", json!({"type": "object"})).into(),
//!     ProviderDefinedTool::new("openai.web_search", "web_search").with_arg("search_context_size", "low").into(),
//! ];
//! let prepared = prepare_tools(&tools, Some(&ToolChoice::Auto))?;
//! assert_eq!(serde_json::to_value(&prepared.tools).unwrap(), json!([
//!     {"type": "function", "name": "weather", "parameters": {"type": "object"}},
//!     {"type": "web_search", "search_context_size": "low"}
//! ]));
//! assert_eq!(prepared.tool_choice, Some(json!("auto")));
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde_json::{Map, Value, json};
use strata_core::tool::{Tool, ToolChoice};
use strata_core::{Error, Warning};

/// The prepared `tools` and `tool_choice`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PreparedTools {
    /// `tools`, `None` when there are none to send.
    pub tools: Option<Vec<Value>>,
    /// `tool_choice`.
    pub tool_choice: Option<Value>,
    /// Tools that were not sent.
    pub warnings: Vec<Warning>,
}

/// Prepares the call's tools.
pub fn prepare_tools(tools: &[Tool], choice: Option<&ToolChoice>) -> Result<PreparedTools, Error> {
    let mut prepared = PreparedTools::default();
    let mut out = Vec::new();
    let mut names = Vec::new();
    for tool in tools {
        match tool {
            Tool::Function(function) => {
                let mut object = Map::new();
                object.insert("type".into(), json!("function"));
                object.insert("name".into(), json!(function.name));
                if let Some(description) = &function.description {
                    object.insert("description".into(), json!(description));
                }
                object.insert("parameters".into(), function.input_schema.clone());
                if let Some(strict) = function.strict {
                    object.insert("strict".into(), json!(strict));
                }
                out.push(Value::Object(object));
                names.push(function.name.as_str());
            }
            Tool::ProviderDefined(tool) if tool.provider() == "openai" => {
                let kind = tool.id.split_once('.').map_or("", |(_, kind)| kind);
                let mut object = Map::new();
                object.insert("type".into(), json!(kind));
                object.extend(tool.args.clone());
                out.push(Value::Object(object));
                names.push(tool.name.as_str());
            }
            other => prepared.warnings.push(
                Warning::unsupported_tool(other.name())
                    .with_details("only function tools and `openai.*` built-in tools are sent"),
            ),
        }
    }
    if out.is_empty() {
        return Ok(prepared);
    }
    prepared.tool_choice = match choice {
        None => None,
        Some(ToolChoice::Auto) => Some(json!("auto")),
        Some(ToolChoice::None) => Some(json!("none")),
        Some(ToolChoice::Required) => Some(json!("required")),
        Some(ToolChoice::Tool { name }) => {
            if !names.contains(&name.as_str()) {
                return Err(Error::invalid_argument(
                    "tool_choice",
                    format!("tool `{name}` is not among the call's tools"),
                ));
            }
            let builtin = tools.iter().find_map(|t| match t {
                Tool::ProviderDefined(p) if &p.name == name => p.id.split_once('.').map(|(_, k)| k),
                _ => None,
            });
            Some(match builtin {
                Some(kind) => json!({"type": kind}),
                None => json!({"type": "function", "name": name}),
            })
        }
        Some(_) => return Err(Error::unsupported("this tool choice")),
    };
    prepared.tools = Some(out);
    Ok(prepared)
}
