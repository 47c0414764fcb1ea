//! SigV4 and bearer authentication, checked with requests signed by bare `aws-sigv4`.

mod common;

use std::time::SystemTime;

use aws_credential_types::Credentials;
use common::{MINUTE, Signer, client, send, signed, start};
use http_body_util::Full;
use serde_json::json;
use strata_emulator::{AuthOutcome, Emulator};

const NOVA: &str = "us.amazon.nova-lite-v1%3A0";

fn converse_body() -> Vec<u8> {
    json!({"messages": [{"role": "user", "content": [{"text": "Hello"}]}]})
        .to_string()
        .into_bytes()
}

#[tokio::test]
async fn a_correctly_signed_request_is_accepted_and_journaled() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let received = send(&client(), signed(&url, converse_body())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    common::assert_request_id(&received);
    let entry = emulator.journal().last().unwrap();
    assert_eq!(
        entry.auth,
        AuthOutcome::SigV4 {
            access_key_id: "AKIDEXAMPLE".into()
        }
    );
    assert_eq!(entry.path, "/model/us.amazon.nova-lite-v1%3A0/converse");
    assert_eq!(entry.signed_headers, ["content-type", "host", "x-amz-date"]);
    assert_eq!(entry.amz_date.as_deref().map(str::len), Some(16));
    assert_eq!(entry.body, converse_body());
    assert_eq!(entry.status, 200);
    assert_eq!(entry.request_id, received.header("x-amzn-requestid"));
}

#[tokio::test]
async fn http2_requests_verify_too() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let received = send(&common::h2_client(), signed(&url, converse_body())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
}

#[tokio::test]
async fn an_unknown_access_key_is_an_unrecognized_client() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let signer = Signer {
        credentials: Credentials::new(
            "AKIDWRONG",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "t",
        ),
        ..Signer::default()
    };
    let received = send(&client(), signer.post(&url, converse_body())).await;
    received.assert_error(
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
    assert_eq!(
        emulator.journal().last().unwrap().auth,
        AuthOutcome::Rejected {
            error_code: "UnrecognizedClientException".into()
        }
    );
}

#[tokio::test]
async fn a_wrong_secret_is_a_signature_mismatch() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let signer = Signer {
        credentials: Credentials::new("AKIDEXAMPLE", "not-the-secret", None, None, "t"),
        ..Signer::default()
    };
    let received = send(&client(), signer.post(&url, converse_body())).await;
    received.assert_error(
        403,
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check \
         your AWS Secret Access Key and signing method. Consult the service documentation for \
         details.",
    );
}

#[tokio::test]
async fn a_tampered_body_is_a_signature_mismatch() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let request = signed(&url, converse_body());
    let (parts, _) = request.into_parts();
    let tampered = http::Request::from_parts(parts, Full::new(bytes::Bytes::from_static(b"{}")));
    let received = send(&client(), tampered).await;
    assert_eq!(received.status, 403);
    assert_eq!(
        received.header("x-amzn-errortype"),
        "InvalidSignatureException"
    );
}

#[tokio::test]
async fn a_stale_date_is_an_expired_signature() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    // 2015-08-30T12:36:00Z, long stale; the server clock is skewed to 6.5 minutes later.
    let signed_at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
    let now = signed_at + 6 * MINUTE + std::time::Duration::from_secs(30);
    let skew = now.duration_since(SystemTime::now()).map_or_else(
        |behind| -(behind.duration().as_secs_f64().round() as i64),
        |ahead| ahead.as_secs_f64().round() as i64,
    );
    emulator.faults().set_clock_skew(skew);
    let received = send(&client(), Signer::at(signed_at).post(&url, converse_body())).await;
    assert_eq!(received.status, 403);
    assert_eq!(
        received.header("x-amzn-errortype"),
        "InvalidSignatureException"
    );
    let message = received.json()["message"].as_str().unwrap().to_owned();
    // The server's clock reads 12:42:30 give or take a second of test time.
    let expected = regex_lite::Regex::new(
        r"^Signature expired: 20150830T123600Z is now earlier than 20150830T1237(\d\d)Z \(20150830T1242(\d\d)Z - 5 min\.\)$",
    )
    .unwrap();
    let captures = expected
        .captures(&message)
        .unwrap_or_else(|| panic!("{message}"));
    assert_eq!(captures[1], captures[2], "{message}");
}

#[tokio::test]
async fn dates_within_five_minutes_are_accepted_and_future_dates_are_not_yet_current() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let slightly_old = SystemTime::now() - 4 * MINUTE;
    assert_eq!(
        send(
            &client(),
            Signer::at(slightly_old).post(&url, converse_body())
        )
        .await
        .status,
        200
    );
    let future = SystemTime::now() + 6 * MINUTE;
    let received = send(&client(), Signer::at(future).post(&url, converse_body())).await;
    assert_eq!(received.status, 403);
    let message = received.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.starts_with("Signature not yet current: "),
        "{message}"
    );
    assert!(message.ends_with(" + 5 min.)"), "{message}");
}

#[tokio::test]
async fn a_skewed_server_clock_rejects_a_correct_client() {
    let emulator = start().await;
    emulator.faults().set_clock_skew(15 * 60);
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let received = send(&client(), signed(&url, converse_body())).await;
    assert_eq!(received.status, 403);
    assert!(
        received.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired: ")
    );
}

#[tokio::test]
async fn scope_must_name_the_region_and_bedrock() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let wrong_region = Signer {
        region: "eu-west-1".into(),
        ..Signer::default()
    };
    send(&client(), wrong_region.post(&url, converse_body()))
        .await
        .assert_error(
            403,
            "InvalidSignatureException",
            "Credential should be scoped to a valid region, not 'eu-west-1'.",
        );
    let wrong_service = Signer {
        service: "bedrock-runtime".into(),
        ..Signer::default()
    };
    send(&client(), wrong_service.post(&url, converse_body()))
        .await
        .assert_error(
            403,
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'bedrock'.",
        );
}

#[tokio::test]
async fn a_request_without_authorization_is_refused_like_bedrock() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let request = http::Request::post(&url)
        .body(Full::new(converse_body().into()))
        .unwrap();
    let received = send(&client(), request).await;
    assert_eq!(received.status, 403);
    assert_eq!(received.header("x-amzn-errortype"), "AccessDeniedException");
    assert_eq!(
        received.json(),
        json!({"Message": "Authorization header is missing"})
    );
    common::assert_request_id(&received);
}

#[tokio::test]
async fn session_tokens_must_match_the_configured_one() {
    let credentials = Credentials::new(
        "AKIDSESSION",
        "session-secret",
        Some("the-token".into()),
        None,
        "t",
    );
    let emulator = Emulator::builder()
        .credentials(credentials.clone())
        .start()
        .await
        .unwrap();
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let good = Signer {
        credentials,
        ..Signer::default()
    };
    let received = send(&client(), good.post(&url, converse_body())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    assert!(
        emulator
            .journal()
            .last()
            .unwrap()
            .signed_headers
            .contains(&"x-amz-security-token".to_owned())
    );

    let wrong = Signer {
        credentials: Credentials::new(
            "AKIDSESSION",
            "session-secret",
            Some("other".into()),
            None,
            "t",
        ),
        ..Signer::default()
    };
    send(&client(), wrong.post(&url, converse_body()))
        .await
        .assert_error(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        );
    let missing = Signer {
        credentials: Credentials::new("AKIDSESSION", "session-secret", None, None, "t"),
        ..Signer::default()
    };
    let received = send(&client(), missing.post(&url, converse_body())).await;
    assert_eq!(
        received.header("x-amzn-errortype"),
        "UnrecognizedClientException"
    );
}

#[tokio::test]
async fn bearer_tokens_work_only_when_enabled() {
    let emulator = Emulator::builder()
        .bearer_token("bedrock-api-key-123")
        .start()
        .await
        .unwrap();
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let bearer = |token: &str| {
        http::Request::post(&url)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Full::new(converse_body().into()))
            .unwrap()
    };
    assert_eq!(
        send(&client(), bearer("bedrock-api-key-123")).await.status,
        200
    );
    assert_eq!(emulator.journal().last().unwrap().auth, AuthOutcome::Bearer);
    let received = send(&client(), bearer("wrong")).await;
    assert_eq!(received.status, 403);
    assert_eq!(received.header("x-amzn-errortype"), "AccessDeniedException");
    assert_eq!(
        received.json(),
        json!({"Message": "Authentication failed: Please make sure your API Key is valid."})
    );
    // SigV4 still works alongside.
    assert_eq!(
        send(&client(), signed(&url, converse_body())).await.status,
        200
    );

    let without = start().await;
    let url = format!("{}/model/{NOVA}/converse", without.url());
    let request = http::Request::post(&url)
        .header("authorization", "Bearer bedrock-api-key-123")
        .body(Full::new(converse_body().into()))
        .unwrap();
    assert_eq!(send(&client(), request).await.status, 403);
}

#[tokio::test]
async fn handle_debug_hides_secrets() {
    let builder = Emulator::builder()
        .credentials(Credentials::new(
            "AKIDX",
            "super-secret-key",
            Some("session-tok".into()),
            None,
            "t",
        ))
        .bearer_token("bearer-secret");
    let printed_builder = format!("{builder:?}");
    let emulator = builder.start().await.unwrap();
    let printed = format!("{emulator:?}{printed_builder}");
    for secret in ["super-secret-key", "session-tok", "bearer-secret"] {
        assert!(!printed.contains(secret), "{printed}");
    }
}

#[tokio::test]
async fn malformed_authorization_is_an_incomplete_signature() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let with_auth = |value: &str| {
        http::Request::post(&url)
            .header("authorization", value)
            .header("x-amz-date", "20150830T123600Z")
            .body(Full::new(converse_body().into()))
            .unwrap()
    };
    send(
        &client(),
        with_auth(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request",
        ),
    )
    .await
    .assert_error(
        403,
        "IncompleteSignatureException",
        "Authorization header requires 'Signature' parameter. Authorization header requires \
             'SignedHeaders' parameter.",
    );
    // A signed request whose x-amz-date was removed.
    let (mut parts, body) = signed(&url, converse_body()).into_parts();
    parts.headers.remove("x-amz-date");
    send(&client(), http::Request::from_parts(parts, body))
        .await
        .assert_error(
            403,
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        );
}

#[tokio::test]
async fn a_signed_header_that_is_not_sent_is_a_mismatch() {
    let emulator = start().await;
    let url = format!("{}/model/{NOVA}/converse", emulator.url());
    let (mut parts, body) = signed(&url, converse_body()).into_parts();
    parts.headers.remove("content-type");
    let received = send(&client(), http::Request::from_parts(parts, body)).await;
    assert_eq!(received.status, 403);
    assert_eq!(
        received.header("x-amzn-errortype"),
        "InvalidSignatureException"
    );
}
