//! Configuring the Bedrock provider: [`BedrockBuilder`], resolved and validated once, at
//! [`build`](BedrockBuilder::build).
//!
//! - **Authentication** — one of: static keys ([`access_key_id`](BedrockBuilder::access_key_id)
//!   and [`secret_access_key`](BedrockBuilder::secret_access_key), with an optional
//!   [`session_token`](BedrockBuilder::session_token)); a
//!   [`credentials_provider`](BedrockBuilder::credentials_provider); a named
//!   [`profile`](BedrockBuilder::profile); a Bedrock [`api_key`](BedrockBuilder::api_key); or a
//!   [`token_provider`](BedrockBuilder::token_provider) asked before every attempt. With none
//!   set: `AWS_BEARER_TOKEN_BEDROCK`, else the default AWS chain (see [`strata_aws::auth`]:
//!   environment keys, then the selected profile's keys or `credential_process`; with the
//!   `aws-config` feature, then `aws-config`'s chain). Two explicit modes are a build error, as
//!   are half-given keys; explicit keys never pick up `AWS_SESSION_TOKEN` or other variables.
//! - **Region and endpoints** — through strata-aws: explicit, else `AWS_REGION`,
//!   `AWS_DEFAULT_REGION`, the profile's `region`. The runtime endpoint (Converse,
//!   InvokeModel) and the agent-runtime endpoint (Rerank) are resolved separately. An explicit
//!   [`endpoint_url`](BedrockBuilder::endpoint_url) serves both (an emulator or a proxy serves
//!   both on one base URL) unless
//!   [`agent_runtime_endpoint_url`](BedrockBuilder::agent_runtime_endpoint_url) is given too.
//!   Without explicit URLs, the environment keeps its per-service meaning:
//!   `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` names only the runtime endpoint,
//!   `AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME` only the agent-runtime one, `AWS_ENDPOINT_URL`
//!   both; then the standard AWS hosts.
//! - **The stack** — the settings every provider shares, under the same names (see
//!   [`strata_http::runtime`]): retries, budget and classifier, per-attempt, idle and connect
//!   timeouts, the response size limit, default headers, a user-agent suffix, your layers at
//!   each insertion point, your HTTP client.
//! - **Safety** — a bearer token or session token is never sent over plain `http://`, except to
//!   a loopback address, unless [`allow_insecure_endpoint`](BedrockBuilder::allow_insecure_endpoint)
//!   says so.
//!
//! The environment is read once, at `build`, from the process or from
//! [`env`](BedrockBuilder::env) (tests pass an explicit map).
//!
//! ```
//! use std::time::Duration;
//!
//! use strata_bedrock::Bedrock;
//! use strata_http::retry::RetryConfig;
//!
//! let bedrock = Bedrock::builder()
//!     .env([("AWS_REGION", "eu-west-1"), ("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-example")])
//!     .retry(RetryConfig::default().with_max_attempts(5))
//!     .timeout(Duration::from_secs(120))
//!     .build()?;
//! assert_eq!(bedrock.client().region(), "eu-west-1");
//! assert_eq!(bedrock.client().runtime_url(), "https://bedrock-runtime.eu-west-1.amazonaws.com");
//! assert_eq!(bedrock.client().agent_runtime_url(), "https://bedrock-agent-runtime.eu-west-1.amazonaws.com");
//! # Ok::<(), strata_bedrock::BuildError>(())
//! ```

#[cfg(test)]
mod tests;

use strata_aws::auth::{AwsAuth, AwsSettings};
use strata_aws::endpoint::EndpointOptions;
use strata_http::runtime::{BuildError, RuntimeBuilder};

use crate::client::{BedrockClient, BedrockEndpoints, protocol};

/// The signing name of Bedrock Runtime and Agent Runtime.
const SIGNING_NAME: &str = "bedrock";

/// Builds a [`Bedrock`](crate::Bedrock) provider; see the [module docs](self).
///
/// `Debug` never shows keys or tokens.
#[derive(Debug, Default)]
pub struct BedrockBuilder {
    runtime: RuntimeBuilder,
    aws: AwsSettings,
    runtime_endpoint: EndpointOptions,
    agent_runtime_endpoint: Option<String>,
}

/// What `build` resolved before the stack is assembled.
pub(crate) struct Resolved {
    pub(crate) auth: AwsAuth,
    pub(crate) endpoints: BedrockEndpoints,
    pub(crate) runtime: RuntimeBuilder,
}

impl BedrockBuilder {
    strata_http::runtime_settings!(runtime);
    strata_aws::aws_settings!(aws);

    /// The Bedrock Runtime endpoint (Converse, InvokeModel), e.g. an emulator's or a proxy's
    /// URL. It also serves as the Agent Runtime endpoint (Rerank) unless
    /// [`agent_runtime_endpoint_url`](Self::agent_runtime_endpoint_url) is set; explicit URLs
    /// win over `AWS_ENDPOINT_URL*` variables.
    #[must_use]
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.runtime_endpoint.url = Some(url.into());
        self
    }

    /// The Bedrock Agent Runtime endpoint (Rerank), when it differs from
    /// [`endpoint_url`](Self::endpoint_url).
    #[must_use]
    pub fn agent_runtime_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.agent_runtime_endpoint = Some(url.into());
        self
    }

    /// Uses FIPS endpoints (else `AWS_USE_FIPS_ENDPOINT`).
    #[must_use]
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.runtime_endpoint.use_fips = Some(enabled);
        self
    }

    /// Uses dual-stack endpoints (else `AWS_USE_DUALSTACK_ENDPOINT`).
    #[must_use]
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.runtime_endpoint.use_dual_stack = Some(enabled);
        self
    }

    /// Resolves and validates everything, then builds the provider.
    ///
    /// # Errors
    /// Ambiguous or half-specified credentials, no credentials, no region, an invalid
    /// endpoint, a secret over plain HTTP, an invalid header or setting; see [`BuildError`].
    pub fn build(self) -> Result<crate::Bedrock, BuildError> {
        let Resolved {
            auth,
            endpoints,
            runtime,
        } = self.resolve()?;
        let runtime = runtime.build(
            &auth.into_auth(SIGNING_NAME, Some(endpoints.region()))?,
            protocol(),
            &[endpoints.runtime_url(), endpoints.agent_runtime_url()],
        )?;
        Ok(crate::Bedrock::from_client(BedrockClient::new(
            runtime, endpoints,
        )))
    }

    pub(crate) fn resolve(self) -> Result<Resolved, BuildError> {
        let env = self.aws.environment(self.runtime.environment());
        let region = self.aws.region(&env)?;
        let auth = self.aws.resolve(&env, Some(&region))?;
        let mut agent_options = self.runtime_endpoint.clone();
        // An explicit runtime URL also names the agent runtime unless that one is explicit too.
        agent_options.url = self.agent_runtime_endpoint.or(agent_options.url);
        let endpoints =
            BedrockEndpoints::resolve(&region, &self.runtime_endpoint, &agent_options, &env)?;
        Ok(Resolved {
            auth,
            endpoints,
            runtime: self.runtime,
        })
    }
}
