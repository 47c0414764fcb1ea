//! Errors of credential providers and of the credentials layer.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// No valid credentials could be had. Names the provider that failed; never holds a secret.
///
/// Cheap to clone: requests that waited on the same failed refresh share one error.
#[derive(Clone)]
pub struct CredentialsError {
    provider: Cow<'static, str>,
    kind: CredentialsErrorKind,
    source: Option<Source>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CredentialsErrorKind {
    NotConfigured,
    Provider,
    Timeout,
    Expired,
    Invalid,
}

impl CredentialsError {
    fn new(provider: impl Into<Cow<'static, str>>, kind: CredentialsErrorKind) -> Self {
        Self {
            provider: provider.into(),
            kind,
            source: None,
        }
    }

    fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The provider is not configured (e.g. no keys in the environment).
    pub fn not_configured(
        provider: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(provider, CredentialsErrorKind::NotConfigured).with_source(Message(reason.into()))
    }

    /// The provider failed, because of `source`.
    pub fn provider_failed(
        provider: impl Into<Cow<'static, str>>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::new(provider, CredentialsErrorKind::Provider).with_source(source)
    }

    /// The provider's configuration or output is invalid, as `reason` says (without secrets).
    pub fn invalid(
        provider: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(provider, CredentialsErrorKind::Invalid).with_source(Message(reason.into()))
    }

    pub(crate) fn timeout(provider: impl Into<Cow<'static, str>>) -> Self {
        Self::new(provider, CredentialsErrorKind::Timeout)
    }

    pub(crate) fn expired(provider: impl Into<Cow<'static, str>>) -> Self {
        Self::new(provider, CredentialsErrorKind::Expired)
    }

    /// The name of the provider that failed.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The provider was not configured.
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }

    /// The provider did not answer in time.
    pub fn is_timeout(&self) -> bool {
        self.kind == CredentialsErrorKind::Timeout
    }

    /// The provider returned credentials that had already expired.
    pub fn is_expired(&self) -> bool {
        self.kind == CredentialsErrorKind::Expired
    }

    /// The provider's configuration or output is invalid.
    pub fn is_invalid(&self) -> bool {
        self.kind == CredentialsErrorKind::Invalid
    }

    /// The provider failed for another reason (see `source()`).
    pub fn is_provider_failure(&self) -> bool {
        self.kind == CredentialsErrorKind::Provider
    }
}

impl fmt::Debug for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsError")
            .field("provider", &self.provider)
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.provider;
        match self.kind {
            CredentialsErrorKind::NotConfigured => {
                write!(f, "credentials provider `{p}` is not configured")
            }
            CredentialsErrorKind::Provider => write!(f, "credentials provider `{p}` failed"),
            CredentialsErrorKind::Timeout => {
                write!(f, "credentials provider `{p}` did not answer in time")
            }
            CredentialsErrorKind::Expired => {
                write!(f, "credentials provider `{p}` returned expired credentials")
            }
            CredentialsErrorKind::Invalid => {
                write!(
                    f,
                    "credentials provider `{p}` is misconfigured or returned invalid output"
                )
            }
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A plain reason, as an error in a `source()` chain.
#[derive(Debug)]
struct Message(Cow<'static, str>);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl From<CredentialsError> for strata_http::Error {
    fn from(error: CredentialsError) -> Self {
        strata_http::Error::credentials(error.provider.clone(), error)
    }
}
