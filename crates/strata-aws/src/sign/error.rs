//! Why the SigV4 signing layer could not sign a request.

use std::fmt;

/// Why a request could not be signed.
///
/// Never carries credentials or header values: only names of what was wrong.
#[derive(Debug)]
pub struct SigningError {
    kind: SigningErrorKind,
}

#[derive(Debug)]
enum SigningErrorKind {
    CallerAuthorization,
    MissingCredentials,
    MissingHost,
    UnsignableHeader(http::HeaderName),
    InvalidSignedHeader(&'static str),
    Signer(aws_sigv4::http_request::SigningError),
}

impl SigningError {
    pub(crate) fn caller_authorization() -> Self {
        Self {
            kind: SigningErrorKind::CallerAuthorization,
        }
    }

    pub(crate) fn missing_credentials() -> Self {
        Self {
            kind: SigningErrorKind::MissingCredentials,
        }
    }

    pub(crate) fn missing_host() -> Self {
        Self {
            kind: SigningErrorKind::MissingHost,
        }
    }

    pub(crate) fn unsignable_header(name: http::HeaderName) -> Self {
        Self {
            kind: SigningErrorKind::UnsignableHeader(name),
        }
    }

    pub(crate) fn invalid_signed_header(name: &'static str) -> Self {
        Self {
            kind: SigningErrorKind::InvalidSignedHeader(name),
        }
    }

    pub(crate) fn signer(source: aws_sigv4::http_request::SigningError) -> Self {
        Self {
            kind: SigningErrorKind::Signer(source),
        }
    }

    /// The caller set `Authorization` itself; the signer refuses to overwrite it.
    pub fn is_caller_authorization(&self) -> bool {
        matches!(self.kind, SigningErrorKind::CallerAuthorization)
    }

    /// No credentials were found in the request extensions (is a credentials layer outside
    /// the signer?).
    pub fn is_missing_credentials(&self) -> bool {
        matches!(self.kind, SigningErrorKind::MissingCredentials)
    }

    /// The request URI has no host to sign.
    pub fn is_missing_host(&self) -> bool {
        matches!(self.kind, SigningErrorKind::MissingHost)
    }

    /// A header could not be signed or set (its value is not visible ASCII, or a credential
    /// is not a valid header value).
    pub fn is_invalid_header(&self) -> bool {
        matches!(
            self.kind,
            SigningErrorKind::UnsignableHeader(_) | SigningErrorKind::InvalidSignedHeader(_)
        )
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SigningErrorKind::CallerAuthorization => f.write_str(
                "the request already has an `Authorization` header set by the caller; \
                 SigV4 signing refuses to replace it",
            ),
            SigningErrorKind::MissingCredentials => f.write_str(
                "no AWS credentials in the request extensions; add a `CredentialsLayer` \
                 outside the `SigV4Layer`",
            ),
            SigningErrorKind::MissingHost => {
                f.write_str("the request URI has no host, so it cannot be signed")
            }
            SigningErrorKind::UnsignableHeader(name) => write!(
                f,
                "header `{name}` is not visible ASCII and cannot be signed"
            ),
            SigningErrorKind::InvalidSignedHeader(name) => write!(
                f,
                "the signed value for header `{name}` is not a valid header value \
                 (check the credentials for stray characters)"
            ),
            SigningErrorKind::Signer(_) => f.write_str("SigV4 signing failed"),
        }
    }
}

impl std::error::Error for SigningError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            SigningErrorKind::Signer(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SigningError> for strata_http::Error {
    /// A missing identity is a credentials failure (provider `sigv4`); anything else a
    /// signing failure.
    fn from(error: SigningError) -> Self {
        if error.is_missing_credentials() {
            strata_http::Error::credentials("sigv4", error)
        } else {
            strata_http::Error::signing(error)
        }
    }
}
