//! Embeddings, the model list, and OpenAI-shaped errors (authentication, validation, unknown
//! models and URLs) on the OpenAI-compatible routes.

mod common;

use base64::Engine as _;
use common::{Signer, assert_openai_error, bearer, client, send};
use http::Method;
use serde_json::{Value, json};
use strata_emulator::{AuthOutcome, Emulator, EmulatorHandle};

const TOKEN: &str = "api-token";

async fn start() -> EmulatorHandle {
    Emulator::builder()
        .bearer_token(TOKEN)
        .start()
        .await
        .expect("emulator starts")
}

fn chat_body() -> String {
    json!({"model": "openai.gpt-oss-120b-1:0", "messages": [{"role": "user", "content": "Hi"}]})
        .to_string()
}

#[tokio::test]
async fn embeddings_with_sigv4_and_bearer() {
    let emulator = start().await;
    let url = format!("{}/openai/v1/embeddings", emulator.url());
    let body = json!({"model": "amazon.titan-embed-text-v2:0", "input": ["hello world", "hello there"], "dimensions": 256});
    let received = send(&client(), Signer::mantle().post(&url, body.to_string())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let answer = received.json();
    assert_eq!(answer["object"], "list");
    assert_eq!(answer["model"], "amazon.titan-embed-text-v2:0");
    assert_eq!(
        answer["usage"],
        json!({"prompt_tokens": 4, "total_tokens": 4})
    );
    let vectors: Vec<Vec<f64>> = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            assert_eq!(item["object"], "embedding");
            assert_eq!(item["index"], i);
            serde_json::from_value(item["embedding"].clone()).unwrap()
        })
        .collect();
    assert_eq!(vectors[0].len(), 256);
    let cosine: f64 = vectors[0].iter().zip(&vectors[1]).map(|(a, b)| a * b).sum();
    assert!(cosine > 0.2 && cosine < 0.99, "{cosine}");

    let encoded =
        json!({"model": "cohere.embed-v4:0", "input": "hello world", "encoding_format": "base64"});
    let received = send(
        &client(),
        bearer(Method::POST, &url, TOKEN, encoded.to_string()),
    )
    .await;
    assert_eq!(received.status, 200);
    let data = received.json()["data"][0]["embedding"]
        .as_str()
        .unwrap()
        .to_owned();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    assert_eq!(bytes.len(), 1536 * 4);
}

#[tokio::test]
async fn models_are_listed_and_retrieved() {
    let emulator = start().await;
    let url = format!("{}/openai/v1/models", emulator.url());
    let received = send(&client(), Signer::mantle().get(&url)).await;
    assert_eq!(received.status, 200);
    let list = received.json();
    assert_eq!(list["object"], "list");
    let oss = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "openai.gpt-oss-120b-1:0")
        .expect("gpt-oss listed");
    assert_eq!(oss["object"], "model");
    assert_eq!(oss["owned_by"], "openai");

    let one = send(
        &client(),
        bearer(
            Method::GET,
            &format!("{url}/us.anthropic.claude-sonnet-4-20250514-v1%3A0"),
            TOKEN,
            "",
        ),
    )
    .await;
    assert_eq!(one.status, 200);
    assert_eq!(
        one.json()["id"],
        "us.anthropic.claude-sonnet-4-20250514-v1:0"
    );
    assert_eq!(one.json()["owned_by"], "anthropic");
    let missing = send(
        &client(),
        bearer(Method::GET, &format!("{url}/gpt-9"), TOKEN, ""),
    )
    .await;
    assert_openai_error(
        &missing,
        404,
        "invalid_request_error",
        Some("model_not_found"),
    );
}

#[tokio::test]
async fn authentication_failures_are_401s() {
    let emulator = start().await;
    let url = format!("{}/openai/v1/chat/completions", emulator.url());
    let unsigned = http::Request::post(&url)
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(bytes::Bytes::from(chat_body())))
        .unwrap();
    let error = assert_openai_error(
        &send(&client(), unsigned).await,
        401,
        "invalid_request_error",
        Some("missing_authorization"),
    );
    assert_eq!(error["message"], "Authorization header is missing");

    let wrong = send(&client(), bearer(Method::POST, &url, "nope", chat_body())).await;
    let error = assert_openai_error(
        &wrong,
        401,
        "invalid_request_error",
        Some("invalid_api_key"),
    );
    assert!(!error.to_string().contains("nope"));

    let s3 = Signer {
        service: "s3".into(),
        ..Signer::default()
    };
    let error = assert_openai_error(
        &send(&client(), s3.post(&url, chat_body())).await,
        401,
        "invalid_request_error",
        Some("invalid_signature"),
    );
    assert_eq!(
        error["message"],
        "Credential should be scoped to correct service: 'bedrock-mantle'."
    );

    let mut tampered = Signer::mantle().post(&url, chat_body());
    *tampered.body_mut() =
        http_body_util::Full::new(bytes::Bytes::from(chat_body().replace("Hi", "Ho")));
    assert_openai_error(
        &send(&client(), tampered).await,
        401,
        "invalid_request_error",
        Some("invalid_signature"),
    );

    let stale = Signer {
        time: std::time::SystemTime::now() - 10 * common::MINUTE,
        ..Signer::mantle()
    };
    let error = assert_openai_error(
        &send(&client(), stale.post(&url, chat_body())).await,
        401,
        "invalid_request_error",
        Some("invalid_signature"),
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired: ")
    );

    let codes: Vec<AuthOutcome> = emulator
        .journal()
        .entries()
        .into_iter()
        .map(|e| e.auth)
        .collect();
    assert_eq!(
        codes[..2],
        [
            AuthOutcome::Rejected {
                error_code: "missing_authorization".into()
            },
            AuthOutcome::Rejected {
                error_code: "invalid_api_key".into()
            },
        ]
    );
}

#[tokio::test]
async fn bedrock_routes_keep_their_own_signing_name_and_errors() {
    let emulator = start().await;
    let url = format!(
        "{}/model/us.amazon.nova-lite-v1%3A0/converse",
        emulator.url()
    );
    let body = json!({"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}).to_string();
    let received = send(&client(), Signer::mantle().post(&url, body)).await;
    received.assert_error(
        403,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'bedrock'.",
    );
    assert!(received.headers.get("x-request-id").is_none());
}

#[tokio::test]
async fn without_a_configured_token_bearer_is_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = format!("{}/openai/v1/chat/completions", emulator.url());
    let received = send(&client(), bearer(Method::POST, &url, TOKEN, chat_body())).await;
    assert_openai_error(
        &received,
        401,
        "invalid_request_error",
        Some("invalid_api_key"),
    );
}

async fn post_error(emulator: &EmulatorHandle, path: &str, body: &str) -> (u16, Value) {
    let url = format!("{}{path}", emulator.url());
    let received = send(
        &client(),
        bearer(Method::POST, &url, TOKEN, body.to_owned()),
    )
    .await;
    let status = received.status;
    let error = assert_openai_error(
        &received,
        status,
        received.json()["error"]["type"].as_str().unwrap(),
        received.json()["error"]["code"].as_str(),
    );
    (status, error)
}

/// Path, body, then the expected status, `error.code` and `error.param`.
type Case = (
    &'static str,
    Value,
    u16,
    Option<&'static str>,
    Option<&'static str>,
);

#[tokio::test]
async fn validation_errors_name_the_parameter() {
    let emulator = start().await;
    let chat = "/openai/v1/chat/completions";
    let cases: Vec<Case> = vec![
        (
            chat,
            json!({"messages": []}),
            400,
            Some("missing_required_parameter"),
            Some("model"),
        ),
        (
            chat,
            json!({"model": "gpt-9", "messages": []}),
            404,
            Some("model_not_found"),
            Some("model"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [], "foo": 1}),
            400,
            Some("unknown_parameter"),
            Some("foo"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": []}),
            400,
            Some("empty_array"),
            Some("messages"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "user", "content": "x"}], "max_tokens": "9"}),
            400,
            Some("invalid_type"),
            Some("max_tokens"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "robot", "content": "x"}]}),
            400,
            Some("invalid_value"),
            Some("messages[0].role"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "user", "content": "x"}], "temperature": 3}),
            400,
            Some("invalid_value"),
            Some("temperature"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "user", "content": "x"}], "tool_choice": "auto"}),
            400,
            Some("invalid_value"),
            Some("tool_choice"),
        ),
        (
            chat,
            json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "user", "content": "x"}], "stream_options": {"include_usage": true}}),
            400,
            Some("invalid_value"),
            Some("stream_options"),
        ),
        (
            chat,
            json!({"model": "amazon.nova-micro-v1:0", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "low"}),
            400,
            Some("unsupported_parameter"),
            Some("reasoning_effort"),
        ),
        (
            chat,
            json!({"model": "anthropic.claude-sonnet-4-20250514-v1:0", "messages": [{"role": "user", "content": "x"}]}),
            400,
            Some("model_not_supported"),
            Some("model"),
        ),
        (
            chat,
            json!({"model": "amazon.titan-embed-text-v2:0", "messages": [{"role": "user", "content": "x"}]}),
            400,
            Some("model_not_supported"),
            Some("model"),
        ),
        (
            "/openai/v1/responses",
            json!({"model": "openai.gpt-oss-20b-1:0"}),
            400,
            Some("missing_required_parameter"),
            Some("input"),
        ),
        (
            "/openai/v1/responses",
            json!({"model": "openai.gpt-oss-20b-1:0", "input": "x", "tools": [{"type": "web_search"}]}),
            400,
            Some("invalid_value"),
            Some("tools[0].type"),
        ),
        (
            "/openai/v1/responses",
            json!({"model": "openai.gpt-oss-20b-1:0", "input": "x", "previous_response_id": "resp_1"}),
            400,
            Some("unsupported_parameter"),
            Some("previous_response_id"),
        ),
        (
            "/openai/v1/embeddings",
            json!({"model": "openai.gpt-oss-20b-1:0", "input": "x"}),
            400,
            Some("model_not_supported"),
            Some("model"),
        ),
    ];
    for (path, body, status, code, param) in cases {
        let (got, error) = post_error(&emulator, path, &body.to_string()).await;
        assert_eq!(got, status, "{body}: {error}");
        assert_eq!(error["code"].as_str(), code, "{body}: {error}");
        assert_eq!(error["param"].as_str(), param, "{body}: {error}");
    }
    let (status, error) = post_error(&emulator, chat, "{not json").await;
    assert_eq!(status, 400);
    assert_eq!(error["type"], "invalid_request_error");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("We could not parse the JSON body")
    );
    // Converse's own rules still apply, worded as Bedrock words them.
    let body = json!({"model": "openai.gpt-oss-20b-1:0", "messages": [{"role": "assistant", "content": "x"}]});
    let (status, error) = post_error(&emulator, chat, &body.to_string()).await;
    assert_eq!(status, 400);
    assert_eq!(
        error["message"],
        "A conversation must start with a user message. Try again with a conversation that starts with a user message."
    );
}

#[tokio::test]
async fn unknown_urls_are_404s() {
    let emulator = start().await;
    let (status, error) = post_error(&emulator, "/openai/v1/completions", "{}").await;
    assert_eq!(status, 404);
    assert_eq!(error["code"], "unknown_url");
    assert_eq!(
        error["message"],
        "Invalid URL (POST /openai/v1/completions)"
    );
}
