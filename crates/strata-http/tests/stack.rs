//! The whole stack against a real HTTP server on 127.0.0.1.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bytes::Bytes;
use common::{Reply, TestServer, wait_for_alive_tasks};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Channel};
use strata_http::bearer::{BearerAuthLayer, Token, token_fn};
use strata_http::body::{ReplayBodyLayer, ReplayableBody};
use strata_http::client::Client;
use strata_http::redirect::RefuseRedirectsLayer;
use strata_http::retry::{Attempts, RetryConfig, RetryLayer};
use strata_http::timeout::{IdleTimeoutLayer, TimeoutLayer};
use tower::{Service, ServiceBuilder, ServiceExt};

/// Retry → BearerAuth → RefuseRedirects → Timeout → Client, with fresh numbered tokens.
fn stack(
    tokens: Arc<AtomicU32>,
) -> impl Service<
    Request<ReplayableBody>,
    Response = http::Response<hyper::body::Incoming>,
    Error = strata_http::Error,
    Future: Send,
> + Clone {
    let config = RetryConfig::default().with_base_delay(Duration::from_millis(10));
    let provider = token_fn(move || {
        let n = tokens.fetch_add(1, Ordering::SeqCst);
        async move { Token::new(format!("token-{n}")) }
    });
    ServiceBuilder::new()
        .layer(RetryLayer::new(config))
        .layer(BearerAuthLayer::new(provider))
        .layer(RefuseRedirectsLayer::new())
        .layer(TimeoutLayer::new(Duration::from_secs(5)))
        .service(Client::builder().build().unwrap())
}

fn post(url: String, body: &'static str) -> Request<ReplayableBody> {
    Request::post(url).body(ReplayableBody::from(body)).unwrap()
}

#[tokio::test]
async fn attempts_arrive_with_identical_bodies_and_fresh_tokens() {
    let server = TestServer::start().await;
    server.push(Reply::Status(503));
    server.push(Reply::Status(502));
    let tokens = Arc::new(AtomicU32::new(0));
    let payload = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    let response = stack(tokens.clone())
        .oneshot(post(server.url("/model/invoke"), payload))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(3)));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, Bytes::from_static(b"ok"));

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for (n, attempt) in seen.iter().enumerate() {
        assert_eq!(attempt.body, Bytes::from_static(payload.as_bytes()));
        assert_eq!(attempt.path, "/model/invoke");
        assert_eq!(
            attempt.authorization.as_deref(),
            Some(format!("Bearer token-{n}").as_str())
        );
    }
    assert_eq!(tokens.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn redirect_is_an_error_and_the_target_never_sees_a_request() {
    let server = TestServer::start().await;
    let target = TestServer::start().await;
    let location = target.url("/stolen");
    server.push(Reply::Redirect(location.clone()));
    let error = stack(Arc::default())
        .oneshot(post(server.url("/x"), "secret prompt"))
        .await
        .unwrap_err();
    assert!(error.is_redirect());
    assert_eq!(error.status(), Some(StatusCode::FOUND));
    assert_eq!(error.location().unwrap().to_str().unwrap(), location);
    assert_eq!(server.seen().len(), 1, "a redirect is not retried");
    assert!(target.seen().is_empty());
    assert_eq!(target.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn non_retryable_status_is_returned_at_once() {
    let server = TestServer::start().await;
    server.push(Reply::Status(403));
    let response = stack(Arc::default())
        .oneshot(post(server.url("/"), "x"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_streaming_body_is_refused_before_the_server_sees_anything() {
    let server = TestServer::start().await;
    let (_sender, body) = Channel::<Bytes>::new(1);
    let service = ServiceBuilder::new()
        .layer(ReplayBodyLayer::strict())
        .service(stack(Arc::default()));
    let request = Request::post(server.url("/")).body(body).unwrap();
    let error = service.oneshot(request).await.unwrap_err();
    assert!(error.is_body_not_replayable());
    assert_eq!(server.connections.load(Ordering::SeqCst), 0);
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn connect_failures_are_connect_errors_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let error = stack(Arc::default())
        .oneshot(post(url, "x"))
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
}

#[tokio::test]
async fn idle_timeout_fires_on_a_stalled_body_and_closes_the_connection() {
    let server = TestServer::start().await;
    let (mut sender, body) = Channel::<Bytes, std::convert::Infallible>::new(1);
    server.push(Reply::Body(body.boxed()));
    let service = ServiceBuilder::new()
        .layer(IdleTimeoutLayer::new(Duration::from_millis(200)))
        .service(stack(Arc::default()));
    let response = service.oneshot(post(server.url("/"), "x")).await.unwrap();
    sender
        .send_data(Bytes::from_static(b"first"))
        .await
        .unwrap();
    let mut body = response.into_body();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"first"));
    let error = body.frame().await.unwrap().unwrap_err();
    assert!(error.is_idle_timeout());
    // The connection is gone: the server can no longer send.
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while sender.send_data(Bytes::from_static(b"more")).await.is_ok() {}
    });
    closed.await.expect("the stalled connection is closed");
}

#[tokio::test]
async fn dropping_a_body_mid_flight_leaves_no_task_running() {
    let server = TestServer::start().await;
    let (mut sender, body) = Channel::<Bytes, std::convert::Infallible>::new(1);
    server.push(Reply::Body(body.boxed()));
    let response = stack(Arc::default())
        .oneshot(post(server.url("/"), "x"))
        .await
        .unwrap();
    sender
        .send_data(Bytes::from_static(b"chunk"))
        .await
        .unwrap();
    let mut body = response.into_body();
    assert!(body.frame().await.unwrap().unwrap().is_data());
    drop(body);
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while sender.send_data(Bytes::from_static(b"more")).await.is_ok() {}
    });
    closed
        .await
        .expect("dropping the body closes the connection");
    // Only the server's accept loop is left.
    wait_for_alive_tasks(1).await;
}

#[tokio::test]
async fn dropping_a_response_future_mid_flight_leaves_no_task_running() {
    let server = TestServer::start().await;
    let (release, wait) = tokio::sync::oneshot::channel();
    server.push(Reply::After(wait));
    let mut service = stack(Arc::default());
    let future = service
        .ready()
        .await
        .unwrap()
        .call(post(server.url("/"), "x"));
    let mut future = Box::pin(future);
    while server.seen().is_empty() {
        tokio::select! {
            _ = &mut future => panic!("the server has not answered"),
            () = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
    }
    drop(future);
    let _ = release.send(());
    wait_for_alive_tasks(1).await;
}
