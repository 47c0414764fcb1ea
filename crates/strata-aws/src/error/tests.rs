use http::{HeaderMap, HeaderValue, StatusCode};

use super::*;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(*k, HeaderValue::from_static(v));
    }
    map
}

#[test]
fn code_is_sanitized_from_header_and_body() {
    assert_eq!(
        sanitize_error_code("ThrottlingException:http://internal.amazon.com/"),
        "ThrottlingException"
    );
    assert_eq!(
        sanitize_error_code("com.amazon.coral.validate#ValidationException"),
        "ValidationException"
    );
    assert_eq!(
        sanitize_error_code("aws.protocoltests.restjson#FooError:http://x/y#z"),
        "FooError"
    );
    let e = AwsError::parse(
        StatusCode::BAD_REQUEST,
        &HeaderMap::new(),
        br#"{"__type":"com.amazon.coral.validate#ValidationException","Message":"bad"}"#,
    );
    assert_eq!(e.code(), Some("ValidationException"));
    assert_eq!(e.message(), Some("bad"));
    assert_eq!(e.request_id(), None);
    assert_eq!(e.body_excerpt(), None);
}

#[test]
fn header_wins_over_body_and_code_wins_over_type() {
    let e = AwsError::parse(
        StatusCode::FORBIDDEN,
        &headers(&[
            ("x-amzn-errortype", "AccessDeniedException"),
            ("x-amzn-requestid", "r-1"),
        ]),
        br#"{"__type":"Other","message":"no"}"#,
    );
    assert_eq!(e.code(), Some("AccessDeniedException"));
    assert_eq!(e.request_id(), Some("r-1"));
    let e = AwsError::parse(
        StatusCode::BAD_REQUEST,
        &HeaderMap::new(),
        br#"{"code":"First","__type":"Second"}"#,
    );
    assert_eq!(e.code(), Some("First"));
    assert_eq!(e.message(), None);
    assert_eq!(e.to_string(), "First (HTTP 400)");
}

#[test]
fn non_json_body_becomes_a_bounded_excerpt() {
    let body = "é".repeat(1000); // 2000 bytes
    let e = AwsError::parse(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body.as_bytes());
    assert_eq!(e.code(), None);
    let limit = strata_core::error::EXCERPT_LIMIT;
    assert_eq!(
        e.body_excerpt(),
        Some(format!("{}…", "é".repeat(limit / 2)).as_str())
    );
    assert_eq!(e.to_string(), "unknown AWS error (HTTP 502)");
    let e = AwsError::parse(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"[1,2]");
    assert_eq!(e.body_excerpt(), Some("[1,2]"));
    let e = AwsError::parse(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"");
    assert_eq!(e.body_excerpt(), None);
}

proptest::proptest! {
    #[test]
    fn parse_never_panics_and_bounds_the_excerpt(
        status in 400u16..600,
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..3000),
        error_type in "\\PC{0,40}",
    ) {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&error_type) {
            headers.insert("x-amzn-errortype", v);
        }
        let e = AwsError::parse(StatusCode::from_u16(status).unwrap(), &headers, &body);
        if let Some(excerpt) = e.body_excerpt() {
            // At most the limit in input bytes, each kept or replaced by one character.
            proptest::prop_assert!(excerpt.chars().count() <= strata_core::error::EXCERPT_LIMIT + 1);
        }
        if let Some(code) = e.code() {
            proptest::prop_assert!(!code.is_empty() && !code.contains(':') && !code.contains('#'));
        }
        let _ = e.to_string();
    }
}

#[test]
fn display_has_code_message_status_and_request_id() {
    let e = AwsError::parse(
        StatusCode::TOO_MANY_REQUESTS,
        &headers(&[
            ("x-amzn-errortype", "ThrottlingException"),
            ("x-amzn-requestid", "abc"),
        ]),
        br#"{"message":"slow down"}"#,
    );
    assert_eq!(
        e.to_string(),
        "ThrottlingException: slow down (HTTP 429, request id abc)"
    );
}
