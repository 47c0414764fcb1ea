//! Converts tools and the tool choice into a Converse `toolConfig`.
//!
//! - Function tools become `toolSpec`s with their JSON schema; a `cache_point` in a tool's
//!   `provider_options["bedrock"]` adds a cache point after its definition. The
//!   provider-defined tool `bedrock.cache_point` (optional `ttl` argument) does the same.
//! - Other provider-defined tools are not sent; each gets a warning.
//! - Tool choice: auto → `auto`, required → `any`, a named tool → `tool`, none → no tools at
//!   all (`toolConfig` omitted).
//!
//! ```
//! use serde_json::json;
//! use strata_bedrock::prepare_tools::prepare_tools;
//! use strata_core::ToolChoice;
//! use strata_core::tool::FunctionTool;
//!
//! let tools = vec![FunctionTool::new("weather", json!({"type": "object"})).into()];
//! let prepared = prepare_tools(&tools, Some(&ToolChoice::Required))?;
//! assert_eq!(
//!     serde_json::to_value(prepared.tool_config.unwrap()).unwrap(),
//!     json!({"tools": [{"toolSpec": {"name": "weather", "inputSchema": {"json": {"type": "object"}}}}],
//!            "toolChoice": {"any": {}}})
//! );
//! # Ok::<(), strata_core::Error>(())
//! ```

use strata_core::tool::ProviderDefinedTool;
use strata_core::{Error, Tool, ToolChoice, Warning};

use crate::options::PartOptions;
use crate::wire::{
    self, CachePointBlock, CacheTtl, EmptyStruct, SpecificToolChoice, ToolConfiguration,
    ToolInputSchema, ToolSpecification,
};

/// The id of the provider-defined tool that marks a cache point in the tool list.
pub const CACHE_POINT_TOOL: &str = "bedrock.cache_point";

/// The result of [`prepare_tools`].
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PreparedTools {
    /// The `toolConfig`, or `None` when no tool is sent.
    pub tool_config: Option<ToolConfiguration>,
    /// Tools that were not sent.
    pub warnings: Vec<Warning>,
}

/// Whether `name` is a valid Bedrock tool name (`[a-zA-Z0-9_-]{1,64}`).
pub fn is_valid_tool_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Prepares the tools of a call.
///
/// # Errors
/// Invalid-argument errors for a tool name Bedrock rejects (`tools[i].name`), malformed tool
/// options, or a tool choice naming a tool that is not sent (`tool_choice`).
pub fn prepare_tools(tools: &[Tool], choice: Option<&ToolChoice>) -> Result<PreparedTools, Error> {
    let mut prepared = PreparedTools::default();
    if tools.is_empty() || matches!(choice, Some(ToolChoice::None)) {
        return Ok(prepared);
    }
    let mut wire_tools = Vec::with_capacity(tools.len());
    let mut names = Vec::with_capacity(tools.len());
    for (i, tool) in tools.iter().enumerate() {
        match tool {
            Tool::Function(function) => {
                if !is_valid_tool_name(&function.name) {
                    return Err(Error::invalid_argument(
                        format!("tools[{i}].name"),
                        format!(
                            "`{}` is not a valid Bedrock tool name ([a-zA-Z0-9_-]{{1,64}})",
                            function.name
                        ),
                    ));
                }
                let options = PartOptions::from_provider_options(&function.provider_options)
                    .map_err(|e| {
                        Error::invalid_argument(
                            format!("tools[{i}].provider_options.bedrock"),
                            e.to_string(),
                        )
                        .with_source(e)
                    })?;
                wire_tools.push(wire::Tool::ToolSpec(ToolSpecification {
                    name: function.name.clone(),
                    description: function.description.clone().filter(|d| !d.is_empty()),
                    input_schema: ToolInputSchema::Json(function.input_schema.clone()),
                    strict: function.strict,
                }));
                names.push(function.name.as_str());
                if let Some(cache) = options.cache_point {
                    wire_tools.push(wire::Tool::CachePoint(CachePointBlock::new(cache.ttl)));
                }
            }
            Tool::ProviderDefined(tool) if tool.id == CACHE_POINT_TOOL => {
                wire_tools.push(wire::Tool::CachePoint(CachePointBlock::new(cache_ttl_arg(
                    tool, i,
                )?)));
            }
            other => prepared
                .warnings
                .push(Warning::unsupported_tool(other.name()).with_details(
                    "Bedrock Converse supports function tools only; the tool was not sent",
                )),
        }
    }
    if names.is_empty() {
        return Ok(prepared);
    }
    let tool_choice = match choice {
        None | Some(ToolChoice::Auto) => Some(wire::ToolChoice::Auto(EmptyStruct {})),
        Some(ToolChoice::Required) => Some(wire::ToolChoice::Any(EmptyStruct {})),
        Some(ToolChoice::Tool { name }) => {
            if !names.contains(&name.as_str()) {
                return Err(Error::invalid_argument(
                    "tool_choice",
                    format!("the tool `{name}` is not among the function tools sent"),
                ));
            }
            Some(wire::ToolChoice::Tool(SpecificToolChoice {
                name: name.clone(),
            }))
        }
        Some(_) => Some(wire::ToolChoice::Auto(EmptyStruct {})),
    };
    prepared.tool_config = Some(ToolConfiguration {
        tools: wire_tools,
        tool_choice,
    });
    Ok(prepared)
}

fn cache_ttl_arg(tool: &ProviderDefinedTool, i: usize) -> Result<Option<CacheTtl>, Error> {
    match tool.args.get("ttl") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(ttl)) if ttl == "5m" => Ok(Some(CacheTtl::FiveMinutes)),
        Some(serde_json::Value::String(ttl)) if ttl == "1h" => Ok(Some(CacheTtl::OneHour)),
        Some(other) => Err(Error::invalid_argument(
            format!("tools[{i}].args.ttl"),
            format!("expected \"5m\" or \"1h\", got `{other}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use strata_core::tool::FunctionTool;

    use super::*;

    fn weather() -> Tool {
        FunctionTool::new("weather", json!({"type": "object"}))
            .with_description("Weather")
            .into()
    }

    #[test]
    fn choices() {
        let tools = vec![weather()];
        let choice_json = |choice: Option<&ToolChoice>| {
            prepare_tools(&tools, choice)
                .unwrap()
                .tool_config
                .map(|c| serde_json::to_value(c.tool_choice).unwrap())
        };
        assert_eq!(choice_json(None), Some(json!({"auto": {}})));
        assert_eq!(
            choice_json(Some(&ToolChoice::Auto)),
            Some(json!({"auto": {}}))
        );
        assert_eq!(
            choice_json(Some(&ToolChoice::Required)),
            Some(json!({"any": {}}))
        );
        assert_eq!(
            choice_json(Some(&ToolChoice::tool("weather"))),
            Some(json!({"tool": {"name": "weather"}}))
        );
        assert_eq!(choice_json(Some(&ToolChoice::None)), None);
        let err = prepare_tools(&tools, Some(&ToolChoice::tool("nope"))).unwrap_err();
        assert_eq!(err.argument(), Some("tool_choice"));
        assert_eq!(
            prepare_tools(&[], Some(&ToolChoice::Required)).unwrap(),
            PreparedTools::default()
        );
    }

    #[test]
    fn cache_points_and_unsupported_tools() {
        let cached = FunctionTool::new("search", json!({"type": "object"}))
            .with_strict(true)
            .with_provider_options(PartOptions::cache_point(None).to_provider_options());
        let tools = vec![
            weather(),
            cached.into(),
            ProviderDefinedTool::new("anthropic.web_search", "web_search").into(),
            ProviderDefinedTool::new(CACHE_POINT_TOOL, "cache")
                .with_arg("ttl", "1h")
                .into(),
        ];
        let prepared = prepare_tools(&tools, None).unwrap();
        assert_eq!(
            serde_json::to_value(prepared.tool_config.unwrap()).unwrap(),
            json!({"tools": [
                {"toolSpec": {"name": "weather", "description": "Weather", "inputSchema": {"json": {"type": "object"}}}},
                {"toolSpec": {"name": "search", "inputSchema": {"json": {"type": "object"}}, "strict": true}},
                {"cachePoint": {"type": "default"}},
                {"cachePoint": {"type": "default", "ttl": "1h"}}
            ], "toolChoice": {"auto": {}}})
        );
        assert_eq!(
            prepared.warnings,
            vec![Warning::unsupported_tool("web_search").with_details(
                "Bedrock Converse supports function tools only; the tool was not sent"
            )]
        );
        // Only unsupported tools: nothing is sent.
        let only = prepare_tools(&[ProviderDefinedTool::new("x.y", "y").into()], None).unwrap();
        assert_eq!(only.tool_config, None);
        assert_eq!(only.warnings.len(), 1);
    }

    #[test]
    fn invalid_names_and_args() {
        let err =
            prepare_tools(&[FunctionTool::new("get weather", json!({})).into()], None).unwrap_err();
        assert_eq!(err.argument(), Some("tools[0].name"));
        let bad_ttl = ProviderDefinedTool::new(CACHE_POINT_TOOL, "c").with_arg("ttl", "2d");
        let err = prepare_tools(&[weather(), bad_ttl.into()], None).unwrap_err();
        assert_eq!(err.argument(), Some("tools[1].args.ttl"));
        assert!(is_valid_tool_name("a-b_C9"));
        assert!(!is_valid_tool_name(&"a".repeat(65)));
    }
}
