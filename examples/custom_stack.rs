//! Your own tower layers around strata's default Bedrock stack: a concurrency limit and a
//! request trace, offline against the embedded emulator.
//!
//! ```text
//! cargo run --example custom_stack
//! ```
//!
//! Layers added with `BedrockBuilder::layer` wrap the whole default stack (tracing, retries,
//! signing, timeouts), so they see one call per model request, however many attempts it takes.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use http::{Request, Response};
use strata::bedrock::Bedrock;
use strata::{CallOptions, LanguageModel, Message};
use strata_emulator::{Emulator, Fault};
use strata_http::body::ReplayableBody;
use strata_http::retry::{Attempts, RetryConfig};
use tower::limit::ConcurrencyLimitLayer;
use tower::{Layer, Service};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder().start().await?;
    println!(
        "Started the embedded Bedrock emulator at {}.",
        emulator.url()
    );

    let bedrock = Bedrock::builder()
        .env(std::iter::empty::<(String, String)>())
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials_provider(emulator.credentials().clone())
        .retry(RetryConfig::default().with_base_delay(std::time::Duration::from_millis(50)))
        // The first layer added is wrapped by the later ones: the trace sees every call,
        // including calls waiting for a slot under the limit.
        .layer(ConcurrencyLimitLayer::new(2))
        .layer(TraceRequestsLayer)
        .build()?;
    let model = bedrock.language_model("us.amazon.nova-lite-v1:0");

    // The first request is throttled once; the retry happens inside the stack.
    emulator.faults().push(Fault::Throttle, 1)?;
    let calls = (1..=4).map(|i| {
        let model = model.clone();
        async move {
            let options = CallOptions::new(vec![Message::user_text(format!("Request {i}"))]);
            model.generate(options).await
        }
    });
    for result in futures_util::future::join_all(calls).await {
        println!("{}", result?.text());
    }
    Ok(())
}

/// A layer that prints each call's method, path, status, attempts and duration to stderr.
#[derive(Clone, Copy, Debug)]
struct TraceRequestsLayer;

impl<S> Layer<S> for TraceRequestsLayer {
    type Service = TraceRequests<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TraceRequests { inner }
    }
}

/// The service made by [`TraceRequestsLayer`].
#[derive(Clone, Debug)]
struct TraceRequests<S> {
    inner: S,
}

impl<S, B> Service<Request<ReplayableBody>> for TraceRequests<S>
where
    S: Service<Request<ReplayableBody>, Response = Response<B>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReplayableBody>) -> Self::Future {
        let call = format!("{} {}", request.method(), request.uri().path());
        let started = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let result = response.await;
            let elapsed = started.elapsed();
            match &result {
                Ok(response) => {
                    let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
                    eprintln!(
                        "[trace] {call} -> {} after {attempts} attempt(s) in {elapsed:.0?}",
                        response.status()
                    );
                }
                Err(error) => eprintln!("[trace] {call} -> failed in {elapsed:.0?}: {error}"),
            }
            result
        })
    }
}
