use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use tokio::time::Instant;
use tower::{Layer, ServiceExt};
use tower_test::mock;

use super::*;
use crate::error::Kind;
use crate::test_util::{ScriptedBody, Step};
use crate::test_util_tracing::Recorder;

type Handle = mock::Handle<Request<ReplayableBody>, Response<&'static str>>;
type MockRetry = Retry<mock::Mock<Request<ReplayableBody>, Response<&'static str>>>;

fn service(layer: RetryLayer) -> (MockRetry, Handle) {
    let (mock, handle) = mock::pair();
    (layer.layer(mock), handle)
}

fn status(code: u16) -> Response<&'static str> {
    Response::builder().status(code).body("").unwrap()
}

fn with_header(code: u16, name: &'static str, value: &str) -> Response<&'static str> {
    Response::builder()
        .status(code)
        .header(name, value)
        .body("")
        .unwrap()
}

fn request() -> Request<ReplayableBody> {
    Request::post("http://example.test/x")
        .body(ReplayableBody::from("payload"))
        .unwrap()
}

type Outcome = tokio::task::JoinHandle<Result<Response<&'static str>, Error>>;

fn send(mut retry: MockRetry) -> Outcome {
    tokio::spawn(async move { retry.ready().await?.call(request()).await })
}

#[tokio::test(start_paused = true)]
async fn retries_server_errors_with_identical_bodies_and_counts_attempts() {
    let (retry, mut handle) = service(RetryLayer::default());
    let outcome = send(retry);
    let mut bodies = Vec::new();
    for code in [503, 500, 200] {
        let (req, reply) = handle.next_request().await.unwrap();
        bodies.push(req.into_body().into_bytes());
        reply.send_response(status(code));
    }
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(3)));
    assert!(bodies.iter().all(|b| b == &Bytes::from_static(b"payload")));
    assert_eq!(
        bodies[0].as_ptr(),
        bodies[2].as_ptr(),
        "attempts share one buffer"
    );
}

#[tokio::test(start_paused = true)]
async fn non_retryable_status_is_returned_at_once() {
    let (retry, mut handle) = service(RetryLayer::default());
    let started = Instant::now();
    let outcome = send(retry);
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response(status(400));
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert!(handle.next_request().await.is_none(), "no second attempt");
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_attempts_with_the_last_response() {
    let config = RetryConfig::default().with_max_attempts(2);
    let (retry, mut handle) = service(RetryLayer::new(config));
    let outcome = send(retry);
    for code in [429, 502] {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_response(status(code));
    }
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    assert!(handle.next_request().await.is_none());
}

/// Sends `first`, then measures how long the retry waited before the second attempt.
async fn wait_before_retry(config: RetryConfig, first: Response<&'static str>) -> Duration {
    let (retry, mut handle) = service(RetryLayer::new(config));
    let outcome = send(retry);
    let (_, reply) = handle.next_request().await.unwrap();
    let sent = Instant::now();
    reply.send_response(first);
    let (_, reply) = handle.next_request().await.unwrap();
    let waited = sent.elapsed();
    reply.send_response(status(200));
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    waited
}

#[tokio::test(start_paused = true)]
async fn honours_retry_after_seconds() {
    let waited =
        wait_before_retry(RetryConfig::default(), with_header(503, "retry-after", "5")).await;
    assert_eq!(waited, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn honours_retry_after_ms_and_x_amz_retry_after() {
    let first = with_header(429, "retry-after-ms", "1500");
    assert_eq!(
        wait_before_retry(RetryConfig::default(), first).await,
        Duration::from_millis(1500)
    );
    let first = with_header(429, "x-amz-retry-after", "250");
    assert_eq!(
        wait_before_retry(RetryConfig::default(), first).await,
        Duration::from_millis(250)
    );
}

#[tokio::test(start_paused = true)]
async fn honours_retry_after_http_date() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    let waited = wait_before_retry(
        RetryConfig::default(),
        with_header(503, "retry-after", &date),
    )
    .await;
    // HTTP dates have whole seconds: the wait is the rest of the 10th second.
    assert!(
        waited > Duration::from_secs(8) && waited <= Duration::from_secs(10),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_bounded_by_the_maximum() {
    let config = RetryConfig::default().with_max_retry_after(Duration::from_secs(3));
    let waited = wait_before_retry(config, with_header(503, "retry-after", "3600")).await;
    assert_eq!(waited, Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn backoff_without_a_hint_stays_under_the_ceiling() {
    let config = RetryConfig::default()
        .with_base_delay(Duration::from_millis(400))
        .with_max_delay(Duration::from_millis(300));
    for _ in 0..20 {
        let waited = wait_before_retry(config, status(500)).await;
        assert!(waited <= Duration::from_millis(300), "{waited:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn exhausted_budget_stops_retries_and_is_shared_by_clones() {
    let layer = RetryLayer::default().with_budget(RetryBudget::new(5, 5, 10, 1));
    let (retry, mut handle) = service(layer);
    let clone = retry.clone();
    let outcome = send(retry);
    for code in [503, 503] {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_response(status(code));
    }
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    assert_eq!(clone.budget().available(), 0);

    // The clone draws on the same, empty bucket: its error is not retried.
    let outcome = tokio::spawn(async move { clone.oneshot(request()).await });
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(Error::new(Kind::Connect));
    let error = outcome.await.unwrap().unwrap_err();
    assert!(error.is_budget_exhausted());
    assert!(error.is_connect(), "the failure keeps its own kind");
}

#[tokio::test(start_paused = true)]
async fn timeouts_cost_more_and_success_refunds() {
    let budget = RetryBudget::new(100, 5, 10, 1);
    let (retry, mut handle) = service(RetryLayer::default().with_budget(budget.clone()));
    let outcome = send(retry.clone());
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(Error::new(Kind::Timeout(Some(Duration::from_secs(1)))));
    let (_, reply) = handle.next_request().await.unwrap();
    assert_eq!(budget.available(), 90);
    reply.send_response(status(200));
    outcome.await.unwrap().unwrap();
    assert_eq!(
        budget.available(),
        100,
        "a successful retry gives its cost back"
    );

    budget.try_withdraw(3);
    let outcome = send(retry);
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response(status(204));
    outcome.await.unwrap().unwrap();
    assert_eq!(
        budget.available(),
        98,
        "a first-attempt success refunds one token"
    );
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_retried_and_foreign_errors_are_boxed() {
    let (retry, mut handle) = service(RetryLayer::default());
    let outcome = send(retry);
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(std::io::Error::other("disk on fire"));
    let error = outcome.await.unwrap().unwrap_err();
    assert!(error.is_service());
    assert_eq!(
        std::error::Error::source(&error).unwrap().to_string(),
        "disk on fire"
    );
}

#[tokio::test(start_paused = true)]
async fn custom_classifier_decides() {
    struct EverythingThrottles;
    impl Classifier for EverythingThrottles {
        fn classify_response(&self, status: StatusCode, _: &http::HeaderMap) -> RetryClass {
            if status == StatusCode::BAD_REQUEST {
                RetryClass::Throttling
            } else {
                RetryClass::NotRetryable
            }
        }
        fn classify_error(&self, _: &Error) -> RetryClass {
            RetryClass::NotRetryable
        }
    }
    let classifier: Arc<dyn Classifier> = Arc::new(EverythingThrottles);
    let (retry, mut handle) = service(RetryLayer::default().with_classifier(classifier));
    let outcome = send(retry);
    for code in [400, 503] {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_response(status(code));
    }
    let response = outcome.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
}

#[tokio::test(start_paused = true)]
async fn emits_one_event_per_retry_with_reason_and_delay() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let first = with_header(429, "retry-after-ms", "700");
    wait_before_retry(RetryConfig::default(), first).await;
    let events = recorder.events.lock().unwrap();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| e.name == "retrying request")
        .collect();
    assert_eq!(retries.len(), 1, "{events:?}");
    assert_eq!(retries[0].field("reason"), Some("throttling"));
    assert_eq!(retries[0].field("delay_ms"), Some("700"));
    assert_eq!(retries[0].field("attempt"), Some("1"));
    assert_eq!(retries[0].field("status"), Some("429"));
}

#[tokio::test(start_paused = true)]
async fn a_body_failing_after_headers_is_never_replayed() {
    let calls = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = calls.clone();
    let backend = tower::service_fn(move |_req: Request<ReplayableBody>| {
        counter.fetch_add(1, Ordering::SeqCst);
        let body = ScriptedBody::new([Step::data("partial"), Step::Fail("connection reset")]);
        async move { Ok::<_, Error>(Response::new(body)) }
    });
    let response = RetryLayer::default()
        .layer(backend)
        .oneshot(request())
        .await
        .unwrap();
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert_eq!(first, Bytes::from_static(b"partial"));
    let error = body.frame().await.unwrap().unwrap_err();
    assert_eq!(error.to_string(), "connection reset");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_while_waiting_frees_everything() {
    let in_flight = Arc::new(AtomicBool::new(false));
    let flag = in_flight.clone();
    let backend = tower::service_fn(move |_req: Request<ReplayableBody>| {
        flag.store(true, Ordering::SeqCst);
        async { Ok::<_, Error>(status(503)) }
    });
    let mut future = Box::pin(RetryLayer::default().layer(backend).oneshot(request()));
    let polled = std::future::poll_fn(|cx| std::task::Poll::Ready(future.as_mut().poll(cx))).await;
    assert!(polled.is_pending(), "sleeping before the retry");
    assert!(in_flight.load(Ordering::SeqCst));
    assert!(
        Arc::strong_count(&in_flight) > 1,
        "the future holds the service"
    );
    drop(future);
    assert_eq!(
        Arc::strong_count(&in_flight),
        1,
        "service, request and timer are freed"
    );
    let metrics = tokio::runtime::Handle::current().metrics();
    assert_eq!(metrics.num_alive_tasks(), 0);
}
