//! The provider runtime through the facade: what each insertion point observes, one retry
//! budget shared by two providers, and providers built over a user-built service.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::Full;
use strata::aws::auth::AwsSettings;
use strata::aws::error::AwsClassifier;
use strata::aws::region::Region;
use strata::bedrock::Bedrock;
use strata::bedrock::client::BedrockEndpoints;
use strata::http::body::ReplayableBody;
use strata::http::env::Env;
use strata::http::retry::{RetryBudget, RetryConfig};
use strata::http::runtime::RuntimeBuilder;
use strata::openai::OpenAi;
use strata::{CallOptions, LanguageModel, Message};
use strata_emulator::Emulator;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const CONVERSE_OK: &str = r#"{"output":{"message":{"role":"assistant","content":[{"text":"Hi!"}]}},
    "stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}"#;

fn hello() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Hello")])
}

type Log = Arc<Mutex<Vec<HeaderMap>>>;

/// A layer recording the headers of every request passing through it.
fn recorder(
    log: Log,
) -> impl tower::Layer<
    strata::http::service::HttpService,
    Service = impl strata::http::service::IntoHttpService,
> + Send
+ Sync
+ 'static {
    tower::layer::layer_fn(move |inner| {
        let log = log.clone();
        tower::ServiceBuilder::new()
            .map_request(move |request: Request<ReplayableBody>| {
                log.lock().unwrap().push(request.headers().clone());
                request
            })
            .service(inner)
    })
}

/// A client answering `statuses` in turn (then 200 with a Converse answer).
fn answering(statuses: &'static [u16]) -> impl strata::http::service::IntoHttpService {
    let calls = Arc::new(AtomicU32::new(0));
    tower::service_fn(move |_request: Request<ReplayableBody>| {
        let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
        async move {
            let response = match statuses.get(n) {
                Some(&status) => Response::builder()
                    .status(status)
                    .header("retry-after", "1")
                    .body(Full::new(Bytes::from_static(b"{}"))),
                None => {
                    Response::builder().body(Full::new(Bytes::from_static(CONVERSE_OK.as_bytes())))
                }
            };
            Ok::<_, Infallible>(response.unwrap())
        }
    })
}

#[tokio::test]
async fn each_insertion_point_sees_what_it_should() {
    let (calls, attempts, sent) = (Log::default(), Log::default(), Log::default());
    let bedrock = Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region("us-east-1")
        .access_key_id(KEY)
        .secret_access_key(SECRET)
        .session_token("session-token")
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
        .layer(recorder(calls.clone()))
        .attempt_layer(recorder(attempts.clone()))
        .transport_layer(recorder(sent.clone()))
        .http_client(answering(&[503]))
        .build()
        .unwrap();
    let result = bedrock
        .language_model("amazon.nova-lite-v1:0")
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(result.text(), "Hi!");

    assert_eq!(
        calls.lock().unwrap().len(),
        1,
        "the call layer sees the call once"
    );
    let attempts = attempts.lock().unwrap();
    assert_eq!(attempts.len(), 2, "the attempt layer sees every attempt");
    for headers in attempts.iter() {
        assert!(
            !headers.contains_key("authorization"),
            "attempts are signed below it"
        );
        assert!(!headers.contains_key("x-amz-date"));
    }
    let sent = sent.lock().unwrap();
    assert_eq!(
        sent.len(),
        2,
        "the transport layer sees every signed request"
    );
    for headers in sent.iter() {
        let authorization = &headers["authorization"];
        assert!(
            authorization
                .to_str()
                .unwrap()
                .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        );
        assert!(authorization.is_sensitive(), "the signature never prints");
        assert!(headers["x-amz-security-token"].is_sensitive());
    }
    // The 503 asked for a one-second wait: the retry is signed afresh, at a later time.
    assert_ne!(sent[0]["x-amz-date"], sent[1]["x-amz-date"]);
    assert_ne!(sent[0]["authorization"], sent[1]["authorization"]);
}

#[tokio::test]
async fn one_budget_is_shared_by_two_providers() {
    // Room for exactly one retry.
    let budget = RetryBudget::new(5, 5, 10, 1);
    let retry = RetryConfig::default().with_base_delay(Duration::from_millis(1));
    let (bedrock_sent, mantle_sent) = (Log::default(), Log::default());
    let bedrock = Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region("us-east-1")
        .api_key("bedrock-api-key")
        .retry(retry)
        .retry_budget(budget.clone())
        .transport_layer(recorder(bedrock_sent.clone()))
        .http_client(answering(&[500, 500, 500]))
        .build()
        .unwrap();
    let mantle = OpenAi::bedrock_mantle()
        .env([("HOME", "/nonexistent")])
        .region("us-east-1")
        .api_key("bedrock-api-key")
        .retry(retry)
        .retry_budget(budget.clone())
        .transport_layer(recorder(mantle_sent.clone()))
        .http_client(answering(&[500, 500, 500]))
        .build()
        .unwrap();
    let error = bedrock
        .language_model("amazon.nova-lite-v1:0")
        .generate(hello())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        bedrock_sent.lock().unwrap().len(),
        2,
        "one retry, then the budget is empty"
    );
    assert_eq!(budget.available(), 0);
    let error = mantle
        .chat_model("openai.gpt-oss-120b-1:0")
        .generate(hello())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        mantle_sent.lock().unwrap().len(),
        1,
        "the other provider drew on the same, empty budget"
    );
}

#[tokio::test]
async fn providers_over_a_user_built_service() {
    let emulator = Emulator::builder().start().await.unwrap();
    let region = Region::new(emulator.region()).unwrap();
    let aws = || AwsSettings::default().credentials_provider(emulator.credentials().clone());
    let stack = |signing_name: &str| {
        let auth = aws()
            .resolve(&Env::default(), Some(&region))
            .unwrap()
            .into_auth(signing_name, Some(&region))
            .unwrap();
        RuntimeBuilder::default()
            .retry_classifier(AwsClassifier::new())
            .build_service(&auth)
            .unwrap()
    };

    let endpoints = BedrockEndpoints::new(emulator.region(), &emulator.url(), None).unwrap();
    let bedrock = Bedrock::from_service(stack("bedrock"), endpoints);
    let result = bedrock
        .language_model("us.amazon.nova-lite-v1:0")
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
    assert!(result.response.request_id.is_some());

    let base_url = format!("{}/openai/v1", emulator.url());
    let mantle = OpenAi::bedrock_mantle_from_service(stack("bedrock-mantle"), &base_url).unwrap();
    let model = mantle.chat_model("openai.gpt-oss-120b-1:0");
    assert_eq!(model.provider(), "bedrock-mantle");
    assert_eq!(
        model.generate(hello()).await.unwrap().text(),
        "You said: Hello"
    );

    // Errors are read and typed as for a built provider.
    let error = bedrock
        .language_model("no.such-model-v1:0")
        .generate(hello())
        .await
        .unwrap_err();
    assert!(error.is_api(), "{error:?}");
}
