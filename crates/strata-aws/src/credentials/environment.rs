//! Credentials from environment variables.

use std::fmt;

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, future};

use super::static_keys::{KeyNames, StaticKeysError, keys_from_parts};
use crate::env::Env;

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read
/// once from an [`Env`].
///
/// `Debug` shows neither the secret nor the token.
#[derive(Clone)]
pub struct EnvironmentCredentials {
    credentials: Credentials,
}

impl EnvironmentCredentials {
    /// Reads the keys from `env`: `Ok(None)` when none is set.
    ///
    /// # Errors
    /// Only part of the keys is set; the message names the missing variable.
    pub fn from_env(env: &Env) -> Result<Option<Self>, StaticKeysError> {
        let names = KeyNames {
            source: "AWS credentials in the environment",
            access_key_id: "AWS_ACCESS_KEY_ID",
            secret_access_key: "AWS_SECRET_ACCESS_KEY",
            session_token: "AWS_SESSION_TOKEN",
        };
        let get = |name: &str| env.get(name).map(str::to_owned);
        Ok(keys_from_parts(
            get("AWS_ACCESS_KEY_ID"),
            get("AWS_SECRET_ACCESS_KEY"),
            get("AWS_SESSION_TOKEN"),
            &names,
            "environment",
        )?
        .map(|credentials| Self { credentials }))
    }
}

impl fmt::Debug for EnvironmentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvironmentCredentials")
            .field("access_key_id", &self.credentials.access_key_id())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Ok(self.credentials.clone()))
    }
}
