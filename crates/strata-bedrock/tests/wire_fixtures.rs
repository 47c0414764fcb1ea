//! Decodes every shared Converse / ConverseStream fixture into the wire types.

mod common;

use common::{chunk_events, fixture};
use strata_bedrock::wire::*;

fn message(response: &ConverseResponse) -> &Message {
    match response.output.as_ref().expect("output present") {
        ConverseOutput::Message(m) => m,
        other => panic!("unexpected output {other:?}"),
    }
}

#[test]
fn text_response() {
    let response: ConverseResponse =
        serde_json::from_slice(&fixture("amazon-bedrock-text.json")).unwrap();
    assert_eq!(response.stop_reason, StopReason::EndTurn);
    assert_eq!(response.metrics.latency_ms, 1864);
    let usage = &response.usage;
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (22, 57, 79)
    );
    assert_eq!(usage.cache_read_input_tokens, Some(0));
    assert_eq!(usage.cache_write_input_tokens, Some(0));
    let message = message(&response);
    assert_eq!(message.role, ConversationRole::Assistant);
    assert_eq!(
        message.content,
        vec![ContentBlock::Text(
            "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** \"r\"s in \"strawberry.\"".into()
        )]
    );
    assert_eq!(response.trace, None);
    assert_eq!(response.service_tier, None);
}

#[test]
fn reasoning_response() {
    let response: ConverseResponse =
        serde_json::from_slice(&fixture("amazon-bedrock-reasoning.json")).unwrap();
    let message = message(&response);
    assert_eq!(message.content.len(), 2);
    let ContentBlock::ReasoningContent(ReasoningContentBlock::ReasoningText(reasoning)) =
        &message.content[0]
    else {
        panic!("expected reasoning text, got {:?}", message.content[0]);
    };
    assert_eq!(
        reasoning.text,
        "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r's."
    );
    let signature = reasoning.signature.as_deref().unwrap();
    assert!(
        signature.starts_with("EvYBCkgICxABGAIqQA9E9VC377Unbjdf"),
        "{signature}"
    );
    assert!(signature.ends_with("kuU1h6hcGAE="), "{signature}");
    assert_eq!(
        message.content[1],
        ContentBlock::Text(
            "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y".into()
        )
    );
    assert_eq!(
        (response.usage.input_tokens, response.usage.output_tokens),
        (51, 78)
    );
    assert_eq!(response.metrics.latency_ms, 2202);
}

#[test]
fn live_tool_use_response() {
    let response: ConverseResponse =
        serde_json::from_slice(&fixture("issue-16662-live.json")).unwrap();
    assert_eq!(response.stop_reason, StopReason::ToolUse);
    assert_eq!(response.metrics.latency_ms, 28204);
    assert_eq!(
        (
            response.usage.input_tokens,
            response.usage.output_tokens,
            response.usage.total_tokens
        ),
        (59284, 1981, 61265)
    );
    assert_eq!(response.usage.cache_read_input_tokens, Some(0));
    assert_eq!(response.usage.cache_write_input_tokens, None);
    let message = message(&response);
    let [ContentBlock::ToolUse(tool)] = message.content.as_slice() else {
        panic!("expected one tool use: {:?}", message.content);
    };
    assert_eq!(tool.tool_use_id, "tooluse_Hkba1Ds3jhFmPaSRYVQZZo");
    assert_eq!(tool.name, "json");
    // `"type": "tool_use"` is not in the service model's ToolUseType enum: kept verbatim.
    assert_eq!(tool.r#type, Some(ToolUseType::Unknown("tool_use".into())));
    let input = tool.input.as_object().unwrap();
    assert!(
        input["reasoning"]
            .as_str()
            .unwrap()
            .starts_with("All 6 pages of both queryRecords")
    );
}

fn decode_all(name: &str) -> Vec<ConverseStreamEvent<'static>> {
    chunk_events(name)
        .into_iter()
        .map(|(member, payload)| {
            let payload: &'static [u8] = Box::leak(payload.into_boxed_slice());
            ConverseStreamEvent::from_payload(&member, payload)
                .unwrap_or_else(|e| panic!("{member}: {e}"))
        })
        .collect()
}

fn text_deltas(events: &[ConverseStreamEvent<'_>]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            ConverseStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
                delta: ContentBlockDelta::Text(t),
                ..
            }) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

#[test]
fn text_stream_events() {
    let events = decode_all("amazon-bedrock-text.chunks.txt");
    assert_eq!(events.len(), 16);
    assert_eq!(
        events[0],
        ConverseStreamEvent::MessageStart(MessageStartEvent {
            role: ConversationRole::Assistant
        })
    );
    assert_eq!(
        text_deltas(&events),
        "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r's in \"strawberry.\""
    );
    assert_eq!(
        events[13],
        ConverseStreamEvent::ContentBlockStop(ContentBlockStopEvent {
            content_block_index: 0
        })
    );
    let ConverseStreamEvent::MessageStop(stop) = &events[14] else {
        panic!("{:?}", events[14])
    };
    assert_eq!(stop.stop_reason, StopReason::EndTurn);
    assert_eq!(
        stop.additional_model_response_fields,
        Some(serde_json::json!({"delta": {"stop_sequence": null}}))
    );
    let ConverseStreamEvent::Metadata(meta) = &events[15] else {
        panic!("{:?}", events[15])
    };
    assert_eq!(meta.metrics.latency_ms, 2040);
    assert_eq!(
        (
            meta.usage.input_tokens,
            meta.usage.output_tokens,
            meta.usage.total_tokens
        ),
        (22, 55, 77)
    );
}

#[test]
fn reasoning_stream_events() {
    let events = decode_all("amazon-bedrock-reasoning.chunks.txt");
    let reasoning: String = events
        .iter()
        .filter_map(|e| match e {
            ConverseStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
                delta: ContentBlockDelta::ReasoningContent(ReasoningContentBlockDelta::Text(t)),
                content_block_index: 0,
            }) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasoning,
        "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r's."
    );
    let ConverseStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
        delta: ContentBlockDelta::ReasoningContent(ReasoningContentBlockDelta::Signature(sig)),
        content_block_index: 0,
    }) = &events[12]
    else {
        panic!("{:?}", events[12]);
    };
    assert!(sig.starts_with("Ep0CCkgICxABGAIqQOWPB6"));
    assert_eq!(
        text_deltas(&events),
        "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y"
    );
}

#[test]
fn tool_call_stream_events() {
    let events = decode_all("amazon-bedrock-tool-call.1.chunks.txt");
    assert_eq!(
        events[0],
        ConverseStreamEvent::ContentBlockStart(ContentBlockStartEvent {
            start: ContentBlockStart::ToolUse(ToolUseBlockStart {
                tool_use_id: "tool-use-id".into(),
                name: "test-tool".into(),
                r#type: None,
            }),
            content_block_index: 0,
        })
    );
    let inputs: String = events
        .iter()
        .filter_map(|e| match e {
            ConverseStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
                delta: ContentBlockDelta::ToolUse(t),
                ..
            }) => Some(t.input.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(inputs, r#"{"value":"Sparkle Day"}"#);
    let ConverseStreamEvent::Metadata(meta) = &events[4] else {
        panic!()
    };
    assert_eq!(
        (meta.usage.input_tokens, meta.usage.output_tokens),
        (125, 45)
    );
    let ConverseStreamEvent::MessageStop(stop) = &events[5] else {
        panic!()
    };
    assert_eq!(stop.stop_reason, StopReason::ToolUse);
    assert_eq!(stop.additional_model_response_fields, None);
}

#[test]
fn max_tokens_stream_events() {
    let events = decode_all("issue-17523-converse-stream.chunks.txt");
    assert_eq!(events.len(), 7);
    assert_eq!(
        text_deltas(&events),
        "Hello! How can I assist you today? If"
    );
    let ConverseStreamEvent::MessageStop(stop) = &events[5] else {
        panic!()
    };
    assert_eq!(stop.stop_reason, StopReason::MaxTokens);
}

#[test]
fn deltas_borrow_from_the_payload_unless_escaped() {
    let payload =
        br#"{"p":"abcdefghijklmnopqrstuvwx","contentBlockIndex":3,"delta":{"text":"OK"}}"#;
    let event = ConverseStreamEvent::from_payload("contentBlockDelta", payload).unwrap();
    let ConverseStreamEvent::ContentBlockDelta(d) = event else {
        panic!()
    };
    assert_eq!(d.content_block_index, 3);
    assert!(matches!(
        d.delta,
        ContentBlockDelta::Text(std::borrow::Cow::Borrowed("OK"))
    ));

    let payload = br#"{"contentBlockIndex":0,"delta":{"text":"a\nb"}}"#;
    let ConverseStreamEvent::ContentBlockDelta(d) =
        ConverseStreamEvent::from_payload("contentBlockDelta", payload).unwrap()
    else {
        panic!()
    };
    assert!(matches!(&d.delta, ContentBlockDelta::Text(std::borrow::Cow::Owned(s)) if s == "a\nb"));
}

#[test]
fn other_deltas_and_unknowns() {
    let decode = |json: &'static str| match ConverseStreamEvent::from_payload(
        "contentBlockDelta",
        json.as_bytes(),
    )
    .unwrap()
    {
        ConverseStreamEvent::ContentBlockDelta(d) => d.delta,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        decode(
            r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AAEC"}}}"#
        ),
        ContentBlockDelta::ReasoningContent(ReasoningContentBlockDelta::RedactedContent(
            Blob::from(vec![0, 1, 2])
        ))
    );
    assert_eq!(
        decode(
            r#"{"contentBlockIndex":0,"delta":{"citation":{"title":"Doc","sourceContent":[{"text":"quote"}],"location":{"documentPage":{"documentIndex":0,"start":1,"end":2}}}}}"#
        ),
        ContentBlockDelta::Citation(Citation {
            title: Some("Doc".into()),
            source: None,
            source_content: vec![CitationText::Text("quote".into())],
            location: Some(CitationLocation::DocumentPage(DocumentLocation {
                document_index: Some(0),
                start: Some(1),
                end: Some(2)
            })),
        })
    );
    assert_eq!(
        decode(r#"{"contentBlockIndex":0,"delta":{"hologram":{"x":1}}}"#),
        ContentBlockDelta::Unknown("hologram".into())
    );
    // A null member is ignored in favour of the one that is set.
    assert_eq!(
        decode(r#"{"contentBlockIndex":0,"delta":{"toolUse":null,"text":"x"}}"#),
        ContentBlockDelta::Text("x".into())
    );
    let err = ConverseStreamEvent::from_payload(
        "contentBlockDelta",
        br#"{"contentBlockIndex":0,"delta":{"text":"x","toolUse":{"input":"{"}}}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("ContentBlockDelta has more than one member set"),
        "{err}"
    );
    let err = ConverseStreamEvent::from_payload(
        "contentBlockDelta",
        br#"{"contentBlockIndex":0,"delta":{}}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("ContentBlockDelta has no member set"),
        "{err}"
    );
    assert_eq!(
        ConverseStreamEvent::from_payload("futureEvent", b"{}").unwrap(),
        ConverseStreamEvent::Unknown("futureEvent".into())
    );
}

#[test]
fn unknown_response_members_are_tolerated() {
    let body = br#"{"output":{"message":{"role":"assistant","content":[{"text":"a"},{"newThing":{"x":1}}]}},
        "stopReason":"brand_new_reason","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3,"extra":9},
        "metrics":{"latencyMs":5},"performanceConfig":{"latency":"optimized"},"serviceTier":{"type":"flex"},
        "trace":{"guardrail":{"actionReason":"x"},"promptRouter":{"invokedModelId":"m"}},"future":true}"#;
    let response: ConverseResponse = serde_json::from_slice(body).unwrap();
    assert_eq!(
        response.stop_reason,
        StopReason::Unknown("brand_new_reason".into())
    );
    assert_eq!(response.stop_reason.as_str(), "brand_new_reason");
    let ConverseOutput::Message(m) = response.output.unwrap() else {
        panic!()
    };
    assert_eq!(m.content[1], ContentBlock::Unknown("newThing".into()));
    assert_eq!(
        response.performance_config,
        Some(PerformanceConfiguration {
            latency: Some(PerformanceConfigLatency::Optimized)
        })
    );
    assert_eq!(
        response.service_tier,
        Some(ServiceTier {
            r#type: ServiceTierType::Flex
        })
    );
    let trace = response.trace.unwrap();
    assert_eq!(
        trace.guardrail,
        Some(serde_json::json!({"actionReason": "x"}))
    );
    assert_eq!(
        trace.prompt_router.unwrap().invoked_model_id.as_deref(),
        Some("m")
    );
    // Unknown union members cannot be sent.
    let err = serde_json::to_string(&ContentBlock::Unknown("newThing".into())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot send unknown ContentBlock member `newThing`"
    );
}
