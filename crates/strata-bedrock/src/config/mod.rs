//! Configuring the Bedrock provider: [`BedrockBuilder`], resolved and validated once, at
//! [`build`](BedrockBuilder::build).
//!
//! - **Authentication** — one of: static keys ([`access_key_id`](BedrockBuilder::access_key_id)
//!   and [`secret_access_key`](BedrockBuilder::secret_access_key), with an optional
//!   [`session_token`](BedrockBuilder::session_token)); a
//!   [`credentials_provider`](BedrockBuilder::credentials_provider); a named
//!   [`profile`](BedrockBuilder::profile); a Bedrock [`api_key`](BedrockBuilder::api_key); or a
//!   [`bearer_token_provider`](BedrockBuilder::bearer_token_provider) asked before every
//!   attempt. With none set: `AWS_BEARER_TOKEN_BEDROCK`, else the default AWS chain
//!   (environment keys, then the selected profile's keys or `credential_process`; with the
//!   `aws-config` feature, then `aws-config`'s chain — SSO, assume-role, web identity,
//!   containers, IMDS — built at the first request, reading the process environment). Two
//!   explicit modes are a build error, as are half-given keys; explicit keys never pick up
//!   `AWS_SESSION_TOKEN` or other variables.
//! - **Region and endpoints** — through strata-aws: explicit, else `AWS_REGION`,
//!   `AWS_DEFAULT_REGION`, the profile's `region`. The runtime endpoint (Converse,
//!   InvokeModel) and the agent-runtime endpoint (Rerank) are resolved separately. An explicit
//!   [`endpoint_url`](BedrockBuilder::endpoint_url) serves both (an emulator or a proxy serves
//!   both on one base URL) unless
//!   [`agent_runtime_endpoint_url`](BedrockBuilder::agent_runtime_endpoint_url) is given too.
//!   Without explicit URLs, the environment keeps its per-service meaning:
//!   `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` names only the runtime endpoint,
//!   `AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME` only the agent-runtime one, `AWS_ENDPOINT_URL`
//!   both; then the standard AWS hosts.
//! - **Transport** — default headers, retries, per-attempt, stream-idle and connect timeouts,
//!   a user-agent suffix, your own layers around the stack or your own HTTP client (see
//!   [`stack`](crate::stack)).
//! - **Safety** — a bearer token or session token is never sent over plain `http://`, except to
//!   a loopback address, unless [`allow_insecure_endpoint`](BedrockBuilder::allow_insecure_endpoint)
//!   says so.
//!
//! The environment is read once, at `build`, from the process or from
//! [`env_vars`](BedrockBuilder::env_vars) (tests pass an explicit map).
//!
//! ```
//! use std::time::Duration;
//!
//! use strata_bedrock::Bedrock;
//! use strata_http::retry::RetryConfig;
//!
//! let bedrock = Bedrock::builder()
//!     .env_vars([("AWS_REGION", "eu-west-1"), ("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-example")])
//!     .retry(RetryConfig::default().with_max_attempts(5))
//!     .timeout(Duration::from_secs(120))
//!     .build()?;
//! assert_eq!(bedrock.client().region(), "eu-west-1");
//! assert_eq!(bedrock.client().runtime_url(), "https://bedrock-runtime.eu-west-1.amazonaws.com");
//! assert_eq!(bedrock.client().agent_runtime_url(), "https://bedrock-agent-runtime.eu-west-1.amazonaws.com");
//! # Ok::<(), strata_bedrock::BuildError>(())
//! ```

mod auth;
#[cfg(feature = "aws-config")]
mod aws_config_chain;
mod error;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use strata_aws::credentials::ProvideCredentials;
use strata_aws::endpoint::{Endpoint, EndpointOptions, Service};
use strata_aws::env::Env;
use strata_aws::region::Region;
use strata_http::bearer::TokenProvider;
use strata_http::retry::RetryConfig;

pub use auth::BEARER_TOKEN_ENV_VAR;
pub use error::BuildError;

pub(crate) use auth::Auth;
use auth::{AuthSettings, Secret};
use error::Kind;

use crate::stack::{HttpService, StackLayer};

/// The per-attempt timeout (until response headers) unless set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The stream idle timeout (between response body chunks) unless set.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The connect timeout unless set.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`Bedrock`](crate::Bedrock) provider; see the [module docs](self).
///
/// `Debug` never shows keys or tokens.
#[derive(Default)]
pub struct BedrockBuilder {
    auth: AuthSettings,
    env: Option<HashMap<String, String>>,
    region: Option<String>,
    runtime_endpoint: EndpointOptions,
    agent_runtime_endpoint: Option<String>,
    headers: Vec<(String, String)>,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent_suffix: Option<String>,
    allow_insecure: bool,
    http_client: Option<HttpService>,
    layers: Vec<StackLayer>,
}

impl fmt::Debug for BedrockBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockBuilder")
            .field("auth", &self.auth)
            .field("env", &self.env.as_ref().map(|vars| vars.len()))
            .field("region", &self.region)
            .field("runtime_endpoint", &self.runtime_endpoint)
            .field("agent_runtime_endpoint", &self.agent_runtime_endpoint)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("allow_insecure", &self.allow_insecure)
            .field("http_client", &self.http_client.is_some())
            .field("layers", &self.layers.len())
            .finish()
    }
}

impl BedrockBuilder {
    /// Static AWS access key id (give [`secret_access_key`](Self::secret_access_key) too).
    pub fn access_key_id(mut self, value: impl Into<String>) -> Self {
        self.auth.keys.access_key_id = Some(Secret(value.into()));
        self
    }

    /// Static AWS secret access key (give [`access_key_id`](Self::access_key_id) too).
    pub fn secret_access_key(mut self, value: impl Into<String>) -> Self {
        self.auth.keys.secret_access_key = Some(Secret(value.into()));
        self
    }

    /// Session token for the static keys (temporary credentials).
    pub fn session_token(mut self, value: impl Into<String>) -> Self {
        self.auth.keys.session_token = Some(Secret(value.into()));
        self
    }

    /// Credentials from any provider, e.g. the AWS SDK's `aws_config` chain; cached with
    /// refresh-ahead by the stack.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.auth.provider = Some(auth::shared(provider));
        self
    }

    /// Credentials (and the region, unless set) from this profile of the shared config and
    /// credentials files, whatever `AWS_PROFILE` says.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.auth.profile = Some(name.into());
        self
    }

    /// A Bedrock API key, sent as `Authorization: Bearer …` (no SigV4).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth.api_key = Some(Secret(key.into()));
        self
    }

    /// A bearer token provider, asked for a token before every attempt (no SigV4).
    pub fn bearer_token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth.token_provider = Some(Arc::new(provider));
        self
    }

    /// Reads exactly these environment variables at build time instead of the process
    /// environment (for tests and sandboxes).
    pub fn env_vars<I, K, V>(mut self, vars: I) -> Self
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

    /// The AWS region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The Bedrock Runtime endpoint (Converse, InvokeModel), e.g. an emulator's or a proxy's
    /// URL. It also serves as the Agent Runtime endpoint (Rerank) unless
    /// [`agent_runtime_endpoint_url`](Self::agent_runtime_endpoint_url) is set; explicit URLs
    /// win over `AWS_ENDPOINT_URL*` variables.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.runtime_endpoint.url = Some(url.into());
        self
    }

    /// The Bedrock Agent Runtime endpoint (Rerank), when it differs from
    /// [`endpoint_url`](Self::endpoint_url).
    pub fn agent_runtime_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.agent_runtime_endpoint = Some(url.into());
        self
    }

    /// Uses FIPS endpoints (else `AWS_USE_FIPS_ENDPOINT`).
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.runtime_endpoint.use_fips = Some(enabled);
        self
    }

    /// Uses dual-stack endpoints (else `AWS_USE_DUALSTACK_ENDPOINT`).
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.runtime_endpoint.use_dual_stack = Some(enabled);
        self
    }

    /// Adds a header to every request (validated at build).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Retry attempts and backoff (default: 3 attempts, 1 s base, 20 s cap).
    pub fn retry(mut self, config: RetryConfig) -> Self {
        self.retry = Some(config);
        self
    }

    /// How long one attempt may wait for response headers (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long a response body (a stream) may send nothing (default
    /// [`DEFAULT_IDLE_TIMEOUT`]).
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// How long connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]; ignored with
    /// [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Appends a product token such as `my-app/2.1` to the `User-Agent`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Allows bearer tokens and session tokens over plain `http://` to hosts that are not
    /// loopback addresses. Off by default: only do this on a network you trust.
    pub fn allow_insecure_endpoint(mut self, allow: bool) -> Self {
        self.allow_insecure = allow;
        self
    }

    /// Replaces the innermost HTTP client (hyper-util over rustls) with your own service;
    /// signing, retries and timeouts still wrap it. See [`stack`](crate::stack).
    pub fn http_client<S, B, E>(mut self, client: S) -> Self
    where
        S: tower_service::Service<
                http::Request<strata_http::body::ReplayableBody>,
                Response = http::Response<B>,
                Error = E,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<strata_http::BoxError>,
        E: Into<strata_http::BoxError> + 'static,
    {
        self.http_client = Some(crate::stack::boxed(client));
        self
    }

    /// Wraps the whole default stack in `layer` (outside tracing and retries). Layers added
    /// later wrap earlier ones: the last one added is the outermost.
    pub fn layer<L, S, B, E>(mut self, layer: L) -> Self
    where
        L: tower_layer::Layer<HttpService, Service = S> + Send + Sync + 'static,
        S: tower_service::Service<
                http::Request<strata_http::body::ReplayableBody>,
                Response = http::Response<B>,
                Error = E,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<strata_http::BoxError>,
        E: Into<strata_http::BoxError> + 'static,
    {
        self.layers.push(Box::new(move |inner| {
            crate::stack::boxed(layer.layer(inner))
        }));
        self
    }

    /// Resolves and validates everything, then builds the provider.
    ///
    /// # Errors
    /// Ambiguous or half-specified credentials, no credentials, no region, an invalid
    /// endpoint, a secret over plain HTTP, an invalid header or setting; see [`BuildError`].
    pub fn build(self) -> Result<crate::Bedrock, BuildError> {
        let config = self.resolve()?;
        let client = crate::client::BedrockClient::from_config(config)?;
        Ok(crate::Bedrock::from_client(client))
    }

    fn resolve(self) -> Result<Config, BuildError> {
        let mut vars = match self.env {
            Some(vars) => vars,
            None => std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        };
        if let Some(profile) = &self.auth.profile {
            vars.insert("AWS_PROFILE".to_owned(), profile.clone());
        }
        let env = Env::from_vars(vars);
        let region = Region::resolve(self.region.as_deref(), &env)
            .map_err(|e| BuildError::with_source(Kind::Region, e))?;
        let auth = self.auth.resolve(&env, &region)?;
        let runtime = Endpoint::resolve(
            &Service::BEDROCK_RUNTIME,
            &region,
            &self.runtime_endpoint,
            &env,
        )
        .map_err(|e| BuildError::with_source(Kind::Endpoint("Bedrock Runtime"), e))?;
        let mut agent_options = self.runtime_endpoint.clone();
        // An explicit runtime URL also names the agent runtime unless that one is explicit too.
        agent_options.url = self.agent_runtime_endpoint.or(agent_options.url);
        let agent_runtime = Endpoint::resolve(
            &Service::BEDROCK_AGENT_RUNTIME,
            &region,
            &agent_options,
            &env,
        )
        .map_err(|e| BuildError::with_source(Kind::Endpoint("Bedrock Agent Runtime"), e))?;
        if !self.allow_insecure
            && let Some(secret) = auth.secret_on_the_wire()
        {
            for endpoint in [&runtime, &agent_runtime] {
                check_secure(endpoint, secret)?;
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let invalid = || BuildError::new(Kind::InvalidHeader(name.clone()));
            let name = HeaderName::try_from(name.as_str()).map_err(|_| invalid())?;
            let mut value = HeaderValue::try_from(value.as_str()).map_err(|_| invalid())?;
            value.set_sensitive(true);
            headers.append(name, value);
        }
        let positive = |value: Option<Duration>, default: Duration, what: &str| {
            let value = value.unwrap_or(default);
            if value.is_zero() {
                Err(BuildError::new(Kind::Invalid(format!(
                    "the {what} must be longer than zero"
                ))))
            } else {
                Ok(value)
            }
        };
        Ok(Config {
            auth,
            region,
            runtime,
            agent_runtime,
            headers,
            retry: self.retry.unwrap_or_default(),
            timeout: positive(self.timeout, DEFAULT_TIMEOUT, "timeout")?,
            idle_timeout: positive(
                self.idle_timeout,
                DEFAULT_IDLE_TIMEOUT,
                "stream idle timeout",
            )?,
            connect_timeout: positive(
                self.connect_timeout,
                DEFAULT_CONNECT_TIMEOUT,
                "connect timeout",
            )?,
            user_agent_suffix: self.user_agent_suffix,
            http_client: self.http_client,
            layers: self.layers,
        })
    }
}

/// Refuses plain HTTP to a host that is not a loopback address.
fn check_secure(endpoint: &Endpoint, secret: &'static str) -> Result<(), BuildError> {
    let uri = endpoint.uri();
    if uri.scheme_str() != Some("http") {
        return Ok(());
    }
    let host = uri.host().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(BuildError::new(Kind::InsecureEndpoint {
            endpoint: endpoint.url().to_owned(),
            secret,
        }))
    }
}

/// Everything `build` resolved; consumed by the client.
pub(crate) struct Config {
    pub(crate) auth: Auth,
    pub(crate) region: Region,
    pub(crate) runtime: Endpoint,
    pub(crate) agent_runtime: Endpoint,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: RetryConfig,
    pub(crate) timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) http_client: Option<HttpService>,
    pub(crate) layers: Vec<StackLayer>,
}
