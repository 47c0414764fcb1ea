//! The error of [`BedrockBuilder::build`](super::BedrockBuilder::build).

use std::error::Error as StdError;
use std::fmt;

/// The Bedrock provider could not be configured.
///
/// Opaque: ask what went wrong with the `is_*()` predicates; the message names the setting and
/// never contains a key, token or other secret. Converts into a
/// [`strata_core::Error`] for which [`is_config`](strata_core::Error::is_config) holds.
///
/// ```
/// use strata_bedrock::Bedrock;
///
/// let error = Bedrock::builder()
///     .env_vars([("AWS_REGION", "us-east-1")])
///     .api_key("bedrock-api-key-example")
///     .profile("dev")
///     .build()
///     .unwrap_err();
/// assert!(error.is_ambiguous_auth());
/// assert_eq!(
///     error.to_string(),
///     "ambiguous authentication: both a named profile and a Bedrock API key were configured; choose one"
/// );
/// ```
pub struct BuildError {
    kind: Kind,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

#[derive(Debug)]
pub(crate) enum Kind {
    /// More than one explicit authentication mode.
    AmbiguousAuth {
        first: &'static str,
        second: &'static str,
    },
    /// Static keys with a part missing.
    HalfSpecifiedKeys(String),
    /// No usable credentials (profile without keys, nothing in the default chain, …); the
    /// details are in the message or the source.
    Credentials(Option<String>),
    /// A bearer token or API key that cannot be sent in a header.
    InvalidToken,
    /// No usable region.
    Region,
    /// An endpoint could not be resolved.
    Endpoint(&'static str),
    /// Secrets would travel over plain HTTP to a non-loopback host.
    InsecureEndpoint {
        endpoint: String,
        secret: &'static str,
    },
    /// A default header name or value is invalid.
    InvalidHeader(String),
    /// Another invalid setting (zero timeout, bad user-agent suffix, …).
    Invalid(String),
}

impl BuildError {
    pub(crate) fn new(kind: Kind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: Kind,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// A component rejected a setting; `what` names it.
    pub(crate) fn setting(
        what: &str,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        Self::with_source(Kind::Invalid(format!("{what} cannot be built")), source)
    }

    /// Two authentication modes were configured explicitly (e.g. keys and an API key).
    pub fn is_ambiguous_auth(&self) -> bool {
        matches!(self.kind, Kind::AmbiguousAuth { .. })
    }

    /// Static keys were given only in part (the message names the missing part).
    pub fn is_half_specified_keys(&self) -> bool {
        matches!(self.kind, Kind::HalfSpecifiedKeys(_))
    }

    /// No usable credentials were found, or a credentials source is misconfigured.
    pub fn is_credentials(&self) -> bool {
        matches!(self.kind, Kind::Credentials(_) | Kind::InvalidToken)
    }

    /// No region was configured, or the region name is invalid.
    pub fn is_region(&self) -> bool {
        matches!(self.kind, Kind::Region)
    }

    /// An endpoint URL or endpoint setting is invalid.
    pub fn is_endpoint(&self) -> bool {
        matches!(self.kind, Kind::Endpoint(_))
    }

    /// A bearer token or session token would be sent over plain `http://` to a host that is
    /// not a loopback address (see
    /// [`allow_insecure_endpoint`](super::BedrockBuilder::allow_insecure_endpoint)).
    pub fn is_insecure_endpoint(&self) -> bool {
        matches!(self.kind, Kind::InsecureEndpoint { .. })
    }

    /// A default header is invalid.
    pub fn is_invalid_header(&self) -> bool {
        matches!(self.kind, Kind::InvalidHeader(_))
    }

    /// Another setting is invalid (timeouts, retry settings, user-agent suffix).
    pub fn is_invalid_setting(&self) -> bool {
        matches!(self.kind, Kind::Invalid(_))
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::AmbiguousAuth { first, second } => write!(
                f,
                "ambiguous authentication: both {first} and {second} were configured; choose one"
            ),
            Kind::HalfSpecifiedKeys(message) => f.write_str(message),
            Kind::Credentials(Some(message)) => write!(f, "no usable AWS credentials: {message}"),
            Kind::Credentials(None) => f.write_str("no usable AWS credentials"),
            Kind::InvalidToken => {
                f.write_str("the Bedrock API key or bearer token cannot be sent in an HTTP header")
            }
            Kind::Region => f.write_str("no usable AWS region"),
            Kind::Endpoint(which) => write!(f, "cannot resolve the {which} endpoint"),
            Kind::InsecureEndpoint { endpoint, secret } => write!(
                f,
                "refusing to send {secret} over plain HTTP to {endpoint}: use https, a loopback \
                 address, or allow_insecure_endpoint(true)"
            ),
            Kind::InvalidHeader(name) => write!(f, "invalid default header `{name}`"),
            Kind::Invalid(message) => write!(f, "invalid setting: {message}"),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("BuildError");
        debug.field("kind", &self.kind);
        if let Some(source) = &self.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<BuildError> for strata_core::Error {
    fn from(error: BuildError) -> Self {
        let mut message = error.to_string();
        let mut next = StdError::source(&error);
        while let Some(source) = next {
            message.push_str(": ");
            message.push_str(&source.to_string());
            next = source.source();
        }
        strata_core::Error::config(message).with_source(error)
    }
}
