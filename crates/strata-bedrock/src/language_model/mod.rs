//! [`BedrockLanguageModel`]: [`LanguageModel`] over Converse and ConverseStream.
//!
//! `generate` POSTs the body [`build_request`] makes to `/model/{id}/converse` and converts the
//! checked response with [`convert_response`]; `stream` POSTs to `/model/{id}/converse-stream`
//! and decodes the event stream with strata-aws into the pure
//! [state machine](crate::stream::ConverseStreamState). Both add the response headers and
//! `x-amzn-RequestId` to the response metadata and the sent body as `request_body`. A failure
//! after the stream started is an error part; the stack's idle timeout bounds silences between
//! chunks; dropping the stream closes the connection.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use strata_bedrock::Bedrock;
//! use strata_core::{CallOptions, LanguageModel, Message, StreamPart};
//! use strata_emulator::Emulator;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::builder().start().await?;
//! let bedrock = Bedrock::builder()
//!     .env([("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")])
//!     .region(emulator.region())
//!     .endpoint_url(emulator.url())
//!     .build()?;
//! let model = bedrock.language_model("us.amazon.nova-lite-v1:0");
//! let options = CallOptions::new(vec![Message::user_text("Hello")]);
//!
//! let result = model.generate(options.clone()).await?;
//! assert_eq!(result.text(), "You said: Hello");
//! assert!(result.response.request_id.is_some());
//!
//! let mut stream = model.stream(options).await?.stream;
//! let mut text = String::new();
//! while let Some(part) = stream.next().await {
//!     if let StreamPart::TextDelta { delta, .. } = part {
//!         text.push_str(&delta);
//!     }
//! }
//! assert_eq!(text, "You said: Hello");
//! # Ok(())
//! # }
//! ```

mod stream;

use std::fmt;

use strata_aws::event_stream::EventStream;
use strata_core::result::RequestBody;
use strata_core::stream_machine::MachineStream;
use strata_core::{BoxFuture, CallOptions, Error, GenerateResult, LanguageModel, StreamResult};
use strata_http::runtime::response_metadata;

use crate::client::{BedrockClient, Target};
use crate::options::PROVIDER;
use crate::request::build_request;
use crate::response::convert_response;
use crate::stream::ConverseStreamState;

/// A Bedrock model behind Converse / ConverseStream. Made by
/// [`Bedrock::language_model`](crate::Bedrock::language_model); cheap to clone.
#[derive(Clone)]
pub struct BedrockLanguageModel {
    client: BedrockClient,
    model_id: String,
    converse_path: String,
    stream_path: String,
}

impl fmt::Debug for BedrockLanguageModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BedrockLanguageModel")
            .field("model_id", &self.model_id)
            .field("client", &self.client)
            .finish()
    }
}

impl BedrockLanguageModel {
    /// A model with this id (foundation model id, inference-profile id or ARN) on `client`.
    pub fn new(client: BedrockClient, model_id: impl Into<String>) -> Self {
        let model_id = model_id.into();
        Self {
            converse_path: BedrockClient::model_path(&model_id, "converse"),
            stream_path: BedrockClient::model_path(&model_id, "converse-stream"),
            client,
            model_id,
        }
    }

    /// The transport this model sends through.
    pub fn client(&self) -> &BedrockClient {
        &self.client
    }

    async fn generate_inner(&self, options: CallOptions) -> Result<GenerateResult, Error> {
        let prepared = build_request(&self.model_id, &options, false)?;
        let sent = RequestBody::json_of(&prepared.body)?;
        let body = sent.as_bytes().clone();
        let response = self
            .client
            .post_json(Target::Runtime, &self.converse_path, body, options.headers)
            .await?;
        let (parts, body) = response.into_parts();
        let metadata = response_metadata(parts.headers, &parts.extensions);
        let mut result = convert_response(&body, &prepared.context).map_err(|e| {
            let e = e.with_status(parts.status);
            match &metadata.request_id {
                Some(id) => e.with_request_id(id.clone()),
                None => e,
            }
        })?;
        result.response.merge(metadata);
        result.request_body = Some(sent);
        Ok(result)
    }

    async fn stream_inner(&self, options: CallOptions) -> Result<StreamResult, Error> {
        let prepared = build_request(&self.model_id, &options, true)?;
        let sent = RequestBody::json_of(&prepared.body)?;
        let body = sent.as_bytes().clone();
        let response = self
            .client
            .post_stream(Target::Runtime, &self.stream_path, body, options.headers)
            .await?;
        let (parts, body) = response.into_parts();
        let metadata = response_metadata(parts.headers, &parts.extensions);
        let state = ConverseStreamState::new(prepared.context);
        let parts = MachineStream::new(EventStream::new(body), stream::Converse(state))
            .with_request_id(metadata.request_id.clone());
        Ok(StreamResult::new(parts)
            .with_response(metadata)
            .with_request_body(sent))
    }
}

impl LanguageModel for BedrockLanguageModel {
    fn provider(&self) -> &str {
        PROVIDER
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
        Box::pin(self.generate_inner(options))
    }

    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
        Box::pin(self.stream_inner(options))
    }
}
