//! The provider end to end over a scripted HTTP client: requests as sent, results, streams,
//! errors, retries and auth.

mod common;

use std::convert::Infallible;
use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::fixture;
use futures_util::StreamExt as _;
use http::{Request, Response, StatusCode};
use http_body::Frame;
use http_body_util::{BodyExt as _, Full, StreamBody};
use serde_json::{Value, json};
use strata_core::{
    CallOptions, EmbedOptions, FinishReason, LanguageModel, Message, Provider, StreamPart,
    embed_many,
};
use strata_http::bearer::{Token, token_fn};
use strata_http::body::ReplayableBody;
use strata_http::retry::RetryConfig;
use strata_openai::LanguageApi;

/// What the fake server saw: method, URI, headers and JSON body per request.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, http::HeaderMap, Value)>>>);

impl Seen {
    fn take(&self) -> Vec<(String, http::HeaderMap, Value)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

type Reply = Box<dyn Fn(u32) -> Response<Full<Bytes>> + Send + Sync>;

/// A client answering request `n` (from 0) with `reply(n)`, recording requests in `seen`.
fn client(
    seen: Seen,
    reply: Reply,
) -> impl tower::Service<
    Request<ReplayableBody>,
    Response = Response<Full<Bytes>>,
    Error = Infallible,
    Future: Send,
> + Clone {
    let reply = Arc::new(reply);
    let count = Arc::new(AtomicU32::new(0));
    tower::service_fn(move |request: Request<ReplayableBody>| {
        let (seen, reply, count) = (seen.clone(), reply.clone(), count.clone());
        async move {
            let (parts, body) = request.into_parts();
            let bytes = body.collect().await.unwrap().to_bytes();
            let json = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).unwrap()
            };
            seen.0.lock().unwrap().push((
                format!("{} {}", parts.method, parts.uri),
                parts.headers,
                json,
            ));
            Ok::<_, Infallible>(reply(count.fetch_add(1, Ordering::SeqCst)))
        }
    })
}

fn ok(body: Vec<u8>) -> Response<Full<Bytes>> {
    Response::builder()
        .header("x-request-id", "req_ok")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn chat_generate_sends_the_request_and_converts_the_response() {
    let seen = Seen::default();
    let openai = common::openai()
        .api_key("sk-test-key")
        .organization("org-1")
        .project("proj-1")
        .default_header("x-team", "search")
        .default_header("x-override", "default")
        .http_client(client(
            seen.clone(),
            Box::new(|_| ok(fixture("chat/response_tool_calls.json"))),
        ))
        .build()
        .unwrap();
    let options = CallOptions::new(vec![Message::user_text("Weather?")])
        .with_top_k(3)
        .with_header("x-override", "call")
        .unwrap();
    let result = openai
        .chat_model("gpt-4.1")
        .generate(options)
        .await
        .unwrap();
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
    assert_eq!(result.tool_calls().count(), 2);
    assert_eq!(result.response.request_id.as_deref(), Some("req_ok"));
    assert_eq!(
        result.warnings[0].to_string(),
        "unsupported setting `top_k`: Chat Completions has no top-k setting"
    );
    let sent = json!({"model": "gpt-4.1", "messages": [{"role": "user", "content": "Weather?"}]});
    assert_eq!(result.request_body.unwrap().json().unwrap(), sent);

    let requests = seen.take();
    assert_eq!(requests.len(), 1);
    let (line, headers, body) = &requests[0];
    assert_eq!(line, "POST https://api.openai.com/v1/chat/completions");
    assert_eq!(body, &sent);
    assert_eq!(headers["authorization"], "Bearer sk-test-key");
    assert!(headers["authorization"].is_sensitive());
    assert_eq!(headers["openai-organization"], "org-1");
    assert_eq!(headers["openai-project"], "proj-1");
    assert_eq!(headers["x-team"], "search");
    assert_eq!(
        headers.get_all("x-override").iter().collect::<Vec<_>>(),
        ["call"]
    );
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["accept"], "application/json");
    assert!(
        headers["user-agent"]
            .to_str()
            .unwrap()
            .contains("strata-openai/")
    );
}

#[tokio::test]
async fn error_responses_become_api_errors_after_retries() {
    let seen = Seen::default();
    let reply: Reply = Box::new(|n| {
        let (status, body) = match n {
            0 => (
                429,
                r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded","param":null}}"#,
            ),
            _ => (
                400,
                r#"{"error":{"message":"Unknown parameter: 'foo'.","type":"invalid_request_error","code":"unknown_parameter","param":"foo"}}"#,
            ),
        };
        Response::builder()
            .status(status)
            .header("x-request-id", format!("req_{n}"))
            .body(Full::new(Bytes::from(body)))
            .unwrap()
    });
    let tokens = Arc::new(AtomicU32::new(0));
    let counter = tokens.clone();
    let openai = common::openai()
        .token_provider(token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Token::new(format!("tok-{n}")) }
        }))
        .retry(fast_retry())
        .http_client(client(seen.clone(), reply))
        .build()
        .unwrap();
    let error = openai
        .chat_model("gpt-4o")
        .generate(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "API error (status 400, code unknown_parameter, request id req_1): Unknown parameter: 'foo'. (param: foo)"
    );
    assert!(!error.is_retryable());
    let auth: Vec<String> = seen
        .take()
        .iter()
        .map(|(_, h, _)| h["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        auth,
        ["Bearer tok-0", "Bearer tok-1"],
        "a fresh token per attempt"
    );
}

#[tokio::test]
async fn redirects_are_refused() {
    let reply: Reply = Box::new(|_| {
        Response::builder()
            .status(307)
            .header("location", "https://elsewhere.example/")
            .body(Full::new(Bytes::new()))
            .unwrap()
    });
    let openai = common::openai()
        .base_url("http://127.0.0.1:9/v1")
        .http_client(client(Seen::default(), reply))
        .build()
        .unwrap();
    let error = openai
        .chat_model("m")
        .generate(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap_err();
    assert!(error.is_invalid_response());
    assert_eq!(error.status(), Some(StatusCode::TEMPORARY_REDIRECT));
}

/// A streamed body of scripted frames.
type ScriptBody =
    StreamBody<futures_util::stream::Iter<std::vec::IntoIter<Result<Frame<Bytes>, io::Error>>>>;

/// A client answering every request with `chunks` as a streamed body, then a transport error
/// when `fail`.
fn streaming_client(
    chunks: Vec<Bytes>,
    fail: bool,
) -> impl tower::Service<
    Request<ReplayableBody>,
    Response = Response<ScriptBody>,
    Error = Infallible,
    Future: Send,
> + Clone {
    tower::service_fn(move |request: Request<ReplayableBody>| {
        assert_eq!(request.headers()["accept"], "text/event-stream");
        let mut frames: Vec<Result<Frame<Bytes>, io::Error>> =
            chunks.iter().cloned().map(|c| Ok(Frame::data(c))).collect();
        if fail {
            frames.push(Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset")));
        }
        async move {
            let body = StreamBody::new(futures_util::stream::iter(frames));
            Ok::<_, Infallible>(
                Response::builder()
                    .header("x-request-id", "req_stream")
                    .body(body)
                    .unwrap(),
            )
        }
    })
}

fn chunks(wire: &[u8], size: usize) -> Vec<Bytes> {
    wire.chunks(size).map(Bytes::copy_from_slice).collect()
}

#[tokio::test]
async fn chat_stream_through_the_stack() {
    let wire = fixture("chat/stream_tool_calls.sse");
    let openai = common::openai()
        .api_key("k")
        .http_client(streaming_client(chunks(&wire, 13), false))
        .build()
        .unwrap();
    let result = openai
        .chat_model("gpt-4.1")
        .stream(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap();
    assert_eq!(result.response.request_id.as_deref(), Some("req_stream"));
    assert_eq!(
        result.request_body.as_ref().unwrap().json().unwrap()["stream_options"],
        json!({"include_usage": true})
    );
    let collected = result.collect().await.unwrap();
    assert_eq!(collected.text(), "Let me check both.");
    assert_eq!(collected.tool_calls().count(), 2);
    assert_eq!(collected.usage.input_tokens.cache_read, Some(64));
    assert_eq!(collected.response.id.as_deref(), Some("chatcmpl-BnE5x2mQ9"));
}

#[tokio::test]
async fn responses_stream_through_the_stack_and_provider_trait() {
    let wire = fixture("responses/stream_reasoning_text.sse");
    let openai = common::openai()
        .api_key("k")
        .name("gateway")
        .language_api(LanguageApi::Responses)
        .http_client(streaming_client(chunks(&wire, 4096), false))
        .build()
        .unwrap();
    assert_eq!(openai.name(), "gateway");
    let model = openai.language_model("o4-mini").unwrap();
    assert_eq!(model.provider(), "gateway");
    let collected = model
        .stream(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(collected.text(), "Rain is condensed water.");
    assert_eq!(collected.usage.output_tokens.reasoning, Some(64));
}

#[tokio::test]
async fn a_transport_failure_mid_stream_is_an_error_part_and_ends_the_stream() {
    let wire = fixture("chat/stream_tool_calls.sse");
    let openai = common::openai()
        .api_key("k")
        .http_client(streaming_client(chunks(&wire[..1000], 100), true))
        .build()
        .unwrap();
    let mut stream = openai
        .chat_model("gpt-4.1")
        .stream(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap()
        .stream;
    let mut parts = Vec::new();
    while let Some(part) = stream.next().await {
        parts.push(part);
    }
    let Some(StreamPart::Error(error)) = parts.last() else {
        panic!("no error part: {parts:?}")
    };
    assert!(error.is_transport(), "{error:?}");
    assert_eq!(error.request_id(), Some("req_stream"));
    assert!(
        parts
            .iter()
            .any(|p| matches!(p, StreamPart::TextDelta { .. }))
    );
}

#[tokio::test]
async fn a_stream_cut_before_done_is_an_error() {
    let wire = fixture("chat/stream_tool_calls.sse");
    let openai = common::openai()
        .api_key("k")
        .http_client(streaming_client(chunks(&wire[..1000], 1000), false))
        .build()
        .unwrap();
    let result = openai
        .chat_model("gpt-4.1")
        .stream(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap();
    let error = result.collect().await.unwrap_err();
    assert!(error.is_stream_ended(), "{error:?}");
}

#[tokio::test]
async fn responses_generate_and_embeddings() {
    let seen = Seen::default();
    let reply: Reply = Box::new(|n| {
        match n {
        0 => ok(fixture("responses/response_reasoning_tools.json")),
        _ => ok(br#"{"data":[{"index":0,"embedding":[1.0]},{"index":1,"embedding":[2.0]}],"usage":{"prompt_tokens":4,"total_tokens":4}}"#.to_vec()),
    }
    });
    let openai = common::openai()
        .base_url("http://127.0.0.1:4000/v1/")
        .http_client(client(seen.clone(), reply))
        .build()
        .unwrap();
    let result = openai
        .responses_model("o4-mini")
        .generate(CallOptions::new(vec![Message::user_text("x")]))
        .await
        .unwrap();
    assert_eq!(result.finish_reason, FinishReason::ToolCalls);
    let model = openai.embedding_model("text-embedding-3-small");
    let embedded = embed_many(
        &model,
        vec!["a".into(), "b".into()],
        EmbedOptions::default(),
        2,
    )
    .await
    .unwrap();
    assert_eq!(embedded.embeddings, vec![vec![1.0], vec![2.0]]);
    assert_eq!(embedded.usage.tokens, Some(4));
    let requests = seen.take();
    assert_eq!(requests[0].0, "POST http://127.0.0.1:4000/v1/responses");
    assert!(
        requests[0].1.get("authorization").is_none(),
        "no key, no Authorization header"
    );
    assert_eq!(requests[1].0, "POST http://127.0.0.1:4000/v1/embeddings");
    assert_eq!(
        requests[1].2,
        json!({"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "float"})
    );
}

#[test]
fn build_errors_are_typed() {
    let error = common::openai().build().unwrap_err();
    assert!(error.is_missing_api_key());
    let error = common::openai()
        .api_key("k")
        .token_provider(strata_http::bearer::StaticToken::new("t").unwrap())
        .build()
        .unwrap_err();
    assert!(error.is_ambiguous_auth());
    assert_eq!(
        error.to_string(),
        "ambiguous authentication: both an API key and a token provider were configured; choose one"
    );
    // A token provider stands in for the key on api.openai.com.
    assert!(
        common::openai()
            .token_provider(strata_http::bearer::StaticToken::new("t").unwrap())
            .build()
            .is_ok()
    );
    // Secrets never cross plain HTTP to a non-loopback host unless allowed.
    let error = common::openai()
        .base_url("http://10.0.0.5:8000/v1")
        .api_key("sk-lan")
        .build()
        .unwrap_err();
    assert!(error.is_insecure_endpoint());
    assert_eq!(
        error.to_string(),
        "refusing to send a bearer token over plain HTTP to http://10.0.0.5:8000/v1: use https, a loopback address, or allow_insecure_endpoint(true)"
    );
    assert!(
        common::openai()
            .base_url("http://10.0.0.5:8000/v1")
            .api_key("k")
            .allow_insecure_endpoint(true)
            .build()
            .is_ok()
    );
    assert!(
        common::openai()
            .base_url("http://10.0.0.5:8000/v1")
            .build()
            .is_ok(),
        "no secret, no objection"
    );
    for url in [
        "http://localhost:11434/v1",
        "http://127.0.0.2:8000/v1",
        "http://[::1]:8000/v1",
    ] {
        assert!(
            common::openai().base_url(url).api_key("k").build().is_ok(),
            "{url}"
        );
    }
    let openai = common::openai().api_key("sk-secret-xyz").build().unwrap();
    assert!(!format!("{openai:?}").contains("sk-secret-xyz"));
}
