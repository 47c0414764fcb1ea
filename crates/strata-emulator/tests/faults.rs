//! Every fault kind, observed from a client; the control endpoints; shutdown.

mod common;

use std::time::{Duration, Instant};

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use bytes::Bytes;
use common::{client, decode_frames, header_str, payload_json, send, signed, start};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};
use strata_emulator::Fault;

fn converse_url(base: &str, stream: bool) -> String {
    let op = if stream {
        "converse-stream"
    } else {
        "converse"
    };
    format!("{base}/model/us.amazon.nova-lite-v1%3A0/{op}")
}

fn body() -> String {
    json!({"messages": [{"role": "user", "content": [{"text": "one two three four five six seven"}]}]})
        .to_string()
}

/// Reads a streamed body chunk by chunk, with the arrival time of each.
async fn chunks(request: http::Request<Full<Bytes>>) -> Vec<(Instant, Bytes)> {
    let response = client().request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("body frame").into_data() {
            out.push((Instant::now(), data));
        }
    }
    out
}

#[tokio::test]
async fn throttles_then_success() {
    let emulator = start().await;
    emulator.faults().push(Fault::Throttle, 2).unwrap();
    let url = converse_url(&emulator.url(), false);
    for _ in 0..2 {
        send(&client(), signed(&url, body())).await.assert_error(
            429,
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        );
    }
    assert_eq!(send(&client(), signed(&url, body())).await.status, 200);
    let statuses: Vec<u16> = emulator
        .journal()
        .entries()
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, [429, 429, 200]);
}

#[tokio::test]
async fn server_errors_with_and_without_retry_after() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::ServerError {
                status: 503,
                retry_after: Some(3),
            },
            1,
        )
        .unwrap();
    emulator
        .faults()
        .push(
            Fault::ServerError {
                status: 500,
                retry_after: None,
            },
            1,
        )
        .unwrap();
    let url = converse_url(&emulator.url(), false);
    let first = send(&client(), signed(&url, body())).await;
    first.assert_error(
        503,
        "ServiceUnavailableException",
        "Service unavailable. Please try again later.",
    );
    assert_eq!(first.header("retry-after"), "3");
    let second = send(&client(), signed(&url, body())).await;
    second.assert_error(
        500,
        "InternalServerException",
        "The server encountered an internal error.",
    );
    assert!(second.headers.get("retry-after").is_none());
}

#[tokio::test]
async fn redirects_carry_a_location() {
    let emulator = start().await;
    let location = "http://127.0.0.1:9/elsewhere";
    emulator
        .faults()
        .push(
            Fault::Redirect {
                location: location.into(),
            },
            1,
        )
        .unwrap();
    let received = send(
        &client(),
        signed(&converse_url(&emulator.url(), false), body()),
    )
    .await;
    assert_eq!(received.status, 307);
    assert_eq!(received.header("location"), location);
    common::assert_request_id(&received);
}

#[tokio::test]
async fn delay_before_headers() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Delay(Duration::from_millis(300)), 1)
        .unwrap();
    let started = Instant::now();
    let received = send(
        &client(),
        signed(&converse_url(&emulator.url(), false), body()),
    )
    .await;
    assert_eq!(received.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn stream_faults_skip_non_streaming_requests() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Truncate { frame: 0 }, 1)
        .unwrap();
    assert_eq!(
        send(
            &client(),
            signed(&converse_url(&emulator.url(), false), body())
        )
        .await
        .status,
        200
    );
    assert_eq!(emulator.faults().pending().len(), 1);
}

#[tokio::test]
async fn stall_mid_stream() {
    let emulator = start().await;
    let stall = Duration::from_millis(400);
    emulator
        .faults()
        .push(
            Fault::Stall {
                after_frames: 2,
                duration: stall,
            },
            1,
        )
        .unwrap();
    let received = chunks(signed(&converse_url(&emulator.url(), true), body())).await;
    // The longest gap between two chunks is the stall.
    let (gap, index) = (1..received.len())
        .map(|i| (received[i].0.duration_since(received[i - 1].0), i))
        .max()
        .unwrap();
    assert!(gap >= stall - Duration::from_millis(20), "{gap:?}");
    // Every chunk is one whole frame, and two came before the pause.
    let frames: Vec<_> = received
        .iter()
        .map(|(_, chunk)| decode_frames(chunk.clone()))
        .collect();
    assert!(frames.iter().all(|f| f.len() == 1));
    assert_eq!(index, 2);
    assert!(received.len() > 3);
}

#[tokio::test]
async fn exception_event_mid_stream() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::StreamException {
                after_frames: 3,
                exception: "modelStreamErrorException".into(),
                message: "The model failed mid-stream.".into(),
            },
            1,
        )
        .unwrap();
    let received = send(
        &client(),
        signed(&converse_url(&emulator.url(), true), body()),
    )
    .await;
    let frames = decode_frames(received.body);
    assert_eq!(frames.len(), 4);
    let last = &frames[3];
    assert_eq!(header_str(last, ":message-type"), Some("exception"));
    assert_eq!(
        header_str(last, ":exception-type"),
        Some("modelStreamErrorException")
    );
    assert_eq!(header_str(last, ":content-type"), Some("application/json"));
    assert_eq!(
        payload_json(last),
        json!({"message": "The model failed mid-stream."})
    );
}

#[tokio::test]
async fn corrupted_crc_is_detected_by_the_decoder() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::CorruptCrc { frame: 1 }, 1)
        .unwrap();
    let url = format!(
        "{}/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream",
        emulator.url()
    );
    let request = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                         "messages": [{"role": "user", "content": "Hi"}]});
    let mut received = send(&client(), signed(&url, request.to_string()))
        .await
        .body;
    let mut decoder = MessageFrameDecoder::new();
    assert!(matches!(
        decoder.decode_frame(&mut received).unwrap(),
        DecodedFrame::Complete(_)
    ));
    let err = decoder.decode_frame(&mut received).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("message checksum 0x"), "{message}");
    assert!(
        message.contains("didn't match expected checksum"),
        "{message}"
    );
}

#[tokio::test]
async fn truncated_stream_ends_inside_a_frame() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Truncate { frame: 2 }, 1)
        .unwrap();
    let full = send(
        &client(),
        signed(&converse_url(&emulator.url(), true), body()),
    )
    .await
    .body;
    let mut received = full.clone();
    let mut decoder = MessageFrameDecoder::new();
    let mut complete = 0;
    while let DecodedFrame::Complete(_) = decoder.decode_frame(&mut received).unwrap() {
        complete += 1;
    }
    assert_eq!(complete, 2);
    // What follows two whole frames is the first half of the third: its prelude announces
    // twice (rounded) what was sent.
    let length_at =
        |offset: usize| u32::from_be_bytes(full[offset..offset + 4].try_into().unwrap()) as usize;
    let offset = length_at(0) + length_at(length_at(0));
    assert_eq!(full.len() - offset, length_at(offset) / 2);
}

async fn control(base: &str, method: http::Method, path: &str, body: Value) -> common::Received {
    let request = http::Request::builder()
        .method(method)
        .uri(format!("{base}/_emulator/{path}"))
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    send(&client(), request).await
}

#[tokio::test]
async fn control_endpoint_injects_faults_and_serves_the_journal() {
    let emulator = start().await;
    let base = emulator.url();
    let faults = json!([
        {"kind": "throttle"},
        {"kind": "serverError", "status": 502},
        {"kind": "clockSkew", "seconds": 0}
    ]);
    let answer = control(&base, http::Method::POST, "faults", faults).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), json!({"accepted": 3}));
    assert_eq!(
        control(&base, http::Method::GET, "faults", Value::Null)
            .await
            .json(),
        json!({"pending": 2, "clockSkewSeconds": 0})
    );
    let url = converse_url(&base, false);
    assert_eq!(send(&client(), signed(&url, body())).await.status, 429);
    assert_eq!(
        send(&client(), signed(&url, body()))
            .await
            .header("x-amzn-errortype"),
        "BadGatewayException"
    );

    let journal = control(&base, http::Method::GET, "journal", Value::Null)
        .await
        .json();
    let entries = journal.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(
        entries[0]["path"],
        "/model/us.amazon.nova-lite-v1%3A0/converse"
    );
    assert_eq!(
        entries[0]["auth"],
        json!({"type": "sigv4", "accessKeyId": "AKIDEXAMPLE"})
    );
    assert_eq!(
        entries[0]["signedHeaders"],
        json!(["content-type", "host", "x-amz-date"])
    );
    assert_eq!(entries[0]["body"], body());
    assert_eq!(entries[0]["status"], 429);

    let bad = control(&base, http::Method::POST, "faults", json!({"kind": "nope"})).await;
    bad.assert_error(
        400,
        "ValidationException",
        "fault 0: unknown fault kind `nope`",
    );

    emulator.faults().push(Fault::Throttle, 5).unwrap();
    assert_eq!(
        control(&base, http::Method::POST, "reset", Value::Null)
            .await
            .status,
        200
    );
    assert!(emulator.journal().entries().is_empty());
    assert!(emulator.faults().pending().is_empty());
    assert_eq!(send(&client(), signed(&url, body())).await.status, 200);
}

#[tokio::test]
async fn control_skew_rejects_signatures() {
    let emulator = start().await;
    let answer = control(
        &emulator.url(),
        http::Method::POST,
        "faults",
        json!({"kind": "clockSkew", "seconds": -900}),
    )
    .await;
    assert_eq!(answer.status, 200);
    let received = send(
        &client(),
        signed(&converse_url(&emulator.url(), false), body()),
    )
    .await;
    assert_eq!(received.status, 403);
    assert!(
        received.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature not yet current: ")
    );
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let emulator = start().await;
    let addr = emulator.addr();
    emulator.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let emulator = start().await;
    let addr = emulator.addr();
    drop(emulator);
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the listener closed after drop");
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_stalled_stream() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::Stall {
                after_frames: 1,
                duration: Duration::from_secs(60),
            },
            1,
        )
        .unwrap();
    let response = client()
        .request(signed(&converse_url(&emulator.url(), true), body()))
        .await
        .unwrap();
    let mut stream = response.into_body();
    let first = stream.frame().await.unwrap().unwrap();
    assert!(first.is_data());
    let started = Instant::now();
    emulator.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The client sees the stream end early, never the rest of the frames.
    let rest = stream.collect().await;
    assert!(rest.is_err(), "the body was cut, not completed");
}
