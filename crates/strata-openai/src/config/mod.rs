//! Provider configuration: base URL, API key, organization, project and default headers.
//!
//! Each setting comes from the builder argument, else from the environment, else a default,
//! and is resolved and validated once, in [`build`](OpenAiConfigBuilder::build). The
//! environment is a snapshot of the process environment taken at `build`, unless a map was
//! given with [`OpenAiConfigBuilder::env`]: then only that map is read (tests pass one so the
//! machine's variables cannot leak in). Nothing reads the environment after `build`.
//!
//! | setting | variable | default |
//! | --- | --- | --- |
//! | base URL | `OPENAI_BASE_URL` | `https://api.openai.com/v1` |
//! | API key | `OPENAI_API_KEY` | none (required for `api.openai.com`) |
//! | organization (`OpenAI-Organization`) | `OPENAI_ORG_ID` | none |
//! | project (`OpenAI-Project`) | `OPENAI_PROJECT_ID` | none |
//!
//! Empty variables count as unset. Any compatible server works by base URL (vLLM, Ollama,
//! a LiteLLM proxy); an API key is optional there. The key never appears in `Debug` output or
//! errors.
//!
//! ```
//! use strata_openai::config::OpenAiConfig;
//!
//! let config = OpenAiConfig::builder()
//!     .env([("OPENAI_API_KEY", "sk-test-123"), ("OPENAI_ORG_ID", "org-42")]) // not the process env
//!     .header("x-team", "search")
//!     .build()?;
//! assert_eq!(config.base_url(), "https://api.openai.com/v1");
//! assert_eq!(config.url("/chat/completions"), "https://api.openai.com/v1/chat/completions");
//! assert_eq!(config.api_key().unwrap().expose(), "sk-test-123");
//! assert_eq!(config.headers()["openai-organization"], "org-42");
//! assert!(!format!("{config:?}").contains("sk-test-123"));
//!
//! let local = OpenAiConfig::builder()
//!     .env(std::iter::empty::<(String, String)>())
//!     .base_url("http://127.0.0.1:11434/v1/")
//!     .build()?;
//! assert_eq!(local.url("/embeddings"), "http://127.0.0.1:11434/v1/embeddings");
//! assert!(local.api_key().is_none());
//! # Ok::<(), strata_openai::config::ConfigError>(())
//! ```

mod error;

use std::collections::HashMap;
use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue, Uri};

pub use self::error::ConfigError;
use self::error::Kind;

/// The default base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// The variable holding the base URL.
pub const BASE_URL_ENV_VAR: &str = "OPENAI_BASE_URL";
/// The variable holding the API key.
pub const API_KEY_ENV_VAR: &str = "OPENAI_API_KEY";
/// The variable holding the organization.
pub const ORGANIZATION_ENV_VAR: &str = "OPENAI_ORG_ID";
/// The variable holding the project.
pub const PROJECT_ENV_VAR: &str = "OPENAI_PROJECT_ID";

/// An API key. Its `Debug` is redacted; read it with [`expose`](Self::expose).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// A validated configuration.
#[derive(Clone, Debug)]
pub struct OpenAiConfig {
    base_url: String,
    api_key: Option<ApiKey>,
    headers: HeaderMap,
}

impl OpenAiConfig {
    /// A builder with nothing set.
    pub fn builder() -> OpenAiConfigBuilder {
        OpenAiConfigBuilder::default()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` (which starts with `/`) under the base URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The API key, if any.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }

    /// Headers sent with every request: organization, project and default headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// Builds an [`OpenAiConfig`].
#[derive(Clone, Default)]
pub struct OpenAiConfigBuilder {
    base_url: Option<String>,
    api_key: Option<String>,
    organization: Option<String>,
    project: Option<String>,
    headers: Vec<(String, String)>,
    /// `None`: snapshot the process environment at build.
    env: Option<HashMap<String, String>>,
    key_optional: bool,
}

impl fmt::Debug for OpenAiConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("OpenAiConfigBuilder");
        debug
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("organization", &self.organization)
            .field("project", &self.project)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            );
        // Variable names only: values may be secrets.
        match &self.env {
            Some(env) => {
                let mut names: Vec<&String> = env.keys().collect();
                names.sort();
                debug.field("env", &names)
            }
            None => debug.field("env", &format_args!("<process environment at build>")),
        };
        debug.finish()
    }
}

impl OpenAiConfigBuilder {
    /// Sets the base URL, e.g. `http://localhost:8000/v1` for vLLM.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the API key (sent as `Authorization: Bearer …`).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the organization (`OpenAI-Organization`).
    #[must_use]
    pub fn organization(mut self, organization: impl Into<String>) -> Self {
        self.organization = Some(organization.into());
        self
    }

    /// Sets the project (`OpenAI-Project`).
    #[must_use]
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// Adds a header sent with every request (validated at build).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Reads unset settings from exactly these variables at build, instead of a snapshot of
    /// the process environment (replacing any map set before). Pass an empty iterator to
    /// ignore the environment.
    #[must_use]
    pub fn env<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.env = Some(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Accepts a missing API key even for `api.openai.com` (a token provider stands in).
    pub(crate) fn allow_missing_api_key(mut self) -> Self {
        self.key_optional = true;
        self
    }

    /// Resolves and validates the configuration, reading the environment (the map given with
    /// [`env`](Self::env), else the process environment) once, here.
    pub fn build(mut self) -> Result<OpenAiConfig, ConfigError> {
        let env = self.env.take().unwrap_or_else(process_env);
        let setting = |argument: &Option<String>, variable: &str| {
            argument
                .clone()
                .or_else(|| env.get(variable).cloned())
                .filter(|v| !v.is_empty())
        };
        let base_url = setting(&self.base_url, BASE_URL_ENV_VAR)
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = validate_base_url(&base_url)?;
        let api_key = setting(&self.api_key, API_KEY_ENV_VAR);
        let key_is_valid = |key: &String| HeaderValue::from_str(&format!("Bearer {key}")).is_ok();
        match &api_key {
            Some(key) if !key_is_valid(key) => return Err(ConfigError::new(Kind::InvalidApiKey)),
            None if !self.key_optional && is_openai_host(&base_url) => {
                return Err(ConfigError::new(Kind::MissingApiKey));
            }
            _ => {}
        }
        let mut headers = HeaderMap::new();
        let organization = setting(&self.organization, ORGANIZATION_ENV_VAR);
        let project = setting(&self.project, PROJECT_ENV_VAR);
        let fixed = [
            ("openai-organization", organization),
            ("openai-project", project),
        ];
        for (name, value) in fixed.into_iter().filter_map(|(n, v)| Some((n, v?))) {
            insert(&mut headers, name, &value)?;
        }
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case("authorization") {
                return Err(ConfigError::new(Kind::InvalidHeader {
                    name: name.clone(),
                    reason: "set the API key instead of an Authorization header",
                }));
            }
            insert(&mut headers, name, value)?;
        }
        Ok(OpenAiConfig {
            base_url,
            api_key: api_key.map(ApiKey),
            headers,
        })
    }
}

/// The process environment's variables that are valid Unicode.
pub(crate) fn process_env() -> HashMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), ConfigError> {
    let invalid = |reason| {
        ConfigError::new(Kind::InvalidHeader {
            name: name.to_owned(),
            reason,
        })
    };
    let header_name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("not a valid header name"))?;
    let header_value = HeaderValue::from_str(value)
        .map_err(|_| invalid("the value is not a valid header value"))?;
    headers.append(header_name, header_value);
    Ok(())
}

fn validate_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason| {
        ConfigError::new(Kind::InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        })
    };
    let uri: Uri = url.parse().map_err(|_| invalid("not a valid URL"))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(invalid("the scheme must be http or https"));
    }
    if uri.authority().is_none_or(|a| a.host().is_empty()) {
        return Err(invalid("it has no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("it must not have a query"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Whether `url` is plain HTTP to a host that is not a loopback address.
pub(crate) fn is_insecure(url: &str) -> bool {
    let Ok(uri) = url.parse::<Uri>() else {
        return false;
    };
    if uri.scheme_str() != Some("http") {
        return false;
    }
    let host = uri.host().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

fn is_openai_host(url: &str) -> bool {
    url.parse::<Uri>()
        .ok()
        .and_then(|u| u.host().map(|h| h.eq_ignore_ascii_case("api.openai.com")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_win_over_the_environment() {
        let config = OpenAiConfig::builder()
            .env([
                ("OPENAI_BASE_URL", "http://env.example/v1"),
                ("OPENAI_API_KEY", "sk-env"),
                ("OPENAI_PROJECT_ID", "proj-env"),
            ])
            .base_url("https://gateway.example/openai/v1")
            .api_key("sk-arg")
            .organization("org-arg")
            .build()
            .unwrap();
        assert_eq!(config.base_url(), "https://gateway.example/openai/v1");
        assert_eq!(config.api_key().unwrap().expose(), "sk-arg");
        assert_eq!(config.headers()["openai-organization"], "org-arg");
        assert_eq!(config.headers()["openai-project"], "proj-env");
    }

    #[test]
    fn an_explicit_map_replaces_the_process_environment() {
        let builder = OpenAiConfig::builder();
        assert!(format!("{builder:?}").contains("env: <process environment at build>"));
        // A later map replaces an earlier one entirely.
        let config = builder
            .env([
                ("OPENAI_API_KEY", "sk-first"),
                ("OPENAI_ORG_ID", "org-first"),
            ])
            .env([("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/")])
            .build()
            .unwrap();
        assert_eq!(config.base_url(), "http://127.0.0.1:8000/v1");
        assert!(config.api_key().is_none());
        assert!(config.headers().is_empty());
        let config = OpenAiConfig::builder()
            .env([
                (API_KEY_ENV_VAR, "sk-map"),
                (ORGANIZATION_ENV_VAR, "org-map"),
                (PROJECT_ENV_VAR, "proj-map"),
            ])
            .build()
            .unwrap();
        assert_eq!(config.base_url(), DEFAULT_BASE_URL);
        assert_eq!(config.api_key().unwrap().expose(), "sk-map");
        assert_eq!(config.headers()["openai-organization"], "org-map");
        assert_eq!(config.headers()["openai-project"], "proj-map");
    }

    #[test]
    fn empty_variables_are_unset_and_the_default_host_needs_a_key() {
        let error = OpenAiConfig::builder()
            .env([("OPENAI_API_KEY", ""), ("OPENAI_BASE_URL", "")])
            .build()
            .unwrap_err();
        assert!(error.is_missing_api_key());
        let core: strata_core::Error = error.into();
        assert!(core.is_config());
        assert_eq!(
            core.to_string(),
            "invalid configuration: no OpenAI API key: pass one to the builder or set OPENAI_API_KEY"
        );
    }

    #[test]
    fn invalid_settings_are_typed_errors_without_the_key() {
        for (url, reason) in [
            ("ftp://files.example/v1", "the scheme must be http or https"),
            ("not a url", "not a valid URL"),
            ("https://api.example/v1?x=1", "it must not have a query"),
            ("/v1", "the scheme must be http or https"),
        ] {
            let error = OpenAiConfig::builder().base_url(url).build().unwrap_err();
            assert!(error.is_invalid_base_url());
            assert_eq!(
                error.to_string(),
                format!("invalid OpenAI base URL `{url}`: {reason}")
            );
        }
        let error = OpenAiConfig::builder()
            .api_key("sk-secret\nvalue")
            .build()
            .unwrap_err();
        assert!(error.is_invalid_api_key());
        assert!(!format!("{error} {error:?}").contains("sk-secret"));
        let error = OpenAiConfig::builder()
            .api_key("k")
            .header("bad header", "v")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid header `bad header`: not a valid header name"
        );
        let error = OpenAiConfig::builder()
            .api_key("k")
            .header("Authorization", "Bearer x")
            .build()
            .unwrap_err();
        assert!(error.is_invalid_header());
        let error = OpenAiConfig::builder()
            .api_key("k")
            .organization("org\u{7f}")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid header `openai-organization`: the value is not a valid header value"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let builder = OpenAiConfig::builder()
            .api_key("sk-live-abc")
            .env([("OPENAI_API_KEY", "sk-env-def")]);
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("sk-live-abc") && !debug.contains("sk-env-def"),
            "{debug}"
        );
        assert!(debug.contains("OPENAI_API_KEY"));
        let config = builder.build().unwrap();
        assert_eq!(
            format!("{:?}", config.api_key().unwrap()),
            "ApiKey(<redacted>)"
        );
        assert!(!format!("{config:?}").contains("sk-live-abc"));
    }
}
