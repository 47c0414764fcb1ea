//! [`AwsSettings`]: what a user set, and how it resolves.

use std::fmt;
use std::sync::Arc;

use strata_http::bearer::{StaticToken, TokenProvider};
use strata_http::env::Env;
use strata_http::runtime::BuildError;

use super::{AwsAuth, BEARER_TOKEN_ENV_VAR};
use crate::credentials::{
    CredentialsCache, CredentialsError, ProfileCredentials, ProvideCredentials,
    SharedCredentialsProvider, StaticCredentials, default_provider,
};
use crate::region::Region;

/// A string that never prints.
#[derive(Clone, Default)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// The region and authentication a user set on a builder (any number of modes; validated at
/// [`resolve`](Self::resolve)). `Debug` never shows keys or tokens.
#[derive(Clone, Default)]
pub struct AwsSettings {
    region: Option<String>,
    access_key_id: Option<Secret>,
    secret_access_key: Option<Secret>,
    session_token: Option<Secret>,
    provider: Option<SharedCredentialsProvider>,
    profile: Option<String>,
    api_key: Option<Secret>,
    token_provider: Option<Arc<dyn TokenProvider>>,
}

impl fmt::Debug for AwsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSettings")
            .field("region", &self.region)
            .field("modes", &self.explicit())
            .field("profile", &self.profile)
            .finish()
    }
}

impl AwsSettings {
    /// The AWS region, e.g. `us-east-1` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the
    /// profile's `region`).
    pub fn region(&self, env: &Env) -> Result<Region, BuildError> {
        Region::resolve(self.region.as_deref(), env)
            .map_err(|e| BuildError::region().with_source(e))
    }

    /// Sets the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Static AWS access key id (give the secret access key too).
    pub fn access_key_id(mut self, value: impl Into<String>) -> Self {
        self.access_key_id = Some(Secret(value.into()));
        self
    }

    /// Static AWS secret access key (give the access key id too).
    pub fn secret_access_key(mut self, value: impl Into<String>) -> Self {
        self.secret_access_key = Some(Secret(value.into()));
        self
    }

    /// Session token for the static keys (temporary credentials).
    pub fn session_token(mut self, value: impl Into<String>) -> Self {
        self.session_token = Some(Secret(value.into()));
        self
    }

    /// Credentials from any provider (the AWS SDK's included), cached with refresh-ahead.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Credentials (and the region, unless set) from this profile of the shared config and
    /// credentials files, whatever `AWS_PROFILE` says.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// A Bedrock API key, sent as `Authorization: Bearer …` (no SigV4).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    /// A bearer token provider, asked for a token before every attempt (no SigV4).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// `env` as the settings see it: with `AWS_PROFILE` set to the named profile, if any.
    pub fn environment(&self, env: Env) -> Env {
        match &self.profile {
            Some(profile) => env.with_var("AWS_PROFILE", profile.clone()),
            None => env,
        }
    }

    fn keys_set(&self) -> bool {
        self.access_key_id.is_some()
            || self.secret_access_key.is_some()
            || self.session_token.is_some()
    }

    /// The explicit modes that were set, by name.
    fn explicit(&self) -> Vec<&'static str> {
        [
            (self.keys_set(), "static AWS keys"),
            (self.provider.is_some(), "a credentials provider"),
            (self.profile.is_some(), "a named profile"),
            (self.api_key.is_some(), "a Bedrock API key"),
            (self.token_provider.is_some(), "a bearer token provider"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }

    /// Resolves the mode (see the [module docs](super)) from `env`, which
    /// [`environment`](Self::environment) made. `region` is the region for the STS / SSO calls
    /// of the `aws-config` chain (its own resolution when `None`).
    ///
    /// # Errors
    /// Two explicit modes, half-given keys, a profile without credentials, an unusable API key,
    /// a misconfigured source, or no credentials at all.
    #[cfg_attr(not(feature = "aws-config"), allow(unused_variables))]
    pub fn resolve(&self, env: &Env, region: Option<&Region>) -> Result<AwsAuth, BuildError> {
        if let [first, second, ..] = self.explicit()[..] {
            return Err(BuildError::ambiguous_auth(first, second));
        }
        if self.keys_set() {
            return self.static_keys();
        }
        if let Some(provider) = &self.provider {
            return Ok(AwsAuth::sigv4(
                CredentialsCache::new(provider.clone()),
                true,
            ));
        }
        if let Some(name) = &self.profile {
            return profile(name, env);
        }
        if let Some(key) = &self.api_key {
            return bearer(&key.0);
        }
        if let Some(provider) = &self.token_provider {
            return Ok(AwsAuth::bearer(provider.clone()));
        }
        if let Some(token) = env.get(BEARER_TOKEN_ENV_VAR) {
            return bearer(token);
        }
        let (provider, name) = match default_provider(env) {
            Ok(provider) => {
                let name = provider.name();
                (SharedCredentialsProvider::new(provider), name)
            }
            #[cfg(feature = "aws-config")]
            Err(error) if error.is_not_configured() => {
                use super::aws_config_chain::{LazyAwsConfigChain, NAME};
                let chain = LazyAwsConfigChain::new(region.map(|r| r.as_str().to_owned()));
                (SharedCredentialsProvider::new(chain), NAME.to_owned())
            }
            Err(error) => return Err(credentials_error(error)),
        };
        let cache = CredentialsCache::builder(provider)
            .provider_name(name)
            .build();
        Ok(AwsAuth::sigv4(cache, true))
    }

    fn static_keys(&self) -> Result<AwsAuth, BuildError> {
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
            .map_err(|e| BuildError::half_specified_keys(e.to_string()))?;
        let may_send_session_token = credentials.credentials().session_token().is_some();
        Ok(AwsAuth::sigv4(
            CredentialsCache::new(credentials),
            may_send_session_token,
        ))
    }
}

/// A credentials source failed: the details as the source.
fn credentials_error(error: CredentialsError) -> BuildError {
    BuildError::credentials(None).with_source(error)
}

fn profile(name: &str, env: &Env) -> Result<AwsAuth, BuildError> {
    let credentials = ProfileCredentials::from_env(env)
        .map_err(credentials_error)?
        .ok_or_else(|| {
            BuildError::credentials(Some(format!(
                "profile `{name}` has no credentials (keys or credential_process) in the shared \
                 config or credentials file"
            )))
        })?;
    let cache = CredentialsCache::builder(credentials)
        .provider_name(format!("profile {name}"))
        .build();
    Ok(AwsAuth::sigv4(cache, true))
}

fn bearer(token: &str) -> Result<AwsAuth, BuildError> {
    let token =
        StaticToken::new(token).map_err(|e| BuildError::invalid_api_key().with_source(e))?;
    Ok(AwsAuth::bearer(Arc::new(token)))
}

/// Adds the [`AwsSettings`] setters, under the same names, to a provider builder that keeps its
/// `AwsSettings` in the field `$field`: `region`, `access_key_id`, `secret_access_key`,
/// `session_token`, `credentials_provider`, `profile`, `api_key` and `token_provider`.
///
/// ```
/// use strata_aws::auth::AwsSettings;
///
/// /// A provider's builder.
/// #[derive(Debug, Default)]
/// pub struct MyBuilder {
///     aws: AwsSettings,
/// }
///
/// impl MyBuilder {
///     strata_aws::aws_settings!(aws);
/// }
///
/// let builder = MyBuilder::default().region("us-east-1").api_key("secret-key");
/// assert!(!format!("{builder:?}").contains("secret-key"));
/// ```
#[macro_export]
macro_rules! aws_settings {
    ($field:ident) => {
        /// The AWS region, e.g. `us-east-1` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the
        /// profile's `region`).
        #[must_use]
        pub fn region(mut self, region: impl Into<String>) -> Self {
            self.$field = self.$field.with_region(region);
            self
        }

        /// Static AWS access key id (give [`secret_access_key`](Self::secret_access_key) too).
        #[must_use]
        pub fn access_key_id(mut self, value: impl Into<String>) -> Self {
            self.$field = self.$field.access_key_id(value);
            self
        }

        /// Static AWS secret access key (give [`access_key_id`](Self::access_key_id) too).
        #[must_use]
        pub fn secret_access_key(mut self, value: impl Into<String>) -> Self {
            self.$field = self.$field.secret_access_key(value);
            self
        }

        /// Session token for the static keys (temporary credentials).
        #[must_use]
        pub fn session_token(mut self, value: impl Into<String>) -> Self {
            self.$field = self.$field.session_token(value);
            self
        }

        /// Credentials from any provider, e.g. the AWS SDK's `aws_config` chain; cached with
        /// refresh-ahead by the stack.
        #[must_use]
        pub fn credentials_provider(
            mut self,
            provider: impl $crate::credentials::ProvideCredentials + 'static,
        ) -> Self {
            self.$field = self.$field.credentials_provider(provider);
            self
        }

        /// Credentials (and the region, unless set) from this profile of the shared config and
        /// credentials files, whatever `AWS_PROFILE` says.
        #[must_use]
        pub fn profile(mut self, name: impl Into<String>) -> Self {
            self.$field = self.$field.profile(name);
            self
        }

        /// A Bedrock API key, sent as `Authorization: Bearer …` (no SigV4).
        #[must_use]
        pub fn api_key(mut self, key: impl Into<String>) -> Self {
            self.$field = self.$field.api_key(key);
            self
        }

        /// A bearer token provider, asked for a token before every attempt (no SigV4).
        #[must_use]
        pub fn token_provider(mut self, provider: impl strata_http::bearer::TokenProvider) -> Self {
            self.$field = self.$field.token_provider(provider);
            self
        }
    };
}
