use serde_json::json;
use strata_core::Content;
use strata_core::content::Source;

use super::*;
use crate::convert_prompt::DocumentInfo;

fn ctx() -> ResponseContext {
    ResponseContext::new("anthropic.claude-sonnet-4-5")
}

#[test]
fn reasoning_tool_calls_and_metadata() {
    let body = json!({
        "output": {"message": {"role": "assistant", "content": [
            {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
            {"reasoningContent": {"redactedContent": "AQI="}},
            {"text": "Calling."},
            {"toolUse": {"toolUseId": "t1", "name": "weather", "input": {"city": "Paris"}}},
            {"toolUse": {"toolUseId": "t2", "name": "web", "input": {}, "type": "server_tool_use"}}
        ]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 10, "outputTokens": 20, "totalTokens": 30, "cacheReadInputTokens": 5,
                  "cacheDetails": [{"ttl": "1h", "inputTokens": 5}]},
        "metrics": {"latencyMs": 123},
        "additionalModelResponseFields": {"delta": {"stop_sequence": "END"}},
        "trace": {"guardrail": {"actionReason": "none"}},
        "performanceConfig": {"latency": "optimized"},
        "serviceTier": {"type": "priority"}
    });
    let result = convert_response(body.to_string().as_bytes(), &ctx()).unwrap();
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("tool_use"));
    assert_eq!(result.usage.input_tokens.total, Some(15));
    assert_eq!(
        result.response.model_id.as_deref(),
        Some("anthropic.claude-sonnet-4-5")
    );
    assert_eq!(
        result.content,
        vec![
            Content::Reasoning(ReasoningContent::new("think").with_provider_metadata(
                ProviderMetadata::new().with("bedrock", "signature", "sig")
            )),
            Content::Reasoning(ReasoningContent::new("").with_provider_metadata(
                ProviderMetadata::new().with("bedrock", "redacted_data", "AQI=")
            )),
            Content::text("Calling."),
            Content::ToolCall(ToolCall::new("t1", "weather", json!({"city": "Paris"}))),
            Content::ToolCall(ToolCall::new("t2", "web", json!({})).with_provider_executed(true)),
        ]
    );
    assert_eq!(
        serde_json::to_value(&result.provider_metadata).unwrap(),
        json!({"bedrock": {
            "stop_sequence": "END",
            "additional_model_response_fields": {"delta": {"stop_sequence": "END"}},
            "trace": {"guardrail": {"actionReason": "none"}},
            "latency_ms": 123,
            "performance_latency": "optimized",
            "service_tier": "priority",
            "cache_details": [{"ttl": "1h", "inputTokens": 5}]
        }})
    );
    // Reasoning round-trips into the next prompt with its signature.
    let message = result.to_message();
    let replay =
        crate::convert_prompt::convert_prompt(&[strata_core::Message::user_text("q"), message])
            .unwrap();
    assert_eq!(
        serde_json::to_value(&replay.messages[1].content[..2]).unwrap(),
        json!([{"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
               {"reasoningContent": {"redactedContent": "AQI="}}])
    );
}

#[test]
fn citations_become_sources() {
    let body = json!({
        "output": {"message": {"role": "assistant", "content": [
            {"citationsContent": {
                "content": [{"text": "Revenue grew."}],
                "citations": [
                    {"title": "Q3", "sourceContent": [{"text": "grew 5%"}], "location": {"documentPage": {"documentIndex": 0, "start": 2, "end": 3}}},
                    {"location": {"web": {"url": "https://example.com", "domain": "example.com"}}, "title": "Ex"}
                ]
            }}
        ]}},
        "stopReason": "end_turn", "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}, "metrics": {"latencyMs": 1}
    });
    let context = ctx().with_documents(vec![DocumentInfo {
        media_type: "application/pdf".into(),
        name: "report".into(),
        filename: Some("report.pdf".into()),
    }]);
    let result = convert_response(body.to_string().as_bytes(), &context).unwrap();
    assert_eq!(result.text(), "Revenue grew.");
    let Content::Source(Source::Document {
        id,
        media_type,
        title,
        filename,
        provider_metadata,
    }) = &result.content[1]
    else {
        panic!("{:?}", result.content[1]);
    };
    assert_eq!(
        (id.as_str(), media_type.as_str(), title.as_str()),
        ("source-0", "application/pdf", "Q3")
    );
    assert_eq!(filename.as_deref(), Some("report.pdf"));
    assert_eq!(
        serde_json::to_value(provider_metadata).unwrap(),
        json!({"bedrock": {"location": {"documentPage": {"documentIndex": 0, "start": 2, "end": 3}}, "source_content": ["grew 5%"]}})
    );
    let Content::Source(Source::Url { id, url, title, .. }) = &result.content[2] else {
        panic!()
    };
    assert_eq!(
        (id.as_str(), url.as_str(), title.as_deref()),
        ("source-1", "https://example.com", Some("Ex"))
    );
}

#[test]
fn json_tool_output_is_text() {
    let body = br#"{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"x","name":"json","input":{"a":1}}}]}},
        "stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}"#;
    let result = convert_response(body, &ctx().with_json_tool("json")).unwrap();
    assert_eq!(result.content, vec![Content::text(r#"{"a":1}"#)]);
    assert_eq!(result.finish_reason, FinishReason::Stop);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("tool_use"));
}

#[test]
fn checked_not_trusted() {
    let err = convert_response(
        br#"{"stopReason":"end_turn","usage":{},"metrics":{}}"#,
        &ctx(),
    )
    .unwrap_err();
    assert!(err.is_invalid_response());
    assert_eq!(
        err.to_string(),
        "could not decode the response: the Converse response has no `output`"
    );
    assert_eq!(
        err.excerpt(),
        Some(r#"{"stopReason":"end_turn","usage":{},"metrics":{}}"#)
    );

    let err = convert_response(
        br#"{"output":{"message":{"role":"assistant","content":[]}},"stopReason":"end_turn"}"#,
        &ctx(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response: the Converse response message has no content"
    );

    let long = format!("{{\"output\": \"{}", "x".repeat(5000));
    let err = convert_response(long.as_bytes(), &ctx()).unwrap_err();
    assert!(err.is_invalid_response());
    assert!(
        err.to_string()
            .starts_with("could not decode the response: the Converse response body is not valid:"),
        "{err}"
    );
    assert!(err.excerpt().unwrap().len() <= strata_core::error::EXCERPT_LIMIT + 3);
    assert!(std::error::Error::source(&err).is_some());

    let err = convert_response(b"<html>", &ctx()).unwrap_err();
    assert_eq!(err.excerpt(), Some("<html>"));
}
