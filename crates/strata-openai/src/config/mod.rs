//! Provider configuration: base URL, API key, organization and project.
//!
//! Each setting comes from the builder argument, else from the environment, else a default,
//! and is resolved and validated once, in [`resolve`](OpenAiConfigBuilder::resolve), from the
//! [`Env`] snapshot the provider's builder took at `build` (the process environment, or the map
//! given with `env`). Nothing reads the environment after that.
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
//! use strata_http::env::Env;
//! use strata_openai::config::OpenAiConfig;
//!
//! let env = Env::from_vars([("OPENAI_API_KEY", "sk-test-123"), ("OPENAI_ORG_ID", "org-42")]);
//! let config = OpenAiConfig::builder().resolve(&env)?;
//! assert_eq!(config.base_url(), "https://api.openai.com/v1");
//! assert_eq!(config.url("/chat/completions"), "https://api.openai.com/v1/chat/completions");
//! assert_eq!(config.api_key().unwrap().expose(), "sk-test-123");
//! assert_eq!(config.headers()["openai-organization"], "org-42");
//! assert!(!format!("{config:?}").contains("sk-test-123"));
//!
//! let local = OpenAiConfig::builder()
//!     .base_url("http://127.0.0.1:11434/v1/")
//!     .resolve(&Env::default())?;
//! assert_eq!(local.url("/embeddings"), "http://127.0.0.1:11434/v1/embeddings");
//! assert!(local.api_key().is_none());
//! # Ok::<(), strata_http::runtime::BuildError>(())
//! ```

use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue, Uri};
use strata_http::env::Env;
use strata_http::runtime::BuildError;

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

    /// A configuration of just a base URL (validated), for a stack you built.
    pub(crate) fn for_base_url(base_url: &str) -> Result<Self, BuildError> {
        Ok(Self {
            base_url: validate_base_url(base_url)?,
            api_key: None,
            headers: HeaderMap::new(),
        })
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

    /// The organization and project headers sent with every request.
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
    key_optional: bool,
}

impl fmt::Debug for OpenAiConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiConfigBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("organization", &self.organization)
            .field("project", &self.project)
            .finish()
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

    /// Accepts a missing API key even for `api.openai.com` (a token provider stands in).
    pub(crate) fn allow_missing_api_key(mut self) -> Self {
        self.key_optional = true;
        self
    }

    /// Resolves and validates the configuration; unset settings come from `env`'s `OPENAI_*`
    /// variables.
    ///
    /// # Errors
    /// An invalid base URL, a missing key for `api.openai.com`, a key or header value that
    /// cannot be sent.
    pub fn resolve(self, env: &Env) -> Result<OpenAiConfig, BuildError> {
        let setting = |argument: Option<String>, variable: &str| {
            argument
                .or_else(|| env.get(variable).map(str::to_owned))
                .filter(|v| !v.is_empty())
        };
        let base_url =
            setting(self.base_url, BASE_URL_ENV_VAR).unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = validate_base_url(&base_url)?;
        let api_key = setting(self.api_key, API_KEY_ENV_VAR);
        let key_is_valid = |key: &String| HeaderValue::from_str(&format!("Bearer {key}")).is_ok();
        match &api_key {
            Some(key) if !key_is_valid(key) => return Err(BuildError::invalid_api_key()),
            None if !self.key_optional && is_openai_host(&base_url) => {
                return Err(BuildError::missing_api_key("OpenAI", API_KEY_ENV_VAR));
            }
            _ => {}
        }
        let mut headers = HeaderMap::new();
        let fixed = [
            (
                "openai-organization",
                setting(self.organization, ORGANIZATION_ENV_VAR),
            ),
            ("openai-project", setting(self.project, PROJECT_ENV_VAR)),
        ];
        for (name, value) in fixed.into_iter().filter_map(|(n, v)| Some((n, v?))) {
            let value = HeaderValue::from_str(&value).map_err(|_| {
                BuildError::invalid_header(name, "the value is not a valid header value")
            })?;
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(OpenAiConfig {
            base_url,
            api_key: api_key.map(ApiKey),
            headers,
        })
    }
}

fn validate_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason| BuildError::invalid_url("OpenAI base URL", url, reason);
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

fn is_openai_host(url: &str) -> bool {
    url.parse::<Uri>()
        .ok()
        .and_then(|u| u.host().map(|h| h.eq_ignore_ascii_case("api.openai.com")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::from_vars(vars.iter().copied())
    }

    #[test]
    fn arguments_win_over_the_environment() {
        let config = OpenAiConfig::builder()
            .base_url("https://gateway.example/openai/v1")
            .api_key("sk-arg")
            .organization("org-arg")
            .resolve(&env(&[
                ("OPENAI_BASE_URL", "http://env.example/v1"),
                ("OPENAI_API_KEY", "sk-env"),
                ("OPENAI_PROJECT_ID", "proj-env"),
            ]))
            .unwrap();
        assert_eq!(config.base_url(), "https://gateway.example/openai/v1");
        assert_eq!(config.api_key().unwrap().expose(), "sk-arg");
        assert_eq!(config.headers()["openai-organization"], "org-arg");
        assert_eq!(config.headers()["openai-project"], "proj-env");
    }

    #[test]
    fn unset_settings_come_from_the_environment() {
        let config = OpenAiConfig::builder()
            .resolve(&env(&[
                (API_KEY_ENV_VAR, "sk-map"),
                (ORGANIZATION_ENV_VAR, "org-map"),
                (PROJECT_ENV_VAR, "proj-map"),
            ]))
            .unwrap();
        assert_eq!(config.base_url(), DEFAULT_BASE_URL);
        assert_eq!(config.api_key().unwrap().expose(), "sk-map");
        assert_eq!(config.headers()["openai-organization"], "org-map");
        assert_eq!(config.headers()["openai-project"], "proj-map");
        let config = OpenAiConfig::builder()
            .resolve(&env(&[("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/")]))
            .unwrap();
        assert_eq!(config.base_url(), "http://127.0.0.1:8000/v1");
        assert!(config.api_key().is_none());
        assert!(config.headers().is_empty());
    }

    #[test]
    fn empty_variables_are_unset_and_the_default_host_needs_a_key() {
        let error = OpenAiConfig::builder()
            .resolve(&env(&[("OPENAI_API_KEY", ""), ("OPENAI_BASE_URL", "")]))
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
            let error = OpenAiConfig::builder()
                .base_url(url)
                .resolve(&Env::default())
                .unwrap_err();
            assert!(error.is_endpoint());
            assert_eq!(
                error.to_string(),
                format!("invalid OpenAI base URL `{url}`: {reason}")
            );
        }
        let error = OpenAiConfig::builder()
            .api_key("sk-secret\nvalue")
            .resolve(&Env::default())
            .unwrap_err();
        assert!(error.is_invalid_api_key());
        assert!(!format!("{error} {error:?}").contains("sk-secret"));
        let error = OpenAiConfig::builder()
            .api_key("k")
            .organization("org\u{7f}")
            .resolve(&Env::default())
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid default header `openai-organization`: the value is not a valid header value"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let builder = OpenAiConfig::builder().api_key("sk-live-abc");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("sk-live-abc"), "{debug}");
        let config = builder
            .resolve(&env(&[("OPENAI_API_KEY", "sk-env-def")]))
            .unwrap();
        assert_eq!(
            format!("{:?}", config.api_key().unwrap()),
            "ApiKey(<redacted>)"
        );
        assert!(!format!("{config:?}").contains("sk-live-abc"));
    }
}
