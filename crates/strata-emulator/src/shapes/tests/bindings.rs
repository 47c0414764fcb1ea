//! URI labels and headers are checked against their members' shapes.

use http::{HeaderMap, HeaderValue};

use super::super::model::{Kind, Location};
use super::{agent_runtime, runtime};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            (
                http::HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            )
        })
        .collect()
}

const NOVA: [(&str, &str); 1] = [("modelId", "amazon.nova-lite-v1:0")];

#[test]
fn realistic_labels_and_headers_pass() {
    let model_ids = [
        "amazon.nova-lite-v1:0",
        "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
    ];
    let sent = headers(&[
        ("content-type", "application/json"),
        ("accept", "application/json"),
        ("x-amzn-bedrock-trace", "ENABLED_FULL"),
        ("x-amzn-bedrock-performanceconfig-latency", "optimized"),
        ("x-amzn-bedrock-service-tier", "flex"),
        ("x-amzn-bedrock-guardrailidentifier", "gr4x9z1abc"),
        ("x-amzn-bedrock-guardrailversion", "12"),
        ("x-amzn-bedrock-request-metadata", r#"{"team":"ml"}"#),
    ]);
    for id in model_ids {
        for op in [
            "InvokeModel",
            "InvokeModelWithResponseStream",
            "Converse",
            "ConverseStream",
        ] {
            runtime()
                .validate_bindings(op, &[("modelId", id)], &sent)
                .unwrap_or_else(|e| panic!("{op} {id}: {}", e.message()));
        }
    }
    runtime()
        .validate_bindings("CountTokens", &NOVA, &HeaderMap::new())
        .unwrap();
    agent_runtime()
        .validate_bindings("Rerank", &[], &HeaderMap::new())
        .unwrap();
}

#[test]
fn header_enums_and_patterns() {
    let err = runtime()
        .validate_bindings(
            "InvokeModel",
            &NOVA,
            &headers(&[
                ("x-amzn-bedrock-trace", "on"),
                ("x-amzn-bedrock-guardrailversion", "latest"),
            ]),
        )
        .unwrap_err();
    assert!(err.is_constraint_violation());
    assert_eq!(
        err.message(),
        "2 validation errors detected: \
         Value 'latest' at 'guardrailVersion' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT)); \
         Value 'on' at 'trace' failed to satisfy constraint: \
         Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_FULL]"
    );
}

#[test]
fn sensitive_headers_are_not_echoed() {
    let long = "m".repeat(8501);
    let err = runtime()
        .validate_bindings(
            "InvokeModelWithResponseStream",
            &NOVA,
            &headers(&[("x-amzn-bedrock-request-metadata", &long)]),
        )
        .unwrap_err();
    assert_eq!(
        err.message(),
        "1 validation error detected: Value at 'requestMetadata' failed to satisfy \
         constraint: Member must have length less than or equal to 8500"
    );
}

#[test]
fn labels() {
    let err = runtime()
        .validate_bindings(
            "CountTokens",
            &[("modelId", "model id with spaces")],
            &HeaderMap::new(),
        )
        .unwrap_err();
    assert_eq!(
        err.message(),
        "1 validation error detected: Value 'model id with spaces' at 'modelId' failed to \
         satisfy constraint: Member must satisfy regular expression pattern: \
         [a-zA-Z_\\.\\-/0-9:]+"
    );
    let err = runtime()
        .validate_bindings("Converse", &[], &HeaderMap::new())
        .unwrap_err();
    assert_eq!(
        err.message(),
        "1 validation error detected: Value null at 'modelId' failed to satisfy constraint: \
         Member must not be null"
    );
}

#[test]
fn non_text_headers_are_malformed() {
    let mut sent = HeaderMap::new();
    sent.insert(
        "x-amzn-bedrock-trace",
        HeaderValue::from_bytes(b"ENABLED\xff").unwrap(),
    );
    let err = runtime()
        .validate_bindings("InvokeModel", &NOVA, &sent)
        .unwrap_err();
    assert!(err.is_malformed());
    assert_eq!(
        err.message(),
        "Malformed input request: header [X-Amzn-Bedrock-Trace] is not visible ASCII text, \
         please reformat your input and try again."
    );
}

#[test]
fn unknown_operation() {
    let err = agent_runtime()
        .validate_bindings("Converse", &[], &HeaderMap::new())
        .unwrap_err();
    assert!(err.is_unknown_operation());
}

/// Only string rules are applied to bound members: make sure no served operation binds
/// anything else.
#[test]
fn every_bound_member_is_a_string() {
    for shapes in [runtime(), agent_runtime()] {
        let model = &shapes.model;
        for (name, op) in &model.operations {
            let Some(input) = op.input else { continue };
            let Kind::Structure { members, .. } = &model.shapes[input].kind else {
                panic!("{name}: input is not a structure");
            };
            for member in members.iter().filter(|m| m.location.is_some()) {
                assert_ne!(
                    member.location,
                    Some(Location::Query),
                    "{name}.{}",
                    member.name
                );
                assert!(
                    matches!(model.shapes[member.target].kind, Kind::String { .. }),
                    "{name}.{} is bound but not a string",
                    member.name
                );
            }
        }
    }
}
