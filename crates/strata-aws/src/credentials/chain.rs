//! The default chain of built-in providers.

use aws_credential_types::provider::{ProvideCredentials, future};

use super::cache::CredentialsCache;
use super::environment::EnvironmentCredentials;
use super::error::CredentialsError;
use super::profile::ProfileCredentials;
use crate::env::Env;

/// The provider [`default_provider`] chose.
#[derive(Debug, Clone)]
pub struct DefaultProvider {
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Environment(EnvironmentCredentials),
    Profile(ProfileCredentials),
}

impl DefaultProvider {
    /// The chosen provider's name: `environment`, `profile <name>` or
    /// `credential_process (profile <name>)`.
    pub fn name(&self) -> String {
        match &self.source {
            Source::Environment(_) => "environment".to_owned(),
            Source::Profile(p) if p.is_credential_process() => {
                format!("credential_process (profile {})", p.profile_name())
            }
            Source::Profile(p) => format!("profile {}", p.profile_name()),
        }
    }
}

/// Chooses, once, the first configured source: keys in the environment, then the selected
/// profile of the shared files (static keys, then `credential_process`).
///
/// # Errors
/// A source is half-configured or unreadable, or no source is configured (the message says how
/// to configure one).
pub fn default_provider(env: &Env) -> Result<DefaultProvider, CredentialsError> {
    if let Some(provider) = EnvironmentCredentials::from_env(env)
        .map_err(|e| CredentialsError::invalid("environment", e.to_string()))?
    {
        return Ok(DefaultProvider {
            source: Source::Environment(provider),
        });
    }
    if let Some(provider) = ProfileCredentials::from_env(env)? {
        return Ok(DefaultProvider {
            source: Source::Profile(provider),
        });
    }
    Err(CredentialsError::not_configured(
        "default chain",
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the \
         profile (AWS_PROFILE, else `default`) keys or a `credential_process` in the shared \
         config or credentials file; for SSO, assume-role, web identity, containers or IMDS \
         enable the `aws-config` feature",
    ))
}

/// [`default_provider`] behind a [`CredentialsCache`] with default settings, named after the
/// chosen provider.
///
/// # Errors
/// As [`default_provider`].
pub fn default_cache(env: &Env) -> Result<CredentialsCache, CredentialsError> {
    let provider = default_provider(env)?;
    let name = provider.name();
    Ok(CredentialsCache::builder(provider)
        .provider_name(name)
        .build())
}

impl ProvideCredentials for DefaultProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        match &self.source {
            Source::Environment(p) => p.provide_credentials(),
            Source::Profile(p) => p.provide_credentials(),
        }
    }
}
