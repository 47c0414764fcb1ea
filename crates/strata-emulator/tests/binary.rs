//! The `strata-emulator` binary: first stdout line, signed requests, clean stop on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{client, send, signed};
use serde_json::json;

const BINARY: &str = env!("CARGO_BIN_EXE_strata-emulator");

#[test]
fn help_and_bad_arguments() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(
        String::from_utf8(help.stdout)
            .unwrap()
            .starts_with("strata-emulator: a local Bedrock-compatible server")
    );

    let bad = Command::new(BINARY)
        .args(["--bind", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8(bad.stderr).unwrap();
    assert!(
        stderr.starts_with("error: `--bind nowhere` is not an address like 127.0.0.1:8080"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn serves_signed_requests_and_stops_on_sigterm() {
    let mut child = Command::new(BINARY)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--region",
            "us-east-1",
            "--bearer-token",
            "cli-token",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("strata-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    let body = json!({"messages": [{"role": "user", "content": [{"text": "hi"}]}]}).to_string();
    let converse = format!("{url}/model/us.amazon.nova-lite-v1%3A0/converse");
    let received = send(&client(), signed(&converse, body.clone())).await;
    assert_eq!(received.status, 200, "{:?}", received.body);
    let bearer = http::Request::post(&converse)
        .header("authorization", "Bearer cli-token")
        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
        .unwrap();
    assert_eq!(send(&client(), bearer).await.status, 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}
