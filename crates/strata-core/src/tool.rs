//! Tools the model may call, and how it must choose among them.
//!
//! ```
//! use serde_json::json;
//! use strata_core::tool::{FunctionTool, ProviderDefinedTool, Tool, ToolChoice};
//!
//! let weather = FunctionTool::new("weather", json!({
//!     "type": "object",
//!     "properties": {"city": {"type": "string"}},
//!     "required": ["city"]
//! }))
//! .with_description("Current weather for a city")
//! .with_strict(true);
//! let tools: Vec<Tool> = vec![
//!     weather.into(),
//!     ProviderDefinedTool::new("openai.web_search", "web_search").into(),
//! ];
//! assert_eq!(tools[0].name(), "weather");
//! assert_eq!(ToolChoice::tool("weather"), ToolChoice::Tool { name: "weather".into() });
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ProviderOptions;

/// A tool offered to the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Tool {
    /// A function the caller runs; the model supplies JSON input matching a schema.
    Function(FunctionTool),
    /// A tool the provider defines (and often runs), e.g. web search or code execution.
    ProviderDefined(ProviderDefinedTool),
}

impl Tool {
    /// The name the model uses to call the tool.
    pub fn name(&self) -> &str {
        match self {
            Tool::Function(tool) => &tool.name,
            Tool::ProviderDefined(tool) => &tool.name,
        }
    }
}

impl From<FunctionTool> for Tool {
    fn from(tool: FunctionTool) -> Self {
        Tool::Function(tool)
    }
}

impl From<ProviderDefinedTool> for Tool {
    fn from(tool: ProviderDefinedTool) -> Self {
        Tool::ProviderDefined(tool)
    }
}

/// A function tool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionTool {
    /// The tool's name, unique among the call's tools.
    pub name: String,
    /// What the tool does, for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON schema of the tool's input.
    pub input_schema: Value,
    /// Ask the provider to enforce the schema strictly, where supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    /// Provider-specific options.
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl FunctionTool {
    /// A function tool with a name and an input schema.
    pub fn new(name: impl Into<String>, input_schema: Value) -> Self {
        Self {
            name: name.into(),
            description: None,
            input_schema,
            strict: None,
            provider_options: ProviderOptions::default(),
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the strict flag.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

/// A provider-defined tool, identified as `"<provider>.<tool>"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProviderDefinedTool {
    /// The tool's id, `"<provider>.<tool>"`, e.g. `"bedrock.cache_point"`.
    pub id: String,
    /// The name the model uses for it.
    pub name: String,
    /// The tool's arguments, as the provider defines them.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub args: Map<String, Value>,
}

impl ProviderDefinedTool {
    /// A provider-defined tool without arguments.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            args: Map::new(),
        }
    }

    /// Sets one argument.
    pub fn with_arg(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.args.insert(key.into(), value.into());
        self
    }

    /// The provider part of the id (before the first `.`).
    pub fn provider(&self) -> &str {
        self.id
            .split_once('.')
            .map_or(self.id.as_str(), |(provider, _)| provider)
    }
}

/// How the model must use the tools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ToolChoice {
    /// The model decides (the default).
    #[default]
    Auto,
    /// The model must not call tools.
    None,
    /// The model must call at least one tool.
    Required,
    /// The model must call this tool.
    Tool {
        /// The tool's name.
        name: String,
    },
}

impl ToolChoice {
    /// The model must call the named tool.
    pub fn tool(name: impl Into<String>) -> Self {
        ToolChoice::Tool { name: name.into() }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_shape() {
        let tool: Tool = ProviderDefinedTool::new("bedrock.web", "web")
            .with_arg("k", 1)
            .into();
        assert_eq!(
            serde_json::to_value(&tool).unwrap(),
            json!({"type": "provider-defined", "id": "bedrock.web", "name": "web", "args": {"k": 1}})
        );
        assert_eq!(
            serde_json::to_value(ToolChoice::tool("x")).unwrap(),
            json!({"type": "tool", "name": "x"})
        );
        assert_eq!(
            serde_json::to_value(ToolChoice::Required).unwrap(),
            json!({"type": "required"})
        );
        let Tool::ProviderDefined(tool) = tool else {
            unreachable!()
        };
        assert_eq!(tool.provider(), "bedrock");
    }
}
