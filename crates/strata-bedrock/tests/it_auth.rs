//! SigV4 and bearer authentication against the emulator, and build-time auth validation.

mod it_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use http::StatusCode;
use strata_bedrock::Bedrock;
use strata_core::{CallOptions, LanguageModel, Message, Provider};
use strata_emulator::{AuthOutcome, Fault};
use strata_http::bearer::{Token, token_fn};

use it_support::{ACCESS_KEY_ID, BEARER_TOKEN, NOVA, SECRET_ACCESS_KEY, builder, emulator, sigv4};

fn hello() -> CallOptions {
    CallOptions::new(vec![Message::user_text("Hello")])
}

#[tokio::test]
async fn sigv4_signs_every_request_with_the_bedrock_scope() {
    let emulator = emulator().await;
    let model = sigv4(&emulator).language_model(NOVA);
    model.generate(hello()).await.unwrap();
    model
        .stream(hello())
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    for entry in emulator.journal().entries() {
        assert_eq!(
            entry.auth,
            AuthOutcome::SigV4 {
                access_key_id: ACCESS_KEY_ID.into()
            }
        );
        assert!(entry.signed_headers.iter().any(|h| h == "x-amz-date"));
        assert!(entry.signed_headers.iter().any(|h| h == "host"));
    }
}

#[tokio::test]
async fn a_bedrock_api_key_is_sent_as_a_bearer_token() {
    let emulator = emulator().await;
    let bedrock = builder(&emulator).api_key(BEARER_TOKEN).build().unwrap();
    let result = bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(result.text(), "You said: Hello");
    assert_eq!(emulator.journal().last().unwrap().auth, AuthOutcome::Bearer);

    let from_env = Bedrock::builder()
        .env([
            ("AWS_BEARER_TOKEN_BEDROCK", BEARER_TOKEN),
            ("HOME", "/nonexistent"),
        ])
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    from_env
        .language_model(NOVA)
        .stream(hello())
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(emulator.journal().last().unwrap().auth, AuthOutcome::Bearer);
}

#[tokio::test]
async fn a_wrong_key_is_an_access_denied_api_error() {
    let emulator = emulator().await;
    let bedrock = builder(&emulator).api_key("not-the-key").build().unwrap();
    let error = bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap_err();
    let api = error.api_error().unwrap();
    assert_eq!(api.status, Some(StatusCode::FORBIDDEN));
    assert_eq!(api.code.as_deref(), Some("AccessDeniedException"));
    assert!(!format!("{error:?} {error}").contains("not-the-key"));

    let bedrock = builder(&emulator)
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key("wrong-secret")
        .build()
        .unwrap();
    let error = bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap_err();
    assert_eq!(
        error.api_error().unwrap().code.as_deref(),
        Some("InvalidSignatureException")
    );
    assert!(!format!("{error:?} {error}").contains("wrong-secret"));
}

#[tokio::test]
async fn the_token_provider_is_asked_before_every_attempt() {
    let emulator = emulator().await;
    emulator.faults().push(Fault::Throttle, 1).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let bedrock = builder(&emulator)
        .token_provider(token_fn(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Token::new(BEARER_TOKEN) }
        }))
        .build()
        .unwrap();
    bedrock
        .language_model(NOVA)
        .generate(hello())
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let auths: Vec<AuthOutcome> = emulator
        .journal()
        .entries()
        .into_iter()
        .map(|e| e.auth)
        .collect();
    assert_eq!(auths, [AuthOutcome::Bearer, AuthOutcome::Bearer]);
}

#[tokio::test]
async fn ambiguous_auth_fails_at_build_time() {
    let emulator = emulator().await;
    let error = builder(&emulator)
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key(SECRET_ACCESS_KEY)
        .api_key(BEARER_TOKEN)
        .build()
        .unwrap_err();
    assert!(error.is_ambiguous_auth());
    assert!(emulator.journal().entries().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_provider_hands_out_models_by_id() {
    let emulator = emulator().await;
    let bedrock = sigv4(&emulator);
    for id in [
        "amazon.nova-lite-v1:0",
        "us.amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
    ] {
        let model = Provider::language_model(&bedrock, id).unwrap();
        assert_eq!(model.model_id(), id);
        assert_eq!(
            model.generate(hello()).await.unwrap().text(),
            "You said: Hello",
            "{id}"
        );
    }
    let paths: Vec<String> = emulator
        .journal()
        .entries()
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(
        paths[3],
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-lite-v1%3A0/converse"
    );
    assert!(
        Provider::language_model(&bedrock, " ")
            .unwrap_err()
            .is_invalid_argument()
    );
}
