//! A local, Bedrock-compatible server for tests, examples and benches.
//!
//! `strata-emulator` speaks the Bedrock Runtime and Bedrock Agent Runtime (Rerank) wire
//! protocols closely enough that the official AWS SDKs work against it unchanged: SigV4 is
//! verified for real, bodies are validated against the service model's input shapes, streams
//! are genuine `application/vnd.amazon.eventstream` bodies, errors carry the same status,
//! `x-amzn-ErrorType` and message Bedrock sends. It also serves the OpenAI-compatible API of
//! Bedrock's mantle endpoint (Chat Completions, Responses, embeddings, models; JSON and
//! server-sent events, see [`openai`]). Answers come from deterministic models (see
//! [`models`]), so tests can assert exact outputs. Nothing ever calls AWS.
//!
//! # In your own tests
//!
//! Start an emulator on `127.0.0.1:0`, point your client at [`EmulatorHandle::url`] with the
//! emulator's region and [`credentials`](EmulatorHandle::credentials), and assert on what
//! comes back — and on what the emulator received, through the [`journal`](Journal). Here the
//! request is signed with bare `aws-sigv4` and sent with hyper-util; any SigV4 client works
//! the same way.
//!
//! ```
//! use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
//! use aws_sigv4::sign::v4;
//! use bytes::Bytes;
//! use http_body_util::{BodyExt, Full};
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use strata_emulator::{AuthOutcome, Emulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::builder().start().await?;
//!
//! // The model id is percent-encoded once in the URL, as the SDKs do.
//! let url = format!("{}/model/us.amazon.nova-lite-v1%3A0/converse", emulator.url());
//! let body = r#"{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}"#;
//! let mut request = http::Request::post(&url)
//!     .header("content-type", "application/json")
//!     .body(Full::new(Bytes::from(body)))?;
//!
//! let identity = emulator.credentials().clone().into();
//! let params = v4::SigningParams::builder()
//!     .identity(&identity)
//!     .region(emulator.region())
//!     .name("bedrock")
//!     .time(std::time::SystemTime::now())
//!     .settings(SigningSettings::default())
//!     .build()?
//!     .into();
//! let headers = [("content-type", "application/json")];
//! let signable = SignableRequest::new("POST", &url, headers.into_iter(), SignableBody::Bytes(body.as_bytes()))?;
//! let (instructions, _) = sign(signable, &params)?.into_parts();
//! instructions.apply_to_request_http1x(&mut request);
//!
//! let client = Client::builder(TokioExecutor::new()).build_http();
//! let response = client.request(request).await?;
//! assert_eq!(response.status(), 200);
//! let answer: serde_json::Value = serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
//! assert_eq!(answer["output"]["message"]["content"][0]["text"], "You said: Hello");
//!
//! let received = emulator.journal().last().unwrap();
//! assert_eq!(received.auth, AuthOutcome::SigV4 { access_key_id: "AKIDEXAMPLE".into() });
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! With the AWS SDK for Rust, or boto3 against the [binary](#the-binary):
//!
//! ```text
//! let config = aws_sdk_bedrockruntime::Config::builder()
//!     .behavior_version(BehaviorVersion::latest())
//!     .endpoint_url(emulator.url())
//!     .region(Region::new(emulator.region().to_owned()))
//!     .credentials_provider(emulator.credentials().clone())
//!     .build();
//!
//! boto3.client("bedrock-runtime", endpoint_url=url, region_name="us-east-1",
//!              aws_access_key_id="AKIDEXAMPLE",
//!              aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//! ```
//!
//! # What it serves
//!
//! | operation | route |
//! |---|---|
//! | Converse | `POST /model/{modelId}/converse` |
//! | ConverseStream | `POST /model/{modelId}/converse-stream` |
//! | InvokeModel | `POST /model/{modelId}/invoke` |
//! | InvokeModelWithResponseStream | `POST /model/{modelId}/invoke-with-response-stream` |
//! | CountTokens | `POST /model/{modelId}/count-tokens` |
//! | Rerank (agent runtime) | `POST /rerank` |
//! | OpenAI Chat Completions | `POST /openai/v1/chat/completions` |
//! | OpenAI Responses | `POST /openai/v1/responses` |
//! | OpenAI embeddings | `POST /openai/v1/embeddings` |
//! | OpenAI model list / model | `GET /openai/v1/models`, `GET /openai/v1/models/{id}` |
//!
//! Model ids are URL-decoded; foundation ids, inference-profile ids (`us.`, `eu.`, `apac.`,
//! `global.`, …) and ARNs resolve through [`models::catalog`]. Converse, ConverseStream,
//! CountTokens and Rerank bodies are checked against the service model's input shapes first
//! (unknown fields, wrong types, out-of-range numbers, unknown enum values, missing required
//! members → 400 `ValidationException` in Bedrock's wording); InvokeModel bodies are checked
//! by the model family's own rules. Streams are `application/vnd.amazon.eventstream` bodies,
//! one frame per HTTP chunk, each frame with `:event-type`, `:content-type:
//! application/json` and `:message-type: event`; InvokeModelWithResponseStream frames are
//! `chunk` events whose payload is `{"bytes": "<base64 of the model's chunk>"}`.
//!
//! The `/openai/v1/` routes take OpenAI request bodies, translate them into the same chat
//! model input Converse uses (so replies, tool calls, reasoning, JSON-schema output and token
//! counts agree), and answer OpenAI JSON, or server-sent events with `"stream": true` (one
//! event per HTTP chunk): see [`openai`] for the mapping.
//!
//! Every response carries a UUID-shaped `x-amzn-RequestId` (OpenAI routes also `x-request-id`,
//! with the same value). Bedrock errors carry the status, `x-amzn-ErrorType` and a JSON body
//! `{"message": …}`; OpenAI routes answer `{"error": {"message", "type", "param", "code"}}`.
//!
//! # Authentication
//!
//! SigV4 is verified by recomputing the signature with `aws-sigv4` over exactly the headers
//! listed in `SignedHeaders`, the path as received (the canonical request encodes it once
//! more, as for every non-S3 service), the query and the body hash. Requests must be scoped
//! to the emulator's access key, region and signing name, and dated within five minutes of
//! the server clock (which [`Faults::set_clock_skew`] can move). The signing name is `bedrock`
//! on the Bedrock routes; on the `/openai/v1/` routes it is `bedrock-mantle` (the mantle
//! endpoint) or `bedrock` (bedrock-runtime serves `/openai/v1/chat/completions` under that
//! name; the emulator accepts either on every OpenAI route). When the configured credentials
//! carry a session token, requests must send it in `x-amz-security-token`. A bearer token
//! (`Authorization: Bearer …`, a Bedrock API key or an OpenAI-style key) is accepted only when
//! configured, on every route.
//!
//! | problem | status | `x-amzn-ErrorType` | message |
//! |---|---|---|---|
//! | no `Authorization` header | 403 | `AccessDeniedException` | `{"Message": "Authorization header is missing"}` |
//! | unknown access key or wrong session token | 403 | `UnrecognizedClientException` | `The security token included in the request is invalid.` |
//! | wrong secret, tampered request | 403 | `InvalidSignatureException` | `The request signature we calculated does not match the signature you provided. …` |
//! | dated more than 5 minutes ago | 403 | `InvalidSignatureException` | `Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)` |
//! | dated more than 5 minutes ahead | 403 | `InvalidSignatureException` | `Signature not yet current: … is still later than … (… + 5 min.)` |
//! | wrong region or service in the scope | 403 | `InvalidSignatureException` | `Credential should be scoped to …` |
//! | malformed `Authorization` | 403 | `IncompleteSignatureException` | what is missing |
//! | wrong bearer token | 403 | `AccessDeniedException` | `{"Message": "Authentication failed: Please make sure your API Key is valid."}` |
//!
//! On the OpenAI routes each of these is a 401 with `type` `invalid_request_error` (as OpenAI answers a bad key), the same
//! message, and `code` `missing_authorization`, `unrecognized_client`, `invalid_signature`,
//! `incomplete_signature` or `invalid_api_key`.
//!
//! # Deterministic models
//!
//! Every answer depends only on the request; the rules are documented in [`models`]:
//! chat replies derived from the last user message ([`models::chat`]: max tokens, stop
//! sequences, system prompts, tool calls that satisfy the tool's schema, reasoning with a
//! signature, citations, prompt-cache usage), the token rule ([`models::tokens`]), native
//! InvokeModel bodies ([`models::invoke`]), embeddings ([`models::embeddings`]), real PNG
//! images ([`models::images`]) and word-overlap reranking ([`models::rerank`]). The same
//! functions can be called directly, without a server.
//!
//! # Faults and the journal
//!
//! [`EmulatorHandle::faults`] queues [`Fault`]s — throttles, 5xx with or without
//! `Retry-After`, redirects, a delay before headers, a stall, an exception event, a corrupted
//! CRC or a truncation mid-stream — and skews the server clock. They apply to the OpenAI
//! routes too: a throttle is a 429 `rate_limit_exceeded`, a 5xx an OpenAI `server_error`; on an
//! SSE stream (`"stream": true`) a stall pauses between events, an exception is an error event
//! (`data: {"error": {…}}` for Chat Completions, `event: error` for Responses) and a
//! truncation cuts an event in half and ends the body without `[DONE]`. CRC corruption is
//! event-stream only: SSE requests leave it queued. [`EmulatorHandle::journal`] records every
//! API request (method, path, auth outcome, signed headers, `x-amz-date`, SigV4 signature and
//! signing name, body, status), so a test can show that a retried request was re-signed. Both are also reachable over HTTP on the same port, without authentication:
//! `POST /_emulator/faults` (JSON, see [`faults`]), `GET /_emulator/faults`,
//! `GET /_emulator/journal`, `POST /_emulator/reset`.
//!
//! # The binary
//!
//! ```text
//! cargo run -p strata-emulator -- [--bind 127.0.0.1:PORT] [--region us-east-1]
//!     [--access-key-id ID --secret-access-key SECRET [--session-token T]] [--bearer-token TOKEN]
//! ```
//!
//! The first line on stdout is exactly `strata-emulator listening on http://127.0.0.1:PORT`
//! (port 0 picks a free port); the default credentials are [`DEFAULT_ACCESS_KEY_ID`] /
//! [`DEFAULT_SECRET_ACCESS_KEY`]. It stops cleanly on Ctrl-C or SIGTERM.
//! `crates/strata-emulator/tests/boto3/run.sh` drives it with boto3.
#![doc(test(attr(deny(warnings))))]

mod api_error;
mod auth;
mod body;
mod control;
mod emulator;
mod error;
mod eventstream;
pub mod faults;
pub mod journal;
pub mod models;
pub mod openai;
mod routes;
mod server;
mod shapes;

pub use emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, Emulator, EmulatorBuilder,
    EmulatorHandle,
};
pub use error::Error;
pub use faults::{Fault, Faults};
pub use journal::{AuthOutcome, Journal, JournalEntry};
