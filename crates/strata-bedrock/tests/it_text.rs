//! Text generation and streaming against the emulator, through the real stack.

mod it_support;

use strata_core::{CallOptions, FinishReason, LanguageModel, Message, StreamPart};

use it_support::{NOVA, emulator, parts, sigv4};

#[tokio::test]
async fn generate_returns_text_usage_and_response_metadata() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    let result = model
        .generate(CallOptions::new(vec![Message::user_text("Hello there")]))
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello there");
    assert_eq!(result.finish_reason, FinishReason::Stop);
    assert_eq!(result.raw_finish_reason.as_deref(), Some("end_turn"));
    let entry = emulator.journal().last().unwrap();
    assert_eq!(
        result.response.request_id.as_deref(),
        Some(entry.request_id.as_str())
    );
    assert_eq!(entry.path, "/model/us.amazon.nova-lite-v1%3A0/converse");
    assert_eq!(entry.status, 200);
    assert!(result.usage.input_tokens.total.is_some());
}

#[tokio::test]
async fn stream_yields_text_deltas_and_a_finish() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    let result = model
        .stream(CallOptions::new(vec![Message::user_text("Hello there")]))
        .await
        .unwrap();
    let parts = parts(result).await;
    let text: String = parts
        .iter()
        .filter_map(|p| match p {
            StreamPart::TextDelta { delta, .. } => Some(delta.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "You said: Hello there");
    assert!(
        matches!(
            parts.last(),
            Some(StreamPart::Finish {
                finish_reason: FinishReason::Stop,
                ..
            })
        ),
        "{parts:?}"
    );
}
