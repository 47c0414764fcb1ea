//! Bedrock's OpenAI-compatible endpoints: "mantle"
//! (`https://bedrock-mantle.{region}.api.aws/openai/v1`, SigV4 signing name
//! `bedrock-mantle`) and the bedrock-runtime Chat Completions path
//! (`https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, signing name `bedrock`).
//!
//! [`OpenAi::bedrock_mantle`] returns a [`MantleBuilder`]; it builds an ordinary [`OpenAi`]
//! provider whose stack authenticates the AWS way. Resolved once, at build time, from the
//! builder's arguments, else the environment (the process environment, or the map given with
//! [`env`](MantleBuilder::env)):
//!
//! - region: argument, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`;
//! - base URL: argument, `AWS_BEDROCK_BASE_URL`, else the endpoint's URL for the region;
//! - auth: as for Bedrock, with the same code ([`strata_aws::auth`]): the one explicit mode
//!   (API key, bearer token provider, static AWS keys, profile, credentials provider), else
//!   `AWS_BEARER_TOKEN_BEDROCK`, else the default AWS chain (with the `aws-config` feature, then
//!   `aws-config`'s chain). Two explicit modes are an
//!   [ambiguous-auth](BuildError::is_ambiguous_auth) error.
//!
//! The stack is the runtime every provider shares ([`strata_http::runtime`]), with the AWS
//! retry classifier (throttling codes, clock-skew retry) and the same setting names as
//! `Bedrock::builder()`.
//!
//! With AWS credentials every attempt (retries included) gets fresh credentials and a fresh
//! signature; a redirect is never followed. A `bedrock-mantle.{region}.api.aws` or
//! `bedrock-runtime.{region}.amazonaws.com` host in another region than the signing region is
//! a [region-mismatch](BuildError::is_region_mismatch) error.
//!
//! The `OPENAI_*` variables are not read. Models report the provider name `bedrock-mantle`
//! but, like every model of this crate, read their options from `provider_options["openai"]`
//! (see [`options`](crate::options)); a `"bedrock-mantle"` namespace is ignored.
//!
//! ```
//! use http::{Request, Response};
//! use strata_core::{CallOptions, LanguageModel as _, Message};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert_eq!(request.uri(), "https://bedrock-mantle.us-west-2.api.aws/openai/v1/chat/completions");
//!     let auth = request.headers()["authorization"].to_str()?.to_owned();
//!     assert!(auth.contains("/us-west-2/bedrock-mantle/aws4_request"), "{auth}");
//!     let body = r#"{"choices":[{"index":0,"message":{"content":"Hi!"},"finish_reason":"stop"}]}"#;
//!     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(Response::new(http_body_util::Full::new(bytes::Bytes::from(body))))
//! });
//! let mantle = OpenAi::bedrock_mantle()
//!     .env([("AWS_REGION", "us-west-2")])
//!     .access_key_id("AKIDEXAMPLE")
//!     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .http_client(client)
//!     .build()?;
//! let result = mantle.chat_model("openai.gpt-oss-120b").generate(CallOptions::new(vec![Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "Hi!");
//! # Ok(())
//! # }
//! ```

use strata_aws::auth::AwsSettings;
use strata_aws::error::AwsClassifier;
use strata_http::runtime::{BuildError, Protocol, RuntimeBuilder};
use strata_http::service::HttpService;

use crate::client::protocol;
use crate::config::OpenAiConfig;
use crate::provider::{LanguageApi, OpenAi};

pub use strata_aws::auth::BEARER_TOKEN_ENV_VAR;

/// The environment variable overriding the base URL.
pub const BASE_URL_ENV_VAR: &str = "AWS_BEDROCK_BASE_URL";

/// The provider name mantle models report.
const NAME: &str = "bedrock-mantle";

/// Which Bedrock OpenAI-compatible endpoint to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MantleEndpoint {
    /// `https://bedrock-mantle.{region}.api.aws/openai/v1` (Chat Completions, Responses,
    /// embeddings), signing name `bedrock-mantle`.
    #[default]
    Mantle,
    /// `https://bedrock-runtime.{region}.amazonaws.com/openai/v1` (Chat Completions only),
    /// signing name `bedrock`.
    Runtime,
}

impl MantleEndpoint {
    /// The SigV4 signing name.
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Mantle => "bedrock-mantle",
            Self::Runtime => "bedrock",
        }
    }

    /// The base URL in `region`.
    pub fn url(self, region: &str) -> String {
        match self {
            Self::Mantle => format!("https://bedrock-mantle.{region}.api.aws/openai/v1"),
            Self::Runtime => format!("https://bedrock-runtime.{region}.amazonaws.com/openai/v1"),
        }
    }
}

/// How mantle answers: OpenAI-shaped errors, judged for retry as AWS errors.
fn mantle_protocol() -> Protocol {
    protocol().with_classifier(AwsClassifier::new())
}

/// The region named by a Bedrock mantle or runtime host, if `host` is one.
fn host_region(host: &str) -> Option<&str> {
    [
        ("bedrock-mantle.", ".api.aws"),
        ("bedrock-runtime.", ".amazonaws.com"),
    ]
    .iter()
    .find_map(|(prefix, suffix)| {
        host.strip_prefix(prefix)?
            .strip_suffix(suffix)
            .filter(|region| !region.is_empty() && !region.contains('.'))
    })
}

impl OpenAi {
    /// A builder for Bedrock's OpenAI-compatible endpoint.
    pub fn bedrock_mantle() -> MantleBuilder {
        MantleBuilder::default()
    }

    /// A mantle provider over a stack you built: `service` must authenticate requests itself
    /// (e.g. with strata-aws's SigV4 step, signing name `bedrock-mantle`); `base_url` is where
    /// they go. Models report the provider name `bedrock-mantle`, and retries use the AWS
    /// classifier if you built the stack with it.
    ///
    /// # Errors
    /// An invalid base URL.
    pub fn bedrock_mantle_from_service(
        service: HttpService,
        base_url: &str,
    ) -> Result<OpenAi, BuildError> {
        OpenAi::over_service(service, base_url, NAME, mantle_protocol())
    }
}

/// Builds an [`OpenAi`] provider for Bedrock mantle.
#[derive(Debug)]
pub struct MantleBuilder {
    runtime: RuntimeBuilder,
    aws: AwsSettings,
    base_url: Option<String>,
    endpoint: MantleEndpoint,
    name: String,
    api: LanguageApi,
}

impl Default for MantleBuilder {
    fn default() -> Self {
        Self {
            runtime: RuntimeBuilder::default(),
            aws: AwsSettings::default(),
            base_url: None,
            endpoint: MantleEndpoint::default(),
            name: NAME.to_owned(),
            api: LanguageApi::default(),
        }
    }
}

impl MantleBuilder {
    strata_http::runtime_settings!(runtime);
    strata_aws::aws_settings!(aws);

    /// Overrides the base URL (e.g. an emulator's `…/openai/v1`).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Chooses the endpoint (mantle by default).
    #[must_use]
    pub fn endpoint(mut self, endpoint: MantleEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sets the provider name models report (default `bedrock-mantle`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets the API [`Provider::language_model`](strata_core::Provider::language_model) uses.
    #[must_use]
    pub fn language_api(mut self, api: LanguageApi) -> Self {
        self.api = api;
        self
    }

    /// Resolves region, base URL and identity, then builds the provider.
    ///
    /// # Errors
    /// As `Bedrock::builder().build()`, plus an invalid base URL and a base URL whose host is
    /// in another region than the signing region.
    pub fn build(self) -> Result<OpenAi, BuildError> {
        let env = self.aws.environment(self.runtime.environment());
        let explicit = self
            .base_url
            .or_else(|| env.get(BASE_URL_ENV_VAR).map(str::to_owned));
        let region = self.aws.region(&env);
        let identity = self.aws.resolve(&env, region.as_ref().ok())?;
        // A region is needed to sign, and to name the endpoint; a bearer token to an explicit
        // URL needs none.
        let region = if explicit.is_none() || !identity.is_bearer() {
            Some(region?)
        } else {
            region.ok()
        };
        let base_url = match (explicit, &region) {
            (Some(url), _) => url,
            (None, Some(region)) => self.endpoint.url(region.as_str()),
            (None, None) => return Err(BuildError::region()),
        };
        // The OPENAI_* variables are not mantle's: none of them is read.
        let config = OpenAiConfig::for_base_url(&base_url)?;
        if let (false, Some(region)) = (identity.is_bearer(), &region) {
            let host = base_url
                .parse::<http::Uri>()
                .ok()
                .and_then(|u| u.host().map(str::to_owned));
            if let Some(host_region) = host.as_deref().and_then(host_region)
                && host_region != region.as_str()
            {
                return Err(BuildError::region_mismatch(host_region, region.as_str()));
            }
        }
        let auth = identity.into_auth(self.endpoint.signing_name(), region.as_ref())?;
        let runtime = self
            .runtime
            .build(&auth, mantle_protocol(), &[config.base_url()])?;
        Ok(OpenAi::new(&self.name, self.api, runtime, config))
    }
}
