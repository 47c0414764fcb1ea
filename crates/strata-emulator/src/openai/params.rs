//! Typed reading of request parameters, answering OpenAI's error for each problem
//! (`missing_required_parameter`, `invalid_type`, `unknown_parameter`, `invalid_value`, …) with
//! the parameter's path in `param`.

use serde_json::{Map, Value};

use super::error::OpenAiError;

/// Reads typed parameters from a request object, answering OpenAI's errors.
#[derive(Debug, Clone)]
pub(crate) struct Params<'a> {
    map: &'a Map<String, Value>,
    /// The path of this object in the request, e.g. `` (top level) or `tools[0]`.
    path: String,
}

impl<'a> Params<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, path: &str) -> Self {
        Self {
            map,
            path: path.to_owned(),
        }
    }

    /// The parameter's full name, for messages.
    pub(crate) fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Refuses any key not in `known`.
    pub(crate) fn only(&self, known: &[&str]) -> Result<(), OpenAiError> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(OpenAiError::unknown_param(&self.name(unknown))),
            None => Ok(()),
        }
    }

    /// The value, treating `null` as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, OpenAiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(OpenAiError::invalid_type(
                &self.name(key),
                "a string",
                other,
            )),
        }
    }

    pub(crate) fn required_str(&self, key: &str) -> Result<&'a str, OpenAiError> {
        self.str(key)?
            .ok_or_else(|| OpenAiError::missing(&self.name(key)))
    }

    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, OpenAiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(OpenAiError::invalid_type(
                &self.name(key),
                "a boolean",
                other,
            )),
        }
    }

    pub(crate) fn object(&self, key: &str) -> Result<Option<Params<'a>>, OpenAiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Params::new(map, &self.name(key)))),
            Some(other) => Err(OpenAiError::invalid_type(
                &self.name(key),
                "an object",
                other,
            )),
        }
    }

    pub(crate) fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, OpenAiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(list)) => Ok(Some(list)),
            Some(other) => Err(OpenAiError::invalid_type(
                &self.name(key),
                "an array",
                other,
            )),
        }
    }

    /// A positive integer.
    pub(crate) fn positive(&self, key: &str) -> Result<Option<u64>, OpenAiError> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let name = self.name(key);
        match value.as_u64() {
            Some(n) if n >= 1 => Ok(Some(n)),
            _ if value.is_i64() => Err(OpenAiError::invalid_param(
                "integer_below_min_value",
                &name,
                format!(
                    "Invalid '{name}': integer below minimum value. Expected a value >= 1, but got {value} instead."
                ),
            )),
            _ => Err(OpenAiError::invalid_type(&name, "an integer", value)),
        }
    }

    /// A number within `[low, high]`.
    pub(crate) fn number_in(&self, key: &str, low: f64, high: f64) -> Result<(), OpenAiError> {
        let Some(value) = self.get(key) else {
            return Ok(());
        };
        let name = self.name(key);
        let n = value
            .as_f64()
            .ok_or_else(|| OpenAiError::invalid_type(&name, "a number", value))?;
        if !(low..=high).contains(&n) {
            return Err(OpenAiError::invalid_param(
                "invalid_value",
                &name,
                format!(
                    "Invalid '{name}': expected a value between {low} and {high}, but got {value} instead."
                ),
            ));
        }
        Ok(())
    }

    /// One of `allowed` strings.
    pub(crate) fn one_of(
        &self,
        key: &str,
        allowed: &[&str],
    ) -> Result<Option<&'a str>, OpenAiError> {
        let Some(value) = self.str(key)? else {
            return Ok(None);
        };
        if allowed.contains(&value) {
            return Ok(Some(value));
        }
        let name = self.name(key);
        let list: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
        Err(OpenAiError::invalid_param(
            "invalid_value",
            &name,
            format!(
                "Invalid value for '{name}': '{value}'. Supported values are: {}.",
                list.join(", ")
            ),
        ))
    }
}

/// The parameter object at `value`, or a type error naming `path`.
pub(crate) fn params<'a>(value: &'a Value, path: &str) -> Result<Params<'a>, OpenAiError> {
    match value {
        Value::Object(map) => Ok(Params::new(map, path)),
        other => Err(OpenAiError::invalid_type(path, "an object", other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn params_report_types_and_ranges() {
        let body = json!({"n": "x", "t": 3, "m": 0, "k": "z"});
        let p = params(&body, "").unwrap();
        assert_eq!(
            p.positive("n").unwrap_err().message(),
            "Invalid type for 'n': expected an integer, but got a string instead."
        );
        assert_eq!(
            p.positive("m").unwrap_err().code(),
            Some("integer_below_min_value")
        );
        assert_eq!(
            p.number_in("t", 0.0, 2.0).unwrap_err().code(),
            Some("invalid_value")
        );
        assert_eq!(
            p.one_of("k", &["a", "b"]).unwrap_err().message(),
            "Invalid value for 'k': 'z'. Supported values are: 'a', 'b'."
        );
        assert_eq!(
            p.only(&["n", "t", "m"]).unwrap_err().code(),
            Some("unknown_parameter")
        );
    }
}
