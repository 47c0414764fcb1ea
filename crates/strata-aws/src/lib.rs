//! # strata-aws
//!
//! The AWS half of strata's tower stack:
//!
//! - [`sign`]: the SigV4 signing layer ([`SigV4Layer`](sign::SigV4Layer)), signing every
//!   attempt at the last moment and correcting for clock skew;
//! - [`credentials`]: the credentials layer with a refresh-ahead, single-flight cache, and
//!   built-in providers (static keys, environment, shared config files, `credential_process`,
//!   a default chain; `aws-config`'s chain behind the `aws-config` feature);
//! - [`error`]: AWS JSON error parsing and retry classification;
//! - [`event_stream`]: zero-copy decoding of `application/vnd.amazon.eventstream` response
//!   bodies (Bedrock's streaming operations) into a `Stream` of
//!   [`Event`](event_stream::Event)s or [`Message`](event_stream::Message)s, with both CRC32s
//!   checked, service exceptions and errors typed, and a maximum frame size;
//! - [`region`] and [`endpoint`]: region and endpoint resolution, once, at build time, from an
//!   explicit [`Env`](env::Env).
//!
//! # Order
//! Outermost first: retry, [`CredentialsLayer`](credentials::CredentialsLayer),
//! [`SigV4Layer`](sign::SigV4Layer), then the HTTP client — so every attempt gets fresh
//! credentials and a fresh signature.
//!
//! ```
//! use http::{Request, Response};
//! use strata_aws::credentials::{CredentialsLayer, default_cache};
//! use strata_aws::endpoint::{Endpoint, EndpointOptions, Service};
//! use strata_aws::env::Env;
//! use strata_aws::error::AwsClassifier;
//! use strata_aws::region::Region;
//! use strata_aws::sign::{SigV4Layer, encode_path_segment};
//! use strata_http::body::ReplayableBody;
//! use strata_http::retry::{RetryConfig, RetryLayer};
//! use tower::{ServiceBuilder, ServiceExt, service_fn};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Resolved once, at build time (use `Env::from_process()` in an application).
//! let env = Env::from_vars([
//!     ("AWS_REGION", "us-west-2"),
//!     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
//!     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
//! ]);
//! let region = Region::resolve(None, &env)?;
//! let options = EndpointOptions::default();
//! let endpoint = Endpoint::resolve(&Service::BEDROCK_RUNTIME, &region, &options, &env)?;
//! # let client = service_fn(|req: Request<ReplayableBody>| async move {
//! #     assert!(req.headers().contains_key("authorization"));
//! #     Ok::<_, std::convert::Infallible>(Response::new(()))
//! # });
//! let stack = ServiceBuilder::new()
//!     .layer(RetryLayer::new(RetryConfig::default()).with_classifier(AwsClassifier::new()))
//!     .layer(CredentialsLayer::new(default_cache(&env)?))
//!     .layer(SigV4Layer::builder().signing_name("bedrock").region(region).build()?)
//!     .service(client);
//!
//! let model = encode_path_segment("anthropic.claude-3-5-haiku-20241022-v1:0");
//! let request = Request::post(format!("{}/model/{model}/converse", endpoint.url()))
//!     .header("content-type", "application/json")
//!     .body(ReplayableBody::from(r#"{"messages":[]}"#))?;
//! let response = stack.oneshot(request).await?;
//! # let _ = response;
//! # Ok(())
//! # }
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod auth;
pub mod credentials;
pub mod endpoint;
pub use strata_http::env;
pub mod error;
pub mod event_stream;
pub mod profile;
pub mod region;
pub mod sign;
