//! Sending raw InvokeModel / InvokeModelWithResponseStream requests through a
//! [`BedrockClient`].

use std::pin::Pin;

use bytes::Bytes;
use futures_core::Stream;
use strata_core::{Error, ResponseMetadata};
use strata_http::runtime::response_metadata;

use super::stream::InvokeStream;
use super::{InvokeRequest, InvokeResponse, STREAM_CONTENT_TYPE};
use crate::client::{BedrockClient, Target};

/// The chunks of a response stream: each `chunk` payload, then at most one error.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// An InvokeModelWithResponseStream answer: the payload type, the response metadata and the
/// chunks.
#[non_exhaustive]
pub struct InvokeStreamResponse {
    /// The chunks' media type (`X-Amzn-Bedrock-Content-Type`).
    pub content_type: Option<String>,
    /// The response headers and request id.
    pub response: ResponseMetadata,
    /// The chunks, decoded from their base64 `bytes`.
    pub stream: ChunkStream,
}

impl std::fmt::Debug for InvokeStreamResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvokeStreamResponse")
            .field("content_type", &self.content_type)
            .field("response", &self.response)
            .finish_non_exhaustive()
    }
}

/// Sends an InvokeModel request through the client's stack and reads the whole answer
/// (at most the runtime's response size limit).
///
/// ```
/// use serde_json::json;
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::invoke::{InvokeRequest, invoke_model};
/// use strata_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::builder().start().await?;
/// let bedrock = Bedrock::builder()
///     .env([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
///     .region(emulator.region())
///     .endpoint_url(emulator.url())
///     .build()?;
/// let request = InvokeRequest::json("amazon.titan-embed-text-v2:0", &json!({"inputText": "hi", "dimensions": 256}));
/// let response = invoke_model(bedrock.client(), &request).await?;
/// assert_eq!(response.content_type.as_deref(), Some("application/json"));
/// assert_eq!(response.json()?["embedding"].as_array().map(Vec::len), Some(256));
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// Invalid-argument errors from [`InvokeRequest::http_headers`]; the client's errors (API
/// errors with the AWS code, timeouts, transport, credentials); an invalid-response error for
/// a body over the limit.
pub async fn invoke_model(
    client: &BedrockClient,
    request: &InvokeRequest,
) -> Result<InvokeResponse, Error> {
    let headers = request.http_headers(false)?;
    let http = client.json_request(
        Target::Runtime,
        &request.path(false),
        request.body.clone(),
        headers,
    )?;
    let response = client.send_checked(http).await?;
    let (parts, body) = client.runtime().read_all(response).await?.into_parts();
    Ok(InvokeResponse::from_parts(parts.headers, body))
}

/// Sends an InvokeModelWithResponseStream request and returns the chunks as they arrive.
///
/// Once the response headers arrived, failures are stream items: service exceptions as API
/// errors (see [`exception_error`](crate::stream_error::exception_error)), idle timeouts as timeout
/// errors, cut or corrupt frames as stream-ended or invalid-response errors. Dropping the
/// stream closes the connection.
///
/// ```
/// use futures_util::StreamExt as _;
/// use serde_json::json;
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::invoke::{InvokeRequest, invoke_model_with_response_stream};
/// use strata_emulator::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::builder().start().await?;
/// let bedrock = Bedrock::builder()
///     .env([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
///     .region(emulator.region())
///     .endpoint_url(emulator.url())
///     .build()?;
/// let body = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
///                   "messages": [{"role": "user", "content": "Hi"}]});
/// let request = InvokeRequest::json("anthropic.claude-3-haiku-20240307-v1:0", &body);
/// let mut answer = invoke_model_with_response_stream(bedrock.client(), &request).await?;
/// let mut last = None;
/// while let Some(chunk) = answer.stream.next().await {
///     last = Some(serde_json::from_slice::<serde_json::Value>(&chunk?)?);
/// }
/// assert_eq!(last.unwrap()["type"], "message_stop");
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// As [`invoke_model`], for failures before the response headers.
pub async fn invoke_model_with_response_stream(
    client: &BedrockClient,
    request: &InvokeRequest,
) -> Result<InvokeStreamResponse, Error> {
    let headers = request.http_headers(true)?;
    let response = client
        .post_stream(
            Target::Runtime,
            &request.path(true),
            request.body.clone(),
            headers,
        )
        .await?;
    let (parts, body) = response.into_parts();
    let content_type = parts
        .headers
        .get(STREAM_CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let metadata = response_metadata(parts.headers, &parts.extensions);
    let stream = InvokeStream::new(body).with_request_id(metadata.request_id.clone());
    Ok(InvokeStreamResponse {
        content_type,
        response: metadata,
        stream: Box::pin(stream),
    })
}
