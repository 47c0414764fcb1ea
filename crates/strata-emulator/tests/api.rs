//! Each operation over real HTTP with independently signed requests.

mod common;

use base64::Engine as _;
use common::{client, decode_frames, header_str, payload_json, send, signed, start};
use serde_json::{Value, json};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn hello() -> Value {
    json!({
        "messages": [{"role": "user", "content": [{"text": "Hello emulator"}]}],
        "inferenceConfig": {"maxTokens": 100}
    })
}

#[tokio::test]
async fn converse_answers_deterministically() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse",
        emulator.url()
    );
    let received = send(&client(), signed(&url, hello().to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    assert_eq!(received.header("content-type"), "application/json");
    let body = received.json();
    assert_eq!(body["output"]["message"]["role"], "assistant");
    assert_eq!(
        body["output"]["message"]["content"][0]["text"],
        "You said: Hello emulator"
    );
    assert_eq!(body["stopReason"], "end_turn");
    assert_eq!(body["usage"]["outputTokens"], 5);
}

#[tokio::test]
async fn converse_stream_is_an_event_stream_of_separate_frames() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse-stream",
        emulator.url()
    );
    let response = client()
        .request(signed(&url, hello().to_string()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.amazon.eventstream"
    );
    let collected = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let messages = decode_frames(collected);
    let types: Vec<&str> = messages
        .iter()
        .map(|m| header_str(m, ":event-type").unwrap())
        .collect();
    assert_eq!(types.first(), Some(&"messageStart"));
    assert_eq!(
        &types[types.len() - 3..],
        ["contentBlockStop", "messageStop", "metadata"]
    );
    assert!(
        types.iter().filter(|t| **t == "contentBlockDelta").count() >= 2,
        "{types:?}"
    );
    for message in &messages {
        assert_eq!(header_str(message, ":message-type"), Some("event"));
        assert_eq!(
            header_str(message, ":content-type"),
            Some("application/json")
        );
    }
    let text: String = messages
        .iter()
        .filter(|m| header_str(m, ":event-type") == Some("contentBlockDelta"))
        .map(|m| {
            payload_json(m)["delta"]["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(text, "You said: Hello emulator");
    assert!(
        payload_json(&messages[1]).get("p").is_some(),
        "deltas carry padding"
    );
    let stop = payload_json(&messages[messages.len() - 2]);
    assert_eq!(stop["stopReason"], "end_turn");
}

#[tokio::test]
async fn invoke_model_titan_embedding() {
    let emulator = start().await;
    let url = format!(
        "{}/model/amazon.titan-embed-text-v2%3A0/invoke",
        emulator.url()
    );
    let body = json!({"inputText": "hello world", "dimensions": 256, "normalize": true});
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let json = received.json();
    let vector: Vec<f64> = json["embedding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(vector.len(), 256);
    let norm: f64 = vector.iter().map(|v| v * v).sum::<f64>().sqrt();
    assert!((norm - 1.0).abs() < 1e-3, "{norm}");
    // Deterministic: the same text gives the same vector.
    let again = send(&client(), signed(&url, body.to_string())).await.json();
    assert_eq!(again["embedding"], json["embedding"]);
}

#[tokio::test]
async fn invoke_model_nova_canvas_returns_real_pngs() {
    let emulator = start().await;
    let url = format!("{}/model/amazon.nova-canvas-v1%3A0/invoke", emulator.url());
    let body = json!({
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {"text": "a lighthouse"},
        "imageGenerationConfig": {"width": 512, "height": 320, "numberOfImages": 1}
    });
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let images = received.json()["images"].as_array().unwrap().clone();
    assert_eq!(images.len(), 1);
    let png = B64.decode(images[0].as_str().unwrap()).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 512);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 320);
}

#[tokio::test]
async fn invoke_with_response_stream_wraps_chunks_in_base64() {
    let emulator = start().await;
    let url = format!(
        "{}/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream",
        emulator.url()
    );
    let body = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
                      "messages": [{"role": "user", "content": "Hi"}]});
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    assert_eq!(
        received.header("content-type"),
        "application/vnd.amazon.eventstream"
    );
    let chunks: Vec<Value> = decode_frames(received.body)
        .iter()
        .map(|m| {
            assert_eq!(header_str(m, ":event-type"), Some("chunk"));
            let payload = payload_json(m);
            serde_json::from_slice(&B64.decode(payload["bytes"].as_str().unwrap()).unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(chunks.first().unwrap()["type"], "message_start");
    assert_eq!(chunks.last().unwrap()["type"], "message_stop");
}

#[tokio::test]
async fn count_tokens_counts_like_converse() {
    let emulator = start().await;
    let url = format!(
        "{}/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens",
        emulator.url()
    );
    let body = json!({"input": {"converse": {"messages": [{"role": "user", "content": [{"text": "Hello, world!"}]}]}}});
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    assert_eq!(received.json(), json!({"inputTokens": 4}));
}

#[tokio::test]
async fn rerank_orders_by_overlap() {
    let emulator = start().await;
    let url = format!("{}/rerank", emulator.url());
    let body = json!({
        "queries": [{"type": "TEXT", "textQuery": {"text": "red apple"}}],
        "sources": [
            {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "a green pear"}}},
            {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "one red apple"}}}
        ],
        "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
            "numberOfResults": 1,
            "modelConfiguration": {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0"}
        }}
    });
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let results = received.json()["results"].clone();
    assert_eq!(results.as_array().unwrap().len(), 1);
    assert_eq!(results[0]["index"], 1);
    assert_eq!(results[0]["relevanceScore"], 1.0);
}

#[tokio::test]
async fn an_unknown_field_is_a_validation_exception() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse",
        emulator.url()
    );
    let mut body = hello();
    body["temperature"] = json!(0.5);
    let received = send(&client(), signed(&url, body.to_string())).await;
    assert_eq!(received.status, 400);
    assert_eq!(received.header("x-amzn-errortype"), "ValidationException");
    let message = received.json()["message"].as_str().unwrap().to_owned();
    assert_eq!(
        message,
        "Malformed input request: #: extraneous key [temperature] is not permitted, please \
         reformat your input and try again."
    );
    common::assert_request_id(&received);
}

#[tokio::test]
async fn constraint_violations_use_the_aws_wording() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse",
        emulator.url()
    );
    let body = json!({"messages": [{"role": "developer", "content": [{"text": "x"}]}]});
    send(&client(), signed(&url, body.to_string()))
        .await
        .assert_error(
            400,
            "ValidationException",
            "1 validation error detected: Value 'developer' at 'messages.1.member.role' failed to \
         satisfy constraint: Member must satisfy enum value set: [user, assistant, system]",
        );
}

#[tokio::test]
async fn unknown_and_profile_only_models_get_bedrock_messages() {
    let emulator = start().await;
    let unknown = format!("{}/model/acme.nonexistent-v1%3A0/converse", emulator.url());
    send(&client(), signed(&unknown, hello().to_string()))
        .await
        .assert_error(
            400,
            "ValidationException",
            "The provided model identifier is invalid.",
        );
    let base = format!(
        "{}/model/anthropic.claude-sonnet-4-20250514-v1%3A0/converse",
        emulator.url()
    );
    send(&client(), signed(&base, hello().to_string())).await.assert_error(
        400,
        "ValidationException",
        "Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput \
         isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile \
         that contains this model.",
    );
    let arn = format!(
        "{}/model/{}/converse",
        emulator.url(),
        "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0"
    );
    assert_eq!(
        send(&client(), signed(&arn, hello().to_string()))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn malformed_json_and_unknown_paths() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse",
        emulator.url()
    );
    let received = send(&client(), signed(&url, "{not json")).await;
    assert_eq!(received.status, 400);
    assert_eq!(
        received.header("x-amzn-errortype"),
        "SerializationException"
    );
    let unknown = format!("{}/model/us.amazon.nova-lite-v1%3A0/chat", emulator.url());
    let received = send(&client(), signed(&unknown, "{}")).await;
    assert_eq!(received.status, 404);
    assert_eq!(
        received.header("x-amzn-errortype"),
        "UnknownOperationException"
    );
    common::assert_request_id(&received);
}

#[tokio::test]
async fn streams_work_over_http2() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse-stream",
        emulator.url()
    );
    let received = send(&common::h2_client(), signed(&url, hello().to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let messages = decode_frames(received.body);
    assert_eq!(
        header_str(messages.last().unwrap(), ":event-type"),
        Some("metadata")
    );
}
