//! SigV4 verification: scope, clock window, session token, then the signature itself,
//! recomputed with `aws-sigv4` over exactly the headers the client signed.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SessionTokenMode, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use bytes::Bytes;

use super::header::{SigV4Header, format_amz_date, parse_amz_date};
use super::{AuthConfig, constant_time_eq};
use crate::api_error::ApiError;

/// How far a request's `x-amz-date` may be from the server clock.
const WINDOW: Duration = Duration::from_secs(5 * 60);
const MISMATCH: &str = "The request signature we calculated does not match the signature you \
                        provided. Check your AWS Secret Access Key and signing method. Consult \
                        the service documentation for details.";
const SECURITY_TOKEN: &str = "x-amz-security-token";

/// Verifies `header` for a request whose scope may name any of `signing_names` (the first is
/// the one error messages suggest).
pub(super) fn verify(
    config: &AuthConfig,
    signing_names: &[&str],
    parts: &http::request::Parts,
    body: &Bytes,
    header: &SigV4Header,
    now: SystemTime,
) -> Result<(), ApiError> {
    let amz_date = parts
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::incomplete_signature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            )
        })?;
    let signed_at = parse_amz_date(amz_date).ok_or_else(|| {
        ApiError::incomplete_signature(format!(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"; got '{}'.",
            amz_date.chars().take(32).collect::<String>()
        ))
    })?;
    if header.access_key_id != config.credentials.access_key_id() {
        return Err(ApiError::unrecognized_client());
    }
    check_scope(config, signing_names, header, amz_date)?;
    check_window(amz_date, signed_at, now)?;
    let token = check_session_token(config, parts)?;
    let token_signed = header.signed_headers.iter().any(|h| h == SECURITY_TOKEN);
    let expected = signature(
        config,
        parts,
        body,
        header,
        signed_at,
        token.filter(|_| token_signed),
    )?;
    if constant_time_eq(expected.as_bytes(), header.signature.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::invalid_signature(MISMATCH))
    }
}

fn check_scope(
    config: &AuthConfig,
    signing_names: &[&str],
    header: &SigV4Header,
    amz_date: &str,
) -> Result<(), ApiError> {
    if header.date != amz_date[..8] {
        return Err(ApiError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from \
             HTTP: '{}' != '{}', from '{amz_date}'.",
            header.date,
            &amz_date[..8]
        )));
    }
    if header.region != config.region {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            header.region
        )));
    }
    if !signing_names.contains(&header.service.as_str()) {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{}'.",
            signing_names.first().copied().unwrap_or_default()
        )));
    }
    if header.terminator != "aws4_request" {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            header.terminator
        )));
    }
    Ok(())
}

fn check_window(amz_date: &str, signed_at: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    let now_text = format_amz_date(now);
    if signed_at + WINDOW < now {
        return Err(ApiError::invalid_signature(format!(
            "Signature expired: {amz_date} is now earlier than {} ({now_text} - 5 min.)",
            format_amz_date(now - WINDOW)
        )));
    }
    if signed_at > now + WINDOW {
        return Err(ApiError::invalid_signature(format!(
            "Signature not yet current: {amz_date} is still later than {} ({now_text} + 5 min.)",
            format_amz_date(now + WINDOW)
        )));
    }
    Ok(())
}

/// The request's session token, which must be exactly the configured one (or absent when the
/// configured credentials have none).
fn check_session_token<'a>(
    config: &AuthConfig,
    parts: &'a http::request::Parts,
) -> Result<Option<&'a str>, ApiError> {
    let presented = match parts.headers.get(SECURITY_TOKEN) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| ApiError::unrecognized_client())?,
        ),
        None => None,
    };
    let matches = match (config.credentials.session_token(), presented) {
        (None, None) => true,
        (Some(expected), Some(got)) => constant_time_eq(expected.as_bytes(), got.as_bytes()),
        _ => false,
    };
    if matches {
        Ok(presented)
    } else {
        Err(ApiError::unrecognized_client())
    }
}

/// Recomputes the signature over the headers the client listed, the path as received, the
/// query and the body.
fn signature(
    config: &AuthConfig,
    parts: &http::request::Parts,
    body: &Bytes,
    header: &SigV4Header,
    signed_at: SystemTime,
    token: Option<&str>,
) -> Result<String, ApiError> {
    let mismatch = || ApiError::invalid_signature(MISMATCH);
    let authority = parts
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()))
        .unwrap_or("localhost");
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(header.signed_headers.len());
    for name in &header.signed_headers {
        if name == "host" {
            headers.push(("host", authority));
            continue;
        }
        let mut found = false;
        for value in parts.headers.get_all(name.as_str()) {
            headers.push((name.as_str(), value.to_str().map_err(|_| mismatch())?));
            found = true;
        }
        if !found {
            return Err(mismatch());
        }
    }
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let uri = format!("http://{authority}{path_and_query}");
    let body = match parts
        .headers
        .get("x-amz-content-sha256")
        .map(|v| v.as_bytes())
    {
        Some(b"UNSIGNED-PAYLOAD") => SignableBody::UnsignedPayload,
        _ => SignableBody::Bytes(body),
    };
    let request = SignableRequest::new(parts.method.as_str(), uri, headers.into_iter(), body)
        .map_err(|_| mismatch())?;

    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(Vec::new());
    settings.session_token_mode = if token.is_some() {
        SessionTokenMode::Include
    } else {
        SessionTokenMode::Exclude
    };
    let identity = Credentials::new(
        config.credentials.access_key_id(),
        config.credentials.secret_access_key(),
        token.map(str::to_owned),
        None,
        "strata-emulator",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&header.region)
        .name(&header.service)
        .time(signed_at)
        .settings(settings)
        .build()
        .map_err(|_| mismatch())?
        .into();
    let output = sign(request, &params).map_err(|_| mismatch())?;
    Ok(output.signature().to_owned())
}
