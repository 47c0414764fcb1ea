//! [`BuildError`]: why a provider could not be built.

use std::error::Error as StdError;
use std::fmt;

use crate::error::BoxError;

/// A provider (or a stack) could not be configured. The one build error of every provider.
///
/// Opaque: ask what went wrong with the `is_*()` predicates; the message names the setting and
/// never contains a key, token or other secret. Converts into a [`strata_core::Error`] for
/// which [`is_config`](strata_core::Error::is_config) holds. Providers (strata's and third
/// parties') make them with the constructors.
///
/// ```
/// use strata_http::runtime::BuildError;
///
/// let error = BuildError::ambiguous_auth("a named profile", "a Bedrock API key");
/// assert!(error.is_ambiguous_auth());
/// assert_eq!(
///     error.to_string(),
///     "ambiguous authentication: both a named profile and a Bedrock API key were configured; choose one"
/// );
/// let core = strata_core::Error::from(error);
/// assert!(core.is_config());
/// ```
pub struct BuildError {
    kind: Kind,
    source: Option<BoxError>,
}

#[derive(Debug)]
enum Kind {
    AmbiguousAuth {
        first: &'static str,
        second: &'static str,
    },
    HalfSpecifiedKeys(String),
    Credentials(Option<String>),
    MissingApiKey {
        provider: &'static str,
        variable: &'static str,
    },
    InvalidApiKey,
    Region,
    RegionMismatch {
        host_region: String,
        region: String,
    },
    Endpoint(&'static str),
    InvalidUrl {
        what: &'static str,
        url: String,
        reason: &'static str,
    },
    InsecureEndpoint {
        endpoint: String,
        secret: &'static str,
    },
    InvalidHeader {
        name: String,
        reason: &'static str,
    },
    InvalidSetting(String),
}

impl BuildError {
    fn new(kind: Kind) -> Self {
        Self { kind, source: None }
    }

    /// Attaches the cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Two authentication modes were configured explicitly.
    pub fn ambiguous_auth(first: &'static str, second: &'static str) -> Self {
        Self::new(Kind::AmbiguousAuth { first, second })
    }

    /// Static keys were given only in part; `message` names the missing part.
    pub fn half_specified_keys(message: impl Into<String>) -> Self {
        Self::new(Kind::HalfSpecifiedKeys(message.into()))
    }

    /// No usable credentials; `message` (if any) says why, the source has the details.
    pub fn credentials(message: Option<String>) -> Self {
        Self::new(Kind::Credentials(message))
    }

    /// No API key for a server that needs one (`variable` is where it could have come from).
    pub fn missing_api_key(provider: &'static str, variable: &'static str) -> Self {
        Self::new(Kind::MissingApiKey { provider, variable })
    }

    /// An API key or bearer token that cannot be sent in an HTTP header.
    pub fn invalid_api_key() -> Self {
        Self::new(Kind::InvalidApiKey)
    }

    /// No usable region; the source says why.
    pub fn region() -> Self {
        Self::new(Kind::Region)
    }

    /// An endpoint host names `host_region`, but requests would be signed for `region`.
    pub fn region_mismatch(host_region: impl Into<String>, region: impl Into<String>) -> Self {
        Self::new(Kind::RegionMismatch {
            host_region: host_region.into(),
            region: region.into(),
        })
    }

    /// The endpoint `which` could not be resolved; the source says why.
    pub fn endpoint(which: &'static str) -> Self {
        Self::new(Kind::Endpoint(which))
    }

    /// `url`, given as the `what` (e.g. "OpenAI base URL"), is not usable, for `reason`.
    pub fn invalid_url(what: &'static str, url: impl Into<String>, reason: &'static str) -> Self {
        Self::new(Kind::InvalidUrl {
            what,
            url: url.into(),
            reason,
        })
    }

    /// `secret` would travel over plain HTTP to `endpoint`, a host that is not loopback.
    pub fn insecure_endpoint(endpoint: impl Into<String>, secret: &'static str) -> Self {
        Self::new(Kind::InsecureEndpoint {
            endpoint: endpoint.into(),
            secret,
        })
    }

    /// A default header `name` is invalid, for `reason`.
    pub fn invalid_header(name: impl Into<String>, reason: &'static str) -> Self {
        Self::new(Kind::InvalidHeader {
            name: name.into(),
            reason,
        })
    }

    /// Another setting is invalid; `message` says which and why.
    pub fn invalid_setting(message: impl Into<String>) -> Self {
        Self::new(Kind::InvalidSetting(message.into()))
    }

    /// A component refused a setting; `what` names it and `source` says why.
    pub fn setting(what: &str, source: impl Into<BoxError>) -> Self {
        Self::invalid_setting(format!("{what} cannot be built")).with_source(source)
    }

    /// Two authentication modes were configured explicitly (e.g. keys and an API key).
    pub fn is_ambiguous_auth(&self) -> bool {
        matches!(self.kind, Kind::AmbiguousAuth { .. })
    }

    /// Static keys were given only in part (the message names the missing part).
    pub fn is_half_specified_keys(&self) -> bool {
        matches!(self.kind, Kind::HalfSpecifiedKeys(_))
    }

    /// Credentials could not be set up: none found, a source misconfigured, keys given in
    /// part, a missing or unusable API key.
    pub fn is_credentials(&self) -> bool {
        matches!(
            self.kind,
            Kind::Credentials(_)
                | Kind::HalfSpecifiedKeys(_)
                | Kind::MissingApiKey { .. }
                | Kind::InvalidApiKey
        )
    }

    /// No API key was given for a server that needs one.
    pub fn is_missing_api_key(&self) -> bool {
        matches!(self.kind, Kind::MissingApiKey { .. })
    }

    /// The API key or bearer token cannot be sent in a header.
    pub fn is_invalid_api_key(&self) -> bool {
        matches!(self.kind, Kind::InvalidApiKey)
    }

    /// No region was configured, or the region name is invalid.
    pub fn is_region(&self) -> bool {
        matches!(self.kind, Kind::Region)
    }

    /// The region in an endpoint's host differs from the signing region.
    pub fn is_region_mismatch(&self) -> bool {
        matches!(self.kind, Kind::RegionMismatch { .. })
    }

    /// An endpoint URL or endpoint setting is invalid.
    pub fn is_endpoint(&self) -> bool {
        matches!(self.kind, Kind::Endpoint(_) | Kind::InvalidUrl { .. })
    }

    /// A secret would be sent over plain `http://` to a host that is not a loopback address
    /// (see `allow_insecure_endpoint`).
    pub fn is_insecure_endpoint(&self) -> bool {
        matches!(self.kind, Kind::InsecureEndpoint { .. })
    }

    /// A default header is invalid.
    pub fn is_invalid_header(&self) -> bool {
        matches!(self.kind, Kind::InvalidHeader { .. })
    }

    /// Another setting is invalid (timeouts, user-agent suffix, the HTTP client).
    pub fn is_invalid_setting(&self) -> bool {
        matches!(self.kind, Kind::InvalidSetting(_))
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
            Kind::Credentials(Some(message)) => write!(f, "no usable credentials: {message}"),
            Kind::Credentials(None) => f.write_str("no usable credentials"),
            Kind::MissingApiKey { provider, variable } => write!(
                f,
                "no {provider} API key: pass one to the builder or set {variable}"
            ),
            Kind::InvalidApiKey => f.write_str(
                "the API key or bearer token holds characters an HTTP header cannot carry",
            ),
            Kind::Region => f.write_str("no usable AWS region"),
            Kind::RegionMismatch {
                host_region,
                region,
            } => write!(
                f,
                "the endpoint is in region `{host_region}` but requests would be signed for `{region}`"
            ),
            Kind::Endpoint(which) => write!(f, "cannot resolve the {which} endpoint"),
            Kind::InvalidUrl { what, url, reason } => write!(f, "invalid {what} `{url}`: {reason}"),
            Kind::InsecureEndpoint { endpoint, secret } => write!(
                f,
                "refusing to send {secret} over plain HTTP to {endpoint}: use https, a loopback \
                 address, or allow_insecure_endpoint(true)"
            ),
            Kind::InvalidHeader { name, reason } => {
                write!(f, "invalid default header `{name}`: {reason}")
            }
            Kind::InvalidSetting(message) => write!(f, "invalid setting: {message}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_setting_and_predicates_the_kind() {
        let error = BuildError::missing_api_key("OpenAI", "OPENAI_API_KEY");
        assert!(error.is_missing_api_key() && error.is_credentials());
        assert_eq!(
            error.to_string(),
            "no OpenAI API key: pass one to the builder or set OPENAI_API_KEY"
        );
        let error = BuildError::invalid_url(
            "OpenAI base URL",
            "ftp://x",
            "the scheme must be http or https",
        );
        assert!(error.is_endpoint());
        assert_eq!(
            error.to_string(),
            "invalid OpenAI base URL `ftp://x`: the scheme must be http or https"
        );
        let error = BuildError::region_mismatch("us-west-2", "us-east-1");
        assert!(error.is_region_mismatch() && !error.is_region());
        let error = BuildError::setting("the HTTP client", std::io::Error::other("no roots"));
        assert!(error.is_invalid_setting());
        let core = strata_core::Error::from(error);
        assert_eq!(
            core.to_string(),
            "invalid configuration: invalid setting: the HTTP client cannot be built: no roots"
        );
    }
}
