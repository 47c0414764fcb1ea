//! Test helpers: requests signed with bare `aws-sigv4`, sent with the hyper-util client.
#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use aws_smithy_types::event_stream::Message;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use strata_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, Emulator, EmulatorHandle};

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

pub fn h2_client() -> HttpClient {
    Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http()
}

pub async fn start() -> EmulatorHandle {
    Emulator::builder().start().await.expect("emulator starts")
}

pub fn default_credentials() -> Credentials {
    Credentials::new(
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_SECRET_ACCESS_KEY,
        None,
        None,
        "test",
    )
}

/// How to sign a request.
#[derive(Clone)]
pub struct Signer {
    pub credentials: Credentials,
    pub region: String,
    pub service: String,
    pub time: SystemTime,
}

impl Default for Signer {
    fn default() -> Self {
        Self {
            credentials: default_credentials(),
            region: "us-east-1".into(),
            service: "bedrock".into(),
            time: SystemTime::now(),
        }
    }
}

impl Signer {
    pub fn at(time: SystemTime) -> Self {
        Self {
            time,
            ..Self::default()
        }
    }

    /// A signer for the OpenAI-compatible routes (signing name `bedrock-mantle`).
    pub fn mantle() -> Self {
        Self {
            service: "bedrock-mantle".into(),
            ..Self::default()
        }
    }

    /// Signs a POST of `body` to `url` (whose path is already percent-encoded once).
    pub fn post(&self, url: &str, body: impl Into<Bytes>) -> http::Request<Full<Bytes>> {
        self.request(http::Method::POST, url, body.into())
    }

    /// Signs a GET of `url`.
    pub fn get(&self, url: &str) -> http::Request<Full<Bytes>> {
        self.request(http::Method::GET, url, Bytes::new())
    }

    fn request(&self, method: http::Method, url: &str, body: Bytes) -> http::Request<Full<Bytes>> {
        let mut request = http::Request::builder()
            .method(method.clone())
            .uri(url)
            .header("content-type", "application/json")
            .header(
                "host",
                http::Uri::try_from(url)
                    .unwrap()
                    .authority()
                    .unwrap()
                    .as_str(),
            )
            .body(Full::new(body.clone()))
            .unwrap();
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(self.time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_str().unwrap()))
            .collect::<Vec<_>>();
        let signable = SignableRequest::new(
            method.as_str(),
            url,
            headers.into_iter(),
            SignableBody::Bytes(&body),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        instructions.apply_to_request_http1x(&mut request);
        request
    }
}

/// A POST signed now with the default credentials.
pub fn signed(url: &str, body: impl Into<Bytes>) -> http::Request<Full<Bytes>> {
    Signer::default().post(url, body)
}

/// A received response.
#[derive(Debug)]
pub struct Received {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    /// Asserts an AWS error: status, `x-amzn-ErrorType`, JSON `message`.
    pub fn assert_error(&self, status: u16, code: &str, message: &str) {
        assert_eq!(
            self.status,
            status,
            "{:?}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("x-amzn-errortype"), code);
        assert_eq!(self.json()["message"], message);
        assert_request_id(self);
    }
}

pub fn assert_request_id(received: &Received) {
    let id = received.header("x-amzn-requestid");
    let lengths: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
}

pub async fn send(client: &HttpClient, request: http::Request<Full<Bytes>>) -> Received {
    let response = client.request(request).await.expect("response");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Received {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    }
}

/// Decodes an event-stream body into messages, failing on any framing error.
pub fn decode_frames(mut body: Bytes) -> Vec<Message> {
    let mut decoder = MessageFrameDecoder::new();
    let mut messages = Vec::new();
    while !body.is_empty() {
        match decoder.decode_frame(&mut body).expect("valid frame") {
            DecodedFrame::Complete(message) => messages.push(message),
            DecodedFrame::Incomplete => panic!("truncated frame at end of body"),
        }
    }
    messages
}

pub fn header_str<'a>(message: &'a Message, name: &str) -> Option<&'a str> {
    message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .and_then(|h| h.value().as_string().ok())
        .map(|s| s.as_str())
}

pub fn payload_json(message: &Message) -> Value {
    serde_json::from_slice(message.payload()).expect("JSON payload")
}

/// A request with `Authorization: Bearer <token>`.
pub fn bearer(
    method: http::Method,
    url: &str,
    token: &str,
    body: impl Into<Bytes>,
) -> http::Request<Full<Bytes>> {
    http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(body.into()))
        .unwrap()
}

/// One server-sent event: its `event:` name (if any) and its `data:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sse {
    pub event: Option<String>,
    pub data: String,
}

impl Sse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {:?}", self.data))
    }
}

/// Splits a complete SSE body into events; panics on a trailing partial event.
pub fn parse_sse(body: &[u8]) -> Vec<Sse> {
    let text = std::str::from_utf8(body).expect("UTF-8 SSE body");
    assert!(text.ends_with("\n\n"), "body ends mid-event: {text:?}");
    text.trim_end_matches('\n')
        .split("\n\n")
        .map(|block| {
            let mut event = None;
            let mut data = Vec::new();
            for line in block.lines() {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = Some(name.to_owned());
                } else if let Some(line) = line.strip_prefix("data: ") {
                    data.push(line);
                } else {
                    panic!("unexpected SSE line {line:?}");
                }
            }
            Sse {
                event,
                data: data.join("\n"),
            }
        })
        .collect()
}

/// Asserts an OpenAI error: status, body `{"error": {message, type, param, code}}`, request ids.
pub fn assert_openai_error(
    received: &Received,
    status: u16,
    kind: &str,
    code: Option<&str>,
) -> Value {
    assert_eq!(
        received.status,
        status,
        "{:?}",
        String::from_utf8_lossy(&received.body)
    );
    let body = received.json();
    let error = &body["error"];
    assert_eq!(error["type"], kind, "{body}");
    assert_eq!(error["code"].as_str(), code, "{body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(error.as_object().unwrap().contains_key("param"), "{body}");
    assert_eq!(
        received.header("x-request-id"),
        received.header("x-amzn-requestid")
    );
    assert_request_id(received);
    error.clone()
}

pub const MINUTE: Duration = Duration::from_secs(60);
