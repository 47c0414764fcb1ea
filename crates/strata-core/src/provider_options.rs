//! Provider-specific options and metadata: JSON objects namespaced by provider name.
//!
//! Options flow into a call (`provider_options["bedrock"]["guardrailConfig"]`), metadata
//! flows out of it (`provider_metadata["bedrock"]["signature"]`). Both have the same shape, so
//! [`ProviderMetadata`] is the same type as [`ProviderOptions`].
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use serde_json::json;
//! use strata_core::ProviderOptions;
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Cache {
//!     #[serde(rename = "cachePoint")]
//!     cache_point: bool,
//! }
//!
//! let mut options = ProviderOptions::new().with("bedrock", "trace", "enabled");
//! options.set("bedrock", &Cache { cache_point: true })?;
//! assert_eq!(options.value("bedrock", "cachePoint"), Some(&json!(true)));
//! assert_eq!(options.parse::<Cache>("bedrock")?, Some(Cache { cache_point: true }));
//! assert_eq!(options.parse::<Cache>("openai")?, None);
//! # Ok::<(), strata_core::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::Error;

/// JSON options namespaced by provider name (`{"bedrock": {...}, "openai": {...}}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProviderOptions(BTreeMap<String, Map<String, Value>>);

/// Provider-specific metadata returned with results; the same shape as [`ProviderOptions`].
pub type ProviderMetadata = ProviderOptions;

impl ProviderOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no provider has any entry.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Map::is_empty)
    }

    /// The object for `provider`, if any.
    pub fn get(&self, provider: &str) -> Option<&Map<String, Value>> {
        self.0.get(provider)
    }

    /// The object for `provider`, created empty when missing.
    pub fn entry(&mut self, provider: impl Into<String>) -> &mut Map<String, Value> {
        self.0.entry(provider.into()).or_default()
    }

    /// One value, `self[provider][key]`.
    pub fn value(&self, provider: &str, key: &str) -> Option<&Value> {
        self.0.get(provider)?.get(key)
    }

    /// Sets `self[provider][key]`, returning the value it replaced.
    pub fn insert(
        &mut self,
        provider: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Option<Value> {
        self.entry(provider).insert(key.into(), value.into())
    }

    /// Chainable [`insert`](Self::insert).
    pub fn with(
        mut self,
        provider: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.insert(provider, key, value);
        self
    }

    /// Removes and returns the object for `provider`.
    pub fn remove(&mut self, provider: &str) -> Option<Map<String, Value>> {
        self.0.remove(provider)
    }

    /// Reads the object for `provider` as a typed value; `None` when the provider has no entry.
    ///
    /// A shape mismatch is an invalid-argument error naming `provider_options.<provider>`.
    pub fn parse<T: DeserializeOwned>(&self, provider: &str) -> Result<Option<T>, Error> {
        let Some(object) = self.0.get(provider) else {
            return Ok(None);
        };
        T::deserialize(Value::Object(object.clone()))
            .map(Some)
            .map_err(|e| {
                Error::invalid_argument(format!("provider_options.{provider}"), e.to_string())
                    .with_source(e)
            })
    }

    /// Writes a typed value's fields into the object for `provider`, keeping other keys.
    ///
    /// The value must serialize to a JSON object; otherwise this is an invalid-argument error.
    pub fn set<T: Serialize + ?Sized>(&mut self, provider: &str, value: &T) -> Result<(), Error> {
        let argument = || format!("provider_options.{provider}");
        match serde_json::to_value(value) {
            Ok(Value::Object(fields)) => {
                self.entry(provider).extend(fields);
                Ok(())
            }
            Ok(other) => Err(Error::invalid_argument(
                argument(),
                format!("expected a JSON object, got `{other}`"),
            )),
            Err(e) => Err(Error::invalid_argument(argument(), e.to_string()).with_source(e)),
        }
    }

    /// Merges `other` into `self`, key by key; `other` wins on conflicts.
    pub fn merge(&mut self, other: ProviderOptions) {
        for (provider, fields) in other.0 {
            self.entry(provider).extend(fields);
        }
    }

    /// The providers and their objects, by provider name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Map<String, Value>)> {
        self.0.iter().map(|(name, object)| (name.as_str(), object))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_shape_and_merge() {
        let mut a = ProviderOptions::new()
            .with("bedrock", "x", 1)
            .with("openai", "y", "z");
        a.merge(
            ProviderOptions::new()
                .with("bedrock", "x", 2)
                .with("bedrock", "w", true),
        );
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"bedrock": {"w": true, "x": 2}, "openai": {"y": "z"}})
        );
        let back: ProviderOptions =
            serde_json::from_value(serde_json::to_value(&a).unwrap()).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn typed_errors_name_the_provider() {
        let options = ProviderOptions::new().with("bedrock", "count", "many");
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Typed {
            count: u32,
        }
        let err = options.parse::<Typed>("bedrock").unwrap_err();
        assert_eq!(err.argument(), Some("provider_options.bedrock"));
        let err = ProviderOptions::new().set("bedrock", &5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument `provider_options.bedrock`: expected a JSON object, got `5`"
        );
    }

    #[test]
    fn empty_objects_count_as_empty() {
        let mut options = ProviderOptions::new();
        options.entry("bedrock");
        assert!(options.is_empty());
        assert!(!options.with("bedrock", "k", 1).is_empty());
    }
}
