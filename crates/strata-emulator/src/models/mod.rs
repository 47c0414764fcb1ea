//! The emulator's deterministic models: pure functions from a request body to the response a
//! Bedrock model would give, with no I/O and no randomness.
//!
//! Every answer depends only on the request (and, for prompt caching, on a [`chat::PromptCache`]
//! the caller keeps), so tests can assert exact outputs. The rules, in brief:
//!
//! - **Model ids** ([`catalog`]): foundation ids, inference-profile ids (`us.`, `eu.`, `apac.`,
//!   `global.`, …) and ARNs resolve to a [`catalog::ModelInfo`]; unknown ids and on-demand use of
//!   profile-only models get Bedrock's validation errors.
//! - **Tokens** ([`tokens`]): a token is a run of letters/digits or one other non-space
//!   character; every count (usage, `max_tokens` cuts, CountTokens) uses that rule.
//! - **Chat** ([`chat`]): the reply is derived from the last user message (`You said: …`), tool
//!   calls satisfy the tool's JSON schema, reasoning and citations are synthesised, streams carry
//!   the same content split into several deltas.
//! - **Native InvokeModel bodies** ([`invoke`]): Anthropic Messages, Nova and Llama chat bodies,
//!   Titan/Cohere embeddings ([`embeddings`]), Nova Canvas/Titan images ([`images`], real PNGs
//!   from [`png`]) and Amazon/Cohere rerank bodies.
//! - **Rerank** ([`rerank`]): word-overlap scores.
//!
//! ```
//! use strata_emulator::models::{catalog, chat};
//! use serde_json::json;
//!
//! let model = catalog::resolve("us.amazon.nova-lite-v1:0").unwrap();
//! let request = json!({"messages": [{"role": "user", "content": [{"text": "Hello there"}]}]});
//! let response = chat::converse(&model, &request).unwrap();
//! assert_eq!(response["output"]["message"]["content"][0]["text"], "You said: Hello there");
//! assert_eq!(response["stopReason"], "end_turn");
//! ```

pub mod catalog;
pub mod chat;
pub mod embeddings;
pub(crate) mod hash;
pub mod images;
pub mod invoke;
mod native;
pub mod png;
pub mod rerank;
pub mod tokens;

use std::fmt;

/// An error a model returns, shaped like a Bedrock error response: HTTP status, error code
/// (the `x-amzn-ErrorType` value, e.g. `ValidationException`) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    status: u16,
    code: &'static str,
    message: String,
}

impl ModelError {
    /// A 400 `ValidationException` with `message`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: "ValidationException",
            message: message.into(),
        }
    }

    /// A 400 `ValidationException` in the wording Bedrock uses for native bodies that fail the
    /// model's JSON schema: `Malformed input request: <detail>, please reformat your input and
    /// try again.`
    pub fn malformed(detail: impl fmt::Display) -> Self {
        Self::validation(format!(
            "Malformed input request: {detail}, please reformat your input and try again."
        ))
    }

    /// The HTTP status code (400 for validation errors).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The AWS error code, e.g. `ValidationException`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The human-readable message, as it appears in the JSON `message` member.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether this is a `ValidationException`.
    pub fn is_validation(&self) -> bool {
        self.code == "ValidationException"
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ModelError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_accessors_and_display() {
        let err = ModelError::malformed("#: required key [inputText] not found");
        assert_eq!(err.status(), 400);
        assert_eq!(err.code(), "ValidationException");
        assert!(err.is_validation());
        assert_eq!(
            err.message(),
            "Malformed input request: #: required key [inputText] not found, please reformat your input and try again."
        );
        assert_eq!(
            ModelError::validation("x").to_string(),
            "ValidationException (400): x"
        );
    }
}

#[cfg(test)]
mod robustness;
