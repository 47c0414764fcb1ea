//! The AWS retry classifier against the error tables of `../shared/aws-models/SUMMARY.md`
//! (botocore 1.44.5 standard retry mode, cross-checked there against canned responses).

use http::{HeaderMap, HeaderValue, StatusCode};
use strata_aws::error::AwsClassifier;
use strata_http::retry::{Classifier, RetryClass};

const SUMMARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/aws-models/SUMMARY.md"
);

#[test]
fn classifier_agrees_with_every_error_row_of_the_summary() {
    let text = std::fs::read_to_string(SUMMARY)
        .unwrap_or_else(|e| panic!("shared AWS model summary missing at {SUMMARY}: {e}"));
    let classifier = AwsClassifier::new();
    let mut rows = 0;
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | error shape | HTTP status | fault | retryable | botocore standard-mode retry | members |
        if cells.len() != 8 || !cells[1].ends_with("Exception") {
            continue;
        }
        let Ok(status) = cells[2].parse::<u16>() else {
            continue;
        };
        let (code, verdict) = (cells[1], cells[5]);
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-errortype", HeaderValue::from_str(code).unwrap());
        let got = classifier.classify_response(StatusCode::from_u16(status).unwrap(), &headers);
        let ok = if verdict == "not retried" {
            got == RetryClass::NotRetryable
        } else if verdict.starts_with("retried, throttling") {
            got == RetryClass::Throttling
        } else if verdict.starts_with("retried, transient") {
            matches!(got, RetryClass::Transient | RetryClass::ServerError)
        } else {
            panic!("unknown verdict `{verdict}` for {code}");
        };
        assert!(
            ok,
            "{code} ({status}): botocore says `{verdict}`, classifier says {got:?}"
        );
        rows += 1;
    }
    // 12 bedrock-runtime + 9 Rerank + 5 control-plane rows.
    assert_eq!(rows, 26, "error rows found in SUMMARY.md");

    // The summary's empirical check also retries an unmodeled, empty 429.
    assert_eq!(
        classifier.classify_response(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new()),
        RetryClass::Throttling
    );
}
