//! Test doubles (feature `testing`): mock models that return scripted results and stream
//! parts and record the options they were called with.
//!
//! Each mock holds a queue of scripted responses per method. Calls take them in order; the
//! last one stays and repeats. A method with nothing scripted fails with an
//! [`Error::other`](crate::Error::other) naming the mock.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_core::Error> {
//! use serde_json::json;
//! use strata_core::content::ToolCall;
//! use strata_core::testing::MockLanguageModel;
//! use strata_core::{CallOptions, Content, FinishReason, GenerateResult, LanguageModel, Message};
//!
//! let result = GenerateResult::new(
//!     vec![Content::text("Checking."), ToolCall::new("c1", "weather", json!({"city": "Oslo"})).into()],
//!     FinishReason::ToolCalls,
//! );
//! let model = MockLanguageModel::new("mock", "m1").with_result(result.clone());
//! let options = CallOptions::new(vec![Message::user_text("Weather in Oslo?")]).with_temperature(0.0);
//!
//! // The stream is derived from the result, with tool inputs split into deltas.
//! assert_eq!(model.stream(options.clone()).await?.collect().await?, result);
//! assert_eq!(model.generate(options.clone()).await?, result);
//! assert_eq!(model.calls(), vec![options.clone(), options]);
//! # Ok(())
//! # }
//! ```

mod embedding;
mod language;
mod other;

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

pub use embedding::MockEmbeddingModel;
pub use language::{MockLanguageModel, stream_parts};
pub use other::{MockImageModel, MockProvider, MockRerankModel};

use crate::Error;

/// A queue of scripted responses; the last one repeats.
#[derive(Debug)]
struct Script<T> {
    queue: Mutex<VecDeque<T>>,
}

impl<T: Clone> Script<T> {
    fn new() -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
        }
    }

    fn push(&self, item: T) {
        lock(&self.queue).push_back(item);
    }

    fn is_empty(&self) -> bool {
        lock(&self.queue).is_empty()
    }

    /// The next response, or an error naming what has nothing scripted.
    fn next(&self, what: impl FnOnce() -> String) -> Result<T, Error> {
        let mut queue = lock(&self.queue);
        let item = if queue.len() > 1 {
            queue.pop_front()
        } else {
            queue.front().cloned()
        };
        item.ok_or_else(|| Error::other(format!("{} has nothing scripted", what())))
    }
}

/// Locks a mutex, ignoring poisoning (a panicking test must not hide the first failure).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
