//! [`RuntimeBuilder`]: the settings every provider shares, and the stack they build.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Uri};
use tower::ServiceBuilder;
use tower_layer::Layer;

use super::{BuildError, Protocol, Runtime};
use crate::bearer::{BearerAuthLayer, TokenProvider};
use crate::client::Client;
use crate::env::Env;
use crate::redirect::RefuseRedirectsLayer;
use crate::retry::{Classifier, HttpClassifier, RetryBudget, RetryConfig, RetryLayer};
use crate::service::{HttpService, IntoHttpService};
use crate::timeout::{IdleTimeoutLayer, TimeoutLayer};
use crate::trace::TraceLayer;
use crate::user_agent::UserAgentLayer;

/// The per-attempt timeout (until response headers) unless set: 10 minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The idle timeout between response body chunks unless set: 2 minutes.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The connect timeout of the built-in client unless set: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The most bytes of a response body read into memory unless set: 256 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

/// A user layer, applied to the stack at build time.
type StackLayer = Box<dyn FnOnce(HttpService) -> HttpService + Send + Sync>;

fn stack_layer<L>(layer: L) -> StackLayer
where
    L: Layer<HttpService> + Send + Sync + 'static,
    L::Service: IntoHttpService,
{
    Box::new(move |inner| layer.layer(inner).into_http_service())
}

/// The authentication step of a stack: nothing, a bearer token on every attempt, or any
/// layer (strata-aws's credentials-then-SigV4 pair) that authenticates each attempt.
///
/// It sits inside retry and the per-attempt layers and outside redirect refusal, so every
/// attempt is authenticated afresh. Cheap to clone.
#[derive(Clone)]
pub struct Auth {
    step: AuthStep,
    on_the_wire: Option<&'static str>,
}

#[derive(Clone)]
enum AuthStep {
    None,
    Bearer(Arc<dyn TokenProvider>),
    Layer(Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>),
}

impl Auth {
    /// No authentication (a local server).
    pub fn none() -> Self {
        Self {
            step: AuthStep::None,
            on_the_wire: None,
        }
    }

    /// `Authorization: Bearer …` from `provider`, asked before every attempt.
    pub fn bearer(provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            step: AuthStep::Bearer(provider),
            on_the_wire: Some("a bearer token"),
        }
    }

    /// Any layer that authenticates each attempt (such as strata-aws's credentials and SigV4
    /// layers). `secret_on_the_wire` names the secret its requests carry that must not cross
    /// plain HTTP (`None` if they carry none: a SigV4 signature without a session token).
    pub fn layer<L>(layer: L, secret_on_the_wire: Option<&'static str>) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: IntoHttpService,
    {
        Self {
            step: AuthStep::Layer(Arc::new(move |inner| {
                layer.layer(inner).into_http_service()
            })),
            on_the_wire: secret_on_the_wire,
        }
    }

    /// The secret this step puts on the wire, as a phrase for error messages.
    pub fn secret_on_the_wire(&self) -> Option<&'static str> {
        self.on_the_wire
    }

    fn apply(&self, inner: HttpService) -> HttpService {
        match &self.step {
            AuthStep::None => inner,
            AuthStep::Bearer(provider) => BearerAuthLayer::new(provider.clone())
                .layer(inner)
                .into_http_service(),
            AuthStep::Layer(layer) => layer(inner),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let step = match self.step {
            AuthStep::None => "none",
            AuthStep::Bearer(_) => "bearer",
            AuthStep::Layer(_) => "layer",
        };
        f.debug_struct("Auth")
            .field("step", &step)
            .field("secret_on_the_wire", &self.on_the_wire)
            .finish()
    }
}

/// The settings every provider shares, and the one stack they build; see the
/// [module docs](super) for the order of the stack and its insertion points.
///
/// Providers embed one and forward its setters under the same names (with
/// [`runtime_settings!`](crate::runtime_settings)); use it directly to build an
/// [`HttpService`] for a provider's `from_service` constructor.
pub struct RuntimeBuilder {
    retry: RetryConfig,
    budget: Option<RetryBudget>,
    classifier: Option<Arc<dyn Classifier>>,
    timeout: Duration,
    idle_timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    user_agent_suffix: Option<String>,
    default_headers: Vec<(String, String)>,
    env: Option<HashMap<String, String>>,
    allow_insecure_endpoint: bool,
    http_client: Option<HttpService>,
    layers: Vec<StackLayer>,
    attempt_layers: Vec<StackLayer>,
    transport_layers: Vec<StackLayer>,
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        Self {
            retry: RetryConfig::default(),
            budget: None,
            classifier: None,
            timeout: DEFAULT_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            default_headers: Vec::new(),
            env: None,
            allow_insecure_endpoint: false,
            http_client: None,
            layers: Vec::new(),
            attempt_layers: Vec::new(),
            transport_layers: Vec::new(),
        }
    }
}

impl fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut env_names: Option<Vec<&String>> = self.env.as_ref().map(|e| e.keys().collect());
        if let Some(names) = &mut env_names {
            names.sort();
        }
        f.debug_struct("RuntimeBuilder")
            .field("retry", &self.retry)
            .field("budget", &self.budget)
            .field(
                "classifier",
                &self.classifier.as_ref().map(|_| "<classifier>"),
            )
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            // Variable names only: values may be secrets.
            .field("env", &env_names)
            .field("allow_insecure_endpoint", &self.allow_insecure_endpoint)
            .field("http_client", &self.http_client.is_some())
            .field("layers", &self.layers.len())
            .field("attempt_layers", &self.attempt_layers.len())
            .field("transport_layers", &self.transport_layers.len())
            .finish()
    }
}

impl RuntimeBuilder {
    /// Retry attempts and backoff (default: 3 attempts, 1 s base delay, 20 s cap).
    pub fn retry(mut self, config: RetryConfig) -> Self {
        self.retry = config;
        self
    }

    /// The retry budget every retry draws on (default: a fresh
    /// [standard](RetryBudget::standard) one per provider). Pass clones of one budget to
    /// several providers to share it.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// What is retried (default: the provider's own classifier, e.g. strata-aws's
    /// `AwsClassifier` for Bedrock and mantle, else [`HttpClassifier`]).
    pub fn retry_classifier(mut self, classifier: impl Classifier) -> Self {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// How long one attempt may wait for response headers (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a response body (a stream) may send nothing (default
    /// [`DEFAULT_IDLE_TIMEOUT`]).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]; not used with
    /// [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The most bytes of a response body read into memory (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger body is an error, never truncated.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Appends a product token such as `my-app/2.1` to the `User-Agent`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Adds a header to every request (validated at build; a call's own headers of the same
    /// name win). Values are marked sensitive, so they never print.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Reads exactly these environment variables at build time instead of a snapshot of the
    /// process environment (for tests and sandboxes; an empty iterator ignores the
    /// environment). A later call replaces an earlier one.
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

    /// Allows secrets (bearer tokens, session tokens) over plain `http://` to hosts that are
    /// not loopback addresses. Off by default: only do this on a network you trust.
    pub fn allow_insecure_endpoint(mut self, allow: bool) -> Self {
        self.allow_insecure_endpoint = allow;
        self
    }

    /// Replaces the built-in HTTP client (hyper-util over rustls) with your own service;
    /// everything above it still wraps it.
    pub fn http_client(mut self, client: impl IntoHttpService) -> Self {
        self.http_client = Some(client.into_http_service());
        self
    }

    /// Adds a layer around the whole call, outside retry: it sees one request per call,
    /// however many attempts it takes (rate limits, caching, call metrics). The first layer
    /// added is the outermost.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: IntoHttpService,
    {
        self.layers.push(stack_layer(layer));
        self
    }

    /// Adds a layer around each attempt, inside retry and before credentials and signing: it
    /// sees every attempt (attempt metrics, header injection that must be signed). The first
    /// layer added is the outermost.
    pub fn attempt_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: IntoHttpService,
    {
        self.attempt_layers.push(stack_layer(layer));
        self
    }

    /// Adds a layer just above the transport: it sees each signed request as it is sent
    /// (audit, recording). The first layer added is the outermost.
    pub fn transport_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: IntoHttpService,
    {
        self.transport_layers.push(stack_layer(layer));
        self
    }

    /// The environment to resolve settings from: the map given with [`env`](Self::env), else a
    /// snapshot of the process environment taken now. Providers call it once, in `build`.
    pub fn environment(&self) -> Env {
        match &self.env {
            Some(vars) => Env::from_vars(vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            None => Env::from_process(),
        }
    }

    /// Builds the stack around `auth`, with the [`HttpClassifier`] unless a classifier was
    /// set. For a provider's `from_service` constructor; a provider's own `build` calls
    /// [`build`](Self::build) instead.
    ///
    /// # Errors
    /// A zero timeout, an invalid user-agent suffix, or a built-in client that cannot be made.
    pub fn build_service(self, auth: &Auth) -> Result<HttpService, BuildError> {
        self.assemble(auth, Arc::new(HttpClassifier), None)
    }

    /// Checks that `auth`'s secret never crosses plain HTTP to `endpoints` (unless allowed),
    /// builds the stack with `protocol`'s classifier (unless one was set) and user-agent
    /// token, and returns the [`Runtime`] the provider's models call.
    ///
    /// # Errors
    /// As [`build_service`](Self::build_service), plus an insecure endpoint or an invalid
    /// default header.
    pub fn build(
        self,
        auth: &Auth,
        protocol: Protocol,
        endpoints: &[&str],
    ) -> Result<Runtime, BuildError> {
        if let Some(secret) = auth.secret_on_the_wire()
            && !self.allow_insecure_endpoint
        {
            for endpoint in endpoints {
                check_secure(endpoint, secret)?;
            }
        }
        let headers = default_headers(&self.default_headers)?;
        let max_response_bytes = self.max_response_bytes;
        let service = self.assemble(auth, protocol.classifier(), Some(protocol.product()))?;
        Ok(Runtime::assembled(
            service,
            protocol,
            headers,
            max_response_bytes,
        ))
    }

    fn assemble(
        self,
        auth: &Auth,
        default_classifier: Arc<dyn Classifier>,
        product: Option<&str>,
    ) -> Result<HttpService, BuildError> {
        for (value, what) in [
            (self.timeout, "timeout"),
            (self.idle_timeout, "idle timeout"),
            (self.connect_timeout, "connect timeout"),
        ] {
            if value.is_zero() {
                return Err(BuildError::invalid_setting(format!(
                    "the {what} must be longer than zero"
                )));
            }
        }
        let mut user_agent = UserAgentLayer::new();
        for suffix in product.into_iter().chain(self.user_agent_suffix.as_deref()) {
            user_agent = user_agent
                .with_suffix(suffix)
                .map_err(|e| BuildError::setting("the user-agent suffix", e))?;
        }
        let mut stack = match self.http_client {
            Some(client) => client,
            None => Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| BuildError::setting("the HTTP client", e))?
                .into_http_service(),
        };
        stack = apply(self.transport_layers, stack);
        stack = auth.apply(
            ServiceBuilder::new()
                .layer(RefuseRedirectsLayer::new())
                .layer(IdleTimeoutLayer::new(self.idle_timeout))
                .layer(TimeoutLayer::new(self.timeout))
                .service(stack)
                .into_http_service(),
        );
        stack = apply(self.attempt_layers, stack);
        let classifier = self.classifier.unwrap_or(default_classifier);
        let retry = RetryLayer::new(self.retry)
            .with_shared_classifier(classifier)
            .with_budget(self.budget.unwrap_or_default());
        stack = ServiceBuilder::new()
            .layer(TraceLayer::new())
            .layer(user_agent)
            .layer(retry)
            .service(stack)
            .into_http_service();
        Ok(apply(self.layers, stack))
    }
}

/// Applies `layers` so that the first one is the outermost.
fn apply(layers: Vec<StackLayer>, mut stack: HttpService) -> HttpService {
    for layer in layers.into_iter().rev() {
        stack = layer(stack);
    }
    stack
}

fn default_headers(headers: &[(String, String)]) -> Result<HeaderMap, BuildError> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header = HeaderName::try_from(name.as_str())
            .map_err(|_| BuildError::invalid_header(name, "not a valid header name"))?;
        if header == http::header::AUTHORIZATION {
            return Err(BuildError::invalid_header(
                name,
                "credentials come from the authentication settings, not a default header",
            ));
        }
        let mut value = HeaderValue::try_from(value.as_str()).map_err(|_| {
            BuildError::invalid_header(name, "the value is not a valid header value")
        })?;
        value.set_sensitive(true);
        map.append(header, value);
    }
    Ok(map)
}

/// Refuses plain HTTP to a host that is not a loopback address.
fn check_secure(endpoint: &str, secret: &'static str) -> Result<(), BuildError> {
    let Ok(uri) = endpoint.parse::<Uri>() else {
        return Ok(());
    };
    if uri.scheme_str() != Some("http") {
        return Ok(());
    }
    let host = uri.host().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(BuildError::insecure_endpoint(endpoint, secret))
    }
}
