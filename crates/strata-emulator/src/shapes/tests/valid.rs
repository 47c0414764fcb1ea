//! Realistic requests, as SDKs and providers send them, are accepted.

use serde_json::{Value, json};

use super::super::InputBody;
use super::{accepts, agent_runtime, runtime};

/// A 1x1 transparent PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// A body using every common Converse feature; the same body is valid for ConverseStream
/// except for `guardrailConfig.streamProcessingMode`, which only the stream form has.
fn converse_body() -> Value {
    json!({
        "messages": [
            {"role": "user", "content": [
                {"text": "What is in this picture, and what does the report say?"},
                {"image": {"format": "png", "source": {"bytes": PNG}}},
                {"document": {"format": "txt", "name": "Quarterly report",
                    "source": {"text": "Revenue grew 12%. Costs fell."},
                    "citations": {"enabled": true}}},
                {"cachePoint": {"type": "default"}}
            ]},
            {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "The user wants the weather.",
                    "signature": "EqQBCkYIBxgCKkDsig"}}},
                {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                    "name": "get_weather", "input": {"city": "Paris", "days": 3}}}
            ]},
            {"role": "user", "content": [
                {"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "status": "success",
                    "content": [{"json": {"forecast": ["sun", "rain"]}}, {"text": "18C"}]}}
            ]},
            {"role": "assistant", "content": [
                {"citationsContent": {"content": [{"text": "Revenue grew 12%."}], "citations": [
                    {"title": "Quarterly report", "sourceContent": [{"text": "Revenue grew 12%."}],
                     "location": {"documentChar": {"documentIndex": 0, "start": 0, "end": 17}}}]}}
            ]},
            {"role": "user", "content": [{"text": "Thanks. Anything else?"}]}
        ],
        "system": [
            {"text": "You are a concise assistant."},
            {"cachePoint": {"type": "default", "ttl": "1h"}}
        ],
        "inferenceConfig": {"maxTokens": 2048, "temperature": 0.7, "topP": 0.9,
            "stopSequences": ["\n\nHuman:"]},
        "toolConfig": {
            "tools": [
                {"toolSpec": {"name": "get_weather", "description": "Weather forecast for a city",
                    "inputSchema": {"json": {"type": "object", "properties": {
                        "city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
                        "required": ["city"]}}}},
                {"cachePoint": {"type": "default"}}
            ],
            "toolChoice": {"tool": {"name": "get_weather"}}
        },
        "guardrailConfig": {"guardrailIdentifier": "gr4x9z1abc", "guardrailVersion": "DRAFT",
            "trace": "enabled"},
        "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024},
            "anthropic_beta": ["interleaved-thinking-2025-05-14"]},
        "additionalModelResponseFieldPaths": ["/stop_sequence"],
        "performanceConfig": {"latency": "optimized"},
        "serviceTier": {"type": "priority"},
        "requestMetadata": {"project": "strata", "run-id": "2024-06-01T12:00:00Z"}
    })
}

#[test]
fn converse_with_every_feature() {
    accepts(runtime(), "Converse", converse_body());
}

#[test]
fn converse_stream_with_every_feature() {
    let mut body = converse_body();
    body["guardrailConfig"]["streamProcessingMode"] = json!("async");
    accepts(runtime(), "ConverseStream", body);
}

#[test]
fn minimal_bodies() {
    let hello = json!({"messages": [{"role": "user", "content": [{"text": "Hello"}]}]});
    accepts(runtime(), "Converse", hello.clone());
    accepts(runtime(), "ConverseStream", hello);
    // Everything is optional in the body: a prompt-management call may send nothing but
    // variables, and an empty body reads as `{}`.
    accepts(runtime(), "Converse", json!({}));
    accepts(
        runtime(),
        "Converse",
        json!({"promptVariables": {"genre": {"text": "pop"}, "number": {"text": "3"}}}),
    );
}

#[test]
fn tool_choices_and_documents() {
    for choice in [json!({"auto": {}}), json!({"any": {}})] {
        accepts(
            runtime(),
            "Converse",
            json!({
                "messages": [{"role": "user", "content": [
                    {"document": {"format": "pdf", "name": "spec", "source": {"bytes": "JVBERi0xLjQK"}}},
                    {"text": "Summarise"}]}],
                "toolConfig": {"tools": [{"toolSpec": {"name": "summarise",
                    "inputSchema": {"json": {"type": "object"}}}}], "toolChoice": choice}
            }),
        );
    }
}

#[test]
fn nulls_are_absent_members() {
    accepts(
        runtime(),
        "Converse",
        json!({"messages": [{"role": "user", "content": [{"text": "hi", "image": null}]}],
            "system": null, "inferenceConfig": {"maxTokens": null}}),
    );
}

#[test]
fn count_tokens_for_converse_and_invoke_model_bodies() {
    accepts(
        runtime(),
        "CountTokens",
        json!({"input": {"converse": {
            "messages": [{"role": "user", "content": [{"text": "How many tokens?"}]}],
            "system": [{"text": "Be brief."}],
            "toolConfig": {"tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": {}}}}]},
            "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}}
        }}}),
    );
    // The native body travels base64-encoded.
    accepts(
        runtime(),
        "CountTokens",
        json!({"input": {"invokeModel": {"body":
            "eyJhbnRocm9waWNfdmVyc2lvbiI6ImJlZHJvY2stMjAyMy0wNS0zMSIsIm1heF90b2tlbnMiOjUxMn0="}}}),
    );
}

#[test]
fn rerank() {
    accepts(
        agent_runtime(),
        "Rerank",
        json!({
            "queries": [{"type": "TEXT", "textQuery": {"text": "What is the capital of France?"}}],
            "sources": [
                {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT",
                    "textDocument": {"text": "Paris is the capital of France."}}},
                {"type": "INLINE", "inlineDocumentSource": {"type": "JSON",
                    "jsonDocument": {"title": "Berlin", "body": "Berlin is in Germany."}}}
            ],
            "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL",
                "bedrockRerankingConfiguration": {"numberOfResults": 2, "modelConfiguration": {
                    "modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0",
                    "additionalModelRequestFields": {"max_tokens_per_doc": 512}}}},
            "nextToken": "abc"
        }),
    );
}

#[test]
fn invoke_model_bodies_are_raw() {
    for op in ["InvokeModel", "InvokeModelWithResponseStream"] {
        assert_eq!(runtime().input_body(op), Some(InputBody::Raw));
        // Whatever the model-native JSON is, the service model does not judge it.
        accepts(
            runtime(),
            op,
            json!({"anthropic_version": "bedrock-2023-05-31", "foo": [1]}),
        );
        accepts(runtime(), op, json!("not even an object"));
    }
    for op in ["Converse", "ConverseStream", "CountTokens"] {
        assert_eq!(runtime().input_body(op), Some(InputBody::Json), "{op}");
    }
    assert_eq!(agent_runtime().input_body("Rerank"), Some(InputBody::Json));
}

#[test]
fn unknown_operations_are_a_distinct_error() {
    let err = runtime().validate_input("Rerank", &json!({})).unwrap_err();
    assert!(err.is_unknown_operation());
    assert!(!err.is_malformed() && !err.is_constraint_violation());
    assert_eq!(err.violation_count(), 0);
    assert_eq!(err.message(), "Unknown operation Rerank");
    assert_eq!(err.to_string(), err.message());
}
