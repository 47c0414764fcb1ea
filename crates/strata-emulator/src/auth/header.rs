//! Parsing of the SigV4 `Authorization` header and the `x-amz-date` timestamp.

use std::time::SystemTime;

use aws_smithy_types::date_time::{DateTime, Format};

use crate::api_error::ApiError;

/// The parts of `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SigV4Header {
    pub(crate) access_key_id: String,
    pub(crate) date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

impl SigV4Header {
    /// Parses the header value; errors are AWS's `IncompleteSignatureException`s.
    pub(crate) fn parse(value: &str) -> Result<Self, ApiError> {
        let rest = value.trim_start();
        let (algorithm, params) = rest.split_once(' ').unwrap_or((rest, ""));
        if algorithm != ALGORITHM {
            return Err(ApiError::incomplete_signature(format!(
                "Unsupported authorization algorithm '{}'; expected {ALGORITHM}.",
                algorithm.chars().take(40).collect::<String>()
            )));
        }
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for param in params.split(',') {
            let param = param.trim();
            if param.is_empty() {
                continue;
            }
            let Some((key, value)) = param.split_once('=') else {
                return Err(ApiError::incomplete_signature(format!(
                    "Authorization header parameter '{}' is not a key=value pair.",
                    param.chars().take(40).collect::<String>()
                )));
            };
            match key.trim() {
                "Credential" => credential = Some(value.trim()),
                "SignedHeaders" => signed_headers = Some(value.trim()),
                "Signature" => signature = Some(value.trim()),
                _ => {}
            }
        }
        let mut missing = Vec::new();
        for (name, present) in [
            ("Credential", credential.is_some()),
            ("Signature", signature.is_some()),
            ("SignedHeaders", signed_headers.is_some()),
        ] {
            if !present {
                missing.push(format!("Authorization header requires '{name}' parameter."));
            }
        }
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (credential, signed_headers, signature)
        else {
            return Err(ApiError::incomplete_signature(missing.join(" ")));
        };
        let parts: Vec<&str> = credential.split('/').collect();
        let [access_key_id, date, region, service, terminator] = parts[..] else {
            return Err(ApiError::incomplete_signature(format!(
                "Credential should have 5 slash-separated parts \
                 (<access key id>/<date>/<region>/<service>/aws4_request), not {}.",
                parts.len()
            )));
        };
        Ok(Self {
            access_key_id: access_key_id.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            terminator: terminator.to_owned(),
            signed_headers: signed_headers
                .split(';')
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: signature.to_owned(),
        })
    }
}

/// Parses an ISO-8601 basic timestamp as SigV4 uses it (`20150830T123600Z`).
pub(crate) fn parse_amz_date(value: &str) -> Option<SystemTime> {
    let b = value.as_bytes();
    let shaped = b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    if !shaped {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &value[..4],
        &value[4..6],
        &value[6..8],
        &value[9..11],
        &value[11..13],
        &value[13..15]
    );
    let parsed = DateTime::from_str(&rfc3339, Format::DateTime).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// Formats a time as SigV4's ISO-8601 basic timestamp (`20150830T123600Z`).
pub(crate) fn format_amz_date(time: SystemTime) -> String {
    let formatted = DateTime::from(time)
        .fmt(Format::DateTime)
        .unwrap_or_default();
    // `2015-08-30T12:36:00Z` or with fractional seconds: keep the first 19 characters.
    let digits: String = formatted
        .chars()
        .take(19)
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    format!("{digits}Z")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn parses_a_botocore_header() {
        let header = SigV4Header::parse(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, \
             SignedHeaders=Content-Type;host;x-amz-date, Signature=abc123",
        )
        .unwrap();
        assert_eq!(header.access_key_id, "AKIDEXAMPLE");
        assert_eq!(header.date, "20150830");
        assert_eq!(header.region, "us-east-1");
        assert_eq!(header.service, "bedrock");
        assert_eq!(header.terminator, "aws4_request");
        assert_eq!(
            header.signed_headers,
            ["content-type", "host", "x-amz-date"]
        );
        assert_eq!(header.signature, "abc123");
    }

    #[test]
    fn missing_parameters_are_listed() {
        let err = SigV4Header::parse("AWS4-HMAC-SHA256 Credential=A/B/C/D/E").unwrap_err();
        assert_eq!(err.code(), "IncompleteSignatureException");
        assert_eq!(err.status(), 403);
        let response = err.into_response();
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "IncompleteSignatureException"
        );
    }

    #[test]
    fn other_schemes_are_refused_without_echoing_the_value() {
        let err = SigV4Header::parse("Basic dXNlcjpwYXNzd29yZA==").unwrap_err();
        assert_eq!(err.code(), "IncompleteSignatureException");
        assert!(!format!("{err:?}").contains("dXNlcjpwYXNzd29yZA"));
    }

    #[test]
    fn short_credential_is_incomplete() {
        let err = SigV4Header::parse(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1, SignedHeaders=host, Signature=x",
        )
        .unwrap_err();
        assert_eq!(err.code(), "IncompleteSignatureException");
    }

    #[test]
    fn amz_dates_round_trip() {
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(format_amz_date(time), "20150830T123600Z");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(time));
        assert_eq!(
            format_amz_date(time + Duration::from_millis(250)),
            "20150830T123600Z"
        );
        for bad in [
            "2015-08-30T12:36:00Z",
            "20150830T123600",
            "20151330T123600Z",
            "x",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }
}
