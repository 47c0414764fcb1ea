//! The classic-format suites (botocore's and smithy-rs's copies of the AWS General Reference
//! suite): `.req` → `.creq`, `.sts`, `.authz`.

use std::path::{Path, PathBuf};

use aws_sigv4::http_request::SignatureLocation;

use super::*;

/// Leaf directories holding test files, recursively.
fn leaf_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut has_files = false;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            leaf_dirs(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| ["req", "creq", "sts", "authz"].contains(&e.to_str().unwrap()))
        {
            has_files = true;
        }
    }
    if has_files {
        out.push(dir.to_owned());
    }
}

async fn run(suite: &str, expected_cases: usize) {
    let root = suites_dir();
    let mut dirs = Vec::new();
    leaf_dirs(&root.join(suite), &mut dirs);
    dirs.sort();
    let (mut ran, mut excluded, mut checks, mut failures) = (0, 0, 0, Vec::new());
    for dir in &dirs {
        let rel = dir
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        if is_excluded(&rel) {
            excluded += 1;
            continue;
        }
        let name = dir.file_name().unwrap().to_str().unwrap();
        let file = |ext: &str| dir.join(format!("{name}.{ext}"));
        let read_opt = |ext: &str| file(ext).is_file().then(|| read(&file(ext)));
        assert!(file("req").is_file(), "{rel}: no .req and not excluded");
        let mut raw = request::parse(&std::fs::read(file("req")).unwrap());
        let mut p = Params::classic();
        p.raw_space = raw.target.contains(' ');
        strip_request_signing_headers(&mut raw, &mut p);
        let creq = read_opt("creq");
        let sreq = read_opt("sreq").map(|t| request::parse(t.as_bytes()));
        if p.token.is_none() {
            // A token only in the signed request: signed if the canonical request has it,
            // else added after signing (post-sts-header-after).
            if let Some(token) = sreq.as_ref().and_then(|s| s.header("x-amz-security-token")) {
                p.token = Some(token.to_owned());
                p.omit_token = !creq
                    .as_deref()
                    .unwrap_or("")
                    .contains("x-amz-security-token:");
            }
        }
        let authorization = read_opt("authz").map(|a| trim(&a).to_owned()).or_else(|| {
            sreq.as_ref()
                .and_then(|s| s.header("authorization"))
                .map(str::to_owned)
        });
        let expected = Expected {
            creq,
            sts: read_opt("sts"),
            signature: authorization
                .as_deref()
                .and_then(|a| a.split("Signature=").nth(1))
                .map(str::to_owned),
            authorization,
        };
        match name {
            // smithy-rs additions; parameters from SOURCE.md.
            "double-url-encode" => {
                p.region = "us-east-2".into();
                p.service = "lambda".into();
                p.amz_date = "20210511T154045Z".into();
                check(
                    &rel,
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
                let mut at_creq_time = p.clone();
                at_creq_time.amz_date = "20210511T154045Z".into();
                let creq_only = Expected {
                    creq: expected.creq.clone(),
                    sts: None,
                    signature: None,
                    authorization: None,
                };
                check(
                    &rel,
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
                let signed = Expected {
                    creq: None,
                    ..expected
                };
                check(
                    &rel,
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
                check(
                    &rel,
                    &raw,
                    &p,
                    SignatureLocation::Headers,
                    &expected,
                    &mut failures,
                    &mut checks,
                )
                .await
            }
        }
        ran += 1;
    }
    assert_eq!(ran + excluded, expected_cases, "{suite}: cases found");
    report(suite, ran, excluded, checks, failures);
}

#[tokio::test]
async fn botocore_aws4_testsuite() {
    run("botocore-aws4_testsuite", 34).await;
}

#[tokio::test]
async fn smithy_rs_aws_sig_v4_test_suite() {
    // 33 cases plus the `iam` folder (excluded: nothing to sign).
    run("aws-sig-v4-test-suite", 34).await;
}
