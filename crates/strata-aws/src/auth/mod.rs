//! AWS authentication for any provider: the modes a builder collects, resolved once, at build
//! time, into the runtime's [`Auth`] step.
//!
//! [`AwsSettings`] holds what a user set — the region and at most one explicit mode: static
//! keys, a credentials provider, a named profile, a Bedrock API key or a bearer token provider.
//! Provider builders forward its setters under the same names with
//! [`aws_settings!`](crate::aws_settings). [`AwsSettings::resolve`] picks, in order:
//!
//! 1. the one explicit mode (two are an [ambiguous-auth](BuildError::is_ambiguous_auth) error;
//!    half-given keys a [half-specified](BuildError::is_half_specified_keys) one; explicit keys
//!    never pick up `AWS_SESSION_TOKEN` or other variables);
//! 2. a Bedrock API key in [`BEARER_TOKEN_ENV_VAR`];
//! 3. the default chain: environment keys, then the selected profile's keys or
//!    `credential_process`; with the `aws-config` feature, when those find nothing (or the
//!    profile needs SSO, assume-role or web identity), `aws-config`'s chain — built at the first
//!    request, reading the process environment.
//!
//! [`AwsAuth::into_auth`] turns the result into the runtime's step: the credentials layer and
//! the SigV4 signer (signing name and region), or a bearer token.
//!
//! ```
//! use strata_aws::auth::AwsSettings;
//! use strata_http::env::Env;
//!
//! let env = Env::from_vars([("AWS_REGION", "eu-west-1"), ("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-example")]);
//! let settings = AwsSettings::default();
//! let region = settings.region(&env)?;
//! let auth = settings.resolve(&env, Some(&region))?;
//! assert!(auth.is_bearer());
//! assert_eq!(auth.secret_on_the_wire(), Some("a bearer token"));
//! assert!(!format!("{auth:?}").contains("bedrock-api-key-example"));
//!
//! let ambiguous = AwsSettings::default().api_key("k").profile("dev").resolve(&env, Some(&region));
//! assert!(ambiguous.unwrap_err().is_ambiguous_auth());
//! let runtime_auth = auth.into_auth("bedrock", Some(&region))?;
//! # let _ = runtime_auth;
//! # Ok::<(), strata_http::runtime::BuildError>(())
//! ```

#[cfg(feature = "aws-config")]
mod aws_config_chain;
mod settings;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use strata_http::bearer::TokenProvider;
use strata_http::runtime::{Auth, BuildError};
use tower_layer::Stack;

pub use settings::AwsSettings;

use crate::credentials::{CredentialsCache, CredentialsLayer};
use crate::region::Region;
use crate::sign::SigV4Layer;

/// The environment variable holding a Bedrock API key.
pub const BEARER_TOKEN_ENV_VAR: &str = "AWS_BEARER_TOKEN_BEDROCK";

/// A resolved AWS identity source: SigV4 with cached credentials, or a bearer token.
#[derive(Clone)]
pub struct AwsAuth {
    source: Source,
}

#[derive(Clone)]
enum Source {
    SigV4 {
        cache: CredentialsCache,
        /// Whether a session token may be sent (unknown sources count as yes).
        may_send_session_token: bool,
    },
    Bearer(Arc<dyn TokenProvider>),
}

impl AwsAuth {
    pub(crate) fn sigv4(cache: CredentialsCache, may_send_session_token: bool) -> Self {
        Self {
            source: Source::SigV4 {
                cache,
                may_send_session_token,
            },
        }
    }

    pub(crate) fn bearer(provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            source: Source::Bearer(provider),
        }
    }

    /// Whether requests carry a bearer token instead of a SigV4 signature.
    pub fn is_bearer(&self) -> bool {
        matches!(self.source, Source::Bearer(_))
    }

    /// The credentials cache requests are signed from, for SigV4.
    pub fn credentials_cache(&self) -> Option<&CredentialsCache> {
        match &self.source {
            Source::SigV4 { cache, .. } => Some(cache),
            Source::Bearer(_) => None,
        }
    }

    /// The secret requests carry that must not cross plain HTTP: a bearer token, or a session
    /// token (for credential sources that may hand one out); `None` for static keys without
    /// one, whose signature reveals no secret.
    pub fn secret_on_the_wire(&self) -> Option<&'static str> {
        match &self.source {
            Source::Bearer(_) => Some("a bearer token"),
            Source::SigV4 {
                may_send_session_token: true,
                ..
            } => Some("a session token"),
            Source::SigV4 { .. } => None,
        }
    }

    /// The runtime's authentication step: the credentials layer then a SigV4 signer for
    /// `signing_name` in `region` (every attempt signed afresh), or the bearer token (which
    /// needs no region).
    ///
    /// # Errors
    /// SigV4 without a region, or a signing name or region the signer refuses.
    pub fn into_auth(
        self,
        signing_name: &str,
        region: Option<&Region>,
    ) -> Result<Auth, BuildError> {
        let secret = self.secret_on_the_wire();
        match self.source {
            Source::Bearer(provider) => Ok(Auth::bearer(provider)),
            Source::SigV4 { cache, .. } => {
                let region = region.ok_or_else(BuildError::region)?;
                let signer = SigV4Layer::builder()
                    .signing_name(signing_name)
                    .region(region.as_str())
                    .build()
                    .map_err(|e| BuildError::setting("the SigV4 signer", e))?;
                // Credentials outside, the signer inside: `Stack::new(inner, outer)`.
                let layers = Stack::new(signer, CredentialsLayer::new(cache));
                Ok(Auth::layer(layers, secret))
            }
        }
    }
}

impl fmt::Debug for AwsAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::SigV4 { cache, .. } => f
                .debug_struct("SigV4")
                .field("provider", &cache.provider_name())
                .finish(),
            Source::Bearer(_) => f.write_str("Bearer"),
        }
    }
}
