//! The tower stack every Bedrock request goes through. This module only assembles it.
//!
//! Outermost first (DESIGN.md, "The request path"):
//!
//! 1. your layers, added with [`BedrockBuilder::layer`](crate::BedrockBuilder::layer) (the last
//!    one added is the outermost);
//! 2. [`TraceLayer`] and [`UserAgentLayer`];
//! 3. [`ReplayBodyLayer`] (strict: bodies are already in memory);
//! 4. [`RetryLayer`] with the [`AwsClassifier`];
//! 5. [`CredentialsLayer`] then [`SigV4Layer`] (signing name `bedrock`), or [`BearerAuthLayer`]
//!    for API keys and bearer token providers;
//! 6. [`RefuseRedirectsLayer`];
//! 7. [`IdleTimeoutLayer`] (between response body chunks) and [`TimeoutLayer`] (per attempt,
//!    until headers);
//! 8. the HTTP client: strata-http's hyper-util [`Client`], or yours from
//!    [`BedrockBuilder::http_client`](crate::BedrockBuilder::http_client).
//!
//! Both ends are the same boxed type, [`HttpService`], so layers and clients plug in anywhere.
//!
//! ```
//! use std::time::Duration;
//!
//! use http::{Request, Response};
//! use strata_bedrock::Bedrock;
//! use strata_http::body::ReplayableBody;
//! use tower::limit::ConcurrencyLimitLayer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A fake HTTP client standing in for Bedrock: checks the signature's presence, answers text.
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert!(request.headers()["authorization"].to_str()?.starts_with("AWS4-HMAC-SHA256 "));
//!     let body = r#"{"output":{"message":{"role":"assistant","content":[{"text":"Hi!"}]}},
//!         "stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},
//!         "metrics":{"latencyMs":1}}"#;
//!     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(Response::new(http_body_util::Full::new(bytes::Bytes::from(body))))
//! });
//! let bedrock = Bedrock::builder()
//!     .region("us-east-1")
//!     .access_key_id("AKIDEXAMPLE")
//!     .secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .http_client(client)
//!     .layer(ConcurrencyLimitLayer::new(8))
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! let model = bedrock.language_model("amazon.nova-lite-v1:0");
//! # use strata_core::LanguageModel as _;
//! let result = model.generate(strata_core::CallOptions::new(vec![strata_core::Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "Hi!");
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use strata_aws::credentials::{CredentialsCache, CredentialsLayer};
use strata_aws::error::AwsClassifier;
use strata_aws::region::Region;
use strata_aws::sign::SigV4Layer;
use strata_http::bearer::{BearerAuthLayer, TokenProvider};
use strata_http::body::ReplayBodyLayer;
use strata_http::client::Client;
use strata_http::redirect::RefuseRedirectsLayer;
use strata_http::retry::{RetryConfig, RetryLayer};
use strata_http::timeout::{IdleTimeoutLayer, TimeoutLayer};
use strata_http::trace::TraceLayer;
use strata_http::user_agent::UserAgentLayer;
use tower::ServiceBuilder;

pub(crate) use strata_http::service::boxed;
pub use strata_http::service::{HttpService, ResponseBody};

/// A user layer, applied at build time.
pub(crate) type StackLayer = Box<dyn FnOnce(HttpService) -> HttpService + Send + Sync>;

/// The identity half of the stack.
#[derive(Clone)]
pub(crate) enum AuthLayers {
    SigV4 {
        credentials: CredentialsCache,
        region: Region,
    },
    Bearer(std::sync::Arc<dyn TokenProvider>),
}

/// What [`assemble`] needs.
pub(crate) struct StackSettings {
    pub(crate) auth: AuthLayers,
    pub(crate) retry: RetryConfig,
    pub(crate) timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: UserAgentLayer,
    pub(crate) client: Option<HttpService>,
    pub(crate) layers: Vec<StackLayer>,
}

/// Why the stack could not be assembled.
#[derive(Debug)]
pub(crate) enum AssembleError {
    Client(strata_http::Error),
    Signer(strata_aws::sign::ConfigError),
}

/// Builds the default stack around the client, then applies the user's layers.
pub(crate) fn assemble(settings: StackSettings) -> Result<HttpService, AssembleError> {
    let client = match settings.client {
        Some(client) => client,
        None => boxed(
            Client::builder()
                .connect_timeout(settings.connect_timeout)
                .build()
                .map_err(AssembleError::Client)?,
        ),
    };
    let transport = ServiceBuilder::new()
        .layer(RefuseRedirectsLayer::new())
        .layer(IdleTimeoutLayer::new(settings.idle_timeout))
        .layer(TimeoutLayer::new(settings.timeout))
        .service(client);
    let authenticated = match settings.auth {
        AuthLayers::SigV4 {
            credentials,
            region,
        } => {
            let signer = SigV4Layer::builder()
                .signing_name("bedrock")
                .region(region.as_str())
                .build()
                .map_err(AssembleError::Signer)?;
            boxed(
                ServiceBuilder::new()
                    .layer(CredentialsLayer::new(credentials))
                    .layer(signer)
                    .service(transport),
            )
        }
        AuthLayers::Bearer(provider) => boxed(
            ServiceBuilder::new()
                .layer(BearerAuthLayer::new(provider))
                .service(transport),
        ),
    };
    let mut stack = boxed(
        ServiceBuilder::new()
            .layer(TraceLayer::new())
            .layer(settings.user_agent)
            .layer(ReplayBodyLayer::strict())
            .layer(RetryLayer::new(settings.retry).with_classifier(AwsClassifier::new()))
            .service(authenticated),
    );
    for layer in settings.layers {
        stack = layer(stack);
    }
    Ok(stack)
}
