//! Bodies that cannot be read as the input shape: exact `Malformed input request` messages.

use serde_json::json;

use super::{message, runtime};

fn malformed(body: serde_json::Value) -> String {
    let err = runtime().validate_input("Converse", &body).unwrap_err();
    assert!(err.is_malformed(), "{}", err.message());
    assert!(!err.is_constraint_violation());
    err.message()
}

fn wrapped(details: &str) -> String {
    format!("Malformed input request: {details}, please reformat your input and try again.")
}

fn user(content: serde_json::Value) -> serde_json::Value {
    json!({"messages": [{"role": "user", "content": content}]})
}

#[test]
fn unknown_top_level_key() {
    assert_eq!(
        malformed(json!({"messages": [], "foo": 1})),
        wrapped("#: extraneous key [foo] is not permitted")
    );
}

#[test]
fn unknown_nested_key_names_the_enclosing_object() {
    assert_eq!(
        malformed(user(json!([{"type": "text", "text": "hi"}]))),
        wrapped("#/messages/0/content/0: extraneous key [type] is not permitted")
    );
}

#[test]
fn uri_bound_members_are_not_body_members() {
    assert_eq!(
        malformed(json!({"modelId": "amazon.nova-lite-v1:0", "messages": []})),
        wrapped("#: extraneous key [modelId] is not permitted")
    );
}

#[test]
fn several_problems_are_concatenated_in_key_order() {
    assert_eq!(
        malformed(json!({"foo": 1, "bar": 2, "inferenceConfig": {"maxTokens": "9"}})),
        wrapped(
            "#: extraneous key [bar] is not permitted\
             #: extraneous key [foo] is not permitted\
             #/inferenceConfig/maxTokens: expected type: Integer, found: String"
        )
    );
}

#[test]
fn wrong_json_types() {
    let cases = [
        (json!([]), "#: expected type: JSONObject, found: JSONArray"),
        (
            json!({"messages": {"role": "user"}}),
            "#/messages: expected type: JSONArray, found: JSONObject",
        ),
        (
            user(json!("hello")),
            "#/messages/0/content: expected type: JSONArray, found: String",
        ),
        (
            json!({"messages": [{"role": 1, "content": []}]}),
            "#/messages/0/role: expected type: String, found: Integer",
        ),
        (
            json!({"inferenceConfig": {"maxTokens": 1.5}}),
            "#/inferenceConfig/maxTokens: expected type: Integer, found: Number",
        ),
        (
            json!({"inferenceConfig": {"temperature": "hot"}}),
            "#/inferenceConfig/temperature: expected type: Number, found: String",
        ),
        (
            json!({"inferenceConfig": {"stopSequences": ["a", 7]}}),
            "#/inferenceConfig/stopSequences/1: expected type: String, found: Integer",
        ),
        (
            json!({"inferenceConfig": {"stopSequences": "END"}}),
            "#/inferenceConfig/stopSequences: expected type: JSONArray, found: String",
        ),
        (
            user(json!([{"document": {"name": "d", "source": {"text": "x"},
                "citations": {"enabled": "yes"}}}])),
            "#/messages/0/content/0/document/citations/enabled: expected type: Boolean, found: String",
        ),
        (
            json!({"requestMetadata": {"k": true}}),
            "#/requestMetadata/k: expected type: String, found: Boolean",
        ),
        (
            json!({"requestMetadata": ["k"]}),
            "#/requestMetadata: expected type: JSONObject, found: JSONArray",
        ),
    ];
    for (body, details) in cases {
        assert_eq!(malformed(body), wrapped(details));
    }
}

#[test]
fn integers_out_of_range_of_their_type() {
    assert_eq!(
        malformed(json!({"inferenceConfig": {"maxTokens": 3_000_000_000u64}})),
        wrapped("#/inferenceConfig/maxTokens: 3000000000 is out of range for type Integer")
    );
    assert_eq!(
        malformed(json!({"inferenceConfig": {"maxTokens": u64::MAX}})),
        wrapped(
            "#/inferenceConfig/maxTokens: 18446744073709551615 is out of range for type Integer"
        )
    );
}

#[test]
fn blobs_must_be_base64() {
    let image =
        |bytes: &str| user(json!([{"image": {"format": "png", "source": {"bytes": bytes}}}]));
    assert_eq!(
        malformed(image("not base64!")),
        wrapped("#/messages/0/content/0/image/source/bytes: expected a base64-encoded blob")
    );
    assert_eq!(
        malformed(user(
            json!([{"image": {"format": "png", "source": {"bytes": 12}}}])
        )),
        wrapped("#/messages/0/content/0/image/source/bytes: expected type: String, found: Integer")
    );
    // Padding is optional.
    runtime()
        .validate_input("Converse", &image("iVBORw0KGgo"))
        .unwrap();
    runtime()
        .validate_input("Converse", &image("iVBORw0KGgo="))
        .unwrap();
}

#[test]
fn unions_need_exactly_one_member() {
    assert_eq!(
        malformed(user(json!([{}]))),
        wrapped(
            "#/messages/0/content/0: union ContentBlock must have exactly one member set, found none"
        )
    );
    assert_eq!(
        malformed(user(json!([{"text": null}]))),
        wrapped(
            "#/messages/0/content/0: union ContentBlock must have exactly one member set, found none"
        )
    );
    assert_eq!(
        malformed(user(
            json!([{"text": "a", "image": {"format": "png", "source": {"bytes": "AA=="}}}])
        )),
        wrapped(
            "#/messages/0/content/0: union ContentBlock must have exactly one member set, found 2: [image, text]"
        )
    );
    assert_eq!(
        malformed(json!({"toolConfig": {"tools": [{"toolSpec": {"name": "t",
            "inputSchema": {"json": {}}}}], "toolChoice": {"auto": {}, "any": {}}}})),
        wrapped(
            "#/toolConfig/toolChoice: union ToolChoice must have exactly one member set, found 2: [any, auto]"
        )
    );
}

#[test]
fn pointer_segments_are_escaped() {
    assert_eq!(
        malformed(json!({"promptVariables": {"a/b~c": {"bad": 1}}})),
        wrapped(
            "#/promptVariables/a~1b~0c: extraneous key [bad] is not permitted\
             #/promptVariables/a~1b~0c: union PromptVariableValues must have exactly one member set, found none"
        )
    );
}

#[test]
fn malformed_parts_hide_constraint_violations() {
    // maxTokens 0 breaks a constraint, but the unknown key is reported alone.
    assert_eq!(
        malformed(json!({"inferenceConfig": {"maxTokens": 0}, "stream": true})),
        wrapped("#: extraneous key [stream] is not permitted")
    );
}

#[test]
fn long_lists_of_problems_say_how_many_are_left_out() {
    let body = serde_json::Value::Object((0..25).map(|i| (format!("k{i:02}"), json!(i))).collect());
    let err = runtime().validate_input("Converse", &body).unwrap_err();
    assert_eq!(err.violation_count(), 25);
    let listed: String = (0..20)
        .map(|i| format!("#: extraneous key [k{i:02}] is not permitted"))
        .collect();
    assert_eq!(
        err.message(),
        wrapped(&format!("{listed} (and 5 more not shown)"))
    );
}

#[test]
fn count_tokens_and_rerank_bodies_are_checked_too() {
    assert_eq!(
        message(runtime(), "CountTokens", json!({"input": {}})),
        wrapped("#/input: union CountTokensInput must have exactly one member set, found none")
    );
    assert_eq!(
        message(
            runtime(),
            "CountTokens",
            json!({"input": {"invokeModel": {"body": "%%"}}})
        ),
        wrapped("#/input/invokeModel/body: expected a base64-encoded blob")
    );
    assert_eq!(
        message(
            super::agent_runtime(),
            "Rerank",
            json!({"queries": [{"type": "TEXT",
            "textQuery": {"text": "q", "lang": "en"}}], "sources": [],
            "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": {"modelConfiguration": {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"}}}})
        ),
        wrapped("#/queries/0/textQuery: extraneous key [lang] is not permitted")
    );
}

#[test]
fn stream_only_members_are_unknown_to_converse() {
    let body = json!({"guardrailConfig": {"guardrailIdentifier": "gr1", "guardrailVersion": "1",
        "streamProcessingMode": "async"}});
    assert_eq!(
        malformed(body.clone()),
        wrapped("#/guardrailConfig: extraneous key [streamProcessingMode] is not permitted")
    );
    runtime().validate_input("ConverseStream", &body).unwrap();
}

#[test]
fn base64_lengths_across_chunks() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::super::validate::base64_len;

    for len in [0, 1, 2, 3, 3071, 3072, 3073, 10_000] {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let text = STANDARD.encode(&data);
        assert_eq!(base64_len(&text), Some(len), "{len} bytes");
        assert_eq!(
            base64_len(text.trim_end_matches('=')),
            Some(len),
            "{len} unpadded"
        );
    }
    // Padding that ends exactly at an inner chunk boundary is still padding in the middle.
    let mut text = "A".repeat(4094);
    text.push_str("==");
    text.push_str("AAAA");
    assert_eq!(base64_len(&text), None);
    assert_eq!(base64_len("AA==AAAA"), None);
    assert_eq!(base64_len("A"), None);
    assert_eq!(base64_len("AB$="), None);
    // Non-canonical trailing bits are tolerated.
    assert_eq!(base64_len("AB=="), Some(1));
}
