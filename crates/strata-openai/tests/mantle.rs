//! Bedrock mantle: endpoint and region resolution, auth precedence, SigV4 on every attempt,
//! build errors.
#![cfg(feature = "mantle")]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::Full;
use strata_core::{CallOptions, LanguageModel as _, Message, ProviderOptions};
use strata_http::body::ReplayableBody;
use strata_openai::OpenAi;
use strata_openai::mantle::{MantleBuilder, MantleEndpoint};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const ANSWER: &str =
    r#"{"choices":[{"index":0,"message":{"content":"ok"},"finish_reason":"stop"}]}"#;

type Log = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A builder with a recording client answering 429 (`Retry-After: 1`) `throttles` times, then
/// 200.
fn mantle(log: &Log, throttles: usize) -> MantleBuilder {
    let log = log.clone();
    let client = tower::service_fn(move |request: Request<ReplayableBody>| {
        let log = log.clone();
        async move {
            let mut log = log.lock().unwrap();
            log.push((request.uri().to_string(), request.headers().clone()));
            let response = if log.len() <= throttles {
                Response::builder()
                    .status(429)
                    .header("retry-after", "1")
                    .body(Full::new(Bytes::from_static(
                        br#"{"error":{"message":"Too many requests","code":"throttled"}}"#,
                    )))
            } else {
                Response::builder().body(Full::new(Bytes::from_static(ANSWER.as_bytes())))
            };
            Ok::<_, Infallible>(response.unwrap())
        }
    });
    OpenAi::bedrock_mantle().http_client(client)
}

async fn call(openai: &OpenAi) -> Result<String, strata_core::Error> {
    let result = openai
        .chat_model("openai.gpt-oss-20b-1:0")
        .generate(CallOptions::new(vec![Message::user_text("hi")]))
        .await?;
    Ok(result.text())
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers[name].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn static_keys_sign_every_attempt_for_bedrock_mantle() {
    let log = Log::default();
    let openai = mantle(&log, 1)
        .env([
            ("AWS_REGION", "us-west-2"),
            ("AWS_BEARER_TOKEN_BEDROCK", "ignored-when-keys-are-given"),
        ])
        .access_key_id(AKID)
        .secret_access_key(SECRET)
        .build()
        .unwrap();
    assert_eq!(call(&openai).await.unwrap(), "ok");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "one throttled attempt, one retry");
    for (uri, headers) in log.iter() {
        assert_eq!(
            uri,
            "https://bedrock-mantle.us-west-2.api.aws/openai/v1/chat/completions"
        );
        let auth = header(headers, "authorization");
        assert!(
            auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={AKID}/")),
            "{auth}"
        );
        assert!(
            auth.contains("/us-west-2/bedrock-mantle/aws4_request"),
            "{auth}"
        );
    }
    // Retry-After: 1 puts the retry in a later second: a fresh date and a fresh signature.
    assert_ne!(
        header(&log[0].1, "x-amz-date"),
        header(&log[1].1, "x-amz-date")
    );
    assert_ne!(
        header(&log[0].1, "authorization"),
        header(&log[1].1, "authorization")
    );
}

#[tokio::test]
async fn the_runtime_endpoint_signs_as_bedrock() {
    let log = Log::default();
    let openai = mantle(&log, 0)
        .env([
            ("AWS_DEFAULT_REGION", "eu-central-1"),
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ])
        .endpoint(MantleEndpoint::Runtime)
        .build()
        .unwrap();
    call(&openai).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(
        log[0].0,
        "https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1/chat/completions"
    );
    assert!(header(&log[0].1, "authorization").contains("/eu-central-1/bedrock/aws4_request"));
}

#[tokio::test]
async fn bearer_tokens_from_the_environment_or_an_api_key() {
    let log = Log::default();
    let openai = mantle(&log, 0)
        .env([
            ("AWS_REGION", "us-east-1"),
            ("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-abc"),
            ("AWS_ACCESS_KEY_ID", AKID),
        ])
        .build()
        .unwrap();
    call(&openai).await.unwrap();
    let openai = mantle(&log, 0)
        .env([("AWS_BEDROCK_BASE_URL", "http://127.0.0.1:9/openai/v1")])
        .api_key("explicit-key")
        .build()
        .unwrap();
    call(&openai).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(
        header(&log[0].1, "authorization"),
        "Bearer bedrock-api-key-abc"
    );
    assert!(log[0].1.get("x-amz-date").is_none());
    assert_eq!(log[1].0, "http://127.0.0.1:9/openai/v1/chat/completions");
    assert_eq!(header(&log[1].1, "authorization"), "Bearer explicit-key");
}

#[test]
fn build_errors() {
    let base = || OpenAi::bedrock_mantle().env([("AWS_REGION", "us-west-2")]);
    let error = base()
        .api_key("k")
        .access_key_id(AKID)
        .secret_access_key(SECRET)
        .build()
        .unwrap_err();
    assert!(error.is_ambiguous_auth());
    assert_eq!(
        error.to_string(),
        "ambiguous authentication: both static AWS keys and a Bedrock API key were configured; choose one"
    );
    let error = base().access_key_id(AKID).build().unwrap_err();
    assert!(error.is_credentials(), "{error}");
    let error = base()
        .access_key_id(AKID)
        .secret_access_key(SECRET)
        .base_url("https://bedrock-mantle.us-east-1.api.aws/openai/v1")
        .build()
        .unwrap_err();
    assert!(error.is_region_mismatch());
    assert_eq!(
        error.to_string(),
        "the endpoint is in region `us-east-1` but requests would be signed for `us-west-2`"
    );
    let error = OpenAi::bedrock_mantle()
        .env([
            ("HOME", "/nonexistent"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ])
        .api_key("k")
        .build()
        .unwrap_err();
    assert!(error.is_region(), "{error}");
    let error = base()
        .access_key_id(AKID)
        .secret_access_key(SECRET)
        .region("not a region")
        .build()
        .unwrap_err();
    assert!(error.is_region(), "{error}");
    // With a base URL and a bearer token, no region is needed.
    assert!(
        OpenAi::bedrock_mantle()
            .env([("HOME", "/nonexistent")])
            .base_url("http://127.0.0.1:9/openai/v1")
            .api_key("k")
            .build()
            .is_ok()
    );
    // As for Bedrock (the same code): a session token never crosses plain HTTP; a signature
    // made with long-term keys reveals no secret.
    let error = base()
        .access_key_id(AKID)
        .secret_access_key(SECRET)
        .session_token("session-token")
        .base_url("http://mantle.internal.example/openai/v1")
        .build()
        .unwrap_err();
    assert!(error.is_insecure_endpoint(), "{error}");
    assert!(
        base()
            .access_key_id(AKID)
            .secret_access_key(SECRET)
            .base_url("http://mantle.internal.example/openai/v1")
            .build()
            .is_ok()
    );
    let builder = base()
        .api_key("secret-api-key")
        .access_key_id("AKIDSECRET")
        .secret_access_key("top-secret");
    let debug = format!("{builder:?}");
    assert!(
        !debug.contains("secret-api-key")
            && !debug.contains("top-secret")
            && !debug.contains("AKIDSECRET"),
        "{debug}"
    );
}

#[tokio::test]
async fn mantle_models_read_the_openai_options_namespace() {
    let log = Log::default();
    let openai = mantle(&log, 0)
        .env([("AWS_REGION", "us-west-2")])
        .api_key("bedrock-api-key")
        .build()
        .unwrap();
    let model = openai.chat_model("openai.gpt-oss-20b-1:0");
    assert_eq!(model.provider(), "bedrock-mantle");
    let options = ProviderOptions::new()
        .with("openai", "user", "from-openai")
        .with("bedrock-mantle", "user", "ignored")
        .with("bedrock-mantle", "notAnOption", true);
    let result = model
        .generate(CallOptions::new(vec![Message::user_text("hi")]).with_provider_options(options))
        .await
        .unwrap();
    let body = result.request_body.unwrap().json().unwrap();
    assert_eq!(body["user"], "from-openai");
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}"); // model, messages, user
}
