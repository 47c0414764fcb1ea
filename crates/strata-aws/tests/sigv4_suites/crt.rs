//! The CRT-format suite (`aws-signing-test-suite/v4`), header and query signing.

use std::path::Path;

use aws_sigv4::http_request::SignatureLocation;

use super::*;

fn read_opt(dir: &Path, file: &str) -> Option<String> {
    let path = dir.join(file);
    path.is_file().then(|| read(&path))
}

fn signature_of(authorization: &str) -> Option<String> {
    authorization.split("Signature=").nth(1).map(str::to_owned)
}

fn header_expected(dir: &Path) -> Expected {
    let authorization = read_opt(dir, "header-signed-request.txt")
        .and_then(|t| authorization_from_signed_request(&t));
    let signature = read_opt(dir, "header-signature.txt")
        .or_else(|| authorization.as_deref().and_then(signature_of));
    Expected {
        creq: read_opt(dir, "header-canonical-request.txt"),
        sts: read_opt(dir, "header-string-to-sign.txt"),
        signature,
        authorization,
    }
}

#[tokio::test]
async fn aws_signing_test_suite_v4() {
    let root = suites_dir().join("aws-signing-test-suite/v4");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 40, "SOURCE.md lists 40 cases");
    let (mut ran, mut excluded, mut checks, mut failures) = (0, 0, 0, Vec::new());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        if is_excluded(&format!("aws-signing-test-suite/v4/{name}")) {
            excluded += 1;
            continue;
        }
        let mut raw = request::parse(read(&dir.join("request.txt")).as_bytes());
        let case = format!("v4/{name}");
        match name.as_str() {
            // smithy-rs additions without context.json; parameters from SOURCE.md.
            "double-url-encode" => {
                let mut p = Params::classic();
                p.region = "us-east-2".into();
                p.service = "lambda".into();
                p.amz_date = "20210511T154045Z".into();
                strip_request_signing_headers(&mut raw, &mut p);
                let expected = header_expected(&dir);
                check(
                    &case,
                    &raw,
                    &p,
                    SignatureLocation::Headers,
                    &expected,
                    &mut failures,
                    &mut checks,
                )
                .await;
            }
            "double-encode-path" => {
                let mut p = Params::classic();
                strip_request_signing_headers(&mut raw, &mut p);
                // The canonical request was recorded at another time than the signed request.
                let mut at_creq_time = p.clone();
                at_creq_time.amz_date = "20210511T154045Z".into();
                let creq_only = Expected {
                    creq: read_opt(&dir, "header-canonical-request.txt"),
                    sts: None,
                    signature: None,
                    authorization: None,
                };
                check(
                    &case,
                    &raw,
                    &at_creq_time,
                    SignatureLocation::Headers,
                    &creq_only,
                    &mut failures,
                    &mut checks,
                )
                .await;
                p.access_key_id = "ANOTREAL".into();
                p.secret = "notrealrnrELgWzOk3IfjzDKtFBhDby".into();
                let mut signed = header_expected(&dir);
                signed.creq = None;
                check(
                    &case,
                    &raw,
                    &p,
                    SignatureLocation::Headers,
                    &signed,
                    &mut failures,
                    &mut checks,
                )
                .await;
            }
            _ => {
                let mut p = Params::from_context(&dir.join("context.json"));
                p.raw_space = raw.target.contains(' ');
                strip_request_signing_headers(&mut raw, &mut p);
                check(
                    &case,
                    &raw,
                    &p,
                    SignatureLocation::Headers,
                    &header_expected(&dir),
                    &mut failures,
                    &mut checks,
                )
                .await;
                let query = Expected {
                    creq: read_opt(&dir, "query-canonical-request.txt"),
                    sts: read_opt(&dir, "query-string-to-sign.txt"),
                    signature: read_opt(&dir, "query-signature.txt"),
                    authorization: None,
                };
                assert!(
                    query.creq.is_some() && query.sts.is_some() && query.signature.is_some(),
                    "{case}: query files"
                );
                check(
                    &case,
                    &raw,
                    &p,
                    SignatureLocation::QueryParams,
                    &query,
                    &mut failures,
                    &mut checks,
                )
                .await;
            }
        }
        ran += 1;
    }
    assert_eq!(ran + excluded, 40);
    report("aws-signing-test-suite/v4", ran, excluded, checks, failures);
}
