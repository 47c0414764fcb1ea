//! Tool selection and JSON-schema value generation.
//!
//! **Which tool.** With `toolChoice.tool` the named tool; with `toolChoice.any` the first tool
//! whose name the last user message mentions, else the first tool; with `auto` (the default) the
//! first tool whose name the last user message mentions (case-insensitive, `_`/`-` may be
//! written as spaces), else no tool. A last user message carrying `toolResult` blocks is always
//! answered with text.
//!
//! **Which input.** [`generate`] builds a value satisfying the schema: `const`, then `default`,
//! then the first `enum` value or `examples` entry; otherwise by `type` — objects get their
//! `required` properties (recursively), strings a value by `format` (`date`, `date-time`,
//! `email`, `uri`, `uuid`) or the property name, padded/cut to `minLength`/`maxLength`; integers
//! and numbers `minimum` (or `exclusiveMinimum` + 1), else 0 capped by `maximum`; booleans
//! `true`; arrays `max(minItems, 1)` items (at most `maxItems`); `null` null. `anyOf`/`oneOf`
//! take the first branch, `allOf` merges its objects, and local `$ref`s (`#/$defs/…`,
//! `#/definitions/…`) are followed up to a depth of 16.
//!
//! ```
//! use strata_emulator::models::chat::tools;
//! use serde_json::json;
//!
//! let schema = json!({"type": "object", "required": ["city", "days"], "properties": {
//!     "city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}}});
//! assert_eq!(tools::generate(&schema), json!({"city": "city", "days": 1}));
//! ```

use serde_json::{Map, Value, json};

use super::request::{ToolChoice, ToolSpec};

const MAX_DEPTH: usize = 16;

/// The tool to call for `user_text`, if any (see the module docs).
pub(crate) fn select<'a>(
    tools: &'a [ToolSpec],
    choice: &ToolChoice,
    user_text: &str,
) -> Option<&'a ToolSpec> {
    let mentioned = || tools.iter().find(|t| mentions(user_text, &t.name));
    match choice {
        ToolChoice::None => None,
        ToolChoice::Tool(name) => tools.iter().find(|t| &t.name == name),
        ToolChoice::Any => mentioned().or_else(|| tools.first()),
        ToolChoice::Auto => mentioned(),
    }
}

fn mentions(text: &str, name: &str) -> bool {
    let text = text.to_lowercase();
    let name = name.to_lowercase();
    text.contains(&name) || text.contains(&name.replace(['_', '-'], " "))
}

/// A value satisfying `schema` (see the module docs for the rule).
pub fn generate(schema: &Value) -> Value {
    Generator { root: schema }.value(schema, "value", 0)
}

struct Generator<'a> {
    root: &'a Value,
}

impl Generator<'_> {
    fn value(&self, schema: &Value, name: &str, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let Some(obj) = schema.as_object() else {
            return Value::Null;
        };
        if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
            return match self.resolve(target) {
                Some(resolved) => self.value(resolved, name, depth + 1),
                None => Value::Null,
            };
        }
        for key in ["const", "default"] {
            if let Some(v) = obj.get(key) {
                return v.clone();
            }
        }
        for key in ["enum", "examples"] {
            if let Some(v) = obj
                .get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                return v.clone();
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(first) = obj
                .get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                return self.value(first, name, depth + 1);
            }
        }
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in all {
                match self.value(part, name, depth + 1) {
                    Value::Object(map) => merged.extend(map),
                    other if all.len() == 1 => return other,
                    _ => {}
                }
            }
            return Value::Object(merged);
        }
        match schema_type(obj) {
            "object" => self.object(obj, depth),
            "array" => self.array(obj, name, depth),
            "string" => string(obj, name),
            "integer" => number(obj, true),
            "number" => number(obj, false),
            "boolean" => Value::Bool(true),
            _ => Value::Null,
        }
    }

    fn object(&self, obj: &Map<String, Value>, depth: usize) -> Value {
        let properties = obj.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        for required in obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(key) = required.as_str() else {
                continue;
            };
            let schema = properties.and_then(|p| p.get(key)).unwrap_or(&Value::Null);
            let value = if schema.is_null() {
                Value::String(key.to_owned())
            } else {
                self.value(schema, key, depth + 1)
            };
            out.insert(key.to_owned(), value);
        }
        Value::Object(out)
    }

    fn array(&self, obj: &Map<String, Value>, name: &str, depth: usize) -> Value {
        let min = obj
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .max(1);
        let max = obj
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let count = min.min(max).min(64);
        let items = obj.get("items").unwrap_or(&Value::Null);
        Value::Array(
            (0..count)
                .map(|_| self.value(items, name, depth + 1))
                .collect(),
        )
    }

    fn resolve(&self, target: &str) -> Option<&Value> {
        let path = target.strip_prefix('#')?;
        if path.is_empty() {
            return Some(self.root);
        }
        self.root.pointer(path)
    }
}

fn schema_type(obj: &Map<String, Value>) -> &str {
    match obj.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or_else(|| types.first().and_then(Value::as_str))
            .unwrap_or("null"),
        _ if obj.contains_key("properties") || obj.contains_key("required") => "object",
        _ if obj.contains_key("items") => "array",
        _ => "null",
    }
}

fn string(obj: &Map<String, Value>, name: &str) -> Value {
    let mut s = match obj.get("format").and_then(Value::as_str) {
        Some("date") => "2024-01-01".to_owned(),
        Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
        Some("time") => "00:00:00Z".to_owned(),
        Some("email") => "user@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/".to_owned(),
        Some("uuid") => "00000000-0000-4000-8000-000000000000".to_owned(),
        _ => name.to_owned(),
    };
    let len = s.chars().count() as u64;
    if let Some(min) = obj.get("minLength").and_then(Value::as_u64)
        && len < min
    {
        s.extend(std::iter::repeat_n('x', (min - len) as usize));
    }
    if let Some(max) = obj.get("maxLength").and_then(Value::as_u64) {
        s = s.chars().take(max as usize).collect();
    }
    Value::String(s)
}

fn number(obj: &Map<String, Value>, integer: bool) -> Value {
    let get = |k: &str| obj.get(k).and_then(Value::as_f64);
    let mut n = match (get("minimum"), get("exclusiveMinimum")) {
        (Some(min), _) => min,
        (None, Some(min)) => min + 1.0,
        (None, None) => 0.0,
    };
    if let Some(max) = get("maximum") {
        n = n.min(max);
    }
    if let Some(max) = get("exclusiveMaximum")
        && n >= max
    {
        n = max - 1.0;
    }
    if integer {
        json!(n.ceil() as i64)
    } else {
        json!(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> ToolSpec {
        ToolSpec {
            name: name.to_owned(),
            schema: json!({"type": "object"}),
        }
    }

    #[test]
    fn selection_rules() {
        let tools = [spec("get_weather"), spec("search")];
        assert_eq!(
            select(&tools, &ToolChoice::Auto, "Please SEARCH the web")
                .unwrap()
                .name,
            "search"
        );
        assert_eq!(
            select(&tools, &ToolChoice::Auto, "get weather in Paris")
                .unwrap()
                .name,
            "get_weather"
        );
        assert!(select(&tools, &ToolChoice::Auto, "hello").is_none());
        assert_eq!(
            select(&tools, &ToolChoice::Any, "hello").unwrap().name,
            "get_weather"
        );
        assert_eq!(
            select(&tools, &ToolChoice::Any, "search").unwrap().name,
            "search"
        );
        assert_eq!(
            select(&tools, &ToolChoice::Tool("search".into()), "get_weather")
                .unwrap()
                .name,
            "search"
        );
        assert!(select(&tools, &ToolChoice::None, "search").is_none());
    }

    #[test]
    fn generates_required_properties() {
        let schema = json!({
            "type": "object",
            "properties": {
                "location": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "score": {"type": "number", "exclusiveMinimum": 0.5},
                "when": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string", "minLength": 5}, "minItems": 2},
                "detail": {"$ref": "#/$defs/detail"},
                "flag": {"type": ["boolean", "null"]},
                "optional": {"type": "string"},
                "mode": {"type": "string", "default": "fast"},
                "code": {"type": "string", "maxLength": 2}
            },
            "required": ["location", "unit", "days", "score", "when", "tags", "detail", "flag", "mode", "code", "undeclared"],
            "$defs": {"detail": {"type": "object", "properties": {"level": {"const": 3}}, "required": ["level"]}}
        });
        assert_eq!(
            generate(&schema),
            json!({
                "location": "location",
                "unit": "celsius",
                "days": 1,
                "score": 1.5,
                "when": "2024-01-01",
                "tags": ["tagsx", "tagsx"],
                "detail": {"level": 3},
                "flag": true,
                "mode": "fast",
                "code": "co",
                "undeclared": "undeclared"
            })
        );
    }

    #[test]
    fn combinators_and_limits() {
        assert_eq!(
            generate(&json!({"anyOf": [{"type": "integer", "maximum": -3}, {"type": "string"}]})),
            json!(-3)
        );
        assert_eq!(
            generate(&json!({"allOf": [
                {"type": "object", "properties": {"a": {"type": "boolean"}}, "required": ["a"]},
                {"type": "object", "properties": {"b": {"type": "null"}}, "required": ["b"]}
            ]})),
            json!({"a": true, "b": null})
        );
        assert_eq!(
            generate(&json!({"type": "array", "maxItems": 0})),
            json!([])
        );
        // A self-referential schema stops at the depth limit instead of recursing forever.
        let looped =
            json!({"type": "object", "properties": {"next": {"$ref": "#"}}, "required": ["next"]});
        let mut value = &generate(&looped);
        let mut depth = 0;
        while let Some(next) = value.get("next") {
            value = next;
            depth += 1;
        }
        assert!(depth > 3 && depth <= MAX_DEPTH);
        assert_eq!(generate(&json!(true)), Value::Null);
        assert_eq!(generate(&json!({"$ref": "#/$defs/missing"})), Value::Null);
    }
}
