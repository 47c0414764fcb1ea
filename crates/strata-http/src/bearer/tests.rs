use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use http::{HeaderValue, Request};
use tower::ServiceExt;

use super::*;

fn echo_authorization()
-> impl Service<Request<()>, Response = HeaderValue, Error = Infallible, Future: Send> + Clone {
    tower::service_fn(|req: Request<()>| async move {
        Ok::<_, Infallible>(req.headers()[header::AUTHORIZATION].clone())
    })
}

#[tokio::test]
async fn static_token_is_set_and_marked_sensitive() {
    let layer = BearerAuthLayer::from_static("sk-123").unwrap();
    let sent = layer
        .layer(echo_authorization())
        .oneshot(Request::new(()))
        .await
        .unwrap();
    assert_eq!(sent, "Bearer sk-123");
    assert!(sent.is_sensitive());
}

#[tokio::test]
async fn provider_is_called_for_every_call() {
    let counter = Arc::new(AtomicU32::new(0));
    let calls = counter.clone();
    let provider = token_fn(move || {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move { Token::new(format!("token-{n}")) }
    });
    let service = BearerAuth::new(echo_authorization(), provider);
    let first = service.clone().oneshot(Request::new(())).await.unwrap();
    let second = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(
        (first, second),
        (
            "Bearer token-0".parse().unwrap(),
            "Bearer token-1".parse().unwrap()
        )
    );
}

#[tokio::test]
async fn existing_authorization_is_refused_not_replaced() {
    let layer = BearerAuthLayer::from_static("sk-123").unwrap();
    let request = Request::builder()
        .header(header::AUTHORIZATION, "Basic abc")
        .body(())
        .unwrap();
    let error = layer
        .layer(echo_authorization())
        .oneshot(request)
        .await
        .unwrap_err();
    assert!(error.is_auth());
    assert_eq!(
        error.to_string(),
        "authentication failed: the request already carries an Authorization header"
    );
}

#[tokio::test]
async fn provider_failure_is_an_auth_error_with_its_source() {
    let provider = token_fn(|| async { Err::<Token, _>(std::io::Error::other("sts unreachable")) });
    let error = BearerAuth::new(echo_authorization(), provider)
        .oneshot(Request::new(()))
        .await
        .unwrap_err();
    assert!(error.is_auth());
    assert_eq!(
        std::error::Error::source(&error).unwrap().to_string(),
        "sts unreachable"
    );
}

#[test]
fn invalid_tokens_are_errors_that_do_not_echo_the_secret() {
    let error = Token::new("line\nbreak-secret").unwrap_err();
    assert!(error.is_auth());
    assert!(!format!("{error} {error:?}").contains("secret"));
    assert!(Token::new("").unwrap_err().is_auth());
    assert!(BearerAuthLayer::from_static("bad\u{7f}").is_err());
}

#[test]
fn secrets_never_print() {
    let token = Token::new("sk-very-secret").unwrap();
    let provider = StaticToken::from(token.clone());
    let layer = BearerAuthLayer::new(provider.clone());
    let service = layer.layer(());
    let printed = format!(
        "{token:?} {provider:?} {layer:?} {service:?} {:?}",
        provider.token()
    );
    assert!(!printed.contains("very-secret"), "{printed}");
    assert_eq!(format!("{:?}", token.header_value()), "Sensitive");
}

#[test]
fn token_provider_is_object_safe() {
    let provider: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("k").unwrap());
    let boxed: Box<dyn TokenProvider> = Box::new(provider);
    let _ = BearerAuthLayer::new(boxed);
}
