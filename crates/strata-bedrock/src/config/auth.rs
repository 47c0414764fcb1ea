//! Authentication modes and their resolution, once, at build time.
//!
//! Precedence: the one mode set explicitly on the builder; else `AWS_BEARER_TOKEN_BEDROCK`;
//! else the default AWS credential chain (environment keys, then the selected profile; with the
//! `aws-config` feature, then `aws-config`'s chain). Two explicit modes are an "ambiguous"
//! error; explicit keys are used exactly as given (no environment variable is merged into them).

use std::fmt;
use std::sync::Arc;

use strata_aws::credentials::{
    CredentialsCache, ProfileCredentials, ProvideCredentials, SharedCredentialsProvider,
    StaticCredentials, default_provider,
};
use strata_aws::env::Env;
use strata_aws::region::Region;
use strata_http::bearer::{StaticToken, TokenProvider};

use super::error::{BuildError, Kind};

/// The environment variable holding a Bedrock API key.
pub const BEARER_TOKEN_ENV_VAR: &str = "AWS_BEARER_TOKEN_BEDROCK";

/// A string that never prints.
#[derive(Clone, Default)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// Static keys as given to the builder, possibly incomplete.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyParts {
    pub(crate) access_key_id: Option<Secret>,
    pub(crate) secret_access_key: Option<Secret>,
    pub(crate) session_token: Option<Secret>,
}

impl KeyParts {
    fn is_set(&self) -> bool {
        self.access_key_id.is_some()
            || self.secret_access_key.is_some()
            || self.session_token.is_some()
    }
}

/// The explicit modes the builder collected (any number of them; validated at build).
#[derive(Clone, Default)]
pub(crate) struct AuthSettings {
    pub(crate) keys: KeyParts,
    pub(crate) provider: Option<SharedCredentialsProvider>,
    pub(crate) profile: Option<String>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) token_provider: Option<Arc<dyn TokenProvider>>,
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("keys", &self.keys)
            .field("provider", &self.provider.as_ref().map(|_| "<provider>"))
            .field("profile", &self.profile)
            .field("api_key", &self.api_key)
            .field(
                "token_provider",
                &self.token_provider.as_ref().map(|_| "<token provider>"),
            )
            .finish()
    }
}

/// The resolved identity source of a stack.
#[derive(Clone)]
pub(crate) enum Auth {
    /// SigV4 with credentials from this cache.
    SigV4 {
        cache: CredentialsCache,
        /// Whether a session token may be sent (unknown sources count as yes).
        may_send_session_token: bool,
    },
    /// `Authorization: Bearer` from this provider.
    Bearer(Arc<dyn TokenProvider>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::SigV4 { cache, .. } => f
                .debug_struct("SigV4")
                .field("provider", &cache.provider_name())
                .finish(),
            Auth::Bearer(_) => f.write_str("Bearer"),
        }
    }
}

impl Auth {
    /// What secret a request of this mode may carry that must not cross plain HTTP.
    pub(crate) fn secret_on_the_wire(&self) -> Option<&'static str> {
        match self {
            Auth::Bearer(_) => Some("a bearer token"),
            Auth::SigV4 {
                may_send_session_token: true,
                ..
            } => Some("a session token"),
            Auth::SigV4 { .. } => None,
        }
    }
}

impl AuthSettings {
    /// The explicit modes that were set, by name.
    fn explicit(&self) -> Vec<&'static str> {
        let mut modes = Vec::new();
        if self.keys.is_set() {
            modes.push("static AWS keys");
        }
        if self.provider.is_some() {
            modes.push("a credentials provider");
        }
        if self.profile.is_some() {
            modes.push("a named profile");
        }
        if self.api_key.is_some() {
            modes.push("a Bedrock API key");
        }
        if self.token_provider.is_some() {
            modes.push("a bearer token provider");
        }
        modes
    }

    /// Resolves the mode; `env` already selects the named profile, if any. `region` is the
    /// resolved region (for the STS / SSO calls of the `aws-config` chain).
    pub(crate) fn resolve(&self, env: &Env, region: &Region) -> Result<Auth, BuildError> {
        let explicit = self.explicit();
        if let [first, second, ..] = explicit[..] {
            return Err(BuildError::new(Kind::AmbiguousAuth { first, second }));
        }
        if self.keys.is_set() {
            return static_keys(&self.keys);
        }
        if let Some(provider) = &self.provider {
            return Ok(Auth::SigV4 {
                cache: CredentialsCache::new(provider.clone()),
                may_send_session_token: true,
            });
        }
        if let Some(name) = &self.profile {
            return profile(name, env);
        }
        if let Some(key) = &self.api_key {
            return bearer(&key.0);
        }
        if let Some(provider) = &self.token_provider {
            return Ok(Auth::Bearer(provider.clone()));
        }
        if let Some(token) = env.get(BEARER_TOKEN_ENV_VAR) {
            return bearer(token);
        }
        default_chain(env, region)
    }
}

/// The default chain: environment keys, then the selected profile (static keys or
/// `credential_process`), read from `env`. With the `aws-config` feature, when those find nothing
/// (or the profile needs SSO, assume-role or web identity), `aws-config`'s chain, built on first
/// use with `region` for its STS / SSO calls.
#[cfg_attr(not(feature = "aws-config"), allow(unused_variables))]
fn default_chain(env: &Env, region: &Region) -> Result<Auth, BuildError> {
    let (provider, name) = match default_provider(env) {
        Ok(provider) => {
            let name = provider.name();
            (SharedCredentialsProvider::new(provider), name)
        }
        #[cfg(feature = "aws-config")]
        Err(error) if error.is_not_configured() => {
            use super::aws_config_chain::{LazyAwsConfigChain, NAME};
            let chain = LazyAwsConfigChain::new(region.as_str());
            (SharedCredentialsProvider::new(chain), NAME.to_owned())
        }
        Err(error) => return Err(credentials_error(error)),
    };
    Ok(Auth::SigV4 {
        cache: CredentialsCache::builder(provider)
            .provider_name(name)
            .build(),
        may_send_session_token: true,
    })
}

/// A credentials source failed: its message, with the details as the source.
fn credentials_error(error: strata_aws::credentials::CredentialsError) -> BuildError {
    BuildError::with_source(Kind::Credentials(None), error)
}

fn static_keys(keys: &KeyParts) -> Result<Auth, BuildError> {
    let mut builder = StaticCredentials::builder();
    if let Some(v) = &keys.access_key_id {
        builder = builder.access_key_id(v.0.clone());
    }
    if let Some(v) = &keys.secret_access_key {
        builder = builder.secret_access_key(v.0.clone());
    }
    if let Some(v) = &keys.session_token {
        builder = builder.session_token(v.0.clone());
    }
    let credentials = builder
        .build()
        .map_err(|e| BuildError::new(Kind::HalfSpecifiedKeys(e.to_string())))?;
    let may_send_session_token = credentials.credentials().session_token().is_some();
    Ok(Auth::SigV4 {
        cache: CredentialsCache::new(credentials),
        may_send_session_token,
    })
}

fn profile(name: &str, env: &Env) -> Result<Auth, BuildError> {
    let credentials = ProfileCredentials::from_env(env)
        .map_err(credentials_error)?
        .ok_or_else(|| {
            BuildError::new(Kind::Credentials(Some(format!(
                "profile `{name}` has no credentials (keys or credential_process) in the shared \
                 config or credentials file"
            ))))
        })?;
    let provider_name = format!("profile {name}");
    Ok(Auth::SigV4 {
        cache: CredentialsCache::builder(credentials)
            .provider_name(provider_name)
            .build(),
        may_send_session_token: true,
    })
}

fn bearer(token: &str) -> Result<Auth, BuildError> {
    let token =
        StaticToken::new(token).map_err(|e| BuildError::with_source(Kind::InvalidToken, e))?;
    Ok(Auth::Bearer(Arc::new(token)))
}

/// Wraps any credentials provider for the builder.
pub(crate) fn shared(provider: impl ProvideCredentials + 'static) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(provider)
}
