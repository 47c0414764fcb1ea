//! CountTokens (`POST /model/{modelId}/count-tokens`): how many input tokens a request would
//! use, without running it.
//!
//! The input is either Converse-shaped — a [`CallOptions`] converted by the same
//! [`build_request`] as Converse, keeping `messages`, `system`, `toolConfig` and
//! `additionalModelRequestFields` — or InvokeModel-shaped: a model-native body, sent base64.
//!
//! ```
//! use serde_json::json;
//! use strata_bedrock::count_tokens::{CountTokensInput, build_request, parse_response};
//! use strata_core::{CallOptions, Message};
//!
//! let input = CountTokensInput::converse(CallOptions::new(vec![
//!     Message::system("Be brief."),
//!     Message::user_text("Hello there"),
//! ]));
//! let body = build_request("anthropic.claude-3-5-haiku-20241022-v1:0", &input)?;
//! assert_eq!(body, json!({"input": {"converse": {
//!     "system": [{"text": "Be brief."}],
//!     "messages": [{"role": "user", "content": [{"text": "Hello there"}]}]
//! }}}));
//!
//! let raw = CountTokensInput::invoke_model(&b"{}"[..]);
//! assert_eq!(build_request("m", &raw)?, json!({"input": {"invokeModel": {"body": "e30="}}}));
//!
//! assert_eq!(parse_response(&http::HeaderMap::new(), br#"{"inputTokens": 7}"#)?, 7);
//! # Ok::<(), strata_core::Error>(())
//! ```

use base64::Engine as _;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Map, Value, json};
use strata_core::{CallOptions, Error};

use crate::client::{BedrockClient, Target};
use crate::request::build_request as build_converse;

/// What to count tokens for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CountTokensInput {
    /// A Converse call (its prompt, tools and additional model request fields).
    Converse(Box<CallOptions>),
    /// An InvokeModel body in the model's native format.
    InvokeModel(Bytes),
}

impl CountTokensInput {
    /// Converse-shaped input.
    pub fn converse(options: CallOptions) -> Self {
        Self::Converse(Box::new(options))
    }

    /// InvokeModel-shaped input.
    pub fn invoke_model(body: impl Into<Bytes>) -> Self {
        Self::InvokeModel(body.into())
    }
}

/// The members of a Converse body that CountTokens takes (`ConverseTokensRequest`).
const CONVERSE_MEMBERS: &[&str] = &[
    "messages",
    "system",
    "toolConfig",
    "additionalModelRequestFields",
];

/// Builds the CountTokens body.
///
/// # Errors
/// Converse input: the errors of [`build_request`](crate::request::build_request) (prompt
/// conversion, tools, options) and an invalid-prompt error for an empty prompt. InvokeModel
/// input: an invalid-argument error for an empty body.
pub fn build_request(model_id: &str, input: &CountTokensInput) -> Result<Value, Error> {
    match input {
        CountTokensInput::Converse(options) => {
            let prepared = build_converse(model_id, options, false)?;
            let value = serde_json::to_value(&prepared.body).map_err(|e| {
                Error::invalid_argument("options", format!("cannot serialize the request: {e}"))
            })?;
            let mut converse = Map::new();
            if let Value::Object(mut body) = value {
                for member in CONVERSE_MEMBERS {
                    if let Some(v) = body.remove(*member) {
                        converse.insert((*member).to_owned(), v);
                    }
                }
            }
            let empty = |key: &str| {
                converse
                    .get(key)
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty)
            };
            if empty("messages") && empty("system") {
                return Err(Error::invalid_prompt(
                    "the prompt to count tokens for is empty",
                ));
            }
            Ok(json!({"input": {"converse": converse}}))
        }
        CountTokensInput::InvokeModel(body) => {
            if body.is_empty() {
                return Err(Error::invalid_argument(
                    "body",
                    "an InvokeModel body to count must not be empty",
                ));
            }
            let encoded = base64::engine::general_purpose::STANDARD.encode(body);
            Ok(json!({"input": {"invokeModel": {"body": encoded}}}))
        }
    }
}

/// Reads a CountTokens answer, `{"inputTokens": n}`.
///
/// # Errors
/// An invalid-response error (with an excerpt and the request id) for any other body.
pub fn parse_response(headers: &HeaderMap, body: &[u8]) -> Result<u64, Error> {
    let tokens = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("inputTokens").and_then(Value::as_u64));
    tokens.ok_or_else(|| {
        let error = Error::invalid_response("the CountTokens answer has no `inputTokens` count")
            .with_excerpt(body);
        match headers
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
        {
            Some(id) => error.with_request_id(id),
            None => error,
        }
    })
}

/// Counts the input tokens of `input` for `model_id` through the client's stack.
///
/// ```
/// use strata_bedrock::Bedrock;
/// use strata_bedrock::count_tokens::{CountTokensInput, count_tokens};
/// use strata_core::{CallOptions, Message};
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
/// let input = CountTokensInput::converse(CallOptions::new(vec![Message::user_text("Hello there")]));
/// let tokens = count_tokens(bedrock.client(), "anthropic.claude-3-5-haiku-20241022-v1:0", &input).await?;
/// assert_eq!(tokens, 2);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// As [`build_request`] and [`parse_response`], plus the client's errors.
pub async fn count_tokens(
    client: &BedrockClient,
    model_id: &str,
    input: &CountTokensInput,
) -> Result<u64, Error> {
    let body = build_request(model_id, input)?;
    let path = BedrockClient::model_path(model_id, "count-tokens");
    let headers = match input {
        CountTokensInput::Converse(options) => options.headers.clone(),
        CountTokensInput::InvokeModel(_) => HeaderMap::new(),
    };
    let response = client
        .post_json(Target::Runtime, &path, body.to_string(), headers)
        .await?;
    parse_response(response.headers(), response.body())
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use strata_core::Message;
    use strata_core::tool::FunctionTool;

    use super::*;

    #[test]
    fn converse_input_keeps_the_counted_members_only() {
        let options = CallOptions::new(vec![Message::user_text("Hi")])
            .with_max_output_tokens(10)
            .with_tool(FunctionTool::new("f", json!({"type": "object"})));
        let body = build_request(
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            &options_input(options),
        )
        .unwrap();
        let converse = body["input"]["converse"].as_object().unwrap();
        let keys: Vec<&str> = converse.keys().map(String::as_str).collect();
        assert_eq!(keys, ["messages", "toolConfig"]);
        assert_eq!(converse["toolConfig"]["tools"][0]["toolSpec"]["name"], "f");
    }

    fn options_input(options: CallOptions) -> CountTokensInput {
        CountTokensInput::converse(options)
    }

    #[test]
    fn errors() {
        let err = build_request("m", &CountTokensInput::InvokeModel(Bytes::new())).unwrap_err();
        assert_eq!(err.argument(), Some("body"));
        let err =
            build_request("m", &CountTokensInput::converse(CallOptions::new(vec![]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid prompt: the prompt to count tokens for is empty"
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-requestid", "r-8".parse().unwrap());
        let err = parse_response(&headers, br#"{"tokens": 3}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "could not decode the response: the CountTokens answer has no `inputTokens` count (request id r-8)"
        );
        assert_eq!(err.excerpt(), Some(r#"{"tokens": 3}"#));
    }
}
