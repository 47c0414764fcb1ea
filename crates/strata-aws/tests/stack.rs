//! The AWS layers in strata-http's retry stack: every attempt is re-signed, and a clock-skew
//! rejection is retried exactly once, with the corrected time.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::{HeaderValue, Request, Response, StatusCode};
use strata_aws::credentials::{CredentialsCache, CredentialsLayer, StaticCredentials};
use strata_aws::error::AwsClassifier;
use strata_aws::sign::{Clock, SigV4Layer};
use strata_http::body::ReplayableBody;
use strata_http::retry::{Attempts, RetryConfig, RetryLayer};
use tower::{ServiceBuilder, ServiceExt, service_fn};

/// Our clock: 2015-08-30T12:36:00Z. The service's: 15 minutes later.
const LOCAL: u64 = 1_440_938_160;
const SERVER: u64 = LOCAL + 900;

#[derive(Debug)]
struct Fixed(SystemTime);

impl Clock for Fixed {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// A fake service that rejects signatures more than five minutes off its clock (or always,
/// when `always_reject`), as AWS does, and records each attempt's `x-amz-date`.
type Dates = Arc<Mutex<Vec<String>>>;

fn service(
    always_reject: bool,
) -> (
    impl tower::Service<Request<ReplayableBody>, Response = Response<()>, Error = Infallible> + Clone,
    Dates,
) {
    let dates = Arc::new(Mutex::new(Vec::new()));
    let log = dates.clone();
    let svc = service_fn(move |req: Request<ReplayableBody>| {
        let date = req.headers()["x-amz-date"].to_str().unwrap().to_owned();
        let skewed = date != "20150830T125100Z";
        log.lock().unwrap().push(date);
        let response = if skewed || always_reject {
            Response::builder()
                .status(StatusCode::FORBIDDEN)
                .header("x-amzn-errortype", "InvalidSignatureException")
                .header(
                    "date",
                    HeaderValue::from_str(&httpdate::fmt_http_date(at(SERVER))).unwrap(),
                )
                .body(())
                .unwrap()
        } else {
            Response::new(())
        };
        async move { Ok::<_, Infallible>(response) }
    });
    (svc, dates)
}

async fn call(always_reject: bool) -> (Response<()>, Vec<String>) {
    let (backend, dates) = service(always_reject);
    let credentials = StaticCredentials::builder()
        .access_key_id("AKIDEXAMPLE")
        .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .build()
        .unwrap();
    let stack = ServiceBuilder::new()
        .layer(
            RetryLayer::new(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
                .with_classifier(AwsClassifier::new()),
        )
        .layer(CredentialsLayer::new(CredentialsCache::new(credentials)))
        .layer(
            SigV4Layer::builder()
                .signing_name("bedrock")
                .region("us-east-1")
                .clock(Fixed(at(LOCAL)))
                .build()
                .unwrap(),
        )
        .service(backend);
    let request = Request::post("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
        .body(ReplayableBody::from("{}"))
        .unwrap();
    let response = stack.oneshot(request).await.unwrap();
    let dates = dates.lock().unwrap().clone();
    (response, dates)
}

#[tokio::test]
async fn a_skew_rejection_is_retried_once_with_the_corrected_time() {
    let (response, dates) = call(false).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    assert_eq!(dates, ["20150830T123600Z", "20150830T125100Z"]);
}

#[tokio::test]
async fn a_second_skew_rejection_is_not_retried_again() {
    let (response, dates) = call(true).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    assert_eq!(dates, ["20150830T123600Z", "20150830T125100Z"]);
}
