//! Shared setup for the integration tests: an in-process emulator and providers pointed at it
//! through the real stack, over loopback.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use futures_util::StreamExt as _;
use strata_bedrock::{Bedrock, BedrockBuilder};
use strata_core::{StreamPart, StreamResult};
use strata_emulator::{Emulator, EmulatorHandle};
use strata_http::retry::RetryConfig;

/// The emulator's default access key id.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The emulator's default secret access key.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// A bearer token the emulator is started with in bearer tests.
pub const BEARER_TOKEN: &str = "bedrock-api-key-test-token";
/// A model that takes on-demand calls, reasoning effort and structured output.
pub const NOVA: &str = "us.amazon.nova-lite-v1:0";
/// An Anthropic model (thinking, citations, cache points).
pub const CLAUDE: &str = "us.anthropic.claude-sonnet-4-20250514-v1:0";

/// Starts an emulator (with a bearer token configured too).
pub async fn emulator() -> EmulatorHandle {
    Emulator::builder()
        .bearer_token(BEARER_TOKEN)
        .start()
        .await
        .expect("the emulator starts")
}

/// A builder pointed at `emulator` (runtime and agent runtime), with an empty environment and
/// fast retries.
pub fn builder(emulator: &EmulatorHandle) -> BedrockBuilder {
    Bedrock::builder()
        .env([("HOME", "/nonexistent")])
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .retry(
            RetryConfig::default()
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20))
                .with_max_retry_after(Duration::from_millis(20)),
        )
}

/// A SigV4 provider with the emulator's keys.
pub fn sigv4(emulator: &EmulatorHandle) -> Bedrock {
    builder(emulator)
        .access_key_id(ACCESS_KEY_ID)
        .secret_access_key(SECRET_ACCESS_KEY)
        .build()
        .expect("the provider builds")
}

/// Reads a whole stream into its parts.
pub async fn parts(result: StreamResult) -> Vec<StreamPart> {
    result.stream.collect().await
}
