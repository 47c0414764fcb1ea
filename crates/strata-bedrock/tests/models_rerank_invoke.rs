//! Rerank, raw InvokeModel / InvokeModelWithResponseStream and CountTokens against the
//! emulator through the real stack.

mod it_support;

use bytes::Bytes;
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use strata_bedrock::Bedrock;
use strata_bedrock::count_tokens::{CountTokensInput, count_tokens};
use strata_bedrock::invoke::{
    InvokeRequest, Trace, invoke_model, invoke_model_with_response_stream,
};
use strata_bedrock::rerank::{RerankingOptions, next_token};
use strata_core::rerank::RerankDocuments;
use strata_core::{CallOptions, Message, Provider, RerankOptions};
use strata_emulator::{Emulator, EmulatorHandle, Fault};

async fn start() -> (EmulatorHandle, Bedrock) {
    let emulator = it_support::emulator().await;
    let bedrock = it_support::sigv4(&emulator);
    (emulator, bedrock)
}

fn ranking(result: &strata_core::RerankResult) -> Vec<(usize, f64)> {
    result
        .ranking
        .iter()
        .map(|r| (r.index, r.relevance_score))
        .collect()
}

#[tokio::test]
async fn rerank_orders_and_limits() {
    let (emulator, bedrock) = start().await;
    for model_id in ["amazon.rerank-v1:0", "cohere.rerank-v3-5:0"] {
        let model = bedrock.rerank_model(model_id).unwrap();
        let documents = RerankDocuments::texts([
            "nothing related",
            "the quick fox",
            "a quick brown fox jumps",
        ]);
        let all = model
            .rerank(RerankOptions::new("quick brown fox", documents.clone()))
            .await
            .unwrap();
        assert_eq!(ranking(&all), [(2, 1.0), (1, 0.666667), (0, 0.0)]);
        assert_eq!(all.response.model_id.as_deref(), Some(model_id));
        assert!(all.response.request_id.is_some());
        assert_eq!(next_token(&all), None);
        let top = model
            .rerank(RerankOptions::new("quick brown fox", documents).with_top_n(2))
            .await
            .unwrap();
        assert_eq!(ranking(&top), [(2, 1.0), (1, 0.666667)]);
    }
    let last = emulator.journal().last().unwrap();
    assert_eq!(last.path, "/rerank");
    let body: Value = serde_json::from_slice(&last.body).unwrap();
    assert_eq!(
        body["rerankingConfiguration"]["bedrockRerankingConfiguration"]["modelConfiguration"]["modelArn"],
        format!(
            "arn:aws:bedrock:{}::foundation-model/cohere.rerank-v3-5:0",
            emulator.region()
        )
    );
}

#[tokio::test]
async fn endpoint_url_alone_serves_rerank_and_wins_over_the_agent_runtime_variable() {
    let emulator = Emulator::builder().start().await.unwrap();
    let bedrock = Bedrock::builder()
        .env([
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
            // Nothing listens here: a request sent to it would fail.
            (
                "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME",
                "http://127.0.0.1:9",
            ),
        ])
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    assert_eq!(bedrock.client().agent_runtime_url(), emulator.url());
    let model = bedrock.rerank_model("amazon.rerank-v1:0").unwrap();
    let documents = RerankDocuments::texts(["red apples", "green pears"]);
    let result = model
        .rerank(RerankOptions::new("pears", documents))
        .await
        .unwrap();
    assert_eq!(ranking(&result), [(1, 1.0), (0, 0.0)]);
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].path, "/rerank");
}

#[tokio::test]
async fn rerank_json_documents_and_passthrough_fields() {
    let (emulator, bedrock) = start().await;
    let model = bedrock.rerank_model("cohere.rerank-v3-5:0").unwrap();
    let mut bedrock_options = RerankingOptions::default();
    bedrock_options.additional_model_request_fields = Some(
        json!({"max_tokens_per_doc": 100})
            .as_object()
            .unwrap()
            .clone(),
    );
    let documents = RerankDocuments::Json(vec![
        json!({"fruit": "pear"}),
        json!({"fruit": "red apple"}),
    ]);
    let result = model
        .rerank(
            RerankOptions::new("red apple", documents)
                .with_top_n(1)
                .with_provider_options(bedrock_options.to_provider_options()),
        )
        .await
        .unwrap();
    assert_eq!(ranking(&result), [(1, 1.0)]);
    let body: Value = serde_json::from_slice(&emulator.journal().last().unwrap().body).unwrap();
    assert_eq!(body["sources"][0]["inlineDocumentSource"]["type"], "JSON");
    assert_eq!(
        body["rerankingConfiguration"]["bedrockRerankingConfiguration"]["modelConfiguration"]["additionalModelRequestFields"],
        json!({"max_tokens_per_doc": 100})
    );
    // Invalid input never reaches the service.
    let err = model
        .rerank(RerankOptions::new("q", RerankDocuments::Text(vec![])))
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("documents"));
    assert_eq!(emulator.journal().entries().len(), 1);
}

#[tokio::test]
async fn raw_invoke_sends_headers_and_returns_bytes() {
    let (emulator, bedrock) = start().await;
    let body = json!({"prompt": "Hello", "max_gen_len": 20});
    let request = InvokeRequest::json("meta.llama3-8b-instruct-v1:0", &body)
        .with_trace(Trace::Disabled)
        .with_guardrail("gr-1", "DRAFT");
    let response = invoke_model(bedrock.client(), &request).await.unwrap();
    assert_eq!(response.content_type.as_deref(), Some("application/json"));
    assert!(response.json().unwrap()["generation"].is_string());
    assert!(response.request_id.is_some());
    let entry = emulator.journal().last().unwrap();
    assert_eq!(entry.path, "/model/meta.llama3-8b-instruct-v1%3A0/invoke");
    assert_eq!(entry.body, Bytes::from(body.to_string()));
    for header in [
        "x-amzn-bedrock-trace",
        "x-amzn-bedrock-guardrailidentifier",
        "accept",
    ] {
        assert!(
            entry.signed_headers.iter().any(|h| h == header),
            "{header} is signed"
        );
    }

    let err = invoke_model(
        bedrock.client(),
        &InvokeRequest::new("amazon.titan-embed-text-v1", "{}"),
    )
    .await
    .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("ValidationException"));
    assert!(api.message.contains("[inputText]"), "{}", api.message);
}

#[tokio::test]
async fn raw_invoke_stream_yields_decoded_chunks() {
    let (emulator, bedrock) = start().await;
    let body = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                      "messages": [{"role": "user", "content": "Hello there"}]});
    let request = InvokeRequest::json("anthropic.claude-3-haiku-20240307-v1:0", &body);
    let mut answer = invoke_model_with_response_stream(bedrock.client(), &request)
        .await
        .unwrap();
    assert!(answer.response.request_id.is_some());
    let mut types = Vec::new();
    let mut text = String::new();
    while let Some(chunk) = answer.stream.next().await {
        let chunk: Value = serde_json::from_slice(&chunk.unwrap()).unwrap();
        if let Some(delta) = chunk["delta"]["text"].as_str() {
            text.push_str(delta);
        }
        types.push(chunk["type"].as_str().unwrap().to_owned());
    }
    assert_eq!(types.first().map(String::as_str), Some("message_start"));
    assert_eq!(types.last().map(String::as_str), Some("message_stop"));
    assert_eq!(text, "You said: Hello there");
    assert_eq!(
        emulator.journal().last().unwrap().path,
        "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream"
    );
}

#[tokio::test]
async fn raw_invoke_stream_exception_is_a_typed_error() {
    let (emulator, bedrock) = start().await;
    emulator
        .faults()
        .push(
            Fault::StreamException {
                after_frames: 1,
                exception: "throttlingException".into(),
                message: "Slow down".into(),
            },
            1,
        )
        .unwrap();
    let body = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                      "messages": [{"role": "user", "content": "Hi"}]});
    let request = InvokeRequest::json("anthropic.claude-3-haiku-20240307-v1:0", &body);
    let mut answer = invoke_model_with_response_stream(bedrock.client(), &request)
        .await
        .unwrap();
    let first = answer.stream.next().await.unwrap();
    assert!(first.is_ok());
    let err = answer.stream.next().await.unwrap().unwrap_err();
    assert_eq!(
        err.api_error().unwrap().code.as_deref(),
        Some("ThrottlingException")
    );
    assert_eq!(err.api_error().unwrap().message, "Slow down");
    assert!(err.is_retryable());
    assert!(err.request_id().is_some());
    assert!(answer.stream.next().await.is_none());
}

#[tokio::test]
async fn count_tokens_for_both_input_shapes() {
    let (_emulator, bedrock) = start().await;
    let model = "anthropic.claude-3-5-haiku-20241022-v1:0";
    let converse = CountTokensInput::converse(CallOptions::new(vec![
        Message::system("Be brief."),
        Message::user_text("Hello there"),
    ]));
    assert_eq!(
        count_tokens(bedrock.client(), model, &converse)
            .await
            .unwrap(),
        5
    );
    let native = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10,
                        "messages": [{"role": "user", "content": "Hello there"}]});
    let invoke = CountTokensInput::invoke_model(native.to_string());
    assert_eq!(
        count_tokens(bedrock.client(), model, &invoke)
            .await
            .unwrap(),
        2
    );
}
