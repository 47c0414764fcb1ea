//! An explicit environment: the variables a provider reads, captured once.
//!
//! Regions, endpoints, keys and credentials are resolved from an [`Env`] at build time, never from the
//! process environment on each request. Tests build one from a map, so they never depend on (or
//! leak into) the real environment or home directory.
//!
//! ```
//! use strata_http::env::Env;
//!
//! let env = Env::from_vars([("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", "")]);
//! assert_eq!(env.get("AWS_REGION"), Some("eu-west-1"));
//! // Empty values count as unset, as in the AWS SDKs.
//! assert_eq!(env.get("AWS_PROFILE"), None);
//! assert_eq!(env.flag("AWS_USE_FIPS_ENDPOINT"), Ok(None));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A snapshot of environment variables.
///
/// `Debug` lists variable names only: values may be secrets.
#[derive(Clone, Default)]
pub struct Env {
    vars: Arc<HashMap<String, String>>,
}

impl Env {
    /// A snapshot of the current process environment (variables that are not valid UTF-8 are
    /// left out).
    pub fn from_process() -> Self {
        Self::from_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// An environment holding exactly `vars`.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// This environment with `name` set to `value` (the snapshot is copied, not changed).
    ///
    /// ```
    /// use strata_http::env::Env;
    ///
    /// let env = Env::from_vars([("AWS_PROFILE", "default")]);
    /// let chosen = env.with_var("AWS_PROFILE", "dev");
    /// assert_eq!((env.get("AWS_PROFILE"), chosen.get("AWS_PROFILE")), (Some("default"), Some("dev")));
    /// ```
    pub fn with_var(&self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let mut vars = HashMap::clone(&self.vars);
        vars.insert(name.into(), value.into());
        Self {
            vars: Arc::new(vars),
        }
    }

    /// The value of `name`, or `None` when it is unset or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A boolean variable: `true`/`false` in any case; unset or empty is `Ok(None)`.
    ///
    /// # Errors
    /// Any other value is an [`InvalidFlag`] naming the variable.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, InvalidFlag> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(InvalidFlag {
                name: name.to_owned(),
            }),
        }
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME").or_else(|| self.get("USERPROFILE")) {
            return Some(PathBuf::from(home));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
            _ => None,
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Env").field("names", &names).finish()
    }
}

/// A boolean environment variable held something other than `true` or `false`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable `{name}` must be `true` or `false`")]
pub struct InvalidFlag {
    name: String,
}

impl InvalidFlag {
    /// The variable's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_parses_case_insensitively_and_rejects_other_values() {
        let env = Env::from_vars([("A", "TRUE"), ("B", "False"), ("C", "1")]);
        assert_eq!(env.flag("A"), Ok(Some(true)));
        assert_eq!(env.flag("B"), Ok(Some(false)));
        let err = env.flag("C").unwrap_err();
        assert_eq!(err.name(), "C");
        assert_eq!(
            err.to_string(),
            "environment variable `C` must be `true` or `false`"
        );
    }

    #[test]
    fn home_dir_falls_back_in_order() {
        assert_eq!(
            Env::from_vars([("HOME", "/h"), ("USERPROFILE", "/u")]).home_dir(),
            Some(PathBuf::from("/h"))
        );
        assert_eq!(
            Env::from_vars([("USERPROFILE", "/u")]).home_dir(),
            Some(PathBuf::from("/u"))
        );
        assert_eq!(
            Env::from_vars([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\a")]).home_dir(),
            Some(PathBuf::from("C:\\Users\\a"))
        );
        assert_eq!(Env::default().home_dir(), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "very-secret-value")]);
        let debug = format!("{env:?}");
        assert_eq!(debug, "Env { names: [\"AWS_SECRET_ACCESS_KEY\"] }");
    }
}
