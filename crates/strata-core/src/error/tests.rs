use std::error::Error as _;

use http::StatusCode;
use serde_json::json;

use super::*;

#[test]
fn predicates_match_constructors() {
    type Predicate = fn(&Error) -> bool;
    let cases: Vec<(Error, Predicate)> = vec![
        (Error::api(ApiError::new("x")), Error::is_api),
        (
            Error::invalid_argument("a", "b"),
            Error::is_invalid_argument,
        ),
        (Error::invalid_prompt("p"), Error::is_invalid_prompt),
        (Error::unsupported("u"), Error::is_unsupported),
        (Error::invalid_response("r"), Error::is_invalid_response),
        (
            Error::transport(std::io::Error::other("io")),
            Error::is_transport,
        ),
        (Error::timeout("t"), Error::is_timeout),
        (Error::credentials("bedrock", "none"), Error::is_credentials),
        (
            Error::unknown_model("bedrock", "m"),
            Error::is_unknown_model,
        ),
        (Error::unknown_provider("x"), Error::is_unknown_provider),
        (Error::config("c"), Error::is_config),
        (Error::stream_ended("s"), Error::is_stream_ended),
    ];
    let predicates: Vec<Predicate> = cases.iter().map(|(_, p)| *p).collect();
    for (i, (err, _)) in cases.iter().enumerate() {
        for (j, predicate) in predicates.iter().enumerate() {
            assert_eq!(predicate(err), i == j, "error {err:?}, predicate {j}");
        }
    }
}

#[test]
fn retryable_defaults_and_overrides() {
    assert!(Error::timeout("t").is_retryable());
    assert!(Error::transport(std::io::Error::other("io")).is_retryable());
    assert!(!Error::timeout("t").with_retryable(false).is_retryable());
    assert!(!Error::invalid_response("r").is_retryable());
    assert!(
        Error::stream_ended("cut")
            .with_retryable(true)
            .is_retryable()
    );
    let api = Error::api(ApiError::new("x")).with_retryable(true);
    assert!(api.is_retryable() && api.api_error().unwrap().retryable);
}

#[test]
fn display_messages() {
    assert_eq!(
        Error::invalid_argument("top_k", "must be positive").to_string(),
        "invalid argument `top_k`: must be positive"
    );
    assert_eq!(
        Error::invalid_response("not JSON")
            .with_status(StatusCode::BAD_GATEWAY)
            .with_request_id("r-9")
            .to_string(),
        "could not decode the response: not JSON (status 502, request id r-9)"
    );
    assert_eq!(
        Error::credentials("bedrock", "no profile `dev`").to_string(),
        "could not load credentials for bedrock: no profile `dev`"
    );
    assert_eq!(
        Error::unknown_model("bedrock", "nope").to_string(),
        "provider `bedrock` has no model `nope`"
    );
    assert_eq!(
        Error::api(ApiError::from_status(StatusCode::FORBIDDEN, "denied")).to_string(),
        "API error (status 403): denied"
    );
}

#[test]
fn source_chain_and_report() {
    let io = std::io::Error::other("reset by peer");
    let err = Error::invalid_response("bad frame").with_source(io);
    assert_eq!(err.source().unwrap().to_string(), "reset by peer");
    assert_eq!(
        err.report().to_string(),
        "could not decode the response: bad frame: reset by peer"
    );
}

#[test]
fn context_setters_route_to_api_details() {
    let err = Error::api(ApiError::new("x"))
        .with_status(StatusCode::SERVICE_UNAVAILABLE)
        .with_request_id("r")
        .with_excerpt(b"body");
    let api = err.api_error().unwrap();
    assert_eq!(api.status, Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(api.request_id.as_deref(), Some("r"));
    assert_eq!(err.excerpt(), Some("body"));
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[test]
fn serde_round_trip_keeps_details_and_source_message() {
    let err = Error::invalid_response("bad JSON")
        .with_status(StatusCode::OK)
        .with_excerpt(b"{oops")
        .with_source(std::io::Error::other("eof"));
    let value = serde_json::to_value(&err).unwrap();
    assert_eq!(
        value,
        json!({"kind": "invalid_response", "message": "bad JSON", "status": 200,
               "excerpt": "{oops", "source": "eof"})
    );
    let back: Error = serde_json::from_value(value).unwrap();
    assert_eq!(back, err);
    assert_eq!(back.source().unwrap().to_string(), "eof");

    let api = Error::api(
        ApiError::from_status(StatusCode::TOO_MANY_REQUESTS, "slow down").with_code("Throttling"),
    );
    let value = serde_json::to_value(&api).unwrap();
    assert_eq!(
        value,
        json!({"kind": "api", "api": {"status": 429, "code": "Throttling", "message": "slow down",
               "retryable": true}})
    );
    assert_eq!(serde_json::from_value::<Error>(value).unwrap(), api);
    let transport = Error::transport(std::io::Error::other("refused"));
    let back: Error = serde_json::from_str(&serde_json::to_string(&transport).unwrap()).unwrap();
    assert_eq!(back, transport);
}

#[test]
fn error_is_send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Error>();
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
}
