//! The signing step itself, shared by every service a [`SigV4Layer`](super::SigV4Layer) makes.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use http::header::{AUTHORIZATION, DATE, HeaderName, HeaderValue};
use http::{Request, Response};
use strata_http::body::ReplayableBody;

use super::clock::{Clock, ClockSkew};
use super::config::PayloadMode;
use super::error::SigningError;
use crate::error::{error_code_from_headers, is_clock_skew_code};

/// Set on a response whose clock-skew error made the signer correct its clock, so a retry
/// classifier can let exactly that error be retried once (see
/// [`AwsClassifier`](crate::error::AwsClassifier)).
pub const CLOCK_SKEW_CORRECTED: HeaderName =
    HeaderName::from_static("x-strata-clock-skew-corrected");

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

/// Marks a request this layer signed, with the `Authorization` value it set: a later attempt
/// may carry that stale header, which is then replaced; any other value is the caller's.
#[derive(Clone)]
struct SignedBySigV4(HeaderValue);

pub(crate) struct Shared {
    pub(crate) signing_name: String,
    pub(crate) region: String,
    pub(crate) payload: PayloadMode,
    pub(crate) content_sha256_header: bool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) skew: ClockSkew,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4")
            .field("signing_name", &self.signing_name)
            .field("region", &self.region)
            .field("payload", &self.payload)
            .field("content_sha256_header", &self.content_sha256_header)
            .field("clock", &self.clock)
            .field("clock_offset_ms", &self.skew.offset_ms())
            .finish()
    }
}

impl Shared {
    /// The time to sign with: the clock corrected by the learned skew.
    pub(crate) fn signing_time(&self) -> SystemTime {
        self.skew.apply(self.clock.now())
    }

    /// Signs `req` in place with the credentials from its extensions.
    pub(crate) fn sign(&self, req: &mut Request<ReplayableBody>) -> Result<(), SigningError> {
        if let Some(auth) = req.headers().get(AUTHORIZATION) {
            match req.extensions().get::<SignedBySigV4>() {
                Some(SignedBySigV4(ours)) if ours == auth => {}
                _ => return Err(SigningError::caller_authorization()),
            }
        }
        let credentials = req
            .extensions()
            .get::<Credentials>()
            .cloned()
            .ok_or_else(SigningError::missing_credentials)?;
        let token_is_header_safe = credentials
            .session_token()
            .is_none_or(|t| t.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)));
        if !token_is_header_safe {
            return Err(SigningError::invalid_signed_header("x-amz-security-token"));
        }
        if req.uri().host().is_none() {
            return Err(SigningError::missing_host());
        }
        let headers = req.headers_mut();
        for stale in [
            AUTHORIZATION,
            X_AMZ_DATE,
            X_AMZ_SECURITY_TOKEN,
            X_AMZ_CONTENT_SHA256,
        ] {
            headers.remove(stale);
        }

        let signed = {
            let mut header_pairs = Vec::with_capacity(req.headers().len());
            for (name, value) in req.headers() {
                let value = value
                    .to_str()
                    .map_err(|_| SigningError::unsignable_header(name.clone()))?;
                header_pairs.push((name.as_str(), value));
            }
            let body = match self.payload {
                PayloadMode::Signed => SignableBody::Bytes(req.body().bytes()),
                PayloadMode::Unsigned => SignableBody::UnsignedPayload,
            };
            let uri = req.uri().to_string();
            let signable =
                SignableRequest::new(req.method().as_str(), uri, header_pairs.into_iter(), body)
                    .map_err(SigningError::signer)?;
            let mut settings = SigningSettings::default();
            if self.content_sha256_header {
                settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
            }
            let identity = credentials.into();
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region(&self.region)
                .name(&self.signing_name)
                .time(self.signing_time())
                .settings(settings)
                .build()
                .expect("identity, region, name, time and settings are all set")
                .into();
            let (instructions, _signature) = sign(signable, &params)
                .map_err(SigningError::signer)?
                .into_parts();
            instructions.into_parts().0
        };

        let headers = req.headers_mut();
        let mut authorization = None;
        for header in signed {
            let mut value = HeaderValue::from_str(header.value())
                .map_err(|_| SigningError::invalid_signed_header(header.name()))?;
            // aws-sigv4 marks only the session token sensitive; the signature is a credential too.
            let secret = header.name() == AUTHORIZATION.as_str()
                || header.name() == X_AMZ_SECURITY_TOKEN.as_str();
            value.set_sensitive(secret || header.sensitive());
            if header.name() == AUTHORIZATION.as_str() {
                authorization = Some(value.clone());
            }
            headers.insert(header.name(), value);
        }
        if let Some(value) = authorization {
            req.extensions_mut().insert(SignedBySigV4(value));
        }
        Ok(())
    }

    /// Learns the clock skew from a response that reports one, marking it when corrected.
    pub(crate) fn observe<B>(&self, response: &mut Response<B>) {
        if !response.status().is_client_error() {
            return;
        }
        let skew_error =
            error_code_from_headers(response.headers()).is_some_and(is_clock_skew_code);
        if !skew_error {
            return;
        }
        let Some(server_date) = response
            .headers()
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
        else {
            return;
        };
        if self.skew.learn(self.clock.now(), server_date) {
            response
                .headers_mut()
                .insert(CLOCK_SKEW_CORRECTED, HeaderValue::from_static("true"));
        }
    }
}
