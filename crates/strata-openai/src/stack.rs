//! The tower stack every OpenAI request goes through. This module only assembles it.
//!
//! Outermost first:
//!
//! 1. your layers, added with [`OpenAiBuilder::layer`](crate::OpenAiBuilder::layer) (the last
//!    one added is the outermost);
//! 2. [`TraceLayer`] and [`UserAgentLayer`];
//! 3. [`ReplayBodyLayer`] (strict: bodies are already in memory);
//! 4. [`RetryLayer`] (429, 408, 500/502/503/504, connect and transport failures);
//! 5. [`BearerAuthLayer`] with the API key or your token provider, called on every attempt
//!    (left out when the server needs no key) — or, for Bedrock mantle with AWS credentials,
//!    strata-aws's credentials layer and SigV4 signer, so every attempt is signed afresh;
//! 6. [`RefuseRedirectsLayer`];
//! 7. [`IdleTimeoutLayer`] (between response body chunks) and [`TimeoutLayer`] (per attempt,
//!    until headers);
//! 8. the HTTP client: strata-http's hyper-util [`Client`], or yours from
//!    [`OpenAiBuilder::http_client`](crate::OpenAiBuilder::http_client).
//!
//! Both ends are the same boxed type, [`HttpService`], so layers and clients plug in anywhere.
//!
//! ```
//! use http::{Request, Response};
//! use strata_core::{CallOptions, LanguageModel as _, Message};
//! use strata_http::body::ReplayableBody;
//! use strata_openai::OpenAi;
//! use tower::limit::ConcurrencyLimitLayer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A fake HTTP client standing in for the server: checks the key, answers text.
//! let client = tower::service_fn(|request: Request<ReplayableBody>| async move {
//!     assert_eq!(request.headers()["authorization"], "Bearer sk-test");
//!     let body = r#"{"choices":[{"index":0,"message":{"content":"Hi!"},"finish_reason":"stop"}]}"#;
//!     Ok::<_, std::convert::Infallible>(Response::new(http_body_util::Full::new(bytes::Bytes::from(body))))
//! });
//! let openai = OpenAi::builder()
//!     .api_key("sk-test")
//!     .http_client(client)
//!     .layer(ConcurrencyLimitLayer::new(8))
//!     .build()?;
//! let result = openai.chat_model("gpt-4o").generate(CallOptions::new(vec![Message::user_text("Hello")])).await?;
//! assert_eq!(result.text(), "Hi!");
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;
use std::time::Duration;

use strata_http::bearer::{BearerAuthLayer, TokenProvider};
use strata_http::body::ReplayBodyLayer;
use strata_http::client::Client;
use strata_http::redirect::RefuseRedirectsLayer;
use strata_http::retry::{RetryConfig, RetryLayer};
use strata_http::timeout::{IdleTimeoutLayer, TimeoutLayer};
use strata_http::trace::TraceLayer;
use strata_http::user_agent::UserAgentLayer;
use tower::ServiceBuilder;

use crate::config::ConfigError;

pub(crate) use strata_http::service::boxed;
pub use strata_http::service::{HttpService, ResponseBody};

/// A user layer, applied at build time.
pub(crate) type StackLayer = Box<dyn FnOnce(HttpService) -> HttpService + Send + Sync>;

/// The identity half of the stack.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No credentials (a local server).
    None,
    /// `Authorization: Bearer …` from a token provider, asked on every attempt.
    Bearer(Arc<dyn TokenProvider>),
    /// AWS credentials, signed with SigV4 on every attempt.
    #[cfg(feature = "mantle")]
    SigV4 {
        credentials: strata_aws::credentials::CredentialsCache,
        region: String,
        signing_name: &'static str,
    },
}

/// What [`assemble`] needs.
pub(crate) struct StackSettings {
    pub(crate) auth: Auth,
    pub(crate) retry: RetryConfig,
    pub(crate) timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: UserAgentLayer,
    pub(crate) client: Option<HttpService>,
    pub(crate) layers: Vec<StackLayer>,
}

/// Builds the default stack around the client, then applies the user's layers.
pub(crate) fn assemble(settings: StackSettings) -> Result<HttpService, ConfigError> {
    let client = match settings.client {
        Some(client) => client,
        None => boxed(
            Client::builder()
                .connect_timeout(settings.connect_timeout)
                .build()
                .map_err(|e| ConfigError::setting("HTTP client", e))?,
        ),
    };
    let transport = ServiceBuilder::new()
        .layer(RefuseRedirectsLayer::new())
        .layer(IdleTimeoutLayer::new(settings.idle_timeout))
        .layer(TimeoutLayer::new(settings.timeout))
        .service(client);
    let authenticated = match settings.auth {
        Auth::Bearer(provider) => boxed(
            ServiceBuilder::new()
                .layer(BearerAuthLayer::new(provider))
                .service(transport),
        ),
        Auth::None => boxed(transport),
        #[cfg(feature = "mantle")]
        Auth::SigV4 {
            credentials,
            region,
            signing_name,
        } => {
            let signer = strata_aws::sign::SigV4Layer::builder()
                .signing_name(signing_name)
                .region(region)
                .build()
                .map_err(|e| ConfigError::setting("SigV4 signer", e))?;
            boxed(
                ServiceBuilder::new()
                    .layer(strata_aws::credentials::CredentialsLayer::new(credentials))
                    .layer(signer)
                    .service(transport),
            )
        }
    };
    let mut stack = boxed(
        ServiceBuilder::new()
            .layer(TraceLayer::new())
            .layer(settings.user_agent)
            .layer(ReplayBodyLayer::strict())
            .layer(RetryLayer::new(settings.retry))
            .service(authenticated),
    );
    for layer in settings.layers {
        stack = layer(stack);
    }
    Ok(stack)
}
