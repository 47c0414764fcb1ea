//! Your own tower layers at strata's insertion points, and one retry budget shared by two
//! providers: a Bedrock Converse model and a Bedrock mantle model.
//!
//! ```text
//! cargo run --example custom_stack                 # offline, against the embedded emulator
//! RUST_LOG=debug cargo run --example custom_stack  # also strata's own spans and retry events
//! cargo run --example custom_stack -- --live       # real Bedrock: AWS_* variables, profiles,
//!                                                  # AWS_ENDPOINT_URL_BEDROCK_RUNTIME, ...
//! ```
//!
//! - `attempt_layer` sits inside retry, before credentials and signing: it sees every attempt
//!   and prints `attempt N METHOD PATH` for each;
//! - `layer` wraps the whole call, outside retry: it sees one request per call and logs its
//!   outcome through `tracing`;
//! - `retry_budget` hands both providers the same budget, so a failing upstream is never
//!   stormed by the two together.
//!
//! Offline, the emulator throttles the first attempt of each call once, so each call takes two
//! attempts and draws on the shared budget.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::{Request, Response};
use strata::bedrock::Bedrock;
use strata::http::body::ReplayableBody;
use strata::http::retry::{Attempts, RetryBudget, RetryConfig};
use strata::openai::OpenAi;
use strata::{CallOptions, LanguageModel, Message, Provider};
use strata_emulator::{Emulator, Fault};
use tower::{Layer, Service};
use tracing_subscriber::EnvFilter;

const CONVERSE_MODEL: &str = "us.amazon.nova-lite-v1:0";
const MANTLE_MODEL: &str = "openai.gpt-oss-120b-1:0";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let live = std::env::args().skip(1).any(|arg| arg == "--live");

    let budget = RetryBudget::standard();
    let retry = RetryConfig::default().with_base_delay(Duration::from_millis(50));
    let bedrock = Bedrock::builder()
        .retry(retry)
        .retry_budget(budget.clone())
        .layer(CallLogLayer)
        .attempt_layer(tower::layer::layer_fn(AttemptLog));
    let mantle = OpenAi::bedrock_mantle()
        .retry(retry)
        .retry_budget(budget.clone())
        .layer(CallLogLayer)
        .attempt_layer(tower::layer::layer_fn(AttemptLog));

    let emulator = if live {
        None
    } else {
        Some(Emulator::builder().start().await?)
    };
    let (bedrock, mantle) = match &emulator {
        None => (bedrock.build()?, mantle.build()?),
        Some(emulator) => {
            println!(
                "Started the embedded Bedrock emulator at {}.",
                emulator.url()
            );
            let credentials = emulator.credentials().clone();
            (
                bedrock
                    .env(std::iter::empty::<(String, String)>())
                    .region(emulator.region())
                    .endpoint_url(emulator.url())
                    .credentials_provider(credentials.clone())
                    .build()?,
                mantle
                    .env(std::iter::empty::<(String, String)>())
                    .region(emulator.region())
                    .base_url(format!("{}/openai/v1", emulator.url()))
                    .credentials_provider(credentials)
                    .build()?,
            )
        }
    };

    let models: Vec<Arc<dyn LanguageModel>> = vec![
        Provider::language_model(&bedrock, CONVERSE_MODEL)?,
        Provider::language_model(&mantle, MANTLE_MODEL)?,
    ];
    for model in models {
        if let Some(emulator) = &emulator {
            emulator.faults().push(Fault::Throttle, 1)?;
        }
        println!("{} / {}:", model.provider(), model.model_id());
        let result = model
            .generate(CallOptions::new(vec![Message::user_text("Hello")]))
            .await?;
        println!("  answer: {}", result.text());
        println!(
            "  shared retry budget: {} of {} tokens left",
            budget.available(),
            budget.capacity()
        );
    }
    Ok(())
}

/// The attempts of one call, counted by [`AttemptLog`] and reported by [`CallLog`]; the call
/// layer puts one in the request extensions, which every attempt's clone shares.
#[derive(Clone, Debug, Default)]
struct AttemptCounter(Arc<AtomicU32>);

/// Prints `attempt N METHOD PATH` for every attempt, before it is signed.
#[derive(Clone, Debug)]
struct AttemptLog<S>(S);

impl<S> Service<Request<ReplayableBody>> for AttemptLog<S>
where
    S: Service<Request<ReplayableBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReplayableBody>) -> S::Future {
        let n = request
            .extensions()
            .get::<AttemptCounter>()
            .map_or(1, |counter| counter.0.fetch_add(1, Ordering::SeqCst) + 1);
        println!(
            "  attempt {n} {} {}",
            request.method(),
            request.uri().path()
        );
        self.0.call(request)
    }
}

/// Wraps each whole call: counts its attempts and logs its outcome with `tracing`.
#[derive(Clone, Copy, Debug)]
struct CallLogLayer;

impl<S> Layer<S> for CallLogLayer {
    type Service = CallLog<S>;

    fn layer(&self, inner: S) -> CallLog<S> {
        CallLog(inner)
    }
}

/// The service made by [`CallLogLayer`].
#[derive(Clone, Debug)]
struct CallLog<S>(S);

impl<S, B> Service<Request<ReplayableBody>> for CallLog<S>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReplayableBody>) -> Self::Future {
        request.extensions_mut().insert(AttemptCounter::default());
        let path = request.uri().path().to_owned();
        let started = Instant::now();
        let response = self.0.call(request);
        Box::pin(async move {
            let result = response.await;
            let elapsed_ms = started.elapsed().as_millis();
            match &result {
                Ok(response) => {
                    let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
                    let status = response.status().as_u16();
                    tracing::info!(path, status, attempts, elapsed_ms, "call finished");
                }
                Err(error) => tracing::warn!(path, %error, elapsed_ms, "call failed"),
            }
            result
        })
    }
}
