//! Bedrock's OpenAI-compatible endpoints: "mantle"
//! (`https://bedrock-mantle.{region}.api.aws/openai/v1`, SigV4 signing name
//! `bedrock-mantle`) and the bedrock-runtime Chat Completions path
//! (`https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, signing name `bedrock`).
//!
//! [`OpenAi::bedrock_mantle`] returns a [`MantleBuilder`]; it builds an ordinary [`OpenAi`]
//! provider whose stack authenticates the AWS way. Resolved once, at build time, from the
//! builder's arguments, else the environment (the process environment, or the map given with
//! [`env`](MantleBuilder::env)):
//!
//! - region: argument, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`;
//! - base URL: argument, `AWS_BEDROCK_BASE_URL`, else the endpoint's URL for the region;
//! - auth: the one explicit mode (API key, bearer token provider, static AWS keys, profile,
//!   credentials provider), else `AWS_BEARER_TOKEN_BEDROCK`, else the default AWS chain. Two
//!   explicit modes are an [ambiguous-auth](ConfigError::is_ambiguous_auth) error.
//!
//! With AWS credentials every attempt (retries included) gets fresh credentials and a fresh
//! signature; a redirect is never followed. A `bedrock-mantle.{region}.api.aws` or
//! `bedrock-runtime.{region}.amazonaws.com` host in another region than the signing region is
//! a [region-mismatch](ConfigError::is_region_mismatch) error.
//!
//! The `OPENAI_*` variables are not read. Models report the provider name `bedrock-mantle`
//! but, like every model of this crate, read their options from `provider_options["openai"]`
//! (see [`options`](crate::options)); a `"bedrock-mantle"` namespace is ignored.
//!
//! ```
//! use http::{Request, Response};
//! use strata_core::{CallOptions, LanguageModel as _, Message};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert_eq!(request.uri(), "https://bedrock-mantle.us-west-2.api.aws/openai/v1/chat/completions");
//!     let auth = request.headers()["authorization"].to_str()?.to_owned();
//!     assert!(auth.contains("/us-west-2/bedrock-mantle/aws4_request"), "{auth}");
//!     let body = r#"{"choices":[{"index":0,"message":{"content":"Hi!"},"finish_reason":"stop"}]}"#;
//!     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(Response::new(http_body_util::Full::new(bytes::Bytes::from(body))))
//! });
//! let mantle = OpenAi::bedrock_mantle()
//!     .env([("AWS_REGION", "us-west-2")])
//!     .access_key_id("AKIDEXAMPLE")
//!     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .http_client(client)
//!     .build()?;
//! let result = mantle.chat_model("openai.gpt-oss-120b").generate(CallOptions::new(vec![Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "Hi!");
//! # Ok(())
//! # }
//! ```

mod auth;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body::Body;
use strata_aws::credentials::{ProvideCredentials, SharedCredentialsProvider};
use strata_aws::env::Env;
use strata_aws::region::Region;
use strata_http::BoxError;
use strata_http::bearer::TokenProvider;
use strata_http::body::ReplayableBody;
use strata_http::retry::RetryConfig;
use tower_layer::Layer;
use tower_service::Service;

pub use self::auth::BEARER_TOKEN_ENV_VAR;
use self::auth::{AuthSettings, Resolved, Secret};
use crate::config::{ConfigError, OpenAiConfig};
use crate::provider::{LanguageApi, OpenAi, OpenAiBuilder};
use crate::stack::{Auth, HttpService};

/// The environment variable overriding the base URL.
pub const BASE_URL_ENV_VAR: &str = "AWS_BEDROCK_BASE_URL";

/// Which Bedrock OpenAI-compatible endpoint to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MantleEndpoint {
    /// `https://bedrock-mantle.{region}.api.aws/openai/v1` (Chat Completions, Responses,
    /// embeddings), signing name `bedrock-mantle`.
    #[default]
    Mantle,
    /// `https://bedrock-runtime.{region}.amazonaws.com/openai/v1` (Chat Completions only),
    /// signing name `bedrock`.
    Runtime,
}

impl MantleEndpoint {
    /// The SigV4 signing name.
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Mantle => "bedrock-mantle",
            Self::Runtime => "bedrock",
        }
    }

    /// The base URL in `region`.
    pub fn url(self, region: &str) -> String {
        match self {
            Self::Mantle => format!("https://bedrock-mantle.{region}.api.aws/openai/v1"),
            Self::Runtime => format!("https://bedrock-runtime.{region}.amazonaws.com/openai/v1"),
        }
    }
}

/// The region named by a Bedrock mantle or runtime host, if `host` is one.
fn host_region(host: &str) -> Option<&str> {
    [
        ("bedrock-mantle.", ".api.aws"),
        ("bedrock-runtime.", ".amazonaws.com"),
    ]
    .iter()
    .find_map(|(prefix, suffix)| {
        host.strip_prefix(prefix)?
            .strip_suffix(suffix)
            .filter(|region| !region.is_empty() && !region.contains('.'))
    })
}

impl OpenAi {
    /// A builder for Bedrock's OpenAI-compatible endpoint.
    pub fn bedrock_mantle() -> MantleBuilder {
        MantleBuilder {
            stack: OpenAi::builder().name("bedrock-mantle"),
            region: None,
            base_url: None,
            endpoint: MantleEndpoint::default(),
            headers: Vec::new(),
            env: None,
            auth: AuthSettings::default(),
        }
    }
}

/// Builds an [`OpenAi`] provider for Bedrock mantle.
pub struct MantleBuilder {
    stack: OpenAiBuilder,
    region: Option<String>,
    base_url: Option<String>,
    endpoint: MantleEndpoint,
    headers: Vec<(String, String)>,
    env: Option<HashMap<String, String>>,
    auth: AuthSettings,
}

impl fmt::Debug for MantleBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MantleBuilder")
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("endpoint", &self.endpoint)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl MantleBuilder {
    /// Sets the AWS region.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Overrides the base URL (e.g. an emulator's `…/openai/v1`).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Chooses the endpoint (mantle by default).
    #[must_use]
    pub fn endpoint(mut self, endpoint: MantleEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Adds a header sent with every request.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Reads exactly these variables at build time instead of the process environment.
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

    /// Authenticates with a Bedrock API key (`Authorization: Bearer …`).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth.api_key = Some(Secret(key.into()));
        self
    }

    /// Authenticates with bearer tokens from `provider`, asked before every attempt.
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth.token_provider = Some(Arc::new(provider));
        self
    }

    /// Sets the access key id of static AWS keys.
    #[must_use]
    pub fn access_key_id(mut self, id: impl Into<String>) -> Self {
        self.auth.access_key_id = Some(Secret(id.into()));
        self
    }

    /// Sets the secret access key of static AWS keys.
    #[must_use]
    pub fn secret_access_key(mut self, secret: impl Into<String>) -> Self {
        self.auth.secret_access_key = Some(Secret(secret.into()));
        self
    }

    /// Sets the session token of static AWS keys.
    #[must_use]
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.auth.session_token = Some(Secret(token.into()));
        self
    }

    /// Uses the credentials (and region, unless set) of this profile of the shared files.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.auth.profile = Some(name.into());
        self
    }

    /// Uses any AWS credentials provider, called through strata-aws's refresh-ahead cache.
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.auth.provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sets the provider name models report (default `bedrock-mantle`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.stack = self.stack.name(name);
        self
    }

    /// Sets the API [`Provider::language_model`](strata_core::Provider::language_model) uses.
    #[must_use]
    pub fn language_api(mut self, api: LanguageApi) -> Self {
        self.stack = self.stack.language_api(api);
        self
    }

    /// Sets the retry settings.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.stack = self.stack.retry(retry);
        self
    }

    /// Allows sending secrets over plain HTTP to hosts that are not loopback addresses.
    #[must_use]
    pub fn allow_insecure_endpoint(mut self, allow: bool) -> Self {
        self.stack = self.stack.allow_insecure_endpoint(allow);
        self
    }

    /// Sets the per-attempt timeout until response headers.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.stack = self.stack.timeout(timeout);
        self
    }

    /// Sets the idle timeout between response body chunks.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.stack = self.stack.idle_timeout(timeout);
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
        self.stack = self.stack.http_client(client);
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
        self.stack = self.stack.layer(layer);
        self
    }

    /// Resolves region, base URL and identity, then builds the provider.
    pub fn build(self) -> Result<OpenAi, ConfigError> {
        let mut vars = self.env.unwrap_or_else(crate::config::process_env);
        if let Some(profile) = &self.auth.profile {
            vars.insert("AWS_PROFILE".to_owned(), profile.clone());
        }
        let env = Env::from_vars(vars);
        let identity = self.auth.resolve(&env)?;
        let region = Region::resolve(self.region.as_deref(), &env);
        let base_url = match self
            .base_url
            .or_else(|| env.get(BASE_URL_ENV_VAR).map(str::to_owned))
        {
            Some(url) => url,
            None => self.endpoint.url(
                region
                    .as_ref()
                    .map_err(|e| ConfigError::region(e.to_string()))?
                    .as_str(),
            ),
        };
        // The OPENAI_* variables are not mantle's: none of them is read.
        let mut config = OpenAiConfig::builder()
            .env(std::iter::empty::<(String, String)>())
            .base_url(base_url.clone())
            .allow_missing_api_key();
        for (name, value) in self.headers {
            config = config.header(name, value);
        }
        let config = config.build()?;
        let auth = match identity {
            Resolved::Bearer(provider) => Auth::Bearer(provider),
            Resolved::SigV4(credentials) => {
                let region = region.map_err(|e| ConfigError::region(e.to_string()))?;
                let host = base_url
                    .parse::<Uri>()
                    .ok()
                    .and_then(|u| u.host().map(str::to_owned));
                if let Some(host_region) = host.as_deref().and_then(host_region)
                    && host_region != region.as_str()
                {
                    return Err(ConfigError::region_mismatch(host_region, region.as_str()));
                }
                Auth::SigV4 {
                    credentials,
                    region: region.as_str().to_owned(),
                    signing_name: self.endpoint.signing_name(),
                }
            }
        };
        self.stack.finish(config, auth)
    }
}
