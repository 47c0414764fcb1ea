//! Custom stacks (your layers, your HTTP client) and checked responses.

mod it_support;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use strata_bedrock::Bedrock;
use strata_core::{CallOptions, LanguageModel, Message, StreamPart};
use strata_emulator::Fault;
use strata_http::body::ReplayableBody;
use tower::limit::ConcurrencyLimitLayer;

use it_support::{ACCESS_KEY_ID, NOVA, SECRET_ACCESS_KEY, builder, emulator};

fn hello() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Hello")])
}

/// A provider whose HTTP client always answers `status` with `body`.
fn answering(status: u16, body: &'static str) -> Bedrock {
    let client = tower::service_fn(move |_request: Request<ReplayableBody>| async move {
        let response = Response::builder()
            .status(status)
            .header("x-amzn-requestid", "fake-request-id")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .unwrap();
        Ok::<_, Infallible>(response)
    });
    Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region("us-east-1")
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key(SECRET_ACCESS_KEY)
        .http_client(client)
        .build()
        .unwrap()
}

#[tokio::test]
async fn user_layers_wrap_the_default_stack_once_per_call() {
    let emulator = emulator().await;
    emulator.faults().push(Fault::Throttle, 1).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let bedrock = builder(&emulator)
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key(SECRET_ACCESS_KEY)
        .layer(ConcurrencyLimitLayer::new(1))
        .layer(tower::layer::layer_fn(move |inner| {
            let counter = counter.clone();
            tower::ServiceBuilder::new()
                .map_request(move |request: Request<ReplayableBody>| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    request
                })
                .service(inner)
        }))
        .build()
        .unwrap();
    let model = bedrock.language_model(NOVA);
    let (a, b) = tokio::join!(model.generate(hello()), model.generate(hello()));
    assert_eq!(a.unwrap().text(), "You said: Hello");
    assert_eq!(b.unwrap().text(), "You said: Hello");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "the retry happens inside");
    assert_eq!(emulator.journal().entries().len(), 3);
}

#[tokio::test]
async fn a_custom_client_sees_signed_requests_with_default_headers() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let client = tower::service_fn(move |request: Request<ReplayableBody>| {
        log.lock().unwrap().push(request.headers().clone());
        async {
            Ok::<_, Infallible>(
                Response::builder()
                    .status(StatusCode::BAD_REQUEST)
                    .header("x-amzn-errortype", "ValidationException")
                    .body(Full::new(Bytes::from_static(br#"{"message":"nope"}"#)))
                    .unwrap(),
            )
        }
    });
    let bedrock = Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region("eu-west-1")
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key(SECRET_ACCESS_KEY)
        .default_header("x-team", "search")
        .user_agent_suffix("my-app/1.0")
        .http_client(client)
        .build()
        .unwrap();
    let error = bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap_err();
    assert_eq!(error.api_error().unwrap().message, "nope");
    let headers = seen.lock().unwrap()[0].clone();
    assert_eq!(headers["x-team"], "search");
    assert_eq!(headers["content-type"], "application/json");
    let user_agent = headers["user-agent"].to_str().unwrap();
    assert!(
        user_agent.ends_with(" strata-bedrock/0.1.0 my-app/1.0"),
        "{user_agent}"
    );
    let authorization = headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("/eu-west-1/bedrock/aws4_request"),
        "{authorization}"
    );
}

#[tokio::test]
async fn responses_are_checked_not_trusted() {
    for (body, message) in [
        ("not json", "the Converse response body is not valid"),
        (
            r#"{"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}"#,
            "the Converse response has no `output`",
        ),
        (
            r#"{"output":{"message":{"role":"assistant","content":[]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}"#,
            "the Converse response message has no content",
        ),
    ] {
        let error = answering(200, body)
            .language_model(NOVA)
            .generate(hello())
            .await
            .unwrap_err();
        assert!(error.is_invalid_response(), "{error:?}");
        assert!(error.to_string().contains(message), "{error}");
        assert_eq!(error.request_id(), Some("fake-request-id"));
        assert_eq!(error.excerpt(), Some(body));
    }
}

#[tokio::test]
async fn an_empty_stream_body_is_an_error_part() {
    let result = answering(200, "")
        .language_model(NOVA)
        .stream(hello())
        .await
        .unwrap();
    assert_eq!(
        result.response.request_id.as_deref(),
        Some("fake-request-id")
    );
    let parts = it_support::parts(result).await;
    match parts.last() {
        Some(StreamPart::Error(error)) => {
            assert!(error.is_stream_ended(), "{error:?}");
            assert_eq!(error.request_id(), Some("fake-request-id"));
        }
        other => panic!("expected an error part, got {other:?}"),
    }
}

/// A response body that never sends anything and records when it is dropped.
struct Silent(Arc<AtomicBool>);

impl http_body::Body for Silent {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        Poll::Pending
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn dropping_a_stream_drops_the_response_body() {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = dropped.clone();
    let client = tower::service_fn(move |_request: Request<ReplayableBody>| {
        let body = Silent(flag.clone());
        async move { Ok::<_, Infallible>(Response::new(body)) }
    });
    let bedrock = Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region("us-east-1")
        .api_key("test-key")
        .http_client(client)
        .build()
        .unwrap();
    let mut stream = bedrock
        .language_model(NOVA)
        .stream(hello())
        .await
        .unwrap()
        .stream;
    let waited = tokio::time::timeout(Duration::from_millis(50), stream.next()).await;
    assert!(waited.is_err(), "nothing arrives from a silent body");
    assert!(!dropped.load(Ordering::SeqCst));
    drop(stream);
    assert!(
        dropped.load(Ordering::SeqCst),
        "the body (and its connection) went with the stream"
    );
}
