use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use http::header::{AUTHORIZATION, DATE};
use http::{HeaderValue, Request, Response, StatusCode};
use strata_http::body::ReplayableBody;
use tower::{Layer, Service, ServiceExt, service_fn};

use super::*;

/// 2015-08-30T12:36:00Z, the test suites' time.
const T0: u64 = 1_440_938_160;

#[derive(Debug, Clone)]
struct FakeClock(Arc<Mutex<SystemTime>>);

impl FakeClock {
    fn at(secs: u64) -> Self {
        Self(Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs),
        )))
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

fn layer(clock: FakeClock) -> SigV4Layer {
    SigV4Layer::builder()
        .signing_name("service")
        .region("us-east-1")
        .clock(clock)
        .build()
        .unwrap()
}

fn creds() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    )
}

fn request(path: &str) -> Request<ReplayableBody> {
    let mut req = Request::get(format!("https://example.amazonaws.com{path}"))
        .body(ReplayableBody::empty())
        .unwrap();
    req.extensions_mut().insert(creds());
    req
}

type Seen = Arc<Mutex<Vec<Request<ReplayableBody>>>>;

/// The [`SigningError`] behind a stack error.
fn signing_error(error: &strata_http::Error) -> &SigningError {
    std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<SigningError>())
        .expect("a signing error as the source")
}

/// An inner service recording the requests it gets and answering with `respond`.
fn recorder(
    respond: impl Fn() -> Response<()> + Clone + Send + 'static,
) -> (
    impl Service<Request<ReplayableBody>, Response = Response<()>, Error = Infallible> + Clone,
    Seen,
) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let svc = service_fn(move |req: Request<ReplayableBody>| {
        log.lock().unwrap().push(req);
        let respond = respond.clone();
        async move { Ok::<_, Infallible>(respond()) }
    });
    (svc, seen)
}

#[tokio::test]
async fn signs_get_vanilla_exactly() {
    let (svc, seen) = recorder(|| Response::new(()));
    layer(FakeClock::at(T0))
        .layer(svc)
        .oneshot(request("/"))
        .await
        .unwrap();
    let req = &seen.lock().unwrap()[0];
    assert_eq!(req.headers()["x-amz-date"], "20150830T123600Z");
    // The value from the suites' get-vanilla case.
    assert_eq!(
        req.headers()[AUTHORIZATION],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=host;x-amz-date, \
         Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[tokio::test]
async fn each_attempt_is_resigned_with_the_current_time_and_stale_headers_replaced() {
    let clock = FakeClock::at(T0);
    let (svc, seen) = recorder(|| Response::new(()));
    let mut signer = layer(clock.clone()).layer(svc);
    let mut first = request("/");
    first
        .headers_mut()
        .insert("x-amz-content-sha256", HeaderValue::from_static("stale"));
    signer.ready().await.unwrap().call(first).await.unwrap();

    // Re-send the signed request, as a careless retry would, an hour later.
    *clock.0.lock().unwrap() += Duration::from_secs(3600);
    let (parts, body) = {
        let mut seen = seen.lock().unwrap();
        let r = seen.remove(0);
        let (p, b) = r.into_parts();
        (p, b)
    };
    let again = Request::from_parts(parts, body);
    signer.ready().await.unwrap().call(again).await.unwrap();
    let req = &seen.lock().unwrap()[0];
    assert_eq!(req.headers()["x-amz-date"], "20150830T133600Z");
    assert!(req.headers().get("x-amz-content-sha256").is_none());
    assert_eq!(req.headers().get_all(AUTHORIZATION).iter().count(), 1);
}

#[tokio::test]
async fn refuses_a_caller_authorization_header() {
    let (svc, seen) = recorder(|| Response::new(()));
    let mut req = request("/");
    req.headers_mut()
        .insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
    let err = layer(FakeClock::at(T0))
        .layer(svc)
        .oneshot(req)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), strata_http::ErrorKind::Signing);
    let signing = signing_error(&err);
    assert!(signing.is_caller_authorization());
    assert!(seen.lock().unwrap().is_empty());
    assert_eq!(
        signing.to_string(),
        "the request already has an `Authorization` header set by the caller; SigV4 signing refuses to replace it"
    );
}

#[tokio::test]
async fn missing_credentials_and_host_are_typed_errors() {
    let (svc, _) = recorder(|| Response::new(()));
    let mut req = request("/");
    req.extensions_mut().remove::<Credentials>();
    let err = layer(FakeClock::at(T0))
        .layer(svc.clone())
        .oneshot(req)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), strata_http::ErrorKind::Credentials);
    assert_eq!(err.credentials_provider(), Some("sigv4"));
    assert!(signing_error(&err).is_missing_credentials());

    let mut req = Request::get("/relative")
        .body(ReplayableBody::empty())
        .unwrap();
    req.extensions_mut().insert(creds());
    let err = layer(FakeClock::at(T0))
        .layer(svc)
        .oneshot(req)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), strata_http::ErrorKind::Signing);
    assert!(signing_error(&err).is_missing_host());
}

#[tokio::test]
async fn a_bad_session_token_is_an_error_that_does_not_leak_it() {
    let (svc, _) = recorder(|| Response::new(()));
    let mut req = request("/");
    req.extensions_mut().insert(Credentials::new(
        "AKIDEXAMPLE",
        "secret",
        Some("tok\nen-SECRET".to_owned()),
        None,
        "test",
    ));
    let err = layer(FakeClock::at(T0))
        .layer(svc)
        .oneshot(req)
        .await
        .unwrap_err();
    let text = format!("{err} {err:?} {}", signing_error(&err));
    assert!(signing_error(&err).is_invalid_header());
    assert!(!text.contains("SECRET"), "{text}");
    assert!(text.contains("x-amz-security-token"), "{text}");
}

#[tokio::test]
async fn session_token_is_signed_and_marked_sensitive() {
    let (svc, seen) = recorder(|| Response::new(()));
    let mut req = request("/");
    req.extensions_mut().insert(Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267".to_owned()),
        None,
        "test",
    ));
    layer(FakeClock::at(T0))
        .layer(svc)
        .oneshot(req)
        .await
        .unwrap();
    let req = &seen.lock().unwrap()[0];
    let token = &req.headers()["x-amz-security-token"];
    assert!(token.is_sensitive());
    assert!(
        req.headers()[AUTHORIZATION].is_sensitive(),
        "the signature is a credential: no log may print it"
    );
    // get-vanilla-with-session-token from the CRT suite.
    assert!(req.headers()[AUTHORIZATION].to_str().unwrap().ends_with(
        "SignedHeaders=host;x-amz-date;x-amz-security-token, \
         Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
    ));
}

#[tokio::test]
async fn payload_modes_and_content_sha256_header() {
    let (svc, seen) = recorder(|| Response::new(()));
    let signer = SigV4Layer::builder()
        .signing_name("service")
        .region("us-east-1")
        .clock(FakeClock::at(T0))
        .payload_mode(PayloadMode::Unsigned)
        .content_sha256_header(true)
        .build()
        .unwrap()
        .layer(svc.clone());
    signer.oneshot(request("/")).await.unwrap();
    assert_eq!(
        seen.lock().unwrap()[0].headers()["x-amz-content-sha256"],
        "UNSIGNED-PAYLOAD"
    );

    let signer = SigV4Layer::builder()
        .signing_name("service")
        .region("us-east-1")
        .clock(FakeClock::at(T0))
        .content_sha256_header(true)
        .build()
        .unwrap()
        .layer(svc);
    let mut req = request("/");
    *req.body_mut() = ReplayableBody::from("Param1=value1");
    signer.oneshot(req).await.unwrap();
    assert_eq!(
        seen.lock().unwrap()[1].headers()["x-amz-content-sha256"],
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
    );
}

#[tokio::test]
async fn model_arn_path_is_double_encoded_in_the_signature() {
    // The CRT suite's double-url-encode case, built with encode_path_segment.
    let (svc, seen) = recorder(|| Response::new(()));
    let arn = "arn:aws:lambda:us-west-2:892717189312:function:my-rusty-fun";
    let uri = format!(
        "https://lambda.us-east-2.amazonaws.com/2015-03-31/functions/{}/invocations",
        encode_path_segment(arn)
    );
    let mut req = Request::post(uri).body(ReplayableBody::empty()).unwrap();
    req.extensions_mut().insert(creds());
    let layer = SigV4Layer::builder()
        .signing_name("lambda")
        .region("us-east-2")
        .clock(FakeClock::at(1_620_747_645)) // 20210511T154045Z
        .build()
        .unwrap();
    layer.layer(svc).oneshot(req).await.unwrap();
    let req = &seen.lock().unwrap()[0];
    assert_eq!(
        req.uri().path(),
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A892717189312%3Afunction%3Amy-rusty-fun/invocations"
    );
    assert_eq!(
        req.headers()[AUTHORIZATION],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20210511/us-east-2/lambda/aws4_request, \
         SignedHeaders=host;x-amz-date, \
         Signature=4b93abbcc68be32bd64c18e2c71150660ab4c29bbd6c32a383a7517a88fc1804"
    );
}

fn skew_response(code: &'static str, date: SystemTime) -> Response<()> {
    let mut r = Response::new(());
    *r.status_mut() = StatusCode::FORBIDDEN;
    r.headers_mut()
        .insert("x-amzn-errortype", HeaderValue::from_static(code));
    r.headers_mut().insert(
        DATE,
        HeaderValue::from_str(&httpdate::fmt_http_date(date)).unwrap(),
    );
    r
}

#[tokio::test]
async fn learns_clock_skew_from_a_skew_error_and_corrects_later_signatures() {
    let server_time = SystemTime::UNIX_EPOCH + Duration::from_secs(T0 + 900);
    let (svc, seen) = recorder(move || skew_response("InvalidSignatureException", server_time));
    let layer = layer(FakeClock::at(T0));
    let mut signer = layer.clone().layer(svc);
    let response = signer
        .ready()
        .await
        .unwrap()
        .call(request("/"))
        .await
        .unwrap();
    assert_eq!(response.headers()[CLOCK_SKEW_CORRECTED], "true");
    assert_eq!(layer.clock_offset_ms(), 900_000);

    // The next attempt is signed with the service's time, and the same error again is no
    // longer marked (so it is not retried twice).
    let response = signer
        .ready()
        .await
        .unwrap()
        .call(request("/"))
        .await
        .unwrap();
    assert!(response.headers().get(CLOCK_SKEW_CORRECTED).is_none());
    assert_eq!(
        seen.lock().unwrap()[1].headers()["x-amz-date"],
        "20150830T125100Z"
    );
}

#[tokio::test]
async fn other_errors_and_close_dates_teach_nothing() {
    let near = SystemTime::UNIX_EPOCH + Duration::from_secs(T0 + 30);
    let far = SystemTime::UNIX_EPOCH + Duration::from_secs(T0 + 900);
    for (code, date) in [
        ("InvalidSignatureException", near),
        ("AccessDeniedException", far),
    ] {
        let (svc, _) = recorder(move || skew_response(code, date));
        let layer = layer(FakeClock::at(T0));
        let response = layer
            .clone()
            .layer(svc)
            .oneshot(request("/"))
            .await
            .unwrap();
        assert!(
            response.headers().get(CLOCK_SKEW_CORRECTED).is_none(),
            "{code}"
        );
        assert_eq!(layer.clock_offset_ms(), 0, "{code}");
    }
}
