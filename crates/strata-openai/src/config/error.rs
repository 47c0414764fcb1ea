//! [`ConfigError`]: why a provider could not be built.

use std::error::Error as StdError;
use std::fmt;

/// Why a configuration could not be built. Never contains the API key.
pub struct ConfigError {
    kind: Kind,
    source: Option<strata_http::BoxError>,
}

#[derive(Debug)]
#[cfg_attr(not(feature = "mantle"), allow(dead_code))]
pub(super) enum Kind {
    InvalidBaseUrl {
        url: String,
        reason: &'static str,
    },
    MissingApiKey,
    InvalidApiKey,
    InvalidHeader {
        name: String,
        reason: &'static str,
    },
    ConflictingAuth,
    Setting {
        what: &'static str,
    },
    AmbiguousAuth {
        first: &'static str,
        second: &'static str,
    },
    Credentials {
        message: String,
    },
    Region,
    RegionMismatch {
        host_region: String,
        region: String,
    },
    InsecureEndpoint {
        url: String,
        secret: &'static str,
    },
}

impl ConfigError {
    pub(super) fn new(kind: Kind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn insecure_endpoint(url: &str, secret: &'static str) -> Self {
        Self::new(Kind::InsecureEndpoint {
            url: url.to_owned(),
            secret,
        })
    }

    /// Whether a secret (API key, bearer token, AWS credentials) would travel over plain
    /// HTTP to a host that is not a loopback address.
    pub fn is_insecure_endpoint(&self) -> bool {
        matches!(self.kind, Kind::InsecureEndpoint { .. })
    }

    pub(crate) fn conflicting_auth() -> Self {
        Self::new(Kind::ConflictingAuth)
    }

    #[cfg_attr(not(feature = "mantle"), allow(dead_code))]
    pub(crate) fn ambiguous_auth(first: &'static str, second: &'static str) -> Self {
        Self::new(Kind::AmbiguousAuth { first, second })
    }

    #[cfg_attr(not(feature = "mantle"), allow(dead_code))]
    pub(crate) fn credentials(
        message: impl Into<String>,
        source: Option<strata_http::BoxError>,
    ) -> Self {
        Self {
            kind: Kind::Credentials {
                message: message.into(),
            },
            source,
        }
    }

    #[cfg_attr(not(feature = "mantle"), allow(dead_code))]
    pub(crate) fn region(source: impl Into<strata_http::BoxError>) -> Self {
        Self {
            kind: Kind::Region,
            source: Some(source.into()),
        }
    }

    #[cfg_attr(not(feature = "mantle"), allow(dead_code))]
    pub(crate) fn region_mismatch(host_region: &str, region: &str) -> Self {
        Self::new(Kind::RegionMismatch {
            host_region: host_region.to_owned(),
            region: region.to_owned(),
        })
    }

    #[cfg_attr(not(feature = "mantle"), allow(dead_code))]
    pub(crate) fn invalid_api_key() -> Self {
        Self::new(Kind::InvalidApiKey)
    }

    pub(crate) fn setting(what: &'static str, source: impl Into<strata_http::BoxError>) -> Self {
        Self {
            kind: Kind::Setting { what },
            source: Some(source.into()),
        }
    }

    /// Whether the base URL is not an http(s) URL with a host and without a query.
    pub fn is_invalid_base_url(&self) -> bool {
        matches!(self.kind, Kind::InvalidBaseUrl { .. })
    }

    /// Whether no API key was given for `api.openai.com`.
    pub fn is_missing_api_key(&self) -> bool {
        matches!(self.kind, Kind::MissingApiKey)
    }

    /// Whether the API key cannot be sent in a header.
    pub fn is_invalid_api_key(&self) -> bool {
        matches!(self.kind, Kind::InvalidApiKey)
    }

    /// Whether a header name or value (organization, project, default headers) is invalid.
    pub fn is_invalid_header(&self) -> bool {
        matches!(self.kind, Kind::InvalidHeader { .. })
    }

    /// Whether both an API key and a token provider were given.
    pub fn is_conflicting_auth(&self) -> bool {
        matches!(self.kind, Kind::ConflictingAuth)
    }

    /// Whether two authentication modes were given (e.g. an API key and AWS keys).
    pub fn is_ambiguous_auth(&self) -> bool {
        matches!(self.kind, Kind::AmbiguousAuth { .. })
    }

    /// Whether AWS credentials could not be set up (half-specified keys, a profile without
    /// credentials, no credentials at all).
    pub fn is_credentials(&self) -> bool {
        matches!(self.kind, Kind::Credentials { .. })
    }

    /// Whether no valid AWS region was found; the cause is the source.
    pub fn is_region(&self) -> bool {
        matches!(self.kind, Kind::Region)
    }

    /// Whether the region in a `bedrock-mantle.{region}.api.aws` (or bedrock-runtime) host
    /// differs from the signing region.
    pub fn is_region_mismatch(&self) -> bool {
        matches!(self.kind, Kind::RegionMismatch { .. })
    }

    /// Whether a stack setting (HTTP client, user agent) was refused; the cause is the source.
    pub fn is_invalid_setting(&self) -> bool {
        matches!(self.kind, Kind::Setting { .. })
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid OpenAI base URL `{url}`: {reason}")
            }
            Kind::MissingApiKey => {
                f.write_str("no OpenAI API key: pass one to the builder or set OPENAI_API_KEY")
            }
            Kind::InvalidApiKey => {
                f.write_str("the OpenAI API key contains characters a header cannot carry")
            }
            Kind::InvalidHeader { name, reason } => write!(f, "invalid header `{name}`: {reason}"),
            Kind::ConflictingAuth => {
                f.write_str("an API key and a token provider were both given; choose one")
            }
            Kind::Setting { what } => write!(f, "invalid {what}"),
            Kind::AmbiguousAuth { first, second } => write!(
                f,
                "two authentication modes were given ({first} and {second}); choose one"
            ),
            Kind::Credentials { message } => write!(f, "AWS credentials: {message}"),
            Kind::Region => f.write_str("no valid AWS region"),
            Kind::InsecureEndpoint { url, secret } => write!(
                f,
                "refusing to send {secret} over plain HTTP to {url}: use https, a loopback \
                 address, or allow_insecure_endpoint(true)"
            ),
            Kind::RegionMismatch {
                host_region,
                region,
            } => write!(
                f,
                "the endpoint is in region `{host_region}` but requests would be signed for `{region}`"
            ),
        }
    }
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigError")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for ConfigError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<ConfigError> for strata_core::Error {
    fn from(error: ConfigError) -> Self {
        strata_core::Error::config(error.to_string()).with_source(error)
    }
}
