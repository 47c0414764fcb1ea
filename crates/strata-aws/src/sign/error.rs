//! Errors of the SigV4 signing layer.

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

/// The error of a [`SigV4Signer`](super::SigV4Signer): signing failed, or the inner service did.
pub struct Error<E> {
    kind: ErrorKind<E>,
}

enum ErrorKind<E> {
    Signing(SigningError),
    Inner(E),
}

impl<E> Error<E> {
    pub(crate) fn signing(e: SigningError) -> Self {
        Self {
            kind: ErrorKind::Signing(e),
        }
    }

    pub(crate) fn inner(e: E) -> Self {
        Self {
            kind: ErrorKind::Inner(e),
        }
    }

    /// The request was not signed (and not sent).
    pub fn is_signing(&self) -> bool {
        matches!(self.kind, ErrorKind::Signing(_))
    }

    /// The signing failure, if that is what happened.
    pub fn signing_error(&self) -> Option<&SigningError> {
        match &self.kind {
            ErrorKind::Signing(e) => Some(e),
            ErrorKind::Inner(_) => None,
        }
    }

    /// The inner service's error, if that is what happened.
    pub fn inner_error(&self) -> Option<&E> {
        match &self.kind {
            ErrorKind::Inner(e) => Some(e),
            ErrorKind::Signing(_) => None,
        }
    }

    /// The inner service's error, or `self` back when signing failed.
    pub fn into_inner(self) -> Result<E, Self> {
        match self.kind {
            ErrorKind::Inner(e) => Ok(e),
            kind @ ErrorKind::Signing(_) => Err(Self { kind }),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Signing(e) => f.debug_tuple("Signing").field(e).finish(),
            ErrorKind::Inner(e) => f.debug_tuple("Inner").field(e).finish(),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Signing(_) => f.write_str("request not sent: signing failed"),
            ErrorKind::Inner(_) => f.write_str("signed request failed in the inner service"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Signing(e) => Some(e),
            ErrorKind::Inner(e) => Some(e),
        }
    }
}
