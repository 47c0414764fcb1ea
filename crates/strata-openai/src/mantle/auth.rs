//! Bedrock mantle authentication modes, resolved once at build time.
//!
//! Precedence: the one mode set explicitly (API key, bearer token provider, static AWS keys,
//! profile, credentials provider); else `AWS_BEARER_TOKEN_BEDROCK`; else the default AWS
//! credential chain. Two explicit modes are an ambiguous-auth error.

use std::fmt;
use std::sync::Arc;

use strata_aws::credentials::{
    CredentialsCache, ProfileCredentials, SharedCredentialsProvider, StaticCredentials,
    default_provider,
};
use strata_aws::env::Env;
use strata_http::bearer::{StaticToken, TokenProvider};

use crate::config::ConfigError;

/// The environment variable holding a Bedrock API key.
pub const BEARER_TOKEN_ENV_VAR: &str = "AWS_BEARER_TOKEN_BEDROCK";

/// A secret whose `Debug` is redacted.
#[derive(Clone, Default)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What the builder was given.
#[derive(Clone, Default)]
pub(crate) struct AuthSettings {
    pub(crate) api_key: Option<Secret>,
    pub(crate) token_provider: Option<Arc<dyn TokenProvider>>,
    pub(crate) access_key_id: Option<Secret>,
    pub(crate) secret_access_key: Option<Secret>,
    pub(crate) session_token: Option<Secret>,
    pub(crate) profile: Option<String>,
    pub(crate) provider: Option<SharedCredentialsProvider>,
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("modes", &self.explicit())
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// The resolved identity.
pub(crate) enum Resolved {
    Bearer(Arc<dyn TokenProvider>),
    SigV4(CredentialsCache),
}

impl AuthSettings {
    fn keys_set(&self) -> bool {
        self.access_key_id.is_some()
            || self.secret_access_key.is_some()
            || self.session_token.is_some()
    }

    fn explicit(&self) -> Vec<&'static str> {
        [
            (self.api_key.is_some(), "an API key"),
            (self.token_provider.is_some(), "a bearer token provider"),
            (self.keys_set(), "static AWS keys"),
            (self.profile.is_some(), "a named profile"),
            (self.provider.is_some(), "a credentials provider"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }

    /// Resolves the identity; `env` already carries `AWS_PROFILE` for a named profile.
    pub(crate) fn resolve(&self, env: &Env) -> Result<Resolved, ConfigError> {
        if let [first, second, ..] = self.explicit()[..] {
            return Err(ConfigError::ambiguous_auth(first, second));
        }
        if let Some(key) = &self.api_key {
            return bearer(&key.0);
        }
        if let Some(provider) = &self.token_provider {
            return Ok(Resolved::Bearer(provider.clone()));
        }
        if self.keys_set() {
            return self.static_keys();
        }
        if let Some(name) = &self.profile {
            let credentials = ProfileCredentials::from_env(env)
                .map_err(|e| {
                    ConfigError::credentials(format!("profile `{name}`"), Some(Box::new(e)))
                })?
                .ok_or_else(|| {
                    ConfigError::credentials(format!("profile `{name}` has no credentials"), None)
                })?;
            return Ok(Resolved::SigV4(
                CredentialsCache::builder(credentials)
                    .provider_name(format!("profile {name}"))
                    .build(),
            ));
        }
        if let Some(provider) = &self.provider {
            return Ok(Resolved::SigV4(CredentialsCache::new(provider.clone())));
        }
        if let Some(token) = env.get(BEARER_TOKEN_ENV_VAR) {
            return bearer(token);
        }
        let provider = default_provider(env)
            .map_err(|e| ConfigError::credentials("the default chain", Some(Box::new(e))))?;
        let name = provider.name();
        Ok(Resolved::SigV4(
            CredentialsCache::builder(provider)
                .provider_name(name)
                .build(),
        ))
    }

    fn static_keys(&self) -> Result<Resolved, ConfigError> {
        let mut builder = StaticCredentials::builder();
        if let Some(v) = &self.access_key_id {
            builder = builder.access_key_id(v.0.clone());
        }
        if let Some(v) = &self.secret_access_key {
            builder = builder.secret_access_key(v.0.clone());
        }
        if let Some(v) = &self.session_token {
            builder = builder.session_token(v.0.clone());
        }
        let credentials = builder
            .build()
            .map_err(|e| ConfigError::credentials(e.to_string(), Some(Box::new(e))))?;
        Ok(Resolved::SigV4(CredentialsCache::new(credentials)))
    }
}

fn bearer(token: &str) -> Result<Resolved, ConfigError> {
    let token = StaticToken::new(token).map_err(|_| ConfigError::invalid_api_key())?;
    Ok(Resolved::Bearer(Arc::new(token)))
}
