//! Static keys, validated once.

use std::fmt;

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, future};

/// Fixed credentials: an access key id, a secret access key and an optional session token.
///
/// `Debug` shows neither the secret nor the token.
#[derive(Clone)]
pub struct StaticCredentials {
    credentials: Credentials,
}

impl StaticCredentials {
    /// A builder; access key id and secret access key are both required.
    pub fn builder() -> StaticCredentialsBuilder {
        StaticCredentialsBuilder::default()
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.credentials.access_key_id())
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.credentials.session_token().map(|_| "** redacted **"),
            )
            .finish()
    }
}

impl ProvideCredentials for StaticCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Ok(self.credentials.clone()))
    }
}

/// Builds [`StaticCredentials`]; half-specified keys are an error at [`build`](Self::build).
#[derive(Default)]
pub struct StaticCredentialsBuilder {
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
}

impl fmt::Debug for StaticCredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentialsBuilder")
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

impl StaticCredentialsBuilder {
    /// The access key id (required).
    pub fn access_key_id(mut self, value: impl Into<String>) -> Self {
        self.access_key_id = Some(value.into());
        self
    }

    /// The secret access key (required).
    pub fn secret_access_key(mut self, value: impl Into<String>) -> Self {
        self.secret_access_key = Some(value.into());
        self
    }

    /// A session token, for temporary credentials.
    pub fn session_token(mut self, value: impl Into<String>) -> Self {
        self.session_token = Some(value.into());
        self
    }

    /// Validates the keys.
    ///
    /// # Errors
    /// Names what is missing when only part of the keys was given (or none).
    pub fn build(self) -> Result<StaticCredentials, StaticKeysError> {
        let names = KeyNames {
            source: "static AWS credentials",
            access_key_id: "the access key id",
            secret_access_key: "the secret access key",
            session_token: "a session token",
        };
        match keys_from_parts(
            self.access_key_id,
            self.secret_access_key,
            self.session_token,
            &names,
            "static",
        )? {
            Some(credentials) => Ok(StaticCredentials { credentials }),
            None => Err(StaticKeysError {
                message: format!(
                    "{}: {} and {} are missing",
                    names.source, names.access_key_id, names.secret_access_key
                ),
            }),
        }
    }
}

/// How a source names the three parts of a key, for error messages.
pub(crate) struct KeyNames {
    pub(crate) source: &'static str,
    pub(crate) access_key_id: &'static str,
    pub(crate) secret_access_key: &'static str,
    pub(crate) session_token: &'static str,
}

/// `Ok(None)` when nothing was given; an error naming the missing part when some was.
pub(crate) fn keys_from_parts(
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    names: &KeyNames,
    provider_name: &'static str,
) -> Result<Option<Credentials>, StaticKeysError> {
    let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let (access, secret, token) = (
        nonempty(access_key_id),
        nonempty(secret_access_key),
        nonempty(session_token),
    );
    let missing = match (&access, &secret) {
        (Some(_), Some(_)) => None,
        (Some(_), None) => Some(format!(
            "{} is missing ({} was given)",
            names.secret_access_key, names.access_key_id
        )),
        (None, Some(_)) => Some(format!(
            "{} is missing ({} was given)",
            names.access_key_id, names.secret_access_key
        )),
        (None, None) if token.is_some() => Some(format!(
            "{} and {} are missing ({} was given)",
            names.access_key_id, names.secret_access_key, names.session_token
        )),
        (None, None) => return Ok(None),
    };
    if let Some(missing) = missing {
        return Err(StaticKeysError {
            message: format!("{} are half-specified: {missing}", names.source),
        });
    }
    let (Some(access), Some(secret)) = (access, secret) else {
        unreachable!("both keys are present here")
    };
    Ok(Some(Credentials::new(
        access,
        secret,
        token,
        None,
        provider_name,
    )))
}

/// Static keys were only partly given. The message names the missing part and never holds a
/// key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StaticKeysError {
    message: String,
}
