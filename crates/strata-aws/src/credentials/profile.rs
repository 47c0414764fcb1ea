//! Credentials from the shared config and credentials files.

use std::fmt;

use aws_credential_types::provider::{ProvideCredentials, future};

use super::error::CredentialsError;
use super::process::CredentialProcess;
use super::static_keys::{KeyNames, StaticCredentials, keys_from_parts};
use crate::env::Env;
use crate::profile::ProfileFiles;

/// Credentials from the selected profile: static keys (`aws_access_key_id`,
/// `aws_secret_access_key`, `aws_session_token`) or a `credential_process` command.
#[derive(Clone)]
pub struct ProfileCredentials {
    profile: String,
    source: Source,
}

#[derive(Clone)]
enum Source {
    Static(StaticCredentials),
    Process(CredentialProcess),
}

impl ProfileCredentials {
    /// Reads the profile files `env` names: `Ok(None)` when the selected profile holds no
    /// credentials (or does not exist).
    ///
    /// # Errors
    /// The files cannot be read or parsed, the profile's keys are half-specified, or it needs
    /// assume-role, SSO or web identity (which need the `aws-config` feature).
    pub fn from_env(env: &Env) -> Result<Option<Self>, CredentialsError> {
        let files =
            ProfileFiles::load(env).map_err(|e| CredentialsError::provider_failed("profile", e))?;
        Self::from_files(&files)
    }

    /// Uses already loaded profile files.
    ///
    /// # Errors
    /// The profile's keys are half-specified, or it needs assume-role, SSO or web identity
    /// (which need the `aws-config` feature).
    pub fn from_files(files: &ProfileFiles) -> Result<Option<Self>, CredentialsError> {
        let Some(profile) = files.selected() else {
            return Ok(None);
        };
        let name = profile.name().to_owned();
        let names = KeyNames {
            source: "AWS credentials in the profile",
            access_key_id: "aws_access_key_id",
            secret_access_key: "aws_secret_access_key",
            session_token: "aws_session_token",
        };
        let get = |key: &str| profile.get(key).map(str::to_owned);
        let keys = keys_from_parts(
            get("aws_access_key_id"),
            get("aws_secret_access_key"),
            get("aws_session_token"),
            &names,
            "profile",
        )
        .map_err(|e| CredentialsError::invalid(format!("profile `{name}`"), e.to_string()))?;
        if let Some(credentials) = keys {
            let provider = StaticCredentials::builder()
                .access_key_id(credentials.access_key_id())
                .secret_access_key(credentials.secret_access_key());
            let provider = match credentials.session_token() {
                Some(token) => provider.session_token(token),
                None => provider,
            };
            let provider = provider.build().map_err(|e| {
                CredentialsError::invalid(format!("profile `{name}`"), e.to_string())
            })?;
            return Ok(Some(Self {
                profile: name,
                source: Source::Static(provider),
            }));
        }
        if let Some(command) = profile.get("credential_process") {
            return Ok(Some(Self {
                profile: name,
                source: Source::Process(CredentialProcess::new(command)),
            }));
        }
        let needs_aws_config = [
            "role_arn",
            "sso_session",
            "sso_start_url",
            "web_identity_token_file",
        ]
        .into_iter()
        .find(|key| profile.get(key).is_some());
        match needs_aws_config {
            Some(key) => Err(CredentialsError::not_configured(
                format!("profile `{name}`"),
                format!(
                    "the profile uses `{key}` (assume-role, SSO or web identity), which strata's \
                     built-in providers do not support; enable the `aws-config` feature and use \
                     `aws_config_default_chain`"
                ),
            )),
            None => Ok(None),
        }
    }

    /// The profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    /// Whether the credentials come from `credential_process`.
    pub fn is_credential_process(&self) -> bool {
        matches!(self.source, Source::Process(_))
    }
}

impl fmt::Debug for ProfileCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ProfileCredentials");
        d.field("profile", &self.profile);
        match &self.source {
            Source::Static(s) => d.field("source", s),
            Source::Process(p) => d.field("source", p),
        };
        d.finish()
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        match &self.source {
            Source::Static(s) => s.provide_credentials(),
            Source::Process(p) => p.provide_credentials(),
        }
    }
}
