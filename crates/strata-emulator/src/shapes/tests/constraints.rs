//! Bodies that read fine but break modelled constraints: exact Coral-style messages.

use serde_json::{Value, json};

use super::{agent_runtime, message, runtime};

fn converse(body: Value) -> String {
    let err = runtime().validate_input("Converse", &body).unwrap_err();
    assert!(err.is_constraint_violation(), "{}", err.message());
    assert!(!err.is_malformed());
    err.message()
}

fn one(detail: &str) -> String {
    format!("1 validation error detected: {detail}")
}

fn user_text() -> Value {
    json!({"role": "user", "content": [{"text": "hi"}]})
}

#[test]
fn ranges() {
    assert_eq!(
        converse(json!({"inferenceConfig": {"maxTokens": 0}})),
        one(
            "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: \
             Member must have value greater than or equal to 1"
        )
    );
    assert_eq!(
        converse(json!({"inferenceConfig": {"temperature": 1.5}})),
        one(
            "Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: \
             Member must have value less than or equal to 1"
        )
    );
    assert_eq!(
        converse(json!({"inferenceConfig": {"topP": -0.1}})),
        one(
            "Value '-0.1' at 'inferenceConfig.topP' failed to satisfy constraint: \
             Member must have value greater than or equal to 0"
        )
    );
    // Integral floats are fine for float members; bounds are inclusive.
    runtime()
        .validate_input(
            "Converse",
            &json!({"inferenceConfig": {"temperature": 1, "topP": 0}}),
        )
        .unwrap();
}

#[test]
fn non_finite_floats_break_both_bounds() {
    assert_eq!(
        converse(json!({"inferenceConfig": {"temperature": "NaN"}})),
        "2 validation errors detected: \
         Value 'NaN' at 'inferenceConfig.temperature' failed to satisfy constraint: \
         Member must have value greater than or equal to 0; \
         Value 'NaN' at 'inferenceConfig.temperature' failed to satisfy constraint: \
         Member must have value less than or equal to 1"
    );
    assert_eq!(
        converse(json!({"inferenceConfig": {"topP": "Infinity"}})),
        one(
            "Value 'Infinity' at 'inferenceConfig.topP' failed to satisfy constraint: \
             Member must have value less than or equal to 1"
        )
    );
}

#[test]
fn enums() {
    assert_eq!(
        converse(json!({"messages": [user_text(), {"role": "developer", "content": []}]})),
        one(
            "Value 'developer' at 'messages.2.member.role' failed to satisfy constraint: \
             Member must satisfy enum value set: [user, assistant, system]"
        )
    );
    assert_eq!(
        converse(json!({"performanceConfig": {"latency": "fast"}})),
        one(
            "Value 'fast' at 'performanceConfig.latency' failed to satisfy constraint: \
             Member must satisfy enum value set: [standard, optimized]"
        )
    );
}

#[test]
fn missing_or_null_required_members() {
    let expected = one(
        "Value null at 'messages.1.member.role' failed to satisfy constraint: \
         Member must not be null",
    );
    assert_eq!(converse(json!({"messages": [{"content": []}]})), expected);
    assert_eq!(
        converse(json!({"messages": [{"role": null, "content": []}]})),
        expected
    );
    assert_eq!(
        message(agent_runtime(), "Rerank", json!({})),
        "3 validation errors detected: \
         Value null at 'queries' failed to satisfy constraint: Member must not be null; \
         Value null at 'rerankingConfiguration' failed to satisfy constraint: Member must not be null; \
         Value null at 'sources' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        message(runtime(), "CountTokens", json!({})),
        one("Value null at 'input' failed to satisfy constraint: Member must not be null")
    );
}

#[test]
fn null_list_elements() {
    assert_eq!(
        converse(json!({"inferenceConfig": {"stopSequences": ["END", null]}})),
        one(
            "Value null at 'inferenceConfig.stopSequences.2.member' failed to satisfy \
             constraint: Member must not be null"
        )
    );
}

#[test]
fn string_lengths_count_characters() {
    assert_eq!(
        converse(json!({"system": [{"text": ""}]})),
        one(
            "Value '' at 'system.1.member.text' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    let tool = |name: &str| json!({"toolConfig": {"tools": [{"toolSpec": {"name": name, "inputSchema": {"json": {}}}}]}});
    let long = "a".repeat(65);
    assert_eq!(
        converse(tool(&long)),
        one(&format!(
            "Value '{long}' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy \
             constraint: Member must have length less than or equal to 64"
        ))
    );
    // 64 two-byte characters are 64 characters, not 128 (they fail the pattern only).
    let wide = "é".repeat(64);
    assert_eq!(
        converse(tool(&wide)),
        one(&format!(
            "Value '{wide}' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"
        ))
    );
}

#[test]
fn patterns_match_the_whole_value() {
    assert_eq!(
        converse(
            json!({"toolConfig": {"tools": [{"toolSpec": {"name": "get weather",
            "inputSchema": {"json": {"type": "object"}}}}]}})
        ),
        one(
            "Value 'get weather' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"
        )
    );
    assert_eq!(
        converse(
            json!({"guardrailConfig": {"guardrailIdentifier": "abc123", "guardrailVersion": "v1"}})
        ),
        one(
            "Value 'v1' at 'guardrailConfig.guardrailVersion' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))"
        )
    );
}

#[test]
fn list_and_map_lengths_count_entries() {
    assert_eq!(
        converse(json!({"toolConfig": {"tools": []}})),
        one(
            "Value '[]' at 'toolConfig.tools' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    // requestMetadata is sensitive: its value is not echoed.
    assert_eq!(
        converse(json!({"requestMetadata": {}})),
        one("Value at 'requestMetadata' failed to satisfy constraint: \
             Member must have length greater than or equal to 1")
    );
}

#[test]
fn blob_lengths_count_decoded_bytes() {
    // ImageSource is sensitive: no value in the message.
    assert_eq!(
        converse(json!({"messages": [{"role": "user", "content": [
            {"image": {"format": "png", "source": {"bytes": ""}}}]}]})),
        one(
            "Value at 'messages.1.member.content.1.member.image.source.bytes' failed to satisfy \
             constraint: Member must have length greater than or equal to 1"
        )
    );
}

#[test]
fn map_keys_and_values_are_reported_once_per_map() {
    let long = "v".repeat(257);
    assert_eq!(
        converse(json!({"requestMetadata": {"ok": "fine", "bad key!": "x", "worse key!": long}})),
        "2 validation errors detected: \
         Value at 'requestMetadata' failed to satisfy constraint: Map keys must satisfy \
         constraint: [Member must satisfy regular expression pattern: \
         [a-zA-Z0-9\\s:_@$#=/+,-.]{1,256}]; \
         Value at 'requestMetadata' failed to satisfy constraint: Map value must satisfy \
         constraint: [Member must have length less than or equal to 256, \
         Member must satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}]"
    );
    assert_eq!(
        converse(json!({"requestMetadata": {"k": null}})),
        one(
            "Value null at 'requestMetadata.k' failed to satisfy constraint: Member must not be null"
        )
    );
}

#[test]
fn values_inside_sensitive_shapes_are_hidden() {
    assert_eq!(
        message(
            agent_runtime(),
            "Rerank",
            json!({
                "queries": [{"type": "IMAGE", "textQuery": {"text": ""}}],
                "sources": [{"type": "INLINE", "inlineDocumentSource": {"type": "TEXT",
                    "textDocument": {"text": "doc"}}}],
                "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL",
                    "bedrockRerankingConfiguration": {"numberOfResults": 0, "modelConfiguration":
                        {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"}}}
            })
        ),
        "3 validation errors detected: \
         Value at 'queries.1.member.textQuery.text' failed to satisfy constraint: \
         Member must have length greater than or equal to 1; \
         Value at 'queries.1.member.type' failed to satisfy constraint: \
         Member must satisfy enum value set: [TEXT]; \
         Value '0' at 'rerankingConfiguration.bedrockRerankingConfiguration.numberOfResults' \
         failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}

#[test]
fn long_values_are_cut() {
    let role = "x".repeat(300);
    assert_eq!(
        converse(json!({"messages": [{"role": role, "content": []}]})),
        one(&format!(
            "Value '{}...' at 'messages.1.member.role' failed to satisfy constraint: \
             Member must satisfy enum value set: [user, assistant, system]",
            "x".repeat(256)
        ))
    );
}

#[test]
fn long_lists_of_violations_say_how_many_are_left_out() {
    let messages: Vec<Value> = (0..25).map(|_| json!({"content": []})).collect();
    let err = runtime()
        .validate_input("Converse", &json!({"messages": messages}))
        .unwrap_err();
    assert_eq!(err.violation_count(), 25);
    let listed: Vec<String> = (1..=20)
        .map(|i| {
            format!(
                "Value null at 'messages.{i}.member.role' failed to satisfy constraint: \
                 Member must not be null"
            )
        })
        .collect();
    assert_eq!(
        err.message(),
        format!(
            "25 validation errors detected: {}; and 5 more not shown",
            listed.join("; ")
        )
    );
}

#[test]
fn several_violations_in_document_order() {
    assert_eq!(
        converse(
            json!({"inferenceConfig": {"topP": 2, "maxTokens": 0}, "messages": [user_text()]})
        ),
        "2 validation errors detected: \
         Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: \
         Member must have value greater than or equal to 1; \
         Value '2' at 'inferenceConfig.topP' failed to satisfy constraint: \
         Member must have value less than or equal to 1"
    );
}
