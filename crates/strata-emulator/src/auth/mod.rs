//! Request authentication: SigV4 verified by recomputing the signature with `aws-sigv4`, or a
//! bearer token (Bedrock API key) when one is configured.
//!
//! Bedrock routes accept the signing name `bedrock`; OpenAI-compatible routes accept
//! `bedrock-mantle` (the mantle endpoint) and `bedrock` (bedrock-runtime's
//! `/openai/v1/chat/completions`).

mod header;
mod sigv4;

use std::fmt;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use bytes::Bytes;

use crate::api_error::ApiError;
use crate::journal::AuthOutcome;

/// A secret string whose `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// What the server accepts.
#[derive(Debug, Clone)]
pub(crate) struct AuthConfig {
    pub(crate) credentials: Credentials,
    pub(crate) region: String,
    pub(crate) bearer_token: Option<Secret>,
}

/// The signing names Bedrock routes accept.
pub(crate) const BEDROCK_SIGNING_NAMES: &[&str] = &["bedrock"];
/// The signing names OpenAI-compatible routes accept: mantle's first, then bedrock-runtime's.
pub(crate) const OPENAI_SIGNING_NAMES: &[&str] = &["bedrock-mantle", "bedrock"];

/// What a request carried, for the journal, whatever the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Presented {
    pub(crate) signed_headers: Vec<String>,
    pub(crate) amz_date: Option<String>,
    pub(crate) signature: Option<String>,
    pub(crate) signing_name: Option<String>,
}

/// Checks a request's credentials, for a route accepting `signing_names`; `now` is the
/// server's (possibly skewed) clock.
pub(crate) fn authenticate(
    config: &AuthConfig,
    signing_names: &[&str],
    parts: &http::request::Parts,
    body: &Bytes,
    now: SystemTime,
) -> (Presented, Result<AuthOutcome, ApiError>) {
    let mut presented = Presented {
        signed_headers: Vec::new(),
        signature: None,
        signing_name: None,
        amz_date: parts
            .headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let Some(authorization) = parts.headers.get(http::header::AUTHORIZATION) else {
        return (
            presented,
            Err(ApiError::access_denied_front_door(
                "Authorization header is missing",
            )),
        );
    };
    let Ok(authorization) = authorization.to_str() else {
        return (
            presented,
            Err(ApiError::incomplete_signature(
                "The Authorization header is not valid ASCII.",
            )),
        );
    };
    if let Some(token) = strip_bearer(authorization) {
        return (presented, check_bearer(config, token));
    }
    let parsed = match header::SigV4Header::parse(authorization) {
        Ok(parsed) => parsed,
        Err(err) => return (presented, Err(err)),
    };
    presented.signed_headers = parsed.signed_headers.clone();
    presented.signature = Some(parsed.signature.clone());
    presented.signing_name = Some(parsed.service.clone());
    let verdict = sigv4::verify(config, signing_names, parts, body, &parsed, now).map(|()| {
        AuthOutcome::SigV4 {
            access_key_id: parsed.access_key_id.clone(),
        }
    });
    (presented, verdict)
}

fn strip_bearer(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn check_bearer(config: &AuthConfig, token: &str) -> Result<AuthOutcome, ApiError> {
    match &config.bearer_token {
        Some(expected) if constant_time_eq(expected.expose().as_bytes(), token.as_bytes()) => {
            Ok(AuthOutcome::Bearer)
        }
        _ => Err(ApiError::access_denied_front_door(
            "Authentication failed: Please make sure your API Key is valid.",
        )),
    }
}

/// Compares two byte strings without an early exit on the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(bearer: Option<&str>) -> AuthConfig {
        AuthConfig {
            credentials: Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"),
            region: "us-east-1".into(),
            bearer_token: bearer.map(Secret::new),
        }
    }

    fn parts(authorization: Option<&str>) -> http::request::Parts {
        let mut builder = http::Request::post("http://localhost/model/m/converse");
        if let Some(value) = authorization {
            builder = builder.header("authorization", value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn missing_header_is_the_front_door_error() {
        let (_, verdict) = authenticate(
            &config(None),
            BEDROCK_SIGNING_NAMES,
            &parts(None),
            &Bytes::new(),
            SystemTime::now(),
        );
        let err = verdict.unwrap_err();
        assert_eq!(err.code(), "AccessDeniedException");
        assert_eq!(err.status(), 403);
    }

    #[test]
    fn bearer_tokens_are_compared_when_enabled() {
        let now = SystemTime::now();
        let ok = authenticate(
            &config(Some("tok")),
            BEDROCK_SIGNING_NAMES,
            &parts(Some("Bearer tok")),
            &Bytes::new(),
            now,
        );
        assert_eq!(ok.1, Ok(AuthOutcome::Bearer));
        let bad = authenticate(
            &config(Some("tok")),
            BEDROCK_SIGNING_NAMES,
            &parts(Some("Bearer nope")),
            &Bytes::new(),
            now,
        );
        assert_eq!(bad.1.unwrap_err().code(), "AccessDeniedException");
        let off = authenticate(
            &config(None),
            BEDROCK_SIGNING_NAMES,
            &parts(Some("Bearer tok")),
            &Bytes::new(),
            now,
        );
        assert_eq!(off.1.unwrap_err().code(), "AccessDeniedException");
    }

    #[test]
    fn secrets_do_not_print() {
        let printed = format!("{:?}", config(Some("very-secret-token")));
        assert!(!printed.contains("very-secret-token"), "{printed}");
        assert!(!printed.contains("\"secret\""), "{printed}");
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
