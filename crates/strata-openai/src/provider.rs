//! [`OpenAi`]: the provider, and its [`OpenAiBuilder`].
//!
//! The builder takes the [configuration](crate::config) settings (base URL, API key,
//! organization, project, default headers), the stack settings (retry, timeouts, your HTTP
//! client and layers) and resolves everything once in [`build`](OpenAiBuilder::build). Models
//! share the provider's stack.
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
//! assert!(OpenAi::builder().api_key("k").token_provider(strata_http::bearer::StaticToken::new("t")?).build().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use strata_core::{EmbeddingModel, Error, LanguageModel, Provider};
use strata_http::BoxError;
use strata_http::bearer::{StaticToken, TokenProvider};
use strata_http::body::ReplayableBody;
use strata_http::retry::RetryConfig;
use strata_http::user_agent::UserAgentLayer;
use tower_layer::Layer;
use tower_service::Service;

use crate::client::OpenAiClient;
use crate::config::{ConfigError, OpenAiConfig, OpenAiConfigBuilder};
use crate::embedding_model::OpenAiEmbeddingModel;
use crate::language_model::{OpenAiChatModel, OpenAiResponsesModel};
use crate::stack::{self, Auth, HttpService, StackLayer, StackSettings};

/// The default per-attempt timeout (until response headers): 10 minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The default idle timeout between response body chunks: 2 minutes.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The default connect timeout: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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

/// Builds an [`OpenAi`] provider.
pub struct OpenAiBuilder {
    config: OpenAiConfigBuilder,
    name: String,
    api: LanguageApi,
    token_provider: Option<Arc<dyn TokenProvider>>,
    retry: RetryConfig,
    timeout: Duration,
    idle_timeout: Duration,
    connect_timeout: Duration,
    client: Option<HttpService>,
    layers: Vec<StackLayer>,
    allow_insecure: bool,
}

impl Default for OpenAiBuilder {
    fn default() -> Self {
        Self {
            config: OpenAiConfig::builder(),
            name: String::from("openai"),
            api: LanguageApi::default(),
            token_provider: None,
            retry: RetryConfig::default(),
            timeout: DEFAULT_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            client: None,
            layers: Vec::new(),
            allow_insecure: false,
        }
    }
}

impl fmt::Debug for OpenAiBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiBuilder")
            .field("config", &self.config)
            .field("name", &self.name)
            .field("api", &self.api)
            .field("token_provider", &self.token_provider.is_some())
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl OpenAiBuilder {
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

    /// Adds a default header.
    #[must_use]
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config(|c| c.header(name, value))
    }

    /// Reads unset settings from exactly these variables instead of a snapshot of the process
    /// environment (see [`OpenAiConfigBuilder::env`]); pass an empty iterator to ignore the
    /// environment, as tests should.
    #[must_use]
    pub fn env<I, K, V>(self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.config(|c| c.env(vars))
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

    /// Sets the retry settings.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Allows sending secrets over plain HTTP to hosts that are not loopback addresses. Off by
    /// default: only do this on a network you trust.
    #[must_use]
    pub fn allow_insecure_endpoint(mut self, allow: bool) -> Self {
        self.allow_insecure = allow;
        self
    }

    /// Sets the per-attempt timeout until response headers.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the idle timeout between response body chunks.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the connect timeout of the default HTTP client.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses your HTTP client instead of strata-http's.
    #[must_use]
    pub fn http_client<S, B, E>(mut self, client: S) -> Self
    where
        S: Service<Request<ReplayableBody>, Response = Response<B>, Error = E>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
        E: Into<BoxError> + 'static,
    {
        self.client = Some(stack::boxed(client));
        self
    }

    /// Wraps the stack in `layer`; the last layer added is the outermost.
    #[must_use]
    pub fn layer<L, S, B, E>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService, Service = S> + Send + Sync + 'static,
        S: Service<Request<ReplayableBody>, Response = Response<B>, Error = E>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
        E: Into<BoxError> + 'static,
    {
        self.layers
            .push(Box::new(move |inner| stack::boxed(layer.layer(inner))));
        self
    }

    /// Resolves the configuration and assembles the stack.
    pub fn build(mut self) -> Result<OpenAi, ConfigError> {
        let config = std::mem::take(&mut self.config);
        let config = if self.token_provider.is_some() {
            // A token provider stands in for the key, also for api.openai.com.
            config.allow_missing_api_key().build()?
        } else {
            config.build()?
        };
        let auth = match (config.api_key(), self.token_provider.take()) {
            (Some(_), Some(_)) => return Err(ConfigError::conflicting_auth()),
            (Some(key), None) => Auth::Bearer(Arc::new(
                StaticToken::new(key.expose()).map_err(|e| ConfigError::setting("API key", e))?,
            )),
            (None, Some(provider)) => Auth::Bearer(provider),
            (None, None) => Auth::None,
        };
        self.finish(config, auth)
    }

    /// Assembles the stack around a resolved configuration and identity.
    pub(crate) fn finish(self, config: OpenAiConfig, auth: Auth) -> Result<OpenAi, ConfigError> {
        let secret = match &auth {
            Auth::None => None,
            Auth::Bearer(_) => Some("a bearer token"),
            #[cfg(feature = "mantle")]
            Auth::SigV4 { .. } => Some("AWS credentials"),
        };
        if let Some(secret) = secret
            && !self.allow_insecure
            && crate::config::is_insecure(config.base_url())
        {
            return Err(ConfigError::insecure_endpoint(config.base_url(), secret));
        }
        let user_agent = UserAgentLayer::new()
            .with_suffix(concat!("strata-openai/", env!("CARGO_PKG_VERSION")))
            .map_err(|e| ConfigError::setting("user agent", e))?;
        let service = stack::assemble(StackSettings {
            auth,
            retry: self.retry,
            timeout: self.timeout,
            idle_timeout: self.idle_timeout,
            connect_timeout: self.connect_timeout,
            user_agent,
            client: self.client,
            layers: self.layers,
        })?;
        Ok(OpenAi {
            name: self.name.into(),
            api: self.api,
            client: OpenAiClient::new(service, config),
        })
    }
}
