//! The mock embedding model.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use super::{Script, lock};
use crate::embedding::{EmbedOptions, EmbedResult, EmbeddingModel, EmbeddingUsage};
use crate::{BoxFuture, Error};

/// A mock [`EmbeddingModel`] that records each batch and how many calls overlapped.
///
/// Unless results are scripted with [`with_result`](Self::with_result), it embeds a value as
/// `[number of chars, code of the first char (0 when empty)]` and reports the total number of
/// chars as usage. Each call stays pending for a few polls, so concurrent calls overlap and
/// [`peak_concurrency`](Self::peak_concurrency) shows how many ran at once.
#[derive(Debug)]
pub struct MockEmbeddingModel {
    provider: String,
    model_id: String,
    max_embeddings_per_call: Option<usize>,
    supports_parallel_calls: bool,
    results: Script<Result<EmbedResult, Error>>,
    calls: Mutex<Vec<(Vec<String>, EmbedOptions)>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

impl MockEmbeddingModel {
    /// A mock without a batch limit that supports parallel calls.
    pub fn new(provider: impl Into<String>, model_id: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            model_id: model_id.into(),
            max_embeddings_per_call: None,
            supports_parallel_calls: true,
            results: Script::new(),
            calls: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Sets the batch limit.
    pub fn with_max_embeddings_per_call(mut self, max: usize) -> Self {
        self.max_embeddings_per_call = Some(max);
        self
    }

    /// Sets whether parallel calls are supported.
    pub fn with_parallel_calls(mut self, supported: bool) -> Self {
        self.supports_parallel_calls = supported;
        self
    }

    /// Scripts one call's outcome instead of the built-in embedding.
    pub fn with_result(self, outcome: Result<EmbedResult, Error>) -> Self {
        self.results.push(outcome);
        self
    }

    /// The values and options of every call, in the order the calls started.
    pub fn calls(&self) -> Vec<(Vec<String>, EmbedOptions)> {
        lock(&self.calls).clone()
    }

    /// The number of values in each call, in the order the calls started.
    pub fn batch_sizes(&self) -> Vec<usize> {
        lock(&self.calls)
            .iter()
            .map(|(values, _)| values.len())
            .collect()
    }

    /// The most calls that were running at the same time.
    pub fn peak_concurrency(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// The built-in embedding of one value.
    pub fn embedding_of(value: &str) -> Vec<f32> {
        let first = value.chars().next().map_or(0, u32::from);
        vec![value.chars().count() as f32, first as f32]
    }

    fn outcome(&self, values: &[String]) -> Result<EmbedResult, Error> {
        if !self.results.is_empty() {
            return self
                .results
                .next(|| format!("mock embedding model `{}`", self.model_id))?;
        }
        let mut result = EmbedResult::new(values.iter().map(|v| Self::embedding_of(v)).collect());
        result.usage =
            EmbeddingUsage::new(Some(values.iter().map(|v| v.chars().count() as u64).sum()));
        Ok(result)
    }
}

impl EmbeddingModel for MockEmbeddingModel {
    fn provider(&self) -> &str {
        &self.provider
    }

    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn max_embeddings_per_call(&self) -> Option<usize> {
        self.max_embeddings_per_call
    }

    fn supports_parallel_calls(&self) -> bool {
        self.supports_parallel_calls
    }

    fn embed(
        &self,
        values: Vec<String>,
        options: EmbedOptions,
    ) -> BoxFuture<'_, Result<EmbedResult, Error>> {
        let outcome = self.outcome(&values);
        lock(&self.calls).push((values, options));
        Box::pin(async move {
            let _running = Running::start(&self.in_flight, &self.peak);
            for _ in 0..3 {
                YieldNow(false).await;
            }
            outcome
        })
    }
}

/// Counts a running call; the count drops when the call ends or is cancelled.
struct Running<'a>(&'a AtomicUsize);

impl<'a> Running<'a> {
    fn start(in_flight: &'a AtomicUsize, peak: &AtomicUsize) -> Self {
        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(now, Ordering::SeqCst);
        Running(in_flight)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Pending once, then ready: lets other futures run.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
