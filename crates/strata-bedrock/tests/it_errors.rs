//! Failures through the real stack: retried throttling, API errors, broken streams, timeouts,
//! refused redirects.

mod it_support;

use std::time::Duration;

use http::StatusCode;
use strata_core::{CallOptions, LanguageModel, Message, StreamPart};
use strata_emulator::Fault;

use it_support::{NOVA, builder, emulator, parts, sigv4};

fn hello() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Hello")])
}

/// The error part a stream ended with, after checking it is the last part.
fn last_error(parts: &[StreamPart]) -> &strata_core::Error {
    match parts.last() {
        Some(StreamPart::Error(error)) => error,
        other => panic!("expected an error part last, got {other:?}"),
    }
}

#[tokio::test]
async fn throttling_is_retried_and_succeeds() {
    let emulator = emulator().await;
    emulator.faults().push(Fault::Throttle, 1).unwrap();
    let result = sigv4(&emulator)
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
    let statuses: Vec<u16> = emulator
        .journal()
        .entries()
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, [429, 200]);

    emulator.journal().clear();
    emulator
        .faults()
        .push(
            Fault::ServerError {
                status: 503,
                retry_after: Some(1),
            },
            1,
        )
        .unwrap();
    let streamed = sigv4(&emulator)
        .language_model(NOVA)
        .stream(hello())
        .await
        .unwrap();
    assert_eq!(streamed.collect().await.unwrap().text(), "You said: Hello");
    let statuses: Vec<u16> = emulator
        .journal()
        .entries()
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, [503, 200]);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_api_error() {
    let emulator = emulator().await;
    emulator.faults().push(Fault::Throttle, 3).unwrap();
    let error = sigv4(&emulator)
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap_err();
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status, Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(api.code.as_deref(), Some("ThrottlingException"));
    assert!(error.is_retryable());
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), 3);
    assert_eq!(error.request_id(), Some(entries[2].request_id.as_str()));
}

#[tokio::test]
async fn a_bad_request_is_returned_at_once_with_code_and_request_id() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model("no-such-model-v1:0");
    let error = model.generate(hello()).await.unwrap_err();
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status, Some(StatusCode::BAD_REQUEST));
    assert_eq!(api.code.as_deref(), Some("ValidationException"));
    assert_eq!(api.message, "The provided model identifier is invalid.");
    assert!(!error.is_retryable());
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), 1, "not retried");
    assert_eq!(error.request_id(), Some(entries[0].request_id.as_str()));
    assert!(
        error
            .excerpt()
            .unwrap()
            .contains("The provided model identifier is invalid.")
    );

    let error = model.stream(hello()).await.unwrap_err();
    assert_eq!(
        error.api_error().unwrap().code.as_deref(),
        Some("ValidationException")
    );
    assert_eq!(emulator.journal().entries().len(), 2);
}

#[tokio::test]
async fn a_mid_stream_exception_is_an_error_part() {
    let emulator = emulator().await;
    emulator
        .faults()
        .push(
            Fault::StreamException {
                after_frames: 2,
                exception: "modelStreamErrorException".into(),
                message: "The model stumbled".into(),
            },
            1,
        )
        .unwrap();
    let result = sigv4(&emulator)
        .language_model(NOVA)
        .stream(hello())
        .await
        .unwrap();
    let request_id = result.response.request_id.clone().unwrap();
    let parts = parts(result).await;
    let error = last_error(&parts);
    let api = error.api_error().expect("an API error");
    assert_eq!(api.code.as_deref(), Some("ModelStreamErrorException"));
    assert_eq!(api.message, "The model stumbled");
    assert_eq!(error.request_id(), Some(request_id.as_str()));
    assert_eq!(
        emulator.journal().entries().len(),
        1,
        "a started stream is never replayed"
    );
}

#[tokio::test]
async fn truncated_and_corrupt_streams_are_errors_not_clean_ends() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);

    emulator
        .faults()
        .push(Fault::Truncate { frame: 3 }, 1)
        .unwrap();
    let parts_truncated = parts(model.stream(hello()).await.unwrap()).await;
    let error = last_error(&parts_truncated);
    assert!(error.is_stream_ended(), "{error:?}");
    assert!(
        !parts_truncated
            .iter()
            .any(|p| matches!(p, StreamPart::Finish { .. }))
    );

    emulator
        .faults()
        .push(Fault::CorruptCrc { frame: 1 }, 1)
        .unwrap();
    let parts_corrupt = parts(model.stream(hello()).await.unwrap()).await;
    let error = last_error(&parts_corrupt);
    assert!(error.is_invalid_response(), "{error:?}");
    assert!(error.to_string().contains("checksum mismatch"), "{error}");

    let error = model.stream(hello()).await.unwrap().collect().await;
    assert!(error.is_ok(), "the next stream is whole again: {error:?}");
}

#[tokio::test]
async fn a_stalled_stream_hits_the_idle_timeout() {
    let emulator = emulator().await;
    emulator
        .faults()
        .push(
            Fault::Stall {
                after_frames: 2,
                duration: Duration::from_secs(5),
            },
            1,
        )
        .unwrap();
    let bedrock = builder(&emulator)
        .access_key_id(it_support::ACCESS_KEY_ID)
        .secret_access_key(it_support::SECRET_ACCESS_KEY)
        .idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let parts = parts(bedrock.language_model(NOVA).stream(hello()).await.unwrap()).await;
    let error = last_error(&parts);
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_slow_response_hits_the_attempt_timeout_and_is_retried() {
    let emulator = emulator().await;
    emulator
        .faults()
        .push(Fault::Delay(Duration::from_secs(3)), 1)
        .unwrap();
    let bedrock = builder(&emulator)
        .access_key_id(it_support::ACCESS_KEY_ID)
        .secret_access_key(it_support::SECRET_ACCESS_KEY)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
}

#[tokio::test]
async fn redirects_are_refused() {
    let emulator = emulator().await;
    emulator
        .faults()
        .push(
            Fault::Redirect {
                location: "https://elsewhere.example/".into(),
            },
            1,
        )
        .unwrap();
    let error = sigv4(&emulator)
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap_err();
    assert!(error.is_invalid_response(), "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::TEMPORARY_REDIRECT));
    assert_eq!(emulator.journal().entries().len(), 1);
}
