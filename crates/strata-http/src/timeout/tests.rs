use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body as _;
use http_body_util::BodyExt;
use tokio::time::Instant;
use tower::{Layer, ServiceExt};

use super::*;
use crate::test_util::{ScriptedBody, Step};

#[tokio::test(start_paused = true)]
async fn slow_headers_time_out_after_exactly_the_timeout() {
    let slow = tower::service_fn(|_req: Request<()>| async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok::<_, Error>(Response::new(()))
    });
    let started = Instant::now();
    let error = TimeoutLayer::new(Duration::from_secs(2))
        .layer(slow)
        .oneshot(Request::new(()))
        .await
        .unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(error.to_string(), "no response headers within 2s");
    assert_eq!(started.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn timeout_stops_at_the_headers() {
    let backend = tower::service_fn(|_req: Request<()>| async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let body = ScriptedBody::new([Step::data("late")]);
        Ok::<_, Error>(Response::new(body))
    });
    let response = TimeoutLayer::new(Duration::from_secs(2))
        .layer(backend)
        .oneshot(Request::new(()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, Bytes::from_static(b"late"));
}

#[tokio::test(start_paused = true)]
async fn idle_timeout_fires_on_a_stalled_body_and_drops_it() {
    let inner = ScriptedBody::new([Step::data("a"), Step::Yield, Step::data("b"), Step::Stall]);
    let dropped = inner.drop_flag();
    let mut body = IdleTimeoutBody::new(inner, Duration::from_secs(5));
    let started = Instant::now();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"a"));
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"b"));
    let error = body.frame().await.unwrap().unwrap_err();
    assert!(error.is_idle_timeout());
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert!(
        dropped.load(Ordering::SeqCst),
        "the stalled body is dropped"
    );
    assert!(body.is_end_stream());
    assert!(body.frame().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn every_frame_restarts_the_idle_clock() {
    let backend = tower::service_fn(|_req: Request<()>| async {
        Ok::<_, Error>(Response::new(ScriptedBody::new([
            Step::data("a"),
            Step::data("b"),
            Step::Fail("peer went away"),
        ])))
    });
    let response = IdleTimeoutLayer::new(Duration::from_secs(1))
        .layer(backend)
        .oneshot(Request::new(()))
        .await
        .unwrap();
    let mut body = response.into_body();
    for expected in ["a", "b"] {
        tokio::time::sleep(Duration::from_millis(900)).await;
        let frame = body.frame().await.unwrap().unwrap();
        assert_eq!(frame.into_data().unwrap(), expected.as_bytes());
    }
    let error = body.frame().await.unwrap().unwrap_err();
    assert!(error.is_service());
    assert_eq!(
        std::error::Error::source(&error).unwrap().to_string(),
        "peer went away"
    );
}
