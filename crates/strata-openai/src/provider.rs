//! [`OpenAi`]: the provider, and its [`OpenAiBuilder`].
//!
//! The builder takes the [configuration](crate::config) settings (base URL, API key,
//! organization, project), the settings every provider shares (see
//! [`strata_http::runtime`]: retries, budget and classifier, timeouts, default headers, your
//! layers at each insertion point, your HTTP client) and resolves everything once in
//! [`build`](OpenAiBuilder::build). Models share the provider's stack;
//! [`OpenAi::from_service`] puts a stack you built under them.
//!
//! Like `Bedrock::builder()` and [`OpenAi::bedrock_mantle`](crate::mantle), settings left
//! unset are read from a snapshot of the process environment taken at `build`
//! (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`); with
//! [`env`](OpenAiBuilder::env), only the given map is read instead.
//!
//! Every model reads its provider options from `provider_options["openai"]` and returns
//! provider metadata under `"openai"`, whatever the provider's [name](OpenAiBuilder::name)
//! (see [`options`](crate::options)).
//!
//! [`Provider::language_model`] hands out Chat Completions models unless
//! [`LanguageApi::Responses`] is chosen: Chat Completions is what compatible servers (vLLM,
//! Ollama, LiteLLM) implement.
//!
//! ```
//! use std::sync::Arc;
//!
//! use strata_core::{LanguageModel, Provider};
//! use strata_openai::{LanguageApi, OpenAi};
//!
//! let openai = OpenAi::builder()
//!     .env([("OPENAI_API_KEY", "sk-test")])
//!     .language_api(LanguageApi::Responses)
//!     .build()?;
//! let model: Arc<dyn LanguageModel> = openai.language_model("gpt-4.1")?;
//! assert_eq!((model.provider(), model.model_id()), ("openai", "gpt-4.1"));
//! let both = OpenAi::builder().api_key("k").token_provider(strata_http::bearer::StaticToken::new("t")?).build();
//! assert!(both.unwrap_err().is_ambiguous_auth());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Arc;

use strata_core::{EmbeddingModel, Error, LanguageModel, Provider};
use strata_http::bearer::{StaticToken, TokenProvider};
use strata_http::runtime::{Auth, BuildError, Protocol, Runtime, RuntimeBuilder};
use strata_http::service::HttpService;

use crate::client::{OpenAiClient, protocol};
use crate::config::{OpenAiConfig, OpenAiConfigBuilder};
use crate::embedding_model::OpenAiEmbeddingModel;
use crate::language_model::{OpenAiChatModel, OpenAiResponsesModel};

/// Which API [`Provider::language_model`] uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LanguageApi {
    /// `/chat/completions` (the default).
    #[default]
    ChatCompletions,
    /// `/responses`.
    Responses,
}

/// An OpenAI-compatible provider. Cheap to clone.
#[derive(Clone)]
pub struct OpenAi {
    name: Arc<str>,
    api: LanguageApi,
    client: OpenAiClient,
}

impl fmt::Debug for OpenAi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAi")
            .field("name", &self.name)
            .field("api", &self.api)
            .field("client", &self.client)
            .finish()
    }
}

impl OpenAi {
    /// A builder with every setting at its default; settings left unset are read from the
    /// process environment when [`build`](OpenAiBuilder::build) runs, unless
    /// [`env`](OpenAiBuilder::env) gives a map to read instead.
    pub fn builder() -> OpenAiBuilder {
        OpenAiBuilder::default()
    }

    /// A Chat Completions model.
    pub fn chat_model(&self, model_id: &str) -> OpenAiChatModel {
        OpenAiChatModel::new(self.name.clone(), model_id, self.client.clone())
    }

    /// A Responses API model.
    pub fn responses_model(&self, model_id: &str) -> OpenAiResponsesModel {
        OpenAiResponsesModel::new(self.name.clone(), model_id, self.client.clone())
    }

    /// An embedding model.
    pub fn embedding_model(&self, model_id: &str) -> OpenAiEmbeddingModel {
        OpenAiEmbeddingModel::new(self.name.clone(), model_id, self.client.clone())
    }

    /// The transport the models use.
    pub fn client(&self) -> &OpenAiClient {
        &self.client
    }

    /// A provider over a stack you built (with
    /// [`RuntimeBuilder::build_service`](strata_http::runtime::RuntimeBuilder::build_service)
    /// or by hand): `service` must authenticate requests itself; `base_url` is where they go.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use strata_http::bearer::StaticToken;
    /// use strata_http::runtime::{Auth, RuntimeBuilder};
    /// use strata_openai::OpenAi;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let auth = Auth::bearer(Arc::new(StaticToken::new("sk-test")?));
    /// let service = RuntimeBuilder::default().build_service(&auth)?;
    /// let openai = OpenAi::from_service(service, "https://api.openai.com/v1")?;
    /// assert_eq!(openai.client().config().base_url(), "https://api.openai.com/v1");
    /// assert!(OpenAi::from_service(RuntimeBuilder::default().build_service(&Auth::none())?, "ftp://x").is_err());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// An invalid base URL.
    pub fn from_service(service: HttpService, base_url: &str) -> Result<Self, BuildError> {
        Self::over_service(service, base_url, "openai", protocol())
    }

    pub(crate) fn over_service(
        service: HttpService,
        base_url: &str,
        name: &str,
        protocol: Protocol,
    ) -> Result<Self, BuildError> {
        let config = OpenAiConfig::for_base_url(base_url)?;
        let runtime = Runtime::from_service(service, protocol);
        Ok(Self::new(name, LanguageApi::default(), runtime, config))
    }

    pub(crate) fn new(
        name: &str,
        api: LanguageApi,
        runtime: Runtime,
        config: OpenAiConfig,
    ) -> Self {
        Self {
            name: name.into(),
            api,
            client: OpenAiClient::new(runtime, config),
        }
    }
}

impl Provider for OpenAi {
    fn name(&self) -> &str {
        &self.name
    }

    fn language_model(&self, model_id: &str) -> Result<Arc<dyn LanguageModel>, Error> {
        Ok(match self.api {
            LanguageApi::Responses => Arc::new(self.responses_model(model_id)),
            _ => Arc::new(self.chat_model(model_id)),
        })
    }

    fn embedding_model(&self, model_id: &str) -> Result<Arc<dyn EmbeddingModel>, Error> {
        Ok(Arc::new(OpenAi::embedding_model(self, model_id)))
    }
}

/// Builds an [`OpenAi`] provider. `Debug` never shows keys or tokens.
pub struct OpenAiBuilder {
    runtime: RuntimeBuilder,
    config: OpenAiConfigBuilder,
    name: String,
    api: LanguageApi,
    token_provider: Option<Arc<dyn TokenProvider>>,
}

impl Default for OpenAiBuilder {
    fn default() -> Self {
        Self {
            runtime: RuntimeBuilder::default(),
            config: OpenAiConfig::builder(),
            name: String::from("openai"),
            api: LanguageApi::default(),
            token_provider: None,
        }
    }
}

impl fmt::Debug for OpenAiBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiBuilder")
            .field("runtime", &self.runtime)
            .field("config", &self.config)
            .field("name", &self.name)
            .field("api", &self.api)
            .field("token_provider", &self.token_provider.is_some())
            .finish()
    }
}

impl OpenAiBuilder {
    strata_http::runtime_settings!(runtime);

    fn config(mut self, f: impl FnOnce(OpenAiConfigBuilder) -> OpenAiConfigBuilder) -> Self {
        self.config = f(self.config);
        self
    }

    /// Sets the base URL (see [`OpenAiConfigBuilder::base_url`]).
    #[must_use]
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.config(|c| c.base_url(url))
    }

    /// Sets the API key.
    #[must_use]
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.config(|c| c.api_key(key))
    }

    /// Sets the organization.
    #[must_use]
    pub fn organization(self, organization: impl Into<String>) -> Self {
        self.config(|c| c.organization(organization))
    }

    /// Sets the project.
    #[must_use]
    pub fn project(self, project: impl Into<String>) -> Self {
        self.config(|c| c.project(project))
    }

    /// Sets the provider name models report (default `openai`), e.g. `vllm`. The provider
    /// options namespace stays `"openai"`.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets the API [`Provider::language_model`] uses.
    #[must_use]
    pub fn language_api(mut self, api: LanguageApi) -> Self {
        self.api = api;
        self
    }

    /// Sends bearer tokens from `provider`, asked before every attempt, instead of an API key.
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// Resolves the configuration and assembles the stack.
    ///
    /// # Errors
    /// An invalid base URL, key or header; a missing key for `api.openai.com`; both an API key
    /// and a token provider; a secret over plain HTTP; an invalid stack setting.
    pub fn build(self) -> Result<OpenAi, BuildError> {
        let env = self.runtime.environment();
        let config = match self.token_provider {
            // A token provider stands in for the key, also for api.openai.com.
            Some(_) => self.config.allow_missing_api_key().resolve(&env)?,
            None => self.config.resolve(&env)?,
        };
        let auth = match (config.api_key(), self.token_provider) {
            (Some(_), Some(_)) => {
                return Err(BuildError::ambiguous_auth("an API key", "a token provider"));
            }
            (Some(key), None) => Auth::bearer(Arc::new(
                StaticToken::new(key.expose())
                    .map_err(|e| BuildError::invalid_api_key().with_source(e))?,
            )),
            (None, Some(provider)) => Auth::bearer(provider),
            (None, None) => Auth::none(),
        };
        let mut runtime = self.runtime;
        for (name, value) in config.headers() {
            let value = value.to_str().unwrap_or_default();
            runtime = runtime.default_header(name.as_str(), value);
        }
        let runtime = runtime.build(&auth, protocol(), &[config.base_url()])?;
        Ok(OpenAi::new(&self.name, self.api, runtime, config))
    }
}
