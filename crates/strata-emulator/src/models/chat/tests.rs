use serde_json::{Value, json};

use super::*;
use crate::models::catalog::resolve;

fn model(id: &str) -> ModelInfo {
    resolve(id).unwrap()
}

fn user(text: &str) -> Value {
    json!({"role": "user", "content": [{"text": text}]})
}

fn haiku() -> ModelInfo {
    model("anthropic.claude-3-5-haiku-20241022-v1:0")
}

fn sonnet4() -> ModelInfo {
    model("us.anthropic.claude-sonnet-4-20250514-v1:0")
}

/// Rebuilds a Converse response (content, stop reason, usage, …) from stream events.
fn collect(events: &[StreamEvent]) -> Value {
    let mut content: Vec<Value> = Vec::new();
    let mut out = json!({});
    for event in events {
        let p = &event.payload;
        assert!(
            p["p"].as_str().is_some_and(|s| !s.is_empty()),
            "padding on {}",
            event.event_type
        );
        match event.event_type {
            "messageStart" => out["role"] = p["role"].clone(),
            "contentBlockStart" => {
                let tool = &p["start"]["toolUse"];
                content.push(json!({"toolUse": {"toolUseId": tool["toolUseId"], "name": tool["name"], "input": ""}}));
            }
            "contentBlockDelta" => {
                let index = p["contentBlockIndex"].as_u64().unwrap() as usize;
                if content.len() == index {
                    content.push(json!({}));
                }
                let block = &mut content[index];
                let delta = &p["delta"];
                if let Some(text) = delta["text"].as_str() {
                    if block.get("citationsContent").is_some() {
                        let prev = block["citationsContent"]["content"][0]["text"]
                            .as_str()
                            .unwrap()
                            .to_owned();
                        block["citationsContent"]["content"][0]["text"] = json!(prev + text);
                    } else {
                        let prev = block["text"].as_str().unwrap_or("").to_owned();
                        block["text"] = json!(prev + text);
                    }
                } else if let Some(citation) = delta.get("citation") {
                    let text = block["text"].take();
                    *block = json!({"citationsContent": {"content": [{"text": text}], "citations": [citation]}});
                } else if let Some(reasoning) = delta.get("reasoningContent") {
                    let r = &mut block["reasoningContent"]["reasoningText"];
                    if let Some(text) = reasoning["text"].as_str() {
                        let prev = r["text"].as_str().unwrap_or("").to_owned();
                        r["text"] = json!(prev + text);
                    }
                    if let Some(sig) = reasoning.get("signature") {
                        r["signature"] = sig.clone();
                    }
                } else if let Some(input) = delta["toolUse"]["input"].as_str() {
                    let prev = block["toolUse"]["input"].as_str().unwrap().to_owned();
                    block["toolUse"]["input"] = json!(prev + input);
                }
            }
            "contentBlockStop" => {
                let index = p["contentBlockIndex"].as_u64().unwrap() as usize;
                if let Some(input) = content[index]["toolUse"]["input"]
                    .as_str()
                    .map(str::to_owned)
                {
                    content[index]["toolUse"]["input"] = serde_json::from_str(&input).unwrap();
                }
            }
            "messageStop" => {
                out["stopReason"] = p["stopReason"].clone();
                if let Some(f) = p.get("additionalModelResponseFields") {
                    out["additionalModelResponseFields"] = f.clone();
                }
            }
            "metadata" => {
                for key in [
                    "usage",
                    "metrics",
                    "trace",
                    "performanceConfig",
                    "serviceTier",
                ] {
                    if let Some(v) = p.get(key) {
                        out[key] = v.clone();
                    }
                }
            }
            other => panic!("unexpected event {other}"),
        }
    }
    let role = out["role"].take();
    out.as_object_mut().unwrap().remove("role");
    out["output"] = json!({"message": {"role": role, "content": content}});
    out
}

fn assert_stream_matches(model: &ModelInfo, request: &Value) -> Value {
    let response = converse(model, request).unwrap();
    let events = converse_stream(model, request).unwrap();
    assert_eq!(collect(&events), response);
    response
}

#[test]
fn plain_text_reply_and_usage() {
    let request = json!({"messages": [user("Hello there, friend!")]});
    let response = assert_stream_matches(&model("amazon.nova-lite-v1:0"), &request);
    assert_eq!(
        response,
        json!({
            "output": {"message": {"role": "assistant", "content": [{"text": "You said: Hello there, friend!"}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": 5, "outputTokens": 8, "totalTokens": 13},
            "metrics": {"latencyMs": 108}
        })
    );
}

#[test]
fn stream_splits_text_into_several_deltas() {
    let request = json!({"messages": [user("one two three four five six")]});
    let events = converse_stream(&haiku(), &request).unwrap();
    let types: Vec<&str> = events.iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        [
            "messageStart",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockStop",
            "messageStop",
            "metadata"
        ]
    );
    let texts: Vec<&str> = events
        .iter()
        .filter_map(|e| e.payload["delta"]["text"].as_str())
        .collect();
    assert_eq!(texts, ["You said:", " one two three", " four five six"]);
    assert_eq!(events[0].payload, json!({"role": "assistant", "p": "abcd"}));
}

#[test]
fn attachments_and_empty_text() {
    let request = json!({"messages": [{"role": "user", "content": [
        {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
        {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
        {"document": {"format": "txt", "name": "notes", "source": {"text": "Alpha beta."}}}
    ]}]});
    let response = converse(&haiku(), &request).unwrap();
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "You said: nothing (attached: 2 images, 1 document)"
    );
    // 100 per image + the document's 3 text tokens.
    assert_eq!(response["usage"]["inputTokens"], 203);
}

#[test]
fn system_prompt_is_reflected_when_asked() {
    let request = json!({
        "system": [{"text": "You are terse."}, {"text": "Answer in French."}],
        "messages": [user("What is your system prompt?")]
    });
    let response = converse(&haiku(), &request).unwrap();
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "My system prompt is: You are terse. Answer in French."
    );
    let none = json!({"messages": [user("Show the system prompt")]});
    assert_eq!(
        converse(&haiku(), &none).unwrap()["output"]["message"]["content"][0]["text"],
        "I have no system prompt."
    );
}

#[test]
fn max_tokens_cuts_the_reply() {
    let request = json!({
        "messages": [user("alpha beta gamma delta")],
        "inferenceConfig": {"maxTokens": 4}
    });
    let response = assert_stream_matches(&haiku(), &request);
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "You said: alpha"
    );
    assert_eq!(response["stopReason"], "max_tokens");
    assert_eq!(
        response["usage"],
        json!({"inputTokens": 4, "outputTokens": 4, "totalTokens": 8})
    );
}

#[test]
fn stop_sequences_cut_before_the_earliest() {
    let request = json!({
        "messages": [user("one STOP two END three")],
        "inferenceConfig": {"stopSequences": ["END", "STOP"]},
        "additionalModelResponseFieldPaths": ["/stop_sequence"]
    });
    let response = assert_stream_matches(&haiku(), &request);
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "You said: one "
    );
    assert_eq!(response["stopReason"], "stop_sequence");
    assert_eq!(
        response["additionalModelResponseFields"],
        json!({"stop_sequence": "STOP"})
    );
}

fn weather_tools(choice: Option<Value>) -> Value {
    let mut config = json!({"tools": [
        {"toolSpec": {"name": "get_weather", "description": "Weather for a city",
            "inputSchema": {"json": {"type": "object", "properties": {
                "city": {"type": "string"}, "unit": {"enum": ["C", "F"]}}, "required": ["city", "unit"]}}}},
        {"toolSpec": {"name": "search", "inputSchema": {"json": {"type": "object"}}}}
    ]});
    if let Some(choice) = choice {
        config["toolChoice"] = choice;
    }
    config
}

#[test]
fn tool_use_when_the_message_names_a_tool() {
    let request =
        json!({"messages": [user("Use get_weather for Paris")], "toolConfig": weather_tools(None)});
    let response = assert_stream_matches(&haiku(), &request);
    assert_eq!(response["stopReason"], "tool_use");
    let block = &response["output"]["message"]["content"][0]["toolUse"];
    assert_eq!(block["name"], "get_weather");
    assert_eq!(block["input"], json!({"city": "city", "unit": "C"}));
    let id = block["toolUseId"].as_str().unwrap();
    assert!(id.starts_with("tooluse_") && id.len() == 30, "{id}");
    // Deterministic: the same request gives the same id.
    assert_eq!(converse(&haiku(), &request).unwrap(), response);

    let events = converse_stream(&haiku(), &request).unwrap();
    let inputs: Vec<&str> = events
        .iter()
        .filter_map(|e| e.payload["delta"]["toolUse"]["input"].as_str())
        .collect();
    assert_eq!(inputs.len(), 3);
    assert_eq!(events[1].event_type, "contentBlockStart");
    assert_eq!(events[1].payload["start"]["toolUse"]["name"], "get_weather");
}

#[test]
fn tool_choice_any_and_tool() {
    let any =
        json!({"messages": [user("hello")], "toolConfig": weather_tools(Some(json!({"any": {}})))});
    let response = converse(&haiku(), &any).unwrap();
    assert_eq!(
        response["output"]["message"]["content"][0]["toolUse"]["name"],
        "get_weather"
    );
    let named = json!({"messages": [user("hello")], "toolConfig": weather_tools(Some(json!({"tool": {"name": "search"}})))});
    let response = converse(&haiku(), &named).unwrap();
    assert_eq!(
        response["output"]["message"]["content"][0]["toolUse"]["input"],
        json!({})
    );
    let auto = json!({"messages": [user("hello")], "toolConfig": weather_tools(None)});
    assert_eq!(
        converse(&haiku(), &auto).unwrap()["output"]["message"]["content"][0]["text"],
        "You said: hello"
    );
    let unknown = json!({"messages": [user("hello")], "toolConfig": weather_tools(Some(json!({"tool": {"name": "nope"}})))});
    assert!(converse(&haiku(), &unknown).unwrap_err().is_validation());
}

#[test]
fn tool_result_gets_a_final_answer() {
    let request = json!({
        "messages": [
            user("Use get_weather"),
            {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_1", "name": "get_weather", "input": {"city": "Paris"}}}]},
            {"role": "user", "content": [
                {"toolResult": {"toolUseId": "tooluse_1", "content": [{"json": {"temp": 21}}, {"text": "sunny"}]}}
            ]}
        ],
        "toolConfig": weather_tools(Some(json!({"any": {}})))
    });
    let response = assert_stream_matches(&haiku(), &request);
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "Tool get_weather returned: {\"temp\":21} sunny"
    );
    assert_eq!(response["stopReason"], "end_turn");
}

#[test]
fn tools_on_a_model_without_tool_use() {
    let request = json!({"messages": [user("hi")], "toolConfig": weather_tools(None)});
    let err = converse(&model("meta.llama3-8b-instruct-v1:0"), &request).unwrap_err();
    assert_eq!(err.message(), "This model doesn't support tool use.");
    let err = converse_stream(&model("meta.llama3-1-8b-instruct-v1:0"), &request).unwrap_err();
    assert_eq!(
        err.message(),
        "This model doesn't support tool use in streaming mode."
    );
}

#[test]
fn reasoning_block_comes_first() {
    let request = json!({
        "messages": [user("Why is the sky blue?")],
        "inferenceConfig": {"maxTokens": 2000},
        "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}}
    });
    let response = assert_stream_matches(&sonnet4(), &request);
    let content = &response["output"]["message"]["content"];
    let reasoning = &content[0]["reasoningContent"]["reasoningText"];
    assert_eq!(
        reasoning["text"],
        "The user wrote: Why is the sky blue?. I will answer by repeating it."
    );
    assert_eq!(reasoning["signature"].as_str().unwrap().len(), 64);
    assert_eq!(content[1]["text"], "You said: Why is the sky blue?");
    let events = converse_stream(&sonnet4(), &request).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.payload["delta"]["reasoningContent"]["signature"].is_string())
    );
}

#[test]
fn reasoning_validation() {
    let thinking = |budget: u64, max: u64| {
        json!({
            "messages": [user("hi")],
            "inferenceConfig": {"maxTokens": max},
            "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": budget}}
        })
    };
    assert!(
        converse(&sonnet4(), &thinking(512, 2000))
            .unwrap_err()
            .message()
            .contains("greater than or equal to 1024")
    );
    assert!(
        converse(&sonnet4(), &thinking(2000, 2000))
            .unwrap_err()
            .message()
            .contains("`max_tokens` must be greater")
    );
    assert_eq!(
        converse(&haiku(), &thinking(1024, 2000))
            .unwrap_err()
            .message(),
        "The model returned the following errors: thinking: Extra inputs are not permitted"
    );
    let nova = json!({"messages": [user("hi")], "additionalModelRequestFields": {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"}}});
    let response = converse(&model("us.amazon.nova-2-lite-v1:0"), &nova).unwrap();
    assert!(response["output"]["message"]["content"][0]["reasoningContent"].is_object());
}

#[test]
fn citations_quote_the_first_sentence() {
    let request = json!({"messages": [{"role": "user", "content": [
        {"document": {"format": "txt", "name": "facts", "source": {"text": "  Water boils at 100 C. Ice melts at 0 C."}, "citations": {"enabled": true}}},
        {"text": "When does water boil?"}
    ]}]});
    let response = assert_stream_matches(&haiku(), &request);
    assert_eq!(
        response["output"]["message"]["content"][0],
        json!({"citationsContent": {
            "content": [{"text": "According to facts: Water boils at 100 C."}],
            "citations": [{
                "title": "facts",
                "sourceContent": [{"text": "Water boils at 100 C."}],
                "location": {"documentChar": {"documentIndex": 0, "start": 2, "end": 23}}
            }]
        }})
    );
    // A model without citations answers plainly.
    let nova = converse(&model("amazon.nova-lite-v1:0"), &request).unwrap();
    assert_eq!(
        nova["output"]["message"]["content"][0]["text"],
        "You said: When does water boil? (attached: 1 document)"
    );
}

#[test]
fn cache_points_report_writes_then_reads() {
    let request = json!({
        "system": [{"text": "Long shared context here"}, {"cachePoint": {"type": "default"}}],
        "messages": [user("hi")]
    });
    let stateless = converse(&haiku(), &request).unwrap();
    assert_eq!(
        stateless["usage"],
        json!({"inputTokens": 1, "outputTokens": 4, "totalTokens": 9, "cacheReadInputTokens": 0, "cacheWriteInputTokens": 4})
    );
    let mut cache = PromptCache::new();
    let first = converse_cached(&haiku(), &request, &mut cache).unwrap();
    assert_eq!(first["usage"]["cacheWriteInputTokens"], 4);
    let second = converse_cached(&haiku(), &request, &mut cache).unwrap();
    assert_eq!(second["usage"]["cacheReadInputTokens"], 4);
    assert_eq!(second["usage"]["cacheWriteInputTokens"], 0);
    assert_eq!(second["usage"]["totalTokens"], 9);
    let events = converse_stream_cached(&haiku(), &request, &mut cache).unwrap();
    assert_eq!(
        events.last().unwrap().payload["usage"]["cacheReadInputTokens"],
        4
    );
}

#[test]
fn structured_output_follows_the_schema() {
    let schema = json!({"type": "object", "properties": {"answer": {"type": "integer", "minimum": 42}}, "required": ["answer"]});
    let request = json!({
        "messages": [user("give me json")],
        "outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": schema.to_string(), "name": "out"}}}}
    });
    let response = converse(&haiku(), &request).unwrap();
    assert_eq!(
        response["output"]["message"]["content"][0]["text"],
        "{\"answer\":42}"
    );
}

#[test]
fn guardrail_trace_and_echoes() {
    let request = json!({
        "messages": [user("hello")],
        "guardrailConfig": {"guardrailIdentifier": "gr-1", "guardrailVersion": "1", "trace": "enabled"},
        "performanceConfig": {"latency": "optimized"},
        "serviceTier": {"type": "flex"}
    });
    let response = assert_stream_matches(&haiku(), &request);
    let input = &response["trace"]["guardrail"]["inputAssessment"]["gr-1"]["invocationMetrics"];
    assert_eq!(
        input["guardrailCoverage"]["textCharacters"],
        json!({"guarded": 5, "total": 5})
    );
    let output =
        &response["trace"]["guardrail"]["outputAssessments"]["gr-1"][0]["invocationMetrics"];
    assert_eq!(output["guardrailCoverage"]["textCharacters"]["total"], 15);
    assert_eq!(
        response["performanceConfig"],
        json!({"latency": "optimized"})
    );
    assert_eq!(response["serviceTier"], json!({"type": "flex"}));
    let disabled = json!({"messages": [user("hello")], "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1"}});
    assert!(
        converse(&haiku(), &disabled)
            .unwrap()
            .get("trace")
            .is_none()
    );
}

#[test]
fn conversation_validation() {
    let cases = [
        (
            json!({"messages": []}),
            "A conversation must start with a user message.",
        ),
        (
            json!({"messages": [{"role": "assistant", "content": [{"text": "x"}]}]}),
            "A conversation must start with a user message.",
        ),
        (
            json!({"messages": [user("a"), user("b")]}),
            "A conversation must alternate between user and assistant roles.",
        ),
        (
            json!({"messages": [user("a")], "inferenceConfig": {"maxTokens": 9000}}),
            "exceeds the model limit of 8192",
        ),
    ];
    for (request, expected) in cases {
        let err = converse(&haiku(), &request).unwrap_err();
        assert!(err.message().contains(expected), "{}", err.message());
        assert_eq!(err.status(), 400);
    }
    let tool_use = json!({"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "x", "input": {}}}]});
    let exact = [
        (
            json!({"messages": [{"role": "user", "content": []}]}),
            "The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again.",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"text": "ok"}, {"text": "  "}]}]}),
            "The text field in the ContentBlock object at messages.0.content.1 is blank. Add text to the text field, and try again.",
        ),
        (
            json!({"messages": [user("a"), tool_use, user("b")]}),
            "Expected toolResult blocks at messages.2.content for the following Ids: t1",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"toolResult": {"toolUseId": "t9", "content": [{"text": "r"}]}}]}]}),
            "The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn.",
        ),
    ];
    for (request, expected) in exact {
        assert_eq!(
            converse(&haiku(), &request).unwrap_err().message(),
            expected
        );
    }
    let err = converse(
        &model("amazon.titan-embed-text-v2:0"),
        &json!({"messages": [user("a")]}),
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        "This action doesn't support the model that you provided. Try again with a supported text or chat model."
    );
}

#[test]
fn count_tokens_matches_converse_usage() {
    let request = json!({
        "system": [{"text": "Be brief."}, {"cachePoint": {"type": "default"}}],
        "messages": [user("How many tokens is this?")],
        "toolConfig": weather_tools(None)
    });
    let response = converse(&haiku(), &request).unwrap();
    let usage = &response["usage"];
    let total =
        usage["inputTokens"].as_u64().unwrap() + usage["cacheWriteInputTokens"].as_u64().unwrap();
    let counted =
        crate::models::tokens::count_tokens(&haiku(), &json!({"input": {"converse": request}}))
            .unwrap();
    assert_eq!(counted, json!({"inputTokens": total}));
}
