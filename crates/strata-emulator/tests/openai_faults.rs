//! Every fault kind on the OpenAI-compatible routes, and the journal showing that a retried
//! throttle was re-signed.

mod common;

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use common::{Signer, assert_openai_error, bearer, client, parse_sse, send, start};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};
use strata_emulator::Fault;

fn chat_url(base: &str) -> String {
    format!("{base}/openai/v1/chat/completions")
}

fn chat(stream: bool) -> String {
    json!({"model": "openai.gpt-oss-120b-1:0", "stream": stream,
           "messages": [{"role": "user", "content": "one two three four five six seven"}]})
    .to_string()
}

fn responses(stream: bool) -> String {
    json!({"model": "openai.gpt-oss-120b-1:0", "stream": stream, "input": "one two three four"})
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

fn concat(chunks: &[(Instant, Bytes)]) -> Vec<u8> {
    chunks.iter().flat_map(|(_, b)| b.to_vec()).collect()
}

#[tokio::test]
async fn a_retried_throttle_is_re_signed() {
    let emulator = start().await;
    emulator.faults().push(Fault::Throttle, 1).unwrap();
    let url = chat_url(&emulator.url());
    let first = Signer {
        time: SystemTime::now() - Duration::from_secs(3),
        ..Signer::mantle()
    };
    let throttled = send(&client(), first.post(&url, chat(false))).await;
    let error = assert_openai_error(&throttled, 429, "requests", Some("rate_limit_exceeded"));
    assert_eq!(
        error["message"],
        "Too many requests, please wait before trying again."
    );
    let retried = send(&client(), Signer::mantle().post(&url, chat(false))).await;
    assert_eq!(retried.status, 200);

    let entries = emulator.journal().entries();
    assert_eq!(
        entries.iter().map(|e| e.status).collect::<Vec<_>>(),
        [429, 200]
    );
    assert!(entries.iter().all(|e| e.auth.is_accepted()));
    assert_ne!(entries[0].amz_date, entries[1].amz_date);
    assert_ne!(entries[0].signature, entries[1].signature);
    assert_eq!(entries[0].signed_headers, entries[1].signed_headers);
    let json = emulator.journal().entries()[0].to_json();
    assert_eq!(json["signingName"], "bedrock-mantle");
    assert_eq!(
        json["signature"],
        entries[0].signature.clone().unwrap().as_str()
    );
}

#[tokio::test]
async fn server_errors_and_redirects() {
    let emulator = start().await;
    let faults = emulator.faults();
    faults
        .push(
            Fault::ServerError {
                status: 503,
                retry_after: Some(2),
            },
            1,
        )
        .unwrap();
    faults
        .push(
            Fault::ServerError {
                status: 500,
                retry_after: None,
            },
            1,
        )
        .unwrap();
    faults
        .push(
            Fault::Redirect {
                location: "http://127.0.0.1:9/elsewhere".into(),
            },
            1,
        )
        .unwrap();
    let url = format!("{}/openai/v1/responses", emulator.url());
    let unavailable = send(&client(), Signer::mantle().post(&url, responses(false))).await;
    assert_openai_error(
        &unavailable,
        503,
        "server_error",
        Some("service_unavailable"),
    );
    assert_eq!(unavailable.header("retry-after"), "2");
    let internal = send(&client(), Signer::mantle().post(&url, responses(true))).await;
    assert_openai_error(&internal, 500, "server_error", Some("internal_error"));
    assert!(internal.headers.get("retry-after").is_none());
    let moved = send(&client(), Signer::mantle().post(&url, responses(false))).await;
    assert_eq!(moved.status, 307);
    assert_eq!(moved.header("location"), "http://127.0.0.1:9/elsewhere");
    assert_eq!(
        moved.header("x-request-id"),
        moved.header("x-amzn-requestid")
    );
}

#[tokio::test]
async fn a_delay_holds_the_headers() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Delay(Duration::from_millis(300)), 1)
        .unwrap();
    let url = format!("{}/openai/v1/embeddings", emulator.url());
    let body = json!({"model": "amazon.titan-embed-text-v2:0", "input": "x"}).to_string();
    let started = Instant::now();
    let received = send(&client(), Signer::mantle().post(&url, body)).await;
    assert_eq!(received.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn stream_faults_wait_for_a_stream() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Truncate { frame: 1 }, 1)
        .unwrap();
    let url = chat_url(&emulator.url());
    let plain = send(&client(), Signer::mantle().post(&url, chat(false))).await;
    assert_eq!(plain.status, 200);
    assert_eq!(emulator.faults().pending().len(), 1);
    let cut = chunks(Signer::mantle().post(&url, chat(true))).await;
    assert_eq!(cut.len(), 2);
    assert!(emulator.faults().pending().is_empty());
}

#[tokio::test]
async fn a_stall_pauses_the_stream() {
    let emulator = start().await;
    let pause = Duration::from_millis(400);
    emulator
        .faults()
        .push(
            Fault::Stall {
                after_frames: 2,
                duration: pause,
            },
            1,
        )
        .unwrap();
    let received = chunks(Signer::mantle().post(&chat_url(&emulator.url()), chat(true))).await;
    assert!(received[2].0 - received[1].0 >= pause);
    let events = parse_sse(&concat(&received));
    assert_eq!(events.last().unwrap().data, "[DONE]");
}

#[tokio::test]
async fn a_truncated_stream_ends_without_done() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::Truncate { frame: 2 }, 1)
        .unwrap();
    let received = chunks(Signer::mantle().post(&chat_url(&emulator.url()), chat(true))).await;
    assert_eq!(received.len(), 3);
    let body = String::from_utf8(concat(&received)).unwrap();
    assert!(!body.ends_with("\n\n"), "{body:?}");
    assert!(!body.contains("[DONE]"));
    let (complete, partial) = body.rsplit_once("\n\n").unwrap();
    assert_eq!(parse_sse(format!("{complete}\n\n").as_bytes()).len(), 2);
    assert!(partial.starts_with("data: {\"choices\":["), "{partial:?}");
}

#[tokio::test]
async fn an_error_event_ends_a_chat_stream() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::StreamException {
                after_frames: 2,
                exception: "modelStreamErrorException".into(),
                message: "The model failed mid-stream.".into(),
            },
            1,
        )
        .unwrap();
    let received = chunks(Signer::mantle().post(&chat_url(&emulator.url()), chat(true))).await;
    let events = parse_sse(&concat(&received));
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].event, None);
    assert_eq!(
        events[2].json(),
        json!({"error": {"message": "The model failed mid-stream.", "type": "server_error",
                         "param": null, "code": "modelStreamErrorException"}})
    );
}

#[tokio::test]
async fn an_error_event_ends_a_responses_stream() {
    let emulator = start().await;
    emulator
        .faults()
        .push(
            Fault::StreamException {
                after_frames: 3,
                exception: "throttlingException".into(),
                message: "Slow down.".into(),
            },
            1,
        )
        .unwrap();
    let url = format!("{}/openai/v1/responses", emulator.url());
    let received = chunks(Signer::mantle().post(&url, responses(true))).await;
    let events = parse_sse(&concat(&received));
    assert_eq!(events.len(), 4);
    assert_eq!(events[3].event.as_deref(), Some("error"));
    assert_eq!(
        events[3].json(),
        json!({"type": "error", "code": "throttlingException", "message": "Slow down.",
               "param": null, "sequence_number": 3})
    );
}

#[tokio::test]
async fn crc_corruption_is_for_event_streams_only() {
    let emulator = start().await;
    emulator
        .faults()
        .push(Fault::CorruptCrc { frame: 0 }, 1)
        .unwrap();
    let received = chunks(Signer::mantle().post(&chat_url(&emulator.url()), chat(true))).await;
    let events = parse_sse(&concat(&received));
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let first: Value = events[0].json();
    assert_eq!(first["object"], "chat.completion.chunk");
    assert_eq!(
        emulator.faults().pending(),
        [(Fault::CorruptCrc { frame: 0 }, 1)]
    );
}

#[tokio::test]
async fn faults_from_the_control_endpoint_apply_and_rejected_requests_take_none() {
    let emulator = start().await;
    let control = http::Request::post(format!("{}/_emulator/faults", emulator.url()))
        .body(Full::new(Bytes::from(r#"{"kind": "throttle"}"#)))
        .unwrap();
    assert_eq!(send(&client(), control).await.status, 200);
    let url = chat_url(&emulator.url());
    let refused = send(
        &client(),
        bearer(http::Method::POST, &url, "no-token", chat(false)),
    )
    .await;
    assert_eq!(refused.status, 401);
    assert_eq!(emulator.faults().pending().len(), 1);
    let throttled = send(&client(), Signer::mantle().post(&url, chat(false))).await;
    assert_openai_error(&throttled, 429, "requests", Some("rate_limit_exceeded"));
}
